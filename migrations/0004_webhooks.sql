-- inspector-sync schema, version 4: webhook endpoints and the delivery outbox.
-- Forward-only: never edit this file once released; add a new numbered file instead.

-- Severity order for `min_severity`. UNTRIAGED (Inspector has not rated it yet) ranks with MEDIUM: an
-- unrated finding is neither dismissed as low nor paged as critical. Unknown values rank NULL and pass
-- every threshold, so a severity AWS adds later is never silently dropped.
CREATE FUNCTION inspector.severity_rank(severity text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE severity
        WHEN 'INFORMATIONAL' THEN 1 WHEN 'LOW' THEN 2 WHEN 'MEDIUM' THEN 3 WHEN 'UNTRIAGED' THEN 3
        WHEN 'HIGH' THEN 4 WHEN 'CRITICAL' THEN 5 END
$$;

-- The [[webhooks]] of the config, synced at start (secrets never stored here). Endpoints removed from
-- the config stay, disabled, so their delivery history keeps its name.
CREATE TABLE inspector.webhook_endpoints (
    name               text PRIMARY KEY,
    url                text NOT NULL,                    -- may hold a token (Slack): show only its origin
    format             text NOT NULL,                    -- cloudevents | slack | pagerduty
    event_types        text[] NOT NULL DEFAULT '{*}',    -- types and wildcards: '*', 'finding.*', 'coverage.added'
    min_severity_rank  integer,                          -- inspector.severity_rank(); NULL: every severity
    accounts           text[] NOT NULL DEFAULT '{}',     -- empty: every account
    regions            text[] NOT NULL DEFAULT '{}',
    resource_types     text[] NOT NULL DEFAULT '{}',
    enabled            boolean NOT NULL DEFAULT true,    -- from the config
    in_config          boolean NOT NULL DEFAULT true,
    disabled_at        timestamptz,                      -- disabled by delivery (410, or failing past disable_after)
    disabled_reason    text,
    last_success_at    timestamptz,
    first_failure_at   timestamptz,                      -- start of the current run of failures
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- One row per (event, endpoint), created by the transaction that records the event (the outbox).
CREATE TABLE inspector.webhook_deliveries (
    id               bigserial PRIMARY KEY,
    event_id         bigint NOT NULL REFERENCES inspector.finding_events (id),
    endpoint         text NOT NULL REFERENCES inspector.webhook_endpoints (name) ON UPDATE CASCADE,
    subject          text NOT NULL,                    -- the event's finding ARN or resource id: order key
    webhook_id       text NOT NULL DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''), -- stable across retries
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivering', 'succeeded', 'dead', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (event_id, endpoint)
);
CREATE INDEX webhook_deliveries_due ON inspector.webhook_deliveries (endpoint, next_attempt_at)
    WHERE state IN ('pending', 'delivering');
CREATE INDEX webhook_deliveries_failed ON inspector.webhook_deliveries (endpoint, id)
    WHERE state = 'dead' OR (state = 'pending' AND attempts > 0);
-- Deliveries of one subject to one endpoint go out in event order: a later one waits while an earlier
-- one is pending or in flight (a PagerDuty resolve never overtakes its trigger). Dead ones do not block.
CREATE INDEX webhook_deliveries_subject_order ON inspector.webhook_deliveries (endpoint, subject, event_id)
    WHERE state IN ('pending', 'delivering');
CREATE UNIQUE INDEX webhook_deliveries_webhook_id ON inspector.webhook_deliveries (webhook_id);

-- Whether an event passes an endpoint's filters (not whether the endpoint is enabled); the outbox
-- insert and `webhooks redeliver --since` use the same rule. The severity is the higher of old and new,
-- so a downgrade still reaches whoever was told of the high one. Events without a severity (coverage.*)
-- pass `min_severity`: select them or not with the event types.
CREATE FUNCTION inspector.webhook_filter_matches(
    e inspector.webhook_endpoints, event_type text, account_id text, region text, resource_type text,
    old_severity text, new_severity text
) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM unnest(e.event_types) AS p
                   WHERE p = '*' OR p = event_type
                      OR (right(p, 2) = '.*' AND left(event_type, length(p) - 1) = left(p, -1)))
       AND (cardinality(e.accounts) = 0 OR account_id = ANY (e.accounts))
       AND (cardinality(e.regions) = 0 OR region = ANY (e.regions))
       AND (cardinality(e.resource_types) = 0 OR resource_type = ANY (e.resource_types))
       AND (e.min_severity_rank IS NULL
            OR (old_severity IS NULL AND new_severity IS NULL)
            OR coalesce(greatest(inspector.severity_rank(old_severity), inspector.severity_rank(new_severity)), 99)
               >= e.min_severity_rank)
$$;
