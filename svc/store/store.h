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
/* store_commit in two halves (issue 15: the batch thread goes on with
 * the next batch while the disk syncs this one). store_commit_nowait
 * commits (> 0, or as store_commit) and fills t with what is left: the
 * commit's turn in SQLite's group sync, and the senders to wake.
 * store_sync_wait, on any thread, waits until that commit is on the
 * disk (syncing through the calling thread's connection when no other
 * thread is) and wakes the senders: 1, or 0 when the sync failed (the
 * commit may not be durable: it must not be acknowledged). */
struct store_ticket {
	uint64_t commit; /* 0: nothing to wait for (PostgreSQL: durable) */
	int outbox_queued;
	time_t outbox_due;
};
int store_commit_nowait(struct store *, struct store_ticket *t);
int store_sync_wait(const struct store_ticket *t);
void store_rollback(struct store *);
/* A counter that grows with every committed write on any connection:
 * caches (feeds) compare it to know whether anything changed. */
int64_t store_revision(void);
/* After a commit that queued an outbox row (or put one back to pending),
 * hook runs on the committing thread with the earliest due time of what
 * it queued (the rows' due_at, a retry's next_attempt_at; the service
 * clock): it wakes the senders that would sleep past it. Set once
 * before any thread starts; NULL = none. */
void store_on_outbox_commit(void (*hook)(time_t due));

/* What the last failure on this connection was, since store_begin or
 * store_clear_failure: a handler tells a reference that is still in use
 * (a foreign key) or a duplicate from a broken database. */
enum store_failure {
	STORE_FAILURE_NONE,
	STORE_FAILURE_IN_USE,    /* a foreign key: still referenced */
	STORE_FAILURE_DUPLICATE, /* a unique key */
	STORE_FAILURE_INVALID,   /* a CHECK or NOT NULL constraint */
	STORE_FAILURE_SYSTEM,    /* anything else */
	/* PostgreSQL (issue 16): a serialization failure or deadlock (the
	 * write may run again), the server gone (503); the database busy
	 * (a lock not granted in time; 503 too, said differently). */
	STORE_FAILURE_RETRY,
	STORE_FAILURE_UNAVAILABLE,
	STORE_FAILURE_BUSY,
	/* A station or event of an import still being published (014). */
	STORE_FAILURE_IMPORTING,
	/* A shift in the period of a roster being generated (015). */
	STORE_FAILURE_GENERATING,
	STORE_FAILURE__MAX
};
enum store_failure store_last_failure(const struct store *);
/* Forgets the last failure; inside a transaction it does nothing (the
 * transaction's own failures stay until its end). */
void store_clear_failure(struct store *);

/* Group commit (synchronous=full): commits written to the WAL, commits
 * known to be on the disk, and the fsyncs that put them there. */
void store_group_stats(uint64_t *commits, uint64_t *synced, uint64_t *syncs);
/* Outbox claims across instances (issue 16 item 3, claims). */
/* A transaction (store_begin) for writes to rows it locks itself (the
 * outbox claims): on PostgreSQL without the lock that makes every other
 * write transaction one at a time across instances, so that instances
 * claim side by side; on SQLite store_begin. */
int store_begin_rows(struct store *);

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
	int active;    /* -1 any, 0 inactive, 1 active */
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

enum role {
	ROLE_NONE = 0,
	ROLE_COUNSELLOR = 1,
	ROLE_COORDINATOR = 2
};

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
int store_user_get_by_name(struct store *, const char *username, struct user *);
/* > 0 and u->id set; 0 when the username is taken. */
int store_user_insert(struct store *, struct user *u);

/* A login session; the store keeps only the hash of its token. */
int store_session_insert(struct store *, int64_t user_id,
    const char *token_hash, time_t created, time_t expires, const char *client);
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
	char *kind; /* lecture | salon | training | group | activity */
	char *title;
	char *description;
	int64_t station_id; /* 0 = district-wide */
	char *venue;
	time_t start_at, end_at, planned_start_at;
	char *audience; /* staff | residents | community_workers | mixed */
	char *external_speaker;
	int64_t capacity; /* -1 = no limit */
	enum event_status status;
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
	time_t from, to; /* overlap with [from, to); 0 = unbounded */
	const char *kind, *audience, *q; /* NULL = any */
	enum event_status status;        /* EVENT_STATUS_ANY = any */
	int64_t station_id;              /* 0 = any */
	int public_only;
	int64_t speaker_id; /* 0 = any */
};

void event_free(struct event *);
void event_list_free(struct event *, size_t n);
int store_event_get(struct store *, int64_t id, struct event *);
int store_event_list(struct store *, const struct event_filter *,
    const struct store_page *, struct event **items, size_t *n, int64_t *total);
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
/* Publishing a staged import in bounded batches (issue 17): each batch
 * of at most `batch` rows is a transaction of its own, so other writers
 * (public registrations) take the write lock between them. The first
 * batch runs in the caller's transaction (where it checked what it
 * staged); `last` (may be NULL) runs in the last one, before its commit
 * (the audit). Batches go from the highest seq down, so the first one
 * of each table takes its top id and the ids below stay free for the
 * rest: stations *station_base + 1…+ nstations, events *event_base + 1…
 * + nevents, as store_import_publish. On a failure the rows of the
 * batches committed so far are deleted again (a failed import leaves
 * nothing) and -1 is returned; st is then outside any transaction, as
 * after success. batch_max_ns / batches_ns: the longest and the total
 * time of a batch, begin to acknowledged commit (its time under the
 * write lock and its WAL sync). */
