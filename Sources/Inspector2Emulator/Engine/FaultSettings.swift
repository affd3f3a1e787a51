/// Rates of injected faults on AWS paths (never on /_emulator/), each in [0, 1].
public struct FaultSettings: Sendable, Equatable {
    public var throttleRate = 0.0
    public var errorRate = 0.0
    public var resetRate = 0.0
    public var slowRate = 0.0
    public var slowMillis = 2000
    public var truncateRate = 0.0
    public var seed: UInt64 = 0

    public init() {}

    public enum Outcome: Sendable, Equatable { case none, throttle, error, reset, slow, truncate }

    /// Draws one outcome; one uniform draw per request keeps the sequence reproducible for a seed.
    public func draw(_ rng: inout SplitMix64) -> Outcome {
        let total = throttleRate + errorRate + resetRate + slowRate + truncateRate
        guard total > 0 else { return .none }
        var x = rng.unit()
        for (rate, outcome) in [(resetRate, Outcome.reset), (throttleRate, .throttle), (errorRate, .error), (slowRate, .slow), (truncateRate, .truncate)] {
            if x < rate { return outcome }
            x -= rate
        }
        return .none
    }
}
