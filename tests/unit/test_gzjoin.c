/*
 * Unit tests of gzip from joined deflate chunks (svc/core/gzjoin.c):
 * every output inflates (zlib, gzip framing with its CRC-32 and length
 * checked) to exactly the text; after each step of a random series of
 * edits, insertions and removals of VEVENTs the output made from the
 * previous result is byte for byte the output made from nothing, most
 * chunks are reused and one edit deflates at most three chunks; the
 * size stays within 2 % of zlib's level 9 over the whole text; texts
 * without VEVENTs, empty and single-byte texts, and a base whose text
 * is wholly different.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/core.h"

#define NEV 1500
#define STEPS 40

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* Inflates gzip (checking its trailer) and compares it with text. */
static void
assert_inflates_to(const unsigned char *gz, size_t gzsz, const char *text,
    size_t len)
{
	z_stream z;
	unsigned char *out = malloc(len + 16);
	int rc;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 16 + 15), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)gzsz;
	z.next_out = out;
	z.avail_out = (uInt)(len + 16);
	rc = inflate(&z, Z_FINISH);
	assert_int_equal(rc, Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);
	assert_int_equal(z.total_out, len);
	assert_memory_equal(out, text, len);
	inflateEnd(&z);
	free(out);
}

/* One VEVENT of the test calendar: uid, a title of some length. */
struct ev {
	unsigned uid;
	unsigned title;
	unsigned words;
};

static char *
calendar(const struct ev *ev, size_t n, size_t *len)
{
	struct strbuf b = {0};
	char line[400];
	size_t i, k;

	strbuf_printf(&b,
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//Hearth//test//ZH\r\n");
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line),
		    "BEGIN:VEVENT\r\nUID:event-%u@hearth.test\r\n"
		    "DTSTAMP:20260101T000000Z\r\n"
		    "DTSTART;TZID=Asia/Shanghai:202601%02uT%02u0000\r\n"
		    "SUMMARY:心理疏导 %u 号",
		    ev[i].uid, 1 + ev[i].uid % 28, 8 + ev[i].uid % 10,
		    ev[i].title);
		strbuf_printf(&b, "%s", line);
		for (k = 0; k < ev[i].words; k++)
			strbuf_printf(&b, " 活动%u",
			    (unsigned)((ev[i].title + k) % 97));
		strbuf_printf(&b, "\r\nLOCATION:莲花街道 %u\r\nEND:VEVENT\r\n",
		    ev[i].uid % 13);
	}
	strbuf_printf(&b, "END:VCALENDAR\r\n");
	assert_false(b.failed);
	return strbuf_take(&b, len);
}

static void
test_roundtrip_and_size(void **state)
{
	struct ev *ev = calloc(NEV, sizeof(*ev));
	unsigned char *gz, *whole;
	size_t len, gzsz, i;
	uLongf wsz;
	uint64_t s = 7;
	struct gzjoin *g;
	struct gzjoin_stats st;
	char *text;

	(void)state;
	assert_non_null(ev);
	for (i = 0; i < NEV; i++) {
		ev[i].uid = (unsigned)i + 1;
		ev[i].title = (unsigned)(rnd(&s) % 1000);
		ev[i].words = (unsigned)(rnd(&s) % 12);
	}
	text = calendar(ev, NEV, &len);
	g = gzjoin_make(text, len, NULL, NULL, 0, &gz, &gzsz, &st);
	assert_non_null(g);
	assert_true(st.chunks > 3);
	assert_int_equal(st.reused, 0);
	assert_int_equal(st.bytes_compressed, len);
	assert_inflates_to(gz, gzsz, text, len);
	assert_true(gzjoin_bytes(g) >= gzsz - 20);
	/* zlib's level 9 over the whole text, as a raw stream. */
	wsz = compressBound((uLong)len);
	whole = malloc(wsz);
	assert_non_null(whole);
	assert_int_equal(compress2(whole, &wsz, (const Bytef *)text, (uLong)len,
	                     9),
	    Z_OK);
	assert_true((double)gzsz <= (double)wsz * 1.02);
	free(whole);
	free(gz);
	gzjoin_free(g);
	free(text);
	free(ev);
}

