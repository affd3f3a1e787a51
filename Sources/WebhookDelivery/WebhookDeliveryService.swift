import AsyncHTTPClient
import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import ServiceLifecycle

/// Webhook delivery for the daemon's `ServiceGroup`: owns its HTTP client, syncs the config's
/// endpoints into the database, then runs a `WebhookDispatcher` until graceful shutdown.
///
/// The endpoints must be in the table before the sync records events (only endpoints there get
/// deliveries), so the daemon also calls `WebhookEndpointStore.sync` before its scheduler starts;
/// the sync here keeps the table right when only this service runs.
public struct WebhookDeliveryService: Service {
    public let webhooks: [InspectorSyncConfiguration.Webhook]
    public let database: PostgresClient
    public let owner: String
    public let options: WebhookDispatcher.Options
    public let logger: Logger

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
        guard webhooks.contains(where: \.enabled) else { return await waitForShutdown() }
        let http = WebhookSender.makeHTTPClient()
        do {
            try await WebhookEndpointStore(client: database, logger: logger).sync(webhooks)
            // Woken by the change feed's NOTIFY hints, so a new event does not wait for the next poll.
            let wake = options.wake ?? WakeSignal()
            var options = self.options
            options.wake = wake
            let dispatcher = try WebhookDispatcher(
                store: WebhookDeliveryStore(client: database, owner: owner, logger: logger), sender: WebhookSender(httpClient: http),
                webhooks: webhooks, options: options, logger: logger
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await listen(waking: wake) }
                try await dispatcher.run()
                group.cancelAll()
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
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

    /// Without endpoints there is nothing to do, but returning would end the whole group.
    private func waitForShutdown() async {
        try? await gracefulShutdown()
    }
}
