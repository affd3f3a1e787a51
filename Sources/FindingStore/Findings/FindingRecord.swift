import Foundation

/// A finding ready for storage: the fields the sync reads (to classify changes and fill the
/// columns of `inspector.findings`) and the raw JSON exactly as the API sent it.
///
/// The child rows (resources, packages, vulnerabilities, network reachability) are derived from
/// the raw JSON inside PostgreSQL, set-based, by the page writer.
public struct FindingRecord: Sendable {
    public var arn: String
    public var accountId: String
    public var region: String
    public var type: String
    public var status: String
    public var severity: String
    public var title: String?
    public var inspectorScore: Double?
    public var epssScore: Double?
    public var fixAvailable: String?
    public var exploitAvailable: String?
    public var firstObservedAt: Date?
    public var lastObservedAt: Date?
    public var updatedAt: Date?
    /// The first resource of the finding, for the events' resource columns and webhook filters.
    public var resourceId: String?
    public var resourceType: String?
    public var raw: [UInt8]

    public init(
        arn: String, accountId: String, region: String, type: String, status: String, severity: String,
        title: String? = nil, inspectorScore: Double? = nil, epssScore: Double? = nil,
        fixAvailable: String? = nil, exploitAvailable: String? = nil,
        firstObservedAt: Date? = nil, lastObservedAt: Date? = nil, updatedAt: Date? = nil,
        resourceId: String? = nil, resourceType: String? = nil, raw: [UInt8]
    ) {
        self.arn = arn
        self.accountId = accountId
        self.region = region
        self.type = type
        self.status = status
        self.severity = severity
        self.title = title
        self.inspectorScore = inspectorScore
        self.epssScore = epssScore
        self.fixAvailable = fixAvailable
        self.exploitAvailable = exploitAvailable
        self.firstObservedAt = firstObservedAt
        self.lastObservedAt = lastObservedAt
        self.updatedAt = updatedAt
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.raw = raw
    }

    /// The fields whose changes are events.
    public var state: FindingState {
        FindingState(
            status: status, severity: severity, inspectorScore: inspectorScore, epssScore: epssScore,
            fixAvailable: fixAvailable, exploitAvailable: exploitAvailable
        )
    }
}
