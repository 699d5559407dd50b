/*
 * An import published in bounded batches (svc/store/event.c, issue 17):
 * each batch is a transaction of its own, ids stay contiguous, and a
 * failure in any batch, or in the audit of the last one, leaves nothing
 * of the import in the database. A process killed between two batches
 * leaves its recovery record (import_runs), and the next start
 * (store_migrate) deletes what it had published; meanwhile no other
 * writer can reference or change the run's rows.
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

/* HEARTH_TEST_PG: on that PostgreSQL database, else a fresh SQLite file. */
static struct unit_db db;

static int
setup(void **state)
{
	(void)state;
	return unit_db_open_at(&db, "import", 0, unit_log_quiet,
	           getenv("HEARTH_TEST_PG")) != NULL
	    ? 0
	    : -1;
}

static int
teardown(void **state)
{
	(void)state;
	unit_db_close(&db);
	return 0;
}

struct tally {
	int64_t stations, events, changes;
};

static struct tally
tally(struct store *st)
{
	struct tally t;

	t.stations = unit_db_count(st, "SELECT count(*) FROM stations");
	t.events = unit_db_count(st, "SELECT count(*) FROM events");
	t.changes = unit_db_count(st, "SELECT count(*) FROM event_changes");
	return t;
}

/*
 * Stages ROWS events, row i at the new station i + 1 (ROWS of them);
 * bad_seq > 0: that row's station is an existing id that does not
 * exist, so the batch holding it fails on its foreign key.
 */
/* The counts now are t0's plus stations, events and changes. */
static void
tally_is(struct store *st, struct tally t0, int64_t stations, int64_t events,
    int64_t changes)
{
	struct tally t = tally(st);

	assert_int_equal(t.stations, t0.stations + stations);
	assert_int_equal(t.events, t0.events + events);
	assert_int_equal(t.changes, t0.changes + changes);
}

static void
stage(struct store *st, size_t bad_seq)
{
	struct event *ev = calloc(ROWS, sizeof(*ev));
	int64_t *fresh = calloc(ROWS, sizeof(*fresh));
	char **names = calloc(ROWS, sizeof(*names));
	char buf[64];
	size_t i;

	assert_non_null(ev);
	assert_non_null(fresh);
	assert_non_null(names);
	for (i = 0; i < ROWS; i++) {
		snprintf(buf, sizeof(buf), "分批导入驻点%zu", i);
		names[i] = strdup(buf);
		snprintf(buf, sizeof(buf), "分批导入讲座%zu", i);
		ev[i].title = strdup(buf);
		ev[i].kind = (char *)"lecture";
		ev[i].audience = (char *)"residents";
		ev[i].start_at = ev[i].planned_start_at = 1800000000 +
		    (time_t)(i % 300) * 86400;
		ev[i].end_at = ev[i].start_at + 7200;
		ev[i].capacity = -1;
		ev[i].status = EVENT_PLANNED;
		ev[i].created_at = ev[i].updated_at = 1772413200;
		fresh[i] = (int64_t)i + 1;
		if (bad_seq == i + 1) {
			fresh[i] = 0;
			ev[i].station_id = 999999999;
		}
	}
	assert_true(store_import_stage(st, ev, fresh, ROWS,
	                (const char *const *)names, ROWS) > 0);
	for (i = 0; i < ROWS; i++) {
		free(names[i]);
		free(ev[i].title);
	}
	free(names);
	free(ev);
	free(fresh);
}

struct last_seen {
	int calls, fail;
	int64_t station_base, event_base;
};

static int
last(struct store *st, void *arg, int64_t station_base, int64_t event_base)
{
	struct last_seen *l = arg;

	(void)st;
	l->calls++;
	l->station_base = station_base;
	l->event_base = event_base;
	return l->fail ? -1 : 1;
}

