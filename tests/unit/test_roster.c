/*
 * The roster solver on many random instances: no hard rule is ever
 * broken, every open seat says why, and the same input gives the same
 * roster. Also the calendar arithmetic generation relies on: ISO weeks,
 * HH:MM, holidays and make-up working days.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

#define DAY 86400

/* A small deterministic generator (xorshift), so failures reproduce. */
static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

struct instance {
	struct roster_slot slots[400];
	size_t nslots;
	struct roster_person people[12];
	size_t npeople;
	struct roster_busy busy[60];
	size_t nbusy;
};

/* Days from 2027-03-01 (a Monday), UTC as the zone. */
static void
make_instance(struct instance *in)
{
	int64_t base = time_days_from_civil(2027, 3, 1);
	size_t i, k;
	int nst = 1 + (int)rnd(5), day, t, seat;
	static const int bands[3][2] = {{9 * 60, 12 * 60}, {14 * 60, 18 * 60},
	    {10 * 60, 16 * 60}};

	memset(in, 0, sizeof(*in));
	in->npeople = 1 + rnd(12);
	for (i = 0; i < in->npeople; i++) {
		in->people[i].id = (int64_t)i + 1;
		in->people[i].home_station_id = 1 + rnd((uint32_t)nst);
		in->people[i].max_week_minutes = (int64_t)(6 + rnd(40)) * 60;
		in->people[i].active = rnd(8) != 0;
	}
	for (day = 0; day < 14; day++)
		for (t = 0; t < 3; t++)
			for (k = 1; k <= (size_t)nst; k++) {
				if (rnd(3) == 0)
					continue;
				for (seat = 0;
				     seat < 1 + (int)rnd(2) && in->nslots < 400;
				     seat++) {
					struct roster_slot
					    *s = &in->slots[in->nslots++];

					s->station_id = (int64_t)k;
					s->template_id = (int64_t)(k * 10 + t);
					s->seat = seat;
					s->day = base + day;
					s->start = (time_t)((base + day) * DAY +
					    bands[t][0] * 60);
					s->end = (time_t)((base + day) * DAY +
					    bands[t][1] * 60);
				}
			}
	in->nbusy = rnd(60);
	for (i = 0; i < in->nbusy; i++) {
		time_t st = (time_t)((base + rnd(16) - 1) * DAY +
		    rnd(24) * 3600);

		in->busy[i].counsellor_id = 1 + rnd((uint32_t)in->npeople);
		in->busy[i].start = st;
		in->busy[i].end = st + 3600 * (1 + rnd(30));
		in->busy[i].leave = rnd(2);
	}
}

