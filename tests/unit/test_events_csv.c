/*
 * service/events_csv.c on a real store: an import's result (problems
 * counted and the first listed with line, field and Chinese message;
 * a dry run writes nothing; new stations; rows already there skipped
 * with the event they match) and the export of what was imported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"
#include "../lib/unit_store.h"

static struct unit_db db;
static struct store *st;

static int
setup(void **state)
{
	(void)state;
	log_set_level(LOG_WARN);
	return (st = unit_db_open(&db, "events-csv", 0, unit_log_quiet)) ? 0
	                                                                 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	unit_db_close(&db);
	return 0;
}

static int
import(const char *text, int dry, int create, struct svc_import_result *res)
{
	struct svc_import_ask ask = {dry, create, 0}; /* no user: NULL */

	return svc_events_import(st, text, strlen(text), &ask, res);
}

/* The events of 2022 as the events CSV; the number of rows. */
static size_t
exported(char **text)
{
	struct event_filter f;
	size_t len, n = 0, i;

	memset(&f, 0, sizeof(f));
	f.status = EVENT_STATUS_ANY;
	f.from = 1640995200; /* 2022-01-01 */
	f.to = 1672531200;   /* 2023-01-01 */
	assert_int_equal(svc_events_csv(st, &f, text, &len), 1);
	assert_int_equal(strlen(*text), len);
	for (i = 0; i < len; i++)
		n += (*text)[i] == '\n';
	return n - 1;
}

static const char header[] = "date,station,title,category,audience\n";

static void
test_problems(void **state)
{
	struct svc_import_result res;
	char *file = malloc(sizeof(header) + 250 * 64), *p;
	size_t i;

	(void)state;
	/* an unknown station: its line, field and words; nothing written */
	assert_int_equal(import("date,station,title,category,audience\n"
	                        "2022-06-10,无此驻点,讲座甲,讲座,社区居民\n",
	                     0, 0, &res),
	    SVC_IMPORT_PROBLEMS);
	assert_int_equal(res.nproblems, 1);
	assert_int_equal(res.nlisted, 1);
	assert_int_equal(res.problems[0].line, 2);
	assert_string_equal(res.problems[0].field, "station");
	assert_string_equal(res.problems[0].message, "未知的驻点“无此驻点”");
	assert_int_equal(res.nevents, 0);
	svc_import_result_free(&res);
	/* 250 bad dates: all counted, the first 200 listed */
	assert_non_null(file);
	p = file + sprintf(file, "%s", header);
	for (i = 0; i < 250; i++)
		p += sprintf(p, "x%zu,,讲座%zu,讲座,社区居民\n", i, i);
	assert_int_equal(import(file, 0, 0, &res), SVC_IMPORT_PROBLEMS);
	assert_int_equal(res.nproblems, 250);
	assert_int_equal(res.nlisted, SVC_IMPORT_MAX_ERRORS);
	assert_int_equal(res.problems[199].line, 201);
	assert_string_equal(res.problems[199].field, "date");
	svc_import_result_free(&res);
	free(file);
	/* not text at all */
	assert_int_equal(import("\xff\xfe\x81", 0, 0, &res),
	    SVC_IMPORT_PROBLEMS);
	assert_string_equal(res.problems[0].field, "file");
	svc_import_result_free(&res);
	assert_int_equal(exported(&p), 0);
	free(p);
}

static void
test_import_and_again(void **state)
{
	static const char file[] = "date,station,title,category,audience\n"
	                           "2022-06-10,新驻点,讲座甲,讲座,社区居民\n"
	                           "2022-06-11,,沙龙乙,沙龙,社区工作人员\n";
	struct svc_import_result res;
	int64_t first;
	char *text;

	(void)state;
	/* a dry run: the events shown, the station to make counted */
	assert_int_equal(import(file, 1, 1, &res), SVC_IMPORT_DONE);
	assert_false(res.written);
	assert_int_equal(res.new_stations, 1);
	assert_int_equal(res.nevents, 2);
	assert_int_equal(res.events[0].id, 0);
	assert_string_equal(res.events[0].kind, "lecture");
	assert_int_equal(res.events[1].station_id, 0); /* district-wide */
	assert_int_equal(res.nskipped, 0);
	svc_import_result_free(&res);
	assert_int_equal(exported(&text), 0);
	free(text);
	/* written: ids, the new station's id, held (in the past) */
	assert_int_equal(import(file, 0, 1, &res), SVC_IMPORT_DONE);
	assert_true(res.written);
	assert_int_equal(res.new_stations, 1);
	assert_int_equal(res.nevents, 2);
	first = res.events[0].id;
	assert_true(first > 0);
	assert_int_equal(res.events[1].id, first + 1);
	assert_true(res.events[0].station_id > 0);
	assert_int_equal(res.events[0].status, EVENT_HELD);
	svc_import_result_free(&res);
	assert_int_equal(exported(&text), 2);
	assert_non_null(strstr(text, "新驻点"));
	free(text);
	/* again: both rows skipped, each with the event it matched */
	assert_int_equal(import(file, 0, 0, &res), SVC_IMPORT_DONE);
	assert_false(res.written);
	assert_int_equal(res.nevents, 0);
	assert_int_equal(res.new_stations, 0);
	assert_int_equal(res.nskipped, 2);
	assert_int_equal(res.skipped[0].line, 2);
	assert_int_equal(res.skipped[0].event_id, first);
	assert_string_equal(res.skipped[0].date, "2022-06-10");
	assert_string_equal(res.skipped[0].title, "讲座甲");
	assert_non_null(strstr(res.skipped[1].message, "编号 "));
	svc_import_result_free(&res);
	assert_int_equal(exported(&text), 2);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_problems),
	    cmocka_unit_test(test_import_and_again),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
