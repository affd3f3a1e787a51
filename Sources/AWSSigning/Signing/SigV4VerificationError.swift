/// Why an incoming request's signature was refused, in the shape AWS answers it: an error code
/// (`awsErrorCode`, the `__type`/`x-amzn-ErrorType`) and AWS's message. Never holds a secret.
public struct SigV4VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case missingAuthenticationToken, incompleteSignature, unrecognizedClient, invalidSignature, signatureExpired
        }

        fileprivate let base: Base

        /// No `Authorization` header (or presigned query) at all.
        public static let missingAuthenticationToken = Code(base: .missingAuthenticationToken)
        /// The header is there but malformed or missing parts (credential, date...).
        public static let incompleteSignature = Code(base: .incompleteSignature)
        /// Unknown access key id or a session token that does not belong to it.
        public static let unrecognizedClient = Code(base: .unrecognizedClient)
        /// The signature (or the scope) does not match.
        public static let invalidSignature = Code(base: .invalidSignature)
        /// The request time is outside the allowed clock skew.
        public static let signatureExpired = Code(base: .signatureExpired)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// AWS's message text, safe to send back to the client.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The AWS error code the emulator sends (`x-amzn-ErrorType` / `__type`).
    public var awsErrorCode: String {
        switch code.base {
        case .missingAuthenticationToken: return "MissingAuthenticationTokenException"
        case .incompleteSignature: return "IncompleteSignatureException"
        case .unrecognizedClient: return "UnrecognizedClientException"
        case .invalidSignature, .signatureExpired: return "InvalidSignatureException"
        }
    }

    /// The HTTP status AWS's REST-JSON front ends use for these errors.
    public var httpStatus: Int { 403 }

    public var description: String { "\(awsErrorCode): \(message)" }

    static let signatureMismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    static let invalidTokenMessage = "The security token included in the request is invalid."
}
