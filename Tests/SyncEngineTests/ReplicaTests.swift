import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import SyncEngine
import Testing

/// Several replicas on one database share the targets through leases, and take over the targets of
/// a replica that died once its lease expires.
@Suite struct ReplicaTests {
    @Test func twoReplicasSplitTheTargetsAndRunEachJobOnce() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 8, findings: 200), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let a = SyncHarness(emulator: emulator, db: db, owner: "replica-a")
                let b = SyncHarness(emulator: emulator, db: db, owner: "replica-b")
                try await a.syncOnce()
                a.control("/_emulator/drift", ["fraction": 0.05, "seed": 4])
                async let fromA = a.syncOnce()
                async let fromB = b.syncOnce()
                let (resultsA, resultsB) = try await (fromA, fromB)
                let ran = (resultsA + resultsB).filter { if case .skipped = $0.result { return false } else { return true } }
                // Every job ran, none failed. `sync --once` runs a job even when it is not due, so a
                // replica that claims a job right after the other finished it runs it again: harmless
                // (a quiet cycle), and never at the same time, which is what the leases guarantee and
                // what the duplicate-event check below would catch.
                #expect(Set(ran.map(\.key)).count == a.targets.count * 2)
                #expect(ran.allSatisfy { !$0.failed })
                #expect(try await a.events().count > 0)
                #expect(try await a.duplicateEventCount() == 0)
                #expect(try await a.stored() == a.truth())
            }
        }
    }

    @Test func aDeadReplicasLeaseExpiresAndAnotherFinishesItsTargets() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 9, findings: 150), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let survivor = SyncHarness(emulator: emulator, db: db, owner: "survivor")
                let dead = SyncStateStore(client: db, owner: "dead-replica", leaseDuration: .seconds(120), logger: survivor.logger)
                let keys = survivor.targets.flatMap { t in SyncJobKind.allCases.map { SyncJobKey(target: t, job: $0) } }
                try await dead.ensure(keys)
                // The dead replica claimed every job, then vanished without finishing any.
                let claimed = try await dead.claim(limit: keys.count, onlyDue: false)
                #expect(claimed.count == keys.count)

                let whileLeased = try await survivor.syncOnce()
                #expect(whileLeased.allSatisfy { if case .skipped = $0.result { return true } else { return false } })

                // Time passes: the dead replica's leases run out (set in the past instead of sleeping,
                // so a slow machine cannot expire them early or late).
                try await db.query("UPDATE inspector.sync_state SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'dead-replica'")
                let afterExpiry = try await survivor.syncOnce()
                #expect(afterExpiry.allSatisfy { !$0.failed })
                #expect(afterExpiry.filter { if case .skipped = $0.result { return true } else { return false } }.isEmpty)
                #expect(try await survivor.stored() == survivor.truth())
                // The dead replica's late writes are refused: its lease is gone.
                await #expect(throws: LeaseLostError.self) { try await dead.renew(claimed[0].key) }
            }
        }
    }
}
