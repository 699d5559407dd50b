/*
 * A plan's progress (the events of its period counted against its
 * targets) and proposals of dates for the sessions still missing
 * (issue 14: the work of svc/api/plan.c, which reads the request and
 * replies). Kinds are compared by their index in activity_kinds,
 * found once per event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

/* The district-wide target of the kind of index k (0 when none). */
static int64_t
district_target(const struct plan *p, int k)
{
	size_t i;

	for (i = 0; i < p->ntargets; i++)
		if (p->targets[i].station_id == 0 &&
		    activity_kind_index(p->targets[i].kind) == k)
			return p->targets[i].target;
	return 0;
}

/* What is read of the events of a plan's period. */
struct period {
	struct event *ev;
	size_t n;
	int64_t from, to; /* the plan's days */
	int *kind;        /* per event: its index in activity_kinds, or -1 */
	int64_t *day;     /* per event: its local day */
};

static void
period_free(struct period *pe)
{
	event_list_free(pe->ev, pe->n);
	free(pe->kind);
	free(pe->day);
}

/* The events starting inside the plan's period (and those overlapping
 * it), each with its kind's index and local day: 1, or -1 on a failure
 * (pe freed). */
static int
period_events(struct store *st, const struct plan *p, struct period *pe)
{
	const struct tz *z = tzdb_default();
	struct event_filter f;
	struct store_page pg = {100000, 0};
	int64_t total;
	size_t i;

	memset(pe, 0, sizeof(*pe));
	if (!time_parse_date(p->date_from, &pe->from) ||
	    !time_parse_date(p->date_to, &pe->to))
		return -1;
	memset(&f, 0, sizeof(f));
	f.from = tzdb_day_start(pe->from);
	f.to = tzdb_day_start(pe->to + 1);
	if (store_event_list(st, &f, &pg, &pe->ev, &pe->n, &total) < 0)
		return -1;
	if ((pe->kind = calloc(pe->n + 1, sizeof(*pe->kind))) == NULL ||
	    (pe->day = calloc(pe->n + 1, sizeof(*pe->day))) == NULL) {
		period_free(pe);
		return -1;
	}
	for (i = 0; i < pe->n; i++) {
		pe->kind[i] = activity_kind_index(pe->ev[i].kind);
		pe->day[i] = activity_local_day(pe->ev[i].start_at, z);
	}
	return 1;
}

/* --- progress ------------------------------------------------------------ */

/* Adds one event to a {planned, confirmed, held, cancelled} counter. */
static void
bump(json_t *obj, const char *key, const char *status)
{
	json_t *c = json_object_get(obj, key);

	if (c == NULL) {
		c = json_pack("{s:i, s:i, s:i, s:i}", "planned", 0, "confirmed",
		    0, "held", 0, "cancelled", 0);
		if (c == NULL || json_object_set_new(obj, key, c) != 0)
			return;
	}
	json_object_set_new(c, status,
	    json_integer(json_integer_value(json_object_get(c, status)) + 1));
}

static int64_t
counted(const json_t *c, const char *status)
{
	return json_integer_value(json_object_get(c, status));
}

/* The counters by kind (every kind, with its target and gap), station,
 * audience and month, and the on-time figures of the held events. */
static void
count_events(const struct plan *p, const struct period *pe, json_t *kinds,
    json_t *stations, json_t *audiences, json_t *months, int64_t *held,
    int64_t *on_time)
{
	const struct tz *z = tzdb_default();
	const char *key;
	json_t *v;
	char month[8], idbuf[24], date[11];
	size_t i;

	for (i = 0; activity_kinds[i] != NULL; i++)
		bump(kinds, activity_kinds[i], "planned"),
		    json_object_set_new(json_object_get(kinds,
		                            activity_kinds[i]),
		        "planned", json_integer(0));
	for (i = 0; i < pe->n; i++) {
		const struct event *e = &pe->ev[i];
		const char *status = event_status_names[e->status];

		if (e->start_at < tzdb_day_start(pe->from))
			continue; /* started before the period */
		bump(kinds, e->kind, status);
		snprintf(idbuf, sizeof(idbuf), "%lld",
		    (long long)e->station_id);
		bump(stations, idbuf, status);
		bump(audiences, e->audience, status);
		time_format_date(pe->day[i], date);
		snprintf(month, sizeof(month), "%.7s", date);
		bump(months, month, status);
		if (e->status == EVENT_HELD) {
			(*held)++;
			*on_time += activity_on_time(e->start_at,
			    e->planned_start_at, z);
		}
	}
	json_object_foreach(kinds, key, v)
	{
		int64_t t = district_target(p, activity_kind_index(key));
		int64_t done = counted(v, "planned") + counted(v, "confirmed") +
		    counted(v, "held");

		json_object_set_new(v, "target", json_integer(t));
		json_object_set_new(v, "gap",
		    json_integer(t > done ? t - done : 0));
	}
}

