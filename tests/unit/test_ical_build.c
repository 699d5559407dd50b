/*
 * Unit tests of ical/: hical_build (feeds and invitations) checked as
 * text and re-read with libical's own parser, and hical_parse_days
 * (holiday import) on the real-shaped 2025 fixture and on every kind of
 * malformed input the import must refuse.
 *
 * HICAL_FEED_OUT=path makes test_feed write its feed there for
 * tests/unit/ical_js_check.mjs (the ical.js check, run by hand).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "hearth_ical.h"

#define T2026 1767225600       /* 2026-01-01T00:00:00Z */
#define T2027 1798761600       /* 2027-01-01T00:00:00Z */
#define T0302_0900 1772413200  /* 2026-03-02T09:00+08:00 */
#define T0701_0900B 1782889200 /* 2026-07-01T09:00+02:00 (Berlin) */
#define FIXTURE "tests/fixtures/holidays-cn-2025.ics"

static char long_desc[1024]; /* 300 Chinese characters */

/* --- helpers ---------------------------------------------------------------- */

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

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* Whether [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;
	unsigned c;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 2;
		else if (c >= 0xe0 && c <= 0xef)
			k = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] >= 0xa0) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] >= 0x90))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * RFC 5545 §3.1 on the physical lines of s (len bytes): each ends in
 * CRLF, is at most 75 octets, is valid UTF-8 on its own (so no fold
 * splits a character), and a continuation is never empty.
 */
static void
assert_lines(const char *s, size_t len)
{
	size_t i = 0, e, lineno = 0;

	assert_int_equal(len, strlen(s));
	assert_true(len >= 2);
	assert_memory_equal(s + len - 2, "\r\n", 2);
	while (i < len) {
		lineno++;
		for (e = i; e < len && s[e] != '\r' && s[e] != '\n'; e++)
			;
		if (e + 1 >= len + 1 || s[e] != '\r' || s[e + 1] != '\n')
			fail_msg("line %zu: no CRLF", lineno);
		if (e - i > 75)
			fail_msg("line %zu: %zu octets", lineno, e - i);
		if (e == i)
			fail_msg("line %zu: empty", lineno);
		if (!utf8_ok((const unsigned char *)s + i, e - i))
			fail_msg("line %zu: UTF-8 split or invalid", lineno);
		if (s[i] == ' ' && e - i == 1)
			fail_msg("line %zu: empty continuation", lineno);
		if (s[i] == '\t')
			fail_msg("line %zu: tab continuation", lineno);
		i = e + 2;
	}
}

/* s unfolded (CRLF + space removed), line breaks left as CRLF. */
static char *
unfold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	assert_non_null(out);
	while (*s != '\0') {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 3;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f;
	char *buf;
	long sz;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open (run from the repository root)",
		    path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz > 0);
	rewind(f);
	buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	buf[sz] = '\0';
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

/* The calendar and two events most tests start from. */
static const struct hical_calendar feed_cal = {
    .name = "福田区信访局 心理咨询室",
    .tzid = "Asia/Shanghai",
    .method = NULL,
    .window_from = T2026,
    .window_to = T2027,
    .refresh = "PT1H",
};

/* Fills n (1 or 2) events. */
static void
feed_events(struct hical_event *ev, size_t n)
{
	memset(ev, 0, n * sizeof(*ev));
	ev[0].uid = "event-12@hearth.example";
	ev[0].sequence = 3;
	ev[0].dtstamp = T2026 + 3600;
	ev[0].last_modified = T2026 + 7200;
	ev[0].start = T0302_0900;
	ev[0].end = T0302_0900 + 5400;
	ev[0].tzid = "Asia/Shanghai";
	ev[0].summary = "情绪疏导讲座";
	ev[0].location = "福田区信访局 3楼 心理咨询室";
	ev[0].description = long_desc;
	ev[0].url = "https://hearth.example/events/12";
	ev[0].category = "讲座";
	ev[0].status = HICAL_CONFIRMED;
	if (n < 2)
		return;

	ev[1].uid = "event-13@hearth.example";
	ev[1].sequence = 7;
	ev[1].dtstamp = T2026 + 3600;
	ev[1].start = T0302_0900 + 86400;
	ev[1].end = T0302_0900 + 86400 + 3600;
	ev[1].tzid = "Asia/Shanghai";
	ev[1].summary = "个体咨询";
	ev[1].category = "咨询";
	ev[1].status = HICAL_CANCELLED;
}

/* The text between "NAME:" (after unfolding) and its CRLF, or fail. */
static char *
value_of(const char *unfolded, const char *prefix)
{
	const char *p = strstr(unfolded, prefix), *e;
	char *v;

	if (p == NULL)
		fail_msg("%s missing", prefix);
	p += strlen(prefix);
	e = strstr(p, "\r\n");
	assert_non_null(e);
	v = strndup(p, (size_t)(e - p));
	assert_non_null(v);
	return v;
}

