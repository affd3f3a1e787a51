import Foundation
@testable import InspectorSyncService
import Testing

/// The renderer alone: a snapshot in, HTML out, no I/O.
@Suite struct StatusPageRendererTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static var snapshot: StatusSnapshot {
        StatusSnapshot(
            generatedAt: now,
            targets: [
                .init(account: "111122223333", region: "us-east-1", job: "findings", watermark: now - 300, lastSuccessAt: now - 60,
                      consecutiveFailures: 0, lastError: nil, state: "waiting"),
                .init(account: "111122223333", region: "us-east-1", job: "coverage", watermark: nil, lastSuccessAt: nil,
                      consecutiveFailures: 3, lastError: "throttled <script>alert(1)</script>", state: "due"),
            ],
            openByAccount: [
                .init(account: "111122223333", counts: ["CRITICAL": 7, "HIGH": 11, "LOW": 2]),
                .init(account: "444455556666", counts: ["MEDIUM": 5, "NEWSEVERITY": 1]),
            ],
            trend: .init(days: ["2026-11-24", "2026-11-25", "2026-11-26"], series: ["CRITICAL": [3, 5, 7], "HIGH": [0, 9, 11]]),
            recentEvents: [
                .init(id: 42, type: "finding.severity_changed", occurredAt: now - 30, account: "111122223333", region: "us-east-1",
                      oldSeverity: "HIGH", newSeverity: "CRITICAL", subject: "CVE-2026-1 in \"openssl\" & <libc>"),
            ],
            webhooks: [
                .init(name: "pager", host: "events.example.com", format: "pagerduty", enabled: true, firstFailureAt: now - 600,
                      pending: 4, retrying: 3, dead: 2, oldestPendingAt: now - 900),
            ]
        )
    }

    @Test func numbersOfEverySectionAppearUnderTheirIds() {
        let page = PageText(html: StatusPage.render(Self.snapshot))
        #expect(page.int(id: "open-111122223333-CRITICAL") == 7)
        #expect(page.int(id: "open-111122223333-HIGH") == 11)
        #expect(page.int(id: "open-111122223333-MEDIUM") == 0)
        #expect(page.int(id: "open-111122223333-total") == 20)
        #expect(page.int(id: "open-444455556666-NEWSEVERITY") == 1, "a severity AWS adds later still shows")
        #expect(page.int(id: "open-total") == 26)
        #expect(page.int(id: "open-total-CRITICAL") == 7)
        #expect(page.int(id: "sync-111122223333-us-east-1-coverage-failures") == 3)
        #expect(page.text(id: "sync-111122223333-us-east-1-findings-watermark") == "2026-11-18 11:01:40")
        #expect(page.int(id: "webhook-pager-pending") == 4)
        #expect(page.int(id: "webhook-pager-retrying") == 3)
        #expect(page.int(id: "webhook-pager-dead") == 2)
        #expect(page.ids(prefix: "event-") == ["event-42"])
        #expect(page.trendValues("CRITICAL") == [3, 5, 7])
        #expect(page.trendValues("HIGH") == [0, 9, 11])
        #expect(page.text(id: "failing-jobs") == "1 of 2")
        #expect(page.int(id: "webhook-backlog") == 4)
        #expect(page.int(id: "webhook-dead") == 2)
        #expect(page.text(id: "generated-at") == "2026-11-18 11:06:40 UTC")
    }

    @Test func dataIsEscapedEverywhere() {
        var snapshot = Self.snapshot
        snapshot.openByAccount.append(.init(account: "<img src=x onerror=alert(1)>", counts: ["HIGH": 1]))
        snapshot.webhooks[0].name = "a\"b'<c>"
        let html = StatusPage.render(snapshot)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<libc>"))
        #expect(html.contains("throttled &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("CVE-2026-1 in &quot;openssl&quot; &amp; &lt;libc&gt;"))
        #expect(html.contains("a&quot;b&#39;&lt;c&gt;"))
        #expect(HTML.escape("x\u{1}y") == "x\u{FFFD}y")
    }

    @Test func thePageHasNoScriptAndNoExternalReference() {
        let html = StatusPage.render(Self.snapshot)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        // The only URL is the SVG namespace (an identifier, never fetched).
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(24)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls)")
    }

    @Test func chartsWithZeroDataRenderWithoutNonFiniteCoordinates() {
        let empty = StatusSnapshot(generatedAt: Self.now)
        let html = StatusPage.render(empty)
        #expect(html.contains("No open findings."))
        #expect(html.contains("No trend data."))
        #expect(html.contains("No targets yet"))
        #expect(PageText(html: html).int(id: "open-total") == 0)

        // Thirty days of nothing: axes and flat lines at zero, not a division by zero.
        let flat = StatusSnapshot(generatedAt: Self.now, trend: .init(days: (1...30).map { String(format: "2026-11-%02d", $0) }, series: ["HIGH": Array(repeating: 0, count: 30)]))
        let chart = StatusPage.render(flat)
        #expect(chart.contains("<polyline data-severity=\"HIGH\""))
        #expect(chart.contains("No open findings in this period."))
        for bad in ["nan", "inf", "NaN"] { #expect(!chart.contains("=\"\(bad)") && !chart.contains(",\(bad)")) }

        // One day only, and an account whose counts are all zero.
        let single = StatusSnapshot(generatedAt: Self.now, openByAccount: [.init(account: "111122223333", counts: ["LOW": 0])],
                                    trend: .init(days: ["2026-11-26"], series: ["LOW": [1]]))
        let one = StatusPage.render(single)
        #expect(one.contains("No open findings."))
        #expect(PageText(html: one).trendValues("LOW") == [1])
        #expect(!one.contains("nan") && !one.contains("inf"))
    }

    @Test func barsAreProportionalToTheLargestAccount() {
        let html = StatusCharts.openFindingsBars([.init(account: "a", counts: ["HIGH": 10]), .init(account: "b", counts: ["HIGH": 5])])
        #expect(html.contains("width=\"900\""))
        #expect(html.contains("width=\"450\""))
        #expect(html.contains("<title>a HIGH: 10</title>"))
    }

    @Test func theTrendAxisEndsOnARoundNumber() {
        #expect(StatusCharts.niceCeiling(0) == 4)
        #expect(StatusCharts.niceCeiling(3) == 4)
        #expect(StatusCharts.niceCeiling(37) == 40)
        #expect(StatusCharts.niceCeiling(120) == 200)
        for value in [1, 5, 9, 13, 99, 101, 999, 12345] {
            let top = StatusCharts.niceCeiling(value)
            #expect(top >= value && top % 4 == 0, "\(value) -> \(top)")
        }
    }

    @Test func webhookHostsNeverCarryCredentialsPathsOrQueries() {
        #expect(StatusPageQuery.host(of: "https://hooks.slack.com/services/T000/B000/XXXXSECRET") == "hooks.slack.com")
        #expect(StatusPageQuery.host(of: "https://user:p4ss@example.com:8443/hook?token=abc") == "example.com")
        #expect(StatusPageQuery.host(of: "not a url") == "(invalid URL)")
    }

    @Test func theUnavailablePageEscapesItsReason() {
        let html = StatusPage.unavailable("connection refused <host>")
        #expect(PageText(html: html).text(id: "error") == "connection refused &lt;host&gt;")
        #expect(!html.contains("<host>"))
    }

    @Test func endpointStatusSaysWhyItIsNotDelivering() {
        var snapshot = StatusSnapshot(generatedAt: Self.now)
        snapshot.webhooks = [
            .init(name: "gone", host: "h", format: "slack", enabled: true, disabledReason: "410 Gone"),
            .init(name: "off", host: "h", format: "slack", enabled: false),
            .init(name: "old", host: "h", format: "slack", enabled: true, inConfig: false),
            .init(name: "fine", host: "h", format: "slack", enabled: true, lastSuccessAt: Self.now - 5),
        ]
        let page = PageText(html: StatusPage.render(snapshot))
        #expect(page.text(id: "webhook-gone")?.contains("disabled: 410 Gone") == true)
        #expect(page.text(id: "webhook-off")?.contains("disabled") == true)
        #expect(page.text(id: "webhook-old")?.contains("removed from config") == true)
        #expect(page.text(id: "webhook-fine")?.contains("5s ago") == true)
        #expect(page.text(id: "webhook-fine")?.contains("ok") == true)
    }

    @Test func durationsAreShort() {
        #expect(HTML.duration(45) == "45s")
        #expect(HTML.duration(725) == "12m 5s")
        #expect(HTML.duration(3 * 86400 + 4 * 3600 + 5) == "3d 4h")
        #expect(HTML.duration(-5) == "0s")
        #expect(HTML.duration(.infinity) == "-")
    }
}
