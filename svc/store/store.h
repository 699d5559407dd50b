/*
 * The store: every SQL statement of Hearth, behind plain structs. This is
 * the only layer that includes sqlite3.h; a PostgreSQL store would
 * implement this header again. Each thread gets its own connection
 * (store_thread); a write request runs inside store_begin/store_commit.
 *
 * Return convention (kcaldav's): < 0 system error, 0 not found or
 * conflict (the function says which), > 0 success.
 */
#ifndef HEARTH_STORE_H
#define HEARTH_STORE_H

#include <stdint.h>
#include <time.h>

#include "../core/core.h"
#include "../log.h"

struct store;

/* db.c */

/* Opening parameters shared by every connection. */
struct store_config {
	const char *path;
	int synchronous_full; /* 1: synchronous=FULL (the default) */
	log_fn log;           /* where failures are reported */
};

/* Applies the compiled-in migrations to path; the first and only caller
 * that may create the file. Returns the resulting schema version, or -1
 * (logged) on failure. */
int store_migrate(const struct store_config *);
int store_schema_version(void);
/* Copies the database at cfg->path to out (which must not exist) with
 * SQLite's online backup API; safe while a server writes. > 0 on
 * success, < 0 on failure (logged). */
int store_backup(const struct store_config *cfg, const char *out);
/* Sets the parameters for store_thread; call once before serving. */
int store_setup(const struct store_config *);
/* The calling thread's connection, opened on first use; NULL on failure
 * (logged). Owned by the store: closed by store_shutdown. */
struct store *store_thread(void);
/* Closes every connection opened by store_thread. */
void store_shutdown(void);

/* BEGIN IMMEDIATE: every write request reads then writes. */
int store_begin(struct store *);
int store_commit(struct store *);
void store_rollback(struct store *);
/* A counter that grows with every committed write on any connection:
 * caches (feeds) compare it to know whether anything changed. */
int64_t store_revision(void);

/* What the last failure on this connection was, since store_begin or
 * store_clear_failure: a handler tells a reference that is still in use
 * (a foreign key) or a duplicate from a broken database. */
enum store_failure {
	STORE_FAILURE_NONE,
	STORE_FAILURE_IN_USE,    /* a foreign key: still referenced */
	STORE_FAILURE_DUPLICATE, /* a unique key */
	STORE_FAILURE_INVALID,   /* a CHECK or NOT NULL constraint */
	STORE_FAILURE_SYSTEM,    /* anything else */
	STORE_FAILURE__MAX
};
enum store_failure store_last_failure(const struct store *);
/* Forgets the last failure; inside a transaction it does nothing (the
 * transaction's own failures stay until its end). */
void store_clear_failure(struct store *);

/* Paging of list calls. */
struct store_page {
	int64_t limit;
	int64_t offset;
};

/* station.c */

struct station {
	int64_t id;
	char *code;
	char *name;
	char *kind; /* hall | street | service_point */
	char *address;
	char *timezone;
	int active;
	time_t created_at;
	time_t updated_at;
};

struct station_filter {
	int active; /* -1 any, 0 inactive, 1 active */
	const char *q; /* substring of code or name, or NULL */
};

void station_free(struct station *);
void station_list_free(struct station *, size_t n);
/* > 0 and *out filled; 0 when id is unknown. */
int store_station_get(struct store *, int64_t id, struct station *out);
int store_station_get_by_code(struct store *, const char *code,
    struct station *out);
/* By exact name (the active one first). */
int store_station_get_by_name(struct store *, const char *name,
    struct station *out);
/* The one station whose name starts with prefix ("区信访局" names
 * "区信访局人民来访接待大厅"); 0 when none or several do. */
int store_station_get_by_name_prefix(struct store *, const char *prefix,
    struct station *out);
/* > 0 with *items (caller frees with station_list_free), *n and *total. */
int store_station_list(struct store *, const struct station_filter *,
    const struct store_page *, struct station **items, size_t *n,
    int64_t *total);
/* Inserts s (id ignored); > 0 and s->id set; 0 when the code is taken. */
int store_station_insert(struct store *, struct station *s);
/* Writes every field of s; > 0, 0 when the code is taken, and -2 when
 * the id is unknown. */
