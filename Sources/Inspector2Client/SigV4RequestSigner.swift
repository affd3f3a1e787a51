import AWSSigning
import Foundation
import NIOHTTP1

/// Production signing: SigV4 for service `inspector2` in the client's region, with credentials
/// fetched from the provider for every attempt (providers cache and refresh temporary ones).
public struct SigV4RequestSigner: RequestSigning {
    public let credentialProvider: any AWSCredentialProvider
    public let region: String
    public let service: String

    public init(credentialProvider: any AWSCredentialProvider, region: String, service: String = "inspector2") {
        self.credentialProvider = credentialProvider
        self.region = region
        self.service = service
    }

    public func sign(_ request: inout PreparedRequest, at date: Date) async throws {
        let credentials = try await credentialProvider.credentials()
        let signer = SigV4Signer(credentials: credentials, region: region, service: service)
        let signable = AWSSigning.SignableRequest(
            method: request.method,
            path: request.encodedPath,
            query: request.query.map { .init(name: $0.name, value: $0.value) },
            headers: request.headers.map { (name: $0.name, value: $0.value) },
            payload: .bytes(request.body)
        )
        request.headers = HTTPHeaders(signer.signedHeaders(for: signable, date: date).map { ($0.name, $0.value) })
    }
}

extension Inspector2ClientConfiguration {
    /// The usual production setup: SigV4 with credentials from `credentialProvider`
    /// (e.g. the default chain or a per-account AssumeRole provider).
    public init(
        region: String,
        credentialProvider: any AWSCredentialProvider,
        endpoint: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        retryPolicy: RetryPolicy = .standard,
        rateLimiter: ClientRateLimiter? = nil,
        requestTimeout: Duration = .seconds(30)
    ) {
        self.init(
            region: region,
            signer: SigV4RequestSigner(credentialProvider: credentialProvider, region: region),
            endpoint: endpoint,
            environment: environment,
            retryPolicy: retryPolicy,
            rateLimiter: rateLimiter,
            requestTimeout: requestTimeout
        )
    }
}
