-- A registration's capacity check without counting the event (issue 15,
-- regcount): SQLite's 020_registration_counts.sql (its comment says
-- why), the triggers as plpgsql functions. Two registrations of one
-- event at once both add to the same row: the second waits on the
-- first's row lock (ON CONFLICT DO UPDATE), as the capacity check
-- needs.
CREATE TABLE registration_counts (
	event_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (event_id, status)
);

INSERT INTO registration_counts (event_id, status, n)
SELECT event_id, status, count(*) FROM registrations
GROUP BY event_id, status;

CREATE FUNCTION registration_counts_add(ev BIGINT, st TEXT, d BIGINT)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO registration_counts AS c (event_id, status, n)
	VALUES ($1, $2, $3)
	ON CONFLICT (event_id, status) DO UPDATE SET n = c.n + $3
$$;

CREATE FUNCTION registration_counts_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM registration_counts_add(OLD.event_id, OLD.status, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM registration_counts_add(NEW.event_id, NEW.status, 1);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER registration_counts_insert AFTER INSERT ON registrations
FOR EACH ROW EXECUTE FUNCTION registration_counts_keep();

CREATE TRIGGER registration_counts_update
AFTER UPDATE OF status, event_id ON registrations
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.event_id IS DISTINCT FROM NEW.event_id)
EXECUTE FUNCTION registration_counts_keep();

CREATE TRIGGER registration_counts_delete AFTER DELETE ON registrations
FOR EACH ROW EXECUTE FUNCTION registration_counts_keep();
