import Foundation

/// A minimal HTTP request for the credential sources (IMDS, ECS, STS), so this module needs no
/// HTTP client; `AWSSigningHTTP.AsyncHTTPClientCredentialTransport` is the production one.
public struct CredentialHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: TimeInterval

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [], timeout: TimeInterval = 5) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct CredentialHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

public protocol CredentialHTTPTransport: Sendable {
    /// Sends the request; throws only when no response arrived (connect failure, timeout).
    func send(_ request: CredentialHTTPRequest) async throws -> CredentialHTTPResponse
}
