import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// The built `inspector-sync` binary against the in-process emulator and a real database.
@Suite struct DaemonTests {
    static let credentials = [
        "AWS_ACCESS_KEY_ID": EmulatorConfiguration.defaultAccessKey,
        "AWS_SECRET_ACCESS_KEY": EmulatorConfiguration.defaultSecretKey,
        "AWS_REGION": "us-east-1",
    ]

    static func emulatorConfiguration(seed: UInt64, findings: Int) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.seed = seed
        configuration.accounts = 2
        configuration.regions = ["us-east-1", "eu-west-1"]
        configuration.findingsPerAccountRegion = findings
        return configuration
    }

    static func writeConfig(database: DatabaseURL, emulatorPort: Int, extra: String = "") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inspector-sync-\(UUID().uuidString).toml").path
        let text = """
        [database]
        url = "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database!)?sslmode=disable"

        [aws]
        regions = ["us-east-1", "eu-west-1"]
        endpoint_url = "http://127.0.0.1:\(emulatorPort)"

        [discovery]
        mode = "delegated-admin"

        [sync]
        interval = "1s"
        lease_duration = "3s"
        \(extra)

        [log]
        level = "warning"
        """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func query<T: PostgresDecodable & Sendable>(_ url: DatabaseURL, _ sql: String, as: T.Type) async throws -> [T] {
        try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql)).collect().map { try $0.decode(T.self) }
        }
    }

    @Test func daemonSyncsRepeatedlyAndStopsCleanlyOnSIGTERM() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await EmulatorServer.withRunning(Self.emulatorConfiguration(seed: 31, findings: 150), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            let config = try Self.writeConfig(database: url, emulatorPort: emulator.port)
            let daemon = try RunningProcess(cli, ["run", "--config", config], environment: Self.credentials)

            // Every job completes a first cycle.
            let jobs = (1 + 2) * 2 * 2
            var done = 0
            for _ in 0..<300 where done < jobs {
                try await Task.sleep(for: .milliseconds(100))
                done = try await Self.query(url, "SELECT count(*)::int FROM inspector.sync_state WHERE last_success_at IS NOT NULL", as: Int.self).first ?? 0
            }
            #expect(done == jobs, "\(daemon.output)")

            // A drift is picked up by a later cycle without restarting anything.
            let drift = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.05, "seed": 2, "kinds": ["closed"]])).json
            let closed = drift?["changes"]?["closed"]?.arrayValue?.count ?? 0
            #expect(closed > 0)
            var events = 0
            for _ in 0..<300 where events < closed {
                try await Task.sleep(for: .milliseconds(100))
                events = try await Self.query(url, "SELECT count(*)::int FROM inspector.finding_events WHERE event_type = 'finding.closed'", as: Int.self).first ?? 0
            }
            #expect(events == closed)

            // status and report read what the daemon stored.
            let env = ["INSPECTOR_SYNC_DATABASE_URL": "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"]
            let status = try await cli.run(["status", "--json"], environment: env)
            let statusRows = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]
            #expect(statusRows?.count == jobs, "\(status.stderr)")
            let summary = try await cli.run(["report", "summary", "--format", "csv"], environment: env)
            let reported = summary.stdout.split(separator: "\r\n").dropFirst().compactMap { Int($0.split(separator: ",").last ?? "") }.reduce(0, +)
            let stored = try await Self.query(url, "SELECT count(*)::int FROM inspector.findings WHERE removed_at IS NULL", as: Int.self).first
            #expect(reported == stored)

            daemon.signal(SIGTERM)
            let exitStatus = await daemon.waitForExit(timeout: .seconds(30))
            #expect(exitStatus == 0, "\(daemon.output)")
            let leased = try await Self.query(url, "SELECT count(*)::int FROM inspector.sync_state WHERE lease_owner IS NOT NULL", as: Int.self).first
            #expect(leased == 0, "leases must be released on shutdown")
            try await TestDatabase.drop(url)
        }
    }

    @Test func syncSurvivesRepeatedSIGKILLWithoutLosingOrDuplicatingEvents() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        var emulatorConfiguration = Self.emulatorConfiguration(seed: 33, findings: 900)
        emulatorConfiguration.regions = ["us-east-1", "eu-west-1"]
        try await EmulatorServer.withRunning(emulatorConfiguration, logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            let config = try Self.writeConfig(database: url, emulatorPort: emulator.port, extra: "page_size = 25")
            var generator = SystemRandomNumberGenerator()

            /// Runs `sync --once` until one run completes every job, killing it at random moments.
            func syncUnderKills(_ kills: inout Int) async throws {
                for attempt in 0..<60 {
                    let run = try RunningProcess(cli, ["sync", "--once", "--config", config], environment: Self.credentials)
                    if attempt < 40 && kills < 30 {
                        try await Task.sleep(for: .milliseconds(Int.random(in: 30...400, using: &generator)))
                        if run.isRunning {
                            run.signal(SIGKILL)
                            kills += 1
                            _ = await run.waitForExit(timeout: .seconds(10))
                            continue
                        }
                    }
                    let status = await run.waitForExit(timeout: .seconds(120))
                    // Jobs still leased by a killed run show as skipped: wait out the lease and go again.
                    if status == 0 && !run.output.contains("skipped") { return }
                    try await Task.sleep(for: .seconds(3))
                }
                Issue.record("sync never completed")
            }

            var kills = 0
            try await syncUnderKills(&kills)
            let drift = emulator.emulator.handle(EmulatorRequest.json("/_emulator/drift", ["fraction": 0.03, "seed": 6])).json
            var expected = 0
            for (kind, arns) in drift?["changes"]?.objectValue ?? [] where ["closed", "reopened", "severityChanged", "scoreChanged", "fixAvailable", "exploitAvailable", "created"].contains(kind) {
                expected += arns.arrayValue?.count ?? 0
            }
            try await syncUnderKills(&kills)
            #expect(kills > 5, "the test should have killed runs mid-work")

            let findingEvents = try await Self.query(url, "SELECT count(*)::int FROM inspector.finding_events WHERE event_type LIKE 'finding.%'", as: Int.self).first ?? -1
            let duplicates = try await Self.query(url, """
                SELECT count(*)::int FROM (SELECT 1 FROM inspector.finding_events
                GROUP BY event_type, coalesce(finding_arn, ''), coalesce(resource_id, ''), coalesce(scan_type, '') HAVING count(*) > 1) d
                """, as: Int.self).first
            #expect(findingEvents == expected)
            #expect(duplicates == 0)
            let stored = try await Self.query(url, "SELECT count(*)::int FROM inspector.findings WHERE removed_at IS NULL", as: Int.self).first ?? 0
            let truth = emulator.emulator.handle(EmulatorRequest.json("/_emulator/state", method: "GET")).json?["findingsTotal"]?.intValue ?? -1
            #expect(stored == truth)
            try await TestDatabase.drop(url)
        }
    }
}

