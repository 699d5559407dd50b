/*
 * The statement table of the store: every SQL statement Hearth runs, by
 * name. Private to svc/store/. Bound parameters only; never SQL built
 * from strings.
 */
#ifndef HEARTH_STORE_STMT_H
#define HEARTH_STORE_STMT_H

#include "driver.h"
#include "store.h"

enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_STATION_GET,
	STMT_STATION_GET_BY_CODE,
	STMT_STATION_LIST,
	STMT_STATION_COUNT,
	STMT_STATION_INSERT,
	STMT_STATION_UPDATE,
	STMT_COUNSELLOR_GET,
	STMT_COUNSELLOR_GET_BY_TOKEN,
	STMT_COUNSELLOR_LIST,
	STMT_COUNSELLOR_COUNT,
	STMT_COUNSELLOR_INSERT,
	STMT_COUNSELLOR_UPDATE,
	STMT_COUNSELLOR_COUNT_BY_STATION,
	STMT_USER_COUNT,
	STMT_USER_GET_BY_NAME,
	STMT_USER_INSERT,
	STMT_SESSION_INSERT,
	STMT_SESSION_USER,
	STMT_SESSION_DELETE,
	STMT_SESSION_PURGE,
	STMT_STATION_GET_BY_NAME,
	STMT_STATION_BY_NAME_PREFIX,
	STMT_COUNSELLOR_EXISTS,
	STMT_SURVEY_TEMPLATE_EXISTS,
	STMT_EVENT_GET,
	STMT_EVENT_LIST,
	STMT_EVENT_COUNT,
	STMT_EVENT_INSERT,
	STMT_EVENT_UPDATE,
	STMT_EVENT_SPEAKERS_DELETE,
	STMT_EVENT_SPEAKER_INSERT,
	STMT_EVENT_CHANGE_INSERT,
	STMT_EVENT_HISTORY,
	STMT_CLASH_SHIFTS,
	STMT_CLASH_SPEAKER,
	STMT_CLASH_VENUE,
	STMT_PLAN_GET,
	STMT_PLAN_LIST,
	STMT_PLAN_COUNT,
	STMT_PLAN_INSERT,
	STMT_PLAN_UPDATE,
	STMT_PLAN_DELETE,
	STMT_PLAN_TARGETS,
	STMT_PLAN_TARGETS_DELETE,
	STMT_PLAN_TARGET_INSERT,
	STMT_HOLIDAY_RANGE,
	STMT_HOLIDAY_GET,
	STMT_HOLIDAY_GET_BY_DATE,
	STMT_HOLIDAY_INSERT,
	STMT_HOLIDAY_UPDATE,
	STMT_HOLIDAY_DELETE,
	STMT_TEMPLATE_GET,
	STMT_TEMPLATE_LIST,
	STMT_TEMPLATE_COUNT,
	STMT_TEMPLATE_INSERT,
	STMT_TEMPLATE_UPDATE,
	STMT_SHIFT_GET,
	STMT_SHIFT_LIST,
	STMT_SHIFT_COUNT,
	STMT_SHIFT_INSERT,
	STMT_SHIFT_UPDATE,
	STMT_SHIFT_DELETE,
	STMT_AVAIL_GET,
	STMT_AVAIL_LIST,
	STMT_AVAIL_COUNT,
	STMT_AVAIL_INSERT,
	STMT_AVAIL_UPDATE,
	STMT_AVAIL_DELETE,
	STMT_SWAP_GET,
	STMT_SWAP_LIST,
	STMT_SWAP_COUNT,
	STMT_SWAP_INSERT,
	STMT_SWAP_UPDATE,
	STMT_REG_GET_BY_TOKEN,
	STMT_REG_GET,
	STMT_REG_LIST,
	STMT_REG_INSERT,
	STMT_REG_SET_STATUS,
	STMT_REG_COUNT,
	STMT_REG_FIRST_WAITLISTED,
	STMT_ATT_GET,
	STMT_ATT_BY_REG,
	STMT_ATT_BY_TOKEN,
	STMT_ATT_LIST,
	STMT_ATT_INSERT,
	STMT_ATT_UPDATE,
	STMT_ATT_DELETE,
	STMT_TPL_GET,
	STMT_TPL_LIST,
	STMT_TPL_QUESTIONS,
	STMT_TPL_INSERT,
	STMT_TPL_Q_INSERT,
	STMT_TPL_DEFAULT,
	STMT_RESP_INSERT,
	STMT_ANSWER_INSERT,
	STMT_ANSWERS,
	STMT_RESP_COUNTS,
	STMT_ANON_GET,
	STMT_ANON_SET,
	STMT_ANON_EVENT,
	STMT_SETTING_GET,
	STMT_SETTING_SET,
	STMT_PURGE_REG,
	STMT_PURGE_ATT,
	STMT_IND_LIST,
	STMT_IND_UPDATE,
	STMT_IND_PERIOD_SET,
	STMT_STAT_TRAINING,
	STMT_STAT_SATISFACTION,
	STMT_STAT_PARTICIPANTS,
	STMT_FEED_FETCH_RECORD,
	STMT_FEED_FETCH_LIST,
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST,
	STMT_AUDIT_COUNT,
	STMT_REG_SET_OPT_OUT,
	STMT_OUTBOX_INSERT,
	STMT_OUTBOX_REVIVE,
	STMT_OUTBOX_GET,
	STMT_OUTBOX_LIST,
	STMT_OUTBOX_COUNT,
	STMT_OUTBOX_COUNTS,
	STMT_OUTBOX_SKIP,
	STMT_OUTBOX_OPEN_ROSTER,
	STMT_OUTBOX_ROSTER_COUNT,
	STMT_OUTBOX_REWRITE,
	STMT_OUTBOX_RECOVER,
	STMT_OUTBOX_NEXT_DUE,
	STMT_OUTBOX_NEXT_TIME,
	STMT_OUTBOX_SET_STATE,
	STMT_OUTBOX_PURGE,
	STMT_OUTBOX_EXISTS,
	STMT_OUTBOX_EXPIRE,
	/* duty.c */
	STMT_DUTY_METRIC_LIST,
	STMT_DUTY_METRIC_GET,
	STMT_DUTY_METRIC_INSERT,
	STMT_DUTY_METRIC_UPDATE,
	STMT_DUTY_METRIC_DELETE,
	STMT_DUTY_METRIC_NEXT_POS,
	STMT_DUTY_LOG_GET,
	STMT_DUTY_LOG_LIST,
	STMT_DUTY_LOG_COUNT,
	STMT_DUTY_LOG_VALUES,
	STMT_DUTY_LOG_UPSERT,
	STMT_DUTY_LOG_VALUES_CLEAR,
	STMT_DUTY_LOG_VALUE_INSERT,
	STMT_DUTY_LOG_EXISTS,
	STMT_DUTY_STAT_SHIFTS,
	STMT_DUTY_STAT_VALUES,
	STMT_DUTY_DUE,
	STMT_DUTY_OUTBOX_SKIP,
	/* key cases, counselling surveys, paper tallies (cases.c, counselling.c) */
	STMT_CASE_GET,
	STMT_CASE_LIST,
	STMT_CASE_COUNT,
	STMT_CASE_INSERT,
	STMT_CASE_UPDATE,
	STMT_CASE_DELETE,
	STMT_CASE_COUNSELLORS_DELETE,
	STMT_CASE_COUNSELLOR_INSERT,
	STMT_CASE_HAS_COUNSELLOR,
	STMT_CASE_SESSIONS,
	STMT_CASE_SESSION_GET,
	STMT_CASE_SESSION_INSERT,
	STMT_CASE_SESSION_DELETE,
	STMT_FOLLOW_UP_LIST,
	STMT_FOLLOW_UP_GET,
	STMT_FOLLOW_UP_INSERT,
	STMT_FOLLOW_UP_UPDATE,
	STMT_FOLLOW_UP_TOUCH_CASE,
	STMT_STATION_SURVEY_GET,
	STMT_STATION_SURVEY_SET,
	STMT_STATION_BY_SURVEY_TOKEN,
	STMT_TPL_COUNSELLING,
	STMT_RESP_COUNSELLING_INSERT,
	STMT_STATION_ANSWERS,
	STMT_STATION_RESP_COUNT,
	STMT_TALLY_INSERT,
	STMT_TALLY_GET,
	STMT_TALLY_LIST,
	STMT_TALLY_COUNT,
	STMT_TALLY_DELETE,
	/* frameworks and their sources (framework.c, indicator.c) */
	STMT_IND_INSERT,
	STMT_IND_DELETE,
	STMT_IND_CODE_TAKEN,
	STMT_IND_NEXT_POSITION,
	STMT_FW_LIST,
	STMT_FW_FOR_DATE,
	STMT_FW_INSERT,
	STMT_FW_UPDATE,
	STMT_FW_DELETE,
	STMT_FW_COPY_ROWS,
	STMT_SRC_EVENTS_HELD,
	STMT_SRC_PLANS,
	STMT_SRC_SATISFACTION,
	STMT_SRC_DUTY_SUM,
	STMT_SRC_DUTY_ATTENDANCE,
	STMT_SRC_CASES,
	STMT_SRC_METRIC_EXISTS,
	STMT_SRC_METRICS,
	/* channel.c */
	STMT_ROBOT_GET,
	STMT_ROBOT_LIST,
	STMT_ROBOT_TARGETS,
	STMT_ROBOT_INSERT,
	STMT_ROBOT_UPDATE,
	STMT_ROBOT_DELETE,
	STMT_OUTBOX_SKIP_ROBOT,
	STMT_OUTBOX_OPEN_ROBOT_ROSTER,
	STMT_OUTBOX_ROBOT_ROSTER_COUNT,
	STMT_SMS_SENT_SINCE,
	STMT_SMS_PEOPLE,
	STMT_SMS_PERSON,
	STMT_REG_SET_SMS_OPT_OUT,
	STMT_OUTBOX_SKIP_REG_CHANNEL,
	STMT_ROBOT_DUTY_MISSING,
	STMT_OUTBOX_REG_CHANNELS,
	STMT_OUTBOX_SKIP_CHANNEL,
	/* reliability: accounts */
	STMT_USER_GET,
	STMT_USER_BY_COUNSELLOR,
	STMT_USER_LIST,
	STMT_USER_SET_ACTIVE,
	STMT_USER_SET_PASSWORD,
	STMT_USER_DISABLE_COUNSELLOR,
	STMT_SESSION_END_USER,
	STMT_SESSION_END_COUNSELLOR,
	STMT_USER_COORDINATORS_ACTIVE,
	/* reliability: imports staged outside the write lock */
	STMT_BEGIN_DEFERRED,
	STMT_IMPORT_EVENTS_TABLE,
	STMT_IMPORT_STATIONS_TABLE,
	STMT_IMPORT_EVENTS_CLEAR,
	STMT_IMPORT_STATIONS_CLEAR,
	STMT_IMPORT_EVENT_STAGE,
	STMT_IMPORT_STATION_STAGE,
	STMT_STATION_MAX_ID,
	STMT_EVENT_MAX_ID,
	STMT_IMPORT_STATIONS_PUBLISH,
	STMT_IMPORT_EVENTS_PUBLISH,
	STMT_IMPORT_CHANGES_PUBLISH,
	/* reliability: the opt-out token of reminder mails */
	STMT_REG_OPTOUT,
	STMT_REG_BY_OPTOUT,
	/* issue 13: coverage from the first rostered day of each station */
	STMT_SHIFT_FIRST_DAYS,
	/* performance (issue 15) */
	STMT_OUTBOX_SKIP_REG,
	/* feedperf (issue 15): a feed's rows as (id, fingerprint) */
	STMT_EVENT_MARKS,
	STMT_SHIFT_MARKS,
	STMT_EVENT_SPEAKER_MARKS,
	/* feedperf (issue 15): a registration's duplicate check, light */
	STMT_REG_PEOPLE,
	/* Imports published in bounded batches (issue 17, importperf). */
	STMT_IMPORT_STATIONS_PUBLISH_RANGE,
	STMT_IMPORT_EVENTS_PUBLISH_RANGE,
	STMT_IMPORT_CHANGES_PUBLISH_RANGE,
	STMT_IMPORT_EVENTS_UNPUBLISH,
	STMT_IMPORT_STATIONS_UNPUBLISH,
	/* An import's recovery record (issue 17, importperf; 014). */
	STMT_IMPORT_RUN_INSERT,
	STMT_IMPORT_RUN_STATIONS,
	STMT_IMPORT_RUN_EVENTS,
	STMT_IMPORT_RUN_DELETE,
	STMT_IMPORT_RUNS_LIST,
	/* Roster generation in bounded batches (issue 17, rostergen; 015). */
	STMT_SHIFT_INSERT_AT,
	STMT_SHIFT_MAX_ID,
	STMT_ROSTER_SHIFTS_UNPUBLISH,
	STMT_ROSTER_RUN_INSERT,
	STMT_ROSTER_RUN_HOLD,
	STMT_ROSTER_RUN_SHIFTS,
	STMT_ROSTER_RUN_DELETE,
	STMT_ROSTER_RUNS_LIST,
	/* Several instances on one database (issue 16, multi; 016). */
	STMT_STATE_GET,
	STMT_STATE_CLOCK_SET,
	STMT_RATE_COUNT_GET,
	STMT_RATE_COUNT_ADD,
	STMT_RATE_COUNT_RESET,
	STMT_RATE_TAKE,
	STMT_RATE_COUNTS_PURGE,
	STMT_RATE_BUCKETS_PURGE,
	/* Outbox claims across instances (issue 16 item 3, claims; 017). */
	STMT_OUTBOX_CLAIM,
	STMT_OUTBOX_FINISH,
	/* Whether a station / event id exists (branch dups2). */
	STMT_STATION_EXISTS,
	STMT_EVENT_EXISTS,
	/* A roster generation's period (issue 15 point 5, roster16). */
	STMT_SHIFT_PERIOD,
	/* Registrations' keys (issue 15, regidx; 019). */
	STMT_REG_KEYS_MISSING,
	STMT_REG_KEYS_SET,
	/* A request's savepoint in a batch transaction (ROUTE_BATCH, issue
	 * 15 point 4, surveycpu). */
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	/* A roster's shifts in one statement (PostgreSQL, pgroster). */
	STMT_SHIFT_INSERT_MANY,
	STMT__MAX
};

