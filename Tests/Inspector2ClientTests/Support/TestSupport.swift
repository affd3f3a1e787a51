import Foundation
import Logging
import Synchronization
@testable import Inspector2Client

/// Stands in for SigV4 where the test is about HTTP shape, not cryptography: stamps an
/// Authorization header the test server can look for.
struct StampSigner: RequestSigning {
    func sign(_ request: inout PreparedRequest, at date: Date) async throws {
        request.headers.replaceOrAdd(name: "X-Amz-Date", value: "20151021T072800Z")
        request.headers.replaceOrAdd(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20151021/us-east-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=stamp")
    }
}

/// Records the delays the client asked to sleep, without sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] d in delays.withLock { $0.append(d) } }
    }
}

func makeTestClient(
    port: Int,
    retryPolicy: RetryPolicy = .standard,
    signer: any RequestSigning = StampSigner(),
    requestTimeout: Duration = .seconds(10),
    sleeper: SleepRecorder = SleepRecorder(),
    rateLimiter: ClientRateLimiter? = nil,
    jitter: Double = 0.5
) throws -> Inspector2Client {
    try Inspector2Client(
        configuration: Inspector2ClientConfiguration(
            region: "us-east-1",
            signer: signer,
            endpoint: "http://127.0.0.1:\(port)",
            environment: [:],
            retryPolicy: retryPolicy,
            rateLimiter: rateLimiter,
            requestTimeout: requestTimeout,
            logger: Logger(label: "test"),
            jitter: { jitter },
            sleep: sleeper.sleep
        )
    )
}

/// Runs `body` with a started server and always shuts it down.
func withServer<T>(
    _ handler: @escaping TestHTTPServer.Handler,
    _ body: (TestHTTPServer, Int) async throws -> T
) async throws -> T {
    let server = TestHTTPServer(handler: handler)
    let port = try await server.start()
    do {
        let result = try await body(server, port)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Semantic JSON equality (key order and number spelling do not matter).
func jsonEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard let x = try? JSONSerialization.jsonObject(with: Data(a), options: [.fragmentsAllowed]),
          let y = try? JSONSerialization.jsonObject(with: Data(b), options: [.fragmentsAllowed])
    else { return false }
    return JSONValue(x) == JSONValue(y)
}

/// A comparable form of what JSONSerialization returns (numbers compared as Double).
enum JSONValue: Equatable {
    case null, number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(_ any: Any) {
        switch any {
        case let d as [String: Any]: self = .object(d.mapValues(JSONValue.init))
        case let a as [Any]: self = .array(a.map(JSONValue.init))
        case let s as String: self = .string(s)
        // Foundation hands JSON booleans over as NSNumber too; true and 1 compare equal here.
        case let n as NSNumber: self = .number(n.doubleValue)
        case let i as Int: self = .number(Double(i))
        case let d as Double: self = .number(d)
        default: self = .null
        }
    }
}