struct import_publish {
	size_t batch, nstations, nevents;
	int64_t max_imp, user_id;
	time_t now;
	int (*last)(struct store *, void *arg, int64_t station_base,
	    int64_t event_base);
	/* May be NULL: after the commit of batch `done` of `of`, but the
	 * last (its progress; outside any transaction). */
	void (*between)(struct store *, void *arg, size_t done, size_t of);
	void *arg;
	/* out */
	size_t batches;
	int64_t batch_max_ns, batches_ns;
};
int store_import_publish_batched(struct store *, struct import_publish *p,
    int64_t *station_base, int64_t *event_base);
/* The recovery record (014_import_runs.sql): with more than one batch,
 * the first writes the run's row in import_runs, with each table's id
 * range before its first rows, and the last deletes it (as does the
 * undo of a failed import). While the row is there, triggers refuse
 * other writers' references to the run's stations and events and
 * changes to them (store_last_failure: STORE_FAILURE_IMPORTING). A row
 * left by a stop between batches is undone by store_migrate, before
 * serving: the run's events (their history with them) and stations
 * deleted in one transaction, each run logged. */

/* One row of an event's change history. */
struct event_change {
	int64_t id;
	char *
	    kind; /* created updated rescheduled confirmed held cancelled forced */
	time_t old_start, old_end, new_start, new_end; /* 0 = none */
	char *reason;
	char *username;
	time_t at;
};

int store_event_change_add(struct store *, int64_t event_id, const char *kind,
    time_t old_start, time_t old_end, time_t new_start, time_t new_end,
    const char *reason, int64_t user_id);
void event_change_list_free(struct event_change *, size_t n);
int store_event_history(struct store *, int64_t event_id,
    struct event_change **items, size_t *n);

/* A clash found for an event being saved. */
enum clash_type {
	CLASH_SHIFT,
	CLASH_SPEAKER,
	CLASH_VENUE
};

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
/* Whether a station / event id exists. */
int store_station_exists(struct store *, int64_t id);
int store_event_exists(struct store *, int64_t id);

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
	unsigned weekdays;     /* bit 0 = Monday … bit 6 = Sunday */
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
	enum shift_status status;
	char *origin; /* manual | generated */
	char *note;
	int64_t sequence;
	int pinned; /* edited by hand: re-generation leaves it alone */
	time_t created_at, updated_at;
	char *station_name, *counsellor_name; /* read-only; "" when none */
};

struct shift_filter {
	time_t from, to;                   /* overlap; 0 = unbounded */
	int64_t station_id, counsellor_id; /* 0 = any */
	enum shift_status status;          /* SHIFT_STATUS_ANY = any */
	int open_only;                     /* only counsellor_id NULL */
	int active_only;                   /* not cancelled */
};

void shift_free(struct shift *);
void shift_list_free(struct shift *, size_t n);
int store_shift_get(struct store *, int64_t id, struct shift *);
int store_shift_list(struct store *, const struct shift_filter *,
    const struct store_page *, struct shift **, size_t *n, int64_t *total);
/* Every shift overlapping [from, to), in store_shift_list's order, by
 * an index and without a count (a roster generation's period; issue 15
 * point 5). */
int store_shift_period(struct store *, time_t from, time_t to,
    struct shift **items, size_t *n);
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
	enum leave_status status;
	enum leave_by entered_by;
	int64_t decided_by; /* user id, 0 = no coordinator decided */
	time_t decided_at;
	char *decision_note; /* NULL reads as "" */
};

