import Foundation

/// Caches another provider's credentials and refreshes them `refreshWindow` seconds before they
/// expire. Concurrent callers share one refresh. When a refresh fails while the old credentials
/// have not yet expired, the old ones are returned (as the AWS SDKs do).
public actor CachedCredentialProvider: AWSCredentialProvider {
    public nonisolated let source: any AWSCredentialProvider
    public nonisolated let refreshWindow: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refresh: (generation: Int, task: Task<AWSCredentials, any Error>)?
    private var generation = 0

    public init(source: any AWSCredentialProvider, refreshWindow: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.refreshWindow = refreshWindow
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        let current = now()
        if let cached, !needsRefresh(cached, at: current) { return cached }

        let refresh: (generation: Int, task: Task<AWSCredentials, any Error>)
        if let running = self.refresh {
            refresh = running
        } else {
            generation += 1
            let source = self.source
            // An unstructured task so that a cancelled first caller does not fail the others.
            refresh = (generation, Task { try await source.credentials() })
            self.refresh = refresh
        }
        do {
            let fresh = try await refresh.task.value
            if self.refresh?.generation == refresh.generation {
                self.refresh = nil
                cached = fresh
            }
            return fresh
        } catch {
            if self.refresh?.generation == refresh.generation { self.refresh = nil }
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    /// Drops the cached credentials (after a service said they are expired or invalid).
    public func invalidate() {
        cached = nil
    }

    private func needsRefresh(_ credentials: AWSCredentials, at date: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return date >= expiration - refreshWindow
    }
}
