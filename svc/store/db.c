/*
 * Connections, the statement table, transactions and migrations. Each
 * worker thread owns one connection (store_thread), opened with the
 * pragmas every connection needs, in the order LIBNOTES requires (busy
 * timeout before WAL). Nothing here knows about HTTP.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "stmt.h"
#include "../embed.h"

/* The columns of struct event, in read order (store/event.c). */
#define EVENT_COLS \
	"e.id, e.kind, e.title, e.description, IFNULL(e.station_id, 0)," \
	" e.venue, e.start_at, e.end_at, e.planned_start_at, e.audience," \
	" e.external_speaker, IFNULL(e.capacity, -1), e.status, e.public," \
	" IFNULL(e.survey_template_id, 0), e.reminders," \
	" IFNULL(e.replaces_event_id, 0), e.sequence, IFNULL(e.held_at, 0)," \
	" IFNULL(e.cancelled_at, 0), e.created_at, e.updated_at," \
	" (SELECT group_concat(counsellor_id) FROM (SELECT counsellor_id" \
	" FROM event_speakers WHERE event_id = e.id ORDER BY counsellor_id))"
#define EVENT_WHERE \
	"(?1 = 0 OR e.end_at > ?1) AND (?2 = 0 OR e.start_at < ?2)" \
	" AND (?3 IS NULL OR e.kind = ?3) AND (?4 IS NULL OR e.audience = ?4)" \
	" AND (?5 IS NULL OR e.status = ?5)" \
	" AND (?6 IS NULL OR e.title LIKE ?6 ESCAPE '\\')" \
	" AND (?7 = 0 OR e.station_id = ?7) AND (?10 = 0 OR e.public = 1)" \
	" AND (?11 = 0 OR EXISTS (SELECT 1 FROM event_speakers es" \
	" WHERE es.event_id = e.id AND es.counsellor_id = ?11))"

#define TEMPLATE_COLS \
	"id, station_id, weekdays, start_time, end_time, required," \
	" valid_from, valid_to, active, created_at"
#define SHIFT_COLS \
	"s.id, s.station_id, IFNULL(s.counsellor_id, 0)," \
	" IFNULL(s.template_id, 0), s.slot, s.start_at, s.end_at, s.status," \
	" s.origin, s.note, s.sequence, s.created_at, s.updated_at," \
	" IFNULL(st.name, ''), IFNULL(c.name, ''), s.pinned"
#define SHIFT_JOINS \
	" LEFT JOIN stations st ON st.id = s.station_id" \
	" LEFT JOIN counsellors c ON c.id = s.counsellor_id"
#define SHIFT_WHERE \
	"(?1 = 0 OR s.end_at > ?1) AND (?2 = 0 OR s.start_at < ?2)" \
	" AND (?3 = 0 OR s.station_id = ?3) AND (?4 = 0 OR s.counsellor_id = ?4)" \
	" AND (?5 IS NULL OR s.status = ?5)" \
	" AND (?6 = 0 OR s.counsellor_id IS NULL)" \
	" AND (?7 = 0 OR s.status != 'cancelled')"
#define AVAIL_COLS \
	"id, counsellor_id, start_at, end_at, reason, created_at, status," \
	" entered_by, IFNULL(decided_by, 0), IFNULL(decided_at, 0)," \
	" decision_note"

#define SWAP_COLS \
	"id, shift_id, IFNULL(other_shift_id, 0), requested_by, status," \
	" reason, IFNULL(decided_by, 0), IFNULL(decided_at, 0), created_at"

#define REG_COLS \
	"r.id, r.event_id, r.token, r.name, r.email, r.phone, r.organisation," \
	" r.status, r.created_at, r.updated_at, EXISTS (SELECT 1 FROM" \
	" attendance a WHERE a.registration_id = r.id), r.reminders_opt_out"
#define OUTBOX_COLS \
	"id, dedup_key, kind, IFNULL(event_id, 0), IFNULL(shift_id, 0)," \
	" IFNULL(counsellor_id, 0), IFNULL(registration_id, 0), recipient," \
	" subject, body, message_id, status, attempts, last_error, detail," \
	" due_at, next_attempt_at, IFNULL(expires_at, 0)," \
	" IFNULL(claimed_at, 0), IFNULL(sent_at, 0), created_at," \
	" IFNULL((SELECT title FROM events e WHERE e.id = outbox.event_id), '')," \
	" IFNULL((SELECT name FROM counsellors c" \
	" WHERE c.id = outbox.counsellor_id), ''), channel," \
	" IFNULL(station_id, 0), IFNULL((SELECT name FROM stations s" \
	" WHERE s.id = outbox.station_id), ''), IFNULL(claimed_by, '')," \
	" IFNULL(lease_until, 0)"
#define OUTBOX_FILTER \
	" WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2)" \
	" AND (?3 = 0 OR event_id = ?3) AND (?6 IS NULL OR channel = ?6)"
#define ATT_COLS \
	"a.id, a.event_id, IFNULL(a.registration_id, 0)," \
	" CASE WHEN a.registration_id IS NULL THEN a.walk_in_name" \
	" ELSE r.name END, a.checked_in_at, IFNULL(a.passed, -1)," \
	" IFNULL(a.score, -1), a.survey_token," \
	" EXISTS (SELECT 1 FROM survey_responses sr WHERE sr.attendance_id = a.id)"
#define ATT_JOIN " LEFT JOIN registrations r ON r.id = a.registration_id"

/* The columns of struct robot and struct sms_person (store/channel.c). */
#define ROBOT_COLS \
	"r.id, IFNULL(r.station_id, 0), r.channel, r.token, r.secret," \
	" r.active, r.created_at, r.updated_at, IFNULL(s.name, '')," \
	" IFNULL(s.timezone, '')"
#define ROBOT_JOIN " LEFT JOIN stations s ON s.id = r.station_id"
#define SMS_PERSON_COLS \
	"r.id, r.event_id, IFNULL(r.phone, ''), r.status," \
	" r.reminders_opt_out, r.sms_opt_out"

/* The columns of struct duty_metric and struct duty_log (store/duty.c). */
#define DUTY_METRIC_COLS \
	"m.code, m.name, m.unit, m.position, m.active, m.created_at," \
	" EXISTS (SELECT 1 FROM duty_log_values v WHERE v.metric_code = m.code)"
#define DUTY_LOG_COLS \
	"s.id, s.station_id, IFNULL(s.counsellor_id, 0)," \
	" IFNULL(l.counsellor_id, 0), IFNULL(st.name, '')," \
	" IFNULL(st.timezone, ''), IFNULL(c.name, ''), s.status, s.start_at," \
	" s.end_at, l.shift_id IS NOT NULL, IFNULL(l.attended, 0)," \
	" IFNULL(l.note, ''), IFNULL(l.created_at, 0), IFNULL(l.updated_at, 0)," \
	" IFNULL(u.username, ''), IFNULL(u.role, '') = 'counsellor'"
#define DUTY_LOG_JOINS \
	" LEFT JOIN duty_logs l ON l.shift_id = s.id" \
	" LEFT JOIN stations st ON st.id = s.station_id" \
	" LEFT JOIN counsellors c ON c.id = COALESCE(l.counsellor_id," \
	" s.counsellor_id)" \
	" LEFT JOIN users u ON u.id = l.entered_by"
/* ?5 = 0: logs; ?5 = 1: staffed shifts, not cancelled, that ended by ?6
 * without a log. */
#define DUTY_LOG_WHERE \
	"(?1 = 0 OR s.start_at >= ?1) AND (?2 = 0 OR s.start_at < ?2)" \
	" AND (?3 = 0 OR s.station_id = ?3)" \
	" AND (?4 = 0 OR COALESCE(l.counsellor_id, s.counsellor_id) = ?4)" \
	" AND ((?5 = 0 AND l.shift_id IS NOT NULL) OR (?5 = 1" \
	" AND l.shift_id IS NULL AND s.status != 'cancelled'" \
	" AND s.counsellor_id IS NOT NULL AND s.end_at <= ?6))"

/* The staged events (temp.import_events) into events: ids ?1 + seq, a
 * new station's id ?2 + its seq; the caller adds FROM and the range. */
#define IMPORT_EVENTS_INSERT \
	"INSERT INTO events (id, kind, title, description, station_id, venue," \
	" start_at, end_at, planned_start_at, audience, external_speaker," \
	" capacity, status, public, survey_template_id, reminders," \
	" replaces_event_id, sequence, held_at, cancelled_at, created_at," \
	" updated_at) SELECT ?1 + seq, kind, title, description, CASE WHEN" \
	" fresh > 0 THEN ?2 + fresh ELSE station_id END, venue, start_at," \
	" end_at, planned_start_at, audience, external_speaker, capacity," \
	" status, public, survey_template_id, reminders, replaces_event_id," \
	" sequence, held_at, cancelled_at, created_at, updated_at"

