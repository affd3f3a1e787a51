import Inspector2Emulator
import Testing

/// Filter, sort and pagination against a brute-force evaluation over the full dataset, written
/// independently from the emulator's evaluator (it reads the findings' JSON).
@Suite struct FilterPropertyTests {
    static let emulator = makeEmulator(seed: 11, accounts: 2, findings: 400)

    /// Field -> how to read it from a finding's JSON.
    static let stringFields: [(String, @Sendable (JSONValue) -> String?)] = [
        ("awsAccountId", { $0["awsAccountId"]?.stringValue }),
        ("severity", { $0["severity"]?.stringValue }),
        ("findingStatus", { $0["status"]?.stringValue }),
        ("findingType", { $0["type"]?.stringValue }),
        ("title", { $0["title"]?.stringValue }),
        ("vulnerabilityId", { $0["packageVulnerabilityDetails"]?["vulnerabilityId"]?.stringValue }),
        ("fixAvailable", { $0["fixAvailable"]?.stringValue }),
        ("exploitAvailable", { $0["exploitAvailable"]?.stringValue }),
        ("resourceType", { $0["resources"]?.arrayValue?.first?["type"]?.stringValue }),
    ]
    static let numberFields: [(String, @Sendable (JSONValue) -> Double?)] = [
        ("inspectorScore", { $0["inspectorScore"]?.doubleValue }),
        ("epssScore", { $0["epss"]?["score"]?.doubleValue }),
    ]

    struct Criterion {
        var field: String
        var matches: (JSONValue) -> Bool
        var json: JSONValue
    }

    static func randomCriteria(_ rng: inout SplitMix64, _ all: [JSONValue]) -> [Criterion] {
        var out: [Criterion] = []
        for _ in 0..<rng.int(1...3) {
            switch rng.int(0...3) {
            case 0, 1:
                let (name, read) = rng.pick(stringFields)
                if out.contains(where: { $0.field == name }) { continue }
                var filters: [JSONValue] = []
                var positives: [(Bool, String)] = [], negatives: [String] = []
                for _ in 0..<rng.int(1...3) {
                    guard let sample = read(rng.pick(all)) else { continue }
                    switch rng.int(0...2) {
                    case 0: filters.append(["comparison": "EQUALS", "value": .string(sample)]); positives.append((false, sample))
                    case 1:
                        let prefix = String(sample.prefix(max(1, sample.count / 2)))
                        filters.append(["comparison": "PREFIX", "value": .string(prefix)]); positives.append((true, prefix))
                    default: filters.append(["comparison": "NOT_EQUALS", "value": .string(sample)]); negatives.append(sample)
                    }
                }
                if filters.isEmpty { continue }
                let p = positives, n = negatives
                out.append(Criterion(field: name, matches: { f in
                    let v = read(f)
                    if !p.isEmpty { guard let v, p.contains(where: { $0.0 ? v.hasPrefix($0.1) : v == $0.1 }) else { return false } }
                    if let v, n.contains(v) { return false }
                    return true
                }, json: .array(filters)))
            case 2:
                let (name, read) = rng.pick(numberFields)
                if out.contains(where: { $0.field == name }) { continue }
                let lo = (rng.unit() * 8).rounded() / 1, hi = lo + (rng.unit() * 6).rounded()
                let scale = name == "epssScore" ? 0.1 : 1
                out.append(Criterion(field: name, matches: { f in
                    guard let v = read(f) else { return false }
                    return v >= lo * scale && v <= hi * scale
                }, json: [["lowerInclusive": .number(lo * scale), "upperInclusive": .number(hi * scale)]]))
            default:
                if out.contains(where: { $0.field == "updatedAt" }) { continue }
                let times = all.compactMap { $0["updatedAt"]?.doubleValue }.sorted()
                let a = times[rng.int(0...(times.count - 1))].rounded(.down), b = times[rng.int(0...(times.count - 1))].rounded(.down)
                let (start, end) = (min(a, b), max(a, b))
                // Whole-second semantics: the end second is included entirely.
                out.append(Criterion(field: "updatedAt", matches: { f in
                    guard let v = f["updatedAt"]?.doubleValue else { return false }
                    return v >= start && v < end + 1
                }, json: [["startInclusive": .number(start), "endInclusive": .number(end)]]))
            }
        }
        return out
    }

    static let sortFields: [(String, @Sendable (JSONValue) -> Double?)] = [
        ("INSPECTOR_SCORE", { $0["inspectorScore"]?.doubleValue }),
        ("EPSS_SCORE", { $0["epss"]?["score"]?.doubleValue }),
        ("FIRST_OBSERVED_AT", { $0["firstObservedAt"]?.doubleValue }),
        ("SEVERITY", { ["INFORMATIONAL": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4, "UNTRIAGED": 5][$0["severity"]?.stringValue ?? ""] }),
    ]

    @Test(arguments: 0..<60)
    func pagesEqualBruteForce(iteration: Int) throws {
        var rng = SplitMix64(seed: UInt64(iteration), stream: "property")
        let region = rng.pick(["us-east-1", "eu-west-1"])
        let all = Self.emulator.allFindings(region: region)
        let criteria = Self.randomCriteria(&rng, all)
        var request: [(String, JSONValue)] = [("filterCriteria", .object(criteria.map { ($0.field, $0.json) }))]
        let sort = rng.chance(0.6) ? rng.pick(Self.sortFields) : nil
        let descending = rng.chance(0.5)
        if let sort { request.append(("sortCriteria", ["field": .string(sort.0), "sortOrder": descending ? "DESC" : "ASC"])) }
        let pageSize = rng.int(1...100)

        let (found, pages) = try Self.emulator.listAll(.object(request), pageSize: pageSize, region: region)
        let expected = all.filter { f in criteria.allSatisfy { $0.matches(f) } }
        let foundArns = found.compactMap { $0["findingArn"]?.stringValue }
        #expect(Set(foundArns).count == foundArns.count, "duplicate finding across pages")
        #expect(Set(foundArns) == Set(expected.compactMap { $0["findingArn"]?.stringValue }), "criteria \(JSONValue.object(request).serializedString)")
        #expect(pages == max(1, (expected.count + pageSize - 1) / pageSize))
        if let sort {
            // Absent values sort first ascending (last descending); present ones must be ordered.
            let keys = found.map { sort.1($0) ?? -1 }
            #expect(keys == (descending ? keys.sorted(by: >) : keys.sorted()), "not sorted by \(sort.0)")
        }
    }
}
