import AsyncHTTPClient
import FindingStore
import Hummingbird
import Foundation
import Inspector2Emulator
import InspectorSyncService
import Logging
import NIOCore
import PostgresNIO
import PostgresTestSupport
import Prometheus
import ServiceLifecycle

/// A database filled by a real `inspector-sync sync --once` against the emulator, with a webhook
/// endpoint whose URL carries credentials and a token (the page must show only its host).
enum StatusFixture {
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    /// Appears in the stored URL only; the page must never show it.
    static let urlSecrets = ["s3cretpass", "tok3n-in-query", "T0KENPATH"]

    static var logger: Logger {
        var logger = Logger(label: "test.status")
        logger.logLevel = .warning
        return logger
    }

    static func emulatorConfiguration(seed: UInt64) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.seed = seed
        configuration.accounts = 2
        configuration.regions = ["us-east-1", "eu-west-1"]
        configuration.findingsPerAccountRegion = 40
        return configuration
    }

    /// The config file of a daemon (or a one-shot sync) against the emulator and the database.
    static func writeConfig(database url: DatabaseURL, emulatorPort: Int, listen: String = "off", webhookPort: Int, interval: String = "1h") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString).toml").path
        try """
        [database]
        url = "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"

        [aws]
        regions = ["us-east-1", "eu-west-1"]
        endpoint_url = "http://127.0.0.1:\(emulatorPort)"

        [discovery]
        mode = "delegated-admin"

        [sync]
        interval = "\(interval)"

        [http]
        listen = "\(listen)"

        [log]
        level = "warning"

        [[webhooks]]
        name = "ops-pager"
        url = "http://ops:\(urlSecrets[0])@127.0.0.1:\(webhookPort)/hook/\(urlSecrets[2])?token=\(urlSecrets[1])"
        secret = "\(webhookSecret)"
        events = ["finding.*"]
        allow_private_networks = true
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let awsEnvironment = [
        "AWS_ACCESS_KEY_ID": EmulatorConfiguration.defaultAccessKey,
        "AWS_SECRET_ACCESS_KEY": EmulatorConfiguration.defaultSecretKey, "AWS_REGION": "us-east-1",
    ]

    /// Emulator, database, one real sync, then `body` with an in-process OpsServer on it.
    static func withSyncedStatusServer(
        seed: UInt64, _ body: @Sendable (_ port: Int, _ db: PostgresClient) async throws -> Void
    ) async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await EmulatorServer.withRunning(emulatorConfiguration(seed: seed), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            let config = try writeConfig(database: url, emulatorPort: emulator.port, webhookPort: freeLoopbackPort())
            let sync = try await cli.run(["sync", "--once", "--config", config], environment: awsEnvironment)
            guard sync.status == 0 else { throw TestDatabaseError("sync --once exited \(sync.status): \(sync.stderr)") }
            // The first sync stores the baseline silently; a drift and a second sync make events (and
            // the webhook deliveries of those events).
            _ = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.15, "seed": .number(Double(seed))]))
            let again = try await cli.run(["sync", "--once", "--config", config], environment: awsEnvironment)
            guard again.status == 0 else { throw TestDatabaseError("second sync --once exited \(again.status): \(again.stderr)") }
            try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { db in
                try await simulateDeliveryFailures(db)
                try await withOpsServer(database: db) { port in try await body(port, db) }
            }
            try await TestDatabase.drop(url)
        }
    }

    /// What the dispatcher leaves behind when an endpoint fails: some deliveries retrying, some dead.
    /// (The sync created them, pending; nobody delivered them, since `sync --once` does not.)
    static func simulateDeliveryFailures(_ db: PostgresClient) async throws {
        try await db.query(
            """
            UPDATE inspector.webhook_deliveries SET attempts = 3, last_status_code = 503, next_attempt_at = now() + interval '1 hour'
            WHERE id IN (SELECT id FROM inspector.webhook_deliveries ORDER BY id LIMIT 5)
            """
        )
        try await db.query(
            """
            UPDATE inspector.webhook_deliveries SET state = 'dead', attempts = 8, last_status_code = 500
            WHERE id IN (SELECT id FROM inspector.webhook_deliveries ORDER BY id DESC LIMIT 2)
            """
        )
        try await db.query("UPDATE inspector.webhook_endpoints SET first_failure_at = now() - interval '2 hours'")
    }

    /// An OpsServer on a free port for the duration of `body`.
    static func withOpsServer(database: PostgresClient, _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = OpsServer(
            host: "127.0.0.1", port: 0, database: database, registry: PrometheusCollectorRegistry(), heartbeat: SchedulerHeartbeat(),
            stuckAfter: .seconds(900), logger: logger
        ) { port in
            continuation.yield(port)
            continuation.finish()
        }
        try await withService(server, ports: ports, body)
    }

    /// A webhook receiver that accepts every POST. (Not a failing one: with failing deliveries due,
    /// the daemon's delivery service keeps retrying through SIGTERM, past the test's patience.)
    static func withReceiver(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("**") { _, _ in Response(status: .noContent) }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        try await withService(app, ports: ports, body)
    }

    static func withService(_ service: some Service, ports: AsyncStream<Int>, _ body: @Sendable (Int) async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestDatabaseError("the server did not start") }
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    struct Fetched {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func get(_ url: String) async throws -> Fetched {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Connection", value: "close")   // no idle connection holds the server at shutdown
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Fetched(status: Int(response.status.code), headers: headers, body: String(buffer: body))
    }
}
