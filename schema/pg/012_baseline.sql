-- PostgreSQL baseline: the schema of SQLite migrations 001-012 in
-- PostgreSQL words (tools/pg_baseline.py). Integers are BIGINT (times
-- stay Unix seconds as in SQLite), INTEGER PRIMARY KEY is BIGSERIAL,
-- COLLATE NOCASE UNIQUE is a unique index on lower(column).

CREATE TABLE survey_templates (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	is_default BIGINT NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
	created_at BIGINT NOT NULL
);

CREATE TABLE stations (
	id BIGSERIAL PRIMARY KEY,
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('hall', 'street', 'service_point')),
	address TEXT NOT NULL DEFAULT '',
	timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
, survey_token TEXT, survey_template_id BIGINT
	REFERENCES survey_templates(id));

CREATE TABLE counsellors (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	home_station_id BIGINT REFERENCES stations(id),
	max_weekly_hours BIGINT NOT NULL DEFAULT 40
		CHECK (max_weekly_hours BETWEEN 0 AND 80),
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	feed_token TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
, weekly_mail_off BIGINT NOT NULL DEFAULT 0
	CHECK (weekly_mail_off IN (0, 1)));

CREATE TABLE users (
	id BIGSERIAL PRIMARY KEY,
	username TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('coordinator', 'counsellor')),
	counsellor_id BIGINT REFERENCES counsellors(id),
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	client TEXT NOT NULL DEFAULT ''
);

CREATE TABLE shift_templates (
	id BIGSERIAL PRIMARY KEY,
	station_id BIGINT NOT NULL REFERENCES stations(id),
	weekdays BIGINT NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
	start_time TEXT NOT NULL,
	end_time TEXT NOT NULL,
	required BIGINT NOT NULL DEFAULT 1 CHECK (required BETWEEN 1 AND 50),
	valid_from TEXT,
	valid_to TEXT,
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at BIGINT NOT NULL
);

CREATE TABLE shifts (
	id BIGSERIAL PRIMARY KEY,
	station_id BIGINT NOT NULL REFERENCES stations(id),
	counsellor_id BIGINT REFERENCES counsellors(id),
	template_id BIGINT REFERENCES shift_templates(id),
	slot BIGINT NOT NULL DEFAULT 0,
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL CHECK (end_at > start_at),
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'confirmed', 'cancelled')),
	origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'generated')),
	note TEXT NOT NULL DEFAULT '',
	sequence BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
, pinned BIGINT NOT NULL DEFAULT 0
	CHECK (pinned IN (0, 1)));

CREATE TABLE swap_requests (
	id BIGSERIAL PRIMARY KEY,
	shift_id BIGINT NOT NULL REFERENCES shifts(id),
	other_shift_id BIGINT REFERENCES shifts(id),
	requested_by BIGINT NOT NULL REFERENCES counsellors(id),
	target_counsellor_id BIGINT REFERENCES counsellors(id),
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
	reason TEXT NOT NULL DEFAULT '',
	decided_by BIGINT REFERENCES users(id),
	decided_at BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE availability (
	id BIGSERIAL PRIMARY KEY,
	counsellor_id BIGINT NOT NULL REFERENCES counsellors(id),
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL CHECK (end_at > start_at),
	reason TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE holidays (
	id BIGSERIAL PRIMARY KEY,
	date TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL DEFAULT '',
	as_weekday BIGINT CHECK (as_weekday BETWEEN 1 AND 7),
	created_at BIGINT NOT NULL
);

CREATE TABLE events (
	id BIGSERIAL PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('lecture', 'salon', 'training', 'group', 'activity')),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	station_id BIGINT REFERENCES stations(id),
	venue TEXT NOT NULL DEFAULT '',
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL CHECK (end_at > start_at),
	planned_start_at BIGINT NOT NULL,
	audience TEXT NOT NULL DEFAULT 'mixed'
		CHECK (audience IN ('staff', 'residents', 'community_workers', 'mixed')),
	external_speaker TEXT NOT NULL DEFAULT '',
	capacity BIGINT CHECK (capacity IS NULL OR capacity >= 0),
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'confirmed', 'held', 'cancelled')),
	public BIGINT NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	survey_template_id BIGINT REFERENCES survey_templates(id),
	anonymous_survey BIGINT NOT NULL DEFAULT 0 CHECK (anonymous_survey IN (0, 1)),
	anonymous_token TEXT UNIQUE,
	reminders TEXT NOT NULL DEFAULT '[1440,60]',
	replaces_event_id BIGINT REFERENCES events(id),
	sequence BIGINT NOT NULL DEFAULT 0,
	held_at BIGINT,
	cancelled_at BIGINT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE event_speakers (
	event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	counsellor_id BIGINT NOT NULL REFERENCES counsellors(id),
	PRIMARY KEY (event_id, counsellor_id)
);

