import FindingStore
import Foundation
import Inspector2Emulator
import PostgresTestSupport
import Testing

/// Even at trace level, nothing the daemon logs contains a secret: the AWS secret key, the database
/// password, a webhook signing secret or a webhook URL's token.
@Suite struct DaemonSecretsTests {
    @Test func traceLogsNeverContainSecrets() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await EmulatorServer.withRunning(DaemonTests.emulatorConfiguration(seed: 71, findings: 20), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            let password = "pw-\(UUID().uuidString)"
            let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString).toml").path
            // The test server trusts local connections, so any password gets in.
            try """
            [database]
            url = "postgres://\(url.username):\(password)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"

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
            level = "trace"
            format = "json"

            [[webhooks]]
            name = "slack"
            url = "http://127.0.0.1:9/services/T000/B000/token-in-the-url"
            format = "slack"
            secret = "\(webhookSecret)"
            allow_private_networks = true
            """.write(toFile: path, atomically: true, encoding: .utf8)
            let daemon = try RunningProcess(cli, ["run", "--config", path], environment: DaemonTests.credentials)
            for _ in 0..<300 {
                let done = try await DaemonTests.query(url, "SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL", as: Int.self).first ?? 0
                if done == 4 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            daemon.signal(SIGHUP) // a reload logs too
            try await Task.sleep(for: .milliseconds(500))
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0)
            let output = daemon.output
            #expect(output.count > 10_000, "trace level logs plenty")
            #expect(!output.contains(EmulatorConfiguration.defaultSecretKey), "AWS secret key")
            #expect(!output.contains(password), "database password")
            #expect(!output.contains(webhookSecret) && !output.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "webhook secret")
            #expect(!output.contains("token-in-the-url"), "webhook URL token")
            try await TestDatabase.drop(url)
        }
    }
}
