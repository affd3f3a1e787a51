import Foundation

/// ECS / EKS Pod Identity container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (against `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a
/// loopback or the ECS/EKS link-local hosts), with the `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialProvider: AWSCredentialProvider {
    public static let ecsHost = "http://169.254.170.2"
    let context: CredentialProviderContext
    public var timeout: TimeInterval

    public init(context: CredentialProviderContext, timeout: TimeInterval = 2) {
        self.context = context
        self.timeout = timeout
    }

    /// The URL to ask, or `notLoaded`/`invalidConfiguration`. Pure.
    public static func resolveURL(variables: [String: String]) throws -> String {
        if let relative = variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty else {
            throw CredentialError(code: .notLoaded, source: "container", message: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI are not set")
        }
        let lower = full.lowercased()
        if lower.hasPrefix("https://") { return full }
        guard lower.hasPrefix("http://") else {
            throw CredentialError(code: .invalidConfiguration, source: "container", message: "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http or https URL")
        }
        let authority = lower.dropFirst(7).prefix { $0 != "/" && $0 != "?" }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.dropFirst().prefix { $0 != "]" }
        } else {
            host = authority.prefix { $0 != ":" }
        }
        let allowed = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "169.254.170.2"
            || host == "169.254.170.23" || host == "fd00:ec2::23"
        guard allowed else {
            throw CredentialError(code: .invalidConfiguration, source: "container", message: "AWS_CONTAINER_CREDENTIALS_FULL_URI over http must name a loopback or the container credentials host")
        }
        return full
    }

    public func credentials() async throws -> AWSCredentials {
        let url = try Self.resolveURL(variables: context.variables)
        guard let transport = context.transport else {
            throw CredentialError(code: .invalidConfiguration, source: "container", message: "container credentials need an HTTP transport")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token = try authorizationToken() { headers.append(("Authorization", token)) }
        let response: CredentialHTTPResponse
        do {
            response = try await transport.send(CredentialHTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout))
        } catch {
            throw CredentialError(code: .httpFailure, source: "container", message: "container credentials endpoint did not answer")
        }
        guard response.status == 200 else {
            throw CredentialError(code: .httpFailure, source: "container", message: "container credentials endpoint answered HTTP \(response.status)")
        }
        return try JSONCredentials.decode(response.body, source: "container")
    }

    private func authorizationToken() throws -> String? {
        var token: String?
        if let file = context.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let bytes = try? context.fileReader.read(path: context.expandPath(file)) else {
                throw CredentialError(code: .invalidConfiguration, source: "container", message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            }
            token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            token = context.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CredentialError(code: .invalidConfiguration, source: "container", message: "the container authorization token contains a line break")
        }
        return token
    }
}

/// The JSON document IMDS and the container endpoints return.
enum JSONCredentials {
    struct Document: Decodable {
        let Code: String?
        let AccessKeyId: String?
        let SecretAccessKey: String?
        let Token: String?
        let Expiration: String?
    }

    static func decode(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)) else {
            throw CredentialError(code: .malformedResponse, source: source, message: "credentials response is not JSON")
        }
        if let code = document.Code, code != "Success" {
            throw CredentialError(code: .malformedResponse, source: source, message: "credentials response has Code \(code.prefix(64))")
        }
        guard let accessKeyId = document.AccessKeyId, let secret = document.SecretAccessKey else {
            throw CredentialError(code: .malformedResponse, source: source, message: "credentials response lacks AccessKeyId or SecretAccessKey")
        }
        let expiration = document.Expiration.flatMap(AmzDate.parseISO8601)
        if document.Expiration != nil, expiration == nil {
            throw CredentialError(code: .malformedResponse, source: source, message: "credentials Expiration is not an ISO 8601 timestamp")
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: document.Token, expiration: expiration)
    }
}
