import AWSSigning
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// `CredentialHTTPTransport` over AsyncHTTPClient, for the IMDS, container and STS sources.
public struct AsyncHTTPClientCredentialTransport: CredentialHTTPTransport {
    public let client: HTTPClient
    /// Bodies larger than this are refused (credential answers are a few KiB).
    public var maxResponseBytes: Int

    public init(client: HTTPClient = .shared, maxResponseBytes: Int = 1 << 20) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: CredentialHTTPRequest) async throws -> CredentialHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let timeout = TimeAmount.milliseconds(Int64((request.timeout * 1000).rounded()))
        let response = try await client.execute(outgoing, timeout: timeout)
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return CredentialHTTPResponse(
            status: Int(response.status.code),
            headers: response.headers.map { (name: $0.name, value: $0.value) },
            body: Array(buffer: body)
        )
    }
}
