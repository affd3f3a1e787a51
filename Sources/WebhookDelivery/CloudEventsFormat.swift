import Foundation

/// CloudEvents 1.0, structured JSON mode (`application/cloudevents+json`). `data` carries the finding
/// (or covered resource) as the API gave it, its previous state and what changed.
public enum CloudEventsFormat {
    public static let contentType = "application/cloudevents+json"
    /// The producer; with the event id it makes the CloudEvents id unique.
    public static let source = "inspector-sync"

    public static func event(_ event: DeliveryEvent) -> JSONText {
        let previous: JSONText = (event.oldStatus == nil && event.oldSeverity == nil)
            ? .null
            : .object([("status", .optional(event.oldStatus)), ("severity", .optional(event.oldSeverity))])
        let dataKey = event.findingArn != nil ? "finding" : "resource"
        var data: [(String, JSONText)] = [
            (dataKey, event.dataJSON.map { .raw($0) } ?? .null),
            ("previous", previous),
            ("changes", .raw(event.changesJSON.isEmpty ? "{}" : event.changesJSON)),
            ("accountId", .string(event.accountId)),
            ("region", .string(event.region)),
        ]
        if let arn = event.findingArn { data.append(("findingArn", .string(arn))) }
        if let id = event.resourceId { data.append(("resourceId", .string(id))) }
        if let type = event.resourceType { data.append(("resourceType", .string(type))) }
        if let scan = event.scanType { data.append(("scanType", .string(scan))) }
        if let status = event.newStatus { data.append(("status", .string(status))) }
        if let severity = event.newSeverity { data.append(("severity", .string(severity))) }
        return .object([
            ("specversion", .string("1.0")),
            ("id", .string(String(event.id))),
            ("source", .string(source)),
            ("type", .string(event.type)),
            ("subject", .string(event.subject)),
            ("time", .string(FormatSupport.iso8601(event.occurredAt))),
            ("datacontenttype", .string("application/json")),
            ("data", .object(data)),
        ])
    }

    /// The body of `webhooks test NAME`.
    public static func ping(now: Date) -> JSONText {
        .object([
            ("specversion", .string("1.0")),
            ("id", .string("ping-\(Int64(now.timeIntervalSince1970))")),
            ("source", .string(source)),
            ("type", .string("webhook.test")),
            ("time", .string(FormatSupport.iso8601(now))),
            ("datacontenttype", .string("application/json")),
            ("data", .object([("message", .string("inspector-sync webhook test"))])),
        ])
    }
}