int store_station_update(struct store *, const struct station *s);

/* counsellor.c */

struct counsellor {
	int64_t id;
	char *name;
	char *email;
	char *phone;
	int64_t home_station_id; /* 0 = none */
	int64_t max_weekly_hours;
	int active;
	char *feed_token;
	time_t created_at;
	time_t updated_at;
	int weekly_mail_off; /* no weekly duty summary */
};

struct counsellor_filter {
	int active;
	int64_t station_id; /* 0 = any */
	const char *q;
};

void counsellor_free(struct counsellor *);
void counsellor_list_free(struct counsellor *, size_t n);
int store_counsellor_get(struct store *, int64_t id, struct counsellor *);
int store_counsellor_get_by_feed_token(struct store *, const char *token,
    struct counsellor *);
int store_counsellor_list(struct store *, const struct counsellor_filter *,
    const struct store_page *, struct counsellor **items, size_t *n,
    int64_t *total);
/* > 0 and c->id set; 0 when the feed token collides (retry). */
int store_counsellor_insert(struct store *, struct counsellor *c);
/* > 0; 0 when the id is unknown. */
int store_counsellor_update(struct store *, const struct counsellor *c);
/* Counsellors whose home station is id. */
int store_counsellor_count_by_station(struct store *, int64_t station_id,
    int64_t *n);

/* user.c */

enum role { ROLE_NONE = 0, ROLE_COUNSELLOR = 1, ROLE_COORDINATOR = 2 };

struct user {
	int64_t id;
	char *username;
	char *password_hash;
	enum role role;
	int64_t counsellor_id; /* 0 = none */
	int active;
};

void user_free(struct user *);
int store_user_count(struct store *, int64_t *n);
int store_user_get_by_name(struct store *, const char *username,
    struct user *);
/* > 0 and u->id set; 0 when the username is taken. */
int store_user_insert(struct store *, struct user *u);

/* A login session; the store keeps only the hash of its token. */
int store_session_insert(struct store *, int64_t user_id,
    const char *token_hash, time_t created, time_t expires,
    const char *client);
/* > 0 with the session's user; 0 when unknown or expired at now. */
int store_session_user(struct store *, const char *token_hash, time_t now,
    struct user *out, time_t *expires);
int store_session_delete(struct store *, const char *token_hash);
int store_session_purge(struct store *, time_t now);
/* Accounts (issue 17). store_user_get* > 0 found, 0 none. */
int store_user_get(struct store *, int64_t id, struct user *);
int store_user_get_by_counsellor(struct store *, int64_t counsellor_id,
    struct user *);
int store_user_list(struct store *, struct user **items, size_t *n);
void user_list_free(struct user *, size_t n);
/* > 0 changed, 0 no such user. */
int store_user_set_active(struct store *, int64_t id, int active);
int store_user_set_password(struct store *, int64_t id, const char *hash);
/* Disables every account of a counsellor and ends their sessions;
 * returns how many accounts were disabled (>= 0), -1 on failure. */
int store_user_disable_counsellor(struct store *, int64_t counsellor_id);
/* Ends every session of a user but the one whose hash is keep_hash
 * (NULL: all); returns how many ended, -1 on failure. */
int store_session_end_user(struct store *, int64_t user_id,
    const char *keep_hash);
int store_user_coordinators_active(struct store *, int64_t *n);

/* event.c */

#define EVENT_MAX_SPEAKERS 10

struct event {
	int64_t id;
	char *kind;     /* lecture | salon | training | group | activity */
	char *title;
	char *description;
	int64_t station_id; /* 0 = district-wide */
	char *venue;
	time_t start_at, end_at, planned_start_at;
	char *audience; /* staff | residents | community_workers | mixed */
	char *external_speaker;
	int64_t capacity; /* -1 = no limit */
	char *status;   /* planned | confirmed | held | cancelled */
	int public_;
	int64_t survey_template_id; /* 0 = none */
	char *reminders; /* JSON array of minutes, e.g. "[1440,60]" */
	int64_t replaces_event_id;
	int64_t sequence;
	time_t held_at, cancelled_at; /* 0 = not */
	time_t created_at, updated_at;
	int64_t speaker_ids[EVENT_MAX_SPEAKERS];
	size_t nspeakers;
};

