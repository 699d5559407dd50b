/*
 * What several Hearth instances on one PostgreSQL database share (issue
 * 16, point 3; migration 016): the revision their caches compare, the
 * fake test clock, and the rate limits (sign-in failures per address
 * and per account, public writes per address).
 *
 * SQLite keeps all of it in its one process (one process owns the
 * file): store_revision_of is the in-process counter there and the
 * limits stay in svc/api/limit.c's memory, so nothing here runs on it.
 *
 * A limit's write is one statement (atomic across instances). In a
 * write request's transaction it counts with the transaction; when the
 * transaction rolls back (a rejected request: a wrong old password, a
 * refused registration) the write is done again on its own right after
 * the rollback, so a failure that rolled back still counts.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "stmt.h"

/* Limit writes of the open transaction, to do again after a rollback. */
#define PENDING_MAX 8

enum pending_op {
	OP_COUNT_ADD,
	OP_COUNT_RESET,
	OP_TAKE
};

struct pending {
	enum pending_op op;
	int kind;
	char key[96];
	double a, b, c; /* the operation's numbers, as first bound */
};

/* One connection per thread: the thread's transaction's writes. */
static _Thread_local struct pending pending[PENDING_MAX];
static _Thread_local size_t npending;
/* npending at the savepoint of the request now (savepoint_event). */
static _Thread_local size_t savepoint_mark;

int
store_shared(void)
{
	return store_engine() == DB_PG;
}

int64_t
store_revision_of(struct store *st)
{
	static atomic_int_fast64_t unknown = 0;
	struct dbstmt *s;
	int64_t rev = -1;

	if (st == NULL || st->kind != DB_PG)
		return store_revision();
	if ((s = store_stmt(st, STMT_STATE_GET)) != NULL &&
	    db_step(s) == DB_ROW)
		rev = db_column_int64(s, 0);
	if (s != NULL)
		db_reset(s);
	/* In a write transaction its own BEGIN has bumped the row already
	 * (uncommitted): the value others see is one less. */
	if (rev > 0 && st->in_tx)
		rev--;
	if (rev < 0) {
		store_fail(st, "revision");
		/* A value no cache entry has: nothing cached is served. */
		rev = -2 - atomic_fetch_add(&unknown, 1);
	}
	return rev;
}

int
store_clock_offset(struct store *st, int64_t *offset)
{
	struct dbstmt *s = store_stmt(st, STMT_STATE_GET);
	int rc;

	if (s == NULL)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW)
		*offset = db_column_int64(s, 1);
	db_reset(s);
	return rc == DB_ROW ? 1 : store_fail(st, "clock offset");
}

int
store_clock_offset_set(struct store *st, int64_t offset)
{
	struct dbstmt *s = store_stmt(st, STMT_STATE_CLOCK_SET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, offset);
	return store_step_write(st, s, "clock offset set") > 0 ? 1 : -1;
}

static void tx_ended(struct store *, int committed);
static void savepoint_event(struct store *, int rolled_back);

/* Keeps a write of the open transaction to do again after a rollback. */
static void
remember(struct store *st, enum pending_op op, int kind, const char *key,
    double a, double b, double c)
{
	struct pending *p;

	if (!db_in_tx(st) || npending >= PENDING_MAX)
		return;
	store_on_tx_end(tx_ended);
	store_on_savepoint(savepoint_event);
	p = &pending[npending++];
	p->op = op;
	p->kind = kind;
	snprintf(p->key, sizeof(p->key), "%s", key);
	p->a = a;
	p->b = b;
	p->c = c;
}

int
store_rate_count_wait(struct store *st, int kind, const char *key, int max,
    int window_s, time_t now)
{
	struct dbstmt *s = store_stmt(st, STMT_RATE_COUNT_GET);
	int64_t count = 0, start = 0;
	int rc, wait = 0;

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, kind);
	store_bind_text(s, 2, key);
	rc = db_step(s);
	if (rc == DB_ROW) {
		count = db_column_int64(s, 0);
		start = db_column_int64(s, 1);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(st, "rate count");
	if (rc == DB_ROW && now - start < window_s && count >= max) {
		wait = (int)(start + window_s - now);
		if (wait < 1)
			wait = 1;
	}
	return wait;
}

