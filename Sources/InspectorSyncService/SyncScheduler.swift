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

    public init(configuration: InspectorSyncConfiguration, database: PostgresClient, environment: [String: String], logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.environment = environment
        self.logger = logger
    }

    public func run() async throws {
        let clients = try ClientFactory(configuration: configuration, environment: environment, logger: logger)
        let store = SyncStateStore(
            client: database, owner: SyncStateStore.makeOwnerID(), leaseDuration: configuration.sync.leaseDuration, logger: logger
        )
        let runner = SyncRunner(
            store: store, options: SyncOptions(configuration.sync, filterByAccount: true), logger: logger,
            stopRequested: { Task.isShuttingDownGracefully }
        ) { target in try clients.client(for: target) }
        let running = RunningJobs()
        var keys: [SyncJobKey] = []
        var nextDiscovery = ContinuousClock.now
        var lastWatchdog = ContinuousClock.now
        var lastStatus: String?
        // The run command checked the database and the migrations before starting this service.
        notifier.ready()

        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
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
                let free = configuration.sync.maxConcurrentTargets - running.count
                if free > 0 && !keys.isEmpty {
                    do {
                        for state in try await store.claim(limit: free, onlyDue: true, keys: keys) {
                            running.add(1)
                            group.addTask {
                                _ = await runner.run(state)
                                running.add(-1)
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

/// The number of jobs in flight, shared with the job tasks.
final class RunningJobs: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add(_ delta: Int) { value.withLock { $0 += delta } }
}
