import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP answer, fully read.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one request over a shared AsyncHTTPClient and reads the whole body, within one
/// timeout that covers connecting, the head and the body (AsyncHTTPClient's own deadline stops at
/// the head), and with a cap on the body size. Transport failures become `Inspector2Error`s
/// with `.timeout`, `.connection`, `.responseTooLarge` or `.cancelled`.
struct HTTPTransport: Sendable {
    let httpClient: HTTPClient
    let timeout: Duration
    let maxResponseBytes: Int

    func send(
        url: String,
        method: HTTPMethod,
        headers: HTTPHeaders,
        body: [UInt8],
        logger: Logger
    ) async throws(Inspector2Error) -> RawHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if !body.isEmpty || method == .POST || method == .PUT {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let finalRequest = request
        let timeout = self.timeout
        let maxBytes = self.maxResponseBytes
        let httpClient = self.httpClient
        do {
            return try await withThrowingTaskGroup(of: RawHTTPResponse?.self) { group in
                group.addTask {
                    let seconds = timeout.components.seconds
                    let nanos = timeout.components.attoseconds / 1_000_000_000
                    let amount = TimeAmount.seconds(seconds) + .nanoseconds(nanos)
                    let response = try await httpClient.execute(finalRequest, timeout: amount, logger: logger)
                    let buffer = try await response.body.collect(upTo: maxBytes)
                    return RawHTTPResponse(
                        status: Int(response.status.code),
                        headers: response.headers,
                        body: Array(buffer.readableBytesView)
                    )
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw Inspector2Error(code: .timeout, message: "no complete response within \(timeout)")
                }
                return response
            }
        } catch {
            throw Self.map(error)
        }
    }

    static func map(_ error: any Error) -> Inspector2Error {
        if let error = error as? Inspector2Error { return error }
        if error is NIOTooManyBytesError {
            return Inspector2Error(code: .responseTooLarge, message: "response body exceeded the configured limit")
        }
        if error is CancellationError || Task.isCancelled {
            return Inspector2Error(code: .cancelled, underlying: describe(error))
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return Inspector2Error(code: .timeout, underlying: describe(error))
            case .invalidURL, .emptyHost, .emptyScheme:
                return Inspector2Error(code: .invalidConfiguration, message: "endpoint URL rejected by the HTTP client", underlying: describe(error))
            default:
                return Inspector2Error(code: .connection, underlying: describe(error))
            }
        }
        // NIO's IOError (ECONNRESET, ECONNREFUSED), NIOConnectionError, ChannelError…
        return Inspector2Error(code: .connection, underlying: describe(error))
    }

    static func describe(_ error: any Error) -> String {
        "\(type(of: error)): \(String(describing: error))"
    }
}
