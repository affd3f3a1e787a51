/// Where a configuration value came from, for messages.
public enum ConfigurationSource: Sendable, Hashable {
    /// The configuration file, with the value's line when the parser gave one.
    case file(path: String, line: Int?)
    /// An `INSPECTOR_SYNC_…` environment variable.
    case environment(variable: String)
    /// Neither (a required key that is missing everywhere).
    case none
}

/// One problem in the configuration. `description` never contains a secret.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, unknownKey, wrongType, invalidValue, missingValue, missingFile, conflict
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file is not valid TOML.
        public static let syntax = Code(.syntax)
        /// A key or `INSPECTOR_SYNC_…` variable the daemon does not know.
        public static let unknownKey = Code(.unknownKey)
        /// A value of the wrong TOML type (a number where a string is expected…).
        public static let wrongType = Code(.wrongType)
        /// A value of the right type that is impossible (out of range, malformed URL or secret…).
        public static let invalidValue = Code(.invalidValue)
        /// A required key is missing.
        public static let missingValue = Code(.missingValue)
        /// A secret or URL file does not exist or cannot be read.
        public static let missingFile = Code(.missingFile)
        /// Keys that contradict each other (duplicate names, `secret` and `secret_file` together…).
        public static let conflict = Code(.conflict)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var source: ConfigurationSource
    /// The key path: `sync.page_size`, `webhooks[1].url`; empty for whole-file problems.
    public var keyPath: String
    public var message: String

    public init(code: Code, source: ConfigurationSource, keyPath: String, message: String) {
        self.code = code
        self.source = source
        self.keyPath = keyPath
        self.message = message
    }

    /// `config.toml:12: sync.page_size: must be between 1 and 100 (got 101)`
    public var description: String {
        var parts: [String] = []
        switch source {
        case .file(let path, let line?): parts.append("\(path):\(line)")
        case .file(let path, nil): parts.append(path)
        case .environment(let variable): parts.append("environment \(variable)")
        case .none: break
        }
        if !keyPath.isEmpty { parts.append(keyPath) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// The configuration could not be loaded; `problems` lists every problem found, in file order.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// sysexits EX_CONFIG: the CLI exits with this when the configuration is invalid.
    public static let exitCode: Int32 = 78

    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// What the CLI prints to stderr: a heading and one line per problem.
    public func rendered() -> String {
        let heading = problems.count == 1
            ? "inspector-sync: the configuration has 1 problem:"
            : "inspector-sync: the configuration has \(problems.count) problems:"
        return ([heading] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }

    public var description: String { rendered() }
}
