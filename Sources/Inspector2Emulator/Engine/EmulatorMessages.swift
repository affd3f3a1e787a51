import Foundation

/// A request as the engine sees it: transport-free, so tests drive the engine without sockets.
public struct EmulatorRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    /// The query string as received (SigV4 verification canonicalizes it itself).
    public var rawQuery: String
    /// Header names are lowercased.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: [(String, String)] = [], rawQuery: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
        self.rawQuery = rawQuery ?? query.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
        }.joined(separator: "&")
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }

    /// A JSON request signed (by credential scope only) as `accessKey` in `region`.
    public static func json(_ path: String, _ body: JSONValue = [:], method: String = "POST", accessKey: String = EmulatorConfiguration.defaultAccessKey, region: String = "us-east-1") -> EmulatorRequest {
        EmulatorRequest(method: method, path: path, headers: [
            ("content-type", "application/json"),
            ("authorization", "AWS4-HMAC-SHA256 Credential=\(accessKey)/20260101/\(region)/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"),
        ], body: body.serialized())
    }
}

public struct EmulatorResponse: Sendable {
    /// A transport-level fault the server applies while writing the response.
    public enum Fault: Sendable, Equatable { case none, reset, truncate }

    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var fault: Fault = .none
    /// Seconds to wait before answering (slow fault).
    public var delay: Double = 0

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    public var json: JSONValue? { try? JSONValue.parse(body) }
}
