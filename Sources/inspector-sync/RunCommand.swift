import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import InspectorSyncService
import Logging
import PostgresNIO
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the sync daemon until SIGTERM or SIGINT.",
        discussion: """
        Waits for PostgreSQL (retrying with back-off), refuses to start with migrations pending unless
        [database] auto_migrate = true, then repeats each target's jobs at [sync] interval with at most
        [sync] max_concurrent_targets at once. SIGTERM/SIGINT stop claiming work; jobs in flight finish
        their page and release their leases within [shutdown] grace_period; the exit code is then 0.

        Example:
          inspector-sync run --config /etc/inspector-sync/config.toml
        """
    )

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let configuration = try config.load()
        let url = try configuration.databaseURL()
        let logger = configuration.makeLogger(label: "inspector-sync")

        try await waitForDatabase(url, logger: logger)
        do {
            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                try await MigrationGate(database: client, autoMigrate: configuration.database.autoMigrate, logger: logger).check()
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode(ExitCodes.dataError)
        }
        var clientConfiguration = try url.clientConfiguration()
        clientConfiguration.options.maximumConnections = configuration.database.maxConnections
        let database = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let scheduler = SyncScheduler(
            configuration: configuration, database: database, environment: ProcessInfo.processInfo.environment, logger: logger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: database),
                .init(service: scheduler),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdown.gracePeriod
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// PostgreSQL may start after us (boot order, a restart): wait with back-off instead of failing.
    func waitForDatabase(_ url: DatabaseURL, logger: Logger) async throws {
        var delay = Duration.seconds(1)
        while true {
            do {
                let version = try await DatabaseProbe.check(url, logger: logger)
                logger.info("database reachable", metadata: ["db.version": "\(version)"])
                return
            } catch let error as StoreError where error.code == .databaseUnavailable {
                logger.warning("waiting for the database", metadata: ["error": "\(error)", "retry_in_s": "\(delay.components.seconds)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }
}
