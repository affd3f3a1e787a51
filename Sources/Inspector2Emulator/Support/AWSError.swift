/// An error as Inspector v2 sends it: `x-amzn-ErrorType` header, HTTP status and a JSON body with a
/// lowercase `message` (plus `reason`/`fields` for validation, `retryAfterSeconds` for throttling).
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// The AWS error type; extensible (postgres-nio `PSQLError` style).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public let status: Int
        public init(_ name: String, status: Int) { self.name = name; self.status = status }
        public var description: String { name }

        public static let validation = Code("ValidationException", status: 400)
        public static let accessDenied = Code("AccessDeniedException", status: 403)
        public static let resourceNotFound = Code("ResourceNotFoundException", status: 404)
        public static let conflict = Code("ConflictException", status: 409)
        public static let throttling = Code("ThrottlingException", status: 429)
        public static let internalServer = Code("InternalServerException", status: 500)
        public static let badRequest = Code("BadRequestException", status: 400)
        public static let unknownOperation = Code("UnknownOperationException", status: 404)
        /// SigV4 failures are sent as this type by AWS's front end.
        public static let invalidSignature = Code("InvalidSignatureException", status: 403)
        public static let unrecognizedClient = Code("UnrecognizedClientException", status: 403)
        public static let missingAuthenticationToken = Code("MissingAuthenticationTokenException", status: 403)
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var message: String
        public init(name: String, message: String) { self.name = name; self.message = message }
    }

    public var code: Code
    public var message: String
    public var reason: String?
    public var fields: [Field]
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, reason: String? = nil, fields: [Field] = [], retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.reason = reason
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// AWS's wording for a constraint violation of one member.
    public static func fieldValidation(_ name: String, _ constraint: String, value: String? = nil) -> AWSError {
        let detail = value.map { "Value '\($0)' at '\(name)' failed to satisfy constraint: \(constraint)" }
            ?? "Value at '\(name)' failed to satisfy constraint: \(constraint)"
        return AWSError(.validation, "1 validation error detected: \(detail)", reason: "FIELD_VALIDATION_FAILED",
                        fields: [Field(name: name, message: constraint)])
    }

    public static func cannotParse(_ message: String) -> AWSError {
        AWSError(.validation, message, reason: "CANNOT_PARSE")
    }

    public var description: String { "\(code.name): \(message)" }

    public var body: JSONValue {
        var members: [(String, JSONValue)] = [("message", .string(message))]
        if let reason { members.append(("reason", .string(reason))) }
        if code == .validation {
            members.append(("fields", .array(fields.map { .object([("name", .string($0.name)), ("message", .string($0.message))]) })))
        }
        if let retryAfterSeconds { members.append(("retryAfterSeconds", .number(Double(retryAfterSeconds)))) }
        return .object(members)
    }
}
