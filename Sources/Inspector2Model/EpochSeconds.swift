import Foundation

/// Timestamps travel as epoch seconds (fractions allowed, integers tolerated). The generated types
/// decode and encode them as plain numbers themselves, so they work with any coder configuration.
enum EpochSeconds {
    static func date(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: seconds)
    }

    /// Rounded to milliseconds, the precision AWS sends, so binary fractions do not leak onto the wire.
    static func seconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded() / 1000
    }
}

extension KeyedDecodingContainer {
    func decodeEpochSeconds(forKey key: Key) throws -> Date {
        EpochSeconds.date(try decode(Double.self, forKey: key))
    }

    func decodeEpochSecondsIfPresent(forKey key: Key) throws -> Date? {
        try decodeIfPresent(Double.self, forKey: key).map(EpochSeconds.date)
    }
}

extension KeyedEncodingContainer {
    mutating func encodeEpochSeconds(_ date: Date, forKey key: Key) throws {
        try encode(EpochSeconds.seconds(date), forKey: key)
    }

    mutating func encodeEpochSecondsIfPresent(_ date: Date?, forKey key: Key) throws {
        if let date {
            try encode(EpochSeconds.seconds(date), forKey: key)
        }
    }
}
