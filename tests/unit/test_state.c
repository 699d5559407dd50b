/*
 * Unit tests of the name tables of states (svc/core/state.c and the
 * tables of cases.c, leave.c and roster.c): every table has a name for
 * each value below its __MAX and NULL at __MAX, no two names alike, and
 * state_parse reads each name back as its value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

struct table {
	const char *name;
	const char *const *names;
	int max;   /* the enum's __MAX */
	int first; /* its first state: 1 when 0 is "no state" ("") */
};

static const struct table tables[] = {
    {"event_status", event_status_names, EVENT_STATUS__MAX, 1},
    {"shift_status", shift_status_names, SHIFT_STATUS__MAX, 1},
    {"registration_status", registration_status_names, REGISTRATION_STATUS__MAX,
        1},
    {"swap_status", swap_status_names, SWAP_STATUS__MAX, 1},
    {"outbox_status", outbox_status_names, OUTBOX_STATUS__MAX, 1},
    {"leave_status", leave_status_names, LEAVE_STATUS__MAX, 1},
    {"leave_by", leave_by_names, LEAVE_BY__MAX, 1},
    {"busy_kind", busy_kind_names, BUSY_KIND__MAX, 1},
    {"roster_away", roster_away_names, ROSTER_AWAY__MAX, 1},
    {"case_status", case_status_names, CASE_STATUS__MAX, 0},
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* __MAX names, then NULL; "" at 0 where 0 is no state, and no other
 * name empty or repeated. */
static void
test_tables_complete(void **state)
{
	size_t t;
	int i, k;

	(void)state;
	for (t = 0; t < NTABLES; t++) {
		const struct table *x = &tables[t];

		print_message("  %s: %d values\n", x->name, x->max);
		assert_true(x->max > x->first);
		if (x->first == 1)
			assert_string_equal(x->names[0], "");
		for (i = x->first; i < x->max; i++) {
			assert_non_null(x->names[i]);
			assert_true(x->names[i][0] != '\0');
			for (k = 0; k < i; k++)
				assert_string_not_equal(x->names[k],
				    x->names[i]);
		}
		assert_null(x->names[x->max]);
	}
}

/* state_parse: each name of a table whose 0 is no state reads back as
 * its value; "", NULL, an unknown name and a name in another case read
 * as 0 (no state). */
static void
test_parse_round_trip(void **state)
{
	size_t t;
	int i;

	(void)state;
	for (t = 0; t < NTABLES; t++) {
		const struct table *x = &tables[t];

		if (x->first != 1)
			continue;
		for (i = 1; i < x->max; i++)
			assert_int_equal(state_parse(x->names, x->names[i]), i);
		assert_int_equal(state_parse(x->names, ""), 0);
		assert_int_equal(state_parse(x->names, NULL), 0);
		assert_int_equal(state_parse(x->names, "no such state"), 0);
	}
	assert_int_equal(state_parse(event_status_names, "HELD"), 0);
	assert_int_equal(state_parse(event_status_names, "held "), 0);
	assert_int_equal(state_parse(event_status_names, "held"), EVENT_HELD);
}

/* Case states start at 0 (open): their own reader, both ways. */
static void
test_case_status(void **state)
{
	enum case_status s;
	int i;

	(void)state;
	for (i = 0; i < CASE_STATUS__MAX; i++) {
		assert_true(case_status_parse(case_status_names[i], &s));
		assert_int_equal(s, i);
		assert_string_equal(case_status_name(s), case_status_names[i]);
	}
	assert_false(case_status_parse("closed", &s));
}

/* Every outbox state has a Chinese label; no state has none. */
static void
test_outbox_zh(void **state)
{
	int i;

	(void)state;
	for (i = 1; i < OUTBOX_STATUS__MAX; i++)
		assert_true(outbox_status_zh((enum outbox_status)i)[0] != '\0');
	assert_string_equal(outbox_status_zh(OUTBOX_STATUS_ANY), "");
	assert_string_equal(outbox_status_zh(OUTBOX_STATUS__MAX), "");
	assert_non_null(outbox_reason_zh("superseded"));
	assert_null(outbox_reason_zh("something else"));
	assert_null(outbox_reason_zh(NULL));
}

/* The rules of state.c's changes: what an event may become. */
static void
test_event_changes(void **state)
{
	const char *kind;

	(void)state;
	assert_int_equal(event_status_change(EVENT_PLANNED, EVENT_CONFIRMED,
	                     100, 50, &kind),
	    EVENT_CHANGE_OK);
	assert_string_equal(kind, "confirmed");
	assert_int_equal(event_status_change(EVENT_PLANNED, EVENT_HELD, 100, 50,
	                     &kind),
	    EVENT_REFUSE_NOT_STARTED);
	assert_int_equal(event_status_change(EVENT_CONFIRMED, EVENT_HELD, 100,
	                     100, &kind),
	    EVENT_CHANGE_OK);
	assert_string_equal(kind, "held");
	assert_int_equal(event_status_change(EVENT_HELD, EVENT_PLANNED, 100,
	                     200, &kind),
	    EVENT_REFUSE_HELD);
	assert_int_equal(event_status_change(EVENT_CANCELLED, EVENT_PLANNED,
	                     100, 200, &kind),
	    EVENT_REFUSE_CANCELLED);
	assert_int_equal(event_status_change(EVENT_HELD, EVENT_STATUS_ANY, 100,
	                     200, &kind),
	    EVENT_CHANGE_OK);
	assert_string_equal(kind, "updated");
	assert_true(event_status_live(EVENT_PLANNED));
	assert_false(event_status_live(EVENT_HELD));
	assert_true(event_status_final(EVENT_CANCELLED));
	assert_false(event_status_final(EVENT_CONFIRMED));
	assert_int_equal(event_unhold_check(EVENT_HELD, 0), EVENT_CHANGE_OK);
	assert_int_equal(event_unhold_check(EVENT_HELD, 1),
	    EVENT_REFUSE_ANSWERED);
	assert_int_equal(event_unhold_check(EVENT_PLANNED, 0),
	    EVENT_REFUSE_NOT_HELD);
	assert_true(event_survey_open(EVENT_HELD, 1000,
	    1000 + EVENT_SURVEY_DAYS * 86400));
	assert_false(event_survey_open(EVENT_HELD, 1000,
	    1001 + EVENT_SURVEY_DAYS * 86400));
	assert_false(event_survey_open(EVENT_CONFIRMED, 1000, 1000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables_complete),
	    cmocka_unit_test(test_parse_round_trip),
	    cmocka_unit_test(test_case_status),
	    cmocka_unit_test(test_outbox_zh),
	    cmocka_unit_test(test_event_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
