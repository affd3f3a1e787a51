import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO

/// `inspector.webhook_endpoints`: the config's `[[webhooks]]` (without secrets), their health and
/// the CLI's views of endpoints and deliveries.
public struct WebhookEndpointStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Upserts every endpoint of the config and disables the ones no longer in it. Call it before the
    /// first sync of a process: only endpoints in the table get deliveries. A changed URL clears an
    /// automatic disable (the receiver moved); otherwise a disabled endpoint stays disabled.
    public func sync(_ webhooks: [InspectorSyncConfiguration.Webhook]) async throws {
        try await client.withConnection { connection in
            try await connection.inTransaction(logger: logger) { tx in
                for webhook in webhooks {
                    let url = Self.redacted(webhook.url)
                    let rank = webhook.minSeverity.map(Self.rank)
                    try await tx.query(
                        """
                        INSERT INTO inspector.webhook_endpoints
                            (name, url, format, event_types, min_severity_rank, accounts, regions, resource_types, enabled, in_config)
                        VALUES (\(webhook.name), \(url), \(webhook.format.rawValue), \(webhook.events), \(rank),
                                \(webhook.accounts), \(webhook.regions), \(webhook.resourceTypes), \(webhook.enabled), true)
                        ON CONFLICT (name) DO UPDATE SET
                            url = EXCLUDED.url, format = EXCLUDED.format, event_types = EXCLUDED.event_types,
                            min_severity_rank = EXCLUDED.min_severity_rank, accounts = EXCLUDED.accounts,
                            regions = EXCLUDED.regions, resource_types = EXCLUDED.resource_types,
                            enabled = EXCLUDED.enabled, in_config = true, updated_at = now(),
                            disabled_at = CASE WHEN webhook_endpoints.url = EXCLUDED.url THEN webhook_endpoints.disabled_at END,
                            disabled_reason = CASE WHEN webhook_endpoints.url = EXCLUDED.url THEN webhook_endpoints.disabled_reason END,
                            first_failure_at = CASE WHEN webhook_endpoints.url = EXCLUDED.url THEN webhook_endpoints.first_failure_at END
                        """,
                        logger: logger
                    )
                }
                let names = webhooks.map(\.name)
                try await tx.query(
                    """
                    UPDATE inspector.webhook_endpoints SET enabled = false, in_config = false, updated_at = now()
                    WHERE in_config AND NOT (name = ANY (\(names)))
                    """,
                    logger: logger
                )
            }
        }
    }

    /// Clears an automatic disable (after fixing the receiver).
    @discardableResult
    public func enable(_ name: String) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE inspector.webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, first_failure_at = NULL
            WHERE name = \(name) RETURNING name
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    /// Same order as `inspector.severity_rank`.
    static func rank(_ severity: InspectorSyncConfiguration.Severity) -> Int {
        switch severity {
        case .informational: return 1
        case .low: return 2
        case .medium, .untriaged: return 3
        case .high: return 4
        case .critical: return 5
        }
    }

    /// The origin only: a Slack or custom URL may carry a token in its path or query.
    public static func redacted(_ url: URL) -> String {
        var text = "\(url.scheme ?? "https")://\(url.host ?? "")"
        if let port = url.port { text += ":\(port)" }
        let rest = url.path + (url.query.map { "?\($0)" } ?? "")
        return rest.isEmpty || rest == "/" ? text + "/" : text + "/…"
    }

    // MARK: Views for the CLI

    public struct EndpointHealth: Sendable {
        public var name: String
        public var url: String
        public var format: String
        public var enabled: Bool
        public var inConfig: Bool
        public var disabledAt: Date?
        public var disabledReason: String?
        public var lastSuccessAt: Date?
        public var firstFailureAt: Date?
        public var pending: Int
        public var failing: Int
        public var dead: Int
    }

    public func list() async throws -> [EndpointHealth] {
        let rows = try await client.query(
            """
            SELECT e.name, e.url, e.format, e.enabled, e.in_config, e.disabled_at, e.disabled_reason, e.last_success_at,
                   e.first_failure_at,
                   (SELECT count(*) FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state IN ('pending', 'delivering'))::int,
                   (SELECT count(*) FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state IN ('pending', 'delivering') AND d.attempts > 0)::int,
                   (SELECT count(*) FROM inspector.webhook_deliveries d WHERE d.endpoint = e.name AND d.state = 'dead')::int
            FROM inspector.webhook_endpoints e ORDER BY e.name
            """,
            logger: logger
        )
        var result: [EndpointHealth] = []
        for try await (name, url, format, enabled, inConfig, disabledAt, reason, success, failure, pending, failing, dead) in rows.decode(
            (String, String, String, Bool, Bool, Date?, String?, Date?, Date?, Int, Int, Int).self
        ) {
            result.append(EndpointHealth(
                name: name, url: url, format: format, enabled: enabled, inConfig: inConfig, disabledAt: disabledAt,
                disabledReason: reason, lastSuccessAt: success, firstFailureAt: failure, pending: pending, failing: failing, dead: dead
            ))
        }
        return result
    }

    public struct DeliveryRow: Sendable {
        public var id: Int64
        public var eventId: Int64
        public var eventType: String
        public var endpoint: String
        public var webhookId: String
        public var state: String
        public var attempts: Int
        public var nextAttemptAt: Date
        public var lastStatusCode: Int?
        public var lastError: String?
        public var createdAt: Date
        public var deliveredAt: Date?
    }

    /// Deliveries, newest first; `failed`: dead ones and pending ones that have failed at least once.
    public func deliveries(failed: Bool, endpoint: String?, limit: Int) async throws -> [DeliveryRow] {
        let rows = try await client.query(
            """
            SELECT d.id, d.event_id, ev.event_type, d.endpoint, d.webhook_id, d.state, d.attempts, d.next_attempt_at,
                   d.last_status_code, d.last_error, d.created_at, d.delivered_at
            FROM inspector.webhook_deliveries d JOIN inspector.finding_events ev ON ev.id = d.event_id
            WHERE (NOT \(failed) OR d.state = 'dead' OR (d.state IN ('pending', 'delivering') AND d.attempts > 0))
              AND (\(endpoint)::text IS NULL OR d.endpoint = \(endpoint))
            ORDER BY d.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [DeliveryRow] = []
        for try await (id, eventId, type, endpoint, webhookId, state, attempts, next, status, error, created, delivered) in rows.decode(
            (Int64, Int64, String, String, String, String, Int, Date, Int?, String?, Date, Date?).self
        ) {
            result.append(DeliveryRow(
                id: id, eventId: eventId, eventType: type, endpoint: endpoint, webhookId: webhookId, state: state, attempts: attempts,
                nextAttemptAt: next, lastStatusCode: status, lastError: error, createdAt: created, deliveredAt: delivered
            ))
        }
        return result
    }

    /// Queues the given deliveries again (same `webhook-id`, schedule restarted). A delivery being
    /// posted right now is left alone. Returns the ids queued.
    public func redeliver(ids: [Int64]) async throws -> [Int64] {
        let rows = try await client.query(
            """
            UPDATE inspector.webhook_deliveries
            SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                delivered_at = NULL
            WHERE id = ANY (\(ids)) AND NOT (state = 'delivering' AND lease_expires_at > now())
            RETURNING id
            """,
            logger: logger
        )
        var queued: [Int64] = []
        for try await id in rows.decode(Int64.self) { queued.append(id) }
        return queued.sorted()
    }

    /// Queues every event since `since` that the endpoint's filters select and that it did not
    /// receive: failed and dead deliveries again, and deliveries never created (the endpoint was
    /// disabled or not configured yet). Returns how many were queued.
    public func redeliver(since: Date, endpoint: String, includeSucceeded: Bool = false) async throws -> Int {
        let rows = try await client.query(
            """
            WITH candidates AS (
                SELECT ev.id, coalesce(ev.finding_arn, ev.resource_id) AS subject FROM inspector.finding_events ev JOIN inspector.webhook_endpoints e ON e.name = \(endpoint)
                WHERE ev.recorded_at >= \(since)
                  AND inspector.webhook_filter_matches(e, ev.event_type, ev.account_id, ev.region, ev.resource_type,
                                                       ev.old_severity, ev.new_severity)
            ),
            upserted AS (
                INSERT INTO inspector.webhook_deliveries (event_id, endpoint, subject)
                SELECT id, \(endpoint), subject FROM candidates ORDER BY id
                ON CONFLICT (event_id, endpoint) DO UPDATE
                SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                    delivered_at = NULL
                WHERE (webhook_deliveries.state IN ('dead', 'cancelled', 'pending')
                       OR (\(includeSucceeded) AND webhook_deliveries.state = 'succeeded'))
                RETURNING id
            )
            SELECT count(*)::int FROM upserted
            """,
            logger: logger
        )
        var count = 0
        for try await n in rows.decode(Int.self) { count = n }
        return count
    }
}