/* A table of SQL, laid out by hand. */
/* clang-format off */
static const char *const stmts[STMT__MAX] = {
	/* STMT_BEGIN */ "BEGIN IMMEDIATE",
	/* STMT_COMMIT */ "COMMIT",
	/* STMT_ROLLBACK */ "ROLLBACK",
	/* STMT_STATION_GET */
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE id = ?",
	/* STMT_STATION_GET_BY_CODE */
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE code = ?",
	/* STMT_STATION_LIST */
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE (?1 < 0 OR active = ?1)"
	" AND (?2 IS NULL OR code LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\')"
	" ORDER BY id LIMIT ?3 OFFSET ?4",
	/* STMT_STATION_COUNT */
	"SELECT count(*) FROM stations WHERE (?1 < 0 OR active = ?1)"
	" AND (?2 IS NULL OR code LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\')",
	/* STMT_STATION_INSERT */
	"INSERT INTO stations (code, name, kind, address, timezone, active,"
	" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_STATION_UPDATE */
	"UPDATE stations SET code = ?, name = ?, kind = ?, address = ?,"
	" timezone = ?, active = ?, updated_at = ? WHERE id = ?",
	/* STMT_COUNSELLOR_GET */
	"SELECT id, name, email, phone, home_station_id, max_weekly_hours,"
	" active, feed_token, created_at, updated_at, weekly_mail_off"
	" FROM counsellors"
	" WHERE id = ?",
	/* STMT_COUNSELLOR_GET_BY_TOKEN */
	"SELECT id, name, email, phone, home_station_id, max_weekly_hours,"
	" active, feed_token, created_at, updated_at, weekly_mail_off"
	" FROM counsellors"
	" WHERE feed_token = ?",
	/* STMT_COUNSELLOR_LIST */
	"SELECT id, name, email, phone, home_station_id, max_weekly_hours,"
	" active, feed_token, created_at, updated_at, weekly_mail_off"
	" FROM counsellors"
	" WHERE (?1 < 0 OR active = ?1) AND (?2 = 0 OR home_station_id = ?2)"
	" AND (?3 IS NULL OR name LIKE ?3 ESCAPE '\\' OR email LIKE ?3 ESCAPE '\\')"
	" ORDER BY id LIMIT ?4 OFFSET ?5",
	/* STMT_COUNSELLOR_COUNT */
	"SELECT count(*) FROM counsellors"
	" WHERE (?1 < 0 OR active = ?1) AND (?2 = 0 OR home_station_id = ?2)"
	" AND (?3 IS NULL OR name LIKE ?3 ESCAPE '\\' OR email LIKE ?3 ESCAPE '\\')",
	/* STMT_COUNSELLOR_INSERT */
	"INSERT INTO counsellors (name, email, phone, home_station_id,"
	" max_weekly_hours, active, feed_token, weekly_mail_off, created_at,"
	" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_COUNSELLOR_UPDATE */
	"UPDATE counsellors SET name = ?, email = ?, phone = ?,"
	" home_station_id = ?, max_weekly_hours = ?, active = ?,"
	" feed_token = ?, weekly_mail_off = ?, updated_at = ? WHERE id = ?",
	/* STMT_COUNSELLOR_COUNT_BY_STATION */
	"SELECT count(*) FROM counsellors WHERE home_station_id = ?",
	/* STMT_USER_COUNT */ "SELECT count(*) FROM users",
	/* STMT_USER_GET_BY_NAME */
	"SELECT u.id, u.username, u.password_hash, u.role, u.counsellor_id,"
	" u.active AND (u.counsellor_id IS NULL OR EXISTS (SELECT 1 FROM"
	" counsellors c WHERE c.id = u.counsellor_id AND c.active = 1))"
	" FROM users u WHERE u.username = ?",
	/* STMT_USER_INSERT */
	"INSERT INTO users (username, password_hash, role, counsellor_id,"
	" active, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_SESSION_INSERT */
	"INSERT INTO sessions (token_hash, user_id, created_at, expires_at,"
	" client) VALUES (?, ?, ?, ?, ?)",
	/* STMT_SESSION_USER */
	"SELECT u.id, u.username, u.password_hash, u.role, u.counsellor_id,"
	" u.active, s.expires_at, s.token_hash FROM sessions s"
	" JOIN users u ON u.id = s.user_id"
	" WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1"
	" AND (u.counsellor_id IS NULL OR EXISTS (SELECT 1 FROM counsellors c"
	" WHERE c.id = u.counsellor_id AND c.active = 1))",
	/* STMT_SESSION_DELETE */ "DELETE FROM sessions WHERE token_hash = ?",
	/* STMT_SESSION_PURGE */ "DELETE FROM sessions WHERE expires_at <= ?",
	/* STMT_STATION_GET_BY_NAME */
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE name = ? ORDER BY active DESC, id",
	/* STMT_STATION_BY_NAME_PREFIX */
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE substr(name, 1, length(?1)) = ?1"
	" ORDER BY id LIMIT 2",
	/* STMT_COUNSELLOR_EXISTS */
	"SELECT count(*) FROM counsellors WHERE id = ?",
	/* STMT_SURVEY_TEMPLATE_EXISTS */
	"SELECT count(*) FROM survey_templates WHERE id = ?",
	/* STMT_EVENT_GET */
	"SELECT " EVENT_COLS " FROM events e WHERE e.id = ?",
	/* STMT_EVENT_LIST */
	"SELECT " EVENT_COLS " FROM events e WHERE " EVENT_WHERE
	" ORDER BY e.start_at, e.id LIMIT ?8 OFFSET ?9",
	/* STMT_EVENT_COUNT */
	"SELECT count(*) FROM events e WHERE " EVENT_WHERE,
	/* STMT_EVENT_INSERT */
	"INSERT INTO events (kind, title, description, station_id, venue,"
	" start_at, end_at, planned_start_at, audience, external_speaker,"
	" capacity, status, public, survey_template_id, reminders,"
	" replaces_event_id, sequence, held_at, cancelled_at, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
	/* STMT_EVENT_UPDATE */
	"UPDATE events SET kind = ?1, title = ?2, description = ?3,"
	" station_id = ?4, venue = ?5, start_at = ?6, end_at = ?7,"
	" planned_start_at = ?8, audience = ?9, external_speaker = ?10,"
	" capacity = ?11, status = ?12, public = ?13,"
	" survey_template_id = ?14, reminders = ?15, replaces_event_id = ?16,"
	" sequence = ?17, held_at = ?18, cancelled_at = ?19, updated_at = ?21"
	" WHERE id = ?20",
	/* STMT_EVENT_SPEAKERS_DELETE */
	"DELETE FROM event_speakers WHERE event_id = ?",
	/* STMT_EVENT_SPEAKER_INSERT */
	"INSERT INTO event_speakers (event_id, counsellor_id) VALUES (?, ?)",
	/* STMT_EVENT_CHANGE_INSERT */
	"INSERT INTO event_changes (event_id, kind, old_start_at, old_end_at,"
	" new_start_at, new_end_at, reason, user_id, at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_EVENT_HISTORY */
	"SELECT ch.id, ch.kind, IFNULL(ch.old_start_at, 0),"
	" IFNULL(ch.old_end_at, 0), IFNULL(ch.new_start_at, 0),"
	" IFNULL(ch.new_end_at, 0), ch.reason, IFNULL(u.username, ''), ch.at"
	" FROM event_changes ch LEFT JOIN users u ON u.id = ch.user_id"
	" WHERE ch.event_id = ? ORDER BY ch.at, ch.id",
	/* STMT_CLASH_SHIFTS */
	"SELECT s.id, s.counsellor_id, c.name, s.station_id, st.name, '',"
	" s.start_at, s.end_at FROM shifts s"
	" JOIN counsellors c ON c.id = s.counsellor_id"
	" JOIN stations st ON st.id = s.station_id"
	" WHERE s.counsellor_id = ?1 AND s.status != 'cancelled'"
	" AND s.start_at < ?3 AND s.end_at > ?2 ORDER BY s.start_at",
	/* STMT_CLASH_SPEAKER */
	"SELECT e.id, es.counsellor_id, c.name, IFNULL(e.station_id, 0),"
	" IFNULL(st.name, ''), e.title, e.start_at, e.end_at"
	" FROM event_speakers es JOIN events e ON e.id = es.event_id"
	" JOIN counsellors c ON c.id = es.counsellor_id"
	" LEFT JOIN stations st ON st.id = e.station_id"
	" WHERE es.counsellor_id = ?1 AND e.id != ?4"
	" AND e.status != 'cancelled' AND e.start_at < ?3 AND e.end_at > ?2"
	" ORDER BY e.start_at",
	/* STMT_CLASH_VENUE */
	"SELECT e.id, 0, '', IFNULL(e.station_id, 0), IFNULL(st.name, ''),"
	" e.title, e.start_at, e.end_at FROM events e"
	" LEFT JOIN stations st ON st.id = e.station_id"
	" WHERE e.station_id = ?1 AND e.venue = ?2 AND e.id != ?5"
	" AND e.status != 'cancelled' AND e.start_at < ?4 AND e.end_at > ?3"
	" ORDER BY e.start_at",
	/* STMT_PLAN_GET */
	"SELECT id, name, date_from, date_to, created_at FROM plans"
	" WHERE id = ?",
	/* STMT_PLAN_LIST */
	"SELECT id, name, date_from, date_to, created_at FROM plans"
	" ORDER BY id LIMIT ? OFFSET ?",
	/* STMT_PLAN_COUNT */ "SELECT count(*) FROM plans",
	/* STMT_PLAN_INSERT */
	"INSERT INTO plans (name, date_from, date_to, created_at)"
	" VALUES (?, ?, ?, ?)",
	/* STMT_PLAN_UPDATE */
	"UPDATE plans SET name = ?, date_from = ?, date_to = ? WHERE id = ?",
	/* STMT_PLAN_DELETE */ "DELETE FROM plans WHERE id = ?",
	/* STMT_PLAN_TARGETS */
	"SELECT kind, IFNULL(station_id, 0), target FROM plan_targets"
	" WHERE plan_id = ? ORDER BY id",
	/* STMT_PLAN_TARGETS_DELETE */
	"DELETE FROM plan_targets WHERE plan_id = ?",
	/* STMT_PLAN_TARGET_INSERT */
	"INSERT INTO plan_targets (plan_id, kind, station_id, target)"
	" VALUES (?, ?, ?, ?)",
	/* STMT_HOLIDAY_RANGE */
	"SELECT id, date, kind, name, IFNULL(as_weekday, 0) FROM holidays"
	" WHERE date BETWEEN ? AND ? ORDER BY date",
	/* STMT_HOLIDAY_GET */
	"SELECT id, date, kind, name, IFNULL(as_weekday, 0) FROM holidays"
	" WHERE id = ?",
	/* STMT_HOLIDAY_GET_BY_DATE */
	"SELECT id, date, kind, name, IFNULL(as_weekday, 0) FROM holidays"
	" WHERE date = ?",
	/* STMT_HOLIDAY_INSERT */
	"INSERT INTO holidays (date, kind, name, as_weekday, created_at)"
	" VALUES (?, ?, ?, ?, ?)",
	/* STMT_HOLIDAY_UPDATE */
	"UPDATE holidays SET date = ?, kind = ?, name = ?, as_weekday = ?"
	" WHERE id = ?",
	/* STMT_HOLIDAY_DELETE */ "DELETE FROM holidays WHERE id = ?",
	/* STMT_TEMPLATE_GET */
	"SELECT " TEMPLATE_COLS " FROM shift_templates WHERE id = ?",
	/* STMT_TEMPLATE_LIST */
	"SELECT " TEMPLATE_COLS " FROM shift_templates"
	" WHERE (?1 = 0 OR station_id = ?1) AND (?2 < 0 OR active = ?2)"
	" ORDER BY station_id, start_time, id LIMIT ?3 OFFSET ?4",
	/* STMT_TEMPLATE_COUNT */
	"SELECT count(*) FROM shift_templates"
	" WHERE (?1 = 0 OR station_id = ?1) AND (?2 < 0 OR active = ?2)",
	/* STMT_TEMPLATE_INSERT */
	"INSERT INTO shift_templates (station_id, weekdays, start_time,"
	" end_time, required, valid_from, valid_to, active, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* STMT_TEMPLATE_UPDATE */
	"UPDATE shift_templates SET station_id = ?1, weekdays = ?2,"
	" start_time = ?3, end_time = ?4, required = ?5, valid_from = ?6,"
	" valid_to = ?7, active = ?8 WHERE id = ?9",
	/* STMT_SHIFT_GET */
	"SELECT " SHIFT_COLS " FROM shifts s" SHIFT_JOINS " WHERE s.id = ?",
	/* STMT_SHIFT_LIST */
	"SELECT " SHIFT_COLS " FROM shifts s" SHIFT_JOINS " WHERE " SHIFT_WHERE
	" ORDER BY s.start_at, s.station_id, s.id LIMIT ?8 OFFSET ?9",
	/* STMT_SHIFT_COUNT */
	"SELECT count(*) FROM shifts s WHERE " SHIFT_WHERE,
	/* STMT_SHIFT_INSERT */
	"INSERT INTO shifts (station_id, counsellor_id, template_id, slot,"
	" start_at, end_at, status, origin, note, sequence, created_at,"
	" updated_at, pinned) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	" ?11, ?12, ?13)",
	/* STMT_SHIFT_UPDATE */
	"UPDATE shifts SET station_id = ?1, counsellor_id = ?2,"
	" template_id = ?3, slot = ?4, start_at = ?5, end_at = ?6,"
	" status = ?7, origin = ?8, note = ?9, sequence = ?10,"
	" updated_at = ?12, pinned = ?13 WHERE id = ?11",
	/* STMT_SHIFT_DELETE */ "DELETE FROM shifts WHERE id = ?",
	/* STMT_AVAIL_GET */
	"SELECT " AVAIL_COLS " FROM availability WHERE id = ?",
	/* STMT_AVAIL_LIST */
	"SELECT " AVAIL_COLS
	" FROM availability WHERE (?1 = 0 OR counsellor_id = ?1)"
	" AND (?2 = 0 OR end_at > ?2) AND (?3 = 0 OR start_at < ?3)"
	" AND (?6 IS NULL OR status = ?6) AND (?7 = 0 OR status <> 'refused')"
	" ORDER BY start_at, id LIMIT ?4 OFFSET ?5",
	/* STMT_AVAIL_COUNT */
	"SELECT count(*) FROM availability WHERE (?1 = 0 OR counsellor_id = ?1)"
	" AND (?2 = 0 OR end_at > ?2) AND (?3 = 0 OR start_at < ?3)"
	" AND (?6 IS NULL OR status = ?6) AND (?7 = 0 OR status <> 'refused')",
	/* STMT_AVAIL_INSERT */
	"INSERT INTO availability (counsellor_id, start_at, end_at, reason,"
	" created_at, status, entered_by, decided_by, decided_at,"
	" decision_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_AVAIL_UPDATE */
	"UPDATE availability SET counsellor_id = ?, start_at = ?, end_at = ?,"
	" reason = ?, status = ?6, decided_by = ?7, decided_at = ?8,"
	" decision_note = ?9 WHERE id = ?5",
	/* STMT_AVAIL_DELETE */ "DELETE FROM availability WHERE id = ?",
	/* STMT_SWAP_GET */
	"SELECT " SWAP_COLS " FROM swap_requests WHERE id = ?",
	/* STMT_SWAP_LIST */
	"SELECT " SWAP_COLS " FROM swap_requests"
	" WHERE (?1 = 0 OR requested_by = ?1) AND (?2 IS NULL OR status = ?2)"
	" ORDER BY id DESC LIMIT ?3 OFFSET ?4",
	/* STMT_SWAP_COUNT */
	"SELECT count(*) FROM swap_requests"
	" WHERE (?1 = 0 OR requested_by = ?1) AND (?2 IS NULL OR status = ?2)",
	/* STMT_SWAP_INSERT */
	"INSERT INTO swap_requests (shift_id, other_shift_id, requested_by,"
	" status, reason, decided_by, decided_at, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* STMT_SWAP_UPDATE */
	"UPDATE swap_requests SET shift_id = ?1, other_shift_id = ?2,"
	" requested_by = ?3, status = ?4, reason = ?5, decided_by = ?6,"
	" decided_at = ?7 WHERE id = ?9",
	/* STMT_REG_GET_BY_TOKEN */
	"SELECT " REG_COLS " FROM registrations r WHERE r.token = ?",
	/* STMT_REG_GET */
	"SELECT " REG_COLS " FROM registrations r WHERE r.id = ?",
	/* STMT_REG_LIST */
	"SELECT " REG_COLS " FROM registrations r WHERE r.event_id = ?"
	" ORDER BY r.id",
	/* STMT_REG_INSERT */
	"INSERT INTO registrations (event_id, token, name, email, phone,"
	" organisation, status, created_at, updated_at, email_key, phone_key,"
	" optout_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_REG_SET_STATUS */
	"UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?",
	/* STMT_REG_COUNT */
	/* 020's counts, kept by triggers: one row, not a walk over the
	 * event (issue 15, regcount); 0 when the event has none. */
	"SELECT coalesce((SELECT n FROM registration_counts"
	" WHERE event_id = ? AND status = ?), 0)",
	/* STMT_REG_FIRST_WAITLISTED */
	"SELECT " REG_COLS " FROM registrations r WHERE r.event_id = ?"
	" AND r.status = 'waitlisted' ORDER BY r.created_at, r.id LIMIT 1",
	/* STMT_ATT_GET */
	"SELECT " ATT_COLS " FROM attendance a" ATT_JOIN " WHERE a.id = ?",
	/* STMT_ATT_BY_REG */
	"SELECT " ATT_COLS " FROM attendance a" ATT_JOIN
	" WHERE a.registration_id = ?",
	/* STMT_ATT_BY_TOKEN */
	"SELECT " ATT_COLS " FROM attendance a" ATT_JOIN
	" WHERE a.survey_token = ?",
	/* STMT_ATT_LIST */
	"SELECT " ATT_COLS " FROM attendance a" ATT_JOIN
	" WHERE a.event_id = ? ORDER BY a.id",
	/* STMT_ATT_INSERT */
	"INSERT INTO attendance (event_id, registration_id, walk_in_name,"
	" checked_in_at, passed, score, survey_token, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_ATT_UPDATE */
	"UPDATE attendance SET passed = ?, score = ?, survey_token = ?"
	" WHERE id = ?",
	/* STMT_ATT_DELETE */
	"DELETE FROM attendance WHERE id = ?",
	/* STMT_TPL_GET */
	"SELECT id, name, is_default, created_at FROM survey_templates"
	" WHERE id = ?",
	/* STMT_TPL_LIST */
	"SELECT id, name, is_default, created_at FROM survey_templates"
	" ORDER BY id",
	/* STMT_TPL_QUESTIONS */
	"SELECT id, qkey, type, text, required, is_satisfaction, options"
	" FROM survey_questions WHERE template_id = ? ORDER BY position, id",
	/* STMT_TPL_INSERT */
	"INSERT INTO survey_templates (name, is_default, created_at)"
	" VALUES (?, 0, ?)",
	/* STMT_TPL_Q_INSERT */
	"INSERT INTO survey_questions (template_id, qkey, position, type,"
	" text, required, options, is_satisfaction)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_TPL_DEFAULT */
	"SELECT id FROM survey_templates WHERE is_default = 1"
	" ORDER BY id LIMIT 1",
	/* STMT_RESP_INSERT */
	"INSERT INTO survey_responses (event_id, attendance_id, anonymous,"
	" submitted_at) VALUES (?, ?, ?, ?)",
	/* STMT_ANSWER_INSERT */
	"INSERT INTO survey_answers (response_id, question_id, value_int,"
	" value_text) VALUES (?, ?, ?, ?)",
	/* STMT_ANSWERS */
	"SELECT r.id, a.question_id, r.anonymous, a.value_int IS NOT NULL,"
	" IFNULL(a.value_int, 0), a.value_text, r.submitted_at"
	" FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
	" WHERE r.event_id = ? ORDER BY r.id, a.question_id",
	/* STMT_RESP_COUNTS */
	"SELECT count(*) FILTER (WHERE anonymous = 0),"
	" count(*) FILTER (WHERE anonymous = 1)"
	" FROM survey_responses WHERE event_id = ?",
	/* STMT_ANON_GET */
	"SELECT anonymous_survey, anonymous_token FROM events WHERE id = ?",
	/* STMT_ANON_SET */
	"UPDATE events SET anonymous_survey = ?, anonymous_token = ?"
	" WHERE id = ?",
	/* STMT_ANON_EVENT */
	"SELECT id FROM events WHERE anonymous_token = ?"
	" AND anonymous_survey = 1",
	/* STMT_SETTING_GET */
	"SELECT value FROM settings WHERE key = ?",
	/* STMT_SETTING_SET */
	"INSERT INTO settings (key, value) VALUES (?1, ?2)"
	" ON CONFLICT(key) DO UPDATE SET value = ?2",
	/* STMT_PURGE_REG */
	"UPDATE registrations SET name = NULL, email = NULL, phone = NULL,"
	" organisation = NULL, email_key = '', phone_key = '',"
	" purged_at = ?2 WHERE purged_at IS NULL"
	" AND event_id IN (SELECT id FROM events WHERE end_at < ?1)",
	/* STMT_PURGE_ATT */
	"UPDATE attendance SET walk_in_name = NULL WHERE walk_in_name IS NOT NULL"
	" AND event_id IN (SELECT id FROM events WHERE end_at < ?1)",
	/* STMT_IND_LIST */
	"SELECT i.id, i.framework_id, i.code, i.level1, i.level2, i.level3,"
	" COALESCE(p.target_op, i.target_op),"
	" COALESCE(p.target_value, i.target_value) IS NOT NULL,"
	" COALESCE(p.target_value, i.target_value, 0),"
	" COALESCE(p.target_unit, i.target_unit),"
	" COALESCE(p.target_text, i.target_text), COALESCE(p.weight, i.weight),"
	" COALESCE(p.rule, i.rule), i.source, i.checklist, i.position,"
	" p.value IS NOT NULL, IFNULL(p.value, 0), p.rating IS NOT NULL,"
	" IFNULL(p.rating, 0), p.score IS NOT NULL, IFNULL(p.score, 0), p.marks,"
	" IFNULL(p.note, ''), IFNULL(u.username, ''), IFNULL(p.entered_at, 0),"
	" p.id IS NOT NULL FROM indicators i"
	" LEFT JOIN indicator_periods p ON p.indicator_id = i.id"
	" AND p.period_from = ?1 AND p.period_to = ?2"
	" LEFT JOIN users u ON u.id = p.entered_by"
	" WHERE i.framework_id = ?4 AND (?3 IS NULL OR i.code = ?3)"
	" ORDER BY i.position, i.id",
	/* STMT_IND_UPDATE */
	"UPDATE indicators SET level1 = ?, level2 = ?, level3 = ?,"
	" target_op = ?, target_value = ?, target_unit = ?, target_text = ?,"
	" weight = ?, rule = ?, source = ?, checklist = ?, position = ?"
	" WHERE id = ?",
	/* STMT_IND_PERIOD_SET: set flags 1 write, 2 clear, 0 keep */
	"INSERT INTO indicator_periods (indicator_id, period_from, period_to,"
	" target_op, target_value, target_unit, target_text, weight, rule,"
	" value, rating, marks, score, note, entered_by, entered_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" IFNULL(?14, ''), ?15, ?16)"
	" ON CONFLICT(indicator_id, period_from, period_to) DO UPDATE SET"
	" target_op = COALESCE(?4, target_op),"
	" target_value = COALESCE(?5, target_value),"
	" target_unit = COALESCE(?6, target_unit),"
	" target_text = COALESCE(?7, target_text),"
	" weight = COALESCE(?8, weight), rule = COALESCE(?9, rule),"
	" value = CASE ?17 WHEN 1 THEN ?10 WHEN 2 THEN NULL ELSE value END,"
	" rating = CASE ?18 WHEN 1 THEN ?11 WHEN 2 THEN NULL ELSE rating END,"
	" marks = CASE ?19 WHEN 1 THEN ?12 WHEN 2 THEN NULL ELSE marks END,"
	" score = CASE ?20 WHEN 1 THEN ?13 WHEN 2 THEN NULL ELSE score END,"
	" note = COALESCE(?14, note), entered_by = ?15, entered_at = ?16",
	/* STMT_STAT_TRAINING */
	"SELECT count(DISTINCT e.id), count(a.id) FILTER (WHERE a.passed = 1),"
	" count(a.id) FILTER (WHERE a.passed IS NOT NULL) FROM events e"
	" LEFT JOIN attendance a ON a.event_id = e.id"
	" WHERE e.kind = 'training' AND e.status = 'held'"
	" AND e.start_at >= ?1 AND e.start_at < ?2",
	/* STMT_STAT_SATISFACTION */
	"SELECT e.start_at, a.value_int FROM survey_answers a"
	" JOIN survey_questions q ON q.id = a.question_id"
	" JOIN survey_responses r ON r.id = a.response_id"
	" JOIN events e ON e.id = r.event_id"
	" WHERE q.is_satisfaction = 1 AND a.value_int IS NOT NULL"
	" AND e.start_at >= ?1 AND e.start_at < ?2 ORDER BY e.start_at",
	/* STMT_STAT_PARTICIPANTS */
	"SELECT"
	" (SELECT count(*) FROM registrations g JOIN events e ON e.id = g.event_id"
	"  WHERE g.status = 'registered' AND e.start_at >= ?1 AND e.start_at < ?2),"
	/* attendees with a place: a waitlisted one who came is a walk-in */
	" (SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event_id"
	"  JOIN registrations g ON g.id = a.registration_id"
	"  WHERE g.status = 'registered' AND e.start_at >= ?1"
	"  AND e.start_at < ?2),"
	" (SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event_id"
	"  WHERE e.start_at >= ?1 AND e.start_at < ?2)",
	/* STMT_FEED_FETCH_RECORD */
	"INSERT INTO feed_fetches (feed, last_fetch_at, user_agent, count_200,"
	" count_304) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(feed) DO UPDATE"
	" SET last_fetch_at = ?2, user_agent = ?3,"
	" count_200 = count_200 + ?4, count_304 = count_304 + ?5",
	/* STMT_FEED_FETCH_LIST */
	"SELECT feed, last_fetch_at, user_agent, count_200, count_304"
	" FROM feed_fetches ORDER BY feed",
	/* STMT_AUDIT_INSERT */
	"INSERT INTO audit_log (at, user_id, action, entity, entity_id,"
	" detail) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_AUDIT_LIST */
	"SELECT a.id, a.at, a.user_id, IFNULL(u.username, ''), a.action,"
	" a.entity, IFNULL(a.entity_id, 0), a.detail FROM audit_log a"
	" LEFT JOIN users u ON u.id = a.user_id"
	" WHERE (?1 IS NULL OR a.entity = ?1) AND (?2 = 0 OR a.entity_id = ?2)"
	" ORDER BY a.id DESC LIMIT ?3 OFFSET ?4",
	/* STMT_AUDIT_COUNT */
	"SELECT count(*) FROM audit_log"
	" WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2)",
	/* STMT_REG_SET_OPT_OUT */
	"UPDATE registrations SET reminders_opt_out = ?, updated_at = ?"
	" WHERE id = ?",
	/* STMT_OUTBOX_INSERT */
	"INSERT INTO outbox (dedup_key, kind, event_id, shift_id, counsellor_id,"
	" registration_id, recipient, subject, body, message_id, due_at,"
	" next_attempt_at, expires_at, detail, created_at, channel, station_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13,"
	" ?14, IFNULL(?15, 'email'), ?16) ON CONFLICT (dedup_key) DO NOTHING",
	/* STMT_OUTBOX_REVIVE: a row skipped as superseded that is wanted
	 * again (an opt-in, a renamed speaker), with its new content */
	"UPDATE outbox SET status = 'pending', last_error = '',"
	" recipient = ?3, subject = ?4, body = ?5, message_id = ?6,"
	" due_at = ?7, next_attempt_at = ?7, expires_at = ?8"
	" WHERE dedup_key = ?1 AND status = 'skipped'"
	" AND sent_at IS NULL AND ?7 > ?2",
	/* STMT_OUTBOX_GET */
	"SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?",
	/* STMT_OUTBOX_LIST */
	"SELECT " OUTBOX_COLS " FROM outbox" OUTBOX_FILTER
	" ORDER BY id DESC LIMIT ?4 OFFSET ?5",
	/* STMT_OUTBOX_COUNT */
	"SELECT count(*) FROM outbox" OUTBOX_FILTER,
	/* STMT_OUTBOX_COUNTS */
	"SELECT status, count(*) FROM outbox WHERE (?1 IS NULL OR kind = ?1)"
	" AND (?2 = 0 OR event_id = ?2) AND (?3 IS NULL OR channel = ?3)"
	" GROUP BY status",
	/* STMT_OUTBOX_SKIP: unsent rows of one kind for an event, optionally
	 * only one recipient's */
	"UPDATE outbox SET status = 'skipped', last_error = ?1"
	" WHERE event_id = ?2 AND kind = ?3 AND status IN ('pending', 'failed')"
	" AND (?4 = 0 OR registration_id = ?4) AND (?5 = 0 OR counsellor_id = ?5)",
	/* STMT_OUTBOX_OPEN_ROSTER: a roster notice still gathering changes */
	"SELECT " OUTBOX_COLS " FROM outbox WHERE kind = 'roster'"
	" AND counsellor_id = ? AND status = 'pending' AND attempts = 0"
	" AND channel = 'email' ORDER BY id DESC LIMIT 1",
	/* STMT_OUTBOX_ROSTER_COUNT */
	"SELECT count(*) FROM outbox WHERE kind = 'roster' AND counsellor_id = ?"
	" AND channel = 'email'",
	/* STMT_OUTBOX_REWRITE */
	"UPDATE outbox SET subject = ?, body = ?, detail = ?, due_at = ?,"
	" next_attempt_at = ?, recipient = ? WHERE id = ? AND status = 'pending'",
	/* STMT_OUTBOX_RECOVER: claimed, never confirmed: one channel's rows
	 * whose lease ran out, or claimed by this instance (?3, which has
	 * nothing in flight when it recovers), or every one (?4 = 1: SQLite
	 * at start, one instance per file) */
	"UPDATE outbox SET status = 'pending', next_attempt_at = ?1,"
	" claimed_by = NULL, lease_until = NULL, claim_session = NULL"
	" WHERE status = 'sending' AND channel = ?2 AND (?4 = 1"
	" OR claimed_by IS NULL OR claimed_by = ?3 OR lease_until IS NULL"
	" OR lease_until <= ?1)",
	/* STMT_OUTBOX_NEXT_DUE */
	"SELECT " OUTBOX_COLS " FROM outbox WHERE status IN ('pending', 'failed')"
	" AND next_attempt_at <= ?1 AND channel = ?2"
	" ORDER BY next_attempt_at, id LIMIT 1",
	/* STMT_OUTBOX_NEXT_TIME: or when a claim's lease runs out (then
	 * the row is taken back) */
	"SELECT min(CASE WHEN status = 'sending' THEN lease_until"
	" ELSE next_attempt_at END) FROM outbox"
	" WHERE status IN ('pending', 'failed', 'sending') AND channel = ?1",
	/* STMT_OUTBOX_SET_STATE */
	"UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4,"
	" last_error = ?5, claimed_at = ?6, sent_at = ?7 WHERE id = ?1",
	/* STMT_OUTBOX_PURGE: finished rows past the retention period */
	"DELETE FROM outbox WHERE status IN ('sent', 'dead', 'skipped')"
	" AND created_at < ?",
	/* STMT_OUTBOX_EXISTS */
	"SELECT count(*) FROM outbox WHERE dedup_key = ?",
	/* STMT_OUTBOX_EXPIRE: never sent late */
	"UPDATE outbox SET status = 'skipped', last_error = ?2"
	" WHERE status IN ('pending', 'failed') AND expires_at IS NOT NULL"
	" AND expires_at <= ?1",
	/* --- duty.c ----------------------------------------------------- */
	/* STMT_DUTY_METRIC_LIST */
	"SELECT " DUTY_METRIC_COLS " FROM duty_metrics m"
	" WHERE (?1 = 0 OR m.active = 1) ORDER BY m.position, m.code",
	/* STMT_DUTY_METRIC_GET */
	"SELECT " DUTY_METRIC_COLS " FROM duty_metrics m WHERE m.code = ?",
	/* STMT_DUTY_METRIC_INSERT */
	"INSERT INTO duty_metrics (code, name, unit, position, active,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_DUTY_METRIC_UPDATE */
	"UPDATE duty_metrics SET name = ?, unit = ?, position = ?, active = ?"
	" WHERE code = ?",
	/* STMT_DUTY_METRIC_DELETE: only one no log has a value of */
	"DELETE FROM duty_metrics WHERE code = ?1 AND NOT EXISTS"
	" (SELECT 1 FROM duty_log_values v WHERE v.metric_code = ?1)",
	/* STMT_DUTY_METRIC_NEXT_POS */
	"SELECT IFNULL(max(position), 0) + 1 FROM duty_metrics",
	/* STMT_DUTY_LOG_GET */
	"SELECT " DUTY_LOG_COLS " FROM shifts s" DUTY_LOG_JOINS
	" WHERE s.id = ?",
	/* STMT_DUTY_LOG_LIST */
	"SELECT " DUTY_LOG_COLS " FROM shifts s" DUTY_LOG_JOINS
	" WHERE " DUTY_LOG_WHERE
	" ORDER BY s.start_at DESC, s.station_id, s.id LIMIT ?7 OFFSET ?8",
	/* STMT_DUTY_LOG_COUNT */
	"SELECT count(*) FROM shifts s"
	" LEFT JOIN duty_logs l ON l.shift_id = s.id WHERE " DUTY_LOG_WHERE,
	/* STMT_DUTY_LOG_VALUES: in the order of the metric list */
	"SELECT v.metric_code, v.value FROM duty_log_values v"
	" LEFT JOIN duty_metrics m ON m.code = v.metric_code"
	" WHERE v.shift_id = ? ORDER BY m.position, v.metric_code",
	/* STMT_DUTY_LOG_UPSERT */
	"INSERT INTO duty_logs (shift_id, counsellor_id, attended, note,"
	" entered_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?6) ON CONFLICT (shift_id) DO UPDATE SET counsellor_id = ?2,"
	" attended = ?3, note = ?4, entered_by = ?5, updated_at = ?6",
	/* STMT_DUTY_LOG_VALUES_CLEAR: the values a PUT replaces (all of an
	 * absent counsellor's log) */
	"DELETE FROM duty_log_values WHERE shift_id = ?1 AND (?2 = 0 OR"
	" metric_code IN (SELECT code FROM duty_metrics WHERE active = 1))",
	/* STMT_DUTY_LOG_VALUE_INSERT */
	"INSERT INTO duty_log_values (shift_id, metric_code, value)"
	" VALUES (?, ?, ?)",
	/* STMT_DUTY_LOG_EXISTS */
	"SELECT count(*) FROM duty_logs WHERE shift_id = ?",
	/* STMT_DUTY_STAT_SHIFTS */
	"SELECT s.id, s.station_id, IFNULL(COALESCE(l.counsellor_id,"
	" s.counsellor_id), 0), s.start_at, s.end_at, l.shift_id IS NOT NULL,"
	" IFNULL(l.attended, 0) FROM shifts s"
	" LEFT JOIN duty_logs l ON l.shift_id = s.id"
	" WHERE s.start_at >= ?1 AND s.start_at < ?2"
	" AND s.status != 'cancelled'"
	" AND (s.counsellor_id IS NOT NULL OR l.shift_id IS NOT NULL)"
	" ORDER BY s.id",
	/* STMT_DUTY_STAT_VALUES */
	"SELECT v.shift_id, v.metric_code, v.value FROM duty_log_values v"
	" JOIN shifts s ON s.id = v.shift_id"
	" WHERE s.start_at >= ?1 AND s.start_at < ?2"
	" AND s.status != 'cancelled' ORDER BY v.shift_id",
	/* STMT_DUTY_DUE: logs missing past the reminder time, not reminded */
	"SELECT s.id, s.counsellor_id, s.start_at, s.end_at,"
	" IFNULL(st.name, ''), IFNULL(st.timezone, ''), c.name, c.email"
	" FROM shifts s JOIN counsellors c ON c.id = s.counsellor_id"
	" LEFT JOIN stations st ON st.id = s.station_id"
	" WHERE s.end_at > ?1 AND s.end_at <= ?2 AND s.status != 'cancelled'"
	" AND c.active = 1 AND c.email != ''"
	" AND NOT EXISTS (SELECT 1 FROM duty_logs l WHERE l.shift_id = s.id)"
	" AND NOT EXISTS (SELECT 1 FROM outbox o"
	" WHERE o.dedup_key = 'duty_log:s' || s.id)"
	" ORDER BY s.end_at, s.id LIMIT 200",
	/* STMT_DUTY_OUTBOX_SKIP: one shift's unsent reminder, or those of
	 * every shift that ended by ?2 */
	"UPDATE outbox SET status = 'skipped', last_error = ?3"
	" WHERE kind = 'duty_log' AND status IN ('pending', 'failed')"
	" AND ((?1 > 0 AND shift_id = ?1) OR (?1 = 0 AND shift_id IN"
	" (SELECT id FROM shifts WHERE end_at <= ?2)))",
	/* --- key cases, counselling surveys, paper tallies --------------- */
