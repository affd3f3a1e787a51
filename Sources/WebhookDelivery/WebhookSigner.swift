import Crypto
import Foundation

/// Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
/// one `v1,…` per secret (space separated) while a secret is being rotated. Pure.
public struct WebhookSigner: Sendable {
    /// The decoded secrets (SymmetricKey is not Sendable; a key is made per signature).
    private let keys: [Data]

    /// `secrets` are `whsec_<base64>` (the prefix is optional, as in the reference libraries).
    public init(secrets: [String]) throws {
        keys = try secrets.map { secret in
            let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else {
                throw WebhookError(.invalidSecret, "a webhook secret is not \"whsec_\" followed by base64")
            }
            return bytes
        }
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The `webhook-signature` header value, nil without secrets.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String? {
        guard !keys.isEmpty else { return nil }
        var content = Array("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return keys.map { key in
            let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The three Standard Webhooks headers for one attempt (the timestamp is the attempt's).
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(String, String)] {
        var headers = [("webhook-id", id), ("webhook-timestamp", String(timestamp))]
        if let signature = signature(id: id, timestamp: timestamp, body: body) {
            headers.append(("webhook-signature", signature))
        }
        return headers
    }
}
