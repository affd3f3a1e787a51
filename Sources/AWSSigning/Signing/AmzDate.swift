import Foundation

/// Formatting and parsing of the timestamps SigV4 and the credential sources use, without
/// DateFormatter (not Sendable, locale-dependent).
public enum AmzDate {
    /// `20150830T123600Z`; fractional seconds are truncated as botocore does.
    public static func format(_ date: Date) -> String {
        let c = CivilTime(date)
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// Parses `20150830T123600Z`.
    public static func parse(_ string: String) -> Date? {
        let b = Array(string.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
              let year = digits(b, 0, 4), let month = digits(b, 4, 2), let day = digits(b, 6, 2),
              let hour = digits(b, 9, 2), let minute = digits(b, 11, 2), let second = digits(b, 13, 2)
        else { return nil }
        return CivilTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Parses ISO 8601 / RFC 3339 timestamps as credential sources send them:
    /// `2019-11-09T13:34:41Z`, with optional fractional seconds and a `Z` or `±HH:MM` offset.
    public static func parseISO8601(_ string: String) -> Date? {
        let b = Array(string.trimmingCharacters(in: .whitespaces).utf8)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2),
              var date = CivilTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        var index = 19
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var fraction = 0.0
            var scale = 0.1
            while index < b.count, let digit = digits(b, index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            date += fraction
        }
        if index == b.count { return date }  // no zone: taken as UTC
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return index + 1 == b.count ? date : nil
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Double = b[index] == UInt8(ascii: "+") ? 1 : -1
            guard b.count == index + 6, b[index + 3] == UInt8(ascii: ":"),
                  let hours = digits(b, index + 1, 2), let minutes = digits(b, index + 4, 2) else { return nil }
            date -= sign * Double(hours * 3600 + minutes * 60)
            return date
        default:
            return nil
        }
    }

    /// `2019-11-09T13:34:41Z`.
    public static func formatISO8601(_ date: Date) -> String {
        let c = CivilTime(date)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T" + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2) + "Z"
    }

    /// Parses an RFC 1123 `Date` header (`Sun, 30 Aug 2015 12:36:00 GMT`).
    public static func parseHTTPDate(_ string: String) -> Date? {
        let parts = string.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let time = parts[4].split(separator: ":")
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]),
              time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2])
        else { return nil }
        return CivilTime.date(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
    }

    private static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for byte in b[start..<start + count] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Proleptic Gregorian UTC date parts (Howard Hinnant's days-from-civil algorithms).
struct CivilTime {
    var year, month, day, hour, minute, second: Int

    init(_ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        hour = rem / 3600
        minute = rem % 3600 / 60
        second = rem % 60
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }
}
