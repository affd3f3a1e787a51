import FindingStore
import Foundation

/// Progress of a long read (a target's backfill or reconciliation sweep): findings stored, the rate,
/// and how far along against the service's own count. Pure: the job feeds it pages and the time, and
/// asks when the next progress line is due.
///
/// The expected total is the target's open findings per ListFindingAggregations; a backfill also
/// reads closed and suppressed findings, so the fraction is capped below 1 until the read ends.
public struct ReadProgress: Sendable, Equatable {
    public let key: SyncJobKey
    public var expected: Int?
    public private(set) var stored = 0
    public private(set) var pages = 0
    /// The read reached its last page.
    public private(set) var isFinished = false
    public let started: ContinuousClock.Instant
    private var lastLogged: ContinuousClock.Instant

    public init(key: SyncJobKey, expected: Int?, started: ContinuousClock.Instant) {
        self.key = key
        self.expected = expected
        self.started = started
        self.lastLogged = started
    }

    public mutating func record(findings: Int) {
        stored += findings
        pages += 1
    }

    public mutating func finish() { isFinished = true }

    /// Findings per second since the read started.
    public func rate(at now: ContinuousClock.Instant) -> Double {
        let seconds = Double((now - started) / .milliseconds(1)) / 1000
        return seconds > 0 ? Double(stored) / seconds : 0
    }

    /// 0..<1 while reading, nil without an expected count.
    public var fraction: Double? {
        guard let expected, expected > 0 else { return nil }
        if isFinished { return 1 }
        return min(Double(stored) / Double(expected), 0.99)
    }

    /// True once per `interval`: the caller logs a progress line then.
    public mutating func due(at now: ContinuousClock.Instant, every interval: Duration) -> Bool {
        guard now - lastLogged >= interval else { return false }
        lastLogged = now
        return true
    }

    /// `12,345 findings (≈41%, 1,520/s)` for logs and the terminal.
    public func summary(at now: ContinuousClock.Instant) -> String {
        var text = "\(Self.grouped(stored)) findings"
        var details: [String] = []
        if let fraction { details.append("≈\(Int(fraction * 100))%") }
        details.append("\(Self.grouped(Int(rate(at: now).rounded())))/s")
        text += " (" + details.joined(separator: ", ") + ")"
        return text
    }

    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}