CREATE TABLE event_changes (
	id BIGSERIAL PRIMARY KEY,
	event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'rescheduled',
		'confirmed', 'held', 'cancelled', 'forced')),
	old_start_at BIGINT,
	old_end_at BIGINT,
	new_start_at BIGINT,
	new_end_at BIGINT,
	reason TEXT NOT NULL DEFAULT '',
	user_id BIGINT REFERENCES users(id),
	at BIGINT NOT NULL
);

CREATE TABLE plans (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	date_from TEXT NOT NULL,
	date_to TEXT NOT NULL CHECK (date_to >= date_from),
	created_at BIGINT NOT NULL
);

CREATE TABLE plan_targets (
	id BIGSERIAL PRIMARY KEY,
	plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('lecture', 'salon', 'training', 'group', 'activity')),
	station_id BIGINT REFERENCES stations(id),
	target BIGINT NOT NULL CHECK (target >= 0)
);

CREATE TABLE registrations (
	id BIGSERIAL PRIMARY KEY,
	event_id BIGINT NOT NULL REFERENCES events(id),
	token TEXT NOT NULL UNIQUE,
	name TEXT,
	email TEXT,
	phone TEXT,
	organisation TEXT,
	status TEXT NOT NULL DEFAULT 'registered'
		CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
	reminders_opt_out BIGINT NOT NULL DEFAULT 0 CHECK (reminders_opt_out IN (0, 1)),
	purged_at BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
, sms_opt_out BIGINT NOT NULL DEFAULT 0
	CHECK (sms_opt_out IN (0, 1)), optout_token TEXT);

CREATE TABLE attendance (
	id BIGSERIAL PRIMARY KEY,
	event_id BIGINT NOT NULL REFERENCES events(id),
	registration_id BIGINT UNIQUE REFERENCES registrations(id),
	walk_in_name TEXT,
	checked_in_at BIGINT NOT NULL,
	passed BIGINT CHECK (passed IS NULL OR passed IN (0, 1)),
	score DOUBLE PRECISION,
	survey_token TEXT UNIQUE,
	created_at BIGINT NOT NULL
);

CREATE TABLE survey_questions (
	id BIGSERIAL PRIMARY KEY,
	template_id BIGINT NOT NULL REFERENCES survey_templates(id) ON DELETE CASCADE,
	qkey TEXT NOT NULL,
	position BIGINT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('likert5', 'choice', 'text')),
	text TEXT NOT NULL,
	required BIGINT NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
	options TEXT,
	is_satisfaction BIGINT NOT NULL DEFAULT 0 CHECK (is_satisfaction IN (0, 1)),
	UNIQUE (template_id, qkey)
);

CREATE TABLE survey_responses (
	id BIGSERIAL PRIMARY KEY,
	event_id BIGINT REFERENCES events(id),
	station_id BIGINT REFERENCES stations(id),
	source TEXT NOT NULL DEFAULT 'event'
		CHECK (source IN ('event', 'counselling')),
	attendance_id BIGINT UNIQUE REFERENCES attendance(id),
	anonymous BIGINT NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	submitted_at BIGINT NOT NULL,
	CHECK ((source = 'event' AND event_id IS NOT NULL AND station_id IS NULL)
	    OR (source = 'counselling' AND event_id IS NULL
		AND station_id IS NOT NULL AND attendance_id IS NULL))
);

