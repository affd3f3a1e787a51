import AWSSigning
import FindingStore
import Foundation
import Inspector2Client
import Inspector2Emulator
import Inspector2Model
import Logging
import PostgresNIO
import PostgresTestSupport
import SyncEngine

/// An emulator and a fresh database, wired to a `SyncRunner` as the daemon wires them.
struct SyncHarness {
    let emulator: RunningEmulator
    let db: PostgresClient
    let store: SyncStateStore
    let options: SyncOptions
    var logger: Logger

    init(emulator: RunningEmulator, db: PostgresClient, options: SyncOptions = SyncOptions(overlap: .seconds(900)), owner: String = "test-replica") {
        self.emulator = emulator
        self.db = db
        self.options = options
        var logger = Logger(label: "test.sync")
        logger.logLevel = .warning
        self.logger = logger
        store = SyncStateStore(client: db, owner: owner, leaseDuration: .seconds(30), logger: logger)
    }

    static func emulatorConfiguration(seed: UInt64 = 7, accounts: Int = 2, regions: [String] = ["us-east-1", "eu-west-1"], findings: Int = 120) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.seed = seed
        configuration.accounts = accounts
        configuration.regions = regions
        configuration.findingsPerAccountRegion = findings
        return configuration
    }

    var targets: [SyncTarget] {
        let accounts = [emulator.emulator.adminAccountId] + emulator.emulator.memberAccountIds
        return accounts.flatMap { account in emulator.emulator.configuration.regions.map { SyncTarget(accountId: account, region: $0) } }
    }

    func client(region: String, retry: RetryPolicy = .standard) throws -> Inspector2Client {
        let credentials = AWSCredentials(accessKeyId: EmulatorConfiguration.defaultAccessKey, secretAccessKey: EmulatorConfiguration.defaultSecretKey)
        var clientLogger = logger
        clientLogger.logLevel = .error
        return try Inspector2Client(configuration: Inspector2ClientConfiguration(
            region: region,
            signer: SigV4RequestSigner(credentialProvider: StaticCredentialProvider(credentials), region: region),
            endpoint: emulator.endpoint, environment: [:], retryPolicy: retry, requestTimeout: .seconds(10),
            logger: clientLogger, sleep: { try await Task.sleep(for: $0 / 20) }
        ))
    }

    func runner(retry: RetryPolicy = .standard) -> SyncRunner {
        let harness = self
        return SyncRunner(store: store, options: options, logger: logger) { target in try harness.client(region: target.region, retry: retry) }
    }

    @discardableResult
    func syncOnce(retry: RetryPolicy = .standard) async throws -> [SyncRunner.JobResult] {
        try await runner(retry: retry).runOnce(targets: targets, concurrency: 4)
    }

    /// POSTs to the emulator's control API in-process.
    @discardableResult
    func control(_ path: String, _ body: JSONValue = [:], method: String = "POST") -> JSONValue {
        emulator.emulator.handle(EmulatorRequest.json(path, body, method: method)).json ?? [:]
    }

    var listFindingsCalls: Int { control("/_emulator/state", method: "GET")["calls"]?["ListFindings"]?.intValue ?? 0 }

    /// The emulator's truth, read through the API as any client would: arn -> (status, severity, score, epss, fix, exploit).
    func truth() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for region in emulator.emulator.configuration.regions {
            let client = try client(region: region)
            for try await page in client.listFindingsRawPages(ListFindingsRequest(maxResults: 100)) {
                for item in page.items {
                    let f = item.value
                    let packages = (f.packageVulnerabilityDetails?.vulnerablePackages ?? [])
                        .map { "\($0.name)@\($0.version)>\($0.fixedInVersion ?? "-")" }.joined(separator: ",")
                    let resources = f.resources.map { "\($0.type.rawValue):\($0.id)" }.sorted().joined(separator: ",")
                    let port = f.networkReachabilityDetails.map { "\($0.openPortRange.begin)-\($0.openPortRange.end)" } ?? "-"
                    result[f.findingArn] = [f.status.rawValue, f.severity.rawValue, f.inspectorScore.map { "\($0)" } ?? "-",
                                            f.epss?.score.map { "\($0)" } ?? "-", f.fixAvailable?.rawValue ?? "-", f.exploitAvailable?.rawValue ?? "-",
                                            packages, resources, f.packageVulnerabilityDetails?.vulnerabilityId ?? "-", port]
                }
            }
        }
        return result
    }

    func stored() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        let rows = try await db.query(
            """
            SELECT f.finding_arn, status, severity, coalesce(inspector_score::text, '-'), coalesce(epss_score::text, '-'),
                   coalesce(fix_available, '-'), coalesce(exploit_available, '-'),
                   coalesce((SELECT string_agg(p.name || '@' || p.version || '>' || coalesce(p.fixed_in_version, '-'), ',' ORDER BY p.ordinal)
                             FROM inspector.finding_packages p WHERE p.finding_arn = f.finding_arn), ''),
                   coalesce((SELECT string_agg(r.resource_type || ':' || r.resource_id, ',' ORDER BY r.resource_type || ':' || r.resource_id)
                             FROM inspector.finding_resources r WHERE r.finding_arn = f.finding_arn), ''),
                   coalesce((SELECT min(v.vulnerability_id) FROM inspector.finding_vulnerabilities v WHERE v.finding_arn = f.finding_arn), '-'),
                   coalesce((SELECT n.port_range_begin || '-' || n.port_range_end FROM inspector.finding_network_reachability n
                             WHERE n.finding_arn = f.finding_arn), '-')
            FROM inspector.findings f WHERE removed_at IS NULL
            """
        )
        for try await (arn, status, severity, score, epss, fix, exploit, packages, resources, vuln, port) in rows.decode(
            (String, String, String, String, String, String, String, String, String, String, String).self
        ) {
            result[arn] = [status, severity, score == "-" ? "-" : "\(Double(score)!)", epss == "-" ? "-" : "\(Double(epss)!)", fix, exploit,
                           packages, resources, vuln, port]
        }
        return result
    }

    /// Covered (account, region, resource, scan type, status) through the API versus the table.
    func coverageTruth() async throws -> Set<String> {
        var result = Set<String>()
        for region in emulator.emulator.configuration.regions {
            let client = try client(region: region)
            for try await page in client.listCoverageRawPages(ListCoverageRequest(maxResults: 200)) {
                for item in page.items {
                    let c = item.value
                    result.insert("\(c.accountId)|\(region)|\(c.resourceId)|\(c.scanType.rawValue)|\(c.scanStatus?.statusCode.rawValue ?? "-")")
                }
            }
        }
        return result
    }

    func storedCoverage() async throws -> Set<String> {
        var result = Set<String>()
        let rows = try await db.query("SELECT account_id, region, resource_id, scan_type, coalesce(scan_status_code, '-') FROM inspector.coverage WHERE removed_at IS NULL")
        for try await (a, r, id, t, s) in rows.decode((String, String, String, String, String).self) { result.insert("\(a)|\(r)|\(id)|\(t)|\(s)") }
        return result
    }

    func events(after id: Int64 = 0) async throws -> [(id: Int64, type: String, key: String)] {
        var result: [(Int64, String, String)] = []
        let rows = try await db.query("SELECT id, event_type, coalesce(finding_arn, resource_id) FROM inspector.finding_events WHERE id > \(id) ORDER BY id")
        for try await row in rows.decode((Int64, String, String).self) { result.append(row) }
        return result
    }

    /// Events recorded more than once for the same change (type, finding or resource and scan type).
    func duplicateEventCount() async throws -> Int {
        try await db.query(
            """
            SELECT count(*) FROM (
                SELECT 1 FROM inspector.finding_events
                GROUP BY event_type, coalesce(finding_arn, ''), coalesce(resource_id, ''), coalesce(scan_type, '')
                HAVING count(*) > 1) d
            """
        ).collect()[0].decode(Int.self)
    }
}
