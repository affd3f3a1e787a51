import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Synchronization
import Testing
@testable import WebhookDelivery

/// A delivery process killed (SIGKILL) in the middle of a post leaves the delivery leased, not lost:
/// once the lease lapses another process posts it, with the same webhook-id.
@Suite struct KilledProcessTests {
    @Test func killedMidPostIsRetriedNotLost() async throws {
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
        let calls = Mutex(0)
        try await WebhookTest.withServer({ _ in
            // The first post hangs (the process is killed meanwhile); later ones succeed.
            calls.withLock { $0 += 1; return $0 } == 1 ? .delayed(.seconds(60), .json(200, "{}")) : .json(200, "{}")
        }) { server, port in
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-kill-\(UUID().uuidString).toml")
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
            timeout = "60s"
            """.write(to: config, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: config) }

            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: WebhookTest.logger) { db in
                // The endpoint row exists before the event, as after any `webhooks` command or sync start.
                try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([WebhookTest.webhook("hook", port: port)])
                try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)

                let process = Process()
                process.executableURL = cli.url
                process.arguments = ["webhooks", "deliver", "--once", "--config", config.path]
                var environment = ProcessInfo.processInfo.environment
                environment["INSPECTOR_SYNC_DATABASE_URL"] = nil
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let deadline = ContinuousClock.now + .seconds(20)
                while server.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                try #require(server.requests.count == 1)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal)

                // Leased by the dead process: not lost, not claimable until the lease lapses.
                #expect(try await WebhookTest.count(db, "state = 'delivering' AND attempts = 1 AND lease_owner IS NOT NULL") == 1)
                try await db.query("UPDATE inspector.webhook_deliveries SET lease_expires_at = now() - interval '1 second'")

                let again = try await cli.run(["webhooks", "deliver", "--once", "--config", config.path], removing: ["INSPECTOR_SYNC_DATABASE_URL"])
                #expect(again.status == 0, "\(again.stderr)")
                #expect(again.stdout.contains("succeeded 1"), "\(again.stdout)")
                #expect(try await WebhookTest.count(db, "state = 'succeeded' AND attempts = 2") == 1)
                let ids = server.requests.compactMap { $0.header("webhook-id") }
                #expect(ids.count == 2 && Set(ids).count == 1)
            }
        }
    }
}
