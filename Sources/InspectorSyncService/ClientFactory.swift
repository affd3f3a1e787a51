import AWSSigning
import AWSSigningHTTP
import FindingStore
import Foundation
import Inspector2Client
import InspectorSyncConfig
import Logging

/// Builds the Inspector client of each target: the configured endpoint and retries, a rate limiter
/// per (account, region), and the credentials of the account (the default chain, or a role assumed
/// from it for a static account with `role_arn`). Credentials are cached per account and refreshed
/// before they expire.
public final class ClientFactory: Sendable {
    public let configuration: InspectorSyncConfiguration
    public let environment: [String: String]
    let baseCredentials: any AWSCredentialProvider
    let context: CredentialProviderContext
    let limiters: RateLimiterRegistry
    let roleProviders: [String: any AWSCredentialProvider]
    let logger: Logger

    public init(configuration: InspectorSyncConfiguration, environment: [String: String], logger: Logger) throws {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        var context = CredentialProviderContext.live(transport: AsyncHTTPClientCredentialTransport(client: .shared), logger: logger)
        context.variables = environment
        self.context = context
        let region = configuration.aws.regions.first
        baseCredentials = DefaultCredentialChain.make(context: context, profile: configuration.aws.profile, region: region)
        limiters = RateLimiterRegistry(configuration: .init(maximumRate: configuration.aws.maxRequestsPerSecond))
        var roles: [String: any AWSCredentialProvider] = [:]
        for account in configuration.accounts {
            guard let roleARN = account.roleARN else { continue }
            roles[account.id] = try AssumeRoleCredentialProvider(
                source: baseCredentials, roleArn: roleARN, sessionName: account.sessionName ?? "inspector-sync",
                externalId: account.externalID?.value, region: region ?? "us-east-1", context: context
            ).cached()
        }
        roleProviders = roles
    }

    /// The client for one target.
    public func client(for target: SyncTarget) throws -> Inspector2Client {
        try makeClient(region: target.region, credentials: roleProviders[target.accountId] ?? baseCredentials,
                       limiter: limiters.limiter(account: target.accountId, region: target.region))
    }

    /// The configured credentials' own client (discovery, doctor).
    public func adminClient(region: String) async throws -> Inspector2Client {
        try makeClient(region: region, credentials: baseCredentials, limiter: nil)
    }

    func makeClient(region: String, credentials: any AWSCredentialProvider, limiter: ClientRateLimiter?) throws -> Inspector2Client {
        var clientLogger = logger
        clientLogger[metadataKey: "aws.region"] = "\(region)"
        return try Inspector2Client(configuration: Inspector2ClientConfiguration(
            region: region,
            signer: SigV4RequestSigner(credentialProvider: credentials, region: region),
            endpoint: configuration.aws.endpointURL?.absoluteString,
            environment: environment,
            retryPolicy: RetryPolicy(maxAttempts: configuration.aws.maxAttempts),
            rateLimiter: limiter,
            requestTimeout: configuration.aws.requestTimeout,
            logger: clientLogger
        ))
    }
}
