/// A TOML syntax or structure error with its 1-based line and column (in characters).
///
/// Messages never quote the document's values, only its keys: a configuration file holds secrets.
public struct TOMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, invalidValue, redefinition, encoding
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Malformed document structure (missing `=`, unterminated string, junk after a value).
        public static let syntax = Code(.syntax)
        /// A well-formed token with an impossible value (bad escape, integer overflow, 13th month).
        public static let invalidValue = Code(.invalidValue)
        /// A key or table defined twice, or a table extended in a way TOML forbids.
        public static let redefinition = Code(.redefinition)
        /// The document is not valid UTF-8 or holds a forbidden control character.
        public static let encoding = Code(.encoding)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var line: Int
    public var column: Int
    public var message: String

    public init(code: Code, line: Int, column: Int, message: String) {
        self.code = code
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
