@testable import InspectorSyncConfig

/// A compact, line-free rendering of a parsed document for assertions:
/// `{a:1,b:"x",c:[1,2],d:{e:true}}` (keys in document order, floats with `f`).
func render(_ table: TOMLTable) -> String {
    "{" + table.entries.map { "\($0.key):\(render($0.value))" }.joined(separator: ",") + "}"
}

func render(_ value: TOMLValue) -> String {
    switch value.kind {
    case .string(let text): "\"\(text)\""
    case .integer(let number): "\(number)"
    case .float(let number): "\(number)f"
    case .boolean(let flag): "\(flag)"
    case .dateTime(let dateTime): "@\(dateTime)"
    case .array(let elements): "[" + elements.map(render).joined(separator: ",") + "]"
    case .table(let table): render(table)
    }
}

func parse(_ text: String) throws -> String {
    render(try TOMLParser.parse(text))
}

func parseError(_ text: String) -> TOMLParseError? {
    do {
        _ = try TOMLParser.parse(text)
        return nil
    } catch {
        return error
    }
}
