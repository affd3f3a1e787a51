import AWSSigning
import AsyncHTTPClient
import Foundation
import Inspector2Model
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import Inspector2Client

/// An independent implementation checks our signatures: moto's server with IAM authentication
/// on. The first three actions (creating an IAM user, its policy and an access key) run
/// unauthenticated (`INITIAL_NO_AUTH_ACTION_COUNT=3`); from then on moto recomputes every
/// SigV4 signature with botocore and refuses a mismatch.
@Suite(.serialized) struct MotoServerTests {
    static let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"

    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", "import moto.server, boto3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }()

    static let bootstrap = """
    import boto3, json, sys
    iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName="inspector-sync")
    iam.put_user_policy(UserName="inspector-sync", PolicyName="inspector",
        PolicyDocument=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "inspector2:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="inspector-sync")["AccessKey"]
    print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
    """

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// moto's server installs a SIGTERM handler that does not stop the werkzeug loop, so ask
    /// politely, then kill the process we started (by its own pid).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<30 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: MotoServerTests.isAvailable, "moto (python3 -m moto.server) and boto3 are not installed; skipping the independent SigV4 check"))
    func motoAcceptsOurSignaturesAndRefusesAWrongSecret() async throws {
        // The port is free when picked but may be taken before moto binds it (other tests start
        // servers too): a moto that exits at once is started again on another port.
        let http = Inspector2Client.makeHTTPClient()
        var ready = false
        var endpoint = ""
        var server = Process()
        var motoLog = ""
        for _ in 0..<5 where !ready {
            let port = try await Self.freePort()
            endpoint = "http://127.0.0.1:\(port)"
            server = Process()
            server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            server.arguments = [Self.python, "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
            var environment = ProcessInfo.processInfo.environment
            environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
            server.environment = environment
            // Its output goes to a file, shown when it does not come up.
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: log) }
            server.standardOutput = FileHandle.nullDevice
            server.standardError = try FileHandle(forWritingTo: log)
            try server.run()
            // Wait until it listens (the moto-api endpoint needs no auth and counts no action); up
            // to a minute: moto's start-up is slow on a loaded machine.
            for _ in 0..<300 where server.isRunning {
                do {
                    var probe = HTTPClientRequest(url: "\(endpoint)/moto-api/data.json")
                    probe.method = .GET
                    let response = try await http.execute(probe, timeout: .seconds(1))
                    _ = try await response.body.collect(upTo: 1 << 24)
                    ready = true
                    break
                } catch {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            motoLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if !ready { Self.stop(server) }
        }
        defer { Self.stop(server) }

        // Everything that can throw from here on shuts the client down first: an HTTPClient dropped
        // without shutdown traps the whole test process.
        let accessKeyId: String, secret: String
        do {
            try #require(ready, "moto server did not start on \(endpoint) (running: \(server.isRunning)): \(motoLog.suffix(2000))")
            let (status, output) = try Self.run([Self.python, "-c", Self.bootstrap, endpoint])
            try #require(status == 0, "IAM bootstrap failed: \(output)")
            let key = try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
            accessKeyId = try #require(key["id"])
            secret = try #require(key["secret"])
        } catch {
            try await http.shutdown()
            throw error
        }

        func client(secret: String) throws -> Inspector2Client {
            var configuration = Inspector2ClientConfiguration(
                region: "us-east-1",
                credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret)),
                endpoint: endpoint,
                environment: [:],
                retryPolicy: RetryPolicy(maxAttempts: 2)
            )
            configuration.sleep = { _ in }
            return try Inspector2Client(configuration: configuration, httpClient: http)
        }

        do {
            // The wrong secret first, so authentication is known to be on for the good calls.
            let bad = try client(secret: secret + "x")
            do {
                _ = try await bad.listMembers(ListMembersRequest())
                Issue.record("moto accepted a request signed with the wrong secret")
            } catch {
                #expect(error.code == .service)
                #expect(error.httpStatus == 403)
                #expect(error.serviceCode?.rawValue == "SignatureDoesNotMatch", "\(error)")
                #expect(error.attempts == 1, "a refused signature is not retried")
                #expect(!error.description.contains(secret))
            }
            let good = try client(secret: secret)
            let enabled = try await good.enable(EnableRequest(accountIds: ["123456789012"], resourceTypes: [.ec2, .ecr]))
            #expect(enabled.accounts.first?.accountId == "123456789012")
            let members = try await good.send(ListMembersRequest())
            #expect(members.httpStatus == 200)
            #expect(members.serverDate != nil)
            _ = try await good.listFilters(ListFiltersRequest())
            let page = try await good.listFindingsPage(ListFindingsRequest(maxResults: 10))
            #expect(page.nextToken == nil)

        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
