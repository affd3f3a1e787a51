import ArgumentParser

@main
struct InspectorSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspector-sync",
        abstract: "Mirror Amazon Inspector v2 findings and coverage into PostgreSQL.",
        discussion: """
        Start with `inspector-sync doctor`, then `migrate`, then `sync --once` or the `run` daemon.
        Every command takes --config (default /etc/inspector-sync/config.toml, then ./config.toml);
        every key can also come from INSPECTOR_SYNC_<SECTION>_<KEY>.

        Exit codes (sysexits): 0 ok, 1 failed jobs or checks, 64 usage, 65 migrations, 69 database
        unavailable, 70 internal error, 78 configuration.
        """,
        subcommands: [RunCommand.self, SyncCommand.self, MigrateCommand.self, StatusCommand.self, ReportCommand.self, WebhooksCommand.self, DoctorCommand.self]
    )
}
