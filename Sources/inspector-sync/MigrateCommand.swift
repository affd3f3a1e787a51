import ArgumentParser
import FindingStore
import Foundation
import Logging
import PostgresNIO

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations (or list them with --status).",
        discussion: """
        Each migration runs in its own transaction, in order, under an advisory lock, so replicas that
        start together apply every file once. An applied migration whose file changed is refused.

        Examples:
          inspector-sync migrate
          inspector-sync migrate --status
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "List applied and pending migrations without changing anything.")
    var status = false

    func run() async throws {
        let url = try database.resolve()
        var logger = Logger(label: "inspector-sync.migrate")
        logger.logLevel = .warning
        do {
            try await DatabaseProbe.check(url, logger: logger)
            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                let runner = MigrationRunner(client: client, logger: logger)
                if status {
                    print(MigrationStatusReport(plan: try await runner.plan()).text, terminator: "")
                } else {
                    let applied = try await runner.migrate()
                    if applied.isEmpty {
                        print("schema is up to date (\(runner.migrations.count) migration(s) applied)")
                    } else {
                        for migration in applied { print("applied \(migration.fileName)") }
                    }
                }
            }
        } catch let error as StoreError where error.code == .databaseUnavailable {
            FileHandle.standardError.write(Data("inspector-sync: \(error)\n".utf8))
            throw ExitCode(69)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("inspector-sync: \(error)\n".utf8))
            throw ExitCode(65)
        } catch let error as PSQLError {
            FileHandle.standardError.write(Data("inspector-sync: database \(url): \(error.redactedSummary)\n".utf8))
            throw ExitCode(69)
        }
    }
}
