import Foundation

/// Parses HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms
/// that a recipient must still accept. Pure and locale-free, unlike `DateFormatter`.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    public static func parse(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT -> [Sun, 06, Nov, 1994, 08:49:37, GMT]
        if tokens.count == 6, tokens[5].uppercased() == "GMT" {
            return make(day: tokens[1], month: tokens[2], year: tokens[3], time: tokens[4])
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        if tokens.count == 4, tokens[3].uppercased() == "GMT" {
            let dmy = tokens[1].split(separator: "-").map(String.init)
            guard dmy.count == 3, let yy = Int(dmy[2]) else { return nil }
            // Two-digit years: RFC 9110 says interpret as the most recent past century match.
            let year = dmy[2].count == 2 ? (yy < 70 ? 2000 + yy : 1900 + yy) : yy
            return make(day: dmy[0], month: dmy[1], year: String(year), time: tokens[2])
        }
        // asctime: Sun Nov  6 08:49:37 1994
        if tokens.count == 5 {
            return make(day: tokens[2], month: tokens[1], year: tokens[4], time: tokens[3])
        }
        return nil
    }

    private static func make(day: String, month: String, year: String, time: String) -> Date? {
        guard let d = Int(day), (1...31).contains(d),
              let m = months.firstIndex(of: month.lowercased()),
              let y = Int(year), y >= 1970
        else { return nil }
        let hms = time.split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (0...23).contains(hms[0]), (0...59).contains(hms[1]), (0...60).contains(hms[2]) else {
            return nil
        }
        let days = daysFromCivil(year: y, month: m + 1, day: d)
        let seconds = days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
