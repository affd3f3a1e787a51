import AWSSigning
import FindingStore
import Foundation
import Inspector2Client
import Inspector2Emulator
import InspectorSyncConfig
import Logging
import PostgresNIO
import PostgresTestSupport
import SyncEngine
import Testing
@testable import WebhookDelivery

/// A real sync of an emulator drift: every event reaches the receiver, signed (checked by our verifier
/// and by Python's `standardwebhooks`), exactly the events each endpoint's filters select.
@Suite struct DriftDeliveryTests {
    @Test func everyEventOfADriftIsDelivered() async throws {
        let configuration = Self.emulatorConfiguration
        var emulatorLogger = Logger(label: "emu")
        emulatorLogger.logLevel = .critical
        try await EmulatorServer.withRunning(configuration, logger: emulatorLogger) { emulator in
            try await TestDatabase.withFreshDatabase { db, _ in
                try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
                    try await WebhookTest.withHTTPClient { http in
                        let all = WebhookTest.webhook("all", port: port, path: "/all")
                        var filtered = WebhookTest.webhook("filtered", port: port, path: "/filtered")
                        filtered.events = ["finding.*"]
                        filtered.minSeverity = .high
                        filtered.accounts = [emulator.emulator.adminAccountId]
                        filtered.regions = ["us-east-1"]
                        let webhooks = [all, filtered]
                        try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync(webhooks)

                        let runner = Self.runner(emulator: emulator, db: db)
                        let targets = ([emulator.emulator.adminAccountId] + emulator.emulator.memberAccountIds).flatMap { account in
                            configuration.regions.map { SyncTarget(accountId: account, region: $0) }
                        }
                        let first = try await runner.runOnce(targets: targets, concurrency: 4)
                        #expect(first.allSatisfy { !$0.failed })
                        _ = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.08, "seed": 11], method: "POST"))
                        let second = try await runner.runOnce(targets: targets, concurrency: 4)
                        #expect(second.allSatisfy { !$0.failed })

                        // The feed, read back, and what each endpoint must get.
                        let rows = try await db.query(
                            """
                            SELECT id, event_type, account_id, region, old_severity, new_severity
                            FROM inspector.finding_events ORDER BY id
                            """
                        ).collect()
                        var expectedAll = Set<String>(), expectedFiltered = Set<String>()
                        for row in rows {
                            let (id, type, account, region, oldSeverity, newSeverity) = try row.decode((Int64, String, String, String, String?, String?).self)
                            expectedAll.insert(String(id))
                            let rank = [OutboxTests.rank(oldSeverity), OutboxTests.rank(newSeverity)].compactMap { $0 }.max() ?? 99
                            if type.hasPrefix("finding."), account == emulator.emulator.adminAccountId, region == "us-east-1", rank >= 4 {
                                expectedFiltered.insert(String(id))
                            }
                        }
                        #expect(expectedAll.count > 10)
                        #expect(!expectedFiltered.isEmpty)
                        #expect(expectedFiltered.count < expectedAll.count)

                        try await WebhookTest.deliverAll(try WebhookTest.dispatcher(db, http, webhooks), db: db)
                        let requests = server.requests
                        func eventIds(_ path: String) -> [String] {
                            requests.filter { $0.path == path }.compactMap { $0.json?["id"] as? String }
                        }
                        #expect(eventIds("/all").count == expectedAll.count) // each once
                        #expect(Set(eventIds("/all")) == expectedAll)
                        #expect(eventIds("/filtered").count == expectedFiltered.count)
                        #expect(Set(eventIds("/filtered")) == expectedFiltered)
                        #expect(requests.allSatisfy { SignatureCheck.valid($0) })
                        #expect(requests.allSatisfy { $0.header("content-type") == "application/cloudevents+json" })
                        #expect(requests.allSatisfy { ($0.json?["data"] as? [String: Any])?["changes"] is [String: Any] })
                        #expect(requests.filter { ($0.json?["type"] as? String)?.hasPrefix("finding.") == true }
                            .allSatisfy { (($0.json?["data"] as? [String: Any])?["finding"] as? [String: Any])?["findingArn"] as? String == $0.json?["subject"] as? String })

                        // The independent verifier (skipped only when the Python package is missing).
                        if SignatureCheck.pythonAvailable {
                            let (status, output) = try SignatureCheck.python(requests)
                            #expect(status == 0, "\(output)")
                            #expect(output.contains("verified \(requests.count)"))
                        } else {
                            print("note: python3 -m pip install standardwebhooks to verify with the reference library")
                        }
                    }
                }
            }
        }
    }

    static var emulatorConfiguration: EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.seed = 7
        configuration.accounts = 2
        configuration.regions = ["us-east-1", "eu-west-1"]
        configuration.findingsPerAccountRegion = 80
        return configuration
    }

    static func runner(emulator: RunningEmulator, db: PostgresClient) -> SyncRunner {
        let logger = WebhookTest.logger
        let store = SyncStateStore(client: db, owner: "test", leaseDuration: .seconds(30), logger: logger)
        return SyncRunner(store: store, options: SyncOptions(overlap: .seconds(900)), logger: logger) { target in
            let credentials = AWSCredentials(accessKeyId: EmulatorConfiguration.defaultAccessKey, secretAccessKey: EmulatorConfiguration.defaultSecretKey)
            return try Inspector2Client(configuration: Inspector2ClientConfiguration(
                region: target.region,
                signer: SigV4RequestSigner(credentialProvider: StaticCredentialProvider(credentials), region: target.region),
                endpoint: emulator.endpoint, environment: [:], retryPolicy: .standard, requestTimeout: .seconds(10),
                logger: logger, sleep: { try await Task.sleep(for: $0 / 20) }
            ))
        }
    }
}
