-- Database roles for inspector-sync. Run as a superuser or the database owner after
-- `inspector-sync migrate`, then set the passwords:  ALTER ROLE inspector_sync PASSWORD '...';
--
--   inspector_sync            the daemon: reads and writes the inspector schema
--   inspector_reporting       dashboards and SQL reports: reads the mirrored data, the feed and the
--                             reporting views; never the sync bookkeeping or leases

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inspector_sync') THEN CREATE ROLE inspector_sync LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inspector_reporting') THEN CREATE ROLE inspector_reporting LOGIN; END IF;
END $$;

GRANT USAGE, CREATE ON SCHEMA inspector TO inspector_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA inspector TO inspector_sync;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA inspector TO inspector_sync;
ALTER DEFAULT PRIVILEGES IN SCHEMA inspector GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO inspector_sync;
ALTER DEFAULT PRIVILEGES IN SCHEMA inspector GRANT USAGE, SELECT ON SEQUENCES TO inspector_sync;

GRANT USAGE ON SCHEMA inspector TO inspector_reporting;
GRANT SELECT ON
    inspector.findings, inspector.resources, inspector.finding_resources, inspector.vulnerabilities,
    inspector.finding_vulnerabilities, inspector.finding_packages, inspector.finding_network_reachability,
    inspector.coverage, inspector.accounts, inspector.finding_events, inspector.sla_targets,
    inspector.open_findings, inspector.finding_counts, inspector.open_findings_by_resource_type,
    inspector.top_vulnerabilities, inspector.finding_remediation, inspector.sla_breaches,
    inspector.coverage_problems
TO inspector_reporting;
GRANT EXECUTE ON FUNCTION inspector.mttr(timestamptz, timestamptz), inspector.findings_at(timestamptz),
    inspector.open_at(timestamptz), inspector.open_trend(integer), inspector.events_after(bigint, integer)
TO inspector_reporting;
-- Not granted on purpose: sync_state (leases, errors), sweep_seen, schema_migrations, and the
-- webhook tables (delivery payloads and endpoint URLs).
