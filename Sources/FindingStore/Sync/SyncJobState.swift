import Foundation

/// A row of `inspector.sync_state`, as a claimed job sees it.
public struct SyncJobState: Sendable, Equatable {
    public var key: SyncJobKey
    /// Service time up to which everything is stored; nil before the first complete window.
    public var watermark: Date?
    /// The window in progress, when a previous run stopped in the middle of one.
    public var windowStart: Date?
    public var windowEnd: Date?
    public var nextToken: String?
    public var pagesInWindow: Int
    public var backfillCompletedAt: Date?
    public var consecutiveFailures: Int
    public var lastSuccessAt: Date?
    public var lastReconcileAt: Date?
    /// Set while a reconciliation sweep (a full read that finds purged findings) is in progress.
    public var sweepStartedAt: Date?
    /// When the open-finding counts were last compared with the service's aggregation.
    public var lastCountCheckAt: Date?

    public init(
        key: SyncJobKey, watermark: Date? = nil, windowStart: Date? = nil, windowEnd: Date? = nil,
        nextToken: String? = nil, pagesInWindow: Int = 0, backfillCompletedAt: Date? = nil,
        consecutiveFailures: Int = 0, lastSuccessAt: Date? = nil, lastReconcileAt: Date? = nil, sweepStartedAt: Date? = nil,
        lastCountCheckAt: Date? = nil
    ) {
        self.key = key
        self.watermark = watermark
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.nextToken = nextToken
        self.pagesInWindow = pagesInWindow
        self.backfillCompletedAt = backfillCompletedAt
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccessAt = lastSuccessAt
        self.lastReconcileAt = lastReconcileAt
        self.sweepStartedAt = sweepStartedAt
        self.lastCountCheckAt = lastCountCheckAt
    }

    /// True until the first full pass over the target has been stored.
    public var isBackfill: Bool { backfillCompletedAt == nil }

    /// A window was started (its end is known) but not finished.
    public var hasWindowInProgress: Bool { windowEnd != nil }
}

/// The job's lease was taken over (it expired, another replica claimed it): stop, store nothing more.
public struct LeaseLostError: Error, CustomStringConvertible, Sendable {
    public var key: SyncJobKey
    public init(key: SyncJobKey) { self.key = key }
    public var description: String { "lease on \(key) was lost to another replica" }
}
