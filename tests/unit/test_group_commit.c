/*
 * Group commit (svc/store/db.c, issue 15): with synchronous=full every
 * write is still its own transaction, a commit returns only once a sync
 * of the WAL that began after its frames were written has finished, and
 * concurrent writers share syncs. And the batches of ROUTE_BATCH
 * (issue 15 point 4, surveycpu): requests in one transaction, each in
 * a savepoint that is released or rolled back to, one commit for all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/stmt.h"
#include "../lib/unit_store.h"

#define WRITERS 8
#define EACH 40

static struct unit_db db;

static void
quiet(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l > LOG_WARN)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
setup(void **state)
{
	(void)state;
	return unit_db_open(&db, "group", 1, quiet) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	unit_db_close(&db);
	return 0;
}

struct writer {
	pthread_t t;
	int index;
	int ok;    /* commits acknowledged */
	int early; /* acknowledged before a sync covered them */
	int failed;
};

static void *
write_stations(void *arg)
{
	struct writer *w = arg;
	struct store *st = store_thread();
	struct station s;
	uint64_t before, commits, synced, syncs;
	char code[32], name[64];
	int i;

	if (st == NULL) {
		w->failed++;
		return NULL;
	}
	for (i = 0; i < EACH; i++) {
		snprintf(code, sizeof(code), "G%d-%d", w->index, i);
		snprintf(name, sizeof(name), "成组提交%d-%d", w->index, i);
		memset(&s, 0, sizeof(s));
		s.code = code;
		s.name = name;
		s.kind = (char *)"street";
		s.address = (char *)"";
		s.timezone = (char *)"Asia/Shanghai";
		s.active = 1;
		s.created_at = s.updated_at = 1772413200;
		store_group_stats(&before, &synced, &syncs);
		if (store_begin(st) <= 0 || store_station_insert(st, &s) <= 0) {
			store_rollback(st);
			w->failed++;
			continue;
		}
		if (store_commit(st) <= 0) {
			w->failed++;
			continue;
		}
		/* This commit is numbered after `before`: a sync covered it. */
		store_group_stats(&commits, &synced, &syncs);
		if (synced <= before)
			w->early++;
		w->ok++;
	}
	return NULL;
}

/* WRITERS threads, EACH transactions each: every one acknowledged after
 * its sync, every row there, fewer syncs than commits. */
static void
test_concurrent_writes_share_syncs(void **state)
{
	struct writer w[WRITERS];
	struct store *st;
	struct station *items = NULL;
	struct station_filter f = {.active = -1, .q = "G"};
	struct store_page pg = {.limit = 1000, .offset = 0};
	uint64_t c0, s0, n0, commits, synced, syncs;
	size_t n = 0;
	int64_t total = 0;
	int i, ok = 0;

	(void)state;
	store_group_stats(&c0, &s0, &n0);
	memset(w, 0, sizeof(w));
	for (i = 0; i < WRITERS; i++) {
		w[i].index = i;
		assert_int_equal(pthread_create(&w[i].t, NULL, write_stations,
		                     &w[i]),
		    0);
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(w[i].t, NULL);
		assert_int_equal(w[i].failed, 0);
		assert_int_equal(w[i].early, 0);
		ok += w[i].ok;
	}
	assert_int_equal(ok, WRITERS * EACH);
	store_group_stats(&commits, &synced, &syncs);
	/* One commit a transaction: the writes were not merged. */
	assert_int_equal(commits - c0, (uint64_t)(WRITERS * EACH));
	assert_true(synced == commits);
	/* The point of it: writers that came together shared a sync. */
	assert_true(syncs - n0 < commits - c0);
	fprintf(stderr, "  group commit: %llu commits, %llu syncs\n",
	    (unsigned long long)(commits - c0),
	    (unsigned long long)(syncs - n0));

	assert_non_null(st = store_thread());
	assert_int_equal(store_station_list(st, &f, &pg, &items, &n, &total),
	    1);
	assert_int_equal(total, WRITERS * EACH);
	station_list_free(items, n);
}

/* A rolled-back transaction is no commit and waits for no sync. */
static void
test_rollback_is_not_counted(void **state)
{
	struct store *st = store_thread();
	struct station s;
	uint64_t c0, s0, n0, commits, synced, syncs;

	(void)state;
	assert_non_null(st);
	store_group_stats(&c0, &s0, &n0);
	memset(&s, 0, sizeof(s));
	s.code = (char *)"ROLLED";
	s.name = (char *)"撤销";
	s.kind = (char *)"street";
	s.address = (char *)"";
	s.timezone = (char *)"Asia/Shanghai";
	s.active = 1;
	assert_int_equal(store_begin(st), 1);
	assert_int_equal(store_station_insert(st, &s), 1);
	store_rollback(st);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(commits == c0);
	assert_true(syncs == n0);
	assert_int_equal(store_station_get_by_code(st, "ROLLED", &s), 0);
}

static void
station_named(struct station *s, const char *code)
{
	memset(s, 0, sizeof(*s));
	s->code = (char *)code;
	s->name = (char *)"保存点";
	s->kind = (char *)"street";
	s->address = (char *)"";
	s->timezone = (char *)"Asia/Shanghai";
	s->active = 1;
	s->created_at = s->updated_at = 1772413200;
}

