import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// The real daemon (`inspector-sync run`) serves the page and the gauges the dashboards use.
@Suite struct DaemonStatusPageTests {
    @Test func theDaemonServesThePageAndEveryScrapedMetricIsInTheCatalog() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await StatusFixture.withReceiver { receiverPort in
            try await EmulatorServer.withRunning(StatusFixture.emulatorConfiguration(seed: 89), logger: .init(label: "emu")) { emulator in
                let url = try await TestDatabase.create(migrated: true)
                let listenPort = freeLoopbackPort()
                let config = try StatusFixture.writeConfig(
                    database: url, emulatorPort: emulator.port, listen: "127.0.0.1:\(listenPort)", webhookPort: receiverPort, interval: "2s"
                )
                let daemon = try RunningProcess(cli, ["run", "--config", config], environment: StatusFixture.awsEnvironment)
                try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { db in
                    // First cycle of every job, then a drift so that events (and their deliveries) follow.
                    try await waitUntil(db, "SELECT count(*) > 0 AND bool_and(last_success_at IS NOT NULL) FROM inspector.sync_state")
                    _ = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.1, "seed": 5]))
                    try await waitUntil(db, "SELECT count(*) > 0 FROM inspector.webhook_deliveries WHERE attempts > 0")
                    // Every delivery done before SIGTERM: the delivery service drains what is due before it stops.
                    try await waitUntil(db, "SELECT count(*) = 0 FROM inspector.webhook_deliveries WHERE state IN ('pending', 'delivering')")

                    let page = try await StatusFixture.get("http://127.0.0.1:\(listenPort)/")
                    #expect(page.status == 200)
                    #expect(page.headers["cache-control"] == "no-store")
                    #expect(page.headers["content-security-policy"]?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:") == true)
                    let targets = try await db.query("SELECT count(*)::int FROM inspector.sync_state").collect()[0].decode(Int.self)
                    let rows = PageText(html: page.body).ids(prefix: "sync-").filter { !$0.hasSuffix("-watermark") && !$0.hasSuffix("-failures") }
                    #expect(rows.count == targets)
                    for secret in StatusFixture.urlSecrets + [StatusFixture.webhookSecret] { #expect(!page.body.contains(secret)) }

                    var metrics = try await StatusFixture.get("http://127.0.0.1:\(listenPort)/metrics")
                    for _ in 0..<50 where !metrics.body.contains("inspector_sync_webhook_deliveries_total") {
                        try await Task.sleep(for: .milliseconds(100))
                        metrics = try await StatusFixture.get("http://127.0.0.1:\(listenPort)/metrics")
                    }
                    #expect(metrics.status == 200)
                    let scraped = MetricCatalog.sampleNames(inExposition: metrics.body)
                    let exposed = try MetricCatalog.fromSources().exposedNames
                    #expect(scraped.isSubset(of: exposed), "scraped metrics the source scan does not know: \(scraped.subtracting(exposed).sorted())")
                    for name in ["inspector_sync_webhook_backlog", "inspector_sync_webhook_oldest_pending_age_seconds", "inspector_sync_last_success_age_seconds",
                                 "inspector_sync_watermark_lag_seconds", "inspector2_api_calls_total", "inspector_sync_webhook_deliveries_total",
                                 "inspector_sync_job_duration_seconds_bucket"] {
                        #expect(scraped.contains(name), "\(name) is not scraped")
                    }
                    #expect(metrics.body.contains(#"inspector_sync_webhook_backlog{endpoint="ops-pager",state="retrying"}"#)
                        || metrics.body.contains(#"inspector_sync_webhook_backlog{state="retrying",endpoint="ops-pager"}"#), "\(metrics.body.prefix(3000))")
                    #expect(metrics.body.contains(#"outcome="succeeded""#), "deliveries by outcome")
                }
                daemon.signal(SIGTERM)
                let status = await daemon.waitForExit(timeout: .seconds(30))
                #expect(status == 0, "\(daemon.output.suffix(3000))")
                try await TestDatabase.drop(url)
            }
        }
    }

    func waitUntil(_ db: PostgresClient, _ condition: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await db.query(PostgresQuery(unsafeSQL: condition)).collect().first?.decode(Bool?.self) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for: \(condition)")
    }
}
