import Foundation
import Logging
import PostgresNIO

/// Stores a coverage snapshot page by page. Each page upserts what it saw (stamping `last_seen_at`
/// with the snapshot's service time) and records added / scan-status events; `finishSnapshot`, run
/// only after the last page, marks what the snapshot no longer contains as removed.
public struct CoveragePageWriter: Sendable {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    static let createStage = """
        DO $$
        BEGIN
            IF to_regclass('pg_temp.stage_coverage') IS NULL THEN
                CREATE TEMP TABLE stage_coverage (
                    account_id text, region text, resource_id text, scan_type text, resource_type text,
                    scan_status_code text, scan_status_reason text, scan_mode text, last_scanned_at float8, raw jsonb
                ) ON COMMIT DELETE ROWS;
            END IF;
        END
        $$
        """

    /// Returns the event types recorded.
    @discardableResult
    public func write(
        _ records: [CoverageRecord], target: SyncTarget, snapshotTime: Date, isFirstSnapshot: Bool, eventsOnFirstSync: Bool,
        on connection: PostgresConnection, progress: (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> [ChangeEventType] {
        var unique: [CoverageRecord.Key: CoverageRecord] = [:]
        for record in records { unique[record.key] = record }
        // Sorted: the row locks below are then taken in one order by every writer.
        let records = unique.values.sorted { ($0.resourceId, $0.scanType) < ($1.resourceId, $1.scanType) }
        return try await connection.inTransaction(logger: logger) { connection in
            guard !records.isEmpty else {
                try await progress(connection)
                return []
            }
            try await connection.query(PostgresQuery(unsafeSQL: Self.createStage), logger: logger)
            var stored: [CoverageRecord.Key: CoverageState] = [:]
            let rows = try await connection.query(
                """
                SELECT resource_id, scan_type, scan_status_code, scan_status_reason, removed_at IS NOT NULL
                FROM inspector.coverage
                WHERE account_id = \(target.accountId) AND region = \(target.region)
                  AND resource_id = ANY(\(records.map(\.resourceId)))
                FOR UPDATE
                """,
                logger: logger
            )
            for try await (id, scanType, code, reason, removed) in rows.decode((String, String, String?, String?, Bool).self) {
                stored[CoverageRecord.Key(resourceId: id, scanType: scanType)] = CoverageState(scanStatusCode: code, scanStatusReason: reason, removed: removed)
            }
            var events: [ChangeEventRecord] = []
            var copy = StageRowsEncoder(columns: [
                "account_id", "region", "resource_id", "scan_type", "resource_type", "scan_status_code", "scan_status_reason",
                "scan_mode", "last_scanned_at", "raw",
            ], capacity: records.count * 1024)
            for record in records {
                let new = CoverageState(scanStatusCode: record.scanStatusCode, scanStatusReason: record.scanStatusReason)
                let old = stored[record.key]
                if let type = CoverageTransition.classify(old: old, new: new, isFirstSnapshot: isFirstSnapshot, eventsOnFirstSync: eventsOnFirstSync) {
                    var changes = "{}"
                    if type == .coverageScanStatusChanged, let old {
                        changes = "{\"scanStatusCode\":{\"old\":\(ChangesJSON.quote(old.scanStatusCode)),\"new\":\(ChangesJSON.quote(new.scanStatusCode))},"
                            + "\"scanStatusReason\":{\"old\":\(ChangesJSON.quote(old.scanStatusReason)),\"new\":\(ChangesJSON.quote(new.scanStatusReason))}}"
                    }
                    events.append(ChangeEventRecord(
                        type: type, resourceId: record.resourceId, resourceType: record.resourceType, scanType: record.scanType,
                        accountId: record.accountId, region: record.region, oldStatus: old?.scanStatusCode,
                        newStatus: record.scanStatusCode, changesJSON: changes, data: record.raw, occurredAt: snapshotTime
                    ))
                }
                copy.text(record.accountId)
                copy.text(record.region)
                copy.text(record.resourceId)
                copy.text(record.scanType)
                copy.text(record.resourceType)
                copy.text(record.scanStatusCode)
                copy.text(record.scanStatusReason)
                copy.text(record.scanMode)
                copy.double(record.lastScannedAt?.timeIntervalSince1970)
                copy.bytes(record.raw)
                copy.endRow()
            }
            try await connection.loadStage("stage_coverage", copy, logger: logger)
            try await connection.query(
                """
                INSERT INTO inspector.coverage AS c
                    (account_id, region, resource_id, scan_type, resource_type, scan_status_code, scan_status_reason,
                     scan_mode, last_scanned_at, metadata, raw, first_seen_at, last_seen_at, removed_at)
                SELECT account_id, region, resource_id, scan_type, resource_type, scan_status_code, scan_status_reason,
                       scan_mode, to_timestamp(last_scanned_at), inspector.jsonb_object(raw->'resourceMetadata'), raw,
                       \(snapshotTime), \(snapshotTime), NULL
                FROM pg_temp.stage_coverage
                ON CONFLICT (account_id, region, resource_id, scan_type) DO UPDATE SET
                    resource_type = excluded.resource_type, scan_status_code = excluded.scan_status_code,
                    scan_status_reason = excluded.scan_status_reason, scan_mode = excluded.scan_mode,
                    last_scanned_at = excluded.last_scanned_at, metadata = excluded.metadata, raw = excluded.raw,
                    last_seen_at = excluded.last_seen_at, removed_at = NULL
                """,
                logger: logger
            )
            try await ChangeEventWriter.append(events, on: connection, logger: logger)
            try await progress(connection)
            return events.map(\.type)
        }
    }

    /// After a complete snapshot: rows of the target that it did not contain are removed (kept, with
    /// `removed_at`), each with a `coverage.removed` event. Returns how many.
    @discardableResult
    public func finishSnapshot(
        target: SyncTarget, snapshotTime: Date, on connection: PostgresConnection,
        progress: (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> Int {
        try await connection.inTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE inspector.coverage SET removed_at = \(snapshotTime)
                WHERE account_id = \(target.accountId) AND region = \(target.region)
                  AND removed_at IS NULL AND last_seen_at < \(snapshotTime)
                RETURNING resource_id, scan_type, resource_type, scan_status_code, raw::text
                """,
                logger: logger
            )
            var events: [ChangeEventRecord] = []
            for try await (id, scanType, resourceType, code, raw) in rows.decode((String, String, String, String?, String).self) {
                events.append(ChangeEventRecord(
                    type: .coverageRemoved, resourceId: id, resourceType: resourceType, scanType: scanType,
                    accountId: target.accountId, region: target.region, oldStatus: code,
                    data: Array(raw.utf8), occurredAt: snapshotTime
                ))
            }
            try await ChangeEventWriter.append(events, on: connection, logger: logger)
            try await progress(connection)
            return events.count
        }
    }
}
