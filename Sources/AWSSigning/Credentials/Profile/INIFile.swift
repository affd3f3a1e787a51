/// The INI dialect of `~/.aws/config` and `~/.aws/credentials`: `[section]` headers, `key = value`
/// properties (keys lowercased), full-line `#`/`;` comments, and indented lines after a property:
/// sub-properties (`parent.key`) when the property's value is empty, else continuation lines.
/// Values are taken verbatim (no inline comments: a secret may contain `#` or `;`).
struct INIFile: Sendable, Equatable {
    struct Section: Sendable, Equatable {
        var name: String
        var properties: [String: String]
    }

    var sections: [Section]

    static func parse(_ text: String) -> INIFile {
        var sections: [Section] = []
        var lastKey: String?
        var lastValueWasEmpty = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let indented = rawLine.first == " " || rawLine.first == "\t"
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { lastKey = nil; continue }
                let name = line[line.index(after: line.startIndex)..<close].trimmingSpaces()
                sections.append(Section(name: String(name), properties: [:]))
                lastKey = nil
                continue
            }
            guard !sections.isEmpty else { continue }
            if indented, let parent = lastKey {
                if lastValueWasEmpty, let equals = line.firstIndex(of: "=") {
                    let key = line[..<equals].trimmingSpaces().lowercased()
                    let value = line[line.index(after: equals)...].trimmingSpaces()
                    sections[sections.count - 1].properties["\(parent).\(key)"] = String(value)
                } else if !lastValueWasEmpty {
                    sections[sections.count - 1].properties[parent, default: ""] += "\n" + line
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { lastKey = nil; continue }
            let key = line[..<equals].trimmingSpaces().lowercased()
            let value = line[line.index(after: equals)...].trimmingSpaces()
            guard !key.isEmpty else { lastKey = nil; continue }
            sections[sections.count - 1].properties[key] = String(value)
            lastKey = key
            lastValueWasEmpty = value.isEmpty
        }
        return INIFile(sections: sections)
    }
}
