import FindingStore
import Foundation
import InspectorSyncConfig
import PostgresNIO
import PostgresTestSupport
import Synchronization
import Testing
@testable import WebhookDelivery

/// The dispatcher against a real PostgreSQL and a local receiver.
@Suite struct DeliveryTests {
    /// 500, 500, 429 with Retry-After, then 200: every event arrives, with one webhook-id across its
    /// attempts, and nothing is posted after the success.
    @Test func failuresAndRetryAfterStillDeliverEverything() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let attempts = Mutex<[String: Int]>([:])
            try await WebhookTest.withServer({ request in
                let id = request.header("webhook-id") ?? "?"
                let n = attempts.withLock { $0[id, default: 0] += 1; return $0[id]! }
                switch n {
                case 1, 2: return .json(500, "{}")
                case 3: return .json(429, "{}", headers: [("Retry-After", "1")])
                default: return .json(200, "{}")
                }
            }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    let webhook = WebhookTest.webhook("flaky", port: port)
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append((1...5).map { WebhookTest.findingEvent(.findingCreated, n: $0) }, db: db)
                    let started = ContinuousClock.now
                    try await WebhookTest.deliverAll(try WebhookTest.dispatcher(db, http, [webhook]), db: db)
                    #expect(ContinuousClock.now - started >= .seconds(1)) // Retry-After honoured
                    #expect(try await WebhookTest.count(db, "state = 'succeeded' AND attempts = 4 AND last_status_code = 200") == 5)
                    let requests = server.requests
                    #expect(requests.count == 20)
                    #expect(Set(requests.compactMap { $0.header("webhook-id") }).count == 5)
                    #expect(attempts.withLock { $0.values.allSatisfy { $0 == 4 } })
                    #expect(requests.allSatisfy { SignatureCheck.valid($0) })
                    // Same body on each attempt of a delivery; timestamps are the attempt's.
                    for id in Set(requests.compactMap { $0.header("webhook-id") }) {
                        #expect(Set(requests.filter { $0.header("webhook-id") == id }.map(\.body)).count == 1)
                    }
                    // Nothing after success.
                    try await WebhookTest.dispatcher(db, http, [webhook]).runOnce()
                    #expect(server.requests.count == 20)
                }
            }
        }
    }

    /// A receiver hanging past the timeout is retried; a 3xx is a failure (not followed).
    @Test func timeoutAndRedirect() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let calls = Mutex(0)
            try await WebhookTest.withServer({ request in
                let n = calls.withLock { $0 += 1; return $0 }
                if n == 1 { return .delayed(.seconds(3), .json(200, "{}")) }
                if n == 2 { return .respond(status: 302, headers: [("Location", "http://127.0.0.1:1/elsewhere")], body: []) }
                return .json(204, "")
            }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("slow", port: port)
                    webhook.timeout = .milliseconds(500)
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)
                    try await WebhookTest.deliverAll(try WebhookTest.dispatcher(db, http, [webhook]), db: db)
                    #expect(try await WebhookTest.count(db, "state = 'succeeded' AND attempts = 3") == 1)
                    #expect(server.requests.count == 3)
                    #expect(server.requests.allSatisfy { $0.path == "/hook" })
                }
            }
        }
    }

    /// Two dispatchers on one database post each delivery once.
    @Test func twoDispatchersPostEachDeliveryOnce() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .delayed(.milliseconds(5), .json(200, "{}")) }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("shared", port: port)
                    webhook.maxConcurrency = 60 // the limit spans replicas: leave room for both
                    // This test is about claims, not timeouts: on a loaded machine a 2 s timeout made a
                    // slow post fail and be retried (at-least-once, as designed), which looked like a
                    // double claim.
                    webhook.timeout = .seconds(60)
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    for batch in 0..<4 {
                        try await WebhookTest.append((0..<50).map { WebhookTest.findingEvent(.findingCreated, n: batch * 50 + $0) }, db: db)
                    }
                    let a = try WebhookTest.dispatcher(db, http, [webhook], owner: "replica-a")
                    let b = try WebhookTest.dispatcher(db, http, [webhook], owner: "replica-b")
                    async let ra = a.runOnce()
                    async let rb = b.runOnce()
                    let (sa, sb) = try await (ra, rb)
                    #expect(sa.succeeded + sb.succeeded == 200)
                    // Which replica posts how many depends on timing (the endpoint's slots are shared, so
                    // one may find them all taken); that no delivery is posted twice does not.
                    let ids = server.requests.compactMap { $0.header("webhook-id") }
                    #expect(ids.count == 200)
                    #expect(Set(ids).count == 200)
                    #expect(try await WebhookTest.count(db, "state = 'succeeded' AND attempts = 1") == 200)
                }
            }
        }
    }

    /// `max_concurrency` holds across replicas: never more leased deliveries of an endpoint than it.
    @Test func concurrencyLimitSpansReplicas() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .delayed(.milliseconds(40), .json(200, "{}")) }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("limited", port: port)
                    webhook.maxConcurrency = 3
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append((0..<30).map { WebhookTest.findingEvent(.findingCreated, n: $0) }, db: db)
                    let a = try WebhookTest.dispatcher(db, http, [webhook], owner: "replica-a")
                    let b = try WebhookTest.dispatcher(db, http, [webhook], owner: "replica-b")
                    let maxInFlight = try await withThrowingTaskGroup(of: Int.self) { group in
                        group.addTask { try await WebhookTest.deliverAll(a, db: db); return -1 }
                        group.addTask { try await WebhookTest.deliverAll(b, db: db); return -1 }
                        group.addTask {
                            var highest = 0
                            while try await WebhookTest.count(db, "state IN ('pending', 'delivering')") > 0 {
                                highest = max(highest, try await WebhookTest.count(db, "state = 'delivering'"))
                                try await Task.sleep(for: .milliseconds(5))
                            }
                            return highest
                        }
                        var result = 0
                        for try await value in group { result = max(result, value) }
                        return result
                    }
                    #expect(maxInFlight >= 1 && maxInFlight <= 3, "\(maxInFlight) in flight")
                    #expect(server.requests.count == 30)
                    #expect(try await WebhookTest.count(db, "state = 'succeeded'") == 30)
                }
            }
        }
    }

    /// PagerDuty: trigger and resolve are posted (signed when a secret is set, as here), in event order
    /// even when the trigger needs a retry; an event it has no action for is cancelled, not posted.
    @Test func pagerDutyPostsActionsInOrderAndCancelsTheRest() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let calls = Mutex(0)
            try await WebhookTest.withServer({ request in
                // Finding 1's first post fails.
                guard (request.json?["dedup_key"] as? String)?.hasSuffix("f1") == true else { return .json(202, #"{"status":"success"}"#) }
                return calls.withLock { $0 += 1; return $0 } == 1 ? .json(500, "{}") : .json(202, #"{"status":"success"}"#)
            }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("pd", port: port)
                    webhook.format = .pagerDuty
                    webhook.routingKey = SecretValue("0123456789abcdef0123456789abcdef")
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append([
                        WebhookTest.findingEvent(.findingCreated, n: 1, severity: "CRITICAL"),
                        WebhookTest.findingEvent(.findingFixAvailableChanged, n: 1, severity: "CRITICAL", oldSeverity: "CRITICAL"),
                        WebhookTest.findingEvent(.findingClosed, n: 1, severity: "CRITICAL", oldSeverity: "CRITICAL"),
                        WebhookTest.findingEvent(.findingCreated, n: 2, severity: "HIGH"),
                    ], db: db)
                    try await WebhookTest.deliverAll(try WebhookTest.dispatcher(db, http, [webhook]), db: db)
                    let posts = server.requests.compactMap(\.json).map { "\($0["event_action"] as? String ?? "?") \(($0["dedup_key"] as? String ?? "?").suffix(2))" }
                    // Finding 1: the trigger (failed once, then retried) strictly before its resolve.
                    #expect(posts.filter { $0.hasSuffix("f1") } == ["trigger f1", "trigger f1", "resolve f1"])
                    #expect(posts.filter { $0.hasSuffix("f2") } == ["trigger f2"])
                    #expect(server.requests.allSatisfy { ($0.json?["routing_key"] as? String) == "0123456789abcdef0123456789abcdef" })
                    #expect(try await WebhookTest.count(db, "state = 'succeeded'") == 3)
                    #expect(try await WebhookTest.count(db, "state = 'cancelled' AND last_error = 'pagerduty: nothing to send for finding.fix_available_changed'") == 1)
                }
            }
        }
    }

    /// `max_per_second` spaces the posts out.
    @Test func rateLimit() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("paced", port: port)
                    webhook.maxPerSecond = 20
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append((0..<11).map { WebhookTest.findingEvent(.findingCreated, n: $0) }, db: db)
                    let started = ContinuousClock.now
                    try await WebhookTest.dispatcher(db, http, [webhook]).runOnce()
                    #expect(ContinuousClock.now - started >= .milliseconds(450)) // 10 gaps of 50 ms
                    #expect(server.requests.count == 11)
                }
            }
        }
    }

    /// A process that dies mid-post leaves a lease that lapses; another takes the delivery over (same
    /// webhook-id), and the late result of the first is not recorded.
    @Test func lapsedLeaseIsTakenOverAndLateResultDropped() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([WebhookTest.webhook("x", port: 9)])
            try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)
            let dead = WebhookDeliveryStore(client: db, owner: "dead-replica", logger: WebhookTest.logger)
            let alive = WebhookDeliveryStore(client: db, owner: "alive-replica", logger: WebhookTest.logger)
            let first = try await dead.claim(endpoint: "x", limit: 4, lease: .seconds(30))
            #expect(first.count == 1)
            #expect(try await alive.claim(endpoint: "x", limit: 4, lease: .seconds(30)).isEmpty) // still leased
            // The dead replica's lease runs out (moved into the past instead of waiting 30 s).
            try await db.query("UPDATE inspector.webhook_deliveries SET lease_expires_at = now() - interval '1 second'")
            let second = try await alive.claim(endpoint: "x", limit: 4, lease: .seconds(30))
            try #require(second.count == 1)
            #expect(second[0].webhookId == first[0].webhookId)
            #expect(second[0].attempt == 2)
            #expect(try await dead.record(first[0], decision: .succeeded, statusCode: 200, disableAfter: .seconds(60)) == nil)
            #expect(try await alive.record(second[0], decision: .succeeded, statusCode: 200, disableAfter: .seconds(60)) == WebhookDeliveryStore.EndpointChange.none)
            #expect(try await WebhookTest.count(db, "state = 'succeeded' AND attempts = 2") == 1)
        }
    }

    /// 127.0.0.1 and 169.254.169.254 are refused unless allowed, with a clear error; nothing is sent.
    @Test func privateAddressesRefusedUnlessAllowed() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    let loopback = WebhookTest.webhook("loopback", port: port, allowPrivate: false)
                    var metadata = WebhookTest.webhook("metadata", port: port, allowPrivate: false)
                    metadata.url = URL(string: "http://169.254.169.254/latest/meta-data/")!
                    let allowed = WebhookTest.webhook("allowed", port: port, allowPrivate: true)
                    // A refusal is retried on the schedule: a long one keeps it pending for the checks below.
                    let webhooks = [loopback, metadata, allowed].map { w -> InspectorSyncConfiguration.Webhook in
                        var w = w
                        w.retrySchedule = [.zero, .seconds(600)]
                        return w
                    }
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync(webhooks)
                    try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)
                    try await WebhookTest.dispatcher(db, http, webhooks).runOnce()
                    #expect(server.requests.count == 1)
                    let rows = try await db.query("SELECT endpoint, state, coalesce(last_error, '') FROM inspector.webhook_deliveries ORDER BY endpoint").collect()
                    let byEndpoint = Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((String, String, String).self) }.map { ($0.0, ($0.1, $0.2)) })
                    #expect(byEndpoint["allowed"]?.0 == "succeeded")
                    #expect(byEndpoint["loopback"]?.0 == "pending")
                    #expect(byEndpoint["metadata"]?.0 == "pending")
                    #expect(byEndpoint["loopback"]?.1.contains("127.0.0.1 is a loopback address") == true)
                    #expect(byEndpoint["metadata"]?.1.contains("169.254.169.254 is the cloud metadata service") == true)
                    #expect(byEndpoint["metadata"]?.1.contains("allow_private_networks") == true)
                }
            }
        }
    }

    /// Under the SSRF policy the post connects to the address that was checked, not to whatever the
    /// name resolves to later: "receiver.invalid" exists only in the injected resolver (pointing at the
    /// local receiver, which this test's policy treats as public), so the post can only arrive pinned.
    @Test func postGoesToTheCheckedAddress() async throws {
        try await WebhookTest.withServer({ _ in .json(200, "{}") }) { server, port in
            try await WebhookTest.withHTTPClient { http in
                let sender = WebhookSender(
                    httpClient: http, resolve: { host in host == "receiver.invalid" ? [[127, 0, 0, 1]] : [] },
                    refusal: { $0 == [127, 0, 0, 1] ? nil : "refused in this test" }
                )
                var webhook = WebhookTest.webhook("pinned", port: port, allowPrivate: false)
                webhook.url = URL(string: "http://receiver.invalid:\(port)/hook")!
                let payload = WebhookPayload(body: Array("{}".utf8), contentType: "application/json")
                let response = await sender.post(payload, webhookId: "msg_pin", to: webhook, signer: try WebhookSigner(secrets: [WebhookTest.secret]))
                await sender.shutdown()
                #expect(response.result == .response(status: 200, retryAfter: nil))
                #expect(server.requests.count == 1)
                #expect(server.requests.first?.header("host")?.hasPrefix("receiver.invalid") == true)
            }
        }
    }

    /// 410 disables the endpoint at once; a receiver down for good dead-letters every delivery, and
    /// `redeliver` brings them all once it is back, with the same webhook-ids.
    @Test func goneDownDeadLetterAndRedeliver() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            let mode = Mutex(503)
            try await WebhookTest.withServer({ _ in let s = mode.withLock { $0 }; return .json(s, "{}") }) { server, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("down", port: port)
                    webhook.retrySchedule = [.zero, .milliseconds(50), .milliseconds(50)]
                    let endpoints = WebhookEndpointStore(client: db, logger: WebhookTest.logger)
                    try await endpoints.sync([webhook])
                    try await WebhookTest.append((1...4).map { WebhookTest.findingEvent(.findingCreated, n: $0) }, db: db)
                    let dispatcher = try WebhookTest.dispatcher(db, http, [webhook])
                    try await WebhookTest.deliverAll(dispatcher, db: db)
                    #expect(try await WebhookTest.count(db, "state = 'dead' AND attempts = 3 AND last_status_code = 503") == 4)
                    let failed = try await endpoints.deliveries(failed: true, endpoint: "down", limit: 100)
                    #expect(failed.count == 4)
                    #expect(failed.allSatisfy { $0.lastError?.contains("gave up after 3") == true })
                    let idsBefore = Set(server.requests.compactMap { $0.header("webhook-id") })

                    mode.withLock { $0 = 200 }
                    let queued = try await endpoints.redeliver(since: Date(timeIntervalSinceNow: -3600), endpoint: "down")
                    #expect(queued == 4)
                    let before = server.requests.count
                    try await WebhookTest.deliverAll(dispatcher, db: db)
                    #expect(try await WebhookTest.count(db, "state = 'succeeded'") == 4)
                    let after = Array(server.requests.dropFirst(before))
                    #expect(after.count == 4)
                    #expect(Set(after.compactMap { $0.header("webhook-id") }) == idsBefore)
                    #expect(try await endpoints.deliveries(failed: true, endpoint: nil, limit: 100).isEmpty)

                    // By id, too.
                    let one = try await endpoints.deliveries(failed: false, endpoint: "down", limit: 1)
                    #expect(try await endpoints.redeliver(ids: one.map(\.id)) == one.map(\.id))

                    // 410: dead and disabled; nothing more is claimed for it.
                    mode.withLock { $0 = 410 }
                    try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 9)], db: db)
                    let summary = try await dispatcher.runOnce()
                    #expect(Set(summary.endpointsDisabled) == ["down"])
                    let health = try await endpoints.list()
                    #expect(health[0].disabledAt != nil)
                    #expect(health[0].disabledReason?.contains("410") == true)
                    try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 10)], db: db)
                    #expect(try await WebhookTest.count(db, "true") == 5) // no new delivery for a disabled endpoint
                }
            }
        }
    }

    /// An endpoint failing with no success for `disable_after` is disabled.
    @Test func disabledAfterFailingTooLong() async throws {
        try await TestDatabase.withFreshDatabase { db, _ in
            try await WebhookTest.withServer({ _ in .json(500, "{}") }) { _, port in
                try await WebhookTest.withHTTPClient { http in
                    var webhook = WebhookTest.webhook("failing", port: port)
                    webhook.disableAfter = .seconds(1)
                    webhook.retrySchedule = [.zero, .milliseconds(400), .milliseconds(400), .milliseconds(400), .milliseconds(400)]
                    try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).sync([webhook])
                    try await WebhookTest.append([WebhookTest.findingEvent(.findingCreated, n: 1)], db: db)
                    try await WebhookTest.deliverAll(try WebhookTest.dispatcher(db, http, [webhook]), db: db, timeout: .seconds(4))
                    let health = try await WebhookEndpointStore(client: db, logger: WebhookTest.logger).list()
                    #expect(health[0].disabledAt != nil)
                    #expect(health[0].disabledReason?.contains("no successful delivery") == true)
                    #expect(try await WebhookTest.count(db, "state = 'pending'") == 1) // kept for a redelivery
                }
            }
        }
    }
}
