/*
 * Unit tests of svc/core: errors, RFC 3339 time, TZif zones, validators,
 * secrets, CSV. Zones are the real tzdata files of the build machine
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

/* --- helpers -------------------------------------------------------------- */

static unsigned char *
read_whole(const char *path, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t cap = 1 << 20;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf = malloc(cap);
	assert_non_null(buf);
	*sz = fread(buf, 1, cap, f);
	fclose(f);
	assert_true(*sz > 0 && *sz < cap);
	return buf;
}

static struct tz *
load_zone(const char *name)
{
	char path[256];
	unsigned char *buf;
	size_t sz;
	struct tz *z;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	buf = read_whole(path, &sz);
	z = tz_parse(name, buf, sz);
	free(buf);
	if (z == NULL)
		fail_msg("tz_parse(%s) failed", name);
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
	parse_bad("2026-03-02T09:00:00");       /* no offset: floating */
	parse_bad("2026-03-02");
	parse_bad("2026-03-02T09:00Z");         /* no seconds */
	parse_bad("2026-03-02T09:00:00+0800");  /* offset without colon */
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
			    "which does not parse\n", edge[i], (long long)t,
			    buf);
			bad++;
		} else if (back != t) {
			print_error("\"%s\" parses to %lld, formats as \"%s\" "
			    "which parses to %lld\n", edge[i], (long long)t,
			    buf, (long long)back);
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
			fail_msg("local %lld -> %lld (offset %d)",
			    (long long)l, (long long)t, tz_offset_at(z, t));
	}
}

