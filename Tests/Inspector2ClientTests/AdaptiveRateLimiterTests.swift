import Testing
@testable import Inspector2Client

@Suite struct AdaptiveRateLimiterTests {
    func ms(_ v: Int64) -> Duration { .milliseconds(v) }

    @Test func passesEverythingUntilThrottled() {
        var limiter = AdaptiveRateLimiter()
        for i in 0..<1000 { #expect(limiter.acquire(now: ms(Int64(i))) == nil) }
        #expect(!limiter.isLimiting)
        limiter.record(throttled: false, now: ms(1000))
        #expect(!limiter.isLimiting)
    }

    @Test func throttleHalvesTheMeasuredRate() {
        var limiter = AdaptiveRateLimiter(configuration: .init(minimumRate: 0.5, maximumRate: 100, recoveryPerSecond: 1))
        // 20 requests per second for 2 seconds.
        for i in 0..<40 { #expect(limiter.acquire(now: ms(Int64(i) * 50)) == nil) }
        #expect(abs(limiter.measuredRate - 20) < 1)
        limiter.record(throttled: true, now: ms(2000))
        #expect(limiter.isLimiting)
        #expect(abs(limiter.rate - 10) < 0.5)
        // Again: halves once more.
        limiter.record(throttled: true, now: ms(2000))
        #expect(abs(limiter.rate - 5) < 0.25)
    }

    @Test func bucketPacesRequests() {
        var limiter = AdaptiveRateLimiter(configuration: .init(minimumRate: 1, maximumRate: 4, recoveryPerSecond: 0))
        limiter.record(throttled: true, now: .zero) // no measurement: max/2 = 2 rps
        #expect(limiter.rate == 2)
        // The bucket starts empty after the throttle: the first request waits for a token.
        let wait = limiter.acquire(now: .zero)
        #expect(wait == ms(500))
        #expect(limiter.acquire(now: ms(500)) == nil)
        #expect(limiter.acquire(now: ms(500)) == ms(500))
        #expect(limiter.acquire(now: ms(1000)) == nil)
        // Over 10 simulated seconds at most ~2 rps get through.
        var sent = 0
        var now: Int64 = 1000
        while now < 11_000 {
            if limiter.acquire(now: ms(now)) == nil { sent += 1 }
            now += 10
        }
        #expect(sent >= 19 && sent <= 21)
    }

    @Test func recoversAdditivelyAndIsBounded() {
        var limiter = AdaptiveRateLimiter(configuration: .init(minimumRate: 0.5, maximumRate: 10, decreaseFactor: 0.5, recoveryPerSecond: 1))
        limiter.record(throttled: true, now: .zero)
        #expect(limiter.rate == 5)
        limiter.record(throttled: false, now: .seconds(2))
        #expect(limiter.rate == 7)
        limiter.record(throttled: false, now: .seconds(3))
        #expect(limiter.rate == 8)
        limiter.record(throttled: false, now: .seconds(60))
        #expect(limiter.rate == 10)
        // Repeated throttles never go below the floor.
        for _ in 0..<20 { limiter.record(throttled: true, now: .seconds(61)) }
        #expect(limiter.rate == 0.5)
    }
}

@Suite struct RateLimiterRegistryTests {
    @Test func oneLimiterPerAccountAndRegion() async throws {
        let registry = RateLimiterRegistry(configuration: .init(minimumRate: 1, maximumRate: 10))
        let a = registry.limiter(account: "111122223333", region: "us-east-1")
        #expect(a === registry.limiter(account: "111122223333", region: "us-east-1"))
        #expect(a !== registry.limiter(account: "111122223333", region: "eu-west-1"))
        #expect(a !== registry.limiter(account: "444455556666", region: "us-east-1"))
        a.record(throttled: true)
        #expect(a.snapshot.isLimiting)
        #expect(!registry.limiter(account: "111122223333", region: "eu-west-1").snapshot.isLimiting)
        // Limiting at 5 rps: five quick acquisitions take about a second.
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 { try await a.acquire() }
        let elapsed = clock.now - start
        // Only the lower bound is asserted: it shows the limiter waited. An upper bound would make
        // this a timing test that fails on a loaded machine.
        #expect(elapsed >= .milliseconds(700))
    }
}
