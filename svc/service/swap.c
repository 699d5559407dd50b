/*
 * Who is free for a shift, a counsellor's swap pick list and swap
 * requests read with names and dates (issue 13): one load of the
 * counsellors, their shifts and approved leave around the time asked,
 * then core's busy_check for each person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

#define BIG_PAGE 100000
#define PICK_DAYS 14

struct around {
	struct counsellor *people;
	struct shift *shifts;
	struct availability *leave;
	size_t np, ns, nl;
	struct busy_span *spans; /* scratch, one person's */
};

static void
around_free(struct around *a)
{
	counsellor_list_free(a->people, a->np);
	shift_list_free(a->shifts, a->ns);
	availability_list_free(a->leave, a->nl);
	free(a->spans);
	memset(a, 0, sizeof(*a));
}

/* Everyone, and the shifts and approved leave of [from, to). */
static int
around_load(struct store *st, time_t from, time_t to, struct around *a)
{
	struct store_page pg = {BIG_PAGE, 0};
	struct counsellor_filter cf = {-1, 0, NULL};
	struct shift_filter sf;
	struct availability_filter af;
	int64_t total;

	memset(a, 0, sizeof(*a));
	memset(&sf, 0, sizeof(sf));
	memset(&af, 0, sizeof(af));
	sf.from = af.from = from;
	sf.to = af.to = to;
	sf.active_only = 1;
	af.status = LEAVE_APPROVED;
	if (store_counsellor_list(st, &cf, &pg, &a->people, &a->np, &total) <
	        0 ||
	    store_shift_list(st, &sf, &pg, &a->shifts, &a->ns, &total) < 0 ||
	    store_availability_list(st, &af, &pg, &a->leave, &a->nl, &total) <
	        0 ||
	    (a->spans = calloc(a->ns + a->nl + 1, sizeof(*a->spans))) == NULL) {
		around_free(a);
		return -1;
	}
	return 0;
}

/* Monday 00:00 and the next Monday 00:00 (station time) around t. */
static void
week_of(time_t t, time_t *from, time_t *to)
{
	int64_t day = activity_local_day(t, tzdb_default());
	int64_t monday = roster_week(day) * 7 - 3;

	*from = tzdb_day_start(monday);
	*to = tzdb_day_start(monday + 7);
}

/* Whether counsellor c can take [start, end) with the shifts in ignore
 * given away; *why the busy kind, *reason a Chinese line (caller frees;
 * NULL when free). */
static int
busy_of(struct around *a, const struct counsellor *c, time_t start, time_t end,
    const int64_t *ignore, size_t nignore, enum busy_kind *why, char **reason)
{
	struct strbuf b = {0};
	size_t i, n = 0, w;
	time_t wf, wt;

	for (i = 0; i < a->ns; i++)
		if (a->shifts[i].counsellor_id == c->id)
			a->spans[n++] = (struct busy_span){a->shifts[i].id,
			    a->shifts[i].start_at, a->shifts[i].end_at, 0};
	for (i = 0; i < a->nl; i++)
		if (a->leave[i].counsellor_id == c->id)
			a->spans[n++] = (struct busy_span){a->leave[i].id,
			    a->leave[i].start_at, a->leave[i].end_at, 1};
	week_of(start, &wf, &wt);
	*why = busy_check(c->active, c->max_weekly_hours * 60, start, end, wf,
	    wt, a->spans, n, ignore, nignore, &w);
	*reason = NULL;
	switch (*why) {
	case BUSY_NONE:
		return 0;
	case BUSY_INACTIVE:
		strbuf_str(&b, "已停用");
		break;
	case BUSY_LEAVE:
		for (i = 0; i < a->nl; i++)
			if (a->leave[i].id == a->spans[w].id)
				break;
		strbuf_printf(&b, "请假（%s）",
		    i < a->nl && a->leave[i].reason[0] ? a->leave[i].reason
		                                       : "请假");
		notify_span_zh(&b, a->spans[w].start, a->spans[w].end,
		    tzdb_default());
		break;
	case BUSY_OVERLAP:
		for (i = 0; i < a->ns; i++)
			if (a->shifts[i].id == a->spans[w].id)
				break;
		strbuf_str(&b, "已有班次：");
		notify_span_zh(&b, a->spans[w].start, a->spans[w].end,
		    tzdb_default());
		if (i < a->ns)
			strbuf_printf(&b, " %s", a->shifts[i].station_name);
		break;
	default:
		strbuf_printf(&b, "本周将超过每周 %lld 小时上限",
		    (long long)c->max_weekly_hours);
		break;
	}
	*reason = strbuf_take(&b, NULL);
	return *reason == NULL ? -1 : 1;
}

