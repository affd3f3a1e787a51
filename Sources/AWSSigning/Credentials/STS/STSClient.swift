import Foundation

/// The two STS calls the credential sources need, over the Query protocol (form-encoded POST,
/// XML answer). AssumeRole is SigV4-signed (service `sts`); AssumeRoleWithWebIdentity is not.
public struct STSClient: Sendable {
    public var endpoint: String
    public var region: String
    public var transport: any CredentialHTTPTransport
    public var now: @Sendable () -> Date
    public var timeout: TimeInterval

    public init(endpoint: String, region: String, transport: any CredentialHTTPTransport, now: @escaping @Sendable () -> Date = { Date() }, timeout: TimeInterval = 10) {
        self.endpoint = endpoint
        self.region = region
        self.transport = transport
        self.now = now
        self.timeout = timeout
    }

    /// `https://sts.{region}.amazonaws.com` (`.amazonaws.com.cn` in China), unless
    /// `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` is set (and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is not true).
    public static func endpoint(region: String, variables: [String: String]) -> String {
        let ignore = variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        if !ignore {
            if let url = variables["AWS_ENDPOINT_URL_STS"], !url.isEmpty { return url }
            if let url = variables["AWS_ENDPOINT_URL"], !url.isEmpty { return url }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://sts.\(region).\(suffix)"
    }

    public struct AssumeRoleParameters: Sendable, Hashable {
        public var roleArn: String
        public var roleSessionName: String
        public var externalId: String?
        public var durationSeconds: Int?

        public init(roleArn: String, roleSessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) {
            self.roleArn = roleArn
            self.roleSessionName = roleSessionName
            self.externalId = externalId
            self.durationSeconds = durationSeconds
        }
    }

    public func assumeRole(_ parameters: AssumeRoleParameters, using credentials: AWSCredentials) async throws -> AWSCredentials {
        var form: [(String, String)] = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", parameters.roleArn), ("RoleSessionName", parameters.roleSessionName)]
        if let externalId = parameters.externalId { form.append(("ExternalId", externalId)) }
        if let duration = parameters.durationSeconds { form.append(("DurationSeconds", String(duration))) }
        return try await call(action: "AssumeRole", form: form, signWith: credentials)
    }

    public func assumeRoleWithWebIdentity(roleArn: String, roleSessionName: String, webIdentityToken: String, durationSeconds: Int? = nil) async throws -> AWSCredentials {
        var form: [(String, String)] = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", roleSessionName), ("WebIdentityToken", webIdentityToken)]
        if let duration = durationSeconds { form.append(("DurationSeconds", String(duration))) }
        return try await call(action: "AssumeRoleWithWebIdentity", form: form, signWith: nil)
    }

    /// Who `credentials` are: `sts:GetCallerIdentity` (needs no permission). For `doctor`.
    public func getCallerIdentity(using credentials: AWSCredentials) async throws -> CallerIdentity {
        let document = try await post(action: "GetCallerIdentity", form: [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")], signWith: credentials)
        guard let result = document?.find("GetCallerIdentityResult"),
              let account = result.child("Account")?.trimmedText, let arn = result.child("Arn")?.trimmedText
        else {
            throw CredentialError(code: .malformedResponse, source: "sts", message: "GetCallerIdentity response lacks Account or Arn")
        }
        return CallerIdentity(account: account, arn: arn)
    }

    public struct CallerIdentity: Sendable, Hashable {
        public var account: String
        public var arn: String
    }

    private func call(action: String, form: [(String, String)], signWith credentials: AWSCredentials?) async throws -> AWSCredentials {
        let document = try await post(action: action, form: form, signWith: credentials)
        guard let credentials = document?.find("\(action)Result", "Credentials"),
              let accessKeyId = credentials.child("AccessKeyId")?.trimmedText, !accessKeyId.isEmpty,
              let secret = credentials.child("SecretAccessKey")?.trimmedText, !secret.isEmpty,
              let token = credentials.child("SessionToken")?.trimmedText,
              let expiration = credentials.child("Expiration").flatMap({ AmzDate.parseISO8601($0.trimmedText) })
        else {
            throw CredentialError(code: .malformedResponse, source: "sts", message: "\(action) response lacks Credentials")
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    /// Sends one STS query-protocol call and returns the parsed answer of a 2xx (other statuses throw).
    private func post(action: String, form: [(String, String)], signWith credentials: AWSCredentials?) async throws -> MiniXML.Element? {
        let body = Array(form.map { "\(SigV4Encoding.encode($0.0))=\(SigV4Encoding.encode($0.1))" }.joined(separator: "&").utf8)
        var url = endpoint
        if !url.dropFirst(8).contains("/") { url += "/" }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        if let credentials {
            let request = SignableRequest(method: "POST", url: url, headers: headers, payload: .bytes(body))
            let signer = SigV4Signer(credentials: credentials, region: region, service: "sts")
            headers = signer.signedHeaders(for: request, date: now())
        }
        let response: CredentialHTTPResponse
        do {
            response = try await transport.send(CredentialHTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout))
        } catch {
            throw CredentialError(code: .httpFailure, source: "sts", message: "\(action) request to \(endpoint) failed")
        }
        let document = MiniXML.parse(response.body)
        guard (200..<300).contains(response.status) else {
            let error = document?.find("Error") ?? document?.child("Error")
            let code = error?.child("Code")?.trimmedText
            let message = error?.child("Message")?.trimmedText ?? "HTTP \(response.status)"
            throw CredentialError(code: .stsError, source: "sts", message: "\(action) failed (HTTP \(response.status)): \(message.prefix(300))", serviceErrorCode: code)
        }
        return document
    }
}
