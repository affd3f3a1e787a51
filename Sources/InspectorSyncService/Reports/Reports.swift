import FindingStore
import Foundation
import Logging
import PostgresNIO

/// The reports of `inspector-sync report` and the target table of `inspector-sync status`: fixed SQL
/// over the reporting views, every column as text.
public enum Reports {
    public enum Name: String, Sendable, CaseIterable {
        case summary, mttr, sla, coverage, trend
    }

    public static func query(_ name: Name, days: Int) -> PostgresQuery {
        switch name {
        case .summary:
            return """
                SELECT account_id, region, severity, status, findings::text FROM inspector.finding_counts
                ORDER BY account_id, region, array_position(ARRAY['CRITICAL','HIGH','MEDIUM','LOW','INFORMATIONAL','UNTRIAGED'], severity), status
                """
        case .mttr:
            return """
                SELECT severity, account_id, closed::text, justify_interval(date_trunc('second', median))::text,
                       justify_interval(date_trunc('second', p90))::text
                FROM inspector.mttr(now() - make_interval(days => \(days)), now())
                """
        case .sla:
            return """
                SELECT b.severity, b.state, count(*)::text, t.days::text, justify_interval(date_trunc('second', max(b.age)))::text
                FROM inspector.sla_breaches b JOIN inspector.sla_targets t USING (severity)
                GROUP BY b.severity, b.state, t.days ORDER BY b.severity, b.state
                """
        case .coverage:
            return """
                SELECT account_id, region, resource_type, scan_type, coalesce(scan_status_code, '-'), coalesce(scan_status_reason, '-'),
                       resources::text
                FROM inspector.coverage_problems ORDER BY resources DESC, account_id, region
                """
        case .trend:
            return "SELECT day::text, severity, open_findings::text FROM inspector.open_trend(\(days))"
        }
    }

    public static func columns(_ name: Name) -> [String] {
        switch name {
        case .summary: return ["account", "region", "severity", "status", "findings"]
        case .mttr: return ["severity", "account", "closed", "median", "p90"]
        case .sla: return ["severity", "state", "breaches", "target_days", "worst"]
        case .coverage: return ["account", "region", "resource_type", "scan_type", "status", "reason", "resources"]
        case .trend: return ["day", "severity", "open"]
        }
    }

    public static func run(_ name: Name, days: Int = 90, on client: PostgresClient, logger: Logger) async throws -> ReportTable {
        ReportTable(columns: columns(name), rows: try await textRows(query(name, days: days), client: client, logger: logger))
    }

    /// `inspector-sync status`: one row per job.
    public static func status(on client: PostgresClient, logger: Logger) async throws -> ReportTable {
        let query: PostgresQuery = """
            SELECT s.account_id, s.region, s.job, to_char(s.watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                   justify_interval(date_trunc('second', now() - s.last_success_at))::text,
                   s.consecutive_failures::text, coalesce(left(s.last_error, 120), ''),
                   CASE WHEN s.lease_expires_at > now() THEN 'running' WHEN s.next_run_at > now() THEN 'waiting' ELSE 'due' END,
                   CASE WHEN s.job = 'findings' THEN (
                       SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (
                           SELECT status, count(*) AS n FROM inspector.findings f
                           WHERE f.account_id = s.account_id AND f.region = s.region AND f.removed_at IS NULL GROUP BY status) c)
                   END
            FROM inspector.sync_state s ORDER BY s.account_id, s.region, s.job
            """
        let columns = ["account", "region", "job", "watermark_utc", "since_success", "failures", "last_error", "state", "findings"]
        return ReportTable(columns: columns, rows: try await textRows(query, client: client, logger: logger))
    }

    static func textRows(_ query: PostgresQuery, client: PostgresClient, logger: Logger) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await row in try await client.query(query, logger: logger) {
            rows.append(try row.map { try $0.decode(String?.self) })
        }
        return rows
    }
}
