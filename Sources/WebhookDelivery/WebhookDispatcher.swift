import AsyncHTTPClient
import FindingStore
import Foundation
import InspectorSyncConfig
import Logging
import PostgresNIO
import ServiceLifecycle

/// Delivers due webhook deliveries: per endpoint, claim up to its concurrency, post them in parallel,
/// record each result under the lease, and repeat until nothing is due. Several dispatchers (in one
/// process or many) share the table safely.
public struct WebhookDispatcher: Service, Sendable {
    public struct Options: Sendable {
        /// How often `run()` looks for due deliveries when idle.
        public var pollInterval: Duration = .seconds(1)
        /// Ends the idle wait early when signalled (the service signals it on every change-feed NOTIFY).
        public var wake: WakeSignal?
        /// How often the idle wait looks at `wake`.
        public var wakeCheckInterval: Duration = .milliseconds(5)
        /// A lease outlives the request timeout by this much before another process may take over.
        public var leaseMargin: Duration = .seconds(30)
        public var jitter: Double = 0.1
        public var maxRetryAfter: Duration = .seconds(3600)
        /// A uniform number in 0..<1 for the jitter (injected so tests can pin it).
        public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

        public init() {}
    }

    public struct Summary: Sendable, Equatable {
        public var attempted = 0
        public var succeeded = 0
        public var retrying = 0
        public var dead = 0
        public var cancelled = 0
        /// Results not written because another process owned the delivery by then.
        public var leaseLost = 0
        public var endpointsDisabled: [String] = []

        public init() {}

        mutating func add(_ other: Summary) {
            attempted += other.attempted
            succeeded += other.succeeded
            retrying += other.retrying
            dead += other.dead
            cancelled += other.cancelled
            leaseLost += other.leaseLost
            endpointsDisabled += other.endpointsDisabled
        }
    }

    public let store: WebhookDeliveryStore
    public let sender: WebhookSender
    public let webhooks: [InspectorSyncConfiguration.Webhook]
    public let options: Options
    public let logger: Logger
    private let signers: [String: WebhookSigner]

    /// Throws `invalidSecret` when a secret is not `whsec_<base64>` (the config loader checks it too).
    public init(
        store: WebhookDeliveryStore, sender: WebhookSender, webhooks: [InspectorSyncConfiguration.Webhook],
        options: Options = Options(), logger: Logger
    ) throws {
        self.store = store
        self.sender = sender
        self.webhooks = webhooks
        self.options = options
        self.logger = logger
        var signers: [String: WebhookSigner] = [:]
        for webhook in webhooks {
            signers[webhook.name] = try WebhookSigner(secrets: webhook.secrets.map(\.value))
        }
        self.signers = signers
    }

    /// Delivers everything due now, endpoints in parallel; returns when no delivery is due (ones
    /// scheduled for later stay). For tests and `webhooks deliver --once`.
    @discardableResult
    public func runOnce() async throws -> Summary {
        try await withThrowingTaskGroup(of: Summary.self) { group in
            for webhook in webhooks where webhook.enabled {
                group.addTask { try await drain(webhook) }
            }
            var total = Summary()
            for try await summary in group { total.add(summary) }
            return total
        }
    }

    /// The daemon's loop (a swift-service-lifecycle `Service`): `runOnce`, then wait `pollInterval`,
    /// until cancelled or the service group shuts down gracefully; posts in flight finish first. A
    /// failing database is logged and tried again next round.
    public func run() async throws {
        await loop()
        await sender.shutdown()
    }

