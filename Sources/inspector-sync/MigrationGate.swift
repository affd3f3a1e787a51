import FindingStore
import Logging
import PostgresNIO

/// Refuses to start with pending migrations, or applies them with `auto_migrate`.
struct MigrationGate {
    let database: PostgresClient
    let autoMigrate: Bool
    let logger: Logger

    func check() async throws {
        let runner = MigrationRunner(client: database, logger: logger)
        let pending = try await runner.plan().pending
        guard !pending.isEmpty else { return }
        guard autoMigrate else {
            throw StoreError(.migrationSourceInvalid, "\(pending.count) migration(s) pending: run `inspector-sync migrate` first (or set [database] auto_migrate = true)")
        }
        try await runner.migrate()
    }
}
