import ArgumentParser
import FindingStore
import Foundation
import InspectorSyncService
import Logging
import PostgresNIO

extension ReportTable.Format: ExpressibleByArgument {}
extension Reports.Name: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a report from the reporting views.",
        discussion: """
        summary   findings by account, region, severity and status
        mttr      median and p90 time to remediate by severity and account (last --days days)
        sla       findings past their remediation target (inspector.sla_targets), open and closed
        coverage  resources not scanned or failing to scan, by reason
        trend     open findings per severity at the end of each of the last --days days

        Examples:
          inspector-sync report summary
          inspector-sync report mttr --days 30 --format csv > mttr.csv
          inspector-sync report trend --days 14 --format json
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "summary | mttr | sla | coverage | trend")
    var name: Reports.Name

    @Option(help: "table | csv | json")
    var format: ReportTable.Format = .table

    @Option(help: "Period of mttr and trend, in days.")
    var days = 90

    func validate() throws {
        guard (1...3650).contains(days) else { throw ValidationError("--days must be between 1 and 3650") }
    }

    func run() async throws {
        let url = try database.resolve()
        let logger = DatabaseOptions.quietLogger
        let table = try await withDatabase(url, logger: logger) { client in
            try await Reports.run(name, days: days, on: client, logger: logger)
        }
        print(table.render(format), terminator: "")
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each target's sync state: watermark, time since success, failures, last error.",
        discussion: """
        Examples:
          inspector-sync status
          inspector-sync status --json | jq '.[] | select(.failures != "0")'
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "JSON for scripts.")
    var json = false

    func run() async throws {
        let url = try database.resolve()
        let logger = DatabaseOptions.quietLogger
        let table = try await withDatabase(url, logger: logger) { client in
            try await Reports.status(on: client, logger: logger)
        }
        print(table.render(json ? .json : .table), terminator: "")
    }
}

/// Probes, connects, runs `body`; database problems become clear messages and sysexits codes.
func withDatabase<Result: Sendable>(_ url: DatabaseURL, logger: Logger, _ body: (PostgresClient) async throws -> Result) async throws -> Result {
    do {
        try await DatabaseProbe.check(url, logger: logger)
        return try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: logger, body)
    } catch let error as StoreError {
        printError("\(error)")
        throw ExitCode(error.code == .databaseUnavailable ? ExitCodes.unavailable : ExitCodes.dataError)
    } catch let error as PSQLError {
        printError("database \(url): \(error.redactedSummary)")
        throw ExitCode(ExitCodes.unavailable)
    }
}
