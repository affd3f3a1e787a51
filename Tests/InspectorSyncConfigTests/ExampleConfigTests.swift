import Foundation
import Testing
@testable import InspectorSyncConfig

@Suite struct ExampleConfigTests {
    static let exampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config.example.toml")

    static func example() throws -> String {
        try String(contentsOf: exampleURL, encoding: .utf8)
    }

    @Test func loadsWithoutProblems() throws {
        let text = try Self.example()
        let (configuration, problems, _) = InspectorSyncConfiguration.loadCollecting(
            toml: text, filePath: "config.example.toml", environment: [:], readFile: { _ in nil }
        )
        #expect(problems.map(\.description) == [])
        #expect(configuration?.webhooks.count == 2)
        #expect(configuration?.webhooks.first?.retrySchedule == InspectorSyncConfiguration.Webhook.defaultRetrySchedule)
    }

    /// Every registered key appears in the example, set or commented out, inside its section.
    @Test func documentsEveryKey() throws {
        let text = try Self.example()
        var sectionOf: [String: Set<String>] = [:]
        var current = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                continue
            }
            let uncommented = line.hasPrefix("# ") ? String(line.dropFirst(2)) : line
            guard let equals = uncommented.firstIndex(of: "="), !current.isEmpty else { continue }
            let key = uncommented[..<equals].trimmingCharacters(in: .whitespaces)
            if key.allSatisfy({ $0.isLetter || $0 == "_" }) { sectionOf[current, default: []].insert(key) }
        }
        for key in ConfigurationKeys.all {
            #expect(sectionOf[key.section]?.contains(key.name) == true, "\(key) is not in config.example.toml")
        }
    }

    /// The registry and the loader agree: loading reads every registered key (and no other: the
    /// loader asserts that each key it reads is registered).
    @Test func loaderReadsEveryRegisteredKey() throws {
        let (_, _, readKeys) = InspectorSyncConfiguration.loadCollecting(
            toml: try Self.example(), filePath: "config.example.toml", environment: [:], readFile: { _ in nil }
        )
        #expect(Set(ConfigurationKeys.all.map(\.description)).subtracting(readKeys) == [])
    }

    @Test func environmentVariableNames() {
        let names = ConfigurationKeys.all.compactMap(\.environmentVariable)
        #expect(names.contains("INSPECTOR_SYNC_SYNC_INTERVAL"))
        #expect(names.contains("INSPECTOR_SYNC_DATABASE_URL"))
        #expect(names.contains("INSPECTOR_SYNC_HTTP_LISTEN"))
        #expect(!names.contains { $0.contains("WEBHOOKS") || $0.contains("ACCOUNTS") })
        #expect(ConfigurationKeys.webhookVariable(name: "pager-duty", key: "secret") == "INSPECTOR_SYNC_WEBHOOK_PAGER_DUTY_SECRET")
    }
}
