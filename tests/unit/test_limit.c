/*
 * Unit tests of the rate limits in memory (svc/api/limit.c), the tables
 * SQLite's instance uses and PostgreSQL's falls back on: windows count
 * and make wait per key, token buckets take and refill per key; a
 * look-up stays in the key's set of 16 slots (issue 15), so keys beyond
 * the 4,096 slots take no memory and push out only keys of their own
 * set, the oldest window first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
/* ASan's own heap (sanitizer/allocator_interface.h, not installed). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "api/api.h"

#define WAYS 16     /* slots of a set (limit.c's LIMIT_WAYS) */
#define FLOOD 20000 /* keys: five times the table's slots */

/* key made of prefix and n, in set (or, when other, in any set but it). */
static void
key_in(char *key, size_t sz, const char *prefix, int *n, int set, int other)
{
	for (;; (*n)++) {
		assert_true(*n < 100000000); /* the sets are spread */
		snprintf(key, sz, "%s%d", prefix, *n);
		if ((api_limit_set(key) == set) != other) {
			(*n)++;
			return;
		}
	}
}

/* Bytes of the heap in use (ASan keeps its own heap). */
static size_t
heap_bytes(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/* Sleeps until the clock's second is a new one (windows start at a
 * second of time()). */
static void
next_second(void)
{
	time_t t = time(NULL);
	struct timespec gap = {0, 20 * 1000 * 1000};

	while (time(NULL) == t)
		nanosleep(&gap, NULL);
}

/* Counted events make a key wait until its window ends, other keys not;
 * a reset frees it. */
static void
test_counts_and_waits(void **state)
{
	int i, wait;

	(void)state;
	api_limit_config(LIMIT_REGISTER, 3, 60);
	assert_int_equal(api_limit_wait(LIMIT_REGISTER, "10.0.0.1"), 0);
	for (i = 0; i < 3; i++) {
		assert_false(api_limit_reached(LIMIT_REGISTER, "10.0.0.1"));
		api_limit_count(LIMIT_REGISTER, "10.0.0.1");
	}
	wait = api_limit_wait(LIMIT_REGISTER, "10.0.0.1");
	assert_true(wait >= 59 && wait <= 60);
	assert_true(api_limit_reached(LIMIT_REGISTER, "10.0.0.1"));
	/* Another key, and the same key of another limit: their own. */
	assert_int_equal(api_limit_wait(LIMIT_REGISTER, "10.0.0.2"), 0);
	api_limit_config(LIMIT_LOGIN, 3, 60);
	assert_int_equal(api_limit_wait(LIMIT_LOGIN, "10.0.0.1"), 0);
	api_limit_reset(LIMIT_REGISTER, "10.0.0.1");
	assert_int_equal(api_limit_wait(LIMIT_REGISTER, "10.0.0.1"), 0);
}

/* A key longer than a slot still finds the slot it was counted in (it
 * is known by its first bytes), in the counted limits and the buckets. */
static void
test_long_keys(void **state)
{
	char key[300];
	int i;

	(void)state;
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	api_limit_config(LIMIT_REGISTER, 2, 60);
	for (i = 0; i < 2; i++)
		api_limit_count(LIMIT_REGISTER, key);
	assert_true(api_limit_reached(LIMIT_REGISTER, key));
	assert_true(api_limit_wait(LIMIT_REGISTER, key) > 0);
	api_limit_reset(LIMIT_REGISTER, key);
	assert_int_equal(api_limit_wait(LIMIT_REGISTER, key), 0);
	api_rate_config(RATE_PUBLIC_WRITE, 2);
	assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, key), 0);
	assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, key), 0);
	assert_true(api_rate_take(RATE_PUBLIC_WRITE, key) > 0);
	api_rate_config(RATE_PUBLIC_WRITE, 0);
}

/* A window ends: the key's count starts again. */
static void
test_window_ends(void **state)
{
	(void)state;
	api_limit_config(LIMIT_ANON_SURVEY, 1, 1);
	next_second();
	api_limit_count(LIMIT_ANON_SURVEY, "w1");
	assert_int_equal(api_limit_wait(LIMIT_ANON_SURVEY, "w1"), 1);
	next_second();
	assert_int_equal(api_limit_wait(LIMIT_ANON_SURVEY, "w1"), 0);
}

/* Keys by the thousand (five times the table) in other sets than a
 * key's: no memory is taken, and the key stays limited. */
