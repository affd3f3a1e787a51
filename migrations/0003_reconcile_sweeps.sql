-- Reconciliation sweeps: a periodic full read of a target, to find what AWS purged.
-- (0002 is reserved for the webhook outbox.)

-- Set while a sweep of the job is in progress (it resumes like any window).
ALTER TABLE inspector.sync_state ADD COLUMN sweep_started_at timestamptz;
-- When the open-finding counts were last compared with ListFindingAggregations.
ALTER TABLE inspector.sync_state ADD COLUMN last_count_check_at timestamptz;

-- The finding ARNs a sweep in progress has seen. Logged on purpose: a sweep resumes from its last
-- stored page after a crash, so losing these rows (as an unlogged table would after a server
-- crash) would make it purge findings it had already seen.
CREATE TABLE inspector.sweep_seen (
    account_id  text NOT NULL,
    region      text NOT NULL,
    finding_arn text NOT NULL,
    PRIMARY KEY (account_id, region, finding_arn)
);
