import Foundation

/// The daemon's whole configuration, validated. Built by `InspectorSyncConfiguration.load`.
public struct InspectorSyncConfiguration: Sendable, Equatable {
    public var database: Database
    public var aws: AWS
    public var discovery: Discovery
    public var accounts: [Account]
    public var sync: Sync
    public var webhooks: [Webhook]
    public var http: HTTP
    public var log: Log
    public var shutdown: Shutdown

    /// Public so other modules' tests can build a configuration without TOML; unnamed settings
    /// take their defaults.
    public init(
        database: Database, aws: AWS = .init(), discovery: Discovery = .init(), accounts: [Account] = [],
        sync: Sync = .init(), webhooks: [Webhook] = [], http: HTTP = .init(), log: Log = .init(), shutdown: Shutdown = .init()
    ) {
        self.database = database
        self.aws = aws
        self.discovery = discovery
        self.accounts = accounts
        self.sync = sync
        self.webhooks = webhooks
        self.http = http
        self.log = log
        self.shutdown = shutdown
    }

    public struct Database: Sendable, Equatable {
        /// libpq URL (`postgres://user:password@host:5432/db?sslmode=verify-full`); holds the password.
        public var url: SecretValue
        public var schema: String = "inspector"
        public var autoMigrate = false
        public var maxConnections = 10
        public var connectTimeout: Duration = .seconds(10)

        public init(
            url: SecretValue, schema: String = "inspector", autoMigrate: Bool = false, maxConnections: Int = 10,
            connectTimeout: Duration = .seconds(10)
        ) {
            self.url = url
            self.schema = schema
            self.autoMigrate = autoMigrate
            self.maxConnections = maxConnections
            self.connectTimeout = connectTimeout
        }
    }

    public struct AWS: Sendable, Equatable {
        public var regions: [String] = ["us-east-1"]
        public var profile: String?
        /// Overrides the Inspector (and STS) endpoint, e.g. the emulator's `http://127.0.0.1:4566`.
        public var endpointURL: URL?
        public var maxAttempts = 3
        public var requestTimeout: Duration = .seconds(30)
        /// Client-side rate limit per (account, region).
        public var maxRequestsPerSecond: Double = 10

        public init() {}
    }

    public struct Discovery: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable, CaseIterable {
            case delegatedAdmin = "delegated-admin"
            case `static` = "static"
        }

        public var mode: Mode = .static
        public var interval: Duration = .seconds(3600)