struct availability_filter {
	int64_t counsellor_id;
	time_t from, to;
	enum leave_status status; /* LEAVE_STATUS_ANY = any */
	int live;                 /* only leave that marks (not refused) */
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
/* Each station's earliest shift ever (any state); the earliest of them
 * is when the roster began. items[i] = {station_id, start_at}, by
 * station id. */
struct shift_first {
	int64_t station_id;
	time_t start_at;
};
int store_shift_first_days(struct store *, struct shift_first **items,
    size_t *n);

struct swap_request {
	int64_t id, shift_id, other_shift_id, requested_by;
	enum swap_status status;
	char *reason;
	int64_t decided_by;
	time_t decided_at, created_at;
};

void swap_list_free(struct swap_request *, size_t n);
void swap_free(struct swap_request *);
int store_swap_get(struct store *, int64_t id, struct swap_request *);
/* requested_by 0 = anyone; status ANY = any. */
int store_swap_list(struct store *, int64_t requested_by, enum swap_status,
    const struct store_page *, struct swap_request **, size_t *n,
    int64_t *total);
int store_swap_insert(struct store *, struct swap_request *);
int store_swap_update(struct store *, const struct swap_request *);

/*
 * Roster generation in bounded batches (issue 17, rostergen; 015).
 *
 * store_roster_hold opens the run before the generation reads: on SQLite
 * in a short transaction of its own (*run > 0; from its commit 015's
 * triggers refuse other writers' shifts overlapping [from, to) with
 * STORE_FAILURE_GENERATING), on PostgreSQL by opening the one
 * transaction everything runs in (*run == 0). A caller may instead
 * begin that one transaction itself (store_begin) and, on either engine,
 * publish with store_roster_publish_whole (everything in it, then its
 * commit; issue 15 point 5: a quarter in one commit) or release with run
 * 0 (rolled back). Then either
 * store_roster_release (nothing written: the run dropped, or the
 * transaction rolled back) or store_roster_publish_batched (run > 0), which
 * inserts the shifts (their ids are set) in transactions of `batch`
 * from the highest id down, the run's range recorded in the first; then
 * calls `ready` outside any transaction (SQLite; PostgreSQL: inside its
 * one) and, in the last transaction, `last` (reassignments, notices, the
 * audit) and drops the run. On a failure the batches committed are
 * deleted again and -1 is returned; st is outside any transaction
 * either way. A run left by a stop between batches is undone by
 * store_migrate before serving (its shifts deleted, logged and audited
 * as roster_undo). batch_max_ns / batches_ns: the longest and the total
 * time of a batch (the last included), begin to acknowledged commit (its
 * WAL sync and a checkpoint included); lock_max_ns / locks_ns: begin to
 * COMMIT, the statements run under the write lock (which COMMIT's WAL
 * write, without a sync, ends); lock_cpu_max_ns the same in this
 * thread's CPU time (what it is on a machine not shared).
 */
struct roster_publish {
	size_t batch;
	struct shift *shifts; /* to insert, in any order */
	size_t n;
	int (*ready)(struct store *, void *arg);
	int (*last)(struct store *, void *arg);
	/* May be NULL: after the commit of insert batch `done` of `of`
	 * (outside any transaction; SQLite only). */
	void (*between)(struct store *, void *arg, size_t done, size_t of);
	void *arg;
	/* out */
	size_t batches;
	int64_t batch_max_ns, batches_ns, lock_max_ns, locks_ns;
	int64_t lock_cpu_max_ns; /* the CPU time of the longest */
};
int store_roster_hold(struct store *, int64_t user_id, time_t now, time_t from,
    time_t to, int64_t *run);
int store_roster_release(struct store *, int64_t run);
int store_roster_publish_batched(struct store *, int64_t run,
    struct roster_publish *p);
int store_roster_publish_whole(struct store *, struct roster_publish *p);
/* PostgreSQL (pgroster): the round trips to the server on this
 * connection so far (0 on SQLite), for the generation's log line. */
uint64_t store_round_trips(struct store *);

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
	enum registration_status status;
	int checked_in;
	int reminders_opt_out; /* read-only here: store_registration_set_opt_out */
	time_t created_at, updated_at;
};

void registration_free(struct registration *);
void registration_list_free(struct registration *, size_t n);
int store_registration_get_by_token(struct store *, const char *token,
    struct registration *);
int store_registration_get(struct store *, int64_t id, struct registration *);
/* The opt-out token of reminder mails (issue 17; written with the
 * registration): read (1, or 0 when the row has none), and the
 * registration it belongs to. */
int store_registration_optout(struct store *, int64_t id, char **tok);
int store_registration_by_optout(struct store *, const char *tok,
    struct registration *);
int store_registration_list(struct store *, int64_t event_id,
    struct registration **, size_t *n);
/* g with optout, the opt-out token of its reminder mails (NULL: none).
 * > 0 and id set; 0 when a token collides (retry). */
int store_registration_insert(struct store *, struct registration *g,
    const char *optout);
int store_registration_set_status(struct store *, int64_t id,
    enum registration_status, time_t at);
int store_registration_set_opt_out(struct store *, int64_t id, int opt_out,
    time_t at);
/* How many of an event's registrations have status. */
int store_registration_count(struct store *, int64_t event_id,
    enum registration_status, int64_t *n);
/* The earliest waitlisted registration of an event; 0 when none. */
int store_registration_first_waitlisted(struct store *, int64_t event_id,
    struct registration *);