/*
 * Reads text back with libical: one VCALENDAR, no X-LIC-ERROR anywhere,
 * and returns it for further checks (caller frees).
 */
static icalcomponent *
reparse(const char *text)
{
	icalcomponent *c, *k;
	icalproperty *p;

	c = icalparser_parse_string(text);
	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(c), 0);
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	     k != NULL;
	     k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
		p = icalcomponent_get_first_property(k,
		    ICAL_XLICERROR_PROPERTY);
		if (p != NULL)
			fail_msg("libical: %s", icalproperty_get_xlicerror(p));
	}
	return c;
}

/*
 * The instant DTSTART of vevent e names, resolved through the VTIMEZONE
 * in cal whose TZID its parameter gives: what a client computes.
 */
static time_t
instant(icalcomponent *cal, icalcomponent *e, const char *want_tzid)
{
	icalproperty *p;
	icalparameter *tzp;
	icalcomponent *vtz;
	icalcompiter it;
	icaltimezone *tz;
	struct icaltimetype t;
	const char *tzid = NULL;
	time_t r;

	p = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
	assert_non_null(p);
	tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_non_null(tzp);
	assert_string_equal(icalparameter_get_tzid(tzp), want_tzid);
	/* An iterator of our own: get_first/next would reset the caller's. */
	it = icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);
	for (; (vtz = icalcompiter_deref(&it)) != NULL;
	     icalcompiter_next(&it)) {
		tzid = icalproperty_get_tzid(
		    icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY));
		if (strcmp(tzid, want_tzid) == 0)
			break;
	}
	if (vtz == NULL)
		fail_msg("no VTIMEZONE %s", want_tzid);
	tz = icaltimezone_new();
	assert_true(icaltimezone_set_component(tz,
	    icalcomponent_new_clone(vtz)));
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	assert_false(icaltime_is_utc(t));
	assert_false(icaltime_is_date(t));
	r = icaltime_as_timet_with_zone(t, tz);
	icaltimezone_free(tz, 1);
	return r;
}

/* --- hical_build ------------------------------------------------------------- */

