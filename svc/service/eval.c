/*
 * A framework scored for a period: where each row's actual comes from
 * (events, trainings, plans, surveys with paper tallies, duty logs, key
 * cases), its score by the rules of core/indicator.c, and the same a year
 * earlier for 同比. The indicators page, the CSV and the XLSX all show
 * this one computation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

#define BIG_PAGE 100000

/* A date a year before day (29 February becomes the 28th). */
static int64_t
year_before(int64_t day)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return time_days_from_civil(y - 1, m, d);
}

/* Counts of one period, loaded when a row first needs them. */
struct src_ctx {
	struct store *st;
	struct src_period p;
	int trainings;
	int64_t held, passed, assessed, on_time;
};

static int
load_trainings(struct src_ctx *c)
{
	struct event_filter f;
	struct store_page pg = {BIG_PAGE, 0};
	struct event *ev = NULL;
	size_t n = 0, i;
	int64_t total;

	if (c->trainings)
		return 1;
	memset(&f, 0, sizeof(f));
	f.from = c->p.t0;
	f.to = c->p.t1;
	f.kind = "training";
	f.status = EVENT_HELD;
	if (store_stat_training(c->st, c->p.t0, c->p.t1, &c->held, &c->passed,
	        &c->assessed) < 0 ||
	    store_event_list(c->st, &f, &pg, &ev, &n, &total) < 0)
		return -1;
	c->on_time = 0;
	for (i = 0; i < n; i++)
		if (ev[i].start_at >= c->p.t0)
			c->on_time += activity_on_time(ev[i].start_at,
			    ev[i].planned_start_at, tzdb_default());
	event_list_free(ev, n);
	c->trainings = 1;
	return 1;
}

/* The actual a source gives for the period: 1 with *v, 0 when there is
 * nothing to compute it from (a rate with no denominator), -1 on a
 * store failure. A count is always data: none held is an actual of 0. */
static int
source_actual(struct src_ctx *c, const struct ind_source *s, double *v)
{
	int64_t a = 0, b = 0, x = 0;

	*v = 0;
	switch (s->kind) {
	case IND_SRC_EVENTS_HELD:
		if (store_src_events_held(c->st, &c->p,
		        s->kind_filter[0] ? s->kind_filter : NULL,
		        s->audience[0] ? s->audience : NULL,
		        s->station[0] ? s->station : NULL, &a) < 0)
			return -1;
		*v = (double)a;
		return 1;
	case IND_SRC_TRAININGS_HELD:
		if (load_trainings(c) < 0)
			return -1;
		*v = (double)c->held;
		return 1;
	case IND_SRC_TRAININGS_PASS_RATE:
		if (load_trainings(c) < 0)
			return -1;
		*v = indicator_rate(c->passed, c->assessed);
		return c->assessed > 0;
	case IND_SRC_TRAININGS_ON_TIME_RATE:
		if (load_trainings(c) < 0)
			return -1;
		*v = indicator_rate(c->on_time, c->held);
		return c->held > 0;
	case IND_SRC_PLANS_COMPLETION:
		if (store_src_plans(c->st, &c->p,
		        s->kind_filter[0] ? s->kind_filter : NULL, &a, &b) < 0)
			return -1;
		*v = indicator_rate(a, b);
		return b > 0;
	case IND_SRC_SURVEYS_SATISFACTION:
		if (store_src_satisfaction(c->st, &c->p, (int)s->survey, &a,
		        &b) < 0)
			return -1;
		*v = indicator_rate(a, b);
		return b > 0;
	case IND_SRC_DUTY_METRIC:
		if (store_src_duty_sum(c->st, &c->p, s->metric, &a) < 0)
			return -1;
		*v = s->per_hour ? (double)a / 60.0 : (double)a;
		return 1;
	case IND_SRC_DUTY_ATTENDANCE_RATE:
		if (store_src_duty_attendance(c->st, &c->p, &a, &b) < 0)
			return -1;
		*v = indicator_rate(a, b);
		return b > 0;
	case IND_SRC_CASES_ASSISTED:
	case IND_SRC_CASES_RESOLVED:
	case IND_SRC_CASES_RESOLUTION_RATE:
	case IND_SRC_CASES_SESSION_HOURS:
		if (store_src_cases(c->st, &c->p, &a, &b, &x) < 0)
			return -1;
		if (s->kind == IND_SRC_CASES_ASSISTED)
			*v = (double)a;
		else if (s->kind == IND_SRC_CASES_RESOLVED)
			*v = (double)b;
		else if (s->kind == IND_SRC_CASES_SESSION_HOURS)
			*v = (double)x / 60.0;
		else {
			*v = indicator_rate(b, a);
			return a > 0;
		}
		return 1;
	default:
		return 0;
	}
}

