import AsyncHTTPClient
import Foundation
import InspectorSyncConfig
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Posts one signed payload: SSRF check on the resolved addresses, Standard Webhooks headers with
/// this attempt's timestamp, no redirects, a request timeout, the response body read to a small limit.
///
/// When the SSRF policy applies to a host name, the connection goes to the address that was checked
/// (a client pinned with `dnsOverride`; TLS still verifies the name), so a DNS answer that changes
/// between the check and the connection (rebinding) cannot reach a refused address. Call `shutdown()`
/// when done: it closes those pinned clients (the shared `httpClient` stays the caller's).
public struct WebhookSender: Sendable {
    public let httpClient: HTTPClient
    /// Injected for tests; `HostResolver.resolve` in production.
    public let resolve: @Sendable (String) async throws -> [[UInt8]]
    /// Injected for tests; `AddressPolicy.refusal` in production.
    public let refusal: @Sendable ([UInt8]) -> String?
    public let now: @Sendable () -> Date
    let pinned = PinnedClients()
    public static let responseBodyLimit = 4096

    public init(
        httpClient: HTTPClient, resolve: @escaping @Sendable (String) async throws -> [[UInt8]] = HostResolver.resolve,
        refusal: @escaping @Sendable ([UInt8]) -> String? = AddressPolicy.refusal,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.httpClient = httpClient
        self.resolve = resolve
        self.refusal = refusal
        self.now = now
    }

    /// Shuts the pinned clients down.
    public func shutdown() async {
        await pinned.shutdown()
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
        let host = webhook.url.host ?? ""
        let client: HTTPClient
        do {
            let checked = try await AddressPolicy.check(
                host: host, allowPrivateNetworks: webhook.allowPrivateNetworks, resolve: resolve, refusal: refusal
            )
            if let address = checked.first, AddressPolicy.parse(host) == nil {
                client = pinned.client(host: host, address: AddressPolicy.format(address))
            } else {
                client = httpClient
            }
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
            let response = try await client.execute(request, timeout: timeout)
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

/// Clients pinned to a checked address, one per (host, address), reused across posts.
final class PinnedClients: Sendable {
    private let clients = Mutex<[String: HTTPClient]>([:])

    func client(host: String, address: String) -> HTTPClient {
        clients.withLock { clients in
            let key = "\(host)|\(address)"
            if let existing = clients[key] { return existing }
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configuration.timeout.connect = .seconds(10)
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }
}