struct store {
	sqlite3 *db;
	struct dbstmt *stmts[STMT__MAX];
	int in_tx;
	int last_error;     /* enum db_err of the last failure (store_fail) */
	int outbox_queued;  /* this transaction queued a message to send */
	time_t outbox_due;  /* the earliest due time of what it queued */
	struct store *next; /* registry of open connections */
	/* The driver (driver.h): which backend, and PostgreSQL's state. */
	enum db_kind kind;
	PGconn *pg;
	int64_t changes; /* rows of the last write (PostgreSQL) */
	char *errmsg;    /* the last PostgreSQL error, for the log */
	int generation;  /* grows on each reconnect */
	int step_err;    /* enum db_err of the last failed step */
	/* Group commit (db.c): the number of this connection's last commit
	 * whose WAL frames may not be on the disk yet; 0 = none. */
	uint64_t unsynced;
	/* The WAL passed the checkpoint size in this transaction's commit:
	 * store_commit checkpoints once the write lock is given back. */
	int checkpoint;
	/* PostgreSQL failover (driver.c): a transaction is open on the
	 * connection (BEGIN ran), and it was lost with its connection: every
	 * statement fails until ROLLBACK or the next BEGIN, so the rest of
	 * the transaction never runs by itself on the new connection. */
	int tx_open;
	int tx_lost;
	/* PostgreSQL (issue 17, pgbatch): the writes now are a batch's that
	 * any failure rolls back whole (store_bulk_begin … store_bulk_end),
	 * so pg_exec sends them in a pipeline, without a savepoint each;
	 * piped: how many are sent and not yet answered. */
	int bulk;
	int piped;
	/* PostgreSQL (tidy): the generation of the connection on which the
	 * open run's claim (store_run_claim) was taken; a reconnect since
	 * lost its session lock (store_run_reclaim). */
	int claim_generation;
	/* PostgreSQL (issue 15, pgwrite): a write in a transaction goes out
	 * with its savepoint in one pipeline (driver.c, pg_exec_guarded);
	 * last_write: the statement of the last write, which db_last_id
	 * marks as one whose id is read, so its next run fetches lastval()
	 * in the same pipeline; lastval, valid while has_lastval: that id,
	 * until the next statement on the connection. */
	struct dbstmt *last_write;
	int64_t lastval;
	int has_lastval;
	/* Requests sent to the server and waited for (a pipeline counts
	 * once): the round trips test_driver counts. */
	uint64_t pg_trips;
	/* A writer's transaction (STMT_BEGIN) commits without waiting for
	 * its flush: store_commit waits for it after the locks are given
	 * back (db_pg_durable). */
	int pg_unflushed;
};

