-- Records of the studio's work (DESIGN, "Records of the work and the whole
-- evaluation"): what counsellors count on duty, key cases, and the
-- satisfaction of counselling as well as of events. No petitioner's name
-- or identity is stored anywhere here: counts, pseudonymous case labels
-- and anonymous answers only.

-- What a counsellor counts on a shift. Coordinators edit the list; a
-- metric with values is deactivated, never deleted.
CREATE TABLE duty_metrics (
	code TEXT PRIMARY KEY,                -- [a-z][a-z0-9_]{0,31}
	name TEXT NOT NULL,                   -- 接待批次
	unit TEXT NOT NULL,                   -- 批次, 人, 人次, 分钟, 份, 件, 宗
	position INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO duty_metrics (code, name, unit, position, created_at) VALUES
	('batches', '接待批次', '批次', 1, 0),
	('visitors', '接待人数', '人', 2, 0),
	('calmed', '安抚情绪激动群众', '人', 3, 0),
	('interventions', '心理介入', '人', 4, 0),
	('counselling_minutes', '心理疏导时长', '分钟', 5, 0),
	('consultations', '访前咨询', '人次', 6, 0),
	('mediations', '成功调解', '人', 7, 0),
	('legal_referrals', '疏导分流至法律途径', '件', 8, 0),
	('crisis', '危机干预', '人次', 9, 0),
	('staff_counselled', '信访干部心理疏导', '人次', 10, 0),
	('scale_sas', 'SAS量表', '份', 11, 0),
	('scale_sds', 'SDS量表', '份', 12, 0),
	('scale_ssrs', '社会支持量表', '份', 13, 0);

-- The duty log (值班记录) of one shift: attended or absent, and the counts.
-- counsellor_id is who was on duty when it was written (a later
-- reassignment does not move the work done).
CREATE TABLE duty_logs (
	shift_id INTEGER PRIMARY KEY REFERENCES shifts(id),
	counsellor_id INTEGER REFERENCES counsellors(id),
	attended INTEGER NOT NULL CHECK (attended IN (0, 1)),
	note TEXT NOT NULL DEFAULT '',
	entered_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX duty_logs_counsellor ON duty_logs(counsellor_id);

CREATE TABLE duty_log_values (
	shift_id INTEGER NOT NULL REFERENCES duty_logs(shift_id) ON DELETE CASCADE,
	metric_code TEXT NOT NULL REFERENCES duty_metrics(code),
	value INTEGER NOT NULL CHECK (value >= 0),
	PRIMARY KEY (shift_id, metric_code)
) WITHOUT ROWID;
CREATE INDEX duty_log_values_metric ON duty_log_values(metric_code);

-- Logs of shifts that ended on or before this day are read-only for
-- counsellors ('' = nothing closed yet).
INSERT INTO settings (key, value) VALUES ('duty_logs_closed_through', '');

-- Key cases (重点个案): a pseudonymous label, never a name.
CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	label TEXT NOT NULL COLLATE NOCASE UNIQUE, -- e.g. '2023-017'
	station_id INTEGER REFERENCES stations(id),
	opened_on TEXT NOT NULL,              -- 'YYYY-MM-DD'
	status TEXT NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'resolved', 'unresolved')),
	closed_on TEXT,                       -- set with a final status
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX cases_station ON cases(station_id);

CREATE TABLE case_counsellors (
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id INTEGER NOT NULL REFERENCES counsellors(id),
	PRIMARY KEY (case_id, counsellor_id)
) WITHOUT ROWID;
CREATE INDEX case_counsellors_counsellor ON case_counsellors(counsellor_id);

-- Counselling sessions of a case.
CREATE TABLE case_sessions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id INTEGER REFERENCES counsellors(id),
	date TEXT NOT NULL,                   -- 'YYYY-MM-DD'
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
	kind TEXT NOT NULL
		CHECK (kind IN ('one_to_one', 'home_visit', 'phone', 'group')),
	note TEXT NOT NULL DEFAULT '',
	entered_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX case_sessions_case ON case_sessions(case_id, date);
CREATE INDEX case_sessions_date ON case_sessions(date);