CREATE TABLE survey_answers (
	response_id BIGINT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
	question_id BIGINT NOT NULL REFERENCES survey_questions(id),
	value_int BIGINT,
	value_text TEXT,
	PRIMARY KEY (response_id, question_id)
);

CREATE TABLE outbox (
	id BIGSERIAL PRIMARY KEY,
	dedup_key TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	event_id BIGINT REFERENCES events(id),
	shift_id BIGINT REFERENCES shifts(id),
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	due_at BIGINT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'skipped')),
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	claimed_at BIGINT,
	sent_at BIGINT,
	created_at BIGINT NOT NULL
, expires_at BIGINT, counsellor_id BIGINT REFERENCES counsellors(id), registration_id BIGINT REFERENCES registrations(id), detail TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT 'email'
	CHECK (channel IN ('email', 'wecom', 'dingtalk', 'sms')), station_id BIGINT REFERENCES stations(id));

CREATE TABLE feed_fetches (
	feed TEXT PRIMARY KEY,
	last_fetch_at BIGINT NOT NULL,
	user_agent TEXT NOT NULL DEFAULT '',
	count_200 BIGINT NOT NULL DEFAULT 0,
	count_304 BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
	id BIGSERIAL PRIMARY KEY,
	at BIGINT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT,
	detail TEXT
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE duty_metrics (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	position BIGINT NOT NULL DEFAULT 0,
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at BIGINT NOT NULL
);

CREATE TABLE duty_logs (
	shift_id BIGINT PRIMARY KEY REFERENCES shifts(id),
	counsellor_id BIGINT REFERENCES counsellors(id),
	attended BIGINT NOT NULL CHECK (attended IN (0, 1)),
	note TEXT NOT NULL DEFAULT '',
	entered_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE duty_log_values (
	shift_id BIGINT NOT NULL REFERENCES duty_logs(shift_id) ON DELETE CASCADE,
	metric_code TEXT NOT NULL REFERENCES duty_metrics(code),
	value BIGINT NOT NULL CHECK (value >= 0),
	PRIMARY KEY (shift_id, metric_code)
);

CREATE TABLE cases (
	id BIGSERIAL PRIMARY KEY,
	label TEXT NOT NULL,
	station_id BIGINT REFERENCES stations(id),
	opened_on TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'resolved', 'unresolved')),
	closed_on TEXT,
	note TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CHECK ((status = 'open') = (closed_on IS NULL))
);

CREATE TABLE case_counsellors (
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id BIGINT NOT NULL REFERENCES counsellors(id),
	PRIMARY KEY (case_id, counsellor_id)
);

CREATE TABLE case_sessions (
	id BIGSERIAL PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id BIGINT REFERENCES counsellors(id),
	date TEXT NOT NULL,
	minutes BIGINT NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
	kind TEXT NOT NULL
		CHECK (kind IN ('one_to_one', 'home_visit', 'phone', 'group')),
	note TEXT NOT NULL DEFAULT '',
	entered_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);

CREATE TABLE case_follow_ups (
	id BIGSERIAL PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	counsellor_id BIGINT NOT NULL REFERENCES counsellors(id),
	due_at BIGINT NOT NULL,
	done_at BIGINT,
	note TEXT NOT NULL DEFAULT '',
	sequence BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
, cancelled_at BIGINT);

CREATE TABLE survey_tallies (
	id BIGSERIAL PRIMARY KEY,
	event_id BIGINT REFERENCES events(id),
	station_id BIGINT REFERENCES stations(id),
	source TEXT NOT NULL CHECK (source IN ('event', 'counselling')),
	date TEXT NOT NULL,
	question_id BIGINT NOT NULL REFERENCES survey_questions(id),
	n1 BIGINT NOT NULL DEFAULT 0 CHECK (n1 >= 0),
	n2 BIGINT NOT NULL DEFAULT 0 CHECK (n2 >= 0),
	n3 BIGINT NOT NULL DEFAULT 0 CHECK (n3 >= 0),
	n4 BIGINT NOT NULL DEFAULT 0 CHECK (n4 >= 0),
	n5 BIGINT NOT NULL DEFAULT 0 CHECK (n5 >= 0),
	entered_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	CHECK ((source = 'event' AND event_id IS NOT NULL AND station_id IS NULL)
	    OR (source = 'counselling' AND event_id IS NULL
		AND station_id IS NOT NULL))
);

