import FindingStore
import Foundation
import Inspector2Emulator
import PostgresTestSupport
import SyncEngine
import Testing

/// Findings AWS purges (3 days after their resource is gone) are found by the reconciliation sweep:
/// marked removed, never deleted, each with one `finding.purged` event.
@Suite struct ReconcileTests {
    @Test func sweepFindsPurgedFindingsAndKeepsTheirRows() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 5, findings: 150), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                // A zero reconcile interval: every cycle after the backfill is a sweep.
                let harness = SyncHarness(emulator: emulator, db: db, options: SyncOptions(overlap: .seconds(900), reconcileInterval: .zero))
                try await harness.syncOnce()
                harness.control("/_emulator/drift", ["fraction": 0.05, "seed": 9, "kinds": ["coverageRemoved"]])
                let second = try await harness.syncOnce()
                #expect(second.allSatisfy { !$0.failed })
                let closedBefore = try await harness.events().count
                #expect(closedBefore > 0)

                let clock = harness.control("/_emulator/clock", ["advanceSeconds": 345_600])
                let purged = Set((clock["purged"]?.arrayValue ?? []).compactMap(\.stringValue))
                #expect(!purged.isEmpty, "the drift's closed findings should be purged after 3 days")

                let third = try await harness.syncOnce()
                #expect(third.allSatisfy { !$0.failed })
                let sweeps = third.compactMap { result -> FindingsJob.Outcome? in
                    if case .findings(let outcome) = result.result { return outcome } else { return nil }
                }
                #expect(sweeps.allSatisfy { $0.swept })
                let allEvents = try await harness.events()
                let events = allEvents.dropFirst(closedBefore)
                let purgedKeys = Set(events.map { $0.key })
                #expect(purgedKeys == purged)
                #expect(events.allSatisfy { $0.type == "finding.purged" })
                #expect(events.count == purged.count)

                // Rows stay, marked; the live set equals the emulator's.
                let removed = try await db.query("SELECT finding_arn FROM inspector.findings WHERE removed_at IS NOT NULL").collect()
                    .map { try $0.decode(String.self) }
                #expect(Set(removed) == purged)
                #expect(try await harness.stored() == harness.truth())

                // A further sweep purges nothing again.
                try await harness.syncOnce()
                let finalCount = try await harness.events().count
                #expect(finalCount == closedBefore + purged.count)
            }
        }
    }

    @Test func countsThatDifferFromTheServiceTriggerASweepThatRepairs() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 6, accounts: 1, regions: ["us-east-1"], findings: 120), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let harness = SyncHarness(emulator: emulator, db: db, options: SyncOptions(overlap: .seconds(900), reconcileInterval: .seconds(86_400), countCheckInterval: .zero))
                try await harness.syncOnce()
                // Lose a change behind the sync's back: one open finding looks closed in the database.
                let arn = try await db.query(
                    "SELECT finding_arn FROM inspector.findings WHERE status = 'ACTIVE' ORDER BY finding_arn LIMIT 1"
                ).collect()[0].decode(String.self)
                try await db.query("UPDATE inspector.findings SET status = 'CLOSED', raw = raw || '{\"status\":\"CLOSED\"}' WHERE finding_arn = \(arn)")

                let checked = try await harness.syncOnce()
                let outcomes = checked.compactMap { r -> FindingsJob.Outcome? in if case .findings(let o) = r.result { return o } else { return nil } }
                #expect(outcomes.contains { $0.countsDiffer }, "\(checked.map { "\($0.key) \($0.result)" })")
                #expect(outcomes.allSatisfy { !$0.swept })

                let repaired = try await harness.syncOnce()
                let sweeps = repaired.compactMap { r -> FindingsJob.Outcome? in if case .findings(let o) = r.result { return o } else { return nil } }
                #expect(sweeps.contains { $0.swept }, "\(repaired.map { "\($0.key) \($0.result)" })")
                #expect(try await harness.stored() == harness.truth())
                let events = try await harness.events()
                #expect(events.map(\.type) == ["finding.reopened"], "\(events)")
                #expect(events.map(\.key) == [arn])
            }
        }
    }
}
