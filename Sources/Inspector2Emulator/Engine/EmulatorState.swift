/// All mutable state of the emulator. A value type: the engine owns one behind a lock, every action is
/// a mutating method, and tests can inspect copies.
struct EmulatorState: Sendable {
    struct RegionData: Sendable {
        var resources: [ResourceRecord] = []
        var findings: [FindingRecord] = []
        var index: [String: Int] = [:]

        mutating func reindex() {
            index = Dictionary(uniqueKeysWithValues: findings.enumerated().map { ($0.element.arn, $0.offset) })
        }
    }

    struct Member: Sendable {
        var accountId: String
        var relationshipStatus: String
        var updatedAt: Double
    }

    struct ScanState: Sendable {
        var ec2 = "ENABLED", ecr = "ENABLED", lambda = "ENABLED", lambdaCode = "ENABLED"
    }

    struct IssuedKey: Sendable {
        var secret: String
        var accountId: String
        var sessionToken: String
        var expiresAt: Double
    }

    struct Filter: Sendable {
        var arn: String
        var name: String
        var ownerId: String
        var region: String
        var action: String
        var criteria: JSONValue
        var description: String?
        var reason: String?
        var createdAt: Double
        var updatedAt: Double
    }

    struct Report: Sendable {
        var id: String
        var status: String
        var errorCode: String?
        var errorMessage: String?
        var destination: JSONValue
        var filterCriteria: JSONValue
    }

    var configuration: EmulatorConfiguration
    var factory: FindingFactory
    var clock: EmulatorClock
    var adminAccountId: String
    var members: [Member] = []
    var regions: [String: RegionData] = [:]
    /// (account|region) -> scan enablement.
    var scanStates: [String: ScanState] = [:]
    var delegatedAdminEnabled = true
    var autoEnable: [String: Bool] = ["ec2": true, "ecr": true, "lambda": true, "lambdaCode": false]
    var keys: [String: IssuedKey] = [:]
    var filters: [String: Filter] = [:]
    var tags: [String: [(String, String)]] = [:]
    var reports: [String: Report] = [:]
    var faults = FaultSettings()
    var faultRNG = SplitMix64(seed: 0)
    var callCounts: [String: Int] = [:]
    /// Faults injected so far, by kind (throttle, error, reset, slow, truncate): what a drill reports.
    var faultCounts: [String: Int] = [:]
    var serial = 0
    /// Bumped on every change of findings or coverage; invalidates the query cache.
    var version = 0
    var queryCache: [String: (version: Int, indices: [Int])] = [:]

    var memberAccountIds: [String] { members.map(\.accountId) }
    var allAccountIds: [String] { [adminAccountId] + memberAccountIds }

    /// State-changing requests applied so far, with their simulated time (the state file replays them).
    var journal: [JSONValue] = []
    /// Simulated time the dataset was generated at (reset regenerates from it).
    var generationStart: Double

    init(configuration: EmulatorConfiguration, monotonic: (@Sendable () -> Double)? = nil) {
        let start = configuration.resolvedStartTime
        self.init(configuration: configuration, clock: monotonic.map { EmulatorClock(start: start, monotonic: $0) } ?? EmulatorClock(start: start))
    }

    init(configuration: EmulatorConfiguration, clock: EmulatorClock) {
        self.configuration = configuration
        let start = clock.start
        self.generationStart = start
        self.clock = clock
        self.factory = FindingFactory(catalog: VulnerabilityCatalog(seed: configuration.seed, now: start))
        var rng = SplitMix64(seed: configuration.seed, stream: "organization")
        func accountId() -> String { String(format: "%012llu", (rng.next() % 899_999_999_999) + 100_000_000_000) }
        adminAccountId = accountId()
        for _ in 0..<configuration.accounts {
            members.append(Member(accountId: accountId(), relationshipStatus: "ENABLED", updatedAt: start))
        }
        generate(now: start)
    }

    /// Builds the dataset: per account and region its own PRNG stream, so counts can change without
    /// reshuffling other accounts.
    mutating func generate(now: Double) {
        regions = [:]
        for region in configuration.regions {
            var data = RegionData()
            for account in allAccountIds {
                scanStates["\(account)|\(region)"] = ScanState()
                var rng = SplitMix64(seed: configuration.seed, stream: "\(account)/\(region)")
                let resourceCount = max(3, configuration.findingsPerAccountRegion / 20)
                let firstResource = data.resources.count
                for _ in 0..<resourceCount {
                    data.resources.append(factory.makeResource(&rng, accountId: account, region: region, now: now))
                }
                for _ in 0..<configuration.findingsPerAccountRegion {
                    // Skewed towards a few noisy resources, as in real fleets.
                    let pick = Int(Double(resourceCount) * rng.unit() * rng.unit())
                    let ri = firstResource + pick
                    var f = factory.makeFinding(&rng, resource: data.resources[ri], resourceIndex: ri, now: now, fresh: false)
                    f.json = FindingEncoder.encode(f, resource: data.resources[ri])
                    data.findings.append(f)
                }
            }
            data.reindex()
            regions[region] = data
        }
        version += 1
        queryCache = [:]
    }

    mutating func nextSerial() -> Int { serial += 1; return serial }

    /// Re-encodes a finding after a change and invalidates cached queries.
    mutating func touch(region: String, index: Int) {
        guard let json = encoded(region: region, index: index) else { return }
        // Mutate in place (no copy of the region held here, or every finding would be copied).
        regions[region]!.findings[index].json = json
        version += 1
    }

    func encoded(region: String, index: Int) -> [UInt8]? {
        guard let data = regions[region] else { return nil }
        let f = data.findings[index]
        return FindingEncoder.encode(f, resource: data.resources[f.resourceIndex])
    }

    /// Accounts whose findings `caller` may read: the administrator sees itself and its enabled members.
    func visibleAccounts(caller: String) -> Set<String> {
        if caller == adminAccountId {
            return Set([adminAccountId] + members.filter { $0.relationshipStatus == "ENABLED" }.map(\.accountId))
        }
        return [caller]
    }
}

import Foundation
