-- Leave that waits for the coordinator (issue 13, point 6).
--
-- A counsellor's leave over assigned shifts is 'pending' until a
-- coordinator approves or refuses it (unless the bureau's setting
-- leave_needs_approval is off); leave a coordinator enters, and leave
-- over no shift, is 'approved' at once. Only approved leave keeps a
-- counsellor off duty. Rows made before this migration were all in force.
ALTER TABLE availability ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
	CHECK (status IN ('pending', 'approved', 'refused'));
-- Who entered it: a coordinator's leave is not the counsellor's to
-- withdraw.
ALTER TABLE availability ADD COLUMN entered_by TEXT NOT NULL
	DEFAULT 'coordinator' CHECK (entered_by IN ('coordinator', 'counsellor'));
ALTER TABLE availability ADD COLUMN decided_by INTEGER REFERENCES users(id);
ALTER TABLE availability ADD COLUMN decided_at INTEGER;
ALTER TABLE availability ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
CREATE INDEX availability_status ON availability(status, start_at);
