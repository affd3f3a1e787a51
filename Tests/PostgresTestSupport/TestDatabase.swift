import FindingStore
import Foundation
import Logging
import PostgresNIO

/// Gives each database test its own fresh database on the server named by
/// `INSPECTOR_SYNC_TEST_DATABASE_URL` (scripts/test starts a throwaway one and sets it).
///
/// Migrated databases are cloned from a template that is migrated once per process, which is much
/// faster than migrating each one; tests run in parallel and never see each other's rows.
public enum TestDatabase {
    public static let environmentKey = "INSPECTOR_SYNC_TEST_DATABASE_URL"

    /// The server's URL (pointing at its maintenance database).
    public static func serverURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment[environmentKey] else {
            throw TestDatabaseError(
                "\(environmentKey) is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL"
            )
        }
        return try DatabaseURL(text)
    }

    public static var logger: Logger {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` against a new database that is dropped afterwards (kept when
    /// `INSPECTOR_SYNC_TEST_KEEP_DB` is set, for debugging). `migrated: false` gives an empty one.
    public static func withFreshDatabase<Result: Sendable>(
        migrated: Bool = true,
        _ body: (PostgresClient, DatabaseURL) async throws -> Result
    ) async throws -> Result {
        let url = try await TemplateRegistry.shared.createDatabase(migrated: migrated)
        do {
            let result = try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) {
                try await body($0, url)
            }
            try await TemplateRegistry.shared.dropDatabase(url)
            return result
        } catch let error as PSQLError {
            try? await TemplateRegistry.shared.dropDatabase(url)
            // A throwaway test database holds no secrets: show the server's message and the query.
            throw TestDatabaseError(String(reflecting: error))
        } catch {
            try? await TemplateRegistry.shared.dropDatabase(url)
            throw error
        }
    }

    /// A new database (migrated or empty) that the caller drops with `drop(_:)`: for tests that run
    /// the daemon as a separate process against it.
    public static func create(migrated: Bool = true) async throws -> DatabaseURL {
        try await TemplateRegistry.shared.createDatabase(migrated: migrated)
    }

    public static func drop(_ url: DatabaseURL) async throws {
        try await TemplateRegistry.shared.dropDatabase(url)
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Creates the migrated template once per process and clones it.
actor TemplateRegistry {
    static let shared = TemplateRegistry()

    /// One build shared by every caller: the actor is reentrant across awaits, so a plain cached
    /// name would let concurrent tests build (and drop) the template twice.
    private var templateBuild: Task<String, any Error>?

    func createDatabase(migrated: Bool) async throws -> DatabaseURL {
        let server = try TestDatabase.serverURL()
        let name = "t_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased())"
        let source = migrated ? try await template(server: server) : "template0"
        try await Self.admin(server) { client in
            // Cloning fails while another session is connected to the template; that only happens
            // briefly while it is being built, so retry a few times.
            var attempt = 0
            while true {
                do {
                    try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\" TEMPLATE \"\(source)\""))
                    return
                } catch let error as PSQLError where attempt < 20 && error.serverInfo?[.sqlState] == "55006" {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        var url = server
        url.database = name
        return url
    }

    func dropDatabase(_ url: DatabaseURL) async throws {
        guard ProcessInfo.processInfo.environment["INSPECTOR_SYNC_TEST_KEEP_DB"] == nil,
              let name = url.database else { return }
        try await Self.admin(try TestDatabase.serverURL()) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"))
        }
    }

    /// The template's name carries a hash of the migrations, so a changed migration set gets a new one.
    private func template(server: DatabaseURL) async throws -> String {
        if templateBuild == nil {
            templateBuild = Task { try await Self.buildTemplate(server: server) }
        }
        return try await templateBuild!.value
    }

    private nonisolated static func buildTemplate(server: DatabaseURL) async throws -> String {
        let hash = EmbeddedMigrations.all.map(\.checksum).joined().hashValueStable
        let name = "inspector_sync_tpl_\(hash)"
        try await Self.admin(server) { client in
            let exists = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(name)").collect().isEmpty == false
            if !exists {
                let building = "\(name)_build_\(ProcessInfo.processInfo.processIdentifier)"
                try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(building)\" WITH (FORCE)"))
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(building)\" TEMPLATE template0"))
                var buildURL = server
                buildURL.database = building
                _ = try await PostgresClient.withClient(configuration: try buildURL.clientConfiguration(), logger: TestDatabase.logger) {
                    try await MigrationRunner(client: $0, logger: TestDatabase.logger).migrate()
                }
                // Rename into place: concurrent test processes race harmlessly (one rename wins).
                do {
                    try await client.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \"\(building)\" RENAME TO \"\(name)\""))
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                    try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(building)\" WITH (FORCE)"))
                }
            }
        }
        return name
    }

    @discardableResult
    private nonisolated static func admin<R: Sendable>(_ server: DatabaseURL, _ body: (PostgresClient) async throws -> R) async throws -> R {
        try await PostgresClient.withClient(configuration: try server.clientConfiguration(), logger: TestDatabase.logger, body)
    }
}

extension String {
    /// FNV-1a, hex: stable across processes (Swift's `hashValue` is seeded per process).
    var hashValueStable: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