/* --- TZif parsing --------------------------------------------------------- */

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
put64(unsigned char *p, int64_t v)
{
	put32(p, (uint32_t)((uint64_t)v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* A TZif image: version ('\0', '2'), transitions with type indexes,
 * types' offsets, optional footer (v2+). Returns the size. */
static size_t
build_tzif(unsigned char *buf, char version, size_t ntrans,
    const int64_t *trans, const unsigned char *idx, size_t ntypes,
    const int32_t *offs, const char *footer)
{
	size_t n = 0, pass, i;

	for (pass = 0; pass < (version ? 2u : 1u); pass++) {
		size_t tsz = pass == 0 ? 4 : 8;

		memset(buf + n, 0, 44);
		memcpy(buf + n, "TZif", 4);
		buf[n + 4] = (unsigned char)version;
		put32(buf + n + 32, (uint32_t)ntrans);
		put32(buf + n + 36, (uint32_t)ntypes);
		put32(buf + n + 40, 4);
		n += 44;
		for (i = 0; i < ntrans; i++) {
			if (tsz == 4)
				put32(buf + n, (uint32_t)trans[i]);
			else
				put64(buf + n, trans[i]);
			n += tsz;
		}
		for (i = 0; i < ntrans; i++)
			buf[n++] = idx[i];
		for (i = 0; i < ntypes; i++) {
			put32(buf + n, (uint32_t)offs[i]);
			buf[n + 4] = 0;
			buf[n + 5] = 0;
			n += 6;
		}
		memcpy(buf + n, "XYZ", 4);
		n += 4;
	}
	if (version && footer != NULL) {
		buf[n++] = '\n';
		memcpy(buf + n, footer, strlen(footer));
		n += strlen(footer);
		buf[n++] = '\n';
	}
	return n;
}

static void
test_tz_handmade(void **state)
{
	unsigned char buf[1024];
	int64_t trans[2] = {1000, 2000};
	unsigned char idx[2] = {1, 0};
	int32_t offs[2] = {3600, 7200};
	int64_t bad_order[2] = {2000, 1000};
	unsigned char bad_idx[2] = {1, 2};
	int32_t bad_off[1] = {27 * 3600};
	struct tz *z;
	size_t n;

	(void)state;
	/* v1, fixed offset */
	n = build_tzif(buf, 0, 0, NULL, NULL, 1, offs, NULL);
	z = tz_parse("Test/Fixed", buf, n);
	assert_non_null(z);
	assert_string_equal(tz_name(z), "Test/Fixed");
	assert_int_equal(tz_offset_at(z, 0), 3600);
	assert_int_equal(tz_offset_at(z, 4000000000), 3600);
	tz_free(z);
	/* v1 with transitions: type 0 before the first */
	n = build_tzif(buf, 0, 2, trans, idx, 2, offs, NULL);
	z = tz_parse("Test/Two", buf, n);
	assert_non_null(z);
	assert_int_equal(tz_offset_at(z, 999), 3600);
	assert_int_equal(tz_offset_at(z, 1000), 7200);
	assert_int_equal(tz_offset_at(z, 1999), 7200);
	assert_int_equal(tz_offset_at(z, 2000), 3600);
	tz_free(z);
	/* v2 with transitions and a footer */
	n = build_tzif(buf, '2', 2, trans, idx, 2, offs, "<+03>-3");
	z = tz_parse("Test/Footer", buf, n);
	assert_non_null(z);
	assert_int_equal(tz_offset_at(z, 1500), 7200);
	assert_int_equal(tz_offset_at(z, 5000), 3 * 3600);
	tz_free(z);
	/* v2, no transitions, northern DST footer */
	n = build_tzif(buf, '2', 0, NULL, NULL, 1, offs,
	    "CET-1CEST,M3.5.0,M10.5.0/3");
	z = tz_parse("Test/CET", buf, n);
	assert_non_null(z);
	assert_int_equal(tz_offset_at(z, 1782907200), 7200);
	assert_int_equal(tz_offset_at(z, 1768478400), 3600);
	assert_int_equal(tz_offset_at(z, 1774745999), 3600);
	assert_int_equal(tz_offset_at(z, 1774746000), 7200);
	tz_free(z);
	/* southern hemisphere: DST across the new year (Sydney) */
	n = build_tzif(buf, '2', 0, NULL, NULL, 1, offs,
	    "AEST-10AEDT,M10.1.0,M4.1.0/3");
	z = tz_parse("Test/Sydney", buf, n);
	assert_non_null(z);
	assert_int_equal(tz_offset_at(z, 1768478400), 11 * 3600);
	assert_int_equal(tz_offset_at(z, 1782907200), 10 * 3600);
	tz_free(z);
	/* an unsupported footer is ignored, not fatal */
	n = build_tzif(buf, '2', 0, NULL, NULL, 1, offs, "EST5EDT,J60,J300");
	z = tz_parse("Test/Julian", buf, n);
	assert_non_null(z);
	assert_int_equal(tz_offset_at(z, 1782907200), 3600);
	tz_free(z);
	/* rejected: transitions not ascending, index out of range, an
	 * offset beyond ±26 h */
	n = build_tzif(buf, 0, 2, bad_order, idx, 2, offs, NULL);
	assert_null(tz_parse("x", buf, n));
	n = build_tzif(buf, 0, 2, trans, bad_idx, 2, offs, NULL);
	assert_null(tz_parse("x", buf, n));
	n = build_tzif(buf, 0, 0, NULL, NULL, 1, bad_off, NULL);
	assert_null(tz_parse("x", buf, n));
	/* a header claiming more than the buffer holds */
	n = build_tzif(buf, 0, 0, NULL, NULL, 1, offs, NULL);
	put32(buf + 32, 50000);
	assert_null(tz_parse("x", buf, n));
	n = build_tzif(buf, 0, 0, NULL, NULL, 1, offs, NULL);
	put32(buf + 36, 0);
	assert_null(tz_parse("x", buf, n));
}

static void
test_tz_garbage(void **state)
{
	static const unsigned char zeros[64];
	unsigned char buf[64];

	(void)state;
	assert_null(tz_parse("x", (const unsigned char *)"", 0));
	assert_null(tz_parse("x", (const unsigned char *)"TZif", 4));
	assert_null(tz_parse("x", zeros, sizeof(zeros)));
	assert_null(tz_parse("x", (const unsigned char *)
	    "this is not a zone file, really not, nothing like it at all", 60));
	memset(buf, 0xFF, sizeof(buf));
	memcpy(buf, "TZif2", 5);
	assert_null(tz_parse("x", buf, sizeof(buf)));
}

/* Every prefix of a real file is NULL or a usable zone (ASan watches
 * the reads: each prefix gets a buffer of exactly its size). */
static void
test_tz_truncated(void **state)
{
	static const char *const files[] = {
		"/usr/share/zoneinfo/Asia/Shanghai",
		"/usr/share/zoneinfo/Europe/Berlin",
	};
	size_t f, sz, len;

	(void)state;
	for (f = 0; f < 2; f++) {
		unsigned char *full = read_whole(files[f], &sz);

		for (len = 0; len <= sz; len++) {
			unsigned char *b = malloc(len ? len : 1);
			struct tz *z;

			assert_non_null(b);
			memcpy(b, full, len);
			z = tz_parse("Cut", b, len);
			if (z != NULL) {
				int32_t o = tz_offset_at(z, 1772413200);

				assert_true(o >= -26 * 3600 && o <= 26 * 3600);
				(void)tz_local_to_utc(z, 1772413200);
				tz_free(z);
			}
			free(b);
		}
		/* the whole file parses */
		{
			struct tz *z = tz_parse("Whole", full, sz);

			assert_non_null(z);
			tz_free(z);
		}
		free(full);
	}
}

static void
test_tz_name_valid(void **state)
{
	char longname[80];

	(void)state;
	assert_true(tz_name_valid("Asia/Shanghai"));
	assert_true(tz_name_valid("UTC"));
	assert_true(tz_name_valid("Etc/GMT+8"));
	assert_true(tz_name_valid("Etc/GMT-14"));
	assert_true(tz_name_valid("America/Argentina/Buenos_Aires"));
	assert_true(tz_name_valid("America/Port-au-Prince"));
	assert_false(tz_name_valid(NULL));
	assert_false(tz_name_valid(""));
	assert_false(tz_name_valid("/etc/passwd"));
	assert_false(tz_name_valid("../../etc/passwd"));
	assert_false(tz_name_valid("Asia/../../etc"));
	assert_false(tz_name_valid("Asia//Shanghai"));
	assert_false(tz_name_valid("Asia/"));
	assert_false(tz_name_valid("Asia/Shang hai"));
	assert_false(tz_name_valid("Asia/Shanghai\n"));
	assert_false(tz_name_valid("Asia\\Shanghai"));
	assert_false(tz_name_valid("亚洲/上海"));
	memset(longname, 'A', 64);
	longname[64] = '\0';
	assert_true(tz_name_valid(longname));
	longname[64] = 'A';
	longname[65] = '\0';
	assert_false(tz_name_valid(longname));
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
			if (!(dd == pd + 1 && m == pm) && !(dd == 1 &&
			    (m == pm + 1 || (m == 1 && pm == 12))))
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

/* --- errors --------------------------------------------------------------- */

static void
test_error_table(void **state)
{
	static const struct {
		enum herr e;
		int status;
		const char *code;
	} want[] = {
		{HERR_BAD_REQUEST, 400, "bad_request"},
		{HERR_UNAUTHORIZED, 401, "unauthorized"},
		{HERR_FORBIDDEN, 403, "forbidden"},
		{HERR_NOT_FOUND, 404, "not_found"},
		{HERR_METHOD_NOT_ALLOWED, 405, "method_not_allowed"},
		{HERR_CONFLICT, 409, "conflict"},
		{HERR_TOO_LARGE, 413, "too_large"},
		{HERR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type"},
		{HERR_VALIDATION_FAILED, 422, "validation_failed"},
		{HERR_RATE_LIMITED, 429, "rate_limited"},
		{HERR_INTERNAL, 500, "internal"},
		{HERR_UNAVAILABLE, 503, "unavailable"},
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), HERR__MAX);
	for (i = 0; i < HERR__MAX; i++) {
		assert_int_equal(error_status(want[i].e), want[i].status);
		assert_string_equal(error_code(want[i].e), want[i].code);
	}
	assert_int_equal(error_status(HERR__MAX), 500);
	assert_string_equal(error_code(HERR__MAX), "internal");
	assert_int_equal(error_status((enum herr)-1), 500);
}

static void
test_error_body(void **state)
{
	struct herror err;
	enum herr e;

	(void)state;
	for (e = 0; e < HERR__MAX; e++) {
		json_t *root, *inner;
		json_error_t je;
		char *body;

		memset(&err, 0, sizeof(err));
		if (e % 2)
			error_set(&err, e, "name", "name: \"%s\" 太长 %d", "x",
			    (int)e);
		else
			error_set(&err, e, NULL, "plain %d", (int)e);
		body = error_body(&err);
		assert_non_null(body);
		root = json_loads(body, 0, &je);
		if (root == NULL)
			fail_msg("not JSON: %s (%s)", body, je.text);
		assert_int_equal(json_object_size(root), 1);
		inner = json_object_get(root, "error");
		assert_true(json_is_object(inner));
		assert_string_equal(json_string_value(json_object_get(inner,
		    "code")), error_code(e));
		assert_string_equal(json_string_value(json_object_get(inner,
		    "message")), err.message);
		if (e % 2) {
			assert_string_equal(json_string_value(
			    json_object_get(inner, "field")), "name");
			assert_int_equal(json_object_size(inner), 3);
			assert_non_null(strstr(err.message, "太长"));
		} else {
			assert_null(json_object_get(inner, "field"));
			assert_int_equal(json_object_size(inner), 2);
		}
		json_decref(root);
		free(body);
	}
	/* empty message: the code stands in */
	memset(&err, 0, sizeof(err));
	err.code = HERR_NOT_FOUND;
	{
		char *body = error_body(&err);

		assert_non_null(body);
		assert_string_equal(body, "{\"error\":{\"code\":\"not_found\","
		    "\"message\":\"not_found\"}}");
		free(body);
	}
}

static void
test_error_utf8_truncation(void **state)
{
	char msg[1200], field[400];
	struct herror err;
	size_t pre, i;

	(void)state;
	/* every alignment of a cut inside 3- and 4-byte sequences */
	for (pre = 0; pre < 4; pre++) {
		for (i = 0; i < pre; i++)
			msg[i] = 'a';
		msg[pre] = '\0';
		for (i = 0; i < 100; i++)
			strcat(msg, i % 3 == 2 ? "😀" : "信访");
		for (i = 0; i < pre; i++)
			field[i] = 'f';
		field[pre] = '\0';
		for (i = 0; i < 30; i++)
			strcat(field, "字段");
		error_set(&err, HERR_VALIDATION_FAILED, field, "%s", msg);
		assert_true(strlen(err.message) > 240);
		assert_true(strlen(err.message) < sizeof(err.message));
		assert_true(valid_utf8_len(err.message,
		    strlen(err.message)) > 0);
		assert_memory_equal(err.message, msg, strlen(err.message));
		assert_true(strlen(err.field) > 56);
		assert_true(valid_utf8_len(err.field, strlen(err.field)) > 0);
		assert_memory_equal(err.field, field, strlen(err.field));
		{
			char *body = error_body(&err);

			assert_non_null(body);
			free(body);
		}
	}
}

/* --- validators ----------------------------------------------------------- */

static const char *const kinds[] = {"hall", "street", "service_point", NULL};

#define F(n, t) .name = (n), .type = (t)
static const struct vfield fields[] = {
	{F("code", VT_CODE), .required = 1, .min = 1, .max = 16},
	{F("name", VT_STRING), .required = 1, .min = 1, .max = 50},
	{F("note", VT_TEXT), .nullable = 1, .max = 200},
	{F("hours", VT_INT), .min = 0, .max = 80},
	{F("active", VT_BOOL)},
	{F("kind", VT_ENUM), .choices = kinds},
	{F("email", VT_EMAIL), .max = 254},
	{F("phone", VT_PHONE), .max = 32},
	{F("timezone", VT_ZONE), .min = 1, .max = 64},
	{F("start", VT_TIME), .max = 40},
	{F("day", VT_DATE), .max = 10},
	{F("station_id", VT_ID), .nullable = 1},
	{F("owner_id", VT_ID)},
	{F("speakers", VT_ID_LIST), .maxitems = 3},
	{F("reminders", VT_INT_LIST), .min = 0, .max = 10080, .maxitems = 4},
	{F("options", VT_OBJECT), .nullable = 1},
	{F("answers", VT_ARRAY), .maxitems = 2},
	{F("id", VT_ID), .readonly = 1},
	{F("created_at", VT_TIME), .readonly = 1},
};
#undef F
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int
vcheck(const char *json, int mode, struct herror *err)
{
	json_error_t je;
	json_t *o = json_loads(json, JSON_DECODE_ANY, &je);
	int ok;

	if (o == NULL)
		fail_msg("bad test JSON %s: %s", json, je.text);
	memset(err, 0, sizeof(*err));
	ok = valid_object(o, fields, NFIELDS, mode, err);
	json_decref(o);
	return ok;
}

static void
v_ok(const char *json, int mode)
{
	struct herror e;

	if (!vcheck(json, mode, &e))
		fail_msg("%s rejected: %s", json, e.message);
}

static void
v_bad(const char *json, int mode, const char *field)
{
	struct herror e;

	if (vcheck(json, mode, &e))
		fail_msg("%s accepted", json);
	assert_int_equal(e.code, HERR_VALIDATION_FAILED);
	if (strcmp(e.field, field) != 0)
		fail_msg("%s: field \"%s\", want \"%s\" (%s)", json, e.field,
		    field, e.message);
	assert_true(e.message[0] != '\0');
}

/* {"code":"C","name":"N", extra} */
static void
v_with(const char *extra, int ok, const char *field)
{
	char json[2048];

	snprintf(json, sizeof(json), "{\"code\":\"HALL\",\"name\":\"大厅\"%s%s}",
	    extra[0] ? "," : "", extra);
	if (ok)
		v_ok(json, VALID_CREATE);
	else
		v_bad(json, VALID_CREATE, field);
}

static void
test_valid_required_unknown(void **state)
{
	struct herror e;

	(void)state;
	v_ok("{\"code\":\"HALL\",\"name\":\"区信访局人民来访接待大厅\"}",
	    VALID_CREATE);
	v_bad("{\"code\":\"HALL\"}", VALID_CREATE, "name");
	v_bad("{\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{}", VALID_CREATE, "code");
	v_bad("{\"code\":\"HALL\",\"name\":null}", VALID_CREATE, "name");
	v_with("\"bogus\":1", 0, "bogus");
	v_with("\"Name\":\"x\"", 0, "Name");
	/* an unknown key is refused even in PATCH mode */
	v_bad("{\"bogus\":1}", VALID_PATCH, "bogus");
	/* not an object at all */
	assert_false(vcheck("[1,2]", VALID_CREATE, &e));
	assert_int_equal(e.code, HERR_BAD_REQUEST);
	assert_false(vcheck("\"x\"", VALID_CREATE, &e));
	assert_int_equal(e.code, HERR_BAD_REQUEST);
	/* PATCH: nothing required, but what is there is checked */
	v_ok("{}", VALID_PATCH);
	v_ok("{\"name\":\"新名\"}", VALID_PATCH);
	v_bad("{\"name\":\"\"}", VALID_PATCH, "name");
	v_bad("{\"name\":null}", VALID_PATCH, "name");
	v_bad("{\"hours\":81}", VALID_PATCH, "hours");
	/* readonly fields are accepted and ignored, whatever they hold */
	v_with("\"id\":\"not an id\"", 1, NULL);
	v_with("\"created_at\":\"garbage\",\"id\":-5", 1, NULL);
	v_ok("{\"id\":7}", VALID_PATCH);
}

static void
test_valid_types(void **state)
{
	(void)state;
	v_with("\"name\":5", 0, "name");
	v_bad("{\"code\":5,\"name\":\"x\"}", VALID_CREATE, "code");
	v_with("\"hours\":\"5\"", 0, "hours");
	v_with("\"hours\":1.5", 0, "hours");
	v_with("\"hours\":true", 0, "hours");
	v_with("\"active\":1", 0, "active");
	v_with("\"active\":\"true\"", 0, "active");
	v_with("\"active\":false", 1, NULL);
	v_with("\"kind\":1", 0, "kind");
	v_with("\"station_id\":\"3\"", 0, "station_id");
	v_with("\"station_id\":3.0", 0, "station_id");
	v_with("\"note\":[]", 0, "note");
	v_with("\"note\":{}", 0, "note");
	/* null on nullable and non-nullable fields */
	v_with("\"note\":null", 1, NULL);
	v_with("\"station_id\":null", 1, NULL);
	v_with("\"owner_id\":null", 0, "owner_id");
	v_with("\"hours\":null", 0, "hours");
	v_with("\"active\":null", 0, "active");
	v_with("\"kind\":null", 0, "kind");
	/* VT_INT range */
	v_with("\"hours\":0", 1, NULL);
	v_with("\"hours\":80", 1, NULL);
	v_with("\"hours\":81", 0, "hours");
	v_with("\"hours\":-1", 0, "hours");
	v_with("\"hours\":9223372036854775807", 0, "hours");
	/* VT_ID */
	v_with("\"station_id\":1", 1, NULL);
	v_with("\"station_id\":9007199254740993", 1, NULL);
	v_with("\"station_id\":0", 0, "station_id");
	v_with("\"station_id\":-3", 0, "station_id");
	v_with("\"owner_id\":12", 1, NULL);
}

static void
test_valid_strings(void **state)
{
	char buf[1024], extra[1100];
	int i;

	(void)state;
	/* 50 Chinese characters (150 bytes) fit max 50; 51 do not */
	buf[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(buf, "心");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_ok(extra, VALID_CREATE);
	/* surrounding blanks do not count */
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"  %s\\n\"}",
	    buf);
	v_ok(extra, VALID_CREATE);
	strcat(buf, "理");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_bad(extra, VALID_CREATE, "name");
	/* emoji count as one character each */
	buf[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(buf, "😀");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_ok(extra, VALID_CREATE);
	/* empty and blank */
	v_bad("{\"code\":\"A\",\"name\":\"\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"  \\t \"}", VALID_CREATE, "name");
	/* control characters: none in VT_STRING, newline/tab in VT_TEXT */
	v_with("\"name\":\"a\\u0001b\"", 0, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\nb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\tb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\u007fb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\u001bb\"}", VALID_CREATE, "name");
	v_with("\"note\":\"第一行\\n第二行\\twith tab\\r\\n\"", 1, NULL);
	v_with("\"note\":\"bell\\u0007\"", 0, "note");
	v_with("\"note\":\"del\\u007f\"", 0, "note");
	v_with("\"note\":\"\"", 1, NULL);
	/* VT_TEXT length */
	buf[0] = '\0';
	for (i = 0; i < 201; i++)
		strcat(buf, "x");
	snprintf(extra, sizeof(extra), "\"note\":\"%s\"", buf);
	v_with(extra, 0, "note");
	buf[200] = '\0';
	snprintf(extra, sizeof(extra), "\"note\":\"%s\"", buf);
	v_with(extra, 1, NULL);
}

static void
test_valid_formats(void **state)
{
	(void)state;
	/* enum */
	v_with("\"kind\":\"hall\"", 1, NULL);
	v_with("\"kind\":\"service_point\"", 1, NULL);
	v_with("\"kind\":\"Hall\"", 0, "kind");
	v_with("\"kind\":\"\"", 0, "kind");
	v_with("\"kind\":\"hal\"", 0, "kind");
	/* email */
	v_with("\"email\":\"li.ming@futian.gov.cn\"", 1, NULL);
	v_with("\"email\":\"\"", 1, NULL);
	v_with("\"email\":\"a@b\"", 0, "email");
	v_with("\"email\":\"@b.cn\"", 0, "email");
	v_with("\"email\":\"a@@b.cn\"", 0, "email");
	v_with("\"email\":\"a b@c.cn\"", 0, "email");
	v_with("\"email\":\"a@b..cn\"", 0, "email");
	v_with("\"email\":\"a@.cn\"", 0, "email");
	v_with("\"email\":\"a@b.\"", 0, "email");
	v_with("\"email\":\"<a@b.cn>\"", 0, "email");
	/* phone */
	v_with("\"phone\":\"0755-8888 1234\"", 1, NULL);
	v_with("\"phone\":\"+86 (755) 8888-1234\"", 1, NULL);
	v_with("\"phone\":\"\"", 1, NULL);
	v_with("\"phone\":\"12\"", 0, "phone");
	v_with("\"phone\":\"call me\"", 0, "phone");
	v_with("\"phone\":\"123456789012345678901234567890123\"", 0, "phone");
}

static void
test_valid_code_zone_time(void **state)
{
	(void)state;
	v_ok("{\"code\":\"HALL_1-a\",\"name\":\"x\"}", VALID_CREATE);
	v_bad("{\"code\":\"HA LL\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"大厅\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"A.B\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"ABCDEFGHIJKLMNOPQ\",\"name\":\"x\"}", VALID_CREATE,
	    "code");
	/* zone */
	v_with("\"timezone\":\"Asia/Shanghai\"", 1, NULL);
	v_with("\"timezone\":\"../etc/passwd\"", 0, "timezone");
	v_with("\"timezone\":\"/etc/localtime\"", 0, "timezone");
	v_with("\"timezone\":\"\"", 0, "timezone");
	/* time */
	v_with("\"start\":\"2026-03-02T09:00:00+08:00\"", 1, NULL);
	v_with("\"start\":\"2026-03-02T09:00:00\"", 0, "start");
	v_with("\"start\":\"2026-03-02\"", 0, "start");
	v_with("\"start\":\"2025-02-29T09:00:00Z\"", 0, "start");
	/* date */
	v_with("\"day\":\"2024-02-29\"", 1, NULL);
	v_with("\"day\":\"2025-02-29\"", 0, "day");
	v_with("\"day\":\"2026-03-02T00:00:00Z\"", 0, "day");
}

static void
test_valid_lists(void **state)
{
	(void)state;
	v_with("\"speakers\":[]", 1, NULL);
	v_with("\"speakers\":[1,2,999999999999999]", 1, NULL);
	v_with("\"speakers\":[1,2,3,4]", 0, "speakers");
	v_with("\"speakers\":[1,1]", 0, "speakers");
	v_with("\"speakers\":[0]", 0, "speakers");
	v_with("\"speakers\":[-1]", 0, "speakers");
	v_with("\"speakers\":[\"1\"]", 0, "speakers");
	v_with("\"speakers\":[1.0]", 0, "speakers");
	v_with("\"speakers\":1", 0, "speakers");
	v_with("\"speakers\":null", 0, "speakers");
	v_with("\"reminders\":[1440,60,0,10080]", 1, NULL);
	v_with("\"reminders\":[10081]", 0, "reminders");
	v_with("\"reminders\":[-1]", 0, "reminders");
	v_with("\"reminders\":[60,60]", 0, "reminders");
	v_with("\"reminders\":[1,2,3,4,5]", 0, "reminders");
	v_with("\"options\":{\"a\":[1]}", 1, NULL);
	v_with("\"options\":null", 1, NULL);
	v_with("\"options\":[]", 0, "options");
	v_with("\"answers\":[{},\"x\"]", 1, NULL);
	v_with("\"answers\":[1,2,3]", 0, "answers");
	v_with("\"answers\":{}", 0, "answers");
}

/* A rejected body always renders as the JSON error shape, whatever the
 * unknown key holds: a key whose 60th byte falls inside a multi-byte
 * character must not leave a broken sequence in the message (jansson
 * then refuses it and error_body returns NULL: the client gets a 500). */
static void
test_valid_unknown_key_utf8(void **state)
{
	char key[256], json[512];
	struct herror e;
	size_t pre, i;

	(void)state;
	for (pre = 0; pre < 3; pre++) {
		char *body;
		json_t *o;

		memset(key, 'k', pre);
		key[pre] = '\0';
		for (i = 0; i < 30; i++)
			strcat(key, "键");
		snprintf(json, sizeof(json), "{\"%s\":1}", key);
		o = json_loads(json, 0, NULL);
		assert_non_null(o);
		memset(&e, 0, sizeof(e));
		assert_false(valid_object(o, fields, NFIELDS, VALID_PATCH, &e));
		json_decref(o);
		assert_int_equal(e.code, HERR_VALIDATION_FAILED);
		if (valid_utf8_len(e.message, strlen(e.message)) < 0)
			fail_msg("key of %zu + 30x3 bytes: message is not UTF-8",
			    pre);
		body = error_body(&e);
		if (body == NULL)
			fail_msg("key of %zu + 30x3 bytes: error_body NULL", pre);
		free(body);
	}
}

/* Values are validated trimmed (valid_str trims them before use): a
 * value with trailing blanks is as acceptable as one with leading
 * blanks. */
static void
test_valid_trim_symmetric(void **state)
{
	(void)state;
	v_ok("{\"code\":\" HALL\",\"name\":\"x\"}", VALID_CREATE);
	v_ok("{\"code\":\"HALL \",\"name\":\"x\"}", VALID_CREATE);
	v_with("\"kind\":\" hall\"", 1, NULL);
	v_with("\"kind\":\"hall \"", 1, NULL);
	v_with("\"start\":\"2026-03-02T09:00:00Z \"", 1, NULL);
	v_with("\"timezone\":\"Asia/Shanghai \"", 1, NULL);
}

static void
test_valid_utf8_len(void **state)
{
	static const struct {
		const char *s;
		long want;
	} cases[] = {
		{"", 0},
		{"abc", 3},
		{"中文", 2},
		{"é", 1},
		{"😀x", 2},
		{"\xED\x9F\xBF", 1},       /* U+D7FF */
		{"\xEE\x80\x80", 1},       /* U+E000 */
		{"\xF4\x8F\xBF\xBF", 1},   /* U+10FFFF */
		{"\xC0\xAF", -1},          /* overlong '/' */
		{"\xC1\xBF", -1},
		{"\xE0\x80\xAF", -1},      /* overlong 3-byte */
		{"\xE0\x9F\xBF", -1},
		{"\xF0\x80\x80\xAF", -1},  /* overlong 4-byte */
		{"\xF0\x8F\xBF\xBF", -1},
		{"\xED\xA0\x80", -1},      /* U+D800 surrogate */
		{"\xED\xBF\xBF", -1},      /* U+DFFF */
		{"\xF4\x90\x80\x80", -1},  /* > U+10FFFF */
		{"\xF5\x80\x80\x80", -1},
		{"\xFF", -1},
		{"\x80", -1},              /* lone continuation */
		{"a\xBF", -1},
		{"\xE4\xB8", -1},          /* truncated */
		{"\xE4", -1},
		{"\xF0\x9F\x98", -1},
		{"\xE4\x41\x41", -1},      /* bad continuation */
		{"\xC3\xC3\xA9", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = valid_utf8_len(cases[i].s, strlen(cases[i].s));

		if (got != cases[i].want)
			fail_msg("case %zu: %ld, want %ld", i, got,
			    cases[i].want);
	}
	/* the size bounds the scan: a sequence cut by sz is invalid */
	assert_int_equal(valid_utf8_len("中文", 3), 1);
	assert_int_equal(valid_utf8_len("中文", 4), -1);
	assert_int_equal(valid_utf8_len("中文", 5), -1);
	assert_int_equal(valid_utf8_len("a\0b", 3), 3);
}

static void
test_valid_str(void **state)
{
	json_t *o = json_loads("{\"a\":\"  x y \\n\",\"b\":null,\"c\":5,"
	    "\"d\":\" \\t \",\"e\":\"名字\"}", 0, NULL);
	int present = -1;
	char *s;

	(void)state;
	assert_non_null(o);
	s = valid_str(o, "a", &present);
	assert_non_null(s);
	assert_string_equal(s, "x y");
	assert_int_equal(present, 1);
	free(s);
	present = -1;
	assert_null(valid_str(o, "b", &present));
	assert_int_equal(present, 1);
	present = -1;
	assert_null(valid_str(o, "zz", &present));
	assert_int_equal(present, 0);
	assert_null(valid_str(o, "c", NULL));
	s = valid_str(o, "d", NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	s = valid_str(o, "e", &present);
	assert_string_equal(s, "名字");
	free(s);
	json_decref(o);
}

/* The feed-path parser: the crash of issue 17 (a token without ".ics"
 * left the end offset unset) and every form the service publishes. */
static void
test_valid_feed_path(void **state)
{
	char tok[FEED_TOKEN_MAX], big[400];

	(void)state;
	assert_int_equal(valid_feed_path("/feeds/stations/x", tok),
	    FEED_PATH_NONE);
	assert_string_equal(tok, "");
	assert_int_equal(valid_feed_path("/feeds/counsellors/0", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/counsellors/.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/counsellors/AB.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/F T.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/FT.icsx", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/FT.ics?a=<b>", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/events.icsx", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("", tok), FEED_PATH_NONE);
	assert_int_equal(valid_feed_path(NULL, tok), FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/etc/passwd", tok), FEED_PATH_NONE);

	assert_int_equal(valid_feed_path("/feeds/events.ics", tok),
	    FEED_PATH_EVENTS);
	assert_int_equal(valid_feed_path("/feeds/events.ics?alarms=1&kind="
	    "lecture", tok), FEED_PATH_EVENTS);
	assert_int_equal(valid_feed_path("/feeds/stations/FT-2.ics", tok),
	    FEED_PATH_STATION);
	assert_string_equal(tok, "FT-2");
	assert_int_equal(valid_feed_path("/feeds/counsellors/0a1b.ics?alarms=1",
	    tok), FEED_PATH_COUNSELLOR);
	assert_string_equal(tok, "0a1b");

	/* 33 characters of code, 129 of token: too long */
	snprintf(big, sizeof(big), "/feeds/stations/%033d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_NONE);
	snprintf(big, sizeof(big), "/feeds/stations/%032d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_STATION);
	snprintf(big, sizeof(big), "/feeds/counsellors/%0129d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_NONE);
	snprintf(big, sizeof(big), "/feeds/counsellors/%0128d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_COUNSELLOR);
	assert_int_equal(strlen(tok), 128);
}

static void
test_valid_uint_email_phone_code(void **state)
{
	long long v = -7;

	(void)state;
	assert_true(valid_uint("0", &v));
	assert_int_equal(v, 0);
	assert_true(valid_uint("123", &v));
	assert_int_equal(v, 123);
	assert_true(valid_uint("999999999999999999", &v));
	assert_int_equal(v, 999999999999999999LL);
	v = -7;
	assert_false(valid_uint("1000000000000000000", &v));
	assert_false(valid_uint("", &v));
	assert_false(valid_uint(NULL, &v));
	assert_false(valid_uint("-1", &v));
	assert_false(valid_uint("+1", &v));
	assert_false(valid_uint(" 1", &v));
	assert_false(valid_uint("1 ", &v));
	assert_false(valid_uint("1a", &v));
	assert_false(valid_uint("0x10", &v));
	assert_int_equal(v, -7);

	assert_true(valid_email("a@b.cn"));
	assert_true(valid_email("first.last+tag@sub.example.org"));
	assert_false(valid_email("no-at.example"));
	assert_false(valid_email("a@b@c.cn"));
	assert_false(valid_email("a@b"));
	assert_false(valid_email("a\"b@c.cn"));
	/* No SMTPUTF8: an address the mailer could not send to is refused. */
	assert_false(valid_email("李@example.cn"));
	assert_false(valid_email("a@b\x7f.cn"));
	assert_true(valid_phone("110"));
	assert_false(valid_phone("1-2"));
	assert_false(valid_phone("138 0000 0000 ext"));
	assert_true(valid_code("YL"));
	assert_false(valid_code(""));
	assert_false(valid_code("Y/L"));
}

/* --- secrets -------------------------------------------------------------- */

static int
is_lower_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

static void
test_secret_password(void **state)
{
	char h1[SECRET_PWHASH_MAX], h2[SECRET_PWHASH_MAX];

	(void)state;
	assert_true(secret_password_hash("correct horse 电池 staple", h1));
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	assert_true(secret_password_verify(h1, "correct horse 电池 staple"));
	assert_false(secret_password_verify(h1, "correct horse 电池 stapl"));
	assert_false(secret_password_verify(h1, "Correct horse 电池 staple"));
	assert_false(secret_password_verify(h1, ""));
	assert_false(secret_password_verify(NULL, "x"));
	assert_false(secret_password_verify(h1, NULL));
	assert_false(secret_password_verify("not a hash", "x"));
	/* salted: the same password hashes differently */
	assert_true(secret_password_hash("correct horse 电池 staple", h2));
	assert_string_not_equal(h1, h2);
	assert_true(secret_password_verify(h2, "correct horse 电池 staple"));
}

static void
test_secret_tokens(void **state)
{
	char toks[64][SECRET_TOKEN_HEX];
	char big[SECRET_SESSION_HEX];
	char h1[SECRET_HASH_HEX], h2[SECRET_HASH_HEX];
	size_t i, j;

	(void)state;
	for (i = 0; i < 64; i++) {
		secret_token(toks[i], SECRET_TOKEN_BYTES);
		assert_true(is_lower_hex(toks[i], SECRET_TOKEN_BYTES * 2));
		for (j = 0; j < i; j++)
			assert_string_not_equal(toks[i], toks[j]);
	}
	secret_token(big, SECRET_SESSION_BYTES);
	assert_true(is_lower_hex(big, SECRET_SESSION_BYTES * 2));

	secret_token_hash("abc", h1);
	assert_string_equal(h1, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	secret_token_hash(toks[0], h1);
	secret_token_hash(toks[0], h2);
	assert_string_equal(h1, h2);
	assert_true(is_lower_hex(h1, SECRET_HASH_HEX - 1));
	secret_token_hash(toks[1], h2);
	assert_string_not_equal(h1, h2);

	assert_true(secret_equal(toks[0], toks[0]));
	memcpy(big, toks[0], SECRET_TOKEN_HEX);
	assert_true(secret_equal(toks[0], big));
	big[31] = big[31] == 'a' ? 'b' : 'a';
	assert_false(secret_equal(toks[0], big));
	big[31] = '\0';
	assert_false(secret_equal(toks[0], big));
	assert_true(secret_equal("", ""));
	assert_false(secret_equal("", "a"));
}

static void
test_secret_password_generate(void **state)
{
	static const char alphabet[] =
	    "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	char a[64], b[64];
	size_t sz, i;

	(void)state;
	secret_password_generate(a, 18);
	secret_password_generate(b, 18);
	assert_int_equal(strlen(a), 17);
	assert_string_not_equal(a, b);
	a[0] = 'Q';
	secret_password_generate(a, 1);
	assert_string_equal(a, "");
	a[0] = 'Q';
	secret_password_generate(a, 0);
	assert_int_equal(a[0], 'Q');
	for (sz = 2; sz < sizeof(a); sz++) {
		memset(a, '#', sizeof(a));
		secret_password_generate(a, sz);
		assert_int_equal(strlen(a), sz - 1);
		assert_int_equal(a[sz], '#');
		for (i = 0; i + 1 < sz; i++)
			if (a[i] != '-' && strchr(alphabet, a[i]) == NULL)
				fail_msg("size %zu: bad character in %s", sz, a);
		/* readable groups: no dash at either end, never two */
		if (a[0] == '-' || a[sz - 2] == '-' || strstr(a, "--"))
			fail_msg("size %zu: badly grouped \"%s\"", sz, a);
	}
}

/* --- CSV ------------------------------------------------------------------ */

/* The reader over a heap copy of exactly sz bytes, so ASan sees any read
 * past the end. */
struct cbuf {
	char *mem;
	struct csv *c;
	struct csv_row row;
};

static void
cb_open(struct cbuf *b, const char *s, size_t sz)
{
	b->mem = malloc(sz ? sz : 1);
	assert_non_null(b->mem);
	memcpy(b->mem, s, sz);
	b->c = csv_open(b->mem, sz);
	assert_non_null(b->c);
}

static void
cb_opens(struct cbuf *b, const char *s)
{
	cb_open(b, s, strlen(s));
}

static void
cb_close(struct cbuf *b)
{
	csv_close(b->c);
	free(b->mem);
}

/* Expects a row at line with the '|'-separated fields. */
static void
cb_row(struct cbuf *b, size_t line, const char *want)
{
	char tmp[8192], *p, *f;
	size_t i = 0;
	int rc = csv_next(b->c, &b->row);

	if (rc != 1)
		fail_msg("csv_next %d (%s), want row \"%s\"", rc,
		    csv_error(b->c), want);
	assert_int_equal(b->row.line, line);
	snprintf(tmp, sizeof(tmp), "%s", want);
	for (p = tmp; (f = strsep(&p, "|")) != NULL; i++) {
		assert_true(i < b->row.n);
		assert_string_equal(b->row.fields[i], f);
	}
	assert_int_equal(b->row.n, i);
}

static void
cb_end(struct cbuf *b)
{
	assert_int_equal(csv_next(b->c, &b->row), 0);
	assert_int_equal(csv_next(b->c, &b->row), 0);
}

static void
cb_err(struct cbuf *b, const char *want)
{
	int rc = csv_next(b->c, &b->row);

	if (rc != -1)
		fail_msg("csv_next %d, want error \"%s\"", rc, want);
	assert_string_equal(csv_error(b->c), want);
	assert_int_equal(csv_next(b->c, &b->row), -1);
}

static void
test_csv_basic(void **state)
{
	struct cbuf b;

	(void)state;
	cb_opens(&b, "code,name,kind\nHALL,区信访局,hall\nYL,园岭街道,street\n");
	cb_row(&b, 1, "code|name|kind");
	cb_row(&b, 2, "HALL|区信访局|hall");
	cb_row(&b, 3, "YL|园岭街道|street");
	cb_end(&b);
	cb_close(&b);
	/* no final newline, empty fields */
	cb_opens(&b, "a,,b\n,\nlast,");
	cb_row(&b, 1, "a||b");
	cb_row(&b, 2, "|");
	cb_row(&b, 3, "last|");
	cb_end(&b);
	cb_close(&b);
	/* CRLF and a BOM */
	cb_opens(&b, "\xEF\xBB\xBFh1,h2\r\nv1,v2\r\n\"q\",\"r\"\r\n");
	cb_row(&b, 1, "h1|h2");
	cb_row(&b, 2, "v1|v2");
	cb_row(&b, 3, "q|r");
	cb_end(&b);
	cb_close(&b);
	/* bare CR line ends */
	cb_opens(&b, "a\rb\r");
	cb_row(&b, 1, "a");
	cb_row(&b, 2, "b");
	cb_end(&b);
	cb_close(&b);
	/* empty input, a lone BOM, only blank lines */
	cb_open(&b, "", 0);
	cb_end(&b);
	cb_close(&b);
	cb_opens(&b, "\xEF\xBB\xBF");
	cb_end(&b);
	cb_close(&b);
	cb_opens(&b, "\n\r\n\n");
	cb_end(&b);
	cb_close(&b);
}

static void
test_csv_quotes(void **state)
{
	struct cbuf b;

	(void)state;
	cb_opens(&b, "\"a,b\",c\n\"say \"\"hi\"\"\",\"\"\n\"\"\"\"\n");
	cb_row(&b, 1, "a,b|c");
	cb_row(&b, 2, "say \"hi\"|");
	cb_row(&b, 3, "\"");
	cb_end(&b);
	cb_close(&b);
	/* a newline inside quotes: the row spans two lines, the next row's
	 * line number counts it */
	cb_opens(&b, "h1,h2\n\"line1\nline2\",x\nnext,row\n\"a\r\nb\",\"\n\n\"\n"
	    "end,1\n");
	cb_row(&b, 1, "h1|h2");
	cb_row(&b, 2, "line1\nline2|x");
	cb_row(&b, 4, "next|row");
	cb_row(&b, 5, "a\r\nb|\n\n");
	cb_row(&b, 9, "end|1");
	cb_end(&b);
	cb_close(&b);
	/* blank lines between rows are skipped but counted */
	cb_opens(&b, "a\n\n\nb\r\n\r\nc\n");
	cb_row(&b, 1, "a");
	cb_row(&b, 4, "b");
	cb_row(&b, 6, "c");
	cb_end(&b);
	cb_close(&b);
}

static void
test_csv_errors(void **state)
{
	static char big[CSV_MAX_FIELD + 64];
	struct cbuf b;
	char row[256];
	size_t i;

	(void)state;
	cb_opens(&b, "a,b\n\"abc,d");
	cb_row(&b, 1, "a|b");
	cb_err(&b, "line 2: unterminated quote");
	cb_close(&b);
	cb_opens(&b, "a,b\nc,d\"e\n");
	cb_row(&b, 1, "a|b");
	cb_err(&b, "line 2: quote inside an unquoted field");
	cb_close(&b);
	cb_opens(&b, "x\ny\n\"a\"b,c\n");
	cb_row(&b, 1, "x");
	cb_row(&b, 2, "y");
	cb_err(&b, "line 3: text after a closing quote");
	cb_close(&b);
	/* NUL, quoted or not */
	cb_open(&b, "a,b\nc,d\0e\n", 10);
	cb_row(&b, 1, "a|b");
	cb_err(&b, "line 2: NUL byte");
	cb_close(&b);
	cb_open(&b, "\"a\0\"\n", 5);
	cb_err(&b, "line 1: NUL byte");
	cb_close(&b);
	/* 32 fields fine, 33 too many */
	row[0] = '\0';
	for (i = 0; i < CSV_MAX_FIELDS; i++)
		strcat(row, i ? ",f" : "f");
	strcat(row, "\n");
	cb_opens(&b, row);
	assert_int_equal(csv_next(b.c, &b.row), 1);
	assert_int_equal(b.row.n, CSV_MAX_FIELDS);
	assert_string_equal(b.row.fields[CSV_MAX_FIELDS - 1], "f");
	cb_close(&b);
	row[strlen(row) - 1] = '\0';
	strcat(row, ",g\n");
	cb_opens(&b, row);
	cb_err(&b, "line 1: too many fields");
	cb_close(&b);
	/* a field of CSV_MAX_FIELD bytes fits, one more does not */
	memset(big, 'x', CSV_MAX_FIELD);
	memcpy(big + CSV_MAX_FIELD, ",y\n", 4);
	cb_opens(&b, big);
	assert_int_equal(csv_next(b.c, &b.row), 1);
	assert_int_equal(strlen(b.row.fields[0]), CSV_MAX_FIELD);
	assert_string_equal(b.row.fields[1], "y");
	cb_close(&b);
	memset(big, 'x', CSV_MAX_FIELD + 1);
	memcpy(big + CSV_MAX_FIELD + 1, "\n", 2);
	{
		char tmp[sizeof(big) + 8];

		snprintf(tmp, sizeof(tmp), "ok\n%s", big);
		cb_opens(&b, tmp);
		cb_row(&b, 1, "ok");
		cb_err(&b, "line 2: field too long");
		cb_close(&b);
		/* quoted, with doubled quotes counting once */
		tmp[0] = '"';
		memset(tmp + 1, 'x', CSV_MAX_FIELD - 1);
		memcpy(tmp + CSV_MAX_FIELD, "\"\"\"\n", 5);
		cb_opens(&b, tmp);
		assert_int_equal(csv_next(b.c, &b.row), 1);
		assert_int_equal(strlen(b.row.fields[0]), CSV_MAX_FIELD);
		assert_int_equal(b.row.fields[0][CSV_MAX_FIELD - 1], '"');
		cb_close(&b);
	}
}

/* The real files Hearth imports. */
static void
test_csv_real_files(void **state)
{
	static const struct {
		const char *path;
		size_t fields, rows;
		const char *first;
	} files[] = {
		{"tests/fuzz/seeds/csv/activities-futian-2022H2.csv", 5, 24,
		    "date"},
		{"deploy/demo/stations-futian.csv", 4, 14, "code"},
	};
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct cbuf b;
		unsigned char *data;
		size_t sz, rows = 0;
		int rc;

		data = read_whole(files[f].path, &sz);
		cb_open(&b, (const char *)data, sz);
		while ((rc = csv_next(b.c, &b.row)) == 1) {
			rows++;
			assert_int_equal(b.row.line, rows);
			assert_int_equal(b.row.n, files[f].fields);
			if (rows == 1)
				assert_string_equal(b.row.fields[0],
				    files[f].first);
			else
				assert_true(valid_utf8_len(b.row.fields[1],
				    strlen(b.row.fields[1])) > 0);
		}
		if (rc != 0)
			fail_msg("%s: %s", files[f].path, csv_error(b.c));
		assert_int_equal(rows, files[f].rows);
		cb_close(&b);
		free(data);
	}
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
		cmocka_unit_test(test_tz_handmade),
		cmocka_unit_test(test_tz_garbage),
		cmocka_unit_test(test_tz_truncated),
		cmocka_unit_test(test_tz_name_valid),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_error_body),
		cmocka_unit_test(test_error_utf8_truncation),
		cmocka_unit_test(test_valid_required_unknown),
		cmocka_unit_test(test_valid_types),
		cmocka_unit_test(test_valid_strings),
		cmocka_unit_test(test_valid_formats),
		cmocka_unit_test(test_valid_code_zone_time),
		cmocka_unit_test(test_valid_lists),
		cmocka_unit_test(test_valid_unknown_key_utf8),
		cmocka_unit_test(test_valid_trim_symmetric),
		cmocka_unit_test(test_valid_utf8_len),
		cmocka_unit_test(test_valid_str),
		cmocka_unit_test(test_valid_uint_email_phone_code),
		cmocka_unit_test(test_valid_feed_path),
		cmocka_unit_test(test_secret_password),
		cmocka_unit_test(test_secret_tokens),
		cmocka_unit_test(test_secret_password_generate),
		cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_quotes),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_real_files),
	};

	if (!secret_init()) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, zones_setup, zones_teardown);
}
