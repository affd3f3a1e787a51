import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

@Suite struct SyncStateStoreTests {
    let key = SyncJobKey(target: SyncTarget(accountId: "111122223333", region: "us-east-1"), job: .findings)

    @Test func aLeasedJobIsNotClaimedAgainNotEvenByItsOwner() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let a = SyncStateStore(client: client, owner: "a", leaseDuration: .seconds(30), logger: TestDatabase.logger)
            let b = SyncStateStore(client: client, owner: "b", leaseDuration: .seconds(30), logger: TestDatabase.logger)
            try await a.ensure([key])
            #expect(try await a.claim(limit: 5, onlyDue: false).count == 1)
            #expect(try await a.claim(limit: 5, onlyDue: false).isEmpty)
            #expect(try await b.claim(limit: 5, onlyDue: false).isEmpty)
            try await a.release(key)
            #expect(try await b.claim(limit: 5, onlyDue: false).count == 1)
            await #expect(throws: LeaseLostError.self) { try await a.renew(key) }
            try await b.renew(key)
        }
    }

    @Test func failuresBackOffAndKeepTheWindowForTheRetry() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let store = SyncStateStore(client: client, owner: "a", leaseDuration: .seconds(30), logger: TestDatabase.logger)
            try await store.ensure([key])
            _ = try await store.claim(limit: 1, onlyDue: false)
            try await client.withConnection { connection in
                try await connection.inTransaction(logger: TestDatabase.logger) {
                    try await store.recordPage(key, windowStart: nil, windowEnd: Date(timeIntervalSince1970: 1_700_000_000), nextToken: "t2", on: $0)
                }
            }
            try await store.recordFailure(key, error: "boom", retryIn: .seconds(600))
            #expect(try await store.claim(limit: 1, onlyDue: true).isEmpty, "not due during its back-off")
            let state = try #require(try await store.claim(limit: 1, onlyDue: false).first)
            #expect(state.nextToken == "t2" && state.consecutiveFailures == 1 && state.hasWindowInProgress)
        }
    }
}
