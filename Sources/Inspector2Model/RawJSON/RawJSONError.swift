/// Malformed JSON met by `RawJSONArraySplitter`, or an element the typed decoder refused.
/// The description names the problem and its byte offset, never the body's content.
public struct RawJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unexpectedEnd, unexpectedByte, invalidString, invalidNumber, tooDeep, notAnObject,
                trailingData, wrongType, elementNotDecodable
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input stops inside a value (a truncated body).
        public static let unexpectedEnd = Code(.unexpectedEnd)
        public static let unexpectedByte = Code(.unexpectedByte)
        /// A bad escape, a raw control character or invalid UTF-8 inside a string.
        public static let invalidString = Code(.invalidString)
        public static let invalidNumber = Code(.invalidNumber)
        /// Nesting deeper than `RawJSONArraySplitter.maximumDepth`.
        public static let tooDeep = Code(.tooDeep)
        /// The top-level value is not an object.
        public static let notAnObject = Code(.notAnObject)
        /// Something other than whitespace follows the top-level object.
        public static let trailingData = Code(.trailingData)
        /// The array member is not an array, or `nextToken` is not a string.
        public static let wrongType = Code(.wrongType)
        /// An element is valid JSON but not a valid typed value.
        public static let elementNotDecodable = Code(.elementNotDecodable)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// Byte offset in the body where the problem was found.
    public var offset: Int
    /// For `elementNotDecodable`: the element index and the decoder's reason.
    public var detail: String?

    public init(code: Code, offset: Int, detail: String? = nil) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "RawJSONError(\(code) at byte \(offset)" + (detail.map { ": \($0)" } ?? "") + ")"
    }
}
