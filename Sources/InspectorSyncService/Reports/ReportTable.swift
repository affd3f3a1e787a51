import FindingStore
import Foundation

/// Rows of text cells with named columns, rendered as an aligned table, CSV or JSON. Pure.
public struct ReportTable: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    public var columns: [String]
    /// nil is SQL NULL.
    public var rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json()
        }
    }

    func table() -> String {
        let cells = rows.map { $0.map { $0 ?? "" } }
        var widths = columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                value.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += cells.map(line)
        lines.append("(\(rows.count) row\(rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; NULL is empty.
    func csv() -> String {
        func field(_ value: String?) -> String {
            guard let value else { return "" }
            if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return value
        }
        return ([columns.map(field).joined(separator: ",")] + rows.map { $0.map(field).joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }

    /// An array of objects with the columns in order; every value is a string or null.
    func json() -> String {
        let objects = rows.map { row in
            "{" + columns.enumerated().map { index, column in
                JSONString.quote(column) + ":" + (index < row.count ? row[index].map(JSONString.quote) ?? "null" : "null")
            }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }
}
