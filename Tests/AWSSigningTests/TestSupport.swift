import AWSSigning
import AWSSigningHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "aws-signing-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ contents: String, executable: Bool = false) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A settable wall clock for cache tests.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var closure: @Sendable () -> Date { { self.now } }
}

/// Sends through AsyncHTTPClient but only to loopback addresses: a test that would otherwise fall
/// through to the real IMDS/ECS link-local hosts fails instead of sending traffic there.
struct LoopbackOnlyTransport: CredentialHTTPTransport {
    struct Refused: Error {}
    let inner = AsyncHTTPClientCredentialTransport()

    func send(_ request: CredentialHTTPRequest) async throws -> CredentialHTTPResponse {
        guard request.url.hasPrefix("http://127.0.0.1:") || request.url.hasPrefix("http://localhost:") else { throw Refused() }
        return try await inner.send(request)
    }
}

extension CredentialProviderContext {
    /// A context with only `variables` (plus HOME) and a loopback-only transport.
    static func test(_ variables: [String: String], home: String, now: @escaping @Sendable () -> Date = { Date() }) -> CredentialProviderContext {
        var all = variables
        all["HOME"] = home
        // The SDKs' 1 s metadata timeout is for a real host; a loaded test machine needs slack, and a
        // timeout there would turn an expected HTTP error into "not loaded".
        if all["AWS_METADATA_SERVICE_TIMEOUT"] == nil { all["AWS_METADATA_SERVICE_TIMEOUT"] = "15" }
        return CredentialProviderContext(variables: all, homeDirectory: home, transport: LoopbackOnlyTransport(), now: now)
    }
}

/// Counts calls; safe across tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
    var count: Int { lock.withLock { value } }
}

/// Records the last value of something a server saw.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []
    func append(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
}

/// Runs `body` with a live Hummingbird server for `router` on a loopback port.
func withServer<Value: Sendable>(_ router: Router<BasicRequestContext>, _ body: @Sendable @escaping (Int) async throws -> Value) async throws -> Value {
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in
        try await body(client.port!)
    }
}

extension Request {
    /// The request as the verifier wants it. HTTPTypes moves `Host` into `:authority`.
    func incoming(body: [UInt8]) -> SigV4Verifier.IncomingRequest {
        var headers: [(name: String, value: String)] = head.headerFields.map { ($0.name.rawName, $0.value) }
        if let authority = head.authority { headers.append(("Host", authority)) }
        return SigV4Verifier.IncomingRequest(method: method.rawValue, path: uri.path, rawQuery: uri.query ?? "", headers: headers, payload: .bytes(body))
    }

    func header(_ name: String) -> String? {
        head.headerFields.first { $0.name.rawName.lowercased() == name.lowercased() }?.value
    }
}

/// Parses an `application/x-www-form-urlencoded` body.
func formFields(_ body: [UInt8]) -> [String: String] {
    var fields: [String: String] = [:]
    for item in SigV4Encoding.parseQuery(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")) {
        fields[item.name] = item.value
    }
    return fields
}

func stsCredentialsXML(action: String, accessKeyId: String, secret: String, token: String, expiration: String) -> String {
    """
    <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <\(action)Result>
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
        <Credentials>
          <AccessKeyId>\(accessKeyId)</AccessKeyId>
          <SecretAccessKey>\(secret)</SecretAccessKey>
          <SessionToken>\(token)</SessionToken>
          <Expiration>\(expiration)</Expiration>
        </Credentials>
      </\(action)Result>
      <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
    </\(action)Response>
    """
}

func xmlResponse(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

func jsonResponse(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// The copied `Resources` folder. Foundation on Linux treats a bundle holding a `Resources`
/// folder as an old-style bundle whose `resourceURL` already is that folder; on Darwin it is not.
let testResourcesDirectory: URL = {
    let base = Bundle.module.resourceURL!
    let nested = base.appendingPathComponent("Resources")
    return FileManager.default.fileExists(atPath: nested.appendingPathComponent("aws4_testsuite").path) ? nested : base
}()
