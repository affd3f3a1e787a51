import Crypto
import Foundation

/// Opaque `nextToken`s bound to their query: base64 of an offset and a digest of the request without
/// `nextToken`/`maxResults` (plus action, region and caller). A token reused with another query fails.
struct PageToken: Sendable, Equatable {
    var offset: Int
    var queryHash: String

    /// The digest of a request, canonicalized (sorted keys) and scoped to action, region and caller.
    static func queryHash(action: String, region: String, caller: String, request: JSONValue) -> String {
        var bytes = Array("\(action)|\(region)|\(caller)|".utf8)
        bytes += request.removing(["nextToken", "maxResults"]).serialized(sortedKeys: true)
        return SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    var encoded: String {
        Data("v1:\(offset):\(queryHash)".utf8).base64EncodedString()
    }

    /// Decodes a token and checks it belongs to `queryHash`; anything else is AWS's ValidationException.
    static func decode(_ token: String?, expecting queryHash: String) throws -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: token),
              case let parts = String(decoding: data, as: UTF8.self).split(separator: ":"),
              parts.count == 3, parts[0] == "v1", let offset = Int(parts[1]), offset >= 0
        else {
            throw AWSError(.validation, "The provided nextToken is not valid.", reason: "FIELD_VALIDATION_FAILED",
                           fields: [.init(name: "nextToken", message: "The provided nextToken is not valid.")])
        }
        guard parts[2] == queryHash else {
            throw AWSError(.validation, "The nextToken does not match the request parameters it was issued for.",
                           reason: "FIELD_VALIDATION_FAILED",
                           fields: [.init(name: "nextToken", message: "The nextToken does not match the request parameters it was issued for.")])
        }
        return offset
    }
}
