import FindingStore
import Foundation
import InspectorSyncConfig
import PostgresNIO
import PostgresTestSupport
import Testing
@testable import WebhookDelivery

/// The transaction that records events creates their deliveries, one per enabled endpoint whose
/// filters select the event, and nothing else.
@Suite struct OutboxTests {
    @Test func deliveriesFollowTheFilters() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let all = WebhookTest.webhook("all", port: 9)
            var high = WebhookTest.webhook("high-findings", port: 9)
            high.events = ["finding.*"]
            high.minSeverity = .high
            high.accounts = ["111111111111"]
            var closed = WebhookTest.webhook("closed-eu", port: 9)
            closed.events = ["finding.closed", "coverage.added"]
            closed.regions = ["eu-west-1"]
            var lambda = WebhookTest.webhook("lambda", port: 9)
            lambda.resourceTypes = ["AWS_LAMBDA_FUNCTION"]
            var off = WebhookTest.webhook("off", port: 9)
            off.enabled = false
            let webhooks = [all, high, closed, lambda, off]
            try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync(webhooks)

            let events: [ChangeEventRecord] = [
                WebhookTest.findingEvent(.findingCreated, n: 1, severity: "CRITICAL"),                                   // all, high
                WebhookTest.findingEvent(.findingCreated, n: 2, severity: "MEDIUM"),                                     // all
                WebhookTest.findingEvent(.findingSeverityChanged, n: 3, severity: "LOW", oldSeverity: "HIGH"),           // all, high (was high)
                WebhookTest.findingEvent(.findingCreated, n: 4, account: "222222222222", severity: "CRITICAL"),          // all
                WebhookTest.findingEvent(.findingClosed, n: 5, region: "eu-west-1", severity: "LOW"),                    // all, closed-eu
                WebhookTest.findingEvent(.findingCreated, n: 6, severity: "UNTRIAGED", resourceType: "AWS_LAMBDA_FUNCTION"), // all, lambda
                ChangeEventRecord(type: .coverageAdded, resourceId: "i-9", resourceType: "AWS_EC2_INSTANCE", scanType: "PACKAGE",
                                  accountId: "111111111111", region: "eu-west-1", occurredAt: Date()),                   // all, closed-eu
            ]
            let ids = try await WebhookTest.append(events, db: db)
            let rows = try await db.query("SELECT event_id, endpoint FROM inspector.webhook_deliveries ORDER BY event_id, endpoint").collect()
            var got: [String] = []
            for row in rows {
                let (id, endpoint) = try row.decode((Int64, String).self)
                got.append("\(ids.firstIndex(of: id)! + 1) \(endpoint)")
            }
            #expect(got == [
                "1 all", "1 high-findings", "2 all", "3 all", "3 high-findings", "4 all", "5 all", "5 closed-eu",
                "6 all", "6 lambda", "7 all", "7 closed-eu",
            ])
            // The same rule in Swift, written independently, agrees.
            for (index, event) in events.enumerated() {
                let expected = webhooks.filter { Self.selects($0, event) }.map { "\(index + 1) \($0.name)" }.sorted()
                #expect(got.filter { $0.hasPrefix("\(index + 1) ") } == expected)
            }
            // Fresh deliveries: pending, due now, a webhook-id each.
            #expect(try await WebhookTest.count(db, "state = 'pending' AND attempts = 0 AND webhook_id LIKE 'msg_%' AND next_attempt_at <= now()") == 12)
        }
    }

    /// Outbox atomicity: a rolled-back transaction leaves neither events nor deliveries.
    @Test func rollbackLeavesNoDeliveries() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([WebhookTest.webhook("all", port: 9)])
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await db.withConnection { connection in
                    try await connection.inTransaction(logger: WebhookTest.logger) { tx in
                        try await ChangeEventWriter.append([WebhookTest.findingEvent(.findingCreated, n: 1)], on: tx, logger: WebhookTest.logger)
                        let inside = try await tx.query("SELECT count(*)::int FROM inspector.webhook_deliveries", logger: WebhookTest.logger).collect()[0].decode(Int.self)
                        #expect(inside == 1)
                        throw Boom()
                    }
                }
            }
            #expect(try await WebhookTest.count(db, "true") == 0)
            #expect(try await db.query("SELECT count(*)::int FROM inspector.finding_events").collect()[0].decode(Int.self) == 0)
        }
    }

    /// Endpoints leave the config: they stay (history) but get nothing; a new URL clears an automatic disable.
    @Test func endpointSync() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let store = WebhookEndpointStore(client: db, logger: WebhookTest.logger)
            try await store.sync([WebhookTest.webhook("a", port: 9), WebhookTest.webhook("b", port: 9)])
            try await db.query("UPDATE inspector.webhook_endpoints SET disabled_at = now(), disabled_reason = 'HTTP 410' WHERE name = 'a'")
            try await store.sync([WebhookTest.webhook("a", port: 9)])
            var list = try await store.list()
            #expect(list.map(\.name) == ["a", "b"])
            #expect(list[0].disabledAt != nil)
            #expect(list[1].enabled == false && list[1].inConfig == false)
            try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)
            #expect(try await WebhookTest.count(db, "true") == 0)
            try await store.sync([WebhookTest.webhook("a", port: 10)])
            list = try await store.list()
            #expect(list[0].disabledAt == nil)
            #expect(list[0].url == "http://127.0.0.1:10/…")
        }
    }

    static func rank(_ s: String?) -> Int? {
        ["INFORMATIONAL": 1, "LOW": 2, "MEDIUM": 3, "UNTRIAGED": 3, "HIGH": 4, "CRITICAL": 5][s ?? ""]
    }

    static func selects(_ w: InspectorSyncConfiguration.Webhook, _ e: ChangeEventRecord) -> Bool {
        guard w.enabled, w.accepts(eventType: e.type.rawValue) else { return false }
        if !w.accounts.isEmpty && !w.accounts.contains(e.accountId) { return false }
        if !w.regions.isEmpty && !w.regions.contains(e.region) { return false }
        if !w.resourceTypes.isEmpty && !w.resourceTypes.contains(e.resourceType ?? "") { return false }
        if let min = w.minSeverity, e.oldSeverity != nil || e.newSeverity != nil {
            let r = [rank(e.oldSeverity), rank(e.newSeverity)].compactMap { $0 }.max() ?? 99
            if r < rank(min.rawValue)! { return false }
        }
        return true
    }
}
