import FindingStore
import Foundation
import Logging
import PostgresNIO
import PostgresTestSupport
import ServiceLifecycle
import Testing
@testable import WebhookDelivery

/// `run()` under a ServiceGroup, as the daemon runs it: events recorded while it runs are posted
/// without a `runOnce` call, and a graceful shutdown ends it.
@Suite struct DispatcherServiceTests {
    @Test func runDeliversWhileRunningAndStopsOnShutdown() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
                try await WebhookTest.withHTTPClient { _ in
                    let webhook = WebhookTest.webhook("live", port: port)
                    var options = WebhookDispatcher.Options()
                    options.pollInterval = .milliseconds(50)
                    // The daemon's service: it syncs the endpoint itself and owns its HTTP client.
                    let service = WebhookDeliveryService(webhooks: [webhook], database: db, options: options, logger: WebhookTest.logger)
                    let group = ServiceGroup(configuration: .init(services: [service], logger: WebhookTest.logger))
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        for round in 0..<3 {
                            // The first event waits until the service has synced the endpoint.
                            while round == 0, try await db.query("SELECT 1 FROM inspector.webhook_endpoints").collect().isEmpty {
                                try await Task.sleep(for: .milliseconds(10))
                            }
                            try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: round)], db: db)
                            let deadline = ContinuousClock.now + .seconds(10)
                            while server.requests.count < round + 1, ContinuousClock.now < deadline {
                                try await Task.sleep(for: .milliseconds(20))
                            }
                            #expect(server.requests.count == round + 1)
                        }
                        await group.triggerGracefulShutdown()
                        try await tasks.waitForAll()
                    }
                    #expect(try await WebhookTest.count(db, "state = 'succeeded'") == 3)
                }
            }
        }
    }

    /// The change feed's NOTIFY wakes the service: with a poll interval far beyond the test's patience,
    /// each new event is still posted within seconds.
    @Test func notifyWakesTheServiceBeforeItsPollInterval() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
                let webhook = WebhookTest.webhook("woken", port: port)
                var options = WebhookDispatcher.Options()
                options.pollInterval = .seconds(600)
                let service = WebhookDeliveryService(webhooks: [webhook], database: db, options: options, logger: WebhookTest.logger)
                let group = ServiceGroup(configuration: .init(services: [service], logger: WebhookTest.logger))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    while try await db.query("SELECT 1 FROM inspector.webhook_endpoints").collect().isEmpty {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    // Let the first round finish and the service settle into its long idle wait.
                    try await Task.sleep(for: .milliseconds(500))
                    for round in 0..<3 {
                        try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: round)], db: db)
                        let deadline = ContinuousClock.now + .seconds(10)
                        while server.requests.count < round + 1, ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(server.requests.count == round + 1)
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                #expect(try await WebhookTest.count(db, "state = 'succeeded'") == 3)
            }
        }
    }
}
