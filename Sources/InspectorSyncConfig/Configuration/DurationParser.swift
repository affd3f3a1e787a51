/// Durations as written in the configuration: `"30s"`, `"5m"`, `"1h30m"`, `"500ms"`, `"5d"`, `"0s"`.
///
/// A sequence of whole numbers each followed by a unit (`ms`, `s`, `m`, `h`, `d`); no sign, so a
/// negative duration cannot be written.
public enum DurationParser {
    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    public static func parse(_ text: String) -> Duration? {
        let characters = Array(text.trimmingASCIIWhitespace())
        guard !characters.isEmpty else { return nil }
        if characters == ["0"] { return .zero }
        var index = 0
        var total: Int64 = 0
        while index < characters.count {
            var number: Int64 = 0
            let start = index
            while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
                let (product, overflow) = number.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                number = product + Int64(digit)
                index += 1
            }
            guard index > start else { return nil }
            var unitEnd = index
            while unitEnd < characters.count, characters[unitEnd].isLetter { unitEnd += 1 }
            let unit = String(characters[index..<unitEnd])
            guard let scale = units.first(where: { $0.suffix == unit })?.milliseconds else { return nil }
            let (scaled, overflow) = number.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(scaled)
            guard !sumOverflow, sum <= Int64.max / 1000 else { return nil }
            total = sum
            index = unitEnd
        }
        return .milliseconds(total)
    }

    /// The shortest form that parses back to the same duration: `"1h30m"`, `"500ms"`, `"0s"`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var remaining = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        guard remaining > 0 else { return "0s" }
        var result = ""
        for (suffix, milliseconds) in units.reversed() where remaining >= milliseconds {
            result += "\(remaining / milliseconds)\(suffix)"
            remaining %= milliseconds
        }
        return result
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (including newlines).
    func trimmingASCIIWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
