import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// (Copied from Inspector2ClientTests.) A tiny HTTP/1.1 server on 127.0.0.1 for webhook tests: records every request and answers with
/// what the test's handler decides, including broken answers (reset, truncated body, silence).
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]

        var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        var rawQuery: String? { uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) }
        /// Query items decoded, in order.
        var queryItems: [(String, String)] {
            guard let rawQuery else { return [] }
            return rawQuery.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                return (name, value)
            }
        }
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Abort the connection with a TCP reset, no answer.
        case reset
        /// Send a head promising more bytes than follow, then close.
        case truncated(status: Int, body: [UInt8], declaredLength: Int)
        /// Answer after a delay (to trigger client timeouts).
        indirect case delayed(Duration, Reply)

        static func json(_ status: Int = 200, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
        }
    }

    typealias Handler = @Sendable (Request) -> Reply

    private let handler: Mutex<Handler>
    private let recorded = Mutex<[Request]>([])
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    init(handler: @escaping Handler) {
        self.handler = Mutex(handler)
    }

    var requests: [Request] { recorded.withLock { $0 } }
    func setHandler(_ new: @escaping Handler) { handler.withLock { $0 = new } }

    func reply(to request: Request) -> Reply {
        recorded.withLock { $0.append(request) }
        let h = handler.withLock { $0 }
        return h(request)
    }

    /// Binds to a free port on 127.0.0.1 and returns it.
    func start() async throws -> Int {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestHTTPHandler(server: self))
                }
            }
        let ch = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = ch }
        return ch.localAddress!.port!
    }

    func shutdown() async {
        let ch = channel.withLock { $0 }
        try? await ch?.close()
    }
}

private final class TestHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: TestHTTPServer
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(server: TestHTTPServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = TestHTTPServer.Request(method: head.method.rawValue, uri: head.uri, headers: head.headers, body: body)
            perform(server.reply(to: request), context: context, keepAlive: head.isKeepAlive)
        }
    }

    func perform(_ reply: TestHTTPServer.Reply, context: ChannelHandlerContext, keepAlive: Bool) {
        switch reply {
        case .respond(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
            if h["Date"].isEmpty { h.add(name: "Date", value: "Wed, 21 Oct 2015 07:28:00 GMT") }
            let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .reset:
            // SO_LINGER 0 turns close() into an RST.
            let channel = context.channel
            if let provider = channel as? any SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .truncated(let status, let body, let declared):
            let h = HTTPHeaders([("Content-Length", "\(declared)"), ("Content-Type", "application/json")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.close(promise: nil)
        case .delayed(let delay, let next):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let nanos = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            context.eventLoop.scheduleTask(in: .nanoseconds(nanos)) {
                let (handler, ctx) = loopBound.value
                guard ctx.channel.isActive else { return }
                handler.perform(next, context: ctx, keepAlive: keepAlive)
            }
        }
    }
}
