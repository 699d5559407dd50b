/*
 * The rules of duty logs (svc/core/duty.c): metric codes, the counts a
 * log may carry, who may write a log and when, minutes as hours, and
 * the day and month a shift belongs to. Zones are the build machine's
 * tzdata files, as in test_time.
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

static struct tz *shanghai, *new_york;

static int
setup(void **state)
{
	(void)state;
	shanghai = unit_load_zone("Asia/Shanghai");
	new_york = unit_load_zone("America/New_York");
	return shanghai && new_york ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tz_free(shanghai);
	tz_free(new_york);
	return 0;
}

static time_t
at(const char *rfc3339)
{
	time_t t;

	assert_true(time_parse_rfc3339(rfc3339, &t));
	return t;
}

/* --- codes ---------------------------------------------------------------- */

static void
test_code(void **state)
{
	(void)state;
	assert_true(duty_code_valid("a"));
	assert_true(duty_code_valid("visitors"));
	assert_true(duty_code_valid("scale_sas"));
	assert_true(duty_code_valid("counselling_minutes"));
	assert_true(duty_code_valid("a0_9"));
	/* 32 characters is the most */
	assert_true(duty_code_valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(duty_code_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(duty_code_valid(""));
	assert_false(duty_code_valid(NULL));
	assert_false(duty_code_valid("Visitors"));
	assert_false(duty_code_valid("visiTors"));
	assert_false(duty_code_valid("1st"));
	assert_false(duty_code_valid("_x"));
	assert_false(duty_code_valid("a-b"));
	assert_false(duty_code_valid("a b"));
	assert_false(duty_code_valid("a.b"));
	assert_false(duty_code_valid("接待"));
	assert_false(duty_code_valid("a\xc3\xa9"));
}

/* --- values ------------------------------------------------------------- */

static const char *const active[] = {"batches", "visitors",
    "counselling_minutes"};

/* Runs duty_values_check on JSON text; returns its result. */
static int
check(const char *text, int attended, struct duty_value *out, size_t max,
    size_t *n, struct herror *err)
{
	json_error_t je;
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &je) : NULL;
	int rc;

	if (text != NULL)
		assert_non_null(v);
	memset(err, 0, sizeof(*err));
	rc = duty_values_check(v, attended, active, 3, out, max, n, err);
	json_decref(v);
	return rc;
}

static void
expect_bad(const char *text, int attended, const char *field)
{
	struct duty_value out[8];
	struct herror err;
	size_t n = 99;

	assert_false(check(text, attended, out, 8, &n, &err));
	assert_int_equal(err.code, HERR_VALIDATION_FAILED);
	assert_string_equal(err.field, field);
	assert_true(strlen(err.message) > 0);
}

static void
test_values_ok(void **state)
{
	struct duty_value out[8];
	struct herror err;
	size_t n;

	(void)state;
	assert_true(check("{\"visitors\": 12, \"counselling_minutes\": 95}", 1,
	    out, 8, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(out[0].code, "visitors");
	assert_int_equal(out[0].value, 12);
	assert_string_equal(out[1].code, "counselling_minutes");
	assert_int_equal(out[1].value, 95);
	/* zero and the largest count */
	assert_true(check("{\"batches\": 0, \"visitors\": 100000}", 1, out, 8,
	    &n, &err));
	assert_int_equal(n, 2);
	assert_int_equal(out[1].value, DUTY_VALUE_MAX);
	/* none at all: absent, null or {} */
	assert_true(check(NULL, 1, out, 8, &n, &err));
	assert_int_equal(n, 0);
	assert_true(check("null", 1, out, 8, &n, &err));
	assert_int_equal(n, 0);
	assert_true(check("{}", 1, out, 8, &n, &err));
	assert_int_equal(n, 0);
	/* an absent counsellor's log: nothing counted is fine */
	assert_true(check("{}", 0, out, 8, &n, &err));
	assert_true(check(NULL, 0, out, 8, &n, &err));
	assert_int_equal(n, 0);
}

static void
test_values_bad(void **state)
{
	struct duty_value out[1];
	struct herror err;
	size_t n;

	(void)state;
	expect_bad("{\"visitors\": -1}", 1, "values.visitors");
	expect_bad("{\"visitors\": 1.5}", 1, "values.visitors");
	expect_bad("{\"visitors\": 2.0}", 1, "values.visitors");
	expect_bad("{\"visitors\": \"12\"}", 1, "values.visitors");
	expect_bad("{\"visitors\": true}", 1, "values.visitors");
	expect_bad("{\"visitors\": null}", 1, "values.visitors");
	expect_bad("{\"visitors\": 100001}", 1, "values.visitors");
	expect_bad("{\"visitors\": 9223372036854775807}", 1, "values.visitors");
	/* unknown or inactive codes name their field */
	expect_bad("{\"petitioners\": 3}", 1, "values.petitioners");
	expect_bad("{\"scale_sas\": 3}", 1, "values.scale_sas");
	/* a key that is no code at all is not echoed */
	expect_bad("{\"Visitors\": 3}", 1, "values");
	expect_bad("{\"姓名\": 3}", 1, "values");
	expect_bad("{\"\": 3}", 1, "values");
	/* not an object */
	expect_bad("[1, 2]", 1, "values");
	expect_bad("12", 1, "values");
	expect_bad("\"visitors\"", 1, "values");
	/* absent takes no values, not even a zero */
	expect_bad("{\"visitors\": 3}", 0, "values");
	expect_bad("{\"visitors\": 0}", 0, "values");
	/* more than the caller has room for */
	assert_false(check("{\"visitors\": 1, \"batches\": 1}", 1, out, 1, &n,
	    &err));
	assert_string_equal(err.field, "values");
}

/* --- hours ---------------------------------------------------------------- */

static void
expect_hours(int64_t minutes, const char *want)
{
	char buf[DUTY_HOURS_MAX];

	duty_hours_format(minutes, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
test_hours(void **state)
{
	(void)state;
	expect_hours(0, "0.00");
	expect_hours(1, "0.02"); /* 0.01666… rounds up */
	expect_hours(2, "0.03"); /* 0.0333… rounds down */
	expect_hours(3, "0.05");
	expect_hours(30, "0.50");
	expect_hours(59, "0.98");
	expect_hours(60, "1.00");
	expect_hours(61, "1.02");
	expect_hours(95, "1.58");
	expect_hours(120576, "2009.60"); /* Futian 2023: 心理疏导时数 */
	expect_hours(120577, "2009.62");
	expect_hours(6000000, "100000.00");
	expect_hours(-90, "-1.50");
}

/* --- who may write -------------------------------------------------------- */

static struct duty_write
base(void)
{
	struct duty_write w;

	memset(&w, 0, sizeof(w));
	w.writer_counsellor = 7;
	w.shift_counsellor = 7;
	w.start = 1000;
	w.now = 5000;
	w.end_day = 100;
	w.closed_through = DUTY_NOT_CLOSED;
	return w;
}

static void
test_may_write_counsellor(void **state)
{
	struct duty_write w;

	(void)state;
	w = base();
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	/* the shift has started: that moment is enough */
	w.now = w.start;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	w.now = w.start - 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_NOT_STARTED);
	/* someone else's shift, an open seat, a user with no counsellor */
	w = base();
	w.shift_counsellor = 8;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_FORBIDDEN);
	w.shift_counsellor = 0;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_FORBIDDEN);
	w = base();
	w.writer_counsellor = 0;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_FORBIDDEN);
	/* forbidden comes before what the shift is */
	w = base();
	w.shift_counsellor = 8;
	w.cancelled = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_FORBIDDEN);
	w = base();
	w.cancelled = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_CANCELLED);
	/* rewriting one's own log is fine until the close */
	w = base();
	w.has_log = w.log_by_counsellor = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	/* closed through the day it ended, not the day before */
	w.closed_through = 99;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	w.closed_through = 100;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_CLOSED);
	w.has_log = 0;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_CLOSED);
	/* a reason changes nothing for a counsellor */
	w.has_reason = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_CLOSED);
}

