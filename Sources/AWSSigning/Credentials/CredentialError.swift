/// A credential source failed. `description` names the source and the reason, never a secret,
/// a session token or the output of a credential process.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case notLoaded, invalidConfiguration, profileNotFound, processFailed, httpFailure, stsError,
                 malformedResponse, unsupported, noCredentials
        }

        fileprivate let base: Base

        /// The source is not configured here; a chain moves on to the next source.
        public static let notLoaded = Code(base: .notLoaded)
        /// Configured, but wrongly (partial keys, bad profile settings, a loop of source profiles).
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        public static let profileNotFound = Code(base: .profileNotFound)
        public static let processFailed = Code(base: .processFailed)
        /// IMDS / ECS / STS could not be reached or answered with an unexpected status.
        public static let httpFailure = Code(base: .httpFailure)
        /// STS answered with an error document (`code` holds its error code).
        public static let stsError = Code(base: .stsError)
        public static let malformedResponse = Code(base: .malformedResponse)
        /// A setting this implementation does not support (SSO, MFA).
        public static let unsupported = Code(base: .unsupported)
        /// The chain tried every source and none was configured.
        public static let noCredentials = Code(base: .noCredentials)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The source that failed: `environment`, `profile`, `process`, `web-identity`, `container`, `imds`, `sts`, `chain`.
    public let source: String
    public let message: String
    /// The service's error code, for `stsError` (`AccessDenied`, `ExpiredTokenException`...).
    public let serviceErrorCode: String?

    public init(code: Code, source: String, message: String, serviceErrorCode: String? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.serviceErrorCode = serviceErrorCode
    }

    public var description: String {
        var text = "CredentialError(\(code), source: \(source), \(message)"
        if let serviceErrorCode { text += ", serviceErrorCode: \(serviceErrorCode)" }
        return text + ")"
    }
}