struct event_filter {
	time_t from, to;  /* overlap with [from, to); 0 = unbounded */
	const char *kind, *audience, *status, *q; /* NULL = any */
	int64_t station_id; /* 0 = any */
	int public_only;
	int64_t speaker_id; /* 0 = any */
};

void event_free(struct event *);
void event_list_free(struct event *, size_t n);
int store_event_get(struct store *, int64_t id, struct event *);
int store_event_list(struct store *, const struct event_filter *,
    const struct store_page *, struct event **items, size_t *n,
    int64_t *total);
/* Inserts e and its speakers; > 0 and e->id set. */
int store_event_insert(struct store *, struct event *e);
/* Writes every field of e and replaces its speakers; > 0, 0 unknown. */
int store_event_update(struct store *, const struct event *e);
/* An import in two steps, so the write lock is held briefly: stage the
 * events (fresh[i] > 0: the row's station is the fresh[i]-th of names,
 * a station to create) in temp tables of this connection, outside any
 * transaction and lock; then, inside the caller's transaction, publish
 * them with INSERT … SELECT: new stations get ids *station_base + k and
 * codes IMP(max_imp + k), events ids *event_base + i + 1 (row order),
 * each with its "created" history row. clear frees the staging. */
int store_import_stage(struct store *, const struct event *ev,
    const int64_t *fresh, size_t n, const char *const *names, size_t nnames);
int store_import_publish(struct store *, int64_t max_imp, int64_t user_id,
    time_t now, int64_t *station_base, int64_t *event_base);
void store_import_clear(struct store *);

/* One row of an event's change history. */
struct event_change {
	int64_t id;
	char *kind; /* created updated rescheduled confirmed held cancelled forced */
	time_t old_start, old_end, new_start, new_end; /* 0 = none */
	char *reason;
	char *username;
	time_t at;
};

int store_event_change_add(struct store *, int64_t event_id,
    const char *kind, time_t old_start, time_t old_end, time_t new_start,
    time_t new_end, const char *reason, int64_t user_id);
void event_change_list_free(struct event_change *, size_t n);
int store_event_history(struct store *, int64_t event_id,
    struct event_change **items, size_t *n);

/* A clash found for an event being saved. */
enum clash_type { CLASH_SHIFT, CLASH_SPEAKER, CLASH_VENUE };

struct clash {
	enum clash_type type;
	int64_t counsellor_id;
	char *counsellor_name;
	int64_t other_id; /* shift id or event id */
	char *title;      /* the other event's title, or "" */
	int64_t station_id;
	char *station_name;
	char *venue;
	time_t start_at, end_at;
};

void clash_list_free(struct clash *, size_t n);
/* Every clash of e (its time, speakers, station and venue) with shifts
 * and other events that are not cancelled; e->id is excluded. > 0 with
 * *items (maybe none). */
int store_event_clashes(struct store *, const struct event *e,
    struct clash **items, size_t *n);

/* Whether a counsellor / survey template id exists. */
int store_counsellor_exists(struct store *, int64_t id);
int store_survey_template_exists(struct store *, int64_t id);

/* plan.c */

struct plan_target {
	char *kind;
	int64_t station_id; /* 0 = the whole district */
	int64_t target;
};

struct plan {
	int64_t id;
	char *name;
	char *date_from, *date_to; /* YYYY-MM-DD */
	struct plan_target *targets;
	size_t ntargets;
	time_t created_at;
};

void plan_free(struct plan *);
void plan_list_free(struct plan *, size_t n);
int store_plan_get(struct store *, int64_t id, struct plan *);
int store_plan_list(struct store *, const struct store_page *,
    struct plan **items, size_t *n, int64_t *total);
/* Inserts p with its targets; > 0 and p->id set. */
int store_plan_insert(struct store *, struct plan *p);
/* Replaces p's fields and targets; > 0, 0 when unknown. */
int store_plan_update(struct store *, const struct plan *p);
int store_plan_delete(struct store *, int64_t id);

/* roster.c */

