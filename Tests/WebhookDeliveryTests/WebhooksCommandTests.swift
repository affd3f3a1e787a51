import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Synchronization
import Testing
@testable import WebhookDelivery

/// `inspector-sync webhooks …` as the user runs it: the built binary, a config file, a real database
/// and a local receiver that is down, then back.
@Suite struct WebhooksCommandTests {
    @Test func downDeadLetteredVisibleThenRedelivered() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let url = try await TestDatabase.create(migrated: true)
        do {
            try await scenario(cli: cli, url: url)
            try await TestDatabase.drop(url)
        } catch {
            try? await TestDatabase.drop(url)
            throw error
        }
    }

    func scenario(cli: BuiltExecutable, url: DatabaseURL) async throws {
        let status = Mutex(503)
        try await WebhookTest.withServer({ _ in .json(status.withLock { $0 }, "{}") }) { server, port in
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-cli-\(UUID().uuidString).toml")
            try """
            [database]
            url = "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"

            [discovery]
            mode = "delegated-admin"

            [[webhooks]]
            name = "hook"
            url = "http://127.0.0.1:\(port)/receive"
            secret = "\(WebhookTest.secret)"
            allow_private_networks = true
            retry_schedule = ["0s", "50ms"]
            """.write(to: config, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: config) }
            func run(_ arguments: [String]) async throws -> BuiltExecutable.Result {
                let result = try await cli.run(["webhooks"] + arguments + ["--config", config.path], removing: ["INSPECTOR_SYNC_DATABASE_URL"])
                #expect(!result.stdout.contains(WebhookTest.secret) && !result.stderr.contains(WebhookTest.secret))
                #expect(!result.stdout.contains("/receive"), "the URL path may hold a token: only the origin is shown")
                return result
            }

            let list = try await run(["list"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("hook") && list.stdout.contains("enabled"))

            // Two events, recorded the way the sync records them.
            _ = try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: WebhookTest.logger) { db in
                try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1), WebhookTest.findingEvent(.findingClosed, n: 2)], db: db)
            }
            let first = try await run(["deliver", "--once"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("retrying 2"))
            // The retry is due 50 ms later; on a loaded machine a pass may come early and find nothing
            // due yet, so go on until both deliveries are dead-lettered (a bounded number of passes).
            // A slow first pass may already have reached the retry (50 ms later) and dead-lettered them.
            func dead(in output: String) -> Int {
                guard let range = output.range(of: #"dead (\d+)"#, options: .regularExpression) else { return 0 }
                return Int(output[range].dropFirst(5)) ?? 0
            }
            var deadSoFar = dead(in: first.stdout)
            var outputs: [String] = [first.stdout]
            for _ in 0..<30 where deadSoFar < 2 {
                try await Task.sleep(for: .milliseconds(500))
                let pass = try await run(["deliver", "--once"])
                outputs.append(pass.stdout)
                deadSoFar += dead(in: pass.stdout)
            }
            if deadSoFar < 2 {
                // What the rows looked like, for whoever has to find out why.
                let rows = try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: WebhookTest.logger) { db in
                    try await db.query(
                        """
                        SELECT d.state || ' attempts=' || d.attempts || ' due_in=' || coalesce(extract(epoch FROM d.next_attempt_at - now())::text, '-')
                               || ' lease=' || coalesce(extract(epoch FROM d.lease_expires_at - now())::text, '-')
                               || ' endpoint_enabled=' || e.enabled || ' disabled_at=' || coalesce(e.disabled_at::text, '-')
                        FROM inspector.webhook_deliveries d JOIN inspector.webhook_endpoints e ON e.name = d.endpoint
                        """
                    ).collect().map { try $0.decode(String.self) }
                }
                Issue.record("deliveries not dead-lettered: \(rows) after passes \(outputs)")
            }

            let failed = try await run(["deliveries", "--failed"])
            #expect(failed.stdout.components(separatedBy: " dead ").count - 1 == 2, "\(failed.stdout)")
            #expect(failed.stdout.contains("finding.created") && failed.stdout.contains("finding.closed"))

            status.withLock { $0 = 200 }
            let since = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -3600))
            let redeliver = try await run(["redeliver", "--since", since, "--endpoint", "hook"])
            #expect(redeliver.stdout.contains("queued 2"), "\(redeliver.stdout) \(redeliver.stderr)")
            let third = try await run(["deliver", "--once"])
            #expect(third.stdout.contains("succeeded 2"), "\(third.stdout)")
            #expect(try await run(["deliveries", "--failed"]).stdout.contains("no failed deliveries"))
            let ids = server.requests.compactMap { $0.header("webhook-id") }
            #expect(ids.count == 6 && Set(ids).count == 2) // 2 × (first, retry, redelivery), same ids

            let ping = try await run(["test", "hook"])
            #expect(ping.status == 0, "\(ping.stdout) \(ping.stderr)")
            #expect(ping.stdout.contains("HTTP 200"))
            let last = try #require(server.requests.last)
            #expect(last.json?["type"] as? String == "webhook.test")
            #expect(SignatureCheck.valid(last))

            let missing = try await run(["redeliver", "--since", since, "--endpoint", "nope"])
            #expect(missing.status != 0)
        }
    }
}
