import Foundation

/// Splits a list response body (`{"findings": [...], "nextToken": "..."}`) into the raw bytes of each
/// element of one top-level array member, without building any JSON tree.
///
/// The whole body is checked for JSON syntax in one pass (strings with escapes and UTF-8, numbers,
/// literals, nesting up to `maximumDepth`), so malformed or truncated input is an error, never a
/// crash or a loop: every step consumes at least one byte or fails.
public enum RawJSONArraySplitter {
    public static let maximumDepth = 256

    public static func split(_ body: Data, arrayKey: String) throws(RawJSONError) -> RawJSONPage {
        let key = Array(arrayKey.utf8)
        let result: Result<(ranges: [Range<Int>], token: String?), RawJSONError> = body.withUnsafeBytes { bytes in
            var scanner = RawJSONScanner(bytes: bytes)
            do throws(RawJSONError) {
                return .success(try scanner.scanTopLevel(arrayKey: key))
            } catch {
                return .failure(error)
            }
        }
        let (ranges, token) = try result.get()
        return RawJSONPage(body: body, elementRanges: ranges, nextToken: token)
    }
}

/// The single-pass scanner behind `RawJSONArraySplitter`. Offsets are relative to the buffer start.
struct RawJSONScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private static let nextTokenKey = Array("nextToken".utf8)

    mutating func scanTopLevel(arrayKey: [UInt8]) throws(RawJSONError) -> (ranges: [Range<Int>], token: String?) {
        skipWhitespace()
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        guard bytes[position] == UInt8(ascii: "{") else { throw error(.notAnObject) }
        position += 1
        var ranges: [Range<Int>] = []
        var token: String?
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                let keyRange = try scanString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                if keyEquals(keyRange, arrayKey) {
                    ranges = try scanElements()
                } else if keyEquals(keyRange, Self.nextTokenKey) {
                    token = try scanNextToken()
                } else {
                    try scanValue(depth: 1)
                }
                skipWhitespace()
                let byte = try peek()
                position += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else { throw error(.unexpectedByte, at: position - 1) }
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingData) }
        return (ranges, token)
    }

    /// The array member's elements; `null` counts as an empty array.
    private mutating func scanElements() throws(RawJSONError) -> [Range<Int>] {
        let first = try peek()
        if first == UInt8(ascii: "n") {
            try scanLiteral("null")
            return []
        }
        guard first == UInt8(ascii: "[") else { throw error(.wrongType) }
        position += 1
        var ranges: [Range<Int>] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return ranges
        }
        while true {
            skipWhitespace()
            let start = position
            try scanValue(depth: 2)
            ranges.append(start..<position)
            skipWhitespace()
            let byte = try peek()
            position += 1
            if byte == UInt8(ascii: "]") { return ranges }
            guard byte == UInt8(ascii: ",") else { throw error(.unexpectedByte, at: position - 1) }
        }
    }

    private mutating func scanNextToken() throws(RawJSONError) -> String? {
        let first = try peek()
        if first == UInt8(ascii: "n") {
            try scanLiteral("null")
            return nil
        }
        guard first == UInt8(ascii: "\"") else { throw error(.wrongType) }
        let range = try scanString()
        return try unescape(range)
    }

    // MARK: - Values

    private mutating func scanValue(depth: Int) throws(RawJSONError) {
        guard depth <= RawJSONArraySplitter.maximumDepth else { throw error(.tooDeep) }
        switch try peek() {
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                _ = try scanString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try scanValue(depth: depth + 1)
                skipWhitespace()
                let byte = try peek()
                position += 1
                if byte == UInt8(ascii: "}") { return }
                guard byte == UInt8(ascii: ",") else { throw error(.unexpectedByte, at: position - 1) }
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if try peek() == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                try scanValue(depth: depth + 1)
                skipWhitespace()
                let byte = try peek()
                position += 1
                if byte == UInt8(ascii: "]") { return }
                guard byte == UInt8(ascii: ",") else { throw error(.unexpectedByte, at: position - 1) }
            }
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "t"):
            try scanLiteral("true")
        case UInt8(ascii: "f"):
            try scanLiteral("false")
        case UInt8(ascii: "n"):
            try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
        default:
            throw error(.unexpectedByte)
        }
    }

    /// Scans a string starting at its opening quote; returns the range of its content (no quotes).
    private mutating func scanString() throws(RawJSONError) -> Range<Int> {
        guard try peek() == UInt8(ascii: "\"") else { throw error(.unexpectedByte) }
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return start..<(position - 1)
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { throw error(.unexpectedEnd, at: bytes.count) }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= bytes.count else { throw error(.unexpectedEnd, at: bytes.count) }
                    for i in 2..<6 where hexValue(bytes[position + i]) == nil {
                        throw error(.invalidString, at: position)
                    }
                    position += 6
                default:
                    throw error(.invalidString)
                }
            case 0..<0x20:
                throw error(.invalidString)
            case 0x80...:
                position += try utf8SequenceLength(at: position)
            default:
                position += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    /// Checks the UTF-8 sequence at `index` (lead byte and continuation bytes) and returns its length.
    /// Well-formed means Unicode's table 3-7: no overlong forms, no encoded surrogates (ED A0..BF),
    /// nothing above U+10FFFF; PostgreSQL refuses those, so letting one through would fail its page
    /// in the store on every retry instead of here.
    private func utf8SequenceLength(at index: Int) throws(RawJSONError) -> Int {
        let lead = bytes[index]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: throw error(.invalidString, at: index)
        }
        guard index + length <= bytes.count else { throw error(.unexpectedEnd, at: bytes.count) }
        guard second.contains(bytes[index + 1]) else { throw error(.invalidString, at: index + 1) }
        for i in 2..<length where bytes[index + i] & 0xC0 != 0x80 {
            throw error(.invalidString, at: index + i)
        }
        return length
    }

    private mutating func scanNumber() throws(RawJSONError) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(bytes[position]) {
            skipDigits()
        } else {
            throw error(.invalidNumber)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            guard isDigit(bytes[position]) else { throw error(.invalidNumber) }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            guard isDigit(bytes[position]) else { throw error(.invalidNumber) }
            skipDigits()
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(RawJSONError) {
        let count = literal.utf8CodeUnitCount
        let text = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for i in 0..<count {
            guard position + i < bytes.count else { throw error(.unexpectedEnd, at: bytes.count) }
            guard bytes[position + i] == text[i] else { throw error(.unexpectedByte, at: position + i) }
        }
        position += count
    }

    // MARK: - Helpers

    private func peek() throws(RawJSONError) -> UInt8 {
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws(RawJSONError) {
        guard try peek() == byte else { throw error(.unexpectedByte) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Keys are compared raw; a key written with escapes is unescaped first (rare, but legal JSON).
    private func keyEquals(_ range: Range<Int>, _ key: [UInt8]) -> Bool {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if raw.elementsEqual(key) { return true }
        guard raw.contains(UInt8(ascii: "\\")), let text = try? unescape(range) else { return false }
        return Array(text.utf8) == key
    }

    /// Decodes the content of an already scanned string.
    private func unescape(_ range: Range<Int>) throws(RawJSONError) -> String {
        var scalars = String.UnicodeScalarView()
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | (hexValue(bytes[at + $1]) ?? 0) }
        }
        while i < range.upperBound {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let escaped = bytes[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var value = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(value), i + 6 <= range.upperBound, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                guard let scalar = Unicode.Scalar(value) else { throw error(.invalidString, at: i) }
                scalars.removeAll(keepingCapacity: true)
                scalars.append(scalar)
                out.append(contentsOf: String(scalars).utf8)
            default: out.append(escaped)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func error(_ code: RawJSONError.Code, at offset: Int? = nil) -> RawJSONError {
        RawJSONError(code: code, offset: offset ?? position)
    }
}
