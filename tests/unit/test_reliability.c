/*
 * Unit tests of issue 17's pure functions: the password rule, the
 * activity CSV row mapping and station index, survey checks, query
 * values, and the HTTP layer's parsers (http/parse.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "http/http.h"

static void
test_password_rule(void **state)
{
	static const char list[] = "#!comment: a list\n123456\npassword\n"
	                           "qwertyuiop\nWoAiNi1314\n";
	const char *texts[] = {list};
	size_t sizes[] = {sizeof(list) - 1};
	struct pwlist *l = pwlist_new(texts, sizes, 1);

	(void)state;
	assert_non_null(l);
	assert_int_equal(pwlist_size(l), 4);
	assert_true(pwlist_has(l, "woaini1314"));
	assert_int_equal(password_check("short", NULL, l), PW_TOO_SHORT);
	assert_int_equal(password_check("aaaaaaaaaa", NULL, l), PW_REPEATED);
	assert_int_equal(password_check("1212121212", NULL, l), PW_REPEATED);
	assert_int_equal(password_check("abcdefghij", NULL, l), PW_SEQUENCE);
	assert_int_equal(password_check("9876543210", NULL, l), PW_SEQUENCE);
	assert_int_equal(password_check("QwertyUiop", NULL, l), PW_COMMON);
	assert_int_equal(password_check("password2024!", NULL, l), PW_COMMON);
	assert_int_equal(password_check("zhang_wei2024", "Zhang_Wei", l),
	    PW_SAME_AS_USER);
	assert_int_equal(password_check("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7"
	                                "\xf6",
	                     NULL, l),
	    PW_NOT_UTF8);
	/* Ten characters, not ten bytes: 心访工作室的密码很长 is fine. */
	assert_int_equal(password_check("心访工作室的密码很长", NULL, l),
	    PW_OK);
	assert_int_equal(password_check("心访工作室的密码", NULL, l),
	    PW_TOO_SHORT);
	assert_int_equal(password_check("correct horse battery staple", "admin",
	                     l),
	    PW_OK);
	assert_string_not_equal(password_problem_zh(PW_COMMON), "");
	pwlist_free(l);
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

static void
test_survey_checks(void **state)
{
	json_t *q = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}",
	    "id", "topic", "type", "choice", "text", "主题", "options", "id",
	    "a", "text", "甲", "id", "b", "text", "乙");
	json_t *bad = json_pack("{s:s, s:s, s:s, s:b}", "id", "q", "type",
	    "text", "text", "t", "satisfaction", 1);
	json_t *v = json_string("b"), *n5 = json_integer(6);
	struct survey_value out;
	struct herror err;

	(void)state;
	assert_int_equal(survey_question_check(q, 0, &err), 1);
	assert_int_equal(survey_question_check(bad, 1, &err), 0);
	assert_string_equal(err.field, "questions[1]");
	assert_int_equal(survey_answer_check("topic", "choice",
	                     "[{\"id\":\"a\"},{\"id\":\"b\"}]", 1, v, &out,
	                     &err),
	    1);
	assert_string_equal(out.text, "b");
	assert_int_equal(survey_answer_check("o", "likert5", NULL, 1, n5, &out,
	                     &err),
	    -1);
	assert_int_equal(survey_answer_check("o", "likert5", NULL, 0, NULL,
	                     &out, &err),
	    0);
	json_decref(q);
	json_decref(bad);
	json_decref(v);
	json_decref(n5);
}

static void
test_query_values(void **state)
{
	static const char *const ch[] = {"lecture", "salon", NULL};
	struct herror err;
	long long n;
	int64_t a, b;
	int ha, hb, v;

	(void)state;
	assert_int_equal(valid_query_int("500", 1, 500, &n), 1);
	assert_int_equal(valid_query_int("501", 1, 500, &n), 0);
	assert_int_equal(valid_query_int("-1", 0, 5, &n), 0);
	assert_int_equal(valid_query_bool("all", &v), 1);
	assert_int_equal(v, -1);
	assert_int_equal(valid_query_bool("yes", &v), 0);
	assert_ptr_equal(valid_query_choice("salon", ch), ch[1]);
	assert_null(valid_query_choice("Salon", ch));
	assert_int_equal(valid_query_day_range("2027-03-07", "2027-03-01", &a,
	                     &ha, &b, &hb, &err),
	    0);
	assert_string_equal(err.field, "to");
	assert_int_equal(valid_query_day_range(NULL, "2027-03-01", &a, &ha, &b,
	                     &hb, &err),
	    1);
	assert_false(ha);
	assert_true(hb);
}

static void
test_http_parsers(void **state)
{
	char p1[] = "/app.js%00.html", p2[] = "/a%2Fb%41";
	int cookie;

	(void)state;
	http_unescape(p1);
	assert_string_equal(p1, "/app.js%00.html");
	http_unescape(p2);
	assert_string_equal(p2, "/a/bA");
	assert_true(http_static_path_allowed("/views/app.js"));
	assert_false(http_static_path_allowed("/../etc/passwd"));
	assert_false(http_static_path_allowed("/.env"));
	assert_false(http_static_path_allowed("//x"));
	assert_string_equal(http_session_token("Bearer  abc", "c", &cookie),
	    "abc");
	assert_false(cookie);
	assert_string_equal(http_session_token("Basic x", "c", &cookie), "c");
	assert_true(cookie);
	assert_null(http_session_token("Bearer ", NULL, &cookie));
	assert_true(http_same_origin("http://127.0.0.1:8080",
	    "http://127.0.0.1:8080"));
	assert_true(http_same_origin("HTTPS://Hearth.Example.org",
	    "https://hearth.example.org:443/"));
	assert_false(http_same_origin("http://hearth.example.org",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("https://hearth.example.org:8443",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("https://hearth.example.org.evil",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("null", "http://127.0.0.1:8080"));
	assert_true(http_same_origin("http://[::1]:8080", "http://[::1]:8080"));
	assert_true(http_gzip_accepted("br, gzip;q=0.5"));
	assert_false(http_gzip_accepted("gzip;q=0"));
	assert_false(http_gzip_accepted("gzip;q=0.000"));
	assert_false(http_gzip_accepted("xgzip"));
	assert_true(http_not_modified("W/\"a\", \"b\"", NULL, "\"b\"", 0));
	assert_false(http_not_modified("\"a\"", "Sun, 06 Nov 1994 08:49:37 GMT",
	    "\"b\"", 1));
	assert_true(http_not_modified(NULL, "Sun, 06 Nov 1994 08:49:37 GMT",
	    "\"b\"", 784111777));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password_rule),
	    cmocka_unit_test(test_import_rows),
	    cmocka_unit_test(test_station_index),
	    cmocka_unit_test(test_survey_checks),
	    cmocka_unit_test(test_query_values),
	    cmocka_unit_test(test_http_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
