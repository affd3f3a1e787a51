import Foundation
import Logging

/// Everything a client needs besides the shared HTTP client.
public struct Inspector2ClientConfiguration: Sendable {
    /// The region requests go to and are signed for.
    public var region: String
    /// An endpoint URL that wins over the environment and the default host (`[aws] endpoint_url`).
    public var endpoint: String?
    /// The environment consulted for `AWS_ENDPOINT_URL_INSPECTOR2` / `AWS_ENDPOINT_URL`.
    /// Injected so configuration layers and tests decide what the client sees.
    public var environment: [String: String]
    /// Signs each attempt (SigV4 with credentials from a provider in production).
    public var signer: any RequestSigning
    public var retryPolicy: RetryPolicy
    /// Shared per (account, region) limiter (see `RateLimiterRegistry`); nil disables limiting.
    public var rateLimiter: ClientRateLimiter?
    /// Covers one attempt: connect, send, the whole response body.
    public var requestTimeout: Duration
    /// Cap on one response body (a ListFindings page of 100 large findings is a few MB).
    public var maxResponseBytes: Int
    /// Check requests with the model's validator before sending.
    public var validateRequests: Bool
    public var logger: Logger
    /// Uniform in [0, 1): the retry jitter. Injected for deterministic tests.
    public var jitter: @Sendable () -> Double
    /// Sleeps between retries. Injected so tests can record delays instead of waiting.
    public var sleep: @Sendable (Duration) async throws -> Void
    public var userAgent: String

    public init(
        region: String,
        signer: any RequestSigning,
        endpoint: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        retryPolicy: RetryPolicy = .standard,
        rateLimiter: ClientRateLimiter? = nil,
        requestTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 64 << 20,
        validateRequests: Bool = true,
        logger: Logger = Logger(label: "inspector2.client"),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        userAgent: String = "inspector-sync/1 Inspector2Client"
    ) {
        self.region = region
        self.signer = signer
        self.endpoint = endpoint
        self.environment = environment
        self.retryPolicy = retryPolicy
        self.rateLimiter = rateLimiter
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.validateRequests = validateRequests
        self.logger = logger
        self.jitter = jitter
        self.sleep = sleep
        self.userAgent = userAgent
    }
}
