import FindingStore
import PostgresNIO
import PostgresTestSupport
import Testing

@Suite struct AccountStoreTests {
    @Test func membersThatLeaveAreMarkedAndComeBack() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let store = AccountStore(client: client, logger: TestDatabase.logger)
            let admin = AccountRecord(accountId: "111111111111", source: "delegated-admin")
            let a = AccountRecord(accountId: "222222222222", source: "member", relationshipStatus: "ENABLED", delegatedAdminAccountId: "111111111111")
            let b = AccountRecord(accountId: "333333333333", source: "member", relationshipStatus: "ENABLED")
            #expect(try await store.replace(with: [admin, a, b]).isEmpty)
            #expect(try await store.replace(with: [admin, a]) == ["333333333333"])
            let left = try await client.query("SELECT account_id FROM inspector.accounts WHERE left_at IS NOT NULL").collect().map { try $0.decode(String.self) }
            #expect(left == ["333333333333"])
            #expect(try await store.replace(with: [admin, a, b]).isEmpty)
            let status = try await client.query("SELECT count(*) FROM inspector.accounts WHERE left_at IS NULL AND relationship_status IS NOT NULL").collect()[0].decode(Int.self)
            #expect(status == 2)
        }
    }
}
