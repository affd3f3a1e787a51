import Foundation

/// A request of one of the seed's actions. Its `Codable` form is exactly the HTTP body: members bound
/// to the URI or query string are not encoded (and default to empty when the body lacks them);
/// `httpPath` / `httpQueryItems` carry them, and `bindHTTP` puts them back on the server side.
public protocol Inspector2Request: Codable, Hashable, Sendable, Inspector2Validatable {
    associatedtype Response: Codable, Hashable, Sendable
    static var operation: Inspector2Operation { get }
    /// The request path with URI labels filled in and percent-encoded.
    var httpPath: String { get }
    var httpQueryItems: [URLQueryItem] { get }
    /// Sets the members bound to URI labels and query parameters (what a server received).
    mutating func bindHTTP(pathParameters: [String: String], queryItems: [URLQueryItem])
}

extension Inspector2Request {
    public var operation: Inspector2Operation { Self.operation }
    public var httpPath: String { Self.operation.requestURI }
    public var httpQueryItems: [URLQueryItem] { [] }
    public mutating func bindHTTP(pathParameters: [String: String], queryItems: [URLQueryItem]) {}
}
