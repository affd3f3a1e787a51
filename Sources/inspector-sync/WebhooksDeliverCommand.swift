import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import WebhookDelivery

struct WebhooksDeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver", abstract: "Post every delivery that is due now, then exit.",
        discussion: "Example (from cron, instead of the daemon's delivery loop):\n  inspector-sync webhooks deliver --once --config /etc/inspector-sync/config.toml"
    )

    @OptionGroup var config: ConfigOptions

    @Flag(help: "One round and exit (the only mode of this command; the daemon delivers continuously).")
    var once = false

    func validate() throws {
        guard once else { throw ValidationError("`webhooks deliver` needs --once") }
    }

    func run() async throws {
        let summary = try await WebhooksContext.run(config) { configuration, client, logger in
            try await WebhooksContext.withHTTPClient { http in
                let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
                let sender = WebhookSender(httpClient: http)
                do {
                    let dispatcher = try WebhookDispatcher(
                        store: WebhookDeliveryStore(client: client, owner: owner, logger: logger), sender: sender,
                        webhooks: configuration.webhooks, logger: logger
                    )
                    let summary = try await dispatcher.runOnce()
                    await sender.shutdown()
                    return summary
                } catch {
                    await sender.shutdown()
                    throw error
                }
            }
        }
        print("posted \(summary.attempted): succeeded \(summary.succeeded), retrying \(summary.retrying), dead \(summary.dead), cancelled \(summary.cancelled)")
        for name in Set(summary.endpointsDisabled).sorted() {
            printError("endpoint \(name) was disabled (see `webhooks list`)")
        }
    }
}

struct WebhooksTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a signed test post to an endpoint and show the answer.",
        discussion: "cloudevents: a `webhook.test` event; slack: a short message; pagerduty: a trigger, resolved right after.\n\nExample:\n  inspector-sync webhooks test pagerduty --config /etc/inspector-sync/config.toml"
    )

    @OptionGroup var config: ConfigOptions

    @Argument(help: "The endpoint's name.")
    var name: String

    func run() async throws {
        let configuration = try config.load()
        guard let webhook = configuration.webhooks.first(where: { $0.name == name }) else {
            printError("no [[webhooks]] entry named '\(name)' (have: \(configuration.webhooks.map(\.name).joined(separator: ", ")))")
            throw ExitCode(ExitCodes.usage)
        }
        let signer: WebhookSigner
        do {
            signer = try WebhookSigner(secrets: webhook.secrets.map(\.value))
        } catch {
            printError("\(error)")
            throw ExitCode(ExitCodes.config)
        }
        let now = Date()
        let webhookId = "msg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var payloads: [WebhookPayload] = []
        switch webhook.format {
        case .cloudEvents:
            payloads = [WebhookPayload(body: CloudEventsFormat.ping(now: now).bytes, contentType: CloudEventsFormat.contentType)]
        case .slack:
            payloads = [WebhookPayload(body: SlackFormat.ping().bytes, contentType: "application/json")]
        case .pagerDuty:
            let key = webhook.routingKey?.value ?? ""
            payloads = [PagerDutyFormat.Action.trigger, .resolve].map {
                WebhookPayload(body: PagerDutyFormat.ping(routingKey: key, action: $0, dedupKey: webhookId, now: now).bytes, contentType: "application/json")
            }
        }
        let ok = try await WebhooksContext.withHTTPClient { http in
            var ok = true
            let sender = WebhookSender(httpClient: http)
            for payload in payloads {
                let response = await sender.post(payload, webhookId: webhookId, to: webhook, signer: signer)
                switch response.result {
                case .response(let status, _):
                    print("\(name): HTTP \(status)\(response.bodyPrefix.isEmpty ? "" : " \(response.bodyPrefix.prefix(200))")")
                    ok = ok && (200..<300).contains(status)
                case .timeout:
                    print("\(name): timed out after \(webhook.timeout)")
                    ok = false
                case .transportError(let message), .refused(let message):
                    print("\(name): \(message)")
                    ok = false
                }
            }
            await sender.shutdown()
            return ok
        }
        if !ok { throw ExitCode(ExitCodes.unavailable) }
    }
}
