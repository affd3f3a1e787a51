import Foundation
import Logging
import PostgresNIO

/// The sync bookkeeping in `inspector.sync_state`: which jobs exist, who holds each one's lease,
/// how far each got. Leases use the database's clock, the one clock all replicas share.
public struct SyncStateStore: Sendable {
    public let client: PostgresClient
    /// This replica's identity in `lease_owner` (host, pid and a random suffix).
    public let owner: String
    public let leaseDuration: Duration
    public let logger: Logger

    public init(client: PostgresClient, owner: String, leaseDuration: Duration = .seconds(30), logger: Logger) {
        self.client = client
        self.owner = owner
        self.leaseDuration = leaseDuration
        self.logger = logger
    }

    public static func makeOwnerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }

    var leaseSeconds: Double { Double(leaseDuration.components.seconds) + Double(leaseDuration.components.attoseconds) / 1e18 }

    /// Creates the rows of jobs that do not have one yet (due at once).
    public func ensure(_ keys: [SyncJobKey]) async throws {
        guard !keys.isEmpty else { return }
        try await client.query(
            """
            INSERT INTO inspector.sync_state (account_id, region, job)
            SELECT * FROM unnest(\(keys.map(\.target.accountId))::text[], \(keys.map(\.target.region))::text[], \(keys.map(\.job.rawValue))::text[])
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Claims up to `limit` jobs that are due and not leased by a live replica. With `keys`, claims
    /// only those, due or not (`sync --once`).
    public func claim(limit: Int, onlyDue: Bool = true, keys: [SyncJobKey]? = nil) async throws -> [SyncJobState] {
        guard limit > 0 else { return [] }
        let filterKeys = keys != nil
        let accounts = keys?.map(\.target.accountId) ?? []
        let regions = keys?.map(\.target.region) ?? []
        let jobs = keys?.map(\.job.rawValue) ?? []
        let rows = try await client.query(
            """
            UPDATE inspector.sync_state s
            SET lease_owner = \(owner), lease_expires_at = now() + make_interval(secs => \(leaseSeconds)),
                last_attempt_at = now()
            FROM (
                SELECT account_id, region, job FROM inspector.sync_state
                WHERE (NOT \(onlyDue) OR next_run_at <= now())
                  AND (lease_expires_at IS NULL OR lease_expires_at < now() OR lease_owner = \(owner))
                  AND (NOT \(filterKeys) OR (account_id, region, job) IN (
                        SELECT * FROM unnest(\(accounts)::text[], \(regions)::text[], \(jobs)::text[])))
                ORDER BY next_run_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE s.account_id = due.account_id AND s.region = due.region AND s.job = due.job
            RETURNING s.account_id, s.region, s.job, s.watermark, s.window_start, s.window_end, s.next_token,
                      s.pages_in_window, s.backfill_completed_at, s.consecutive_failures, s.last_success_at,
                      s.last_reconcile_at, s.sweep_started_at, s.last_count_check_at
            """,
            logger: logger
        )
        var claimed: [SyncJobState] = []
        for try await row in rows.decode(
            (String, String, String, Date?, Date?, Date?, String?, Int, Date?, Int, Date?, Date?, Date?, Date?).self
        ) {
            guard let job = SyncJobKind(rawValue: row.2) else { continue }
            claimed.append(SyncJobState(
                key: SyncJobKey(target: SyncTarget(accountId: row.0, region: row.1), job: job),
                watermark: row.3, windowStart: row.4, windowEnd: row.5, nextToken: row.6, pagesInWindow: row.7,
                backfillCompletedAt: row.8, consecutiveFailures: row.9, lastSuccessAt: row.10, lastReconcileAt: row.11,
                sweepStartedAt: row.12, lastCountCheckAt: row.13
            ))
        }
        return claimed
    }

    /// Extends the lease; throws `LeaseLostError` when another replica holds it now.
    public func renew(_ key: SyncJobKey) async throws {
        let rows = try await client.query(
            """
            UPDATE inspector.sync_state SET lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            RETURNING 1
            """,
            logger: logger
        ).collect()
        if rows.isEmpty { throw LeaseLostError(key: key) }
    }

    /// Records the window's progress inside a page's transaction, renewing the lease; throws
    /// `LeaseLostError` (rolling the page back) when the lease is no longer ours.
    public func recordPage(
        _ key: SyncJobKey, windowStart: Date?, windowEnd: Date, nextToken: String?, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query(
            """
            UPDATE inspector.sync_state
            SET window_start = \(windowStart), window_end = \(windowEnd), next_token = \(nextToken),
                pages_in_window = pages_in_window + 1,
                lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            RETURNING 1
            """,
            logger: logger
        ).collect()
        if rows.isEmpty { throw LeaseLostError(key: key) }
    }

    /// The window is fully stored: move the watermark, clear the window, schedule the next run and
    /// release the lease.
    ///
    /// `countsChecked` records a comparison with the service's counts; `sweepNext` (the counts
    /// differed) makes the next run, due at once, a reconciliation sweep.
    public func completeWindow(
        _ key: SyncJobKey, watermark: Date, nextRunIn: Duration, reconciled: Bool = false,
        countsChecked: Bool = false, sweepNext: Bool = false,
        on connection: PostgresConnection? = nil
    ) async throws {
        let query: PostgresQuery = """
            UPDATE inspector.sync_state
            SET watermark = \(watermark), window_start = NULL, window_end = NULL, next_token = NULL,
                pages_in_window = 0, backfill_completed_at = coalesce(backfill_completed_at, now()),
                last_success_at = now(), last_error = NULL, consecutive_failures = 0,
                last_reconcile_at = CASE WHEN \(sweepNext) THEN NULL WHEN \(reconciled) THEN now() ELSE last_reconcile_at END,
                last_count_check_at = CASE WHEN \(countsChecked || reconciled) THEN now() ELSE last_count_check_at END,
                sweep_started_at = NULL,
                next_run_at = now() + make_interval(secs => \(sweepNext ? 0 : Self.seconds(nextRunIn))),
                lease_owner = NULL, lease_expires_at = NULL
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            RETURNING 1
            """
        let rows: [PostgresRow]
        if let connection {
            rows = try await connection.query(query, logger: logger).collect()
        } else {
            rows = try await client.query(query, logger: logger).collect()
        }
        if rows.isEmpty { throw LeaseLostError(key: key) }
    }

    /// Records a failed run: the error (already free of secrets), a retry time, and releases the lease.
    /// The window in progress is kept, so the retry resumes it.
    public func recordFailure(_ key: SyncJobKey, error: String, retryIn: Duration) async throws {
        try await client.query(
            """
            UPDATE inspector.sync_state
            SET last_error = \(String(error.prefix(2000))), last_error_at = now(),
                consecutive_failures = consecutive_failures + 1,
                next_run_at = now() + make_interval(secs => \(Self.seconds(retryIn))),
                lease_owner = NULL, lease_expires_at = NULL
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            """,
            logger: logger
        )
    }

    /// Gives a lease back without recording anything (shutdown): the job is due again at once.
    public func release(_ key: SyncJobKey) async throws {
        try await client.query(
            """
            UPDATE inspector.sync_state SET lease_owner = NULL, lease_expires_at = NULL
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            """,
            logger: logger
        )
    }

    /// Starts a reconciliation sweep: forgets any window in progress and what an earlier, abandoned
    /// sweep had seen.
    public func startSweep(_ key: SyncJobKey) async throws {
        try await client.withConnection { connection in
            try await connection.inTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE inspector.sync_state
                    SET sweep_started_at = now(), window_start = NULL, window_end = NULL, next_token = NULL, pages_in_window = 0
                    WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
                      AND lease_owner = \(owner)
                    RETURNING 1
                    """,
                    logger: logger
                ).collect()
                if rows.isEmpty { throw LeaseLostError(key: key) }
                try await connection.query(
                    "DELETE FROM inspector.sweep_seen WHERE account_id = \(key.target.accountId) AND region = \(key.target.region)",
                    logger: logger
                )
            }
        }
    }

    /// Forgets a window in progress (its token was refused): the next run starts the window afresh.
    public func resetWindow(_ key: SyncJobKey) async throws {
        try await client.query(
            """
            UPDATE inspector.sync_state SET window_start = NULL, window_end = NULL, next_token = NULL, pages_in_window = 0
            WHERE account_id = \(key.target.accountId) AND region = \(key.target.region) AND job = \(key.job.rawValue)
              AND lease_owner = \(owner)
            """,
            logger: logger
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
