/*
 * Unit tests of svc/core/tz.c: TZif parsing (handmade, garbage and truncated
 * files) and zone names.
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
	assert_null(tz_parse("x",
	    (const unsigned char
	            *)"this is not a zone file, really not, nothing like it at all",
	    60));
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
		unsigned char *full = unit_read_whole(files[f], &sz);

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tz_handmade),
	    cmocka_unit_test(test_tz_garbage),
	    cmocka_unit_test(test_tz_truncated),
	    cmocka_unit_test(test_tz_name_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
