import ArgumentParser
import AsyncHTTPClient
import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import WebhookDelivery

/// `inspector-sync webhooks …`: endpoints, deliveries, redelivery, test pings, one delivery round.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Inspect and operate webhook delivery.",
        discussion: """
        Every command first syncs the [[webhooks]] of the config into inspector.webhook_endpoints \
        (secrets stay in the config), so the table always shows what the config says.

        Examples:
          inspector-sync webhooks list
          inspector-sync webhooks deliveries --failed
          inspector-sync webhooks redeliver 41 42
          inspector-sync webhooks redeliver --since 2026-11-25T08:00:00Z --endpoint pagerduty
          inspector-sync webhooks test slack-security
          inspector-sync webhooks deliver --once
        """,
        subcommands: [
            WebhooksListCommand.self, WebhooksDeliveriesCommand.self, WebhooksRedeliverCommand.self,
            WebhooksTestCommand.self, WebhooksDeliverCommand.self, WebhooksEnableCommand.self,
        ]
    )
}

/// Loads the config, opens the database (migrating when allowed), syncs the endpoints, runs `body`.
enum WebhooksContext {
    static func run<T: Sendable>(
        _ options: ConfigOptions,
        _ body: @Sendable (InspectorSyncConfiguration, PostgresClient, Logger) async throws -> T
    ) async throws -> T {
        let configuration = try options.load()
        let url = try configuration.databaseURL()
        var logger = configuration.makeLogger(label: "inspector-sync.webhooks")
        logger.logLevel = max(logger.logLevel, .warning)
        do {
            try await DatabaseProbe.check(url, logger: logger)
            return try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                let runner = MigrationRunner(client: client, logger: logger)
                let pending = try await runner.plan().pending
                if !pending.isEmpty {
                    guard configuration.database.autoMigrate else {
                        throw StoreError(.migrationSourceInvalid, "\(pending.count) migration(s) pending: run `inspector-sync migrate` first (or set [database] auto_migrate = true)")
                    }
                    try await runner.migrate()
                }
                try await WebhookEndpointStore(client: client, logger: logger).sync(configuration.webhooks)
                return try await body(configuration, client, logger)
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode(error.code == .databaseUnavailable ? ExitCodes.unavailable : ExitCodes.dataError)
        } catch let error as PSQLError {
            printError("database \(url): \(error.redactedSummary)")
            throw ExitCode(ExitCodes.unavailable)
        } catch let error as WebhookError {
            printError("\(error)")
            throw ExitCode(ExitCodes.dataError)
        }
    }

    static func format(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func withHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = WebhookSender.makeHTTPClient()
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}

struct WebhooksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Endpoints, their health and backlog.",
        discussion: "Example:\n  inspector-sync webhooks list --config /etc/inspector-sync/config.toml"
    )

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let endpoints = try await WebhooksContext.run(config) { _, client, logger in
            try await WebhookEndpointStore(client: client, logger: logger).list()
        }
        if endpoints.isEmpty {
            print("no webhook endpoints (add [[webhooks]] to the config)")
            return
        }
        print("NAME                 FORMAT       STATE      PENDING FAILING DEAD  LAST SUCCESS          URL")
        for e in endpoints {
            let state = e.disabledAt != nil ? "DISABLED" : (!e.inConfig ? "removed" : (e.enabled ? "enabled" : "off"))
            let name = e.name.padding(toLength: max(20, e.name.count), withPad: " ", startingAt: 0)
            let format = e.format.padding(toLength: 12, withPad: " ", startingAt: 0)
            let stateText = state.padding(toLength: 10, withPad: " ", startingAt: 0)
            let counts = String(format: "%7d %7d %5d", e.pending, e.failing, e.dead)
            let success = WebhooksContext.format(e.lastSuccessAt).padding(toLength: 21, withPad: " ", startingAt: 0)
            print("\(name) \(format) \(stateText) \(counts)  \(success) \(e.url)")
            if let reason = e.disabledReason, e.disabledAt != nil {
                print("    disabled \(WebhooksContext.format(e.disabledAt)): \(reason) (fix the receiver, then `webhooks enable \(e.name)`)")
            } else if let failing = e.firstFailureAt {
                print("    failing since \(WebhooksContext.format(failing))")
            }
        }
    }
}

struct WebhooksDeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Recent deliveries, newest first.",
        discussion: "Examples:\n  inspector-sync webhooks deliveries\n  inspector-sync webhooks deliveries --failed"
    )

    @OptionGroup var config: ConfigOptions

    @Flag(help: "Only dead-lettered deliveries and pending ones that have failed at least once.")
    var failed = false

    @Option(help: "Only this endpoint.")
    var endpoint: String?

    @Option(help: "At most this many rows.")
    var limit = 50

    func run() async throws {
        let (failed, endpoint, limit) = (self.failed, self.endpoint, self.limit)
        let rows = try await WebhooksContext.run(config) { _, client, logger in
            try await WebhookEndpointStore(client: client, logger: logger).deliveries(failed: failed, endpoint: endpoint, limit: limit)
        }
        print("ID        EVENT     ENDPOINT             TYPE                               STATE       TRIES STATUS NEXT/DELIVERED        ERROR")
        for d in rows {
            let when = d.state == "succeeded" ? d.deliveredAt : (d.state == "pending" ? d.nextAttemptAt : nil)
            print([
                String(d.id).padding(toLength: 9, withPad: " ", startingAt: 0), String(d.eventId).padding(toLength: 9, withPad: " ", startingAt: 0),
                d.endpoint.padding(toLength: 20, withPad: " ", startingAt: 0), d.eventType.padding(toLength: 34, withPad: " ", startingAt: 0),
                d.state.padding(toLength: 11, withPad: " ", startingAt: 0), String(format: "%5d", d.attempts),
                (d.lastStatusCode.map(String.init) ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0),
                WebhooksContext.format(when).padding(toLength: 21, withPad: " ", startingAt: 0), d.lastError ?? "",
            ].joined(separator: " "))
        }
        if rows.isEmpty { print(failed ? "no failed deliveries" : "no deliveries") }
    }
}
