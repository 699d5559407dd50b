/*
 * Unit tests of the forgiving import (issue 13, core/import.c): GB18030
 * files converted and UTF-8 never re-read, dates with slashes and
 * single digits and an optional time, clock times, the status column,
 * an empty station, and rows matched to the events already there.
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
test_utf8_kept(void **state)
{
	static const char u[] = "\xEF\xBB\xBF"
	                        "date,station\n2024-03-07,园岭街道\n";
	char *out = (char *)1;
	size_t n = 7;

	(void)state;
	assert_int_equal(import_to_utf8(u, sizeof(u) - 1, &out, &n), 1);
	assert_null(out);
	assert_int_equal(n, 0);
	/* Plain ASCII is UTF-8 too. */
	assert_int_equal(import_to_utf8("a,b\n", 4, &out, &n), 1);
	assert_null(out);
	/* Empty. */
	assert_int_equal(import_to_utf8("", 0, &out, &n), 1);
}

static void
test_gb18030_converted(void **state)
{
	/* "园岭街道,讲座" in GB18030 (GBK): D4B0 C1EB BDD6 B5C0 , BDB2 D7F9 */
	static const char g[] = "\xD4\xB0\xC1\xEB\xBD\xD6\xB5\xC0,"
	                        "\xBD\xB2\xD7\xF9\n";
	char *out = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(import_to_utf8(g, sizeof(g) - 1, &out, &n), 2);
	assert_non_null(out);
	assert_string_equal(out, "园岭街道,讲座\n");
	assert_int_equal(n, strlen("园岭街道,讲座\n"));
	free(out);
	/* A four-byte GB18030 sequence: 95 32 82 36 is U+20000. */
	assert_int_equal(import_to_utf8("\x95\x32\x82\x36", 4, &out, &n), 2);
	assert_string_equal(out, "\xF0\xA0\x80\x80");
	free(out);
}

static void
test_neither(void **state)
{
	char *out = NULL;
	size_t n = 0;

	(void)state;
	/* A lone lead byte at the end is not GB18030. */
	assert_int_equal(import_to_utf8("ab\x81", 3, &out, &n), 0);
	assert_null(out);
	/* 0xFF is never a GB18030 lead byte. */
	assert_int_equal(import_to_utf8("\xFF\xFF", 2, &out, &n), 0);
	/* A UTF-8 BOM then bytes that are not UTF-8: refused, not re-read. */
	assert_int_equal(import_to_utf8("\xEF\xBB\xBF\xC1\xEB", 5, &out, &n),
	    0);
	assert_null(out);
}

