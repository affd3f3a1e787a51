import Foundation

/// A child process started in the background, for tests that signal or kill it.
public final class RunningProcess: @unchecked Sendable {
    // Process is not Sendable; this wrapper is used from one test task at a time.
    public let process: Process
    private let out = Pipe(), err = Pipe()
    private let outputFile: URL

    public init(_ executable: BuiltExecutable, _ arguments: [String], environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = executable.url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        // Output goes to a file: a pipe nobody reads would block the child.
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit, up to `timeout`; nil if it is still running then.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputFile)
    }
}
