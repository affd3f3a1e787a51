import FindingStore
import Foundation
import Inspector2Client
import Inspector2Model
import Logging
import PostgresNIO

/// One cycle of a target's findings job: read the window page by page, store each page with its
/// events and the window's progress in one transaction, then move the watermark.
public struct FindingsJob: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var pages: Int = 0
        public var findings: Int = 0
        public var changed: Int = 0
        public var events: Int = 0
        public var watermark: Date?
        public var resumed: Bool = false
        /// This cycle was a reconciliation sweep (a full read).
        public var swept: Bool = false
        /// Findings the sweep found gone from AWS (marked removed, `finding.purged`).
        public var purged: Int = 0
        /// The open-finding counts differed from the service's: the next cycle is a sweep.
        public var countsDiffer: Bool = false
        /// Elements of the responses that could not be stored at all (no ARN, not an object).
        public var skipped: Int = 0
    }

    public let context: JobContext
    var store: SyncStateStore { context.store }
    var client: Inspector2Client { context.client }
    var options: SyncOptions { context.options }
    var logger: Logger { context.logger }
    var stopRequested: @Sendable () -> Bool { context.stopRequested }

    public init(_ context: JobContext) {
        self.context = context
    }

    public func run(_ state: SyncJobState) async throws -> Outcome {
        let key = state.key
        var window = FindingsWindow.plan(state: state, overlap: options.overlap)
        // A sweep reads the target in full (no date filter) and remembers every ARN it sees; what it
        // did not see is purged at its end. It runs instead of the incremental window, whose
        // changes it sees too, once per reconcile interval; an interrupted one resumes.
        var sweeping = state.sweepStartedAt != nil
        if !sweeping && !state.isBackfill && !state.hasWindowInProgress && reconcileDue(state) {
            try await withDeadline(store.pageWriteDeadline, "starting a sweep") { try await store.startSweep(key) }
            sweeping = true
            window = FindingsWindow(start: nil, resumeToken: nil, resumedEnd: nil)
        }
        if sweeping { window.start = nil }
        var outcome = Outcome(resumed: window.resumeToken != nil, swept: sweeping)
        let writer = FindingPageWriter(logger: logger)
        let transitionOptions = FindingTransition.Options(isBackfill: state.isBackfill, eventsOnFirstSync: options.eventsOnFirstSync)

        var token = window.resumeToken
        var windowEnd = window.resumedEnd
        var progress = await startProgress(key, long: state.isBackfill || sweeping)
        while true {
            let request = ListFindingsRequest(maxResults: options.pageSize, nextToken: token, filterCriteria: filter(window: window, target: key.target))
            let page: RawElementsPage
            do {
                page = try await client.listFindingsRawElements(request)
            } catch {
                guard token != nil, token == window.resumeToken, Self.isStaleToken(error) else { throw error }
                // The stored token of an interrupted window expired or is no longer accepted:
                // read the same window again from its first page (upserts make that harmless).
                logger.notice("resume token refused; restarting the window", metadata: ["sync.target": "\(key)"])
                try await withDeadline(store.pageWriteDeadline, "resetting a window") { try await store.resetWindow(key) }
                window = FindingsWindow(start: window.start, resumeToken: nil, resumedEnd: nil)
                token = nil
                windowEnd = nil
                continue
            }
            // The window's end is the service's clock at its first page: never the host's.
            let end = windowEnd ?? page.serverDate ?? Date()
            if windowEnd == nil && page.serverDate == nil {
                logger.warning("response without a Date header; using the host clock for the window end", metadata: ["sync.target": "\(key)"])
            }
            windowEnd = end
            var records: [FindingRecord] = []
            records.reserveCapacity(page.page.count)
            for index in 0..<page.page.count {
                do {
                    records.append(try FindingNormalizer.record(raw: page.page.element(index), index: index, region: key.target.region))
                } catch {
                    // Without an ARN nothing can be stored; failing the page would block the target
                    // forever on this one element, so it is counted and logged (without its content).
                    outcome.skipped += 1
                    logger.error("finding skipped", metadata: ["error": "\(error)", "aws.request_id": "\(page.requestId ?? "-")"])
                }
            }
            let nextToken = page.nextToken
            logger.trace("page fetched", metadata: ["sync.page_findings": "\(records.count)"])
            let stored = try await store.client.withConnection(deadline: store.pageWriteDeadline, "storing a page") { [records, window, sweeping] connection in
                try await writer.write(records, options: transitionOptions, on: connection, sweep: sweeping ? key.target : nil) { connection in
                    try await store.recordPage(key, windowStart: window.start, windowEnd: end, nextToken: nextToken, on: connection)
                }
            }
            logger.trace("page stored", metadata: ["sync.page_findings": "\(records.count)"])
            outcome.pages += 1
            outcome.findings += records.count
            outcome.changed += stored.changed
            outcome.events += stored.eventIds.count
            report(&progress, page: records.count, sweeping: sweeping)
            // An empty page with a token is not the end: AWS pages by scanned items, not by matches.
            guard let nextToken else { break }
            // Shutdown: stop at the page boundary; the stored token resumes the window.
            if stopRequested() { throw CancellationError() }
            token = nextToken
        }
        if progress != nil {
            progress!.finish()
            context.onProgress?(progress!)
        }
        let watermark = windowEnd ?? Date()
        if sweeping {
            outcome.purged = try await store.client.withConnection(deadline: store.pageWriteDeadline, "storing a page") { connection in
                try await connection.inTransaction(logger: logger) { connection in
                    let purged = try await FindingPurger.purgeUnseen(target: key.target, occurredAt: watermark, on: connection, logger: logger)
                    try await store.completeWindow(key, watermark: watermark, nextRunIn: options.interval, reconciled: true, on: connection)
                    return purged
                }
            }
            outcome.events += outcome.purged
        } else if !state.isBackfill && countCheckDue(state) {
            let counter = CountCheck(client: client, database: store.client, logger: logger)
            let check = (try? await withDeadline(store.pageWriteDeadline, "comparing counts") { await counter.compare(target: key.target) }) ?? .unavailable
            outcome.countsDiffer = check == .differ
            try await withDeadline(store.pageWriteDeadline, "completing a window") { [options] in
                try await store.completeWindow(
                    key, watermark: watermark, nextRunIn: options.interval, countsChecked: check != .unavailable, sweepNext: check == .differ
                )
            }
        } else {
            // A completed backfill is as good as a sweep: the next one is a reconcile interval away.
            try await withDeadline(store.pageWriteDeadline, "completing a window") { [options] in
                try await store.completeWindow(key, watermark: watermark, nextRunIn: options.interval, reconciled: state.isBackfill)
            }
        }
        outcome.watermark = watermark
        return outcome
    }

    /// Progress is tracked for the long reads only (a backfill or a sweep); its expected total is
    /// the service's open-finding count, one extra call per long read.
    func startProgress(_ key: SyncJobKey, long: Bool) async -> ReadProgress? {
        guard long else { return nil }
        let counts = try? await CountCheck(client: client, database: store.client, logger: logger).serviceCounts(target: key.target)
        return ReadProgress(key: key, expected: counts.map { Int($0.all) }, started: .now)
    }

    func report(_ progress: inout ReadProgress?, page findings: Int, sweeping: Bool) {
        guard progress != nil else { return }
        progress!.record(findings: findings)
        let now = ContinuousClock.now
        if progress!.due(at: now, every: options.progressInterval) {
            logger.info("\(sweeping ? "sweep" : "backfill") progress: \(progress!.summary(at: now))", metadata: [
                "sync.findings": "\(progress!.stored)", "sync.pages": "\(progress!.pages)",
                "sync.rate_per_s": "\(Int(progress!.rate(at: now)))", "sync.expected_open": "\(progress!.expected.map(String.init) ?? "-")",
            ])
        }
        context.onProgress?(progress!)
    }

    func countCheckDue(_ state: SyncJobState) -> Bool {
        guard let last = state.lastCountCheckAt else { return true }
        return Date().timeIntervalSince(last) >= Double(options.countCheckInterval.components.seconds)
    }

    func reconcileDue(_ state: SyncJobState) -> Bool {
        guard let last = state.lastReconcileAt else { return true }
        let interval = Double(options.reconcileInterval.components.seconds)
        return Date().timeIntervalSince(last) >= interval
    }

    func filter(window: FindingsWindow, target: SyncTarget) -> FilterCriteria? {
        var criteria = FilterCriteria()
        var any = false
        if options.filterByAccount {
            criteria.awsAccountId = [StringFilter(comparison: .equals, value: target.accountId)]
            any = true
        }
        if let start = window.start {
            criteria.updatedAt = [DateFilter(startInclusive: start)]
            any = true
        }
        return any ? criteria : nil
    }

    static func isStaleToken(_ error: Inspector2Error) -> Bool {
        guard error.serviceCode?.rawValue == "ValidationException" else { return false }
        let text = (error.message ?? "").lowercased() + " " + error.fields.map { $0.name.lowercased() }.joined(separator: " ")
        return text.contains("token")
    }
}
