import Foundation

/// A child process started in the background, for tests that signal or kill it.
public final class RunningProcess: @unchecked Sendable {
    // Process is not Sendable; this wrapper is used from one test task at a time.
    public let process: Process
    private let outputFile: URL
    private let errorFile: URL

    public init(_ executable: BuiltExecutable, _ arguments: [String], environment extra: [String: String] = [:], removing: [String] = []) throws {
        process = Process()
        process.executableURL = executable.url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        for key in removing { environment[key] = nil }
        process.environment = environment
        // Output goes to files: a pipe nobody reads would block the child, and reading pipes with
        // blocking calls would starve the cooperative thread pool that in-process servers need.
        let id = UUID().uuidString
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(id).out")
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(id).err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
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

    public var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
    /// Both streams, for failure messages.
    public var output: String { stdout + stderr }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputFile)
        try? FileManager.default.removeItem(at: errorFile)
    }
}

/// A loopback TCP port that was free a moment ago (bind to 0, read the port, close).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