struct attendance {
	int64_t id, event_id, registration_id; /* registration 0 = walk-in */
	char *name; /* the registration's or the walk-in's; NULL purged */
	time_t checked_in_at;
	int passed;         /* -1 unknown, 0, 1 */
	double score;       /* < 0 unknown */
	char *survey_token; /* NULL until the event is held */
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

/* One row of a framework, with what was entered for one period. */
struct indicator {
	int64_t id, framework_id;
	char *code, *level1, *level2, *level3;
	char target_op[3];
	int has_target; /* 0: no target value (checklist and manual rows) */
	double target_value;
	char *target_unit; /* count | percent | rating */
	char *target_text;
	double weight;
	char *rule, *source;
	char *checklist; /* "text=points|…", "" for none */
	int position;
	/* the period's entries; has_* says which were made */
	int has_value, has_rating, has_score;
	double value, rating, score;
	char *marks; /* "1,0,1"; NULL when not marked */
	char *note, *entered_by;
	time_t entered_at;
	int has_period; /* anything was entered for the period */
};

/* What to write for one period. Overrides: has_* given. Entries: set
 * 1 writes, 2 clears, 0 keeps. */
struct indicator_period {
	int has_target, has_weight, has_rule;
	char target_op[3];
	double target_value;
	const char *target_unit, *target_text;
	double weight;
	const char *rule;
	int set_value, set_rating, set_score, set_marks;
	double value, rating, score;
	const char *marks;
	const char *note; /* NULL keeps */
};

void indicator_free(struct indicator *);
void indicator_list_free(struct indicator *, size_t n);
/* The rows of a framework with the overrides and entries of exactly
 * [from, to] (NULL, NULL: the rows alone), by position. */
int store_indicator_list(struct store *, int64_t framework_id, const char *from,
    const char *to, struct indicator **, size_t *n);
int store_indicator_get(struct store *, int64_t framework_id, const char *code,
    struct indicator *);
/* Adds a row (i->id set); 0 when its code is taken in the framework. */
int store_indicator_insert(struct store *, struct indicator *i);
/* Writes levels, target, weight, rule, source, checklist and position. */
int store_indicator_update(struct store *, const struct indicator *);
/* Removes a row and its periods; 0 when none. */
int store_indicator_delete(struct store *, int64_t id);
/* > 0 when the framework has a row with the code, 0 when not. */
int store_indicator_code_taken(struct store *, int64_t framework_id,
    const char *code);
/* The position after the framework's last row. */
int store_indicator_next_position(struct store *, int64_t framework_id,
    int *position);
/* Merges settings into the period's row (creating it). */
int store_indicator_period_set(struct store *, int64_t indicator_id,
    const char *from, const char *to, const struct indicator_period *,
    int64_t user_id, time_t at);

/* Counts behind the indicators, for events starting in [from, to). */
int store_stat_training(struct store *, time_t from, time_t to, int64_t *held,
    int64_t *passed, int64_t *assessed);
/* Satisfaction answers (likert5 of satisfaction questions): per answer
 * the event's start and the value, for totals and monthly trends. */
struct stat_answer {
	time_t start_at;
	int64_t value;
};
int store_stat_satisfaction(struct store *, time_t from, time_t to,
    struct stat_answer **, size_t *n);
int store_stat_participants(struct store *, time_t from, time_t to,
    int64_t *registered, int64_t *attended_registered, int64_t *attended_all);

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
	enum outbox_status status;
	int attempts;
	char *last_error;
	char *detail; /* roster notices: JSON lines gathered until due */
	time_t due_at, next_attempt_at;
	time_t expires_at; /* 0 = never: unsent by then → skipped */
	time_t claimed_at, sent_at, created_at; /* 0 = not */
	char *event_title, *counsellor_name;    /* read-only; "" when none */
	/* Channels (schema 009): email | wecom | dingtalk | sms; NULL on a
	 * row to queue means email. A robot row names its station (0 = the
	 * district-wide robot). */
	char *channel;
	int64_t station_id;
	char *station_name; /* read-only; "" when none */
	/* A claim (017): the instance sending the row ("" none; kept once
	 * sent) and until when its claim holds (0 none). */
	char *claimed_by;
	time_t lease_until;
};

struct outbox_filter {
	enum outbox_status status; /* OUTBOX_STATUS_ANY = any */
	const char *kind;          /* NULL = any */
	int64_t event_id;          /* 0 = any */
	const char *channel;       /* NULL = any */
};

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
    const struct store_page *, struct outbox_msg **, size_t *n, int64_t *total);
/* Rows per status among those of f's kind and event (f NULL = all). */
int store_outbox_counts(struct store *, const struct outbox_filter *f,
    int64_t counts[OUTBOX_STATUS__MAX]);
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
/* A channel's rows left `sending` go back to pending, due at now: those
 * whose lease ran out by now, those claimed by instance (which has none
 * in flight when it recovers), on PostgreSQL those whose claiming
 * connection is gone (a killed instance); at_start on SQLite (one
 * instance per file) every one. How many it put back, or < 0. */
int store_outbox_recover(struct store *, const char *channel, time_t now,
    const char *instance, int at_start);
/* The channel's earliest pending or failed row due at now: > 0, 0 none. */
int store_outbox_next_due(struct store *, const char *channel, time_t now,
    struct outbox_msg *);
/* When the channel's next pending or failed row is due: > 0, 0 none. */
int store_outbox_next_time(struct store *, const char *channel, time_t *at);
/* Writes status, attempts, next_attempt_at, last_error, claimed_at and
 * sent_at of m. */
int store_outbox_set_state(struct store *, const struct outbox_msg *m);
/* Deletes finished rows created before cutoff. */
int store_outbox_purge(struct store *, time_t cutoff);
/* Outbox claims across instances (issue 16 item 3). Makes the pending
 * or failed row m `sending`, claimed by m->claimed_by until
 * m->lease_until, with m->attempts and m->claimed_at: > 0, 0 when it is
 * no longer due (claimed by another). */
int store_outbox_claim(struct store *, const struct outbox_msg *m);
/* Records what came of a try (status, attempts, next_attempt_at,
 * last_error, claimed_at, sent_at) while the row is still m->claimed_by's
 * claim: > 0, 0 when the claim was lost (its lease ran out and another
 * instance took the row back). */
int store_outbox_finish(struct store *, const struct outbox_msg *m);

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

/* duty.c: duty metrics and logs (值班记录): counts and a short note per
 * shift, never a petitioner's identity. */

struct duty_metric {
	char *code, *name, *unit;
	int64_t position;
	int active;
	int used; /* some log has a value of it */
	time_t created_at;
};

void duty_metric_free(struct duty_metric *);
void duty_metric_list_free(struct duty_metric *, size_t n);
/* Ordered by position and code; active_only leaves inactive ones out. */
int store_duty_metric_list(struct store *, int active_only,
    struct duty_metric **, size_t *n);
int store_duty_metric_get(struct store *, const char *code,
    struct duty_metric *);
/* > 0; 0 when the code is taken. */
int store_duty_metric_insert(struct store *, const struct duty_metric *);
/* Writes name, unit, position and active; > 0, 0 when unknown. */
int store_duty_metric_update(struct store *, const struct duty_metric *);
/* Deletes a metric no log has a value of: > 0 deleted, 0 unknown or
 * used. */
