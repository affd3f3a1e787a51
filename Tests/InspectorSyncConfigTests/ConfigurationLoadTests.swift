import Foundation
import Testing
@testable import InspectorSyncConfig

@Suite struct ConfigurationLoadTests {
    @Test func defaults() throws {
        let configuration = try loaded(minimalTOML)
        #expect(configuration.database.url.value == "postgres://sync@db.internal:5432/inspector")
        #expect(configuration.database.schema == "inspector")
        #expect(configuration.database.autoMigrate == false)
        #expect(configuration.database.maxConnections == 10)
        #expect(configuration.database.connectTimeout == .seconds(10))
        #expect(configuration.aws.regions == ["us-east-1"])
        #expect(configuration.aws.profile == nil && configuration.aws.endpointURL == nil)
        #expect(configuration.aws.maxAttempts == 3)
        #expect(configuration.aws.requestTimeout == .seconds(30))
        #expect(configuration.aws.maxRequestsPerSecond == 10)
        #expect(configuration.discovery.mode == .static && configuration.discovery.interval == .seconds(3600))
        #expect(configuration.accounts == [.init(id: "111122223333", roleARN: "arn:aws:iam::111122223333:role/InspectorSyncReader")])
        #expect(configuration.sync == .init())
        #expect(configuration.sync.interval == .seconds(300) && configuration.sync.overlap == .seconds(900))
        #expect(configuration.sync.pageSize == 100 && configuration.sync.maxConcurrentTargets == 8)
        #expect(configuration.webhooks.isEmpty)
        #expect(configuration.http.listen == .init(host: "127.0.0.1", port: 9464))
        #expect(configuration.log.level == .info && configuration.log.format == .text)
        #expect(configuration.shutdown.gracePeriod == .seconds(30))
    }

