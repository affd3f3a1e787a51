import FindingStore
import Foundation
import Inspector2Client
import Inspector2Model
import Logging
import PostgresNIO

/// One cycle of a target's coverage job. ListCoverage has no date filter, so each cycle reads the
/// full snapshot; pages are stored as they come, and what the snapshot no longer contains is marked
/// removed only once the last page is stored, so an interrupted cycle never removes anything. An
/// interrupted snapshot resumes from its last stored page with the same snapshot time.
public struct CoverageJob: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var pages: Int = 0
        public var resources: Int = 0
        public var events: Int = 0
        public var removed: Int = 0
        /// Elements that could not be stored at all (no resourceId, not an object).
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
        let writer = CoveragePageWriter(logger: logger)
        var outcome = Outcome()
        var token = state.hasWindowInProgress ? state.nextToken : nil
        var snapshotTime = state.hasWindowInProgress ? state.windowEnd : nil
        let filter = options.filterByAccount
            ? CoverageFilterCriteria(accountId: [CoverageStringFilter(comparison: .equals, value: key.target.accountId)])
            : nil
        while true {
            let page: RawElementsPage
            do {
                page = try await client.listCoverageRawElements(
                    ListCoverageRequest(maxResults: options.coveragePageSize, nextToken: token, filterCriteria: filter)
                )
            } catch {
                guard token != nil, token == state.nextToken, FindingsJob.isStaleToken(error) else { throw error }
                logger.notice("coverage resume token refused; restarting the snapshot", metadata: ["sync.target": "\(key)"])
                try await withDeadline(store.pageWriteDeadline, "resetting a window") { try await store.resetWindow(key) }
                token = nil
                snapshotTime = nil
                continue
            }
            let time = snapshotTime ?? page.serverDate ?? Date()
            snapshotTime = time
            var records: [CoverageRecord] = []
            for index in 0..<page.page.count {
                do {
                    records.append(try CoverageNormalizer.record(raw: page.page.element(index), index: index, target: key.target))
                } catch {
                    outcome.skipped += 1
                    logger.error("covered resource skipped", metadata: ["error": "\(error)", "aws.request_id": "\(page.requestId ?? "-")"])
                }
            }
            let events = try await store.client.withConnection(deadline: store.pageWriteDeadline, "storing a page") { [records] connection in
                try await writer.write(
                    records, target: key.target, snapshotTime: time, isFirstSnapshot: state.isBackfill,
                    eventsOnFirstSync: options.eventsOnFirstSync, on: connection
                ) { connection in
                    try await store.recordPage(key, windowStart: nil, windowEnd: time, nextToken: page.nextToken, on: connection)
                }
            }
            outcome.pages += 1
            outcome.resources += records.count
            outcome.events += events.count
            // Only a page without a token ends the snapshot; nothing else may reach finishSnapshot.
            guard let next = page.nextToken else { break }
            if stopRequested() { throw CancellationError() }
            token = next
        }
        let time = snapshotTime ?? Date()
        outcome.removed = try await store.client.withConnection(deadline: store.pageWriteDeadline, "storing a page") { connection in
            try await writer.finishSnapshot(target: key.target, snapshotTime: time, on: connection) { connection in
                try await store.completeWindow(key, watermark: time, nextRunIn: options.interval, on: connection)
            }
        }
        outcome.events += outcome.removed
        return outcome
    }
}
