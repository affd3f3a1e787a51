import ArgumentParser

@main
struct InspectorSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspector-sync",
        abstract: "Mirror Amazon Inspector v2 findings and coverage into PostgreSQL.",
        subcommands: [RunCommand.self, SyncCommand.self, MigrateCommand.self, StatusCommand.self, ReportCommand.self, WebhooksCommand.self, DoctorCommand.self]
    )
}
