import Foundation

/// Shared state of one load: the inputs and the problems found so far.
final class LoadContext {
    let filePath: String?
    let environment: [String: String]
    let readFile: (String) -> String?
    private(set) var problems: [ConfigurationProblem] = []
    /// Registry paths the loader asked for (`sync.interval`, `webhooks[].url`), so a test can prove
    /// that every registered key is really read.
    private(set) var readKeys: Set<String> = []
    private(set) var usedVariables: Set<String> = []

    init(filePath: String?, environment: [String: String], readFile: @escaping (String) -> String?) {
        self.filePath = filePath
        self.environment = environment
        self.readFile = readFile
    }

    func report(_ code: ConfigurationProblem.Code, _ source: ConfigurationSource, _ keyPath: String, _ message: String) {
        problems.append(ConfigurationProblem(code: code, source: source, keyPath: keyPath, message: message))
    }

    func fileSource(line: Int?) -> ConfigurationSource {
        filePath.map { .file(path: $0, line: line) } ?? .none
    }

    func variable(_ name: String) -> String? {
        guard let value = environment[name] else { return nil }
        usedVariables.insert(name)
        return value
    }

    func noteRead(_ registryPath: String) {
        readKeys.insert(registryPath)
    }
}

/// A value as found: from the file (typed by TOML) or from the environment (a string to parse).
struct RawSetting {
    enum Value {
        case toml(TOMLValue)
        case environment(String)
    }

    var value: Value
    var source: ConfigurationSource
}

/// Reads the keys of one table (`[sync]`, or one `[[webhooks]]` entry) with environment
/// overrides, reporting every problem to the context and falling back to defaults so that the
/// rest of the configuration is still checked.
struct TableReader {
    let context: LoadContext
    /// Registry section (`sync`, `webhooks`).
    let section: String
    /// Key path prefix in messages (`sync`, `webhooks[1]`).
    let path: String
    let table: TOMLTable
    /// Line of the table's header, for problems about missing keys.
    let line: Int?
    /// Whether `INSPECTOR_SYNC_<SECTION>_<KEY>` applies (not for arrays of tables).
    let environmentOverrides: Bool

    var isArrayOfTables: Bool { !environmentOverrides }

    func keyPath(_ key: String) -> String { "\(path).\(key)" }

    func isSecret(_ key: String) -> Bool {
        ConfigurationKeys.secretKeys.contains(isArrayOfTables ? "\(section)[].\(key)" : "\(section).\(key)")
    }

    func raw(_ key: String) -> RawSetting? {
        assert(ConfigurationKeys.keys(in: section).contains(key), "\(section).\(key) is not in ConfigurationKeys")
        context.noteRead(isArrayOfTables ? "\(section)[].\(key)" : "\(section).\(key)")
        if environmentOverrides {
            let variable = "INSPECTOR_SYNC_\(section.uppercased())_\(key.uppercased())"
            if let value = context.variable(variable) {
                return RawSetting(value: .environment(value), source: .environment(variable: variable))
            }
        }
        guard let value = table[key] else { return nil }
        return RawSetting(value: .toml(value), source: context.fileSource(line: value.line))
    }

    func report(_ code: ConfigurationProblem.Code, _ raw: RawSetting?, _ key: String, _ message: String) {
        context.report(code, raw?.source ?? context.fileSource(line: line), keyPath(key), message)
    }

    /// ` (got "x")` for messages, or nothing for secrets.
    func got(_ key: String, _ text: String) -> String {
        isSecret(key) ? "" : " (got \(text))"
    }

    func wrongType(_ raw: RawSetting, _ key: String, expected: String, value: TOMLValue) {
        report(.wrongType, raw, key, "must be \(expected) (got \(value.typeName))")
    }

    func rejectUnknownKeys() {
        let known = ConfigurationKeys.keys(in: section)
        for (key, value) in table.entries where !known.contains(key) {
            let suggestion = Suggestion.closest(to: key, among: known).map { " (did you mean \(path).\($0)?)" } ?? ""
            context.report(.unknownKey, context.fileSource(line: value.line), keyPath(key), "unknown key\(suggestion)")
        }
    }

    // MARK: Typed readers

    func string(_ key: String) -> (value: String, raw: RawSetting)? {
        guard let raw = raw(key) else { return nil }
        switch raw.value {
        case .environment(let text):
            return (text, raw)
        case .toml(let value):
            guard let text = value.string else { wrongType(raw, key, expected: "a string", value: value); return nil }
            return (text, raw)
        }
    }

