import Foundation
import Logging
import PostgresNIO

/// Stores one page of findings in one transaction: COPY into staging tables, set-based upserts of the
/// findings and their child rows, the events that the page's changes make (with their NOTIFY hints),
/// and the sync progress of the window — all or nothing.
public struct FindingPageWriter: Sendable {
    public struct Outcome: Sendable, Equatable {
        /// Findings whose stored row was inserted or changed.
        public var changed: Int
        /// Findings skipped because the stored row is newer (an overlap replay of an older version).
        public var stale: Int
        public var eventIds: [Int64]
        public var eventTypes: [ChangeEventType]
    }

    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Writes `records` and, in the same transaction, runs `progress` (e.g. recording the next page's
    /// token under the target's lease; throwing rolls the page back).
    public func write(
        _ records: [FindingRecord],
        options: FindingTransition.Options,
        on connection: PostgresConnection,
        sweep: SyncTarget? = nil,
        progress: (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> Outcome {
        let records = Self.lastOccurrencePerArn(records)
        return try await connection.inTransaction(logger: logger) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: StageTables.createIfMissing), logger: logger)
            if let sweep, !records.isEmpty {
                // A reconciliation sweep remembers every ARN it saw, stale copies included.
                try await connection.query(
                    """
                    INSERT INTO inspector.sweep_seen (account_id, region, finding_arn)
                    SELECT \(sweep.accountId), \(sweep.region), unnest(\(records.map(\.arn))::text[])
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
            }

            // Lock the stored rows first: the classification below must see the state we overwrite.
            let arns = records.map(\.arn)
            var stored: [String: (state: FindingState, updatedAt: Date?)] = [:]
            let rows = try await connection.query(
                """
                SELECT finding_arn, status, severity, inspector_score, epss_score, fix_available, exploit_available,
                       removed_at IS NOT NULL, updated_at
                FROM inspector.findings WHERE finding_arn = ANY(\(arns)) FOR UPDATE
                """,
                logger: logger
            )
            for try await (arn, status, severity, score, epss, fix, exploit, removed, updatedAt) in rows.decode(
                (String, String, String, Double?, Double?, String?, String?, Bool, Date?).self
            ) {
                stored[arn] = (FindingState(status: status, severity: severity, inspectorScore: score, epssScore: epss, fixAvailable: fix, exploitAvailable: exploit, removed: removed), updatedAt)
            }

            var fresh: [FindingRecord] = []
            var events: [ChangeEventRecord] = []
            var stale = 0
            for record in records {
                let old = stored[record.arn]
                // Timestamps make a round trip through microseconds and Date's 2001 epoch: compare at
                // the API's millisecond precision, or an equal updatedAt can look a hair older.
                // A purged row that AWS returns again is never stale: it must come back.
                if let old, !old.state.removed, let oldUpdated = old.updatedAt, let newUpdated = record.updatedAt,
                   newUpdated.timeIntervalSince(oldUpdated) < -0.0005 {
                    stale += 1
                    continue
                }
                fresh.append(record)
                let types = FindingTransition.classify(old: old?.state, new: record.state, options: options)
                events += ChangeEventRecord.forFinding(record, old: old?.state, types: types)
            }
            guard !fresh.isEmpty else {
                try await progress(connection)
                return Outcome(changed: 0, stale: stale, eventIds: [], eventTypes: [])
            }

            try await stage(fresh, on: connection)
            let changed = try await upsert(on: connection)
            let ids = try await ChangeEventWriter.append(events, on: connection, logger: logger)
            try await progress(connection)
            return Outcome(changed: changed, stale: stale, eventIds: ids, eventTypes: events.map(\.type))
        }
    }

    /// AWS does not repeat a finding within a page, but if a response ever does, the upsert would fail
    /// ("cannot affect row a second time"). The copy with the newest `updatedAt` wins (the later one
    /// on a tie), in the position of its first occurrence.
    static func lastOccurrencePerArn(_ records: [FindingRecord]) -> [FindingRecord] {
        var index: [String: Int] = [:]
        var result: [FindingRecord] = []
        result.reserveCapacity(records.count)
        for record in records {
            if let existing = index[record.arn] {
                let kept = result[existing].updatedAt ?? .distantPast
                if (record.updatedAt ?? .distantPast) >= kept { result[existing] = record }
            } else {
                index[record.arn] = result.count
                result.append(record)
            }
        }
        return result
    }

    private func stage(_ records: [FindingRecord], on connection: PostgresConnection) async throws {
        var findings = StageRowsEncoder(columns: [
            "finding_arn", "account_id", "region", "type", "status", "severity", "title", "inspector_score", "epss_score",
            "fix_available", "exploit_available", "first_observed_at", "last_observed_at", "updated_at", "raw",
        ], capacity: records.count * 4096)
        for record in records {
            findings.text(record.arn)
            findings.text(record.accountId)
            findings.text(record.region)
            findings.text(record.type)
            findings.text(record.status)
            findings.text(record.severity)
            findings.text(record.title)
            findings.double(record.inspectorScore)
            findings.double(record.epssScore)
            findings.text(record.fixAvailable)
            findings.text(record.exploitAvailable)
            findings.double(record.firstObservedAt?.timeIntervalSince1970)
            findings.double(record.lastObservedAt?.timeIntervalSince1970)
            findings.double(record.updatedAt?.timeIntervalSince1970)
            findings.bytes(record.raw)
            findings.endRow()
        }
        try await connection.loadStage("stage_findings", findings, logger: logger)
    }

    /// Returns how many findings were inserted or changed; only those get their child rows rewritten.
    private func upsert(on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            """
            WITH up AS (
                INSERT INTO inspector.findings AS f
                    (finding_arn, account_id, region, type, status, severity, title, description, inspector_score,
                     epss_score, fix_available, exploit_available, first_observed_at, last_observed_at, updated_at,
                     removed_at, raw, synced_at)
                SELECT finding_arn, account_id, region, type, status, severity, title, raw->>'description', inspector_score,
                       epss_score, fix_available, exploit_available, to_timestamp(first_observed_at),
                       to_timestamp(last_observed_at), to_timestamp(updated_at), NULL, raw, now()
                FROM pg_temp.stage_findings
                ON CONFLICT (finding_arn) DO UPDATE SET
                    account_id = excluded.account_id, region = excluded.region, type = excluded.type,
                    status = excluded.status, severity = excluded.severity, title = excluded.title,
                    description = excluded.description, inspector_score = excluded.inspector_score,
                    epss_score = excluded.epss_score, fix_available = excluded.fix_available,
                    exploit_available = excluded.exploit_available, first_observed_at = excluded.first_observed_at,
                    last_observed_at = excluded.last_observed_at, updated_at = excluded.updated_at,
                    removed_at = NULL, raw = excluded.raw, synced_at = now()
                WHERE f.raw IS DISTINCT FROM excluded.raw OR f.removed_at IS NOT NULL
                RETURNING finding_arn
            )
            INSERT INTO pg_temp.stage_changed SELECT finding_arn FROM up
            """,
            logger: logger
        )
        let changed = try await connection.query("SELECT count(*) FROM pg_temp.stage_changed", logger: logger)
            .collect().first?.decode(Int.self) ?? 0
        guard changed > 0 else { return 0 }
        for statement in Self.childStatements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        return changed
    }

    /// Child rows of changed findings are replaced wholesale (a package list is the API's, not a
    /// merge), and derived from the raw JSON by PostgreSQL: one pass in C instead of decoding every
    /// nested member in Swift, and lenient about types through the `inspector.jsonb_*` helpers.
    /// The deletes match `= ANY (ARRAY(...))`, not a join: the staging table has no statistics, so a
    /// join was planned as a hash join over a sequential scan of the whole child table on every page
    /// (a backfill quadratic in the table size); an array of keys is planned as an index scan.
    static let childStatements = [
        """
        DELETE FROM inspector.finding_resources WHERE finding_arn = ANY (ARRAY(SELECT finding_arn FROM pg_temp.stage_changed))
        """,
        """
        INSERT INTO inspector.finding_resources (finding_arn, resource_id, account_id, region, resource_type)
        SELECT DISTINCT ON (s.finding_arn, r->>'id')
               s.finding_arn, r->>'id', s.account_id, coalesce(r->>'region', s.region), coalesce(r->>'type', 'UNKNOWN')
        FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
        CROSS JOIN LATERAL jsonb_array_elements(inspector.jsonb_array(s.raw->'resources')) r
        WHERE r->>'id' IS NOT NULL
        """,
        """
        INSERT INTO inspector.resources AS t (resource_id, account_id, region, resource_type, partition, tags, details, updated_at)
        SELECT DISTINCT ON (s.account_id, coalesce(r->>'region', s.region), r->>'id')
               r->>'id', s.account_id, coalesce(r->>'region', s.region), coalesce(r->>'type', 'UNKNOWN'),
               r->>'partition', inspector.jsonb_object(r->'tags'), inspector.jsonb_object(r->'details'), now()
        FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
        CROSS JOIN LATERAL jsonb_array_elements(inspector.jsonb_array(s.raw->'resources')) r
        WHERE r->>'id' IS NOT NULL
        ORDER BY s.account_id, coalesce(r->>'region', s.region), r->>'id', s.updated_at DESC NULLS LAST
        ON CONFLICT (account_id, region, resource_id) DO UPDATE SET
            resource_type = excluded.resource_type, partition = excluded.partition, tags = excluded.tags,
            details = excluded.details, updated_at = now()
        WHERE (t.resource_type, t.partition, t.tags, t.details)
              IS DISTINCT FROM (excluded.resource_type, excluded.partition, excluded.tags, excluded.details)
        """,
        """
        DELETE FROM inspector.finding_packages WHERE finding_arn = ANY (ARRAY(SELECT finding_arn FROM pg_temp.stage_changed))
        """,
        """
        INSERT INTO inspector.finding_packages
            (finding_arn, ordinal, name, version, epoch, release, arch, package_manager, file_path, fixed_in_version,
             remediation, source_layer_hash, source_lambda_layer_arn)
        SELECT s.finding_arn, p.ordinal::int - 1, coalesce(p.pkg->>'name', ''), coalesce(p.pkg->>'version', ''),
               inspector.jsonb_int(p.pkg->'epoch'), p.pkg->>'release', p.pkg->>'arch', p.pkg->>'packageManager',
               p.pkg->>'filePath', p.pkg->>'fixedInVersion', p.pkg->>'remediation', p.pkg->>'sourceLayerHash',
               p.pkg->>'sourceLambdaLayerArn'
        FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
        CROSS JOIN LATERAL jsonb_array_elements(
            inspector.jsonb_array(s.raw->'packageVulnerabilityDetails'->'vulnerablePackages')
        ) WITH ORDINALITY AS p(pkg, ordinal)
        WHERE jsonb_typeof(p.pkg) = 'object'
        """,
        """
        DELETE FROM inspector.finding_vulnerabilities WHERE finding_arn = ANY (ARRAY(SELECT finding_arn FROM pg_temp.stage_changed))
        """,
        """
        INSERT INTO inspector.finding_vulnerabilities (finding_arn, vulnerability_id)
        SELECT s.finding_arn, s.raw->'packageVulnerabilityDetails'->>'vulnerabilityId'
        FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
        WHERE s.raw->'packageVulnerabilityDetails'->>'vulnerabilityId' IS NOT NULL
        """,
        """
        INSERT INTO inspector.vulnerabilities AS v
            (vulnerability_id, source, source_url, vendor_severity, cvss, epss_score, exploit_available,
             reference_urls, related_vulnerabilities, vendor_created_at, vendor_updated_at, updated_at)
        SELECT * FROM (
            SELECT DISTINCT ON (d->>'vulnerabilityId')
                   d->>'vulnerabilityId' AS vulnerability_id, d->>'source', d->>'sourceUrl', d->>'vendorSeverity' AS vendor_severity,
                   inspector.jsonb_array(d->'cvss') AS cvss, inspector.jsonb_float(s.raw->'epss'->'score') AS epss_score,
                   s.raw->>'exploitAvailable' AS exploit_available, inspector.jsonb_array(d->'referenceUrls'),
                   inspector.jsonb_array(d->'relatedVulnerabilities'), inspector.jsonb_epoch(d->'vendorCreatedAt'),
                   inspector.jsonb_epoch(d->'vendorUpdatedAt') AS vendor_updated_at, now()
            FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
            CROSS JOIN LATERAL (SELECT inspector.jsonb_object(s.raw->'packageVulnerabilityDetails') AS d) x
            WHERE d->>'vulnerabilityId' IS NOT NULL
            ORDER BY d->>'vulnerabilityId', s.updated_at DESC NULLS LAST
        ) n
        -- Skip unchanged rows before ON CONFLICT: it locks the row it meets even when its WHERE then
        -- declines the update, and every target names the same CVEs, so concurrent targets' pages
        -- queued behind each other's locks until commit (three quarters of a backfill's database time).
        WHERE NOT EXISTS (
            SELECT 1 FROM inspector.vulnerabilities o
            WHERE o.vulnerability_id = n.vulnerability_id
              AND (o.cvss, o.epss_score, o.exploit_available, o.vendor_severity, o.vendor_updated_at)
                  IS NOT DISTINCT FROM (n.cvss, n.epss_score, n.exploit_available, n.vendor_severity, n.vendor_updated_at))
        ON CONFLICT (vulnerability_id) DO UPDATE SET
            source = excluded.source, source_url = excluded.source_url, vendor_severity = excluded.vendor_severity,
            cvss = excluded.cvss, epss_score = excluded.epss_score, exploit_available = excluded.exploit_available,
            reference_urls = excluded.reference_urls, related_vulnerabilities = excluded.related_vulnerabilities,
            vendor_created_at = excluded.vendor_created_at, vendor_updated_at = excluded.vendor_updated_at,
            updated_at = now()
        WHERE (v.cvss, v.epss_score, v.exploit_available, v.vendor_severity, v.vendor_updated_at)
              IS DISTINCT FROM (excluded.cvss, excluded.epss_score, excluded.exploit_available,
                                excluded.vendor_severity, excluded.vendor_updated_at)
        """,
        """
        DELETE FROM inspector.finding_network_reachability WHERE finding_arn = ANY (ARRAY(SELECT finding_arn FROM pg_temp.stage_changed))
        """,
        """
        INSERT INTO inspector.finding_network_reachability (finding_arn, protocol, port_range_begin, port_range_end, network_path)
        SELECT s.finding_arn, d->>'protocol', inspector.jsonb_int(d->'openPortRange'->'begin'),
               inspector.jsonb_int(d->'openPortRange'->'end'), inspector.jsonb_object(d->'networkPath')
        FROM pg_temp.stage_findings s JOIN pg_temp.stage_changed c USING (finding_arn)
        CROSS JOIN LATERAL (SELECT inspector.jsonb_object(s.raw->'networkReachabilityDetails') AS d) x
        WHERE d IS NOT NULL
        """,
    ]
}