static void
test_feed(void **state)
{
	struct hical_event ev[2];
	icalcomponent *c, *e;
	char *s, *u, *v;
	const char *out;
	size_t len;
	FILE *f;

	(void)state;
	feed_events(ev, 2);
	s = hical_build(&feed_cal, ev, 2, &len);
	assert_non_null(s);
	assert_lines(s, len);
	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\n", 17) == 0);
	assert_memory_equal(s + len - 15, "END:VCALENDAR\r\n", 15);
	u = unfold(s);

	assert_has(u, "\r\nPRODID:-//Hearth//Hearth 0.1//ZH\r\n");
	assert_has(u, "\r\nVERSION:2.0\r\n");
	assert_has(u, "\r\nCALSCALE:GREGORIAN\r\n");
	assert_lacks(u, "METHOD:");
	assert_has(u, "\r\nNAME:福田区信访局 心理咨询室\r\n");
	assert_has(u, "\r\nX-WR-CALNAME:福田区信访局 心理咨询室\r\n");
	assert_has(u, "\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n");
	assert_has(u, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
	assert_has(u, "\r\nX-PUBLISHED-TTL:PT1H\r\n");

	/* One VTIMEZONE for the two events, plain TZID, no history. */
	assert_int_equal(count(u, "BEGIN:VTIMEZONE\r\n"), 1);
	assert_int_equal(count(u, "END:VTIMEZONE\r\n"), 1);
	assert_has(u, "\r\nTZID:Asia/Shanghai\r\n");
	assert_lacks(u, "freeassociation");
	assert_lacks(u, "LMT");
	assert_true(strstr(u, "BEGIN:VTIMEZONE") < strstr(u, "BEGIN:VEVENT"));

	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 2);
	assert_int_equal(count(u, "END:VEVENT\r\n"), 2);
	assert_has(u, "\r\nUID:event-12@hearth.example\r\n");
	assert_has(u, "\r\nUID:event-13@hearth.example\r\n");
	assert_has(u, "\r\nSEQUENCE:3\r\n");
	assert_has(u, "\r\nSEQUENCE:7\r\n");
	assert_has(u, "\r\nDTSTAMP:20260101T010000Z\r\n");
	assert_has(u, "\r\nLAST-MODIFIED:20260101T020000Z\r\n");
	assert_int_equal(count(u, "LAST-MODIFIED:"), 1);
	assert_has(u, "\r\nDTSTART;TZID=Asia/Shanghai:20260302T090000\r\n");
	assert_has(u, "\r\nDTEND;TZID=Asia/Shanghai:20260302T103000\r\n");
	assert_has(u, "\r\nDTSTART;TZID=Asia/Shanghai:20260303T090000\r\n");
	assert_has(u, "\r\nDTEND;TZID=Asia/Shanghai:20260303T100000\r\n");
	assert_has(u, "\r\nSTATUS:CONFIRMED\r\n");
	assert_has(u, "\r\nSTATUS:CANCELLED\r\n");
	assert_has(u, "\r\nCATEGORIES:讲座\r\n");
	assert_has(u, "\r\nCATEGORIES:咨询\r\n");
	assert_has(u, "\r\nSUMMARY:情绪疏导讲座\r\n");
	assert_has(u, "\r\nLOCATION:福田区信访局 3楼 心理咨询室\r\n");
	assert_has(u, "\r\nURL:https://hearth.example/events/12\r\n");
	assert_lacks(u, "BEGIN:VALARM");
	assert_lacks(u, "ORGANIZER");
	assert_lacks(u, "ATTENDEE");

	/* The 300-character description survives folding byte for byte. */
	v = value_of(u, "\r\nDESCRIPTION:");
	assert_string_equal(v, long_desc);
	free(v);
	assert_true(count(s, "\r\n ") >= 12); /* it was folded */

	/* libical reads it back cleanly and to the same instants. */
	c = reparse(s);
	assert_int_equal(icalcomponent_count_components(c,
	                     ICAL_VEVENT_COMPONENT),
	    2);
	e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(instant(c, e, "Asia/Shanghai"), T0302_0900);
	assert_string_equal(icalcomponent_get_description(e), long_desc);
	e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(instant(c, e, "Asia/Shanghai"), T0302_0900 + 86400);
	icalcomponent_free(c);

	/* For tests/unit/ical_js_check.mjs. */
	if ((out = getenv("HICAL_FEED_OUT")) != NULL && *out != '\0') {
		assert_non_null(f = fopen(out, "wb"));
		assert_int_equal(fwrite(s, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	free(u);
	free(s);
}

static void
test_invitation(void **state)
{
	static const struct hical_attendee att[] = {
	    {"王芳", "wang.fang@futian.example"},
	    {"Li \"Lei\", MSW", "li.lei@futian.example"},
	    {NULL, "desk@futian.example"},
	};
	static const int alarms[] = {15, 90};
	struct hical_calendar cal = feed_cal;
	struct hical_event ev[2];
	icalcomponent *c, *e;
	icalproperty *p;
	char *s, *u;
	size_t len;

	(void)state;
	feed_events(ev, 2);
	cal.method = "REQUEST";
	cal.refresh = NULL;
	ev[0].organizer_name = "福田区信访局";
	ev[0].organizer_email = "xinfang@futian.example";
	ev[0].attendees = att;
	ev[0].nattendees = 3;
	ev[0].alarm_minutes = alarms;
	ev[0].nalarms = 2;
	s = hical_build(&cal, ev, 1, &len);
	assert_non_null(s);
	assert_lines(s, len);
	u = unfold(s);
	assert_has(u, "\r\nMETHOD:REQUEST\r\n");
	assert_lacks(u, "REFRESH-INTERVAL");
	assert_lacks(u, "X-PUBLISHED-TTL");
	assert_has(u,
	    "\r\nORGANIZER;CN=福田区信访局:mailto:xinfang@futian.example\r\n");
	assert_has(u,
	    "\r\nATTENDEE;CN=王芳;ROLE=REQ-PARTICIPANT;"
	    "PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:wang.fang@futian.example\r\n");
	/* RFC 6868 for the quote, DQUOTE around the comma. */
	assert_has(u,
	    "\r\nATTENDEE;CN=\"Li ^'Lei^', MSW\";ROLE=REQ-PARTICIPANT;"
	    "PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:li.lei@futian.example\r\n");
	assert_has(u,
	    "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
	    "RSVP=FALSE:mailto:desk@futian.example\r\n");
	assert_int_equal(count(u, "BEGIN:VALARM\r\n"), 2);
	assert_int_equal(count(u, "\r\nACTION:DISPLAY\r\n"), 2);
	assert_has(u, "\r\nTRIGGER:-PT15M\r\n");
	assert_has(u, "\r\nTRIGGER:-PT90M\r\n");
	assert_int_equal(count(u, "\r\nDESCRIPTION:情绪疏导讲座\r\n"), 2);

	c = reparse(s);
	e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_count_properties(e,
	                     ICAL_ATTENDEE_PROPERTY),
	    3);
	p = icalcomponent_get_first_property(e, ICAL_ATTENDEE_PROPERTY);
	p = icalcomponent_get_next_property(e, ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(
	    icalparameter_get_cn(icalproperty_get_first_parameter(p,
	        ICAL_CN_PARAMETER)),
	    "Li \"Lei\", MSW");
	assert_int_equal(icalcomponent_count_components(e,
	                     ICAL_VALARM_COMPONENT),
	    2);
	icalcomponent_free(c);
	free(u);
	free(s);

	/* The cancellation of the same event. */
	cal.method = "CANCEL";
	ev[0].status = HICAL_CANCELLED;
	ev[0].sequence = 4;
	ev[0].nalarms = 0;
	s = hical_build(&cal, ev, 1, &len);
	assert_non_null(s);
	assert_lines(s, len);
	u = unfold(s);
	assert_has(u, "\r\nMETHOD:CANCEL\r\n");
	assert_has(u, "\r\nSTATUS:CANCELLED\r\n");
	assert_has(u, "\r\nSEQUENCE:4\r\n");
	assert_lacks(u, "VALARM");
	free(u);
	free(s);

	/* A roster sent by mail to be added as is. */
	cal.method = "PUBLISH";
	s = hical_build(&cal, ev, 1, &len);
	assert_non_null(s);
	u = unfold(s);
	assert_has(u, "\r\nMETHOD:PUBLISH\r\n");
	free(u);
	free(s);
}

/* Two zones: a VTIMEZONE each, and summer time in Berlin. */
static void
test_zones(void **state)
{
	struct hical_event ev[2];
	icalcomponent *c, *e;
	char *s, *u;
	size_t len;

	(void)state;
	feed_events(ev, 2);
	ev[1].tzid = "Europe/Berlin";
	ev[1].start = T0701_0900B;
	ev[1].end = T0701_0900B + 3600;
	s = hical_build(&feed_cal, ev, 2, &len);
	assert_non_null(s);
	assert_lines(s, len);
	u = unfold(s);
	assert_int_equal(count(u, "BEGIN:VTIMEZONE\r\n"), 2);
	assert_has(u, "\r\nTZID:Europe/Berlin\r\n");
	assert_has(u, "\r\nTZID:Asia/Shanghai\r\n");
	assert_lacks(u, "freeassociation");
	assert_has(u, "\r\nDTSTART;TZID=Europe/Berlin:20260701T090000\r\n");
	c = reparse(s);
	e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(instant(c, e, "Asia/Shanghai"), T0302_0900);
	e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT);
	assert_int_equal(instant(c, e, "Europe/Berlin"), T0701_0900B);
	icalcomponent_free(c);
	free(u);
	free(s);
}

static void
test_empty_feed(void **state)
{
	struct hical_calendar cal = feed_cal;
	icalcomponent *c;
	char *s;
	size_t len;

	(void)state;
	cal.name = NULL;
	cal.tzid = NULL;
	cal.refresh = NULL;
	s = hical_build(&cal, NULL, 0, &len);
	assert_non_null(s);
	assert_lines(s, len);
	assert_lacks(s, "VTIMEZONE");
	assert_lacks(s, "VEVENT");
	assert_lacks(s, "X-WR");
	assert_lacks(s, "NAME");
	c = reparse(s);
	icalcomponent_free(c);
	free(s);
}

/*
 * Values of every length from 1 to 200 octets in 1-, 2-, 3- and 4-byte
 * characters: a fold lands on every offset of every kind of character,
 * and each value must come back whole.
 */
static void
test_fold_edges(void **state)
{
	static const char *chars[] = {"a", "é", "讲", "😀"};
	struct hical_event ev;
	char val[1024], *s, *u, *v;
	size_t len, k, i, cl;

	(void)state;
	for (k = 0; k < 4; k++) {
		cl = strlen(chars[k]);
		val[0] = '\0';
		for (i = 0; (i + 1) * cl < 260; i++) {
			memcpy(val + i * cl, chars[k], cl);
			val[(i + 1) * cl] = '\0';
			feed_events(&ev, 1);
			ev.description = NULL;
			ev.summary = val;
			ev.location = val;
			ev.category = val;
			s = hical_build(&feed_cal, &ev, 1, &len);
			assert_non_null(s);
			assert_lines(s, len);
			u = unfold(s);
			v = value_of(u, "\r\nSUMMARY:");
			assert_string_equal(v, val);
			free(v);
			v = value_of(u, "\r\nLOCATION:");
			assert_string_equal(v, val);
			free(v);
			free(u);
			free(s);
		}
	}
}

/* TEXT escaping (§3.3.11) round-trips through libical. */
static void
test_escaping(void **state)
{
	static const char tricky[] = "a,b;c\\d\ne:f\"g\r\nh\ti";
	struct hical_event ev;
	icalcomponent *c, *e;
	char *s, *u;
	size_t len;

	(void)state;
	feed_events(&ev, 1);
	ev.summary = tricky;
	ev.description = "第一行\n第二行";
	s = hical_build(&feed_cal, &ev, 1, &len);
	assert_non_null(s);
	assert_lines(s, len);
	u = unfold(s);
	/* HTAB is a TSAFE-CHAR: it stays as it is. */
	assert_has(u, "\r\nSUMMARY:a\\,b\\;c\\\\d\\ne:f\"g\\nh\ti\r\n");
	assert_has(u, "\r\nDESCRIPTION:第一行\\n第二行\r\n");
	c = reparse(s);
	e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(e),
	    "a,b;c\\d\ne:f\"g\nh\ti");
	icalcomponent_free(c);
	free(u);
	free(s);
}

/* Whatever could break the text or is not a zone gives NULL. */
static void
test_build_invalid(void **state)
{
	static const int bad_alarm[] = {-5};
	static const struct hical_attendee bad_att[] = {
	    {"x", "a@b\r\nATTENDEE:mailto:evil@example"},
	};
	struct hical_calendar cal;
	struct hical_event ev;
	size_t len = 12345;

	(void)state;
#define BAD_EV(stmt) \
	do { \
		feed_events(&ev, 1); \
		stmt; \
		assert_null(hical_build(&feed_cal, &ev, 1, &len)); \
	} while (0)
#define BAD_CAL(stmt) \
	do { \
		feed_events(&ev, 1); \
		cal = feed_cal; \
		stmt; \
		assert_null(hical_build(&cal, &ev, 1, &len)); \
	} while (0)
	BAD_EV(ev.tzid = "Nowhere/Land");
	BAD_EV(ev.tzid = "../../etc/passwd");
	BAD_EV(ev.tzid = NULL);
	BAD_EV(ev.uid = NULL);
	BAD_EV(ev.uid = "");
	BAD_EV(ev.uid = "a\r\nb");
	BAD_EV(ev.url = "https://x\r\nX-EVIL:1");
	BAD_EV(ev.summary = "bad \xff utf-8");
	BAD_EV(ev.summary = "half \xe8\xae");
	BAD_EV(ev.description = "bell \a");
	BAD_EV(ev.organizer_email = "a@b\nX:1");
	BAD_EV(ev.organizer_email = "a@b"; ev.organizer_name = "x\ny");
	BAD_EV(ev.attendees = bad_att; ev.nattendees = 1);
	BAD_EV(ev.nattendees = 1);
	BAD_EV(ev.alarm_minutes = bad_alarm; ev.nalarms = 1);
	BAD_EV(ev.nalarms = 2);
	BAD_EV(ev.end = ev.start - 1);
	BAD_EV(ev.sequence = -1);
	BAD_EV(ev.sequence = 1LL << 40);
	BAD_EV(ev.status = (enum hical_status)7);
	BAD_EV(ev.start = (time_t)1 << 40);
	BAD_CAL(cal.method = "REFRESH");
	BAD_CAL(cal.method = "request");
	BAD_CAL(cal.refresh = "hourly");
	BAD_CAL(cal.refresh = "-PT1H");
	BAD_CAL(cal.refresh = "PT0S");
	BAD_CAL(cal.tzid = "Mars/Olympus");
	BAD_CAL(cal.name = "a\r\nMETHOD:CANCEL");
	BAD_CAL(cal.window_from = T2027; cal.window_to = T2026);
	assert_null(hical_build(NULL, &ev, 1, &len));
	assert_null(hical_build(&feed_cal, NULL, 1, &len));
	assert_null(hical_build(&feed_cal, &ev, 1, NULL));
#undef BAD_EV
#undef BAD_CAL
}

struct worker {
	const char *want;
	size_t wantlen;
	int bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct hical_event ev[2];
	char *s;
	size_t len, i;

	feed_events(ev, 2);
	ev[1].tzid = "Europe/Berlin";
	for (i = 0; i < 25; i++) {
		s = hical_build(&feed_cal, ev, 2, &len);
		if (s == NULL || len != w->wantlen ||
		    memcmp(s, w->want, len) != 0)
			w->bad++;
		free(s);
	}
	return NULL;
}

/* Four threads at once produce exactly the single-threaded text. */
static void
test_threads(void **state)
{
	struct hical_event ev[2];
	struct worker w[4];
	pthread_t th[4];
	char *want;
	size_t len, i;

	(void)state;
	feed_events(ev, 2);
	ev[1].tzid = "Europe/Berlin";
	want = hical_build(&feed_cal, ev, 2, &len);
	assert_non_null(want);
	for (i = 0; i < 4; i++) {
		w[i].want = want;
		w[i].wantlen = len;
		w[i].bad = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker_run,
		                     &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(w[i].bad, 0);
	}
	free(want);
}

/* --- hical_parse_days -------------------------------------------------------- */

static size_t
days_with(const struct hical_day *d, size_t n, const char *summary)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (strcmp(d[i].summary, summary) == 0)
			k++;
	return k;
}