static int
count_add(struct store *st, int kind, const char *key, int64_t now,
    int64_t window_s)
{
	static atomic_uint adds;
	struct dbstmt *s = store_stmt(st, STMT_RATE_COUNT_ADD);

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, kind);
	store_bind_text(s, 2, key);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, window_s);
	if (store_step_write(st, s, "rate count") <= 0)
		return -1;
	/* Now and then, the windows of a day ago go (bounded table). */
	if (atomic_fetch_add(&adds, 1) % 256 == 255 &&
	    (s = store_stmt(st, STMT_RATE_COUNTS_PURGE)) != NULL) {
		db_bind_int64(s, 1, now - 86400 - window_s);
		store_step_write(st, s, "rate counts purge");
	}
	return 1;
}

int
store_rate_count_add(struct store *st, int kind, const char *key, int window_s,
    time_t now)
{
	remember(st, OP_COUNT_ADD, kind, key, (double)now, window_s, 0);
	return count_add(st, kind, key, (int64_t)now, window_s);
}

static int
count_reset(struct store *st, int kind, const char *key)
{
	struct dbstmt *s = store_stmt(st, STMT_RATE_COUNT_RESET);

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, kind);
	store_bind_text(s, 2, key);
	return store_step_write(st, s, "rate count reset") >= 0 ? 1 : -1;
}

int
store_rate_count_reset(struct store *st, int kind, const char *key)
{
	remember(st, OP_COUNT_RESET, kind, key, 0, 0, 0);
	return count_reset(st, kind, key);
}

static int
take(struct store *st, int kind, const char *key, double burst, double per_s,
    double now)
{
	static atomic_uint takes;
	struct dbstmt *s = store_stmt(st, STMT_RATE_TAKE);
	double tokens = 0;
	int rc, took = 0, wait = 0;

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, kind);
	store_bind_text(s, 2, key);
	db_bind_double(s, 3, burst);
	db_bind_double(s, 4, per_s);
	db_bind_double(s, 5, now);
	rc = db_step(s);
	if (rc == DB_ROW) {
		took = db_column_int(s, 0);
		tokens = db_column_double(s, 1);
	}
	db_reset(s);
	if (rc != DB_ROW)
		return store_fail(st, "rate take");
	if (!took) {
		wait = (int)((1 - tokens) / per_s) + 1;
		if (wait < 1)
			wait = 1;
	}
	/* Buckets an hour idle are full again: they may go. */
	if (atomic_fetch_add(&takes, 1) % 256 == 255 &&
	    (s = store_stmt(st, STMT_RATE_BUCKETS_PURGE)) != NULL) {
		db_bind_double(s, 1, now - 3600 - burst / per_s);
		store_step_write(st, s, "rate buckets purge");
	}
	return wait;
}

int
store_rate_take(struct store *st, int kind, const char *key, double burst,
    double per_s, double now)
{
	if (per_s <= 0)
		return 0;
	remember(st, OP_TAKE, kind, key, burst, per_s, now);
	return take(st, kind, key, burst, per_s, now);
}

static void redo(struct store *, const struct pending *);

/* The end of a transaction (store_on_tx_end): after a rollback, the
 * limit writes it undid are done again on their own. */
static void
tx_ended(struct store *st, int committed)
{
	size_t i, n = npending;

	npending = 0;
	savepoint_mark = 0;
	if (committed || st == NULL || st->kind != DB_PG || db_in_tx(st))
		return;
	for (i = 0; i < n; i++)
		redo(st, &pending[i]);
}

/* A request's savepoint in a batch (store_on_savepoint; surveycpu):
 * the limit writes made since it are done again in the transaction
 * after store_rollback_to undid them, and stay pending for a rollback
 * of the whole. Before the hook was set nothing was pending here. */
static void
savepoint_event(struct store *st, int rolled_back)
{
	size_t i;

	if (!rolled_back) {
		savepoint_mark = npending;
		return;
	}
	if (st == NULL || st->kind != DB_PG)
		return;
	for (i = savepoint_mark; i < npending; i++)
		redo(st, &pending[i]);
}

/* One remembered limit write, done again. */
static void
redo(struct store *st, const struct pending *p)
{
	switch (p->op) {
	case OP_COUNT_ADD:
		count_add(st, p->kind, p->key, (int64_t)p->a, (int64_t)p->b);
		break;
	case OP_COUNT_RESET:
		count_reset(st, p->kind, p->key);
		break;
	case OP_TAKE:
		take(st, p->kind, p->key, p->a, p->b, p->c);
		break;
	}
}