    @Test func fullConfiguration() throws {
        let configuration = try loaded("""
            [database]
            url = "postgresql://sync:pw@db:5432/inspector?sslmode=verify-full"
            auto_migrate = true
            max_connections = 20
            connect_timeout = "1m30s"
            [aws]
            regions = ["us-east-1", "eu-west-1", "us-gov-west-1"]
            profile = "reader"
            endpoint_url = "http://127.0.0.1:4566"
            max_attempts = 5
            request_timeout = "45s"
            max_requests_per_second = 2.5
            [discovery]
            mode = "delegated-admin"
            interval = "30m"
            [sync]
            interval = "10m"
            overlap = "0s"
            page_size = 50
            max_concurrent_targets = 2
            reconcile_interval = "12h"
            events_on_first_sync = true
            lease_duration = "1m"
            max_backoff = "2h"
            [[webhooks]]
            name = "ops_team-1"
            url = "https://hooks.example.com/x?token=abc"
            secret = ["\(validSecret)", "whsec_\(Data(repeating: 7, count: 64).base64EncodedString())"]
            format = "slack"
            events = ["finding.*", "coverage.removed"]
            min_severity = "high"
            accounts = ["111122223333"]
            regions = ["eu-west-1"]
            resource_types = ["AWS_LAMBDA_FUNCTION"]
            timeout = "5s"
            max_concurrency = 2
            max_per_second = 1
            disable_after = "1d"
            retry_schedule = ["0s", "500ms"]
            enabled = false
            [http]
            listen = "[::1]:0"
            [log]
            level = "debug"
            format = "json"
            [shutdown]
            grace_period = "10s"
            """)
        #expect(configuration.database.autoMigrate && configuration.database.maxConnections == 20)
        #expect(configuration.database.connectTimeout == .seconds(90))
        #expect(configuration.aws.regions == ["us-east-1", "eu-west-1", "us-gov-west-1"])
        #expect(configuration.aws.endpointURL == URL(string: "http://127.0.0.1:4566"))
        #expect(configuration.aws.maxRequestsPerSecond == 2.5)
        #expect(configuration.discovery.mode == .delegatedAdmin && configuration.accounts.isEmpty)
        #expect(configuration.sync == .init(
            interval: .seconds(600), overlap: .zero, pageSize: 50, maxConcurrentTargets: 2, reconcileInterval: .seconds(43200),
            eventsOnFirstSync: true, leaseDuration: .seconds(60), maxBackoff: .seconds(7200)
        ))
        let webhook = try #require(configuration.webhooks.first)
        #expect(webhook.name == "ops_team-1" && webhook.format == .slack && webhook.secrets.count == 2)
        #expect(webhook.events == ["finding.*", "coverage.removed"] && webhook.minSeverity == .high)
        #expect(webhook.accepts(eventType: "finding.closed") && webhook.accepts(eventType: "coverage.removed"))
        #expect(!webhook.accepts(eventType: "coverage.added"))
        #expect(webhook.accounts == ["111122223333"] && webhook.regions == ["eu-west-1"] && webhook.resourceTypes == ["AWS_LAMBDA_FUNCTION"])
        #expect(webhook.timeout == .seconds(5) && webhook.maxConcurrency == 2 && webhook.maxPerSecond == 1)
        #expect(webhook.disableAfter == .seconds(86400) && webhook.retrySchedule == [.zero, .milliseconds(500)] && !webhook.enabled)
        #expect(configuration.http.listen == .init(host: "::1", port: 0))
        #expect(configuration.log == .init(level: .debug, format: .json))
        #expect(configuration.shutdown.gracePeriod == .seconds(10))
    }

    @Test func webhookDefaults() throws {
        let configuration = try loaded(minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"https://example.com/h\"\nsecret = \"\(validSecret)\"\n")
        let webhook = try #require(configuration.webhooks.first)
        #expect(webhook.format == .cloudEvents && webhook.events == ["*"] && webhook.enabled && !webhook.allowPrivateNetworks)
        #expect(webhook.timeout == .seconds(15) && webhook.maxConcurrency == 4 && webhook.maxPerSecond == nil)
        #expect(webhook.disableAfter == .seconds(5 * 86400))
        #expect(webhook.retrySchedule.map(DurationParser.format) == ["0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"])
        #expect(EventTypes.all.allSatisfy(webhook.accepts(eventType:)))
    }

    @Test func httpListenOff() throws {
        #expect(try loaded(minimalTOML + "[http]\nlisten = \"off\"\n").http.listen == nil)
        #expect(try loaded(minimalTOML + "[http]\nlisten = \"\"\n").http.listen == nil)
        #expect(try loaded(minimalTOML + "[http]\nlisten = \"0.0.0.0:80\"\n").http.listen == .init(host: "0.0.0.0", port: 80))
    }

    @Test func durations() {
        let cases: [(String, Duration?)] = [
            ("30s", .seconds(30)), ("5m", .seconds(300)), ("24h", .seconds(86400)), ("1h30m", .seconds(5400)),
            ("500ms", .milliseconds(500)), ("5d", .seconds(432_000)), ("0s", .zero), ("0", .zero), ("1m1s1ms", .milliseconds(61001)),
            (" 10s ", .seconds(10)), ("", nil), ("5", nil), ("-5s", nil), ("5 m", nil), ("1.5h", nil), ("5w", nil), ("s", nil),
            ("h1", nil), ("99999999999999999999s", nil), ("9223372036854775807d", nil),
        ]
        for (text, expected) in cases {
            #expect(DurationParser.parse(text) == expected, "\(text)")
        }
        for text in ["0s", "500ms", "30s", "5m", "1h30m", "5d", "1d2h3m4s5ms"] {
            #expect(DurationParser.format(DurationParser.parse(text)!) == text)
        }
    }

    @Test func configFileDiscovery() throws {
        let exists: (Set<String>) -> (String) -> Bool = { files in { files.contains($0) } }
        #expect(try ConfigFileLocator.locate(explicitPath: nil, environment: [:], fileExists: exists([])) == nil)
        #expect(try ConfigFileLocator.locate(explicitPath: nil, environment: [:], fileExists: exists(["./config.toml"])) == "./config.toml")
        #expect(try ConfigFileLocator.locate(
            explicitPath: nil, environment: [:], fileExists: exists(["./config.toml", "/etc/inspector-sync/config.toml"])
        ) == "/etc/inspector-sync/config.toml")
        #expect(try ConfigFileLocator.locate(explicitPath: "/x.toml", environment: [:], fileExists: exists(["/x.toml", "./config.toml"])) == "/x.toml")
        #expect(try ConfigFileLocator.locate(
            explicitPath: nil, environment: ["INSPECTOR_SYNC_CONFIG": "/y.toml"], fileExists: exists(["/y.toml", "./config.toml"])
        ) == "/y.toml")
        #expect(throws: ConfigurationError.self) {
            try ConfigFileLocator.locate(explicitPath: "/missing.toml", environment: [:], fileExists: exists(["./config.toml"]))
        }
        do {
            _ = try ConfigFileLocator.locate(explicitPath: "/missing.toml", environment: [:], fileExists: exists([]))
        } catch {
            #expect(error.problems.map(\.description) == [#"/missing.toml: configuration file "/missing.toml" does not exist"#])
        }
    }

    @Test func loadWithDiscoveryAndNoFile() throws {
        let environment = ["INSPECTOR_SYNC_DATABASE_URL": "postgres://db/x", "INSPECTOR_SYNC_DISCOVERY_MODE": "delegated-admin"]
        let configuration = try InspectorSyncConfiguration.load(explicitPath: nil, environment: environment, fileExists: { _ in false }, readFile: { _ in nil })
        #expect(configuration.discovery.mode == .delegatedAdmin)
        #expect(configuration.database.url.value == "postgres://db/x")

        let fromFile = try InspectorSyncConfiguration.load(
            explicitPath: nil, environment: [:], fileExists: { $0 == "./config.toml" }, readFile: { $0 == "./config.toml" ? minimalTOML : nil }
        )
        #expect(fromFile.accounts.count == 1)
    }

    @Test func errorRenderingAndExitCode() {
        #expect(ConfigurationError.exitCode == 78)
        let error = ConfigurationError(problems: [
            .init(code: .invalidValue, source: .file(path: "config.toml", line: 12), keyPath: "sync.page_size", message: "must be between 1 and 100 (got 101)"),
            .init(code: .unknownKey, source: .environment(variable: "INSPECTOR_SYNC_X_Y"), keyPath: "", message: "unknown setting"),
        ])
        #expect(error.rendered() == """
            inspector-sync: the configuration has 2 problems:
              config.toml:12: sync.page_size: must be between 1 and 100 (got 101)
              environment INSPECTOR_SYNC_X_Y: unknown setting
            """)
    }
}
