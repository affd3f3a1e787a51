import ArgumentParser
import Foundation
import InspectorSyncService
import Logging

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, database, AWS access and webhook endpoints; say how to fix what is wrong.",
        discussion: """
        Checks, in order: the config file (problems exit 78 as for every command); the database
        (reachable, version, migrations, the role's privileges on schema inspector); the AWS
        credentials (which source of the default chain, which identity via sts:GetCallerIdentity, and
        each configured member role); each region's Inspector endpoint (ListAccountPermissions, and
        ListMembers in delegated-admin mode); each enabled webhook endpoint (DNS, the private-network
        policy, and a HEAD request: nothing is posted). Nothing is written anywhere.

        Exit status: 0 when every check passed (warnings allowed), 1 when one failed, 78 for a bad config.

        Examples:
          inspector-sync doctor --config /etc/inspector-sync/config.toml
          sudo systemd-run --pty -p DynamicUser=yes -p LoadCredential=database-url:/etc/inspector-sync/credentials/database-url \\
            /usr/local/bin/inspector-sync doctor --config /etc/inspector-sync/config.toml
        """
    )

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let configuration = try config.load()
        var logger = configuration.makeLogger(label: "inspector-sync.doctor")
        logger.logLevel = .critical // the report says it all
        let report = await Doctor(configuration: configuration, environment: ProcessInfo.processInfo.environment, logger: logger).run()
        print(report.rendered(), terminator: "")
        if report.failed { throw ExitCode(ExitCodes.checksFailed) }
    }
}
