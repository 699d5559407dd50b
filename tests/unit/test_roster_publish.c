/*
 * A roster generation published in bounded batches (svc/store/roster.c,
 * issue 17): the run's hold keeps other writers off the shifts of its
 * period from before it reads until its last transaction; its shifts go
 * in transactions of their own with contiguous ids; a failure in any
 * batch, or in the last one (reassignments, notices, audit), leaves
 * nothing. A process killed between two batches leaves its record
 * (roster_runs), and the next start (store_migrate) deletes what it had
 * written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/stmt.h"
#include "../lib/unit_store.h"

#define ROWS 2500
#define BATCH 1000
/* The period held: 30 days from here; the shifts fill its first 17. */
#define FROM ((time_t)1800000000)
#define TO (FROM + 30 * 86400)

/* HEARTH_TEST_PG: on that PostgreSQL database, else a fresh SQLite file. */
static struct unit_db db;
static int64_t station;

static void
quiet(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	/* The failures these tests cause on purpose are errors too. */
	(void)l;
	if (getenv("TEST_VERBOSE") == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
setup(void **state)
{
	struct store *st;

	(void)state;
	if ((st = unit_db_open_at(&db, "roster", 0, quiet,
	         getenv("HEARTH_TEST_PG"))) == NULL)
		return -1;
	station = unit_db_station(st, "RG1", "分批排班驻点");
	return station > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	unit_db_close(&db);
	return 0;
}

static int64_t
shifts(struct store *st)
{
	return unit_db_count(st, "SELECT count(*) FROM shifts");
}

/* ROWS open shifts in the period, one every 10 minutes. */
static struct shift *
make_shifts(void)
{
	struct shift *v = calloc(ROWS, sizeof(*v));
	size_t i;

	assert_non_null(v);
	for (i = 0; i < ROWS; i++) {
		v[i].station_id = station;
		v[i].seat = (int)i;
		v[i].start_at = FROM + (time_t)i * 600;
		v[i].end_at = v[i].start_at + 300;
		v[i].status = SHIFT_PLANNED;
		v[i].origin = (char *)"generated";
		v[i].note = (char *)"";
		v[i].created_at = v[i].updated_at = 1772413200;
	}
	return v;
}

struct seen {
	int ready, last, fail_last;
	int64_t runs_at_ready, runs_at_last;
};

static int
on_ready(struct store *st, void *arg)
{
	struct seen *x = arg;

	x->ready++;
	x->runs_at_ready = unit_db_count(st,
	    "SELECT count(*) FROM roster_runs");
	return 0;
}

static int
on_last(struct store *st, void *arg)
{
	struct seen *x = arg;

	x->last++;
	x->runs_at_last = unit_db_count(st, "SELECT count(*) FROM roster_runs");
	/* The run's own last transaction writes in its period (held = 0). */
	if (unit_db_run(st,
	        "UPDATE shifts SET note = '最后一批' WHERE id = (SELECT"
	        " max(id) FROM shifts)",
	        NULL, 0) != 0)
		return -1;
	return x->fail_last ? -1 : 0;
}

static void
params(struct roster_publish *p, struct shift *v, struct seen *x)
{
	memset(p, 0, sizeof(*p));
	p->batch = BATCH;
	p->shifts = v;
	p->n = ROWS;
	p->ready = on_ready;
	p->last = on_last;
	p->arg = x;
}

/* params for a run whose test looks between its batches (between, arg),
 * with no ready or last of its own. */
static void
params_between(struct roster_publish *p, struct shift *v,
    void (*between)(struct store *, void *, size_t, size_t), void *arg)
{
	params(p, v, NULL);
	p->ready = NULL;
	p->last = NULL;
	p->between = between;
	p->arg = arg;
}

/* 2,500 shifts in batches of 1,000: three transactions and the last,
 * ids contiguous from the top down, the record gone after. */
static void
test_published_in_batches(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct seen x = {0, 0, 0, 0, 0};
	struct shift *v = make_shifts();
	int64_t run = 0, n0, max0;
	size_t i;

	(void)state;
	assert_non_null(st);
	n0 = shifts(st);
	max0 = unit_db_count(st, "SELECT coalesce(max(id), 0) FROM shifts");
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	assert_true(run > 0);
	assert_int_equal(db_in_tx(st), 0);
	params(&p, v, &x);
	assert_int_equal(store_roster_publish_batched(st, run, &p), 1);
	assert_int_equal(db_in_tx(st), 0);
	assert_int_equal(p.batches, 4);
	assert_true(p.batch_max_ns > 0 && p.batches_ns >= p.batch_max_ns);
	assert_int_equal(x.ready, 1);
	assert_int_equal(x.last, 1);
	assert_int_equal(x.runs_at_ready, 1);
	assert_int_equal(x.runs_at_last, 1);
	assert_int_equal(shifts(st), n0 + ROWS);
	for (i = 0; i < ROWS; i++)
		assert_int_equal(v[i].id, max0 + (int64_t)i + 1);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM shifts WHERE note ="
	                     " '最后一批'"),
	    1);
	free(v);
	/* Free again: a shift in the period is anyone's to write. */
	assert_int_equal(unit_db_exec(st,
	                     "DELETE FROM shifts WHERE start_at >= 1800000000",
	                     NULL, 0),
	    0);
}

