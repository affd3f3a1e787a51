import Foundation
import PostgresTestSupport
import Testing

/// Headless Chromium (Debian's `chromium`, installed by .ci/run) renders the page.
enum Browser {
    static let executable = BuiltExecutable(onPath: "chromium")
    /// Only with INSPECTOR_SYNC_SKIP_BROWSER=1 may a machine without Chromium skip these tests.
    static let skipAllowed = ProcessInfo.processInfo.environment["INSPECTOR_SYNC_SKIP_BROWSER"] == "1"
    static var shouldRun: Bool { executable != nil || !skipAllowed }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String

        /// What the page logged to the console (script errors, CSP violations, blocked loads).
        var consoleMessages: [String] {
            stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        }
    }

    /// One Chromium run with its own profile (parallel runs would fight over a shared one).
    static func run(_ arguments: [String]) async throws -> Run {
        guard let chromium = executable else {
            throw TestDatabaseError("chromium is not installed: `apt-get install chromium` (.ci/run does), or set INSPECTOR_SYNC_SKIP_BROWSER=1 to skip the browser tests")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = try RunningProcess(chromium, [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0",
        ] + arguments)
        guard let status = await process.waitForExit(timeout: .seconds(120)) else {
            process.signal(SIGKILL)
            throw TestDatabaseError("chromium \(arguments.joined(separator: " ")) did not finish within 2 minutes: \(process.stderr.suffix(2000))")
        }
        return Run(status: status, stdout: process.stdout, stderr: process.stderr)
    }

    static var artifacts: URL {
        let directory = ProcessInfo.processInfo.environment["INSPECTOR_SYNC_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("inspector-sync-test-artifacts")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

@Suite(.serialized) struct StatusPageBrowserTests {
    @Test(.enabled(if: Browser.shouldRun, "chromium is not installed and INSPECTOR_SYNC_SKIP_BROWSER=1"))
    func chromiumRendersTheNumbersTheDatabaseHoldsWithoutConsoleErrors() async throws {
        try await StatusFixture.withSyncedStatusServer(seed: 83) { port, db in
            let expected = try await ExpectedStatus.read(db)
            #expect(expected.isSubstantial)
            let url = "http://127.0.0.1:\(port)/"

            // The DOM after parsing and layout, as Chromium serialises it.
            let dom = try await Browser.run(["--dump-dom", url])
            #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
            #expect(dom.stdout.contains("<svg"), "the charts are in the DOM")
            let problems = expected.mismatches(in: PageText(html: dom.stdout))
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(dom.consoleMessages.isEmpty, "console: \(dom.consoleMessages.joined(separator: "\n"))")
            for secret in StatusFixture.urlSecrets + [StatusFixture.webhookSecret] {
                #expect(!dom.stdout.contains(secret))
            }

            // A screenshot for people (and CI artifacts): a real PNG with something drawn in it.
            let png = Browser.artifacts.appendingPathComponent("status-page.png")
            try? FileManager.default.removeItem(at: png)
            let shot = try await Browser.run(["--screenshot=\(png.path)", "--window-size=1280,1600", "--hide-scrollbars", url])
            #expect(shot.status == 0, "\(shot.stderr.suffix(2000))")
            #expect(shot.consoleMessages.isEmpty, "console: \(shot.consoleMessages.joined(separator: "\n"))")
            let data = try Data(contentsOf: png)
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG signature")
            #expect(data.count > 20_000, "a rendered page, not a blank image (\(data.count) bytes)")
        }
    }

    /// The console check can fail: the same Chromium run reports a page that breaks the CSP.
    @Test(.enabled(if: Browser.shouldRun, "chromium is not installed and INSPECTOR_SYNC_SKIP_BROWSER=1"))
    func theConsoleCheckSeesAPageThatBreaksItsPolicy() async throws {
        let page = Browser.artifacts.appendingPathComponent("csp-violation-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: page) }
        try """
        <!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        </head><body><script>document.title = 'x'</script></body></html>
        """.write(to: page, atomically: true, encoding: .utf8)
        let run = try await Browser.run(["--dump-dom", page.absoluteString])
        #expect(!run.consoleMessages.isEmpty, "Chromium logs the blocked inline script to the console")
    }
}
