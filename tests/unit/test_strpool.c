/*
 * Unit tests of svc/core/strpool.c: strings kept and freed together, a
 * NULL kept counted as a failure, and a failed growth of the pool that
 * leaves it whole (realloc is wrapped: -Wl,--wrap=realloc).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

void *__real_realloc(void *, size_t);
void *__wrap_realloc(void *, size_t);

static int fail_realloc; /* the next realloc of the code under test fails */

void *
__wrap_realloc(void *p, size_t n)
{
	if (fail_realloc) {
		fail_realloc = 0;
		return NULL;
	}
	return __real_realloc(p, n);
}

static void
test_keep(void **state)
{
	struct strpool s = {0};
	const char *a, *b;
	char want[32];
	size_t i;

	(void)state;
	a = strpool_keep(&s, strdup("甲"));
	b = strpool_keepf(&s, "shift-%d@%s", 12, "hearth.test");
	assert_string_equal(a, "甲");
	assert_string_equal(b, "shift-12@hearth.test");
	/* Past the first growth: the earlier strings stay where they were. */
	for (i = 0; i < 200; i++) {
		snprintf(want, sizeof(want), "n%zu", i);
		assert_string_equal(strpool_keepf(&s, "n%zu", i), want);
	}
	assert_int_equal(s.n, 202);
	assert_string_equal(a, "甲");
	assert_false(s.failed);
	strpool_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
	strpool_free(&s); /* twice is harmless */
}

static void
test_null_is_failure(void **state)
{
	struct strpool s = {0};

	(void)state;
	assert_null(strpool_keep(&s, NULL));
	assert_true(s.failed);
	/* Later strings are still kept (and freed): callers check once. */
	assert_string_equal(strpool_keep(&s, strdup("x")), "x");
	assert_int_equal(s.n, 1);
	strpool_free(&s);
	assert_false(s.failed);
}

/* A growth that fails frees the string and marks the pool; the pool
 * keeps its size, so the next string (the caller checks only at the end)
 * grows it again rather than writing past it (ASan would see it). */
static void
test_failed_growth(void **state)
{
	struct strpool s = {0};
	size_t i, cap;

	(void)state;
	assert_non_null(strpool_keep(&s, strdup("first")));
	cap = s.cap;
	for (i = 1; i < cap; i++)
		assert_non_null(strpool_keepf(&s, "%zu", i));
	assert_int_equal(s.n, cap);
	fail_realloc = 1;
	assert_null(strpool_keep(&s, strdup("lost")));
	assert_true(s.failed);
	assert_int_equal(s.n, cap);
	assert_int_equal(s.cap, cap);
	assert_string_equal(strpool_keep(&s, strdup("after")), "after");
	assert_int_equal(s.n, cap + 1);
	assert_true(s.cap > cap);
	assert_string_equal(s.v[0], "first");
	strpool_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keep),
	    cmocka_unit_test(test_null_is_failure),
	    cmocka_unit_test(test_failed_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