CREATE TABLE frameworks (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	date_from TEXT NOT NULL,
	date_to TEXT NOT NULL CHECK (date_to >= date_from),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE indicators (
	id BIGSERIAL PRIMARY KEY,
	framework_id BIGINT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	level1 TEXT NOT NULL,
	level2 TEXT NOT NULL,
	level3 TEXT NOT NULL,
	target_op TEXT NOT NULL DEFAULT '>=' CHECK (target_op IN ('>=', '=', '<=')),
	target_value DOUBLE PRECISION,
	target_unit TEXT NOT NULL DEFAULT 'count'
		CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT NOT NULL DEFAULT '',
	weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0 AND weight <= 100),
	rule TEXT NOT NULL,
	source TEXT NOT NULL,
	checklist TEXT NOT NULL DEFAULT '',
	position BIGINT NOT NULL DEFAULT 0,
	UNIQUE (framework_id, code)
);

CREATE TABLE indicator_periods (
	id BIGSERIAL PRIMARY KEY,
	indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	target_op TEXT CHECK (target_op IN ('>=', '=', '<=')),
	target_value DOUBLE PRECISION,
	target_unit TEXT CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT,
	weight DOUBLE PRECISION CHECK (weight >= 0 AND weight <= 100),
	rule TEXT,
	value DOUBLE PRECISION,
	rating DOUBLE PRECISION CHECK (rating BETWEEN 0 AND 100),
	marks TEXT,
	score DOUBLE PRECISION,
	note TEXT NOT NULL DEFAULT '',
	entered_by BIGINT REFERENCES users(id),
	entered_at BIGINT NOT NULL,
	UNIQUE (indicator_id, period_from, period_to)
);

