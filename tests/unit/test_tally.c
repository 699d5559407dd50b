/*
 * Unit tests of svc/core/tally.c: a paper tally's counts object read
 * (keys 1-5, whole non-negative numbers up to TALLY_MAX_COUNT, not all
 * zero), its messages, and satisfaction (4 and 5 over all answers) from
 * online answers and tallies together.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

/* tally_counts_parse of the JSON text s. */
static enum tally_err
parse(const char *s, int64_t n[5], char key[8])
{
	json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
	enum tally_err e;

	assert_non_null(j);
	e = tally_counts_parse(j, n, key);
	json_decref(j);
	return e;
}

static void
test_counts(void **state)
{
	int64_t n[5];
	char key[8];

	(void)state;
	assert_int_equal(parse("{\"5\":20,\"4\":23,\"3\":5,\"2\":2,\"1\":0}", n,
	                     key),
	    TALLY_OK);
	assert_int_equal(n[0], 0);
	assert_int_equal(n[1], 2);
	assert_int_equal(n[2], 5);
	assert_int_equal(n[3], 23);
	assert_int_equal(n[4], 20);
	assert_string_equal(key, "");
	/* A missing key is 0. */
	assert_int_equal(parse("{\"3\":1}", n, key), TALLY_OK);
	assert_int_equal(n[2], 1);
	assert_int_equal(n[4], 0);
	assert_int_equal(parse("[1,2]", n, key), TALLY_NOT_OBJECT);
	assert_int_equal(parse("{\"6\":1}", n, key), TALLY_BAD_KEY);
	assert_string_equal(key, "6");
	assert_int_equal(parse("{\"0\":1}", n, key), TALLY_BAD_KEY);
	assert_int_equal(parse("{\"55\":1}", n, key), TALLY_BAD_KEY);
	assert_string_equal(key, "55");
	assert_int_equal(parse("{\"verylongkey\":1}", n, key), TALLY_BAD_KEY);
	assert_string_equal(key, "verylo"); /* cut to six bytes */
	assert_int_equal(parse("{\"4\":20.0}", n, key), TALLY_NOT_INTEGER);
	assert_string_equal(key, "4");
	assert_int_equal(parse("{\"4\":\"20\"}", n, key), TALLY_NOT_INTEGER);
	assert_int_equal(parse("{\"2\":-1}", n, key), TALLY_NEGATIVE);
	assert_int_equal(parse("{\"2\":100000}", n, key), TALLY_OK);
	assert_int_equal(parse("{\"2\":100001}", n, key), TALLY_TOO_LARGE);
	assert_int_equal(parse("{\"1\":0,\"5\":0}", n, key), TALLY_ALL_ZERO);
	assert_int_equal(parse("{}", n, key), TALLY_ALL_ZERO);
	/* (were test_cases.c's) */
	assert_int_equal(parse("{\"05\":1}", n, key), TALLY_BAD_KEY);
	assert_int_equal(parse("{\"\":1}", n, key), TALLY_BAD_KEY);
	assert_int_equal(parse("{\"5\":1.5}", n, key), TALLY_NOT_INTEGER);
	assert_int_equal(parse("{\"5\":null}", n, key), TALLY_NOT_INTEGER);
	assert_int_equal(parse("{\"5\":0,\"1\":0}", n, key), TALLY_ALL_ZERO);
	assert_string_equal(key, "");
	assert_int_equal(parse("5", n, key), TALLY_NOT_OBJECT);
	assert_int_equal(tally_counts_parse(NULL, n, key), TALLY_NOT_OBJECT);
}

static void
test_messages(void **state)
{
	int e;

	(void)state;
	assert_string_equal(tally_message(TALLY_OK), "");
	for (e = TALLY_NOT_OBJECT; e <= TALLY_ALL_ZERO; e++)
		assert_true(tally_message((enum tally_err)e)[0] != '\0');
}

static void
test_rate(void **state)
{
	static const int64_t paper[5] = {1, 2, 3, 4, 10}; /* 14 of 20 */
	static const int64_t odd[5] = {-5, 0, 0, 0, 0};
	struct tally_sat s = {0, 0};

	(void)state;
	assert_true(tally_rate(&s) < 0); /* no answer: no rate */
	tally_add_answer(&s, 5);
	tally_add_answer(&s, 4);
	tally_add_answer(&s, 3);
	tally_add_answer(&s, 0); /* not an answer 1-5: ignored */
	tally_add_answer(&s, 6);
	assert_int_equal(s.total, 3);
	assert_int_equal(s.satisfied, 2);
	tally_add_counts(&s, paper);
	assert_int_equal(s.total, 23);
	assert_int_equal(s.satisfied, 16);
	tally_add_counts(&s, odd); /* a negative count adds nothing */
	assert_int_equal(s.total, 23);
	assert_true(tally_rate(&s) == 16.0 / 23.0);
}

/* The paper tallies of the report: 90 % exactly, 89 of 100 not (was
 * test_cases.c's). */
static void
test_rate_ninety(void **state)
{
	static const int64_t ninety[5] = {1, 1, 8, 40, 50};
	static const int64_t bad[5] = {-5, 0, 0, 0, -3};
	struct tally_sat s = {0, 0};

	(void)state;
	tally_add_counts(&s, ninety);
	assert_true(tally_rate(&s) == 0.9);
	tally_add_answer(&s, 3);
	assert_true(tally_rate(&s) < 0.9);
	memset(&s, 0, sizeof(s));
	tally_add_counts(&s, bad);
	assert_int_equal(s.total, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_rate_ninety),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
