import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import Synchronization

/// The typed Inspector v2 client. A value type; copies share the retry quota. Many clients (one
/// per account and region) share one `HTTPClient`, which its owner shuts down.
public struct Inspector2Client: Sendable {
    public let configuration: Inspector2ClientConfiguration
    public let endpoint: EndpointResolver.Endpoint
    let transport: HTTPTransport
    let quota: QuotaBox

    final class QuotaBox: Sendable {
        let state: Mutex<RetryQuota>
        init(_ quota: RetryQuota) { state = Mutex(quota) }
    }

    /// - Parameter httpClient: shared by all clients; `HTTPClient.shared` needs no shutdown,
    ///   one made with `Inspector2Client.makeHTTPClient()` must be shut down by its owner.
    public init(configuration: Inspector2ClientConfiguration, httpClient: HTTPClient = .shared) throws(Inspector2Error) {
        self.configuration = configuration
        self.endpoint = try EndpointResolver(
            region: configuration.region,
            explicitEndpoint: configuration.endpoint,
            environment: configuration.environment
        ).resolve()
        self.transport = HTTPTransport(
            httpClient: httpClient,
            timeout: configuration.requestTimeout,
            maxResponseBytes: configuration.maxResponseBytes
        )
        self.quota = QuotaBox(RetryQuota(configuration.retryPolicy.quota))
    }

    /// An HTTPClient tuned for the API (connect timeout, no redirects). Call
    /// `try await httpClient.shutdown()` when every client using it is done.
    public static func makeHTTPClient(connectTimeout: Duration = .seconds(10)) -> HTTPClient {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.timeout.connect = .milliseconds(Int64(connectTimeout.components.seconds) * 1000)
        config.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// The retry budget left (for metrics and tests).
    public var availableRetryQuota: Int { quota.state.withLock { $0.available } }

    /// A fully described HTTP call of one action.
    public struct OperationRequest: Sendable {
        public var operation: String
        public var method: HTTPMethod
        public var encodedPath: String
        public var query: [(name: String, value: String)]
        /// JSON body; nil sends none (GET/DELETE).
        public var body: [UInt8]?

        public init(operation: String, method: HTTPMethod, encodedPath: String, query: [(name: String, value: String)] = [], body: [UInt8]?) {
            self.operation = operation
            self.method = method
            self.encodedPath = encodedPath
            self.query = query
            self.body = body
        }
    }

    /// Sends `request`, retrying as the policy says, and decodes a 2xx answer with `decode`.
    /// A 2xx body that `decode` rejects counts as a transient failure (a truncated answer) and
    /// is retried like a 5xx.
    public func execute<Output: Sendable>(
        _ request: OperationRequest,
        decode: (RawHTTPResponse) throws -> Output
    ) async throws(Inspector2Error) -> Inspector2Response<Output> {
        let policy = configuration.retryPolicy
        var logger = configuration.logger
        logger[metadataKey: "aws.region"] = "\(configuration.region)"
        logger[metadataKey: "aws.operation"] = "\(request.operation)"
        var attempt = 1
        var lastAcquired: Int?
        while true {
            var failure: Inspector2Error
            do throws(Inspector2Error) {
                if let limiter = configuration.rateLimiter {
                    do { try await limiter.acquire() } catch { throw Inspector2Error(code: .cancelled) }
                }
                let attemptStarted = ContinuousClock.now
                let response: RawHTTPResponse
                do {
                    response = try await sendOnce(request, logger: logger)
                } catch {
                    APICallMetrics.record(operation: request.operation, region: configuration.region, outcome: "error", duration: ContinuousClock.now - attemptStarted)
                    throw error
                }
                APICallMetrics.record(
                    operation: request.operation, region: configuration.region,
                    outcome: APICallMetrics.outcome(status: response.status), duration: ContinuousClock.now - attemptStarted
                )
                if (200..<300).contains(response.status) {
                    configuration.rateLimiter?.record(throttled: false)
                    do {
                        let output = try decode(response)
                        quota.state.withLock { $0.releaseAfterSuccess(lastAcquired: lastAcquired) }
                        return Inspector2Response(
                            output: output,
                            serverDate: response.headers.first(name: "Date").flatMap(HTTPDate.parse),
                            requestId: ErrorResponseParser.requestId(in: response.headers),
                            httpStatus: response.status,
                            attempts: attempt
                        )
                    } catch {
                        failure = Inspector2Error(
                            code: .invalidResponse,
                            message: "undecodable \(response.status) response (\(response.body.count) bytes)",
                            httpStatus: response.status,
                            requestId: ErrorResponseParser.requestId(in: response.headers),
                            underlying: Self.describeDecoding(error)
                        )
                    }
                } else {
                    failure = ErrorResponseParser.parse(status: response.status, headers: response.headers, body: response.body)
                    configuration.rateLimiter?.record(throttled: failure.isThrottling)
                }
            } catch {
                failure = error
            }
            failure.operation = request.operation
            failure.attempts = attempt
            // A cancelled caller gets no retry; a transport failure it caused is reported as such.
            if Task.isCancelled {
                if failure.code != .service { failure.code = .cancelled }
                throw failure
            }
            let kind = RetryClassifier.classify(failure)
            let decision = quota.state.withLock {
                policy.decide(kind: kind, attempt: attempt, retryAfter: failure.retryAfter, jitter: configuration.jitter(), quota: &$0)
            }
            switch decision {
            case .fail(let exhausted):
                failure.retriesExhausted = exhausted
                logger.debug("request failed", metadata: ["error": "\(failure)"])
                throw failure
            case .retry(let delay, let cost):
                logger.debug(
                    "retrying",
                    metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "error.code": "\(failure.serviceCode?.rawValue ?? failure.code.description)"]
                )
                do {
                    try await configuration.sleep(delay)
                } catch {
                    failure.code = .cancelled
                    throw failure
                }
                lastAcquired = cost
                attempt += 1
            }
        }
    }

    /// Builds, signs and sends one attempt.
    func sendOnce(_ request: OperationRequest, logger: Logger) async throws(Inspector2Error) -> RawHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.hostHeader)
        headers.add(name: "User-Agent", value: configuration.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if request.body != nil {
            headers.add(name: "Content-Type", value: "application/json")
        }
        var signable = PreparedRequest(
            method: request.method.rawValue,
            host: endpoint.hostHeader,
            encodedPath: endpoint.basePath + request.encodedPath,
            query: request.query,
            headers: headers,
            body: request.body ?? []
        )
        do {
            try await configuration.signer.sign(&signable, at: Date())
        } catch let error as Inspector2Error {
            throw error
        } catch {
            // Credential providers' errors are redacted by their own description contract;
            // keep only the type and description, never the request.
            throw Inspector2Error(code: .credentials, message: "could not sign the request", underlying: HTTPTransport.describe(error))
        }
        var url = endpoint.scheme + "://" + endpoint.hostHeader + signable.encodedPath
        if !signable.query.isEmpty {
            url += "?" + URIEncoding.query(signable.query)
        }
        return try await transport.send(
            url: url,
            method: request.method,
            headers: signable.headers,
            body: signable.body,
            logger: logger
        )
    }

    static func describeDecoding(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return "DecodingError at '\(path)': \(context.debugDescription)"
            @unknown default:
                return "DecodingError"
            }
        }
        return HTTPTransport.describe(error)
    }
}
