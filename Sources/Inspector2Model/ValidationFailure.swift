/// A request that breaks the model's constraints. The emulator answers it with a ValidationException
/// (`reason` FIELD_VALIDATION_FAILED, `fields` from `issues`); the client refuses to send it.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case constraintViolated
            case malformedBody
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A member breaks a length, range, pattern or size constraint, or a required one is missing.
        public static let constraintViolated = Code(.constraintViolated)
        /// The body is not JSON of the expected shape (wrong types, not JSON at all).
        public static let malformedBody = Code(.malformedBody)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var issues: [ValidationIssue]

    public init(code: Code = .constraintViolated, issues: [ValidationIssue]) {
        self.code = code
        self.issues = issues
    }

    /// AWS's wording: "2 validation errors detected: a: Member must ...; b: Member must ...".
    public var description: String {
        let count = issues.count == 1 ? "1 validation error" : "\(issues.count) validation errors"
        return "\(count) detected: " + issues.map(\.description).joined(separator: "; ")
    }

    /// Maps a decoding error of a request body to the member it concerns.
    public init(decodingError: DecodingError) {
        switch decodingError {
        case .keyNotFound(let key, let context):
            self.init(issues: [
                ValidationIssue(field: Self.path(context.codingPath + [key]), message: "Member must not be null")
            ])
        case .valueNotFound(_, let context):
            self.init(issues: [ValidationIssue(field: Self.path(context.codingPath), message: "Member must not be null")])
        case .typeMismatch(let type, let context):
            self.init(
                code: .malformedBody,
                issues: [ValidationIssue(field: Self.path(context.codingPath), message: "Member must be of type \(Self.jsonType(type))")])
        case .dataCorrupted(let context):
            self.init(
                code: .malformedBody,
                issues: [ValidationIssue(field: Self.path(context.codingPath), message: "Member is not valid")])
        @unknown default:
            self.init(code: .malformedBody, issues: [ValidationIssue(field: "", message: "Request body is not valid")])
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path = ValidationRules.member(path, key.stringValue)
            }
        }
        return path
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Bool.Type: "boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "number"
        default: type is any Collection.Type ? "array" : "object"
        }
    }
}