static const char *
summary_on(const struct hical_day *d, size_t n, const char *date)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(d[i].date, date) == 0)
			return d[i].summary;
	fail_msg("%s missing", date);
	return NULL;
}

static void
test_parse_holidays(void **state)
{
	static const char *spring[] = {"2025-01-28", "2025-01-29", "2025-01-30",
	    "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
	    "2025-02-04"};
	struct hical_day *d;
	char err[160], *text;
	size_t n, len, i, k;

	(void)state;
	text = slurp(FIXTURE, &len);
	if (!hical_parse_days(text, len, 366, &d, &n, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(n, 33);
	assert_int_equal(days_with(d, n, "元旦 休"), 1);
	assert_int_equal(days_with(d, n, "春节 休"), 8);
	assert_int_equal(days_with(d, n, "春节 班"), 2);
	assert_int_equal(days_with(d, n, "清明节 休"), 3);
	assert_int_equal(days_with(d, n, "劳动节 休"), 5);
	assert_int_equal(days_with(d, n, "劳动节 班"), 1);
	assert_int_equal(days_with(d, n, "端午节 休"), 3);
	assert_int_equal(days_with(d, n, "国庆节、中秋节 休"), 8);
	assert_int_equal(days_with(d, n, "国庆节、中秋节 班"), 2);
	for (i = k = 0; i < n; i++)
		if (strcmp(d[i].summary, "春节 休") == 0)
			assert_string_equal(d[i].date, spring[k++]);
	assert_string_equal(summary_on(d, n, "2025-01-01"), "元旦 休");
	assert_string_equal(summary_on(d, n, "2025-01-26"), "春节 班");
	assert_string_equal(summary_on(d, n, "2025-02-08"), "春节 班");
	assert_string_equal(summary_on(d, n, "2025-04-06"), "清明节 休");
	assert_string_equal(summary_on(d, n, "2025-04-27"), "劳动节 班");
	assert_string_equal(summary_on(d, n, "2025-05-05"), "劳动节 休");
	assert_string_equal(summary_on(d, n, "2025-06-02"), "端午节 休");
	assert_string_equal(summary_on(d, n, "2025-09-28"),
	    "国庆节、中秋节 班");
	assert_string_equal(summary_on(d, n, "2025-10-08"),
	    "国庆节、中秋节 休");
	assert_string_equal(summary_on(d, n, "2025-10-11"),
	    "国庆节、中秋节 班");
	for (i = 0; i < n; i++)
		assert_true(strcmp(d[i].date, "2025-01-27") != 0 &&
		    strcmp(d[i].date, "2025-02-05") != 0 &&
		    strcmp(d[i].date, "2025-10-09") != 0);
	hical_days_free(d, n);

	/* The whole file is refused when its dates exceed the cap. */
	assert_false(hical_parse_days(text, len, 32, &d, &n, err, sizeof(err)));
	assert_has(err, "将超过 32 个日期的上限");
	assert_null(d);
	assert_int_equal(n, 0);
	free(text);
}

/* What real exporters write, all of it legal. */
static void
test_parse_lenient(void **state)
{
	static const char ics[] =
	    "\xef\xbb\xbf"
	    "BEGIN:VCALENDAR\n"
	    "VERSION:2.0\n"
	    "PRODID:-//Google Inc//Google Calendar 70.9054//EN\n"
	    "X-WR-CALNAME:中国的节假日\n"
	    "BEGIN:VTIMEZONE\nTZID:Asia/Shanghai\nBEGIN:STANDARD\n"
	    "DTSTART:19700101T000000\nTZOFFSETFROM:+0800\nTZOFFSETTO:+0800\n"
	    "TZNAME:CST\nEND:STANDARD\nEND:VTIMEZONE\n"
	    "BEGIN:VEVENT\n"
	    "DTSTART:20250501\n" /* DATE without VALUE=DATE */
	    "DURATION:P2D\n"
	    "SUMMARY:劳动\xe8\n \x8a\x82\n" /* fold inside a character */
	    "LOCATION:\n"                   /* empty: legal TEXT */
	    "X-GOOGLE-THING:\n"
	    "STRUCTURED-DATA;VALUE=TEXT:x\n" /* an IANA name libical lacks */
	    "END:VEVENT\n"
	    "BEGIN:VEVENT\n"
	    "DTSTART;VALUE=DATE:20251231\n"
	    "DTEND;VALUE=DATE:20260102\n"
	    "SUMMARY:跨年\\, 元旦\n"
	    "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nDESCRIPTION:x\n"
	    "END:VALARM\n"
	    "END:VEVENT\n"
	    "BEGIN:VEVENT\n"
	    "DTSTART;VALUE=DATE:20250707\n" /* no DTEND: one day, no SUMMARY */
	    "END:VEVENT\n"
	    "BEGIN:VEVENT\n"
	    "STATUS:CANCELLED\n" /* skipped */
	    "DTSTART:20250808T090000Z\n"
	    "END:VEVENT\n"
	    "END:VCALENDAR\n\n";
	struct hical_day *d;
	char err[160];
	size_t n;

	(void)state;
	if (!hical_parse_days(ics, sizeof(ics) - 1, 100, &d, &n, err,
	        sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(n, 5);
	assert_string_equal(d[0].date, "2025-05-01");
	assert_string_equal(d[0].summary, "劳动节");
	assert_string_equal(d[1].date, "2025-05-02");
	assert_string_equal(d[2].date, "2025-12-31");
	assert_string_equal(d[2].summary, "跨年, 元旦");
	assert_string_equal(d[3].date, "2026-01-01");
	assert_string_equal(d[4].date, "2025-07-07");
	assert_string_equal(d[4].summary, "");
	hical_days_free(d, n);
}

static char *
event_ics(const char *body)
{
	const char *head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	                   "PRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@y\r\n"
	                   "DTSTAMP:20250101T000000Z\r\n";
	const char *tail = "END:VEVENT\r\nEND:VCALENDAR\r\n";
	char *s = malloc(strlen(head) + strlen(body) + strlen(tail) + 1);

	assert_non_null(s);
	strcpy(s, head);
	strcat(s, body);
	strcat(s, tail);
	return s;
}

static void
expect_error(const char *text, size_t len, size_t max_days, const char *want)
{
	struct hical_day *d = (struct hical_day *)1;
	char err[200];
	size_t n = 99;

	memset(err, 'x', sizeof(err));
	if (hical_parse_days(text, len, max_days, &d, &n, err, sizeof(err)))
		fail_msg("accepted; wanted \"%s\"", want);
	assert_null(d);
	assert_int_equal(n, 0);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\", wanted \"%s\"", err, want);
}

static void
expect_event_error(const char *body, const char *want)
{
	char *s = event_ics(body);

	expect_error(s, strlen(s), 3660, want);
	free(s);
}

#define EXPECT(lit, max, want) expect_error(lit, sizeof(lit) - 1, max, want)

static void
test_parse_errors(void **state)
{
	char *big, err[8];
	struct hical_day *d;
	size_t n;

	(void)state;
	expect_error("", 0, 10, "文件是空的");
	expect_error(NULL, 5, 10, "文件是空的");
	EXPECT("hello, world\n", 10, "不是 iCalendar 日历文件");
	EXPECT("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", 10,
	    "不是 iCalendar 日历文件");
	EXPECT("\x89PNG\r\n\x1a\n", 10, "不是 iCalendar 日历文件");
	EXPECT("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", 10,
	    "没有事件（VEVENT）");
	EXPECT("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", 10,
	    "第 2 行：缺少 END:VEVENT");
	EXPECT("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\n"
	       "END:VCALENDAR\r\n",
	    10, "第 3 行：END:VTODO 与 BEGIN:VEVENT 不对应");
	EXPECT("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nX:1\r\n", 10,
	    "第 3 行：END:VCALENDAR 之后还有内容");
	EXPECT("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:\xff\r\n"
	       "END:VCALENDAR\r\n",
	    10, "第 3 行：不是有效的 UTF-8 文本");
	EXPECT("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX:a\0b\r\n"
	       "END:VCALENDAR\r\n",
	    10, "第 3 行：含有 NUL 字节");
	EXPECT("BEGIN:VCALENDAR\r\nVERSION:2.0\rX:1\r\n"
	       "END:VCALENDAR\r\n",
	    10, "第 2 行：有单独的 CR");
	EXPECT("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nno colon here\r\n"
	       "END:VCALENDAR\r\n",
	    10, "第 3 行：不是日历的内容行");
	EXPECT("BEGIN:VCALENDAR\r\nX;P=\"open:1\r\nEND:VCALENDAR\r\n", 10,
	    "第 2 行：不是日历的内容行");
	EXPECT("BEGIN:VCALENDAR\r\nBEGIN:A\r\nBEGIN:B\r\nBEGIN:C\r\n"
	       "BEGIN:D\r\nBEGIN:E\r\nBEGIN:F\r\nBEGIN:G\r\nBEGIN:H\r\n",
	    10, "第 9 行：组件嵌套过深");

	expect_event_error("SUMMARY:x\r\n",
	    "第 4 行，第 1 个事件：缺少 DTSTART");
	expect_event_error("DTSTART;VALUE=DATE:20250105\r\n"
	                   "DTEND;VALUE=DATE:20250101\r\n",
	    "第 1 个事件：DTEND 不晚于 DTSTART");
	expect_event_error("DTSTART;VALUE=DATE:20250105\r\n"
	                   "DTEND;VALUE=DATE:20250105\r\n",
	    "DTEND 不晚于 DTSTART");
	expect_event_error(
	    "DTSTART;VALUE=DATE:19000101\r\nDURATION:P100000D\r\n",
	    "100000 天将超过 3660 个日期的上限");
	expect_event_error("DTSTART;VALUE=DATE:19000101\r\n"
	                   "DTEND;VALUE=DATE:22001231\r\n",
	    "个日期的上限");
	expect_event_error("DTSTART:20250101T090000Z\r\n",
	    "第 1 个事件：DTSTART 不是日期");
	expect_event_error("DTSTART;TZID=Asia/Shanghai:20250101T000000\r\n",
	    "DTSTART 不是日期");
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\n"
	                   "DTEND:20250102T000000Z\r\n",
	    "DTEND 不是日期");
	expect_event_error("DTSTART;VALUE=DATE:20250230\r\n",
	    "DTSTART 不是 1900 至 2200 年间的有效日期");
	expect_event_error("DTSTART;VALUE=DATE:23000101\r\n",
	    "DTSTART 不是 1900 至 2200 年间的有效日期");
	expect_event_error("DTSTART;VALUE=DATE:18991231\r\n",
	    "DTSTART 不是 1900 至 2200 年间的有效日期");
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\nDURATION:PT1H\r\n",
	    "DURATION 不是整天数");
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\nDURATION:-P1D\r\n",
	    "DURATION 不是整天数");
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\nDURATION:P1D\r\n"
	                   "DTEND;VALUE=DATE:20250102\r\n",
	    "同时有 DTEND 和 DURATION");
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\n"
	                   "DTSTART;VALUE=DATE:20250102\r\n",
	    "有多个 DTSTART");
	expect_event_error(
	    "DTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=YEARLY\r\n",
	    "不支持重复事件");
	/* libical's X-LIC-ERROR note is reported, not swallowed. */
	expect_event_error("DTSTART;VALUE=DATE:20250101\r\nDTEND:2025XX01\r\n",
	    "第 4 行，第 1 个事件：libical 无法解析：Can't parse as "
	    "DATE-TIME value in DTEND property: 2025XX01");
	expect_event_error("DTSTART;VALUE=DATE:2025AB01\r\n",
	    "第 1 个事件：libical 无法解析：Can't parse as DATE value "
	    "in DTSTART property: 2025AB01");
	/* Too many properties in one component (libical's cost guard). */
	big = malloc(300 * 8 + 1);
	assert_non_null(big);
	big[0] = '\0';
	for (n = 0; n < 300; n++)
		strcat(big, "X-A:1\r\n");
	expect_event_error(big, "第 261 行：一个组件的属性超过 256 个");
	free(big);

	/* More than 1 MiB is refused before any parsing. */
	big = malloc(1024 * 1024 + 2);
	assert_non_null(big);
	memset(big, 'X', 1024 * 1024 + 1);
	memcpy(big, "BEGIN:VCALENDAR\r\nX-A:", 21);
	expect_error(big, 1024 * 1024 + 1, 10, "文件大于");
	free(big);

	/* A tiny err buffer is still terminated; NULL err is fine. */
	memset(err, 'x', sizeof(err));
	assert_false(hical_parse_days("x", 1, 1, &d, &n, err, sizeof(err)));
	assert_int_equal(err[sizeof(err) - 1], '\0');
	assert_false(hical_parse_days("x", 1, 1, &d, &n, NULL, 0));
	assert_false(hical_parse_days("x", 1, 1, NULL, &n, NULL, 0));
	hical_days_free(NULL, 0);
}

