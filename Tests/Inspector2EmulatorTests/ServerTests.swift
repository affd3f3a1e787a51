import Foundation
import Inspector2Emulator
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Over a real socket: the HTTP layer, injected transport faults, and boto3 + the aws CLI as independent clients.
@Suite struct ServerTests {
    static func config(findings: Int = 100) -> EmulatorConfiguration {
        var c = EmulatorConfiguration()
        c.port = 0
        c.findingsPerAccountRegion = findings
        c.accounts = 2
        c.startTime = 1_790_000_000
        return c
    }

    static func send(_ url: String, method: String = "POST", body: String? = nil) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        request.setValue("AWS4-HMAC-SHA256 Credential=\(EmulatorConfiguration.defaultAccessKey)/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host, Signature=0", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, response as! HTTPURLResponse)
    }

    @Test func servesOverHTTP() async throws {
        try await EmulatorServer.withRunning(Self.config()) { running in
            let (data, response) = try await Self.send(running.endpoint + "/findings/list", body: #"{"maxResults":3}"#)
            #expect(response.statusCode == 200)
            // Simulated time: the configured start plus the (short) real time the test has run.
            #expect(response.value(forHTTPHeaderField: "Date")?.hasPrefix("Mon, 21 Sep 2026 14:1") == true)
            #expect(response.value(forHTTPHeaderField: "x-amzn-RequestId") != nil)
            let json = try JSONValue.parse(Array(data))
            #expect(json["findings"]?.arrayValue?.count == 3)
            let (err, errResponse) = try await Self.send(running.endpoint + "/findings/list", body: #"{"maxResults":0}"#)
            #expect(errResponse.statusCode == 400)
            #expect(errResponse.value(forHTTPHeaderField: "x-amzn-ErrorType") == "ValidationException")
            #expect(try JSONValue.parse(Array(err))["message"] != nil)
            // A tag path with an encoded ARN.
            let arn = "arn:aws:inspector2:us-east-1:123456789012:finding/abc".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (_, tagResponse) = try await Self.send(running.endpoint + "/tags/" + arn, method: "GET")
            #expect(tagResponse.statusCode == 200)
        }
    }

    @Test func resetAndTruncateBreakTheConnection() async throws {
        try await EmulatorServer.withRunning(Self.config()) { running in
            for fault in ["resetRate", "truncateRate"] {
                _ = try await Self.send(running.endpoint + "/_emulator/faults", body: #"{"\#(fault)": 1.0}"#)
                await #expect(throws: (any Error).self, "\(fault)") {
                    _ = try await Self.send(running.endpoint + "/findings/list", body: "{}")
                }
            }
            _ = try await Self.send(running.endpoint + "/_emulator/faults", body: "{}")
            let (_, ok) = try await Self.send(running.endpoint + "/findings/list", body: "{}")
            #expect(ok.statusCode == 200)
        }
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        // Collect output off the cooperative pool; the emulator answers the script from it meanwhile.
        let output = Mutex(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            output.withLock { $0.append(chunk) }
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        let rest = pipe.fileHandleForReading.readDataToEndOfFile()
        let text = output.withLock { String(decoding: $0 + rest, as: UTF8.self) }
        return (status, text)
    }

    static let boto3Available: Bool = {
        guard let python = which("python3") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import boto3"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    @Test(.enabled(if: ServerTests.boto3Available, "python3 with boto3 is not installed: skipping the boto3/aws CLI check"))
    func boto3DrivesAllActions() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/emulator-boto3-check.py").path
        let python = try #require(Self.which("python3"))
        // Every boto3/CLI request must carry a valid signature (real client, real SigV4).
        var config = Self.config(findings: 150)
        config.requireSigV4 = true
        let (status, output) = try await EmulatorServer.withRunning(config) { running in
            try await Self.run(python, [script, running.endpoint] + (Self.which("aws") == nil ? ["--skip-cli"] : []))
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("ok   all 30 actions called"))
    }
}

import Synchronization
