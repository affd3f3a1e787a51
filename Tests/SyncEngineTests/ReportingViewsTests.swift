import FindingStore
import Foundation
import Inspector2Emulator
import Inspector2Model
import PostgresNIO
import PostgresTestSupport
import SyncEngine
import Testing

/// The reporting views over a database filled by real syncs, checked against counts computed
/// independently from the emulator's API.
@Suite struct ReportingViewsTests {
    /// Open findings per "account|severity", and per vulnerability, straight from ListFindings.
    func apiTruth(_ harness: SyncHarness) async throws -> (open: [String: Int], byStatus: [String: Int], vulnerabilities: [String: Int], openArns: Set<String>) {
        var open: [String: Int] = [:], byStatus: [String: Int] = [:], vulnerabilities: [String: Int] = [:]
        var openArns = Set<String>()
        for region in harness.emulator.emulator.configuration.regions {
            let client = try harness.client(region: region)
            for try await page in client.listFindingsRawPages(ListFindingsRequest(maxResults: 100)) {
                for item in page.items {
                    let f = item.value
                    byStatus["\(f.awsAccountId)|\(region)|\(f.severity.rawValue)|\(f.status.rawValue)", default: 0] += 1
                    guard f.status == .active else { continue }
                    openArns.insert(f.findingArn)
                    open["\(f.awsAccountId)|\(f.severity.rawValue)", default: 0] += 1
                    if let id = f.packageVulnerabilityDetails?.vulnerabilityId { vulnerabilities[id, default: 0] += 1 }
                }
            }
        }
        return (open, byStatus, vulnerabilities, openArns)
    }

    func rows<T>(_ db: PostgresClient, _ sql: String, as _: T.Type, _ decode: (PostgresRow) throws -> T) async throws -> [T] {
        try await db.query(PostgresQuery(unsafeSQL: sql)).collect().map(decode)
    }

    @Test func viewsMatchTheEmulatorAndThePastIsRebuiltFromTheFeed() async throws {
        try await EmulatorServer.withRunning(SyncHarness.emulatorConfiguration(seed: 12, findings: 200), logger: .init(label: "emu")) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                let harness = SyncHarness(emulator: emulator, db: db)
                try await harness.syncOnce()
                let before = try await apiTruth(harness)
                // A minute passes, then the world changes: the views must still answer for "before".
                harness.control("/_emulator/clock", ["advanceSeconds": 60])
                let pointInTime = Date(timeIntervalSince1970: emulator.emulator.now - 30)
                harness.control("/_emulator/drift", ["fraction": 0.05, "seed": 3])
                try await harness.syncOnce()
                let after = try await apiTruth(harness)

                var open: [String: Int] = [:]
                for (account, severity, n) in try await rows(db, "SELECT account_id, severity, count(*)::int FROM inspector.open_findings GROUP BY 1, 2", as: (String, String, Int).self) { try $0.decode((String, String, Int).self) } {
                    open["\(account)|\(severity)"] = n
                }
                #expect(open == after.open)

                var byStatus: [String: Int] = [:]
                for (a, r, s, st, n) in try await rows(db, "SELECT account_id, region, severity, status, findings::int FROM inspector.finding_counts", as: (String, String, String, String, Int).self) { try $0.decode((String, String, String, String, Int).self) } {
                    byStatus["\(a)|\(r)|\(s)|\(st)"] = n
                }
                #expect(byStatus == after.byStatus)

                var vulnerabilities: [String: Int] = [:]
                for (id, n) in try await rows(db, "SELECT vulnerability_id, open_findings::int FROM inspector.top_vulnerabilities", as: (String, Int).self) { try $0.decode((String, Int).self) } {
                    vulnerabilities[id] = n
                }
                #expect(vulnerabilities == after.vulnerabilities)

                let byType = try await rows(db, "SELECT sum(findings)::int FROM inspector.open_findings_by_resource_type", as: Int.self) { try $0.decode(Int.self) }.first
                #expect(byType == after.openArns.count)

                // Coverage problems equal the covered resources the API says are not ACTIVE.
                let truthProblems = try await harness.coverageTruth().filter { !$0.hasSuffix("|ACTIVE") }.count
                let problems = try await rows(db, "SELECT coalesce(sum(resources), 0)::int FROM inspector.coverage_problems", as: Int.self) { try $0.decode(Int.self) }.first
                #expect(problems == truthProblems)

                // Point in time: what was open before the drift, rebuilt from the feed.
                let openThen = Set(try await db.query("SELECT finding_arn FROM inspector.open_at(\(pointInTime))").collect().map { try $0.decode(String.self) })
                #expect(openThen == before.openArns)
                #expect(openThen != after.openArns)

                // Remediation: every finding the drift closed has a remediation time ending at the drift.
                let closedByDrift = try await rows(db, """
                    SELECT count(*)::int FROM inspector.finding_remediation r
                    JOIN inspector.finding_events e ON e.finding_arn = r.finding_arn AND e.event_type = 'finding.closed'
                    WHERE r.closed_at = e.occurred_at AND r.time_to_remediate > interval '0'
                    """, as: Int.self) { try $0.decode(Int.self) }.first ?? 0
                let closedEvents = try await rows(db, "SELECT count(*)::int FROM inspector.finding_events WHERE event_type = 'finding.closed'", as: Int.self) { try $0.decode(Int.self) }.first ?? -1
                #expect(closedByDrift == closedEvents && closedEvents > 0)
                let mttrClosed = try await rows(db, "SELECT coalesce(sum(closed), 0)::int FROM inspector.mttr('-infinity', 'infinity')", as: Int.self) { try $0.decode(Int.self) }.first
                let allClosed = try await rows(db, "SELECT count(*)::int FROM inspector.findings WHERE status = 'CLOSED' AND first_observed_at IS NOT NULL", as: Int.self) { try $0.decode(Int.self) }.first
                #expect(mttrClosed == allClosed)
                let trend = try await rows(db, "SELECT count(*)::int FROM inspector.open_trend(3)", as: Int.self) { try $0.decode(Int.self) }.first ?? 0
                #expect(trend > 0)
            }
        }
    }
}
