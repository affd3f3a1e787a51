import Foundation

/// Escaping and formatting for the status page: every piece of data goes through `escape`.
enum HTML {
    /// Escapes text for element content and for double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // Control characters (other than tab and newline) have no place in a page.
                if character.value < 0x20 && character != "\t" && character != "\n" { result += "\u{FFFD}" } else { result.unicodeScalars.append(character) }
            }
        }
        return result
    }

    /// An element id made of data: escaped, spaces replaced so that it stays one token.
    static func id(_ parts: String...) -> String {
        escape(parts.joined(separator: "-").replacingOccurrences(of: " ", with: "_"))
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// "2026-11-26 00:48:12" (UTC).
    static func timestamp(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A short duration: "45s", "12m 3s", "5h 2m", "3d 4h".
    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return "-" }
        let s = max(0, Int(seconds.rounded(.down)))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m \(s % 60)s"
        case ..<86400: return "\(s / 3600)h \(s % 3600 / 60)m"
        default: return "\(s / 86400)d \(s % 86400 / 3600)h"
        }
    }

    /// "12m 3s ago", or "never".
    static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        return duration(now.timeIntervalSince(date)) + " ago"
    }

    /// A number for SVG coordinates: finite, at most one decimal.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}


/// Severity order and colours shared by the tables and the charts.
enum SeverityPalette {
    static let order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"]

    /// Known severities in order, then any others (a value AWS adds later) sorted.
    static func ordered(_ severities: some Sequence<String>) -> [String] {
        let present = Set(severities)
        return order.filter(present.contains) + present.subtracting(order).sorted()
    }

    static func color(_ severity: String) -> String {
        switch severity {
        case "CRITICAL": return "#b3261e"
        case "HIGH": return "#e8710a"
        case "MEDIUM": return "#f2b600"
        case "LOW": return "#3b78e7"
        case "INFORMATIONAL": return "#80868b"
        case "UNTRIAGED": return "#a142f4"
        default: return "#5f6368"
        }
    }
}