static void
test_may_write_coordinator(void **state)
{
	struct duty_write w;

	(void)state;
	w = base();
	w.coordinator = 1;
	w.writer_counsellor = 0;
	/* a first log for a counsellor who did not write one */
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	/* correcting what a counsellor wrote needs a reason */
	w.has_log = w.log_by_counsellor = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_NEED_REASON);
	w.has_reason = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	/* a coordinator's own earlier entry: no reason until the close */
	w.has_reason = 0;
	w.log_by_counsellor = 0;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	w.closed_through = 100;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_NEED_REASON);
	w.has_reason = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	/* still not a cancelled or a future shift, reason or not */
	w.cancelled = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_CANCELLED);
	w.cancelled = 0;
	w.now = w.start - 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_NOT_STARTED);
	/* an open seat has nobody's work to log, unless a log was kept
	 * from before the seat was emptied */
	w = base();
	w.coordinator = 1;
	w.shift_counsellor = 0;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OPEN_SEAT);
	w.has_log = 1;
	assert_int_equal(duty_may_write(&w), DUTY_WRITE_OK);
	assert_string_equal(duty_verdict_name(DUTY_WRITE_NEED_REASON),
	    "need_reason");
	assert_string_equal(duty_verdict_name(DUTY_WRITE__MAX), "?");
}

