/// One finding: the fields the emulator filters, sorts and aggregates on, plus its JSON, encoded once
/// and re-encoded only when the finding changes, so pages are served by splicing cached bytes.
public struct FindingRecord: Sendable {
    public struct Package: Sendable {
        public var name: String
        public var version: String
        public var epoch: Int
        public var release: String
        public var arch: String
        public var packageManager: String
        public var filePath: String
        public var fixedInVersion: String
        public var sourceLayerHash: String
        public var sourceLambdaLayerArn: String
    }

    public struct Step: Sendable {
        public var componentId: String
        public var componentType: String
    }

    public var arn: String
    public var accountId: String
    public var region: String
    /// Index of the subject resource in its region's resource table.
    public var resourceIndex: Int
    public var type: String
    public var status: String
    public var severity: String
    public var title: String
    public var description: String
    public var firstObservedAt: Double
    public var lastObservedAt: Double
    public var updatedAt: Double
    public var inspectorScore: Double?
    public var epss: Double?
    public var fixAvailable: String?
    public var exploitAvailable: String?
    public var lastKnownExploitAt: Double?
    /// Set while closed: the purge clock starts here.
    public var closedAt: Double?
    /// ARN of the SUPPRESS filter that suppressed it, and the status it had before.
    public var suppressedBy: String?
    public var statusBeforeSuppression: String?

    // PACKAGE_VULNERABILITY
    public var vulnerabilityId = ""
    public var vulnerabilitySource = ""
    public var vendorSeverity = ""
    public var relatedVulnerabilities: [String] = []
    public var packages: [Package] = []
    public var cvssScore: Double = 0
    public var cvssVector = ""
    public var remediationText = ""
    // NETWORK_REACHABILITY
    public var portBegin = 0
    public var portEnd = 0
    public var networkProtocol = ""
    public var steps: [Step] = []
    // CODE_VULNERABILITY
    public var detectorName = ""
    public var detectorId = ""
    public var detectorTags: [String] = []
    public var codeFilePath = ""
    public var codeFileName = ""
    public var ruleId = ""
    public var cwes: [String] = []
    public var codeStartLine = 0

    /// The finding as the API returns it (UTF-8 JSON object).
    public var json: [UInt8] = []
}

extension FindingRecord {
    static let severityRank: [String: Int] = [
        "INFORMATIONAL": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4, "UNTRIAGED": 5,
    ]
}