/* The last transaction fails (its audit, say): the batches committed
 * are deleted again and nothing is left, the record neither. */
static void
test_failed_last_leaves_nothing(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct seen x = {0, 0, 1, 0, 0};
	struct shift *v = make_shifts();
	int64_t run = 0, n0;

	(void)state;
	assert_non_null(st);
	n0 = shifts(st);
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	params(&p, v, &x);
	assert_int_equal(store_roster_publish_batched(st, run, &p), -1);
	assert_int_equal(db_in_tx(st), 0);
	assert_int_equal(p.batches, 3);
	assert_int_equal(x.last, 1);
	assert_int_equal(shifts(st), n0);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    0);
	/* The store is usable: a write after it goes through. */
	assert_true(store_begin(st) > 0);
	assert_true(store_commit(st) > 0);
	free(v);
}

/* A hold released (nothing written: an unknown station, say): no
 * record, the period free. */
static void
test_release(void **state)
{
	struct store *st = store_thread();
	int64_t run = 0;

	(void)state;
	assert_non_null(st);
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    1);
	assert_int_equal(store_roster_release(st, run), 1);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    0);
	assert_int_equal(db_in_tx(st), 0);
}

/* Another writer, between two batches, in a thread (and connection) of
 * its own: what it may not do, and what it still may. */
struct other {
	int64_t lo, hi; /* the run's range, read from its record */
	int tried;
	int in_rc, swap_rc, duty_rc, update_rc, delete_rc, outside_rc;
	enum store_failure in_why;
	int64_t outside_id;
	char swap_msg[128];
};

static void *
other_writer(void *arg)
{
	struct other *o = arg;
	struct store *st = store_thread();
	struct shift sh;
	char sql[512];

	if (st == NULL)
		return NULL;
	/* A shift of its own in the period, through the store. */
	memset(&sh, 0, sizeof(sh));
	sh.station_id = station;
	sh.start_at = FROM + 86400;
	sh.end_at = sh.start_at + 3600;
	sh.status = SHIFT_PLANNED;
	sh.origin = (char *)"manual";
	sh.note = (char *)"";
	if (store_begin(st) > 0) {
		o->in_rc = store_shift_insert(st, &sh);
		o->in_why = store_last_failure(st);
		if (o->in_rc > 0)
			store_commit(st);
		else
			store_rollback(st);
	}
	/* References to the run's shifts. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO swap_requests (shift_id, requested_by, status,"
	    " reason, created_at) VALUES (%lld, 1, 'pending', '', 0)",
	    (long long)o->hi);
	o->swap_rc = unit_db_exec(st, sql, o->swap_msg, sizeof(o->swap_msg));
	snprintf(sql, sizeof(sql),
	    "INSERT INTO duty_logs (shift_id, attended, created_at,"
	    " updated_at) VALUES (%lld, 1, 0, 0)",
	    (long long)o->hi);
	o->duty_rc = unit_db_exec(st, sql, NULL, 0);
	/* Changes to them. */
	snprintf(sql, sizeof(sql),
	    "UPDATE shifts SET note = '改了' WHERE id = %lld",
	    (long long)o->hi);
	o->update_rc = unit_db_exec(st, sql, NULL, 0);
	snprintf(sql, sizeof(sql), "DELETE FROM shifts WHERE id = %lld",
	    (long long)o->hi);
	o->delete_rc = unit_db_exec(st, sql, NULL, 0);
	/* Outside the period anything goes; its id is above the run's. */
	memset(&sh, 0, sizeof(sh));
	sh.station_id = station;
	sh.start_at = TO + 86400;
	sh.end_at = sh.start_at + 3600;
	sh.status = SHIFT_PLANNED;
	sh.origin = (char *)"manual";
	sh.note = (char *)"";
	if (store_begin(st) > 0) {
		o->outside_rc = store_shift_insert(st, &sh);
		if (o->outside_rc > 0 && store_commit(st) > 0)
			o->outside_id = sh.id;
		else
			store_rollback(st);
	}
	o->tried = 1;
	return NULL;
}

