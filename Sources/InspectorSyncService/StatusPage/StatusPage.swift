import Foundation

/// The ops server's `/` page: server-rendered HTML with inline CSS and SVG, no script and no
/// external asset, so it works under `default-src 'none'` and from an air-gapped browser.
public enum StatusPage {
    /// The response headers: never cached (it is live data), and nothing may load but inline styles
    /// and data: images.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    public static func render(_ snapshot: StatusSnapshot) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>inspector-sync status</title>
            <style>\(style)</style>
            </head><body>
            <header><h1>inspector-sync</h1><p>Status at <time id="generated-at">\(HTML.timestamp(snapshot.generatedAt)) UTC</time> · read-only · reload for fresh data</p></header>
            <main>
            """
        html += summary(snapshot)
        html += section("Open findings by account", StatusCharts.openFindingsBars(snapshot.openByAccount) + openTable(snapshot.openByAccount))
        html += section("Open findings, last \(snapshot.trend.days.count) days", StatusCharts.trendLines(snapshot.trend))
        html += section("Sync health", syncTable(snapshot))
        html += section("Webhooks", webhookTable(snapshot))
        html += section("Recent events", eventTable(snapshot))
        return html + "</main></body></html>\n"
    }

    /// The page served when the snapshot cannot be read.
    public static func unavailable(_ reason: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>inspector-sync status</title><style>\(style)</style></head>
        <body><header><h1>inspector-sync</h1></header><main><section><h2>Status unavailable</h2><p id="error">\(HTML.escape(reason))</p></section></main></body></html>

        """
    }

    static func section(_ title: String, _ body: String) -> String {
        "<section><h2>\(HTML.escape(title))</h2>\(body)</section>\n"
    }

    static func summary(_ snapshot: StatusSnapshot) -> String {
        var totals: [String: Int] = [:]
        for account in snapshot.openByAccount { for (severity, count) in account.counts { totals[severity, default: 0] += count } }
        let severities = SeverityPalette.ordered(SeverityPalette.order.prefix(4) + totals.keys)
        let failing = snapshot.targets.filter { $0.consecutiveFailures > 0 }.count
        let backlog = snapshot.webhooks.reduce(0) { $0 + $1.pending }
        let dead = snapshot.webhooks.reduce(0) { $0 + $1.dead }
        var html = #"<div class="cards">"#
        html += card("Open findings", "\(totals.values.reduce(0, +))", id: "open-total", color: "#202124")
        for severity in severities {
            html += card(severity.capitalized, "\(totals[severity] ?? 0)", id: HTML.id("open-total", severity), color: SeverityPalette.color(severity))
        }
        html += card("Failing jobs", "\(failing) of \(snapshot.targets.count)", id: "failing-jobs", color: failing > 0 ? "#b3261e" : "#188038")
        html += card("Webhook backlog", "\(backlog)", id: "webhook-backlog", color: "#202124")
        html += card("Dead deliveries", "\(dead)", id: "webhook-dead", color: dead > 0 ? "#b3261e" : "#188038")
        return html + "</div>\n"
    }

    static func card(_ title: String, _ value: String, id: String, color: String) -> String {
        #"<div class="card"><span>\#(HTML.escape(title))</span><b id="\#(id)" style="color:\#(color)">\#(HTML.escape(value))</b></div>"#
    }

    static func openTable(_ accounts: [StatusSnapshot.AccountOpenFindings]) -> String {
        guard !accounts.isEmpty else { return "" }
        let severities = SeverityPalette.ordered(accounts.flatMap { $0.counts.keys })
        var html = "<table><thead><tr><th>Account</th>" + severities.map { "<th class=\"n\">\(HTML.escape($0))</th>" }.joined() + "<th class=\"n\">Total</th></tr></thead><tbody>"
        for row in accounts {
            html += "<tr><td>\(HTML.escape(row.account))</td>"
            for severity in severities {
                html += #"<td class="n" id="\#(HTML.id("open", row.account, severity))">\#(row.counts[severity] ?? 0)</td>"#
            }
            html += #"<td class="n" id="\#(HTML.id("open", row.account, "total"))"><b>\#(row.total)</b></td></tr>"#
        }
        return html + "</tbody></table>"
    }

    static func syncTable(_ snapshot: StatusSnapshot) -> String {
        guard !snapshot.targets.isEmpty else { return #"<p class="empty">No targets yet: the first sync has not run.</p>"# }
        let now = snapshot.generatedAt
        var html = #"<table><thead><tr><th>Account</th><th>Region</th><th>Job</th><th>State</th><th>Watermark (UTC)</th><th class="n">Lag</th><th>Last success</th><th class="n">Failures</th><th>Last error</th></tr></thead><tbody>"#
        for target in snapshot.targets {
            let id = HTML.id("sync", target.account, target.region, target.job)
            let failing = target.consecutiveFailures > 0
            html += #"<tr id="\#(id)"\#(failing ? #" class="bad""# : "")>"#
            html += "<td>\(HTML.escape(target.account))</td><td>\(HTML.escape(target.region))</td><td>\(HTML.escape(target.job))</td>"
            html += #"<td><span class="badge \#(HTML.escape(target.state))">\#(HTML.escape(target.state))</span></td>"#
            html += #"<td id="\#(id)-watermark">\#(target.watermark.map(HTML.timestamp) ?? "-")</td>"#
            html += #"<td class="n">\#(target.watermark.map { HTML.duration(now.timeIntervalSince($0)) } ?? "-")</td>"#
            html += "<td>\(HTML.age(target.lastSuccessAt, now: now))</td>"
            html += #"<td class="n" id="\#(id)-failures">\#(target.consecutiveFailures)</td>"#
            html += #"<td class="err">\#(HTML.escape(target.lastError ?? ""))</td></tr>"#
        }
        return html + "</tbody></table>"
    }

    static func webhookTable(_ snapshot: StatusSnapshot) -> String {
        guard !snapshot.webhooks.isEmpty else { return #"<p class="empty">No webhook endpoints configured.</p>"# }
        let now = snapshot.generatedAt
        var html = #"<table><thead><tr><th>Endpoint</th><th>Host</th><th>Format</th><th>Status</th><th>Last success</th><th>Failing since</th><th class="n">Pending</th><th class="n">Retrying</th><th class="n">Dead</th><th class="n">Oldest pending</th></tr></thead><tbody>"#
        for hook in snapshot.webhooks {
            let id = HTML.id("webhook", hook.name)
            let status: String
            if !hook.inConfig { status = #"<span class="badge off">removed from config</span>"# }
            else if !hook.enabled { status = #"<span class="badge off">disabled</span>"# }
            else if let reason = hook.disabledReason { status = #"<span class="badge bad">disabled: \#(HTML.escape(reason))</span>"# }
            else if hook.firstFailureAt != nil { status = #"<span class="badge bad">failing</span>"# }
            else { status = #"<span class="badge ok">ok</span>"# }
            html += #"<tr id="\#(id)"\#(hook.dead > 0 || hook.retrying > 0 ? #" class="bad""# : "")>"#
            html += "<td>\(HTML.escape(hook.name))</td><td>\(HTML.escape(hook.host))</td><td>\(HTML.escape(hook.format))</td><td>\(status)</td>"
            html += "<td>\(HTML.age(hook.lastSuccessAt, now: now))</td><td>\(hook.firstFailureAt.map { HTML.age($0, now: now) } ?? "-")</td>"
            html += #"<td class="n" id="\#(id)-pending">\#(hook.pending)</td><td class="n" id="\#(id)-retrying">\#(hook.retrying)</td>"#
            html += #"<td class="n" id="\#(id)-dead">\#(hook.dead)</td>"#
            html += #"<td class="n">\#(hook.oldestPendingAt.map { HTML.duration(now.timeIntervalSince($0)) } ?? "-")</td></tr>"#
        }
        return html + "</tbody></table>"
    }

    static func eventTable(_ snapshot: StatusSnapshot) -> String {
        guard !snapshot.recentEvents.isEmpty else { return #"<p class="empty">No events yet.</p>"# }
        var html = #"<table><thead><tr><th class="n">Id</th><th>Occurred (UTC)</th><th>Type</th><th>Account</th><th>Region</th><th>Severity</th><th>Subject</th></tr></thead><tbody>"#
        for event in snapshot.recentEvents {
            var severity = HTML.escape(event.newSeverity ?? event.oldSeverity ?? "")
            if let old = event.oldSeverity, let new = event.newSeverity, old != new { severity = "\(HTML.escape(old)) → \(HTML.escape(new))" }
            html += #"<tr id="event-\#(event.id)"><td class="n">\#(event.id)</td><td>\#(HTML.timestamp(event.occurredAt))</td>"#
            html += #"<td><span class="badge ev">\#(HTML.escape(event.type))</span></td><td>\#(HTML.escape(event.account))</td><td>\#(HTML.escape(event.region))</td>"#
            html += "<td>\(severity)</td><td class=\"subject\">\(HTML.escape(event.subject))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    static let style = """
        body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#202124;background:#f1f3f4}
        header{background:#202124;color:#fff;padding:12px 24px}header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#bdc1c6;font-size:13px}
        main{max-width:1200px;margin:0 auto;padding:16px 24px}
        section{background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.12);padding:12px 16px;margin:0 0 16px;overflow-x:auto}
        h2{font-size:16px;margin:0 0 10px}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 16px}
        .card{flex:1 1 0;background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.12);padding:10px 12px;min-width:84px}
        .card span{display:block;color:#5f6368;font-size:12px;white-space:nowrap}.card b{font-size:22px;white-space:nowrap}
        table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e8eaed;white-space:nowrap}
        th{color:#5f6368;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}
        td.err,td.subject{white-space:normal;max-width:420px;overflow-wrap:anywhere}td.err{color:#b3261e}
        tr.bad td:first-child{box-shadow:inset 3px 0 #b3261e}
        .badge{display:inline-block;padding:0 6px;border-radius:4px;background:#e8eaed;font-size:12px}
        .badge.ok,.badge.waiting{background:#e6f4ea;color:#188038}.badge.bad,.badge.due{background:#fce8e6;color:#b3261e}
        .badge.running{background:#e8f0fe;color:#1967d2}.badge.off{background:#f1f3f4;color:#5f6368}.badge.ev{background:#f3e8fd;color:#8430ce}
        .chart{width:100%;max-width:1100px;height:auto;display:block}.chart text{font-size:12px;fill:#3c4043}.chart .axis{fill:#5f6368;font-size:11px}
        .chart .grid{stroke:#e8eaed;stroke-width:1}
        .legend{margin:6px 0 0;font-size:12px;color:#5f6368}.legend span{margin-right:14px;white-space:nowrap}
        .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
        .empty{color:#5f6368;font-style:italic}
        """
}
