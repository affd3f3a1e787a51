import Inspector2Emulator
import Testing

@Suite struct ControlTests {
    func finding(_ e: Inspector2Emulator, _ arn: String) -> JSONValue? {
        let region = String(arn.split(separator: ":")[3])
        return e.post("/findings/list", ["filterCriteria": ["findingArn": [["comparison": "EQUALS", "value": .string(arn)]]]], region: region).json?["findings"]?.arrayValue?.first
    }

    @Test func driftChangesWhatItReports() throws {
        let e = makeEmulator()
        e.control("/_emulator/clock", ["advanceSeconds": 3600])
        let before = Dictionary(uniqueKeysWithValues: (e.allFindings(region: "us-east-1") + e.allFindings(region: "eu-west-1")).map { ($0["findingArn"]!.stringValue!, $0) })
        let drift = e.control("/_emulator/drift", ["fraction": 0.02, "seed": 5])
        let now = try #require(drift["now"]?.doubleValue)
        let changes = try #require(drift["changes"]?.objectValue)
        var seen = Set<String>()
        for kind in ["closed", "reopened", "severityChanged", "scoreChanged", "fixAvailable", "exploitAvailable", "observedOnly", "created"] {
            let arns = changes.first { $0.0 == kind }?.1.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(!arns.isEmpty, "no \(kind) changes")
            for arn in arns {
                #expect(seen.insert(arn).inserted, "\(arn) listed under two kinds")
                let after = try #require(finding(e, arn))
                #expect(after["updatedAt"]?.doubleValue == now, "\(kind) did not bump updatedAt")
                let old = before[arn]
                switch kind {
                case "closed": #expect(after["status"] == "CLOSED" && old?["status"] != "CLOSED")
                case "reopened": #expect(after["status"] == "ACTIVE" && old?["status"] == "CLOSED")
                case "severityChanged": #expect(after["severity"] != old?["severity"])
                case "scoreChanged": #expect(after["epss"] != old?["epss"])
                case "fixAvailable": #expect(after["fixAvailable"] == "YES" && old?["fixAvailable"] != "YES")
                case "exploitAvailable": #expect(after["exploitAvailable"] == "YES" && old?["exploitAvailable"] == "NO")
                case "observedOnly": #expect(after["lastObservedAt"]?.doubleValue == now && after["status"] == old?["status"] && after["severity"] == old?["severity"])
                default: #expect(old == nil && after["status"] == "ACTIVE")
                }
            }
        }
        // Findings not listed are untouched.
        let after = Dictionary(uniqueKeysWithValues: (e.allFindings(region: "us-east-1") + e.allFindings(region: "eu-west-1")).map { ($0["findingArn"]!.stringValue!, $0) })
        for (arn, old) in before where !seen.contains(arn) {
            #expect(after[arn] == old, "\(arn) changed without being listed")
        }
        for kind in ["coverageAdded", "coverageRemoved", "scanStatusChanged"] {
            #expect(changes.first { $0.0 == kind }?.1.arrayValue?.isEmpty == false, "no \(kind)")
        }
        // Same seed on a fresh emulator: the same drift.
        let again = makeEmulator()
        again.control("/_emulator/clock", ["advanceSeconds": 3600])
        #expect(again.control("/_emulator/drift", ["fraction": 0.02, "seed": 5])["changes"] == drift["changes"])
    }

