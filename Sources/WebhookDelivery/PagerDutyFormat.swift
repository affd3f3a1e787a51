import Foundation

/// PagerDuty Events API v2. `dedup_key` is the finding ARN, so the incident a finding opened is
/// resolved by the same finding closing.
public enum PagerDutyFormat {
    public enum Action: String, Sendable {
        case trigger, resolve
    }

    /// trigger on created / reopened / unsuppressed / severity raised; resolve on closed / suppressed /
    /// purged; nil otherwise (score moves, fix or exploit availability, severity lowered, coverage).
    public static func action(for event: DeliveryEvent) -> Action? {
        guard event.findingArn != nil else { return nil }
        switch event.type {
        case "finding.created", "finding.reopened", "finding.unsuppressed": return .trigger
        case "finding.closed", "finding.suppressed", "finding.purged": return .resolve
        case "finding.severity_changed":
            let old = rank(event.oldSeverity), new = rank(event.newSeverity)
            return new > old && event.newStatus != "CLOSED" && event.newStatus != "SUPPRESSED" ? .trigger : nil
        default: return nil
        }
    }

    public static func event(_ event: DeliveryEvent, routingKey: String) -> JSONText? {
        guard let action = action(for: event), let arn = event.findingArn else { return nil }
        var members: [(String, JSONText)] = [
            ("routing_key", .string(routingKey)),
            ("event_action", .string(action.rawValue)),
            ("dedup_key", .string(arn)),
        ]
        if action == .trigger {
            let severity = event.newSeverity ?? "UNTRIAGED"
            let summary = "[\(severity)] \(event.title ?? arn) (\(event.resourceId ?? event.accountId))"
            members.append(("payload", .object([
                ("summary", .string(String(summary.prefix(1024)))),
                ("source", .string(event.resourceId ?? event.accountId)),
                ("severity", .string(pagerDutySeverity(severity))),
                ("timestamp", .string(FormatSupport.iso8601(event.occurredAt))),
                ("component", .optional(event.resourceType)),
                ("group", .string("\(event.accountId)/\(event.region)")),
                ("class", .string(event.type)),
                ("custom_details", .object([
                    ("finding_arn", .string(arn)), ("account_id", .string(event.accountId)), ("region", .string(event.region)),
                    ("status", .optional(event.newStatus)), ("severity", .string(severity)), ("changes", .raw(event.changesJSON)),
                ])),
            ])))
            members.append(("links", .array([.object([
                ("href", .string(FormatSupport.consoleURL(event))), ("text", .string("Finding in the Inspector console")),
            ])])))
        }
        return .object(members)
    }

    static func pagerDutySeverity(_ severity: String) -> String {
        switch severity {
        case "CRITICAL": return "critical"
        case "HIGH": return "error"
        case "MEDIUM": return "warning"
        default: return "info"
        }
    }

    /// Same order as `inspector.severity_rank` (UNTRIAGED with MEDIUM).
    static func rank(_ severity: String?) -> Int {
        switch severity {
        case "INFORMATIONAL": return 1
        case "LOW": return 2
        case "MEDIUM", "UNTRIAGED": return 3
        case "HIGH": return 4
        case "CRITICAL": return 5
        default: return 0
        }
    }

    /// `webhooks test NAME` for PagerDuty: a trigger the command resolves right after.
    public static func ping(routingKey: String, action: Action, dedupKey: String, now: Date) -> JSONText {
        var members: [(String, JSONText)] = [
            ("routing_key", .string(routingKey)), ("event_action", .string(action.rawValue)), ("dedup_key", .string(dedupKey)),
        ]
        if action == .trigger {
            members.append(("payload", .object([
                ("summary", .string("inspector-sync webhook test (resolved automatically)")),
                ("source", .string("inspector-sync")), ("severity", .string("info")),
                ("timestamp", .string(FormatSupport.iso8601(now))),
            ])))
        }
        return .object(members)
    }
}
