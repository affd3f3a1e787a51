/// Building blocks of FilterCriteria evaluation, with AWS's validation of each filter.
///
/// Semantics (the docs are silent; these are what the real service does as far as observable):
/// EQUALS and PREFIX values of one field are alternatives (OR), NOT_EQUALS values all apply (AND),
/// date/number/port ranges of one field are alternatives, and all fields apply together (AND).
struct StringClause: Sendable {
    var field: String
    var positives: [(prefix: Bool, value: String)] = []
    var negatives: [String] = []

    func matches(_ values: [String]) -> Bool {
        if !positives.isEmpty {
            let hit = values.contains { v in positives.contains { $0.prefix ? v.hasPrefix($0.value) : v == $0.value } }
            if !hit { return false }
        }
        for n in negatives where values.contains(n) { return false }
        return true
    }

    static func parse(_ path: String, field: String, _ value: JSONValue, comparisons: [String] = ["EQUALS", "PREFIX", "NOT_EQUALS"]) throws -> StringClause {
        var clause = StringClause(field: field)
        for (i, item) in try FilterParsing.list(path, value).enumerated() {
            let p = "\(path).\(i + 1).member"
            let comparison = try FilterParsing.requiredString(item, "comparison", p)
            guard comparisons.contains(comparison) else {
                throw AWSError.fieldValidation("\(p).comparison", "Member must satisfy enum value set: [\(comparisons.joined(separator: ", "))]", value: comparison)
            }
            let v = try FilterParsing.requiredString(item, "value", p)
            guard (1...1024).contains(v.count) else {
                throw AWSError.fieldValidation("\(p).value", "Member must have length between 1 and 1024", value: v)
            }
            if comparison == "NOT_EQUALS" { clause.negatives.append(v) } else { clause.positives.append((comparison == "PREFIX", v)) }
        }
        return clause
    }
}

struct RangeClause: Sendable {
    var field: String
    var ranges: [(lower: Double?, upper: Double?)] = []

    func matches(_ value: Double?) -> Bool {
        guard let value else { return false }
        return ranges.contains { r in (r.lower.map { value >= $0 } ?? true) && (r.upper.map { value <= $0 } ?? true) }
    }

    /// Date filters: timestamps compare at whole-second resolution of the request, inclusive; a finding
    /// stamped 12.345 is inside [12, 12] as AWS's second-granular filter treats it.
    static func parseDates(_ path: String, field: String, _ value: JSONValue) throws -> RangeClause {
        var clause = RangeClause(field: field)
        for (i, item) in try FilterParsing.list(path, value).enumerated() {
            let p = "\(path).\(i + 1).member"
            let start = try FilterParsing.optionalNumber(item, "startInclusive", p)
            let end = try FilterParsing.optionalNumber(item, "endInclusive", p)
            clause.ranges.append((start.map { $0.rounded(.down) }, end.map { $0.rounded(.down) + 0.999_999 }))
        }
        return clause
    }

    static func parseNumbers(_ path: String, field: String, _ value: JSONValue, lower: String = "lowerInclusive", upper: String = "upperInclusive") throws -> RangeClause {
        var clause = RangeClause(field: field)
        for (i, item) in try FilterParsing.list(path, value).enumerated() {
            let p = "\(path).\(i + 1).member"
            clause.ranges.append((try FilterParsing.optionalNumber(item, lower, p), try FilterParsing.optionalNumber(item, upper, p)))
        }
        return clause
    }
}

struct MapClause: Sendable {
    var field: String
    var entries: [(key: String, value: String?)] = []

    /// Alternatives: the resource carries one of the given key/value pairs (a missing value matches any).
    func matches(_ tags: [(String, String)]) -> Bool {
        entries.contains { e in tags.contains { $0.0 == e.key && (e.value == nil || $0.1 == e.value) } }
    }

    static func parse(_ path: String, field: String, _ value: JSONValue) throws -> MapClause {
        var clause = MapClause(field: field)
        for (i, item) in try FilterParsing.list(path, value).enumerated() {
            let p = "\(path).\(i + 1).member"
            let comparison = try FilterParsing.requiredString(item, "comparison", p)
            guard comparison == "EQUALS" else {
                throw AWSError.fieldValidation("\(p).comparison", "Member must satisfy enum value set: [EQUALS]", value: comparison)
            }
            let key = try FilterParsing.requiredString(item, "key", p)
            clause.entries.append((key, item["value"]?.stringValue))
        }
        return clause
    }
}

enum FilterParsing {
    static func list(_ path: String, _ value: JSONValue) throws -> [JSONValue] {
        guard let items = value.arrayValue else { throw AWSError.cannotParse("Expected list at '\(path)'") }
        guard items.count <= 10 else {
            throw AWSError.fieldValidation(path, "Member must have length less than or equal to 10")
        }
        for item in items where item.objectValue == nil { throw AWSError.cannotParse("Expected structure in '\(path)'") }
        return items
    }

    static func requiredString(_ item: JSONValue, _ key: String, _ path: String) throws -> String {
        guard let v = item[key] else { throw AWSError.fieldValidation("\(path).\(key)", "Member must not be null") }
        guard let s = v.stringValue else { throw AWSError.cannotParse("Expected string at '\(path).\(key)'") }
        return s
    }

    static func optionalNumber(_ item: JSONValue, _ key: String, _ path: String) throws -> Double? {
        guard let v = item[key], v != .null else { return nil }
        guard let d = v.doubleValue else { throw AWSError.cannotParse("Expected number at '\(path).\(key)'") }
        return d
    }
}
