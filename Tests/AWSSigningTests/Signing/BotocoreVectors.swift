import Foundation

/// Reference signatures made by botocore's SigV4Auth (scripts/gen-sigv4-vectors.py).
struct BotocoreVector: Decodable, CustomStringConvertible, Sendable {
    struct Expected: Decodable, Sendable {
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        let amzDate: String
        let securityToken: String?
    }

    let name: String
    let service: String
    let region: String
    let accessKeyId: String
    let secretAccessKey: String
    let sessionToken: String?
    let date: String
    let method: String
    let url: String
    let headers: [[String]]
    let bodyBase64: String
    let expected: Expected

    var description: String { name }
    var body: [UInt8] { Array(Data(base64Encoded: bodyBase64)!) }
    var headerFields: [(name: String, value: String)] { headers.map { ($0[0], $0[1]) } }

    /// Path and raw query as they appear in `url`.
    var pathAndQuery: (path: String, query: String) {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        if let mark = target.firstIndex(of: "?") {
            return (String(target[..<mark]), String(target[target.index(after: mark)...]))
        }
        return (String(target), "")
    }

    static func all() throws -> [BotocoreVector] {
        struct File: Decodable { let vectors: [BotocoreVector] }
        let url = testResourcesDirectory.appendingPathComponent("botocore-vectors.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
    }
}
