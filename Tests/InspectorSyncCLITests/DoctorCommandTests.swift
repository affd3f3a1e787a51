import FindingStore
import Foundation
import Inspector2Emulator
import PostgresNIO
import PostgresTestSupport
import Testing

/// `inspector-sync doctor` against the emulator and a real database: passes when all is well, and
/// names each broken dependency with its fix.
@Suite struct DoctorCommandTests {
    static func config(_ url: String, emulatorPort: Int, webhookPort: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString).toml").path
        try """
        [database]
        url = "\(url)"

        [aws]
        regions = ["us-east-1", "eu-west-1"]
        endpoint_url = "http://127.0.0.1:\(emulatorPort)"

        [discovery]
        mode = "delegated-admin"

        [[webhooks]]
        name = "receiver"
        url = "http://127.0.0.1:\(webhookPort)/hook?token=do-not-print-me"
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        allow_private_networks = true
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func execute(_ url: DatabaseURL, _ statements: String...) async throws {
        try await PostgresClient.withClient(configuration: try url.clientConfiguration(), logger: TestDatabase.logger) { client in
            for statement in statements { try await client.query(PostgresQuery(unsafeSQL: statement)) }
        }
    }

    static func text(_ url: DatabaseURL, user: String? = nil) -> String {
        "postgres://\(user ?? url.username)@\(url.host):\(url.port)/\(url.database!)?sslmode=disable"
    }

    @Test func passesWhenEverythingIsInPlace() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        var emulatorConfiguration = DaemonTests.emulatorConfiguration(seed: 5, findings: 10)
        emulatorConfiguration.requireSigV4 = true
        try await EmulatorServer.withRunning(emulatorConfiguration, logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: true)
            // Any HTTP answer counts as reachable: the emulator stands in for a receiver.
            let config = try Self.config(Self.text(url), emulatorPort: emulator.port, webhookPort: emulator.port)
            let result = try await cli.run(["doctor", "--config", config], environment: DaemonTests.credentials)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("ok    migrations"), "\(result.stdout)")
            #expect(result.stdout.contains("ok    privileges"))
            #expect(result.stdout.contains("from environment"))
            #expect(result.stdout.contains("account \(emulator.emulator.adminAccountId)"))
            #expect(result.stdout.contains("ok    region eu-west-1"))
            #expect(result.stdout.contains("ListMembers: 2 associated member(s)"))
            #expect(result.stdout.contains("ok    webhook receiver"))
            #expect(!result.stdout.contains("do-not-print-me"), "a webhook URL's query may hold a token")
            #expect(result.stdout.contains("all 9 checks passed"))
            try await TestDatabase.drop(url)
        }
    }

    @Test func namesEveryBrokenDependencyWithItsFix() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        var emulatorConfiguration = DaemonTests.emulatorConfiguration(seed: 5, findings: 10)
        emulatorConfiguration.requireSigV4 = true
        try await EmulatorServer.withRunning(emulatorConfiguration, logger: .init(label: "emu")) { emulator in
            // A migrated database, but a role with no privileges on it.
            let url = try await TestDatabase.create(migrated: true)
            let role = "doctor_\(UUID().uuidString.prefix(8).lowercased())"
            try await Self.execute(url, "CREATE ROLE \(role) LOGIN", "GRANT USAGE ON SCHEMA inspector TO \(role)", "GRANT SELECT ON ALL TABLES IN SCHEMA inspector TO \(role)")
            let config = try Self.config(Self.text(url, user: role), emulatorPort: emulator.port, webhookPort: freeLoopbackPort())
            var credentials = DaemonTests.credentials
            credentials["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
            let result = try await cli.run(["doctor", "--config", config], environment: credentials)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("FAIL  privileges"), "\(result.stdout)")
            #expect(result.stdout.contains("lacks accounts: DELETE"), "\(result.stdout)")
            #expect(result.stdout.contains("fix: apply deploy/roles.sql"))
            #expect(result.stdout.contains("FAIL  identity"))
            #expect(result.stdout.contains("FAIL  webhook receiver"))
            #expect(!result.stdout.contains("wrong-secret"), "secrets are never printed")
            #expect(result.stdout.contains("checks failed"))
            try await Self.execute(url, "DROP OWNED BY \(role)", "DROP ROLE \(role)")
            try await TestDatabase.drop(url)
        }
    }

    @Test func pendingMigrationsAreAFailureWithTheCommandThatFixesThem() async throws {
        let cli = try BuiltExecutable("inspector-sync")
        try await EmulatorServer.withRunning(DaemonTests.emulatorConfiguration(seed: 5, findings: 10), logger: .init(label: "emu")) { emulator in
            let url = try await TestDatabase.create(migrated: false)
            let config = try Self.config(Self.text(url), emulatorPort: emulator.port, webhookPort: emulator.port)
            let result = try await cli.run(["doctor", "--config", config], environment: DaemonTests.credentials)
            #expect(result.status == 1)
            #expect(result.stdout.contains("FAIL  migrations"), "\(result.stdout)")
            #expect(result.stdout.contains("fix: run `inspector-sync migrate`"))
            try await TestDatabase.drop(url)
        }
    }
}
