import Foundation

/// Credentials of a role assumed with STS AssumeRole, signed with the source provider's
/// credentials: one per member account for the sync workers. Returns expiring credentials;
/// wrap with `.cached()` (the default chain and profile sources already do).
public struct AssumeRoleCredentialProvider: AWSCredentialProvider {
    public let source: any AWSCredentialProvider
    public let parameters: STSClient.AssumeRoleParameters
    public let sts: STSClient

    public init(source: any AWSCredentialProvider, parameters: STSClient.AssumeRoleParameters, sts: STSClient) {
        self.source = source
        self.parameters = parameters
        self.sts = sts
    }

    /// Resolves the STS endpoint from `region` and the context's `AWS_ENDPOINT_URL_STS`/`AWS_ENDPOINT_URL`
    /// unless `endpoint` is given.
    public init(
        source: any AWSCredentialProvider,
        roleArn: String,
        sessionName: String? = nil,
        externalId: String? = nil,
        durationSeconds: Int? = nil,
        region: String,
        endpoint: String? = nil,
        context: CredentialProviderContext
    ) throws {
        guard let transport = context.transport else {
            throw CredentialError(code: .invalidConfiguration, source: "sts", message: "AssumeRole needs an HTTP transport")
        }
        self.source = source
        parameters = .init(roleArn: roleArn, roleSessionName: sessionName ?? Self.defaultSessionName(now: context.now()), externalId: externalId, durationSeconds: durationSeconds)
        sts = STSClient(endpoint: endpoint ?? STSClient.endpoint(region: region, variables: context.variables), region: region, transport: transport, now: context.now)
    }

    public func credentials() async throws -> AWSCredentials {
        try await sts.assumeRole(parameters, using: try await source.credentials())
    }

    /// `inspector-sync-<epoch seconds>`, like botocore's `botocore-session-<epoch>`.
    public static func defaultSessionName(now: Date) -> String {
        "inspector-sync-\(Int(now.timeIntervalSince1970))"
    }
}

/// `AssumeRoleWithWebIdentity` with the token read from a file on each refresh (EKS IRSA and
/// similar rotate the file).
public struct WebIdentityCredentialProvider: AWSCredentialProvider {
    public let roleArn: String
    public let tokenFile: String
    public let sessionName: String
    public let durationSeconds: Int?
    public let sts: STSClient
    let context: CredentialProviderContext

    public init(roleArn: String, tokenFile: String, sessionName: String?, durationSeconds: Int? = nil, region: String, context: CredentialProviderContext) throws {
        guard let transport = context.transport else {
            throw CredentialError(code: .invalidConfiguration, source: "web-identity", message: "web identity needs an HTTP transport")
        }
        self.roleArn = roleArn
        self.tokenFile = tokenFile
        self.sessionName = sessionName ?? AssumeRoleCredentialProvider.defaultSessionName(now: context.now())
        self.durationSeconds = durationSeconds
        self.context = context
        sts = STSClient(endpoint: STSClient.endpoint(region: region, variables: context.variables), region: region, transport: transport, now: context.now)
    }

    /// From `AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_SESSION_NAME`; `notLoaded` when unset.
    public static func fromEnvironment(context: CredentialProviderContext, region: String) throws -> WebIdentityCredentialProvider {
        guard let roleArn = context.variable("AWS_ROLE_ARN"), let tokenFile = context.variable("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            throw CredentialError(code: .notLoaded, source: "web-identity", message: "AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        }
        return try WebIdentityCredentialProvider(roleArn: roleArn, tokenFile: tokenFile, sessionName: context.variable("AWS_ROLE_SESSION_NAME"), region: region, context: context)
    }

    public func credentials() async throws -> AWSCredentials {
        let path = context.expandPath(tokenFile)
        let bytes: [UInt8]?
        do { bytes = try context.fileReader.read(path: path) } catch { bytes = nil }
        guard let bytes else {
            throw CredentialError(code: .invalidConfiguration, source: "web-identity", message: "cannot read the web identity token file \(path)")
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try await sts.assumeRoleWithWebIdentity(roleArn: roleArn, roleSessionName: sessionName, webIdentityToken: token, durationSeconds: durationSeconds)
    }
}

/// Defers building a provider until first use, so a chain can check its configuration lazily
/// (a `notLoaded` thrown by `make` lets the chain move on).
struct LazyCredentialProvider: AWSCredentialProvider {
    let make: @Sendable () throws -> any AWSCredentialProvider

    func credentials() async throws -> AWSCredentials {
        try await make().credentials()
    }
}
