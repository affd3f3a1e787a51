import Foundation
import Logging
import PostgresNIO

/// Ends a reconciliation sweep: findings of the target that the complete sweep did not see are gone
/// from AWS (purged 3 days after their resource went away, 30 days after other closes). They keep
/// their row with `removed_at` set and get a `finding.purged` event; nothing is deleted.
public enum FindingPurger {
    /// Runs inside the caller's transaction; returns how many findings were marked removed.
    public static func purgeUnseen(target: SyncTarget, occurredAt: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE inspector.findings f SET removed_at = now()
            WHERE f.account_id = \(target.accountId) AND f.region = \(target.region) AND f.removed_at IS NULL
              AND NOT EXISTS (
                  SELECT 1 FROM inspector.sweep_seen s
                  WHERE s.account_id = f.account_id AND s.region = f.region AND s.finding_arn = f.finding_arn)
            RETURNING f.finding_arn, f.status, f.severity, f.raw::text,
                      (SELECT r.resource_id FROM inspector.finding_resources r WHERE r.finding_arn = f.finding_arn LIMIT 1),
                      (SELECT r.resource_type FROM inspector.finding_resources r WHERE r.finding_arn = f.finding_arn LIMIT 1)
            """,
            logger: logger
        )
        var events: [ChangeEventRecord] = []
        for try await (arn, status, severity, raw, resourceId, resourceType) in rows.decode((String, String, String, String, String?, String?).self) {
            events.append(ChangeEventRecord(
                type: .findingPurged, findingArn: arn, resourceId: resourceId, resourceType: resourceType,
                accountId: target.accountId, region: target.region, oldStatus: status, newStatus: status,
                oldSeverity: severity, newSeverity: severity, data: Array(raw.utf8), occurredAt: occurredAt
            ))
        }
        try await ChangeEventWriter.append(events, on: connection, logger: logger)
        try await connection.query(
            "DELETE FROM inspector.sweep_seen WHERE account_id = \(target.accountId) AND region = \(target.region)",
            logger: logger
        )
        return events.count
    }
}
