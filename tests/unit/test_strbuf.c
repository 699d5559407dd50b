/*
 * Unit tests of the string builder (core/strbuf.c) and the CSV writer
 * (core/csv.c): exact bytes, the formula guard, and that what is written
 * reads back through the CSV reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void
test_strbuf_grows(void **state)
{
	struct strbuf b = {0};
	char *s;
	size_t n, i;

	(void)state;
	for (i = 0; i < 1000; i++)
		strbuf_str(&b, "0123456789");
	strbuf_printf(&b, "[%d-%s]", 42, "x");
	s = strbuf_take(&b, &n);
	assert_non_null(s);
	assert_int_equal(n, 10006);
	assert_int_equal(strlen(s), n);
	assert_memory_equal(s + 9990, "0123456789[42-x]", 16);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(s);
}

static void
test_strbuf_empty_and_long_printf(void **state)
{
	struct strbuf b = {0};
	char *s, big[1000];
	size_t n = 99;

	(void)state;
	s = strbuf_take(&b, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_printf(&b, "%s|%s", big, big);
	s = strbuf_take(&b, &n);
	assert_int_equal(n, 2 * 999 + 1);
	assert_int_equal(s[999], '|');
	free(s);
	strbuf_str(&b, "dropped");
	strbuf_free(&b);
	assert_null(b.p);
}

static void
test_strbuf_failed_is_sticky(void **state)
{
	struct strbuf b = {0};

	(void)state;
	strbuf_str(&b, "abc");
	b.failed = 1;
	strbuf_str(&b, "def");
	assert_int_equal(b.len, 3);
	assert_null(strbuf_take(&b, NULL));
	assert_null(b.p);
}

static void
test_csv_put_exact(void **state)
{
	struct strbuf b = {0};
	char *s;

	(void)state;
	csv_put_field(&b, "plain", 1);
	csv_put_field(&b, "a,b", 0);
	csv_put_field(&b, "say \"hi\"", 0);
	csv_put_field(&b, "two\nlines", 0);
	csv_put_field(&b, "", 0);
	csv_put_number(&b, 2009.6, 2, 0);
	csv_put_number(&b, -5, 0, 0);
	csv_end_row(&b);
	csv_put_field(&b, "=100%", 1);
	csv_put_field(&b, "+1", 0);
	csv_put_field(&b, "-2", 0);
	csv_put_field(&b, "@SUM(A1)", 0);
	csv_put_field(&b, "\tx", 0);
	csv_put_field(&b, "\rx", 0);
	csv_put_field(&b, "中文=1", 0);
	csv_end_row(&b);
	s = strbuf_take(&b, NULL);
	assert_string_equal(s,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,2009.60,-5\r\n"
	    "\"'=100%\",\"'+1\",\"'-2\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\","
	    "中文=1\r\n");
	free(s);
}

/* Every field written reads back as itself (after the guard's
 * apostrophe) through the reader of imports. */
static void
test_csv_round_trip(void **state)
{
	static const char *fields[] = {"", "a", "a,b", "\"", "\"\"x\"",
	    "line\r\nbreak", "=cmd", "-1", " space ", "区信访局", "x\ny"};
	const size_t n = sizeof(fields) / sizeof(fields[0]);
	struct strbuf b = {0};
	struct csv_row row;
	struct csv *c;
	size_t i, sz;
	char *s;

	(void)state;
	for (i = 0; i < n; i++)
		csv_put_field(&b, fields[i], i == 0);
	csv_end_row(&b);
	s = strbuf_take(&b, &sz);
	assert_non_null(c = csv_open(s, sz));
	assert_int_equal(csv_next(c, &row), 1);
	assert_int_equal(row.n, n);
	for (i = 0; i < n; i++) {
		const char *got = row.fields[i];

		if (csv_formula_start(fields[i][0])) {
			assert_int_equal(got[0], '\'');
			got++;
		}
		assert_string_equal(got, fields[i]);
	}
	assert_int_equal(csv_next(c, &row), 0);
	csv_close(c);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strbuf_grows),
	    cmocka_unit_test(test_strbuf_empty_and_long_printf),
	    cmocka_unit_test(test_strbuf_failed_is_sticky),
	    cmocka_unit_test(test_csv_put_exact),
	    cmocka_unit_test(test_csv_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
