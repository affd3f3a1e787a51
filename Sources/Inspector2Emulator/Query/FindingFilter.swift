/// A parsed ListFindings `filterCriteria` (also used by filters, reports and aggregations).
struct FindingFilter: Sendable {
    struct PackageClause: Sendable {
        var strings: [(field: String, clause: StringClause)] = []
        var epoch: RangeClause?

        func matches(_ p: FindingRecord.Package) -> Bool {
            for (field, clause) in strings {
                let v: String
                switch field {
                case "name": v = p.name
                case "version": v = p.version
                case "release": v = p.release
                case "architecture": v = p.arch
                case "sourceLayerHash": v = p.sourceLayerHash
                case "sourceLambdaLayerArn": v = p.sourceLambdaLayerArn
                default: v = p.filePath
                }
                if !clause.matches(v.isEmpty ? [] : [v]) { return false }
            }
            if let epoch, !epoch.matches(Double(p.epoch)) { return false }
            return true
        }
    }

    var strings: [StringClause] = []
    var dates: [RangeClause] = []
    var numbers: [RangeClause] = []
    var maps: [MapClause] = []
    var ports: RangeClause?
    var packages: [PackageClause] = []

    var isEmpty: Bool { strings.isEmpty && dates.isEmpty && numbers.isEmpty && maps.isEmpty && ports == nil && packages.isEmpty }

    init() {}

    init(_ criteria: JSONValue?, path: String = "filterCriteria") throws {
        guard let criteria, criteria != .null else { return }
        guard let members = criteria.objectValue else { throw AWSError.cannotParse("Expected structure at '\(path)'") }
        for (name, value) in members {
            let p = "\(path).\(name)"
            if FindingFields.stringFields.contains(name) {
                strings.append(try StringClause.parse(p, field: name, value))
            } else if FindingFields.dateFields.contains(name) {
                dates.append(try RangeClause.parseDates(p, field: name, value))
            } else if FindingFields.numberFields.contains(name) {
                numbers.append(try RangeClause.parseNumbers(p, field: name, value))
            } else if FindingFields.mapFields.contains(name) {
                maps.append(try MapClause.parse(p, field: name, value))
            } else if name == "portRange" {
                ports = try RangeClause.parseNumbers(p, field: name, value, lower: "beginInclusive", upper: "endInclusive")
            } else if name == "vulnerablePackages" {
                for (i, item) in try FilterParsing.list(p, value).enumerated() {
                    var clause = PackageClause()
                    for (sub, subValue) in item.objectValue ?? [] {
                        let sp = "\(p).\(i + 1).member.\(sub)"
                        if sub == "epoch" {
                            clause.epoch = try RangeClause.parseNumbers(sp, field: sub, .array([subValue]))
                        } else {
                            clause.strings.append((sub, try StringClause.parse(sp, field: sub, .array([subValue]))))
                        }
                    }
                    packages.append(clause)
                }
            } else {
                throw AWSError.cannotParse("Unknown member '\(name)' in '\(path)'")
            }
        }
    }

    func matches(_ f: FindingRecord, _ r: ResourceRecord) -> Bool {
        for c in strings where !c.matches(FindingFields.strings(c.field, f, r)) { return false }
        for c in dates where !c.matches(FindingFields.date(c.field, f, r)) { return false }
        for c in numbers where !c.matches(FindingFields.number(c.field, f, r)) { return false }
        for c in maps where !c.matches(r.tags) { return false }
        if let ports {
            // The finding's open range must lie inside one of the requested ranges.
            guard f.type == "NETWORK_REACHABILITY",
                  ports.ranges.contains(where: { (($0.lower ?? 0) <= Double(f.portBegin)) && (Double(f.portEnd) <= ($0.upper ?? 65535)) })
            else { return false }
        }
        if !packages.isEmpty, !packages.contains(where: { c in f.packages.contains(where: c.matches) }) { return false }
        return true
    }
}
