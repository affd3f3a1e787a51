import AsyncHTTPClient
import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// The real daemon against a PostgreSQL of the test's own, restarted and stopped under it.
@Suite struct DaemonOutageTests {
    /// Polls `sql` (a single integer) until `done` holds; database errors while it is down are retried.
    static func waitFor(_ url: DatabaseURL, _ sql: String, seconds: Int = 120, _ done: (Int) -> Bool) async throws -> Int {
        var last = -1
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = try? await DaemonTests.query(url, sql, as: Int.self).first {
                last = value
                if done(value) { return value }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    /// Per (account, region, status) counts, from the emulator's state and from the table.
    static func truthCounts(_ emulator: RunningEmulator) -> [String: Int] {
        var counts: [String: Int] = [:]
        let state = emulator.emulator.handle(EmulatorRequest(method: "GET", path: "/_emulator/state")).json
        for (account, regions) in state?["findings"]?.objectValue ?? [] {
            for (region, statuses) in regions.objectValue ?? [] {
                for (status, count) in statuses.objectValue ?? [] where (count.intValue ?? 0) > 0 {
                    counts["\(account)/\(region)/\(status)"] = count.intValue
                }
            }
        }
        return counts
    }

    static func storedCounts(_ url: DatabaseURL) async throws -> [String: Int] {
        let rows = try await DaemonTests.query(
            url, "SELECT account_id || '/' || region || '/' || status || '=' || count(*) FROM inspector.findings WHERE removed_at IS NULL GROUP BY account_id, region, status",
            as: String.self
        )
        var counts: [String: Int] = [:]
        for row in rows {
            let parts = row.split(separator: "=")
            counts[String(parts[0])] = Int(parts[1])
        }
        return counts
    }

    static func difference(_ stored: [String: Int], _ truth: [String: Int]) -> String {
        Set(stored.keys).union(truth.keys).sorted().filter { stored[$0] != truth[$0] }
            .map { "\($0): stored \(stored[$0] ?? 0), emulator \(truth[$0] ?? 0)" }.joined(separator: "; ")
    }

    static func readyz(_ http: HTTPClient, port: Int) async -> (Int, String) {
        do {
            let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            return (0, "\(error)")
        }
    }

    @Test func survivesPostgreSQLRestartsUnderLoadAndReadyzFollowsTheDatabase() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let pg = try await PrivatePostgres.start()
        defer { Task { await pg.destroy() } }
        try await PostgresClient.withClient(configuration: try pg.url.clientConfiguration(), logger: TestDatabase.logger) { client in
            try await client.query("CREATE DATABASE sync")
        }
        let url = try DatabaseURL(pg.urlText(database: "sync"))
        let migrate = try await cli.run(["migrate", "--database-url", pg.urlText(database: "sync")])
        #expect(migrate.status == 0, "\(migrate.stderr)")

        try await EmulatorServer.withRunning(DaemonTests.emulatorConfiguration(seed: 47, findings: 300), logger: .init(label: "emu")) { emulator in
            let httpPort = freeLoopbackPort()
            let config = try DaemonTests.writeConfig(database: url, emulatorPort: emulator.port, extra: "page_size = 20", httpPort: httpPort)
            let daemon = try RunningProcess(cli, ["run", "--config", config], environment: DaemonTests.credentials)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)

            // Under load: the backfill is storing pages when the server goes away, twice.
            let total = Self.truthCounts(emulator).values.reduce(0, +)
            var stored = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.findings") { $0 >= 400 }
            #expect(stored >= 400 && stored < total, "the first restart must hit the backfill in flight (\(stored) of \(total))")
            try await pg.restartServer(mode: "immediate")
            stored = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.findings") { $0 >= stored + 400 }
            try await pg.restartServer(mode: "fast")
            let jobs = (1 + 2) * 2 * 2
            let done = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL") { $0 == jobs }
            #expect(done == jobs, "\(daemon.output)")
            let afterRestarts = try await Self.storedCounts(url)
            #expect(afterRestarts == Self.truthCounts(emulator), "every page is stored after the restarts: \(Self.difference(afterRestarts, Self.truthCounts(emulator)))\n\(daemon.output)")

            // Down: /readyz says so (and /healthz does not: the process is fine). Up: ready again.
            try await pg.stopServer(mode: "fast")
            var ready = await Self.readyz(http, port: httpPort)
            for _ in 0..<300 where ready.0 != 503 {
                try await Task.sleep(for: .milliseconds(100))
                ready = await Self.readyz(http, port: httpPort)
            }
            #expect(ready.0 == 503 && ready.1.contains("database"), "\(ready)")
            let health = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(httpPort)/healthz"), timeout: .seconds(10))
            #expect(health.status.code == 200)
            try await Task.sleep(for: .seconds(2)) // a few failed cycles while it is down
            try await pg.startServer()
            for _ in 0..<600 where ready.0 != 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = await Self.readyz(http, port: httpPort)
            }
            #expect(ready.0 == 200, "\(ready)")

            // Changes after the outage arrive as events, each exactly once.
            let drift = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.05, "seed": 3, "kinds": ["closed", "severityChanged"]])).json
            let closed = Set((drift?["changes"]?["closed"]?.arrayValue ?? []).compactMap(\.stringValue))
            let raised = Set((drift?["changes"]?["severityChanged"]?.arrayValue ?? []).compactMap(\.stringValue))
            let expected = closed.count + raised.count
            let events = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.finding_events WHERE event_type IN ('finding.closed', 'finding.severity_changed')") { $0 >= expected }
            try await Task.sleep(for: .seconds(2)) // a later cycle must not add any
            let closedEvents = try await DaemonTests.query(url, "SELECT finding_arn FROM inspector.finding_events WHERE event_type = 'finding.closed'", as: String.self)
            let raisedEvents = try await DaemonTests.query(url, "SELECT finding_arn FROM inspector.finding_events WHERE event_type = 'finding.severity_changed'", as: String.self)
            #expect(events == expected)
            #expect(closedEvents.count == closed.count && Set(closedEvents) == closed)
            #expect(raisedEvents.count == raised.count && Set(raisedEvents) == raised)
            #expect(try await Self.storedCounts(url) == Self.truthCounts(emulator))

            #expect(daemon.isRunning, "the daemon rides the outages out:\n\(daemon.output)")
            daemon.signal(SIGTERM)
            let status = await daemon.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "\(daemon.output)")
            try await http.shutdown()
        }
        await pg.destroy()
    }

    @Test func sigtermMidBackfillExitsWithinTheGracePeriodAndTheRestartResumes() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await EmulatorServer.withRunning(DaemonTests.emulatorConfiguration(seed: 53, findings: 300), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            // One cycle only (interval 1h): every ListFindings call below belongs to the backfill.
            // Pages of 5: a window is far from its end when SIGTERM comes, even if the signal is
            // handled seconds late on a loaded machine.
            let config = try DaemonTests.writeConfig(
                database: url, emulatorPort: emulator.port,
                extra: "page_size = 5\nmax_concurrent_targets = 2\n\n[shutdown]\ngrace_period = \"10s\"", httpPort: freeLoopbackPort()
            )
            let patched = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: #"interval = "1s""#, with: #"interval = "1h""#)
            try patched.write(toFile: config, atomically: true, encoding: .utf8)
            let counts = Self.truthCounts(emulator)
            var perTarget: [String: Int] = [:]
            for (key, count) in counts {
                let parts = key.split(separator: "/")
                perTarget["\(parts[0])/\(parts[1])", default: 0] += count
            }
            let cleanPages = perTarget.values.reduce(0) { $0 + ($1 + 4) / 5 }
            func listFindingsCalls() -> Int {
                emulator.emulator.handle(EmulatorRequest(method: "GET", path: "/_emulator/state")).json?["calls"]?["ListFindings"]?.intValue ?? 0
            }

            let first = try RunningProcess(cli, ["run", "--config", config], environment: DaemonTests.credentials)
            let inFlight = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.sync_state WHERE job = 'findings' AND next_token IS NOT NULL AND pages_in_window >= 8") { $0 >= 1 }
            #expect(inFlight >= 1, "\(first.output)")
            let sent = ContinuousClock.now
            first.signal(SIGTERM)
            let status = await first.waitForExit(timeout: .seconds(30))
            let took = ContinuousClock.now - sent
            #expect(status == 0, "\(first.output)")
            #expect(took < .seconds(12), "exits within the 10 s grace period (took \(took))")
            let callsBefore = listFindingsCalls()
            let resumable = try await DaemonTests.query(url, "SELECT count(*)::int FROM inspector.sync_state WHERE job = 'findings' AND next_token IS NOT NULL", as: Int.self).first ?? 0
            let leased = try await DaemonTests.query(url, "SELECT count(*)::int FROM inspector.sync_state WHERE lease_owner IS NOT NULL", as: Int.self).first ?? -1
            #expect(resumable >= 1, "the interrupted window keeps its next page token")
            #expect(leased == 0, "leases are given back on shutdown")
            #expect(callsBefore > perTarget.count, "enough pages before SIGTERM that reading them twice would show")

            let second = try RunningProcess(cli, ["run", "--config", config], environment: DaemonTests.credentials)
            let jobs = (1 + 2) * 2 * 2
            let done = try await Self.waitFor(url, "SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL", seconds: 300) { $0 == jobs }
            #expect(done == jobs, "\(second.output)")
            #expect(try await Self.storedCounts(url) == counts)
            // Resumed, not restarted: the two runs together read about one backfill's pages
            // (a restart from scratch would have read the first run's pages again).
            let calls = listFindingsCalls()
            #expect(calls <= cleanPages + perTarget.count, "\(calls) ListFindings calls for \(cleanPages) pages (\(callsBefore) before SIGTERM)")
            second.signal(SIGTERM)
            #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
            try await TestDatabase.drop(url)
        }
    }
}
