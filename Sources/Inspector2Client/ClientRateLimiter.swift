import Synchronization

/// The I/O side of `AdaptiveRateLimiter`: one per (account, region), shared by every client and
/// task that talks to that target, so parallel pagers slow down together.
public final class ClientRateLimiter: Sendable {
    private let state: Mutex<AdaptiveRateLimiter>
    private let clock: ContinuousClock
    private let origin: ContinuousClock.Instant

    public init(configuration: AdaptiveRateLimiter.Configuration = .init()) {
        self.state = Mutex(AdaptiveRateLimiter(configuration: configuration))
        self.clock = ContinuousClock()
        self.origin = clock.now
    }

    private var now: Duration { clock.now - origin }

    /// Waits until a request may be sent.
    public func acquire() async throws {
        while true {
            let wait = state.withLock { $0.acquire(now: self.now) }
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }

    public func record(throttled: Bool) {
        let now = self.now
        state.withLock { $0.record(throttled: throttled, now: now) }
    }

    /// A copy of the current state, for metrics and the status page.
    public var snapshot: AdaptiveRateLimiter { state.withLock { $0 } }
}

/// Hands out one `ClientRateLimiter` per (account, region). The daemon keeps one registry.
public final class RateLimiterRegistry: Sendable {
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var account: String
        public var region: String
        public init(account: String, region: String) {
            self.account = account
            self.region = region
        }
        public var description: String { "\(account)/\(region)" }
    }

    private let limiters = Mutex<[Key: ClientRateLimiter]>([:])
    public let configuration: AdaptiveRateLimiter.Configuration

    public init(configuration: AdaptiveRateLimiter.Configuration = .init()) {
        self.configuration = configuration
    }

    public func limiter(account: String, region: String) -> ClientRateLimiter {
        let key = Key(account: account, region: region)
        return limiters.withLock { map in
            if let existing = map[key] { return existing }
            let created = ClientRateLimiter(configuration: configuration)
            map[key] = created
            return created
        }
    }
}
