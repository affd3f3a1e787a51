/// What a reload (SIGHUP) would change, split into what the running daemon can apply in place and
/// what needs a restart. Pure: compares two loaded configurations.
public struct ConfigurationChanges: Sendable, Equatable {
    /// Changed key paths the daemon applies live: `webhooks`, `sync.interval`, `log.level`…
    public var live: [String] = []
    /// Changed key paths that take effect only after a restart: `database.url`, `http.listen`…
    public var restartRequired: [String] = []

    public var isEmpty: Bool { live.isEmpty && restartRequired.isEmpty }

    public init(live: [String] = [], restartRequired: [String] = []) {
        self.live = live
        self.restartRequired = restartRequired
    }
}

extension InspectorSyncConfiguration {
    /// Keys that differ between `self` (running) and `new` (just loaded). Webhooks are reported per
    /// endpoint name: `webhooks.<name>` for an added, removed or changed endpoint.
    public func changes(to new: InspectorSyncConfiguration) -> ConfigurationChanges {
        var changes = ConfigurationChanges()
        func check<Value: Equatable>(_ path: String, _ old: Value, _ new: Value, live: Bool) {
            guard old != new else { return }
            if live { changes.live.append(path) } else { changes.restartRequired.append(path) }
        }
        // The pool, schema and migrations are set up once at start.
        check("database.url", database.url, new.database.url, live: false)
        check("database.schema", database.schema, new.database.schema, live: false)
        check("database.auto_migrate", database.autoMigrate, new.database.autoMigrate, live: false)
        check("database.max_connections", database.maxConnections, new.database.maxConnections, live: false)
        check("database.connect_timeout", database.connectTimeout, new.database.connectTimeout, live: false)
        // Clients, endpoints, rate limiters and the target set are built from these at start.
        check("aws.regions", aws.regions, new.aws.regions, live: false)
        check("aws.profile", aws.profile, new.aws.profile, live: false)
        check("aws.endpoint_url", aws.endpointURL, new.aws.endpointURL, live: false)
        check("aws.max_attempts", aws.maxAttempts, new.aws.maxAttempts, live: false)
        check("aws.request_timeout", aws.requestTimeout, new.aws.requestTimeout, live: false)
        check("aws.max_requests_per_second", aws.maxRequestsPerSecond, new.aws.maxRequestsPerSecond, live: false)
        check("discovery.mode", discovery.mode, new.discovery.mode, live: false)
        check("discovery.interval", discovery.interval, new.discovery.interval, live: false)
        check("accounts", accounts, new.accounts, live: false)
        // The scheduler reads these at the start of each cycle.
        check("sync.interval", sync.interval, new.sync.interval, live: true)
        check("sync.overlap", sync.overlap, new.sync.overlap, live: true)
        check("sync.page_size", sync.pageSize, new.sync.pageSize, live: true)
        check("sync.max_concurrent_targets", sync.maxConcurrentTargets, new.sync.maxConcurrentTargets, live: true)
        check("sync.reconcile_interval", sync.reconcileInterval, new.sync.reconcileInterval, live: true)
        check("sync.events_on_first_sync", sync.eventsOnFirstSync, new.sync.eventsOnFirstSync, live: true)
        check("sync.max_backoff", sync.maxBackoff, new.sync.maxBackoff, live: true)
        // Leases held by other replicas were taken with the old duration: restart all together.
        check("sync.lease_duration", sync.leaseDuration, new.sync.leaseDuration, live: false)
        let oldWebhooks = Dictionary(webhooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newWebhooks = Dictionary(new.webhooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in Set(oldWebhooks.keys).union(newWebhooks.keys).sorted() {
            check("webhooks.\(name)", oldWebhooks[name], newWebhooks[name], live: true)
        }
        check("http.listen", http.listen, new.http.listen, live: false)
        check("log.level", log.level, new.log.level, live: true)
        check("log.format", log.format, new.log.format, live: false)
        // The service group is configured with it at start.
        check("shutdown.grace_period", shutdown.gracePeriod, new.shutdown.gracePeriod, live: false)
        return changes
    }
}
