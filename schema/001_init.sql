-- Hearth data model, first draft of the whole of it: later capabilities
-- extend these tables rather than redesign them. Times are UTC seconds
-- (INTEGER); dates are 'YYYY-MM-DD' text; local times of day 'HH:MM'.
-- Booleans are 0/1 with CHECKs. Every table has created_at where the
-- coordinator may want to know when a row appeared.

-- Reception points: the district hall, street offices, special points.
CREATE TABLE stations (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL COLLATE NOCASE UNIQUE, -- short code, e.g. 'HALL', 'YL'
	name TEXT NOT NULL,                        -- 区信访局人民来访接待大厅
	kind TEXT NOT NULL CHECK (kind IN ('hall', 'street', 'service_point')),
	address TEXT NOT NULL DEFAULT '',
	timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai', -- IANA zone
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- The pool of psychological counsellors.
CREATE TABLE counsellors (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	home_station_id INTEGER REFERENCES stations(id),
	max_weekly_hours INTEGER NOT NULL DEFAULT 40
		CHECK (max_weekly_hours BETWEEN 0 AND 80),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	feed_token TEXT NOT NULL UNIQUE,  -- 128-bit random, hex; rotated on demand
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX counsellors_home ON counsellors(home_station_id);

-- People who sign in: coordinators, and counsellors (linked to their row).
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL COLLATE NOCASE UNIQUE,
	password_hash TEXT NOT NULL,      -- argon2id, libsodium string form
	role TEXT NOT NULL CHECK (role IN ('coordinator', 'counsellor')),
	counsellor_id INTEGER REFERENCES counsellors(id),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL
);

-- Login sessions; only a hash of the bearer token is kept.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,      -- BLAKE2b-256 of the token, hex
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	client TEXT NOT NULL DEFAULT ''   -- address that logged in
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- Recurring duty needs of a station: on these weekdays, this time band,
-- this many counsellors.
CREATE TABLE shift_templates (
	id INTEGER PRIMARY KEY,
	station_id INTEGER NOT NULL REFERENCES stations(id),
	weekdays INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127), -- bit 0 = Monday
	start_time TEXT NOT NULL,         -- 'HH:MM' station time
	end_time TEXT NOT NULL,
	required INTEGER NOT NULL DEFAULT 1 CHECK (required BETWEEN 1 AND 50),
	valid_from TEXT,                  -- optional 'YYYY-MM-DD' bounds
	valid_to TEXT,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL
);

-- One duty slot; counsellor_id NULL is an open (unfilled) slot.
CREATE TABLE shifts (
	id INTEGER PRIMARY KEY,
	station_id INTEGER NOT NULL REFERENCES stations(id),
	counsellor_id INTEGER REFERENCES counsellors(id),
	template_id INTEGER REFERENCES shift_templates(id),
	slot INTEGER NOT NULL DEFAULT 0,  -- which of a template's required seats
	start_at INTEGER NOT NULL,
	end_at INTEGER NOT NULL CHECK (end_at > start_at),
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'confirmed', 'cancelled')),
	origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'generated')),
	note TEXT NOT NULL DEFAULT '',
	sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE (RFC 5545 §3.8.7.4)
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX shifts_counsellor ON shifts(counsellor_id, start_at);
CREATE INDEX shifts_station ON shifts(station_id, start_at);
CREATE UNIQUE INDEX shifts_generated ON shifts(template_id, start_at, slot)
	WHERE template_id IS NOT NULL;

-- Counsellor-initiated swap requests, approved by a coordinator.
CREATE TABLE swap_requests (
	id INTEGER PRIMARY KEY,
	shift_id INTEGER NOT NULL REFERENCES shifts(id),
	other_shift_id INTEGER REFERENCES shifts(id),
	requested_by INTEGER NOT NULL REFERENCES counsellors(id),
	target_counsellor_id INTEGER REFERENCES counsellors(id),
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
	reason TEXT NOT NULL DEFAULT '',
	decided_by INTEGER REFERENCES users(id),
	decided_at INTEGER,
	created_at INTEGER NOT NULL
);

