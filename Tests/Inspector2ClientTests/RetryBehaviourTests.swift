import Foundation
import Inspector2Model
import Synchronization
import Testing
@testable import Inspector2Client

/// Throttling, 5xx, resets, timeouts and truncated bodies from a real local server, retried per
/// the standard mode and surfaced as clear errors once the budget is spent.
@Suite struct RetryBehaviourTests {
    static let throttled = TestHTTPServer.Reply.json(
        429, #"{"message":"Rate exceeded"}"#,
        headers: [("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/"), ("Retry-After", "2"), ("x-amzn-RequestId", "thr-1")]
    )
    static let ok = TestHTTPServer.Reply.json(200, #"{"members":[]}"#)

    /// Answers with `replies` in order, then repeats the last one.
    static func sequence(_ replies: [TestHTTPServer.Reply]) -> TestHTTPServer.Handler {
        let counter = Mutex(0)
        return { _ in
            let n = counter.withLock { c -> Int in
                defer { c += 1 }
                return c
            }
            return replies[min(n, replies.count - 1)]
        }
    }

    @Test func throttlingHonoursRetryAfterThenSucceeds() async throws {
        let sleeper = SleepRecorder()
        try await withServer(Self.sequence([Self.throttled, Self.throttled, Self.ok])) { server, port in
            let client = try makeTestClient(port: port, sleeper: sleeper, jitter: 0.5)
            let response = try await client.send(ListMembersRequest())
            #expect(response.attempts == 3)
            #expect(server.requests.count == 3)
            // Backoff 0.5 s and 1 s are raised to the server's Retry-After of 2 s.
            #expect(sleeper.recorded == [.seconds(2), .seconds(2)])
            // Two retries took 5 each; the success refunded the last retry's 5.
            #expect(client.availableRetryQuota == 495)
        }
    }

    @Test func throttlingSurfacesWhenAttemptsRunOut() async throws {
        let sleeper = SleepRecorder()
        try await withServer({ _ in Self.throttled }) { server, port in
            let client = try makeTestClient(port: port, sleeper: sleeper)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected throttling to surface")
            } catch let error as Inspector2Error {
                #expect(error.code == .service)
                #expect(error.serviceCode == .throttlingException)
                #expect(error.isThrottling)
                #expect(error.httpStatus == 429)
                #expect(error.attempts == 3)
                #expect(error.retriesExhausted)
                #expect(error.retryAfter == .seconds(2))
                #expect(error.requestId == "thr-1")
                #expect(error.operation == "ListMembers")
                #expect(error.description.contains("ThrottlingException"))
                #expect(error.description.contains("retries exhausted"))
            }
            #expect(server.requests.count == 3)
            #expect(client.availableRetryQuota == 490)
        }
    }

