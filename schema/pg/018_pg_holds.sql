-- Long writes in batches on PostgreSQL too (issue 17, pgbatch): the
-- holds of 014_import_runs.sql and 015_roster_runs.sql as PostgreSQL
-- triggers. From this migration an events import and a roster
-- generation publish in transactions of about 1,000 rows on both
-- engines, with their recovery record in import_runs / roster_runs
-- (014 and 015 made the tables), undone at start (store_migrate).
--
-- A refused write raises SQLSTATE HI014 ('import in progress') or
-- HI015 ('roster generation in progress'), the messages of SQLite's
-- RAISE(ABORT); the driver maps them as it maps SQLite's (503, try
-- again). The conditions are 014's and 015's, each WHEN EXISTS there a
-- function here (a trigger's WHEN may call a function, not hold a
-- subquery). NULL compares as nothing, as in SQLite.

CREATE FUNCTION import_held_station(id BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM import_runs r
		WHERE $1 > r.station_lo AND $1 <= r.station_hi)
$$;

CREATE FUNCTION import_held_event(id BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM import_runs r
		WHERE $1 > r.event_lo AND $1 <= r.event_hi)
$$;

-- 014's import_hold_events_insert: a new event of another writer may
-- not name a station or an event of the run; the run's own events
-- (their ids in its range) may.
CREATE FUNCTION import_held_event_insert(id BIGINT, station BIGINT,
	replaces BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM import_runs r
		WHERE ($2 > r.station_lo AND $2 <= r.station_hi
			OR $3 > r.event_lo AND $3 <= r.event_hi)
		AND NOT ($1 > coalesce(r.event_lo, 0)
			AND $1 <= coalesce(r.event_hi, 0)))
$$;

CREATE FUNCTION import_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'import in progress' USING ERRCODE = 'HI014';
END
$$;

CREATE TRIGGER import_hold_events_insert BEFORE INSERT ON events
FOR EACH ROW WHEN (import_held_event_insert(NEW.id, NEW.station_id,
	NEW.replaces_event_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_events_update BEFORE UPDATE ON events
FOR EACH ROW WHEN (import_held_event(OLD.id)
	OR import_held_station(NEW.station_id)
	OR import_held_event(NEW.replaces_event_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_stations_update BEFORE UPDATE ON stations
FOR EACH ROW WHEN (import_held_station(OLD.id))
EXECUTE FUNCTION import_refuse();

-- The tables that reference stations.
CREATE TRIGGER import_hold_counsellors_insert BEFORE INSERT ON counsellors
FOR EACH ROW WHEN (import_held_station(NEW.home_station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_counsellors_update
BEFORE UPDATE OF home_station_id ON counsellors
FOR EACH ROW WHEN (import_held_station(NEW.home_station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_shift_templates_insert
BEFORE INSERT ON shift_templates
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_shift_templates_update
BEFORE UPDATE OF station_id ON shift_templates
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_shifts_insert BEFORE INSERT ON shifts
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_shifts_update BEFORE UPDATE OF station_id ON shifts
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_plan_targets_insert BEFORE INSERT ON plan_targets
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_plan_targets_update
BEFORE UPDATE OF station_id ON plan_targets
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_cases_insert BEFORE INSERT ON cases
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_cases_update BEFORE UPDATE OF station_id ON cases
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_robots_insert BEFORE INSERT ON robots
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_robots_update BEFORE UPDATE OF station_id ON robots
FOR EACH ROW WHEN (import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

-- The tables that reference events.
CREATE TRIGGER import_hold_event_speakers_insert
BEFORE INSERT ON event_speakers
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_event_speakers_update
BEFORE UPDATE OF event_id ON event_speakers
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_registrations_insert
BEFORE INSERT ON registrations
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_registrations_update
BEFORE UPDATE OF event_id ON registrations
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_attendance_insert BEFORE INSERT ON attendance
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_attendance_update
BEFORE UPDATE OF event_id ON attendance
FOR EACH ROW WHEN (import_held_event(NEW.event_id))
EXECUTE FUNCTION import_refuse();

-- The tables that reference both.
CREATE TRIGGER import_hold_outbox_insert BEFORE INSERT ON outbox
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_outbox_update
BEFORE UPDATE OF event_id, station_id ON outbox
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_survey_responses_insert
BEFORE INSERT ON survey_responses
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_survey_responses_update
BEFORE UPDATE OF event_id, station_id ON survey_responses
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

CREATE TRIGGER import_hold_survey_tallies_insert
BEFORE INSERT ON survey_tallies
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();
CREATE TRIGGER import_hold_survey_tallies_update
BEFORE UPDATE OF event_id, station_id ON survey_tallies
FOR EACH ROW WHEN (import_held_event(NEW.event_id)
	OR import_held_station(NEW.station_id))
EXECUTE FUNCTION import_refuse();

-- 015: a held run's period [hold_from, hold_to) and its shifts
-- (shift_lo, shift_hi]. held is 0 only inside the run's own
-- transactions, which other transactions never see.
CREATE FUNCTION roster_held_period(start_at BIGINT, end_at BIGINT)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
		AND $1 < r.hold_to AND $2 > r.hold_from)
$$;

CREATE FUNCTION roster_held_shift(id BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM roster_runs r WHERE r.held = 1
		AND $1 > r.shift_lo AND $1 <= r.shift_hi)
$$;

CREATE FUNCTION roster_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'roster generation in progress' USING ERRCODE = 'HI015';
END
$$;

CREATE TRIGGER roster_hold_shifts_insert BEFORE INSERT ON shifts
FOR EACH ROW WHEN (roster_held_period(NEW.start_at, NEW.end_at))
EXECUTE FUNCTION roster_refuse();

CREATE TRIGGER roster_hold_shifts_update BEFORE UPDATE ON shifts
FOR EACH ROW WHEN (roster_held_period(OLD.start_at, OLD.end_at)
	OR roster_held_period(NEW.start_at, NEW.end_at)
	OR roster_held_shift(OLD.id))
EXECUTE FUNCTION roster_refuse();

CREATE TRIGGER roster_hold_shifts_delete BEFORE DELETE ON shifts
FOR EACH ROW WHEN (roster_held_period(OLD.start_at, OLD.end_at)
	OR roster_held_shift(OLD.id))
EXECUTE FUNCTION roster_refuse();

-- The tables that reference shifts.
CREATE TRIGGER roster_hold_swaps_insert BEFORE INSERT ON swap_requests
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id)
	OR roster_held_shift(NEW.other_shift_id))
EXECUTE FUNCTION roster_refuse();
CREATE TRIGGER roster_hold_swaps_update
BEFORE UPDATE OF shift_id, other_shift_id ON swap_requests
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id)
	OR roster_held_shift(NEW.other_shift_id))
EXECUTE FUNCTION roster_refuse();

CREATE TRIGGER roster_hold_outbox_insert BEFORE INSERT ON outbox
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id))
EXECUTE FUNCTION roster_refuse();
CREATE TRIGGER roster_hold_outbox_update BEFORE UPDATE OF shift_id ON outbox
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id))
EXECUTE FUNCTION roster_refuse();

CREATE TRIGGER roster_hold_duty_logs_insert BEFORE INSERT ON duty_logs
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id))
EXECUTE FUNCTION roster_refuse();
CREATE TRIGGER roster_hold_duty_logs_update
BEFORE UPDATE OF shift_id ON duty_logs
FOR EACH ROW WHEN (roster_held_shift(NEW.shift_id))
EXECUTE FUNCTION roster_refuse();
