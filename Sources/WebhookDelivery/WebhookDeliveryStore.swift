import FindingStore
import Foundation
import Logging
import PostgresNIO

/// Claims and records deliveries in `inspector.webhook_deliveries`. Several processes share the
/// table: a claim takes rows with `FOR UPDATE SKIP LOCKED` and leases them; a result is written only
/// by the claimant still holding the lease (same owner, same attempt), so a delivery another
/// process took over after our lease lapsed is never overwritten.
public struct WebhookDeliveryStore: Sendable {
    public let client: PostgresClient
    /// This process (host, pid, random): the lease owner.
    public let owner: String
    public let logger: Logger

    public init(client: PostgresClient, owner: String, logger: Logger) {
        self.client = client
        self.owner = owner
        self.logger = logger
    }

    /// A claimed delivery and its event.
    public struct Claim: Sendable {
        public var id: Int64
        public var endpoint: String
        public var webhookId: String
        /// This attempt's number (1 for the first).
        public var attempt: Int
        public var event: DeliveryEvent
    }

    /// Claims up to `limit` due deliveries of `endpoint`, fewer when other processes are posting to it
    /// already (the per-endpoint concurrency spans processes: an advisory lock per endpoint makes the
    /// count and the claim one step). Due: pending with `next_attempt_at` passed, or delivering with a
    /// lapsed lease (its process died mid-post), and no earlier delivery of the same finding (or
    /// resource) to this endpoint still pending or in flight, so one subject's events arrive in order.
    /// Nothing is claimed for a disabled endpoint.
    /// How long a claim or a record may take before it is abandoned (and its connection closed).
    static let queryDeadline: Duration = .seconds(30)

    public func claim(endpoint: String, limit: Int, lease: Duration) async throws -> [Claim] {
        let leaseSeconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        // Under a deadline: after a PostgreSQL restart a query can wait for ever on a dead
        // connection (postgres-nio 1.33), which would stop delivery for good.
        return try await client.withConnection(deadline: Self.queryDeadline, "claiming deliveries") { [logger] connection in
            try await connection.inTransaction(logger: logger) { tx in
                try await tx.query("SELECT pg_advisory_xact_lock(hashtext('inspector.webhook:' || \(endpoint)))", logger: logger)
                // The free slots first, as a number: with the limit known, the claim below is planned as
                // an index walk that stops after `slots` rows; with the count inside, PostgreSQL sorted
                // and anti-joined every pending delivery on each claim (a drain quadratic in the backlog).
                let active = try await tx.query(
                    """
                    SELECT count(*)::int FROM inspector.webhook_deliveries
                    WHERE endpoint = \(endpoint) AND state = 'delivering' AND lease_expires_at > now()
                    """,
                    logger: logger
                ).collect().first?.decode(Int.self) ?? 0
                let slots = limit - active
                guard slots > 0 else { return [] }
                let rows = try await tx.query(
                    """
                    WITH due AS (
                        SELECT d.id FROM inspector.webhook_deliveries d
                        JOIN inspector.webhook_endpoints e ON e.name = d.endpoint AND e.enabled AND e.disabled_at IS NULL
                        WHERE d.endpoint = \(endpoint)
                          AND ((d.state = 'pending' AND d.next_attempt_at <= now())
                               OR (d.state = 'delivering' AND d.lease_expires_at <= now()))
                          -- Per subject in event order: nothing earlier still pending or in flight.
                          AND NOT EXISTS (
                              SELECT 1 FROM inspector.webhook_deliveries p
                              WHERE p.endpoint = d.endpoint AND p.subject = d.subject AND p.event_id < d.event_id
                                AND p.state IN ('pending', 'delivering'))
                        -- next_attempt_at alone: the order of the due index (ties in index order);
                        -- the order that matters, per subject, is the NOT EXISTS above.
                        ORDER BY d.next_attempt_at
                        LIMIT \(slots)
                        FOR UPDATE OF d SKIP LOCKED
                    )
                    UPDATE inspector.webhook_deliveries d
                    SET state = 'delivering', attempts = d.attempts + 1, lease_owner = \(owner),
                        lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                    FROM due, inspector.finding_events ev
                    WHERE d.id = due.id AND ev.id = d.event_id
                    RETURNING d.id, d.webhook_id, d.attempts, ev.id, ev.event_type, ev.finding_arn, ev.resource_id, ev.resource_type,
                              ev.scan_type, ev.account_id, ev.region, ev.old_status, ev.new_status, ev.old_severity, ev.new_severity,
                              ev.changes::text, ev.data::text, ev.occurred_at
                    """,
                    logger: logger
                )
                var claims: [Claim] = []
                for try await row in rows {
                    let r = try row.decode(
                        (Int64, String, Int, Int64, String, String?, String?, String?, String?, String, String, String?, String?, String?, String?, String, String?, Date).self
                    )
                    let event = DeliveryEvent(
                        id: r.3, type: r.4, findingArn: r.5, resourceId: r.6, resourceType: r.7, scanType: r.8, accountId: r.9,
                        region: r.10, oldStatus: r.11, newStatus: r.12, oldSeverity: r.13, newSeverity: r.14, changesJSON: r.15,
                        dataJSON: r.16, occurredAt: r.17
                    )
                    claims.append(Claim(id: r.0, endpoint: endpoint, webhookId: r.1, attempt: r.2, event: event))
                }
                return claims.sorted { $0.id < $1.id }
            }
        }
    }

