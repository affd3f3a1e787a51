import Crypto
import Foundation

/// Signs requests with AWS Signature Version 4 (header form) for standard, non-S3 services.
/// A value type without I/O: give it credentials, a request and the signing time.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    /// Adds `X-Amz-Content-SHA256` (signed) to the request; S3 requires it, other services accept it.
    public var addContentSHA256Header: Bool

    public init(credentials: AWSCredentials, region: String, service: String, addContentSHA256Header: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.addContentSHA256Header = addContentSHA256Header
    }

    /// Headers never signed: hop-by-hop or rewritten by proxies (botocore's list).
    public static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The result of signing: headers to add (replacing any of the same name) and the intermediate
    /// strings, which help when a signature is rejected.
    public struct Signature: Sendable {
        /// `X-Amz-Date`, then `X-Amz-Security-Token` and `X-Amz-Content-SHA256` when used, then `Authorization`.
        public var headers: [(name: String, value: String)]
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lowercase hex HMAC.
        public var signature: String
        public var authorization: String
    }

    public func sign(_ request: SignableRequest, date: Date) -> Signature {
        let amzDate = AmzDate.format(date)
        let scopeDate = String(amzDate.prefix(8))
        let payloadHash = Self.payloadHash(request.payload)

        // Headers the signer sets replace those of the same name, as botocore does on a retry.
        let replaced: Set<String> = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "date"]
        var fields = request.headers.filter { !replaced.contains($0.name.lowercased()) }
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        if addContentSHA256Header { added.append(("X-Amz-Content-SHA256", payloadHash)) }
        // A caller-provided content hash header (kept when we do not add our own) is what botocore signs.
        if !addContentSHA256Header,
           let given = request.headers.last(where: { $0.name.lowercased() == "x-amz-content-sha256" }) {
            fields.append(given)
        }
        fields.append(contentsOf: added)

        let signedNames = Set(fields.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaderNames).sorted()
        let hashForRequest = fields.last(where: { $0.name.lowercased() == "x-amz-content-sha256" })?.value ?? payloadHash
        let canonical = Self.canonicalRequest(
            method: request.method,
            wirePath: request.path,
            query: request.query,
            headers: fields,
            signedHeaderNames: signedNames,
            payloadHash: hashForRequest
        )
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let stringToSign = Self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let signature = Self.signature(secret: credentials.secretAccessKey, scopeDate: scopeDate, region: region, service: service, stringToSign: stringToSign)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedNames.joined(separator: ";")), Signature=\(signature)"
        added.append(("Authorization", authorization))
        return Signature(headers: added, canonicalRequest: canonical, stringToSign: stringToSign, signature: signature, authorization: authorization)
    }

    /// The request's headers with the signature applied: old `Authorization`, `X-Amz-Date`,
    /// `X-Amz-Security-Token` removed, the signer's headers appended.
    public func signedHeaders(for request: SignableRequest, date: Date) -> [(name: String, value: String)] {
        let signature = sign(request, date: date)
        let replacedNames = Set(signature.headers.map { $0.name.lowercased() }).union(["authorization", "date"])
        return request.headers.filter { !replacedNames.contains($0.name.lowercased()) } + signature.headers
    }

    // MARK: - Pure steps, shared with the verifier

    static func payloadHash(_ payload: SignableRequest.Payload) -> String {
        switch payload {
        case .bytes(let bytes): return SigV4Encoding.hex(SHA256.hash(data: bytes))
        case .precomputedSHA256(let hash): return hash.lowercased()
        case .unsigned: return "UNSIGNED-PAYLOAD"
        }
    }

    static func canonicalRequest(
        method: String,
        wirePath: String,
        query: [SignableRequest.QueryItem],
        headers: [(name: String, value: String)],
        signedHeaderNames: [String],
        payloadHash: String
    ) -> String {
        var lines = [method.uppercased(), SigV4Encoding.canonicalURI(wirePath: wirePath), SigV4Encoding.canonicalQuery(query)]
        for name in signedHeaderNames {
            let values = headers.filter { $0.name.lowercased() == name }.map { SigV4Encoding.trimAll($0.value) }
            lines.append("\(name):\(values.joined(separator: ","))")
        }
        lines.append("")
        lines.append(signedHeaderNames.joined(separator: ";"))
        lines.append(payloadHash)
        return lines.joined(separator: "\n")
    }

    static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        let hash = SigV4Encoding.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        return "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(hash)"
    }

    static func signature(secret: String, scopeDate: String, region: String, service: String, stringToSign: String) -> String {
        func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
        }
        let kDate = hmac(Array("AWS4\(secret)".utf8), scopeDate)
        let kRegion = hmac(kDate, region)
        let kService = hmac(kRegion, service)
        let kSigning = hmac(kService, "aws4_request")
        return SigV4Encoding.hex(hmac(kSigning, stringToSign))
    }
}
