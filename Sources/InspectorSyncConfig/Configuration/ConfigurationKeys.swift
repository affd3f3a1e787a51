import Foundation

/// Every key the loader knows: the source of truth for unknown-key detection, the environment
/// variable names and the check that `config.example.toml` documents everything.
public struct ConfigurationKey: Sendable, Hashable, CustomStringConvertible {
    /// `sync`, or `webhooks` / `accounts` for arrays of tables.
    public var section: String
    public var name: String
    public var isArrayOfTables: Bool
    /// Never echoed in messages or descriptions.
    public var isSecret: Bool

    /// `sync.page_size`, `webhooks[].url`.
    public var description: String { isArrayOfTables ? "\(section)[].\(name)" : "\(section).\(name)" }

    /// `INSPECTOR_SYNC_SYNC_PAGE_SIZE`; nil for keys of arrays of tables (their secrets have
    /// per-entry variables instead, see `ConfigurationKeys.webhookVariable`).
    public var environmentVariable: String? {
        isArrayOfTables ? nil : "INSPECTOR_SYNC_\(section.uppercased())_\(name.uppercased())"
    }
}

public enum ConfigurationKeys {
    public static let sections: [(name: String, isArrayOfTables: Bool, keys: [String])] = [
        ("database", false, ["url", "url_file", "schema", "auto_migrate", "max_connections", "connect_timeout"]),
        ("aws", false, ["regions", "profile", "endpoint_url", "max_attempts", "request_timeout", "max_requests_per_second"]),
        ("discovery", false, ["mode", "interval"]),
        ("accounts", true, ["id", "role_arn", "external_id", "session_name", "regions"]),
        ("sync", false, [
            "interval", "overlap", "page_size", "max_concurrent_targets", "reconcile_interval",
            "events_on_first_sync", "lease_duration", "max_backoff",
        ]),
        ("webhooks", true, [
            "name", "url", "secret", "secret_file", "format", "events", "min_severity", "accounts", "regions",
            "resource_types", "timeout", "max_concurrency", "max_per_second", "allow_private_networks",
            "disable_after", "retry_schedule", "routing_key", "routing_key_file", "enabled",
        ]),
        ("http", false, ["listen"]),
        ("log", false, ["level", "format"]),
        ("shutdown", false, ["grace_period"]),
    ]

    static let secretKeys: Set<String> = ["database.url", "accounts[].external_id", "webhooks[].secret", "webhooks[].routing_key"]

    public static let all: [ConfigurationKey] = sections.flatMap { section in
        section.keys.map { name in
            let key = ConfigurationKey(section: section.name, name: name, isArrayOfTables: section.isArrayOfTables, isSecret: false)
            return ConfigurationKey(
                section: section.name, name: name, isArrayOfTables: section.isArrayOfTables,
                isSecret: secretKeys.contains(key.description)
            )
        }
    }

    static func keys(in section: String) -> [String] {
        sections.first { $0.name == section }?.keys ?? []
    }

    /// Names the config file path when `--config` is not given.
    public static let configPathVariable = "INSPECTOR_SYNC_CONFIG"

    /// Secrets of a webhook from the environment, e.g. `INSPECTOR_SYNC_WEBHOOK_PAGER_DUTY_SECRET`
    /// for `name = "pager-duty"`; `key` is `secret`, `secret_file`, `routing_key` or `routing_key_file`.
    public static func webhookVariable(name: String, key: String) -> String {
        "INSPECTOR_SYNC_WEBHOOK_\(environmentName(name))_\(key.uppercased())"
    }

    /// The external id of an account from the environment: `INSPECTOR_SYNC_ACCOUNT_<ID>_EXTERNAL_ID`.
    public static func accountVariable(id: String) -> String {
        "INSPECTOR_SYNC_ACCOUNT_\(id)_EXTERNAL_ID"
    }

    static let webhookSecretKeys = ["secret", "secret_file", "routing_key", "routing_key_file"]

    static func environmentName(_ name: String) -> String {
        name.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}
