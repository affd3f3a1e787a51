/// Finds the array under a top-level key of a JSON object and returns each element's bytes
/// exactly as sent, without re-encoding (the store keeps findings as the API gave them).
/// A small scanner: it tracks strings (with escapes) and nesting only, so it is linear and
/// allocation-light. It assumes well-formed JSON; the typed decode of the same body runs too
/// and rejects anything malformed.
enum RawJSONArray {
    /// Element byte ranges of `object[key]`; nil when the key is absent or not an array, [] for `[]`.
    static func elements(ofKey key: String, in body: [UInt8]) -> [[UInt8]]? {
        guard let ranges = elementRanges(ofKey: key, in: body) else { return nil }
        return ranges.map { Array(body[$0]) }
    }

    static func elementRanges(ofKey key: String, in body: [UInt8]) -> [Range<Int>]? {
        var i = skipSpace(body, 0)
        guard i < body.count, body[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        let wanted = Array(key.utf8)
        while true {
            i = skipSpace(body, i)
            guard i < body.count else { return nil }
            if body[i] == UInt8(ascii: "}") { return nil }
            if body[i] == UInt8(ascii: ",") { i += 1; continue }
            guard body[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            guard let keyEnd = endOfString(body, i) else { return nil }
            // Keys with escapes never equal our plain ASCII keys, so a byte compare is enough.
            let isWanted = Array(body[keyStart..<(keyEnd - 1)]) == wanted
            i = skipSpace(body, keyEnd)
            guard i < body.count, body[i] == UInt8(ascii: ":") else { return nil }
            i = skipSpace(body, i + 1)
            guard i < body.count else { return nil }
            if isWanted {
                guard body[i] == UInt8(ascii: "[") else { return nil }
                return splitArray(body, i)
            }
            guard let next = endOfValue(body, i) else { return nil }
            i = next
        }
    }

    private static func splitArray(_ b: [UInt8], _ open: Int) -> [Range<Int>]? {
        var ranges: [Range<Int>] = []
        var i = skipSpace(b, open + 1)
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "]") { return [] }
        while i < b.count {
            let start = i
            guard let end = endOfValue(b, i) else { return nil }
            ranges.append(start..<end)
            i = skipSpace(b, end)
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "]") { return ranges }
            guard b[i] == UInt8(ascii: ",") else { return nil }
            i = skipSpace(b, i + 1)
        }
        return nil
    }

    /// Index just past the value starting at `i`.
    private static func endOfValue(_ b: [UInt8], _ i: Int) -> Int? {
        guard i < b.count else { return nil }
        switch b[i] {
        case UInt8(ascii: "\""):
            return endOfString(b, i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var j = i
            while j < b.count {
                switch b[j] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(b, j) else { return nil }
                    j = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default:
                    break
                }
                j += 1
            }
            return nil
        default:
            // number, true, false, null
            var j = i
            while j < b.count, !isDelimiter(b[j]) { j += 1 }
            return j > i ? j : nil
        }
    }

    /// Index just past the closing quote of the string opening at `i`.
    private static func endOfString(_ b: [UInt8], _ i: Int) -> Int? {
        var j = i + 1
        while j < b.count {
            if b[j] == UInt8(ascii: "\\") { j += 2; continue }
            if b[j] == UInt8(ascii: "\"") { return j + 1 }
            j += 1
        }
        return nil
    }

    private static func isDelimiter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || isSpace(c)
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    private static func skipSpace(_ b: [UInt8], _ i: Int) -> Int {
        var j = i
        while j < b.count, isSpace(b[j]) { j += 1 }
        return j
    }
}
