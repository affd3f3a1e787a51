import AsyncHTTPClient
import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import Synchronization
@testable import WebhookDelivery

/// Builders shared by the database tests.
enum WebhookTest {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    /// Fast retries for tests: the shape of the default schedule, in tenths of seconds.
    static let fastSchedule: [Duration] = [.zero, .milliseconds(100), .milliseconds(100), .milliseconds(200), .milliseconds(200), .milliseconds(300)]

    static var logger: Logger {
        var logger = Logger(label: "test.webhooks")
        logger.logLevel = .critical
        return logger
    }

    static func webhook(_ name: String, port: Int, path: String = "/hook", allowPrivate: Bool = true) -> InspectorSyncConfiguration.Webhook {
        var webhook = InspectorSyncConfiguration.Webhook(
            name: name, url: URL(string: "http://127.0.0.1:\(port)\(path)")!, secrets: [SecretValue(secret)], format: .cloudEvents
        )
        webhook.allowPrivateNetworks = allowPrivate
        webhook.retrySchedule = fastSchedule
        webhook.timeout = .seconds(2)
        return webhook
    }

    static func dispatcher(
        _ db: PostgresClient, _ http: HTTPClient, _ webhooks: [InspectorSyncConfiguration.Webhook], owner: String = "test-\(UUID().uuidString.prefix(8))"
    ) throws -> WebhookDispatcher {
        var options = WebhookDispatcher.Options()
        options.pollInterval = .milliseconds(50)
        options.leaseMargin = .seconds(5)
        return try WebhookDispatcher(
            store: WebhookDeliveryStore(client: db, owner: owner, logger: logger), sender: WebhookSender(httpClient: http),
            webhooks: webhooks, options: options, logger: logger
        )
    }

    static func withHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = WebhookSender.makeHTTPClient()
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func withServer<T: Sendable>(_ handler: @escaping TestHTTPServer.Handler, _ body: (TestHTTPServer, Int) async throws -> T) async throws -> T {
        let server = TestHTTPServer(handler: handler)
        let port = try await server.start()
        do {
            let result = try await body(server, port)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// Runs `runOnce` until no delivery is pending or `timeout` passes (retries are scheduled later).
    static func deliverAll(_ dispatcher: WebhookDispatcher, db: PostgresClient, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try await dispatcher.runOnce()
            if try await count(db, "state IN ('pending', 'delivering')") == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func count(_ db: PostgresClient, _ condition: String) async throws -> Int {
        try await db.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM inspector.webhook_deliveries WHERE \(condition)"))
            .collect()[0].decode(Int.self)
    }

    /// Appends events in one transaction, as the page writers do.
    @discardableResult
    static func append(_ events: [ChangeEventRecord], db: PostgresClient) async throws -> [Int64] {
        try await db.withConnection { connection in
            try await connection.inTransaction(logger: logger) { tx in
                try await ChangeEventWriter.append(events, on: tx, logger: logger)
            }
        }
    }

    static func findingEvent(
        _ type: ChangeEventType, n: Int, account: String = "111111111111", region: String = "us-east-1", severity: String = "HIGH",
        oldSeverity: String? = nil, resourceType: String = "AWS_EC2_INSTANCE"
    ) -> ChangeEventRecord {
        ChangeEventRecord(
            type: type, findingArn: "arn:aws:inspector2:\(region):\(account):finding/f\(n)", resourceId: "i-\(n)", resourceType: resourceType,
            accountId: account, region: region, oldStatus: type == .findingCreated ? nil : "ACTIVE", newStatus: "ACTIVE",
            oldSeverity: oldSeverity, newSeverity: severity, data: Array(#"{"title":"finding \#(n)"}"#.utf8), occurredAt: Date()
        )
    }
}

extension TestHTTPServer.Request {
    var header: (String) -> String? { { name in self.headers.first(name: name) } }

    /// One JSON line for scripts/verify-standard-webhooks.py.
    var verificationLine: String {
        let object: [String: Any] = [
            "headers": ["webhook-id": header("webhook-id") ?? "", "webhook-timestamp": header("webhook-timestamp") ?? "",
                        "webhook-signature": header("webhook-signature") ?? ""],
            "body": String(decoding: body, as: UTF8.self),
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}

/// Verifies posts with our signer (and, where available, Python's `standardwebhooks`).
enum SignatureCheck {
    static func valid(_ request: TestHTTPServer.Request, secret: String = WebhookTest.secret) -> Bool {
        guard let id = request.header("webhook-id"), let ts = request.header("webhook-timestamp").flatMap(Int64.init),
              let signature = request.header("webhook-signature"),
              let expected = try? WebhookSigner(secrets: [secret]).signature(id: id, timestamp: ts, body: request.body) else { return false }
        return signature.split(separator: " ").contains { String($0) == expected }
    }

    static var pythonAvailable: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import standardwebhooks"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs scripts/verify-standard-webhooks.py over the posts; returns its output and exit status.
    static func python(_ requests: [TestHTTPServer.Request], secret: String = WebhookTest.secret) throws -> (Int32, String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/verify-standard-webhooks.py")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString).jsonl")
        try requests.map(\.verificationLine).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, secret, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output)
    }
}
