/*
 * Unit tests of svc/core/mime.c: RFC 2047 header words, addresses, dates
 * and whole messages. Expected texts are spelled out byte for byte; the
 * base64 in them was computed independently (Python's base64 and
 * hashlib.blake2b), and a small decoder here reads parts back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* --- helpers -------------------------------------------------------------- */

static int
b64_value(char c)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(abc, c) : NULL;

	return p != NULL ? (int)(p - abc) : -1;
}

/* Decodes n characters of base64, skipping CRLF; fails the test on
 * anything else. out holds n bytes. Returns the decoded size. */
static size_t
b64_decode(const char *s, size_t n, unsigned char *out)
{
	unsigned v = 0;
	size_t i, o = 0, bits = 0, pad = 0;
	int x;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (x = b64_value(s[i])) < 0)
			fail_msg("bad base64 at %zu: '%c'", i, s[i]);
		v = v << 6 | (unsigned)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	return o;
}

/* Undoes mime_header_encode: plain text comes back as is; encoded-words
 * must be UTF-8 B words of at most 45 bytes, each valid UTF-8 alone
 * (cut between characters), folded by CRLF SP. Caller frees. */
static char *
header_decode(const char *enc)
{
	const char *p = enc, *end;
	unsigned char *out;
	size_t o = 0, n;

	if (strncmp(enc, "=?", 2) != 0)
		return strdup(enc);
	out = malloc(strlen(enc) + 1);
	assert_non_null(out);
	for (;;) {
		if (strncmp(p, "=?UTF-8?B?", 10) != 0)
			fail_msg("not an encoded-word: \"%s\"", p);
		p += 10;
		end = strstr(p, "?=");
		assert_non_null(end);
		n = b64_decode(p, (size_t)(end - p), out + o);
		if (n == 0 || n > 45)
			fail_msg("word of %zu bytes", n);
		if (valid_utf8_len((char *)out + o, n) < 0)
			fail_msg("word cuts a character");
		o += n;
		p = end + 2;
		if (*p == '\0')
			break;
		if (strncmp(p, "\r\n ", 3) != 0)
			fail_msg("words not joined by CRLF SP: \"%s\"", p);
		p += 3;
	}
	out[o] = '\0';
	return (char *)out;
}

static size_t
count_words(const char *enc)
{
	size_t n = 0;

	for (; (enc = strstr(enc, "=?UTF-8?B?")) != NULL; enc++)
		n++;
	return n;
}

/* Encodes s, checks the result is ASCII in short folded lines, decodes
 * it and compares with s. Returns the encoding (caller frees). */
static char *
roundtrip(const char *s)
{
	char *enc, *dec;
	const char *p, *line;

	if ((enc = mime_header_encode(s)) == NULL)
		fail_msg("rejected \"%s\"", s);
	for (line = p = enc; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			line = p + 2;
			p++;
			continue;
		}
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			fail_msg("byte 0x%02x at %zu", (unsigned char)*p,
			    (size_t)(p - enc));
		/* RFC 2047 §2: a line of encoded-words within 76 */
		if (p - line >= 76 && count_words(enc) > 0)
			fail_msg("folded line too long at %zu",
			    (size_t)(p - enc));
	}
	dec = header_decode(enc);
	assert_string_equal(dec, s);
	free(dec);
	return enc;
}

/* Every line ends in CRLF, there is no other CR or LF, and no line is
 * longer than 998 octets (RFC 5322 §2.1.1). */
static void
check_lines(const char *msg, size_t len)
{
	size_t i, col = 0;

	assert_int_equal(strlen(msg), len);
	assert_true(len >= 2);
	assert_memory_equal(msg + len - 2, "\r\n", 2);
	for (i = 0; i < len; i++) {
		if (msg[i] == '\r') {
			if (msg[i + 1] != '\n')
				fail_msg("bare CR at %zu", i);
			if (col > 998)
				fail_msg("line of %zu octets before %zu", col,
				    i);
			col = 0;
			i++;
			continue;
		}
		if (msg[i] == '\n')
			fail_msg("bare LF at %zu", i);
		col++;
	}
}