struct shift_template {
	int64_t id, station_id;
	unsigned weekdays; /* bit 0 = Monday … bit 6 = Sunday */
	char start[6], end[6]; /* "HH:MM" */
	int64_t required;
	char *valid_from, *valid_to; /* "YYYY-MM-DD" or NULL */
	int active;
	time_t created_at;
};

struct template_filter {
	int64_t station_id; /* 0 = any */
	int active;         /* -1 any */
};

void template_list_free(struct shift_template *, size_t n);
void template_free(struct shift_template *);
int store_template_get(struct store *, int64_t id, struct shift_template *);
int store_template_list(struct store *, const struct template_filter *,
    const struct store_page *, struct shift_template **, size_t *n,
    int64_t *total);
int store_template_insert(struct store *, struct shift_template *);
int store_template_update(struct store *, const struct shift_template *);

struct shift {
	int64_t id, station_id, counsellor_id, template_id; /* 0 = none */
	int seat;
	time_t start_at, end_at;
	char *status; /* planned | confirmed | cancelled */
	char *origin; /* manual | generated */
	char *note;
	int64_t sequence;
	int pinned; /* edited by hand: re-generation leaves it alone */
	time_t created_at, updated_at;
	char *station_name, *counsellor_name; /* read-only; "" when none */
};

struct shift_filter {
	time_t from, to;            /* overlap; 0 = unbounded */
	int64_t station_id, counsellor_id; /* 0 = any */
	const char *status;         /* NULL = any */
	int open_only;              /* only counsellor_id NULL */
	int active_only;            /* not cancelled */
};

void shift_free(struct shift *);
void shift_list_free(struct shift *, size_t n);
int store_shift_get(struct store *, int64_t id, struct shift *);
int store_shift_list(struct store *, const struct shift_filter *,
    const struct store_page *, struct shift **, size_t *n, int64_t *total);
/* > 0 and id set; 0 when a generated slot (template, start, seat)
 * exists already. */
int store_shift_insert(struct store *, struct shift *);
int store_shift_update(struct store *, const struct shift *);
int store_shift_delete(struct store *, int64_t id);

struct availability {
	int64_t id, counsellor_id;
	time_t start_at, end_at;
	char *reason;
	time_t created_at;
};

struct availability_filter {
	int64_t counsellor_id;
	time_t from, to;
};

void availability_list_free(struct availability *, size_t n);
void availability_free(struct availability *);
int store_availability_get(struct store *, int64_t id, struct availability *);
int store_availability_list(struct store *, const struct availability_filter *,
    const struct store_page *, struct availability **, size_t *n,
    int64_t *total);
int store_availability_insert(struct store *, struct availability *);
int store_availability_update(struct store *, const struct availability *);
int store_availability_delete(struct store *, int64_t id);

struct swap_request {
	int64_t id, shift_id, other_shift_id, requested_by;
	char *status; /* pending | approved | rejected | withdrawn */
	char *reason;
	int64_t decided_by;
	time_t decided_at, created_at;
};

void swap_list_free(struct swap_request *, size_t n);
void swap_free(struct swap_request *);
int store_swap_get(struct store *, int64_t id, struct swap_request *);
/* requested_by 0 = anyone; status NULL = any. */
int store_swap_list(struct store *, int64_t requested_by, const char *status,
    const struct store_page *, struct swap_request **, size_t *n,
    int64_t *total);
int store_swap_insert(struct store *, struct swap_request *);
int store_swap_update(struct store *, const struct swap_request *);

/* holiday.c */

struct holiday {
	int64_t id;
	char *date; /* YYYY-MM-DD */
	char *kind; /* holiday | workday */
	char *name;
	int as_weekday; /* 1..7 for a workday; 0 = Monday by default */
};

void holiday_list_free(struct holiday *, size_t n);
void holiday_free(struct holiday *);
int store_holiday_get(struct store *, int64_t id, struct holiday *);
int store_holiday_get_by_date(struct store *, const char *date,
    struct holiday *);
