-- PostgreSQL twin of schema/015_roster_runs.sql: the table only. On
-- PostgreSQL a roster generation writes in one transaction
-- (store_roster_publish_batched), so no run is ever left between
-- batches, the table stays empty and the triggers that hold an
-- unfinished run's period on SQLite are not needed. Kept so both
-- engines have the same tables (hearth copy compares them).
CREATE TABLE roster_runs (
	id BIGSERIAL PRIMARY KEY,
	user_id BIGINT,
	started_at BIGINT NOT NULL,
	hold_from BIGINT NOT NULL,
	hold_to BIGINT NOT NULL,
	held BIGINT NOT NULL DEFAULT 1 CHECK (held IN (0, 1)),
	shift_lo BIGINT,
	shift_hi BIGINT
);