/* The decoded body of the part whose headers contain marker: the
 * base64 lines after its blank line, up to a "--" line or the end. Each
 * line is at most 76 characters. Caller frees; *sz its size. */
static unsigned char *
part_body(const char *msg, const char *marker, size_t *sz)
{
	const char *p = strstr(msg, marker), *e;
	unsigned char *out;

	if (p == NULL)
		fail_msg("no \"%s\" in the message", marker);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	p += 4;
	out = malloc(strlen(p) + 1);
	assert_non_null(out);
	*sz = 0;
	for (; *p != '\0' && strncmp(p, "--", 2) != 0; p = e + 2) {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 76);
		*sz += b64_decode(p, (size_t)(e - p), out + *sz);
	}
	out[*sz] = '\0';
	return out;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

#define T_20261123_0000Z 1795392000 /* Mon 2026-11-23 00:00:00 UTC */

/* A valid message to vary in the tests. */
static struct mime_message
sample(void)
{
	struct mime_message m;

	memset(&m, 0, sizeof(m));
	m.from_name = "心访工作室";
	m.from_email = "noreply@hearth.example";
	m.reply_to = "office@hearth.example";
	m.to_name = "Li, Lei";
	m.to_email = "lilei@example.cn";
	m.subject = "活动提醒：心理讲座";
	m.date = T_20261123_0000Z;
	m.utc_offset_min = 480;
	m.message_id = "evt-42-1@hearth.example";
	m.unsubscribe_url = "https://hearth.example/u/abc123";
	m.text = "您好，\n第二行\n";
	m.calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	m.calendar_len = strlen(m.calendar);
	m.calendar_method = "REQUEST";
	return m;
}

/* --- mime_header_encode ------------------------------------------------------ */

static void
test_encode_ascii(void **state)
{
	const char *s = "Weekly duty: Mon 09:00-12:00 (Futian)";
	char *enc;

	(void)state;
	enc = mime_header_encode(s);
	assert_non_null(enc);
	assert_ptr_not_equal(enc, s);
	assert_string_equal(enc, s);
	free(enc);
	enc = mime_header_encode("");
	assert_non_null(enc);
	assert_string_equal(enc, "");
	free(enc);
	/* "?=" alone is harmless */
	enc = mime_header_encode("why?=no");
	assert_string_equal(enc, "why?=no");
	free(enc);
}

static void
test_encode_marker(void **state)
{
	char *enc;

	(void)state;
	/* "=?" would make a decoder look for a word: encode it all. */
	enc = mime_header_encode("a =? b");
	assert_non_null(enc);
	assert_string_equal(enc, "=?UTF-8?B?YSA9PyBi?=");
	free(enc);
	free(roundtrip("=?UTF-8?B?YQ==?="));
}

static void
test_encode_chinese(void **state)
{
	char *enc;

	(void)state;
	enc = mime_header_encode("心访工作室");
	assert_string_equal(enc, "=?UTF-8?B?5b+D6K6/5bel5L2c5a6k?=");
	free(enc);

	/* 20 characters of 3 bytes: 15 fill the first word (45 bytes). */
	enc = mime_header_encode("心访工作室心访工作室心访工作室心访工作室");
	assert_string_equal(enc,
	    "=?UTF-8?B?5b+D6K6/5bel5L2c5a6k5b+D6K6/5bel5L2c5a6k5b+D6K6/5bel"
	    "5L2c5a6k?=\r\n =?UTF-8?B?5b+D6K6/5bel5L2c5a6k?=");
	free(enc);

	/* One ASCII byte first: the 15th character would make 46 bytes,
	 * so it starts the second word. */
	enc = roundtrip("A心访工作室心访工作室心访工作室");
	assert_int_equal(count_words(enc), 2);
	free(enc);

	/* A subject as the mailer writes it; the words decode back. */
	enc = roundtrip("活动提醒：心理讲座 Lecture reminder 2026-11-23 "
	                "福田区心理服务站 09:00–11:00");
	assert_true(count_words(enc) >= 2);
	free(enc);
}

