import Foundation

/// One change-feed event as a delivery needs it (a row of `inspector.finding_events`).
public struct DeliveryEvent: Sendable, Equatable {
    public var id: Int64
    public var type: String
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
    /// The finding or covered resource as the API gave it, JSON text (nil when not stored).
    public var dataJSON: String?
    public var occurredAt: Date

    public init(
        id: Int64, type: String, findingArn: String? = nil, resourceId: String? = nil, resourceType: String? = nil,
        scanType: String? = nil, accountId: String, region: String, oldStatus: String? = nil, newStatus: String? = nil,
        oldSeverity: String? = nil, newSeverity: String? = nil, changesJSON: String = "{}", dataJSON: String? = nil,
        occurredAt: Date
    ) {
        self.id = id
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
        self.dataJSON = dataJSON
        self.occurredAt = occurredAt
    }

    /// The finding ARN, or the covered resource for coverage events.
    public var subject: String { findingArn ?? resourceId ?? "" }

    /// The finding's title from its raw JSON, when present.
    public var title: String? {
        guard let dataJSON, let object = try? JSONSerialization.jsonObject(with: Data(dataJSON.utf8)) as? [String: Any] else {
            return nil
        }
        return object["title"] as? String
    }
}
