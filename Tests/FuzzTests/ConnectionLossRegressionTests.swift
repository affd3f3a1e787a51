import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Synchronization
import Testing

/// Found by `scripts/drill` (PostgreSQL restarted under load), not by fuzzing: jobs whose connection
/// the server terminated never returned (their leases kept being renewed by the heartbeat, and once
/// `max_concurrent_targets` of them hung the daemon synced nothing, and SIGTERM did not end it).
/// postgres-nio 1.33.2 drops a query written to a connection whose channel is already closed without
/// completing it, so that await never ends. Not fixed here (it needs a postgres-nio fix or a job
/// deadline that abandons the stuck task); these tests pin what holds and what does not.
@Suite struct ConnectionLossRegressionTests {
    /// 0 running, 1 committed, 2 failed.
    final class Outcome: Sendable { let value = Mutex(0) }

    /// Runs a transaction whose session another connection terminates (once it runs a query starting
    /// with `whenRunning`, else after 300 ms); returns how it ended within 10 s (0: still running, hung).
    func terminatedTransaction(
        client: PostgresClient, whenRunning: String? = nil, body: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws -> Int {
        let finished = Outcome()
        try await client.withConnection { connection in
            let pid = try await connection.query("SELECT pg_backend_pid()", logger: TestDatabase.logger).collect()[0].decode(Int32.self)
            Task { [client] in
                if let whenRunning {
                    // Deterministic under load: only once the query is running on the server.
                    let pattern = whenRunning + "%"
                    for _ in 0..<100 {
                        let running = try await client.query(
                            "SELECT count(*)::int FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active' AND query LIKE \(pattern)"
                        ).collect()[0].decode(Int.self)
                        if running > 0 { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                } else {
                    try await Task.sleep(for: .milliseconds(300))
                }
                _ = try await client.query("SELECT pg_terminate_backend(\(pid))").collect()
            }
            Task { [connection, finished] in
                do {
                    try await connection.inTransaction(logger: TestDatabase.logger) { try await body($0) }
                    finished.value.withLock { $0 = 1 }
                } catch {
                    finished.value.withLock { $0 = 2 }
                }
            }
            // Bounded wait: a hang must fail the test, not stall the suite.
            for _ in 0..<100 where finished.value.withLock({ $0 }) == 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return finished.value.withLock { $0 }
    }

    /// The server ends the session while a query runs (as a fast or immediate shutdown does): the
    /// transaction should fail. It usually does; under load it sometimes never returns (the same
    /// postgres-nio issue: a query or ROLLBACK/COMMIT written as the channel closes), hence the
    /// intermittent known issue.
    @Test func aTransactionWhoseSessionIsTerminatedMidQueryFails() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let outcome = try await terminatedTransaction(client: client, whenRunning: "SELECT pg_sleep") { tx in
                try await tx.query("SELECT pg_sleep(5)", logger: TestDatabase.logger)
            }
            withKnownIssue("postgres-nio 1.33.2: a query written as the connection closes never completes", isIntermittent: true) {
                #expect(outcome == 2, "the transaction neither failed nor committed within 10 s")
            }
        }
    }

    /// A connection whose session already ended (as a pool may hand out right after a restart):
    /// the transaction fails at once instead of writing BEGIN to the closed channel.
    @Test func aTransactionOnAnAlreadyTerminatedConnectionFails() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await client.withConnection { connection in
                let pid = try await connection.query("SELECT pg_backend_pid()", logger: TestDatabase.logger).collect()[0].decode(Int32.self)
                _ = try await client.query("SELECT pg_terminate_backend(\(pid))").collect()
                for _ in 0..<50 where !connection.isClosed { try await Task.sleep(for: .milliseconds(100)) }
                await #expect(throws: StoreError.self) {
                    try await connection.inTransaction(logger: TestDatabase.logger) { _ in }
                }
            }
        }
    }

    /// A query issued after the session ended (between two queries of a transaction) still hangs in
    /// postgres-nio 1.33.2: the known issue keeps this visible until a release fixes it (this test
    /// then fails with "known issue was not recorded": remove the withKnownIssue).
    @Test func aQueryAfterTheSessionEndedHangsInPostgresNIO() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let outcome = try await terminatedTransaction(client: client) { tx in
                try await Task.sleep(for: .milliseconds(800))
                try await tx.query("SELECT 2", logger: TestDatabase.logger)
            }
            withKnownIssue("postgres-nio 1.33.2: a query written to a closed connection never completes") {
                #expect(outcome == 2)
            }
        }
    }
}