/* The station counters as a list, each with its station's id and name. */
static json_t *
station_list(struct store *st, json_t *stations)
{
	json_t *by_station = json_array(), *v;
	const char *key;

	json_object_foreach(stations, key, v)
	{
		struct station s;
		int64_t sid = strtoll(key, NULL, 10);

		json_object_set_new(v, "station_id",
		    sid ? json_integer(sid) : json_null());
		if (sid && store_station_get(st, sid, &s) > 0) {
			json_object_set_new(v, "station_name",
			    json_string(s.name));
			station_free(&s);
		} else
			json_object_set_new(v, "station_name", json_null());
		json_array_append(by_station, v);
	}
	return by_station;
}

/* Each station target with the count of its station's live events of
 * its kind in the period, and the gap. */
static json_t *
station_targets(const struct plan *p, const struct period *pe)
{
	json_t *out = json_array();
	time_t start = tzdb_day_start(pe->from);
	size_t i, j;

	for (i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->targets[i];
		int k = activity_kind_index(t->kind);
		int64_t cnt = 0;

		if (t->station_id == 0)
			continue;
		for (j = 0; j < pe->n; j++)
			cnt += pe->ev[j].station_id == t->station_id &&
			    pe->kind[j] == k &&
			    pe->ev[j].status != EVENT_CANCELLED &&
			    pe->ev[j].start_at >= start;
		json_array_append_new(out,
		    json_pack("{s:I, s:s, s:I, s:I, s:I}", "station_id",
		        (json_int_t)t->station_id, "kind", t->kind, "target",
		        (json_int_t)t->target, "count", (json_int_t)cnt, "gap",
		        (json_int_t)(t->target > cnt ? t->target - cnt : 0)));
	}
	return out;
}

int
svc_plan_progress(struct store *st, const struct plan *p, json_t **result)
{
	struct period pe;
	json_t *kinds, *stations, *audiences, *months;
	int64_t held = 0, on_time = 0;

	*result = NULL;
	if (period_events(st, p, &pe) < 0)
		return -1;
	kinds = json_object();
	stations = json_object();
	audiences = json_object();
	months = json_object();
	count_events(p, &pe, kinds, stations, audiences, months, &held,
	    &on_time);
	*result = json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:o}}",
	    "by_kind", kinds, "by_station", station_list(st, stations),
	    "by_audience", audiences, "by_month", months, "station_targets",
	    station_targets(p, &pe), "on_time", "held", (json_int_t)held,
	    "on_time", (json_int_t)on_time, "rate",
	    held ? json_real((double)on_time / (double)held) : json_null());
	json_decref(stations);
	period_free(&pe);
	return *result != NULL ? 1 : -1;
}

/* --- proposals ----------------------------------------------------------- */

/* The working days of [from, to] as day numbers (caller frees): 1, or
 * -1 on a failure. None when to < from. */
static int
working_days(struct store *st, int64_t from, int64_t to, int64_t **days,
    size_t *n)
{
	struct holiday *h = NULL;
	struct day_kind *dk = NULL;
	size_t nh = 0, i;
	int64_t d;
	char a[11], b[11];

	*n = 0;
	*days = NULL;
	if (to < from)
		return 1;
	time_format_date(from, a);
	time_format_date(to, b);
	if (store_holiday_range(st, a, b, &h, &nh) < 0)
		return -1;
	if ((dk = calloc(nh + 1, sizeof(*dk))) == NULL ||
	    (*days = calloc((size_t)(to - from + 1), sizeof(**days))) == NULL) {
		free(dk);
		holiday_list_free(h, nh);
		return -1;
	}
	for (i = 0; i < nh; i++) {
		time_parse_date(h[i].date, &dk[i].day);
		dk[i].workday = strcmp(h[i].kind, "workday") == 0;
	}
	for (d = from; d <= to; d++)
		if (activity_is_working_day(d, dk, nh))
			(*days)[(*n)++] = d;
	free(dk);
	holiday_list_free(h, nh);
	return 1;
}

/* The proposals of kind k: the sessions its target still misses, spread
 * over the days (sorted working days) that have no live event of the
 * kind. busy: scratch of one flag per day from days[0]. */
