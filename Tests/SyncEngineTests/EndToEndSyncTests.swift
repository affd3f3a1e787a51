import FindingStore
import Foundation
import Inspector2Emulator
import PostgresTestSupport
import SyncEngine
import Synchronization
import Testing

/// The sync against the emulator and a real PostgreSQL: the database must equal the emulator's
/// truth (read through the API), and the feed must hold exactly the changes the emulator made.
@Suite struct EndToEndSyncTests {
    /// Drift kinds and the event type each must produce.
    static let expectedEventType: [String: String] = [
        "closed": "finding.closed", "reopened": "finding.reopened", "severityChanged": "finding.severity_changed",
        "scoreChanged": "finding.score_changed", "fixAvailable": "finding.fix_available_changed",
        "exploitAvailable": "finding.exploit_available_changed", "created": "finding.created",
        "suppressed": "finding.suppressed", "coverageAdded": "coverage.added", "coverageRemoved": "coverage.removed",
        "scanStatusChanged": "coverage.scan_status_changed",
    ]

    @Test func backfillDriftAndQuietCycle() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let harness = SyncHarness(emulator: emulator, db: db)

                // 1. Backfill: silent by default, and the database equals the emulator.
                let first = try await harness.syncOnce()
                #expect(first.allSatisfy { !$0.failed }, "\(first.filter(\.failed).map { "\($0.key): \($0.result)" })")
                #expect(try await harness.stored() == harness.truth())
                #expect(try await harness.storedCoverage() == harness.coverageTruth())
                #expect(try await harness.events().isEmpty)
                let packages = try await db.query("SELECT count(*) FROM inspector.finding_packages").collect()[0].decode(Int.self)
                #expect(packages > 0)

                // 2. A drift of every kind, then a sync: exactly those changes, each once.
                let drift = harness.control("/_emulator/drift", ["fraction": 0.05, "seed": 11])
                var expected: [String] = []
                for (kind, keys) in drift["changes"]?.objectValue ?? [] {
                    guard let type = Self.expectedEventType[kind] else { continue } // observedOnly: no event
                    for key in keys.arrayValue ?? [] { expected.append("\(type) \(key.stringValue!)") }
                }
                #expect(expected.count > 10)
                // A LISTEN client on its own connection hears one hint per event of the second sync.
                let heardBox = Collected()
                let listener = Task {
                    try await db.withConnection { connection in
                        try await connection.listen(on: ChangeEventWriter.notifyChannel) { notifications in
                            for try await notification in notifications { heardBox.append(notification.payload) }
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                let second = try await harness.syncOnce()
                #expect(second.allSatisfy { !$0.failed })
                let recorded = try await harness.events().map { "\($0.type) \($0.key)" }
                let wanted = coverageExpanded(expected, recorded)
                #expect(recorded.count == wanted.count)
                let missing = multisetDifference(wanted, recorded), extra = multisetDifference(recorded, wanted)
                #expect(missing.isEmpty, "not recorded: \(missing)")
                #expect(extra.isEmpty, "recorded but not changed by the drift: \(extra)")
                // Hints arrive asynchronously after each commit: wait for all of them (bounded).
                for _ in 0..<100 where heardBox.values.count < recorded.count {
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await Task.sleep(for: .milliseconds(200)) // and make sure no extra ones follow
                listener.cancel()
                let heard = heardBox.values
                #expect(heard.count == recorded.count)
                let hintTypes = heard.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["type"] as? String }
                #expect(hintTypes.sorted() == recorded.map { String($0.split(separator: " ")[0]) }.sorted())
                #expect(try await harness.stored() == harness.truth())
                #expect(try await harness.storedCoverage() == harness.coverageTruth())

                // 3. Nothing changed: no events, one ListFindings call per target.
                let lastId = try await harness.events().last?.id ?? 0
                let callsBefore = harness.listFindingsCalls
                let third = try await harness.syncOnce()
                #expect(third.allSatisfy { !$0.failed })
                #expect(try await harness.events(after: lastId).isEmpty)
                #expect(harness.listFindingsCalls - callsBefore == harness.targets.count)
            }
        }
    }

    func multisetDifference(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for x in b { counts[x, default: 0] += 1 }
        var result: [String] = []
        for x in a {
            if let n = counts[x], n > 0 { counts[x] = n - 1 } else { result.append(x) }
        }
        return result
    }

    /// A coverage change is reported per resource; the table has one row per resource and scan
    /// type, so a resource with two scan types makes two events. Expand the expectation to match
    /// the scan types actually recorded, but never invent a resource.
    func coverageExpanded(_ expected: [String], _ recorded: [String]) -> [String] {
        var result: [String] = []
        for line in expected {
            if line.hasPrefix("coverage.") {
                let matches = recorded.filter { $0 == line }
                result += matches.isEmpty ? [line] : matches
            } else {
                result.append(line)
            }
        }
        return result
    }
}

/// Notifications collected by the listener task.
final class Collected: Sendable {
    private let box = Mutex<[String]>([])
    func append(_ value: String) { box.withLock { $0.append(value) } }
    var values: [String] { box.withLock { $0 } }
}
