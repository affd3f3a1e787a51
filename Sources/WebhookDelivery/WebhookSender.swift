import AsyncHTTPClient
import Foundation
import InspectorSyncConfig
import Logging
import NIOCore
import NIOHTTP1

/// Posts one signed payload: SSRF check on the resolved addresses, Standard Webhooks headers with
/// this attempt's timestamp, no redirects, a request timeout, the response body read to a small limit.
public struct WebhookSender: Sendable {
    public let httpClient: HTTPClient
    /// Injected for tests; `HostResolver.resolve` in production.
    public let resolve: @Sendable (String) async throws -> [[UInt8]]
    public let now: @Sendable () -> Date
    public static let responseBodyLimit = 4096

    public init(
        httpClient: HTTPClient, resolve: @escaping @Sendable (String) async throws -> [[UInt8]] = HostResolver.resolve,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.httpClient = httpClient
        self.resolve = resolve
        self.now = now
    }

    /// A client for webhooks: redirects are never followed (a 3xx is a failed attempt).
    public static func makeHTTPClient(connectTimeout: Duration = .seconds(10)) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public struct Response: Sendable, Equatable {
        public var result: AttemptResult
        public var statusCode: Int?
        /// The start of the body, for `last_error` and `webhooks test`.
        public var bodyPrefix: String
    }

    public func post(
        _ payload: WebhookPayload, webhookId: String, to webhook: InspectorSyncConfiguration.Webhook, signer: WebhookSigner
    ) async -> Response {
        do {
            try await AddressPolicy.check(host: webhook.url.host ?? "", allowPrivateNetworks: webhook.allowPrivateNetworks, resolve: resolve)
        } catch let error as WebhookError {
            return Response(result: .refused(error.message), statusCode: nil, bodyPrefix: "")
        } catch {
            return Response(result: .refused("address check failed"), statusCode: nil, bodyPrefix: "")
        }
        var request = HTTPClientRequest(url: webhook.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: payload.contentType)
        request.headers.add(name: "user-agent", value: "inspector-sync-webhooks/1")
        let timestamp = Int64(now().timeIntervalSince1970)
        for (name, value) in signer.headers(id: webhookId, timestamp: timestamp, body: payload.body) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: payload.body))
        let timeout = TimeAmount.nanoseconds(
            Int64(webhook.timeout.components.seconds) * 1_000_000_000 + webhook.timeout.components.attoseconds / 1_000_000_000
        )
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            var prefix: [UInt8] = []
            do {
                for try await chunk in response.body {
                    prefix.append(contentsOf: chunk.readableBytesView.prefix(Self.responseBodyLimit - prefix.count))
                    if prefix.count >= Self.responseBodyLimit { break }
                }
            } catch {
                // The status is what counts; a body cut short changes nothing.
            }
            let status = Int(response.status.code)
            let retryAfter = DeliveryPolicy.retryAfter(response.headers.first(name: "retry-after"), now: now())
            return Response(
                result: .response(status: status, retryAfter: retryAfter), statusCode: status,
                bodyPrefix: String(decoding: prefix, as: UTF8.self)
            )
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Response(result: .timeout, statusCode: nil, bodyPrefix: "")
        } catch let error as HTTPClientError where error == .connectTimeout {
            return Response(result: .transportError("connect timed out"), statusCode: nil, bodyPrefix: "")
        } catch {
            // No URL in the message: it may carry a token.
            return Response(result: .transportError("request failed: \(Self.summary(error))"), statusCode: nil, bodyPrefix: "")
        }
    }

    static func summary(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        let text = String(describing: type(of: error)) + ": " + String(describing: error)
        return String(text.prefix(200))
    }
}