    /// What happened to the endpoint because of a result.
    public enum EndpointChange: Sendable, Equatable {
        case none
        /// Disabled now: 410, or no success for `disable_after`.
        case disabled(reason: String)
    }

    /// Records the decision for a claim. Returns nil when the lease was lost (another process owns
    /// the delivery now: nothing is written), else what happened to the endpoint.
    @discardableResult
    public func record(
        _ claim: Claim, decision: DeliveryDecision, statusCode: Int?, cancelled: String? = nil, disableAfter: Duration
    ) async throws -> EndpointChange? {
        let disableSeconds = Double(disableAfter.components.seconds)
        return try await client.withConnection(deadline: Self.queryDeadline, "recording a delivery") { [logger] connection in
            try await connection.inTransaction(logger: logger) { tx -> EndpointChange? in
                let state: String, delay: Double, error: String?
                switch (cancelled, decision) {
                case (let reason?, _): (state, delay, error) = ("cancelled", 0, reason)
                case (nil, .succeeded): (state, delay, error) = ("succeeded", 0, nil)
                case (nil, .retry(let after, let message)):
                    (state, delay, error) = ("pending", Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18, message)
                case (nil, .dead(let message)), (nil, .disableEndpoint(let message)): (state, delay, error) = ("dead", 0, message)
                }
                let updated = try await tx.query(
                    """
                    UPDATE inspector.webhook_deliveries
                    SET state = \(state), last_status_code = \(statusCode), last_error = \(error),
                        next_attempt_at = CASE WHEN \(state) = 'pending' THEN now() + make_interval(secs => \(delay)) ELSE next_attempt_at END,
                        delivered_at = CASE WHEN \(state) = 'succeeded' THEN now() END,
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(claim.id) AND state = 'delivering' AND lease_owner = \(owner) AND attempts = \(claim.attempt)
                    RETURNING id
                    """,
                    logger: logger
                ).collect()
                guard !updated.isEmpty else { return nil }
                if cancelled != nil { return EndpointChange.none }
                switch decision {
                case .succeeded:
                    // At most once a second per endpoint (unless it was failing): every concurrent post
                    // updating the one endpoint row serialized the recording of results on its lock.
                    try await tx.query(
                        """
                        UPDATE inspector.webhook_endpoints SET last_success_at = now(), first_failure_at = NULL
                        WHERE name = \(claim.endpoint)
                          AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second' OR first_failure_at IS NOT NULL)
                        """,
                        logger: logger
                    )
                    return EndpointChange.none
                case .disableEndpoint(let message):
                    try await tx.query(
                        """
                        UPDATE inspector.webhook_endpoints
                        SET disabled_at = coalesce(disabled_at, now()), disabled_reason = coalesce(disabled_reason, \(message)), first_failure_at = coalesce(first_failure_at, now())
                        WHERE name = \(claim.endpoint)
                        """,
                        logger: logger
                    )
                    return .disabled(reason: message)
                case .retry, .dead:
                    let reason = "no successful delivery for \(Int(disableSeconds))s"
                    let disabled = try await tx.query(
                        """
                        UPDATE inspector.webhook_endpoints
                        SET first_failure_at = coalesce(first_failure_at, now()),
                            disabled_at = CASE WHEN disabled_at IS NULL
                                                AND coalesce(first_failure_at, now()) <= now() - make_interval(secs => \(disableSeconds))
                                               THEN now() ELSE disabled_at END,
                            disabled_reason = CASE WHEN disabled_at IS NULL
                                                    AND coalesce(first_failure_at, now()) <= now() - make_interval(secs => \(disableSeconds))
                                                   THEN \(reason) ELSE disabled_reason END
                        WHERE name = \(claim.endpoint)
                        RETURNING disabled_at = now()
                        """,
                        logger: logger
                    ).collect()
                    let justDisabled = try disabled.first?.decode(Bool?.self) ?? false
                    return justDisabled == true ? .disabled(reason: reason) : EndpointChange.none
                }
            }
        }
    }
}