static void
test_dates(void **state)
{
	int64_t d;
	int m;

	(void)state;
	assert_int_equal(import_parse_when("2024-03-07", &d, &m), 1);
	assert_int_equal(d, time_days_from_civil(2024, 3, 7));
	assert_int_equal(m, -1);
	assert_int_equal(import_parse_when("2024/3/7", &d, &m), 1);
	assert_int_equal(d, time_days_from_civil(2024, 3, 7));
	assert_int_equal(import_parse_when("2024-3-7", &d, &m), 1);
	assert_int_equal(import_parse_when("2024/03/07", &d, &m), 1);
	assert_int_equal(import_parse_when("2024/3/7 9:30", &d, &m), 2);
	assert_int_equal(m, 9 * 60 + 30);
	assert_int_equal(d, time_days_from_civil(2024, 3, 7));
	assert_int_equal(import_parse_when("2024-12-31 14:05:00", &d, &m), 2);
	assert_int_equal(m, 14 * 60 + 5);
	assert_int_equal(import_parse_when("2024-02-29", &d, &m), 1);
	/* Not dates. */
	assert_int_equal(import_parse_when("2023-02-29", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/3-7", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/13/1", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/1/32", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/1/", &d, &m), 0);
	assert_int_equal(import_parse_when("24/1/1", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/001/1", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/1/1 24:00", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/1/1 9:3", &d, &m), 0);
	assert_int_equal(import_parse_when("2024/1/1 x", &d, &m), 0);
	assert_int_equal(import_parse_when("", &d, &m), 0);
	assert_int_equal(m, -1);
}

static void
test_clock(void **state)
{
	(void)state;
	assert_int_equal(import_parse_clock("9:30"), 570);
	assert_int_equal(import_parse_clock("09:30"), 570);
	assert_int_equal(import_parse_clock("23:59:59"), 1439);
	assert_int_equal(import_parse_clock("0:00"), 0);
	assert_int_equal(import_parse_clock("24:00"), -1);
	assert_int_equal(import_parse_clock("9:60"), -1);
	assert_int_equal(import_parse_clock("930"), -1);
	assert_int_equal(import_parse_clock("9:30 "), -1);
	assert_int_equal(import_parse_clock("123:00"), -1);
}

static size_t problems;

static void
count(void *ctx, size_t line, const char *field, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)field;
	(void)msg;
	problems++;
}

/* Reads one data row under a header; the return of import_row_read. */
static int
read_row(const char *text, struct activity_row *a)
{
	struct import_sink k = {count, NULL};
	struct import_header h;
	struct csv *c = csv_open(text, strlen(text));
	struct csv_row row;
	int rc = -2;

	assert_non_null(c);
	assert_int_equal(csv_next(c, &row), 1);
	if (import_header_read(&row, &h, &k) && csv_next(c, &row) == 1)
		rc = import_row_read(&row, &h, a, &k);
	csv_close(c);
	return rc;
}

static void
test_rows(void **state)
{
	struct activity_row a;

	(void)state;
	problems = 0;
	/* A slashed date with a time: the start, two hours long. */
	assert_int_equal(
	    read_row("date,station,title,category,audience\n"
	             "2024/3/7 9:00,园岭街道,讲座一,讲座,社区居民\n",
	        &a),
	    1);
	assert_int_equal(a.day, time_days_from_civil(2024, 3, 7));
	assert_int_equal(a.start_min, 540);
	assert_int_equal(a.end_min, 660);
	assert_int_equal(a.status, EVENT_STATUS_ANY);
	activity_row_free(&a);
	/* An empty station (district-wide) and a status word. */
	assert_int_equal(
	    read_row(
	        "date,station,title,category,audience,"
	        "start_time,end_time,venue,public,status\n"
	        "2024-3-7,,全区培训,培训,信访工作者,9:00,11:30,,0,已取消\n",
	        &a),
	    1);
	assert_string_equal(a.station, "");
	assert_int_equal(a.start_min, 540);
	assert_int_equal(a.end_min, 690);
	assert_int_equal(a.status, EVENT_CANCELLED);
	activity_row_free(&a);
	assert_int_equal(problems, 0);
	/* An unknown status. */
	assert_int_equal(
	    read_row("date,station,title,category,audience,"
	             "status\n2024-03-07,园岭街道,x,讲座,社区居民,办完了\n",
	        &a),
	    0);
	assert_int_equal(problems, 1);
	/* The API's codes are words too. */
	assert_int_equal(
	    read_row("date,station,title,category,audience,"
	             "status\n2024-03-07,园岭街道,x,讲座,社区居民,held\n",
	        &a),
	    1);
	assert_int_equal(a.status, EVENT_HELD);
	activity_row_free(&a);
}

static void
test_write_status(void **state)
{
	struct strbuf b = {0};
	struct activity_row a;
	char *s;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.day = time_days_from_civil(2024, 3, 7);
	a.start_min = 540;
	a.end_min = 600;
	a.station = (char *)"";
	a.title = (char *)"全区培训";
	a.kind = "training";
	a.audience = "staff";
	a.status = EVENT_CANCELLED;
	activity_csv_header_status(&b);
	activity_row_write(&b, &a);
	s = strbuf_take(&b, NULL);
	assert_non_null(s);
	assert_string_equal(s,
	    "\xEF\xBB\xBF"
	    "date,station,title,category,"
	    "audience,start_time,end_time,venue,public,status\r\n"
	    "2024-03-07,,全区培训,培训,信访工作者,09:00,10:00,,0,已取消\r\n");
	free(s);
	assert_null(event_status_zh(EVENT_STATUS_ANY));
	assert_string_equal(event_status_zh(EVENT_HELD), "已举办");
}

static void
test_match_present(void **state)
{
	struct event_key have[] = {
	    {100, 2, "讲座一", 7},
	    {100, 0, "全区培训", 8},
	    {101, 2, "讲座一", 9},
	    {100, 3, "讲座一", 10},
	};
	const struct event_key rows[] = {
	    {100, 2, "讲座一", 0},   /* 7 */
	    {100, 2, "讲座二", 0},   /* other title */
	    {102, 2, "讲座一", 0},   /* other day */
	    {100, 0, "全区培训", 0}, /* 8, district-wide */
	    {100, -1, "讲座一", 0},  /* a new station */
	    {101, 2, "讲座一", 0},   /* 9 */
	};
	int64_t found[6];

	(void)state;
	assert_int_equal(import_match_present(have, 4, rows, 6, found), 3);
	assert_int_equal(found[0], 7);
	assert_int_equal(found[1], 0);
	assert_int_equal(found[2], 0);
	assert_int_equal(found[3], 8);
	assert_int_equal(found[4], 0);
	assert_int_equal(found[5], 9);
	assert_int_equal(import_match_present(have, 0, rows, 6, found), 0);
	assert_int_equal(found[0], 0);
}

static void
sink(void *ctx, size_t line, const char *field, const char *msg)
{
	(void)line;
	(void)msg;
	strcat(ctx, field);
	strcat(ctx, ";");
}

static void
test_import_rows(void **state)
{
	static const char
	    text[] = "date,station,title,category,audience,"
	             "start_time,end_time,public\n"
	             "2027-03-01,YL,讲座,讲座,社区居民,09:00,10:30,是\n"
	             "2027-02-30,YL,,讲课,大家,25:00,09:00,maybe\n"
	             "1969-12-31,YL,旧,讲座,社区居民,,,\n";
	char seen[256] = "";
	struct import_sink k = {sink, seen};
	struct import_header h;
	struct activity_row a;
	struct csv_row row;
	struct csv *c = csv_open(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(csv_next(c, &row), 1);
	assert_int_equal(import_header_read(&row, &h, &k), 1);
	assert_int_equal(csv_next(c, &row), 1);
	assert_int_equal(import_row_read(&row, &h, &a, &k), 1);
	assert_string_equal(a.kind, "lecture");
	assert_string_equal(a.audience, "residents");
	assert_int_equal(a.start_min, 540);
	assert_int_equal(a.end_min, 630);
	assert_int_equal(a.public_, 1);
	activity_row_free(&a);
	assert_int_equal(csv_next(c, &row), 1);
	assert_int_equal(import_row_read(&row, &h, &a, &k), 0);
	assert_string_equal(seen,
	    "date;title;category;audience;start_time;public;");
	seen[0] = '\0';
	assert_int_equal(csv_next(c, &row), 1);
	assert_int_equal(import_row_read(&row, &h, &a, &k), 0);
	assert_string_equal(seen, "date;");
	csv_close(c);
}

static void
test_station_index(void **state)
{
	static const struct station_ref refs[] = {
	    {1, "HALL", "区信访局人民来访接待大厅", 1},
	    {2, "YL", "园岭街道", 0},
	    {3, "YL2", "园岭街道", 1},
	    {4, "imp9", "福田街道", 1},
	    {5, "IMP10", "福田街道南", 1},
	};
	struct station_index *x = station_index_new(refs, 5);

	(void)state;
	assert_non_null(x);
	assert_int_equal(station_index_find(x, "hall"), 1);
	assert_int_equal(station_index_find(x, "区信访局"), 1);
	/* The active one of two with the same name. */
	assert_int_equal(station_index_find(x, "园岭街道"), 3);
	/* Two names start so: ambiguous. */
	assert_int_equal(station_index_find(x, "福田"), 0);
	assert_int_equal(station_index_find(x, "福田街道"), 4);
	assert_int_equal(station_index_find(x, "nowhere"), 0);
	assert_int_equal(station_index_max_imp(x), 10);
	station_index_free(x);
	x = station_index_new(NULL, 0);
	assert_int_equal(station_index_find(x, "x"), 0);
	station_index_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_kept),
	    cmocka_unit_test(test_gb18030_converted),
	    cmocka_unit_test(test_neither),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_clock),
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_write_status),
	    cmocka_unit_test(test_match_present),
	    cmocka_unit_test(test_import_rows),
	    cmocka_unit_test(test_station_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
