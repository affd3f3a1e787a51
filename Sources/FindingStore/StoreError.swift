/// An error of the store: migrations, configuration of the database connection, schema access.
///
/// Like postgres-nio's `PSQLError`, the `description` is safe to log: it never contains passwords,
/// SQL parameters or row data.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidDatabaseURL
            case databaseUnavailable
            case migrationChanged
            case migrationFailed
            case migrationSourceInvalid
            case schemaNewerThanBinary
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database URL could not be understood.
        public static let invalidDatabaseURL = Code(.invalidDatabaseURL)
        /// The database could not be reached or refused the login.
        public static let databaseUnavailable = Code(.databaseUnavailable)
        /// An applied migration's file differs from the one that was applied.
        public static let migrationChanged = Code(.migrationChanged)
        /// A migration's SQL failed; it was rolled back.
        public static let migrationFailed = Code(.migrationFailed)
        /// The migration files themselves are inconsistent (bad name, duplicate version).
        public static let migrationSourceInvalid = Code(.migrationSourceInvalid)
        /// The database has migrations this binary does not know (a newer version applied them).
        public static let schemaNewerThanBinary = Code(.schemaNewerThanBinary)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// A human-readable message, free of secrets.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
