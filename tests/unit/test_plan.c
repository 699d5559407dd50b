/*
 * service/plan.c's accepted proposals on a real store (svc_plan_accept,
 * out of svc/api/plan.c): each proposal checked before anything is
 * written; the events created with the plan as their source in the
 * history and the audit, as the user who accepted them.
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
static int64_t station, user;

static int
setup(void **state)
{
	(void)state;
	log_set_level(LOG_WARN);
	if ((st = unit_db_open(&db, "plan", 0, unit_log_quiet)) == NULL ||
	    (station = unit_db_station(st, "PL1", "计划驻点")) <= 0)
		return -1;
	if (unit_db_exec(st,
	        "INSERT INTO users (username, password_hash, role,"
	        " created_at) VALUES ('plan_coord', 'x', 'coordinator', 0)",
	        NULL, 0) != 0)
		return -1;
	user = unit_db_count(st, "SELECT max(id) FROM users");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unit_db_close(&db);
	return 0;
}

/* Proposal k of 3: a lecture and a salon at the station, a training
 * district-wide; an hour each, a day apart. */
static void
proposals(struct event *ev)
{
	static const char *const kinds[] = {"lecture", "salon", "training"};
	size_t k;

	memset(ev, 0, 3 * sizeof(*ev));
	for (k = 0; k < 3; k++) {
		assert_true(svc_event_defaults(&ev[k]));
		free(ev[k].kind);
		free(ev[k].title);
		assert_non_null(ev[k].kind = strdup(kinds[k]));
		assert_non_null(ev[k].title = strdup("计划内的活动"));
		ev[k].start_at = 1893456000 + (time_t)k * 86400;
		ev[k].end_at = ev[k].start_at + 3600;
		ev[k].station_id = k < 2 ? station : 0;
	}
}

static void
proposals_free(struct event *ev)
{
	size_t k;

	for (k = 0; k < 3; k++)
		event_free(&ev[k]);
}

static int64_t
count(const char *sql)
{
	return unit_db_count(st, sql);
}

static void
test_accepted(void **state)
{
	struct event ev[3];
	size_t bad = 99, k;
	int64_t e0 = count("SELECT count(*) FROM events");

	(void)state;
	proposals(ev);
	assert_true(store_begin(st) > 0);
	assert_int_equal(svc_plan_accept(st, 7, user, ev, 3, &bad), 1);
	assert_true(store_commit(st) > 0);
	assert_int_equal(bad, 99);
	assert_int_equal(count("SELECT count(*) FROM events"), e0 + 3);
	for (k = 0; k < 3; k++) {
		char sql[256];

		assert_true(ev[k].id > 0);
		assert_int_equal(ev[k].planned_start_at, ev[k].start_at);
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM event_changes WHERE event_id = %lld"
		    " AND kind = 'created' AND reason = 'plan 7' AND"
		    " new_start_at = %lld AND new_end_at = %lld AND"
		    " user_id = %lld",
		    (long long)ev[k].id, (long long)ev[k].start_at,
		    (long long)ev[k].end_at, (long long)user);
		assert_int_equal(count(sql), 1);
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM audit_log WHERE entity = 'event' AND"
		    " entity_id = %lld AND action = 'created' AND user_id ="
		    " %lld AND detail = '{\"source\":\"plan 7\"}'",
		    (long long)ev[k].id, (long long)user);
		assert_int_equal(count(sql), 1);
	}
	proposals_free(ev);
}

/* An unknown station (the second) or a proposal that ends as it starts
 * (the third): refused before anything is written, even without a
 * rollback. */
static void
test_refused_before_writing(void **state)
{
	struct event ev[3];
	size_t bad = 99;
	int64_t e0 = count("SELECT count(*) FROM events"),
	        a0 = count("SELECT count(*) FROM audit_log");

	(void)state;
	proposals(ev);
	ev[1].station_id = station + 1000;
	assert_true(store_begin(st) > 0);
	assert_int_equal(svc_plan_accept(st, 7, user, ev, 3, &bad), 0);
	assert_true(store_commit(st) > 0);
	assert_int_equal(bad, 1);
	ev[1].station_id = station;
	ev[2].end_at = ev[2].start_at;
	assert_true(store_begin(st) > 0);
	assert_int_equal(svc_plan_accept(st, 7, user, ev, 3, &bad), 0);
	assert_true(store_commit(st) > 0);
	assert_int_equal(bad, 2);
	assert_int_equal(count("SELECT count(*) FROM events"), e0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), a0);
	assert_int_equal(count("SELECT count(*) FROM event_changes WHERE"
	                       " reason = 'plan 7'"),
	    3);
	proposals_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepted),
	    cmocka_unit_test(test_refused_before_writing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
