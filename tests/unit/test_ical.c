/*
 * Unit tests of ical/: the VTIMEZONE builder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hearth_ical.h"

#define T2026 1767225600 /* 2026-01-01T00:00:00Z */
#define T2027 1798761600 /* 2027-01-01T00:00:00Z */

/* Every line ends in CRLF, no bare CR or LF anywhere. */
static void
assert_crlf(const char *s)
{
	size_t i, n = strlen(s);

	assert_true(n >= 2);
	assert_memory_equal(s + n - 2, "\r\n", 2);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			fail_msg("bare LF at %zu", i);
		if (s[i] == '\r' && s[i + 1] != '\n')
			fail_msg("bare CR at %zu", i);
	}
}

static void
assert_has(const char *s, const char *what)
{
	if (strstr(s, what) == NULL)
		fail_msg("\"%s\" missing in:\n%s", what, s);
}

static void
assert_lacks(const char *s, const char *what)
{
	if (strstr(s, what) != NULL)
		fail_msg("\"%s\" present in:\n%s", what, s);
}

static void
test_shanghai(void **state)
{
	char *v = hical_vtimezone("Asia/Shanghai", T2026, T2027);
	char *copy = v;

	(void)state;
	assert_non_null(v);
	assert_crlf(copy);
	assert_true(strncmp(copy, "BEGIN:VTIMEZONE\r\n", 17) == 0);
	assert_has(copy, "\r\nTZID:Asia/Shanghai\r\n");
	assert_has(copy, "END:VTIMEZONE\r\n");
	assert_has(copy, "TZOFFSETTO:+0800");
	assert_lacks(copy, "freeassociation");
	assert_lacks(copy, "LMT");
	assert_lacks(copy, "+0805"); /* local mean time */
	assert_lacks(copy, "+0900"); /* 1986-1991 DST */
	assert_lacks(copy, "DAYLIGHT");
	free(copy);
}

static void
test_berlin(void **state)
{
	char *v = hical_vtimezone("Europe/Berlin", T2026, T2027);
	char *copy = v;

	(void)state;
	assert_non_null(v);
	assert_crlf(copy);
	assert_has(copy, "\r\nTZID:Europe/Berlin\r\n");
	assert_has(copy, "BEGIN:DAYLIGHT\r\n");
	assert_has(copy, "BEGIN:STANDARD\r\n");
	assert_has(copy, "TZOFFSETTO:+0200");
	assert_has(copy, "TZOFFSETTO:+0100");
	assert_lacks(copy, "freeassociation");
	assert_lacks(copy, "LMT");
	free(copy);
}

static void
test_new_york(void **state)
{
	char *v = hical_vtimezone("America/New_York", T2026, T2027);

	(void)state;
	assert_non_null(v);
	assert_crlf(v);
	assert_has(v, "TZID:America/New_York\r\n");
	assert_has(v, "TZOFFSETTO:-0400");
	assert_has(v, "TZOFFSETTO:-0500");
	assert_lacks(v, "freeassociation");
	free(v);
}

static void
test_unknown(void **state)
{
	(void)state;
	assert_null(hical_vtimezone("Nowhere/Land", T2026, T2027));
	assert_null(hical_vtimezone("", T2026, T2027));
	assert_null(hical_vtimezone("../../etc/passwd", T2026, T2027));
	assert_null(hical_vtimezone(NULL, T2026, T2027));
	/* an empty range turned around */
	assert_null(hical_vtimezone("Asia/Shanghai", T2027, T2026));
}

static void
test_version(void **state)
{
	const char *v = hical_libical_version();

	(void)state;
	assert_non_null(v);
	assert_true(v[0] >= '1' && v[0] <= '9');
	assert_non_null(strchr(v, '.'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shanghai),
	    cmocka_unit_test(test_berlin),
	    cmocka_unit_test(test_new_york),
	    cmocka_unit_test(test_unknown),
	    cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