static void
interfere(struct store *st, void *arg, size_t done, size_t of)
{
	struct other *o = arg;
	pthread_t t;

	(void)of;
	if (done != 1)
		return;
	o->lo = unit_db_count(st, "SELECT shift_lo FROM roster_runs");
	o->hi = unit_db_count(st, "SELECT shift_hi FROM roster_runs");
	assert_int_equal(pthread_create(&t, NULL, other_writer, o), 0);
	pthread_join(t, NULL);
}

static void
test_others_held_off(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct other o;
	struct shift *v = make_shifts();
	int64_t run = 0, n0;

	(void)state;
	assert_non_null(st);
	memset(&o, 0, sizeof(o));
	n0 = shifts(st);
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	params_between(&p, v, interfere, &o);
	assert_int_equal(store_roster_publish_batched(st, run, &p), 1);
	assert_int_equal(o.tried, 1);
	assert_int_equal(o.hi, o.lo + ROWS);
	assert_int_equal(o.in_rc, -1);
	assert_int_equal(o.in_why, STORE_FAILURE_GENERATING);
	assert_int_equal(o.swap_rc, DBE_GENERATING);
	assert_non_null(strstr(o.swap_msg, "roster generation in progress"));
	assert_int_equal(o.duty_rc, DBE_GENERATING);
	assert_int_equal(o.update_rc, DBE_GENERATING);
	assert_int_equal(o.delete_rc, DBE_GENERATING);
	assert_int_equal(o.outside_rc, 1);
	/* Above the run's (PostgreSQL: the refused insert in the period
	 * took an id of the sequence too, which no rollback gives back). */
	assert_true(o.outside_id > o.hi);
	if (st->kind == DB_SQLITE)
		assert_int_equal(o.outside_id, o.hi + 1);
	assert_int_equal(shifts(st), n0 + ROWS + 1);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM swap_requests"),
	    0);
	free(v);
	assert_int_equal(unit_db_exec(st, "DELETE FROM shifts", NULL, 0), 0);
}

/* --- the recovery record (015_roster_runs.sql) ---------------------- */

struct stop {
	size_t after; /* die after this many batches */
};

static void
die_between(struct store *st, void *arg, size_t done, size_t of)
{
	struct stop *x = arg;

	(void)st;
	(void)of;
	if (done == x->after)
		_exit(0); /* no cleanup, no rollback: as SIGKILL */
}

static int
never(struct store *st, void *arg)
{
	(void)st;
	(void)arg;
	_exit(7); /* the last transaction must not be reached */
	return -1;
}

static void *
generate_until_stop(void *arg)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct shift *v;
	int64_t run;

	if (st == NULL)
		_exit(2);
	v = make_shifts();
	if (store_roster_hold(st, 0, 1772413200, FROM, TO, &run) <= 0)
		_exit(3);
	params_between(&p, v, die_between, arg);
	p.last = never;
	store_roster_publish_batched(st, run, &p);
	_exit(4); /* finished: not what the test wanted */
	return NULL;
}

static void
die_after(size_t after)
{
	struct stop x = {after};

	unit_fork_stop(generate_until_stop, &x);
}

/* Killed after batch k of 3, then started again: nothing of the run is
 * left, the shifts that were there before are, the undo is audited, and
 * the period is free again. */
