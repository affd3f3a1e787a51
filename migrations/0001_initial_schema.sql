-- inspector-sync schema, version 1: the mirrored Inspector data, the sync bookkeeping and the change feed.
-- Forward-only: never edit this file once released; add a new numbered file instead.

-- Lenient JSON accessors: the raw finding is whatever the API sent, so a value of an unexpected type
-- or range becomes NULL instead of failing the page that carries it. (Nested CASEs, because SQL does
-- not promise to evaluate AND left to right: the cast must never see a non-number.)
CREATE FUNCTION inspector.jsonb_int(value jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
               CASE WHEN value::text::numeric BETWEEN -2147483648 AND 2147483647
                    THEN trunc(value::text::numeric)::integer END END
$$;

CREATE FUNCTION inspector.jsonb_float(value jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
               CASE WHEN abs(value::text::numeric) < 1e300 THEN value::text::double precision END END
$$;

-- Epoch seconds (the API's timestamp format) to timestamptz; out-of-range values are NULL.
CREATE FUNCTION inspector.jsonb_epoch(value jsonb) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
               CASE WHEN value::text::numeric BETWEEN -62135596800 AND 253402300799
                    THEN to_timestamp(value::text::double precision) END END
$$;

-- The array at `value`, or an empty one when it is missing or not an array.
CREATE FUNCTION inspector.jsonb_array(value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]'::jsonb END
$$;

-- The object at `value`, or NULL when it is missing or not an object.
CREATE FUNCTION inspector.jsonb_object(value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'object' THEN value END
$$;

-- Accounts known to the sync: the delegated admin, its members, or the static list from config.
CREATE TABLE inspector.accounts (
    account_id                 text PRIMARY KEY CHECK (account_id ~ '^[0-9]{12}$'),
    source                     text NOT NULL,            -- 'delegated-admin' | 'member' | 'static'
    relationship_status        text,                     -- ListMembers relationshipStatus
    delegated_admin_account_id text,
    inspector_status           jsonb,                    -- BatchGetAccountStatus state + resourceState
    discovered_at              timestamptz NOT NULL DEFAULT now(),
    last_seen_at               timestamptz NOT NULL DEFAULT now(),
    left_at                    timestamptz               -- no longer a member; its findings stay
);

-- One row per (account, region, job). Findings and coverage are separate jobs so that one failing never
-- holds the other back. The lease columns let several replicas share targets (FOR UPDATE SKIP LOCKED).
CREATE TABLE inspector.sync_state (
    account_id            text NOT NULL,
    region                text NOT NULL,
    job                   text NOT NULL CHECK (job IN ('findings', 'coverage')),
    watermark             timestamptz,                   -- service time up to which everything is stored
    window_start          timestamptz,                   -- the window in progress (resumable)
    window_end            timestamptz,
    next_token            text,                          -- token of the next page of the window in progress
    pages_in_window       integer NOT NULL DEFAULT 0,
    backfill_completed_at timestamptz,
    last_attempt_at       timestamptz,
    last_success_at       timestamptz,
    last_error            text,
    last_error_at         timestamptz,
    consecutive_failures  integer NOT NULL DEFAULT 0,
    next_run_at           timestamptz NOT NULL DEFAULT now(),
    last_reconcile_at     timestamptz,
    lease_owner           text,
    lease_expires_at      timestamptz,
    PRIMARY KEY (account_id, region, job)
);
CREATE INDEX sync_state_due ON inspector.sync_state (next_run_at);

-- One row per finding ARN, never deleted: a finding AWS purged keeps its row with removed_at set.
CREATE TABLE inspector.findings (
    finding_arn       text PRIMARY KEY,
    account_id        text NOT NULL,
    region            text NOT NULL,
    type              text NOT NULL,
    status            text NOT NULL,
    severity          text NOT NULL,
    title             text,
    description       text,
    inspector_score   double precision,
    epss_score        double precision,
    fix_available     text,                              -- YES | NO | PARTIAL (open: new values are kept)
    exploit_available text,                              -- YES | NO
    first_observed_at timestamptz,
    last_observed_at  timestamptz,
    updated_at        timestamptz,
    removed_at        timestamptz,                       -- AWS no longer returns it (purged)
    raw               jsonb NOT NULL,                    -- the finding exactly as the API gave it
    synced_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX findings_target ON inspector.findings (account_id, region);
CREATE INDEX findings_open ON inspector.findings (severity, account_id) WHERE status = 'ACTIVE' AND removed_at IS NULL;
CREATE INDEX findings_updated_at ON inspector.findings (updated_at);

-- Resources findings are about (EC2 instances, ECR images, Lambda functions, code repositories ...).
CREATE TABLE inspector.resources (
    resource_id   text NOT NULL,
    account_id    text NOT NULL,
    region        text NOT NULL,
    resource_type text NOT NULL,
    partition     text,
    tags          jsonb,
    details       jsonb,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, region, resource_id)
);

CREATE TABLE inspector.finding_resources (
    finding_arn   text NOT NULL REFERENCES inspector.findings (finding_arn) ON DELETE CASCADE,
    resource_id   text NOT NULL,
    account_id    text NOT NULL,
    region        text NOT NULL,
    resource_type text NOT NULL,
    PRIMARY KEY (finding_arn, resource_id)
);
CREATE INDEX finding_resources_resource ON inspector.finding_resources (account_id, region, resource_id);

-- One row per vulnerability id (CVE, GHSA, ...), refreshed from the newest finding that names it.
CREATE TABLE inspector.vulnerabilities (
    vulnerability_id  text PRIMARY KEY,
    source            text,
    source_url        text,
    vendor_severity   text,
    cvss              jsonb,
    epss_score        double precision,
    exploit_available text,
    reference_urls    jsonb,
    related_vulnerabilities jsonb,
    vendor_created_at timestamptz,
    vendor_updated_at timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inspector.finding_vulnerabilities (
    finding_arn      text NOT NULL REFERENCES inspector.findings (finding_arn) ON DELETE CASCADE,
    vulnerability_id text NOT NULL,
    PRIMARY KEY (finding_arn, vulnerability_id)
);
CREATE INDEX finding_vulnerabilities_vuln ON inspector.finding_vulnerabilities (vulnerability_id);

-- The vulnerable packages of a PACKAGE_VULNERABILITY finding, in the order the API lists them.
CREATE TABLE inspector.finding_packages (
    finding_arn             text NOT NULL REFERENCES inspector.findings (finding_arn) ON DELETE CASCADE,
    ordinal                 integer NOT NULL,
    name                    text NOT NULL,
    version                 text NOT NULL,
    epoch                   integer,
    release                 text,
    arch                    text,
    package_manager         text,
    file_path               text,
    fixed_in_version        text,
    remediation             text,
    source_layer_hash       text,
    source_lambda_layer_arn text,
    PRIMARY KEY (finding_arn, ordinal)
);
CREATE INDEX finding_packages_name ON inspector.finding_packages (name, version);

-- NETWORK_REACHABILITY details: the open port range and the path to it.
CREATE TABLE inspector.finding_network_reachability (
    finding_arn     text PRIMARY KEY REFERENCES inspector.findings (finding_arn) ON DELETE CASCADE,
    protocol        text,
    port_range_begin integer,
    port_range_end  integer,
    network_path    jsonb
);

-- One row per covered resource and scan type, from ListCoverage; removed rows keep their history.
CREATE TABLE inspector.coverage (
    account_id         text NOT NULL,
    region             text NOT NULL,
    resource_id        text NOT NULL,
    scan_type          text NOT NULL,
    resource_type      text NOT NULL,
    scan_status_code   text,
    scan_status_reason text,
    scan_mode          text,
    last_scanned_at    timestamptz,
    metadata           jsonb,
    raw                jsonb NOT NULL,
    first_seen_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at       timestamptz NOT NULL DEFAULT now(),
    removed_at         timestamptz,
    PRIMARY KEY (account_id, region, resource_id, scan_type)
);

-- The change feed. Readers page it by id: `WHERE id > $cursor ORDER BY id` never misses a row, because
-- every transaction that inserts events first takes one transaction-level advisory lock (the trigger
-- below) and holds it to commit, so ids become visible in id order. A reader can therefore never see
-- id N+1 committed while id N is still in flight.
CREATE TABLE inspector.finding_events (
    id            bigserial PRIMARY KEY,
    event_type    text NOT NULL,
    finding_arn   text,                                  -- finding.* events
    resource_id   text,                                  -- coverage.* events (and the finding's resource)
    resource_type text,                                  -- AWS_EC2_INSTANCE, AWS_ECR_CONTAINER_IMAGE, ...
    scan_type     text,                                  -- coverage.* events
    account_id    text NOT NULL,
    region        text NOT NULL,
    old_status    text,
    new_status    text,
    old_severity  text,
    new_severity  text,
    changes       jsonb NOT NULL DEFAULT '{}'::jsonb,    -- what changed: {"field": {"old": .., "new": ..}}
    data          jsonb,                                 -- the finding (or covered resource) as the API gave it
    occurred_at   timestamptz NOT NULL,                  -- the service's updatedAt (or sync time for coverage)
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (finding_arn IS NOT NULL OR resource_id IS NOT NULL)
);
CREATE INDEX finding_events_finding ON inspector.finding_events (finding_arn, id);
CREATE INDEX finding_events_occurred ON inspector.finding_events (occurred_at);
CREATE INDEX finding_events_type ON inspector.finding_events (event_type, id);

CREATE FUNCTION inspector.serialize_feed_writers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Key 0x696e7370_6576 ('insp' 'ev'): held until commit, so ids commit in order.
    PERFORM pg_advisory_xact_lock(115907461883254);
    RETURN NULL;
END;
$$;

CREATE TRIGGER finding_events_serialize
    BEFORE INSERT ON inspector.finding_events
    FOR EACH STATEMENT EXECUTE FUNCTION inspector.serialize_feed_writers();

-- The documented way to read the feed: everything after a cursor, in order, at most `max_rows` rows.
CREATE FUNCTION inspector.events_after(cursor bigint, max_rows integer DEFAULT 1000)
RETURNS SETOF inspector.finding_events
LANGUAGE sql STABLE AS $$
    SELECT * FROM inspector.finding_events WHERE id > cursor ORDER BY id LIMIT max_rows
$$;

-- For users who outgrow NOTIFY and webhooks: logical replication (Debezium, pgoutput) of the feed.
-- Creating a publication needs CREATE on the database; a least-privilege migration role without it
-- still installs the schema (an administrator can run this statement later).
DO $$
BEGIN
    CREATE PUBLICATION inspector_events FOR TABLE inspector.finding_events;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'publication inspector_events not created (needs CREATE on the database)';
END
$$;
