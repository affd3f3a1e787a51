import FindingStore
import Foundation
import Inspector2Client
import Logging
import PostgresNIO

/// Runs sync jobs: one pass over given targets (`sync --once`) or the scheduler loop (`run`).
///
/// Each job is isolated: a failure is recorded on its own row (`last_error`, a back-off before the
/// next try) and never stops the others.
public struct SyncRunner: Sendable {
    public typealias ClientFactory = @Sendable (SyncTarget) async throws -> Inspector2Client

    public enum Result: Sendable {
        case findings(FindingsJob.Outcome)
        case coverage(CoverageJob.Outcome)
        case failed(String)
        /// Another replica holds the lease (or took it over): not ours to run now.
        case skipped
    }

    public struct JobResult: Sendable {
        public var key: SyncJobKey
        public var result: Result
        public var duration: Duration

        public var failed: Bool {
            if case .failed = result { return true }
            return false
        }
    }

    public let store: SyncStateStore
    public let clients: ClientFactory
    public let options: SyncOptions
    public let logger: Logger
    /// Asked between pages: true stops the job at the page boundary (its progress is stored; the
    /// lease is released so the restart or another replica resumes at once). The daemon answers
    /// with ServiceLifecycle's graceful-shutdown state.
    public let stopRequested: @Sendable () -> Bool
    /// Told after every stored page of a backfill or sweep (`sync --once` draws a progress line).
    public var onProgress: (@Sendable (ReadProgress) -> Void)?

    public init(
        store: SyncStateStore, options: SyncOptions, logger: Logger,
        stopRequested: @escaping @Sendable () -> Bool = { false },
        clients: @escaping ClientFactory
    ) {
        self.store = store
        self.clients = clients
        self.options = options
        self.logger = logger
        self.stopRequested = stopRequested
    }

    /// One cycle of every job of `targets`, at most `concurrency` at a time, due or not.
    public func runOnce(targets: [SyncTarget], jobs: [SyncJobKind] = SyncJobKind.allCases, concurrency: Int) async throws -> [JobResult] {
        let keys = targets.sorted().flatMap { target in jobs.map { SyncJobKey(target: target, job: $0) } }
        try await store.ensure(keys)
        let claimAndRun: @Sendable (SyncJobKey) async throws -> JobResult = { key in
            guard let state = try await store.claim(limit: 1, onlyDue: false, keys: [key]).first else {
                return JobResult(key: key, result: .skipped, duration: .zero)
            }
            return await run(state)
        }
        var results: [JobResult] = []
        try await withThrowingTaskGroup(of: JobResult.self) { group in
            var remaining = keys.makeIterator()
            for _ in 0..<max(concurrency, 1) {
                guard let key = remaining.next() else { break }
                group.addTask { try await claimAndRun(key) }
            }
            while let finished = try await group.next() {
                results.append(finished)
                if let key = remaining.next() {
                    group.addTask { try await claimAndRun(key) }
                }
            }
        }
        return results.sorted { $0.key.description < $1.key.description }
    }

