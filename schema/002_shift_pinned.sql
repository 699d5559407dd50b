-- A generated shift a coordinator has edited (assigned, moved, swapped) is
-- pinned: re-generation keeps it as it is. Unpinned generated shifts whose
-- counsellor went on leave or was deactivated are reassigned instead.
ALTER TABLE shifts ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
	CHECK (pinned IN (0, 1));
