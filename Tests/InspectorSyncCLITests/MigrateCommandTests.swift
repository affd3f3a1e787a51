import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

/// `inspector-sync migrate`, run as the user runs it: the built binary against a real database.
@Suite struct MigrateCommandTests {
    @Test func statusThenMigrateThenStatusTellTheTruth() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let url = try await TestDatabase.create(migrated: false)
        let env = ["INSPECTOR_SYNC_DATABASE_URL": "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"]
        let count = EmbeddedMigrations.all.count

        let before = try await cli.run(["migrate", "--status"], environment: env)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("0 applied, \(count) pending"))
        #expect(before.stdout.contains(EmbeddedMigrations.all[0].fileName))

        let migrate = try await cli.run(["migrate"], environment: env)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("applied \(EmbeddedMigrations.all[0].fileName)"))

        let again = try await cli.run(["migrate"], environment: env)
        #expect(again.status == 0)
        #expect(again.stdout.contains("up to date"))

        let after = try await cli.run(["migrate", "--status"], environment: env)
        #expect(after.stdout.contains("\(count) applied, 0 pending"))
        try await TestDatabase.drop(url)
    }

    @Test func unreachableDatabaseIsAClearErrorWithoutThePassword() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let result = try await cli.run(
            ["migrate", "--status"],
            environment: ["INSPECTOR_SYNC_DATABASE_URL": "postgres://someone:s3cretpass@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2"]
        )
        #expect(result.status == 69)
        #expect(result.stderr.contains("127.0.0.1:1"))
        #expect(!result.stderr.contains("s3cretpass"))
        #expect(!result.stdout.contains("s3cretpass"))
    }

    @Test func missingDatabaseIsAConfigurationError() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let result = try await cli.run(["migrate", "--config", "/nonexistent/inspector-sync.toml"], removing: ["INSPECTOR_SYNC_DATABASE_URL"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/inspector-sync.toml"))
    }
}
