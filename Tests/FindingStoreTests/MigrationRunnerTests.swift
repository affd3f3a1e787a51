import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

@Suite struct MigrationRunnerTests {
    let logger = TestDatabase.logger

    @Test func appliesFromEmptyThenIsANoOp() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { client, _ in
            let runner = MigrationRunner(client: client, logger: logger)
            let first = try await runner.migrate()
            #expect(first.map(\.version) == EmbeddedMigrations.all.map(\.version))
            let second = try await runner.migrate()
            #expect(second.isEmpty)

            let tables = try await client.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'inspector' ORDER BY 1"
            ).collect().map { try $0.decode(String.self) }
            for table in ["findings", "finding_events", "sync_state", "coverage", "accounts", "finding_packages", "schema_migrations"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            let recorded = try await client.query("SELECT count(*) FROM inspector.schema_migrations").collect()[0].decode(Int.self)
            #expect(recorded == EmbeddedMigrations.all.count)
        }
    }

    @Test func concurrentRunsApplyEachFileOnce() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { _, url in
            // Separate clients (separate sessions), as two replicas starting together would be.
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) {
                            try await MigrationRunner(client: $0, logger: logger).migrate().count
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Exactly one runner applied everything; the others found nothing left to do.
            #expect(applied.sorted() == [0, 0, 0, EmbeddedMigrations.all.count])
            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                let rows = try await client.query("SELECT version, count(*) FROM inspector.schema_migrations GROUP BY version")
                    .collect().map { try $0.decode((Int, Int).self) }
                #expect(rows.count == EmbeddedMigrations.all.count)
                #expect(rows.allSatisfy { $0.1 == 1 })
            }
        }
    }

    @Test func tamperedMigrationIsRefusedWithItsFileName() async throws {
        try await TestDatabase.withFreshDatabase(migrated: true) { client, _ in
            var tampered = EmbeddedMigrations.all
            tampered[0].sql += "\n-- an edit after release\n"
            let runner = MigrationRunner(client: client, migrations: tampered, logger: logger)
            await #expect {
                try await runner.migrate()
            } throws: { error in
                let storeError = error as? StoreError
                return storeError?.code == .migrationChanged && storeError!.message.contains(tampered[0].fileName)
            }
            let plan = try await runner.plan()
            #expect(plan.entries[0].state == .changed(appliedChecksum: EmbeddedMigrations.all[0].checksum))
        }
    }

    @Test func statusListsTheTruth() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { client, _ in
            let extra = [
                Migration(version: 9001, name: "first_extra", sql: "CREATE TABLE inspector.extra_one (x int);"),
                Migration(version: 9002, name: "second_extra", sql: "CREATE TABLE inspector.extra_two (x int); INSERT INTO inspector.extra_two VALUES (1);"),
            ]
            let all = EmbeddedMigrations.all + extra
            let before = try await MigrationRunner(client: client, migrations: all, logger: logger).plan()
            #expect(before.pending.count == all.count)

            try await MigrationRunner(client: client, migrations: EmbeddedMigrations.all + [extra[0]], logger: logger).migrate()
            let middle = try await MigrationRunner(client: client, migrations: all, logger: logger).plan()
            #expect(middle.pending.map(\.version) == [9002])
            #expect(MigrationStatusReport(plan: middle).text.contains("\(all.count - 1) applied, 1 pending"))

            try await MigrationRunner(client: client, migrations: all, logger: logger).migrate()
            let after = try await MigrationRunner(client: client, migrations: all, logger: logger).plan()
            #expect(after.pending.isEmpty)
            let value = try await client.query("SELECT x FROM inspector.extra_two").collect()[0].decode(Int.self)
            #expect(value == 1)
        }
    }

    @Test func failingMigrationIsRolledBackAndNotRecorded() async throws {
        try await TestDatabase.withFreshDatabase(migrated: true) { client, _ in
            let broken = Migration(version: 9100, name: "broken", sql: "CREATE TABLE inspector.half_done (x int);\nSELECT no_such_function();")
            let runner = MigrationRunner(client: client, migrations: EmbeddedMigrations.all + [broken], logger: logger)
            await #expect {
                try await runner.migrate()
            } throws: { error in
                (error as? StoreError)?.code == .migrationFailed && "\(error)".contains("9100_broken.sql")
            }
            let halfDone = try await client.query("SELECT to_regclass('inspector.half_done') IS NULL").collect()[0].decode(Bool.self)
            #expect(halfDone, "the failed migration's first statement must be rolled back")
            let plan = try await runner.plan()
            #expect(plan.pending.map(\.version) == [9100])
        }
    }
}