#define CASE_COLS \
	"c.id, c.label, IFNULL(c.station_id, 0), IFNULL(s.name, ''), c.opened_on," \
	" c.status, IFNULL(c.closed_on, ''), c.note, c.created_at, c.updated_at," \
	" (SELECT group_concat(counsellor_id) FROM (SELECT counsellor_id" \
	" FROM case_counsellors WHERE case_id = c.id ORDER BY counsellor_id))," \
	" (SELECT count(*) FROM case_sessions WHERE case_id = c.id)," \
	" (SELECT IFNULL(sum(minutes), 0) FROM case_sessions WHERE case_id = c.id)," \
	" (SELECT IFNULL(max(date), '') FROM case_sessions WHERE case_id = c.id)," \
	" (SELECT IFNULL(min(due_at), 0) FROM case_follow_ups WHERE case_id = c.id" \
	" AND done_at IS NULL AND cancelled_at IS NULL)" \
	" FROM cases c LEFT JOIN stations s ON s.id = c.station_id"
#define CASE_WHERE \
	" WHERE (?1 IS NULL OR c.status = ?1) AND (?2 = 0 OR c.station_id = ?2)" \
	" AND (?3 = 0 OR EXISTS (SELECT 1 FROM case_counsellors x" \
	" WHERE x.case_id = c.id AND x.counsellor_id = ?3))" \
	" AND (?4 IS NULL OR c.label LIKE ?4 ESCAPE '\\')"
#define SESSION_COLS \
	"x.id, x.case_id, IFNULL(x.counsellor_id, 0), IFNULL(p.name, ''), x.date," \
	" x.minutes, x.kind, x.note, IFNULL(x.entered_by, 0), x.created_at" \
	" FROM case_sessions x LEFT JOIN counsellors p ON p.id = x.counsellor_id"
#define FOLLOW_UP_COLS \
	"f.id, f.case_id, c.label, IFNULL(c.station_id, 0), f.counsellor_id," \
	" IFNULL(p.name, ''), f.due_at, IFNULL(f.done_at, 0)," \
	" IFNULL(f.cancelled_at, 0), f.note, f.sequence, f.created_at," \
	" f.updated_at FROM case_follow_ups f JOIN cases c ON c.id = f.case_id" \
	" LEFT JOIN counsellors p ON p.id = f.counsellor_id"
#define TALLY_COLS \
	"t.id, IFNULL(t.event_id, 0), IFNULL(t.station_id, 0), t.source, t.date," \
	" t.question_id, q.qkey, q.text, q.is_satisfaction, t.n1, t.n2, t.n3," \
	" t.n4, t.n5, IFNULL(t.entered_by, 0), IFNULL(u.username, '')," \
	" t.created_at FROM survey_tallies t" \
	" JOIN survey_questions q ON q.id = t.question_id" \
	" LEFT JOIN users u ON u.id = t.entered_by"
