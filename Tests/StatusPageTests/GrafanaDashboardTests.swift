import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

/// deploy/grafana: valid JSON that imports as is, Prometheus queries over metrics the daemon really
/// has, SQL that runs against the real schema.
enum Dashboard {
    static func load(_ name: String) throws -> [String: Any] {
        let url = MetricCatalog.repositoryRoot.appendingPathComponent("deploy/grafana/\(name)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let dashboard = object as? [String: Any] else { throw TestDatabaseError("\(name) is not a JSON object") }
        return dashboard
    }

    /// Every panel, rows' nested panels included.
    static func panels(_ dashboard: [String: Any]) -> [[String: Any]] {
        let top = dashboard["panels"] as? [[String: Any]] ?? []
        return top + top.flatMap { $0["panels"] as? [[String: Any]] ?? [] }
    }

    static func targets(_ dashboard: [String: Any]) -> [(panel: String, target: [String: Any])] {
        panels(dashboard).flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).map { (panel["title"] as? String ?? "?", $0) }
        }
    }

    /// Grafana's macros, expanded as the PostgreSQL data source does for a 90-day range.
    static func expandMacros(_ sql: String) -> String {
        var text = sql
        let range = "now() - interval '90 days'"
        text = text.replacingOccurrences(of: "$__timeFrom()", with: "(\(range))").replacingOccurrences(of: "$__timeTo()", with: "now()")
        let filter = try! NSRegularExpression(pattern: #"\$__timeFilter\(([^)]+)\)"#)
        text = filter.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1 BETWEEN \(range) AND now()")
        let group = try! NSRegularExpression(pattern: #"\$__timeGroupAlias\(([^,]+),\s*'1h'\)"#)
        text = group.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: #"floor(extract(epoch FROM $1) / 3600) * 3600 AS "time""#)
        return text
    }
}

@Suite struct GrafanaDashboardTests {
    @Test func bothDashboardsAreValidJSONWithADatasourceInput() throws {
        for (file, input, plugin) in [("inspector-sync-metrics.json", "DS_PROMETHEUS", "prometheus"),
                                      ("inspector-sync-findings.json", "DS_POSTGRES", "grafana-postgresql-datasource")] {
            let dashboard = try Dashboard.load(file)
            let inputs = dashboard["__inputs"] as? [[String: Any]] ?? []
            #expect(inputs.contains { $0["name"] as? String == input && $0["type"] as? String == "datasource" && $0["pluginId"] as? String == plugin }, "\(file)")
            #expect((dashboard["uid"] as? String)?.isEmpty == false)
            let panels = Dashboard.panels(dashboard).filter { $0["type"] as? String != "row" }
            #expect(panels.count >= 7, "\(file)")
            for panel in panels {
                let uid = (panel["datasource"] as? [String: Any])?["uid"] as? String
                #expect(uid == "${\(input)}", "\(file): \(panel["title"] ?? "?") uses the imported data source")
                #expect(!(panel["targets"] as? [Any] ?? []).isEmpty, "\(file): \(panel["title"] ?? "?") has a query")
            }
            // Panels do not overlap on the 24-column grid.
            var cells = Set<String>()
            for panel in Dashboard.panels(dashboard) {
                let grid = panel["gridPos"] as? [String: Int] ?? [:]
                let (x, y, w, h) = (grid["x"] ?? 0, grid["y"] ?? 0, grid["w"] ?? 0, grid["h"] ?? 0)
                #expect(x + w <= 24)
                for cx in x..<(x + w) { for cy in y..<(y + h) { #expect(cells.insert("\(cx),\(cy)").inserted, "\(file): overlap at \(cx),\(cy)") } }
            }
        }
    }

    @Test func everyPrometheusQueryUsesMetricsTheCodeDefines() throws {
        let catalog = try MetricCatalog.fromSources()
        #expect(catalog.families.count >= 15, "the source scan found the metrics: \(catalog.families.keys.sorted())")
        let exposed = catalog.exposedNames
        var used = Set<String>()
        for (panel, target) in Dashboard.targets(try Dashboard.load("inspector-sync-metrics.json")) {
            let expression = target["expr"] as? String ?? ""
            let names = MetricCatalog.metricNames(inExpression: expression)
            #expect(!names.isEmpty, "\(panel): \(expression)")
            #expect(names.isSubset(of: exposed), "\(panel) uses metrics the daemon does not expose: \(names.subtracting(exposed).sorted())")
            used.formUnion(names.map { $0.replacingOccurrences(of: #"_(bucket|sum|count)$"#, with: "", options: .regularExpression) })
        }
        // Every metric is on the dashboard but the enabled flag (the disabled counter shows the same).
        let unused = Set(catalog.families.keys).subtracting(used)
        #expect(unused == ["inspector_sync_webhook_endpoint_enabled"], "not on the dashboard: \(unused.sorted())")
    }

    @Test func theCatalogRejectsAnUnknownMetric() throws {
        let exposed = try MetricCatalog.fromSources().exposedNames
        #expect(!MetricCatalog.metricNames(inExpression: "rate(inspector_sync_no_such_metric_total[5m])").isSubset(of: exposed))
        #expect(exposed.contains("inspector_sync_job_duration_seconds_bucket"))
    }

    @Test func everySQLQueryRunsAgainstASyncedDatabase() async throws {
        let targets = Dashboard.targets(try Dashboard.load("inspector-sync-findings.json")).map {
            (panel: $0.panel, sql: $0.target["rawSql"] as? String ?? "", format: $0.target["format"] as? String ?? "")
        }
        #expect(targets.count >= 7)
        try await StatusFixture.withSyncedStatusServer(seed: 97) { _, db in
            var rowsByPanel: [String: Int] = [:]
            for (panel, rawSQL, format) in targets {
                let sql = Dashboard.expandMacros(rawSQL)
                #expect(!sql.contains("$__"), "\(panel): a macro the test does not expand")
                do {
                    let rows = try await db.query(PostgresQuery(unsafeSQL: sql)).collect()
                    rowsByPanel[panel, default: 0] += rows.count
                    if format == "time_series", let first = rows.first {
                        #expect(first.count == 3, "\(panel): time, metric, value")
                    }
                } catch {
                    Issue.record("\(panel): \(String(reflecting: error))\n\(sql)")
                }
            }
            // The synced data reaches the main panels.
            for panel in ["Open findings by severity", "Open findings by account", "Open findings, last 30 days", "Top vulnerabilities", "Change-feed events by type"] {
                #expect((rowsByPanel[panel] ?? 0) > 0, "\(panel) shows nothing")
            }
        }
    }
}
