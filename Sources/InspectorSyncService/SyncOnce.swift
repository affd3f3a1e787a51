import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import SyncEngine

/// `inspector-sync sync --once`: discovery, then one cycle of every job of every target.
public struct SyncOnce: Sendable {
    public struct Report: Sendable {
        public var results: [SyncRunner.JobResult]
        public var failed: [SyncRunner.JobResult] { results.filter(\.failed) }
    }

    public let configuration: InspectorSyncConfiguration
    public let environment: [String: String]
    public let logger: Logger

    public init(configuration: InspectorSyncConfiguration, environment: [String: String], logger: Logger) {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
    }

    /// - Parameter progress: told of every stored page of a backfill or sweep.
    public func run(database: PostgresClient, only: [SyncTarget]? = nil, progress: (@Sendable (ReadProgress) -> Void)? = nil) async throws -> Report {
        let clients = try ClientFactory(configuration: configuration, environment: environment, logger: logger)
        let discovered = try await TargetDiscovery(configuration: configuration, clients: clients, logger: logger).discover()
        let left = try await AccountStore(client: database, logger: logger).replace(with: discovered.accounts)
        for account in left {
            logger.notice("account left the organization; its findings stay", metadata: ["aws.account": "\(account)"])
        }
        var targets = discovered.targets
        if let only {
            let unknown = only.filter { !targets.contains($0) }
            guard unknown.isEmpty else { throw UnknownTargetsError(targets: unknown) }
            targets = targets.filter(only.contains)
        }
        let store = SyncStateStore(
            client: database, owner: SyncStateStore.makeOwnerID(), leaseDuration: configuration.sync.leaseDuration, logger: logger
        )
        var runner = SyncRunner(store: store, options: SyncOptions(configuration.sync, filterByAccount: true), logger: logger) { target in
            try clients.client(for: target)
        }
        runner.onProgress = progress
        let results = try await runner.runOnce(targets: targets, concurrency: configuration.sync.maxConcurrentTargets)
        return Report(results: results)
    }
}

extension SyncOptions {
    /// The engine's settings from `[sync]`.
    public init(_ sync: InspectorSyncConfiguration.Sync, filterByAccount: Bool) {
        self.init(
            interval: sync.interval, overlap: sync.overlap, pageSize: sync.pageSize,
            eventsOnFirstSync: sync.eventsOnFirstSync, filterByAccount: filterByAccount, maxBackoff: sync.maxBackoff,
            reconcileInterval: sync.reconcileInterval
        )
    }
}

/// `--target` named a pair that discovery did not find.
public struct UnknownTargetsError: Error, CustomStringConvertible {
    public var targets: [SyncTarget]
    public var description: String {
        "not a discovered target: \(targets.map(\.description).joined(separator: ", ")) (check [[accounts]], [aws] regions, or the member list)"
    }
}
