/// A parsed TOML value and the (1-based) line it starts on, so configuration problems can point at it.
public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case dateTime(TOMLDateTime)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// The TOML name of the value's type, for messages ("expected a string, got integer").
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }

    public var string: String? { if case .string(let value) = kind { value } else { nil } }
    public var integer: Int64? { if case .integer(let value) = kind { value } else { nil } }
    public var float: Double? { if case .float(let value) = kind { value } else { nil } }
    public var boolean: Bool? { if case .boolean(let value) = kind { value } else { nil } }
    public var dateTime: TOMLDateTime? { if case .dateTime(let value) = kind { value } else { nil } }
    public var array: [TOMLValue]? { if case .array(let value) = kind { value } else { nil } }
    public var table: TOMLTable? { if case .table(let value) = kind { value } else { nil } }
}

/// A TOML table: keys in document order, each with its value.
public struct TOMLTable: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Entries in document order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.map { ($0, storage[$0]!) }
    }
}

/// An offset date-time, local date-time, local date or local time. Kept as parsed; the daemon's
/// configuration does not use them, but a correct parser must accept them.
public struct TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    public struct LocalDate: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
    }

    public struct LocalTime: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var nanosecond: Int
    }

    public var date: LocalDate?
    public var time: LocalTime?
    /// Offset from UTC in minutes; nil for local date-times, dates and times.
    public var offsetMinutes: Int?

    public init(date: LocalDate?, time: LocalTime?, offsetMinutes: Int?) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// RFC 3339 form (`T` separator, `Z` for a zero offset, fraction trimmed of trailing zeros).
    public var description: String {
        var parts = ""
        if let date {
            parts += pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
        }
        if let time {
            if date != nil { parts += "T" }
            parts += pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
            if time.nanosecond > 0 {
                var fraction = pad(time.nanosecond, 9)
                while fraction.hasSuffix("0") { fraction.removeLast() }
                parts += "." + fraction
            }
        }
        if let offsetMinutes {
            if offsetMinutes == 0 {
                parts += "Z"
            } else {
                let magnitude = abs(offsetMinutes)
                parts += (offsetMinutes < 0 ? "-" : "+") + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
            }
        }
        return parts
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
