import Foundation
import Testing
@testable import InspectorSyncConfig

@Suite struct ConfigurationEnvironmentTests {
    @Test func environmentOverridesTheFile() throws {
        let configuration = try loaded(minimalTOML + "[sync]\ninterval = \"5m\"\npage_size = 20\n", environment: [
            "INSPECTOR_SYNC_SYNC_INTERVAL": "10m",
            "INSPECTOR_SYNC_DATABASE_URL": "postgres://env@db/inspector",
            "INSPECTOR_SYNC_AWS_REGIONS": "eu-west-1, eu-central-1,",
            "INSPECTOR_SYNC_SYNC_EVENTS_ON_FIRST_SYNC": "true",
            "INSPECTOR_SYNC_AWS_MAX_REQUESTS_PER_SECOND": "0.5",
            "INSPECTOR_SYNC_HTTP_LISTEN": "off",
            "INSPECTOR_SYNC_LOG_LEVEL": "warning",
            "PATH": "/usr/bin",
        ])
        #expect(configuration.sync.interval == .seconds(600))
        #expect(configuration.sync.pageSize == 20)
        #expect(configuration.database.url.value == "postgres://env@db/inspector")
        #expect(configuration.aws.regions == ["eu-west-1", "eu-central-1"])
        #expect(configuration.sync.eventsOnFirstSync)
        #expect(configuration.aws.maxRequestsPerSecond == 0.5)
        #expect(configuration.http.listen == nil)
        #expect(configuration.log.level == .warning)
    }