static void
test_many_keys(void **state)
{
	size_t before;
	char victim[] = "acct-victim", key[32];
	int set = api_limit_set(victim), n = 0, i;

	(void)state;
	api_limit_config(LIMIT_LOGIN_ACCOUNT, 2, 600);
	api_limit_count(LIMIT_LOGIN_ACCOUNT, victim);
	api_limit_count(LIMIT_LOGIN_ACCOUNT, victim);
	before = heap_bytes();
	for (i = 0; i < FLOOD; i++) {
		key_in(key, sizeof(key), "flood-", &n, set, 1);
		api_limit_count(LIMIT_LOGIN_ACCOUNT, key);
		api_limit_count(LIMIT_LOGIN_ACCOUNT, key);
		assert_true(api_limit_reached(LIMIT_LOGIN_ACCOUNT, key));
	}
	assert_int_equal(heap_bytes(), before);
	assert_true(api_limit_reached(LIMIT_LOGIN_ACCOUNT, victim));
}

/* A full set takes a new key's slot from its oldest window: keys of an
 * older second go before those of this one, and the key pushed out
 * starts again at 0; the other keys of the set keep their counts. */
static void
test_full_set_oldest(void **state)
{
	char old[32], keys[WAYS][32], key[32];
	int set, n = 0, i;

	(void)state;
	api_limit_config(LIMIT_LOGIN, 1, 600);
	next_second();
	snprintf(old, sizeof(old), "old-key");
	set = api_limit_set(old);
	api_limit_count(LIMIT_LOGIN, old);
	assert_true(api_limit_reached(LIMIT_LOGIN, old));
	next_second();
	/* WAYS - 1 keys of this second fill the set (the tests before may
	 * have left slots of it at most as old as old's). */
	for (i = 0; i < WAYS - 1; i++) {
		key_in(keys[i], sizeof(keys[i]), "set-", &n, set, 0);
		api_limit_count(LIMIT_LOGIN, keys[i]);
	}
	assert_true(api_limit_reached(LIMIT_LOGIN, old));
	/* One more: old's is the oldest window of the full set. */
	key_in(key, sizeof(key), "set-", &n, set, 0);
	api_limit_count(LIMIT_LOGIN, key);
	assert_true(api_limit_reached(LIMIT_LOGIN, key));
	for (i = 0; i < WAYS - 1; i++)
		assert_true(api_limit_reached(LIMIT_LOGIN, keys[i]));
	assert_false(api_limit_reached(LIMIT_LOGIN, old));
}

/* A bucket allows its burst at once, then waits; another key's bucket
 * is full; the bucket refills at its rate and keeps its state while
 * thousands of keys come and go in other sets. */
static void
test_bucket_refills(void **state)
{
	struct timespec token = {2, 100 * 1000 * 1000}; /* one token */
	const char *k = "198.51.100.7";
	char key[32];
	int i, n = 0, wait, set = api_limit_set(k);

	(void)state;
	api_rate_config(RATE_PUBLIC_WRITE, 30); /* 1 in 2 s, 30 at once */
	for (i = 0; i < 30; i++)
		assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, k), 0);
	wait = api_rate_take(RATE_PUBLIC_WRITE, k);
	assert_true(wait >= 2 && wait <= 3);
	assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, "198.51.100.8"), 0);
	for (i = 0; i < FLOOD; i++) {
		key_in(key, sizeof(key), "203.0.113.", &n, set, 1);
		assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, key), 0);
	}
	assert_true(api_rate_take(RATE_PUBLIC_WRITE, k) > 0);
	nanosleep(&token, NULL);
	assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, k), 0);
	assert_true(api_rate_take(RATE_PUBLIC_WRITE, k) > 0);
	/* No limit configured: every take is allowed. */
	api_rate_config(RATE_PUBLIC_WRITE, 0);
	assert_int_equal(api_rate_take(RATE_PUBLIC_WRITE, k), 0);
}

/* The sets are chosen by a keyed hash: the same key, the same set;
 * keys spread over every set. */
static void
test_sets_spread(void **state)
{
	static int seen[256];
	char key[32];
	int i, sets = 0;

	(void)state;
	assert_int_equal(api_limit_set("10.0.0.1"), api_limit_set("10.0.0.1"));
	for (i = 0; i < 8192; i++) {
		snprintf(key, sizeof(key), "10.1.%d.%d", i / 256, i % 256);
		assert_true(api_limit_set(key) >= 0 &&
		    api_limit_set(key) < 256);
		if (seen[api_limit_set(key)]++ == 0)
			sets++;
	}
	assert_int_equal(sets, 256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_and_waits),
	    cmocka_unit_test(test_long_keys),
	    cmocka_unit_test(test_window_ends),
	    cmocka_unit_test(test_many_keys),
	    cmocka_unit_test(test_full_set_oldest),
	    cmocka_unit_test(test_bucket_refills),
	    cmocka_unit_test(test_sets_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
