/*
 * Group commit (svc/store/db.c, issue 15): with synchronous=full every
 * write is still its own transaction, a commit returns only once a sync
 * of the WAL that began after its frames were written has finished, and
 * concurrent writers share syncs.
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

#define WRITERS 8
#define EACH 40

static char dir[64], path[96];
static struct store_config cfg;

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
	snprintf(dir, sizeof(dir), "/tmp/hearth-group-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/hearth.db", dir);
	cfg.path = path;
	cfg.synchronous_full = 1;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_concurrent_writes_share_syncs),
	    cmocka_unit_test(test_rollback_is_not_counted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
