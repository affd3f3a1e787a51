/// When a failed delivery is tried again. Pure: the randomness comes in as a parameter.
public struct RetrySchedule: Sendable, Equatable {
    /// Delay before attempt n+1 (index 0: the first attempt, normally 0). After the last, dead letter.
    public var delays: [Duration]
    /// Each delay is scaled by a factor in `1 ± jitter`, so endpoints that fail together do not
    /// retry together.
    public var jitter: Double
    /// The longest `Retry-After` honoured; a larger one is clamped to it.
    public var maxRetryAfter: Duration

    public init(delays: [Duration], jitter: Double = 0.1, maxRetryAfter: Duration = .seconds(3600)) {
        self.delays = delays
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    public static let `default` = RetrySchedule(delays: [
        .seconds(0), .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000),
        .seconds(36_000), .seconds(36_000),
    ])

    /// Attempts in all before a delivery is dead-lettered.
    public var maxAttempts: Int { max(delays.count, 1) }

    /// The delay after `attemptsMade` failed attempts, nil when the schedule is exhausted.
    /// `unit` is a uniform random number in 0..<1.
    public func delay(afterAttempts attemptsMade: Int, retryAfter: Duration?, unit: Double) -> Duration? {
        guard attemptsMade < delays.count else { return nil }
        let base = delays[attemptsMade]
        let factor = 1 + jitter * (2 * min(max(unit, 0), 1) - 1)
        var delay = base * factor
        // Honour Retry-After: never earlier than the receiver asked, never later than the clamp.
        if let retryAfter {
            let asked = min(max(retryAfter, .zero), maxRetryAfter)
            delay = max(delay, asked)
        }
        return delay
    }
}
