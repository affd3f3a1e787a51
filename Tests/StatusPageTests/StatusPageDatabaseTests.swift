import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

/// What the database holds after a real sync, read with SQL of the test's own (not the page's query).
struct ExpectedStatus {
    var openByAccountSeverity: [String: Int] = [:]    // "account-SEVERITY" -> count
    var openBySeverity: [String: Int] = [:]
    var syncRows: [String: (failures: Int, watermark: String)] = [:]   // "account-region-job"
    var trend: [String: [Int]] = [:]
    var recentEventIds: [String] = []
    var webhooks: [String: (pending: Int, retrying: Int, dead: Int)] = [:]

    static func read(_ db: PostgresClient) async throws -> ExpectedStatus {
        var expected = ExpectedStatus()
        for try await (account, severity, count) in try await db.query(
            "SELECT account_id, severity, count(*)::int FROM inspector.findings WHERE status = 'ACTIVE' AND removed_at IS NULL GROUP BY 1, 2"
        ).decode((String, String, Int).self) {
            expected.openByAccountSeverity["\(account)-\(severity)"] = count
            expected.openBySeverity[severity, default: 0] += count
        }
        for try await (account, region, job, failures, watermark) in try await db.query(
            """
            SELECT account_id, region, job, consecutive_failures,
                   coalesce(to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '-') FROM inspector.sync_state
            """
        ).decode((String, String, String, Int, String).self) {
            expected.syncRows["\(account)-\(region)-\(job)"] = (failures, watermark)
        }
        var days: [String] = []
        for try await day in try await db.query(
            "SELECT to_char(d, 'YYYY-MM-DD') FROM generate_series(current_date - 29, current_date, interval '1 day') d ORDER BY d"
        ).decode(String.self) { days.append(day) }
        for try await (day, severity, count) in try await db.query(
            "SELECT to_char(day, 'YYYY-MM-DD'), severity, open_findings::int FROM inspector.open_trend(30)"
        ).decode((String, String, Int).self) {
            expected.trend[severity, default: Array(repeating: 0, count: days.count)][days.firstIndex(of: day)!] = count
        }
        for try await id in try await db.query("SELECT id FROM inspector.finding_events ORDER BY id DESC LIMIT 20").decode(Int64.self) {
            expected.recentEventIds.append("event-\(id)")
        }
        for try await (name, pending, retrying, dead) in try await db.query(
            """
            SELECT e.name,
                   (SELECT count(*)::int FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state IN ('pending', 'delivering')),
                   (SELECT count(*)::int FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state IN ('pending', 'delivering') AND d.attempts > 0),
                   (SELECT count(*)::int FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state = 'dead')
            FROM inspector.webhook_endpoints e
            """
        ).decode((String, Int, Int, Int).self) {
            expected.webhooks[name] = (pending, retrying, dead)
        }
        return expected
    }

    /// Every number of the page equals the database's; returns the mismatches.
    func mismatches(in page: PageText) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ what: String, _ actual: T?, _ expected: T) {
            if actual != expected { problems.append("\(what): page \(actual.map { "\($0)" } ?? "missing"), database \(expected)") }
        }
        for (key, count) in openByAccountSeverity { check("open \(key)", page.int(id: "open-\(key)"), count) }
        for (severity, count) in openBySeverity { check("open total \(severity)", page.int(id: "open-total-\(severity)"), count) }
        check("open total", page.int(id: "open-total"), openBySeverity.values.reduce(0, +))
        check("sync rows", Set(page.ids(prefix: "sync-").filter { !$0.hasSuffix("-watermark") && !$0.hasSuffix("-failures") }), Set(syncRows.keys.map { "sync-\($0)" }))
        for (key, row) in syncRows {
            check("failures \(key)", page.int(id: "sync-\(key)-failures"), row.failures)
            check("watermark \(key)", page.text(id: "sync-\(key)-watermark"), row.watermark)
        }
        for (severity, values) in trend { check("trend \(severity)", page.trendValues(severity), values) }
        check("recent events", page.ids(prefix: "event-"), recentEventIds)
        for (name, counts) in webhooks {
            check("webhook \(name) pending", page.int(id: "webhook-\(name)-pending"), counts.pending)
            check("webhook \(name) retrying", page.int(id: "webhook-\(name)-retrying"), counts.retrying)
            check("webhook \(name) dead", page.int(id: "webhook-\(name)-dead"), counts.dead)
        }
        check("webhook backlog", page.int(id: "webhook-backlog"), webhooks.values.map(\.pending).reduce(0, +))
        check("dead deliveries", page.int(id: "webhook-dead"), webhooks.values.map(\.dead).reduce(0, +))
        return problems
    }

    /// The data is rich enough for the comparison to mean something.
    var isSubstantial: Bool {
        openByAccountSeverity.count >= 4 && syncRows.count >= 8 && recentEventIds.count == 20
            && (webhooks.values.first.map { $0.pending > 0 && $0.retrying > 0 && $0.dead > 0 } ?? false)
            && trend.values.contains { $0.last ?? 0 > 0 }
    }
}

@Suite(.serialized) struct StatusPageDatabaseTests {
    @Test func theServedPageShowsWhatTheDatabaseHolds() async throws {
        try await StatusFixture.withSyncedStatusServer(seed: 71) { port, db in
            let expected = try await ExpectedStatus.read(db)
            #expect(expected.isSubstantial, "the sync should have filled every section")

            let response = try await StatusFixture.get("http://127.0.0.1:\(port)/")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/html; charset=utf-8")
            #expect(response.headers["cache-control"] == "no-store")
            let csp = response.headers["content-security-policy"] ?? ""
            #expect(csp.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:"), "\(csp)")

            let page = PageText(html: response.body)
            let problems = expected.mismatches(in: page)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(page.text(id: "webhook-ops-pager")?.contains("127.0.0.1") == true, "the endpoint's host is shown")
            for secret in StatusFixture.urlSecrets + [StatusFixture.webhookSecret, "/hook"] {
                #expect(!response.body.contains(secret), "the page leaks \(secret)")
            }
        }
    }
}
