import Foundation
import Logging
import PostgresNIO

/// Appends events to the feed inside the caller's transaction, sends one NOTIFY hint per event and
/// creates the webhook deliveries of each (one per enabled endpoint whose filters select it).
///
/// The feed's trigger takes the feed lock at the INSERT, so call this as late in the transaction as
/// possible: the lock is held to commit.
public enum ChangeEventWriter {
    public static let notifyChannel = "inspector_events"

    /// Returns the ids assigned, in order.
    @discardableResult
    public static func append(_ events: [ChangeEventRecord], on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        var copy = StageRowsEncoder(columns: [
            "ordinal", "event_type", "finding_arn", "resource_id", "resource_type", "scan_type", "account_id", "region",
            "old_status", "new_status", "old_severity", "new_severity", "changes", "data", "occurred_at",
        ], capacity: events.count * 512)
        for (ordinal, event) in events.enumerated() {
            copy.int(ordinal)
            copy.text(event.type.rawValue)
            copy.text(event.findingArn)
            copy.text(event.resourceId)
            copy.text(event.resourceType)
            copy.text(event.scanType)
            copy.text(event.accountId)
            copy.text(event.region)
            copy.text(event.oldStatus)
            copy.text(event.newStatus)
            copy.text(event.oldSeverity)
            copy.text(event.newSeverity)
            copy.bytes(Array(event.changesJSON.utf8))  // a JSON document for the jsonb column
            copy.bytes(event.data)
            copy.double(event.occurredAt.timeIntervalSince1970)
            copy.endRow()
        }
        // The page writer has usually created the staging tables already; this is a cheap check.
        try await connection.query(PostgresQuery(unsafeSQL: StageTables.createIfMissing), logger: logger)
        try await connection.loadStage("stage_events", copy, logger: logger)
        // NOTIFY carries a hint only (ids, type, keys); consumers read the row itself.
        let rows = try await connection.query(
            """
            WITH ev AS (
                INSERT INTO inspector.finding_events
                    (event_type, finding_arn, resource_id, resource_type, scan_type, account_id, region, old_status, new_status,
                     old_severity, new_severity, changes, data, occurred_at)
                SELECT event_type, finding_arn, resource_id, resource_type, scan_type, account_id, region, old_status, new_status,
                       old_severity, new_severity, changes, data, to_timestamp(occurred_at)
                FROM pg_temp.stage_events ORDER BY ordinal
                RETURNING id, event_type, finding_arn, resource_id, resource_type, account_id, region,
                          old_severity, new_severity, new_status
            ),
            deliveries AS (
                -- The outbox: one delivery per event and enabled endpoint whose filters select it, in
                -- the same statement, so an event never commits without its deliveries or the reverse.
                INSERT INTO inspector.webhook_deliveries (event_id, endpoint, subject)
                SELECT ev.id, e.name, coalesce(ev.finding_arn, ev.resource_id)
                FROM ev JOIN inspector.webhook_endpoints e
                  ON e.enabled AND e.disabled_at IS NULL
                 AND inspector.webhook_filter_matches(e, ev.event_type, ev.account_id, ev.region, ev.resource_type,
                                                      ev.old_severity, ev.new_severity)
                ORDER BY ev.id, e.name
            )
            -- NOTIFY payloads must stay under 8000 bytes: a hint that would not (absurdly long values
            -- from the API) shrinks to its id and type rather than failing the page on every retry.
            SELECT id, pg_notify('\(unescaped: notifyChannel)', CASE WHEN octet_length(hint) < 8000 THEN hint
                ELSE json_build_object('id', id, 'type', event_type, 'truncated', true)::text END)::text
            FROM ev, LATERAL (SELECT json_build_object(
                'id', id, 'type', event_type, 'finding_arn', finding_arn, 'resource_id', resource_id,
                'account_id', account_id, 'region', region, 'severity', new_severity, 'status', new_status)::text AS hint) h
            ORDER BY id
            """,
            logger: logger
        )
        var ids: [Int64] = []
        ids.reserveCapacity(events.count)
        for try await (id, _) in rows.decode((Int64, String).self) { ids.append(id) }
        return ids
    }
}