    func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let raw = raw(key) else { return defaultValue }
        switch raw.value {
        case .environment(let text):
            switch text.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default:
                report(.invalidValue, raw, key, "must be true or false\(got(key, quoted(text)))")
                return defaultValue
            }
        case .toml(let value):
            guard let flag = value.boolean else { wrongType(raw, key, expected: "true or false", value: value); return defaultValue }
            return flag
        }
    }

    func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = raw(key) else { return defaultValue }
        let number: Int64
        switch raw.value {
        case .environment(let text):
            guard let parsed = Int64(text.trimmingASCIIWhitespace()) else {
                report(.invalidValue, raw, key, "must be an integer\(got(key, quoted(text)))")
                return defaultValue
            }
            number = parsed
        case .toml(let value):
            guard let parsed = value.integer else { wrongType(raw, key, expected: "an integer", value: value); return defaultValue }
            number = parsed
        }
        guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
            let bounds = range.upperBound == Int.max
                ? "must be at least \(range.lowerBound)" : "must be between \(range.lowerBound) and \(range.upperBound)"
            report(.invalidValue, raw, key, bounds + got(key, String(number)))
            return defaultValue
        }
        return Int(number)
    }

    /// A positive number (integer or float), e.g. a rate.
    func positiveNumber(_ key: String) -> Double? {
        guard let raw = raw(key) else { return nil }
        let number: Double
        switch raw.value {
        case .environment(let text):
            guard let parsed = Double(text.trimmingASCIIWhitespace()) else {
                report(.invalidValue, raw, key, "must be a number\(got(key, quoted(text)))")
                return nil
            }
            number = parsed
        case .toml(let value):
            if let integer = value.integer {
                number = Double(integer)
            } else if let float = value.float {
                number = float
            } else {
                wrongType(raw, key, expected: "a number", value: value)
                return nil
            }
        }
        guard number.isFinite, number > 0 else {
            report(.invalidValue, raw, key, "must be greater than zero\(got(key, String(number)))")
            return nil
        }
        return number
    }

    func duration(_ key: String, default defaultValue: Duration, allowZero: Bool = false) -> Duration {
        guard let raw = raw(key) else { return defaultValue }
        let text: String
        switch raw.value {
        case .environment(let value): text = value
        case .toml(let value):
            guard let string = value.string else {
                report(.wrongType, raw, key, "must be a duration string like \"30s\", \"5m\" or \"1h30m\" (got \(value.typeName))")
                return defaultValue
            }
            text = string
        }
        return checkedDuration(text, raw: raw, key: key, allowZero: allowZero) ?? defaultValue
    }

    func checkedDuration(_ text: String, raw: RawSetting, key: String, allowZero: Bool) -> Duration? {
        guard let duration = DurationParser.parse(text) else {
            report(.invalidValue, raw, key, "must be a duration like \"30s\", \"5m\" or \"1h30m\" (units ms, s, m, h, d)\(got(key, quoted(text)))")
            return nil
        }
        if !allowZero, duration == .zero {
            report(.invalidValue, raw, key, "must be greater than zero\(got(key, quoted(text)))")
            return nil
        }
        return duration
    }

    /// A list of strings; from the environment, comma-separated.
    func strings(_ key: String) -> (values: [String], raw: RawSetting)? {
        guard let raw = raw(key) else { return nil }
        switch raw.value {
        case .environment(let text):
            let items = text.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            return (items, raw)
        case .toml(let value):
            guard let array = value.array else { wrongType(raw, key, expected: "an array of strings", value: value); return nil }
            var items: [String] = []
            for (index, element) in array.enumerated() {
                guard let text = element.string else {
                    let elementRaw = RawSetting(value: .toml(element), source: context.fileSource(line: element.line))
                    report(.wrongType, elementRaw, "\(key)[\(index)]", "must be a string (got \(element.typeName))")
                    return nil
                }
                items.append(text)
            }
            return (items, raw)
        }
    }

    /// A string, or (for keys that allow several values, like rotated secrets) an array of strings.
    func stringOrStrings(_ key: String) -> (values: [String], raw: RawSetting)? {
        if let raw = table[key], raw.string != nil, !(environmentOverrides && context.environment["INSPECTOR_SYNC_\(section.uppercased())_\(key.uppercased())"] != nil) {
            return string(key).map { ([$0.value], $0.raw) }
        }
        return strings(key)
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: Choice) -> Choice where Choice.RawValue == String {
        guard let (text, raw) = string(key) else { return defaultValue }
        if let value = Choice(rawValue: text) { return value }
        let names = Choice.allCases.map { quoted($0.rawValue) }.joined(separator: ", ")
        report(.invalidValue, raw, key, "must be one of \(names)\(got(key, quoted(text)))")
        return defaultValue
    }
}

func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// "Did you mean" suggestions by edit distance.
enum Suggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func distance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