-- Leave and other unavailability.
CREATE TABLE availability (
	id INTEGER PRIMARY KEY,
	counsellor_id INTEGER NOT NULL REFERENCES counsellors(id),
	start_at INTEGER NOT NULL,
	end_at INTEGER NOT NULL CHECK (end_at > start_at),
	reason TEXT NOT NULL DEFAULT '',  -- leave, training, ...
	created_at INTEGER NOT NULL
);
CREATE INDEX availability_counsellor ON availability(counsellor_id, start_at);

-- Public holidays and make-up working days (调休).
CREATE TABLE holidays (
	id INTEGER PRIMARY KEY,
	date TEXT NOT NULL UNIQUE,        -- 'YYYY-MM-DD'
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL DEFAULT '',
	as_weekday INTEGER CHECK (as_weekday BETWEEN 1 AND 7), -- a workday is staffed like this weekday
	created_at INTEGER NOT NULL
);

-- Lectures, salons, trainings, group sessions, community activities.
CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('lecture', 'salon', 'training', 'group', 'activity')),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	station_id INTEGER REFERENCES stations(id),
	venue TEXT NOT NULL DEFAULT '',
	start_at INTEGER NOT NULL,
	end_at INTEGER NOT NULL CHECK (end_at > start_at),
	planned_start_at INTEGER NOT NULL,   -- set at creation, kept across reschedules
	audience TEXT NOT NULL DEFAULT 'mixed'
		CHECK (audience IN ('staff', 'residents', 'community_workers', 'mixed')),
	external_speaker TEXT NOT NULL DEFAULT '',
	capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'confirmed', 'held', 'cancelled')),
	public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	survey_template_id INTEGER REFERENCES survey_templates(id),
	anonymous_survey INTEGER NOT NULL DEFAULT 0 CHECK (anonymous_survey IN (0, 1)),
	anonymous_token TEXT UNIQUE,         -- walk-in survey link, when allowed
	reminders TEXT NOT NULL DEFAULT '[1440,60]', -- JSON array of minutes before start
	replaces_event_id INTEGER REFERENCES events(id), -- a postponed event's successor
	sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE
	held_at INTEGER,
	cancelled_at INTEGER,
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX events_start ON events(start_at);
CREATE INDEX events_station ON events(station_id, start_at);

CREATE TABLE event_speakers (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	counsellor_id INTEGER NOT NULL REFERENCES counsellors(id),
	PRIMARY KEY (event_id, counsellor_id)
) WITHOUT ROWID;
CREATE INDEX event_speakers_counsellor ON event_speakers(counsellor_id);

-- Every lifecycle change of an event, for the coordinator and the
-- on-time rate.
CREATE TABLE event_changes (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'rescheduled',
		'confirmed', 'held', 'cancelled', 'forced')),
	old_start_at INTEGER,
	old_end_at INTEGER,
	new_start_at INTEGER,
	new_end_at INTEGER,
	reason TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id),
	at INTEGER NOT NULL
);
CREATE INDEX event_changes_event ON event_changes(event_id, at);

-- A quarter's or a year's plan with targets.
CREATE TABLE plans (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	date_from TEXT NOT NULL,
	date_to TEXT NOT NULL CHECK (date_to >= date_from),
	created_at INTEGER NOT NULL
);

CREATE TABLE plan_targets (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('lecture', 'salon', 'training', 'group', 'activity')),
	station_id INTEGER REFERENCES stations(id), -- NULL: the whole district
	target INTEGER NOT NULL CHECK (target >= 0)
);
CREATE UNIQUE INDEX plan_targets_key ON plan_targets(plan_id, kind, IFNULL(station_id, 0));

