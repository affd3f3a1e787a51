import Logging
import NIOCore
import PostgresNIO

/// Writes staging rows as one JSON array of objects, loaded with
/// `INSERT INTO stage_x SELECT * FROM json_populate_recordset(NULL::stage_x, $1)`.
///
/// Why not COPY: postgres-nio 1.33's COPY FROM can trap (`Copy mode is only supported for extended
/// queries`) or wait for ever when the server restarts in the middle of it, and the daemon must
/// ride PostgreSQL restarts out. One bound parameter fails like any other query.
///
/// Same calls as `CopyTextEncoder`, in column order; `bytes` takes a JSON document (a finding as
/// the API sent it) and embeds it as is. Timestamps are epoch seconds, converted in SQL.
public struct StageRowsEncoder: Sendable {
    public private(set) var buffer: ByteBuffer
    private let keys: [String]
    private var column = 0
    private var rows = 0

    public init(columns: [String], capacity: Int = 16 * 1024) {
        keys = columns.map { JSONString.quote($0) + ":" }
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        buffer.writeInteger(UInt8(ascii: "["))
    }

    public var isEmpty: Bool { rows == 0 && column == 0 }

    /// The finished JSON text.
    public var json: String {
        var copy = buffer
        copy.writeInteger(UInt8(ascii: "]"))
        return String(buffer: copy)
    }

    private mutating func key() {
        precondition(column < keys.count, "more fields than columns")
        if column == 0 {
            if rows > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeInteger(UInt8(ascii: "{"))
        } else {
            buffer.writeInteger(UInt8(ascii: ","))
        }
        buffer.writeString(keys[column])
        column += 1
    }

    public mutating func null() {
        key()
        buffer.writeStaticString("null")
    }

    public mutating func text(_ value: String?) {
        guard let value else { return null() }
        key()
        buffer.writeString(JSONString.quote(value))
    }

    /// A JSON document, embedded as is (it came from a JSON parser: the API's response).
    public mutating func bytes(_ value: [UInt8]?) {
        guard let value, !value.isEmpty else { return null() }
        key()
        buffer.writeBytes(value)
    }

    public mutating func int(_ value: Int?) {
        guard let value else { return null() }
        key()
        buffer.writeString(String(value))
    }

    public mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        key()
        buffer.writeString(String(value))
    }

    public mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        key()
        buffer.writeStaticString(value ? "true" : "false")
    }

    public mutating func endRow() {
        precondition(column == keys.count, "a row needs every column")
        buffer.writeInteger(UInt8(ascii: "}"))
        column = 0
        rows += 1
    }
}

extension PostgresConnection {
    /// Loads the rows of `encoder` into the temporary table `table` (its columns, in order).
    func loadStage(_ table: String, _ encoder: StageRowsEncoder, logger: Logger) async throws {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(encoder.json)
        try await query(
            PostgresQuery(unsafeSQL: "INSERT INTO pg_temp.\(table) SELECT * FROM json_populate_recordset(NULL::pg_temp.\(table), $1::json)", binds: bindings),
            logger: logger
        )
    }
}
