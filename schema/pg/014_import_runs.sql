-- PostgreSQL twin of schema/014_import_runs.sql: the table only. On
-- PostgreSQL an events import publishes in one transaction
-- (store_import_publish_batched), so no run is ever left between
-- batches, the table stays empty and the triggers that guard an
-- unfinished run's rows on SQLite are not needed. Kept so both engines
-- have the same tables (hearth copy compares them).
CREATE TABLE import_runs (
	id BIGSERIAL PRIMARY KEY,
	user_id BIGINT,
	started_at BIGINT NOT NULL,
	station_lo BIGINT,
	station_hi BIGINT,
	event_lo BIGINT,
	event_hi BIGINT
);