int
svc_roster_free(struct store *st, time_t start, time_t end, int64_t shift_id,
    json_t **items)
{
	struct around a;
	json_t *free_ = json_array(), *busy = json_array();
	enum busy_kind why;
	char *reason;
	size_t i;
	int rc = -1, b;

	*items = NULL;
	if (free_ == NULL || busy == NULL ||
	    around_load(st, start - 8 * 86400, end + 8 * 86400, &a) < 0) {
		json_decref(free_);
		json_decref(busy);
		return -1;
	}
	for (i = 0; i < a.np; i++) {
		if ((b = busy_of(&a, &a.people[i], start, end, &shift_id, 1,
		         &why, &reason)) < 0)
			goto out;
		json_array_append_new(b ? busy : free_,
		    json_pack("{s:I, s:s, s:o, s:b, s:b, s:o, s:o}",
		        "counsellor_id", (json_int_t)a.people[i].id, "name",
		        a.people[i].name, "home_station_id",
		        a.people[i].home_station_id
		            ? json_integer(a.people[i].home_station_id)
		            : json_null(),
		        "active", a.people[i].active, "free", !b, "busy",
		        b ? json_string(busy_kind_names[why]) : json_null(),
		        "reason", reason ? json_string(reason) : json_null()));
		free(reason);
	}
	/* Free first, then the busy with their reasons. */
	json_array_extend(free_, busy);
	*items = free_;
	free_ = NULL;
	rc = 1;
out:
	json_decref(free_);
	json_decref(busy);
	around_free(&a);
	return rc;
}

/* "李老师 · 福田区来访接待大厅 · 3月4日（周三）14:00–17:00" */
static json_t *
pick_json(const struct shift *sh)
{
	struct strbuf b = {0};
	char *label;
	json_t *o;

	strbuf_printf(&b, "%s · %s · ", sh->counsellor_name, sh->station_name);
	notify_span_zh(&b, sh->start_at, sh->end_at, tzdb_default());
	if ((label = strbuf_take(&b, NULL)) == NULL)
		return NULL;
	o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:o, s:s}", "shift_id",
	    (json_int_t)sh->id, "counsellor_id", (json_int_t)sh->counsellor_id,
	    "counsellor_name", sh->counsellor_name, "station_id",
	    (json_int_t)sh->station_id, "station_name", sh->station_name,
	    "start", tzdb_time_json(sh->start_at), "end",
	    tzdb_time_json(sh->end_at), "label", label);
	free(label);
	return o;
}

