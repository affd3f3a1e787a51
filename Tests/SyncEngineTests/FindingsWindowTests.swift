import FindingStore
import Foundation
import SyncEngine
import Testing

@Suite struct FindingsWindowTests {
    let key = SyncJobKey(target: SyncTarget(accountId: "111122223333", region: "us-east-1"), job: .findings)

    @Test func firstPassHasNoDateFilter() {
        let window = FindingsWindow.plan(state: SyncJobState(key: key), overlap: .seconds(900))
        #expect(window == FindingsWindow(start: nil, resumeToken: nil, resumedEnd: nil))
    }

    @Test func laterPassesStartAnOverlapBeforeTheWatermarkOnAWholeSecond() {
        let state = SyncJobState(key: key, watermark: Date(timeIntervalSince1970: 1_700_000_900.75), backfillCompletedAt: Date())
        let window = FindingsWindow.plan(state: state, overlap: .seconds(900))
        #expect(window.start == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(window.resumeToken == nil)
    }

    @Test func anInterruptedWindowResumesWithItsTokenAndEnd() {
        let end = Date(timeIntervalSince1970: 1_700_000_500)
        let state = SyncJobState(key: key, watermark: nil, windowStart: nil, windowEnd: end, nextToken: "tok", pagesInWindow: 7)
        let window = FindingsWindow.plan(state: state, overlap: .seconds(900))
        #expect(window == FindingsWindow(start: nil, resumeToken: "tok", resumedEnd: end))
    }

    @Test func backoffDoublesAndIsCapped() {
        let first = SyncBackoff.delay(consecutiveFailures: 1, maxBackoff: .seconds(3600), jitter: 1)
        let second = SyncBackoff.delay(consecutiveFailures: 2, maxBackoff: .seconds(3600), jitter: 1)
        let many = SyncBackoff.delay(consecutiveFailures: 30, maxBackoff: .seconds(3600), jitter: 1)
        #expect(first == .seconds(30))
        #expect(second == .seconds(60))
        #expect(many == .seconds(3600))
        #expect(SyncBackoff.delay(consecutiveFailures: 1, maxBackoff: .seconds(3600), jitter: 0) == .seconds(15))
    }
}