static void
params(struct store *st, struct import_publish *p)
{
	memset(p, 0, sizeof(*p));
	/* Codes IMP(max_imp + k) after those of the imports before. */
	p->max_imp = unit_db_count(st, "SELECT count(*) FROM stations");
	p->batch = BATCH;
	p->nstations = ROWS;
	p->nevents = ROWS;
	p->now = 1772413200;
}

/* Stages the rows (bad_seq as stage's), sets p up keeping the hooks it
 * came with (last, between, arg) and publishes in batches from an open
 * transaction; the staging is cleared after. The publish's result. */
static int
publish(struct store *st, size_t bad_seq, struct import_publish *p, int64_t *sb,
    int64_t *eb)
{
	struct import_publish hooks = *p;
	int rc;

	stage(st, bad_seq);
	params(st, p);
	p->last = hooks.last;
	p->between = hooks.between;
	p->arg = hooks.arg;
	assert_true(store_begin(st) > 0);
	rc = store_import_publish_batched(st, p, sb, eb);
	store_import_clear(st);
	return rc;
}

/* 2,500 stations and events in batches of 1,000: six transactions, the
 * ids contiguous above the bases, each event at its station. */
static void
test_published_in_batches(void **state)
{
	struct store *st = store_thread();
	struct last_seen l = {0, 0, 0, 0};
	struct import_publish p = {.last = last, .arg = &l};
	struct tally t0;
	int64_t sb = -1, eb = -1;
	char sql[256];

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	assert_int_equal(publish(st, 0, &p, &sb, &eb), 1);
	assert_int_equal(db_in_tx(st), 0);
	assert_int_equal(p.batches, 6);
	assert_int_equal(l.calls, 1);
	assert_int_equal(l.station_base, sb);
	assert_int_equal(l.event_base, eb);
	tally_is(st, t0, ROWS, ROWS, ROWS);
	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM events e JOIN stations s ON s.id ="
	    " e.station_id WHERE e.id BETWEEN %lld AND %lld AND s.id - %lld ="
	    " e.id - %lld AND s.code = 'IMP' || (s.id - %lld)",
	    (long long)eb + 1, (long long)eb + ROWS, (long long)sb,
	    (long long)eb, (long long)sb);
	assert_int_equal(unit_db_count(st, sql), ROWS);
}

/* The lowest row's batch is the last to run: it fails on its foreign
 * key after five batches were committed, and they are deleted again. */
static void
test_failed_batch_leaves_nothing(void **state)
{
	struct store *st = store_thread();
	struct last_seen l = {0, 0, 0, 0};
	struct import_publish p = {.last = last, .arg = &l};
	struct tally t0;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	assert_int_equal(publish(st, 1, &p, &sb, &eb), -1);
	assert_int_equal(db_in_tx(st), 0);
	assert_int_equal(p.batches, 5);
	assert_int_equal(l.calls, 0);
	tally_is(st, t0, 0, 0, 0);
	/* The store is usable: a write after it goes through. */
	assert_true(store_begin(st) > 0);
	assert_true(store_commit(st) > 0);
}

/* The audit of the last batch fails: the whole import goes. */
static void
test_failed_audit_leaves_nothing(void **state)
{
	struct store *st = store_thread();
	struct last_seen l = {0, 1, 0, 0};
	struct import_publish p = {.last = last, .arg = &l};
	struct tally t0;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	assert_int_equal(publish(st, 0, &p, &sb, &eb), -1);
	assert_int_equal(l.calls, 1);
	assert_int_equal(p.batches, 5);
	tally_is(st, t0, 0, 0, 0);
}

/* A write between two batches (here: in the audit's transaction, after
 * the others) gets an id above the import's, which stay contiguous. */
