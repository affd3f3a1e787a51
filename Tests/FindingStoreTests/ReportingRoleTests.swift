import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

/// deploy/roles.sql: the reporting role reads every view and the mirrored data, and nothing internal.
@Suite struct ReportingRoleTests {
    static let readable = [
        "findings", "finding_events", "coverage", "accounts", "finding_packages", "open_findings", "finding_counts",
        "open_findings_by_resource_type", "top_vulnerabilities", "finding_remediation", "sla_breaches", "coverage_problems",
    ]
    static let bookkeeping = ["sync_state", "sweep_seen", "schema_migrations"]

    @Test func reportingRoleReadsViewsButNotBookkeeping() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = try String(contentsOf: root.appendingPathComponent("deploy/roles.sql"), encoding: .utf8)
        let logger = TestDatabase.logger
        try await TestDatabase.withFreshDatabase { client, _ in
            try await client.withConnection { connection in
                // The script holds several statements; PL/pgSQL's EXECUTE runs them as one, as the migrations do.
                try await connection.query(
                    "CREATE OR REPLACE FUNCTION pg_temp.run_script(script text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE script; END $$",
                    logger: logger
                )
                try await connection.query("SELECT pg_temp.run_script(\(script))", logger: logger)
                try await connection.query("SET ROLE inspector_reporting", logger: logger)
                for name in Self.readable {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM inspector.\(name)"), logger: logger).collect()
                }
                _ = try await connection.query("SELECT * FROM inspector.open_trend(2)", logger: logger).collect()
                for name in Self.bookkeeping {
                    await #expect(throws: PSQLError.self, "\(name) must not be readable") {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM inspector.\(name)"), logger: logger).collect()
                    }
                }
                try await connection.query("RESET ROLE", logger: logger)
            }
        }
    }
}
