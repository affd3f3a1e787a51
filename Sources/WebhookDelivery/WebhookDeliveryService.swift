import AsyncHTTPClient
import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import ServiceLifecycle

/// Webhook delivery for the daemon's `ServiceGroup`: owns its HTTP client, syncs the config's
/// endpoints into the database, then delivers in rounds (a `WebhookDispatcher.runOnce`, then
/// `pollInterval`) until graceful shutdown; posts in flight finish first.
///
/// The endpoints must be in the table before the sync records events (only endpoints there get
/// deliveries), so the daemon also calls `WebhookEndpointStore.sync` before its scheduler starts
/// and before it publishes a reloaded configuration; the sync here keeps the table right when only
/// this service runs.
public struct WebhookDeliveryService: Service {
    public let webhooks: [InspectorSyncConfiguration.Webhook]
    public let database: PostgresClient
    public let owner: String
    public let options: WebhookDispatcher.Options
    public let logger: Logger
    /// The endpoints as reloaded (SIGHUP), asked before every round; nil keeps `webhooks`.
    public var currentWebhooks: (@Sendable () -> [InspectorSyncConfiguration.Webhook])?

    public init(
        webhooks: [InspectorSyncConfiguration.Webhook], database: PostgresClient,
        owner: String = WebhookDeliveryService.defaultOwner(), options: WebhookDispatcher.Options = .init(), logger: Logger
    ) {
        self.webhooks = webhooks
        self.database = database
        self.owner = owner
        self.options = options
        self.logger = logger
    }

    /// host:pid:random, unique per process.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    public func run() async throws {
        let http = WebhookSender.makeHTTPClient()
        let sender = WebhookSender(httpClient: http)
        do {
            try await WebhookEndpointStore(client: database, logger: logger).sync(webhooks)
            try await deliverUntilShutdown(sender: sender)
        } catch {
            await sender.shutdown()
            try? await http.shutdown()
            throw error
        }
        await sender.shutdown()
        try await http.shutdown()
    }

    private func deliverUntilShutdown(sender: WebhookSender) async throws {
        let store = WebhookDeliveryStore(client: database, owner: owner, logger: logger)
        // Woken by the change feed's NOTIFY hints, so a new event does not wait for the next poll.
        let wake = options.wake ?? WakeSignal()
        var options = self.options
        options.wake = wake
        var current = webhooks
        var dispatcher = try WebhookDispatcher(store: store, sender: sender, webhooks: current, options: options, logger: logger)
        let listener = Task { await listen(waking: wake) }
        defer { listener.cancel() }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let reloaded = currentWebhooks?(), reloaded != current {
                do {
                    dispatcher = try WebhookDispatcher(store: store, sender: sender, webhooks: reloaded, options: options, logger: logger)
                    current = reloaded
                    logger.info("webhook endpoints reloaded", metadata: ["endpoints": "\(reloaded.filter(\.enabled).map(\.name).joined(separator: ","))"])
                } catch {
                    logger.error("reloaded webhook endpoints refused; delivering with the previous ones", metadata: ["error": "\(error)"])
                }
            }
            do {
                try await dispatcher.runOnce()
            } catch is CancellationError {
                return
            } catch {
                let summary = (error as? PSQLError)?.redactedSummary ?? "\(error)"
                logger.error("webhook delivery round failed; trying again next round", metadata: ["error": "\(summary)"])
            }
            // Wakes early on a NOTIFY hint, graceful shutdown or cancellation.
            try? await cancelWhenGracefulShutdown { [dispatcher] in try await dispatcher.idle() }
        }
    }

    /// Signals `wake` on every NOTIFY of the change feed until cancelled; after a lost connection it
    /// listens again a second later (the dispatcher's poll covers the gap).
    private func listen(waking wake: WakeSignal) async {
        while !Task.isCancelled {
            do {
                try await database.withConnection { connection in
                    try await connection.listen(on: ChangeEventWriter.notifyChannel) { notifications in
                        wake.signal()  // listening now: anything recorded before is picked up by this round
                        for try await _ in notifications { wake.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let summary = (error as? PSQLError)?.redactedSummary ?? "\(error)"
                logger.warning("webhook wake-up LISTEN failed; polling until it is back", metadata: ["error": "\(summary)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
