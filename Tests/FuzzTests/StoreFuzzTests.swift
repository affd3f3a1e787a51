import FindingStore
import Foundation
import Inspector2Model
import PostgresNIO
import PostgresTestSupport
import SyncEngine
import Testing

/// Malformed pages the splitter accepts, normalized as the findings job does, then written by
/// `FindingPageWriter` to a real database: each page is stored, or refused with an error and rolled
/// back entirely. Coverage pages likewise through `CoveragePageWriter`.
@Suite struct StoreFuzzTests {
    let logger = TestDatabase.logger

    /// The next malformed page that the splitter accepts (most mutations keep the JSON valid).
    static func acceptedPage(_ random: inout SplitMix64, corpus: [[UInt8]], arrayKey: String) -> RawJSONPage? {
        for _ in 0..<20 {
            let body = JSONMutator.mutate(random.pick(corpus), using: &random)
            if let page = try? RawJSONArraySplitter.split(Data(body), arrayKey: arrayKey) { return page }
        }
        return nil
    }

    func counts(_ client: PostgresClient) async throws -> [Int] {
        let row = try await client.query("""
            SELECT (SELECT count(*) FROM inspector.findings)::int, (SELECT count(*) FROM inspector.finding_events)::int,
                   (SELECT count(*) FROM inspector.finding_packages)::int, (SELECT count(*) FROM inspector.coverage)::int
            """).collect()[0]
        let (a, b, c, d) = try row.decode((Int, Int, Int, Int).self)
        return [a, b, c, d]
    }

    @Test func malformedPagesAreStoredOrRolledBack() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            let coverageWriter = CoveragePageWriter(logger: logger)
            let target = SyncTarget(accountId: "111122223333", region: "us-east-1")
            var stored = 0, refused = 0, records = 0
            var refusals: [String] = []
            for seed in FuzzBudget.seeds(base: 0x3000_0000, count: 60, regressions: FuzzRegressionSeeds.store) {
                FuzzBudget.announce("store", seed)
                var random = SplitMix64(seed: seed)
                let findings = random.chance(0.75)
                guard let page = Self.acceptedPage(&random, corpus: findings ? ResponseCorpus.findingPages : ResponseCorpus.coveragePages,
                                                   arrayKey: findings ? "findings" : "coveredResources") else { continue }
                let before = try await counts(client)
                do {
                    if findings {
                        let batch = (0..<page.count).compactMap { try? FindingNormalizer.record(raw: page.element($0), index: $0, region: "us-east-1") }
                        records += batch.count
                        let options = FindingTransition.Options(isBackfill: random.chance(0.3), eventsOnFirstSync: random.chance(0.5))
                        let outcome = try await client.withConnection { try await writer.write(batch, options: options, on: $0) }
                        #expect(outcome.changed + outcome.stale <= batch.count, "seed \(seed)")
                        // Every finding of the page is in the table now (stale copies were already there).
                        let arns = Array(Set(batch.map(\.arn)))
                        let present = try await client.query("SELECT count(*)::int FROM inspector.findings WHERE finding_arn = ANY(\(arns))").collect()[0].decode(Int.self)
                        #expect(present == arns.count, "seed \(seed): \(arns.count - present) findings of a stored page are missing")
                    } else {
                        let batch = (0..<page.count).compactMap { try? CoverageNormalizer.record(raw: page.element($0), index: $0, target: target) }
                        records += batch.count
                        try await client.withConnection {
                            _ = try await coverageWriter.write(batch, target: target, snapshotTime: Date(), isFirstSnapshot: false, eventsOnFirstSync: false, on: $0)
                        }
                    }
                    stored += 1
                } catch {
                    #expect(!FuzzRegressionSeeds.store.contains(seed), "seed \(seed): a regression seed was refused again: \(String(reflecting: error).prefix(300))")
                    refused += 1
                    let message = String(reflecting: error)
                    if refusals.count < 5 { refusals.append("seed \(seed): \(message.prefix(300))") }
                    #expect(!message.isEmpty)
                    let after = try await counts(client)
                    #expect(after == before, "seed \(seed): a refused page left rows behind (\(before) -> \(after))")
                }
            }
            print("fuzz store: \(stored + refused) malformed pages (\(records) records): \(stored) stored, \(refused) refused and rolled back")
            for refusal in refusals { print("  refused: \(refusal)") }
            #expect(stored > 0)
        }
    }
}
