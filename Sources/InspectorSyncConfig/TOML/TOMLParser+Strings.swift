extension TOMLParser {
    /// `"..."`: escapes allowed, no newlines.
    mutating func parseBasicString() throws(TOMLParseError) -> String {
        position += 1
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error(.syntax, "unterminated string (expected '\"')") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error(.syntax, "unterminated string: a newline is not allowed in a single-line string (use \"\"\" for multi-line strings)")
            default:
                if Self.isForbiddenControl(byte) {
                    throw error(.encoding, "control character \(Self.scalarName(byte)) must be escaped in a string")
                }
                buffer.append(byte)
                position += 1
            }
        }
    }

    /// `'...'`: taken verbatim, no newlines.
    mutating func parseLiteralString() throws(TOMLParseError) -> String {
        position += 1
        let start = position
        while true {
            guard let byte = peek() else { throw error(.syntax, "unterminated literal string (expected \"'\")") }
            if byte == UInt8(ascii: "'") {
                position += 1
                return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw error(.syntax, "unterminated literal string: a newline is not allowed in a single-line string (use ''' for multi-line strings)")
            }
            if Self.isForbiddenControl(byte) {
                throw error(.encoding, "control character \(Self.scalarName(byte)) not allowed in a literal string")
            }
            position += 1
        }
    }

    /// `"""..."""`: escapes, newlines, line-ending backslashes; a newline right after the opening
    /// delimiter is trimmed; up to two quotes may sit just before the closing delimiter.
    mutating func parseMultilineBasicString() throws(TOMLParseError) -> String {
        try parseMultiline(quote: UInt8(ascii: "\""), escapes: true)
    }

    /// `'''...'''`: verbatim, newlines allowed.
    mutating func parseMultilineLiteralString() throws(TOMLParseError) -> String {
        try parseMultiline(quote: UInt8(ascii: "'"), escapes: false)
    }

    private mutating func parseMultiline(quote: UInt8, escapes: Bool) throws(TOMLParseError) -> String {
        position += 3
        if peek() == UInt8(ascii: "\n") || (peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            try consumeNewline()
        }
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error(.syntax, "unterminated multi-line string (expected \(quote == UInt8(ascii: "\"") ? "\"\"\"" : "'''"))")
            }
            switch byte {
            case quote:
                var run = 0
                while peek() == quote { run += 1; position += 1 }
                if run >= 3 {
                    guard run <= 5 else { throw error(.syntax, "too many quotes at the end of a multi-line string") }
                    buffer.append(contentsOf: repeatElement(quote, count: run - 3))
                    return String(decoding: buffer, as: UTF8.self)
                }
                buffer.append(contentsOf: repeatElement(quote, count: run))
            case UInt8(ascii: "\\") where escapes:
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &buffer)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                buffer.append(UInt8(ascii: "\n"))
            default:
                if Self.isForbiddenControl(byte) {
                    throw error(.encoding, "control character \(Self.scalarName(byte)) must be escaped in a string")
                }
                buffer.append(byte)
                position += 1
            }
        }
    }

    /// A backslash followed by optional whitespace and a newline trims all whitespace and newlines
    /// up to the next visible character. Returns false (consuming nothing) for an ordinary escape.
    private mutating func skipLineEndingBackslash() throws(TOMLParseError) -> Bool {
        var probe = position + 1
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "\n") || bytes[probe] == UInt8(ascii: "\r") else { return false }
        position = probe
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): position += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            default: return true
            }
        }
        return true
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(TOMLParseError) {
        guard let code = peek(1) else { throw error(.syntax, "unterminated string after '\\'") }
        switch code {
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = code == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for offset in 0..<count {
                guard let digit = peek(2 + offset).flatMap(Self.hexValue) else {
                    throw error(.invalidValue, "\\\(code == UInt8(ascii: "u") ? "u" : "U") must be followed by \(count) hexadecimal digits")
                }
                value = value << 4 | UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error(.invalidValue, "escape is not a Unicode scalar value (surrogates and values above U+10FFFF are not allowed)")
            }
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            position += 2 + count
            return
        default:
            throw error(.invalidValue, "invalid escape sequence (allowed: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)")
        }
        position += 2
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
