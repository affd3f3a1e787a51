import Foundation

/// A TOML 1.0 parser producing a `TOMLValue` tree in which every value remembers its line.
///
/// Hand-written on bytes (the input is validated as UTF-8 first) so it has no dependencies and a
/// predictable cost: each byte is looked at a bounded number of times and nesting is capped, so
/// hostile input ends in an error, never a crash or a loop.
public struct TOMLParser {
    /// Arrays and inline tables nested deeper than this are rejected (protects the stack).
    public static let maximumNesting = 100

    var bytes: [UInt8]
    var position = 0
    var line = 1
    var lineStart = 0
    var builder = TOMLTableBuilder()

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public static func parse(_ text: String) throws(TOMLParseError) -> TOMLTable {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws(TOMLParseError) -> TOMLTable {
        var parser = TOMLParser(bytes: bytes)
        try parser.validateEncoding()
        try parser.parseDocument()
        return parser.builder.root.table()
    }

    // MARK: Document structure

    mutating func parseDocument() throws(TOMLParseError) {
        // A byte order mark is allowed before the first character.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
        while position < bytes.count {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "["):
                try parseTableHeader()
            default:
                try parseKeyValue(into: builder.current, section: builder.section)
            }
            try expectEndOfLine()
        }
    }

    mutating func parseTableHeader() throws(TOMLParseError) {
        let start = mark()
        position += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipWhitespace()
        let key = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "]") else {
            throw error(.syntax, isArray ? "expected ']]' to close the array of tables header" : "expected ']' to close the table header")
        }
        position += 1
        if isArray {
            guard peek() == UInt8(ascii: "]") else { throw error(.syntax, "expected ']]' to close the array of tables header") }
            position += 1
            try builder.openArrayOfTables(key, line: start.line, at: start.error(in: self))
        } else {
            try builder.openTable(key, line: start.line, at: start.error(in: self))
        }
    }

    mutating func parseKeyValue(into table: TOMLTableBuilder.Node, section: Int, depth: Int = 0) throws(TOMLParseError) {
        let start = mark()
        let key = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else {
            // The "key" is not named: a bare word on its own line is as likely a pasted secret.
            throw error(.syntax, "expected '=' after the key")
        }
        position += 1
        skipWhitespace()
        let value = try parseValue(depth: depth)
        try builder.insert(value, at: key, in: table, section: section, at: start.error(in: self))
    }

    /// After a key/value pair or a header: optional whitespace and comment, then a newline or the end.
    mutating func expectEndOfLine() throws(TOMLParseError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            try consumeNewline()
        } else {
            throw error(.syntax, "expected a newline after the value (a key/value pair or table header must be alone on its line)")
        }
    }

    // MARK: Keys

    mutating func parseKey() throws(TOMLParseError) -> [String] {
        var parts = [try parseSimpleKey()]
        while true {
            let save = (position, line, lineStart)
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { (position, line, lineStart) = save; return parts }
            position += 1
            skipWhitespace()
            parts.append(try parseSimpleKey())
        }
    }

    mutating func parseSimpleKey() throws(TOMLParseError) -> String {
        guard let byte = peek() else { throw error(.syntax, "expected a key") }
        if byte == UInt8(ascii: "\"") {
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                throw error(.syntax, "a multi-line string cannot be a key")
            }
            return try parseBasicString()
        }
        if byte == UInt8(ascii: "'") {
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                throw error(.syntax, "a multi-line string cannot be a key")
            }
            return try parseLiteralString()
        }
        let start = position
        while let byte = peek(), Self.isBareKeyByte(byte) { position += 1 }
        guard position > start else {
            throw error(.syntax, "expected a key (letters, digits, '_' and '-', or a quoted string)")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(TOMLParseError) -> TOMLValue {
        let valueLine = line
        guard let byte = peek() else { throw error(.syntax, "expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                return TOMLValue(.string(try parseMultilineBasicString()), line: valueLine)
            }
            return TOMLValue(.string(try parseBasicString()), line: valueLine)
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                return TOMLValue(.string(try parseMultilineLiteralString()), line: valueLine)
            }
            return TOMLValue(.string(try parseLiteralString()), line: valueLine)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matches("true") { position += 4; return TOMLValue(.boolean(true), line: valueLine) }
            if matches("false") { position += 5; return TOMLValue(.boolean(false), line: valueLine) }
            throw error(.syntax, "expected a value (booleans are lower-case true or false; strings need quotes)")
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "{"):
            return try parseInlineTable(depth: depth + 1)
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw error(.syntax, "expected a value on the same line as '='")
        default:
            if Self.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "n")
            {
                return try parseNumberOrDateTime()
            }
            throw error(.syntax, "expected a value (string, number, boolean, date-time, array or inline table; strings need quotes)")
        }
    }

    mutating func parseArray(depth: Int) throws(TOMLParseError) -> TOMLValue {
        let arrayLine = line
        guard depth <= Self.maximumNesting else { throw error(.syntax, "arrays and inline tables are nested too deeply") }
        position += 1
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceNewlinesAndComments()
            guard let byte = peek() else { throw error(.syntax, "unterminated array (expected ']')") }
            if byte == UInt8(ascii: "]") { position += 1; break }
            elements.append(try parseValue(depth: depth))
            try skipWhitespaceNewlinesAndComments()
            guard let next = peek() else { throw error(.syntax, "unterminated array (expected ']')") }
            if next == UInt8(ascii: ",") {
                position += 1
            } else if next == UInt8(ascii: "]") {
                position += 1
                break
            } else {
                throw error(.syntax, "expected ',' or ']' after an array element")
            }
        }
        return TOMLValue(.array(elements), line: arrayLine)
    }

    mutating func parseInlineTable(depth: Int) throws(TOMLParseError) -> TOMLValue {
        let tableLine = line
        guard depth <= Self.maximumNesting else { throw error(.syntax, "arrays and inline tables are nested too deeply") }
        position += 1
        let node = TOMLTableBuilder.Node(origin: .inline, line: tableLine)
        let section = builder.newSection()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return TOMLValue(.table(node.table()), line: tableLine)
        }
        while true {
            skipWhitespace()
            try rejectNewlineInInlineTable()
            if peek() == UInt8(ascii: "}") { throw error(.syntax, "trailing comma not allowed in an inline table") }
            try parseKeyValue(into: node, section: section, depth: depth)
            skipWhitespace()
            try rejectNewlineInInlineTable()
            guard let byte = peek() else { throw error(.syntax, "unterminated inline table (expected '}')") }
            if byte == UInt8(ascii: ",") {
                position += 1
            } else if byte == UInt8(ascii: "}") {
                position += 1
                break
            } else {
                throw error(.syntax, "expected ',' or '}' after a key/value pair in an inline table")
            }
        }
        return TOMLValue(.table(node.table()), line: tableLine)
    }

    func rejectNewlineInInlineTable() throws(TOMLParseError) {
        switch peek() {
        case nil: throw error(.syntax, "unterminated inline table (expected '}')")
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw error(.syntax, "an inline table must be on a single line (use a [table] for longer ones)")
        default: return
        }
    }

    // MARK: Lexical helpers

    func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return bytes[position..<(position + utf8.count)].elementsEqual(utf8)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { position += 1 }
    }

    mutating func skipWhitespaceNewlinesAndComments() throws(TOMLParseError) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): position += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "#"): try skipComment()
            default: return
            }
        }
    }

    mutating func skipComment() throws(TOMLParseError) {
        position += 1
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { return }
            if Self.isForbiddenControl(byte) { throw error(.encoding, "control character \(Self.scalarName(byte)) not allowed in a comment") }
            position += 1
        }
    }

    /// Consumes LF or CRLF; a lone CR is not a TOML newline.
    mutating func consumeNewline() throws(TOMLParseError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else { throw error(.syntax, "a carriage return must be followed by a line feed") }
            position += 1
        }
        position += 1
        line += 1
        lineStart = position
    }

    /// Control characters other than tab (newlines are handled by the caller).
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    static func scalarName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    // MARK: Positions and errors

    struct Mark {
        var position: Int
        var line: Int
        var lineStart: Int

        func error(in parser: TOMLParser) -> TOMLTableBuilder.Location {
            TOMLTableBuilder.Location(line: line, column: parser.column(of: position, lineStart: lineStart))
        }
    }

    func mark() -> Mark { Mark(position: position, line: line, lineStart: lineStart) }

    /// 1-based column in characters: UTF-8 continuation bytes do not count.
    func column(of index: Int, lineStart: Int) -> Int {
        let end = min(index, bytes.count)
        guard lineStart < end else { return 1 }
        return bytes[lineStart..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
    }

    func error(_ code: TOMLParseError.Code, _ message: String) -> TOMLParseError {
        TOMLParseError(code: code, line: line, column: column(of: position, lineStart: lineStart), message: message)
    }

    /// Rejects invalid UTF-8 up front so the rest of the parser can copy bytes freely.
    mutating func validateEncoding() throws(TOMLParseError) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0x00...0x7F: length = 1; minimum = 0; scalar = UInt32(byte)
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(byte & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(byte & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(byte & 0x07)
            default: length = 0; minimum = 0; scalar = 0
            }
            var valid = length > 0 && index + length <= bytes.count
            if valid {
                for offset in 1..<max(length, 1) {
                    let continuation = bytes[index + offset]
                    if continuation & 0xC0 != 0x80 { valid = false; break }
                    scalar = scalar << 6 | UInt32(continuation & 0x3F)
                }
            }
            if valid, length > 1 {
                valid = scalar >= minimum && scalar <= 0x10FFFF && !(0xD800...0xDFFF).contains(scalar)
            }
            if !valid {
                position = index
                // Recompute line for the message; this is the error path only.
                line = 1 + bytes[0..<index].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                lineStart = (bytes[0..<index].lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
                throw error(.encoding, "the document is not valid UTF-8")
            }
            index += length
        }
    }
}

/// Renders key paths the way they would be written in TOML, for messages.
enum TOMLKey {
    static func render(_ path: [String]) -> String {
        path.map { part in
            if !part.isEmpty, part.utf8.allSatisfy(TOMLParser.isBareKeyByte) { return part }
            return "\"" + part.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ".")
    }
}
