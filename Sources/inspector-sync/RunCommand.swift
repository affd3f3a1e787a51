import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import InspectorSyncService
import Logging
import PostgresNIO
import Metrics
import Prometheus
import ServiceLifecycle
import WebhookDelivery

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the sync daemon until SIGTERM or SIGINT.",
        discussion: """
        Waits for PostgreSQL (retrying with back-off), refuses to start with migrations pending unless
        [database] auto_migrate = true, then repeats each target's jobs at [sync] interval with at most
        [sync] max_concurrent_targets at once. SIGTERM/SIGINT stop claiming work; jobs in flight finish
        their page and release their leases within [shutdown] grace_period; the exit code is then 0.
        SIGHUP reloads the configuration: webhook endpoints, [sync] settings (except lease_duration)
        and [log] level apply in place; other changed keys are logged as needing a restart.

        Examples:
          inspector-sync run --config /etc/inspector-sync/config.toml
          kill -HUP $(pidof inspector-sync)     # reload (systemctl reload inspector-sync)
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
                // Endpoints are in the database before the first event, so its outbox rows exist.
                try await WebhookEndpointStore(client: client, logger: logger).sync(configuration.webhooks)
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode(ExitCodes.dataError)
        }
        var clientConfiguration = try url.clientConfiguration()
        clientConfiguration.options.maximumConnections = configuration.database.maxConnections
        let database = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let live = LiveConfiguration(configuration)
        var scheduler = SyncScheduler(
            configuration: configuration, database: database, environment: ProcessInfo.processInfo.environment, logger: logger
        )
        scheduler.live = live
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: database)]
        if let listen = configuration.http.listen {
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
            let server = OpsServer(
                host: listen.host, port: listen.port, database: database, registry: registry, heartbeat: scheduler.heartbeat,
                stuckAfter: max(configuration.sync.interval * 3, .seconds(900)), logger: logger
            ) { port in
                logger.info("ops server listening", metadata: ["http.address": "\(listen.host):\(port)"])
                boundContinuation.yield(port)
                boundContinuation.finish()
            }
            scheduler.beforeReady = { for await _ in bound { break } }
            // Returning during shutdown is expected of these two; returning otherwise ends the process.
            services.append(.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        var delivery = WebhookDeliveryService(webhooks: configuration.webhooks, database: database, logger: logger)
        delivery.currentWebhooks = { live.current.webhooks }
        services.append(.init(service: delivery, successTerminationBehavior: .gracefullyShutdownGroup))
        let options = config
        let reloader = ConfigurationReloader(live: live, logger: logger, load: { try options.loadOrThrow() }) { old, new in
            // Endpoints go into the database before events can be recorded for them.
            if old.webhooks != new.webhooks {
                try await WebhookEndpointStore(client: database, logger: logger).sync(new.webhooks)
            }
        }
        services.append(.init(service: reloader, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
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
