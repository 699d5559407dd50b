-- Outbox claims across several instances on one database (issue 16,
-- item 3). A row being sent (status 'sending') names the instance that
-- claimed it (a random id per process start, logged at start) and how
-- long the claim holds; another instance takes it back to pending only
-- once the lease has run out (the claimer died or hangs past every
-- timeout), never while it is live. What keeps a message from being
-- queued twice stays the unique dedup_key (cause, recipient, occurrence:
-- "weekly:c12:2026-W49", "duty_log:s5", …) with ON CONFLICT DO NOTHING.
--   claimed_by     the claiming instance; kept on a sent row (who sent it)
--   lease_until    Unix seconds; the claim holds until then
--   claim_session  PostgreSQL only: the claiming connection
--                  ("pid:backend_start"); a claim whose connection is gone
--                  (the instance was killed) is taken back before its lease
--                  runs out. NULL on SQLite.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox ADD COLUMN claim_session TEXT;
CREATE INDEX outbox_claims ON outbox(channel, status, lease_until);
