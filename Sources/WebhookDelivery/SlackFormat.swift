import Foundation

/// A Slack incoming-webhook message: severity, title, resource, account and a console link, as
/// `text` (notifications, plain clients) and as blocks.
public enum SlackFormat {
    public static func message(_ event: DeliveryEvent) -> JSONText {
        let severity = event.newSeverity ?? "-"
        let headline: String
        if event.findingArn != nil {
            headline = "\(emoji(severity)) *\(severity)* \(event.type): \(event.title ?? event.subject)"
        } else {
            headline = ":mag: \(event.type): \(event.resourceId ?? "-") (\(event.scanType ?? "-"))"
        }
        var details = [
            "*Account:* \(event.accountId)", "*Region:* \(event.region)",
            "*Resource:* \(event.resourceId ?? "-")\(event.resourceType.map { " (\($0))" } ?? "")",
        ]
        if let old = event.oldStatus, let new = event.newStatus, old != new { details.append("*Status:* \(old) → \(new)") }
        if let old = event.oldSeverity, let new = event.newSeverity, old != new { details.append("*Severity:* \(old) → \(new)") }
        let link = FormatSupport.consoleURL(event)
        let text = "\(headline)\n\(details.joined(separator: "  "))\n<\(link)|Open in the Inspector console>"
        return .object([
            ("text", .string(text)),
            ("blocks", .array([
                .object([("type", .string("section")), ("text", .object([("type", .string("mrkdwn")), ("text", .string(headline))]))]),
                .object([("type", .string("section")), ("fields", .array(details.map {
                    .object([("type", .string("mrkdwn")), ("text", .string($0))])
                }))]),
                .object([("type", .string("section")), ("text", .object([
                    ("type", .string("mrkdwn")), ("text", .string("<\(link)|Open in the Inspector console>")),
                ]))]),
            ])),
        ])
    }

    static func emoji(_ severity: String) -> String {
        switch severity {
        case "CRITICAL": return ":red_circle:"
        case "HIGH": return ":large_orange_circle:"
        case "MEDIUM": return ":large_yellow_circle:"
        default: return ":white_circle:"
        }
    }

    public static func ping() -> JSONText {
        .object([("text", .string("inspector-sync webhook test: this endpoint receives Inspector findings."))])
    }
}
