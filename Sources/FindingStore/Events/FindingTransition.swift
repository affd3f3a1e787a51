/// The part of a finding whose changes are events. Everything else (lastObservedAt, descriptions,
/// remediation text) is stored but never makes an event.
public struct FindingState: Sendable, Hashable {
    public var status: String
    public var severity: String
    public var inspectorScore: Double?
    public var epssScore: Double?
    public var fixAvailable: String?
    public var exploitAvailable: String?
    /// AWS stopped returning it (purged); a finding that comes back is reopened, not created.
    public var removed: Bool

    public init(
        status: String, severity: String, inspectorScore: Double? = nil, epssScore: Double? = nil,
        fixAvailable: String? = nil, exploitAvailable: String? = nil, removed: Bool = false
    ) {
        self.status = status
        self.severity = severity
        self.inspectorScore = inspectorScore
        self.epssScore = epssScore
        self.fixAvailable = fixAvailable
        self.exploitAvailable = exploitAvailable
        self.removed = removed
    }
}

/// Classifies the change between the stored and the fetched state of one finding. Pure.
public enum FindingTransition {
    public struct Options: Sendable, Hashable {
        /// True while the target has never completed a backfill.
        public var isBackfill: Bool
        /// `[sync] events_on_first_sync`: record `finding.created` during the backfill too.
        public var eventsOnFirstSync: Bool

        public init(isBackfill: Bool, eventsOnFirstSync: Bool) {
            self.isBackfill = isBackfill
            self.eventsOnFirstSync = eventsOnFirstSync
        }
    }

    /// The events that take `old` (nil: never stored) to `new`, in a stable order: the status event
    /// first, then severity/score, fix, exploit. Identical states give none, so replays are silent.
    public static func classify(old: FindingState?, new: FindingState, options: Options) -> [ChangeEventType] {
        guard let old else {
            if options.isBackfill && !options.eventsOnFirstSync { return [] }
            return [.findingCreated]
        }
        var events: [ChangeEventType] = []
        if let statusEvent = statusEvent(from: old.status, to: new.status, wasRemoved: old.removed) {
            events.append(statusEvent)
        }
        if old.severity != new.severity {
            events.append(.findingSeverityChanged)
        } else if !sameScore(old.inspectorScore, new.inspectorScore) || !sameScore(old.epssScore, new.epssScore) {
            events.append(.findingScoreChanged)
        }
        if old.fixAvailable != new.fixAvailable {
            events.append(.findingFixAvailableChanged)
        }
        if old.exploitAvailable != new.exploitAvailable {
            events.append(.findingExploitAvailableChanged)
        }
        return events
    }

    static func statusEvent(from old: String, to new: String, wasRemoved: Bool) -> ChangeEventType? {
        if old == new {
            // A purged finding that AWS returns again, still closed, is news only if it is open again.
            return wasRemoved && new != "CLOSED" ? .findingReopened : nil
        }
        switch (old, new) {
        case (_, "CLOSED"): return .findingClosed
        case ("CLOSED", "ACTIVE"): return .findingReopened
        case (_, "SUPPRESSED"): return .findingSuppressed
        case ("SUPPRESSED", "ACTIVE"): return .findingUnsuppressed
        default: return .findingStatusChanged
        }
    }

    /// Inspector scores have one decimal and EPSS five; compare below both so a float round trip is no change.
    static func sameScore(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) < 0.000001
        default: return false
        }
    }
}