static void
test_stop_between_batches_undone_at_start(void **state)
{
	static const size_t ks[] = {1, 2};
	struct store *st;
	int64_t n0, max0, undone;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		assert_non_null(st = store_thread());
		/* A shift of before, in the period: it stays. */
		assert_int_equal(unit_db_exec(st,
		                     "INSERT INTO shifts (station_id, start_at,"
		                     " end_at, created_at, updated_at) SELECT"
		                     " max(id), 1800000000 - 3600, 1800000000"
		                     " + 60, 0, 0 FROM stations",
		                     NULL, 0),
		    0);
		n0 = shifts(st);
		max0 = unit_db_count(st,
		    "SELECT coalesce(max(id), 0) FROM shifts");
		undone = unit_db_count(st,
		    "SELECT count(*) FROM audit_log WHERE "
		    "action = 'roster_undo'");
		die_after(ks[i]);
		/* What the dead process left: k batches and the record. */
		assert_int_equal(shifts(st), n0 + (int64_t)ks[i] * BATCH);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM roster_runs"),
		    1);
		/* Still held: no other writer in the period. */
		assert_int_equal(unit_db_exec(st,
		                     "DELETE FROM shifts WHERE start_at < "
		                     "1800000000",
		                     NULL, 0),
		    DBE_GENERATING);
		/* The next start. */
		store_shutdown();
		assert_int_equal(store_migrate(&db.cfg),
		    store_schema_version());
		assert_true(store_setup(&db.cfg));
		assert_non_null(st = store_thread());
		assert_int_equal(shifts(st), n0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT coalesce(max(id), 0) FROM shifts"),
		    max0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM roster_runs"),
		    0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM audit_log "
		                     "WHERE action = 'roster_undo'"),
		    undone + 1);
		/* The period is free again. */
		assert_int_equal(unit_db_exec(st,
		                     "DELETE FROM shifts WHERE start_at < "
		                     "1800000000",
		                     NULL, 0),
		    0);
	}
}

/* PostgreSQL, several instances on one database: a start while another
 * instance's run is open (its claim held: here this process's) leaves
 * the run alone; once released it is gone. SQLite has one instance a
 * file, and its start undoes every run. */
static void
test_live_run_left_to_its_instance(void **state)
{
	struct store *st = store_thread();
	int64_t run = 0;

	(void)state;
	assert_non_null(st);
	if (st->kind != DB_PG)
		skip();
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	assert_int_equal(store_migrate(&db.cfg), store_schema_version());
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    1);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM audit_log WHERE "
	                     "action = 'roster_undo' AND detail LIKE "
	                     "'{\"run\":' || (SELECT max(id) FROM "
	                     "roster_runs) || ',%'"),
	    0);
	assert_int_equal(store_roster_release(st, run), 1);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    0);
}

/* --- one transaction (issue 15 point 5, roster16) -------------------- */

/* Whole, in a transaction the caller began: the publish in it (no
 * record, no batches, ids set), one commit; a failed last leaves
 * nothing; a release rolls it back. */
static void
test_one_transaction(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct seen x = {0, 0, 0, 0, 0};
	struct shift *v = make_shifts();
	char sql[256];
	int64_t n0;
	size_t i;

	(void)state;
	assert_non_null(st);
	n0 = shifts(st);
	assert_true(store_begin(st) > 0);
	params(&p, v, &x);
	assert_int_equal(store_roster_publish_whole(st, &p), 1);
	assert_false(db_in_tx(st));
	assert_int_equal(p.batches, 1);
	assert_true(p.lock_max_ns > 0 && p.batch_max_ns >= p.lock_max_ns);
	assert_int_equal(x.ready, 1);
	assert_int_equal(x.last, 1);
	assert_int_equal(x.runs_at_ready, 0);
	assert_int_equal(x.runs_at_last, 0);
	assert_int_equal(shifts(st), n0 + ROWS);
	for (i = 0; i < ROWS; i++)
		assert_true(v[i].id > 0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM shifts WHERE note ="
	                     " '最后一批'"),
	    1);
	assert_int_equal(unit_db_exec(st,
	                     "DELETE FROM shifts WHERE start_at >= 1800000000",
	                     NULL, 0),
	    0);
	/* The last fails: nothing stays. */
	memset(&x, 0, sizeof(x));
	x.fail_last = 1;
	assert_true(store_begin(st) > 0);
	params(&p, v, &x);
	assert_int_equal(store_roster_publish_whole(st, &p), -1);
	assert_false(db_in_tx(st));
	assert_int_equal(x.last, 1);
	assert_int_equal(shifts(st), n0);
	/* Released: rolled back. */
	assert_true(store_begin(st) > 0);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO shifts (station_id, slot, start_at, end_at, status,"
	    " origin, note, sequence, created_at, updated_at) VALUES (%lld, 0,"
	    " 1800000000, 1800000300, 'planned', 'generated', '', 0, 0, 0)",
	    (long long)station);
	assert_int_equal(unit_db_run(st, sql, NULL, 0), 0);
	assert_int_equal(store_roster_release(st, 0), 1);
	assert_false(db_in_tx(st));
	assert_int_equal(shifts(st), n0);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM roster_runs"),
	    0);
	free(v);
}

