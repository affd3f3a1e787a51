import FindingStore
import Foundation

/// Which `updatedAt` window a findings job reads, decided from its stored state alone. Pure.
///
/// The window is `[watermark - overlap, ∞)`: it has no upper bound, so the filter, and therefore
/// every page token, stays the same for the whole cycle, and a finding that changes while the
/// window is being read stays in the result set instead of sliding out of it. The cycle's start,
/// which becomes the next watermark, is the service's clock: the `Date` of the window's first
/// response. The overlap covers the gap between that Date and the moment the service evaluated the
/// query, and whole-second truncation of request timestamps.
public struct FindingsWindow: Sendable, Equatable {
    /// nil: no date filter at all (the first pass over a target, every status).
    public var start: Date?
    /// Where to continue, when a previous run stopped in the middle of this window.
    public var resumeToken: String?
    /// The cycle start recorded by that previous run, when resuming.
    public var resumedEnd: Date?

    public init(start: Date?, resumeToken: String?, resumedEnd: Date?) {
        self.start = start
        self.resumeToken = resumeToken
        self.resumedEnd = resumedEnd
    }

    public static func plan(state: SyncJobState, overlap: Duration) -> FindingsWindow {
        if state.hasWindowInProgress {
            return FindingsWindow(start: state.windowStart, resumeToken: state.nextToken, resumedEnd: state.windowEnd)
        }
        guard let watermark = state.watermark else {
            return FindingsWindow(start: nil, resumeToken: nil, resumedEnd: nil)
        }
        let overlapSeconds = Double(overlap.components.seconds) + Double(overlap.components.attoseconds) / 1e18
        // AWS truncates request timestamps to whole seconds; flooring keeps the window a superset.
        let start = (watermark.timeIntervalSince1970 - overlapSeconds).rounded(.down)
        return FindingsWindow(start: Date(timeIntervalSince1970: start), resumeToken: nil, resumedEnd: nil)
    }
}

/// How long a failing job waits before its next try: doubling from 30 s, capped, with jitter so
/// that many targets failing together (a regional outage) do not retry in lockstep. Pure.
public enum SyncBackoff {
    public static func delay(consecutiveFailures: Int, maxBackoff: Duration, jitter: Double) -> Duration {
        let base = 30.0 * pow(2.0, Double(min(max(consecutiveFailures - 1, 0), 20)))
        let capped = min(base, Double(maxBackoff.components.seconds))
        let jittered = capped * (0.5 + 0.5 * min(max(jitter, 0), 1))
        return .milliseconds(Int64(jittered * 1000))
    }
}
