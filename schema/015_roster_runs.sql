-- Roster generation published in batches (issue 17): the hold and the
-- recovery record.
--
-- A generation opens its run here (a short transaction of its own)
-- before it reads anything: from then on no other writer may add,
-- change or delete a shift that overlaps [hold_from, hold_to) (the
-- period generated and the week either side it reads for weekly hours),
-- so what it solved stays true while it writes. It then inserts its
-- shifts in transactions of about 1,000; the first takes the top id of
-- the range (shift_lo, shift_hi], so other writers' shifts (outside the
-- period) get ids above it. The last transaction makes the
-- reassignments, queues the notices and deletes the row. A row left here
-- is a generation stopped between batches (kill -9, power cut, a failed
-- batch whose undo failed too): at start, before serving, its shifts are
-- deleted in one transaction, and no notice of it was ever queued.
--
-- held: the generator's own transactions set it to 0 at their start
-- and back to 1 before their commit (only one writer at a time, so
-- nobody else ever sees 0); the triggers below apply while it is 1.
CREATE TABLE roster_runs (
	id INTEGER PRIMARY KEY,
	user_id INTEGER,
	started_at INTEGER NOT NULL,
	hold_from INTEGER NOT NULL,
	hold_to INTEGER NOT NULL,
	held INTEGER NOT NULL DEFAULT 1 CHECK (held IN (0, 1)),
	shift_lo INTEGER,
	shift_hi INTEGER
);

-- A refused write fails with 'roster generation in progress' (the API
-- answers 503, try again).
CREATE TRIGGER roster_hold_shifts_insert BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND NEW.start_at < r.hold_to AND NEW.end_at > r.hold_from)
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;

CREATE TRIGGER roster_hold_shifts_update BEFORE UPDATE ON shifts
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND (OLD.start_at < r.hold_to AND OLD.end_at > r.hold_from
	OR NEW.start_at < r.hold_to AND NEW.end_at > r.hold_from
	OR OLD.id > r.shift_lo AND OLD.id <= r.shift_hi))
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;

CREATE TRIGGER roster_hold_shifts_delete BEFORE DELETE ON shifts
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND (OLD.start_at < r.hold_to AND OLD.end_at > r.hold_from
	OR OLD.id > r.shift_lo AND OLD.id <= r.shift_hi))
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;

-- The tables that reference shifts: nothing may point at a shift of an
-- unfinished run (its undo deletes them).
CREATE TRIGGER roster_hold_swaps_insert BEFORE INSERT ON swap_requests
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND (NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi
	OR NEW.other_shift_id > r.shift_lo AND NEW.other_shift_id <= r.shift_hi))
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;
CREATE TRIGGER roster_hold_swaps_update
BEFORE UPDATE OF shift_id, other_shift_id ON swap_requests
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND (NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi
	OR NEW.other_shift_id > r.shift_lo AND NEW.other_shift_id <= r.shift_hi))
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;

CREATE TRIGGER roster_hold_outbox_insert BEFORE INSERT ON outbox
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi)
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;
CREATE TRIGGER roster_hold_outbox_update BEFORE UPDATE OF shift_id ON outbox
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi)
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;

CREATE TRIGGER roster_hold_duty_logs_insert BEFORE INSERT ON duty_logs
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi)
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;
CREATE TRIGGER roster_hold_duty_logs_update
BEFORE UPDATE OF shift_id ON duty_logs
WHEN EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
	AND NEW.shift_id > r.shift_lo AND NEW.shift_id <= r.shift_hi)
BEGIN SELECT RAISE(ABORT, 'roster generation in progress'); END;
