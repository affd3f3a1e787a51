import Foundation
import Logging
import PostgresNIO

/// Applies the numbered migrations to a database: each in its own transaction, in order, recorded with
/// its checksum in `inspector.schema_migrations`, under a session advisory lock so that replicas starting
/// together apply each file exactly once.
public struct MigrationRunner: Sendable {
    /// `hashtext('inspector-sync migrations')` would do, but a literal keeps the key greppable.
    static let advisoryLockKey: Int64 = 0x696E_7370_6D69_67 // "inspmig"

    public let client: PostgresClient
    public let migrations: [Migration]
    public let logger: Logger

    public init(client: PostgresClient, migrations: [Migration] = EmbeddedMigrations.all, logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// The state of every known and applied migration. Reads only; takes no lock.
    public func plan() async throws -> MigrationPlan {
        try await client.withConnection { connection in
            MigrationPlan(available: migrations, applied: try await appliedMigrations(on: connection))
        }
    }

    /// Applies every pending migration and returns those it applied (empty when already up to date).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await migrateLocked(on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                // The lock dies with the session anyway; unlocking here keeps a pooled connection clean.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func migrateLocked(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.query("CREATE SCHEMA IF NOT EXISTS inspector", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS inspector.schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                execution_ms integer NOT NULL
            )
            """,
            logger: logger
        )
        // Multi-statement files cannot go through the extended protocol, which postgres-nio always
        // uses; PL/pgSQL's EXECUTE runs a whole script, inside the caller's transaction.
        try await connection.query(
            """
            CREATE OR REPLACE FUNCTION pg_temp.inspector_sync_exec(script text) RETURNS void
            LANGUAGE plpgsql AS $$ BEGIN EXECUTE script; END $$
            """,
            logger: logger
        )
        let plan = MigrationPlan(available: migrations, applied: try await appliedMigrations(on: connection))
        try plan.validate()
        var applied: [Migration] = []
        for entry in plan.pending {
            guard let migration = migrations.first(where: { $0.version == entry.version }) else { continue }
            let started = ContinuousClock.now
            do {
                try await connection.inTransaction(logger: logger) { tx in
                    try await tx.query("SELECT pg_temp.inspector_sync_exec(\(migration.sql))", logger: logger)
                    let ms = Int((ContinuousClock.now - started) / .milliseconds(1))
                    try await tx.query(
                        """
                        INSERT INTO inspector.schema_migrations (version, name, checksum, execution_ms)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(ms))
                        """,
                        logger: logger
                    )
                }
            } catch let error as PSQLError {
                let reason = error.serverInfo?[.message] ?? "\(error.code)"
                throw StoreError(.migrationFailed, "migration \(migration.fileName) failed and was rolled back: \(reason)")
            }
            logger.info("applied migration", metadata: ["migration.file": "\(migration.fileName)"])
            applied.append(migration)
        }
        return applied
    }

    private func appliedMigrations(on connection: PostgresConnection) async throws -> [AppliedMigration] {
        let exists = try await connection.query(
            "SELECT to_regclass('inspector.schema_migrations') IS NOT NULL",
            logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        var result: [AppliedMigration] = []
        let rows = try await connection.query(
            "SELECT version, name, checksum, applied_at FROM inspector.schema_migrations ORDER BY version",
            logger: logger
        )
        for try await (version, name, checksum, appliedAt) in rows.decode((Int, String, String, Date).self) {
            result.append(AppliedMigration(version: version, name: name, checksum: checksum, appliedAt: appliedAt))
        }
        return result
    }
}