/* > 0 and id set; 0 when the date exists. */
int store_holiday_insert(struct store *, struct holiday *);
/* > 0; 0 when another row has the date. */
int store_holiday_update(struct store *, const struct holiday *);
int store_holiday_delete(struct store *, int64_t id);
/* Holidays and make-up workdays with from <= date <= to. */
int store_holiday_range(struct store *, const char *from, const char *to,
    struct holiday **items, size_t *n);

/* participant.c */

struct registration {
	int64_t id, event_id;
	char *token;
	char *name, *email, *phone, *organisation; /* NULL once purged */
	char *status; /* registered | waitlisted | cancelled */
	int checked_in;
	int reminders_opt_out; /* read-only here: store_registration_set_opt_out */
	time_t created_at, updated_at;
};

void registration_free(struct registration *);
void registration_list_free(struct registration *, size_t n);
int store_registration_get_by_token(struct store *, const char *token,
    struct registration *);
int store_registration_get(struct store *, int64_t id, struct registration *);
/* The opt-out token of reminder mails (issue 17): set, read (1, or 0
 * when the row has none), and the registration it belongs to. */
int store_registration_set_optout(struct store *, int64_t id,
    const char *tok);
int store_registration_optout(struct store *, int64_t id, char **tok);
int store_registration_by_optout(struct store *, const char *tok,
    struct registration *);
int store_registration_list(struct store *, int64_t event_id,
    struct registration **, size_t *n);
/* > 0 and id set; 0 when the token collides (retry). */
int store_registration_insert(struct store *, struct registration *);
int store_registration_set_status(struct store *, int64_t id,
    const char *status, time_t at);
int store_registration_set_opt_out(struct store *, int64_t id, int opt_out,
    time_t at);
/* How many of an event's registrations have status. */
int store_registration_count(struct store *, int64_t event_id,
    const char *status, int64_t *n);
/* The earliest waitlisted registration of an event; 0 when none. */
int store_registration_first_waitlisted(struct store *, int64_t event_id,
    struct registration *);

struct attendance {
	int64_t id, event_id, registration_id; /* registration 0 = walk-in */
	char *name;          /* the registration's or the walk-in's; NULL purged */
	time_t checked_in_at;
	int passed;          /* -1 unknown, 0, 1 */
	double score;        /* < 0 unknown */
	char *survey_token;  /* NULL until the event is held */
	int answered;
};

void attendance_free(struct attendance *);
void attendance_list_free(struct attendance *, size_t n);
int store_attendance_get(struct store *, int64_t id, struct attendance *);
int store_attendance_by_registration(struct store *, int64_t registration_id,
    struct attendance *);
int store_attendance_by_survey_token(struct store *, const char *token,
    struct attendance *);
int store_attendance_list(struct store *, int64_t event_id,
    struct attendance **, size_t *n);
/* > 0 and id set; 0 when the registration is already checked in.
 * walk_in_name is used when registration_id is 0. */
int store_attendance_insert(struct store *, struct attendance *,
    const char *walk_in_name);
/* Writes passed, score and survey_token. */
int store_attendance_update(struct store *, const struct attendance *);
int store_attendance_delete(struct store *, int64_t id);

struct survey_question {
	int64_t id;
	char *qkey;
	char *type; /* likert5 | choice | text */
	char *text;
	int required, satisfaction;
	char *options; /* JSON [{id,text}] or NULL */
};

struct survey_template {
	int64_t id;
	char *name;
	int is_default;
	struct survey_question *questions;
	size_t nquestions;
	time_t created_at;
};

void survey_template_free(struct survey_template *);
void survey_template_list_free(struct survey_template *, size_t n);
int store_survey_template_get(struct store *, int64_t id,
    struct survey_template *);
int store_survey_template_list(struct store *, struct survey_template **,
    size_t *n);
/* > 0 with ids set; 0 when the name is taken. */
int store_survey_template_insert(struct store *, struct survey_template *);
int64_t store_survey_default_template(struct store *);

/* One submitted form; answers parallel to the questions given. */
struct survey_answer {
	int64_t question_id;
	int has_int;
	int64_t value_int;
	const char *value_text; /* NULL = none */
};

/* > 0 and *id; 0 when the attendee has answered already. */
int store_survey_response_insert(struct store *, int64_t event_id,
    int64_t attendance_id /* 0 = anonymous */, time_t at,
    const struct survey_answer *, size_t n, int64_t *id);

