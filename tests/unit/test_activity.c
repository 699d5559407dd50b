/*
 * core/activity.c: the kinds of activities by index (the planner compares
 * kinds as numbers once each event's kind is looked up), and the even
 * spread of proposed days.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void
test_kind_index(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; activity_kinds[i] != NULL; i++)
		assert_int_equal(activity_kind_index(activity_kinds[i]),
		    (int)i);
	assert_int_equal(activity_kind_index("lecture"), 0);
	assert_int_equal(activity_kind_index("activity"), 4);
	/* unknown, Chinese words, a prefix, NULL */
	assert_int_equal(activity_kind_index("concert"), -1);
	assert_int_equal(activity_kind_index("讲座"), -1);
	assert_int_equal(activity_kind_index("lect"), -1);
	assert_int_equal(activity_kind_index(""), -1);
	assert_int_equal(activity_kind_index(NULL), -1);
}

static void
test_spread(void **state)
{
	int64_t cand[10], out[10];
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++)
		cand[i] = 100 + (int64_t)i;
	/* the middle of each equal share */
	assert_int_equal(activity_spread(cand, 10, 2, out), 2);
	assert_int_equal(out[0], 102);
	assert_int_equal(out[1], 107);
	/* never more than there are days */
	assert_int_equal(activity_spread(cand, 3, 5, out), 3);
	assert_int_equal(activity_spread(cand, 0, 5, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_index),
	    cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
