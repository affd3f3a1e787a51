/// When to try again and how long to wait: the SDKs' "standard" retry mode. Pure value type;
/// the jitter is passed in so schedules are testable.
///
/// Delay before attempt n+1 after attempt n failed: `jitter * min(2^(n-1), maxBackoff)` seconds
/// with `jitter` uniform in [0, 1). A `Retry-After` from the service raises the delay to that value,
/// clamped to `maxRetryAfter` so a hostile or broken header cannot park a sync worker for hours.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call including the first; 1 disables retries.
    public var maxAttempts: Int
    public var maxBackoff: Duration
    public var maxRetryAfter: Duration
    public var quota: RetryQuota.Configuration

    public init(
        maxAttempts: Int = 3,
        maxBackoff: Duration = .seconds(20),
        maxRetryAfter: Duration = .seconds(20),
        quota: RetryQuota.Configuration = .init()
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.quota = quota
    }

    public static let standard = RetryPolicy()
    public static let none = RetryPolicy(maxAttempts: 1)

    public enum Decision: Sendable, Hashable {
        /// Sleep `delay`, then send again; `quotaCost` was taken from the quota.
        case retry(delay: Duration, quotaCost: Int)
        /// Give up. `exhausted` is true when the failure was retryable but attempts or quota ran out.
        case fail(exhausted: Bool)
    }

    /// The backoff alone for the attempt that just failed (1-based).
    public func backoff(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(Duration.seconds(1 << exponent), maxBackoff)
        return ceiling * min(max(jitter, 0), 1)
    }

    public func delay(afterAttempt attempt: Int, jitter: Double, retryAfter: Duration?) -> Duration {
        let base = backoff(afterAttempt: attempt, jitter: jitter)
        guard let retryAfter else { return base }
        return max(base, min(retryAfter, maxRetryAfter))
    }

    /// Decides after attempt `attempt` (1-based) failed with a failure of `kind`.
    public func decide(
        kind: RetryClassifier.Kind,
        attempt: Int,
        retryAfter: Duration?,
        jitter: Double,
        quota: inout RetryQuota
    ) -> Decision {
        guard kind != .notRetryable else { return .fail(exhausted: false) }
        guard attempt < maxAttempts else { return .fail(exhausted: maxAttempts > 1) }
        guard let cost = quota.acquire(for: kind) else { return .fail(exhausted: true) }
        return .retry(delay: delay(afterAttempt: attempt, jitter: jitter, retryAfter: retryAfter), quotaCost: cost)
    }
}
