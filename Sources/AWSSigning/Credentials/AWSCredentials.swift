import Foundation

/// An access key pair with an optional session token and expiry. Its `description` shows the
/// access key id only; the secret and the token never appear in text output.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
        if sessionToken != nil { text += ", sessionToken: <redacted>" }
        if let expiration { text += ", expiration: \(AmzDate.formatISO8601(expiration))" }
        return text + ")"
    }

    public var debugDescription: String { description }
}

extension AWSCredentials: CustomReflectable {
    /// Keeps `dump()` and string interpolation of containers from printing the secret.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": accessKeyId,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            "expiration": expiration.map(AmzDate.formatISO8601) ?? "nil",
        ])
    }
}