    @Test func serverErrorsUseJitteredExponentialBackoff() async throws {
        let sleeper = SleepRecorder()
        try await withServer({ _ in .json(503, #"{"message":"unavailable"}"#) }) { server, port in
            let client = try makeTestClient(port: port, retryPolicy: RetryPolicy(maxAttempts: 4), sleeper: sleeper, jitter: 0.5)
            await #expect(throws: Inspector2Error.self) { try await client.listFilters(ListFiltersRequest()) }
            #expect(server.requests.count == 4)
            #expect(sleeper.recorded == [.milliseconds(500), .seconds(1), .seconds(2)])
        }
    }

    @Test func transient5xxThenSuccess() async throws {
        for status in [500, 502, 503, 504] {
            try await withServer(Self.sequence([.json(status, "{}"), Self.ok])) { server, port in
                let client = try makeTestClient(port: port)
                let response = try await client.send(ListMembersRequest())
                #expect(response.attempts == 2, "status \(status)")
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func nonRetryableErrorsFailAtOnceWithDetails() async throws {
        let body = #"{"message":"1 validation error detected","reason":"FIELD_VALIDATION_FAILED","fields":[{"name":"maxResults","message":"Member must be <= 100"}]}"#
        try await withServer({ _ in .json(400, body, headers: [("x-amzn-ErrorType", "ValidationException"), ("x-amzn-RequestId", "val-1")]) }) { server, port in
            let client = try makeTestClient(port: port)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected an error")
            } catch let error as Inspector2Error {
                #expect(error.serviceCode == .validationException)
                #expect(error.validationReason == "FIELD_VALIDATION_FAILED")
                #expect(error.fields == [.init(name: "maxResults", message: "Member must be <= 100")])
                #expect(error.attempts == 1)
                #expect(!error.retriesExhausted)
                #expect(error.requestId == "val-1")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func connectionResetIsRetriedThenSurfaces() async throws {
        try await withServer(Self.sequence([.reset, Self.ok])) { server, port in
            let client = try makeTestClient(port: port)
            let response = try await client.send(ListMembersRequest())
            #expect(response.attempts == 2)
        }
        try await withServer({ _ in .reset }) { server, port in
            let client = try makeTestClient(port: port)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected a connection error")
            } catch let error as Inspector2Error {
                #expect(error.code == .connection)
                #expect(error.attempts == 3)
                #expect(error.retriesExhausted)
                #expect(error.underlying != nil)
            }
            #expect(server.requests.count == 3)
            #expect(client.availableRetryQuota == 490)
        }
    }

    @Test func timeoutsAreRetriedAtTheHigherQuotaCost() async throws {
        try await withServer({ _ in .delayed(.seconds(20), Self.ok) }) { server, port in
            let client = try makeTestClient(port: port, requestTimeout: .milliseconds(300))
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected a timeout")
            } catch let error as Inspector2Error {
                #expect(error.code == .timeout)
                #expect(error.attempts == 3)
                #expect(error.retriesExhausted)
            }
            // Three 300 ms attempts, not even one of the server's 20 s (a wide margin for loaded machines).
            #expect(clock.now - start < .seconds(19))
            #expect(server.requests.count == 3)
            #expect(client.availableRetryQuota == 480)
        }
        try await withServer(Self.sequence([.delayed(.seconds(20), Self.ok), Self.ok])) { _, port in
            // 2 s: the prompt answer must not time out too on a loaded machine (300 ms did).
            let client = try makeTestClient(port: port, requestTimeout: .seconds(2))
            let response = try await client.send(ListMembersRequest())
            #expect(response.attempts == 2)
            // The timeout retry took 10; success gave those 10 back.
            #expect(client.availableRetryQuota == 500)
        }
    }

    @Test func truncatedOrUndecodableSuccessBodiesAreTransient() async throws {
        let full = #"{"members":[{"accountId":"111122223333"}]}"#
        try await withServer(Self.sequence([.truncated(status: 200, body: Array(full.utf8.prefix(12)), declaredLength: full.utf8.count), .json(200, full)])) { server, port in
            let client = try makeTestClient(port: port)
            let response = try await client.send(ListMembersRequest())
            #expect(response.attempts == 2)
            #expect(response.output.members?.first?.accountId == "111122223333")
        }
        // A complete HTTP answer whose JSON is cut off (a proxy that lost the tail).
        try await withServer({ _ in .json(200, #"{"members":[{"accountId":"1111"#) }) { server, port in
            let client = try makeTestClient(port: port)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected an invalid response")
            } catch let error as Inspector2Error {
                #expect(error.code == .invalidResponse)
                #expect(error.attempts == 3)
                #expect(error.httpStatus == 200)
            }
        }
    }

    @Test func retryQuotaStopsRetriesBeforeAttemptsRunOut() async throws {
        try await withServer({ _ in .json(500, "{}") }) { server, port in
            let policy = RetryPolicy(maxAttempts: 10, quota: .init(capacity: 12))
            let client = try makeTestClient(port: port, retryPolicy: policy)
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected an error")
            } catch let error as Inspector2Error {
                #expect(error.attempts == 3)
                #expect(error.retriesExhausted)
            }
            #expect(client.availableRetryQuota == 2)
            // With 2 tokens left, the next failing call is not retried at all.
            await #expect(throws: Inspector2Error.self) { try await client.listMembers(ListMembersRequest()) }
            #expect(server.requests.count == 4)
        }
    }

    @Test func throttlingTurnsTheRateLimiterOn() async throws {
        let limiter = ClientRateLimiter(configuration: .init(minimumRate: 50, maximumRate: 200))
        try await withServer(Self.sequence([Self.throttled, Self.ok])) { _, port in
            let client = try makeTestClient(port: port, rateLimiter: limiter)
            #expect(!limiter.snapshot.isLimiting)
            _ = try await client.send(ListMembersRequest())
            #expect(limiter.snapshot.isLimiting)
            #expect(limiter.snapshot.rate >= 100 && limiter.snapshot.rate < 101)
        }
    }

    @Test func errorDescriptionsCarryNoCredentials() async throws {
        struct SecretSigner: RequestSigning {
            func sign(_ request: inout PreparedRequest, at date: Date) async throws {
                request.headers.replaceOrAdd(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=AKIASECRETKEYID/…, Signature=deadbeef")
                request.headers.replaceOrAdd(name: "X-Amz-Security-Token", value: "SESSIONTOKENSECRET")
            }
        }
        try await withServer({ _ in .json(403, #"{"message":"The security token included in the request is invalid."}"#, headers: [("x-amzn-ErrorType", "UnrecognizedClientException")]) }) { _, port in
            let client = try makeTestClient(port: port, signer: SecretSigner())
            do {
                _ = try await client.listMembers(ListMembersRequest())
                Issue.record("expected an error")
            } catch let error as Inspector2Error {
                let text = "\(error) \(String(reflecting: error))"
                #expect(error.serviceCode == .unrecognizedClientException)
                #expect(!text.contains("AKIASECRETKEYID"))
                #expect(!text.contains("SESSIONTOKENSECRET"))
                #expect(!text.contains("deadbeef"))
            }
        }
    }
}

@Suite struct IdempotencyTokenTests {
    @Test func clientTokenIsFilledOnceAndReusedByRetries() async throws {
        let ok = TestHTTPServer.Reply.json(200, #"{"accounts":[]}"#)
        try await withServer(RetryBehaviourTests.sequence([.json(503, "{}"), ok])) { server, port in
            let client = try makeTestClient(port: port)
            _ = try await client.enable(EnableRequest(resourceTypes: [.ec2]))
            let tokens = server.requests.map { $0.json?["clientToken"] as? String }
            #expect(tokens.count == 2)
            #expect(tokens[0] != nil && tokens[0]!.count == 36)
            #expect(tokens[0] == tokens[1])
        }
        try await withServer({ _ in .json(200, #"{"accounts":[]}"#) }) { server, port in
            let client = try makeTestClient(port: port)
            _ = try await client.enable(EnableRequest(resourceTypes: [.ec2], clientToken: "mine"))
            #expect(server.requests.first?.json?["clientToken"] as? String == "mine")
        }
    }
}
