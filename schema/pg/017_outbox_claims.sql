-- PostgreSQL twin of schema/017_outbox_claims.sql: outbox claims across
-- several instances (issue 16, item 3). Rows are claimed with SELECT …
-- FOR UPDATE SKIP LOCKED; a claim names its instance and holds until
-- lease_until (Unix seconds, BIGINT as in the baseline), or until its
-- connection is gone.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
-- The claiming connection, "pid:backend_start" of pg_stat_activity: a
-- claim whose connection is gone (its instance was killed) is taken back
-- without waiting for the lease.
ALTER TABLE outbox ADD COLUMN claim_session TEXT;
CREATE INDEX outbox_claims ON outbox(channel, status, lease_until);
