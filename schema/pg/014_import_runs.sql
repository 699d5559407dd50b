-- PostgreSQL twin of schema/014_import_runs.sql: the table. When this
-- was written an import published in one transaction on PostgreSQL;
-- since 018_pg_holds.sql it publishes in batches as on SQLite, with the
-- triggers that guard an unfinished run's rows (018) and the undo at
-- start (store_migrate).
CREATE TABLE import_runs (
	id BIGSERIAL PRIMARY KEY,
	user_id BIGINT,
	started_at BIGINT NOT NULL,
	station_lo BIGINT,
	station_hi BIGINT,
	event_lo BIGINT,
	event_hi BIGINT
);
