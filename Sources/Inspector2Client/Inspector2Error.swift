/// Every failure of the client: a service answer, a transport problem, or a request we refused
/// to send. Modelled on postgres-nio's `PSQLError`: the `Code` is an extensible struct, details
/// are optional fields, and `description` never prints credentials, signatures or request bodies.
public struct Inspector2Error: Error, Sendable, CustomStringConvertible {
    /// What went wrong, at the level a caller branches on. New codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case service
            case requestValidation
            case timeout
            case connection
            case invalidResponse
            case responseTooLarge
            case credentials
            case signing
            case invalidConfiguration
            case cancelled
        }

        let base: Base

        /// AWS answered with an error status; see `serviceCode`, `httpStatus`, `message`.
        public static let service = Code(base: .service)
        /// The model's validator rejected the request; nothing was sent.
        public static let requestValidation = Code(base: .requestValidation)
        /// No complete answer within the request timeout (or the server's read timed out).
        public static let timeout = Code(base: .timeout)
        /// Connecting failed or the connection broke (reset, closed early).
        public static let connection = Code(base: .connection)
        /// A response that is not what the protocol promises (undecodable or truncated JSON).
        public static let invalidResponse = Code(base: .invalidResponse)
        /// The response body exceeded the configured cap.
        public static let responseTooLarge = Code(base: .responseTooLarge)
        /// The credential provider could not produce credentials.
        public static let credentials = Code(base: .credentials)
        /// Signing the request failed.
        public static let signing = Code(base: .signing)
        /// Region, endpoint or other settings are unusable.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The calling task was cancelled.
        public static let cancelled = Code(base: .cancelled)

        public var description: String { base.rawValue }
    }

    /// One member that failed validation (service-side `ValidationException.fields` or our validator).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var message: String
        public init(name: String, message: String) {
            self.name = name
            self.message = message
        }
    }

    public var code: Code
    /// The AWS error code (`ThrottlingException`, `ValidationException`, …) when AWS named one.
    public var serviceCode: ServiceErrorCode?
    /// The service's or our own message. AWS messages describe the request, not secrets.
    public var message: String?
    /// The action, e.g. `ListFindings`.
    public var operation: String?
    public var httpStatus: Int?
    /// `x-amzn-RequestId` of the failing response, for AWS support cases.
    public var requestId: String?
    /// `Retry-After` the service asked for, if any.
    public var retryAfter: Duration?
    /// `ValidationException.reason` (`CANNOT_PARSE`, `FIELD_VALIDATION_FAILED`, `OTHER`, …).
    public var validationReason: String?
    public var fields: [Field]
    /// How many attempts were made (1 when not retried).
    public var attempts: Int
    /// True when the retry policy would have retried but the attempts or the retry quota ran out.
    public var retriesExhausted: Bool
    /// The transport error beneath `.timeout`/`.connection`, as a type name and its own
    /// description (AsyncHTTPClient and NIO errors carry no credentials).
    public var underlying: String?

    public init(
        code: Code,
        serviceCode: ServiceErrorCode? = nil,
        message: String? = nil,
        operation: String? = nil,
        httpStatus: Int? = nil,
        requestId: String? = nil,
        retryAfter: Duration? = nil,
        validationReason: String? = nil,
        fields: [Field] = [],
        attempts: Int = 1,
        retriesExhausted: Bool = false,
        underlying: String? = nil
    ) {
        self.code = code
        self.serviceCode = serviceCode
        self.message = message
        self.operation = operation
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.retryAfter = retryAfter
        self.validationReason = validationReason
        self.fields = fields
        self.attempts = attempts
        self.retriesExhausted = retriesExhausted
        self.underlying = underlying
    }

    /// Throttling as the SDKs define it (codes or HTTP 429).
    public var isThrottling: Bool { RetryClassifier.isThrottling(serviceCode: serviceCode, httpStatus: httpStatus) }

    public var description: String {
        var parts = ["code: \(code)"]
        if let serviceCode { parts.append("serviceCode: \(serviceCode.rawValue)") }
        if let operation { parts.append("operation: \(operation)") }
        if let httpStatus { parts.append("status: \(httpStatus)") }
        if let message { parts.append("message: \(Self.clip(message))") }
        if let validationReason { parts.append("reason: \(validationReason)") }
        if !fields.isEmpty {
            parts.append("fields: [" + fields.map { "\($0.name): \(Self.clip($0.message))" }.joined(separator: ", ") + "]")
        }
        if let retryAfter { parts.append("retryAfter: \(retryAfter)") }
        if let requestId { parts.append("requestId: \(requestId)") }
        if attempts > 1 || retriesExhausted { parts.append("attempts: \(attempts)") }
        if retriesExhausted { parts.append("retries exhausted") }
        if let underlying { parts.append("underlying: \(Self.clip(underlying))") }
        return "Inspector2Error(" + parts.joined(separator: ", ") + ")"
    }

    /// Keeps log lines bounded when a proxy answers with a whole HTML page as "message".
    static func clip(_ text: String, limit: Int = 512) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

/// An AWS error code. Open: codes AWS adds later are kept as they come.
public struct ServiceErrorCode: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let accessDeniedException: ServiceErrorCode = "AccessDeniedException"
    public static let badRequestException: ServiceErrorCode = "BadRequestException"
    public static let conflictException: ServiceErrorCode = "ConflictException"
    public static let internalServerException: ServiceErrorCode = "InternalServerException"
    public static let resourceNotFoundException: ServiceErrorCode = "ResourceNotFoundException"
    public static let serviceQuotaExceededException: ServiceErrorCode = "ServiceQuotaExceededException"
    public static let throttlingException: ServiceErrorCode = "ThrottlingException"
    public static let validationException: ServiceErrorCode = "ValidationException"
    // Signature and credential problems as AWS front ends name them.
    public static let unrecognizedClientException: ServiceErrorCode = "UnrecognizedClientException"
    public static let invalidSignatureException: ServiceErrorCode = "InvalidSignatureException"
    public static let expiredTokenException: ServiceErrorCode = "ExpiredTokenException"
}
