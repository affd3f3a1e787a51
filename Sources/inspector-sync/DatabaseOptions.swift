import ArgumentParser
import FindingStore
import Foundation

/// Where the database is. `INSPECTOR_SYNC_DATABASE_URL` wins over the flag, as DESIGN.md's contract says
/// for the config file's `[database] url`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq URL, e.g. postgres://user@127.0.0.1:5432/inspector (env INSPECTOR_SYNC_DATABASE_URL wins).")
    var databaseURL: String?

    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseURL {
        guard let text = environment["INSPECTOR_SYNC_DATABASE_URL"] ?? databaseURL else {
            throw ValidationError("no database: set INSPECTOR_SYNC_DATABASE_URL or pass --database-url")
        }
        return try DatabaseURL(text)
    }
}