/* Every answer to an event's surveys, for the results. */
struct survey_answer_row {
	int64_t response_id, question_id;
	int anonymous;
	int has_int;
	int64_t value_int;
	char *value_text;
	time_t submitted_at;
};

void survey_answer_rows_free(struct survey_answer_row *, size_t n);
int store_survey_answers(struct store *, int64_t event_id,
    struct survey_answer_row **, size_t *n);
/* Responses of an event: personal (with an attendee) and anonymous. */
int store_survey_counts(struct store *, int64_t event_id, int64_t *personal,
    int64_t *anonymous);

/* The anonymous survey link of an event. */
int store_event_anonymous_get(struct store *, int64_t event_id, int *enabled,
    char **token);
int store_event_anonymous_set(struct store *, int64_t event_id, int enabled,
    const char *token);
/* The event whose enabled anonymous link token is; 0 when none. */
int store_event_by_anonymous_token(struct store *, const char *token,
    int64_t *event_id);

/* Settings of the coordinator (retention_days, …). */
int store_setting_get(struct store *, const char *key, char **value);
int store_setting_set(struct store *, const char *key, const char *value);
/* Removes personal fields of events that ended before cutoff. */
int store_purge_personal(struct store *, time_t cutoff, time_t now,
    int64_t *registrations, int64_t *attendees);

/* indicator.c */

struct indicator {
	int64_t id;
	char *code, *level1, *level2, *level3;
	char target_op[3];
	double target_value;
	char *target_unit; /* count | percent | rating */
	char *target_text;
	double weight;
	char *rule, *source;
	int position;
	/* the period's manual actual, when has_value */
	int has_value;
	double value;
	char *note, *entered_by;
	time_t entered_at;
};

/* Optional settings for one period; has_* says which are given. */
struct indicator_period {
	int has_target, has_weight, has_rule, has_value;
	char target_op[3];
	double target_value;
	const char *target_unit, *target_text;
	double weight;
	const char *rule;
	double value;
	const char *note;
};

void indicator_free(struct indicator *);
void indicator_list_free(struct indicator *, size_t n);
/* The framework with the overrides and values of exactly [from, to]
 * (NULL, NULL: the framework alone). */
int store_indicator_list(struct store *, const char *from, const char *to,
    struct indicator **, size_t *n);
int store_indicator_get(struct store *, const char *code, struct indicator *);
/* Writes target, weight and rule of the framework. */
int store_indicator_update(struct store *, const struct indicator *);
/* Merges settings into the period's row (creating it). */
int store_indicator_period_set(struct store *, int64_t indicator_id,
    const char *from, const char *to, const struct indicator_period *,
    int64_t user_id, time_t at);

/* Counts behind the indicators, for events starting in [from, to). */
int store_stat_training(struct store *, time_t from, time_t to,
    int64_t *held, int64_t *passed, int64_t *assessed);
/* Satisfaction answers (likert5 of satisfaction questions): per answer
 * the event's start and the value, for totals and monthly trends. */
struct stat_answer {
	time_t start_at;
	int64_t value;
};
int store_stat_satisfaction(struct store *, time_t from, time_t to,
    struct stat_answer **, size_t *n);
int store_stat_participants(struct store *, time_t from, time_t to,
    int64_t *registered, int64_t *attended_registered,
    int64_t *attended_all);

/* feed.c */

struct feed_fetch {
	char *feed; /* "counsellor:<id>", "station:<code>", "events" */
	time_t last_fetch_at;
	char *user_agent;
	int64_t count_200, count_304;
};

void feed_fetch_list_free(struct feed_fetch *, size_t n);
/* Adds polls of a feed (full answers and 304s) with the last client and
 * time. Runs on its own (no transaction) and does not raise the store
 * revision: a poll is not a change of the data. */
int store_feed_fetch_record(struct store *, const char *feed,
    const char *user_agent, int64_t full, int64_t not_modified, time_t at);
int store_feed_fetch_list(struct store *, struct feed_fetch **, size_t *n);

/* outbox.c */

