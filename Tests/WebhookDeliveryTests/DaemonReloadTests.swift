import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// SIGHUP on the real daemon: webhook endpoints and sync settings change in place, keys that need a
/// restart are named, a broken file is refused and the running configuration stays.
@Suite struct DaemonReloadTests {
    static func config(database url: DatabaseURL, emulatorPort: Int, receiverPort: Int, events: [String], extraSync: String = "", extraAWS: String = "") -> String {
        """
        [database]
        url = "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"

        [aws]
        regions = ["us-east-1"]
        endpoint_url = "http://127.0.0.1:\(emulatorPort)"
        \(extraAWS)

        [discovery]
        mode = "delegated-admin"

        [sync]
        interval = "1s"
        \(extraSync)

        [log]
        level = "notice"

        [[webhooks]]
        name = "receiver"
        url = "http://127.0.0.1:\(receiverPort)/hook"
        secret = "\(WebhookTest.secret)"
        events = [\(events.map { "\"\($0)\"" }.joined(separator: ", "))]
        allow_private_networks = true
        """
    }

    @Test func sighupAppliesWebhooksAndSyncSettingsAndKeepsRunningOnABrokenFile() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await WebhookTest.withServer({ _ in .json(200, "{}") }) { receiver, receiverPort in
            var emulatorConfiguration = EmulatorConfiguration()
            emulatorConfiguration.seed = 67
            emulatorConfiguration.accounts = 1
            emulatorConfiguration.regions = ["us-east-1"]
            emulatorConfiguration.findingsPerAccountRegion = 120
            try await EmulatorServer.withRunning(emulatorConfiguration, logger: .init(label: "emu")) { emulator in
                let url = try await TestDatabase.create(migrated: true)
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-reload-\(UUID().uuidString).toml").path
                try Self.config(database: url, emulatorPort: emulator.port, receiverPort: receiverPort, events: ["finding.closed"])
                    .write(toFile: path, atomically: true, encoding: .utf8)
                let daemon = try RunningProcess(cli, ["run", "--config", path], environment: [
                    "AWS_ACCESS_KEY_ID": EmulatorConfiguration.defaultAccessKey,
                    "AWS_SECRET_ACCESS_KEY": EmulatorConfiguration.defaultSecretKey, "AWS_REGION": "us-east-1",
                ])
                try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { db in
                    func endpointEvents() async throws -> [String] {
                        try await db.query("SELECT event_types FROM inspector.webhook_endpoints WHERE name = 'receiver'").collect().first?.decode([String].self) ?? []
                    }
                    for _ in 0..<300 {
                        let done = try await db.query("SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL").collect()[0].decode(Int.self)
                        if done == 4 { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(try await endpointEvents() == ["finding.closed"])

                    // Live: the endpoint's event types and a sync setting. Restart-only: aws.max_attempts.
                    try Self.config(
                        database: url, emulatorPort: emulator.port, receiverPort: receiverPort,
                        events: ["finding.closed", "finding.severity_changed"], extraSync: "page_size = 40", extraAWS: "max_attempts = 5"
                    ).write(toFile: path, atomically: true, encoding: .utf8)
                    daemon.signal(SIGHUP)
                    for _ in 0..<200 where !daemon.output.contains("configuration reloaded") {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let reloadLine = daemon.output.split(separator: "\n").first { $0.contains("configuration reloaded") } ?? ""
                    #expect(reloadLine.contains("sync.page_size") && reloadLine.contains("webhooks.receiver"), "\(daemon.output)")
                    #expect(reloadLine.contains("restart_required=aws.max_attempts"), "\(reloadLine)")
                    #expect(try await endpointEvents() == ["finding.closed", "finding.severity_changed"])

                    // Events recorded after the reload reach the endpoint under its new filter.
                    let drift = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.05, "seed": 9, "kinds": ["closed", "severityChanged"]])).json
                    let closed = drift?["changes"]?["closed"]?.arrayValue?.count ?? 0
                    let raised = drift?["changes"]?["severityChanged"]?.arrayValue?.count ?? 0
                    #expect(closed > 0 && raised > 0)
                    for _ in 0..<300 where receiver.requests.count < closed + raised {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    let types = receiver.requests.compactMap { $0.json?["type"] as? String }
                    #expect(types.filter { $0 == "finding.closed" }.count == closed)
                    #expect(types.filter { $0 == "finding.severity_changed" }.count == raised, "\(daemon.output)")

                    // A broken file: every problem logged, nothing applied, the daemon keeps going.
                    try "[sync]\ninterval = \"soon\"\nbogus = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
                    daemon.signal(SIGHUP)
                    for _ in 0..<200 where !daemon.output.contains("reload failed") {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(daemon.output.contains("reload failed; the running configuration stays"), "\(daemon.output)")
                    #expect(daemon.output.contains("sync.interval"), "the problem names its key")
                    #expect(daemon.isRunning)
                    #expect(try await endpointEvents() == ["finding.closed", "finding.severity_changed"])
                }
                daemon.signal(SIGTERM)
                let status = await daemon.waitForExit(timeout: .seconds(30))
                #expect(status == 0, "\(daemon.output)")
                try await TestDatabase.drop(url)
            }
        }
    }
}
