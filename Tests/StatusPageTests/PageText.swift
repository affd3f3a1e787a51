import Foundation

/// Reads values out of the status page's HTML (as served, or as Chromium serialised its DOM) by the
/// element ids the renderer gives them.
struct PageText {
    let html: String

    /// The text of the element with this id, tags inside it removed ("<b>12</b>" -> "12").
    func text(id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        var depth = 0, result = "", index = html.index(after: open)
        while index < html.endIndex {
            if html[index] == "<" {
                let close = html[index...].firstIndex(of: ">") ?? html.endIndex
                if html[html.index(after: index)] == "/" {
                    if depth == 0 { return result }
                    depth -= 1
                } else if html[html.index(close, offsetBy: -1)] != "/" {
                    depth += 1
                }
                index = close == html.endIndex ? close : html.index(after: close)
            } else {
                result.append(html[index])
                index = html.index(after: index)
            }
        }
        return nil
    }

    func int(id: String) -> Int? { text(id: id).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// data-values of the trend line of a severity.
    func trendValues(_ severity: String) -> [Int]? {
        guard let start = html.range(of: "data-severity=\"\(severity)\" data-values=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return rest[..<end].split(separator: ",").compactMap { Int($0) }
    }

    /// Every id="…" that starts with the prefix, in page order.
    func ids(prefix: String) -> [String] {
        var result: [String] = []
        var searchFrom = html.startIndex
        let marker = "id=\"\(prefix)"
        while let found = html.range(of: marker, range: searchFrom..<html.endIndex) {
            let valueStart = html.index(found.lowerBound, offsetBy: 4)
            let end = html[valueStart...].firstIndex(of: "\"") ?? html.endIndex
            result.append(String(html[valueStart..<end]))
            searchFrom = end
        }
        return result
    }
}
