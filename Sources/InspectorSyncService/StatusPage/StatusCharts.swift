import Foundation

/// The status page's inline SVG charts: plain shapes, no script, sized in the viewBox so that they
/// scale with the page.
enum StatusCharts {
    /// Stacked horizontal bars: one bar per account, one segment per severity.
    static func openFindingsBars(_ accounts: [StatusSnapshot.AccountOpenFindings]) -> String {
        let rows = accounts.filter { $0.total > 0 }
        guard !rows.isEmpty else { return #"<p class="empty">No open findings.</p>"# }
        let severities = SeverityPalette.ordered(rows.flatMap { $0.counts.keys })
        let maxTotal = Double(rows.map(\.total).max() ?? 1)
        let labelWidth = 120.0, barWidth = 900.0, rowHeight = 26.0, barHeight = 18.0
        let width = labelWidth + barWidth + 60
        let height = rowHeight * Double(rows.count) + 4
        var svg = #"<svg class="chart" role="img" aria-label="Open findings by account and severity" viewBox="0 0 \#(HTML.coordinate(width)) \#(HTML.coordinate(height))" width="\#(HTML.coordinate(width))" height="\#(HTML.coordinate(height))" xmlns="http://www.w3.org/2000/svg">"#
        for (index, row) in rows.enumerated() {
            let y = Double(index) * rowHeight + 4
            let account = HTML.escape(row.account)
            svg += #"<text x="\#(HTML.coordinate(labelWidth - 8))" y="\#(HTML.coordinate(y + barHeight - 5))" text-anchor="end" class="label">\#(account)</text>"#
            var x = labelWidth
            for severity in severities {
                let count = row.counts[severity] ?? 0
                guard count > 0 else { continue }
                let w = barWidth * Double(count) / maxTotal
                svg += #"<rect x="\#(HTML.coordinate(x))" y="\#(HTML.coordinate(y))" width="\#(HTML.coordinate(max(w, 1)))" height="\#(HTML.coordinate(barHeight))" fill="\#(SeverityPalette.color(severity))"><title>\#(account) \#(HTML.escape(severity)): \#(count)</title></rect>"#
                x += w
            }
            svg += #"<text x="\#(HTML.coordinate(x + 6))" y="\#(HTML.coordinate(y + barHeight - 5))" class="value">\#(row.total)</text>"#
        }
        return svg + "</svg>" + legend(severities)
    }

    /// One line per severity over the trend's days, with a y axis from 0 to a round maximum.
    static func trendLines(_ trend: StatusSnapshot.Trend) -> String {
        guard !trend.days.isEmpty else { return #"<p class="empty">No trend data.</p>"# }
        let severities = SeverityPalette.ordered(trend.series.keys)
        let maxValue = trend.series.values.flatMap { $0 }.max() ?? 0
        let top = niceCeiling(maxValue)
        let left = 48.0, right = 12.0, topPad = 10.0, bottom = 26.0, width = 1100.0, height = 260.0
        let plotWidth = width - left - right, plotHeight = height - topPad - bottom
        func x(_ index: Int) -> Double {
            trend.days.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(trend.days.count - 1)
        }
        func y(_ value: Int) -> Double { topPad + plotHeight * (1 - Double(value) / Double(top)) }

        var svg = #"<svg class="chart" role="img" aria-label="Open findings per severity, last \#(trend.days.count) days" viewBox="0 0 \#(HTML.coordinate(width)) \#(HTML.coordinate(height))" width="\#(HTML.coordinate(width))" height="\#(HTML.coordinate(height))" xmlns="http://www.w3.org/2000/svg">"#
        for step in 0...4 {
            let value = top * step / 4
            let gy = HTML.coordinate(y(value))
            svg += #"<line x1="\#(HTML.coordinate(left))" y1="\#(gy)" x2="\#(HTML.coordinate(width - right))" y2="\#(gy)" class="grid"/>"#
            svg += #"<text x="\#(HTML.coordinate(left - 6))" y="\#(gy)" dy="4" text-anchor="end" class="axis">\#(value)</text>"#
        }
        let labelled = Set([0, trend.days.count / 2, trend.days.count - 1])
        for index in labelled.sorted() {
            let anchor = index == 0 && trend.days.count > 1 ? "start" : index == trend.days.count - 1 && trend.days.count > 1 ? "end" : "middle"
            svg += #"<text x="\#(HTML.coordinate(x(index)))" y="\#(HTML.coordinate(height - 8))" text-anchor="\#(anchor)" class="axis">\#(HTML.escape(trend.days[index]))</text>"#
        }
        for severity in severities {
            let values = trend.series[severity] ?? []
            let points = trend.days.indices.map { "\(HTML.coordinate(x($0))),\(HTML.coordinate(y($0 < values.count ? values[$0] : 0)))" }
            let data = trend.days.indices.map { $0 < values.count ? String(values[$0]) : "0" }.joined(separator: ",")
            let last = trend.days.indices.last.map { $0 < values.count ? values[$0] : 0 } ?? 0
            let sev = HTML.escape(severity)
            svg += #"<polyline data-severity="\#(sev)" data-values="\#(data)" points="\#(points.joined(separator: " "))" fill="none" stroke="\#(SeverityPalette.color(severity))" stroke-width="2"><title>\#(sev): \#(last) open on \#(HTML.escape(trend.days.last ?? ""))</title></polyline>"#
        }
        svg += "</svg>"
        if maxValue == 0 { svg += #"<p class="empty">No open findings in this period.</p>"# }
        return svg + legend(severities)
    }

    static func legend(_ severities: [String]) -> String {
        guard !severities.isEmpty else { return "" }
        return #"<p class="legend">"# + severities.map {
            #"<span><i style="background:\#(SeverityPalette.color($0))"></i>\#(HTML.escape($0))</span>"#
        }.joined() + "</p>"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `value` (at least 4, so the four grid
    /// steps are whole numbers).
    static func niceCeiling(_ value: Int) -> Int {
        guard value > 4 else { return 4 }
        var magnitude = 1
        while magnitude * 10 < value { magnitude *= 10 }
        for factor in [1, 2, 4, 5, 8, 10] where factor * magnitude >= value {
            let candidate = factor * magnitude
            if candidate % 4 == 0 { return candidate }
        }
        return ((value + 3) / 4) * 4
    }
}
