import FindingStore
import InspectorSyncService
import SyncEngine
import Testing

@Suite struct TerminalProgressLineTests {
    @Test func sumsTheLongReadsInFlight() {
        let line = TerminalProgressLine()
        #expect(line.text() == nil, "nothing to show before a long read reports")
        let start = ContinuousClock.now
        var a = ReadProgress(key: SyncJobKey(target: SyncTarget(accountId: "111111111111", region: "us-east-1"), job: .findings), expected: 1000, started: start)
        var b = ReadProgress(key: SyncJobKey(target: SyncTarget(accountId: "222222222222", region: "us-east-1"), job: .findings), expected: 3000, started: start)
        a.record(findings: 1000)
        b.record(findings: 1000)
        line.update(a)
        line.update(b)
        let text = line.text() ?? ""
        #expect(text.hasPrefix("syncing: 2 of 2 long read(s) in flight, 2,000 findings stored, "), "\(text)")
        #expect(text.hasSuffix(", ≈50% of 4,000 open"), "\(text)")
        a.finish()
        b.finish()
        line.update(a)
        line.update(b)
        #expect(line.text()?.hasPrefix("syncing: 0 of 2 long read(s) in flight") == true)
        #expect(line.text()?.contains("%") == false, "no percentage once every read ended")
    }
}
