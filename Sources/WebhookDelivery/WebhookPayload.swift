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
    /// `2026-11-25T08:00:00Z` (UTC, whole seconds, as `ISO8601DateFormatter`'s `.withInternetDateTime`).
    /// By hand: creating that formatter for every post was an eighth of the delivery CPU (ICU set-up).
    static func iso8601(_ date: Date) -> String {
        // Foundation rounds to whole milliseconds first (ICU's unit), then drops them.
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = Int64((milliseconds / 1000).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(time / 3600, 2)):\(pad(time / 60 % 60, 2)):\(pad(time % 60, 2))Z"
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
