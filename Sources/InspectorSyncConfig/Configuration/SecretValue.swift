/// A secret string (webhook secret, database URL with its password, external id). Printing,
/// interpolating or dumping it shows `***`; read `.value` deliberately where the secret is used.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