static void
format_actual(double v, int percent, char *buf, size_t sz)
{
	if (!percent && v == (double)(long long)v)
		snprintf(buf, sz, "%lld", (long long)v);
	else
		snprintf(buf, sz, "%.2f%s", v, percent ? "%" : "");
}

int
svc_eval_row_score(struct eval_row *row, struct indicator *ind,
    svc_eval_measure measure, void *ctx)
{
	struct ind_rule rule;
	struct ind_source src;
	struct ind_eval ev;
	int rc;

	row->ind = ind;
	row->met = -1;
	if ((row->items = malloc(sizeof(*row->items))) == NULL)
		return -1;
	if (!indicator_checklist_parse(ind->checklist, row->items, NULL, 0))
		row->items->n = 0;
	if (!indicator_rule_parse(ind->rule, &rule, NULL, 0))
		rule.kind = IND_RULE_MANUAL;
	if (!indicator_source_parse(ind->source, &src, NULL, 0))
		src.kind = IND_SRC_MANUAL;
	row->marked = ind->marks != NULL &&
	    indicator_marks_parse(ind->marks, row->marks, IND_ITEMS_MAX,
	        &row->nmarks);
	row->rate = strcmp(ind->target_unit, "count") != 0 ||
	    (!ind->has_target && indicator_source_is_rate(&src));
	if (src.kind == IND_SRC_MANUAL || measure == NULL) {
		row->has_actual = ind->has_value || ind->has_rating;
		row->actual = ind->has_value ? ind->value : ind->rating;
	} else {
		if ((rc = measure(ctx, &src, &row->actual)) < 0)
			return -1;
		row->has_actual = rc;
	}
	if (rule.kind == IND_RULE_CHECKLIST) {
		/* the actual of a checklist row is its marks */
		size_t k, met = 0, pos = 0;

		row->has_actual = 0;
		for (k = 0; k < row->items->n; k++)
			if (row->items->items[k].points > 0) {
				pos++;
				met += k < row->nmarks && row->marks[k];
			}
		if (row->marked)
			snprintf(row->actual_text, sizeof(row->actual_text),
			    "符合 %zu/%zu 项", met, pos);
	} else if (rule.kind == IND_RULE_MANUAL && !row->has_actual)
		row->actual_text[0] = '\0';
	if (row->has_actual)
		format_actual(row->actual, row->rate, row->actual_text,
		    sizeof(row->actual_text));
	memset(&ev, 0, sizeof(ev));
	ev.rule = &rule;
	ev.weight = ind->weight;
	ev.has_target = ind->has_target;
	ev.target = ind->target_value;
	ev.has_actual = row->has_actual;
	ev.actual = row->actual;
	ev.items = row->items;
	ev.marked = row->marked;
	ev.marks = row->marks;
	ev.nmarks = row->nmarks;
	ev.has_score = ind->has_score;
	ev.score = ind->score;
	row->scored = indicator_evaluate(&ev, &row->score);
	if (row->has_actual && ind->has_target &&
	    indicator_rule_needs_actual(&rule))
		row->met = indicator_met(ind->target_op, ind->target_value,
		    row->actual);
	return 1;
}

/* The actual of a measured source over the period of ctx (a src_ctx). */
static int
measure_source(void *ctx, const struct ind_source *src, double *actual)
{
	return source_actual(ctx, src, actual);
}

/* Scores the rows of framework fw for [from, to] into rows[]; total and
 * max by reference. */
