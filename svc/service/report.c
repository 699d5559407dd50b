/*
 * The records behind the dashboard for a period: events held by kind,
 * station, audience, month and quarter, what is still planned,
 * participants and attendance, satisfaction by month, duty hours per
 * counsellor and roster coverage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

#define BIG_PAGE 100000

/* Adds one to obj[key]. */
static void
count_in(json_t *obj, const char *key)
{
	json_object_set_new(obj, key,
	    json_integer(json_integer_value(json_object_get(obj, key)) + 1));
}

int
svc_report_actuals(struct store *st, int64_t dfrom, int64_t dto,
    json_t **result)
{
	struct event_filter f;
	struct store_page pg = {BIG_PAGE, 0};
	struct event *ev = NULL;
	struct stat_answer *ans = NULL;
	struct shift_filter sf;
	struct shift *shifts = NULL;
	struct counsellor_filter cf = {-1, 0, NULL};
	struct counsellor *people = NULL;
	struct station_filter stf = {-1, NULL};
	struct station *stations = NULL;
	size_t nev = 0, nans = 0, nsh = 0, np = 0, nst = 0, i, k;
	int64_t total, reg = 0, attreg = 0, attall = 0;
	double rate = 0;
	int64_t required = 0, assigned = 0;
	time_t t0, t1;
	const struct tz *z = tzdb_default();
	json_t *by_kind, *by_station, *by_aud, *by_month, *by_q, *planned;
	json_t *sat, *duty, *cov = NULL, *covm = NULL, *covlist = NULL;
	char from[11], to[11], date[11], key[40];
	int rc = -1;

	*result = NULL;
	time_format_date(dfrom, from);
	time_format_date(dto, to);
	t0 = tzdb_day_start(dfrom);
	t1 = tzdb_day_start(dto + 1);
	memset(&f, 0, sizeof(f));
	f.from = t0;
	f.to = t1;
	memset(&sf, 0, sizeof(sf));
	sf.from = t0;
	sf.to = t1;
	sf.active_only = 1;
	by_kind = json_object();
	by_station = json_object();
	by_aud = json_object();
	by_month = json_object();
	by_q = json_object();
	planned = json_object();
	sat = json_object();
	duty = json_array();
	if (store_event_list(st, &f, &pg, &ev, &nev, &total) < 0 ||
	    store_stat_satisfaction(st, t0, t1, &ans, &nans) < 0 ||
	    store_stat_participants(st, t0, t1, &reg, &attreg, &attall) < 0 ||
	    store_shift_list(st, &sf, &pg, &shifts, &nsh, &total) < 0 ||
	    store_counsellor_list(st, &cf, &pg, &people, &np, &total) < 0 ||
	    store_station_list(st, &stf, &pg, &stations, &nst, &total) < 0 ||
	    svc_roster_coverage_totals(st, dfrom, dto, &required, &assigned,
	        &cov, &covm) < 0)
		goto out;
	/* station|month → a list, with the rate of each cell */
	covlist = json_array();
	{
		const char *ck;
		json_t *cv;

		json_object_foreach(covm, ck, cv)
		{
			json_object_set_new(cv, "rate",
			    json_real((double)
			                  json_integer_value(json_object_get(cv,
			                      "assigned")) /
			        (double)json_integer_value(json_object_get(cv,
			            "required"))));
			json_array_append(covlist, cv);
		}
	}
	for (i = 0; i < nev; i++) {
		const char *sname = NULL;

		if (ev[i].start_at < t0 || ev[i].status == EVENT_CANCELLED)
			continue;
		if (ev[i].status != EVENT_HELD) {
			count_in(planned, ev[i].kind);
			continue;
		}
		count_in(by_kind, ev[i].kind);
		count_in(by_aud, ev[i].audience);
		for (k = 0; k < nst; k++)
			if (stations[k].id == ev[i].station_id)
				sname = stations[k].name;
		count_in(by_station, sname ? sname : "—");
		time_format_date(activity_local_day(ev[i].start_at, z), date);
		snprintf(key, sizeof(key), "%.7s", date);
		if (json_object_get(by_month, key) == NULL)
			json_object_set_new(by_month, key, json_object());
		count_in(json_object_get(by_month, key), ev[i].kind);
		snprintf(key, sizeof(key), "%.4s-Q%d", date,
		    (atoi(date + 5) - 1) / 3 + 1);
		count_in(by_q, key);
	}
	for (i = 0; i < nans; i++) {
		json_t *m;

		time_format_date(activity_local_day(ans[i].start_at, z), date);
		snprintf(key, sizeof(key), "%.7s", date);
		if ((m = json_object_get(sat, key)) == NULL) {
			m = json_pack("{s:i, s:i}", "satisfied", 0, "total", 0);
			json_object_set_new(sat, key, m);
		}
		count_in(m, "total");
		if (ans[i].value >= 4)
			count_in(m, "satisfied");
	}
	{
		const char *mk;
		json_t *m;

		json_object_foreach(sat, mk, m) json_object_set_new(m, "rate",
		    json_real((double)json_integer_value(json_object_get(m,
		                  "satisfied")) /
		        (double)json_integer_value(json_object_get(m,
		            "total"))));
	}
	for (i = 0; i < np; i++) {
		int64_t sec = 0;

		for (k = 0; k < nsh; k++)
			if (shifts[k].counsellor_id == people[i].id &&
			    shifts[k].start_at >= t0)
				sec += shifts[k].end_at - shifts[k].start_at;
		if (sec > 0 || people[i].active)
			json_array_append_new(duty,
			    json_pack("{s:I, s:s, s:f}", "counsellor_id",
			        (json_int_t)people[i].id, "name",
			        people[i].name, "hours", (double)sec / 3600.0));
	}
	*result = json_pack(
	    "{s:s, s:s, s:{s:o, s:o, s:o, s:o, s:o}, s:o,"
	    " s:{s:I, s:I, s:I, s:I, s:o}, s:o, s:o, s:{s:I, s:I, s:o}, s:o, s:o}",
	    "from", from, "to", to, "events", "by_kind", by_kind, "by_station",
	    by_station, "by_audience", by_aud, "by_month", by_month,
	    "by_quarter", by_q, "planned", planned, "participants",
	    "registered", (json_int_t)reg, "attended_registered",
	    (json_int_t)attreg, "attended", (json_int_t)attall, "walk_ins",
	    (json_int_t)(attall > attreg ? attall - attreg : 0),
	    "attendance_rate",
	    attendance_rate(reg, attreg, attall, &rate) ? json_real(rate)
	                                                : json_null(),
	    "satisfaction_by_month", sat, "duty_hours", duty, "coverage",
	    "required", (json_int_t)required, "assigned", (json_int_t)assigned,
	    "rate",
	    required ? json_real((double)(assigned < required ? assigned
	                                                      : required) /
	                   (double)required)
	             : json_null(),
	    "coverage_by_station", cov ? cov : json_array(),
	    "coverage_by_station_month", covlist ? covlist : json_array());
	rc = *result != NULL ? 1 : -1;
	by_kind = by_station = by_aud = by_month = by_q = planned = sat = NULL;
	duty = cov = covlist = NULL;
out:
	json_decref(by_kind);
	json_decref(by_station);
	json_decref(by_aud);
	json_decref(by_month);
	json_decref(by_q);
	json_decref(planned);
	json_decref(sat);
	json_decref(duty);
	json_decref(cov);
	json_decref(covm);
	json_decref(covlist);
	event_list_free(ev, nev);
	free(ans);
	shift_list_free(shifts, nsh);
	counsellor_list_free(people, np);
	station_list_free(stations, nst);
	return rc;
}
