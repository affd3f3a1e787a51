import Foundation

/// Everything the emulator needs to start; the executable maps its flags onto this one to one.
public struct EmulatorConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 binds a free port (see `EmulatorServer.start`).
    public var port = 4566
    public var seed: UInt64 = 42
    /// Member accounts besides the delegated administrator.
    public var accounts = 3
    public var regions = ["us-east-1", "eu-west-1"]
    /// Findings per account (administrator included) and region.
    public var findingsPerAccountRegion = 1000
    /// Reject requests without a valid SigV4 signature (otherwise the Authorization header is only parsed).
    public var requireSigV4 = false
    /// The delegated administrator's credentials. Keys issued by STS AssumeRole act as the role's account.
    public var accessKey = EmulatorConfiguration.defaultAccessKey
    public var secretKey = EmulatorConfiguration.defaultSecretKey
    /// Persist state here (on shutdown and after control changes) and reload it at start.
    public var stateFile: String?
    /// CreateFindingsReport writes `<dir>/<bucket>/<keyPrefix>/<reportId>.<json|csv>` here.
    public var reportsDirectory: String?
    /// Simulated time at start, epoch seconds. nil: today's UTC midnight, so runs on the same day with the
    /// same seed produce byte-identical data while timestamps still look recent.
    public var startTime: Double?

    public static let defaultAccessKey = "AKIDEMULATORADMIN"
    public static let defaultSecretKey = "emulator/admin/secret/key/0123456789abcd"

    public init() {}

    public var resolvedStartTime: Double {
        startTime ?? (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
    }
}
