import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// The whole path in the real daemon: `inspector-sync run` syncs a drift, its events' deliveries are
/// created in the same transactions, and the daemon's delivery service posts them, signed.
@Suite struct DaemonDeliveryTests {
    @Test func theDaemonPostsEveryEventOfADriftThatTheEndpointSelects() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await WebhookTest.withServer({ _ in .json(200, "{}") }) { receiver, receiverPort in
            var emulatorConfiguration = EmulatorConfiguration()
            emulatorConfiguration.seed = 61
            emulatorConfiguration.accounts = 1
            emulatorConfiguration.regions = ["us-east-1"]
            emulatorConfiguration.findingsPerAccountRegion = 120
            try await EmulatorServer.withRunning(emulatorConfiguration, logger: .init(label: "emu")) { emulator in
                let url = try await TestDatabase.create(migrated: true)
                let config = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-webhooks-\(UUID().uuidString).toml").path
                try """
                [database]
                url = "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"

                [aws]
                regions = ["us-east-1"]
                endpoint_url = "http://127.0.0.1:\(emulator.port)"

                [discovery]
                mode = "delegated-admin"

                [sync]
                interval = "1s"

                [http]
                listen = "127.0.0.1:0"

                [log]
                level = "warning"

                [[webhooks]]
                name = "receiver"
                url = "http://127.0.0.1:\(receiverPort)/hook"
                secret = "\(WebhookTest.secret)"
                events = ["finding.closed"]
                allow_private_networks = true
                """.write(toFile: config, atomically: true, encoding: .utf8)
                let daemon = try RunningProcess(cli, ["run", "--config", config], environment: [
                    "AWS_ACCESS_KEY_ID": EmulatorConfiguration.defaultAccessKey,
                    "AWS_SECRET_ACCESS_KEY": EmulatorConfiguration.defaultSecretKey, "AWS_REGION": "us-east-1",
                ])
                // Wait for the first cycle of every job (2 accounts × 1 region × 2 jobs).
                try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { db in
                    for _ in 0..<300 {
                        let done = try await db.query("SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL").collect()[0].decode(Int.self)
                        if done == 4 { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                let drift = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.05, "seed": 8, "kinds": ["closed", "severityChanged"]])).json
                let closed = Set((drift?["changes"]?["closed"]?.arrayValue ?? []).compactMap(\.stringValue))
                #expect(!closed.isEmpty)
                for _ in 0..<300 where receiver.requests.count < closed.count {
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await Task.sleep(for: .milliseconds(500)) // nothing beyond the selected events may follow
                daemon.signal(SIGTERM)
                let status = await daemon.waitForExit(timeout: .seconds(30))
                #expect(status == 0, "\(daemon.output)")

                let posts = receiver.requests
                #expect(posts.count == closed.count, "only finding.closed is selected, each once")
                #expect(posts.allSatisfy { SignatureCheck.valid($0) })
                let subjects = Set(posts.compactMap { $0.json?["subject"] as? String })
                #expect(subjects == closed)
                #expect(posts.allSatisfy { $0.json?["type"] as? String == "finding.closed" })
                try await TestDatabase.drop(url)
            }
        }
    }
}
