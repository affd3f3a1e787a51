import Foundation

/// One row for `inspector.finding_events`, before it has an id.
public struct ChangeEventRecord: Sendable {
    public var type: ChangeEventType
    public var findingArn: String?
    public var resourceId: String?
    public var resourceType: String?
    public var scanType: String?
    public var accountId: String
    public var region: String
    public var oldStatus: String?
    public var newStatus: String?
    public var oldSeverity: String?
    public var newSeverity: String?
    /// `{"field": {"old": .., "new": ..}}` as JSON text.
    public var changesJSON: String
    /// The finding or covered resource as the API gave it.
    public var data: [UInt8]?
    public var occurredAt: Date

    public init(
        type: ChangeEventType, findingArn: String? = nil, resourceId: String? = nil, resourceType: String? = nil, scanType: String? = nil,
        accountId: String, region: String, oldStatus: String? = nil, newStatus: String? = nil,
        oldSeverity: String? = nil, newSeverity: String? = nil, changesJSON: String = "{}",
        data: [UInt8]? = nil, occurredAt: Date
    ) {
        self.type = type
        self.findingArn = findingArn
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.scanType = scanType
        self.accountId = accountId
        self.region = region
        self.oldStatus = oldStatus
        self.newStatus = newStatus
        self.oldSeverity = oldSeverity
        self.newSeverity = newSeverity
        self.changesJSON = changesJSON
        self.data = data
        self.occurredAt = occurredAt
    }

    /// The events for one finding's change, with what changed spelled out.
    public static func forFinding(
        _ record: FindingRecord, old: FindingState?, types: [ChangeEventType]
    ) -> [ChangeEventRecord] {
        guard !types.isEmpty else { return [] }
        let changes = ChangesJSON.make(old: old, new: record.state)
        return types.map { type in
            ChangeEventRecord(
                type: type, findingArn: record.arn, resourceId: record.resourceId, resourceType: record.resourceType,
                accountId: record.accountId, region: record.region,
                oldStatus: old?.status, newStatus: record.status,
                oldSeverity: old?.severity, newSeverity: record.severity,
                changesJSON: changes, data: record.raw, occurredAt: record.updatedAt ?? Date()
            )
        }
    }
}

/// Builds the `changes` column: only fields that differ, `old` null for a new finding.
enum ChangesJSON {
    static func make(old: FindingState?, new: FindingState) -> String {
        var parts: [String] = []
        func add(_ name: String, _ a: String?, _ b: String?) {
            guard a != b else { return }
            parts.append("\"\(name)\":{\"old\":\(quote(a)),\"new\":\(quote(b))}")
        }
        func addNumber(_ name: String, _ a: Double?, _ b: Double?) {
            guard !FindingTransition.sameScore(a, b) else { return }
            parts.append("\"\(name)\":{\"old\":\(a.map { "\($0)" } ?? "null"),\"new\":\(b.map { "\($0)" } ?? "null")}")
        }
        add("status", old?.status, new.status)
        add("severity", old?.severity, new.severity)
        addNumber("inspectorScore", old?.inspectorScore, new.inspectorScore)
        addNumber("epssScore", old?.epssScore, new.epssScore)
        add("fixAvailable", old?.fixAvailable, new.fixAvailable)
        add("exploitAvailable", old?.exploitAvailable, new.exploitAvailable)
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func quote(_ value: String?) -> String {
        value.map(JSONString.quote) ?? "null"
    }
}
