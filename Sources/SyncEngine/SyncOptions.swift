import Foundation

/// The `[sync]` settings the engine needs.
public struct SyncOptions: Sendable, Equatable {
    /// Time between the end of one successful cycle of a job and the start of the next.
    public var interval: Duration
    /// How far before the watermark each window starts: covers clock granularity, AWS's
    /// eventual consistency and changes made while the previous window was being read.
    public var overlap: Duration
    /// ListFindings `maxResults` (1...100).
    public var pageSize: Int
    /// ListCoverage `maxResults` (1...200).
    public var coveragePageSize: Int
    /// Record `finding.created` / `coverage.added` during a target's first (backfill) pass too.
    public var eventsOnFirstSync: Bool
    /// Filter ListFindings by `awsAccountId` (delegated-admin credentials see every member).
    public var filterByAccount: Bool
    /// Longest wait after repeated failures.
    public var maxBackoff: Duration
    /// How often a target's findings are swept in full to find what AWS purged.
    public var reconcileInterval: Duration
    /// How often the open-finding counts per severity are compared with ListFindingAggregations;
    /// a difference makes the next cycle a sweep instead of waiting for the reconcile interval.
    public var countCheckInterval: Duration
    /// How often a backfill or sweep logs its progress.
    public var progressInterval: Duration = .seconds(10)

    public init(
        interval: Duration = .seconds(300), overlap: Duration = .seconds(900), pageSize: Int = 100,
        coveragePageSize: Int = 200, eventsOnFirstSync: Bool = false, filterByAccount: Bool = true,
        maxBackoff: Duration = .seconds(3600), reconcileInterval: Duration = .seconds(86_400),
        countCheckInterval: Duration? = nil
    ) {
        self.interval = interval
        self.overlap = overlap
        self.pageSize = pageSize
        self.coveragePageSize = coveragePageSize
        self.eventsOnFirstSync = eventsOnFirstSync
        self.filterByAccount = filterByAccount
        self.maxBackoff = maxBackoff
        self.reconcileInterval = reconcileInterval
        self.countCheckInterval = countCheckInterval ?? min(reconcileInterval, .seconds(3600))
    }
}