int store_duty_metric_delete(struct store *, const char *code);
/* One past the largest position. */
int store_duty_metric_next_position(struct store *, int64_t *pos);

/* A shift with its log (logged 0: none yet). counsellor_id is the log's
 * (who was on duty when it was written), else the shift's. */
struct duty_log {
	int64_t shift_id, station_id;
	int64_t shift_counsellor_id, log_counsellor_id, counsellor_id;
	char *station_name, *station_tz, *counsellor_name;
	enum shift_status shift_status;
	time_t start_at, end_at;
	int logged, attended;
	char *note;
	time_t created_at, updated_at; /* 0 when not logged */
	char *entered_by;              /* username, "" when not logged */
	int entered_by_counsellor;     /* last written by a counsellor */
	struct duty_value *values;
	size_t nvalues;
};

struct duty_log_filter {
	time_t from, to;       /* shifts starting in [from, to); 0 open */
	int64_t station_id;    /* 0 = any */
	int64_t counsellor_id; /* the log's, else the shift's; 0 any */
	int missing;           /* 0: logs; 1: shifts ended without one */
	time_t now;            /* for missing: ended by now */
};

void duty_log_free(struct duty_log *);
void duty_log_list_free(struct duty_log *, size_t n);
/* The shift id with its log and values: > 0, 0 when no such shift. */
int store_duty_log_get(struct store *, int64_t shift_id, struct duty_log *);
/* Newest shifts first, each with its values. */
int store_duty_log_list(struct store *, const struct duty_log_filter *,
    const struct store_page *, struct duty_log **, size_t *n, int64_t *total);

/* What a PUT writes: the log row, and its values replacing those of
 * active metrics (values of inactive metrics stay as they were; an
 * absent counsellor's log keeps none). */
struct duty_log_write {
	int64_t shift_id, counsellor_id, user_id;
	int attended;
	const char *note;
	time_t at;
	const struct duty_value *values;
	size_t nvalues;
};

int store_duty_log_put(struct store *, const struct duty_log_write *);
int store_duty_log_exists(struct store *, int64_t shift_id);

/* One shift behind the duty report: not cancelled, started in the
 * period, staffed or logged. */
struct duty_stat_shift {
	int64_t shift_id, station_id, counsellor_id;
	time_t start_at, end_at;
	int logged, attended;
};

struct duty_stat_value {
	int64_t shift_id;
	char code[DUTY_CODE_MAX + 1];
	int64_t value;
};

/* Shifts starting in [from, to), by id; and their logs' values, by
 * shift id. */
int store_duty_stat_shifts(struct store *, time_t from, time_t to,
    struct duty_stat_shift **, size_t *n);
int store_duty_stat_values(struct store *, time_t from, time_t to,
    struct duty_stat_value **, size_t *n);

/* A shift whose log is still missing, with whom to remind. */
struct duty_due {
	int64_t shift_id, counsellor_id;
	time_t start_at, end_at;
	char *station_name, *station_tz, *counsellor_name, *email;
};

void duty_due_list_free(struct duty_due *, size_t n);
/* Shifts that ended in (after, until], not cancelled, of an active
 * counsellor with an address, with no log and no reminder queued
 * (dedup key "duty_log:s<id>"); at most 200, the oldest first. */
int store_duty_due(struct store *, time_t after, time_t until,
    struct duty_due **, size_t *n);
/* Skips the unsent reminders of one shift (shift_id > 0) or of every
 * shift that ended by ended_by (shift_id 0). */
int store_duty_outbox_skip(struct store *, int64_t shift_id, time_t ended_by,
    const char *reason);

/* cases.c: key cases (重点个案), their sessions and follow-ups (回访) */

#define CASE_MAX_COUNSELLORS 10

struct case_rec {
	int64_t id;
	char *label;        /* pseudonymous, e.g. "2023-017" */
	int64_t station_id; /* 0 = none */
	char *opened_on;    /* YYYY-MM-DD */
	enum case_status status;
	char *closed_on; /* YYYY-MM-DD, "" while open */
	char *note;
	time_t created_at, updated_at;
	int64_t counsellor_ids[CASE_MAX_COUNSELLORS];
	size_t ncounsellors;
	/* read-only: filled by get and list */
	char *station_name;        /* "" when none */
	int64_t sessions, minutes; /* count and sum of its sessions */
	char *last_session_on;     /* "" when none */
	time_t next_follow_up;     /* the earliest open follow-up, 0 none */
};

struct case_filter {
	enum case_status status; /* CASE_STATUS_ANY = any */
	int64_t station_id;      /* 0 = any */
	int64_t counsellor_id;   /* 0 = any: else the cases they are on */
	const char *q;           /* substring of the label, or NULL */
};

void case_free(struct case_rec *);
void case_list_free(struct case_rec *, size_t n);
int store_case_get(struct store *, int64_t id, struct case_rec *);
int store_case_list(struct store *, const struct case_filter *,
    const struct store_page *, struct case_rec **, size_t *n, int64_t *total);
/* Inserts c and its counsellors; > 0 and c->id set; 0 when the label is
 * taken (labels compare without case). */
int store_case_insert(struct store *, struct case_rec *c);
/* Writes every field of c and replaces its counsellors; > 0, 0 when the
 * label is taken. */
int store_case_update(struct store *, const struct case_rec *c);
/* Deletes a case with its counsellors and follow-ups (the caller has
 * checked it has no sessions). > 0, 0 unknown. */
