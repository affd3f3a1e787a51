import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Synchronization
import Testing

/// The feed's contract: a reader paging by `id > cursor` sees every event exactly once, even when the
/// writers' transactions commit out of id order.
@Suite struct ChangeFeedOrderingTests: Sendable {
    let logger = TestDatabase.logger

    func event(_ writer: Int, _ n: Int) -> ChangeEventRecord {
        ChangeEventRecord(
            type: .findingClosed, findingArn: "arn:aws:inspector2:us-east-1:111122223333:finding/w\(writer)n\(n)",
            accountId: "111122223333", region: "us-east-1", oldStatus: "ACTIVE", newStatus: "CLOSED",
            occurredAt: Date()
        )
    }

    @Test func cursorReaderSeesEveryEventOnceUnderOutOfOrderCommits() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writers = 6, transactionsPerWriter = 15
            let done = Counter()
            let written = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for w in 0..<writers {
                    group.addTask {
                        var ids: [Int64] = []
                        for t in 0..<transactionsPerWriter {
                            try await client.withConnection { connection in
                                try await connection.withTransaction(logger: logger) { tx in
                                    ids += try await ChangeEventWriter.append([event(w, t * 2), event(w, t * 2 + 1)], on: tx, logger: logger)
                                    // Hold the transaction open a random while after the insert, so that
                                    // without the feed lock later ids would commit first.
                                    try await tx.query("SELECT pg_sleep(\(Double.random(in: 0...0.02)))", logger: logger)
                                }
                            }
                        }
                        done.increment()
                        return ids
                    }
                }
                group.addTask {
                    // The reader: pages by cursor while the writers run, and once more after they finish.
                    var cursor: Int64 = 0
                    var seen: [Int64] = []
                    while true {
                        let finished = done.value == writers
                        let rows = try await client.query("SELECT id FROM inspector.events_after(\(cursor), 7)").collect()
                        for row in rows { seen.append(try row.decode(Int64.self)) }
                        if let last = seen.last { cursor = last }
                        if rows.isEmpty && finished { break }
                    }
                    return seen.map { -$0 } // marked as the reader's
                }
                var writtenIds: [Int64] = []
                var readIds: [Int64] = []
                for try await ids in group {
                    if ids.first.map({ $0 < 0 }) ?? false { readIds = ids.map { -$0 } } else { writtenIds += ids }
                }
                return (writtenIds, readIds)
            }
            #expect(written.0.count == writers * transactionsPerWriter * 2)
            #expect(written.1.count == written.0.count, "the reader skipped or repeated events")
            #expect(Set(written.1) == Set(written.0))
            #expect(written.1 == written.1.sorted())
        }
    }

    @Test func listenerReceivesTheNotifyHints() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let received = try await withThrowingTaskGroup(of: [String].self) { group in
                let ready = AsyncStream<Void>.makeStream()
                group.addTask {
                    try await client.withConnection { connection in
                        try await connection.listen(on: ChangeEventWriter.notifyChannel) { notifications in
                            ready.continuation.yield()
                            var payloads: [String] = []
                            for try await notification in notifications {
                                payloads.append(notification.payload)
                                if payloads.count == 3 { break }
                            }
                            return payloads
                        }
                    }
                }
                var iterator = ready.stream.makeAsyncIterator()
                await iterator.next()
                _ = try await client.withConnection { connection in
                    try await connection.withTransaction(logger: logger) { tx in
                        try await ChangeEventWriter.append([event(1, 1), event(1, 2), event(1, 3)], on: tx, logger: logger)
                    }
                }
                let payloads = try await group.next() ?? []
                group.cancelAll()
                return payloads
            }
            #expect(received.count == 3)
            for payload in received {
                let object = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
                #expect(object?["type"] as? String == "finding.closed")
                #expect(object?["account_id"] as? String == "111122223333")
                #expect((object?["id"] as? NSNumber)?.intValue ?? 0 > 0)
                #expect(payload.utf8.count < 8000)
            }
        }
    }
}

/// Shared between the writer tasks and the reader task.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
