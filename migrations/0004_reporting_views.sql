-- Reporting views: the questions security teams ask of the synced data, answered once, correctly.
-- They read only the mirrored tables and the change feed; they never see webhook payloads or leases.

-- Open findings, flattened for reporting: one row per open finding with its first resource, its
-- vulnerability and the packages that carry it.
CREATE VIEW inspector.open_findings AS
SELECT f.finding_arn, f.account_id, f.region, f.type, f.severity, f.title, f.inspector_score, f.epss_score,
       f.fix_available, f.exploit_available, f.first_observed_at, f.last_observed_at, f.updated_at,
       r.resource_id, r.resource_type,
       (SELECT min(v.vulnerability_id) FROM inspector.finding_vulnerabilities v WHERE v.finding_arn = f.finding_arn) AS vulnerability_id,
       (SELECT string_agg(p.name || ' ' || p.version || coalesce(' -> ' || p.fixed_in_version, ''), ', ' ORDER BY p.ordinal)
          FROM inspector.finding_packages p WHERE p.finding_arn = f.finding_arn) AS packages,
       now() - f.first_observed_at AS age
FROM inspector.findings f
LEFT JOIN LATERAL (
    SELECT fr.resource_id, fr.resource_type FROM inspector.finding_resources fr
    WHERE fr.finding_arn = f.finding_arn ORDER BY fr.resource_id LIMIT 1
) r ON true
WHERE f.status = 'ACTIVE' AND f.removed_at IS NULL;

-- Counts by account, region, severity and status (findings AWS still returns).
CREATE VIEW inspector.finding_counts AS
SELECT account_id, region, severity, status, count(*) AS findings
FROM inspector.findings WHERE removed_at IS NULL
GROUP BY account_id, region, severity, status;

-- Open findings by the type of resource they are on.
CREATE VIEW inspector.open_findings_by_resource_type AS
SELECT coalesce(resource_type, 'UNKNOWN') AS resource_type, severity, count(*) AS findings,
       count(DISTINCT resource_id) AS resources
FROM inspector.open_findings GROUP BY 1, 2;

-- Vulnerabilities ranked by how many resources they affect, with EPSS and exploit availability.
CREATE VIEW inspector.top_vulnerabilities AS
SELECT v.vulnerability_id, bool_or(f.severity = 'CRITICAL') AS any_critical,
       count(DISTINCT f.finding_arn) AS open_findings, count(DISTINCT fr.resource_id) AS affected_resources,
       max(vu.epss_score) AS epss_score, bool_or(f.exploit_available = 'YES') AS exploit_available,
       bool_or(f.fix_available IN ('YES', 'PARTIAL')) AS fix_available
FROM inspector.finding_vulnerabilities v
JOIN inspector.findings f ON f.finding_arn = v.finding_arn AND f.status = 'ACTIVE' AND f.removed_at IS NULL
LEFT JOIN inspector.finding_resources fr ON fr.finding_arn = f.finding_arn
LEFT JOIN inspector.vulnerabilities vu ON vu.vulnerability_id = v.vulnerability_id
GROUP BY v.vulnerability_id;

-- Remediation time per closed finding: first observed to the moment it closed. The close time is
-- the feed's last finding.closed event when there is one, else the finding's updatedAt (a finding
-- already closed at the first sync).
CREATE VIEW inspector.finding_remediation AS
SELECT f.finding_arn, f.account_id, f.region, f.severity, f.first_observed_at,
       coalesce(e.closed_at, f.updated_at) AS closed_at,
       coalesce(e.closed_at, f.updated_at) - f.first_observed_at AS time_to_remediate
FROM inspector.findings f
LEFT JOIN LATERAL (
    SELECT max(occurred_at) AS closed_at FROM inspector.finding_events ev
    WHERE ev.finding_arn = f.finding_arn AND ev.event_type = 'finding.closed'
) e ON true
WHERE f.status = 'CLOSED' AND f.first_observed_at IS NOT NULL;

-- Median and 90th percentile time to remediate, by severity and account, for findings closed in
-- [since, until).
CREATE FUNCTION inspector.mttr(since timestamptz DEFAULT now() - interval '90 days', until timestamptz DEFAULT now())
RETURNS TABLE (severity text, account_id text, closed bigint, median interval, p90 interval)
LANGUAGE sql STABLE AS $$
    SELECT severity, account_id, count(*),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY time_to_remediate),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY time_to_remediate)
    FROM inspector.finding_remediation
    WHERE closed_at >= since AND closed_at < until
    GROUP BY severity, account_id
    ORDER BY severity, account_id