/* --- a claim lost with its connection (PostgreSQL, tidy) ------------ */

/* Between batches 1 and 2 the run's server session ends (a network cut,
 * a restart): its session lock (19, run) goes with it and the next
 * BEGIN finds a new connection. `other` is another instance: it holds
 * the claim (take), or starts and undoes the run (migrate), or neither. */
struct cut {
	PGconn *other;
	int take, migrate;
	int64_t run;
	int64_t held_after; /* batch 2 done: the run's session holds it */
	int cuts;
};

static void
cut_between(struct store *st, void *arg, size_t done, size_t of)
{
	struct cut *x = arg;
	char sql[200];

	(void)of;
	if (done == 2) {
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
		    " AND classid = 19 AND objid = %lld AND objsubid = 2 AND"
		    " granted AND pid = pg_backend_pid()",
		    (long long)x->run);
		x->held_after = unit_db_count(st, sql);
	}
	if (done != 1)
		return;
	if (x->take)
		assert_int_equal(unit_pg_cut_and_take(st, x->other, 19, x->run),
		    1);
	else
		assert_int_equal(unit_pg_cut(st, x->other), 1);
	x->cuts++;
	if (x->migrate)
		assert_int_equal(store_migrate(&db.cfg),
		    store_schema_version());
}

/* What the other instance does while the run's connection is cut, and
 * what the run then leaves. */
struct claim_case {
	int take, migrate; /* struct cut's */
	int rc;            /* store_roster_publish_batched's answer */
	int64_t written;   /* the run's shifts left then */
	int64_t records;   /* roster_runs rows left then */
};

static const struct claim_case claim_cases[] = {
    /* Nobody else: the claim is taken again on the new connection and
     * the run goes on to its end. */
    {0, 0, 1, ROWS, 0},
    /* Another instance holds the claim by then: the run stops without
     * writing more (no undo: the other instance's); once that one is
     * gone, the next start undoes the run. */
    {1, 0, -1, BATCH, 1},
    /* An instance started meanwhile and undid the run (its claim was
     * free): the run stops, and writes nothing over the undo. */
    {0, 1, -1, 0, 0},
};

/* Each claim_case: a generation whose connection is cut after its first
 * batch. */
static void
test_claim_after_reconnect(void **state)
{
	struct store *st = store_thread();
	const struct claim_case *c;
	struct roster_publish p;
	struct shift *v;
	struct cut x;
	int64_t n0;
	size_t i;

	(void)state;
	assert_non_null(st);
	for (i = 0; i < sizeof(claim_cases) / sizeof(claim_cases[0]); i++) {
		c = &claim_cases[i];
		memset(&x, 0, sizeof(x));
		x.other = unit_pg_other();
		x.take = c->take;
		x.migrate = c->migrate;
		n0 = shifts(st);
		v = make_shifts();
		assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO,
		                     &x.run),
		    1);
		params_between(&p, v, cut_between, &x);
		assert_int_equal(store_roster_publish_batched(st, x.run, &p),
		    c->rc);
		assert_int_equal(x.cuts, 1);
		assert_false(db_in_tx(st));
		if (c->rc > 0)
			assert_int_equal(x.held_after, 1);
		else
			assert_int_equal(store_last_failure(st),
			    STORE_FAILURE_UNAVAILABLE);
		assert_int_equal(shifts(st), n0 + c->written);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM roster_runs"),
		    c->records);
		/* The run's claim given back: only the other's is held. */
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM pg_locks WHERE"
		                     " locktype = 'advisory' AND classid = 19"),
		    c->take);
		PQfinish(x.other);
		/* The next start undoes what a stopped run wrote. */
		assert_int_equal(store_migrate(&db.cfg),
		    store_schema_version());
		assert_int_equal(shifts(st), n0 + (c->rc > 0 ? ROWS : 0));
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM roster_runs"),
		    0);
		free(v);
		assert_int_equal(unit_db_exec(st, "DELETE FROM shifts", NULL,
		                     0),
		    0);
	}
}

