/// A client-side send-rate limiter in the spirit of the SDKs' "adaptive" retry mode, with
/// AIMD instead of CUBIC (simpler to reason about, same shape): it lets everything through until
/// the service throttles; then it becomes a token bucket at half the measured send rate, halves
/// again on every further throttle, and climbs back additively (`recoveryPerSecond` requests/s
/// each second) while answers succeed. Pure state machine: time is passed in as the offset from
/// an arbitrary origin, so tests drive it with a fake clock.
public struct AdaptiveRateLimiter: Sendable, Hashable {
    public struct Configuration: Sendable, Hashable {
        /// The floor the rate never drops below (requests per second).
        public var minimumRate: Double
        /// The ceiling while limiting (requests per second); also the starting rate when a
        /// throttle arrives before any send rate was measured.
        public var maximumRate: Double
        /// Multiplicative decrease on throttling.
        public var decreaseFactor: Double
        /// Additive increase per second of successful operation.
        public var recoveryPerSecond: Double
        /// Seconds of burst the bucket may hold (capacity = max(1, rate * burstSeconds)).
        public var burstSeconds: Double

        public init(
            minimumRate: Double = 0.5,
            maximumRate: Double = 50,
            decreaseFactor: Double = 0.5,
            recoveryPerSecond: Double = 0.5,
            burstSeconds: Double = 1
        ) {
            self.minimumRate = minimumRate
            self.maximumRate = max(maximumRate, minimumRate)
            self.decreaseFactor = min(max(decreaseFactor, 0.01), 0.99)
            self.recoveryPerSecond = recoveryPerSecond
            self.burstSeconds = max(burstSeconds, 0)
        }
    }

    public let configuration: Configuration
    /// False until the first throttle: no limiting at all.
    public private(set) var isLimiting = false
    /// Current allowed rate (requests per second); meaningful while `isLimiting`.
    public private(set) var rate: Double
    public private(set) var tokens: Double = 0
    private var lastRefill: Duration?
    private var lastIncrease: Duration?
    /// Send-rate measurement: requests counted in half-second buckets, smoothed (as botocore).
    public private(set) var measuredRate: Double = 0
    private var bucketStart: Duration?
    private var bucketCount = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.rate = configuration.maximumRate
    }

    var capacity: Double { max(1, rate * configuration.burstSeconds) }

    /// Asks to send one request at `now`. Returns nil when it may go (a token was taken), or
    /// how long to wait before asking again.
    public mutating func acquire(now: Duration) -> Duration? {
        guard isLimiting else {
            measure(now: now)
            return nil
        }
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            measure(now: now)
            return nil
        }
        let seconds = (1 - tokens) / rate
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// Feeds the outcome of an answered request back.
    public mutating func record(throttled: Bool, now: Duration) {
        if throttled {
            let base = isLimiting ? min(rate, max(measuredRate, configuration.minimumRate)) : (measuredRate > 0 ? measuredRate : configuration.maximumRate)
            refill(now: now)
            isLimiting = true
            rate = max(configuration.minimumRate, min(configuration.maximumRate, base) * configuration.decreaseFactor)
            tokens = min(tokens, capacity)
            lastIncrease = now
        } else if isLimiting {
            refill(now: now)
            let since = lastIncrease.map { seconds(now - $0) } ?? 0
            rate = min(configuration.maximumRate, rate + configuration.recoveryPerSecond * max(0, since))
            lastIncrease = now
        }
    }

    private mutating func refill(now: Duration) {
        if let last = lastRefill, now > last {
            tokens = min(capacity, tokens + rate * seconds(now - last))
        }
        if lastRefill == nil || now > lastRefill! { lastRefill = now }
    }

    private mutating func measure(now: Duration) {
        guard let start = bucketStart else {
            bucketStart = now
            bucketCount = 1
            return
        }
        let elapsed = seconds(now - start)
        if elapsed >= 0.5 {
            let current = Double(bucketCount) / elapsed
            measuredRate = measuredRate == 0 ? current : 0.8 * current + 0.2 * measuredRate
            bucketStart = now
            bucketCount = 1
        } else {
            bucketCount += 1
        }
    }

    private func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