/* A mail of the outbox: body is the whole RFC 5322 message. */
struct outbox_msg {
	int64_t id;
	char *dedup_key; /* unique: cause, recipient, kind, sequence */
	char *kind;      /* reminder | change | cancel | weekly | roster */
	int64_t event_id, shift_id, counsellor_id, registration_id; /* 0 none */
	char *recipient, *subject, *body, *message_id;
	char *status; /* pending sending sent failed dead skipped */
	int attempts;
	char *last_error;
	char *detail;  /* roster notices: JSON lines gathered until due */
	time_t due_at, next_attempt_at;
	time_t expires_at; /* 0 = never: unsent by then → skipped */
	time_t claimed_at, sent_at, created_at; /* 0 = not */
	char *event_title, *counsellor_name; /* read-only; "" when none */
};

struct outbox_filter {
	const char *status, *kind; /* NULL = any */
	int64_t event_id;          /* 0 = any */
};

/* Rows per status, in the order of outbox_statuses. */
#define OUTBOX_NSTATUS 6
extern const char *const outbox_statuses[OUTBOX_NSTATUS];

void outbox_free(struct outbox_msg *);
void outbox_list_free(struct outbox_msg *, size_t n);
/* Queues m (status pending, next attempt at due_at): > 0 with m->id;
 * 0 when its dedup key exists — then a row skipped as superseded whose
 * time is still ahead of now becomes pending again, with m's content. */
int store_outbox_put(struct store *, struct outbox_msg *m, time_t now);
int store_outbox_get(struct store *, int64_t id, struct outbox_msg *);
/* > 0 when a row with the dedup key exists, 0 when none. */
int store_outbox_exists(struct store *, const char *dedup_key);
int store_outbox_list(struct store *, const struct outbox_filter *,
    const struct store_page *, struct outbox_msg **, size_t *n,
    int64_t *total);
/* Rows per status among those of f's kind and event (f NULL = all). */
int store_outbox_counts(struct store *, const struct outbox_filter *f,
    int64_t counts[OUTBOX_NSTATUS]);
/* Marks an event's unsent rows of kind skipped with reason; only those
 * of one registration or counsellor when given (0 = all). */
int store_outbox_skip(struct store *, int64_t event_id, const char *kind,
    int64_t registration_id, int64_t counsellor_id, const char *reason);
/* The counsellor's roster notice still gathering changes: > 0, 0 none. */
int store_outbox_open_roster(struct store *, int64_t counsellor_id,
    struct outbox_msg *);
int store_outbox_roster_count(struct store *, int64_t counsellor_id,
    int64_t *n);
/* Replaces subject, body, detail, recipient and due time of a pending
 * row. */
int store_outbox_rewrite(struct store *, const struct outbox_msg *);
/* Unsent rows whose expiry has come become skipped with reason. */
int store_outbox_expire(struct store *, time_t now, const char *reason);
/* Rows left `sending` by a stop go back to pending, due at now. */
int store_outbox_recover(struct store *, time_t now);
/* The earliest pending or failed row due at now: > 0, 0 none. */
int store_outbox_next_due(struct store *, time_t now, struct outbox_msg *);
/* When the next pending or failed row is due: > 0, 0 none. */
int store_outbox_next_time(struct store *, time_t *at);
/* Writes status, attempts, next_attempt_at, last_error, claimed_at and
 * sent_at of m. */
int store_outbox_set_state(struct store *, const struct outbox_msg *m);
/* Deletes finished rows created before cutoff. */
int store_outbox_purge(struct store *, time_t cutoff);

/* audit.c */

/* Records one write: who, what, which row, a JSON detail (may be NULL). */
int store_audit(struct store *, int64_t user_id, const char *action,
    const char *entity, int64_t entity_id, const char *detail);

struct audit_entry {
	int64_t id;
	time_t at;
	int64_t user_id;
	char *username;
	char *action;
	char *entity;
	int64_t entity_id;
	char *detail;
};

void audit_list_free(struct audit_entry *, size_t n);
int store_audit_list(struct store *, const char *entity, int64_t entity_id,
    const struct store_page *, struct audit_entry **items, size_t *n,
    int64_t *total);

#endif