static void
test_encode_4byte(void **state)
{
	char *enc;

	(void)state;
	/* 12 emoji = 48 bytes: 11 (44 bytes) then 1. */
	enc = mime_header_encode("😀😀😀😀😀😀😀😀😀😀😀😀");
	assert_string_equal(enc,
	    "=?UTF-8?B?8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+Y"
	    "gPCfmIA=?=\r\n =?UTF-8?B?8J+YgA==?=");
	free(enc);
	/* "x" + 11 emoji = 45 bytes exactly in the first word. */
	enc = mime_header_encode("x😀😀😀😀😀😀😀😀😀😀😀😀");
	assert_string_equal(enc,
	    "=?UTF-8?B?ePCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCf"
	    "mIDwn5iA?=\r\n =?UTF-8?B?8J+YgA==?=");
	free(enc);
	/* mixed widths at every alignment */
	free(roundtrip("ab😀心é😀😀心心é😀x😀心é😀😀心心é😀x😀心é😀😀心心é😀"));
	free(roundtrip("é😀心é😀😀心心é😀x😀心é😀😀心心é😀x😀心é😀😀心心é😀"));
}

static void
test_encode_long_ascii(void **state)
{
	char s[1501], *enc;

	(void)state;
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	/* Too long for one line: encoded, so it folds. */
	enc = roundtrip(s);
	assert_int_equal(count_words(enc), (1500 + 44) / 45);
	free(enc);
	/* 700 octets pass as they are; 701 are encoded */
	s[701] = '\0';
	enc = roundtrip(s);
	assert_int_equal(count_words(enc), 16);
	free(enc);
	s[700] = '\0';
	enc = mime_header_encode(s);
	assert_string_equal(enc, s);
	free(enc);
}

static void
test_encode_reject(void **state)
{
	static const char *const bad[] = {
	    "\xff",             /* not UTF-8 at all */
	    "a\x80",            /* lone continuation */
	    "\xc0\xaf",         /* overlong '/' */
	    "\xe0\x80\xaf",     /* overlong, 3 bytes */
	    "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
	    "\xed\xa0\x80",     /* surrogate U+D800 */
	    "\xf4\x90\x80\x80", /* U+110000 */
	    "\xe5\xbf",         /* cut short */
	    "心\xe8\xae",       /* cut short after a character */
	    "a\tb",
	    "line\r\nBcc: x@y.z",
	    "line\nbreak",
	    "\x7f",
	    "a\x01",
	    "\x1b[0m",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mime_header_encode(bad[i]) != NULL)
			fail_msg("accepted bad[%zu]", i);
	assert_null(mime_header_encode(NULL));
}

/* --- mime_address ------------------------------------------------------------- */

static void
check_address(const char *name, const char *email, const char *want)
{
	char *a = mime_address(name, email);

	if (a == NULL)
		fail_msg("rejected \"%s\" <%s>", name ? name : "(null)", email);
	assert_string_equal(a, want);
	free(a);
}

