-- PostgreSQL twin of schema/013_leave.sql: leave that waits for the
-- coordinator (issue 13, point 6). Integers are BIGINT as in the
-- baseline (times stay Unix seconds).
ALTER TABLE availability ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
	CHECK (status IN ('pending', 'approved', 'refused'));
ALTER TABLE availability ADD COLUMN entered_by TEXT NOT NULL
	DEFAULT 'coordinator' CHECK (entered_by IN ('coordinator', 'counsellor'));
ALTER TABLE availability ADD COLUMN decided_by BIGINT REFERENCES users(id);
ALTER TABLE availability ADD COLUMN decided_at BIGINT;
ALTER TABLE availability ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
CREATE INDEX availability_status ON availability(status, start_at);
