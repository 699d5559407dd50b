/*
 * An import published in bounded batches (svc/store/event.c, issue 17):
 * each batch is a transaction of its own, ids stay contiguous, and a
 * failure in any batch, or in the audit of the last one, leaves nothing
 * of the import in the database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/stmt.h"

#define ROWS 2500
#define BATCH 1000

static char dir[64], path[96];
static struct store_config cfg;

static void
quiet(enum log_level l, const char *fmt, ...)
{
	/* The failures these tests cause on purpose are errors too. */
	(void)l;
	(void)fmt;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hearth-import-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/hearth.db", dir);
	cfg.path = path;
	cfg.log = quiet;
	if (store_migrate(&cfg) != store_schema_version() || !store_setup(&cfg))
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char p[128];

	(void)state;
	store_shutdown();
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
	return 0;
}

static int64_t
count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

struct tally {
	int64_t stations, events, changes;
};

static struct tally
tally(struct store *st)
{
	struct tally t;

	t.stations = count(st, "SELECT count(*) FROM stations");
	t.events = count(st, "SELECT count(*) FROM events");
	t.changes = count(st, "SELECT count(*) FROM event_changes");
	return t;
}

/*
 * Stages ROWS events, row i at the new station i + 1 (ROWS of them);
 * bad_seq > 0: that row's station is an existing id that does not
 * exist, so the batch holding it fails on its foreign key.
 */
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
params(struct store *st, struct import_publish *p, struct last_seen *l)
{
	memset(p, 0, sizeof(*p));
	/* Codes IMP(max_imp + k) after those of the imports before. */
	p->max_imp = count(st, "SELECT count(*) FROM stations");
	p->batch = BATCH;
	p->nstations = ROWS;
	p->nevents = ROWS;
	p->now = 1772413200;
	p->last = last;
	p->arg = l;
}

/* 2,500 stations and events in batches of 1,000: six transactions, the
 * ids contiguous above the bases, each event at its station. */
static void
test_published_in_batches(void **state)
{
	struct store *st = store_thread();
	struct import_publish p;
	struct last_seen l = {0, 0, 0, 0};
	struct tally t0, t1;
	int64_t sb = -1, eb = -1;
	char sql[256];

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	stage(st, 0);
	params(st, &p, &l);
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_import_publish_batched(st, &p, &sb, &eb), 1);
	store_import_clear(st);
	assert_int_equal(sqlite3_get_autocommit(st->db), 1);
	assert_int_equal(p.batches, 6);
	assert_int_equal(l.calls, 1);
	assert_int_equal(l.station_base, sb);
	assert_int_equal(l.event_base, eb);
	t1 = tally(st);
	assert_int_equal(t1.stations, t0.stations + ROWS);
	assert_int_equal(t1.events, t0.events + ROWS);
	assert_int_equal(t1.changes, t0.changes + ROWS);
	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM events e JOIN stations s ON s.id ="
	    " e.station_id WHERE e.id BETWEEN %lld AND %lld AND s.id - %lld ="
	    " e.id - %lld AND s.code = 'IMP' || (s.id - %lld)",
	    (long long)eb + 1, (long long)eb + ROWS, (long long)sb,
	    (long long)eb, (long long)sb);
	assert_int_equal(count(st, sql), ROWS);
}

/* The lowest row's batch is the last to run: it fails on its foreign
 * key after five batches were committed, and they are deleted again. */
static void
test_failed_batch_leaves_nothing(void **state)
{
	struct store *st = store_thread();
	struct import_publish p;
	struct last_seen l = {0, 0, 0, 0};
	struct tally t0, t1;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	stage(st, 1);
	params(st, &p, &l);
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_import_publish_batched(st, &p, &sb, &eb), -1);
	store_import_clear(st);
	assert_int_equal(sqlite3_get_autocommit(st->db), 1);
	assert_int_equal(p.batches, 5);
	assert_int_equal(l.calls, 0);
	t1 = tally(st);
	assert_int_equal(t1.stations, t0.stations);
	assert_int_equal(t1.events, t0.events);
	assert_int_equal(t1.changes, t0.changes);
	/* The store is usable: a write after it goes through. */
	assert_true(store_begin(st) > 0);
	assert_true(store_commit(st) > 0);
}

/* The audit of the last batch fails: the whole import goes. */
static void
test_failed_audit_leaves_nothing(void **state)
{
	struct store *st = store_thread();
	struct import_publish p;
	struct last_seen l = {0, 1, 0, 0};
	struct tally t0, t1;
	int64_t sb = -1, eb = -1;

	(void)state;
	assert_non_null(st);
	t0 = tally(st);
	stage(st, 0);
	params(st, &p, &l);
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_import_publish_batched(st, &p, &sb, &eb), -1);
	store_import_clear(st);
	assert_int_equal(l.calls, 1);
	assert_int_equal(p.batches, 5);
	t1 = tally(st);
	assert_int_equal(t1.stations, t0.stations);
	assert_int_equal(t1.events, t0.events);
	assert_int_equal(t1.changes, t0.changes);
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
	struct import_publish p;
	struct last_seen l = {0, 0, 0, 0};
	int64_t sb = -1, eb = -1, other = 0;

	(void)state;
	assert_non_null(st);
	stage(st, 0);
	params(st, &p, &l);
	p.last = insert_station;
	p.arg = &other;
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_import_publish_batched(st, &p, &sb, &eb), 1);
	store_import_clear(st);
	assert_int_equal(other, sb + ROWS + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_published_in_batches),
	    cmocka_unit_test(test_failed_batch_leaves_nothing),
	    cmocka_unit_test(test_failed_audit_leaves_nothing),
	    cmocka_unit_test(test_other_writes_go_above),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