static void
test_address(void **state)
{
	(void)state;
	check_address(NULL, "a@b.cn", "a@b.cn");
	check_address("", "a@b.cn", "a@b.cn");
	check_address("Li Lei", "lilei@example.cn",
	    "Li Lei <lilei@example.cn>");
	check_address("Li, Lei", "a@b.cn", "\"Li, Lei\" <a@b.cn>");
	check_address("Dr. Wang", "a@b.cn", "\"Dr. Wang\" <a@b.cn>");
	check_address("x@y", "a@b.cn", "\"x@y\" <a@b.cn>");
	check_address("say \"hi\" \\o/", "a@b.cn",
	    "\"say \\\"hi\\\" \\\\o/\" <a@b.cn>");
	/* an edge space would be lost as folding white space */
	check_address(" Li", "a@b.cn", "\" Li\" <a@b.cn>");
	check_address("O'Neil & Co", "a@b.cn", "O'Neil & Co <a@b.cn>");
	check_address("心访工作室", "noreply@hearth.example",
	    "=?UTF-8?B?5b+D6K6/5bel5L2c5a6k?= <noreply@hearth.example>");
	check_address("=?x?=", "a@b.cn", "=?UTF-8?B?PT94Pz0=?= <a@b.cn>");
}

static void
test_address_reject(void **state)
{
	(void)state;
	assert_null(mime_address(NULL, NULL));
	assert_null(mime_address(NULL, "nope"));
	assert_null(mime_address(NULL, "a@b"));
	assert_null(mime_address("Li", "a b@c.cn"));
	assert_null(mime_address("Li", "a@b.cn>, evil@x.cn"));
	assert_null(mime_address("Li", "a@b.cn\r\nBcc: x@y.cn"));
	assert_null(mime_address("Li", "\x7f@b.cn"));
	assert_null(mime_address("Li", "李@b.cn")); /* would need SMTPUTF8 */
	assert_null(mime_address("Li\r\nBcc: x@y.cn", "a@b.cn"));
	assert_null(mime_address("Li\tLei", "a@b.cn"));
	assert_null(mime_address("\xc0\xaf", "a@b.cn"));
}

static void
test_address_long_name(void **state)
{
	char name[800], *a, *dec, *lt;

	(void)state;
	/* 400 quotes would be 802 octets quoted: encoded instead. */
	memset(name, '"', 400);
	name[400] = '\0';
	a = mime_address(name, "a@b.cn");
	assert_non_null(a);
	lt = strstr(a, " <a@b.cn>");
	assert_non_null(lt);
	assert_string_equal(lt, " <a@b.cn>");
	*lt = '\0';
	dec = header_decode(a);
	assert_string_equal(dec, name);
	free(dec);
	free(a);
}

/* --- mime_date ------------------------------------------------------------------- */