int
svc_swap_options(struct store *st, int64_t me, int64_t shift_id, json_t **items)
{
	struct shift mine;
	struct around a;
	const struct counsellor *self = NULL, *other;
	enum busy_kind why;
	char *reason;
	json_t *arr;
	time_t now = svc_now(), lo, hi;
	size_t i, k;
	int rc, b;

	*items = NULL;
	if ((rc = store_shift_get(st, shift_id, &mine)) <= 0)
		return rc;
	if (mine.counsellor_id != me || mine.status == SHIFT_CANCELLED) {
		shift_free(&mine);
		return 0;
	}
	lo = mine.start_at - PICK_DAYS * 86400;
	hi = mine.end_at + PICK_DAYS * 86400;
	if (lo < now)
		lo = now;
	if ((arr = json_array()) == NULL ||
	    around_load(st, lo - 8 * 86400, hi + 8 * 86400, &a) < 0) {
		json_decref(arr);
		shift_free(&mine);
		return -1;
	}
	rc = -1;
	for (i = 0; i < a.np; i++)
		if (a.people[i].id == me)
			self = &a.people[i];
	for (i = 0; self != NULL && i < a.ns; i++) {
		const struct shift *y = &a.shifts[i];
		int64_t ids[2] = {mine.id, y->id};

		if (y->counsellor_id == 0 || y->counsellor_id == me ||
		    y->start_at < lo || y->start_at >= hi || y->start_at <= now)
			continue;
		for (other = NULL, k = 0; k < a.np; k++)
			if (a.people[k].id == y->counsellor_id)
				other = &a.people[k];
		if (other == NULL)
			continue;
		/* I take theirs, they take mine: both within the rules. */
		if ((b = busy_of(&a, self, y->start_at, y->end_at, ids, 2, &why,
		         &reason)) < 0)
			goto out;
		free(reason);
		if (b)
			continue;
		if ((b = busy_of(&a, other, mine.start_at, mine.end_at, ids, 2,
		         &why, &reason)) < 0)
			goto out;
		free(reason);
		if (!b)
			json_array_append_new(arr, pick_json(y));
	}
	*items = arr;
	arr = NULL;
	rc = 1;
out:
	json_decref(arr);
	around_free(&a);
	shift_free(&mine);
	return rc;
}

/* A shift of a request as {id, station_name, counsellor_name, start,
 * end}, null when gone; the span into b. */
static json_t *
side_json(struct store *st, int64_t id, struct strbuf *b, int *rc)
{
	struct shift sh;
	json_t *o;
	int got;

	if (id == 0)
		return json_null();
	if ((got = store_shift_get(st, id, &sh)) <= 0) {
		*rc = got < 0 ? -1 : *rc;
		strbuf_printf(b, "（班次已删除）");
		return json_null();
	}
	notify_span_zh(b, sh.start_at, sh.end_at, tzdb_default());
	strbuf_printf(b, " %s", sh.station_name);
	o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)sh.id,
	    "station_id", (json_int_t)sh.station_id, "station_name",
	    sh.station_name, "counsellor_name",
	    sh.counsellor_id ? json_string(sh.counsellor_name) : json_null(),
	    "start", tzdb_time_json(sh.start_at), "end",
	    tzdb_time_json(sh.end_at));
	shift_free(&sh);
	return o;
}

int
svc_swap_describe(struct store *st, const struct swap_request *w, json_t *out)
{
	struct counsellor c;
	struct strbuf b = {0}, scratch = {0};
	json_t *mine, *theirs, *other_name;
	char *summary;
	int rc = 1, got;

	if ((got = store_counsellor_get(st, w->requested_by, &c)) < 0)
		return -1;
	json_object_set_new(out, "requested_by_name",
	    got ? json_string(c.name) : json_null());
	if (got)
		counsellor_free(&c);
	strbuf_str(&b, w->other_shift_id ? "用 " : "让出 ");
	mine = side_json(st, w->shift_id, &b, &rc);
	if (w->other_shift_id) {
		strbuf_str(&b, " 与 ");
		/* the colleague's name before their shift */
		theirs = side_json(st, w->other_shift_id, &scratch, &rc);
		strbuf_free(&scratch);
		other_name = json_object_get(theirs, "counsellor_name");
		strbuf_printf(&b, "%s 的 ",
		    json_is_string(other_name) ? json_string_value(other_name)
		                               : "同事");
		json_decref(side_json(st, w->other_shift_id, &b, &rc));
		strbuf_str(&b, " 互换");
	} else {
		theirs = json_null();
		strbuf_str(&b, " 的班次");
	}
	json_object_set_new(out, "shift", mine);
	json_object_set_new(out, "other_shift", theirs);
	if ((summary = strbuf_take(&b, NULL)) == NULL)
		return -1;
	json_object_set_new(out, "summary", json_string(summary));
	free(summary);
	return rc;
}
