import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` with a client whose `run()` is active, then shuts the client down.
    ///
    /// For one-shot commands and tests; the daemon runs its client as a service in its `ServiceGroup`.
    public static func withClient<Result: Sendable>(
        configuration: PostgresClient.Configuration,
        logger: Logger,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        // The pool warns when a lease races its own start-up; that race is harmless here (the lease
        // waits), so keep such warnings out of command output.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(client)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
