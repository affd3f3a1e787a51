import NIOCore

/// Writes rows in PostgreSQL's COPY text format: tab-separated fields, `\N` for NULL, and the
/// backslash escapes that text format needs (backslash, tab, newline, carriage return).
///
/// Timestamps are written as epoch seconds (float8) and converted in SQL with `to_timestamp`,
/// which avoids formatting dates on the hot path.
public struct CopyTextEncoder: Sendable {
    public private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    public init(capacity: Int = 16 * 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    public var isEmpty: Bool { buffer.readableBytes == 0 }

    private mutating func separator() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    public mutating func null() {
        separator()
        buffer.writeStaticString("\\N")
    }

    public mutating func text(_ value: String?) {
        guard let value else { return null() }
        separator()
        var utf8 = value
        utf8.withUTF8 { writeEscaped($0) }
    }

    /// Raw UTF-8 bytes (for example a JSON document for a jsonb column).
    public mutating func bytes(_ value: [UInt8]?) {
        guard let value else { return null() }
        separator()
        value.withUnsafeBufferPointer { writeEscaped($0) }
    }

    public mutating func int(_ value: Int?) {
        guard let value else { return null() }
        separator()
        buffer.writeString(String(value))
    }

    public mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        separator()
        buffer.writeString(String(value))
    }

    public mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        separator()
        buffer.writeStaticString(value ? "t" : "f")
    }

    public mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<bytes.count {
            let escape: StaticString
            switch bytes[index] {
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case 0:
                // PostgreSQL text cannot hold NUL; JSON escapes it as \u0000, so only hostile input gets here.
                escape = ""
            default: continue
            }
            if index > start { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            buffer.writeStaticString(escape)
            start = index + 1
        }
        if bytes.count > start { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
    }
}