$$;

-- Remediation targets per severity, in days; edit the rows to your policy.
CREATE TABLE inspector.sla_targets (
    severity text PRIMARY KEY,
    days     integer NOT NULL CHECK (days > 0)
);
INSERT INTO inspector.sla_targets VALUES ('CRITICAL', 15), ('HIGH', 30), ('MEDIUM', 90), ('LOW', 180);

-- Findings past their target: open ones older than it, and closed ones that took longer.
CREATE VIEW inspector.sla_breaches AS
SELECT f.finding_arn, f.account_id, f.region, f.severity, 'open' AS state, f.first_observed_at,
       NULL::timestamptz AS closed_at, now() - f.first_observed_at AS age, t.days AS target_days
FROM inspector.findings f JOIN inspector.sla_targets t USING (severity)
WHERE f.status = 'ACTIVE' AND f.removed_at IS NULL AND f.first_observed_at < now() - make_interval(days => t.days)
UNION ALL
SELECT r.finding_arn, r.account_id, r.region, r.severity, 'closed', r.first_observed_at, r.closed_at,
       r.time_to_remediate, t.days
FROM inspector.finding_remediation r JOIN inspector.sla_targets t USING (severity)
WHERE r.time_to_remediate > make_interval(days => t.days);

-- Coverage problems: resources not scanned or failing to scan, by reason.
CREATE VIEW inspector.coverage_problems AS
SELECT account_id, region, resource_type, scan_type, scan_status_code, scan_status_reason, count(*) AS resources
FROM inspector.coverage
WHERE removed_at IS NULL AND coalesce(scan_status_code, '') <> 'ACTIVE'
GROUP BY 1, 2, 3, 4, 5, 6;

-- Point in time: the status and severity of every finding at `at`, rebuilt from the change feed.
-- A finding's state at `at` is the new state of its last event at or before `at`; without one, the
-- old state of its first event after `at`; without any event, its current state. Findings first
-- observed after `at` did not exist yet.
CREATE FUNCTION inspector.findings_at(at timestamptz)
RETURNS TABLE (finding_arn text, account_id text, region text, status text, severity text)
LANGUAGE sql STABLE AS $$
    SELECT f.finding_arn, f.account_id, f.region,
           coalesce(before.new_status, after.old_status, f.status),
           coalesce(before.new_severity, after.old_severity, f.severity)
    FROM inspector.findings f
    LEFT JOIN LATERAL (
        SELECT e.new_status, e.new_severity FROM inspector.finding_events e
        WHERE e.finding_arn = f.finding_arn AND e.occurred_at <= at AND e.new_status IS NOT NULL
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
    ) before ON true
    LEFT JOIN LATERAL (
        SELECT e.old_status, e.old_severity FROM inspector.finding_events e
        WHERE e.finding_arn = f.finding_arn AND e.occurred_at > at
        ORDER BY e.occurred_at, e.id LIMIT 1
    ) after ON before.new_status IS NULL
    WHERE coalesce(f.first_observed_at, '-infinity') <= at
      -- created after `at` per the feed: not there yet
      AND NOT EXISTS (SELECT 1 FROM inspector.finding_events c
                      WHERE c.finding_arn = f.finding_arn AND c.event_type = 'finding.created' AND c.occurred_at > at)
      -- purged at or before `at`: gone
      AND NOT EXISTS (SELECT 1 FROM inspector.finding_events p
                      WHERE p.finding_arn = f.finding_arn AND p.event_type = 'finding.purged' AND p.occurred_at <= at)
$$;

-- What was open on a date: `SELECT * FROM inspector.open_at('2026-11-01')`.
CREATE FUNCTION inspector.open_at(at timestamptz)
RETURNS TABLE (finding_arn text, account_id text, region text, severity text)
LANGUAGE sql STABLE AS $$
    SELECT finding_arn, account_id, region, severity FROM inspector.findings_at(at) WHERE status = 'ACTIVE'
$$;

-- The open-finding count per severity at the end of each of the last `days` days.
CREATE FUNCTION inspector.open_trend(days integer DEFAULT 30)
RETURNS TABLE (day date, severity text, open_findings bigint)
LANGUAGE sql STABLE AS $$
    SELECT d::date, o.severity, count(*)
    FROM generate_series(current_date - (days - 1), current_date, interval '1 day') d
    CROSS JOIN LATERAL inspector.open_at(d + interval '1 day' - interval '1 microsecond') o
    GROUP BY 1, 2 ORDER BY 1, 2
$$;
