import FindingStore
import Foundation
import Inspector2Emulator
import Logging
import PostgresNIO
import PostgresTestSupport
import Synchronization
import SyncEngine
import Testing

@Suite struct ReadProgressTests {
    let key = SyncJobKey(target: SyncTarget(accountId: "123456789012", region: "us-east-1"), job: .findings)

    @Test func fractionIsCappedUntilTheReadEnds() {
        let start = ContinuousClock.now
        var progress = ReadProgress(key: key, expected: 100, started: start)
        progress.record(findings: 60)
        #expect(progress.fraction == 0.6)
        progress.record(findings: 60) // closed and suppressed findings come on top of the open count
        #expect(progress.fraction == 0.99)
        progress.finish()
        #expect(progress.fraction == 1)
        #expect(progress.pages == 2 && progress.stored == 120)
        #expect(ReadProgress(key: key, expected: nil, started: start).fraction == nil)
        #expect(ReadProgress(key: key, expected: 0, started: start).fraction == nil)
    }

    @Test func rateSummaryAndSteadyInterval() {
        let start = ContinuousClock.now
        var progress = ReadProgress(key: key, expected: 40_000, started: start)
        progress.record(findings: 12_345)
        #expect(progress.rate(at: start + .seconds(5)) == 2469)
        #expect(progress.summary(at: start + .seconds(5)) == "12,345 findings (≈30%, 2,469/s)")
        let due = [9, 10, 19, 21].map { progress.due(at: start + .seconds($0), every: .seconds(10)) }
        #expect(due == [false, true, false, true])
        #expect(ReadProgress.grouped(0) == "0" && ReadProgress.grouped(999) == "999" && ReadProgress.grouped(1_000_000) == "1,000,000")
    }

    /// A real backfill reports every page, ends finished, and its expected total is the service's
    /// open count; the incremental cycle after it reports nothing.
    @Test func backfillReportsItsPagesAndLogsProgress() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 23, accounts: 1, regions: ["us-east-1"], findings: 150), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                var options = SyncOptions(overlap: .seconds(900), pageSize: 20)
                options.progressInterval = .zero
                var harness = SyncHarness(emulator: emulator, db: db, options: options)
                let lines = CapturedLines()
                harness.logger = Logger(label: "test.sync") { _ in CapturingLogHandler(lines: lines) }
                let updates = Mutex<[ReadProgress]>([])
                var runner = harness.runner()
                runner.onProgress = { progress in updates.withLock { $0.append(progress) } }
                _ = try await runner.runOnce(targets: harness.targets, concurrency: 1)

                let state = harness.control("/_emulator/state", method: "GET")
                for target in harness.targets {
                    let mine = updates.withLock { $0 }.filter { $0.key.target == target }
                    let stored = try await db.query("SELECT count(*)::int FROM inspector.findings WHERE account_id = \(target.accountId) AND region = \(target.region)")
                        .collect()[0].decode(Int.self)
                    let active = state["findings"]?[target.accountId]?[target.region]?["ACTIVE"]?.intValue
                    #expect(mine.count == (stored + 19) / 20 + 1, "one update per page, one when finished")
                    #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.stored <= $1.stored })
                    #expect(mine.last?.isFinished == true && mine.last?.stored == stored)
                    #expect(mine.last?.expected == active)
                }
                #expect(lines.all.contains { $0.hasPrefix("backfill progress: ") && $0.contains("findings (≈") }, "\(lines.all)")

                updates.withLock { $0 = [] }
                _ = try await runner.runOnce(targets: harness.targets, concurrency: 1)
                #expect(updates.withLock { $0 }.isEmpty, "an incremental window is no long read")
            }
        }
    }
}

final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

struct CapturingLogHandler: LogHandler {
    let lines: CapturedLines
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { lines.append("\(event.message)") }
}
