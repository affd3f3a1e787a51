import Testing
@testable import InspectorSyncConfig

@Suite struct ConfigurationProblemTests {
    /// (appended to the minimal file, exact expected problems); the first appended line is line 8.
    static let cases: [(String, [String])] = [
        ("[sync]\npage_size = 101", ["config.toml:9: sync.page_size: must be between 1 and 100 (got 101)"]),
        ("[sync]\npage_size = 0", ["config.toml:9: sync.page_size: must be between 1 and 100 (got 0)"]),
        ("[sync]\npage_size = \"100\"", ["config.toml:9: sync.page_size: must be an integer (got string)"]),
        ("[sync]\nmax_concurrent_targets = 0", ["config.toml:9: sync.max_concurrent_targets: must be at least 1 (got 0)"]),
        ("[sync]\ninterval = \"0s\"", [#"config.toml:9: sync.interval: must be greater than zero (got "0s")"#]),
        ("[sync]\ninterval = \"-5m\"", [#"config.toml:9: sync.interval: must be a duration like "30s", "5m" or "1h30m" (units ms, s, m, h, d) (got "-5m")"#]),
        ("[sync]\ninterval = 300", [#"config.toml:9: sync.interval: must be a duration string like "30s", "5m" or "1h30m" (got integer)"#]),
        ("[sync]\nintervall = \"5m\"", ["config.toml:9: sync.intervall: unknown key (did you mean sync.interval?)"]),
        ("[sync]\ncolour = 1", ["config.toml:9: sync.colour: unknown key"]),
        ("[synk]\ninterval = \"5m\"", ["config.toml:8: synk: unknown section (did you mean [sync]?)"]),
        ("[sync]\nevents_on_first_sync = \"yes\"", ["config.toml:9: sync.events_on_first_sync: must be true or false (got string)"]),
        ("[log]\nlevel = \"verbose\"", [#"config.toml:9: log.level: must be one of "trace", "debug", "info", "notice", "warning", "error", "critical" (got "verbose")"#]),
        ("[http]\nlisten = \"9464\"", [#"config.toml:9: http.listen: must be host:port like "127.0.0.1:9464" or "[::1]:9464", or "off" (got "9464")"#]),
        ("[aws]\nregions = [\"us-east-1\", \"useast1\"]", [#"config.toml:9: aws.regions[1]: not an AWS region name like "us-east-1" (got "useast1")"#]),
        ("[aws]\nregions = [\"us-east-1\", 2]", ["config.toml:9: aws.regions[1]: must be a string (got integer)"]),
        ("[aws]\nendpoint_url = \"localhost:4566\"", ["config.toml:9: aws.endpoint_url: must be an http:// or https:// URL with a host"]),
        ("[aws]\nmax_requests_per_second = 0", ["config.toml:9: aws.max_requests_per_second: must be greater than zero (got 0.0)"]),
        ("[discovery]\nmode = \"dynamic\"", [#"config.toml:9: discovery.mode: must be one of "delegated-admin", "static" (got "dynamic")"#]),
        ("[[accounts]]\nid = \"12345\"\nrole_arn = \"arn:aws:iam::999988887777:role/R\"", [
            #"config.toml:9: accounts[1].id: must be a 12-digit AWS account id (got "12345")"#,
        ]),
        ("[[accounts]]\nid = \"999988887777\"\nrole_arn = \"arn:aws:iam::999988887777:user/R\"", [
            #"config.toml:10: accounts[1].role_arn: must be an IAM role ARN like arn:aws:iam::123456789012:role/NAME (got "arn:aws:iam::999988887777:user/R")"#,
        ]),
        ("[[accounts]]\nid = \"999988887777\"\nrole_arn = \"arn:aws-us-gov:iam::111122223333:role/R\"", [
            "config.toml:10: accounts[1].role_arn: the role is in account 111122223333, not in account 999988887777",
        ]),
        ("[[accounts]]\nid = \"111122223333\"", ["config.toml:9: accounts[1].id: account 111122223333 is listed twice (also accounts[0])"]),
        ("[[accounts]]\nrole_arn = \"arn:aws:iam::999988887777:role/R\"", ["config.toml:8: accounts[1].id: required"]),
        ("[[webhooks]]\nname = \"Bad Name\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"", [
            #"config.toml:9: webhooks[0].name: must be 1 to 64 characters of a-z, 0-9, '_' and '-' (got "Bad Name")"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"ftp://e.com\"\nsecret = \"\(validSecret)\"", [
            "config.toml:10: webhooks[0].url: must be an http:// or https:// URL with a host",
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"http://127.0.0.1:8080/hook\"\nsecret = \"\(validSecret)\"", [
            "config.toml:10: webhooks[0].url: points to a loopback or private address; set allow_private_networks = true to allow it",
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"", [
            #"config.toml:8: webhooks[0].secret: required for format "cloudevents" (set secret, secret_file or INSPECTOR_SYNC_WEBHOOK_A_SECRET)"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"whsec_c2hvcnQ=\"", [
            #"config.toml:11: webhooks[0].secret: must be "whsec_" followed by the base64 of 24 to 64 random bytes"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = [\"\(validSecret)\", \"hunter2\"]", [
            #"config.toml:11: webhooks[0].secret[1]: must be "whsec_" followed by the base64 of 24 to 64 random bytes"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret_file = \"/run/missing\"", [
            #"config.toml:11: webhooks[0].secret_file: cannot read "/run/missing""#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\nsecret_file = \"/x\"", [
            "config.toml:12: webhooks[0].secret_file: set secret or secret_file, not both",
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nformat = \"pagerduty\"", [
            #"config.toml:8: webhooks[0].routing_key: required for format "pagerduty" (set routing_key or routing_key_file)"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\nevents = [\"finding.create\", \"finding.*\", \"nope.*\"]", [
            #"config.toml:12: webhooks[0].events[0]: unknown event type "finding.create" (use a type like "finding.created" or a wildcard like "finding.*"; did you mean "finding.created"?)"#,
            #"config.toml:12: webhooks[0].events[2]: unknown event type "nope.*" (use a type like "finding.created" or a wildcard like "finding.*")"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\nmin_severity = \"SEVERE\"", [
            #"config.toml:12: webhooks[0].min_severity: must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED (got "SEVERE")"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\nretry_schedule = [\"0s\", \"soon\"]", [
            #"config.toml:12: webhooks[0].retry_schedule[1]: must be a duration like "30s", "5m" or "1h30m" (units ms, s, m, h, d) (got "soon")"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\n[[webhooks]]\nname = \"a\"\nurl = \"https://f.com\"\nsecret = \"\(validSecret)\"", [
            #"config.toml:13: webhooks[1].name: duplicate webhook name "a" (also webhooks[0])"#,
        ]),
        ("[[webhooks]]\nname = \"a\"\nurl = \"https://e.com\"\nsecret = \"\(validSecret)\"\nscret = 1", [
            "config.toml:12: webhooks[0].scret: unknown key (did you mean webhooks[0].secret?)",
        ]),
        ("[database]\nschema = \"public\"", ["config.toml:8: table [database] is defined twice (first at line 2) (column 1)"]),
        ("x = = 1", ["config.toml:8: expected a value (string, number, boolean, date-time, array or inline table; strings need quotes) (column 5)"]),
    ]

    @Test(arguments: 0..<cases.count) func invalid(index: Int) {
        let (appended, expected) = Self.cases[index]
        let found = problems(minimalTOML + appended)
        #expect(found == expected, "\(appended)")
    }

    @Test func syntaxErrorRendering() {
        #expect(problems("[database]\nschema = \"public\"\n[database]") == ["config.toml:3: table [database] is defined twice (first at line 1) (column 1)"])
    }

    @Test func sectionOfTheWrongType() {
        #expect(problems("sync = 1\n" + minimalTOML) == ["config.toml:1: sync: must be a table ([sync]), got integer"])
        #expect(problems("accounts = 1\n[database]\nurl = \"postgres://h/d\"") == [
            "config.toml:1: accounts: must be an array of tables ([[accounts]]), got integer",
            #"config.toml: accounts: static discovery needs at least one [[accounts]] entry (or set [discovery] mode = "delegated-admin")"#,
        ])
    }

    @Test func schemaOtherThanInspector() {
        let toml = minimalTOML.replacingOccurrences(of: "[database]\n", with: "[database]\nschema = \"public\"\n")
        #expect(problems(toml) == [#"config.toml:3: database.schema: only "inspector" is supported for now (got "public")"#])
    }

    @Test func collectsAllProblemsInOnePass() {
        let found = problems("""
            [database]
            url = "mysql://x"
            [sync]
            page_size = 0
            overlap = "-1s"
            lease_duration = "0s"
            [log]
            format = "xml"
            """)
        // Sorted by line; problems without a line come last.
        #expect(found == [
            "config.toml:2: database.url: must be a PostgreSQL URL like postgres://user@host:5432/database",
            "config.toml:4: sync.page_size: must be between 1 and 100 (got 0)",
            #"config.toml:5: sync.overlap: must be a duration like "30s", "5m" or "1h30m" (units ms, s, m, h, d) (got "-1s")"#,
            #"config.toml:6: sync.lease_duration: must be greater than zero (got "0s")"#,
            #"config.toml:8: log.format: must be one of "text", "json" (got "xml")"#,
            #"config.toml: accounts: static discovery needs at least one [[accounts]] entry (or set [discovery] mode = "delegated-admin")"#,
        ])
    }

    @Test func missingDatabaseURL() {
        #expect(problems("[[accounts]]\nid = \"111122223333\"") == [
            "config.toml: database.url: required (set [database] url or url_file, or INSPECTOR_SYNC_DATABASE_URL)",
        ])
        #expect(problems("[database]\nschema = \"inspector\"\n[[accounts]]\nid = \"111122223333\"") == [
            "config.toml:1: database.url: required (set [database] url or url_file, or INSPECTOR_SYNC_DATABASE_URL)",
        ])
    }

    @Test func staticModeWithoutAccounts() {
        #expect(problems("[database]\nurl = \"postgres://h/d\"\n[discovery]\nmode = \"static\"") == [
            #"config.toml:4: accounts: static discovery needs at least one [[accounts]] entry (or set [discovery] mode = "delegated-admin")"#,
        ])
        #expect(problems("[database]\nurl = \"postgres://h/d\"\n[discovery]\nmode = \"delegated-admin\"").isEmpty)
    }

    @Test func allowPrivateNetworks() {
        let toml = minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"http://10.0.0.5/h\"\nsecret = \"\(validSecret)\"\nallow_private_networks = true\n"
        #expect(problems(toml).isEmpty)
        for host in ["localhost", "192.168.1.1", "172.20.0.1", "169.254.169.254", "[::1]", "[fd00::1]", "0.0.0.0"] {
            let toml = minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"http://\(host)/h\"\nsecret = \"\(validSecret)\"\n"
            #expect(problems(toml).count == 1, "\(host)")
        }
        for host in ["8.8.8.8", "172.32.0.1", "hooks.example.com"] {
            let toml = minimalTOML + "[[webhooks]]\nname = \"a\"\nurl = \"http://\(host)/h\"\nsecret = \"\(validSecret)\"\n"
            #expect(problems(toml).isEmpty, "\(host)")
        }
    }
}
