import FindingStore
import Foundation
import Logging
import PostgresNIO

/// Reads a `StatusSnapshot` from the database: fixed read-only SQL over the mirrored tables, the
/// reporting functions and the webhook outbox, all in one REPEATABLE READ snapshot so that the page's
/// numbers agree with each other.
public enum StatusPageQuery {
    /// How many of the latest events the page lists.
    public static let recentEventCount = 20
    public static let trendDays = 30

    public static func load(from client: PostgresClient, logger: Logger) async throws -> StatusSnapshot {
        try await client.withConnection { connection in
            _ = try await connection.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            do {
                // A slow trend must not hold a pooled connection forever.
                _ = try await connection.query("SET LOCAL statement_timeout = '15s'", logger: logger)
                let snapshot = try await read(connection, logger: logger)
                _ = try await connection.query("COMMIT", logger: logger)
                return snapshot
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    static func read(_ connection: PostgresConnection, logger: Logger) async throws -> StatusSnapshot {
        let now = try await connection.query("SELECT now()", logger: logger).collect().first?.decode(Date.self) ?? Date()
        var snapshot = StatusSnapshot(generatedAt: now)
        snapshot.targets = try await targets(connection, logger: logger)
        snapshot.openByAccount = try await openByAccount(connection, logger: logger)
        snapshot.trend = try await trend(connection, logger: logger)
        snapshot.recentEvents = try await recentEvents(connection, logger: logger)
        snapshot.webhooks = try await webhooks(connection, logger: logger)
        return snapshot
    }

    static func targets(_ connection: PostgresConnection, logger: Logger) async throws -> [StatusSnapshot.TargetHealth] {
        let rows = try await connection.query(
            """
            SELECT account_id, region, job, watermark, last_success_at, consecutive_failures, left(last_error, 200),
                   CASE WHEN lease_expires_at > now() THEN 'running' WHEN next_run_at > now() THEN 'waiting' ELSE 'due' END
            FROM inspector.sync_state ORDER BY account_id, region, job
            """,
            logger: logger
        )
        var result: [StatusSnapshot.TargetHealth] = []
        for try await (account, region, job, watermark, success, failures, error, state) in rows.decode(
            (String, String, String, Date?, Date?, Int, String?, String).self
        ) {
            result.append(.init(account: account, region: region, job: job, watermark: watermark, lastSuccessAt: success,
                                consecutiveFailures: failures, lastError: error, state: state))
        }
        return result
    }

    static func openByAccount(_ connection: PostgresConnection, logger: Logger) async throws -> [StatusSnapshot.AccountOpenFindings] {
        let rows = try await connection.query(
            "SELECT account_id, severity, sum(findings)::int FROM inspector.finding_counts WHERE status = 'ACTIVE' GROUP BY 1, 2 ORDER BY 1, 2",
            logger: logger
        )
        var result: [StatusSnapshot.AccountOpenFindings] = []
        for try await (account, severity, count) in rows.decode((String, String, Int).self) {
            if result.last?.account != account { result.append(.init(account: account, counts: [:])) }
            result[result.count - 1].counts[severity] = count
        }
        return result
    }

    static func trend(_ connection: PostgresConnection, logger: Logger) async throws -> StatusSnapshot.Trend {
        // The same days as inspector.open_trend: the last `trendDays` ending today.
        let days = try await connection.query(
            "SELECT to_char(d, 'YYYY-MM-DD') FROM generate_series(current_date - \(unescaped: String(trendDays - 1)), current_date, interval '1 day') d ORDER BY d",
            logger: logger
        ).collect().map { try $0.decode(String.self) }
        let index = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
        var series: [String: [Int]] = [:]
        let rows = try await connection.query(
            "SELECT to_char(day, 'YYYY-MM-DD'), severity, open_findings::int FROM inspector.open_trend(\(unescaped: String(trendDays)))", logger: logger
        )
        for try await (day, severity, count) in rows.decode((String, String, Int).self) {
            guard let position = index[day] else { continue }
            series[severity, default: Array(repeating: 0, count: days.count)][position] = count
        }
        return .init(days: days, series: series)
    }

    static func recentEvents(_ connection: PostgresConnection, logger: Logger) async throws -> [StatusSnapshot.RecentEvent] {
        let rows = try await connection.query(
            """
            SELECT e.id, e.event_type, e.occurred_at, e.account_id, e.region, e.old_severity, e.new_severity,
                   coalesce(f.title, e.resource_id, e.finding_arn)
            FROM inspector.finding_events e LEFT JOIN inspector.findings f ON f.finding_arn = e.finding_arn
            ORDER BY e.id DESC LIMIT \(unescaped: String(recentEventCount))
            """,
            logger: logger
        )
        var result: [StatusSnapshot.RecentEvent] = []
        for try await (id, type, occurred, account, region, old, new, subject) in rows.decode(
            (Int64, String, Date, String, String, String?, String?, String).self
        ) {
            result.append(.init(id: id, type: type, occurredAt: occurred, account: account, region: region, oldSeverity: old, newSeverity: new, subject: subject))
        }
        return result
    }

    /// Endpoints with their backlog; also the source of the webhook gauges on `/metrics`.
    public static func webhooks(_ connection: PostgresConnection, logger: Logger) async throws -> [StatusSnapshot.WebhookHealth] {
        let rows = try await connection.query(
            """
            SELECT e.name, e.url, e.format, e.enabled, e.in_config, e.disabled_reason, e.last_success_at, e.first_failure_at,
                   count(d.id) FILTER (WHERE d.state IN ('pending', 'delivering'))::int,
                   count(d.id) FILTER (WHERE d.state IN ('pending', 'delivering') AND d.attempts > 0)::int,
                   count(d.id) FILTER (WHERE d.state = 'dead')::int,
                   min(d.created_at) FILTER (WHERE d.state IN ('pending', 'delivering'))
            FROM inspector.webhook_endpoints e
            LEFT JOIN inspector.webhook_deliveries d ON d.endpoint = e.name AND d.state IN ('pending', 'delivering', 'dead')
            GROUP BY e.name ORDER BY e.name
            """,
            logger: logger
        )
        var result: [StatusSnapshot.WebhookHealth] = []
        for try await (name, url, format, enabled, inConfig, reason, success, failure, pending, retrying, dead, oldest) in rows.decode(
            (String, String, String, Bool, Bool, String?, Date?, Date?, Int, Int, Int, Date?).self
        ) {
            result.append(.init(name: name, host: host(of: url), format: format, enabled: enabled, inConfig: inConfig, disabledReason: reason,
                                lastSuccessAt: success, firstFailureAt: failure, pending: pending, retrying: retrying, dead: dead, oldestPendingAt: oldest))
        }
        return result
    }

    /// The host of a webhook URL and nothing else: a Slack or custom URL carries its token in the
    /// path, the query or the user info.
    public static func host(of url: String) -> String {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return "(invalid URL)" }
        return host
    }
}
