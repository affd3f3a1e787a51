/// The `/_emulator/` control API: drift, clock, faults, reset, state. Never subject to faults or auth.
extension EmulatorState {
    /// Drift kinds, in the order they are applied. Each finding or resource changes under one kind only
    /// per drift, and every change bumps the finding's `updatedAt` to the current simulated time.
    public static let driftKinds = [
        "closed", "reopened", "severityChanged", "scoreChanged", "fixAvailable", "exploitAvailable",
        "observedOnly", "created", "coverageAdded", "coverageRemoved", "scanStatusChanged",
    ]

    mutating func control(_ request: EmulatorRequest) -> EmulatorResponse {
        do {
            let body = request.body.isEmpty ? [:] : try JSONValue.parse(request.body)
            let result: JSONValue
            switch (request.method, request.path) {
            case ("POST", "/_emulator/drift"): result = drift(body)
            case ("POST", "/_emulator/clock"): result = advanceClock(body)
            case ("POST", "/_emulator/faults"): result = setFaults(body)
            case ("POST", "/_emulator/reset"): result = reset()
            case ("GET", "/_emulator/state"): result = stateSummary()
            default:
                return EmulatorResponse(status: 404, body: JSONValue.object([("message", .string("No control endpoint \(request.method) \(request.path)"))]).serialized())
            }
            if request.method == "POST" { record(request, accessKey: nil, region: nil) }
            return EmulatorResponse(status: 200, body: result.serialized())
        } catch {
            return EmulatorResponse(status: 400, body: JSONValue.object([("message", .string("Malformed JSON body"))]).serialized())
        }
    }

