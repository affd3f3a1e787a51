/// An HTTP request as the SigV4 signer sees it; no I/O, no URL types.
public struct SignableRequest: Sendable {
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What the canonical request uses as the payload hash.
    public enum Payload: Sendable {
        case bytes([UInt8])
        /// A SHA-256 hex digest computed elsewhere (for a streamed or very large body).
        case precomputedSHA256(String)
        /// `UNSIGNED-PAYLOAD`; only some services accept it.
        case unsigned

        public static let empty = Payload.bytes([])
    }

    public var method: String
    /// The path exactly as sent on the wire, already percent-encoded (`/tags/arn%3Aaws%3A...`).
    public var path: String
    /// Decoded query items; send them with `SigV4Encoding.encodeQuery` so wire and signature agree.
    public var query: [QueryItem]
    /// Header fields in order; names are case-insensitive, repeated names are allowed. Must hold `Host`.
    public var headers: [(name: String, value: String)]
    public var payload: Payload

    public init(
        method: String,
        path: String,
        query: [QueryItem] = [],
        headers: [(name: String, value: String)],
        payload: Payload = .empty
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }

    /// Builds a request from a URL string (`https://host[:port]/path?query`); adds a `Host` header
    /// (with the port when one is given) unless `headers` already has one.
    public init(method: String, url: String, headers: [(name: String, value: String)] = [], payload: Payload = .empty) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let pathStart = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<pathStart]
        var pathAndQuery = rest[pathStart...]
        if let fragment = pathAndQuery.firstIndex(of: "#") { pathAndQuery = pathAndQuery[..<fragment] }
        let path: Substring
        let rawQuery: Substring
        if let mark = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<mark]
            rawQuery = pathAndQuery[pathAndQuery.index(after: mark)...]
        } else {
            path = pathAndQuery
            rawQuery = ""
        }
        var allHeaders = headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            let host = authority.split(separator: "@").last.map(String.init) ?? ""
            allHeaders.insert((name: "Host", value: host), at: 0)
        }
        self.init(
            method: method,
            path: path.isEmpty ? "/" : String(path),
            query: SigV4Encoding.parseQuery(String(rawQuery)),
            headers: allHeaders,
            payload: payload
        )
    }
}
