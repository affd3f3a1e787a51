import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import SyncEngine

/// The daemon's sync loop, a ServiceLifecycle service: re-discovers the targets every
/// `[discovery] interval`, claims the jobs that are due (each job's `next_run_at` follows
/// `[sync] interval`, or its back-off after a failure) up to `max_concurrent_targets`, and runs them.
/// On graceful shutdown it stops claiming; running jobs stop at their next page boundary and give
/// their leases back.
public struct SyncScheduler: Service {
    public let configuration: InspectorSyncConfiguration
    public let database: PostgresClient
    public let environment: [String: String]
    public let logger: Logger
    /// How often to look for due jobs when none is running out of slots.
    public var pollInterval: Duration = .seconds(1)
    /// READY, STATUS, WATCHDOG and STOPPING for systemd (a no-op outside it).
    public var notifier = SystemdNotifier()
    /// Ticked every loop; `/readyz` fails when it stops.
    public var heartbeat = SchedulerHeartbeat()
    /// Waited for before READY=1 (the HTTP listener binding), when set.
    public var beforeReady: (@Sendable () async -> Void)?
    /// `[sync]` settings as reloaded by SIGHUP; read at the top of every loop, so jobs in flight keep
    /// the settings they started with. The other keys are taken from `configuration` at start.
    public var live: LiveConfiguration

    public init(configuration: InspectorSyncConfiguration, database: PostgresClient, environment: [String: String], logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.environment = environment
        self.logger = logger
        self.live = LiveConfiguration(configuration)
    }

    public func run() async throws {
        let clients = try ClientFactory(configuration: configuration, environment: environment, logger: logger)
        let store = SyncStateStore(
            client: database, owner: SyncStateStore.makeOwnerID(), leaseDuration: configuration.sync.leaseDuration, logger: logger
        )
        func makeRunner(_ sync: InspectorSyncConfiguration.Sync) -> SyncRunner {
            SyncRunner(
                store: store, options: SyncOptions(sync, filterByAccount: true), logger: logger,
                stopRequested: { Task.isShuttingDownGracefully }
            ) { target in try clients.client(for: target) }
        }
        var generation = live.generation
        var settings = live.current.sync
        var runner = makeRunner(settings)
        let running = RunningJobs()
        var keys: [SyncJobKey] = []
        var nextDiscovery = ContinuousClock.now
        var lastWatchdog = ContinuousClock.now
        var lastStatus: String?
        // The run command checked the database and the migrations before starting this service;
        // the HTTP listener, when configured, must be bound too.
        if let beforeReady { await beforeReady() }
        notifier.ready()

        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                heartbeat.beat()
                if live.generation != generation {
                    generation = live.generation
                    settings = live.current.sync
                    runner = makeRunner(settings)
                }
                if ContinuousClock.now >= nextDiscovery {
                    do {
                        keys = try await discover(clients: clients, store: store)
                        nextDiscovery = ContinuousClock.now + configuration.discovery.interval
                    } catch {
                        // Keep syncing the targets we know; try discovery again soon.
                        logger.error("discovery failed; retrying in a minute", metadata: ["error": "\(SyncErrorDescription.text(error))"])
                        nextDiscovery = ContinuousClock.now + .seconds(60)
                    }
                }
                let free = settings.maxConcurrentTargets - running.count
                if free > 0 && !keys.isEmpty {
                    do {
                        // Never claim a job this process is still running (its lease may have run out
                        // during a slow page; running it twice here would race with itself).
                        let idle = keys.filter { !running.contains($0) }
                        for state in try await withDeadline(store.pageWriteDeadline, "claiming jobs", { try await store.claim(limit: free, onlyDue: true, keys: idle) }) {
                            running.start(state.key)
                            group.addTask { [runner] in
                                _ = await runner.run(state)
                                running.finish(state.key)
                            }
                        }
                    } catch {
                        // The database is away: jobs in flight fail on their own; claim again later.
                        logger.error("could not claim jobs", metadata: ["error": "\(SyncErrorDescription.text(error))"])
                    }
                }
                // The watchdog is fed from this loop, so a wedged scheduler gets restarted by systemd.
                if let interval = notifier.watchdogInterval, ContinuousClock.now - lastWatchdog >= interval {
                    notifier.watchdog()
                    lastWatchdog = ContinuousClock.now
                }
                let status = "\(keys.count / 2) targets, \(running.count) jobs running"
                if status != lastStatus {
                    notifier.status(status)
                    lastStatus = status
                }
                // Sleep no longer than the watchdog interval (already half of WATCHDOG_USEC).
                try? await Task.sleep(for: min(pollInterval, notifier.watchdogInterval ?? pollInterval))
            }
            notifier.stopping()
            logger.notice("sync scheduler stopping; jobs finish their page in flight")
        }
    }

    private func discover(clients: ClientFactory, store: SyncStateStore) async throws -> [SyncJobKey] {
        let discovered = try await TargetDiscovery(configuration: configuration, clients: clients, logger: logger).discover()
        try await AccountStore(client: database, logger: logger).replace(with: discovered.accounts)
        let keys = discovered.targets.flatMap { target in SyncJobKind.allCases.map { SyncJobKey(target: target, job: $0) } }
        try await store.ensure(keys)
        return keys
    }
}

/// The jobs in flight, shared with the job tasks.
final class RunningJobs: Sendable {
    private let keys = Mutex(Set<SyncJobKey>())
    var count: Int { keys.withLock { $0.count } }
    func contains(_ key: SyncJobKey) -> Bool { keys.withLock { $0.contains(key) } }
    func start(_ key: SyncJobKey) { _ = keys.withLock { $0.insert(key) } }
    func finish(_ key: SyncJobKey) { _ = keys.withLock { $0.remove(key) } }
}
