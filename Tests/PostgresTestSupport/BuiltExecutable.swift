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

    /// Runs to completion with the given arguments and extra environment (without blocking a thread
    /// of the cooperative pool: tests run servers in-process that the child talks to).
    public func run(_ arguments: [String], environment extra: [String: String] = [:], removing: [String] = []) async throws -> Result {
        let process = try RunningProcess(self, arguments, environment: extra, removing: removing)
        guard let status = await process.waitForExit(timeout: .seconds(600)) else {
            process.signal(SIGKILL)
            throw TestDatabaseError("\(url.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within 10 minutes")
        }
        return Result(status: status, stdout: process.stdout, stderr: process.stderr)
    }
}
