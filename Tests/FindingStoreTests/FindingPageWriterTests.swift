import FindingStore
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

@Suite struct FindingPageWriterTests {
    let logger = TestDatabase.logger
    let steady = FindingTransition.Options(isBackfill: false, eventsOnFirstSync: false)

    static func record(
        _ n: Int, status: String = "ACTIVE", severity: String = "HIGH", score: Double = 7.5,
        fix: String = "NO", updatedAt: Double = 1_700_000_000, lastObserved: Double = 1_700_000_000,
        packages: [String] = ["openssl"]
    ) -> FindingRecord {
        let arn = "arn:aws:inspector2:us-east-1:111122223333:finding/\(String(format: "%032x", n))"
        let instance = "i-\(String(format: "%017x", n % 3))"
        let title = "CVE-2024-\(n) - tab\there \"quoted\" back\\slash"
        let packagesJSON = packages.map { #"{"name":"\#($0)","version":"1.0.\#(n)","epoch":0,"arch":"x86_64","packageManager":"OS","fixedInVersion":"1.1"}"# }
            .joined(separator: ",")
        let raw = #"""
        {"findingArn":"\#(arn)","awsAccountId":"111122223333","type":"PACKAGE_VULNERABILITY","status":"\#(status)",
         "severity":"\#(severity)","inspectorScore":\#(score),"fixAvailable":"\#(fix)","exploitAvailable":"NO",
         "epss":{"score":0.01},"lastObservedAt":\#(lastObserved),"updatedAt":\#(updatedAt),
         "title":"CVE-2024-\#(n) - tab\there \"quoted\" back\\slash","description":"d",
         "resources":[{"type":"AWS_EC2_INSTANCE","id":"\#(instance)","partition":"aws","region":"us-east-1","tags":{"env":"prod"},"details":{}}],
         "packageVulnerabilityDetails":{"vulnerabilityId":"CVE-2024-\#(n)","source":"NVD","cvss":[{"baseScore":7.5}],
           "vulnerablePackages":[\#(packagesJSON)]}}
        """#
        return FindingRecord(
            arn: arn, accountId: "111122223333", region: "us-east-1", type: "PACKAGE_VULNERABILITY",
            status: status, severity: severity, title: title,
            inspectorScore: score, epssScore: 0.01, fixAvailable: fix, exploitAvailable: "NO",
            firstObservedAt: Date(timeIntervalSince1970: 1_690_000_000), lastObservedAt: Date(timeIntervalSince1970: lastObserved),
            updatedAt: Date(timeIntervalSince1970: updatedAt), resourceId: instance, resourceType: "AWS_EC2_INSTANCE",
            raw: Array(raw.utf8)
        )
    }

    func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql)).collect()[0].decode(Int.self)
    }

    func eventTypes(_ client: PostgresClient) async throws -> [String] {
        try await client.query("SELECT event_type FROM inspector.finding_events ORDER BY id").collect().map { try $0.decode(String.self) }
    }

    @Test func storesFindingsAndChildRowsAndIsSilentOnReplay() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            let page = (0..<50).map { Self.record($0) }
            let first = try await client.withConnection { try await writer.write(page, options: steady, on: $0) }
            #expect(first.changed == 50)
            #expect(first.eventTypes == Array(repeating: .findingCreated, count: 50))
            #expect(try await count(client, "SELECT count(*) FROM inspector.findings") == 50)
            #expect(try await count(client, "SELECT count(*) FROM inspector.finding_packages") == 50)
            #expect(try await count(client, "SELECT count(*) FROM inspector.resources") == 3)
            #expect(try await count(client, "SELECT count(*) FROM inspector.finding_resources") == 50)
            #expect(try await count(client, "SELECT count(*) FROM inspector.vulnerabilities") == 50)
            // The raw JSON survives COPY escaping intact.
            let title = try await client.query("SELECT raw->>'title' FROM inspector.findings ORDER BY finding_arn LIMIT 1").collect()[0].decode(String.self)
            #expect(title == "CVE-2024-0 - tab\there \"quoted\" back\\slash")

            let replay = try await client.withConnection { try await writer.write(page, options: steady, on: $0) }
            #expect(replay.changed == 0)
            #expect(replay.eventIds.isEmpty)
            #expect(try await count(client, "SELECT count(*) FROM inspector.finding_events") == 50)
        }
    }

    @Test func backfillIsSilentByDefault() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            let outcome = try await client.withConnection {
                try await writer.write((0..<10).map { Self.record($0) }, options: .init(isBackfill: true, eventsOnFirstSync: false), on: $0)
            }
            #expect(outcome.changed == 10)
            #expect(outcome.eventIds.isEmpty)
            #expect(try await count(client, "SELECT count(*) FROM inspector.finding_events") == 0)
        }
    }

    @Test func transitionsBecomeEventsWithOldAndNewValues() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            try await client.withConnection { _ = try await writer.write((0..<4).map { Self.record($0) }, options: .init(isBackfill: true, eventsOnFirstSync: false), on: $0) }
            let later: Double = 1_700_000_600
            let changed = [
                Self.record(0, status: "CLOSED", updatedAt: later),
                Self.record(1, severity: "CRITICAL", score: 9.8, updatedAt: later),
                Self.record(2, fix: "YES", updatedAt: later),
                Self.record(3, updatedAt: later, lastObserved: later), // lastObservedAt only: stored, no event
            ]
            let outcome = try await client.withConnection { try await writer.write(changed, options: steady, on: $0) }
            #expect(outcome.changed == 4)
            #expect(try await eventTypes(client) == ["finding.closed", "finding.severity_changed", "finding.fix_available_changed"])
            let closed = try await client.query(
                "SELECT old_status, new_status, changes->'status'->>'old', data->>'status' FROM inspector.finding_events WHERE event_type = 'finding.closed'"
            ).collect()[0].decode((String, String, String, String).self)
            #expect(closed == ("ACTIVE", "CLOSED", "ACTIVE", "CLOSED"))
            let lastObserved = try await client.query(
                "SELECT extract(epoch FROM last_observed_at)::bigint FROM inspector.findings WHERE raw->>'title' LIKE 'CVE-2024-3 %'"
            ).collect()[0].decode(Int.self)
            #expect(lastObserved == Int(later))
        }
    }

    @Test func olderVersionFromAnOverlapNeverOverwritesANewerOne() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            try await client.withConnection { _ = try await writer.write([Self.record(7, status: "CLOSED", updatedAt: 1_700_000_900)], options: steady, on: $0) }
            let outcome = try await client.withConnection { try await writer.write([Self.record(7, status: "ACTIVE", updatedAt: 1_700_000_000)], options: steady, on: $0) }
            #expect(outcome.stale == 1)
            #expect(try await eventTypes(client) == ["finding.created"])
            let status = try await client.query("SELECT status FROM inspector.findings").collect()[0].decode(String.self)
            #expect(status == "CLOSED")
        }
    }

    @Test func packagesAreReplacedNotMerged() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            try await client.withConnection { _ = try await writer.write([Self.record(1, packages: ["a", "b", "c"])], options: steady, on: $0) }
            try await client.withConnection { _ = try await writer.write([Self.record(1, updatedAt: 1_700_000_100, packages: ["d"])], options: steady, on: $0) }
            let names = try await client.query("SELECT name FROM inspector.finding_packages ORDER BY ordinal").collect().map { try $0.decode(String.self) }
            #expect(names == ["d"])
        }
    }

    @Test func aFailingProgressStepRollsBackThePage() async throws {
        struct LeaseLost: Error {}
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            await #expect(throws: LeaseLost.self) {
                try await client.withConnection { connection in
                    _ = try await writer.write((0..<5).map { Self.record($0) }, options: steady, on: connection) { _ in throw LeaseLost() }
                }
            }
            let findings = try await count(client, "SELECT count(*) FROM inspector.findings")
            let events = try await count(client, "SELECT count(*) FROM inspector.finding_events")
            #expect(findings == 0 && events == 0)
        }
    }

    @Test func anOlderDuplicateInOnePageNeverWins() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            _ = try await client.withConnection {
                try await writer.write([Self.record(2, status: "CLOSED", updatedAt: 1_700_000_900), Self.record(2, updatedAt: 1_700_000_000)], options: steady, on: $0)
            }
            let status = try await client.query("SELECT status FROM inspector.findings").collect()[0].decode(String.self)
            #expect(status == "CLOSED")
        }
    }

    @Test func duplicateArnsInOnePageKeepTheLast() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let writer = FindingPageWriter(logger: logger)
            let outcome = try await client.withConnection {
                try await writer.write([Self.record(1), Self.record(1, severity: "LOW")], options: steady, on: $0)
            }
            #expect(outcome.changed == 1)
            let severity = try await client.query("SELECT severity FROM inspector.findings").collect()[0].decode(String.self)
            #expect(severity == "LOW")
        }
    }

    @Test func oddlyTypedNestedMembersAreStoredLeniently() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let raw = #"""
            {"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/odd","resources":"not-an-array",
             "packageVulnerabilityDetails":{"vulnerabilityId":"CVE-1","vendorCreatedAt":"yesterday",
               "vulnerablePackages":[{"name":"a","version":"1","epoch":"abc"},{"name":"b","version":"2","epoch":1e40},7]},
             "networkReachabilityDetails":{"protocol":"TCP","openPortRange":{"begin":22,"end":"x"},"networkPath":[]}}
            """#
            let record = FindingRecord(
                arn: "arn:aws:inspector2:us-east-1:111122223333:finding/odd", accountId: "111122223333", region: "us-east-1",
                type: "NETWORK_REACHABILITY", status: "ACTIVE", severity: "LOW", raw: Array(raw.utf8)
            )
            let outcome = try await client.withConnection { try await FindingPageWriter(logger: logger).write([record], options: steady, on: $0) }
            #expect(outcome.changed == 1)
            let epochs = try await client.query("SELECT name, epoch FROM inspector.finding_packages ORDER BY ordinal").collect()
                .map { try $0.decode((String, Int?).self) }
            #expect(epochs.map(\.0) == ["a", "b"])
            #expect(epochs.allSatisfy { $0.1 == nil })
            let port = try await client.query("SELECT port_range_begin, port_range_end, network_path IS NULL FROM inspector.finding_network_reachability").collect()[0]
                .decode((Int?, Int?, Bool).self)
            #expect(port.0 == 22 && port.1 == nil && port.2)
            #expect(try await count(client, "SELECT count(*) FROM inspector.finding_resources") == 0)
            #expect(try await count(client, "SELECT count(*) FROM inspector.vulnerabilities WHERE vendor_created_at IS NULL") == 1)
        }
    }
}