static int
score_rows(struct store *st, int64_t fw, const char *from, const char *to,
    int64_t dfrom, int64_t dto, struct indicator **items, size_t *n,
    struct eval_row **rowsp, double *total, double *max)
{
	struct src_ctx c;
	struct eval_row *rows;
	size_t i;

	*items = NULL;
	*n = 0;
	*rowsp = NULL;
	*total = *max = 0;
	if (fw == 0)
		return 1;
	if (store_indicator_list(st, fw, from, to, items, n) < 0)
		return -1;
	if ((rows = calloc(*n + 1, sizeof(*rows))) == NULL)
		return -1;
	*rowsp = rows;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.p.t0 = tzdb_day_start(dfrom);
	c.p.t1 = tzdb_day_start(dto + 1);
	c.p.d0 = from;
	c.p.d1 = to;
	for (i = 0; i < *n; i++) {
		if (svc_eval_row_score(&rows[i], &(*items)[i], measure_source,
		        &c) < 0)
			return -1;
		*max += (*items)[i].weight;
		if (rows[i].scored)
			*total += rows[i].score;
	}
	*total = indicator_round2(*total);
	return 1;
}

static void
rows_free(struct indicator *items, struct eval_row *rows, size_t n)
{
	size_t i;

	for (i = 0; rows != NULL && i < n; i++)
		free(rows[i].items);
	free(rows);
	indicator_list_free(items, n);
}

/* The same span a year earlier, scored with the framework whose period
 * holds its start (else the same framework); rows matched by code, else
 * by their level-3 name. */
static int
compare_previous(struct store *st, struct eval *e)
{
	struct indicator *items = NULL;
	struct eval_row *rows = NULL;
	struct framework pf;
	int64_t pfrom = year_before(e->dfrom), pto = year_before(e->dto);
	int64_t fid = e->fw.id, id;
	double total = 0, max = 0;
	size_t n = 0, i, k;
	int rc;

	time_format_date(pfrom, e->prev_from);
	time_format_date(pto, e->prev_to);
	if ((rc = store_framework_for_date(st, e->prev_from, &id)) < 0)
		return -1;
	if (rc > 0) {
		if ((rc = store_framework_get(st, id, &pf)) < 0)
			return -1;
		if (rc > 0 && strcmp(pf.date_from, e->prev_from) <= 0 &&
		    strcmp(e->prev_from, pf.date_to) <= 0)
			fid = id;
		if (rc > 0)
			framework_free(&pf);
	}
	e->prev_fw_id = fid;
	if (score_rows(st, fid, e->prev_from, e->prev_to, pfrom, pto, &items,
	        &n, &rows, &total, &max) < 0) {
		rows_free(items, rows, n);
		return -1;
	}
	e->prev_total = total;
	for (i = 0; i < e->n; i++) {
		struct eval_row *cur = &e->rows[i];

		for (k = 0; k < n; k++)
			if (strcmp(items[k].code, cur->ind->code) == 0)
				break;
		if (k == n)
			for (k = 0; k < n; k++)
				if (strcmp(items[k].level3, cur->ind->level3) ==
				    0)
					break;
		if (k == n)
			continue;
		cur->has_prev = 1;
		cur->prev_has_actual = rows[k].has_actual;
		cur->prev_actual = rows[k].actual;
		cur->prev_scored = rows[k].scored;
		cur->prev_score = rows[k].score;
	}
	rows_free(items, rows, n);
	return 1;
}

void
svc_eval_free(struct eval *e)
{
	rows_free(e->items, e->rows, e->n);
	framework_free(&e->fw);
	e->items = NULL;
	e->rows = NULL;
	e->n = 0;
}

int
svc_eval_score(struct store *st, struct eval *e)
{
	if (score_rows(st, e->fw.id, e->from, e->to, e->dfrom, e->dto,
	        &e->items, &e->n, &e->rows, &e->total, &e->max) < 0 ||
	    (e->compare && e->fw.id != 0 && compare_previous(st, e) < 0)) {
		svc_eval_free(e);
		return -1;
	}
	return 1;
}
