import FindingStore
import Foundation
import Metrics

/// What the sync reports to swift-metrics (Prometheus in the daemon).
enum SyncMetrics {
    static func jobFinished(_ key: SyncJobKey, outcome: String, duration: Duration) {
        Counter(label: "inspector_sync_jobs_total", dimensions: [("job", key.job.rawValue), ("outcome", outcome)]).increment()
        Timer(label: "inspector_sync_job_duration_seconds", dimensions: [("job", key.job.rawValue)])
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    static func findings(_ key: SyncJobKey, _ outcome: FindingsJob.Outcome) {
        Counter(label: "inspector_sync_pages_total", dimensions: [("job", "findings")]).increment(by: outcome.pages)
        Counter(label: "inspector_sync_findings_upserted_total").increment(by: outcome.changed)
        Counter(label: "inspector_sync_events_total", dimensions: [("job", "findings")]).increment(by: outcome.events)
        if outcome.purged > 0 { Counter(label: "inspector_sync_findings_purged_total").increment(by: outcome.purged) }
        if let watermark = outcome.watermark {
            // Lag of the stored data behind the service's clock, per target.
            Gauge(label: "inspector_sync_watermark_lag_seconds", dimensions: [("account", key.target.accountId), ("region", key.target.region)])
                .record(max(0, Date().timeIntervalSince(watermark)))
        }
    }

    static func coverage(_ outcome: CoverageJob.Outcome) {
        Counter(label: "inspector_sync_pages_total", dimensions: [("job", "coverage")]).increment(by: outcome.pages)
        Counter(label: "inspector_sync_events_total", dimensions: [("job", "coverage")]).increment(by: outcome.events)
    }
}