    /// Runs one claimed job to its end and records the outcome on its row.
    public func run(_ state: SyncJobState) async -> JobResult {
        let key = state.key
        var logger = self.logger
        logger[metadataKey: "sync.target"] = "\(key.target)"
        logger[metadataKey: "sync.job"] = "\(key.job.rawValue)"
        logger[metadataKey: "aws.account"] = "\(key.target.accountId)"
        logger[metadataKey: "aws.region"] = "\(key.target.region)"
        let started = ContinuousClock.now
        do {
            let context = JobContext(
                store: store, client: try await clients(key.target), options: options, logger: logger, stopRequested: stopRequested,
                onProgress: onProgress
            )
            switch key.job {
            case .findings:
                let outcome = try await withLeaseHeartbeat(key) { try await FindingsJob(context).run(state) }
                let duration = ContinuousClock.now - started
                logger.info("findings cycle done", metadata: [
                    "sync.pages": "\(outcome.pages)", "sync.findings": "\(outcome.findings)", "sync.changed": "\(outcome.changed)",
                    "sync.events": "\(outcome.events)", "sync.backfill": "\(state.isBackfill)", "sync.duration_ms": "\(Int(duration / .milliseconds(1)))",
                ])
                SyncMetrics.findings(key, outcome)
                SyncMetrics.jobFinished(key, outcome: "ok", duration: duration)
                return JobResult(key: key, result: .findings(outcome), duration: duration)
            case .coverage:
                let outcome = try await withLeaseHeartbeat(key) { try await CoverageJob(context).run(state) }
                let duration = ContinuousClock.now - started
                logger.info("coverage cycle done", metadata: [
                    "sync.pages": "\(outcome.pages)", "sync.resources": "\(outcome.resources)", "sync.events": "\(outcome.events)",
                    "sync.removed": "\(outcome.removed)", "sync.duration_ms": "\(Int(duration / .milliseconds(1)))",
                ])
                SyncMetrics.coverage(outcome)
                SyncMetrics.jobFinished(key, outcome: "ok", duration: duration)
                return JobResult(key: key, result: .coverage(outcome), duration: duration)
            }
        } catch let error as LeaseLostError {
            logger.warning("lease lost; another replica carries on", metadata: ["error": "\(error)"])
            SyncMetrics.jobFinished(key, outcome: "lease_lost", duration: ContinuousClock.now - started)
            return JobResult(key: key, result: .skipped, duration: ContinuousClock.now - started)
        } catch is CancellationError {
            // Shutdown: give the lease back so another replica (or the restart) resumes at once.
            try? await withDeadline(store.pageWriteDeadline, "releasing a lease") { try await store.release(key) }
            return JobResult(key: key, result: .failed("cancelled"), duration: ContinuousClock.now - started)
        } catch where Task.isCancelled {
            // Cancelled mid-call (the shutdown grace period ran out): the client reports it as its
            // own error type, but it is no failure of the target.
            try? await withDeadline(store.pageWriteDeadline, "releasing a lease") { try await store.release(key) }
            return JobResult(key: key, result: .failed("cancelled"), duration: ContinuousClock.now - started)
        } catch {
            let message = SyncErrorDescription.text(error)
            let retryIn = SyncBackoff.delay(consecutiveFailures: state.consecutiveFailures + 1, maxBackoff: options.maxBackoff, jitter: Double.random(in: 0...1))
            logger.error("\(key.job.rawValue) cycle failed; retrying later", metadata: [
                "error": "\(message)", "sync.retry_in_s": "\(retryIn.components.seconds)",
            ])
            do {
                try await withDeadline(store.pageWriteDeadline, "recording a failure") { try await store.recordFailure(key, error: message, retryIn: retryIn) }
            } catch {
                logger.error("could not record the failure", metadata: ["error": "\(SyncErrorDescription.text(error))"])
            }
            SyncMetrics.jobFinished(key, outcome: "failed", duration: ContinuousClock.now - started)
            return JobResult(key: key, result: .failed(message), duration: ContinuousClock.now - started)
        }
    }
}

extension SyncRunner {
    /// Runs `body` while renewing the job's lease every third of its duration: every stored page
    /// renews it too, but a slow page (retries, Retry-After, rate limiting) or a long purge must not
    /// let another replica take a job that is still making progress.
    func withLeaseHeartbeat<T>(_ key: SyncJobKey, _ body: () async throws -> T) async throws -> T {
        let store = self.store
        // Unstructured, and cancelled without waiting: a renewal stuck on a dead connection must
        // not keep the job from returning (structured children are awaited at scope exit).
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: store.leaseDuration / 3)
                if Task.isCancelled { return }
                try? await withDeadline(store.leaseDuration, "renewing a lease") { try await store.renew(key) }
            }
        }
        defer { heartbeat.cancel() }
        return try await body()
    }
}

/// Error text for logs and `sync_state.last_error`: what went wrong, never credentials or SQL
/// parameters.
public enum SyncErrorDescription {
    public static func text(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError: return "database: \(error.redactedSummary)"
        case let error as StoreError: return "database: \(error)"
        default: return "\(error)"
        }
    }
}