static int
insert_station(struct store *st, void *arg, int64_t station_base,
    int64_t event_base)
{
	struct station s;
	int64_t *id = arg;

	(void)event_base;
	(void)station_base;
	memset(&s, 0, sizeof(s));
	s.code = (char *)"BETWEEN";
	s.name = (char *)"两批之间";
	s.kind = (char *)"street";
	s.address = (char *)"";
	s.timezone = (char *)"Asia/Shanghai";
	s.active = 1;
	s.created_at = s.updated_at = 1772413200;
	if (store_station_insert(st, &s) <= 0)
		return -1;
	*id = s.id;
	return 1;
}

static void
test_other_writes_go_above(void **state)
{
	struct store *st = store_thread();
	int64_t sb = -1, eb = -1, other = 0;
	struct import_publish p = {.last = insert_station, .arg = &other};

	(void)state;
	assert_non_null(st);
	assert_int_equal(publish(st, 0, &p, &sb, &eb), 1);
	assert_int_equal(other, sb + ROWS + 1);
}

/* --- the recovery record (014_import_runs.sql) --------------------- */

struct stop {
	size_t after; /* die after this many batches (0: never) */
	int64_t runs_seen;
};

/* Between batches: the record is there; a kill -9 here. */
static void
between(struct store *st, void *arg, size_t done, size_t of)
{
	struct stop *x = arg;

	(void)of;
	x->runs_seen = unit_db_count(st, "SELECT count(*) FROM import_runs");
	if (x->after > 0 && done == x->after)
		_exit(0); /* no cleanup, no rollback: as SIGKILL */
}

static void *
import_until_stop(void *arg)
{
	struct store *st = store_thread();
	struct import_publish p;
	int64_t sb, eb;

	if (st == NULL)
		_exit(2);
	stage(st, 0);
	params(st, &p);
	p.between = between;
	p.arg = arg;
	if (store_begin(st) <= 0)
		_exit(3);
	store_import_publish_batched(st, &p, &sb, &eb);
	_exit(4); /* finished: not what the test wanted */
	return NULL;
}

/* The import runs in a child process (a fresh connection of its own
 * thread) that dies after `after` of the 6 batches. */
static void
die_after(size_t after)
{
	struct stop x = {after, 0};

	unit_fork_stop(import_until_stop, &x);
}

/* Killed after batch k (stations only; after the first events batch;
 * before the last), then started again: nothing of the import is left,
 * the rows that were there before are, and the undo is audited. */
static void
test_stop_between_batches_undone_at_start(void **state)
{
	static const size_t ks[] = {1, 3, 4, 5};
	struct store *st;
	struct tally t0, mid;
	int64_t max_station, max_event, undone;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		assert_non_null(st = store_thread());
		t0 = tally(st);
		max_station = unit_db_count(st, "SELECT max(id) FROM stations");
		max_event = unit_db_count(st,
		    "SELECT coalesce(max(id), 0) FROM events");
		undone = unit_db_count(st,
		    "SELECT count(*) FROM audit_log WHERE "
		    "action = 'import_undo'");
		die_after(ks[i]);
		/* What the dead process left: k batches and the record. */
		mid = tally(st);
		assert_int_equal(mid.stations,
		    t0.stations + (ks[i] < 3 ? (int64_t)ks[i] * BATCH : ROWS));
		assert_true(mid.events > t0.events || ks[i] <= 3);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM import_runs"),
		    1);
		/* The next start. */
		store_shutdown();
		assert_int_equal(store_migrate(&db.cfg),
		    store_schema_version());
		assert_true(store_setup(&db.cfg));
		assert_non_null(st = store_thread());
		tally_is(st, t0, 0, 0, 0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT max(id) FROM stations"),
		    max_station);
		assert_int_equal(unit_db_count(st,
		                     "SELECT coalesce(max(id), 0) FROM events"),
		    max_event);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM import_runs"),
		    0);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM audit_log "
		                     "WHERE action = 'import_undo'"),
		    undone + 1);
	}
	/* A start with nothing to undo undoes nothing. */
	store_shutdown();
	assert_int_equal(store_migrate(&db.cfg), store_schema_version());
	assert_true(store_setup(&db.cfg));
	assert_non_null(st = store_thread());
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM audit_log WHERE "
	                     "action = 'import_undo'"),
	    undone + 1);
}

