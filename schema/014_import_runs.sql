-- Events imports published in batches (issue 17): the recovery record.
--
-- An import publishes its rows in transactions of 1,000. The first one
-- writes the run's row here, the last one deletes it, so a row left here
-- is an import stopped between batches (kill -9, power cut, a failed
-- batch whose undo failed too): at start, before serving, its rows are
-- deleted (events' history with them) in one transaction.
--
-- Ranges are (lo, hi] of ids: stations (station_lo, station_hi],
-- events (event_lo, event_hi]; NULL while that table has no batch yet.
-- The first batch of a table takes the top id of its range, so other
-- writers' rows get ids above it.
CREATE TABLE import_runs (
	id INTEGER PRIMARY KEY,
	user_id INTEGER,
	started_at INTEGER NOT NULL,
	station_lo INTEGER,
	station_hi INTEGER,
	event_lo INTEGER,
	event_hi INTEGER
);

-- While a run is unfinished its stations and events are not for other
-- writers: no row may reference them, and they may not be changed (a
-- failed import deletes them; a reference would make that delete fail,
-- a change would be lost with it). The import's own events reference
-- its stations from inside the run's event range. A refused write fails
-- with 'import in progress' (the API answers 503, try again).
CREATE TRIGGER import_hold_events_insert BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE (NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi
		OR NEW.replaces_event_id > r.event_lo
		AND NEW.replaces_event_id <= r.event_hi)
	AND NOT (NEW.id > coalesce(r.event_lo, 0)
		AND NEW.id <= coalesce(r.event_hi, 0)))
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_events_update BEFORE UPDATE ON events
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE OLD.id > r.event_lo AND OLD.id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi
	OR NEW.replaces_event_id > r.event_lo
	AND NEW.replaces_event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_stations_update BEFORE UPDATE ON stations
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE OLD.id > r.station_lo AND OLD.id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

-- The tables that reference stations.
CREATE TRIGGER import_hold_counsellors_insert BEFORE INSERT ON counsellors
WHEN EXISTS (SELECT 1 FROM import_runs r WHERE NEW.home_station_id
	> r.station_lo AND NEW.home_station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_counsellors_update
BEFORE UPDATE OF home_station_id ON counsellors
WHEN EXISTS (SELECT 1 FROM import_runs r WHERE NEW.home_station_id
	> r.station_lo AND NEW.home_station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_shift_templates_insert
BEFORE INSERT ON shift_templates
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_shift_templates_update
BEFORE UPDATE OF station_id ON shift_templates
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_shifts_insert BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_shifts_update BEFORE UPDATE OF station_id ON shifts
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_plan_targets_insert BEFORE INSERT ON plan_targets
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_plan_targets_update
BEFORE UPDATE OF station_id ON plan_targets
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_cases_insert BEFORE INSERT ON cases
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_cases_update BEFORE UPDATE OF station_id ON cases
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_robots_insert BEFORE INSERT ON robots
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_robots_update BEFORE UPDATE OF station_id ON robots
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

-- The tables that reference events (event_speakers' rows go with their
-- event, but a speaker added meanwhile would be lost with it).
CREATE TRIGGER import_hold_event_speakers_insert
BEFORE INSERT ON event_speakers
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_event_speakers_update
BEFORE UPDATE OF event_id ON event_speakers
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_registrations_insert
BEFORE INSERT ON registrations
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_registrations_update
BEFORE UPDATE OF event_id ON registrations
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_attendance_insert BEFORE INSERT ON attendance
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_attendance_update
BEFORE UPDATE OF event_id ON attendance
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

-- The tables that reference both.
CREATE TRIGGER import_hold_outbox_insert BEFORE INSERT ON outbox
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_outbox_update
BEFORE UPDATE OF event_id, station_id ON outbox
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_survey_responses_insert
BEFORE INSERT ON survey_responses
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_survey_responses_update
BEFORE UPDATE OF event_id, station_id ON survey_responses
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;

CREATE TRIGGER import_hold_survey_tallies_insert
BEFORE INSERT ON survey_tallies
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
CREATE TRIGGER import_hold_survey_tallies_update
BEFORE UPDATE OF event_id, station_id ON survey_tallies
WHEN EXISTS (SELECT 1 FROM import_runs r
	WHERE NEW.event_id > r.event_lo AND NEW.event_id <= r.event_hi
	OR NEW.station_id > r.station_lo AND NEW.station_id <= r.station_hi)
BEGIN SELECT RAISE(ABORT, 'import in progress'); END;
