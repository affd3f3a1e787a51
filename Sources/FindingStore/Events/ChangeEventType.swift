/// The event types of the change feed (`inspector.finding_events.event_type`) and of webhooks.
///
/// These strings are a public contract: SQL reports and alert rules match on them.
public enum ChangeEventType: String, Sendable, CaseIterable, Codable {
    case findingCreated = "finding.created"
    case findingClosed = "finding.closed"
    case findingReopened = "finding.reopened"
    case findingSuppressed = "finding.suppressed"
    case findingUnsuppressed = "finding.unsuppressed"
    /// A status change that is none of the above (a status AWS adds later, for example).
    case findingStatusChanged = "finding.status_changed"
    case findingSeverityChanged = "finding.severity_changed"
    /// The inspector score or the EPSS score moved while the severity stayed (a rescoring, a new
    /// CVSS version, the daily EPSS update).
    case findingScoreChanged = "finding.score_changed"
    case findingFixAvailableChanged = "finding.fix_available_changed"
    case findingExploitAvailableChanged = "finding.exploit_available_changed"
    case findingPurged = "finding.purged"
    case coverageAdded = "coverage.added"
    case coverageRemoved = "coverage.removed"
    case coverageScanStatusChanged = "coverage.scan_status_changed"
}