        public init(mode: Mode = .static, interval: Duration = .seconds(3600)) {
            self.mode = mode
            self.interval = interval
        }
    }

    /// `[[accounts]]`: the accounts to read in static mode (in delegated-admin mode: the
    /// administrator accounts to read members through).
    public struct Account: Sendable, Equatable {
        /// 12 digits.
        public var id: String
        /// Role to assume in that account; nil means the base credentials are used as they are.
        public var roleARN: String?
        public var externalID: SecretValue?
        public var sessionName: String?
        /// Regions for this account; nil means `aws.regions`.
        public var regions: [String]?

        public init(id: String, roleARN: String? = nil, externalID: SecretValue? = nil, sessionName: String? = nil, regions: [String]? = nil) {
            self.id = id
            self.roleARN = roleARN
            self.externalID = externalID
            self.sessionName = sessionName
            self.regions = regions
        }
    }

    public struct Sync: Sendable, Equatable {
        public var interval: Duration = .seconds(300)
        public var overlap: Duration = .seconds(900)
        public var pageSize = 100
        public var maxConcurrentTargets = 8
        public var reconcileInterval: Duration = .seconds(86_400)
        public var eventsOnFirstSync = false
        public var leaseDuration: Duration = .seconds(30)
        public var maxBackoff: Duration = .seconds(3600)

        public init(
            interval: Duration = .seconds(300), overlap: Duration = .seconds(900), pageSize: Int = 100, maxConcurrentTargets: Int = 8,
            reconcileInterval: Duration = .seconds(86_400), eventsOnFirstSync: Bool = false, leaseDuration: Duration = .seconds(30),
            maxBackoff: Duration = .seconds(3600)
        ) {
            self.interval = interval
            self.overlap = overlap
            self.pageSize = pageSize
            self.maxConcurrentTargets = maxConcurrentTargets
            self.reconcileInterval = reconcileInterval
            self.eventsOnFirstSync = eventsOnFirstSync
            self.leaseDuration = leaseDuration
            self.maxBackoff = maxBackoff
        }
    }

    public struct Webhook: Sendable, Equatable {
        public enum Format: String, Sendable, Equatable, CaseIterable {
            case cloudEvents = "cloudevents"
            case slack
            case pagerDuty = "pagerduty"
        }

        public var name: String
        /// May hold a token (Slack URLs do); never printed whole.
        public var url: URL
        /// Signing secrets (`whsec_…`), newest first; several during a rotation.
        public var secrets: [SecretValue] = []
        public var format: Format = .cloudEvents
        /// Event types and wildcards (`finding.*`); every event when `["*"]` (the default).
        public var events: [String] = ["*"]
        public var minSeverity: Severity?
        public var accounts: [String] = []
        public var regions: [String] = []
        public var resourceTypes: [String] = []
        public var timeout: Duration = .seconds(15)
        public var maxConcurrency = 4
        public var maxPerSecond: Double?
        public var allowPrivateNetworks = false
        public var disableAfter: Duration = .seconds(5 * 86_400)
        public var retrySchedule: [Duration] = Webhook.defaultRetrySchedule
        /// PagerDuty Events v2 integration key.
        public var routingKey: SecretValue?
        public var enabled = true

        /// Other settings take their defaults; set them on the value.
        public init(name: String, url: URL, secrets: [SecretValue] = [], format: Format = .cloudEvents) {
            self.name = name
            self.url = url
            self.secrets = secrets
            self.format = format
        }

        public static let defaultRetrySchedule: [Duration] = [
            .seconds(0), .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000),
            .seconds(36_000), .seconds(36_000),
        ]

        /// Whether `eventType` passes the `events` filter.
        public func accepts(eventType: String) -> Bool {
            events.contains { EventTypes.pattern($0, matches: eventType) }
        }
    }

    /// Inspector severities, for `min_severity`.
    public enum Severity: String, Sendable, Equatable, CaseIterable {
        case informational = "INFORMATIONAL"
        case low = "LOW"
        case medium = "MEDIUM"
        case high = "HIGH"
        case critical = "CRITICAL"
        case untriaged = "UNTRIAGED"
    }

    public struct HTTP: Sendable, Equatable {
        /// nil when the ops server is disabled (`listen = ""` or `"off"`).
        public var listen: ListenAddress? = ListenAddress(host: "127.0.0.1", port: 9464)

        public init() {}
    }

    public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public struct Log: Sendable, Equatable {
        /// Same names and order as swift-log's `Logger.Level`.
        public enum Level: String, Sendable, Equatable, CaseIterable {
            case trace, debug, info, notice, warning, error, critical
        }

        public enum Format: String, Sendable, Equatable, CaseIterable {
            case text, json
        }

        public var level: Level = .info
        public var format: Format = .text

        public init(level: Level = .info, format: Format = .text) {
            self.level = level
            self.format = format
        }
    }

    public struct Shutdown: Sendable, Equatable {
        public var gracePeriod: Duration = .seconds(30)

        public init(gracePeriod: Duration = .seconds(30)) {
            self.gracePeriod = gracePeriod
        }
    }
}

/// The change-feed event types a webhook can subscribe to.
public enum EventTypes {
    public static let all: [String] = [
        "finding.created", "finding.closed", "finding.reopened", "finding.suppressed", "finding.unsuppressed",
        "finding.status_changed", "finding.severity_changed", "finding.score_changed",
        "finding.fix_available_changed", "finding.exploit_available_changed", "finding.purged",
        "coverage.added", "coverage.removed", "coverage.scan_status_changed",
    ]

    /// `*` matches everything, `finding.*` every `finding.` type, anything else itself.
    public static func pattern(_ pattern: String, matches eventType: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix(".*") { return eventType.hasPrefix(pattern.dropLast()) }
        return pattern == eventType
    }

    /// A pattern is valid when it names a known type or its wildcard matches at least one.
    public static func isValid(pattern: String) -> Bool {
        if pattern.hasSuffix(".*") || pattern == "*" {
            return all.contains { self.pattern(pattern, matches: $0) } && !pattern.dropLast(2).contains("*")
        }
        return all.contains(pattern)
    }
}
