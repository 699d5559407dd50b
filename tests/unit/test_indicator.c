/*
 * The scoring rules of the evaluation framework at and around each of
 * their edges, the printed targets, and what "met" means.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/core.h"

#define near(a, b) assert_true((a) - (b) < 1e-9 && (b) - (a) < 1e-9)

static void
test_ratio(void **state)
{
	(void)state;
	near(indicator_score(IND_RATIO, 2, 0, 5), 0);
	near(indicator_score(IND_RATIO, 2, 1, 5), 2.5);
	near(indicator_score(IND_RATIO, 2, 2, 5), 5);
	near(indicator_score(IND_RATIO, 2, 7, 5), 5);        /* capped */
	near(indicator_score(IND_RATIO, 100, 66.6667, 10), 6.67);
	near(indicator_score(IND_RATIO, 95, 95, 10), 10);
	near(indicator_score(IND_RATIO, 95, 94.9, 10), 9.99);
	near(indicator_score(IND_RATIO, 0, 0, 5), 5);        /* zero target */
	near(indicator_score(IND_RATIO, 0, 3, 5), 5);
	near(indicator_score(IND_RATIO, 50, -1, 5), 0);      /* never negative */
}

static void
test_tiered(void **state)
{
	(void)state;
	near(indicator_score(IND_TIERED, 100, 100, 5), 5);
	near(indicator_score(IND_TIERED, 100, 80, 5), 5);
	near(indicator_score(IND_TIERED, 100, 79.9, 5), 3);
	near(indicator_score(IND_TIERED, 100, 60, 5), 3);
	near(indicator_score(IND_TIERED, 100, 59.9, 5), 0);
	near(indicator_score(IND_TIERED, 100, 0, 5), 0);
	near(indicator_score(IND_TIERED, 100, 70, 10), 6);   /* scaled */
}

static void
test_satisfaction_deduct(void **state)
{
	(void)state;
	near(indicator_score(IND_SAT_DEDUCT, 90, 100, 10), 10);
	near(indicator_score(IND_SAT_DEDUCT, 90, 90, 10), 10);
	/* Fractions of a point below 90 are not deducted. */
	near(indicator_score(IND_SAT_DEDUCT, 90, 89.9, 10), 10);
	near(indicator_score(IND_SAT_DEDUCT, 90, 89, 10), 9.8);
	near(indicator_score(IND_SAT_DEDUCT, 90, 86, 10), 9.2);
	near(indicator_score(IND_SAT_DEDUCT, 90, 85.5, 10), 9.2);
	near(indicator_score(IND_SAT_DEDUCT, 90, 66.6667, 10), 5.4);
	near(indicator_score(IND_SAT_DEDUCT, 90, 50, 10), 2);
	near(indicator_score(IND_SAT_DEDUCT, 90, 49.9, 10), 0);
	near(indicator_score(IND_SAT_DEDUCT, 90, 0, 10), 0);
	/* The deduction is absolute points: a small weight reaches 0. */
	near(indicator_score(IND_SAT_DEDUCT, 90, 60, 5), 0);
}

static void
test_satisfaction_tiers(void **state)
{
	(void)state;
	near(indicator_score(IND_SAT_TIERS, 90, 90, 10), 10);
	near(indicator_score(IND_SAT_TIERS, 90, 89.9, 10), 8);
	near(indicator_score(IND_SAT_TIERS, 90, 80, 10), 8);
	near(indicator_score(IND_SAT_TIERS, 90, 79.9, 10), 5);
	near(indicator_score(IND_SAT_TIERS, 90, 60, 10), 5);
	near(indicator_score(IND_SAT_TIERS, 90, 59.9, 10), 0);
	near(indicator_score(IND_SAT_TIERS, 90, 95, 5), 5);
	near(indicator_score(IND_SAT_TIERS, 90, 85, 5), 4);
	near(indicator_score(IND_SAT_TIERS, 90, 70, 5), 2.5);
}

static void
test_targets(void **state)
{
	struct ind_target t;

	(void)state;
	assert_true(indicator_target_parse(">=2", &t));
	assert_string_equal(t.op, ">=");
	near(t.value, 2);
	assert_string_equal(t.unit, "count");
	assert_true(indicator_target_parse("=100%", &t));
	assert_string_equal(t.op, "=");
	assert_string_equal(t.unit, "percent");
	near(t.value, 100);
	assert_true(indicator_target_parse(">=90%", &t));
	near(t.value, 90);
	assert_true(indicator_target_parse("100%有效", &t));
	assert_string_equal(t.unit, "rating");
	assert_string_equal(t.op, ">=");
	assert_false(indicator_target_parse("", &t));
	assert_false(indicator_target_parse(">=", &t));
	assert_false(indicator_target_parse("abc", &t));
	assert_false(indicator_target_parse("120%", &t));
	assert_false(indicator_target_parse(">=5x", &t));
	assert_false(indicator_target_parse("-1", &t));
	assert_false(indicator_target_parse(NULL, &t));
}

static void
test_met_and_rules(void **state)
{
	enum ind_rule r;

	(void)state;
	assert_true(indicator_met(">=", 2, 2));
	assert_true(indicator_met(">=", 2, 3));
	assert_false(indicator_met(">=", 2, 1));
	assert_true(indicator_met("=", 100, 100));
	assert_false(indicator_met("=", 100, 99.99));
	assert_true(indicator_rule_parse("satisfaction_deduct", &r));
	assert_int_equal(r, IND_SAT_DEDUCT);
	assert_string_equal(indicator_rule_name(IND_TIERED), "tiered");
	assert_false(indicator_rule_parse("linear", &r));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_tiered),
		cmocka_unit_test(test_satisfaction_deduct),
		cmocka_unit_test(test_satisfaction_tiers),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_met_and_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
