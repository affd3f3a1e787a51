import Logging
import PostgresNIO

extension PostgresConnection {
    /// BEGIN … COMMIT around `body`, ROLLBACK when it throws, rethrowing the body's own error.
    ///
    /// postgres-nio's `withTransaction` wraps every error in `PostgresTransactionError`; callers here
    /// match on their own errors (a lost lease, a store error), so they get them unwrapped.
    public func inTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        // A pooled connection the server just ended (a restart) may be handed out before the pool
        // notices: a query written to it would never complete (see ConnectionLossRegressionTests).
        guard !isClosed else { throw StoreError(.databaseUnavailable, "the database connection was closed") }
        try await query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            // If the connection is gone the server rolls back on its own; the body's error is the news.
            // Never write to a closed connection: postgres-nio (1.33.2) then never completes the query
            // and this await would hang forever (see ConnectionLossRegressionTests).
            if !isClosed { _ = try? await query("ROLLBACK", logger: logger) }
            throw error
        }
        try await query("COMMIT", logger: logger)
        return result
    }
}