    @Test func coverageFollowsDrift() throws {
        let e = makeEmulator(regions: ["us-east-1"])
        func coverageIds() -> Set<String> {
            Set(e.post("/coverage/list", ["maxResults": 200]).json?["coveredResources"]?.arrayValue?.compactMap { $0["resourceId"]?.stringValue } ?? [])
        }
        let before = coverageIds()
        let changes = e.control("/_emulator/drift", ["fraction": 0.05, "seed": 1, "kinds": ["coverageAdded", "coverageRemoved"]])["changes"]
        let added = Set(changes?["coverageAdded"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let removed = Set(changes?["coverageRemoved"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(!added.isEmpty && !removed.isEmpty)
        #expect(coverageIds() == before.union(added).subtracting(removed))
    }

    @Test func clockPurgesAfterRetention() throws {
        let e = makeEmulator(regions: ["us-east-1"])
        let drift = e.control("/_emulator/drift", ["fraction": 0.02, "seed": 3, "kinds": ["closed", "coverageRemoved"]])
        let closed = Set(drift["changes"]?["closed"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(!closed.isEmpty)
        let date0 = e.post("/findings/list").header("Date")
        // 3 days: only findings of removed resources go.
        let first = e.control("/_emulator/clock", ["advanceSeconds": .number(3 * 86_400 + 1)])
        let purged3 = Set(first["purged"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(e.post("/findings/list").header("Date") != date0)
        for arn in purged3 { #expect(finding(e, arn) == nil) }
        // 30 days: every closed finding of the drift is gone.
        let second = e.control("/_emulator/clock", ["advanceSeconds": .number(27 * 86_400)])
        let purged = purged3.union(second["purged"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(closed.isSubset(of: purged))
        for arn in closed { #expect(finding(e, arn) == nil) }
        #expect(!purged3.isEmpty && purged3.count < purged.count)
    }

    @Test func dateHeaderIsSimulatedTime() throws {
        let e = makeEmulator()
        // 1_790_000_000 = Mon, 21 Sep 2026 14:13:20 GMT
        #expect(e.post("/findings/list").header("Date") == "Mon, 21 Sep 2026 14:13:20 GMT")
        e.control("/_emulator/clock", ["advanceSeconds": 86_400])
        #expect(e.post("/findings/list").header("Date") == "Tue, 22 Sep 2026 14:13:20 GMT")
        e.control("/_emulator/clock", ["advanceSeconds": -500])
        #expect(e.post("/findings/list").header("Date") == "Tue, 22 Sep 2026 14:13:20 GMT", "clock went backwards")
    }

    @Test func faultsApplyToAWSPathsOnly() throws {
        let e = makeEmulator()
        e.control("/_emulator/faults", ["throttleRate": 1.0, "seed": 1])
        let r = e.post("/findings/list")
        #expect(r.status == 429)
        #expect(r.header("x-amzn-ErrorType") == "ThrottlingException")
        #expect(r.header("Retry-After") == "1")
        #expect(e.control("/_emulator/state", method: "GET")["findingsTotal"] != nil)
        e.control("/_emulator/faults", ["errorRate": 1.0])
        #expect(e.post("/findings/list").status == 500)
        e.control("/_emulator/faults", ["resetRate": 1.0])
        #expect(e.post("/findings/list").fault == .reset)
        e.control("/_emulator/faults", ["truncateRate": 1.0])
        #expect(e.post("/findings/list").fault == .truncate)
        e.control("/_emulator/faults", ["slowRate": 1.0, "slowMillis": 250])
        #expect(e.post("/findings/list").delay == 0.25)
        // Rates mix in proportion, reproducibly for a seed.
        e.control("/_emulator/faults", ["throttleRate": 0.3, "seed": 9])
        let statuses = (0..<400).map { _ in e.post("/members/list").status }
        let throttled = statuses.filter { $0 == 429 }.count
        #expect((80...160).contains(throttled))
        e.control("/_emulator/faults", ["throttleRate": 0.3, "seed": 9])
        #expect((0..<400).map { _ in e.post("/members/list").status } == statuses)
        e.control("/_emulator/faults", [:])
        #expect(e.post("/findings/list").status == 200)
        let calls = e.control("/_emulator/state", method: "GET")["calls"]
        #expect(calls?["ListFindings"]?.intValue == 6)  // 5 faulted + 1 clean; /members/list counted apart
        // Every fault drawn is counted by kind: 1 each of the first five, then the two throttled series.
        let injected = e.control("/_emulator/state", method: "GET")["faultsInjected"]
        #expect(injected?["throttle"]?.intValue == 1 + 2 * throttled)
        #expect(injected?["error"]?.intValue == 1 && injected?["reset"]?.intValue == 1)
        #expect(injected?["truncate"]?.intValue == 1 && injected?["slow"]?.intValue == 1)
    }

    @Test func resetRestoresTheDataset() {
        let e = makeEmulator()
        let before = e.control("/_emulator/state", method: "GET")["findings"]
        e.control("/_emulator/drift", ["fraction": 0.05, "seed": 2])
        #expect(e.control("/_emulator/state", method: "GET")["findings"] != before)
        e.control("/_emulator/reset")
        #expect(e.control("/_emulator/state", method: "GET")["findings"] == before)
    }
}
