-- PostgreSQL twin of schema/015_roster_runs.sql: the table. When this
-- was written a generation wrote in one transaction on PostgreSQL;
-- since 018_pg_holds.sql it writes in batches as on SQLite, with the
-- triggers that hold an unfinished run's period (018) and the undo at
-- start (store_migrate).
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