static void
test_may_read(void **state)
{
	(void)state;
	assert_true(duty_may_read(1, 0, 5, 0));
	assert_true(duty_may_read(0, 5, 5, 0));
	/* the counsellor who logged it, after a reassignment */
	assert_true(duty_may_read(0, 5, 6, 5));
	assert_false(duty_may_read(0, 6, 5, 5));
	assert_false(duty_may_read(0, 0, 0, 0));
	assert_false(duty_may_read(0, 6, 0, 0));
}

/* --- days and months ------------------------------------------------------- */

static void
test_close_date(void **state)
{
	int64_t day;

	(void)state;
	assert_true(duty_closed_parse("", &day));
	assert_true(day == DUTY_NOT_CLOSED);
	assert_false(duty_closed(0, day));
	assert_true(duty_closed_parse(NULL, &day));
	assert_true(day == DUTY_NOT_CLOSED);
	assert_true(duty_closed_parse("2023-03-31", &day));
	assert_int_equal(day, time_days_from_civil(2023, 3, 31));
	assert_true(duty_closed(day, day));
	assert_true(duty_closed(day - 1, day));
	assert_false(duty_closed(day + 1, day));
	assert_false(duty_closed_parse("2023-02-30", &day));
	assert_false(duty_closed_parse("31/03/2023", &day));
}

static void
test_end_day(void **state)
{
	int64_t d = time_days_from_civil(2023, 3, 31);

	(void)state;
	/* 17:30 Shanghai is 09:30 UTC: the same day */
	assert_int_equal(duty_end_day(at("2023-03-31T17:30:00+08:00"),
	                     shanghai),
	    d);
	/* a shift ending at midnight ended the day before */
	assert_int_equal(duty_end_day(at("2023-04-01T00:00:00+08:00"),
	                     shanghai),
	    d);
	assert_int_equal(duty_end_day(at("2023-04-01T00:00:01+08:00"),
	                     shanghai),
	    d + 1);
	/* 23:00 UTC on the 31st is already April 1st in Shanghai */
	assert_int_equal(duty_end_day(at("2023-03-31T23:00:00Z"), shanghai),
	    d + 1);
	assert_int_equal(duty_end_day(at("2023-03-31T23:00:00Z"), NULL), d);
}

static void
test_month(void **state)
{
	char m[8];

	(void)state;
	/* a shift belongs to the month it starts in, local time */
	duty_month_key(at("2023-01-31T23:59:59+08:00"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2023-01");
	duty_month_key(at("2023-02-01T00:00:00+08:00"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2023-02");
	/* the same instant is still January in UTC and in New York */
	duty_month_key(at("2023-01-31T16:30:00Z"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2023-02");
	duty_month_key(at("2023-01-31T16:30:00Z"), NULL, m, sizeof(m));
	assert_string_equal(m, "2023-01");
	duty_month_key(at("2023-02-01T04:30:00Z"), new_york, m, sizeof(m));
	assert_string_equal(m, "2023-01");
	duty_month_key(at("2023-12-31T20:00:00+08:00"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2023-12");
	duty_month_key(at("2023-12-31T16:00:00Z"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2024-01");
	/* a leap day */
	duty_month_key(at("2024-02-29T09:00:00+08:00"), shanghai, m, sizeof(m));
	assert_string_equal(m, "2024-02");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_code),
	    cmocka_unit_test(test_values_ok),
	    cmocka_unit_test(test_values_bad),
	    cmocka_unit_test(test_hours),
	    cmocka_unit_test(test_may_write_counsellor),
	    cmocka_unit_test(test_may_write_coordinator),
	    cmocka_unit_test(test_may_read),
	    cmocka_unit_test(test_close_date),
	    cmocka_unit_test(test_end_day),
	    cmocka_unit_test(test_month),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
