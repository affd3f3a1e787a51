import FindingStore
import Foundation
import Inspector2Client
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import SyncEngine
import Testing

/// With a fifth of the API calls failing (throttles, 500s, resets, truncated bodies), repeated
/// cycles converge to the emulator's truth and record each change exactly once.
@Suite struct FaultToleranceTests {
    @Test func convergesUnderTwentyPercentFaultsWithoutDuplicateEvents() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 21, findings: 250), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let harness = SyncHarness(emulator: emulator, db: db)
                // The client's standard retries (3 attempts) as the daemon runs them; a job whose retries
                // run out fails and the next pass resumes it from its last stored page.
                let fragile = RetryPolicy.standard
                try await harness.syncOnce(retry: fragile) // clean backfill baseline first
                harness.control("/_emulator/faults", ["throttleRate": 0.05, "errorRate": 0.05, "resetRate": 0.05, "truncateRate": 0.05, "seed": 3])
                let drift = harness.control("/_emulator/drift", ["fraction": 0.05, "seed": 5])
                var expected: [String] = []
                for (kind, keys) in drift["changes"]?.objectValue ?? [] {
                    guard let type = EndToEndSyncTests.expectedEventType[kind], type.hasPrefix("finding.") else { continue }
                    expected += (keys.arrayValue ?? []).map { "\(type) \($0.stringValue!)" }
                }

                var failures: [String] = []
                var passes = 0
                repeat {
                    passes += 1
                    let results = try await harness.syncOnce(retry: fragile)
                    failures = results.filter(\.failed).map { "\($0.key): \($0.result)" }
                } while !failures.isEmpty && passes < 40
                #expect(failures.isEmpty, "still failing after \(passes) passes: \(failures)")

                harness.control("/_emulator/faults", [:])
                #expect(try await harness.stored() == harness.truth())
                #expect(try await harness.storedCoverage() == harness.coverageTruth())
                let findingEvents = try await harness.events().filter { $0.type.hasPrefix("finding.") }
                let recorded = findingEvents.map { "\($0.type) \($0.key)" }
                #expect(Set(recorded).count == recorded.count, "duplicate events")
                let missing = Set(expected).subtracting(recorded), extra = Set(recorded).subtracting(expected)
                #expect(missing.isEmpty, "missing: \(missing.sorted())")
                #expect(extra.isEmpty, "extra: \(extra.sorted())")
            }
        }
    }
}
