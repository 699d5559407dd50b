-- A registration's capacity check without counting the event (issue 15,
-- regcount): the number of an event's registrations in each status,
-- kept by triggers on registrations, so store_registration_count reads
-- one row instead of a count(*) that grows with the event.
--
-- Every change to registrations goes through the triggers: an insert,
-- a change of status or of event (cancel, waitlist promotion) and a
-- delete. registrations.event_id has no ON DELETE action (an event with
-- registrations cannot be deleted), so no cascade bypasses them; the
-- purge blanks the personal columns and keeps the status. A row may
-- fall to 0 and stays (0 is the right count, as is a missing row); no
-- foreign key, so an event's deletion never waits on its counts.
-- hearth copy leaves this table out: the triggers fill it as the
-- registrations arrive (svc/store/copy.c).
CREATE TABLE registration_counts (
	event_id INTEGER NOT NULL,
	status TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (event_id, status)
);

INSERT INTO registration_counts (event_id, status, n)
SELECT event_id, status, count(*) FROM registrations
GROUP BY event_id, status;

CREATE TRIGGER registration_counts_insert AFTER INSERT ON registrations
BEGIN
	INSERT INTO registration_counts (event_id, status, n)
	VALUES (NEW.event_id, NEW.status, 1)
	ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER registration_counts_update
AFTER UPDATE OF status, event_id ON registrations
WHEN OLD.status IS NOT NEW.status OR OLD.event_id IS NOT NEW.event_id
BEGIN
	UPDATE registration_counts SET n = n - 1
	WHERE event_id = OLD.event_id AND status = OLD.status;
	INSERT INTO registration_counts (event_id, status, n)
	VALUES (NEW.event_id, NEW.status, 1)
	ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER registration_counts_delete AFTER DELETE ON registrations
BEGIN
	UPDATE registration_counts SET n = n - 1
	WHERE event_id = OLD.event_id AND status = OLD.status;
END;
