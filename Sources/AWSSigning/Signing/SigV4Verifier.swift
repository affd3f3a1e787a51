import Crypto
import Foundation

/// Checks the SigV4 `Authorization` header of an incoming request, as an AWS front end does.
/// Pure: the caller passes the request, the current time and a key lookup.
public struct SigV4Verifier: Sendable {
    /// The request as it arrived: the raw path and query exactly as on the wire.
    public struct IncomingRequest: Sendable {
        public var method: String
        public var path: String
        public var rawQuery: String
        public var headers: [(name: String, value: String)]
        public var payload: SignableRequest.Payload

        public init(method: String, path: String, rawQuery: String = "", headers: [(name: String, value: String)], payload: SignableRequest.Payload = .empty) {
            self.method = method
            self.path = path
            self.rawQuery = rawQuery
            self.headers = headers
            self.payload = payload
        }
    }

    /// Who signed the request.
    public struct VerifiedRequest: Sendable, Hashable {
        public var accessKeyId: String
        /// Region and service from the credential scope.
        public var region: String
        public var service: String
        public var signingDate: Date
        public var sessionToken: String?
    }

    /// Returns the secret (and the session token that must accompany it) for an access key id.
    public typealias CredentialLookup = @Sendable (_ accessKeyId: String) -> AWSCredentials?

    public var lookup: CredentialLookup
    /// AWS allows 5 minutes either way.
    public var maxClockSkew: TimeInterval
    /// When set, a scope naming another service is refused.
    public var expectedService: String?

    public init(maxClockSkew: TimeInterval = 300, expectedService: String? = nil, lookup: @escaping CredentialLookup) {
        self.lookup = lookup
        self.maxClockSkew = maxClockSkew
        self.expectedService = expectedService
    }

    public func verify(_ request: IncomingRequest, now: Date) throws(SigV4VerificationError) -> VerifiedRequest {
        func header(_ name: String) -> String? {
            request.headers.last(where: { $0.name.lowercased() == name })?.value
        }
        guard let authorizationValue = header("authorization") else {
            throw SigV4VerificationError(code: .missingAuthenticationToken, message: "Missing Authentication Token")
        }
        let auth = try AuthorizationHeader.parse(authorizationValue)

        let amzDateString: String
        let signingDate: Date
        if let value = header("x-amz-date") {
            guard let date = AmzDate.parse(value.trimmingCharacters(in: .whitespaces)) else {
                throw SigV4VerificationError(code: .incompleteSignature, message: "Date must be in ISO-8601 'basic format'. Got '\(value.prefix(32))'. See http://en.wikipedia.org/wiki/ISO_8601")
            }
            amzDateString = AmzDate.format(date)
            signingDate = date
        } else if let value = header("date"), let date = AmzDate.parseHTTPDate(value) {
            amzDateString = AmzDate.format(date)
            signingDate = date
        } else {
            throw SigV4VerificationError(code: .incompleteSignature, message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }

        guard auth.terminator == "aws4_request" else {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '\(auth.terminator.prefix(32))'.")
        }
        guard auth.scopeDate == amzDateString.prefix(8) else {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(auth.scopeDate.prefix(8))' != '\(amzDateString.prefix(8))', from '\(amzDateString)'.")
        }
        if let expectedService, auth.service != expectedService {
            throw invalid("Credential should be scoped to correct service: '\(expectedService)'. ")
        }
        guard auth.signedHeaders.contains("host") || auth.signedHeaders.contains(":authority") else {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }

        if signingDate < now - maxClockSkew {
            throw SigV4VerificationError(code: .signatureExpired, message: "Signature expired: \(amzDateString) is now earlier than \(AmzDate.format(now - maxClockSkew)) (\(AmzDate.format(now)) - \(Self.minutes(maxClockSkew)) min.)")
        }
        if signingDate > now + maxClockSkew {
            throw SigV4VerificationError(code: .signatureExpired, message: "Signature not yet current: \(amzDateString) is still later than \(AmzDate.format(now + maxClockSkew)) (\(AmzDate.format(now)) + \(Self.minutes(maxClockSkew)) min.)")
        }

        guard let credentials = lookup(auth.accessKeyId) else {
            throw SigV4VerificationError(code: .unrecognizedClient, message: SigV4VerificationError.invalidTokenMessage)
        }
        let presentedToken = header("x-amz-security-token")
        if let expectedToken = credentials.sessionToken {
            guard let presentedToken, constantTimeEquals(presentedToken, expectedToken) else {
                throw SigV4VerificationError(code: .unrecognizedClient, message: SigV4VerificationError.invalidTokenMessage)
            }
        } else if presentedToken != nil {
            throw SigV4VerificationError(code: .unrecognizedClient, message: SigV4VerificationError.invalidTokenMessage)
        }

        let computedPayloadHash = SigV4Signer.payloadHash(request.payload)
        var payloadHash = computedPayloadHash
        if let declared = header("x-amz-content-sha256") {
            if declared != "UNSIGNED-PAYLOAD", declared.lowercased() != computedPayloadHash {
                throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.")
            }
            payloadHash = declared
        }

        let canonical = SigV4Signer.canonicalRequest(
            method: request.method,
            wirePath: request.path,
            query: SigV4Encoding.parseQuery(request.rawQuery),
            headers: request.headers,
            signedHeaderNames: auth.signedHeaders,
            payloadHash: payloadHash
        )
        let scope = "\(auth.scopeDate)/\(auth.region)/\(auth.service)/\(auth.terminator)"
        let stringToSign = SigV4Signer.stringToSign(amzDate: amzDateString, scope: scope, canonicalRequest: canonical)
        let expected = SigV4Signer.signature(secret: credentials.secretAccessKey, scopeDate: auth.scopeDate, region: auth.region, service: auth.service, stringToSign: stringToSign)
        guard constantTimeEquals(expected, auth.signature) else {
            throw invalid(SigV4VerificationError.signatureMismatchMessage)
        }
        return VerifiedRequest(accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service, signingDate: signingDate, sessionToken: presentedToken)
    }

    private func invalid(_ message: String) -> SigV4VerificationError {
        SigV4VerificationError(code: .invalidSignature, message: message)
    }

    private static func minutes(_ interval: TimeInterval) -> String {
        interval.truncatingRemainder(dividingBy: 60) == 0 ? String(Int(interval / 60)) : String(interval / 60)
    }
}

/// Compares without an early exit, so timing does not reveal how many leading bytes matched.
func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let a = Array(lhs.utf8)
    let b = Array(rhs.utf8)
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for index in 0..<max(a.count, b.count) {
        let x = index < a.count ? a[index] : 0
        let y = index < b.count ? b[index] : 0
        difference |= x ^ y
    }
    return difference == 0
}