#define TALLY_WHERE \
	" WHERE (?1 = 0 OR t.event_id = ?1) AND (?2 = 0 OR t.station_id = ?2)" \
	" AND (?3 IS NULL OR t.date >= ?3) AND (?4 IS NULL OR t.date <= ?4)"
	/* STMT_CASE_GET */
	"SELECT " CASE_COLS " WHERE c.id = ?",
	/* STMT_CASE_LIST: open cases first, then the latest opened */
	"SELECT " CASE_COLS CASE_WHERE
	" ORDER BY c.status = 'open' DESC, c.opened_on DESC, c.id DESC"
	" LIMIT ?5 OFFSET ?6",
	/* STMT_CASE_COUNT */
	"SELECT count(*) FROM cases c" CASE_WHERE,
	/* STMT_CASE_INSERT */
	"INSERT INTO cases (label, station_id, opened_on, status, closed_on,"
	" note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_CASE_UPDATE */
	"UPDATE cases SET label = ?, station_id = ?, opened_on = ?, status = ?,"
	" closed_on = ?, note = ?, updated_at = ? WHERE id = ?",
	/* STMT_CASE_DELETE: counsellors, sessions and follow-ups cascade */
	"DELETE FROM cases WHERE id = ?",
	/* STMT_CASE_COUNSELLORS_DELETE */
	"DELETE FROM case_counsellors WHERE case_id = ?",
	/* STMT_CASE_COUNSELLOR_INSERT */
	"INSERT INTO case_counsellors (case_id, counsellor_id) VALUES (?, ?)",
	/* STMT_CASE_HAS_COUNSELLOR */
	"SELECT count(*) FROM case_counsellors WHERE case_id = ?"
	" AND counsellor_id = ?",
	/* STMT_CASE_SESSIONS */
	"SELECT " SESSION_COLS " WHERE x.case_id = ?"
	" ORDER BY x.date DESC, x.id DESC",
	/* STMT_CASE_SESSION_GET */
	"SELECT " SESSION_COLS " WHERE x.id = ?",
	/* STMT_CASE_SESSION_INSERT */
	"INSERT INTO case_sessions (case_id, counsellor_id, date, minutes, kind,"
	" note, entered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_CASE_SESSION_DELETE */
	"DELETE FROM case_sessions WHERE id = ?",
	/* STMT_FOLLOW_UP_LIST */
	"SELECT " FOLLOW_UP_COLS " WHERE (?1 = 0 OR f.case_id = ?1)"
	" AND (?2 = 0 OR f.counsellor_id = ?2) AND (?3 = 0 OR f.due_at >= ?3)"
	" AND (?4 = 0 OR f.due_at < ?4) AND (?5 = 1 OR f.cancelled_at IS NULL)"
	" AND (?6 = -1 OR (f.done_at IS NOT NULL) = ?6)"
	" ORDER BY f.due_at, f.id",
	/* STMT_FOLLOW_UP_GET */
	"SELECT " FOLLOW_UP_COLS " WHERE f.id = ?",
	/* STMT_FOLLOW_UP_INSERT */
	"INSERT INTO case_follow_ups (case_id, counsellor_id, due_at, note,"
	" sequence, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
	/* STMT_FOLLOW_UP_UPDATE */
	"UPDATE case_follow_ups SET due_at = ?, done_at = ?, cancelled_at = ?,"
	" note = ?, sequence = ?, updated_at = ? WHERE id = ?",
	/* STMT_FOLLOW_UP_TOUCH_CASE: the label in their summary changed */
	"UPDATE case_follow_ups SET sequence = sequence + 1, updated_at = ?2"
	" WHERE case_id = ?1",
	/* STMT_STATION_SURVEY_GET */
	"SELECT survey_token, IFNULL(survey_template_id, 0) FROM stations"
	" WHERE id = ?",
	/* STMT_STATION_SURVEY_SET */
	"UPDATE stations SET survey_token = ? WHERE id = ?",
	/* STMT_STATION_BY_SURVEY_TOKEN */
	"SELECT id FROM stations WHERE survey_token = ? AND active = 1",
	/* STMT_TPL_COUNSELLING: the built-in questionnaire of schema 007 */
	"SELECT id FROM survey_templates WHERE name = '心理咨询满意度'"
	" ORDER BY id LIMIT 1",
	/* STMT_RESP_COUNSELLING_INSERT */
	"INSERT INTO survey_responses (event_id, station_id, source,"
	" attendance_id, anonymous, submitted_at)"
	" VALUES (NULL, ?, 'counselling', NULL, 1, ?)",
	/* STMT_STATION_ANSWERS */
	"SELECT r.id, a.question_id, r.anonymous, a.value_int IS NOT NULL,"
	" IFNULL(a.value_int, 0), a.value_text, r.submitted_at"
	" FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
	" WHERE r.station_id = ?1 AND r.source = 'counselling'"
	" AND (?2 = 0 OR r.submitted_at >= ?2) AND (?3 = 0 OR r.submitted_at < ?3)"
	" ORDER BY r.id, a.question_id",
	/* STMT_STATION_RESP_COUNT */
	"SELECT count(*) FROM survey_responses WHERE station_id = ?1"
	" AND source = 'counselling' AND (?2 = 0 OR submitted_at >= ?2)"
	" AND (?3 = 0 OR submitted_at < ?3)",
	/* STMT_TALLY_INSERT */
	"INSERT INTO survey_tallies (event_id, station_id, source, date,"
	" question_id, n1, n2, n3, n4, n5, entered_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_TALLY_GET */
	"SELECT " TALLY_COLS " WHERE t.id = ?",
	/* STMT_TALLY_LIST */
	"SELECT " TALLY_COLS TALLY_WHERE " ORDER BY t.date DESC, t.id DESC"
	" LIMIT ?5 OFFSET ?6",
	/* STMT_TALLY_COUNT */
	"SELECT count(*) FROM survey_tallies t" TALLY_WHERE,
	/* STMT_TALLY_DELETE */
	"DELETE FROM survey_tallies WHERE id = ?",
	/* STMT_IND_INSERT */
	"INSERT INTO indicators (framework_id, code, level1, level2, level3,"
	" target_op, target_value, target_unit, target_text, weight, rule,"
	" source, checklist, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?)",
	/* STMT_IND_DELETE: its periods go with it (ON DELETE CASCADE) */
	"DELETE FROM indicators WHERE id = ?",
	/* STMT_IND_CODE_TAKEN */
	"SELECT count(*) FROM indicators WHERE framework_id = ? AND code = ?",
	/* STMT_IND_NEXT_POSITION */
	"SELECT IFNULL(max(position), 0) + 1 FROM indicators"
	" WHERE framework_id = ?",
	/* STMT_FW_LIST: one (?1) or all, the latest period first */
	"SELECT f.id, f.name, f.date_from, f.date_to, f.created_at,"
	" f.updated_at, count(i.id), IFNULL(sum(i.weight), 0) FROM frameworks f"
	" LEFT JOIN indicators i ON i.framework_id = f.id"
	" WHERE ?1 IS NULL OR f.id = ?1 GROUP BY f.id"
	" ORDER BY f.date_from DESC, f.id DESC",
	/* STMT_FW_FOR_DATE: one whose period holds ?1, else the latest */
	"SELECT id FROM frameworks ORDER BY ?1 BETWEEN date_from AND date_to"
	" DESC, date_from DESC, id DESC LIMIT 1",
	/* STMT_FW_INSERT */
	"INSERT INTO frameworks (name, date_from, date_to, created_at,"
	" updated_at) VALUES (?, ?, ?, ?, ?)",
	/* STMT_FW_UPDATE */
	"UPDATE frameworks SET name = ?, date_from = ?, date_to = ?,"
	" updated_at = ? WHERE id = ?",
	/* STMT_FW_DELETE: rows and periods go with it (ON DELETE CASCADE) */
	"DELETE FROM frameworks WHERE id = ?",
	/* STMT_FW_COPY_ROWS */
	"INSERT INTO indicators (framework_id, code, level1, level2, level3,"
	" target_op, target_value, target_unit, target_text, weight, rule,"
	" source, checklist, position) SELECT ?2, code, level1, level2, level3,"
	" target_op, target_value, target_unit, target_text, weight, rule,"
	" source, checklist, position FROM indicators WHERE framework_id = ?1"
	" ORDER BY position, id",
	/* STMT_SRC_EVENTS_HELD */
	"SELECT count(*) FROM events e LEFT JOIN stations s ON s.id = e.station_id"
	" WHERE e.status = 'held' AND e.start_at >= ?1 AND e.start_at < ?2"
	" AND (?3 IS NULL OR e.kind = ?3) AND (?4 IS NULL OR e.audience = ?4)"
	" AND (?5 IS NULL OR s.code = ?5)",
	/* STMT_SRC_PLANS: ?1 ?2 dates, ?3 kind, ?4 ?5 UTC bounds */
	"SELECT (SELECT IFNULL(sum(t.target), 0) FROM plan_targets t"
	"  JOIN plans p ON p.id = t.plan_id WHERE t.station_id IS NULL"
	"  AND p.date_from >= ?1 AND p.date_to <= ?2"
	"  AND (?3 IS NULL OR t.kind = ?3)),"
	" (SELECT count(*) FROM events e WHERE e.status = 'held'"
	"  AND e.start_at >= ?4 AND e.start_at < ?5 AND e.kind IN"
	"  (SELECT t.kind FROM plan_targets t JOIN plans p ON p.id = t.plan_id"
	"   WHERE t.station_id IS NULL AND t.target > 0 AND p.date_from >= ?1"
	"   AND p.date_to <= ?2 AND (?3 IS NULL OR t.kind = ?3)))",
	/* STMT_SRC_SATISFACTION: ?1 ?2 UTC bounds, ?3 ?4 dates, ?5 which */
	"SELECT IFNULL(sum(sat), 0), IFNULL(sum(total), 0) FROM ("
	" SELECT count(*) FILTER (WHERE a.value_int >= 4) AS sat,"
	"  count(*) AS total FROM survey_answers a"
	"  JOIN survey_questions q ON q.id = a.question_id"
	"  JOIN survey_responses r ON r.id = a.response_id"
	"  JOIN events e ON e.id = r.event_id"
	"  WHERE ?5 IN (0, 1) AND r.source = 'event' AND q.is_satisfaction = 1"
	"  AND q.type = 'likert5' AND a.value_int BETWEEN 1 AND 5"
	"  AND e.start_at >= ?1 AND e.start_at < ?2"
	" UNION ALL"
	" SELECT count(*) FILTER (WHERE a.value_int >= 4), count(*)"
	"  FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id"
	"  JOIN survey_responses r ON r.id = a.response_id"
	"  WHERE ?5 IN (0, 2) AND r.source = 'counselling'"
	"  AND q.is_satisfaction = 1 AND q.type = 'likert5'"
	"  AND a.value_int BETWEEN 1 AND 5"
	"  AND r.submitted_at >= ?1 AND r.submitted_at < ?2"
	" UNION ALL"
	" SELECT IFNULL(sum(t.n4 + t.n5), 0),"
	"  IFNULL(sum(t.n1 + t.n2 + t.n3 + t.n4 + t.n5), 0)"
	"  FROM survey_tallies t JOIN survey_questions q ON q.id = t.question_id"
	"  WHERE q.is_satisfaction = 1 AND q.type = 'likert5'"
	"  AND (?5 = 0 OR (?5 = 1 AND t.source = 'event')"
	"  OR (?5 = 2 AND t.source = 'counselling'))"
	"  AND t.date BETWEEN ?3 AND ?4)",
	/* STMT_SRC_DUTY_SUM */
	"SELECT IFNULL(sum(v.value), 0) FROM duty_log_values v"
	" JOIN shifts s ON s.id = v.shift_id WHERE v.metric_code = ?3"
	" AND s.start_at >= ?1 AND s.start_at < ?2",
	/* STMT_SRC_DUTY_ATTENDANCE */
	"SELECT count(*) FILTER (WHERE l.attended = 1), count(*)"
	" FROM duty_logs l JOIN shifts s ON s.id = l.shift_id"
	" WHERE s.start_at >= ?1 AND s.start_at < ?2",
	/* STMT_SRC_CASES: ?1 ?2 dates */
	"SELECT count(*), count(*) FILTER (WHERE c.status = 'resolved'"
	" AND c.closed_on <= ?2), (SELECT IFNULL(sum(x.minutes), 0)"
	" FROM case_sessions x WHERE x.date BETWEEN ?1 AND ?2) FROM cases c"
	" WHERE EXISTS (SELECT 1 FROM case_sessions x WHERE x.case_id = c.id"
	" AND x.date BETWEEN ?1 AND ?2)",
	/* STMT_SRC_METRIC_EXISTS */
	"SELECT count(*) FROM duty_metrics WHERE code = ?",
	/* STMT_SRC_METRICS */
	"SELECT code, name, unit FROM duty_metrics WHERE active = 1"
	" ORDER BY position, code",
	/* --- channel.c: group robots and SMS ---------------------------- */
	/* STMT_ROBOT_GET: by scope (0 = district-wide) and channel */
	"SELECT " ROBOT_COLS " FROM robots r" ROBOT_JOIN
	" WHERE IFNULL(r.station_id, 0) = ?1 AND r.channel = ?2",
	/* STMT_ROBOT_LIST: the district's first, then by station */
	"SELECT " ROBOT_COLS " FROM robots r" ROBOT_JOIN
	" WHERE (?1 IS NULL OR r.channel = ?1)"
	" ORDER BY r.station_id IS NOT NULL, s.name, r.station_id, r.channel",
	/* STMT_ROBOT_TARGETS: active robots a station's news goes to: its
	 * own and the district-wide ones */
	"SELECT " ROBOT_COLS " FROM robots r" ROBOT_JOIN
	" WHERE r.active = 1 AND (r.station_id IS NULL OR r.station_id = ?1)"
	" AND IFNULL(s.active, 1) = 1 AND (?2 IS NULL OR r.channel = ?2)"
	" ORDER BY r.station_id IS NOT NULL, r.station_id, r.channel",
	/* STMT_ROBOT_INSERT */
	"INSERT INTO robots (station_id, channel, token, secret, active,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	/* STMT_ROBOT_UPDATE */
	"UPDATE robots SET token = ?2, secret = ?3, active = ?4,"
	" updated_at = ?5 WHERE id = ?1",
	/* STMT_ROBOT_DELETE */
	"DELETE FROM robots WHERE id = ?",
	/* STMT_OUTBOX_SKIP_ROBOT: unsent rows of a robot that is gone */
	"UPDATE outbox SET status = 'skipped', last_error = ?3"
	" WHERE channel = ?1 AND IFNULL(station_id, 0) = ?2"
	" AND status IN ('pending', 'failed')",
	/* STMT_OUTBOX_OPEN_ROBOT_ROSTER: a robot's roster notice still
	 * gathering changes */
	"SELECT " OUTBOX_COLS " FROM outbox WHERE kind = 'roster'"
	" AND channel = ?1 AND IFNULL(station_id, 0) = ?2"
	" AND status = 'pending' AND attempts = 0 ORDER BY id DESC LIMIT 1",
	/* STMT_OUTBOX_ROBOT_ROSTER_COUNT */
	"SELECT count(*) FROM outbox WHERE kind = 'roster' AND channel = ?1"
	" AND IFNULL(station_id, 0) = ?2",
	/* STMT_SMS_SENT_SINCE: SMS that went to a number lately */
	"SELECT count(*) FROM outbox WHERE recipient = ?1 AND channel = 'sms'"
	" AND sent_at >= ?2",
	/* STMT_SMS_PEOPLE: an event's registered participants with a phone
	 * (or only one of them) */
	"SELECT " SMS_PERSON_COLS " FROM registrations r WHERE r.event_id = ?1"
	" AND (?2 = 0 OR r.id = ?2) AND r.status = 'registered'"
	" AND r.phone IS NOT NULL AND r.phone != '' ORDER BY r.id",
	/* STMT_SMS_PERSON */
	"SELECT " SMS_PERSON_COLS " FROM registrations r WHERE r.id = ?",
	/* STMT_REG_SET_SMS_OPT_OUT */
	"UPDATE registrations SET sms_opt_out = ?1, updated_at = ?2"
	" WHERE id = ?3",
	/* STMT_OUTBOX_SKIP_REG_CHANNEL: one participant's unsent rows of one
	 * channel */
	"UPDATE outbox SET status = 'skipped', last_error = ?1"
	" WHERE registration_id = ?2 AND channel = ?3"
	" AND status IN ('pending', 'failed')",
	/* STMT_ROBOT_DUTY_MISSING: shifts that ended in (?1, ?2] without a
	 * log, of one station (?3 = 0: any) */
	"SELECT s.id, s.counsellor_id, s.start_at, s.end_at,"
	" IFNULL(st.name, ''), IFNULL(st.timezone, ''), c.name, ''"
	" FROM shifts s JOIN counsellors c ON c.id = s.counsellor_id"
	" LEFT JOIN stations st ON st.id = s.station_id"
	" WHERE s.end_at > ?1 AND s.end_at <= ?2 AND s.status != 'cancelled'"
	" AND c.active = 1 AND (?3 = 0 OR s.station_id = ?3)"
	" AND NOT EXISTS (SELECT 1 FROM duty_logs l WHERE l.shift_id = s.id)"
	" ORDER BY s.end_at, s.id LIMIT 500",
	/* STMT_OUTBOX_REG_CHANNELS: per participant of an event, the
	 * channels their messages took */
	"SELECT registration_id, channel, count(*), sum(status = 'sent')"
	" FROM outbox WHERE event_id = ?1 AND registration_id IS NOT NULL"
	" AND status != 'skipped' GROUP BY registration_id, channel"
	" ORDER BY registration_id, channel",
	/* STMT_OUTBOX_SKIP_CHANNEL: unsent rows of a channel turned off */
	"UPDATE outbox SET status = 'skipped', last_error = ?2"
	" WHERE channel = ?1 AND status IN ('pending', 'failed', 'sending')",
	/* STMT_USER_GET */
	"SELECT id, username, password_hash, role, counsellor_id, active"
	" FROM users WHERE id = ?",
	/* STMT_USER_BY_COUNSELLOR */
	"SELECT id, username, password_hash, role, counsellor_id, active"
	" FROM users WHERE counsellor_id = ? ORDER BY id LIMIT 1",
	/* STMT_USER_LIST */
	"SELECT id, username, password_hash, role, counsellor_id, active"
	" FROM users ORDER BY id",
	/* STMT_USER_SET_ACTIVE */
	"UPDATE users SET active = ?2 WHERE id = ?1",
	/* STMT_USER_SET_PASSWORD */
	"UPDATE users SET password_hash = ?2 WHERE id = ?1",
	/* STMT_USER_DISABLE_COUNSELLOR */
	"UPDATE users SET active = 0 WHERE counsellor_id = ?",
	/* STMT_SESSION_END_USER: every session but the one kept (?2) */
	"DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
	/* STMT_SESSION_END_COUNSELLOR */
	"DELETE FROM sessions WHERE user_id IN"
	" (SELECT id FROM users WHERE counsellor_id = ?)",
	/* STMT_USER_COORDINATORS_ACTIVE */
	"SELECT count(*) FROM users WHERE role = 'coordinator' AND active = 1",
	/* STMT_BEGIN_DEFERRED: for writes to temp tables only (no lock on
	 * the database) */
	"BEGIN",
	/* STMT_IMPORT_EVENTS_TABLE: an import's events, staged (the columns
	 * of STMT_EVENT_INSERT, then the row's new station, 0 = none) */
	"CREATE TEMP TABLE IF NOT EXISTS import_events (seq INTEGER PRIMARY"
	" KEY, kind TEXT, title TEXT, description TEXT, station_id INTEGER,"
	" venue TEXT, start_at INTEGER, end_at INTEGER, planned_start_at"
	" INTEGER, audience TEXT, external_speaker TEXT, capacity INTEGER,"
	" status TEXT, public INTEGER, survey_template_id INTEGER, reminders"
	" TEXT, replaces_event_id INTEGER, sequence INTEGER, held_at INTEGER,"
	" cancelled_at INTEGER, created_at INTEGER, updated_at INTEGER,"
	" fresh INTEGER NOT NULL)",
	/* STMT_IMPORT_STATIONS_TABLE */
	"CREATE TEMP TABLE IF NOT EXISTS import_stations (seq INTEGER PRIMARY"
	" KEY, name TEXT NOT NULL)",
	/* STMT_IMPORT_EVENTS_CLEAR */ "DELETE FROM temp.import_events",
	/* STMT_IMPORT_STATIONS_CLEAR */ "DELETE FROM temp.import_stations",
	/* STMT_IMPORT_EVENT_STAGE */
	"INSERT INTO temp.import_events (kind, title, description, station_id,"
	" venue, start_at, end_at, planned_start_at, audience,"
	" external_speaker, capacity, status, public, survey_template_id,"
	" reminders, replaces_event_id, sequence, held_at, cancelled_at,"
	" created_at, updated_at, fresh, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
	" ?21, ?22, ?23)",
	/* STMT_IMPORT_STATION_STAGE */
	"INSERT INTO temp.import_stations (seq, name) VALUES (?, ?)",
	/* STMT_STATION_MAX_ID */ "SELECT IFNULL(max(id), 0) FROM stations",
	/* STMT_EVENT_MAX_ID */ "SELECT IFNULL(max(id), 0) FROM events",
	/* STMT_IMPORT_STATIONS_PUBLISH: ids after ?1, codes IMP(?2 + seq) */
	"INSERT INTO stations (id, code, name, kind, address, timezone, active,"
	" created_at, updated_at) SELECT ?1 + seq, 'IMP' || (?2 + seq), name,"
	" 'street', '', 'Asia/Shanghai', 1, ?3, ?3 FROM temp.import_stations"
	" ORDER BY seq",
	/* STMT_IMPORT_EVENTS_PUBLISH: ids after ?1; a new station's id is
	 * ?2 + its seq */
	IMPORT_EVENTS_INSERT
	" FROM temp.import_events ORDER BY seq",
	/* STMT_IMPORT_CHANGES_PUBLISH */
	"INSERT INTO event_changes (event_id, kind, old_start_at, old_end_at,"
	" new_start_at, new_end_at, reason, user_id, at) SELECT ?1 + seq,"
	" 'created', NULL, NULL, start_at, end_at, 'csv import', ?2, ?3"
	" FROM temp.import_events ORDER BY seq",
	/* STMT_REG_OPTOUT */
	"SELECT optout_token FROM registrations WHERE id = ?"
	" AND optout_token IS NOT NULL",
	/* STMT_REG_BY_OPTOUT */
	"SELECT id FROM registrations WHERE optout_token = ?",
	/* STMT_SHIFT_FIRST_DAYS */
	"SELECT station_id, min(start_at) FROM shifts GROUP BY station_id"
	" ORDER BY station_id",
	/* STMT_OUTBOX_SKIP_REG: STMT_OUTBOX_SKIP for one registration, by
	 * its index (outbox_registration): the event's index made every new
	 * registration walk all the event's pending reminders */
	"UPDATE outbox SET status = 'skipped', last_error = ?1"
	" WHERE registration_id = ?4 AND status IN ('pending', 'failed')"
	" AND event_id = ?2 AND kind = ?3 AND (?5 = 0 OR counsellor_id = ?5)",
	/* STMT_EVENT_MARKS: STMT_EVENT_LIST's rows as (id, the fingerprint of
	 * every column it reads, station, status, cancelled, updated), in its
	 * order: what an incremental feed compares with the pieces it has.
	 * EVENT_COLS but its speakers, which STMT_EVENT_SPEAKER_MARKS adds
	 * (a subquery a row was half the query's time). */
	"SELECT e.id, hearth_fp(e.id, e.kind, e.title, e.description,"
	" e.station_id, e.venue, e.start_at, e.end_at, e.planned_start_at,"
	" e.audience, e.external_speaker, e.capacity, e.status, e.public,"
	" e.survey_template_id, e.reminders, e.replaces_event_id, e.sequence,"
	" e.held_at, e.cancelled_at, e.created_at, e.updated_at),"
	" IFNULL(e.station_id, 0),"
	" e.status, IFNULL(e.cancelled_at, 0), e.updated_at"
	" FROM events e WHERE " EVENT_WHERE
	" ORDER BY e.start_at, e.id LIMIT ?8 OFFSET ?9",
	/* STMT_SHIFT_MARKS: the same of STMT_SHIFT_LIST */
	"SELECT s.id, hearth_fp(" SHIFT_COLS "), s.station_id, s.status, 0,"
	" s.updated_at FROM shifts s" SHIFT_JOINS " WHERE " SHIFT_WHERE
	" ORDER BY s.start_at, s.station_id, s.id LIMIT ?8 OFFSET ?9",
	/* STMT_EVENT_SPEAKER_MARKS: the speakers of events ?1..?2, in the
	 * primary key's order (a range of it, no lookup per event) */
	"SELECT event_id, counsellor_id FROM event_speakers"
	" WHERE event_id BETWEEN ?1 AND ?2 ORDER BY event_id, counsellor_id",
	/* STMT_REG_PEOPLE: the first live registration of event ?1 with
	 * e-mail key ?2 or phone key ?3 (a new registration's check; the
	 * indexes of 019, no walk over the event's registrations: one
	 * search of each, as SQLite plans an OR by event_id alone) */
	"SELECT id, status FROM (SELECT id, status FROM registrations"
	" WHERE event_id = ?1 AND email_key = ?2 AND email_key <> ''"
	" AND status != 'cancelled' UNION ALL SELECT id, status"
	" FROM registrations WHERE event_id = ?1 AND phone_key = ?3"
	" AND phone_key <> '' AND status != 'cancelled')"
	" AS same_person ORDER BY id LIMIT 1",
	/* --- imports published in bounded batches (issue 17, importperf):
	 * the staged rows with seq in [?lo, ?hi] --- */
	/* STMT_IMPORT_STATIONS_PUBLISH_RANGE: ids ?1 + seq, codes
	 * IMP(?2 + seq), seq in [?4, ?5] */
	"INSERT INTO stations (id, code, name, kind, address, timezone, active,"
	" created_at, updated_at) SELECT ?1 + seq, 'IMP' || (?2 + seq), name,"
	" 'street', '', 'Asia/Shanghai', 1, ?3, ?3 FROM temp.import_stations"
	" WHERE seq BETWEEN ?4 AND ?5 ORDER BY seq",
	/* STMT_IMPORT_EVENTS_PUBLISH_RANGE: ids ?1 + seq; a new station's id
	 * is ?2 + its seq; seq in [?3, ?4] */
	IMPORT_EVENTS_INSERT
	" FROM temp.import_events WHERE seq BETWEEN ?3 AND ?4 ORDER BY seq",
	/* STMT_IMPORT_CHANGES_PUBLISH_RANGE: seq in [?4, ?5] */
	"INSERT INTO event_changes (event_id, kind, old_start_at, old_end_at,"
	" new_start_at, new_end_at, reason, user_id, at) SELECT ?1 + seq,"
	" 'created', NULL, NULL, start_at, end_at, 'csv import', ?2, ?3"
	" FROM temp.import_events WHERE seq BETWEEN ?4 AND ?5 ORDER BY seq",
	/* STMT_IMPORT_EVENTS_UNPUBLISH: a failed import's events (their
	 * history goes with them: ON DELETE CASCADE) */
	"DELETE FROM events WHERE id > ?1 AND id <= ?2",
	/* STMT_IMPORT_STATIONS_UNPUBLISH */
	"DELETE FROM stations WHERE id > ?1 AND id <= ?2",
	/* --- an import's recovery record (issue 17, importperf; 014) --- */
	/* STMT_IMPORT_RUN_INSERT */
	"INSERT INTO import_runs (user_id, started_at) VALUES (?1, ?2)",
	/* STMT_IMPORT_RUN_STATIONS: its stations are (?2, ?3] */
	"UPDATE import_runs SET station_lo = ?2, station_hi = ?3 WHERE id = ?1",
	/* STMT_IMPORT_RUN_EVENTS: its events are (?2, ?3] */
	"UPDATE import_runs SET event_lo = ?2, event_hi = ?3 WHERE id = ?1",
	/* STMT_IMPORT_RUN_DELETE */
	"DELETE FROM import_runs WHERE id = ?1",
	/* STMT_IMPORT_RUNS_LIST: the runs left unfinished (at start) */
	"SELECT id, user_id, started_at, IFNULL(station_lo, 0),"
	" IFNULL(station_hi, 0), IFNULL(event_lo, 0), IFNULL(event_hi, 0)"
	" FROM import_runs ORDER BY id",
	/* --- roster generation in bounded batches (issue 17, rostergen;
	 * 015) --- */
	/* STMT_SHIFT_INSERT_AT: STMT_SHIFT_INSERT with its id (?14) */
	"INSERT INTO shifts (station_id, counsellor_id, template_id, slot,"
	" start_at, end_at, status, origin, note, sequence, created_at,"
	" updated_at, pinned, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" ?10, ?11, ?12, ?13, ?14)",
	/* STMT_SHIFT_MAX_ID: the base of a run of ?1 shifts (PostgreSQL
	 * reserves them in the id sequence: pg_stmts) */
	"SELECT IFNULL(max(id), 0) FROM shifts WHERE ?1 > 0",
	/* STMT_ROSTER_SHIFTS_UNPUBLISH: a stopped run's shifts (?1, ?2] */
	"DELETE FROM shifts WHERE id > ?1 AND id <= ?2",
	/* STMT_ROSTER_RUN_INSERT: held from the start */
	"INSERT INTO roster_runs (user_id, started_at, hold_from, hold_to, held)"
	" VALUES (?1, ?2, ?3, ?4, 1)",
	/* STMT_ROSTER_RUN_HOLD: ?2 = 0 in the run's own transactions */
	"UPDATE roster_runs SET held = ?2 WHERE id = ?1",
	/* STMT_ROSTER_RUN_SHIFTS: its shifts are (?2, ?3] */
	"UPDATE roster_runs SET shift_lo = ?2, shift_hi = ?3 WHERE id = ?1",
	/* STMT_ROSTER_RUN_DELETE */
	"DELETE FROM roster_runs WHERE id = ?1",
	/* STMT_ROSTER_RUNS_LIST: the runs left unfinished (at start) */
	"SELECT id, user_id, started_at, IFNULL(shift_lo, 0),"
	" IFNULL(shift_hi, 0) FROM roster_runs ORDER BY id",
	/* --- several instances on one database (issue 16, multi; 016) --- */
	/* STMT_STATE_GET: the revision (PostgreSQL: bumped by every write
	 * transaction's BEGIN) and the fake clock's offset */
	"SELECT revision, clock_offset FROM hearth_state WHERE id = 1",
	/* STMT_STATE_CLOCK_SET */
	"UPDATE hearth_state SET clock_offset = ?1 WHERE id = 1",
	/* STMT_RATE_COUNT_GET: a fixed window's count (kind, key) */
	"SELECT count, window_start FROM rate_counts"
	" WHERE kind = ?1 AND key = ?2",
	/* STMT_RATE_COUNT_ADD: one more in the window at ?3 of ?4 s (a
	 * window that has ended starts again at ?3) */
	"INSERT INTO rate_counts AS r (kind, key, count, window_start)"
	" VALUES (?1, ?2, 1, ?3) ON CONFLICT (kind, key) DO UPDATE SET"
	" count = CASE WHEN ?3 - r.window_start >= ?4 THEN 1"
	" ELSE r.count + 1 END,"
	" window_start = CASE WHEN ?3 - r.window_start >= ?4 THEN ?3"
	" ELSE r.window_start END",
	/* STMT_RATE_COUNT_RESET */
	"UPDATE rate_counts SET count = 0 WHERE kind = ?1 AND key = ?2",
	/* STMT_RATE_TAKE: a token bucket of burst ?3 filling at ?4 a second,
	 * at time ?5: takes a token when there is one (took = 1) */
	"INSERT INTO rate_buckets AS b (kind, key, tokens, at, took)"
	" VALUES (?1, ?2, ?3 - 1, ?5, 1) ON CONFLICT (kind, key) DO UPDATE SET"
	" took = CASE WHEN min(?3, b.tokens + max(?5 - b.at, 0) * ?4) >= 1"
	" THEN 1 ELSE 0 END,"
	" tokens = min(?3, b.tokens + max(?5 - b.at, 0) * ?4) - CASE WHEN"
	" min(?3, b.tokens + max(?5 - b.at, 0) * ?4) >= 1 THEN 1 ELSE 0 END,"
	" at = max(?5, b.at) RETURNING took, tokens",
	/* STMT_RATE_COUNTS_PURGE: windows that began before ?1 */
	"DELETE FROM rate_counts WHERE window_start < ?1",
	/* STMT_RATE_BUCKETS_PURGE: buckets untouched since ?1 (full again) */
	"DELETE FROM rate_buckets WHERE at < ?1",
	/* --- outbox claims across instances (issue 16 item 3; 017) ----- */
	/* STMT_OUTBOX_CLAIM: a due row becomes ?2's, leased until ?3 */
	"UPDATE outbox SET status = 'sending', claimed_by = ?2,"
	" lease_until = ?3, attempts = ?4, claimed_at = ?5"
	" WHERE id = ?1 AND status IN ('pending', 'failed')",
	/* STMT_OUTBOX_FINISH: what came of a try, only while the claim is
	 * still ?8's (not taken back after its lease ran out) */
	"UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4,"
	" last_error = ?5, claimed_at = ?6, sent_at = ?7, lease_until = NULL,"
	" claim_session = NULL"
	" WHERE id = ?1 AND status = 'sending' AND claimed_by = ?8",
	/* --- whether a station / event id exists (branch dups2) ------- */
	/* STMT_STATION_EXISTS */
	"SELECT count(*) FROM stations WHERE id = ?",
	/* STMT_EVENT_EXISTS */
	"SELECT count(*) FROM events WHERE id = ?",
	/* --- a roster generation's period (issue 15 point 5, roster16) - */
	/* STMT_SHIFT_PERIOD: the shifts overlapping [?1, ?2), as
	 * STMT_SHIFT_LIST lists them; its bounds bare (no "?1 = 0 OR"), so
	 * that shifts_end finds them without a scan of every shift */
	"SELECT " SHIFT_COLS " FROM shifts s" SHIFT_JOINS
	" WHERE s.end_at > ?1 AND s.start_at < ?2"
	" ORDER BY s.start_at, s.station_id, s.id",
	/* --- registrations' keys (issue 15, regidx; 019) --------------- */
	/* STMT_REG_KEYS_MISSING: rows from before 019, ?1 at a time, the
	 * ids after ?2 (a range of the primary key, no walk from the
	 * start for each batch) */
	"SELECT id, email, phone FROM registrations WHERE id > ?2"
	" AND (email_key IS NULL OR phone_key IS NULL) ORDER BY id LIMIT ?1",
	/* STMT_REG_KEYS_SET: registration ?1's keys ('' for none) */
	"UPDATE registrations SET email_key = ?2, phone_key = ?3 WHERE id = ?1",
	/* --- a request's savepoint in a batch (ROUTE_BATCH, surveycpu) -- */
	/* STMT_SAVEPOINT */ "SAVEPOINT request",
	/* STMT_RELEASE */ "RELEASE SAVEPOINT request",
	/* STMT_ROLLBACK_TO */ "ROLLBACK TO SAVEPOINT request",
	/* --- a roster's shifts in one statement (pgroster) --- */
	/* STMT_SHIFT_INSERT_MANY: ?1 a JSON array of shifts, each an
	 * object of the columns (PostgreSQL runs its own: pg_stmts; SQLite
	 * inserts a row at a time) */
	"INSERT INTO shifts (id, station_id, counsellor_id, template_id, slot,"
	" start_at, end_at, status, origin, note, sequence, created_at,"
	" updated_at, pinned) SELECT json_extract(value, '$.id'),"
	" json_extract(value, '$.station_id'),"
	" json_extract(value, '$.counsellor_id'),"
	" json_extract(value, '$.template_id'), json_extract(value, '$.slot'),"
	" json_extract(value, '$.start_at'), json_extract(value, '$.end_at'),"
	" json_extract(value, '$.status'), json_extract(value, '$.origin'),"
	" json_extract(value, '$.note'), json_extract(value, '$.sequence'),"
	" json_extract(value, '$.created_at'),"
	" json_extract(value, '$.updated_at'), json_extract(value, '$.pinned')"
	" FROM json_each(?1)",
};
/* clang-format on */

