import Foundation

/// A finding normalized for storage: the columns of `inspector.findings` and its child rows, plus the
/// raw JSON exactly as the API sent it.
public struct FindingRecord: Sendable {
    public var arn: String
    public var accountId: String
    public var region: String
    public var type: String
    public var status: String
    public var severity: String
    public var title: String?
    public var description: String?
    public var inspectorScore: Double?
    public var epssScore: Double?
    public var fixAvailable: String?
    public var exploitAvailable: String?
    public var firstObservedAt: Date?
    public var lastObservedAt: Date?
    public var updatedAt: Date?
    public var raw: [UInt8]
    public var resources: [ResourceRecord]
    public var packages: [PackageRecord]
    public var vulnerabilities: [VulnerabilityRecord]
    public var networkReachability: NetworkReachabilityRecord?

    public init(
        arn: String, accountId: String, region: String, type: String, status: String, severity: String,
        title: String? = nil, description: String? = nil, inspectorScore: Double? = nil, epssScore: Double? = nil,
        fixAvailable: String? = nil, exploitAvailable: String? = nil,
        firstObservedAt: Date? = nil, lastObservedAt: Date? = nil, updatedAt: Date? = nil,
        raw: [UInt8], resources: [ResourceRecord] = [], packages: [PackageRecord] = [],
        vulnerabilities: [VulnerabilityRecord] = [], networkReachability: NetworkReachabilityRecord? = nil
    ) {
        self.arn = arn
        self.accountId = accountId
        self.region = region
        self.type = type
        self.status = status
        self.severity = severity
        self.title = title
        self.description = description
        self.inspectorScore = inspectorScore
        self.epssScore = epssScore
        self.fixAvailable = fixAvailable
        self.exploitAvailable = exploitAvailable
        self.firstObservedAt = firstObservedAt
        self.lastObservedAt = lastObservedAt
        self.updatedAt = updatedAt
        self.raw = raw
        self.resources = resources
        self.packages = packages
        self.vulnerabilities = vulnerabilities
        self.networkReachability = networkReachability
    }

    /// The fields whose changes are events.
    public var state: FindingState {
        FindingState(
            status: status, severity: severity, inspectorScore: inspectorScore,
            fixAvailable: fixAvailable, exploitAvailable: exploitAvailable
        )
    }
}

public struct ResourceRecord: Sendable, Hashable {
    public var id: String
    public var type: String
    public var accountId: String
    public var region: String
    public var partition: String?
    /// JSON objects, as text.
    public var tagsJSON: String?
    public var detailsJSON: String?

    public init(id: String, type: String, accountId: String, region: String, partition: String? = nil, tagsJSON: String? = nil, detailsJSON: String? = nil) {
        self.id = id
        self.type = type
        self.accountId = accountId
        self.region = region
        self.partition = partition
        self.tagsJSON = tagsJSON
        self.detailsJSON = detailsJSON
    }
}

public struct PackageRecord: Sendable, Hashable {
    public var name: String
    public var version: String
    public var epoch: Int?
    public var release: String?
    public var arch: String?
    public var packageManager: String?
    public var filePath: String?
    public var fixedInVersion: String?
    public var remediation: String?
    public var sourceLayerHash: String?
    public var sourceLambdaLayerArn: String?

    public init(
        name: String, version: String, epoch: Int? = nil, release: String? = nil, arch: String? = nil,
        packageManager: String? = nil, filePath: String? = nil, fixedInVersion: String? = nil,
        remediation: String? = nil, sourceLayerHash: String? = nil, sourceLambdaLayerArn: String? = nil
    ) {
        self.name = name
        self.version = version
        self.epoch = epoch
        self.release = release
        self.arch = arch
        self.packageManager = packageManager
        self.filePath = filePath
        self.fixedInVersion = fixedInVersion
        self.remediation = remediation
        self.sourceLayerHash = sourceLayerHash
        self.sourceLambdaLayerArn = sourceLambdaLayerArn
    }
}

public struct VulnerabilityRecord: Sendable, Hashable {
    public var id: String
    public var source: String?
    public var sourceURL: String?
    public var vendorSeverity: String?
    public var cvssJSON: String?
    public var epssScore: Double?
    public var exploitAvailable: String?
    public var referenceURLsJSON: String?
    public var relatedVulnerabilitiesJSON: String?
    public var vendorCreatedAt: Date?
    public var vendorUpdatedAt: Date?

    public init(
        id: String, source: String? = nil, sourceURL: String? = nil, vendorSeverity: String? = nil,
        cvssJSON: String? = nil, epssScore: Double? = nil, exploitAvailable: String? = nil,
        referenceURLsJSON: String? = nil, relatedVulnerabilitiesJSON: String? = nil,
        vendorCreatedAt: Date? = nil, vendorUpdatedAt: Date? = nil
    ) {
        self.id = id
        self.source = source
        self.sourceURL = sourceURL
        self.vendorSeverity = vendorSeverity
        self.cvssJSON = cvssJSON
        self.epssScore = epssScore
        self.exploitAvailable = exploitAvailable
        self.referenceURLsJSON = referenceURLsJSON
        self.relatedVulnerabilitiesJSON = relatedVulnerabilitiesJSON
        self.vendorCreatedAt = vendorCreatedAt
        self.vendorUpdatedAt = vendorUpdatedAt
    }
}

public struct NetworkReachabilityRecord: Sendable, Hashable {
    public var `protocol`: String?
    public var portRangeBegin: Int?
    public var portRangeEnd: Int?
    public var networkPathJSON: String?

    public init(protocol: String?, portRangeBegin: Int?, portRangeEnd: Int?, networkPathJSON: String?) {
        self.protocol = `protocol`
        self.portRangeBegin = portRangeBegin
        self.portRangeEnd = portRangeEnd
        self.networkPathJSON = networkPathJSON
    }
}
