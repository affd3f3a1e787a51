import Foundation

/// Everything the status page shows, read in one database snapshot. A value with no I/O, so the
/// renderer is a pure function of it. It never holds a secret: webhook URLs are reduced to their host
/// before they get here.
public struct StatusSnapshot: Sendable, Equatable {
    /// The database's clock at the time of the read: ages are measured against it.
    public var generatedAt: Date
    public var targets: [TargetHealth]
    public var openByAccount: [AccountOpenFindings]
    public var trend: Trend
    public var recentEvents: [RecentEvent]
    public var webhooks: [WebhookHealth]

    public init(
        generatedAt: Date, targets: [TargetHealth] = [], openByAccount: [AccountOpenFindings] = [], trend: Trend = Trend(days: [], series: [:]),
        recentEvents: [RecentEvent] = [], webhooks: [WebhookHealth] = []
    ) {
        self.generatedAt = generatedAt
        self.targets = targets
        self.openByAccount = openByAccount
        self.trend = trend
        self.recentEvents = recentEvents
        self.webhooks = webhooks
    }

    /// One row of `inspector.sync_state`.
    public struct TargetHealth: Sendable, Equatable {
        public var account: String
        public var region: String
        public var job: String
        public var watermark: Date?
        public var lastSuccessAt: Date?
        public var consecutiveFailures: Int
        public var lastError: String?
        /// running (leased), waiting (next run in the future) or due.
        public var state: String

        public init(account: String, region: String, job: String, watermark: Date?, lastSuccessAt: Date?, consecutiveFailures: Int, lastError: String?, state: String) {
            self.account = account
            self.region = region
            self.job = job
            self.watermark = watermark
            self.lastSuccessAt = lastSuccessAt
            self.consecutiveFailures = consecutiveFailures
            self.lastError = lastError
            self.state = state
        }
    }

    /// Open (ACTIVE, not purged) findings of one account by severity.
    public struct AccountOpenFindings: Sendable, Equatable {
        public var account: String
        public var counts: [String: Int]
        public var total: Int { counts.values.reduce(0, +) }

        public init(account: String, counts: [String: Int]) {
            self.account = account
            self.counts = counts
        }
    }

    /// `inspector.open_trend`: per severity, the open count at the end of each day (0 where the
    /// function returned no row).
    public struct Trend: Sendable, Equatable {
        /// YYYY-MM-DD, oldest first.
        public var days: [String]
        /// Severity -> one count per day, aligned with `days`.
        public var series: [String: [Int]]

        public init(days: [String], series: [String: [Int]]) {
            self.days = days
            self.series = series
        }
    }

    /// A row of `inspector.finding_events`.
    public struct RecentEvent: Sendable, Equatable {
        public var id: Int64
        public var type: String
        public var occurredAt: Date
        public var account: String
        public var region: String
        public var oldSeverity: String?
        public var newSeverity: String?
        /// The finding's title, else the resource id or the finding ARN.
        public var subject: String

        public init(id: Int64, type: String, occurredAt: Date, account: String, region: String, oldSeverity: String?, newSeverity: String?, subject: String) {
            self.id = id
            self.type = type
            self.occurredAt = occurredAt
            self.account = account
            self.region = region
            self.oldSeverity = oldSeverity
            self.newSeverity = newSeverity
            self.subject = subject
        }
    }

    /// A webhook endpoint and its outbox backlog.
    public struct WebhookHealth: Sendable, Equatable {
        public var name: String
        /// The URL's host only: paths, queries and user info may carry tokens.
        public var host: String
        public var format: String
        public var enabled: Bool
        public var inConfig: Bool
        public var disabledReason: String?
        public var lastSuccessAt: Date?
        public var firstFailureAt: Date?
        /// Not yet delivered (pending or in flight).
        public var pending: Int
        /// Of those, the ones that failed at least once and wait for a retry.
        public var retrying: Int
        /// Given up on (kept for `webhooks redeliver`).
        public var dead: Int
        public var oldestPendingAt: Date?

        public init(
            name: String, host: String, format: String, enabled: Bool, inConfig: Bool = true, disabledReason: String? = nil,
            lastSuccessAt: Date? = nil, firstFailureAt: Date? = nil, pending: Int = 0, retrying: Int = 0, dead: Int = 0, oldestPendingAt: Date? = nil
        ) {
            self.name = name
            self.host = host
            self.format = format
            self.enabled = enabled
            self.inConfig = inConfig
            self.disabledReason = disabledReason
            self.lastSuccessAt = lastSuccessAt
            self.firstFailureAt = firstFailureAt
            self.pending = pending
            self.retrying = retrying
            self.dead = dead
            self.oldestPendingAt = oldestPendingAt
        }
    }
}