/* db.c */

/* The process-wide writer lock that store_begin takes, for a single
 * write outside a transaction. */
void store_write_lock(void);
void store_write_unlock(void);
/* How many threads wait for that lock now (tidy7: store_commit). */
int store_write_waiters(void);
/* The prepared statement, reset and unbound, or NULL (logged). */
struct dbstmt *store_stmt(struct store *, enum stmt);
/* Logs the connection's last error with context; returns -1. */
int store_fail(struct store *, const char *what);
/* Column helpers: a copy of a text column ("" for NULL); NULL on OOM. */
char *store_col_text(struct dbstmt *, int col);
/* A copy of a nullable text column (NULL for NULL); sets *oom on
 * allocation failure. */
char *store_col_text_or_null(struct dbstmt *, int col, int *oom);
/* Ids "3,5,9" of a column (a group_concat) into ids, at most max; how
 * many. */
size_t store_col_ids(struct dbstmt *, int col, int64_t *ids, size_t max);
/* Binds text, or NULL when s is NULL. */
int store_bind_text(struct dbstmt *, int idx, const char *s);
/* Binds a LIKE pattern "%q%" with q's wildcards escaped by '\'. */
int store_bind_like(struct dbstmt *, int idx, const char *q);
/* A state column as its enum (names: a table of core/state.c); 0 when
 * the text is none of the names. */
