-- Several Hearth instances on one database (issue 16, point 3).
--
-- hearth_state: one row. revision grows with every committed write
-- transaction on PostgreSQL (store_commit bumps it in the transaction),
-- so an instance's caches (feeds) see another instance's write on the
-- next request; clock_offset is the fake test clock (HEARTH_FAKE_CLOCK=1,
-- PUT /api/v1/_clock) that every instance reads. SQLite keeps both in
-- its one process (one process owns the file) and only carries the row.
CREATE TABLE hearth_state (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	revision INTEGER NOT NULL DEFAULT 1,
	clock_offset INTEGER NOT NULL DEFAULT 0
);
INSERT INTO hearth_state (id) VALUES (1);

-- Rate limits shared by the instances on PostgreSQL (svc/api/limit.c;
-- SQLite keeps them in memory). kind is enum api_limit / api_rate.
-- Fixed windows: count events of key since window_start (Unix s).
CREATE TABLE rate_counts (
	kind INTEGER NOT NULL,
	key TEXT NOT NULL,
	count INTEGER NOT NULL,
	window_start INTEGER NOT NULL,
	PRIMARY KEY (kind, key)
);
CREATE INDEX rate_counts_window ON rate_counts(window_start);
-- Token buckets: tokens at time at (Unix s, fractional); took is
-- whether the last take found a token.
CREATE TABLE rate_buckets (
	kind INTEGER NOT NULL,
	key TEXT NOT NULL,
	tokens REAL NOT NULL,
	at REAL NOT NULL,
	took INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, key)
);
CREATE INDEX rate_buckets_at ON rate_buckets(at);