/* Another writer, between two batches, in a thread (and connection) of
 * its own: what it may not do, and what it still may. */
struct other {
	int64_t sb, eb; /* the run's bases, read from its record */
	int tried;
	int reg_rc, event_rc, counsellor_rc, station_rc, update_rc, plain_rc;
	enum store_failure reg_why;
};

static void *
other_writer(void *arg)
{
	struct other *o = arg;
	struct store *st = store_thread();
	struct registration g;
	char sql[512];

	if (st == NULL)
		return NULL;
	/* A public registration to the run's top event (published). */
	memset(&g, 0, sizeof(g));
	g.event_id = o->eb + ROWS;
	g.token = (char *)"between-batches-token";
	g.name = (char *)"两批之间报名";
	g.status = REGISTRATION_REGISTERED;
	g.created_at = g.updated_at = 1772413200;
	if (store_begin(st) > 0) {
		o->reg_rc = store_registration_insert(st, &g, NULL);
		o->reg_why = store_last_failure(st);
		if (o->reg_rc > 0)
			store_commit(st);
		else
			store_rollback(st);
	}
	/* A new event at one of the run's stations. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO events (kind, title, station_id, start_at, end_at,"
	    " planned_start_at, audience, status, public, created_at,"
	    " updated_at) VALUES ('lecture', '两批之间', %lld, 1800000000,"
	    " 1800007200, 1800000000, 'residents', 'planned', 1, 0, 0)",
	    (long long)o->sb + 1);
	o->event_rc = unit_db_exec(st, sql, NULL, 0);
	/* A counsellor at one. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO counsellors (name, email, home_station_id,"
	    " feed_token, created_at, updated_at) VALUES ('两批之间',"
	    " 'between@example.org', %lld, 'between', 0, 0)",
	    (long long)o->sb + 2);
	o->counsellor_rc = unit_db_exec(st, sql, NULL, 0);
	/* Changes to the run's rows. */
	snprintf(sql, sizeof(sql),
	    "UPDATE events SET title = '改了' WHERE id = %lld",
	    (long long)o->eb + ROWS);
	o->update_rc = unit_db_exec(st, sql, NULL, 0);
	snprintf(sql, sizeof(sql),
	    "UPDATE stations SET name = '改名' WHERE id = %lld",
	    (long long)o->sb + ROWS);
	o->station_rc = unit_db_exec(st, sql, NULL, 0);
	/* Anything else goes through. */
	o->plain_rc = unit_db_exec(st,
	    "INSERT INTO stations (code, name, kind, address, timezone,"
	    " active, created_at, updated_at) VALUES ('BETWEEN2', '两批之间',"
	    " 'street', '', 'Asia/Shanghai', 1, 0, 0)",
	    NULL, 0);
	o->tried = 1;
	return NULL;
}

static void
interfere(struct store *st, void *arg, size_t done, size_t of)
{
	struct other *o = arg;
	pthread_t t;

	(void)of;
	/* After the first events batch: both ranges recorded. */
	if (done != 4)
		return;
	o->sb = unit_db_count(st, "SELECT station_lo FROM import_runs");
	o->eb = unit_db_count(st, "SELECT event_lo FROM import_runs");
	assert_int_equal(pthread_create(&t, NULL, other_writer, o), 0);
	pthread_join(t, NULL);
}

/* Between batches another writer tries to register for a new event,
 * put an event at a new station, change them: refused (503 at the API);
 * a later batch fails, and the undo deletes the whole import; the
 * other writer's own station stays. */
