import Foundation

/// Just enough XML for STS answers: elements, text, the five entities and numeric references.
/// Namespace prefixes are dropped, attributes ignored, CDATA kept as text. Not a general parser.
struct MiniXML: Sendable {
    final class Element: @unchecked Sendable {
        let name: String
        var children: [Element] = []
        var text = ""

        init(name: String) { self.name = name }

        func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// Follows a path of child names.
        func find(_ path: String...) -> Element? {
            var element: Element? = self
            for name in path { element = element?.child(name) }
            return element
        }

        var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    static func parse(_ bytes: [UInt8]) -> Element? {
        let s = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var index = 0
        var stack: [Element] = []
        var root: Element?
        func startsWith(_ literal: String) -> Bool {
            let scalars = Array(literal.unicodeScalars)
            return index + scalars.count <= s.count && Array(s[index..<index + scalars.count]) == scalars
        }
        func skip(past literal: String) {
            let scalars = Array(literal.unicodeScalars)
            while index < s.count {
                if index + scalars.count <= s.count, Array(s[index..<index + scalars.count]) == scalars {
                    index += scalars.count
                    return
                }
                index += 1
            }
        }
        while index < s.count {
            if s[index] == "<" {
                if startsWith("<?") { skip(past: "?>"); continue }
                if startsWith("<!--") { skip(past: "-->"); continue }
                if startsWith("<![CDATA[") {
                    index += 9
                    let start = index
                    skip(past: "]]>")
                    if let top = stack.last {
                        var scalarView = String.UnicodeScalarView()
                        scalarView.append(contentsOf: s[start..<max(start, index - 3)])
                        top.text += String(scalarView)
                    }
                    continue
                }
                if startsWith("<!") { skip(past: ">"); continue }
                let start = index + 1
                skip(past: ">")
                guard index - 1 >= start else { return nil }
                var tag = String.UnicodeScalarView()
                tag.append(contentsOf: s[start..<index - 1])
                var tagText = String(tag)
                if tagText.hasPrefix("/") {
                    guard let closed = stack.popLast() else { return nil }
                    if stack.isEmpty { root = closed }
                    continue
                }
                let selfClosing = tagText.hasSuffix("/")
                if selfClosing { tagText.removeLast() }
                let rawName = tagText.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
                let name = rawName.split(separator: ":").last.map(String.init) ?? rawName
                let element = Element(name: name)
                if let parent = stack.last { parent.children.append(element) }
                if selfClosing {
                    if stack.isEmpty { root = element }
                } else {
                    stack.append(element)
                }
            } else {
                let start = index
                while index < s.count, s[index] != "<" { index += 1 }
                var raw = String.UnicodeScalarView()
                raw.append(contentsOf: s[start..<index])
                stack.last?.text += decodeEntities(String(raw))
            }
        }
        return stack.isEmpty ? root : nil
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                out += scalar.map { String(Character($0)) } ?? "&\(entity);"
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
