-- PostgreSQL twin of schema/016_instances.sql: several Hearth instances
-- on one database (issue 16, point 3). Integers are BIGINT as in the
-- baseline; see the SQLite file for what each table is for.
CREATE TABLE hearth_state (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	revision BIGINT NOT NULL DEFAULT 1,
	clock_offset BIGINT NOT NULL DEFAULT 0
);
INSERT INTO hearth_state (id) VALUES (1);

CREATE TABLE rate_counts (
	kind BIGINT NOT NULL,
	key TEXT NOT NULL,
	count BIGINT NOT NULL,
	window_start BIGINT NOT NULL,
	PRIMARY KEY (kind, key)
);
CREATE INDEX rate_counts_window ON rate_counts(window_start);
CREATE TABLE rate_buckets (
	kind BIGINT NOT NULL,
	key TEXT NOT NULL,
	tokens DOUBLE PRECISION NOT NULL,
	at DOUBLE PRECISION NOT NULL,
	took BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, key)
);
CREATE INDEX rate_buckets_at ON rate_buckets(at);