CREATE TABLE robots (
	id BIGSERIAL PRIMARY KEY,
	station_id BIGINT REFERENCES stations(id),
	channel TEXT NOT NULL CHECK (channel IN ('wecom', 'dingtalk')),
	token TEXT NOT NULL,
	secret TEXT NOT NULL DEFAULT '',
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX stations_code_nocase ON stations (lower(code));
CREATE UNIQUE INDEX users_username_nocase ON users (lower(username));
CREATE UNIQUE INDEX cases_label_nocase ON cases (lower(label));
CREATE INDEX counsellors_home ON counsellors(home_station_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX shifts_counsellor ON shifts(counsellor_id, start_at);
CREATE INDEX shifts_station ON shifts(station_id, start_at);
CREATE UNIQUE INDEX shifts_generated ON shifts(template_id, start_at, slot)
	WHERE template_id IS NOT NULL;
CREATE INDEX availability_counsellor ON availability(counsellor_id, start_at);
CREATE INDEX events_start ON events(start_at);
CREATE INDEX events_station ON events(station_id, start_at);
CREATE INDEX event_speakers_counsellor ON event_speakers(counsellor_id);
CREATE INDEX event_changes_event ON event_changes(event_id, at);
CREATE UNIQUE INDEX plan_targets_key ON plan_targets(plan_id, kind, COALESCE(station_id, 0));
CREATE INDEX registrations_event ON registrations(event_id, status, created_at);
CREATE INDEX attendance_event ON attendance(event_id);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX attendance_registration ON attendance(registration_id);
CREATE INDEX survey_answers_question ON survey_answers(question_id);
CREATE INDEX outbox_event ON outbox(event_id, kind, status);
CREATE INDEX outbox_counsellor ON outbox(counsellor_id, kind, status);
CREATE INDEX outbox_registration ON outbox(registration_id, status);
CREATE INDEX duty_logs_counsellor ON duty_logs(counsellor_id);
CREATE INDEX duty_log_values_metric ON duty_log_values(metric_code);
CREATE INDEX cases_station ON cases(station_id);
CREATE INDEX case_counsellors_counsellor ON case_counsellors(counsellor_id);
CREATE INDEX case_sessions_case ON case_sessions(case_id, date);
CREATE INDEX case_sessions_date ON case_sessions(date);
CREATE INDEX case_follow_ups_counsellor ON case_follow_ups(counsellor_id, due_at);
CREATE INDEX case_follow_ups_case ON case_follow_ups(case_id);
CREATE UNIQUE INDEX stations_survey_token ON stations(survey_token);
CREATE INDEX survey_responses_event ON survey_responses(event_id);
CREATE INDEX survey_responses_station ON survey_responses(station_id,
	submitted_at);
CREATE INDEX survey_tallies_event ON survey_tallies(event_id);
CREATE INDEX survey_tallies_station ON survey_tallies(station_id, date);
CREATE INDEX shifts_end ON shifts(end_at);
CREATE INDEX outbox_shift ON outbox(shift_id, kind, status);
CREATE INDEX frameworks_period ON frameworks(date_from, date_to);
CREATE INDEX indicators_framework ON indicators(framework_id, position);
CREATE INDEX outbox_channel_due ON outbox(channel, status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox(recipient, channel, sent_at);
CREATE UNIQUE INDEX robots_scope ON robots(COALESCE(station_id, 0), channel);
CREATE UNIQUE INDEX registrations_optout ON registrations(optout_token);

INSERT INTO survey_templates VALUES(1,'服务满意度',1,0);
INSERT INTO survey_templates VALUES(2,'心理咨询满意度',0,0);
INSERT INTO survey_questions VALUES(1,1,'overall',1,'likert5','您对本次活动的总体满意度',1,NULL,1);
INSERT INTO survey_questions VALUES(2,1,'comment',2,'text','您的意见和建议（选填）',0,NULL,0);
INSERT INTO survey_questions VALUES(3,2,'overall',1,'likert5','您对本次心理咨询服务的总体满意度',1,NULL,1);
INSERT INTO survey_questions VALUES(4,2,'comment',2,'text','您的意见和建议（选填）',0,NULL,0);
INSERT INTO settings VALUES('duty_logs_closed_through','');
INSERT INTO settings VALUES('retention_days','365');
INSERT INTO duty_metrics VALUES('batches','接待批次','批次',1,1,0);
INSERT INTO duty_metrics VALUES('calmed','安抚情绪激动群众','人',3,1,0);
INSERT INTO duty_metrics VALUES('consultations','访前咨询','人次',6,1,0);
INSERT INTO duty_metrics VALUES('counselling_minutes','心理疏导时长','分钟',5,1,0);
INSERT INTO duty_metrics VALUES('crisis','危机干预','人次',9,1,0);
INSERT INTO duty_metrics VALUES('interventions','心理介入','人',4,1,0);
INSERT INTO duty_metrics VALUES('legal_referrals','疏导分流至法律途径','件',8,1,0);
INSERT INTO duty_metrics VALUES('mediations','成功调解','人',7,1,0);
INSERT INTO duty_metrics VALUES('scale_sas','SAS量表','份',11,1,0);
INSERT INTO duty_metrics VALUES('scale_sds','SDS量表','份',12,1,0);
INSERT INTO duty_metrics VALUES('scale_ssrs','社会支持量表','份',13,1,0);
INSERT INTO duty_metrics VALUES('staff_counselled','信访干部心理疏导','人次',10,1,0);
INSERT INTO duty_metrics VALUES('visitors','接待人数','人',2,1,0);
INSERT INTO frameworks VALUES(1,'心访工作室绩效指标（2023 年度）','2023-01-01','2023-12-31',0,0);
INSERT INTO indicators VALUES(1,1,'training_sessions','产出指标','数量指标','心访咨询师培训开展期数','>=',2.0,'count','>=2',5.0,'ratio','trainings_held','',1);
INSERT INTO indicators VALUES(2,1,'key_case_resolution','产出指标','数量指标','协助重点案件化解率','>=',50.0,'percent','>=50%',5.0,'ratio','manual','',2);
INSERT INTO indicators VALUES(3,1,'training_pass_rate','产出指标','质量指标','培训合格率','=',100.0,'percent','=100%',10.0,'ratio','training_pass_rate','',3);
INSERT INTO indicators VALUES(4,1,'training_on_time_rate','产出指标','时效指标','心访咨询师培训及时率','=',100.0,'percent','=100%',10.0,'ratio','training_on_time_rate','',4);
INSERT INTO indicators VALUES(5,1,'spending_progress','产出指标','成本指标','支出进度达标率','>=',95.0,'percent','>=95%',10.0,'ratio','manual','',5);
INSERT INTO indicators VALUES(6,1,'social_stability','效益指标','社会效益指标','辅助维护社会和谐稳定','>=',100.0,'rating','100%有效',5.0,'tiered','manual','',6);
INSERT INTO indicators VALUES(7,1,'legal_awareness','效益指标','社会效益指标','有效提升民众法治信访意识','>=',100.0,'rating','100%有效',5.0,'tiered','manual','',7);
INSERT INTO indicators VALUES(8,1,'satisfaction','满意度指标','服务对象满意度指标','培训和心理咨询对象满意度','>=',90.0,'percent','>=90%',10.0,'satisfaction_deduct','satisfaction_rate','',8);

SELECT setval(pg_get_serial_sequence('stations', 'id'), coalesce((SELECT max(id) FROM stations), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('counsellors', 'id'), coalesce((SELECT max(id) FROM counsellors), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('users', 'id'), coalesce((SELECT max(id) FROM users), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('shift_templates', 'id'), coalesce((SELECT max(id) FROM shift_templates), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('shifts', 'id'), coalesce((SELECT max(id) FROM shifts), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('swap_requests', 'id'), coalesce((SELECT max(id) FROM swap_requests), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('availability', 'id'), coalesce((SELECT max(id) FROM availability), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('holidays', 'id'), coalesce((SELECT max(id) FROM holidays), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('events', 'id'), coalesce((SELECT max(id) FROM events), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('event_changes', 'id'), coalesce((SELECT max(id) FROM event_changes), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('plans', 'id'), coalesce((SELECT max(id) FROM plans), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('plan_targets', 'id'), coalesce((SELECT max(id) FROM plan_targets), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('registrations', 'id'), coalesce((SELECT max(id) FROM registrations), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('attendance', 'id'), coalesce((SELECT max(id) FROM attendance), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('survey_templates', 'id'), coalesce((SELECT max(id) FROM survey_templates), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('survey_questions', 'id'), coalesce((SELECT max(id) FROM survey_questions), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce((SELECT max(id) FROM outbox), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('audit_log', 'id'), coalesce((SELECT max(id) FROM audit_log), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('cases', 'id'), coalesce((SELECT max(id) FROM cases), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('case_sessions', 'id'), coalesce((SELECT max(id) FROM case_sessions), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('case_follow_ups', 'id'), coalesce((SELECT max(id) FROM case_follow_ups), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('survey_responses', 'id'), coalesce((SELECT max(id) FROM survey_responses), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('survey_tallies', 'id'), coalesce((SELECT max(id) FROM survey_tallies), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('frameworks', 'id'), coalesce((SELECT max(id) FROM frameworks), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('indicators', 'id'), coalesce((SELECT max(id) FROM indicators), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('indicator_periods', 'id'), coalesce((SELECT max(id) FROM indicator_periods), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('robots', 'id'), coalesce((SELECT max(id) FROM robots), 0) + 1, false);

-- SQLite's group_concat(x): the values joined by commas.
CREATE FUNCTION hearth_gc_step(text, anyelement) RETURNS text AS
$$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text
ELSE $1 || ',' || $2::text END $$ LANGUAGE sql IMMUTABLE;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = hearth_gc_step, STYPE = text);
