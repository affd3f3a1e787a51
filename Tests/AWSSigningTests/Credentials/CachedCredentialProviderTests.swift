import Foundation
import Testing
@testable import AWSSigning

/// A source that hands out numbered temporary credentials valid for one hour, slowly.
struct CountingSource: AWSCredentialProvider {
    let counter = Counter()
    let clock: TestClock
    var failing: Bool = false

    func credentials() async throws -> AWSCredentials {
        let n = counter.increment()
        try await Task.sleep(for: .milliseconds(50))
        if failing { throw CredentialError(code: .httpFailure, source: "test", message: "down") }
        return AWSCredentials(accessKeyId: "AK\(n)", secretAccessKey: "S", sessionToken: "T", expiration: clock.now + 3600)
    }
}

@Suite struct CachedCredentialProviderTests {
    @Test func reusesUntilTheRefreshWindow() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock)
        let cache = CachedCredentialProvider(source: source, refreshWindow: 300, now: clock.closure)
        #expect(try await cache.credentials().accessKeyId == "AK1")
        clock.advance(3600 - 301)
        #expect(try await cache.credentials().accessKeyId == "AK1")
        clock.advance(2)  // now inside the 5-minute window
        #expect(try await cache.credentials().accessKeyId == "AK2")
        #expect(source.counter.count == 2)
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock)
        let cache = CachedCredentialProvider(source: source, now: clock.closure)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(ids.count == 20)
        #expect(Set(ids) == ["AK1"])
        #expect(source.counter.count == 1)
    }

    @Test func longTermCredentialsAreNeverRefreshed() async throws {
        let clock = TestClock()
        let counter = Counter()
        struct Once: AWSCredentialProvider {
            let counter: Counter
            func credentials() async throws -> AWSCredentials {
                _ = counter.increment()
                return AWSCredentials(accessKeyId: "AK", secretAccessKey: "S")
            }
        }
        let cache = CachedCredentialProvider(source: Once(counter: counter), now: clock.closure)
        _ = try await cache.credentials()
        clock.advance(86_400 * 365)
        _ = try await cache.credentials()
        #expect(counter.count == 1)
        await cache.invalidate()
        _ = try await cache.credentials()
        #expect(counter.count == 2)
    }

    @Test func failedRefreshKeepsStillValidCredentials() async throws {
        let clock = TestClock()
        final class Flaky: AWSCredentialProvider, @unchecked Sendable {
            let clock: TestClock
            let lock = NSLock()
            var fail = false
            init(clock: TestClock) { self.clock = clock }
            func credentials() async throws -> AWSCredentials {
                if lock.withLock({ fail }) { throw CredentialError(code: .httpFailure, source: "test", message: "down") }
                return AWSCredentials(accessKeyId: "AK", secretAccessKey: "S", expiration: clock.now + 600)
            }
        }
        let source = Flaky(clock: clock)
        let cache = CachedCredentialProvider(source: source, refreshWindow: 300, now: clock.closure)
        _ = try await cache.credentials()
        source.lock.withLock { source.fail = true }
        clock.advance(400)  // in the window, not yet expired
        #expect(try await cache.credentials().accessKeyId == "AK")
        clock.advance(300)  // expired
        let error = await #expect(throws: CredentialError.self) { try await cache.credentials() }
        #expect(error?.code == .httpFailure)
    }
}