int store_col_state(struct dbstmt *, int col, const char *const *names);
/* Binds names[v], or NULL for 0 (a filter's "any"). */
int store_bind_state(struct dbstmt *, int idx, const char *const *names, int v);
/* Binds an id, or NULL for 0. */
int store_bind_id(struct dbstmt *, int idx, int64_t id);
/* Binds a time, or NULL for 0. */
int store_bind_time(struct dbstmt *, int idx, time_t t);

/* Steps a one-row aggregate; > 0 with *out. */
int store_scalar(struct store *, struct dbstmt *, int64_t *out,
    const char *what);
/* Steps s to the end, reading each row with read() into a growing array
 * of elemsz-byte items; > 0 with *items (caller frees) and *n. */
int store_collect(struct store *, struct dbstmt *, size_t elemsz,
    int (*read)(struct dbstmt *, void *), void (*freeitem)(void *),
    void **items, size_t *n, const char *what);
/* Steps a one-row SELECT: > 0 with the row read into out, 0 when none. */
int store_get_row(struct store *, struct dbstmt *,
    int (*read)(struct dbstmt *, void *), void *out, const char *what);
/* Steps an INSERT/UPDATE/DELETE: > 0 done, 0 on a uniqueness clash. */
int store_step_write(struct store *, struct dbstmt *, const char *what);
/* Steps a one-row SELECT of up to three integers (b, c may be NULL);
 * > 0 with them. */
