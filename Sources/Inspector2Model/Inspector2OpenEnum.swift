/// A string enumeration of the API that stays open: AWS adds values (new resource types, scan
/// types, statuses) without notice, and a sync must keep and store them instead of failing.
public protocol Inspector2OpenEnum: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String
{
    init(rawValue: String)
    /// The values botocore's model listed when this module was generated.
    static var allKnown: [Self] { get }
}

extension Inspector2OpenEnum {
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public var description: String { rawValue }

    /// Whether the value is one the model listed when this module was generated.
    public var isKnown: Bool { Self.allKnown.contains(self) }

    // Explicit so the non-failable init is used and decoding never fails on a new value.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
