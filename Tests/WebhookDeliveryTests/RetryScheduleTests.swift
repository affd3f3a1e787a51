import Foundation
import Testing
@testable import WebhookDelivery

@Suite struct RetryScheduleTests {
    let schedule = RetrySchedule.default

    @Test func defaultScheduleThenDeadLetter() {
        let expected: [Int64] = [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000]
        for (index, seconds) in expected.enumerated() {
            // unit 0.5: no jitter.
            #expect(schedule.delay(afterAttempts: index, retryAfter: nil, unit: 0.5) == .seconds(seconds))
        }
        #expect(schedule.delay(afterAttempts: 8, retryAfter: nil, unit: 0.5) == nil)
        #expect(DeliveryPolicy.decide(.response(status: 500, retryAfter: nil), attemptsMade: 8, schedule: schedule, unit: 0.5)
            == .dead(error: "HTTP 500 (gave up after 8 attempt(s))"))
    }

    @Test func jitterStaysWithinTenPercent() {
        #expect(schedule.delay(afterAttempts: 2, retryAfter: nil, unit: 0) == .seconds(270))
        #expect(schedule.delay(afterAttempts: 2, retryAfter: nil, unit: 0.999_999)! > .seconds(329))
        #expect(schedule.delay(afterAttempts: 2, retryAfter: nil, unit: 0.999_999)! <= .seconds(330))
        #expect(schedule.delay(afterAttempts: 0, retryAfter: nil, unit: 0.9) == .zero)
    }

    @Test func outcomes() {
        func decide(_ r: AttemptResult, _ n: Int = 1) -> DeliveryDecision { DeliveryPolicy.decide(r, attemptsMade: n, schedule: schedule, unit: 0.5) }
        #expect(decide(.response(status: 200, retryAfter: nil)) == .succeeded)
        #expect(decide(.response(status: 204, retryAfter: nil)) == .succeeded)
        #expect(decide(.response(status: 301, retryAfter: nil)) == .retry(after: .seconds(5), error: "HTTP 301: redirects are not followed"))
        guard case .disableEndpoint = decide(.response(status: 410, retryAfter: nil)) else { Issue.record("410 must disable"); return }
        #expect(decide(.response(status: 400, retryAfter: .seconds(999))) == .retry(after: .seconds(5), error: "HTTP 400"))
        #expect(decide(.response(status: 429, retryAfter: .seconds(60))) == .retry(after: .seconds(60), error: "HTTP 429"))
        #expect(decide(.response(status: 503, retryAfter: .seconds(1))) == .retry(after: .seconds(5), error: "HTTP 503"))
        // A huge Retry-After is clamped to an hour.
        #expect(decide(.response(status: 429, retryAfter: .seconds(86_400))) == .retry(after: .seconds(3600), error: "HTTP 429"))
        #expect(decide(.timeout, 2) == .retry(after: .seconds(300), error: "timed out"))
        #expect(decide(.refused("refused: x"), 1) == .retry(after: .seconds(5), error: "refused: x"))
    }

    @Test func retryAfterParsing() {
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(DeliveryPolicy.retryAfter("120", now: now) == .seconds(120))
        #expect(DeliveryPolicy.retryAfter("Wed, 21 Oct 2015 07:29:00 GMT", now: now) == .seconds(60))
        #expect(DeliveryPolicy.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .seconds(0))
        #expect(DeliveryPolicy.retryAfter("soon", now: now) == nil)
        #expect(DeliveryPolicy.retryAfter(nil, now: now) == nil)
    }
}