/* PostgreSQL's own SQL where the dialects differ more than the
 * translation (driver.c) covers; the rest runs translated. */
/* clang-format off */
static const char *const pg_stmts[STMT__MAX] = {
	/* One writer at a time across every instance on the database, as
	 * SQLite's BEGIN IMMEDIATE gives within one file: a transaction
	 * lock that COMMIT and ROLLBACK release. Its COMMIT does not wait
	 * for the flush (a lock is given back only after it), so that the
	 * next writer need not: store_commit waits for it after, outside
	 * the lock (issue 15, pgwrite). */
	[STMT_BEGIN] = "BEGIN; SET LOCAL synchronous_commit = off;"
	" SELECT pg_advisory_xact_lock(16);"
	" UPDATE hearth_state SET revision = revision + 1 WHERE id = 1",
	[STMT_BEGIN_DEFERRED] = "BEGIN",
	/* Integers are no booleans; COLLATE NOCASE is lower() (the unique
	 * indexes of the baseline are on lower(column)). */
	[STMT_USER_GET_BY_NAME] =
	"SELECT u.id, u.username, u.password_hash, u.role, u.counsellor_id,"
	" u.active = 1 AND (u.counsellor_id IS NULL OR EXISTS (SELECT 1 FROM"
	" counsellors c WHERE c.id = u.counsellor_id AND c.active = 1))"
	" FROM users u WHERE lower(u.username) = lower(?)",
	[STMT_STATION_GET_BY_CODE] =
	"SELECT id, code, name, kind, address, timezone, active, created_at,"
	" updated_at FROM stations WHERE lower(code) = lower(?)",
	[STMT_SRC_EVENTS_HELD] =
	"SELECT count(*) FROM events e LEFT JOIN stations s ON s.id = e.station_id"
	" WHERE e.status = 'held' AND e.start_at >= ?1 AND e.start_at < ?2"
	" AND (?3 IS NULL OR e.kind = ?3) AND (?4 IS NULL OR e.audience = ?4)"
	" AND (?5 IS NULL OR lower(s.code) = lower(?5))",
	/* The import gives ids after the largest (?1 + seq): move the id
	 * sequence past the staged rows so later inserts do not meet them;
	 * the base returned is the same as SQLite's max(id) or above. */
	[STMT_STATION_MAX_ID] =
	"SELECT setval(pg_get_serial_sequence('stations', 'id'),"
	" GREATEST(GREATEST((SELECT COALESCE(max(id), 0) FROM stations),"
	" COALESCE(pg_sequence_last_value(pg_get_serial_sequence('stations',"
	" 'id')::regclass), 0)) + (SELECT count(*) FROM temp.import_stations),"
	" 1)) - (SELECT count(*) FROM temp.import_stations)",
	[STMT_EVENT_MAX_ID] =
	"SELECT setval(pg_get_serial_sequence('events', 'id'),"
	" GREATEST(GREATEST((SELECT COALESCE(max(id), 0) FROM events),"
	" COALESCE(pg_sequence_last_value(pg_get_serial_sequence('events',"
	" 'id')::regclass), 0)) + (SELECT count(*) FROM temp.import_events),"
	" 1)) - (SELECT count(*) FROM temp.import_events)",
	/* ON CONFLICT … DO UPDATE names the table's own columns. */
	[STMT_IND_PERIOD_SET] =
	"INSERT INTO indicator_periods AS p (indicator_id, period_from,"
	" period_to, target_op, target_value, target_unit, target_text, weight,"
	" rule, value, rating, marks, score, note, entered_by, entered_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" IFNULL(?14, ''), ?15, ?16)"
	" ON CONFLICT(indicator_id, period_from, period_to) DO UPDATE SET"
	" target_op = COALESCE(?4, p.target_op),"
	" target_value = COALESCE(?5, p.target_value),"
	" target_unit = COALESCE(?6, p.target_unit),"
	" target_text = COALESCE(?7, p.target_text),"
	" weight = COALESCE(?8, p.weight), rule = COALESCE(?9, p.rule),"
	" value = CASE ?17 WHEN 1 THEN ?10 WHEN 2 THEN NULL ELSE p.value END,"
	" rating = CASE ?18 WHEN 1 THEN ?11 WHEN 2 THEN NULL ELSE p.rating END,"
	" marks = CASE ?19 WHEN 1 THEN ?12 WHEN 2 THEN NULL ELSE p.marks END,"
	" score = CASE ?20 WHEN 1 THEN ?13 WHEN 2 THEN NULL ELSE p.score END,"
	" note = COALESCE(?14, p.note), entered_by = ?15, entered_at = ?16",
	[STMT_FEED_FETCH_RECORD] =
	"INSERT INTO feed_fetches AS f (feed, last_fetch_at, user_agent,"
	" count_200, count_304) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(feed)"
	" DO UPDATE SET last_fetch_at = ?2, user_agent = ?3,"
	" count_200 = f.count_200 + ?4, count_304 = f.count_304 + ?5",
	[STMT_FOLLOW_UP_LIST] =
	"SELECT " FOLLOW_UP_COLS " WHERE (?1 = 0 OR f.case_id = ?1)"
	" AND (?2 = 0 OR f.counsellor_id = ?2) AND (?3 = 0 OR f.due_at >= ?3)"
	" AND (?4 = 0 OR f.due_at < ?4) AND (?5 = 1 OR f.cancelled_at IS NULL)"
	" AND (?6 = -1 OR (f.done_at IS NOT NULL)::int = ?6)"
	" ORDER BY f.due_at, f.id",
	[STMT_OUTBOX_REG_CHANNELS] =
	"SELECT registration_id, channel, count(*),"
	" sum((status = 'sent')::int)"
	" FROM outbox WHERE event_id = ?1 AND registration_id IS NOT NULL"
	" AND status != 'skipped' GROUP BY registration_id, channel"
	" ORDER BY registration_id, channel",
	/* Several instances (issue 16, multi): least/greatest are
	 * PostgreSQL's min/max of values; the parameters are numbers. */
	[STMT_RATE_TAKE] =
	"INSERT INTO rate_buckets AS b (kind, key, tokens, at, took)"
	" VALUES (?1, ?2, ?3::float8 - 1, ?5::float8, 1)"
	" ON CONFLICT (kind, key) DO UPDATE SET"
	" took = CASE WHEN least(?3::float8, b.tokens + greatest(?5::float8"
	" - b.at, 0) * ?4::float8) >= 1 THEN 1 ELSE 0 END,"
	" tokens = least(?3::float8, b.tokens + greatest(?5::float8 - b.at, 0)"
	" * ?4::float8) - CASE WHEN least(?3::float8, b.tokens +"
	" greatest(?5::float8 - b.at, 0) * ?4::float8) >= 1 THEN 1 ELSE 0 END,"
	" at = greatest(?5::float8, b.at) RETURNING took, tokens",
	/* Outbox claims across instances (issue 16 item 3): the row is
	 * locked until the claim commits; a row another instance is
	 * claiming is passed over, not waited for. */
	[STMT_OUTBOX_NEXT_DUE] =
	"SELECT " OUTBOX_COLS " FROM outbox WHERE status IN ('pending', 'failed')"
	" AND next_attempt_at <= ?1 AND channel = ?2"
	" ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE OF outbox SKIP LOCKED",
	/* The claim names its connection too (017's claim_session)… */
	[STMT_OUTBOX_CLAIM] =
	"UPDATE outbox SET status = 'sending', claimed_by = ?2,"
	" lease_until = ?3, attempts = ?4, claimed_at = ?5,"
	" claim_session = (SELECT pid::text || ':' || backend_start::text"
	" FROM pg_stat_activity WHERE pid = pg_backend_pid())"
	" WHERE id = ?1 AND status IN ('pending', 'failed')",
	/* … and a claim whose connection is gone (the instance was killed:
	 * the server closed its session) is over before its lease. */
	[STMT_OUTBOX_RECOVER] =
	"UPDATE outbox SET status = 'pending', next_attempt_at = ?1,"
	" claimed_by = NULL, lease_until = NULL, claim_session = NULL"
	" WHERE status = 'sending' AND channel = ?2 AND (?4 = 1"
	" OR claimed_by IS NULL OR claimed_by = ?3 OR lease_until IS NULL"
	" OR lease_until <= ?1 OR claim_session NOT IN (SELECT pid::text"
	" || ':' || backend_start::text FROM pg_stat_activity"
	" WHERE backend_start IS NOT NULL))",
	/* A roster notice still gathering is locked by the change that
	 * adds to it: a claim (which takes no other lock) passes it over
	 * meanwhile, and a change that meets a claim in progress waits for
	 * it and then finds the notice claimed, so it starts a new one
	 * instead of adding lines to a message already on its way. */
	[STMT_OUTBOX_OPEN_ROSTER] =
	"SELECT " OUTBOX_COLS " FROM outbox WHERE kind = 'roster'"
	" AND counsellor_id = ? AND status = 'pending' AND attempts = 0"
	" AND channel = 'email' ORDER BY id DESC LIMIT 1 FOR UPDATE OF outbox",
	[STMT_OUTBOX_OPEN_ROBOT_ROSTER] =
	"SELECT " OUTBOX_COLS " FROM outbox WHERE kind = 'roster'"
	" AND channel = ?1 AND IFNULL(station_id, 0) = ?2"
	" AND status = 'pending' AND attempts = 0 ORDER BY id DESC LIMIT 1"
	" FOR UPDATE OF outbox",
	/* A roster generation's ids in batches (issue 17, pgbatch): as the
	 * import's above, the ?1 shifts' ids taken from the sequence in the
	 * first batch (under the writer's lock), so every other writer's
	 * shift gets an id above them. */
	[STMT_SHIFT_MAX_ID] =
	"SELECT setval(pg_get_serial_sequence('shifts', 'id'),"
	" GREATEST((SELECT COALESCE(max(id), 0) FROM shifts),"
	" COALESCE(pg_sequence_last_value(pg_get_serial_sequence('shifts',"
	" 'id')::regclass), 0)) + ?1) - ?1",
	/* A roster's shifts in one statement (pgroster): the objects of
	 * the JSON array ?1 (json_to_recordset: each parsed once; ->> by
	 * position on json parses a row again for each column). */
	[STMT_SHIFT_INSERT_MANY] =
	"INSERT INTO shifts (id, station_id, counsellor_id, template_id, slot,"
	" start_at, end_at, status, origin, note, sequence, created_at,"
	" updated_at, pinned) SELECT id, station_id, counsellor_id,"
	" template_id, slot, start_at, end_at, status, origin, note, sequence,"
	" created_at, updated_at, pinned FROM json_to_recordset(?1::json)"
	" AS r(id bigint, station_id bigint, counsellor_id bigint,"
	" template_id bigint, slot bigint, start_at bigint, end_at bigint,"
	" status text, origin text, note text, sequence bigint,"
	" created_at bigint, updated_at bigint, pinned bigint)",
};
/* clang-format on */

