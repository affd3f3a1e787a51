#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FindingStore
import Foundation
import Synchronization
import SyncEngine

/// `sync --once` on a terminal: one line on stderr, redrawn in place, with the long reads in flight
/// (backfills and sweeps) summed up. Off when stderr is not a terminal (cron, systemd, pipes).
public final class TerminalProgressLine: Sendable {
    private let reads = Mutex<[SyncJobKey: ReadProgress]>([:])
    private let started = ContinuousClock.now

    public init() {}

    public static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    public func update(_ progress: ReadProgress) {
        reads.withLock { $0[progress.key] = progress }
    }

    /// The line as it is drawn now; nil before any long read reported.
    public func text(at now: ContinuousClock.Instant = .now) -> String? {
        let all = reads.withLock { $0 }
        guard !all.isEmpty else { return nil }
        let stored = all.values.reduce(0) { $0 + $1.stored }
        let expected = all.values.compactMap(\.expected).reduce(0, +)
        let seconds = Double((now - started) / .milliseconds(1)) / 1000
        let rate = seconds > 0 ? Int(Double(stored) / seconds) : 0
        let reading = all.values.filter { !$0.isFinished }.count
        var line = "syncing: \(reading) of \(all.count) long read(s) in flight, \(ReadProgress.grouped(stored)) findings stored, \(ReadProgress.grouped(rate))/s"
        if expected > 0 && reading > 0 {
            line += ", ≈\(min(99, stored * 100 / expected))% of \(ReadProgress.grouped(expected)) open"
        }
        return line
    }

    /// Redraws every `interval` until cancelled, then clears the line.
    public func draw(every interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            if let line = text() { Self.write("\r\u{1B}[K" + line) }
            try? await Task.sleep(for: interval)
        }
        Self.write("\r\u{1B}[K")
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
