/// The emulator's simulated wall clock, in epoch seconds.
///
/// It starts at `start` and moves only by real elapsed time (read from an injected monotonic source)
/// plus explicit advances, so it never goes backwards, whatever the host's clock does.
public struct EmulatorClock: Sendable {
    public let start: Double
    public private(set) var advanced: Double = 0
    private let monotonicStart: Double
    private let monotonic: @Sendable () -> Double

    /// - Parameter monotonic: seconds from any fixed origin; defaults to `ContinuousClock`.
    public init(start: Double, monotonic: @escaping @Sendable () -> Double = EmulatorClock.continuousSeconds) {
        self.start = start
        self.monotonic = monotonic
        self.monotonicStart = monotonic()
    }

    /// While set (replaying a state file), `now` is this value.
    public var pinned: Double?

    public var now: Double { pinned ?? (start + max(0, monotonic() - monotonicStart) + advanced) }

    public mutating func advance(by seconds: Double) { advanced += max(0, seconds) }

    /// Restores the advance total (state file reload).
    public mutating func restore(advanced: Double) { self.advanced = max(0, advanced) }

    public static let continuousSeconds: @Sendable () -> Double = {
        let comps = (ContinuousClock.now - EmulatorClock.origin).components
        return Double(comps.seconds) + Double(comps.attoseconds) * 1e-18
    }

    private static let origin = ContinuousClock.now
}