static struct store_config config;
static char *config_path;
static enum db_kind config_kind;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *registry;
static _Thread_local struct store *thread_store;
/* Connections store_thread opened (a test of the outbox worker counts
 * them: a busy worker keeps its own). */
static atomic_long thread_opens;
static atomic_int_fast64_t revision = 1;
static void (*outbox_hook)(time_t due);
/* Issue 16 (shared.c): what runs at the end of each transaction. */
static _Atomic(void (*)(struct store *, int)) tx_end_hook;

static void
tx_end(struct store *st, int committed)
{
	void (*hook)(struct store *, int) = atomic_load(&tx_end_hook);

	if (hook != NULL)
		hook(st, committed);
}
/* One writer at a time inside this process: a thread waits here for its
 * turn instead of in SQLite's busy handler, which sleeps in growing
 * steps and can time out under load. A ticket lock: writers go in the
 * order they asked (FIFO), so a short write waits behind the writers
 * already queued and never behind an unbounded stream of later ones (a
 * plain mutex lets a releasing thread take it straight back). */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t turn;
	uint64_t next, serving;
} write_lock = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void
write_lock_take(void)
{
	uint64_t mine;

	pthread_mutex_lock(&write_lock.mu);
	mine = write_lock.next++;
	while (write_lock.serving != mine)
		pthread_cond_wait(&write_lock.turn, &write_lock.mu);
	pthread_mutex_unlock(&write_lock.mu);
}

static void
write_lock_give(void)
{
	pthread_mutex_lock(&write_lock.mu);
	write_lock.serving++;
	pthread_cond_broadcast(&write_lock.turn);
	pthread_mutex_unlock(&write_lock.mu);
}

/*
 * Group commit. With synchronous=full (the default) a commit is
 * acknowledged only once its WAL frames are on the disk, but the fsync
 * does not happen inside SQLite's commit, under the write lock, once per
 * transaction: each connection runs with synchronous=NORMAL (the commit
 * writes its frames and returns), its WAL hook numbers the commit, and
 * the committing thread then waits in wal_sync, after it gave the write
 * lock back, until a sync of the WAL that began after its frames were
 * written has finished. The first waiter syncs for everyone whose
 * frames are written by then (the leader); the others wait for it, and
 * the next writer meanwhile runs its transaction. Every write is still
 * its own transaction; concurrent writes share one fsync. Checkpoints
 * sync the WAL before they copy it and the database after, so frames a
 * checkpoint took are durable too. Autocommit writes outside
 * store_begin wait in the hook itself.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t done;
	uint64_t committed; /* commits whose frames are written */
	uint64_t synced;    /* commits known to be on the disk */
	uint64_t syncs;     /* fsyncs of the WAL done here */
	int busy;           /* a leader's sync is under way */
} group = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0};

/* SQLite's own auto-checkpoint threshold, which a WAL hook replaces. */
#define WAL_CHECKPOINT_PAGES 1000