/* A batch: three requests in one transaction, the second rolled back to
 * its savepoint (after a refused write); one
 * commit, one sync, the first and third rows there, not the second. */
static void
test_batch_savepoints(void **state)
{
	struct store *st = store_thread();
	struct station s, got;
	uint64_t c0, s0, n0, commits, synced, syncs;

	(void)state;
	assert_non_null(st);
	/* Only inside a transaction. */
	assert_true(store_savepoint(st) < 0);
	assert_true(store_release(st) < 0);
	assert_true(store_rollback_to(st) < 0);
	store_group_stats(&c0, &s0, &n0);
	assert_int_equal(store_begin(st), 1);

	assert_int_equal(store_savepoint(st), 1);
	station_named(&s, "SP-A");
	assert_int_equal(store_station_insert(st, &s), 1);
	assert_int_equal(store_release(st), 1);

	assert_int_equal(store_savepoint(st), 1);
	station_named(&s, "SP-B");
	assert_int_equal(store_station_insert(st, &s), 1);
	/* The same code again: refused (unique), the transaction goes on. */
	station_named(&s, "SP-B");
	assert_int_equal(store_station_insert(st, &s), 0);
	assert_int_equal(store_rollback_to(st), 1);
	assert_int_equal(store_last_failure(st), STORE_FAILURE_NONE);

	assert_int_equal(store_savepoint(st), 1);
	station_named(&s, "SP-C");
	assert_int_equal(store_station_insert(st, &s), 1);
	/* The rolled-back request's row is gone inside the transaction. */
	assert_int_equal(store_station_get_by_code(st, "SP-B", &got), 0);
	assert_int_equal(store_release(st), 1);

	assert_int_equal(store_commit(st), 1);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(commits - c0 == 1);
	assert_true(synced == commits);
	assert_true(syncs - n0 == 1);
	assert_int_equal(store_station_get_by_code(st, "SP-A", &got), 1);
	station_free(&got);
	assert_int_equal(store_station_get_by_code(st, "SP-C", &got), 1);
	station_free(&got);
	assert_int_equal(store_station_get_by_code(st, "SP-B", &got), 0);

	/* A batch whose every request was rolled back to: no rows. */
	assert_int_equal(store_begin(st), 1);
	assert_int_equal(store_savepoint(st), 1);
	station_named(&s, "SP-D");
	assert_int_equal(store_station_insert(st, &s), 1);
	assert_int_equal(store_rollback_to(st), 1);
	store_rollback(st);
	assert_int_equal(store_station_get_by_code(st, "SP-D", &got), 0);
}

static void *
sync_on_own_thread(void *arg)
{
	intptr_t ok = store_sync_wait(arg);

	return (void *)ok;
}

/* The commit in two halves (the batch thread and the sync thread): a
 * commit made without its sync is not on the disk until another thread
 * (with a connection of its own) waits for it, and a commit that waits
 * covers the one before it. */
static void
test_commit_then_sync_elsewhere(void **state)
{
	struct store *st = store_thread();
	struct store_ticket t1, t2;
	struct station s, got;
	uint64_t c0, s0, n0, commits, synced, syncs;
	pthread_t th;
	void *ok = NULL;

	(void)state;
	assert_non_null(st);
	store_group_stats(&c0, &s0, &n0);
	assert_int_equal(store_begin(st), 1);
	station_named(&s, "NW-A");
	assert_int_equal(store_station_insert(st, &s), 1);
	assert_int_equal(store_commit_nowait(st, &t1), 1);
	assert_true(t1.commit == c0 + 1);
	/* Committed (seen) but not synced. */
	assert_int_equal(store_station_get_by_code(st, "NW-A", &got), 1);
	station_free(&got);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(commits == c0 + 1);
	assert_true(synced < t1.commit);
	assert_true(syncs == n0);
	/* Synced from a thread that never wrote. */
	assert_int_equal(pthread_create(&th, NULL, sync_on_own_thread, &t1), 0);
	assert_int_equal(pthread_join(th, &ok), 0);
	assert_true(ok == (void *)1);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(synced >= t1.commit);
	assert_true(syncs == n0 + 1);

	/* Two commits, one wait for the later: both on the disk. */
	assert_int_equal(store_begin(st), 1);
	station_named(&s, "NW-B");
	assert_int_equal(store_station_insert(st, &s), 1);
	assert_int_equal(store_commit_nowait(st, &t1), 1);
	assert_int_equal(store_begin(st), 1);
	station_named(&s, "NW-C");
	assert_int_equal(store_station_insert(st, &s), 1);
	assert_int_equal(store_commit_nowait(st, &t2), 1);
	assert_true(t2.commit == t1.commit + 1);
	assert_int_equal(store_sync_wait(&t2), 1);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(synced >= t2.commit);
	assert_true(syncs == n0 + 2);
	/* The earlier one finds it done: no sync more. */
	assert_int_equal(store_sync_wait(&t1), 1);
	store_group_stats(&commits, &synced, &syncs);
	assert_true(syncs == n0 + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_concurrent_writes_share_syncs),
	    cmocka_unit_test(test_rollback_is_not_counted),
	    cmocka_unit_test(test_batch_savepoints),
	    cmocka_unit_test(test_commit_then_sync_elsewhere),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