    private func loop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await runOnce()
            } catch is CancellationError {
                return
            } catch {
                let summary = (error as? PSQLError)?.redactedSummary ?? "\(error)"
                logger.error("webhook delivery round failed", metadata: ["error": "\(summary)"])
            }
            // Wakes early on graceful shutdown or cancellation.
            try? await cancelWhenGracefulShutdown { try await idle() }
        }
    }

    /// Waits `pollInterval`, or less when `wake` is signalled.
    func idle() async throws {
        guard let wake = options.wake else { return try await Task.sleep(for: options.pollInterval) }
        let deadline = ContinuousClock.now + options.pollInterval
        while ContinuousClock.now < deadline {
            if wake.take() { return }
            try await Task.sleep(for: min(options.wakeCheckInterval, deadline - ContinuousClock.now))
        }
    }

    func drain(_ webhook: InspectorSyncConfiguration.Webhook) async throws -> Summary {
        var summary = Summary()
        let schedule = RetrySchedule(delays: webhook.retrySchedule, jitter: options.jitter, maxRetryAfter: options.maxRetryAfter)
        var nextSlot = ContinuousClock.now
        // Shutdown stops claiming; posts already claimed finish (or go back when their lease ends).
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // The lease covers the pacing of the batch too: the last post of a paced batch starts late.
            let pacing = webhook.maxPerSecond.map { Duration.seconds(Double(webhook.maxConcurrency) / $0) } ?? .zero
            let claims = try await store.claim(endpoint: webhook.name, limit: webhook.maxConcurrency, lease: webhook.timeout + options.leaseMargin + pacing)
            if claims.isEmpty { break }
            let batch = try await withThrowingTaskGroup(of: Summary.self) { group in
                for claim in claims {
                    // max_per_second: space the posts out (within this process).
                    if let rate = webhook.maxPerSecond, rate > 0 {
                        try await Task.sleep(until: nextSlot, clock: .continuous)
                        nextSlot = max(nextSlot, ContinuousClock.now) + .milliseconds(Int64(1000 / rate))
                    }
                    group.addTask { try await deliver(claim, to: webhook, schedule: schedule) }
                }
                var total = Summary()
                for try await one in group { total.add(one) }
                return total
            }
            summary.add(batch)
            if !batch.endpointsDisabled.isEmpty { break }
        }
        return summary
    }

    func deliver(_ claim: WebhookDeliveryStore.Claim, to webhook: InspectorSyncConfiguration.Webhook, schedule: RetrySchedule) async throws -> Summary {
        var summary = Summary()
        var logger = self.logger
        logger[metadataKey: "webhook.endpoint"] = "\(webhook.name)"
        logger[metadataKey: "webhook.delivery"] = "\(claim.id)"
        guard let payload = WebhookPayload.make(for: claim.event, format: webhook.format, routingKey: webhook.routingKey?.value) else {
            let change = try await store.record(
                claim, decision: .succeeded, statusCode: nil, cancelled: "\(webhook.format.rawValue): nothing to send for \(claim.event.type)",
                disableAfter: webhook.disableAfter
            )
            if change == nil { summary.leaseLost += 1 } else { summary.cancelled += 1 }
            return summary
        }
        summary.attempted += 1
        let signer = try signers[webhook.name] ?? WebhookSigner(secrets: [])
        let response = await sender.post(payload, webhookId: claim.webhookId, to: webhook, signer: signer)
        let decision = DeliveryPolicy.decide(response.result, attemptsMade: claim.attempt, schedule: schedule, unit: options.random())
        let change = try await store.record(claim, decision: decision, statusCode: response.statusCode, disableAfter: webhook.disableAfter)
        guard let change else {
            summary.leaseLost += 1
            logger.warning("delivery result not recorded: the lease passed to another process")
            return summary
        }
        WebhookMetrics.attempt(endpoint: webhook.name, decision: decision, statusCode: response.statusCode)
        switch decision {
        case .succeeded: summary.succeeded += 1
        case .retry(let after, let error):
            summary.retrying += 1
            logger.info("webhook attempt failed; retrying", metadata: ["webhook.attempt": "\(claim.attempt)", "webhook.retry_in": "\(after)", "error": "\(error)"])
        case .dead(let error), .disableEndpoint(let error):
            summary.dead += 1
            logger.warning("webhook delivery dead-lettered", metadata: ["webhook.attempt": "\(claim.attempt)", "error": "\(error)"])
        }
        if case .disabled(let reason) = change {
            summary.endpointsDisabled.append(webhook.name)
            WebhookMetrics.endpointDisabled(webhook.name)
            logger.error("webhook endpoint disabled", metadata: ["reason": "\(reason)"])
        }
        return summary
    }
}