int store_ints(struct store *, struct dbstmt *, int64_t *a, int64_t *b,
    int64_t *c, const char *what);
/* Nanoseconds on clock (CLOCK_MONOTONIC for how long a batch held the
 * lock, CLOCK_THREAD_CPUTIME_ID for what it cost this thread). */
int64_t store_ns(clockid_t clock);
/* Frees each of n elemsz-byte items with freeitem, then the array. */
void store_free_items(void *items, size_t n, size_t elemsz,
    void (*freeitem)(void *));
/* Steps a SELECT of one id (column 0): > 0 with *id, 0 when no row. */
int store_lookup_id(struct store *, struct dbstmt *, int64_t *id,
    const char *what);

/* db.c (issue 16, multi) */

/* The engine store_setup chose. */
enum db_kind store_engine(void);
/* hook runs at the end of every store_begin transaction on the thread
 * that ran it: committed 1 after a commit, 0 after a rollback. Set once
 * (the first call wins). */
void store_on_tx_end(void (*hook)(struct store *, int committed));
/* Sets the hook store_savepoint (rolled_back 0) and a successful
 * store_rollback_to (1) call, the first set only (shared.c's, which
 * does the limit writes the rollback undid again; surveycpu). */
void store_on_savepoint(void (*hook)(struct store *, int rolled_back));

