import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import InspectorSyncService
import Logging

/// `--config PATH` and the loading every command shares: problems are printed one per line and the
/// command exits 78 (EX_CONFIG) before anything starts.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Config file (default: /etc/inspector-sync/config.toml, then ./config.toml).")
    var path: String?

    func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> InspectorSyncConfiguration {
        do {
            return try loadOrThrow(environment: environment)
        } catch {
            FileHandle.standardError.write(Data((error.rendered() + "\n").utf8))
            throw ExitCode(ConfigurationError.exitCode)
        }
    }

    /// Loads without printing: the `ConfigurationError` is the caller's (a reload logs it).
    func loadOrThrow(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> InspectorSyncConfiguration {
        try InspectorSyncConfiguration.load(
            explicitPath: path, environment: environment,
            fileExists: { FileManager.default.fileExists(atPath: $0) },
            readFile: { try? String(contentsOfFile: $0, encoding: .utf8) }
        )
    }
}

extension InspectorSyncConfiguration {
    func databaseURL() throws -> DatabaseURL {
        do {
            return try DatabaseURL(database.url.value)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("inspector-sync: database.url: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitCode)
        }
    }

    /// Bootstraps swift-log with `[log] format` and `[log] level` (once: every command calls this
    /// once) and returns the command's logger, which follows the process level (reloadable).
    func makeLogger(label: String) -> Logger {
        LogFormat.bootstrap(log)
        return Logger(label: label)
    }
}

/// Exit codes (sysexits), shared by every command.
enum ExitCodes {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let unavailable: Int32 = 69
    static let software: Int32 = 70
    static let config: Int32 = 78
    /// `sync --once`: at least one target failed.
    static let targetsFailed: Int32 = 1
    /// `doctor`: at least one check failed.
    static let checksFailed: Int32 = 1
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("inspector-sync: \(message)\n".utf8))
}
