import Foundation

/// EC2 instance role credentials over IMDSv2: `PUT /latest/api/token` (TTL header), then
/// `GET /latest/meta-data/iam/security-credentials/` for the role name and `.../<role>` for the
/// keys, each with the token. `AWS_EC2_METADATA_DISABLED=true` turns it off;
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it. A token answer of 403/404/405 falls back to
/// IMDSv1 unless `AWS_EC2_METADATA_V1_DISABLED=true`. No answer at all means `notLoaded`.
public struct InstanceMetadataCredentialProvider: AWSCredentialProvider {
    public static let defaultEndpoint = "http://169.254.169.254"
    public static let tokenTTLSeconds = 21_600
    let context: CredentialProviderContext

    public init(context: CredentialProviderContext) {
        self.context = context
    }

    public var endpoint: String {
        var endpoint = context.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? Self.defaultEndpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        return endpoint
    }

    var timeout: TimeInterval { context.variable("AWS_METADATA_SERVICE_TIMEOUT").flatMap(TimeInterval.init) ?? 1 }
    var attempts: Int { max(1, context.variable("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init) ?? 1) }

    public func credentials() async throws -> AWSCredentials {
        if context.variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw CredentialError(code: .notLoaded, source: "imds", message: "AWS_EC2_METADATA_DISABLED is true")
        }
        guard let transport = context.transport else {
            throw CredentialError(code: .notLoaded, source: "imds", message: "no HTTP transport")
        }
        let token = try await fetchToken(transport)
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("x-aws-ec2-metadata-token", token)) }
        let base = endpoint + "/latest/meta-data/iam/security-credentials/"
        let listing = try await get(base, headers: headers, transport)
        guard listing.status == 200 else {
            if listing.status == 404 {
                throw CredentialError(code: .notLoaded, source: "imds", message: "no instance role is attached")
            }
            throw CredentialError(code: .httpFailure, source: "imds", message: "role listing answered HTTP \(listing.status)")
        }
        guard let role = String(decoding: listing.body, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map({ $0.trimmingCharacters(in: .whitespaces) }), !role.isEmpty else {
            throw CredentialError(code: .notLoaded, source: "imds", message: "no instance role is attached")
        }
        let response = try await get(base + SigV4Encoding.encode(role), headers: headers, transport)
        guard response.status == 200 else {
            throw CredentialError(code: .httpFailure, source: "imds", message: "role credentials answered HTTP \(response.status)")
        }
        return try JSONCredentials.decode(response.body, source: "imds")
    }

    private func fetchToken(_ transport: any CredentialHTTPTransport) async throws -> String? {
        let request = CredentialHTTPRequest(method: "PUT", url: endpoint + "/latest/api/token",
                                            headers: [("x-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))], timeout: timeout)
        let response = try await send(request, transport)
        switch response.status {
        case 200:
            return String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case 403, 404, 405:
            if context.variable("AWS_EC2_METADATA_V1_DISABLED")?.lowercased() == "true" {
                throw CredentialError(code: .httpFailure, source: "imds", message: "token request answered HTTP \(response.status) and IMDSv1 is disabled")
            }
            return nil  // IMDSv1 only
        default:
            throw CredentialError(code: .httpFailure, source: "imds", message: "token request answered HTTP \(response.status)")
        }
    }

    private func get(_ url: String, headers: [(name: String, value: String)], _ transport: any CredentialHTTPTransport) async throws -> CredentialHTTPResponse {
        try await send(CredentialHTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout), transport)
    }

    /// Retries transport failures; when every attempt fails, IMDS is taken as absent.
    private func send(_ request: CredentialHTTPRequest, _ transport: any CredentialHTTPTransport) async throws -> CredentialHTTPResponse {
        for _ in 0..<attempts {
            if let response = try? await transport.send(request) { return response }
        }
        throw CredentialError(code: .notLoaded, source: "imds", message: "instance metadata service did not answer at \(endpoint)")
    }
}