/*
 * libical removes each property it cannot read with a walk of the
 * component's list: a 1 MiB file of such lines used to take 313 s. Empty
 * values are dropped before libical and components are capped at 256
 * properties; both kinds of file must now be refused or read quickly.
 */
static void
test_parse_cost(void **state)
{
	static const char *lines[] = {"X:", "GEO:x", "DTEND:xx"};
	struct timespec t0, t1;
	struct hical_day *d;
	char *b, err[200];
	size_t sz = 1024 * 1024, o, k, n, i;
	double secs, limit = 10;
	const char *scale = getenv("HEARTH_TEST_TIME_SCALE");

	(void)state;
	/* make valgrind runs this some 30 times slower: it scales the bound. */
	if (scale != NULL && atof(scale) > 1)
		limit *= atof(scale);
	b = malloc(sz + 64);
	assert_non_null(b);
	for (k = 0; k < 3; k++) {
		o = (size_t)sprintf(b, "BEGIN:VCALENDAR\r\n");
		while (o < sz - 200) {
			o += (size_t)sprintf(b + o,
			    "BEGIN:VEVENT\r\n"
			    "DTSTART;VALUE=DATE:20250101\r\n");
			for (i = 0; i < 250 && o < sz - 200; i++)
				o += (size_t)sprintf(b + o, "%s\r\n", lines[k]);
			o += (size_t)sprintf(b + o, "END:VEVENT\r\n");
		}
		o += (size_t)sprintf(b + o, "END:VCALENDAR\r\n");
		assert_true(o <= sz);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (hical_parse_days(b, o, 100000, &d, &n, err, sizeof(err)))
			hical_days_free(d, n);
		else
			assert_int_not_equal(k, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (secs > limit) {
			free(b);
			fail_msg("%s: %.1f s", lines[k], secs);
		}
	}
	free(b);
}

static int
setup(void **state)
{
	/* 25 × 12 characters of 3 bytes: no escaping, folds everywhere. */
	static const char phrase[] = "心理疏导情绪支持来访群众";
	size_t i;

	(void)state;
	long_desc[0] = '\0';
	for (i = 0; i < 25; i++)
		strcat(long_desc, phrase);
	return strlen(long_desc) == 900 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_feed),
	    cmocka_unit_test(test_invitation),
	    cmocka_unit_test(test_zones),
	    cmocka_unit_test(test_empty_feed),
	    cmocka_unit_test(test_fold_edges),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_build_invalid),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_parse_holidays),
	    cmocka_unit_test(test_parse_lenient),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_cost),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