static void
propose_kind(const struct plan *p, const struct period *pe, int k,
    const int64_t *days, size_t nd, unsigned char *busy, int64_t *cand,
    int64_t *pick, json_t *out)
{
	const struct tz *z = tzdb_default();
	const char *kind = activity_kinds[k];
	int64_t done = 0, target = district_target(p, k);
	size_t i, nc = 0, np, span = nd ? (size_t)(days[nd - 1] - days[0]) : 0;
	char title[160];

	for (i = 0; i < pe->n; i++)
		done += pe->kind[i] == k && pe->ev[i].status != EVENT_CANCELLED;
	if (target <= done)
		return;
	/* Skip days that already have an event of this kind. */
	if (nd > 0)
		memset(busy, 0, span + 1);
	for (i = 0; i < pe->n && nd > 0; i++)
		if (pe->kind[i] == k && pe->ev[i].status != EVENT_CANCELLED &&
		    pe->day[i] >= days[0] && pe->day[i] <= days[nd - 1])
			busy[pe->day[i] - days[0]] = 1;
	for (i = 0; i < nd; i++)
		if (!busy[days[i] - days[0]])
			cand[nc++] = days[i];
	np = activity_spread(cand, nc, (size_t)(target - done), pick);
	if (np > SVC_PLAN_MAX_PROPOSALS)
		np = SVC_PLAN_MAX_PROPOSALS;
	snprintf(title, sizeof(title), "%s（计划补充）",
	    activity_kind_zh(kind));
	for (i = 0; i < np; i++) {
		time_t s = tz_local_to_utc(z,
		    pick[i] * 86400 + 14 * 3600 + 30 * 60);

		json_array_append_new(out,
		    json_pack("{s:s, s:s, s:o, s:o}", "kind", kind, "title",
		        title, "start", tzdb_time_json(s), "end",
		        tzdb_time_json(s + 2 * 3600)));
	}
}

int
svc_plan_propose(struct store *st, const struct plan *p, const char *only,
    json_t **proposals)
{
	const struct tz *z = tzdb_default();
	struct period pe;
	int64_t today, first, *days = NULL, *cand = NULL, *pick = NULL;
	unsigned char *busy = NULL;
	size_t nd = 0;
	int k, rc = -1;

	*proposals = NULL;
	if (period_events(st, p, &pe) < 0)
		return -1;
	/* Only days still ahead: a proposal in the past helps nobody. */
	today = activity_local_day(svc_now(), z);
	first = pe.from > today + 1 ? pe.from : today + 1;
	if (working_days(st, first, pe.to, &days, &nd) < 0 ||
	    (cand = calloc(nd + 1, sizeof(*cand))) == NULL ||
	    (pick = calloc(nd + 1, sizeof(*pick))) == NULL ||
	    (busy = calloc(nd ? (size_t)(days[nd - 1] - days[0]) + 1 : 1, 1)) ==
	        NULL ||
	    (*proposals = json_array()) == NULL)
		goto out;
	for (k = 0; activity_kinds[k] != NULL; k++)
		if (only == NULL || activity_kind_index(only) == k)
			propose_kind(p, &pe, k, days, nd, busy, cand, pick,
			    *proposals);
	rc = 1;
out:
	free(days);
	free(cand);
	free(pick);
	free(busy);
	period_free(&pe);
	return rc;
}

/* --- accepted proposals -------------------------------------------------- */

/* Proposal e may be created: 1, 0 not (unknown station, no duration),
 * -1 a store failure. */
static int
acceptable(struct store *st, const struct event *e)
{
	struct station s;
	int rc = e->station_id ? store_station_get(st, e->station_id, &s) : 1;

	if (rc > 0 && e->station_id)
		station_free(&s);
	return rc > 0 && e->end_at <= e->start_at ? 0 : rc;
}

int
svc_plan_accept(struct store *st, int64_t plan_id, int64_t user_id,
    struct event *ev, size_t n, size_t *bad)
{
	json_t *d;
	char src[64], *detail;
	size_t i;
	int rc = 1;

	for (i = 0; i < n; i++)
		if ((rc = acceptable(st, &ev[i])) <= 0) {
			*bad = i;
			return rc;
		}
	snprintf(src, sizeof(src), "plan %lld", (long long)plan_id);
	d = json_pack("{s:s}", "source", src);
	detail = d != NULL ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	for (i = 0; i < n && rc > 0; i++) {
		ev[i].planned_start_at = ev[i].start_at;
		ev[i].created_at = ev[i].updated_at = svc_now();
		if (store_event_insert(st, &ev[i]) <= 0 ||
		    store_event_change_add(st, ev[i].id, "created", 0, 0,
		        ev[i].start_at, ev[i].end_at, src, user_id) < 0 ||
		    store_audit(st, user_id, "created", "event", ev[i].id,
		        detail) < 0 ||
		    svc_mail_event(st, ev[i].id, NULL) < 0)
			rc = -1;
	}
	free(detail);
	return rc;
}