int store_case_delete(struct store *, int64_t id);
/* > 0 when the counsellor is on the case, 0 when not. */
int store_case_has_counsellor(struct store *, int64_t case_id,
    int64_t counsellor_id);

struct case_session {
	int64_t id, case_id;
	int64_t counsellor_id; /* 0 = none (a deleted counsellor) */
	char *date;            /* YYYY-MM-DD */
	int64_t minutes;       /* 1-1440 */
	char *kind;            /* one_to_one | home_visit | phone | group */
	char *note;
	int64_t entered_by; /* user, 0 = none */
	time_t created_at;
	char *counsellor_name; /* read-only; "" when none */
};

void case_session_free(struct case_session *);
void case_session_list_free(struct case_session *, size_t n);
/* A case's sessions, the latest first. */
int store_case_sessions(struct store *, int64_t case_id, struct case_session **,
    size_t *n);
int store_case_session_get(struct store *, int64_t id, struct case_session *);
int store_case_session_insert(struct store *, struct case_session *);
int store_case_session_delete(struct store *, int64_t id);

struct case_follow_up {
	int64_t id, case_id, counsellor_id;
	time_t due_at;
	time_t done_at, cancelled_at; /* 0 = not */
	char *note;
	int64_t sequence; /* iCalendar SEQUENCE */
	time_t created_at, updated_at;
	/* read-only */
	char *label;        /* the case's */
	int64_t station_id; /* the case's, 0 = none */
	char *counsellor_name;
};

struct follow_up_filter {
	int64_t case_id, counsellor_id; /* 0 = any */
	time_t from, to;                /* due in [from, to); 0 = unbounded */
	int done;                       /* -1 any, 0 open, 1 done */
	int with_cancelled;             /* feeds keep deleted ones a while */
};

void case_follow_up_free(struct case_follow_up *);
void case_follow_up_list_free(struct case_follow_up *, size_t n);
/* Follow-ups by due time. */
int store_follow_up_list(struct store *, const struct follow_up_filter *,
    struct case_follow_up **, size_t *n);
/* Also a cancelled one. */
int store_follow_up_get(struct store *, int64_t id, struct case_follow_up *);
int store_follow_up_insert(struct store *, struct case_follow_up *);
/* Writes due_at, done_at, cancelled_at, note, sequence, updated_at. */
int store_follow_up_update(struct store *, const struct case_follow_up *);
/* Raises the SEQUENCE of a case's follow-ups (its label changed). */
int store_follow_up_touch_case(struct store *, int64_t case_id, time_t at);

/* counselling.c: a station's anonymous survey and paper tallies */

/* The station's survey token (NULL when the link is off; caller frees)
 * and questionnaire (0 = the built-in counselling one). 0 unknown. */
int store_station_survey_get(struct store *, int64_t station_id, char **token,
    int64_t *template_id);
/* Sets (or with NULL removes) the token: the old one stops at once. */
int store_station_survey_set(struct store *, int64_t station_id,
    const char *token);
/* The active station whose survey token is token; 0 when none. */
int store_station_by_survey_token(struct store *, const char *token,
    int64_t *station_id);
/* The built-in 心理咨询满意度 questionnaire: > 0 its id, 0 none, < 0. */
int64_t store_survey_counselling_template(struct store *);
/* An anonymous answer of a station's counselling room; > 0 and *id. */
int store_survey_counselling_insert(struct store *, int64_t station_id,
    time_t at, const struct survey_answer *, size_t n, int64_t *id);
/* A station's answers submitted in [from, to) (0 = unbounded). */
int store_survey_station_answers(struct store *, int64_t station_id,
    time_t from, time_t to, struct survey_answer_row **, size_t *n);
int store_survey_station_count(struct store *, int64_t station_id, time_t from,
    time_t to, int64_t *n);

/* A stack of paper forms for one likert5 question. */
struct survey_tally {
	int64_t id;
	int64_t event_id, station_id; /* exactly one is set (the other 0) */
	char *source;                 /* event | counselling */
	char *date;                   /* YYYY-MM-DD the forms were filled */
	int64_t question_id;
	int64_t n[5];       /* n[0] answers 1 (非常不满意) … n[4] 5 */
	int64_t entered_by; /* user, 0 = none */
	time_t created_at;
	/* read-only */
	char *qkey, *qtext;
	int qsatisfaction;
	char *entered_by_name;
};

struct tally_filter {
	int64_t event_id, station_id; /* 0 = any */
	const char *from, *to;        /* dates, inclusive; NULL = unbounded */
};

void survey_tally_free(struct survey_tally *);
void survey_tally_list_free(struct survey_tally *, size_t n);
int store_tally_insert(struct store *, struct survey_tally *);
int store_tally_get(struct store *, int64_t id, struct survey_tally *);
int store_tally_delete(struct store *, int64_t id);
/* Latest date first. */
int store_tally_list(struct store *, const struct tally_filter *,
    const struct store_page *, struct survey_tally **, size_t *n,
    int64_t *total);
/* framework.c */

/* An evaluation framework: one bureau's table for a period. */
struct framework {
	int64_t id;
	char *name;
	char date_from[11], date_to[11];
	int64_t rows;
	double weight_sum;
	time_t created_at, updated_at;
};

void framework_free(struct framework *);
void framework_list_free(struct framework *, size_t n);
/* Every framework, the latest period first. */
int store_framework_list(struct store *, struct framework **, size_t *n);
int store_framework_get(struct store *, int64_t id, struct framework *);
/* The framework whose period holds date (the latest starting one when
 * several do), else the latest; 0 when there is none. */
