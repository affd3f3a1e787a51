/// The temporary staging tables a page is COPYed into before the set-based upserts. They live per
/// session and empty themselves at commit, so a pooled connection creates them once.
enum StageTables {
    static let createIfMissing = """
    DO $$
    BEGIN
        IF to_regclass('pg_temp.stage_findings') IS NULL THEN
            CREATE TEMP TABLE stage_findings (
                finding_arn text, account_id text, region text, type text, status text, severity text,
                title text, inspector_score float8, epss_score float8, fix_available text, exploit_available text,
                first_observed_at float8, last_observed_at float8, updated_at float8, raw jsonb
            ) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE stage_changed (finding_arn text PRIMARY KEY) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE stage_events (
                ordinal int, event_type text, finding_arn text, resource_id text, resource_type text, scan_type text,
                account_id text, region text, old_status text, new_status text, old_severity text,
                new_severity text, changes jsonb, data jsonb, occurred_at float8
            ) ON COMMIT DELETE ROWS;
        END IF;
    END
    $$
    """
}
