import ArgumentParser
import FindingStore
import Foundation
import Logging

/// Where the database is, for commands that need nothing else: `INSPECTOR_SYNC_DATABASE_URL`, then
/// `--database-url`, then the config file's `[database] url`.
struct DatabaseOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("database-url"), help: "libpq URL, e.g. postgres://user@127.0.0.1:5432/inspector (env INSPECTOR_SYNC_DATABASE_URL wins).")
    var databaseURL: String?

    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseURL {
        if let text = environment["INSPECTOR_SYNC_DATABASE_URL"] ?? databaseURL {
            return try DatabaseURL(text)
        }
        return try config.load(environment: environment).databaseURL()
    }

    /// Commands that print data log only problems.
    static var quietLogger: Logger {
        var logger = Logger(label: "inspector-sync")
        logger.logLevel = .warning
        return logger
    }
}