int store_framework_for_date(struct store *, const char *date, int64_t *id);
/* Adds f (f->id set). */
int store_framework_insert(struct store *, struct framework *f);
/* Writes name and period. */
int store_framework_update(struct store *, const struct framework *);
/* Removes a framework with its rows and their periods; 0 when none. */
int store_framework_delete(struct store *, int64_t id);
/* Copies the rows of one framework (codes, levels, targets, weights,
 * rules, sources, checklists, positions; no period entries) into
 * another. */
int store_framework_copy_rows(struct store *, int64_t from_id, int64_t to_id);

/* The records behind a framework's sources (DESIGN "Sources"), for a
 * period given both as UTC bounds [t0, t1) (timestamps) and as dates
 * [d0, d1] (date columns). */
struct src_period {
	time_t t0, t1;
	const char *d0, *d1;
};
/* Held events starting in the period; kind, audience, station code NULL
 * for any. */
int store_src_events_held(struct store *, const struct src_period *,
    const char *kind, const char *audience, const char *station, int64_t *n);
/* District-wide targets of plans lying within the period (of one kind,
 * or all), and the held events of the kinds targeted. */
int store_src_plans(struct store *, const struct src_period *, const char *kind,
    int64_t *held, int64_t *planned);
/* Answers 4 or 5 of all answers to satisfaction likert5 questions:
 * online answers of events starting in the period and of counselling
 * forms submitted in it, and paper tallies dated in it. which: 0 both,
 * 1 events, 2 counselling (enum ind_survey_source). */
int store_src_satisfaction(struct store *, const struct src_period *, int which,
    int64_t *satisfied, int64_t *total);
/* Sum of one metric over the duty logs of shifts starting in the
 * period. */
int store_src_duty_sum(struct store *, const struct src_period *,
    const char *metric, int64_t *sum);
/* Logged shifts starting in the period, and how many were attended. */
int store_src_duty_attendance(struct store *, const struct src_period *,
    int64_t *attended, int64_t *logged);
/* Cases with a session dated in the period (assisted), those of them
 * resolved by its end, and the minutes of the period's sessions. */
int store_src_cases(struct store *, const struct src_period *,
    int64_t *assisted, int64_t *resolved, int64_t *minutes);
/* > 0 when a duty metric with the code exists, 0 when not. */
int store_duty_metric_exists(struct store *, const char *code);
/* The active duty metrics, for choosing a duty.<metric> source. */
struct src_metric {
	char *code, *name, *unit;
};
void src_metric_list_free(struct src_metric *, size_t n);
int store_src_metrics(struct store *, struct src_metric **, size_t *n);
/* channel.c: group robots (schema 009) and what SMS needs. */

/* A group robot: a station's (or the district's, station_id 0) WeCom
 * or DingTalk webhook. token and secret never leave the server in full. */
struct robot {
	int64_t id, station_id;
	char *channel; /* wecom | dingtalk */
	char *token;   /* WeCom key / DingTalk access_token */
	char *secret;  /* DingTalk signing secret; "" = none */
	int active;
	time_t created_at, updated_at;
	char *station_name, *station_tz; /* read-only; "" for the district */
};

void robot_free(struct robot *);
void robot_list_free(struct robot *, size_t n);
/* The robot of a scope (station_id 0 = district-wide) and channel: > 0,
 * 0 none. */
int store_robot_get(struct store *, int64_t station_id, const char *channel,
    struct robot *);
/* Every robot (of one channel; NULL = all), the district's first. */
int store_robot_list(struct store *, const char *channel, struct robot **,
    size_t *n);
/* The active robots a station's news goes to (its own and the
 * district's; station_id 0: the district's only), of one channel or
 * all (NULL). */
int store_robot_targets(struct store *, int64_t station_id, const char *channel,
    struct robot **, size_t *n);
/* Inserts (r->id 0, set on success) or updates token, secret, active. */
int store_robot_save(struct store *, struct robot *, time_t now);
/* Deletes a robot and skips its unsent rows with reason. */
int store_robot_delete(struct store *, const struct robot *,
    const char *reason);
/* A robot's roster notice still gathering changes: > 0, 0 none. */
int store_outbox_open_robot_roster(struct store *, const char *channel,
    int64_t station_id, struct outbox_msg *);
int store_outbox_robot_roster_count(struct store *, const char *channel,
    int64_t station_id, int64_t *n);

/* A participant as SMS sees them. */
struct sms_person {
	int64_t registration_id, event_id;
	char *phone; /* as entered ("" once purged) */
	enum registration_status status;
	int reminders_opt_out, sms_opt_out;
};

void sms_person_free(struct sms_person *);
void sms_person_list_free(struct sms_person *, size_t n);
/* Registered participants of an event with a phone (only registration
 * only_reg when > 0). */
int store_sms_people(struct store *, int64_t event_id, int64_t only_reg,
    struct sms_person **, size_t *n);
/* One registration, whatever its status: > 0, 0 none. */
int store_sms_person(struct store *, int64_t registration_id,
    struct sms_person *);
int store_registration_set_sms_opt_out(struct store *, int64_t id, int opt_out,
    time_t at);
/* SMS sent to a number (normalized, 11 digits) since a time. */
int store_sms_sent_since(struct store *, const char *phone, time_t since,
    int64_t *n);