/// The daemon speaks sd_notify to a datagram socket the test opens, as systemd would.
@Suite struct SystemdNotifyTests {
    @Test func readyStatusWatchdogAndStoppingArriveInOrder() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        let socketPath = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd); unlink(socketPath) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        try await EmulatorServer.withRunning(DaemonTests.emulatorConfiguration(seed: 41, findings: 50), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            let config = try DaemonTests.writeConfig(database: url, emulatorPort: emulator.port)
            var env = DaemonTests.credentials
            env["NOTIFY_SOCKET"] = socketPath
            env["WATCHDOG_USEC"] = "1000000"
            let daemon = try RunningProcess(cli, ["run", "--config", config], environment: env)
            var messages: [String] = []
            func receive(until deadline: ContinuousClock.Instant, stopWhen: (String) -> Bool) {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while ContinuousClock.now < deadline {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    guard n > 0 else { continue }
                    let message = String(decoding: buffer[0..<n], as: UTF8.self)
                    messages.append(message)
                    if stopWhen(message) { return }
                }
            }
            receive(until: .now + .seconds(20)) { _ in messages.contains("READY=1") && messages.contains("WATCHDOG=1") && messages.contains { $0.hasPrefix("STATUS=") } }
            daemon.signal(SIGTERM)
            receive(until: .now + .seconds(20)) { $0 == "STOPPING=1" }
            let exit = await daemon.waitForExit(timeout: .seconds(30))
            #expect(exit == 0, "\(daemon.output)")
            let ready = messages.firstIndex(of: "READY=1"), watchdog = messages.firstIndex(of: "WATCHDOG=1")
            let status = messages.firstIndex { $0.hasPrefix("STATUS=") }, stopping = messages.firstIndex(of: "STOPPING=1")
            #expect(ready != nil && watchdog != nil && status != nil && stopping != nil, "\(messages)")
            if let ready, let watchdog, let status, let stopping {
                #expect(ready < watchdog && ready <= status && watchdog < stopping && status < stopping)
            }
            try await TestDatabase.drop(url)
        }
    }
}
