import Foundation
import InspectorSyncConfig

/// The body and content type of one post.
public struct WebhookPayload: Sendable, Equatable {
    public var body: [UInt8]
    public var contentType: String

    public init(body: [UInt8], contentType: String) {
        self.body = body
        self.contentType = contentType
    }

    /// The payload of `event` in `format`; nil when the format has nothing to say about it (a
    /// PagerDuty endpoint and a coverage event, say): the delivery is then cancelled, not posted.
    public static func make(
        for event: DeliveryEvent, format: InspectorSyncConfiguration.Webhook.Format, routingKey: String?
    ) -> WebhookPayload? {
        switch format {
        case .cloudEvents:
            return WebhookPayload(body: CloudEventsFormat.event(event).bytes, contentType: CloudEventsFormat.contentType)
        case .slack:
            return WebhookPayload(body: SlackFormat.message(event).bytes, contentType: "application/json")
        case .pagerDuty:
            return PagerDutyFormat.event(event, routingKey: routingKey ?? "").map {
                WebhookPayload(body: $0.bytes, contentType: "application/json")
            }
        }
    }
}

/// Shared pieces of the formats.
enum FormatSupport {
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A link to the finding in the Inspector console (the findings list searched by ARN).
    static func consoleURL(_ event: DeliveryEvent) -> String {
        let region = event.region
        var base = "https://\(region).console.aws.amazon.com/inspector/v2/home?region=\(region)"
        if let arn = event.findingArn {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
            let query = "findingArn=\(arn)".addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            base += "#/findings/all?search=\(query)"
        } else {
            base += "#/coverage"
        }
        return base
    }
}