/* db.c (issue 17, pgbatch) */

/* Deletes the rows (base, base + n] of a batched job with which (?1 base,
 * ?2 base + n) in the open transaction; base < 0: nothing (no batch of
 * that table committed). 1 done, -1 failed. */
int store_unpublish_range(struct store *, enum stmt which, int64_t base,
    size_t n, const char *what);
/* A batched run (the id of its import_runs or roster_runs row, told by
 * which: STMT_IMPORT_RUN_DELETE or STMT_ROSTER_RUN_DELETE) is its
 * connection's while it is open. PostgreSQL: a session advisory lock the
 * start's undo waits for, so it undoes only runs whose process is gone,
 * never one another instance still writes; SQLite: nothing (one instance
 * a file). 1 done, -1 failed. */
int store_run_claim(struct store *, enum stmt which, int64_t run);
/* Gives the claim back (the run is done or undone). */
void store_run_unclaim(struct store *, enum stmt which, int64_t run);
/* Before each of a run's transactions after its first, in it: on
 * PostgreSQL a connection lost and made anew since the claim lost its
 * session lock with it (an instance starting meanwhile may have undone
 * the run): the claim is taken again if it is free and the run's record
 * is still there. 1 held, 0 not (another instance has it or undid the
 * run: the run stops without writing more, the undo is not its own;
 * logged, DBE_LOST), -1 failed. SQLite: 1. */
int store_run_reclaim(struct store *, enum stmt which, int64_t run);
/* The writes from here to store_bulk_end are a batch that any failure
 * rolls back whole: on PostgreSQL they go out without waiting for each
 * answer and without a savepoint each, and each write's step says done;
 * store_bulk_end says whether all were. Nothing else in between. */
void store_bulk_begin(struct store *);
/* 1 every write since store_bulk_begin done, -1 not (logged). */
int store_bulk_end(struct store *);

/* outbox.c */

/* Steps a statement selecting the outbox columns (OUTBOX_COLS) for one
 * row: > 0 with out, 0 none. */
int store_outbox_read_one(struct store *, struct dbstmt *,
    struct outbox_msg *out, const char *what);

/* checks.c */

/* sql (a CREATE TABLE) with each `CHECK (col IN (three or more
 * literals))` written as `CHECK (col = lit OR ...)`; *changed says
 * whether any was. Caller frees; NULL when out of memory. */
char *store_check_unroll(const char *sql, int *changed);
/* Rewrites the tables of db whose CHECKs store_check_unroll changes, in
 * one transaction (sqlite_schema, writable_schema, schema version);
 * *tables how many. 1, or 0 when nothing could be changed (logged by
 * the caller; the database is as it was). */
int store_checks_unroll(sqlite3 *db, int *tables);

/* mark.c */

/* Registers hearth_fp(...) on db: a 64-bit fingerprint of its arguments
 * (each one's type and exact value), used by the feed marks
 * (STMT_EVENT_MARKS, STMT_SHIFT_MARKS). 0 when it cannot be added. */
int store_fp_register(sqlite3 *db);
/* fp with one more value mixed in (hearth_fp's mixing). */
int64_t store_fp_mix(int64_t fp, int64_t v);
/* Reads one mark row: id, fingerprint, station, status (names), the
 * time cancelled (0 none), updated. */
int store_mark_read(struct dbstmt *, const char *const *names,
    struct feed_mark *);

/* participant.c */

/* Inserts the answers of response response_id: > 0 done. */
int store_answers_insert(struct store *, int64_t response_id,
    const struct survey_answer *ans, size_t n);
/* Steps s (selecting the survey_answer_row columns of STMT_ANSWERS)
 * into *items; > 0 with *items (survey_answer_rows_free) and *n. */
int store_answer_rows_collect(struct store *, struct dbstmt *,
    struct survey_answer_row **items, size_t *n, const char *what);

/* duty.c */

/* Steps s (selecting the duty_due columns of STMT_DUTY_DUE) into
 * *items; > 0 with *items (duty_due_list_free) and *n. */
int store_duty_due_collect(struct store *, struct dbstmt *,
    struct duty_due **items, size_t *n, const char *what);

#endif