static void
check_date(time_t t, int off, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(mime_date(t, off, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
}

static void
test_date(void **state)
{
	char small[31];

	(void)state;
	/* The process zone plays no part. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	check_date(T_20261123_0000Z, 480, "Mon, 23 Nov 2026 08:00:00 +0800");
	check_date(0, 0, "Thu, 01 Jan 1970 00:00:00 +0000");
	/* +0800 across midnight: 16:30Z is 00:30 the next day */
	check_date(1795451400, 480, "Tue, 24 Nov 2026 00:30:00 +0800");
	/* leap day: 2028-02-28T16:00Z */
	check_date(1835366400, 480, "Tue, 29 Feb 2028 00:00:00 +0800");
	check_date(1835366400, 0, "Mon, 28 Feb 2028 16:00:00 +0000");
	/* negative, with minutes, back across a year end */
	check_date(1767232800, -210, "Wed, 31 Dec 2025 22:30:00 -0330");
	check_date(1767232800, 345, "Thu, 01 Jan 2026 07:45:00 +0545");
	unsetenv("TZ");
	tzset();

	/* 31 characters need 32 bytes */
	assert_int_equal(mime_date(0, 0, small, sizeof(small)), 0);
	assert_string_equal(small, "");
	assert_int_equal(mime_date(0, 24 * 60, small, sizeof(small)), 0);
	assert_int_equal(mime_date(0, -24 * 60, small, sizeof(small)), 0);
	assert_int_equal(mime_date((time_t)300000000000LL, 0, small,
	                     sizeof(small)),
	    0);
}

/* --- mime_build --------------------------------------------------------------- */

static void
test_build_exact(void **state)
{
	struct mime_message m = sample();
	size_t len = 0;
	char *msg;

	(void)state;
	msg = mime_build(&m, &len);
	assert_non_null(msg);
	/* boundary: the first 32 hex digits of BLAKE2b-256 of the id */
	assert_string_equal(msg,
	    "From: =?UTF-8?B?5b+D6K6/5bel5L2c5a6k?= <noreply@hearth.example>\r\n"
	    "To: \"Li, Lei\" <lilei@example.cn>\r\n"
	    "Reply-To: office@hearth.example\r\n"
	    "Subject: =?UTF-8?B?5rS75Yqo5o+Q6YaS77ya5b+D55CG6K6y5bqn?=\r\n"
	    "Date: Mon, 23 Nov 2026 08:00:00 +0800\r\n"
	    "Message-ID: <evt-42-1@hearth.example>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "List-Unsubscribe: <https://hearth.example/u/abc123>\r\n"
	    /* an invitation: text and calendar as alternatives (issue
	     * 14), the calendar without a file name */
	    "Content-Type: multipart/alternative; "
	    "boundary=\"=_hearth_00b4411ecb1cf2ea994d928b6fa615ed\"\r\n"
	    "\r\n"
	    "--=_hearth_00b4411ecb1cf2ea994d928b6fa615ed\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "5oKo5aW977yMDQrnrKzkuozooYwNCg==\r\n"
	    "--=_hearth_00b4411ecb1cf2ea994d928b6fa615ed\r\n"
	    "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\r\n"
	    "--=_hearth_00b4411ecb1cf2ea994d928b6fa615ed--\r\n");
	assert_int_equal(len, strlen(msg));
	check_lines(msg, len);
	free(msg);
}

static void
test_build_no_calendar(void **state)
{
	struct mime_message m = sample();
	size_t len = 0;
	char *msg;

	(void)state;
	m.from_name = "Hearth";
	m.to_name = NULL;
	m.reply_to = NULL;
	m.unsubscribe_url = NULL;
	m.subject = "Reminder";
	m.text = "Hello\n";
	m.calendar = NULL;
	m.calendar_len = 0;
	m.calendar_method = "bogus"; /* ignored without a calendar */
	msg = mime_build(&m, &len);
	assert_non_null(msg);
	assert_string_equal(msg,
	    "From: Hearth <noreply@hearth.example>\r\n"
	    "To: lilei@example.cn\r\n"
	    "Subject: Reminder\r\n"
	    "Date: Mon, 23 Nov 2026 08:00:00 +0800\r\n"
	    "Message-ID: <evt-42-1@hearth.example>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "SGVsbG8NCg==\r\n");
	check_lines(msg, len);
	free(msg);
}

/* Long text and calendar: parse the message back rather than spell it. */
static void
test_build_parts(void **state)
{
	struct mime_message m = sample();
	struct {
		const char *method, *file;
	} cases[] = {
	    {"REQUEST", "invite.ics"},
	    {"CANCEL", "invite.ics"},
	    {"PUBLISH", "calendar.ics"},
	};
	char text[6000], want[7000], cal[5000], ctype[128], disp[128];
	char *msg, *hdr_end, boundary[64], line[128];
	unsigned char *body;
	size_t len, sz, i, w = 0;

	(void)state;
	/* Lines of Chinese with LF ends, a CRLF one and a lone CR. */
	text[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(text, "第几行：心访工作室值班提醒 line\n");
	strcat(text, "crlf\r\ncr\rend");
	for (i = 0; text[i] != '\0'; i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
			want[w++] = '\r';
		want[w++] = text[i];
		if (text[i] == '\r' && text[i + 1] != '\n')
			want[w++] = '\n';
	}
	want[w] = '\0';
	cal[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(cal, "SUMMARY:心理讲座 — 福田\r\n");
	m.text = text;
	m.calendar = cal;
	m.calendar_len = strlen(cal);
	m.subject = "活动提醒：心理讲座 活动提醒：心理讲座 活动提醒：心理讲座 "
	            "活动提醒：心理讲座 活动提醒：心理讲座 活动提醒：心理讲座";

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m.calendar_method = cases[i].method;
		msg = mime_build(&m, &len);
		assert_non_null(msg);
		check_lines(msg, len);

		hdr_end = strstr(msg, "\r\n\r\n");
		assert_non_null(hdr_end);
		/* the subject folded and decodes back */
		{
			char *s = strstr(msg, "Subject: "), *e, *dec;

			assert_non_null(s);
			s += 9;
			e = strstr(s, "\r\nDate: ");
			assert_non_null(e);
			*e = '\0';
			assert_true(count(s, "\r\n ") >= 2);
			dec = header_decode(s);
			assert_string_equal(dec, m.subject);
			free(dec);
			*e = '\r';
		}

		/* the boundary, as declared, delimits exactly two parts */
		snprintf(boundary, sizeof(boundary),
		    "=_hearth_00b4411ecb1cf2ea994d928b6fa615ed");
		snprintf(line, sizeof(line),
		    "Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\n",
		    strcmp(m.calendar_method, "PUBLISH") == 0 ? "mixed"
		                                              : "alternative",
		    boundary);
		assert_ptr_equal(strstr(msg, line) + strlen(line) - 4, hdr_end);
		assert_int_equal(count(msg, boundary), 4);
		snprintf(line, sizeof(line), "\r\n\r\n--%s\r\n", boundary);
		assert_ptr_equal(strstr(msg, line), hdr_end);
		snprintf(line, sizeof(line), "\r\n--%s--\r\n", boundary);
		assert_string_equal(msg + len - strlen(line), line);

		body = part_body(msg, "Content-Type: text/plain", &sz);
		assert_int_equal(sz, strlen(want));
		assert_memory_equal(body, want, sz);
		free(body);

		snprintf(ctype, sizeof(ctype),
		    "Content-Type: text/calendar; "
		    "charset=UTF-8; method=%s\r\n",
		    cases[i].method);
		snprintf(disp, sizeof(disp),
		    "Content-Disposition: inline; "
		    "filename=\"%s\"\r\n",
		    cases[i].file);
		assert_non_null(strstr(msg, ctype));
		/* A PUBLISH is a file; an invitation's calendar is the
		 * other form of the text (multipart/alternative). */
		if (strcmp(cases[i].method, "PUBLISH") == 0)
			assert_non_null(strstr(msg, disp));
		else
			assert_null(strstr(msg, "Content-Disposition"));
		body = part_body(msg, ctype, &sz);
		assert_int_equal(sz, strlen(cal));
		assert_memory_equal(body, cal, sz);
		free(body);
		free(msg);
	}
}

/* The first Subject line, "Subject: " included, is at most 76
 * characters (RFC 2047 §2; it was 81), and the words decode back. */
static void
test_subject_first_line(void **state)
{
	struct mime_message m = sample();
	size_t len;
	char *msg, *s, *e, *eol, *dec;

	(void)state;
	m.subject =
	    "时间变更：心理健康科普及减压活动（香蜜湖街道）改至 12月9日 14:30";
	msg = mime_build(&m, &len);
	assert_non_null(msg);
	s = strstr(msg, "\r\nSubject: ") + 2;
	eol = strstr(s, "\r\n");
	assert_true(eol - s <= 76);
	/* every folded line too */
	e = strstr(s, "\r\nDate: ");
	for (; eol != NULL && eol < e; s = eol + 2, eol = strstr(s, "\r\n"))
		assert_true(eol - s <= 76);
	s = strstr(msg, "Subject: ") + 9;
	*e = '\0';
	assert_true(count(s, "\r\n ") >= 1);
	dec = header_decode(s);
	assert_string_equal(dec, m.subject);
	free(dec);
	free(msg);
}

/* An empty text and a calendar alone still make a well-formed message. */
static void
test_build_empty_text(void **state)
{
	struct mime_message m = sample();
	size_t len;
	char *msg;

	(void)state;
	m.text = "";
	msg = mime_build(&m, &len);
	assert_non_null(msg);
	check_lines(msg, len);
	assert_non_null(strstr(msg,
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n--=_hearth_"));
	free(msg);
	m.text = NULL;
	msg = mime_build(&m, &len);
	assert_non_null(msg);
	free(msg);
}

static void
build_bad(const struct mime_message *m, const char *what)
{
	size_t len = 12345;
	char *msg = mime_build(m, &len);

	if (msg != NULL) {
		free(msg);
		fail_msg("accepted: %s", what);
	}
}

static void
test_build_reject(void **state)
{
	struct mime_message m;

	(void)state;
#define BAD(field, value) \
	do { \
		m = sample(); \
		m.field = value; \
		build_bad(&m, #field " = " #value); \
	} while (0)
	BAD(from_email, NULL);
	BAD(from_email, "noreply");
	BAD(to_email, NULL);
	BAD(to_email, "a@b.cn\r\nBcc: x@y.cn");
	BAD(to_name, "Li\nLei");
	BAD(from_name, "\xe5\xbf");
	BAD(reply_to, "nope");
	BAD(reply_to, "");
	BAD(subject, NULL);
	BAD(subject, "Hi\r\nBcc: x@y.cn");
	BAD(subject, "\xed\xa0\x80");
	BAD(message_id, NULL);
	BAD(message_id, "");
	BAD(message_id, "no-at");
	BAD(message_id, "a@b@c");
	BAD(message_id, "@b");
	BAD(message_id, "a@");
	BAD(message_id, "a b@c");
	BAD(message_id, "a@c>");
	BAD(message_id, "<a@c");
	BAD(message_id, "a\r\n@c");
	BAD(message_id, "a\x7f@c");
	BAD(message_id, "心@c");
	BAD(unsubscribe_url, "https://x.cn/u/a b");
	BAD(unsubscribe_url, "https://x.cn/u/a>b");
	BAD(unsubscribe_url, "https://x.cn/u/\r\nBcc: x@y.cn");
	BAD(unsubscribe_url, "");
	BAD(text, "ok\xc0\xafno");
	BAD(calendar_method, NULL);
	BAD(calendar_method, "request");
	BAD(calendar_method, "COUNTER");
	BAD(utc_offset_min, 24 * 60);
#undef BAD
	m = sample();
	m.calendar = "BEGIN:\xff\r\n";
	m.calendar_len = strlen(m.calendar);
	build_bad(&m, "calendar not UTF-8");
	/* A message-id too long for its header line. */
	{
		char id[1000];

		memset(id, 'a', sizeof(id) - 1);
		id[sizeof(id) - 1] = '\0';
		id[500] = '@';
		m = sample();
		m.message_id = id;
		build_bad(&m, "message_id of 999 octets");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encode_ascii),
	    cmocka_unit_test(test_encode_marker),
	    cmocka_unit_test(test_encode_chinese),
	    cmocka_unit_test(test_encode_4byte),
	    cmocka_unit_test(test_encode_long_ascii),
	    cmocka_unit_test(test_encode_reject),
	    cmocka_unit_test(test_address),
	    cmocka_unit_test(test_address_reject),
	    cmocka_unit_test(test_address_long_name),
	    cmocka_unit_test(test_date),
	    cmocka_unit_test(test_build_exact),
	    cmocka_unit_test(test_build_no_calendar),
	    cmocka_unit_test(test_build_parts),
	    cmocka_unit_test(test_subject_first_line),
	    cmocka_unit_test(test_build_empty_text),
	    cmocka_unit_test(test_build_reject),
	};

	if (!secret_init()) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