static void
test_references_refused_undo_succeeds(void **state)
{
	struct store *st = store_thread();
	struct other o;
	struct import_publish p = {.between = interfere, .arg = &o};
	struct tally t0;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	memset(&o, 0, sizeof(o));
	t0 = tally(st);
	assert_int_equal(publish(st, 1, &p, &sb, &eb), -1);
	assert_int_equal(o.tried, 1);
	assert_true(o.sb > 0 && o.eb >= 0);
	assert_int_equal(o.reg_rc, -1);
	assert_int_equal(o.reg_why, STORE_FAILURE_IMPORTING);
	assert_int_equal(o.event_rc, DBE_IMPORTING);
	assert_int_equal(o.counsellor_rc, DBE_IMPORTING);
	assert_int_equal(o.update_rc, DBE_IMPORTING);
	assert_int_equal(o.station_rc, DBE_IMPORTING);
	assert_int_equal(o.plain_rc, 0);
	/* The failed batch's failure, not the undo's, is what is told. */
	assert_int_equal(store_last_failure(st), STORE_FAILURE_IN_USE);
	tally_is(st, t0, 1, 0, 0);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM import_runs"),
	    0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"),
	    0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM counsellors WHERE "
	                     "email = 'between@example.org'"),
	    0);
	assert_int_equal(
	    unit_db_count(st,
	        "SELECT count(*) FROM stations WHERE code = 'BETWEEN2'"),
	    1);
}

/* A run finished: no record left, the rows free for everyone. */
static void
test_finished_run_leaves_no_record(void **state)
{
	struct store *st = store_thread();
	struct stop x = {0, 0};
	struct import_publish p = {.between = between, .arg = &x};
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	assert_int_equal(publish(st, 0, &p, &sb, &eb), 1);
	assert_int_equal(x.runs_seen, 1);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM import_runs"),
	    0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM events WHERE id = "
	                     "(SELECT max(id) FROM events)"),
	    1);
}

/* --- a claim lost with its connection (PostgreSQL, tidy) ------------ */

/* After batch 1 the run's server session ends (a network cut, a
 * restart), its session lock (18, run) with it, and another instance
 * takes the claim before the next BEGIN finds a new connection. */
struct icut {
	PGconn *other;
	int cuts;
};

static void
cut_and_take(struct store *st, void *arg, size_t done, size_t of)
{
	struct icut *x = arg;

	(void)of;
	if (done != 1)
		return;
	assert_int_equal(unit_pg_cut_and_take(st, x->other, 18,
	                     unit_db_count(st,
	                         "SELECT max(id) FROM import_runs")),
	    1);
	x->cuts++;
}

/* The run stops without writing more and undoes nothing (the other
 * instance's to undo); once that one is gone, the next start does. */
static void
test_claim_held_elsewhere_stops_the_run(void **state)
{
	struct store *st = store_thread();
	struct icut x = {NULL, 0};
	struct import_publish p = {.between = cut_and_take, .arg = &x};
	struct tally t0;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	x.other = unit_pg_other();
	t0 = tally(st);
	assert_int_equal(publish(st, 0, &p, &sb, &eb), -1);
	assert_int_equal(x.cuts, 1);
	assert_int_equal(db_in_tx(st), 0);
	assert_int_equal(store_last_failure(st), STORE_FAILURE_UNAVAILABLE);
	tally_is(st, t0, BATCH, 0, 0);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM import_runs"),
	    1);
	PQfinish(x.other);
	assert_int_equal(store_migrate(&db.cfg), store_schema_version());
	tally_is(st, t0, 0, 0, 0);
	assert_int_equal(unit_db_count(st, "SELECT count(*) FROM import_runs"),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_published_in_batches),
	    cmocka_unit_test(test_failed_batch_leaves_nothing),
	    cmocka_unit_test(test_failed_audit_leaves_nothing),
	    cmocka_unit_test(test_other_writes_go_above),
	    cmocka_unit_test(test_stop_between_batches_undone_at_start),
	    cmocka_unit_test(test_references_refused_undo_succeeds),
	    cmocka_unit_test(test_finished_run_leaves_no_record),
	    cmocka_unit_test(test_claim_held_elsewhere_stops_the_run),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