    @Test func standardAWSVariablesFillInUnsetKeys() throws {
        let ambient = [
            "AWS_REGION": "eu-north-1", "AWS_PROFILE": "ops", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
            "AWS_ENDPOINT_URL_INSPECTOR2": "http://127.0.0.1:4567",
        ]
        let filled = try loaded(minimalTOML, environment: ambient)
        #expect(filled.aws.regions == ["eu-north-1"])
        #expect(filled.aws.profile == "ops")
        #expect(filled.aws.endpointURL?.absoluteString == "http://127.0.0.1:4567")
        // The daemon's own settings win over the ambient ones.
        let own = try loaded(
            minimalTOML + "[aws]\nregions = [\"us-west-2\"]\nprofile = \"reader\"\n",
            environment: ambient.merging(["INSPECTOR_SYNC_AWS_ENDPOINT_URL": "https://inspector2.example"]) { $1 }
        )
        #expect(own.aws.regions == ["us-west-2"] && own.aws.profile == "reader")
        #expect(own.aws.endpointURL?.absoluteString == "https://inspector2.example")
        #expect(problems(minimalTOML, environment: ["AWS_DEFAULT_REGION": "Europe"]) == [
            #"environment AWS_DEFAULT_REGION: aws.regions: not an AWS region name like "us-east-1" (got "Europe")"#,
        ])
    }

    @Test func environmentProblemsNameTheVariable() {
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_SYNC_PAGE_SIZE": "101"]) == [
            "environment INSPECTOR_SYNC_SYNC_PAGE_SIZE: sync.page_size: must be between 1 and 100 (got 101)",
        ])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_SYNC_PAGE_SIZE": "ten"]) == [
            #"environment INSPECTOR_SYNC_SYNC_PAGE_SIZE: sync.page_size: must be an integer (got "ten")"#,
        ])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_SYNC_INTERVL": "10m"]) == [
            "environment INSPECTOR_SYNC_SYNC_INTERVL: unknown setting (did you mean INSPECTOR_SYNC_SYNC_INTERVAL?)",
        ])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_SYNC_COLOUR": "red"]) == [
            "environment INSPECTOR_SYNC_SYNC_COLOUR: unknown setting",
        ])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_SYNCC_INTERVAL": "1m"]) == [
            "environment INSPECTOR_SYNC_SYNCC_INTERVAL: unknown setting (did you mean INSPECTOR_SYNC_SYNC_INTERVAL?)",
        ])
        // Variables of scripts and test harnesses sharing the prefix are not configuration.
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_TEST_DATABASE_URL": "postgres://x", "INSPECTOR_SYNC_BIN_DIR": "/b"]) == [])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_WEBHOOK_NOPE_SECRET": validSecret]) == [
            "environment INSPECTOR_SYNC_WEBHOOK_NOPE_SECRET: no [[webhooks]] entry has this name (INSPECTOR_SYNC_WEBHOOK_<NAME>_SECRET, name upper-cased, '-' as '_')",
        ])
        #expect(problems(minimalTOML, environment: ["INSPECTOR_SYNC_DATABASE_URL": "http://db"]) == [
            "environment INSPECTOR_SYNC_DATABASE_URL: database.url: must be a PostgreSQL URL like postgres://user@host:5432/database",
        ])
    }

    @Test func noFileAtAll() throws {
        let configuration = try loaded(nil, environment: [
            "INSPECTOR_SYNC_DATABASE_URL": "postgres://db/inspector", "INSPECTOR_SYNC_DISCOVERY_MODE": "delegated-admin",
        ])
        #expect(configuration.discovery.mode == .delegatedAdmin)
        #expect(problems(nil) == [
            "database.url: required (set [database] url or url_file, or INSPECTOR_SYNC_DATABASE_URL)",
            #"accounts: static discovery needs at least one [[accounts]] entry (or set [discovery] mode = "delegated-admin")"#,
        ])
    }

    static let webhook = "[[webhooks]]\nname = \"pager-duty\"\nurl = \"https://e.com/h\"\n"

    @Test func webhookSecretFromEnvironment() throws {
        let other = "whsec_" + Data(repeating: 1, count: 32).base64EncodedString()
        let configuration = try loaded(minimalTOML + Self.webhook, environment: [
            "INSPECTOR_SYNC_WEBHOOK_PAGER_DUTY_SECRET": "\(validSecret),\(other)",
        ])
        #expect(configuration.webhooks[0].secrets.map(\.value) == [validSecret, other])
        // The environment wins over the file's secret.
        let overridden = try loaded(minimalTOML + Self.webhook + "secret = \"\(other)\"\n", environment: [
            "INSPECTOR_SYNC_WEBHOOK_PAGER_DUTY_SECRET": validSecret,
        ])
        #expect(overridden.webhooks[0].secrets.map(\.value) == [validSecret])
    }

    @Test func secretFilesAndCredentials() throws {
        let files = [
            "/etc/inspector-sync/webhook.secret": "\(validSecret)\n",
            "/run/credentials/inspector-sync.service/hook": "  \(validSecret)\n\n",
            "/run/credentials/inspector-sync.service/db-url": "postgres://sync:s3cret@db/inspector\n",
            "/run/credentials/inspector-sync.service/pd": "0123456789abcdef0123456789abcdef",
            "/run/credentials/inspector-sync.service/ext": "external-123",
        ]
        let credentials = ["CREDENTIALS_DIRECTORY": "/run/credentials/inspector-sync.service"]

        let absolute = try loaded(minimalTOML + Self.webhook + "secret_file = \"/etc/inspector-sync/webhook.secret\"\n", files: files)
        #expect(absolute.webhooks[0].secrets.map(\.value) == [validSecret])

        let credential = try loaded(minimalTOML + Self.webhook + "secret_file = \"credential:hook\"\n", environment: credentials, files: files)
        #expect(credential.webhooks[0].secrets.map(\.value) == [validSecret])

        let relative = try loaded(minimalTOML + Self.webhook + "secret_file = \"hook\"\n", environment: credentials, files: files)
        #expect(relative.webhooks[0].secrets.map(\.value) == [validSecret])

        let database = try loaded(
            "[database]\nurl_file = \"credential:db-url\"\n[discovery]\nmode = \"delegated-admin\"", environment: credentials, files: files
        )
        #expect(database.database.url.value == "postgres://sync:s3cret@db/inspector")

        let viaEnvironment = try loaded(
            "[discovery]\nmode = \"delegated-admin\"", environment: credentials.merging(["INSPECTOR_SYNC_DATABASE_URL_FILE": "db-url"]) { $1 },
            files: files
        )
        #expect(viaEnvironment.database.url.value == "postgres://sync:s3cret@db/inspector")

        let pagerDuty = try loaded(
            minimalTOML + Self.webhook + "format = \"pagerduty\"\nrouting_key_file = \"credential:pd\"\n", environment: credentials, files: files
        )
        #expect(pagerDuty.webhooks[0].routingKey?.value == "0123456789abcdef0123456789abcdef")
        #expect(pagerDuty.webhooks[0].secrets.isEmpty)

        let external = try loaded(minimalTOML, environment: ["INSPECTOR_SYNC_ACCOUNT_111122223333_EXTERNAL_ID": "external-123"])
        #expect(external.accounts[0].externalID?.value == "external-123")
    }

    @Test func secretFileProblems() {
        #expect(problems(minimalTOML + Self.webhook + "secret_file = \"credential:hook\"\n") == [
            #"config.toml:11: webhooks[0].secret_file: "credential:hook" names a systemd credential but $CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the unit)"#,
        ])
        #expect(problems(minimalTOML + Self.webhook + "secret_file = \"credential:../etc/passwd\"\n", environment: ["CREDENTIALS_DIRECTORY": "/c"]) == [
            #"config.toml:11: webhooks[0].secret_file: "credential:../etc/passwd" is not a valid credential name"#,
        ])
        #expect(problems(minimalTOML + Self.webhook + "secret_file = \"hook\"\n", environment: ["CREDENTIALS_DIRECTORY": "/c"]) == [
            #"config.toml:11: webhooks[0].secret_file: cannot read "/c/hook""#,
        ])
        #expect(problems(minimalTOML + Self.webhook + "secret_file = \"/empty\"\n", files: ["/empty": "\n"]) == [
            #"config.toml:11: webhooks[0].secret_file: "/empty" is empty"#,
        ])
        #expect(problems(
            "[database]\nurl_file = \"/db\"\n[discovery]\nmode = \"delegated-admin\"", environment: ["INSPECTOR_SYNC_DATABASE_URL": "postgres://x/y"]
        ).isEmpty)
    }

    /// A wrong secret, a database password, an external id and a routing key must appear in no
    /// message and in no description.
    @Test func secretsAreNeverEchoed() throws {
        let wrongSecret = "whsec_TOPSECRETTOPSECRET"
        let toml = """
            [database]
            url = "mysql://admin:PASSWORD123@db/x"
            [[accounts]]
            id = "111122223333"
            external_id = "X"
            [[webhooks]]
            name = "a"
            url = "https://hooks.slack.com/services/T000/B000/SLACKTOKEN"
            secret = "\(wrongSecret)"
            format = "pagerduty"
            routing_key = "ROUTINGKEYWRONG"
            [[webhooks]]
            name = "b"
            url = "https://e.com/h"
            secret = ["\(validSecret)", 5]
            """
        let fromFile = problems(toml)
        let fromEnvironment = problems(minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"https://e.com/h\"\n", environment: [
            "INSPECTOR_SYNC_WEBHOOK_A_SECRET": "whsec_ENVSECRETENVSECRET,hunter2",
            "INSPECTOR_SYNC_DATABASE_URL": "mysql://u:PASSWORD789@h/d",
        ])
        #expect(fromFile.count == 5 && fromEnvironment.count == 3)
        let text = (fromFile + fromEnvironment).joined(separator: "\n")
        for secret in ["TOPSECRET", "PASSWORD123", "PASSWORD789", "SLACKTOKEN", "ROUTINGKEYWRONG", "ENVSECRET", "hunter2", validSecret] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(text.contains("accounts[0].external_id: must be 2 to 1224 characters long"))
        #expect(text.contains("environment INSPECTOR_SYNC_WEBHOOK_A_SECRET: webhooks[0].secret[1]: must be"))

        let valid = try loaded("""
            [database]
            url = "postgres://admin:PASSWORD123@db/x?password=PASSWORD456"
            [[accounts]]
            id = "111122223333"
            external_id = "EXTERNALSECRET"
            [[webhooks]]
            name = "a"
            url = "https://hooks.slack.com/services/T000/B000/SLACKTOKEN"
            secret = "\(validSecret)"
            format = "pagerduty"
            routing_key = "0123456789abcdef0123456789abcdef"
            """)
        let descriptions = [valid.redactedDescription, String(describing: valid), String(reflecting: valid), "\(valid.webhooks[0].secrets)"]
        for description in descriptions {
            for secret in ["PASSWORD123", "PASSWORD456", "EXTERNALSECRET", "SLACKTOKEN", String(validSecret.dropFirst(6)), "0123456789abcdef"] {
                #expect(!description.contains(secret), "\(secret) in \(description)")
            }
        }
        #expect(valid.redactedDescription.contains(#"url = "postgres://admin:***@db/x?password=***""#))
        #expect(valid.redactedDescription.contains(#"url = "https://hooks.slack.com/***""#))
        #expect(valid.redactedDescription.contains(#"secret = ["***"]"#))
        #expect(valid.redactedDescription.contains(#"external_id = "***""#))
    }
}
