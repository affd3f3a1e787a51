import Foundation
import NIOHTTP1

/// A request as the signer sees it: final method, host, encoded path and query, headers and body.
public struct PreparedRequest: Sendable {
    public var method: String
    /// `Host` header value (host plus non-default port).
    public var host: String
    /// Percent-encoded path, starting with `/`.
    public var encodedPath: String
    /// Query parameters, unencoded, in send order (repeated names allowed).
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, host: String, encodedPath: String, query: [(name: String, value: String)], headers: HTTPHeaders, body: [UInt8]) {
        self.method = method
        self.host = host
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// Adds authentication headers to a request just before each attempt (so every retry carries a
/// fresh `X-Amz-Date` and, when credentials rotate, fresh keys).
public protocol RequestSigning: Sendable {
    func sign(_ request: inout PreparedRequest, at date: Date) async throws
}
