/// A coding key for any member name (unions read whichever member is set).
struct Inspector2AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) {
        self.stringValue = stringValue
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}

/// The keys of a structure without members: it still encodes as `{}`.
enum Inspector2NoKeys: CodingKey {}