-- Participants' registrations (personal data: minimal, purgeable).
CREATE TABLE registrations (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	token TEXT NOT NULL UNIQUE,          -- personal link, check-in QR
	name TEXT,                           -- NULL once purged
	email TEXT,
	phone TEXT,
	organisation TEXT,
	status TEXT NOT NULL DEFAULT 'registered'
		CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
	reminders_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (reminders_opt_out IN (0, 1)),
	purged_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX registrations_event ON registrations(event_id, status, created_at);

-- Who came; trainings also record the assessment.
CREATE TABLE attendance (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	registration_id INTEGER UNIQUE REFERENCES registrations(id),
	walk_in_name TEXT,                   -- NULL once purged
	checked_in_at INTEGER NOT NULL,
	passed INTEGER CHECK (passed IS NULL OR passed IN (0, 1)),
	score REAL,
	survey_token TEXT UNIQUE,            -- issued when the event is held
	created_at INTEGER NOT NULL
);
CREATE INDEX attendance_event ON attendance(event_id);

-- Questionnaires.
CREATE TABLE survey_templates (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
	created_at INTEGER NOT NULL
);

CREATE TABLE survey_questions (
	id INTEGER PRIMARY KEY,
	template_id INTEGER NOT NULL REFERENCES survey_templates(id) ON DELETE CASCADE,
	qkey TEXT NOT NULL,                  -- the question id used in answers
	position INTEGER NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('likert5', 'choice', 'text')),
	text TEXT NOT NULL,
	required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
	options TEXT,                        -- JSON [{id, text}] for 'choice'
	is_satisfaction INTEGER NOT NULL DEFAULT 0 CHECK (is_satisfaction IN (0, 1)),
	UNIQUE (template_id, qkey)
);

-- One submitted form; attendance_id NULL for anonymous answers, which
-- carry nothing that joins them to a person.
CREATE TABLE survey_responses (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	attendance_id INTEGER UNIQUE REFERENCES attendance(id),
	anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	submitted_at INTEGER NOT NULL
);
CREATE INDEX survey_responses_event ON survey_responses(event_id);

CREATE TABLE survey_answers (
	response_id INTEGER NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
	question_id INTEGER NOT NULL REFERENCES survey_questions(id),
	value_int INTEGER,                   -- likert5 1..5
	value_text TEXT,                     -- choice option id or free text
	PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;

-- The evaluation framework, per period.
CREATE TABLE indicators (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	level1 TEXT NOT NULL,
	level2 TEXT NOT NULL,
	level3 TEXT NOT NULL,
	target_op TEXT NOT NULL DEFAULT '>=' CHECK (target_op IN ('>=', '=')),
	target_value REAL,
	target_unit TEXT NOT NULL DEFAULT 'count' CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT NOT NULL DEFAULT '',  -- as printed in the report, e.g. '100%有效'
	weight REAL NOT NULL CHECK (weight >= 0),
	rule TEXT NOT NULL CHECK (rule IN ('ratio', 'tiered', 'satisfaction_deduct', 'satisfaction_tiers')),
	source TEXT NOT NULL,                  -- a data source name, or 'manual'
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicator_values (
	id INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	value REAL NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	entered_by INTEGER REFERENCES users(id),
	entered_at INTEGER NOT NULL,
	UNIQUE (indicator_id, period_from, period_to)
);

-- Reminder and notice mail, written in the transaction of its cause.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	dedup_key TEXT NOT NULL UNIQUE,      -- subject/recipient/kind/sequence
	kind TEXT NOT NULL,                  -- reminder, change, cancel, weekly, roster_change
	event_id INTEGER REFERENCES events(id),
	shift_id INTEGER REFERENCES shifts(id),
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,                  -- complete RFC 5322 message, CRLF
	message_id TEXT NOT NULL UNIQUE,
	due_at INTEGER NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'skipped')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	claimed_at INTEGER,
	sent_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Feed fetches, for the coordinator's feed-health view.
CREATE TABLE feed_fetches (
	feed TEXT PRIMARY KEY,               -- 'counsellor:<id>', 'station:<code>', 'events'
	last_fetch_at INTEGER NOT NULL,
	user_agent TEXT NOT NULL DEFAULT '',
	count_200 INTEGER NOT NULL DEFAULT 0,
	count_304 INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Every write, who and when.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER REFERENCES users(id),
	action TEXT NOT NULL,                -- create, update, deactivate, login, ...
	entity TEXT NOT NULL,                -- station, counsellor, session, ...
	entity_id INTEGER,
	detail TEXT                          -- JSON
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- Settings a coordinator changes at run time (retention days, ...).
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
