/*
 * Unit tests of svc/core/time.c and the zone side of RFC 3339 (tz_format_rfc3339,
 * tz_local_to_utc): parsing, formatting in real zones, civil dates.
 * Zones are the real tzdata files of the build machine
 * (/usr/share/zoneinfo), read into memory and handed to tz_parse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "../lib/unit.h"

static struct tz *
load_zone(const char *name)
{
	struct tz *z = unit_load_zone(name);

	if (z == NULL)
		fail_msg("cannot load the zone %s", name);
	return z;
}

/* The zones of the tests, loaded once by the group setup. */
static struct tz *shanghai, *berlin, *new_york, *kathmandu, *st_johns;

static int
zones_setup(void **state)
{
	(void)state;
	shanghai = load_zone("Asia/Shanghai");
	berlin = load_zone("Europe/Berlin");
	new_york = load_zone("America/New_York");
	kathmandu = load_zone("Asia/Kathmandu");
	st_johns = load_zone("America/St_Johns");
	return 0;
}

static int
zones_teardown(void **state)
{
	(void)state;
	tz_free(shanghai);
	tz_free(berlin);
	tz_free(new_york);
	tz_free(kathmandu);
	tz_free(st_johns);
	return 0;
}

static int64_t
civil_secs(int64_t y, unsigned mo, unsigned d, int h, int mi, int s)
{
	return time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* Formats t in z, compares with want, and parses the text back. */
static void
check_fmt(time_t t, const struct tz *z, const char *want)
{
	char buf[TIME_RFC3339_MAX];
	time_t back = 0;

	memset(buf, 'x', sizeof(buf));
	tz_format_rfc3339(z, t, buf);
	assert_string_equal(buf, want);
	assert_true(time_parse_rfc3339(buf, &back));
	assert_int_equal((int64_t)back, (int64_t)t);
}

static void
parse_ok(const char *s, int64_t want)
{
	time_t t = 0;

	if (!time_parse_rfc3339(s, &t))
		fail_msg("rejected \"%s\"", s);
	if ((int64_t)t != want)
		fail_msg("\"%s\" -> %lld, want %lld", s, (long long)t,
		    (long long)want);
}

static void
parse_bad(const char *s)
{
	time_t t = 12345;

	if (time_parse_rfc3339(s, &t))
		fail_msg("accepted \"%s\" as %lld", s, (long long)t);
}

/* --- RFC 3339 ------------------------------------------------------------- */

static void
test_rfc3339_parse(void **state)
{
	(void)state;
	parse_ok("2026-03-02T09:00:00+08:00", 1772413200);
	parse_ok("2026-03-02T01:00:00Z", 1772413200);
	parse_ok("2026-03-02t01:00:00z", 1772413200);
	parse_ok("2026-03-02T01:00:00.5Z", 1772413200);
	parse_ok("2026-03-02T09:00:00.123456789+08:00", 1772413200);
	parse_ok("2026-03-01T20:00:00-05:00", 1772413200);
	parse_ok("2026-03-02T06:45:00+05:45", 1772413200);
	parse_ok("2026-03-01T21:30:00-03:30", 1772413200);
	parse_ok("2026-03-02T01:00:00-00:00", 1772413200);
	parse_ok("1970-01-01T00:00:00Z", 0);
	parse_ok("1969-12-31T23:59:59Z", -1);
	parse_ok("1970-01-01T08:00:00+08:00", 0);
	parse_ok("2024-02-29T00:00:00Z", 1709164800);
	parse_ok("2000-02-29T12:00:00Z", 951825600);
	parse_ok("2026-12-31T23:59:59Z", 1798761599);
}

static void
test_rfc3339_reject(void **state)
{
	(void)state;
	parse_bad(NULL);
	parse_bad("");
	parse_bad("2026-03-02T09:00:00"); /* no offset: floating */
	parse_bad("2026-03-02");
	parse_bad("2026-03-02T09:00Z");        /* no seconds */
	parse_bad("2026-03-02T09:00:00+0800"); /* offset without colon */
	parse_bad("2026-03-02T09:00:00+08");
	parse_bad("2026-03-02T09:00:00+24:00");
	parse_bad("2026-03-02T09:00:00+08:60");
	parse_bad("2026-13-02T09:00:00Z");
	parse_bad("2026-00-02T09:00:00Z");
	parse_bad("2026-03-00T09:00:00Z");
	parse_bad("2026-03-32T09:00:00Z");
	parse_bad("2026-04-31T09:00:00Z");
	parse_bad("2025-02-29T09:00:00Z");
	parse_bad("2100-02-29T09:00:00Z");
	parse_bad("2026-03-02T24:00:00Z");
	parse_bad("2026-03-02T23:60:00Z");
	parse_bad("2026-03-02T09:00:00.Z");
	parse_bad("2026-03-02T09:00:00Z ");
	parse_bad(" 2026-03-02T09:00:00Z");
	parse_bad("2026-03-02T09:00:00Zjunk");
	parse_bad("2026-03-02T09:00:00+08:00x");
	parse_bad("2026-03-02T09:00:00+08:00:00");
	parse_bad("2026-3-2T09:00:00Z");
	parse_bad("26-03-02T09:00:00Z");
	parse_bad("2026/03/02T09:00:00Z");
	parse_bad("2026-03-02X09:00:00Z");
	parse_bad("2026-03-02T9:00:00Z");
	parse_bad("2026-03-02T09:00:00.12a+08:00");
	parse_bad("2026-03-02T09:00:00\xe2\x80\x8bZ");
	parse_bad("+2026-03-02T09:00:00Z");
}

static void
test_rfc3339_format_utc(void **state)
{
	(void)state;
	check_fmt(1772413200, NULL, "2026-03-02T01:00:00Z");
	check_fmt(0, NULL, "1970-01-01T00:00:00Z");
	check_fmt(-1, NULL, "1969-12-31T23:59:59Z");
	check_fmt(-86400, NULL, "1969-12-31T00:00:00Z");
	check_fmt(951782400, NULL, "2000-02-29T00:00:00Z");
	check_fmt(253402300799, NULL, "9999-12-31T23:59:59Z");
	check_fmt(-62167219200, NULL, "0000-01-01T00:00:00Z");
}

/* Instants whose UTC year falls outside 0000-9999 are accepted by the
 * parser (the offset pushes them over) but cannot be formatted: the
 * formatter takes the year modulo 10000, so a stored time comes back as
 * a different instant. Either the parser refuses them or the round trip
 * holds. */
static void
test_rfc3339_year_edges(void **state)
{
	static const char *const edge[] = {
	    "9999-12-31T23:59:59-01:00",
	    "0000-01-01T00:00:00+01:00",
	};
	char buf[TIME_RFC3339_MAX];
	time_t t, back;
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		if (!time_parse_rfc3339(edge[i], &t))
			continue; /* refusing is fine */
		tz_format_rfc3339(NULL, t, buf);
		back = 0;
		if (!time_parse_rfc3339(buf, &back)) {
			print_error("\"%s\" parses to %lld, formats as \"%s\" "
			            "which does not parse\n",
			    edge[i], (long long)t, buf);
			bad++;
		} else if (back != t) {
			print_error("\"%s\" parses to %lld, formats as \"%s\" "
			            "which parses to %lld\n",
			    edge[i], (long long)t, buf, (long long)back);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_format_shanghai(void **state)
{
	const struct tz *z = shanghai;
	time_t t;

	(void)state;
	assert_string_equal(tz_name(z), "Asia/Shanghai");
	check_fmt(1772413200, z, "2026-03-02T09:00:00+08:00");
	assert_int_equal(tz_offset_at(z, 1772413200), 8 * 3600);
	/* 2100: past the last transition, footer "CST-8" */
	check_fmt(4118126400, z, "2100-07-01T20:00:00+08:00");
	/* 1986-1991 Chinese DST */
	check_fmt(581137200, z, "1988-06-01T12:00:00+09:00");
	assert_int_equal(tz_offset_at(z, 581137200), 9 * 3600);
	check_fmt(577216799, z, "1988-04-17T01:59:59+08:00");
	check_fmt(577216800, z, "1988-04-17T03:00:00+09:00");
	check_fmt(684867599, z, "1991-09-15T01:59:59+09:00");
	check_fmt(684867600, z, "1991-09-15T01:00:00+08:00");
	/* 1992 onwards: no DST */
	assert_int_equal(tz_offset_at(z, 710000000), 8 * 3600);
	/* local noon on 1988-06-01 is 03:00Z */
	t = tz_local_to_utc(z, civil_secs(1988, 6, 1, 12, 0, 0));
	assert_int_equal((int64_t)t, 581137200);
	t = tz_local_to_utc(z, civil_secs(2026, 3, 2, 9, 0, 0));
	assert_int_equal((int64_t)t, 1772413200);
}

static void
test_format_berlin(void **state)
{
	const struct tz *z = berlin;

	(void)state;
	check_fmt(1782907200, z, "2026-07-01T14:00:00+02:00");
	check_fmt(1768478400, z, "2026-01-15T13:00:00+01:00");
	check_fmt(1774745999, z, "2026-03-29T01:59:59+01:00");
	check_fmt(1774746000, z, "2026-03-29T03:00:00+02:00");
	check_fmt(1792889999, z, "2026-10-25T02:59:59+02:00");
	check_fmt(1792890000, z, "2026-10-25T02:00:00+01:00");
	/* 2100: the POSIX footer CET-1CEST,M3.5.0,M10.5.0/3 decides */
	check_fmt(4118126400, z, "2100-07-01T14:00:00+02:00");
	check_fmt(4103697600, z, "2100-01-15T13:00:00+01:00");
	check_fmt(4109878799, z, "2100-03-28T01:59:59+01:00");
	check_fmt(4109878800, z, "2100-03-28T03:00:00+02:00");
	check_fmt(4128627599, z, "2100-10-31T02:59:59+02:00");
	check_fmt(4128627600, z, "2100-10-31T02:00:00+01:00");
}

static void
test_format_new_york(void **state)
{
	const struct tz *z = new_york;

	(void)state;
	check_fmt(1782907200, z, "2026-07-01T08:00:00-04:00");
	check_fmt(1768478400, z, "2026-01-15T07:00:00-05:00");
	check_fmt(1772953199, z, "2026-03-08T01:59:59-05:00");
	check_fmt(1772953200, z, "2026-03-08T03:00:00-04:00");
	check_fmt(1793512799, z, "2026-11-01T01:59:59-04:00");
	check_fmt(1793512800, z, "2026-11-01T01:00:00-05:00");
	check_fmt(4118126400, z, "2100-07-01T08:00:00-04:00");
	check_fmt(4103697600, z, "2100-01-15T07:00:00-05:00");
}

static void
test_format_odd_offsets(void **state)
{
	const struct tz *k = kathmandu, *s = st_johns;

	(void)state;
	check_fmt(1772413200, k, "2026-03-02T06:45:00+05:45");
	check_fmt(1768478400, s, "2026-01-15T08:30:00-03:30");
}

static void
test_local_to_utc_berlin(void **state)
{
	const struct tz *z = berlin;
	time_t t;

	(void)state;
	/* ordinary times */
	t = tz_local_to_utc(z, civil_secs(2026, 7, 1, 14, 0, 0));
	assert_int_equal((int64_t)t, 1782907200);
	t = tz_local_to_utc(z, civil_secs(2026, 1, 15, 13, 0, 0));
	assert_int_equal((int64_t)t, 1768478400);
	/* spring gap: 02:30 does not exist; the offset before (+01:00) */
	t = tz_local_to_utc(z, civil_secs(2026, 3, 29, 2, 30, 0));
	assert_int_equal((int64_t)t, 1774746000 + 1800);
	/* just outside the gap */
	t = tz_local_to_utc(z, civil_secs(2026, 3, 29, 1, 59, 59));
	assert_int_equal((int64_t)t, 1774745999);
	t = tz_local_to_utc(z, civil_secs(2026, 3, 29, 3, 0, 0));
	assert_int_equal((int64_t)t, 1774746000);
	/* autumn overlap: 02:30 happens twice; the earlier (+02:00) */
	t = tz_local_to_utc(z, civil_secs(2026, 10, 25, 2, 30, 0));
	assert_int_equal((int64_t)t, 1792890000 - 1800);
	t = tz_local_to_utc(z, civil_secs(2026, 10, 25, 3, 0, 0));
	assert_int_equal((int64_t)t, 1792890000 + 3600);
	/* 2100, footer rules */
	t = tz_local_to_utc(z, civil_secs(2100, 7, 1, 14, 0, 0));
	assert_int_equal((int64_t)t, 4118126400);
	t = tz_local_to_utc(z, civil_secs(2100, 10, 31, 2, 30, 0));
	assert_int_equal((int64_t)t, 4128627600 - 1800);
}

/* Every wall-clock minute of 2026 in Berlin converts to an instant that
 * formats back to the same wall clock, except in the spring gap. */
static void
test_local_to_utc_roundtrip(void **state)
{
	const struct tz *z = berlin;
	int64_t start = civil_secs(2026, 1, 1, 0, 0, 0), l;
	int64_t gap0 = civil_secs(2026, 3, 29, 2, 0, 0);
	int64_t gap1 = civil_secs(2026, 3, 29, 3, 0, 0);

	(void)state;
	for (l = start; l < start + 366 * 86400; l += 60 * 7) {
		time_t t = tz_local_to_utc(z, l);

		if (l >= gap0 && l < gap1)
			continue;
		if ((int64_t)t + tz_offset_at(z, t) != l)
			fail_msg("local %lld -> %lld (offset %d)", (long long)l,
			    (long long)t, tz_offset_at(z, t));
	}
}

/* --- dates ---------------------------------------------------------------- */

static void
test_dates(void **state)
{
	int64_t d, from, to, y;
	unsigned m, dd, pm = 0, pd = 0;
	char buf[11];

	(void)state;
	assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(time_days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(time_days_from_civil(2026, 3, 2), 20514);
	assert_true(time_parse_date("2026-03-02", &d));
	assert_int_equal(d, 20514);
	assert_true(time_parse_date("2024-02-29", &d));
	assert_false(time_parse_date("2025-02-29", &d));
	assert_false(time_parse_date("2026-13-01", &d));
	assert_false(time_parse_date("2026-02-30", &d));
	assert_false(time_parse_date("2026-03-02T", &d));
	assert_false(time_parse_date("2026-3-02", &d));
	assert_false(time_parse_date("", &d));
	assert_false(time_parse_date(NULL, &d));
	time_format_date(20514, buf);
	assert_string_equal(buf, "2026-03-02");

	from = time_days_from_civil(1900, 1, 1);
	to = time_days_from_civil(2400, 12, 31);
	for (d = from; d <= to; d++) {
		int64_t back;

		time_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(time_days_from_civil(y, m, dd), d);
		if (d > from) {
			/* consecutive: next day or first of the next month */
			if (!(dd == pd + 1 && m == pm) &&
			    !(dd == 1 && (m == pm + 1 || (m == 1 && pm == 12))))
				fail_msg("day %lld: %u-%u after %u-%u",
				    (long long)d, m, dd, pm, pd);
		}
		pm = m;
		pd = dd;
		time_format_date(d, buf);
		assert_true(time_parse_date(buf, &back));
		assert_int_equal(back, d);
	}
	time_civil_from_days(to, &y, &m, &dd);
	assert_int_equal(y, 2400);
	assert_int_equal(m, 12);
	assert_int_equal(dd, 31);
	/* 2400 is a leap year, 2100 and 1900 are not */
	assert_true(time_parse_date("2400-02-29", &d));
	assert_false(time_parse_date("2100-02-29", &d));
	assert_false(time_parse_date("1900-02-29", &d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc3339_parse),
	    cmocka_unit_test(test_rfc3339_reject),
	    cmocka_unit_test(test_rfc3339_format_utc),
	    cmocka_unit_test(test_rfc3339_year_edges),
	    cmocka_unit_test(test_format_shanghai),
	    cmocka_unit_test(test_format_berlin),
	    cmocka_unit_test(test_format_new_york),
	    cmocka_unit_test(test_format_odd_offsets),
	    cmocka_unit_test(test_local_to_utc_berlin),
	    cmocka_unit_test(test_local_to_utc_roundtrip),
	    cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, zones_setup, zones_teardown);
}
