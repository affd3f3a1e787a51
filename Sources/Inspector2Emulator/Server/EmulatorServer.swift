import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves an `Inspector2Emulator` over HTTP/1.1 with Hummingbird's server core. The core (not
/// `Application`) is used because the emulator writes its own `Date` header from simulated time and
/// needs to reset connections and truncate bodies on purpose.
public struct EmulatorServer: Service {
    public let emulator: Inspector2Emulator
    public let host: String
    public let port: Int
    public let logger: Logger
    let onRunning: @Sendable (Int) async -> Void

    public init(emulator: Inspector2Emulator, host: String, port: Int, logger: Logger = Logger(label: "inspector2-emulator"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.emulator = emulator
        self.host = host
        self.port = port
        self.logger = logger
        self.onRunning = onRunning
    }

    struct InjectedFault: Error {}

    public func run() async throws {
        let emulator = self.emulator
        let onRunning = self.onRunning
        let server = try HTTPServerBuilder.http1().buildServer(
            configuration: ServerConfiguration(address: .hostname(host, port: port), serverName: nil),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger,
            responder: { request, responseWriter, channel in
                var request = request
                let buffer = try await request.collectBody(upTo: 64 << 20)
                let query = request.uri.query.map { EmulatorState.formDecode($0) } ?? []
                // HTTPTypes moves Host into the :authority pseudo-header; SigV4 signs it as `host`.
                var headers = request.headers.map { ($0.name.canonicalName, $0.value) }
                if let authority = request.head.authority { headers.append(("host", authority)) }
                let emulatorRequest = EmulatorRequest(
                    method: request.method.rawValue, path: request.uri.path, query: query, rawQuery: request.uri.query ?? "",
                    headers: headers,
                    body: Array(buffer: buffer))
                let response = emulator.handle(emulatorRequest)
                if response.delay > 0 { try await Task.sleep(for: .milliseconds(Int(response.delay * 1000))) }
                var fields = HTTPFields()
                for (name, value) in response.headers {
                    if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
                }
                switch response.fault {
                case .reset:
                    try? await channel.close()
                    throw InjectedFault()
                case .truncate:
                    // Promise the full length, send half, then drop the connection.
                    fields[.contentLength] = String(response.body.count)
                    var writer = try await responseWriter.writeHead(HTTPResponse(status: .init(code: response.status), headerFields: fields))
                    try await writer.write(ByteBuffer(bytes: response.body.prefix(response.body.count / 2)))
                    try? await channel.close()
                    throw InjectedFault()
                case .none:
                    fields[.contentLength] = String(response.body.count)
                    try await responseWriter.write(
                        response: HTTPResponse(status: .init(code: response.status), headerFields: fields),
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
                }
            },
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }
        )
        try await server.run()
    }
}

/// A running in-process emulator, for tests: its engine and the port it listens on.
public struct RunningEmulator: Sendable {
    public let emulator: Inspector2Emulator
    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
}

extension EmulatorServer {
    /// Starts an emulator on a free port, runs `body`, then shuts the server down gracefully.
    public static func withRunning<T: Sendable>(
        _ configuration: EmulatorConfiguration,
        logger: Logger = Logger(label: "inspector2-emulator"),
        _ body: @Sendable (RunningEmulator) async throws -> T
    ) async throws -> T {
        try await withRunning(Inspector2Emulator(configuration: configuration), host: configuration.host, logger: logger, body)
    }

    public static func withRunning<T: Sendable>(
        _ emulator: Inspector2Emulator,
        host: String = "127.0.0.1",
        logger: Logger = Logger(label: "inspector2-emulator"),
        _ body: @Sendable (RunningEmulator) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = EmulatorServer(emulator: emulator, host: host, port: 0, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                throw CancellationError()
            }
            do {
                let result = try await body(RunningEmulator(emulator: emulator, port: port))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