static void say(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(enum log_level l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (config.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	config.log(l, "%s", buf);
}

int
store_fail(struct store *st, const char *what)
{
	const char *msg = "no connection";

	if (st != NULL) {
		st->last_error = st->step_err ? st->step_err : DBE_OTHER;
		if (st->kind == DB_SQLITE && st->db != NULL)
			msg = sqlite3_errmsg(st->db);
		else if (st->kind == DB_PG && st->errmsg != NULL)
			msg = st->errmsg;
	}
	say(LOG_ERROR, "msg=\"store: %s\" err=\"%s\"", what, msg);
	return -1;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		say(LOG_ERROR, "msg=\"store: %.120s\" err=\"%s\"", sql,
		    err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return 0;
	}
	return 1;
}

/* A savepoint's undo (its statement journal) is kept in memory, in
 * small chunks (issue 15). SQLite's default spills it to a temporary
 * file past 64 KiB and allocates it 64 KiB at a time: one registration's
 * savepoint in a batch journals 20 to 50 pages, so each went to a file
 * page by page (a third of the batch thread's time in pwrite) and each
 * savepoint's buffer came and went with brk. What it holds lasts one
 * statement or one savepoint: the pages it changes that the transaction
 * had changed before. */
static void
sqlite_configure(void)
{
	/* Before SQLite's initialisation; later it answers SQLITE_MISUSE
	 * and keeps the default (a test that opened a database first). */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
}

/* Opens a connection with the pragmas every connection needs. */
static sqlite3 *
open_db(const char *path, int flags)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	sqlite3 *db = NULL;

	pthread_once(&configured, sqlite_configure);
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		say(LOG_ERROR, "msg=\"store: cannot open %s\" err=\"%s\"", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	if (!store_fp_register(db)) {
		sqlite3_close(db);
		return NULL;
	}
	/* LIBNOTES: the busy timeout must come before journal_mode=WAL. */
	sqlite3_busy_timeout(db, 5000);
	if (!exec(db, "PRAGMA journal_mode=WAL") ||
	    !exec(db, "PRAGMA foreign_keys=ON") ||
	    !exec(db,
	        config.synchronous_full ? "PRAGMA synchronous=FULL"
	                                : "PRAGMA synchronous=NORMAL")) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* A PostgreSQL connection; the URI may name several hosts. */
static PGconn *
open_pg(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	char *msg, *nl;

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		msg = strdup(c ? PQerrorMessage(c) : "out of memory");
		if (msg != NULL && (nl = strchr(msg, '\n')) != NULL)
			*nl = '\0';
		say(LOG_ERROR,
		    "msg=\"store: cannot connect to PostgreSQL\" "
		    "err=\"%s\"",
		    msg ? msg : "");
		free(msg);
		PQfinish(c);
		return NULL;
	}
	/* Notices (a temp table that exists already) are not news. */
	r = PQexec(c, "SET client_min_messages = warning");
	PQclear(r);
	return c;
}

/* Whether the foreign keys of the whole database hold: 1 yes, 0 a
 * violation (logged), -1 failure. Migrations run with foreign keys off
 * (so a table can be rebuilt without its cascades firing, SQLite's
 * "12-step" procedure) and check them before they commit. */
static int
foreign_keys_hold(sqlite3 *db)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		say(LOG_ERROR,
		    "msg=\"store: migration breaks a foreign key\" "
		    "table=%s rowid=%lld parent=%s",
		    (const char *)sqlite3_column_text(s, 0),
		    (long long)sqlite3_column_int64(s, 1),
		    (const char *)sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The number a migration file name starts with: "001_init.sql" is 1. */
static int
migration_number(const char *name)
{
	const char *base = strrchr(name, '/');
	int n = 0;

	base = base ? base + 1 : name;
	if (base[0] < '0' || base[0] > '9')
		return -1;
	while (*base >= '0' && *base <= '9' && n < 100000)
		n = n * 10 + (*base++ - '0');
	return *base == '_' ? n : -1;
}

int
store_schema_version(void)
{
	int n = 0;
	size_t i;

	for (i = 0; i < embed_schema_n; i++)
		if (migration_number(embed_schema[i].name) > n)
			n = migration_number(embed_schema[i].name);
	return n;
}

static char *
embedded_text(const struct embedded_file *f)
{
	char *sql = malloc(f->size + 1);

	if (sql != NULL) {
		memcpy(sql, f->data, f->size);
		sql[f->size] = '\0';
	}
	return sql;
}

static int
pg_ok(PGconn *c, PGresult *r, const char *what)
{
	ExecStatusType t = PQresultStatus(r);
	char *msg, *nl;

	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return 1;
	msg = strdup(PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r)
	                                        : PQerrorMessage(c));
	if (msg != NULL && (nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	say(LOG_ERROR, "msg=\"store: %s\" err=\"%s\"", what, msg ? msg : "");
	free(msg);
	return 0;
}

/* --- long writes in batches on PostgreSQL too (issue 17, pgbatch) --- */

int
store_unpublish_range(struct store *st, enum stmt which, int64_t base, size_t n,
    const char *what)
{
	struct dbstmt *s;

	if (base < 0)
		return 1;
	if ((s = store_stmt(st, which)) == NULL)
		return -1;
	db_bind_int64(s, 1, base);
	db_bind_int64(s, 2, base + (int64_t)n);
	return store_step_write(st, s, what) > 0 ? 1 : -1;
}

void
store_bulk_begin(struct store *st)
{
	st->bulk = 1;
}

int
store_bulk_end(struct store *st)
{
	st->bulk = 0;
	return db_pg_flush(st) ? 1 : store_fail(st, "batch of writes");
}

/* The advisory lock of a run's claim: (18, run) an import's, (19, run) a
 * roster generation's (two-key locks: apart from the writer's 16 and the
 * migrations' 15). */
static void
run_key(char *q, size_t sz, const char *fn, enum stmt which, int64_t run)
{
	snprintf(q, sz, "SELECT %s(%d, %d)", fn,
	    which == STMT_IMPORT_RUN_DELETE ? 18 : 19, (int)(run & 0x7fffffff));
}

int
store_run_claim(struct store *st, enum stmt which, int64_t run)
{
	char q[80];

	if (st->kind != DB_PG || run <= 0)
		return 1;
	run_key(q, sizeof(q), "pg_advisory_lock", which, run);
	if (!db_pg_command(st, q, NULL))
		return store_fail(st, "run claim");
	st->claim_generation = st->generation;
	return 1;
}

/* The first column of q's one row on st's connection is true: 1, 0, or
 * -1 failed (logged). */
static int
pg_true(struct store *st, const char *q, const char *what)
{
	PGresult *r = NULL;
	int yes;

	if (!db_pg_command(st, q, &r))
		return store_fail(st, what);
	yes = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return yes;
}

int
store_run_reclaim(struct store *st, enum stmt which, int64_t run)
{
	int imp = which == STMT_IMPORT_RUN_DELETE, rc;
	char q[120];

	if (st->kind != DB_PG || run <= 0 ||
	    st->claim_generation == st->generation)
		return 1;
	run_key(q, sizeof(q), "pg_try_advisory_lock", which, run);
	if ((rc = pg_true(st, q, "run claim again")) < 0)
		return -1;
	/* Held: no undo is under way; was one done meanwhile? */
	if (rc > 0) {
		snprintf(q, sizeof(q),
		    "SELECT EXISTS (SELECT 1 FROM %s WHERE id "
		    "= %lld)",
		    imp ? "import_runs" : "roster_runs", (long long)run);
		if ((rc = pg_true(st, q, "run record")) < 0)
			return -1;
		if (rc == 0)
			store_run_unclaim(st, which, run);
	}
	if (rc == 0) {
		say(LOG_ERROR,
		    "msg=\"store: a run lost its claim with its connection "
		    "and another instance has it or undid it: stopped\" "
		    "run=%lld kind=%s",
		    (long long)run, imp ? "import" : "roster");
		st->last_error = DBE_LOST;
		return 0;
	}
	st->claim_generation = st->generation;
	return 1;
}

void
store_run_unclaim(struct store *st, enum stmt which, int64_t run)
{
	char q[80];

	if (st->kind != DB_PG || run <= 0)
		return;
	run_key(q, sizeof(q), "pg_advisory_unlock", which, run);
	if (!db_pg_command(st, q, NULL))
		store_fail(st, "run unclaim");
}

/* A statement of the table run on the migrations' connection c with
 * its n parameters as text (their types the server's guess); its
 * result, or NULL (logged). */
static PGresult *
pg_run_stmt(PGconn *c, enum stmt which, int n, const char *const *vals)
{
	unsigned char refs[DB_MAXPARAMS];
	int np;
	char *sql = db_pg_translate(pg_stmts[which] != NULL ? pg_stmts[which]
	                                                    : stmts[which],
	    &np, refs, DB_MAXPARAMS);
	PGresult *r;

	if (sql == NULL)
		return NULL;
	r = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	free(sql);
	if (!pg_ok(c, r, "undo of a run stopped between its batches")) {
		PQclear(r);
		return NULL;
	}
	return r;
}

/* Deletes ids (lo, hi] with which; the rows deleted, or -1. */
static int64_t
pg_run_delete(PGconn *c, enum stmt which, const char *lo, const char *hi)
{
	const char *v[2] = {lo, hi};
	PGresult *r = pg_run_stmt(c, which, hi != NULL ? 2 : 1, v);
	int64_t n;

	if (r == NULL)
		return -1;
	n = atoll(PQcmdTuples(r));
	PQclear(r);
	return n;
}

/* Whether run's process is gone: its claim (store_run_claim) can be
 * taken. A process killed a moment ago may still have its server
 * session for a little while: up to 3 s. */
static int
pg_run_gone(PGconn *c, enum stmt which, int64_t run)
{
	char q[80];
	PGresult *r;
	int i, got = 0;

	run_key(q, sizeof(q), "pg_try_advisory_lock", which, run);
	for (i = 0; i < 60 && !got; i++) {
		if (i > 0)
			usleep(50000);
		r = PQexec(c, q);
		if (!pg_ok(c, r, "run claim"))
			got = -1;
		else
			got = PQgetvalue(r, 0, 0)[0] == 't';
		PQclear(r);
	}
	return got;
}

/*
 * store_migrate's undo (undo_runs on SQLite) on PostgreSQL, in the
 * migrations' transaction: every import and roster generation left
 * between its batches by a process that is gone is undone, logged and
 * audited as on SQLite. A run whose claim is still held is another
 * instance's, still writing: left to it. 1, or 0 on failure.
 */
static int
pg_undo_runs(PGconn *c)
{
	PGresult *r = NULL, *a;
	int kind, i, locked = 0, bad;
	int64_t id, n1 = 0, n2;
	char detail[160], at[24];
	const char *v[6];

	for (kind = 0; kind < 2; kind++) {
		int imp = kind == 0;
		enum stmt del = imp ? STMT_IMPORT_RUN_DELETE
		                    : STMT_ROSTER_RUN_DELETE;

		if ((r = pg_run_stmt(c,
		         imp ? STMT_IMPORT_RUNS_LIST : STMT_ROSTER_RUNS_LIST, 0,
		         NULL)) == NULL)
			return 0;
		for (i = 0; i < PQntuples(r); i++) {
			id = atoll(PQgetvalue(r, i, 0));
			if (!pg_run_gone(c, del, id)) {
				say(LOG_WARN,
				    "msg=\"store: a run between its batches is "
				    "another instance's, left to it\" run=%lld "
				    "kind=%s",
				    (long long)id, imp ? "import" : "roster");
				continue;
			}
			/* The writer's lock and revision, as STMT_BEGIN. */
			if (!locked) {
				a = PQexec(c,
				    "SELECT pg_advisory_xact_lock(16); UPDATE "
				    "hearth_state SET revision = revision + 1 "
				    "WHERE id = 1");
				locked = pg_ok(c, a, "undo lock");
				PQclear(a);
				if (!locked)
					goto fail;
			}
			v[0] = PQgetvalue(r, i, 0);
			n2 = 0;
			/* Roster: the record first (the holds refuse the
			 * deletes while it is there). */
			if (imp)
				bad = (n1 = pg_run_delete(c,
				           STMT_IMPORT_EVENTS_UNPUBLISH,
				           PQgetvalue(r, i, 5),
				           PQgetvalue(r, i, 6))) < 0 ||
				    (n2 = pg_run_delete(c,
				         STMT_IMPORT_STATIONS_UNPUBLISH,
				         PQgetvalue(r, i, 3),
				         PQgetvalue(r, i, 4))) < 0 ||
				    pg_run_delete(c, del, v[0], NULL) < 0;
			else
				bad = pg_run_delete(c, del, v[0], NULL) < 0 ||
				    (n1 = pg_run_delete(c,
				         STMT_ROSTER_SHIFTS_UNPUBLISH,
				         PQgetvalue(r, i, 3),
				         PQgetvalue(r, i, 4))) < 0;
			if (bad)
				goto fail;
			if (imp)
				snprintf(detail, sizeof(detail),
				    "{\"run\":%s,\"started_at\":%s,"
				    "\"events\":%lld,\"stations\":%lld}",
				    v[0], PQgetvalue(r, i, 2), (long long)n1,
				    (long long)n2);
			else
				snprintf(detail, sizeof(detail),
				    "{\"run\":%s,\"started_at\":%s,"
				    "\"shifts\":%lld}",
				    v[0], PQgetvalue(r, i, 2), (long long)n1);
			snprintf(at, sizeof(at), "%lld", (long long)time(NULL));
			v[0] = at;
			v[1] = PQgetisnull(r, i, 1) ? NULL
			                            : PQgetvalue(r, i, 1);
			v[2] = imp ? "import_undo" : "roster_undo";
			v[3] = imp ? "event" : "roster";
			v[4] = NULL;
			v[5] = detail;
			if ((a = pg_run_stmt(c, STMT_AUDIT_INSERT, 6, v)) ==
			    NULL)
				goto fail;
			PQclear(a);
			if (imp)
				say(LOG_WARN,
				    "msg=\"store: undid an import stopped "
				    "between its batches\" run=%s started_at=%s "
				    "events=%lld stations=%lld",
				    PQgetvalue(r, i, 0), PQgetvalue(r, i, 2),
				    (long long)n1, (long long)n2);
			else
				say(LOG_WARN,
				    "msg=\"store: undid a roster generation "
				    "stopped between its batches\" run=%s "
				    "started_at=%s shifts=%lld",
				    PQgetvalue(r, i, 0), PQgetvalue(r, i, 2),
				    (long long)n1);
		}
		PQclear(r);
	}
	return 1;
fail:
	say(LOG_ERROR,
	    "msg=\"store: cannot undo a run stopped between its batches\"");
	PQclear(r);
	return 0;
}

/*
 * PostgreSQL's migrations (schema/pg/, embed_schema_pg) in one
 * transaction under an advisory lock, so instances starting together
 * apply them once. The files are numbered as SQLite's; a file may cover
 * several SQLite numbers (the baseline covers 001–012), so they apply in
 * order from the first number above the recorded version.
 */
static int
pg_migrate(const char *uri)
{
	PGconn *c;
	PGresult *r = NULL;
	int have = 0, want = 0, n, best, ok = 0;
	size_t i, pick;
	char *sql = NULL, q[96];

	for (i = 0; i < embed_schema_pg_n; i++)
		if (migration_number(embed_schema_pg[i].name) > want)
			want = migration_number(embed_schema_pg[i].name);
	if (want != store_schema_version()) {
		say(LOG_ERROR,
		    "msg=\"store: the PostgreSQL migrations lag "
		    "SQLite's\" pg=%d sqlite=%d",
		    want, store_schema_version());
		return -1;
	}
	if ((c = open_pg(uri)) == NULL)
		return -1;
	r = PQexec(c,
	    "BEGIN; SELECT pg_advisory_xact_lock(15);"
	    " CREATE TABLE IF NOT EXISTS hearth_schema (version integer"
	    " NOT NULL); SELECT coalesce(max(version), 0) FROM hearth_schema");
	if (!pg_ok(c, r, "schema version"))
		goto out;
	have = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	r = NULL;
	if (have > want) {
		say(LOG_ERROR,
		    "msg=\"store: database schema is newer than "
		    "this binary\" have=%d want=%d",
		    have, want);
		goto out;
	}
	for (n = have; n < want; n = best) {
		best = 0;
		pick = 0;
		for (i = 0; i < embed_schema_pg_n; i++) {
			int m = migration_number(embed_schema_pg[i].name);

			if (m > n && (best == 0 || m < best)) {
				best = m;
				pick = i;
			}
		}
		free(sql);
		if ((sql = embedded_text(&embed_schema_pg[pick])) == NULL)
			goto out;
		r = PQexec(c, sql);
		if (!pg_ok(c, r, embed_schema_pg[pick].name))
			goto out;
		PQclear(r);
		snprintf(q, sizeof(q),
		    "DELETE FROM hearth_schema;"
		    " INSERT INTO hearth_schema VALUES (%d)",
		    best);
		r = PQexec(c, q);
		if (!pg_ok(c, r, "schema version"))
			goto out;
		PQclear(r);
		r = NULL;
		say(LOG_INFO, "msg=\"store: applied migration\" file=%s",
		    embed_schema_pg[pick].name);
	}
	/* Before serving: no run left half published (issue 17, pgbatch). */
	if (!pg_undo_runs(c))
		goto out;
	r = PQexec(c, "COMMIT");
	ok = pg_ok(c, r, "migration commit");
out:
	PQclear(r);
	free(sql);
	PQfinish(c);
	return ok ? want : -1;
}

/* One statement of the recovery below, its ids bound: 1 done, 0 not. */
static int
undo_step(sqlite3 *db, enum stmt which, int64_t a, int64_t b, int *changes)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, stmts[which], -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, a);
	if (which != STMT_IMPORT_RUN_DELETE && which != STMT_ROSTER_RUN_DELETE)
		sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (changes != NULL)
		*changes = sqlite3_changes(db);
	return rc == SQLITE_DONE;
}

/* One run left by a stop between its batches, read from its list
 * statement's row: undone, logged, its audit detail in detail. 1, or 0
 * on failure. */
typedef int (*undo_run_fn)(sqlite3 *db, sqlite3_stmt *row, char *detail,
    size_t sz);

/*
 * The imports stopped between their batches (014_import_runs.sql): the
 * run's events (their history and speakers with them: ON DELETE
 * CASCADE) and stations are deleted. Triggers kept other writers from
 * referencing those rows, so the deletes cannot fail on a foreign key.
 */
static int
undo_import_run(sqlite3 *db, sqlite3_stmt *row, char *detail, size_t sz)
{
	int64_t id = sqlite3_column_int64(row, 0);
	int64_t started = sqlite3_column_int64(row, 2);
	int ne = 0, ns = 0;

	if (!undo_step(db, STMT_IMPORT_EVENTS_UNPUBLISH,
	        sqlite3_column_int64(row, 5), sqlite3_column_int64(row, 6),
	        &ne) ||
	    !undo_step(db, STMT_IMPORT_STATIONS_UNPUBLISH,
	        sqlite3_column_int64(row, 3), sqlite3_column_int64(row, 4),
	        &ns) ||
	    !undo_step(db, STMT_IMPORT_RUN_DELETE, id, 0, NULL))
		return 0;
	snprintf(detail, sz,
	    "{\"run\":%lld,\"started_at\":%lld,\"events\":%d,"
	    "\"stations\":%d}",
	    (long long)id, (long long)started, ne, ns);
	say(LOG_WARN,
	    "msg=\"store: undid an import stopped between its batches\" "
	    "run=%lld started_at=%lld events=%d stations=%d",
	    (long long)id, (long long)started, ne, ns);
	return 1;
}

/*
 * The roster generations stopped between their batches
 * (015_roster_runs.sql): the run's shifts are deleted. No notice of a
 * run was queued (its last transaction queues them) and 015's triggers
 * kept other writers from referencing its shifts.
 */
static int
undo_roster_run(sqlite3 *db, sqlite3_stmt *row, char *detail, size_t sz)
{
	int64_t id = sqlite3_column_int64(row, 0);
	int64_t started = sqlite3_column_int64(row, 2);
	int n = 0;

	/* The record first: while it is there 015 refuses these deletes. */
	if (!undo_step(db, STMT_ROSTER_RUN_DELETE, id, 0, NULL) ||
	    !undo_step(db, STMT_ROSTER_SHIFTS_UNPUBLISH,
	        sqlite3_column_int64(row, 3), sqlite3_column_int64(row, 4), &n))
		return 0;
	snprintf(detail, sz, "{\"run\":%lld,\"started_at\":%lld,\"shifts\":%d}",
	    (long long)id, (long long)started, n);
	say(LOG_WARN,
	    "msg=\"store: undid a roster generation stopped between its "
	    "batches\" run=%lld started_at=%lld shifts=%d",
	    (long long)id, (long long)started, n);
	return 1;
}

/*
 * Every run the list statement names (column 1: its user) undone by
 * undo_one and audited as action on entity, in one transaction for
 * all. 1, or 0 on failure (nothing undone: the start stops).
 */
static int
undo_runs(sqlite3 *db, enum stmt list, const char *action, const char *entity,
    const char *what, undo_run_fn undo_one)
{
	sqlite3_stmt *s = NULL, *a = NULL;
	int64_t user;
	int rc;
	char detail[160];

	if (!exec(db, "PRAGMA foreign_keys=ON") || !exec(db, "BEGIN IMMEDIATE"))
		return 0;
	if (sqlite3_prepare_v2(db, stmts[list], -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, stmts[STMT_AUDIT_INSERT], -1, &a, NULL) !=
	        SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		user = sqlite3_column_int64(s, 1);
		if (!undo_one(db, s, detail, sizeof(detail)))
			goto fail;
		sqlite3_reset(a);
		sqlite3_bind_int64(a, 1, (int64_t)time(NULL));
		if (user > 0)
			sqlite3_bind_int64(a, 2, user);
		else
			sqlite3_bind_null(a, 2);
		sqlite3_bind_text(a, 3, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(a, 4, entity, -1, SQLITE_STATIC);
		sqlite3_bind_null(a, 5);
		sqlite3_bind_text(a, 6, detail, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(a) != SQLITE_DONE)
			goto fail;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	sqlite3_finalize(a);
	return exec(db, "COMMIT");
fail:
	say(LOG_ERROR,
	    "msg=\"store: cannot undo %s stopped between its batches\" "
	    "err=\"%s\"",
	    what, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_finalize(a);
	exec(db, "ROLLBACK");
	return 0;
}

int
store_migrate(const struct store_config *cfg)
{
	sqlite3 *db;
	int have, want, n;
	size_t i;
	char *sql = NULL, pragma[64];

	config.log = cfg->log;
	config.synchronous_full = cfg->synchronous_full;
	/* The table is sized by the enum: a forgotten entry is NULL. */
	for (n = 0; n < STMT__MAX; n++)
		if (stmts[n] == NULL) {
			say(LOG_ERROR, "msg=\"store: statement %d has no SQL\"",
			    n);
			return -1;
		}
	if (db_is_pg(cfg->path))
		return pg_migrate(cfg->path);
	if ((db = open_db(cfg->path,
	         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) == NULL)
		return -1;
	/* Outside a transaction, or SQLite ignores it. */
	if (!exec(db, "PRAGMA foreign_keys=OFF"))
		goto err;
	have = user_version(db);
	want = store_schema_version();
	if (have < 0)
		goto err;
	if (have > want) {
		say(LOG_ERROR,
		    "msg=\"store: database schema is newer than "
		    "this binary\" have=%d want=%d",
		    have, want);
		goto err;
	}
	for (n = have + 1; n <= want; n++) {
		for (i = 0; i < embed_schema_n; i++)
			if (migration_number(embed_schema[i].name) == n)
				break;
		/* Numbers are handed out per branch (issue 16: 016 may land
		 * before 015): a number with no file is skipped, as on
		 * PostgreSQL. */
		if (i == embed_schema_n)
			continue;
		free(sql);
		if ((sql = embedded_text(&embed_schema[i])) == NULL)
			goto err;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", n);
		if (!exec(db, "BEGIN IMMEDIATE"))
			goto err;
		if (!exec(db, sql) || foreign_keys_hold(db) != 1 ||
		    !exec(db, pragma)) {
			exec(db, "ROLLBACK");
			goto err;
		}
		if (!exec(db, "COMMIT"))
			goto err;
		say(LOG_INFO, "msg=\"store: applied migration\" file=%s",
		    embed_schema[i].name);
	}
	/* Issue 15: CHECKs SQLite can test without a temporary table
	 * (checks.c); the database still opens as it was when it cannot. */
	if (!store_checks_unroll(db, &n))
		say(LOG_WARN,
		    "msg=\"store: CHECK constraints left as they were\" "
		    "err=\"%s\"",
		    sqlite3_errmsg(db));
	else if (n > 0)
		say(LOG_INFO,
		    "msg=\"store: CHECK constraints written without IN "
		    "lists\" tables=%d",
		    n);
	/* Before serving: no import is left half published. */
	if (!undo_runs(db, STMT_IMPORT_RUNS_LIST, "import_undo", "event",
	        "an import", undo_import_run))
		goto err;
	/* Nor a roster generation half written (issue 17, rostergen). */
	if (!undo_runs(db, STMT_ROSTER_RUNS_LIST, "roster_undo", "roster",
	        "a roster generation", undo_roster_run))
		goto err;
	free(sql);
	sqlite3_close(db);
	return want;
err:
	free(sql);
	sqlite3_close(db);
	return -1;
}

/* Waits until the commit numbered mine is on the disk, syncing the WAL
 * itself (through st's connection: any connection's file of the WAL
 * syncs what every one wrote) when no other thread is; SQLITE_OK or the
 * sync's error. */
static int
wal_sync_to(struct store *st, uint64_t mine)
{
	uint64_t upto;
	sqlite3_file *f;
	int rc = SQLITE_OK;

	if (mine == 0)
		return SQLITE_OK;
	pthread_mutex_lock(&group.mu);
	while (group.synced < mine) {
		if (group.busy) {
			pthread_cond_wait(&group.done, &group.mu);
			continue;
		}
		/* Every commit numbered up to here has its frames written. */
		group.busy = 1;
		upto = group.committed;
		pthread_mutex_unlock(&group.mu);
		f = NULL;
		rc = sqlite3_file_control(st->db, "main",
		    SQLITE_FCNTL_JOURNAL_POINTER, &f);
		if (rc == SQLITE_OK && (f == NULL || f->pMethods == NULL))
			rc = SQLITE_IOERR_FSYNC;
		if (rc == SQLITE_OK)
			rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
		pthread_mutex_lock(&group.mu);
		group.busy = 0;
		if (rc == SQLITE_OK) {
			if (upto > group.synced)
				group.synced = upto;
			group.syncs++;
		}
		pthread_cond_broadcast(&group.done);
		if (rc != SQLITE_OK)
			break;
	}
	pthread_mutex_unlock(&group.mu);
	if (rc != SQLITE_OK)
		say(LOG_ERROR, "msg=\"store: cannot sync the WAL\" err=%d", rc);
	return rc;
}

/* Waits until st's last commit (st->unsynced) is on the disk. */
static int
wal_sync(struct store *st)
{
	uint64_t mine = st->unsynced;

	st->unsynced = 0;
	return wal_sync_to(st, mine);
}

/* SQLite's WAL hook: runs after every commit of st's connection, its
 * frames written and SQLite's write lock released. */
static int
wal_written(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *st = arg;

	pthread_mutex_lock(&group.mu);
	st->unsynced = ++group.committed;
	pthread_mutex_unlock(&group.mu);
	/* What the default hook did (sqlite3_wal_autocheckpoint), but
	 * after a transaction's commit only once the write lock is given
	 * back: a checkpoint copies the whole WAL into the database and
	 * syncs both (after a 10,000-row import, hundreds of ms), and
	 * SQLite lets writers append meanwhile. */
	if (pages >= WAL_CHECKPOINT_PAGES) {
		if (st->in_tx)
			st->checkpoint = 1;
		else
			sqlite3_wal_checkpoint_v2(db, name,
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	/* In a transaction store_commit waits, after the write lock. */
	return st->in_tx ? SQLITE_OK : wal_sync(st);
}

void
store_group_stats(uint64_t *commits, uint64_t *synced, uint64_t *syncs)
{
	pthread_mutex_lock(&group.mu);
	*commits = group.committed;
	*synced = group.synced;
	*syncs = group.syncs;
	pthread_mutex_unlock(&group.mu);
}

int
store_setup(const struct store_config *cfg)
{
	free(config_path);
	if ((config_path = strdup(cfg->path)) == NULL)
		return 0;
	config = *cfg;
	config.path = config_path;
	config_kind = db_is_pg(cfg->path) ? DB_PG : DB_SQLITE;
	if (config_kind == DB_PG && !db_pg_setup(stmts, pg_stmts, STMT__MAX)) {
		say(LOG_ERROR,
		    "msg=\"store: cannot translate the statements "
		    "for PostgreSQL\"");
		return 0;
	}
	return 1;
}

struct store *
store_thread(void)
{
	struct store *st;

	if (thread_store != NULL)
		return thread_store;
	if (config.path == NULL || (st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->kind = config_kind;
	st->generation = 1;
	if (st->kind == DB_PG)
		st->pg = open_pg(config.path);
	else
		st->db = open_db(config.path, SQLITE_OPEN_READWRITE);
	if (st->pg == NULL && st->db == NULL) {
		free(st);
		return NULL;
	}
	/* synchronous=full: SQLite writes, the group commit syncs (SQLite
	 * only: PostgreSQL syncs each commit itself). */
	if (st->kind == DB_SQLITE && config.synchronous_full) {
		sqlite3_wal_hook(st->db, wal_written, st);
		if (!exec(st->db, "PRAGMA synchronous=NORMAL")) {
			sqlite3_close(st->db);
			free(st);
			return NULL;
		}
	}
	pthread_mutex_lock(&registry_lock);
	st->next = registry;
	registry = st;
	pthread_mutex_unlock(&registry_lock);
	thread_store = st;
	atomic_fetch_add(&thread_opens, 1);
	return st;
}

long
store_thread_opens(void)
{
	return atomic_load(&thread_opens);
}

long
store_threads_open(void)
{
	const struct store *st;
	long n = 0;

	pthread_mutex_lock(&registry_lock);
	for (st = registry; st != NULL; st = st->next)
		n++;
	pthread_mutex_unlock(&registry_lock);
	return n;
}

/* Frees a handle taken out of the registry: its statements, its
 * connection and itself. */
static void
handle_free(struct store *st)
{
	size_t i;

	for (i = 0; i < STMT__MAX; i++)
		db_stmt_free(st->stmts[i]);
	sqlite3_close(st->db);
	PQfinish(st->pg);
	free(st->errmsg);
	free(st);
}

void
store_shutdown(void)
{
	struct store *st, *next;

	pthread_mutex_lock(&registry_lock);
	for (st = registry; st != NULL; st = next) {
		next = st->next;
		handle_free(st);
	}
	registry = NULL;
	pthread_mutex_unlock(&registry_lock);
	thread_store = NULL;
	free(config_path);
	config_path = NULL;
	config.path = NULL;
}

static struct dbstmt *
stmt_new(struct store *st, enum stmt which)
{
	struct dbstmt *s = calloc(1, sizeof(*s));
	size_t n;

	if (s == NULL)
		return NULL;
	s->st = st;
	s->id = (int)which;
	s->row = -1;
	if (st->kind == DB_SQLITE) {
		if (sqlite3_prepare_v3(st->db, stmts[which], -1,
		        SQLITE_PREPARE_PERSISTENT, &s->lite,
		        NULL) != SQLITE_OK) {
			st->step_err = DBE_OTHER;
			free(s);
			return NULL;
		}
		return s;
	}
	s->nparams = db_pg_nparams(which);
	n = s->nparams > 0 ? (size_t)s->nparams : 1;
	s->vals = calloc(n, sizeof(*s->vals));
	s->types = calloc(n, sizeof(*s->types));
	s->prepared = calloc(n, sizeof(*s->prepared));
	if (!s->vals || !s->types || !s->prepared) {
		db_stmt_free(s);
		return NULL;
	}
	return s;
}

struct dbstmt *
store_stmt(struct store *st, enum stmt which)
{
	struct dbstmt *s = st->stmts[which];

	if (s == NULL) {
		if ((s = stmt_new(st, which)) == NULL) {
			store_fail(st, stmts[which]);
			return NULL;
		}
		st->stmts[which] = s;
	}
	db_reset(s);
	db_clear_bindings(s);
	return s;
}

static int
step_done(struct store *st, enum stmt which)
{
	struct dbstmt *s;
	int rc;

	/* PostgreSQL: transaction control as simple queries (BEGIN with
	 * its lock is two statements). */
	if (st->kind == DB_PG &&
	    (which == STMT_BEGIN || which == STMT_BEGIN_DEFERRED ||
	        which == STMT_COMMIT || which == STMT_ROLLBACK ||
	        which == STMT_SAVEPOINT || which == STMT_RELEASE ||
	        which == STMT_ROLLBACK_TO))
		return db_pg_command(st, db_sql(which), NULL)
		    ? 1
		    : store_fail(st, db_sql(which));
	if ((s = store_stmt(st, which)) == NULL)
		return -1;
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? 1 : store_fail(st, stmts[which]);
}

void
store_write_lock(void)
{
	write_lock_take();
}

void
store_write_unlock(void)
{
	write_lock_give();
}

/* The threads that wait their turn (the holder, if any, not counted). */
int
store_write_waiters(void)
{
	uint64_t n;

	pthread_mutex_lock(&write_lock.mu);
	n = write_lock.next - write_lock.serving;
	pthread_mutex_unlock(&write_lock.mu);
	return n > 1 ? (int)(n - 1) : 0;
}

enum store_failure
store_last_failure(const struct store *st)
{
	switch (st != NULL ? st->last_error : 0) {
	case DBE_NONE:
		return STORE_FAILURE_NONE;
	case DBE_FOREIGN:
		return STORE_FAILURE_IN_USE;
	case DBE_UNIQUE:
		return STORE_FAILURE_DUPLICATE;
	case DBE_CHECK:
		return STORE_FAILURE_INVALID;
	case DBE_SERIAL:
		return STORE_FAILURE_RETRY;
	case DBE_BUSY:
		return STORE_FAILURE_BUSY;
	case DBE_LOST:
		return STORE_FAILURE_UNAVAILABLE;
	case DBE_IMPORTING:
		return STORE_FAILURE_IMPORTING;
	case DBE_GENERATING:
		return STORE_FAILURE_GENERATING;
	default:
		return STORE_FAILURE_SYSTEM;
	}
}

void
store_clear_failure(struct store *st)
{
	if (st != NULL && !st->in_tx)
		st->last_error = 0;
}

/* PostgreSQL's BEGIN is two statements: when its lock (or anything
 * after the BEGIN) failed, the connection is left in an aborted
 * transaction that would refuse every later BEGIN; roll it back,
 * keeping the failure that the caller reports. */
static void
end_failed_begin(struct store *st)
{
	int err = st->last_error;

	if (st->kind == DB_PG && db_in_tx(st)) {
		(void)db_pg_command(st, db_sql(STMT_ROLLBACK), NULL);
		st->last_error = err;
	}
}

/* A transaction begun by which (STMT_BEGIN: the one writer). */
static int
begin_with(struct store *st, enum stmt which)
{
	int rc;

	st->last_error = 0;
	st->step_err = 0;
	st->outbox_queued = 0;
	write_lock_take();
	rc = step_done(st, which);
	st->in_tx = rc > 0;
	st->pg_unflushed = st->in_tx && st->kind == DB_PG &&
	    which == STMT_BEGIN;
	if (!st->in_tx) {
		end_failed_begin(st);
		write_lock_give();
	}
	return rc;
}

int
store_begin(struct store *st)
{
	return begin_with(st, STMT_BEGIN);
}

/* Outbox claims across instances (issue 16 item 3): store.h. */
int
store_begin_rows(struct store *st)
{
	return begin_with(st,
	    st->kind == DB_PG ? STMT_BEGIN_DEFERRED : STMT_BEGIN);
}

int
store_commit(struct store *st)
{
	struct store_ticket t;
	int rc;

	if ((rc = store_commit_nowait(st, &t)) > 0 && !store_sync_wait(&t))
		rc = -1;
	return rc;
}

int
store_sync_wait(const struct store_ticket *t)
{
	struct store *st = NULL;
	int ok = 1;

	if (t->commit != 0)
		ok = (st = store_thread()) != NULL &&
		    wal_sync_to(st, t->commit) == SQLITE_OK;
	/* The rows are on the disk now: their senders may look. */
	if (ok && t->outbox_queued && outbox_hook != NULL)
		outbox_hook(t->outbox_due);
	return ok;
}

int
store_commit_nowait(struct store *st, struct store_ticket *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	/* PostgreSQL (issue 15, pgwrite): a writer's COMMIT returns before
	 * its flush (STMT_BEGIN), so that the writers waiting for the lock
	 * need not wait for the flush too. With none waiting there is
	 * nobody to spare: the COMMIT flushes itself (tidy7), in its own
	 * round trip, instead of db_pg_durable's one more. */
	if (st->pg_unflushed && store_write_waiters() == 0) {
		rc = db_pg_commit_flushed(st) ? 1 : store_fail(st, "COMMIT");
		if (rc > 0)
			st->pg_unflushed = 0;
	} else
		rc = step_done(st, STMT_COMMIT);
	if (rc > 0) {
		st->in_tx = 0;
		atomic_fetch_add(&revision, 1);
		tx_end(st, 1);
		write_lock_give();
		/* Acknowledged only once it is durable, waited for here,
		 * outside the locks, where the next writer's work goes on
		 * meanwhile and flushes of several connections are shared. */
		if (st->pg_unflushed && !db_pg_durable(st))
			rc = store_fail(st, "commit flush");
		st->pg_unflushed = 0;
		/* SQLite only (st->unsynced and st->checkpoint stay 0 on
		 * PostgreSQL, made durable by db_pg_durable above). */
		if (st->checkpoint) {
			st->checkpoint = 0;
			sqlite3_wal_checkpoint_v2(st->db, "main",
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		}
		/* Acknowledged only once on the disk (group commit): the
		 * caller waits for it (store_sync_wait), and only then wakes
		 * the senders of what it queued. */
		t->commit = st->unsynced;
		st->unsynced = 0;
		t->outbox_queued = st->outbox_queued;
		t->outbox_due = st->outbox_due;
		st->outbox_queued = 0;
	} else
		store_rollback(st);
	return rc;
}

/* Savepoints of a batch (store.h; ROUTE_BATCH, issue 15 point 4). */
static _Atomic(void (*)(struct store *, int)) savepoint_hook;

void
store_on_savepoint(void (*hook)(struct store *, int rolled_back))
{
	void (*none)(struct store *, int) = NULL;

	atomic_compare_exchange_strong(&savepoint_hook, &none, hook);
}

static void
savepoint_event(struct store *st, int rolled_back)
{
	void (*hook)(struct store *, int) = atomic_load(&savepoint_hook);

	if (hook != NULL)
		hook(st, rolled_back);
}

int
store_savepoint(struct store *st)
{
	if (!st->in_tx)
		return -1;
	/* A failure of the request before is not this one's. */
	st->last_error = 0;
	st->step_err = 0;
	savepoint_event(st, 0);
	return step_done(st, STMT_SAVEPOINT);
}

int
store_release(struct store *st)
{
	if (!st->in_tx)
		return -1;
	return step_done(st, STMT_RELEASE);
}

int
store_rollback_to(struct store *st)
{
	int rc;

	if (!st->in_tx || !db_in_tx(st))
		return -1;
	if ((rc = step_done(st, STMT_ROLLBACK_TO)) > 0 &&
	    (rc = step_done(st, STMT_RELEASE)) > 0) {
		st->last_error = 0;
		st->step_err = 0;
		/* Limits counted in the request count all the same (as
		 * after a whole rollback, shared.c). */
		savepoint_event(st, 1);
	}
	return rc;
}

void
store_on_outbox_commit(void (*hook)(time_t due))
{
	outbox_hook = hook;
}

void
store_rollback(struct store *st)
{
	if (db_in_tx(st))
		step_done(st, STMT_ROLLBACK);
	if (st->in_tx)
		write_lock_give();
	st->in_tx = 0;
	st->pg_unflushed = 0;
	st->outbox_queued = 0;
	/* Limits counted in the transaction count all the same (shared.c). */
	tx_end(st, 0);
}

int64_t
store_revision(void)
{
	return atomic_load(&revision);
}

/* Which engine the store was set up for (issue 16, multi). */
enum db_kind
store_engine(void)
{
	return config_kind;
}

void
store_on_tx_end(void (*hook)(struct store *, int committed))
{
	void (*none)(struct store *, int) = NULL;

	atomic_compare_exchange_strong(&tx_end_hook, &none, hook);
}

char *
store_col_text(struct dbstmt *s, int col)
{
	const unsigned char *t = db_column_text(s, col);

	return strdup(t ? (const char *)t : "");
}

int
store_col_state(struct dbstmt *s, int col, const char *const *names)
{
	return state_parse(names, (const char *)db_column_text(s, col));
}

int
store_bind_state(struct dbstmt *s, int idx, const char *const *names, int v)
{
	return store_bind_text(s, idx, v > 0 ? names[v] : NULL);
}

size_t
store_col_ids(struct dbstmt *s, int col, int64_t *ids, size_t max)
{
	const char *p = (const char *)db_column_text(s, col);
	char *end;
	size_t n = 0;

	while (p != NULL && *p != '\0' && n < max) {
		ids[n++] = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : NULL;
	}
	return n;
}

char *
store_col_text_or_null(struct dbstmt *s, int col, int *oom)
{
	char *v;

	if (db_column_null(s, col))
		return NULL;
	if ((v = store_col_text(s, col)) == NULL)
		*oom = 1;
	return v;
}

int
store_bind_text(struct dbstmt *s, int idx, const char *v)
{
	return db_bind_text(s, idx, v);
}

int
store_bind_id(struct dbstmt *s, int idx, int64_t id)
{
	if (id <= 0)
		return db_bind_null(s, idx);
	return db_bind_int64(s, idx, id);
}

int
store_bind_time(struct dbstmt *s, int idx, time_t t)
{
	if (t == 0)
		return db_bind_null(s, idx);
	return db_bind_int64(s, idx, (int64_t)t);
}

int
store_bind_like(struct dbstmt *s, int idx, const char *q)
{
	size_t n, i, j = 0;
	char *pat;
	int rc;

	if (q == NULL || *q == '\0')
		return db_bind_null(s, idx);
	n = strlen(q);
	if ((pat = malloc(n * 2 + 3)) == NULL)
		return DB_NOMEM;
	pat[j++] = '%';
	for (i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			pat[j++] = '\\';
		pat[j++] = q[i];
	}
	pat[j++] = '%';
	pat[j] = '\0';
	rc = db_bind_text(s, idx, pat);
	free(pat);
	return rc;
}

int
store_scalar(struct store *st, struct dbstmt *s, int64_t *out, const char *what)
{
	return store_ints(st, s, out, NULL, NULL, what);
}

int
store_collect(struct store *st, struct dbstmt *s, size_t elemsz,
    int (*read)(struct dbstmt *, void *), void (*freeitem)(void *),
    void **items, size_t *n, const char *what)
{
	char *v = NULL, *nv;
	size_t cap = 0, cnt = 0, i;
	int rc;

	while ((rc = db_step(s)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * elemsz)) == NULL)
				goto err;
			v = nv;
		}
		if (read(s, v + cnt * elemsz) < 0)
			goto err;
		cnt++;
	}
	if (rc != DB_DONE) {
		store_fail(st, what);
		goto err;
	}
	db_reset(s);
	*items = v;
	*n = cnt;
	return 1;
err:
	db_reset(s);
	for (i = 0; i < cnt; i++)
		freeitem(v + i * elemsz);
	free(v);
	return -1;
}

int
store_step_write(struct store *st, struct dbstmt *s, const char *what)
{
	int rc;

	st->step_err = 0;
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE && st->step_err == DBE_UNIQUE)
		return 0;
	if (rc != DB_DONE)
		return store_fail(st, what);
	return 1;
}

int
store_get_row(struct store *st, struct dbstmt *s,
    int (*read)(struct dbstmt *, void *), void *out, const char *what)
{
	int rc = db_step(s), ret;

	if (rc == DB_DONE)
		ret = 0;
	else if (rc == DB_ROW)
		ret = read(s, out);
	else
		ret = store_fail(st, what);
	db_reset(s);
	return ret;
}

int
store_ints(struct store *st, struct dbstmt *s, int64_t *a, int64_t *b,
    int64_t *c, const char *what)
{
	int rc = db_step(s);

	if (rc == DB_ROW) {
		*a = db_column_int64(s, 0);
		if (b != NULL)
			*b = db_column_int64(s, 1);
		if (c != NULL)
			*c = db_column_int64(s, 2);
	}
	db_reset(s);
	return rc == DB_ROW ? 1 : store_fail(st, what);
}

int64_t
store_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

void
store_free_items(void *items, size_t n, size_t elemsz, void (*freeitem)(void *))
{
	size_t i;

	for (i = 0; i < n; i++)
		freeitem((char *)items + i * elemsz);
	free(items);
}

int
store_lookup_id(struct store *st, struct dbstmt *s, int64_t *id,
    const char *what)
{
	int rc = db_step(s);

	if (rc == DB_ROW)
		*id = db_column_int64(s, 0);
	db_reset(s);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : store_fail(st, what);
}

int
store_backup(const struct store_config *cfg, const char *out)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc = -1, step;

	config.log = cfg->log;
	if (db_is_pg(cfg->path)) {
		say(LOG_ERROR,
		    "msg=\"store: hearth backup copies SQLite; "
		    "back up PostgreSQL with pg_dump or a base backup\"");
		return -1;
	}
	if (access(out, F_OK) == 0) {
		say(LOG_ERROR, "msg=\"store: backup target exists\" out=%s",
		    out);
		return -1;
	}
	if ((src = open_db(cfg->path, SQLITE_OPEN_READONLY)) == NULL)
		return -1;
	if (sqlite3_open_v2(out, &dst,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		goto out;
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		goto out;
	/* Small steps let writers in between (the server keeps serving). */
	do {
		step = sqlite3_backup_step(b, 256);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (step == SQLITE_OK || step == SQLITE_BUSY ||
	    step == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (step == SQLITE_DONE)
		rc = 1;
out:
	if (rc < 0)
		say(LOG_ERROR, "msg=\"store: backup failed\" err=\"%s\"",
		    dst ? sqlite3_errmsg(dst) : sqlite3_errmsg(src));
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

/* Memory (issue 15, branch perf15). */
void
store_thread_idle(void)
{
	struct store *st = thread_store, **pp;

	if (st == NULL || st->kind != DB_SQLITE)
		return;
	pthread_mutex_lock(&registry_lock);
	for (pp = &registry; *pp != NULL; pp = &(*pp)->next)
		if (*pp == st) {
			*pp = st->next;
			break;
		}
	pthread_mutex_unlock(&registry_lock);
	handle_free(st);
	thread_store = NULL;
}
