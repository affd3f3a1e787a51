/// A resource Inspector scans (EC2 instance, ECR image, Lambda function): the subject of findings and
/// the source of ListCoverage entries.
public struct ResourceRecord: Sendable {
    public var type: String  // ResourceType: AWS_EC2_INSTANCE, AWS_ECR_CONTAINER_IMAGE, AWS_LAMBDA_FUNCTION
    public var id: String
    public var accountId: String
    public var region: String
    public var tags: [(String, String)]

    // EC2
    public var instanceType = ""
    public var imageId = ""
    public var vpcId = ""
    public var subnetId = ""
    public var platform = ""
    public var ipV4 = ""
    public var launchedAt: Double = 0
    // ECR
    public var repositoryName = ""
    public var imageTags: [String] = []
    public var imageHash = ""
    public var architecture = ""
    public var pushedAt: Double = 0
    public var lastInUseAt: Double = 0
    public var inUseCount = 0
    // Lambda
    public var functionName = ""
    public var runtime = ""
    public var layers: [String] = []
    public var executionRoleArn = ""
    public var codeSha256 = ""
    public var lastModifiedAt: Double = 0

    // Coverage
    public var scanStatusCode = "ACTIVE"
    public var scanStatusReason = "SUCCESSFUL"
    public var lastScannedAt: Double = 0
    /// Scan types this resource is covered by (PACKAGE, NETWORK, CODE).
    public var scanTypes: [String] = []
    /// Set when the resource is gone (terminated, deleted): its coverage disappears, and its closed findings
    /// are purged 3 days after closing instead of 30.
    public var goneAt: Double?

    public init(type: String, id: String, accountId: String, region: String, tags: [(String, String)]) {
        self.type = type
        self.id = id
        self.accountId = accountId
        self.region = region
        self.tags = tags
    }

    public var isCovered: Bool { goneAt == nil }
}
