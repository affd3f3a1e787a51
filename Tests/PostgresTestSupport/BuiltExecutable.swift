import Foundation

/// Runs one of the package's executables, as built by `swift build` (scripts/test exports
/// INSPECTOR_SYNC_BIN_DIR; without it, the default debug folder is tried).
public struct BuiltExecutable: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public let url: URL

    public init(_ name: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = environment["INSPECTOR_SYNC_BIN_DIR"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".build/debug")
        url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestDatabaseError("\(url.path) is not built: run the tests with scripts/test (it builds the executables first)")
        }
    }

    /// Runs to completion with the given arguments and extra environment.
    public func run(_ arguments: [String], environment extra: [String: String] = [:], removing: [String] = []) async throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        for key in removing { environment[key] = nil }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: a full pipe would otherwise block the child forever.
        async let stdout = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let stderr = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        let (o, e) = await (stdout, stderr)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