static int
overlaps(time_t a0, time_t a1, time_t b0, time_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* Every hard rule, checked from scratch over the solver's output. */
static void
check_rules(const struct instance *in)
{
	size_t i, k;

	for (i = 0; i < in->nslots; i++) {
		const struct roster_slot *s = &in->slots[i];
		const struct roster_person *p = NULL;
		int64_t week_min = 0;

		if (s->counsellor_id == 0) {
			assert_true(s->reason != 0);
			continue;
		}
		assert_int_equal(s->reason, 0);
		for (k = 0; k < in->npeople; k++)
			if (in->people[k].id == s->counsellor_id)
				p = &in->people[k];
		assert_non_null(p);
		assert_true(p->active);
		for (k = 0; k < in->nbusy; k++)
			if (in->busy[k].counsellor_id == p->id)
				assert_false(overlaps(s->start, s->end,
				    in->busy[k].start, in->busy[k].end));
		for (k = 0; k < in->nslots; k++) {
			const struct roster_slot *o = &in->slots[k];

			if (k != i && o->counsellor_id == p->id)
				assert_false(overlaps(s->start, s->end,
				    o->start, o->end));
			if (o->counsellor_id == p->id &&
			    roster_week(o->day) == roster_week(s->day))
				week_min += (int64_t)(o->end - o->start) / 60;
		}
		for (k = 0; k < in->nbusy; k++)
			if (in->busy[k].counsellor_id == p->id &&
			    !in->busy[k].leave &&
			    roster_week(activity_local_day(in->busy[k].start,
			        NULL)) == roster_week(s->day))
				week_min += (int64_t)(in->busy[k].end -
				                in->busy[k].start) /
				    60;
		assert_true(week_min <= p->max_week_minutes);
	}
}

static void
test_random_instances(void **state)
{
	static struct instance a, b;
	int run;
	size_t i, filled = 0, open = 0;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (run = 0; run < 300; run++) {
		make_instance(&a);
		b = a;
		assert_true(roster_solve(a.slots, a.nslots, a.people, a.npeople,
		    a.busy, a.nbusy, NULL));
		check_rules(&a);
		/* Determinism: the same input, the same roster. */
		assert_true(roster_solve(b.slots, b.nslots, b.people, b.npeople,
		    b.busy, b.nbusy, NULL));
		for (i = 0; i < a.nslots; i++) {
			assert_int_equal(a.slots[i].counsellor_id,
			    b.slots[i].counsellor_id);
			filled += a.slots[i].counsellor_id != 0;
			open += a.slots[i].counsellor_id == 0;
		}
	}
	/* The instances exercise both outcomes. */
	assert_true(filled > 1000);
	assert_true(open > 100);
}

static void
test_no_active_people(void **state)
{
	struct roster_slot s = {.station_id = 1,
	    .template_id = 1,
	    .start = 1000 * DAY,
	    .end = 1000 * DAY + 3600,
	    .day = 1000};
	struct roster_person p = {1, 1, 40 * 60, 0};

	(void)state;
	assert_true(roster_solve(&s, 1, &p, 1, NULL, 0, NULL));
	assert_int_equal(s.counsellor_id, 0);
	assert_int_equal(s.reason, ROSTER_NO_ACTIVE);
}

static void
test_reasons(void **state)
{
	struct roster_slot s = {.station_id = 1,
	    .template_id = 1,
	    .start = 1000 * DAY + 9 * 3600,
	    .end = 1000 * DAY + 12 * 3600,
	    .day = 1000};
	struct roster_person p[3] = {{1, 1, 40 * 60, 1}, {2, 1, 40 * 60, 1},
	    {3, 1, 2 * 60, 1}};
	struct roster_busy b[2] = {
	    {1, 1000 * DAY, 1001 * DAY, 1}, /* on leave */
	    {2, 1000 * DAY + 10 * 3600, 1000 * DAY + 11 * 3600, 0}, /* busy */
	};

	(void)state;
	assert_true(roster_solve(&s, 1, p, 3, b, 2, NULL));
	assert_int_equal(s.counsellor_id, 0);
	assert_int_equal(s.reason,
	    ROSTER_ON_LEAVE | ROSTER_BUSY | ROSTER_AT_MAX);
}

static void
test_prefers_home_and_even_hours(void **state)
{
	struct roster_slot s[2] = {
	    {.station_id = 2,
	        .template_id = 1,
	        .start = 1000 * DAY,
	        .end = 1000 * DAY + 3 * 3600,
	        .day = 1000},
	    {.station_id = 2,
	        .template_id = 1,
	        .start = 1001 * DAY,
	        .end = 1001 * DAY + 3 * 3600,
	        .day = 1001},
	};
	struct roster_person p[2] = {{1, 1, 40 * 60, 1}, {2, 2, 40 * 60, 1}};

	(void)state;
	assert_true(roster_solve(s, 2, p, 2, NULL, 0, NULL));
	/* The home station first, even over fewer hours (issue 13). */
	assert_int_equal(s[0].counsellor_id, 2);
	assert_int_equal(s[1].counsellor_id, 2);
	assert_int_equal(s[0].away, ROSTER_AWAY_NONE);
	/* At their weekly maximum, the seat goes away from home. */
	p[1].max_week_minutes = 3 * 60;
	assert_true(roster_solve(s, 2, p, 2, NULL, 0, NULL));
	assert_int_equal(s[0].counsellor_id, 2);
	assert_int_equal(s[1].counsellor_id, 1);
	assert_int_equal(s[1].away, ROSTER_AWAY_OWN_UNAVAILABLE);
}

/* Two streets (1, 2) and the district hall (3), a week of day seats:
 * street counsellors stay at their street; the hall is shared. */
static void
test_home_stations(void **state)
{
	struct roster_slot s[40];
	struct roster_person p[5] = {
	    {1, 1, 60 * 60, 1},
	    {2, 1, 60 * 60, 1},
	    {3, 2, 60 * 60, 1},
	    {4, 3, 60 * 60, 1},
	    {5, 2, 60 * 60, 1},
	};
	struct roster_busy leave = {3, 1002 * DAY, 1003 * DAY, 1};
	size_t n = 0, i, away[ROSTER_AWAY__MAX] = {0};
	int d;

	(void)state;
	memset(s, 0, sizeof(s));
	for (d = 0; d < 5; d++) {
		/* the hall opens earlier: it comes first in the order */
		static const struct {
			int64_t st;
			int shared, from, to;
		} band[4] = {{3, 1, 8, 17}, {3, 1, 8, 17}, {1, 0, 9, 17},
		    {2, 0, 9, 17}};
		int b;

		for (b = 0; b < 4; b++) {
			s[n].station_id = band[b].st;
			s[n].template_id = (int64_t)b + 1;
			s[n].seat = b == 1;
			s[n].shared = band[b].shared;
			s[n].day = 1000 + d;
			s[n].start = (time_t)((1000 + d) * DAY +
			    band[b].from * 3600);
			s[n].end = (time_t)((1000 + d) * DAY +
			    band[b].to * 3600);
			n++;
		}
	}
	assert_true(roster_solve(s, n, p, 5, &leave, 1, NULL));
	for (i = 0; i < n; i++) {
		int64_t home;

		assert_int_not_equal(s[i].counsellor_id, 0);
		home = p[s[i].counsellor_id - 1].home_station_id;
		away[s[i].away]++;
		/* a street seat always has one of its own */
		if (s[i].station_id != 3)
			assert_int_equal(home, s[i].station_id);
		/* nobody away from a street while it needed them */
		if (s[i].away == ROSTER_AWAY_NONE)
			assert_int_equal(home, s[i].station_id);
	}
	/* the hall's second seat each day: a street's spare counsellor */
	assert_int_equal(away[ROSTER_AWAY_SHARED], 5);
	assert_int_equal(away[ROSTER_AWAY_NONE], 15);
	assert_string_equal(roster_away_names[ROSTER_AWAY_SHARED],
	    "shared_station");
	/* a street with nobody of its own: filled from elsewhere, and said */
	for (i = 0; i < 5; i++)
		p[i].home_station_id = p[i].home_station_id == 2
		    ? 3
		    : p[i].home_station_id;
	assert_true(roster_solve(s, n, p, 5, NULL, 0, NULL));
	for (i = 0; i < n; i++)
		if (s[i].station_id == 2)
			assert_int_equal(s[i].away, ROSTER_AWAY_NO_OWN);
}

static void
test_streak_limit(void **state)
{
	struct roster_slot s[7];
	struct roster_person p[2] = {{1, 1, 80 * 60, 1}, {2, 9, 80 * 60, 1}};
	int d;

	(void)state;
	memset(s, 0, sizeof(s));
	for (d = 0; d < 7; d++) {
		s[d].station_id = 1;
		s[d].template_id = 1;
		s[d].day = 1000 + d;
		s[d].start = (time_t)((1000 + d) * DAY);
		s[d].end = s[d].start + 3600;
	}
	/* Person 1 is at home, but a sixth day in a row goes elsewhere. */
	p[1].max_week_minutes = 80 * 60;
	assert_true(roster_solve(s, 7, p, 2, NULL, 0, NULL));
	for (d = 0; d < 7; d++) {
		int run = 0, i;

		for (i = d; i >= 0 && s[i].counsellor_id == s[d].counsellor_id;
		     i--)
			run++;
		assert_true(run <= 5);
	}
}

static void
test_week_labels(void **state)
{
	char buf[9];

	(void)state;
	roster_week_label(time_days_from_civil(2027, 3, 1), buf);
	assert_string_equal(buf, "2027-W09");
	roster_week_label(time_days_from_civil(2026, 12, 31), buf);
	assert_string_equal(buf, "2026-W53");
	roster_week_label(time_days_from_civil(2027, 1, 3), buf);
	assert_string_equal(buf, "2026-W53");
	roster_week_label(time_days_from_civil(2027, 1, 4), buf);
	assert_string_equal(buf, "2027-W01");
	assert_int_equal(roster_week(time_days_from_civil(2027, 3, 1)),
	    roster_week(time_days_from_civil(2027, 3, 7)));
	assert_int_not_equal(roster_week(time_days_from_civil(2027, 3, 7)),
	    roster_week(time_days_from_civil(2027, 3, 8)));
}

static void
test_hhmm(void **state)
{
	(void)state;
	assert_int_equal(roster_parse_hhmm("09:00"), 540);
	assert_int_equal(roster_parse_hhmm("24:00"), 1440);
	assert_int_equal(roster_parse_hhmm("24:01"), -1);
	assert_int_equal(roster_parse_hhmm("9:00"), -1);
	assert_int_equal(roster_parse_hhmm("12:60"), -1);
	assert_int_equal(roster_parse_hhmm(NULL), -1);
}

static void
test_working_days(void **state)
{
	/* 2025: Spring Festival 28 Jan - 4 Feb off; 26 Jan (Sun) and
	 * 8 Feb (Sat) worked. */
	struct day_kind days[10];
	int64_t d, jan28 = time_days_from_civil(2025, 1, 28);
	size_t n = 0;

	(void)state;
	for (d = jan28; d <= jan28 + 7; d++)
		days[n++] = (struct day_kind){d, 0};
	days[n++] = (struct day_kind){time_days_from_civil(2025, 1, 26), 1};
	days[n++] = (struct day_kind){time_days_from_civil(2025, 2, 8), 1};
	assert_true(activity_is_working_day(time_days_from_civil(2025, 1, 26),
	    days, n));
	assert_false(activity_is_working_day(time_days_from_civil(2025, 1, 27) +
	        2,
	    days, n));
	assert_true(activity_is_working_day(time_days_from_civil(2025, 1, 27),
	    days, n));
	assert_true(activity_is_working_day(time_days_from_civil(2025, 2, 8),
	    days, n));
	assert_false(activity_is_working_day(time_days_from_civil(2025, 2, 9),
	    days, n));
	assert_int_equal(activity_weekday(time_days_from_civil(2025, 1, 26)),
	    7);
	assert_int_equal(activity_weekday(time_days_from_civil(2027, 3, 1)), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_instances),
	    cmocka_unit_test(test_no_active_people),
	    cmocka_unit_test(test_reasons),
	    cmocka_unit_test(test_prefers_home_and_even_hours),
	    cmocka_unit_test(test_home_stations),
	    cmocka_unit_test(test_streak_limit),
	    cmocka_unit_test(test_week_labels),
	    cmocka_unit_test(test_hhmm),
	    cmocka_unit_test(test_working_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