    mutating func drift(_ body: JSONValue) -> JSONValue {
        let fraction = min(1, max(0, body["fraction"]?.doubleValue ?? 0.01))
        let seed = body["seed"]?.doubleValue.map { UInt64($0) } ?? UInt64(nextSerial())
        let kinds = Set(body["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? Self.driftKinds)
        var rng = SplitMix64(seed: configuration.seed ^ seed, stream: "drift")
        let now = (clock.now * 1000).rounded() / 1000
        var changes: [String: [String]] = [:]
        var touched = Set<String>()  // finding ARNs already changed by this drift

        for region in regions.keys.sorted() {
            let total = regions[region]!.findings.count
            let count = max(1, Int((Double(total) * fraction).rounded()))
            let resourceCount = max(1, Int((Double(regions[region]!.resources.count) * fraction).rounded()))

            // Picks up to `count` findings satisfying `eligible`, scanning from random offsets.
            func pick(_ n: Int, _ eligible: (FindingRecord) -> Bool) -> [Int] {
                var out: [Int] = []
                guard total > 0 else { return out }
                var tries = 0
                while out.count < n, tries < n * 50 {
                    tries += 1
                    let i = Int(rng.next() % UInt64(total))
                    let f = regions[region]!.findings[i]
                    if !touched.contains(f.arn), eligible(f), !out.contains(i) { out.append(i) }
                }
                return out
            }
            func apply(_ kind: String, _ indices: [Int], _ change: (inout FindingRecord) -> Void) {
                for i in indices {
                    change(&regions[region]!.findings[i])
                    regions[region]!.findings[i].updatedAt = now
                    touch(region: region, index: i)
                    touched.insert(regions[region]!.findings[i].arn)
                    changes[kind, default: []].append(regions[region]!.findings[i].arn)
                }
            }
            func live(_ f: FindingRecord) -> Bool { regions[region]!.resources[f.resourceIndex].isCovered }

            if kinds.contains("coverageRemoved") {
                // The resource is gone: coverage disappears and its open findings close (listed under "closed").
                // This runs first, so the findings it closes are `touched` and no other kind picks them:
                // every ARN in the report then has exactly one kind, and that kind is its net change.
                let added = Set(changes["coverageAdded"] ?? [])
                let candidates = regions[region]!.resources.indices.filter { regions[region]!.resources[$0].isCovered && !added.contains(regions[region]!.resources[$0].id) }
                var chosen: [Int] = []
                for _ in 0..<resourceCount where chosen.count < candidates.count {
                    let c = rng.pick(candidates)
                    if !chosen.contains(c) { chosen.append(c) }
                }
                let chosenSet = Set(chosen)
                for ri in chosen {
                    regions[region]!.resources[ri].goneAt = now
                    changes["coverageRemoved", default: []].append(regions[region]!.resources[ri].id)
                }
                let affected = regions[region]!.findings.indices.filter {
                    let f = regions[region]!.findings[$0]
                    return chosenSet.contains(f.resourceIndex) && f.status != "CLOSED"
                }
                for i in affected {
                    let arn = regions[region]!.findings[i].arn
                    regions[region]!.findings[i].status = "CLOSED"
                    regions[region]!.findings[i].suppressedBy = nil
                    regions[region]!.findings[i].closedAt = now
                    regions[region]!.findings[i].updatedAt = now
                    touch(region: region, index: i)
                    touched.insert(arn)
                    changes["closed", default: []].append(arn)
                }
                version += 1
            }
            if kinds.contains("closed") {
                apply("closed", pick(count) { $0.status == "ACTIVE" }) { $0.status = "CLOSED"; $0.closedAt = now }
            }
            if kinds.contains("reopened") {
                apply("reopened", pick(count) { $0.status == "CLOSED" && live($0) }) { $0.status = "ACTIVE"; $0.closedAt = nil; $0.lastObservedAt = now }
            }
            if kinds.contains("severityChanged") {
                let order = ["LOW", "MEDIUM", "HIGH", "CRITICAL"]
                apply("severityChanged", pick(count) { $0.status == "ACTIVE" && order.contains($0.severity) }) { f in
                    let i = order.firstIndex(of: f.severity)!
                    f.severity = order[i == order.count - 1 ? i - 1 : i + 1]
                    f.inspectorScore = [2.5, 5.5, 7.8, 9.4][order.firstIndex(of: f.severity)!]
                    f.cvssScore = f.inspectorScore ?? f.cvssScore
                    f.lastObservedAt = now
                }
            }
            if kinds.contains("scoreChanged") {
                // Only below 0.75, so the bump (at least 0.05, capped at 1) always changes the score.
                apply("scoreChanged", pick(count) { $0.status == "ACTIVE" && ($0.epss ?? 1) < 0.75 }) { f in
                    f.epss = (min(1, (f.epss ?? 0) + 0.05 + rng.unit() * 0.2) * 100_000).rounded() / 100_000
                    f.lastObservedAt = now
                }
            }
            if kinds.contains("fixAvailable") {
                apply("fixAvailable", pick(count) { $0.status == "ACTIVE" && ($0.fixAvailable == "NO" || $0.fixAvailable == "PARTIAL") }) { f in
                    f.fixAvailable = "YES"
                    for p in f.packages.indices where f.packages[p].fixedInVersion == "NotAvailable" {
                        f.packages[p].fixedInVersion = f.packages[p].version + "-1"
                    }
                    f.remediationText = "Upgrade your installed software packages to the proposed fixed in version and release.\n\n"
                        + f.packages.map { "\($0.name): version \($0.version) -> \($0.fixedInVersion)" }.joined(separator: "\n")
                }
            }
            if kinds.contains("exploitAvailable") {
                apply("exploitAvailable", pick(count) { $0.status == "ACTIVE" && $0.exploitAvailable == "NO" }) { f in
                    f.exploitAvailable = "YES"
                    f.lastKnownExploitAt = (now).rounded(.down)
                }
            }
            if kinds.contains("observedOnly") {
                apply("observedOnly", pick(count) { $0.status == "ACTIVE" }) { $0.lastObservedAt = now }
            }
            if kinds.contains("coverageAdded") {
                for _ in 0..<resourceCount {
                    let account = rng.pick(allAccountIds)
                    var r = factory.makeResource(&rng, accountId: account, region: region, now: now)
                    r.lastScannedAt = now.rounded(.down)
                    regions[region]!.resources.append(r)
                    changes["coverageAdded", default: []].append(r.id)
                }
                version += 1
            }
            if kinds.contains("created") {
                let liveResources = regions[region]!.resources.indices.filter { regions[region]!.resources[$0].isCovered }
                for _ in 0..<count where !liveResources.isEmpty {
                    let ri = rng.pick(liveResources)
                    var f = factory.makeFinding(&rng, resource: regions[region]!.resources[ri], resourceIndex: ri, now: now, fresh: true)
                    f.json = FindingEncoder.encode(f, resource: regions[region]!.resources[ri])
                    regions[region]!.index[f.arn] = regions[region]!.findings.count
                    regions[region]!.findings.append(f)
                    touched.insert(f.arn)
                    changes["created", default: []].append(f.arn)
                }
                version += 1
            }
            if kinds.contains("scanStatusChanged") {
                let added = Set(changes["coverageAdded"] ?? [])
                let candidates = regions[region]!.resources.indices.filter { regions[region]!.resources[$0].isCovered && !added.contains(regions[region]!.resources[$0].id) }
                var chosen = Set<Int>()
                for _ in 0..<resourceCount where chosen.count < candidates.count { chosen.insert(rng.pick(candidates)) }
                for ri in chosen.sorted() {
                    if regions[region]!.resources[ri].scanStatusCode == "ACTIVE" {
                        regions[region]!.resources[ri].scanStatusCode = "INACTIVE"
                        regions[region]!.resources[ri].scanStatusReason = rng.pick(["EC2_INSTANCE_STOPPED", "SCAN_ELIGIBILITY_EXPIRED", "STALE_INVENTORY", "ACCESS_DENIED"])
                    } else {
                        regions[region]!.resources[ri].scanStatusCode = "ACTIVE"
                        regions[region]!.resources[ri].scanStatusReason = "SUCCESSFUL"
                    }
                    regions[region]!.resources[ri].lastScannedAt = now.rounded(.down)
                    changes["scanStatusChanged", default: []].append(regions[region]!.resources[ri].id)
                }
                version += 1
            }
        }
        // Newly created findings may fall under an existing SUPPRESS filter.
        let suppression = applySuppression()
        if !suppression.suppressed.isEmpty { changes["suppressed"] = suppression.suppressed }
        return .object([
            ("now", .number(now)),
            ("changes", .object((Self.driftKinds + ["suppressed"]).filter { kinds.contains($0) || $0 == "closed" || $0 == "suppressed" }.map { ($0, .array((changes[$0] ?? []).map { .string($0) })) })),
        ])
    }

    /// Advances simulated time, then purges closed findings past AWS's retention.
    mutating func advanceClock(_ body: JSONValue) -> JSONValue {
        clock.advance(by: body["advanceSeconds"]?.doubleValue ?? 0)
        let purged = purge()
        return .object([("now", .number(clock.now)), ("purged", .array(purged.map { .string($0) }))])
    }

    /// Closed findings disappear 3 days after closing when their resource is gone, 30 days otherwise.
    mutating func purge() -> [String] {
        let now = clock.now
        var purged: [String] = []
        for region in regions.keys.sorted() {
            let data = regions[region]!
            let keep = data.findings.filter { f in
                guard f.status == "CLOSED", let closedAt = f.closedAt else { return true }
                let gone = data.resources[f.resourceIndex].goneAt != nil
                let expired = now - closedAt >= (gone ? 3 : 30) * 86_400
                if expired { purged.append(f.arn) }
                return !expired
            }
            if keep.count != data.findings.count {
                regions[region]!.findings = keep
                regions[region]!.reindex()
                version += 1
            }
        }
        return purged
    }

    mutating func setFaults(_ body: JSONValue) -> JSONValue {
        var f = FaultSettings()
        f.throttleRate = body["throttleRate"]?.doubleValue ?? 0
        f.errorRate = body["errorRate"]?.doubleValue ?? 0
        f.resetRate = body["resetRate"]?.doubleValue ?? 0
        f.slowRate = body["slowRate"]?.doubleValue ?? 0
        f.slowMillis = body["slowMillis"]?.intValue ?? 2000
        f.truncateRate = body["truncateRate"]?.doubleValue ?? 0
        f.seed = body["seed"]?.doubleValue.map { UInt64($0) } ?? 0
        faults = f
        faultRNG = SplitMix64(seed: f.seed, stream: "faults")
        return faultsJSON
    }

    var faultsJSON: JSONValue {
        .object([
            ("throttleRate", .number(faults.throttleRate)), ("errorRate", .number(faults.errorRate)), ("resetRate", .number(faults.resetRate)),
            ("slowRate", .number(faults.slowRate)), ("slowMillis", .number(Double(faults.slowMillis))), ("truncateRate", .number(faults.truncateRate)),
            ("seed", .number(Double(faults.seed))),
        ])
    }

    /// Back to the generated dataset; the clock keeps running (it never goes backwards) and issued keys stay valid.
    mutating func reset() -> JSONValue {
        let keepClock = clock
        let keepKeys = keys
        let keepVersion = version
        var generationClock = keepClock
        generationClock.pinned = generationStart
        self = EmulatorState(configuration: configuration, clock: EmulatorClock(start: generationStart))
        clock = keepClock
        keys = keepKeys
        version = keepVersion + 1
        return stateSummary()
    }

    func stateSummary() -> JSONValue {
        var perAccount: [String: [String: [String: Int]]] = [:]
        var total = 0
        var coverage = 0
        for (region, data) in regions {
            for f in data.findings {
                perAccount[f.accountId, default: [:]][region, default: [:]][f.status, default: 0] += 1
                total += 1
            }
            coverage += data.resources.filter(\.isCovered).reduce(0) { $0 + $1.scanTypes.count }
        }
        func obj(_ d: [String: Int]) -> JSONValue { .object(d.keys.sorted().map { ($0, .number(Double(d[$0]!))) }) }
        return .object([
            ("now", .number(clock.now)),
            ("adminAccountId", .string(adminAccountId)),
            ("memberAccountIds", .array(memberAccountIds.map { .string($0) })),
            ("regions", .array(configuration.regions.map { .string($0) })),
            ("findingsTotal", .number(Double(total))),
            ("findings", .object(perAccount.keys.sorted().map { a in (a, .object(perAccount[a]!.keys.sorted().map { r in (r, obj(perAccount[a]![r]!)) })) })),
            ("coverage", .number(Double(coverage))),
            ("calls", obj(callCounts)),
            ("faults", faultsJSON),
            ("faultsInjected", obj(faultCounts)),
            ("filters", .number(Double(filters.count))),
        ])
    }
}
