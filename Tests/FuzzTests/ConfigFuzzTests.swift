import Foundation
import InspectorSyncConfig
import Testing

/// Thousands of generated configuration files (the documented example, mutated line by line and
/// byte by byte) through the loader: never a crash; a configuration, or problems that each name
/// their key or their line, and never echo a secret.
@Suite struct ConfigFuzzTests {
    static let example: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config.example.toml")
        // The example with a password in its URL, so a leak of the URL into a message shows.
        return (try? String(contentsOf: url, encoding: .utf8))?
            .replacingOccurrences(of: "postgres://inspector_sync@localhost", with: "postgres://inspector_sync:hunter2secret@localhost") ?? ""
    }()
    /// The secrets of the example (in their own keys; a value the mutations move into another key,
    /// such as a duration, is no longer a secret there and may be quoted back).
    static let secrets = ["hunter2secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "0123456789abcdef0123456789abcdef"]

    static let values = [
        "42", "-1", "0", "101", "1e9", "3.5", "nan", "-inf", "9223372036854775808", "0x7FFF", "\"\"", "\"x\"", "true",
        "[1, \"a\"]", "[]", "{ a = 1 }", "{}", "1979-05-27T07:32:00Z", "07:32:00", "\"5x\"", "\"-5s\"",
        "\"999999999999999h\"", "\"0s\"", "\"1h30m\"", "\"500ms\"", "\"http://[::1\"", "\"credential:missing\"",
        "\"\(String(repeating: "z", count: 70_000))\"", "\"line\\nbreak\"", "'literal'", "\"\"\"multi\nline\"\"\"",
        "\"postgres://u@h/db\"", "[\"us-east-1\", 7]", "\"not-a-region\"", "\"UNKNOWN\"",
    ]
    static let headers = ["[database]", "[aws]", "[discovery]", "[sync]", "[[accounts]]", "[[webhooks]]", "[http]", "[log]",
                          "[shutdown]", "[nope]", "[[database]]", "[sync.deeper]", "[webhooks]", "[[sync]]"]
    static let keys = ["url", "interval", "page_size", "regions", "id", "name", "secret", "format", "mode", "listen",
                       "level", "grace_period", "zz_unknown", "url_file", "secret_file", "routing_key", "role_arn", "events"]

    static func mutate(_ text: String, using random: inout SplitMix64) -> (String, [String: String]) {
        var lines = text.components(separatedBy: "\n")
        var environment: [String: String] = [:]
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let index = Int.random(in: 0..<max(1, lines.count), using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1, 2:
                // A key gets a value of another type, out of range, or malformed.
                let keyed = lines.indices.filter { lines[$0].contains(" = ") && !lines[$0].hasPrefix("#") }
                if let line = keyed.isEmpty ? nil : random.pick(keyed) {
                    let key = lines[line].components(separatedBy: " = ")[0]
                    lines[line] = "\(key) = \(random.pick(values))"
                }
            case 3: if !lines.isEmpty { lines.remove(at: index) }
            case 4: if !lines.isEmpty { lines.insert(lines[index], at: index) }  // duplicate key or table
            case 5: lines.insert("\(random.pick(keys)) = \(random.pick(values))", at: index)
            case 6: lines.insert(random.pick(headers), at: index)
            case 7:
                // Bytes: TOML punctuation, control characters, or a cut.
                var bytes = Array(lines.joined(separator: "\n").utf8)
                if !bytes.isEmpty {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    if random.chance(0.3) { bytes.removeSubrange(at...) } else {
                        bytes.insert(random.pick(Array("[]{}=\"'.,#\n\\\0\u{7F}".utf8) + [0xC3, 0xFF]), at: at)
                    }
                }
                lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
            case 8:
                let variable = random.pick(["INSPECTOR_SYNC_SYNC_INTERVAL", "INSPECTOR_SYNC_DATABASE_URL", "INSPECTOR_SYNC_AWS_REGIONS",
                                            "INSPECTOR_SYNC_SYNC_PAGE_SIZE", "INSPECTOR_SYNC_WEBHOOK_SECURITY_EVENTS_SECRET", "INSPECTOR_SYNC_NOPE_KEY",
                                            "INSPECTOR_SYNC_LOG_LEVEL", "INSPECTOR_SYNC_HTTP_LISTEN"])
                environment[variable] = random.pick(["", "x", "5m", "0", "-3", "us-east-1,,eu-west-1", "whsec_short", "postgres://h/db"])
            default:
                // A generated small document instead of the example.
                if random.chance(0.3) {
                    lines = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                        random.chance(0.3) ? random.pick(headers) : "\(random.pick(keys)) = \(random.pick(values))"
                    }
                }
            }
        }
        return (lines.joined(separator: "\n"), environment)
    }

    @Test func generatedConfigFilesNeverCrash() throws {
        #expect(!Self.example.isEmpty, "config.example.toml not found")
        var loaded = 0, refused = 0, problems = 0
        for seed in FuzzBudget.seeds(base: 0x4000_0000, count: 1000, regressions: FuzzRegressionSeeds.config) {
            FuzzBudget.announce("config", seed)
            var random = SplitMix64(seed: seed)
            let (text, environment) = Self.mutate(Self.example, using: &random)
            do {
                _ = try InspectorSyncConfiguration.load(toml: text, filePath: "fuzz.toml", environment: environment, readFile: { _ in nil })
                loaded += 1
            } catch {
                refused += 1
                problems += error.problems.count
                #expect(!error.problems.isEmpty, "seed \(seed): an error without problems")
                for problem in error.problems {
                    let located: Bool
                    switch problem.source {
                    case .file(_, let line): located = line != nil || !problem.keyPath.isEmpty
                    case .environment(let variable): located = !variable.isEmpty
                    case .none: located = !problem.keyPath.isEmpty
                    }
                    #expect(located, "seed \(seed): a problem naming neither key nor line: \(problem)")
                    #expect(!problem.message.isEmpty, "seed \(seed)")
                }
                let rendered = error.rendered()
                for secret in Self.secrets where rendered.contains(secret) {
                    Issue.record("seed \(seed): the error shows a secret: \(rendered.prefix(400))")
                }
            }
        }
        print("fuzz config: \(loaded + refused) generated files: \(loaded) loaded, \(refused) refused with \(problems) problems, each naming its key or line")
        #expect(loaded > 0 && refused > 0)
    }
}
