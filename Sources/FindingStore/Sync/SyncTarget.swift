/// One (account, region) pair the sync mirrors.
public struct SyncTarget: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var accountId: String
    public var region: String

    public init(accountId: String, region: String) {
        self.accountId = accountId
        self.region = region
    }

    public var description: String { "\(accountId)/\(region)" }

    public static func < (a: SyncTarget, b: SyncTarget) -> Bool {
        (a.accountId, a.region) < (b.accountId, b.region)
    }
}

/// Findings and coverage of a target are separate jobs with their own state, so that one failing
/// never holds the other back.
public enum SyncJobKind: String, Sendable, CaseIterable {
    case findings
    case coverage
}

public struct SyncJobKey: Hashable, Sendable, CustomStringConvertible {
    public var target: SyncTarget
    public var job: SyncJobKind

    public init(target: SyncTarget, job: SyncJobKind) {
        self.target = target
        self.job = job
    }

    public var description: String { "\(target)/\(job.rawValue)" }
}