/* --- the shifts written a chunk a statement (PostgreSQL, pgroster) --- */

/* Texts a JSON row must carry through unchanged. */
static const char *const odd_notes[] = {
    "",
    "引号\"和\\反斜杠",
    "制表\t换行\n回车\r",
    "\x01\x1f控制",
    "'单引号' ?1 $1 ::json",
    "{\"note\":[1,2]}",
    "签到点：东门 🙂",
    "null",
};
#define NODD (sizeof(odd_notes) / sizeof(odd_notes[0]))

/* Two counsellors and a template of the station, for the id columns. */
static void
odd_refs(struct store *st, int64_t *people, int64_t *tmpl)
{
	char sql[512];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(sql, sizeof(sql),
		    "INSERT INTO counsellors (name, email, feed_token,"
		    " created_at, updated_at) VALUES ('批量写入咨询师%d',"
		    " 'bulk%d@example.org', 'bulk-token-%d-%lld', 0, 0)",
		    i, i, i, (long long)station);
		assert_int_equal(unit_db_exec(st, sql, NULL, 0), 0);
		people[i] = unit_db_count(st,
		    "SELECT max(id) FROM counsellors");
	}
	snprintf(sql, sizeof(sql),
	    "INSERT INTO shift_templates (station_id, weekdays, start_time,"
	    " end_time, created_at) VALUES (%lld, 127, '08:30', '12:00', 0)",
	    (long long)station);
	assert_int_equal(unit_db_exec(st, sql, NULL, 0), 0);
	*tmpl = unit_db_count(st, "SELECT max(id) FROM shift_templates");
}

/* make_shifts with every column varied: counsellor or none, template or
 * none, each status, both origins, odd notes, sequence, pinned, times. */
static struct shift *
make_odd_shifts(const int64_t *people, int64_t tmpl)
{
	static const enum shift_status states[] = {SHIFT_PLANNED,
	    SHIFT_CONFIRMED, SHIFT_CANCELLED};
	struct shift *v = make_shifts();
	size_t i;

	for (i = 0; i < ROWS; i++) {
		v[i].counsellor_id = i % 3 == 0 ? 0 : people[i % 2];
		v[i].template_id = i % 5 == 0 ? tmpl : 0;
		v[i].status = states[i % 3];
		v[i].origin = (char *)(i % 4 == 0 ? "manual" : "generated");
		v[i].note = (char *)odd_notes[i % NODD];
		v[i].sequence = (int64_t)i * 7;
		v[i].pinned = (int)(i % 2);
		v[i].created_at = 1772413200 + (time_t)i;
		v[i].updated_at = 1772413200 + 2 * (time_t)i;
	}
	return v;
}

/* Row got (read back) is the shift want, the id included. */
static void
same_shift(const struct shift *got, const struct shift *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->station_id, want->station_id);
	assert_int_equal(got->counsellor_id, want->counsellor_id);
	assert_int_equal(got->template_id, want->template_id);
	assert_int_equal(got->seat, want->seat);
	assert_int_equal(got->start_at, want->start_at);
	assert_int_equal(got->end_at, want->end_at);
	assert_int_equal(got->status, want->status);
	assert_string_equal(got->origin, want->origin);
	assert_string_equal(got->note, want->note);
	assert_int_equal(got->sequence, want->sequence);
	assert_int_equal(got->pinned, want->pinned);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

/* Every shift of v (ROWS) is in the table once, as given, under its id;
 * and a copy of the first NODD written by the single-row insert
 * (store_shift_insert) reads back the same but for its id. */
static void
check_rows(struct store *st, const struct shift *v)
{
	struct shift got, copy;
	size_t i;

	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM shifts WHERE start_at"
	                     " >= 1800000000"),
	    ROWS);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(DISTINCT slot) FROM shifts WHERE"
	                     " start_at >= 1800000000"),
	    ROWS);
	for (i = 0; i < ROWS; i++) {
		assert_int_equal(store_shift_get(st, v[i].id, &got), 1);
		same_shift(&got, &v[i]);
		shift_free(&got);
	}
	for (i = 0; i < NODD; i++) {
		copy = v[i];
		copy.id = 0;
		copy.seat = ROWS + (int)i;
		assert_int_equal(store_shift_insert(st, &copy), 1);
		assert_int_equal(store_shift_get(st, copy.id, &got), 1);
		copy.seat = v[i].seat;
		got.seat = v[i].seat;
		assert_int_not_equal(got.id, v[i].id);
		got.id = v[i].id;
		same_shift(&got, &v[i]);
		shift_free(&got);
	}
}