static void
test_edits_reuse(void **state)
{
	struct ev *ev = calloc(NEV + STEPS, sizeof(*ev));
	unsigned char *gz, *fresh;
	size_t n = NEV, len, gzsz, fsz, i, step, k;
	uint64_t s = 99;
	struct gzjoin *g, *g2, *gf;
	struct gzjoin_stats st, sf;
	char *text, *next;
	size_t nlen;

	(void)state;
	assert_non_null(ev);
	for (i = 0; i < n; i++) {
		ev[i].uid = (unsigned)i + 1;
		ev[i].title = (unsigned)(rnd(&s) % 1000);
		ev[i].words = (unsigned)(rnd(&s) % 12);
	}
	text = calendar(ev, n, &len);
	g = gzjoin_make(text, len, NULL, NULL, 0, &gz, &gzsz, NULL);
	assert_non_null(g);
	free(gz);
	for (step = 0; step < STEPS; step++) {
		k = (size_t)(rnd(&s) % n);
		switch (step % 3) {
		case 0: /* a new title, maybe of another length */
			ev[k].title = (unsigned)(rnd(&s) % 100000);
			ev[k].words = (unsigned)(rnd(&s) % 12);
			break;
		case 1: /* an event inserted */
			memmove(&ev[k + 1], &ev[k], (n - k) * sizeof(*ev));
			ev[k].uid = (unsigned)(100000 + step);
			ev[k].title = (unsigned)step;
			ev[k].words = 3;
			n++;
			break;
		default: /* an event removed */
			memmove(&ev[k], &ev[k + 1], (n - k - 1) * sizeof(*ev));
			n--;
			break;
		}
		next = calendar(ev, n, &nlen);
		g2 = gzjoin_make(next, nlen, g, text, len, &gz, &gzsz, &st);
		assert_non_null(g2);
		assert_inflates_to(gz, gzsz, next, nlen);
		/* The same bytes as a gzip made from nothing. */
		gf = gzjoin_make(next, nlen, NULL, NULL, 0, &fresh, &fsz, &sf);
		assert_non_null(gf);
		assert_int_equal(fsz, gzsz);
		assert_memory_equal(fresh, gz, gzsz);
		assert_int_equal(sf.chunks, st.chunks);
		/* The edited chunk and the one after it (its window), and
		 * at most one more where a cut moved. */
		assert_true(st.chunks - st.reused <= 3);
		assert_true(st.bytes_compressed <= 3 * GZJOIN_MAX);
		free(fresh);
		gzjoin_free(gf);
		free(gz);
		gzjoin_free(g);
		free(text);
		g = g2;
		text = next;
		len = nlen;
	}
	gzjoin_free(g);
	free(text);
	free(ev);
}

static void
test_odd_texts(void **state)
{
	unsigned char *gz;
	size_t gzsz, i, len = 3 * GZJOIN_MAX + 5;
	struct gzjoin *g, *g2;
	struct gzjoin_stats st;
	char *plain = malloc(len), *other = malloc(len);
	uint64_t s = 3;

	(void)state;
	assert_non_null(plain);
	assert_non_null(other);
	/* No VEVENT at all: cut at the maximum. */
	for (i = 0; i < len; i++)
		plain[i] = (char)('a' + rnd(&s) % 7);
	g = gzjoin_make(plain, len, NULL, NULL, 0, &gz, &gzsz, &st);
	assert_non_null(g);
	assert_int_equal(st.chunks, 4);
	assert_inflates_to(gz, gzsz, plain, len);
	free(gz);
	/* A wholly different text against it: nothing reused. */
	for (i = 0; i < len; i++)
		other[i] = (char)('k' + rnd(&s) % 5);
	g2 = gzjoin_make(other, len, g, plain, len, &gz, &gzsz, &st);
	assert_non_null(g2);
	assert_int_equal(st.reused, 0);
	assert_inflates_to(gz, gzsz, other, len);
	free(gz);
	gzjoin_free(g2);
	/* The same text again: everything reused. */
	memcpy(other, plain, len);
	g2 = gzjoin_make(other, len, g, plain, len, &gz, &gzsz, &st);
	assert_non_null(g2);
	assert_int_equal(st.reused, st.chunks);
	assert_int_equal(st.bytes_compressed, 0);
	assert_inflates_to(gz, gzsz, other, len);
	free(gz);
	gzjoin_free(g2);
	gzjoin_free(g);
	/* Empty and one byte. */
	g = gzjoin_make("", 0, NULL, NULL, 0, &gz, &gzsz, &st);
	assert_non_null(g);
	assert_int_equal(st.chunks, 0);
	assert_inflates_to(gz, gzsz, "", 0);
	free(gz);
	g2 = gzjoin_make("x", 1, g, "", 0, &gz, &gzsz, &st);
	assert_non_null(g2);
	assert_inflates_to(gz, gzsz, "x", 1);
	free(gz);
	gzjoin_free(g2);
	gzjoin_free(g);
	/* A base without its text is refused. */
	g = gzjoin_make("x", 1, NULL, NULL, 0, &gz, &gzsz, NULL);
	assert_non_null(g);
	free(gz);
	assert_null(gzjoin_make("x", 1, g, NULL, 0, &gz, &gzsz, NULL));
	assert_null(gz);
	gzjoin_free(g);
	free(plain);
	free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip_and_size),
	    cmocka_unit_test(test_edits_reuse),
	    cmocka_unit_test(test_odd_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
