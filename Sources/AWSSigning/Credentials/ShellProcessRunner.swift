import Foundation

public struct CredentialProcessOutput: Sendable {
    public var exitCode: Int32
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public init(exitCode: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        self.exitCode = exitCode
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs a `credential_process` command line.
public protocol CredentialProcessRunner: Sendable {
    func run(command: String, environment: [String: String], timeout: TimeInterval) async throws -> CredentialProcessOutput
}

/// Runs the command with `/bin/sh -c` (as the Rust and Go SDKs do on Unix), stdin closed.
public struct ShellProcessRunner: CredentialProcessRunner {
    public init() {}

    public func run(command: String, environment: [String: String], timeout: TimeInterval) async throws -> CredentialProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            // Blocking reads and waits run on a dispatch thread, not on the cooperative pool.
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                process.environment = environment
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    if process.isRunning { process.terminate() }
                }
                let errorBox = DataBox()
                let group = DispatchGroup()
                let errorHandle = stderr.fileHandleForReading
                group.enter()
                // stderr is drained in parallel so a chatty process cannot block on a full pipe.
                DispatchQueue.global().async {
                    errorBox.set(errorHandle.readDataToEndOfFile())
                    group.leave()
                }
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: CredentialProcessOutput(
                    exitCode: process.terminationStatus,
                    standardOutput: Array(output),
                    standardError: Array(errorBox.get())
                ))
            }
        }
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
