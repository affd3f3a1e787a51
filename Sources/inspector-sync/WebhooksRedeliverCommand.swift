import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import WebhookDelivery

struct WebhooksRedeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver",
        abstract: "Queue deliveries again (same webhook-id, retry schedule restarted).",
        discussion: """
        By id: the given deliveries, whatever their state. With --since and --endpoint: every event since
        TIME the endpoint's filters select and that it has not received (failed, dead, or never queued
        because the endpoint was disabled); --include-succeeded sends the received ones again too.
        The queued deliveries are posted by the daemon or by `webhooks deliver --once`.

        Examples:
          inspector-sync webhooks redeliver 1042 1043
          inspector-sync webhooks redeliver --endpoint pagerduty --since 2026-11-24T00:00:00Z
        """
    )

    @OptionGroup var config: ConfigOptions

    @Argument(help: "Delivery ids (see `webhooks deliveries`).")
    var ids: [Int64] = []

    @Option(help: "ISO 8601 time (2026-11-25T08:00:00Z): events recorded since then.")
    var since: String?

    @Option(help: "The endpoint, with --since.")
    var endpoint: String?

    @Flag(help: "With --since: send deliveries that succeeded again as well.")
    var includeSucceeded = false

    func validate() throws {
        if ids.isEmpty && since == nil { throw ValidationError("give delivery ids, or --since TIME --endpoint NAME") }
        if !ids.isEmpty && since != nil { throw ValidationError("give either delivery ids or --since, not both") }
        if since != nil && endpoint == nil { throw ValidationError("--since needs --endpoint NAME") }
        if let since, Self.parse(since) == nil { throw ValidationError("--since must be an ISO 8601 time like 2026-11-25T08:00:00Z (got '\(since)')") }
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    func run() async throws {
        let (ids, since, endpoint, includeSucceeded) = (self.ids, self.since.flatMap(Self.parse), self.endpoint, self.includeSucceeded)
        let message = try await WebhooksContext.run(config) { configuration, client, logger -> String in
            let store = WebhookEndpointStore(client: client, logger: logger)
            if let since, let endpoint {
                guard configuration.webhooks.contains(where: { $0.name == endpoint }) else {
                    throw WebhookError(.unknownEndpoint, "no [[webhooks]] entry named '\(endpoint)'")
                }
                let count = try await store.redeliver(since: since, endpoint: endpoint, includeSucceeded: includeSucceeded)
                return "queued \(count) deliver\(count == 1 ? "y" : "ies") to \(endpoint)"
            }
            let queued = try await store.redeliver(ids: ids)
            let skipped = Set(ids).subtracting(queued)
            var text = "queued \(queued.count) deliver\(queued.count == 1 ? "y" : "ies")"
            if !skipped.isEmpty {
                text += "; not queued (unknown, or being posted right now): \(skipped.sorted().map(String.init).joined(separator: " "))"
            }
            return text
        }
        print(message)
    }
}

struct WebhooksEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Re-enable an endpoint that delivery disabled (410, or failing past disable_after).",
        discussion: "Example:\n  inspector-sync webhooks enable pagerduty"
    )

    @OptionGroup var config: ConfigOptions

    @Argument(help: "The endpoint's name.")
    var name: String

    func run() async throws {
        let name = self.name
        let found = try await WebhooksContext.run(config) { _, client, logger in
            try await WebhookEndpointStore(client: client, logger: logger).enable(name)
        }
        guard found else {
            printError("no endpoint named '\(name)'")
            throw ExitCode(ExitCodes.dataError)
        }
        print("enabled \(name); pending deliveries will be posted by the daemon or `webhooks deliver --once`")
    }
}
