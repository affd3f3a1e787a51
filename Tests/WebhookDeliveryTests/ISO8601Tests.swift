import Foundation
import Testing
@testable import WebhookDelivery

/// The hand-written timestamp must say exactly what Foundation's formatter said before it.
@Suite struct ISO8601Tests {
    @Test func matchesFoundationsInternetDateTime() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 1_790_003_600.999), Date(timeIntervalSince1970: 4_102_444_799),  // 2099-12-31T23:59:59
            Date(timeIntervalSince1970: 1_709_164_800.5),  // 2024-02-29
        ]
        // Spread over 1970–2100 with millisecond fractions, the same every run.
        for i in 0..<5000 {
            let seconds = (i &* 2_654_435_761) % 4_102_444_800
            dates.append(Date(timeIntervalSince1970: Double(seconds) + Double(i % 1000) / 1000))
        }
        for date in dates {
            #expect(FormatSupport.iso8601(date) == formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }
}
