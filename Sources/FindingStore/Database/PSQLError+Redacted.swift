import PostgresNIO

extension PSQLError {
    /// A one-line summary for users: the server's message when there is one, else the error code.
    /// Never includes the query or its parameters.
    public var redactedSummary: String {
        if let message = serverInfo?[.message] {
            let sqlState = serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + sqlState
        }
        if let underlying {
            return "\(code): \(underlying)"
        }
        return "\(code)"
    }
}