/* Skips one participant's unsent rows of a channel with reason. */
int store_outbox_skip_registration(struct store *, int64_t registration_id,
    const char *channel, const char *reason);
/* Shifts that ended in (after, until] without a log, not cancelled, of an
 * active counsellor, of one station (0 = any); email is "". */
int store_robot_duty_missing(struct store *, time_t after, time_t until,
    int64_t station_id, struct duty_due **, size_t *n);

/* Skips every unsent row of a channel (one turned off) with reason. */
int store_outbox_skip_channel(struct store *, const char *channel,
    const char *reason);
/* Per participant of an event, the channels their messages took. */
struct reg_channel {
	int64_t registration_id;
	char channel[16];
	int64_t queued, sent; /* rows not skipped; of them sent */
};
int store_outbox_registration_channels(struct store *, int64_t event_id,
    struct reg_channel **, size_t *n);

/* Feed marks (issue 15, incremental feeds): the rows store_event_list
 * and store_shift_list would return, in the same order, as one small
 * struct each (no allocation per row): the id and a fingerprint of every
 * column those lists read, so a feed rebuilds only the rows whose
 * fingerprint it has not seen. */
struct feed_mark {
	int64_t id;
	int64_t fp;          /* hearth_fp of the list's columns */
	int64_t station_id;  /* 0 = none */
	int status;          /* enum event_status / enum shift_status */
	time_t cancelled_at; /* events; 0 = not cancelled (shifts: 0) */
	time_t updated_at;
};
/* participant.c: the first live (not cancelled) registration of
 * event_id that is the same person as email and phone (either may be
 * NULL) by registration_same_person — one lookup of 019's keys, no walk
 * over the event. > 0 with *id and *status, 0 none, -1 failure. */
int store_registration_find(struct store *, int64_t event_id, const char *email,
    const char *phone, int64_t *id, enum registration_status *status);
/* participant.c (issue 15, regidx): fills the keys of the registrations
 * from before migration 019 (NULL keys) in one transaction; the start
 * (main.c, after store_setup) runs it before serving. >= 0 the rows
 * filled, -1 failure. */
int64_t store_registration_keys_fill(struct store *);
/* event.c: the marks of store_event_list's rows */
int store_event_marks(struct store *, const struct event_filter *,
    const struct store_page *, struct feed_mark **, size_t *n);
/* roster.c: the marks of store_shift_list's rows */
int store_shift_marks(struct store *, const struct shift_filter *,
    const struct store_page *, struct feed_mark **, size_t *n);
/* copy.c */

/* Copies every table of the Hearth database at from->path into to->path
 * (SQLite path or PostgreSQL URI on either side), in one transaction on
 * the destination: migrates the destination first, refuses unless both
 * schemas are at the same version and the destination holds only what
 * migrations seed, moves PostgreSQL's id sequences past the copied ids
 * and compares the row counts table by table, calling counted (may be
 * NULL) for each. > 0 committed; < 0 refused or failed (logged through
 * to->log), the destination unchanged. */
int store_copy(const struct store_config *from, const struct store_config *to,
    void (*counted)(void *, const char *table, int64_t src, int64_t dst),
    void *arg);

/* shared.c: what several instances on one PostgreSQL database share
 * (issue 16, multi; 016). SQLite keeps it in the process. */

/* Whether the store is one several instances may share (PostgreSQL). */
int store_shared(void);
/* The revision to key caches on: SQLite's in-process store_revision;
 * on PostgreSQL the database's, which every write transaction of any
 * instance moves (one primary-key read). On a failure (logged), a value
 * that matches no cache. */
int64_t store_revision_of(struct store *);
/* The fake test clock's offset (seconds added to the real time) kept
 * for every instance: > 0 read / set, < 0 failure. */
int store_clock_offset(struct store *, int64_t *offset);
int store_clock_offset_set(struct store *, int64_t offset);
/* Rate limits kept in the database (kind: the caller's enum). A fixed
 * window of window_s: the seconds until key may go on (0 now), < 0
 * failure; one more event; the count back to 0. */
int store_rate_count_wait(struct store *, int kind, const char *key, int max,
    int window_s, time_t now);
int store_rate_count_add(struct store *, int kind, const char *key,
    int window_s, time_t now);
int store_rate_count_reset(struct store *, int kind, const char *key);
/* A token bucket (burst tokens, per_s a second; now in seconds): takes
 * one token, 0 when there was one, else the seconds to wait; < 0
 * failure. */
int store_rate_take(struct store *, int kind, const char *key, double burst,
    double per_s, double now);
/* db.c (issue 15, branch perf15): the calling thread is about to be
 * idle a long while. On SQLite its connection is closed (it keeps its
 * parsed schema and a first page cache, about 350 KB) and its next
 * store_thread opens another; a PostgreSQL connection is kept
 * (reconnecting costs round trips and the server-side prepares, and
 * delayed an idle worker's first commit after a wake-up by tens of ms;
 * its memory is mostly the server's). */
void store_thread_idle(void);
/* How many connections store_thread has opened in this process, and
 * how many of them are open now. */
long store_thread_opens(void);
long store_threads_open(void);
/* db.c (issue 15 point 4, surveycpu): a savepoint in the transaction
 * store_begin began, for one request of a batch (http ROUTE_BATCH);
 * its release; and its rollback, which also ends it, so the
 * transaction goes on without what the request wrote. > 0 done; else
 * the transaction is to be rolled back whole. */
int store_savepoint(struct store *);
int store_release(struct store *);
int store_rollback_to(struct store *);

#endif