-- Follow-ups (回访): in the counsellor's feed as "回访 {label}".
CREATE TABLE case_follow_ups (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id INTEGER NOT NULL REFERENCES counsellors(id),
	due_at INTEGER NOT NULL,              -- UTC seconds
	done_at INTEGER,
	note TEXT NOT NULL DEFAULT '',
	sequence INTEGER NOT NULL DEFAULT 0,  -- iCalendar SEQUENCE
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX case_follow_ups_counsellor ON case_follow_ups(counsellor_id, due_at);
CREATE INDEX case_follow_ups_case ON case_follow_ups(case_id);

-- A station's anonymous counselling survey (a QR on the counselling
-- room's wall): its rotatable token, and its questionnaire (NULL = the
-- built-in counselling one below).
ALTER TABLE stations ADD COLUMN survey_token TEXT;
CREATE UNIQUE INDEX stations_survey_token ON stations(survey_token);
ALTER TABLE stations ADD COLUMN survey_template_id INTEGER
	REFERENCES survey_templates(id);

INSERT INTO survey_templates (name, is_default, created_at)
	SELECT '心理咨询满意度', 0, 0 WHERE NOT EXISTS
		(SELECT 1 FROM survey_templates WHERE name = '心理咨询满意度');
INSERT OR IGNORE INTO survey_questions (template_id, qkey, position, type,
	text, required, options, is_satisfaction)
	SELECT id, 'overall', 1, 'likert5', '您对本次心理咨询服务的总体满意度', 1,
		NULL, 1 FROM survey_templates WHERE name = '心理咨询满意度';
INSERT OR IGNORE INTO survey_questions (template_id, qkey, position, type,
	text, required, options, is_satisfaction)
	SELECT id, 'comment', 2, 'text', '您的意见和建议（选填）', 0, NULL, 0
		FROM survey_templates WHERE name = '心理咨询满意度';

-- Survey responses now come from events or from a station's counselling
-- room; rebuilt because event_id may now be NULL (foreign keys are off
-- during migrations, so survey_answers' cascade does not fire).
CREATE TABLE survey_responses_new (
	id INTEGER PRIMARY KEY,
	event_id INTEGER REFERENCES events(id),
	station_id INTEGER REFERENCES stations(id),
	source TEXT NOT NULL DEFAULT 'event'
		CHECK (source IN ('event', 'counselling')),
	attendance_id INTEGER UNIQUE REFERENCES attendance(id),
	anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	submitted_at INTEGER NOT NULL,
	CHECK ((source = 'event' AND event_id IS NOT NULL AND station_id IS NULL)
	    OR (source = 'counselling' AND event_id IS NULL
		AND station_id IS NOT NULL AND attendance_id IS NULL))
);
INSERT INTO survey_responses_new (id, event_id, station_id, source,
	attendance_id, anonymous, submitted_at)
	SELECT id, event_id, NULL, 'event', attendance_id, anonymous,
		submitted_at FROM survey_responses;
DROP TABLE survey_responses;
ALTER TABLE survey_responses_new RENAME TO survey_responses;
CREATE INDEX survey_responses_event ON survey_responses(event_id);
CREATE INDEX survey_responses_station ON survey_responses(station_id,
	submitted_at);

-- A stack of paper forms for one likert5 question, counted like online
-- answers and marked paper.
CREATE TABLE survey_tallies (
	id INTEGER PRIMARY KEY,
	event_id INTEGER REFERENCES events(id),
	station_id INTEGER REFERENCES stations(id),
	source TEXT NOT NULL CHECK (source IN ('event', 'counselling')),
	date TEXT NOT NULL,                   -- 'YYYY-MM-DD' the forms were filled
	question_id INTEGER NOT NULL REFERENCES survey_questions(id),
	n1 INTEGER NOT NULL DEFAULT 0 CHECK (n1 >= 0), -- 非常不满意
	n2 INTEGER NOT NULL DEFAULT 0 CHECK (n2 >= 0),
	n3 INTEGER NOT NULL DEFAULT 0 CHECK (n3 >= 0),
	n4 INTEGER NOT NULL DEFAULT 0 CHECK (n4 >= 0),
	n5 INTEGER NOT NULL DEFAULT 0 CHECK (n5 >= 0), -- 非常满意
	entered_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	CHECK ((source = 'event' AND event_id IS NOT NULL AND station_id IS NULL)
	    OR (source = 'counselling' AND event_id IS NULL
		AND station_id IS NOT NULL))
);
CREATE INDEX survey_tallies_event ON survey_tallies(event_id);
CREATE INDEX survey_tallies_station ON survey_tallies(station_id, date);
