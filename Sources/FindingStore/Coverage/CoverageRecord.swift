import Foundation

/// One covered resource and scan type from ListCoverage, ready for storage. The metadata columns are
/// derived from the raw JSON in SQL.
public struct CoverageRecord: Sendable {
    public var accountId: String
    public var region: String
    public var resourceId: String
    public var scanType: String
    public var resourceType: String
    public var scanStatusCode: String?
    public var scanStatusReason: String?
    public var scanMode: String?
    public var lastScannedAt: Date?
    public var raw: [UInt8]

    public init(
        accountId: String, region: String, resourceId: String, scanType: String, resourceType: String,
        scanStatusCode: String? = nil, scanStatusReason: String? = nil, scanMode: String? = nil,
        lastScannedAt: Date? = nil, raw: [UInt8]
    ) {
        self.accountId = accountId
        self.region = region
        self.resourceId = resourceId
        self.scanType = scanType
        self.resourceType = resourceType
        self.scanStatusCode = scanStatusCode
        self.scanStatusReason = scanStatusReason
        self.scanMode = scanMode
        self.lastScannedAt = lastScannedAt
        self.raw = raw
    }

    public struct Key: Hashable, Sendable {
        public var resourceId: String
        public var scanType: String
    }

    public var key: Key { Key(resourceId: resourceId, scanType: scanType) }
}

/// The stored state of a covered resource whose changes are events.
public struct CoverageState: Sendable, Hashable {
    public var scanStatusCode: String?
    public var scanStatusReason: String?
    public var removed: Bool

    public init(scanStatusCode: String?, scanStatusReason: String?, removed: Bool = false) {
        self.scanStatusCode = scanStatusCode
        self.scanStatusReason = scanStatusReason
        self.removed = removed
    }
}

/// Classifies a covered resource seen in a snapshot against its stored row. Pure.
public enum CoverageTransition {
    public static func classify(old: CoverageState?, new: CoverageState, isFirstSnapshot: Bool, eventsOnFirstSync: Bool) -> ChangeEventType? {
        guard let old, !old.removed else {
            if old == nil && isFirstSnapshot && !eventsOnFirstSync { return nil }
            return .coverageAdded
        }
        if old.scanStatusCode != new.scanStatusCode || old.scanStatusReason != new.scanStatusReason {
            return .coverageScanStatusChanged
        }
        return nil
    }
}
