import Foundation
import Logging
import PostgresNIO

/// One account as discovery saw it.
public struct AccountRecord: Sendable, Hashable {
    public var accountId: String
    /// `delegated-admin`, `member` or `static`.
    public var source: String
    public var relationshipStatus: String?
    public var delegatedAdminAccountId: String?

    public init(accountId: String, source: String, relationshipStatus: String? = nil, delegatedAdminAccountId: String? = nil) {
        self.accountId = accountId
        self.source = source
        self.relationshipStatus = relationshipStatus
        self.delegatedAdminAccountId = delegatedAdminAccountId
    }
}

/// `inspector.accounts`: what discovery found. Accounts that disappear are marked `left_at`, never
/// deleted, so their findings stay attributable.
public struct AccountStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records the complete current list; returns the ids that left since the previous one.
    @discardableResult
    public func replace(with accounts: [AccountRecord]) async throws -> [String] {
        let ids = accounts.map(\.accountId)
        return try await client.withConnection { connection in
            try await connection.inTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO inspector.accounts AS a (account_id, source, relationship_status, delegated_admin_account_id, last_seen_at, left_at)
                    SELECT id, source, NULLIF(status, ''), NULLIF(admin, ''), now(), NULL  -- arrays cannot hold NULL here
                    FROM unnest(\(ids)::text[], \(accounts.map(\.source))::text[], \(accounts.map { $0.relationshipStatus ?? "" })::text[],
                                \(accounts.map { $0.delegatedAdminAccountId ?? "" })::text[]) AS t(id, source, status, admin)
                    ON CONFLICT (account_id) DO UPDATE SET
                        source = excluded.source, relationship_status = excluded.relationship_status,
                        delegated_admin_account_id = excluded.delegated_admin_account_id, last_seen_at = now(), left_at = NULL
                    """,
                    logger: logger
                )
                var left: [String] = []
                let rows = try await connection.query(
                    """
                    UPDATE inspector.accounts SET left_at = now()
                    WHERE left_at IS NULL AND NOT (account_id = ANY(\(ids)::text[]))
                    RETURNING account_id
                    """,
                    logger: logger
                )
                for try await id in rows.decode(String.self) { left.append(id) }
                return left
            }
        }
    }
}
