import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncConfig
import InspectorSyncService
import Logging
import PostgresNIO
import SyncEngine
import WebhookDelivery

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run one sync cycle of every target and exit.",
        discussion: """
        Discovers the targets (the [[accounts]] of the config, or the delegated administrator's members),
        then runs the findings and coverage jobs of each once, resuming any window a previous run left
        unfinished. Exits 1, naming them, when any target failed; the others are stored regardless.

        Examples:
          inspector-sync sync --once --config /etc/inspector-sync/config.toml
          inspector-sync sync --once --target 123456789012/eu-west-1
        """
    )

    @OptionGroup var config: ConfigOptions

    @Flag(help: "Run one cycle and exit (the only mode of this command; `run` is the daemon).")
    var once = false

    @Option(help: "Only this target (ACCOUNT/REGION); repeatable.")
    var target: [String] = []

    func validate() throws {
        guard once else { throw ValidationError("`sync` needs --once; the long-running daemon is `inspector-sync run`") }
        for value in target where value.split(separator: "/").count != 2 {
            throw ValidationError("--target must look like 123456789012/us-east-1 (got '\(value)')")
        }
    }

    func run() async throws {
        let configuration = try config.load()
        let url = try configuration.databaseURL()
        let logger = configuration.makeLogger(label: "inspector-sync")
        let only = target.isEmpty ? nil : target.map { value -> SyncTarget in
            let parts = value.split(separator: "/")
            return SyncTarget(accountId: String(parts[0]), region: String(parts[1]))
        }
        let report: SyncOnce.Report
        do {
            try await DatabaseProbe.check(url, logger: logger)
            report = try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger) { client in
                try await MigrationGate(database: client, autoMigrate: configuration.database.autoMigrate, logger: logger).check()
                try await WebhookEndpointStore(client: client, logger: logger).sync(configuration.webhooks)
                let once = SyncOnce(configuration: configuration, environment: ProcessInfo.processInfo.environment, logger: logger)
                guard TerminalProgressLine.isTerminal else { return try await once.run(database: client, only: only) }
                // On a terminal: a live progress line while backfills and sweeps read.
                let line = TerminalProgressLine()
                let drawing = Task { await line.draw() }
                defer { drawing.cancel() }
                return try await once.run(database: client, only: only) { progress in line.update(progress) }
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode(error.code == .databaseUnavailable ? ExitCodes.unavailable : ExitCodes.dataError)
        } catch let error as UnknownTargetsError {
            printError("\(error)")
            throw ExitCode(ExitCodes.usage)
        }
        for result in report.results {
            print(SyncResultLine.text(result))
        }
        let failed = report.failed
        if !failed.isEmpty {
            printError("\(failed.count) of \(report.results.count) job(s) failed: \(failed.map(\.key.description).joined(separator: ", "))")
            throw ExitCode(ExitCodes.targetsFailed)
        }
    }
}

/// One line per job for `sync --once`.
enum SyncResultLine {
    static func text(_ result: SyncRunner.JobResult) -> String {
        let ms = Int(result.duration / .milliseconds(1))
        switch result.result {
        case .findings(let o):
            return "ok      \(result.key)  pages=\(o.pages) findings=\(o.findings) changed=\(o.changed) events=\(o.events) \(ms)ms"
        case .coverage(let o):
            return "ok      \(result.key)  pages=\(o.pages) resources=\(o.resources) events=\(o.events) removed=\(o.removed) \(ms)ms"
        case .failed(let message):
            return "FAILED  \(result.key)  \(message)"
        case .skipped:
            return "skipped \(result.key)  (leased by another replica)"
        }
    }
}