/* p published in the transaction begun here (whole) or in batches under
 * a hold of its own: what the publishing returned. */
static int
publish_as(struct store *st, struct roster_publish *p, int whole)
{
	int64_t run = 0;

	if (whole) {
		assert_true(store_begin(st) > 0);
		return store_roster_publish_whole(st, p);
	}
	assert_int_equal(store_roster_hold(st, 0, 1772413200, FROM, TO, &run),
	    1);
	return store_roster_publish_batched(st, run, p);
}

/* The shifts written in chunks of a statement each (PostgreSQL; SQLite
 * a row a time) are the ones given, none lost or twice, each under the
 * id the caller was told: in batches and in one transaction. */
static void
test_rows_as_given(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct shift *v;
	int64_t n0, max0, people[2], tmpl;
	size_t i;
	int whole;

	(void)state;
	assert_non_null(st);
	odd_refs(st, people, &tmpl);
	for (whole = 0; whole < 2; whole++) {
		v = make_odd_shifts(people, tmpl);
		n0 = shifts(st);
		max0 = unit_db_count(st,
		    "SELECT coalesce(max(id), 0) FROM shifts");
		params(&p, v, NULL);
		p.ready = p.last = NULL;
		assert_int_equal(publish_as(st, &p, whole), 1);
		assert_false(db_in_tx(st));
		assert_int_equal(shifts(st), n0 + ROWS);
		/* Contiguous, above every id before (PostgreSQL: above the
		 * sequence too). */
		assert_true(v[0].id > max0);
		for (i = 0; i < ROWS; i++)
			assert_int_equal(v[i].id, v[0].id + (int64_t)i);
		check_rows(st, v);
		free(v);
		assert_int_equal(unit_db_exec(st,
		                     "DELETE FROM shifts WHERE start_at >="
		                     " 1800000000",
		                     NULL, 0),
		    0);
	}
}

/* A shift the database refuses (end before start: CHECK) in the middle
 * of the rows: in one transaction nothing is written, the chunks before
 * it in the same batch neither; in batches the batch fails whole and the
 * batches before it are undone. The store is usable after, and the same
 * shifts put right go in. */
static void
test_refused_row_writes_nothing(void **state)
{
	struct store *st = store_thread();
	struct roster_publish p;
	struct shift *v = make_shifts();
	int64_t n0;
	/* 1-based 1701: the second chunk of the one transaction; 601: the
	 * second chunk of the second batch (batches from the top down). */
	static const size_t bad[2] = {600, 1700};
	int whole;

	(void)state;
	assert_non_null(st);
	n0 = shifts(st);
	for (whole = 0; whole < 2; whole++) {
		v[bad[whole]].end_at = v[bad[whole]].start_at;
		params(&p, v, NULL);
		p.ready = p.last = NULL;
		assert_int_equal(publish_as(st, &p, whole), -1);
		if (!whole)
			assert_int_equal(p.batches, 1);
		assert_false(db_in_tx(st));
		assert_int_equal(store_last_failure(st), STORE_FAILURE_INVALID);
		assert_int_equal(shifts(st), n0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM roster_runs"),
		    0);
		v[bad[whole]].end_at = v[bad[whole]].start_at + 300;
	}
	/* Put right: all of them, once. */
	params(&p, v, NULL);
	p.ready = p.last = NULL;
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_roster_publish_whole(st, &p), 1);
	assert_int_equal(shifts(st), n0 + ROWS);
	free(v);
	assert_int_equal(unit_db_exec(st,
	                     "DELETE FROM shifts WHERE start_at >= 1800000000",
	                     NULL, 0),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_published_in_batches),
	    cmocka_unit_test(test_failed_last_leaves_nothing),
	    cmocka_unit_test(test_release),
	    cmocka_unit_test(test_others_held_off),
	    cmocka_unit_test(test_stop_between_batches_undone_at_start),
	    cmocka_unit_test(test_live_run_left_to_its_instance),
	    cmocka_unit_test(test_one_transaction),
	    cmocka_unit_test(test_claim_after_reconnect),
	    cmocka_unit_test(test_rows_as_given),
	    cmocka_unit_test(test_refused_row_writes_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
