import Foundation

extension InspectorSyncConfiguration {
    /// The effective configuration as TOML, for `doctor` and `status`: every key with its value,
    /// secrets as `***`, the database password and webhook URL paths and queries masked.
    public var redactedDescription: String {
        var lines: [String] = []
        func section(_ name: String, _ entries: [(String, String)]) {
            if !lines.isEmpty { lines.append("") }
            lines.append(name)
            lines += entries.map { "\($0.0) = \($0.1)" }
        }
        section("[database]", [
            ("url", quoted(Self.redactedPostgresURL(database.url.value))),
            ("schema", quoted(database.schema)),
            ("auto_migrate", "\(database.autoMigrate)"),
            ("max_connections", "\(database.maxConnections)"),
            ("connect_timeout", Self.duration(database.connectTimeout)),
        ])
        var awsEntries = [("regions", Self.list(aws.regions))]
        if let profile = aws.profile { awsEntries.append(("profile", quoted(profile))) }
        if let endpoint = aws.endpointURL { awsEntries.append(("endpoint_url", quoted(endpoint.absoluteString))) }
        awsEntries += [
            ("max_attempts", "\(aws.maxAttempts)"), ("request_timeout", Self.duration(aws.requestTimeout)),
            ("max_requests_per_second", Self.number(aws.maxRequestsPerSecond)),
        ]
        section("[aws]", awsEntries)
        section("[discovery]", [("mode", quoted(discovery.mode.rawValue)), ("interval", Self.duration(discovery.interval))])
        for account in accounts {
            var entries = [("id", quoted(account.id))]
            if let role = account.roleARN { entries.append(("role_arn", quoted(role))) }
            if account.externalID != nil { entries.append(("external_id", quoted("***"))) }
            if let session = account.sessionName { entries.append(("session_name", quoted(session))) }
            if let regions = account.regions { entries.append(("regions", Self.list(regions))) }
            section("[[accounts]]", entries)
        }
        section("[sync]", [
            ("interval", Self.duration(sync.interval)), ("overlap", Self.duration(sync.overlap)),
            ("page_size", "\(sync.pageSize)"), ("max_concurrent_targets", "\(sync.maxConcurrentTargets)"),
            ("reconcile_interval", Self.duration(sync.reconcileInterval)), ("events_on_first_sync", "\(sync.eventsOnFirstSync)"),
            ("lease_duration", Self.duration(sync.leaseDuration)), ("max_backoff", Self.duration(sync.maxBackoff)),
        ])
        for webhook in webhooks {
            var entries = [("name", quoted(webhook.name)), ("url", quoted(Self.redactedWebhookURL(webhook.url)))]
            if !webhook.secrets.isEmpty { entries.append(("secret", Self.list(webhook.secrets.map { _ in "***" }))) }
            entries += [("format", quoted(webhook.format.rawValue)), ("events", Self.list(webhook.events))]
            if let severity = webhook.minSeverity { entries.append(("min_severity", quoted(severity.rawValue))) }
            if !webhook.accounts.isEmpty { entries.append(("accounts", Self.list(webhook.accounts))) }
            if !webhook.regions.isEmpty { entries.append(("regions", Self.list(webhook.regions))) }
            if !webhook.resourceTypes.isEmpty { entries.append(("resource_types", Self.list(webhook.resourceTypes))) }
            entries += [("timeout", Self.duration(webhook.timeout)), ("max_concurrency", "\(webhook.maxConcurrency)")]
            if let rate = webhook.maxPerSecond { entries.append(("max_per_second", Self.number(rate))) }
            entries += [
                ("allow_private_networks", "\(webhook.allowPrivateNetworks)"), ("disable_after", Self.duration(webhook.disableAfter)),
                ("retry_schedule", "[" + webhook.retrySchedule.map(Self.duration).joined(separator: ", ") + "]"),
            ]
            if webhook.routingKey != nil { entries.append(("routing_key", quoted("***"))) }
            entries.append(("enabled", "\(webhook.enabled)"))
            section("[[webhooks]]", entries)
        }
        section("[http]", [("listen", quoted(http.listen?.description ?? "off"))])
        section("[log]", [("level", quoted(log.level.rawValue)), ("format", quoted(log.format.rawValue))])
        section("[shutdown]", [("grace_period", Self.duration(shutdown.gracePeriod))])
        return lines.joined(separator: "\n") + "\n"
    }

    static func duration(_ value: Duration) -> String { quoted(DurationParser.format(value)) }
    static func list(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `postgres://user:***@host:5432/db?sslmode=require` — the password, and any `password=`
    /// query parameter, masked. A URL that does not parse is masked whole.
    public static func redactedPostgresURL(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "***" }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems {
            components.queryItems = items.map { $0.name.lowercased() == "password" ? URLQueryItem(name: $0.name, value: "***") : $0 }
        }
        return (components.string ?? "***").replacingOccurrences(of: "%2A%2A%2A", with: "***")
    }

    /// Scheme, host and port only: webhook URLs often carry a token in the path (Slack) or query.
    public static func redactedWebhookURL(_ url: URL) -> String {
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = url.host
        components.port = url.port
        let base = components.string ?? "***"
        let hasMore = !url.path.isEmpty && url.path != "/" || url.query != nil || url.user != nil
        return hasMore ? base + "/***" : base
    }
}

// Printing a configuration (or a webhook) by accident must not leak what it holds.
extension InspectorSyncConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { redactedDescription }
    public var debugDescription: String { redactedDescription }
}

extension InspectorSyncConfiguration.Webhook: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "webhook \(quoted(name)) (\(format.rawValue), \(InspectorSyncConfiguration.redactedWebhookURL(url)))" }
    public var debugDescription: String { description }
}

extension InspectorSyncConfiguration.Database: CustomStringConvertible {
    public var description: String { "database \(InspectorSyncConfiguration.redactedPostgresURL(url.value)) (schema \(schema))" }
}
