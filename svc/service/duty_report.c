/*
 * The duty logs of a period summed by station, counsellor or month — the
 * reports' "接待信访群众 4846 批次 … 心理疏导时数达 2009.60 小时" — and
 * the report as CSV and XLSX. A shift belongs to the day and month it
 * starts in, in its station's zone; counselling minutes sum to minutes
 * and print as hours with two decimals (duty_hours_format).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "service.h"

#define MINUTES_CODE "counselling_minutes"

const char *const duty_report_by_names[] = {
    /* DUTY_BY_STATION */ "station",
    /* DUTY_BY_COUNSELLOR */ "counsellor",
    /* DUTY_BY_MONTH */ "month",
    NULL,
};

static const char *const by_zh[DUTY_BY__MAX] = {
    /* DUTY_BY_STATION */ "驻点",
    /* DUTY_BY_COUNSELLOR */ "咨询师",
    /* DUTY_BY_MONTH */ "月份",
};

void
svc_duty_report_free(struct duty_report *rp)
{
	size_t i;

	for (i = 0; i < rp->ngroups; i++) {
		free(rp->groups[i].name);
		free(rp->groups[i].values);
	}
	free(rp->groups);
	free(rp->total.values);
	duty_metric_list_free(rp->metrics, rp->nmetrics);
	memset(rp, 0, sizeof(*rp));
}

/* The group of a shift, made when new; NULL on allocation failure. */
static struct duty_group *
group_of(struct duty_report *rp, int64_t id, const char *month)
{
	struct duty_group *g;
	size_t i;

	for (i = 0; i < rp->ngroups; i++)
		if (rp->groups[i].id == id &&
		    strcmp(rp->groups[i].month, month) == 0)
			return &rp->groups[i];
	if ((g = realloc(rp->groups, (rp->ngroups + 1) * sizeof(*g))) == NULL)
		return NULL;
	rp->groups = g;
	g = &rp->groups[rp->ngroups];
	memset(g, 0, sizeof(*g));
	g->id = id;
	snprintf(g->month, sizeof(g->month), "%s", month);
	if ((g->values = calloc(rp->nmetrics + 1, sizeof(*g->values))) == NULL)
		return NULL;
	rp->ngroups++;
	return g;
}

static int
metric_index(const struct duty_report *rp, const char *code)
{
	size_t i;

	for (i = 0; i < rp->nmetrics; i++)
		if (strcmp(rp->metrics[i].code, code) == 0)
			return (int)i;
	return -1;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct duty_group *x = a, *y = b;
	int c = strcmp(x->month, y->month);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Names of the groups: the station's or counsellor's, or "2023年5月". */
static int
name_groups(struct store *st, struct duty_report *rp)
{
	size_t i;
	int rc;

	for (i = 0; i < rp->ngroups; i++) {
		struct duty_group *g = &rp->groups[i];
		char buf[64];

		if (rp->by == DUTY_BY_MONTH) {
			snprintf(buf, sizeof(buf), "%.4s年%d月", g->month,
			    atoi(g->month + 5));
			g->name = strdup(buf);
		} else if (rp->by == DUTY_BY_STATION) {
			struct station s;

			if ((rc = store_station_get(st, g->id, &s)) < 0)
				return -1;
			g->name = strdup(rc ? s.name : "");
			if (rc)
				station_free(&s);
		} else if (g->id == 0) {
			g->name = strdup("（无人值班）");
		} else {
			struct counsellor c;

			if ((rc = store_counsellor_get(st, g->id, &c)) < 0)
				return -1;
			g->name = strdup(rc ? c.name : "");
			if (rc)
				counsellor_free(&c);
		}
		if (g->name == NULL)
			return -1;
	}
	return 1;
}

/* The stations' zones by id, for the month of a shift. */
struct zone_of_station {
	int64_t id;
	const struct tz *zone;
};

static const struct tz *
station_zone(struct store *st, struct zone_of_station *cache, size_t *n,
    size_t cap, int64_t id)
{
	struct station s;
	const struct tz *z = NULL;
	size_t i;
	int rc;

	for (i = 0; i < *n; i++)
		if (cache[i].id == id)
			return cache[i].zone;
	if ((rc = store_station_get(st, id, &s)) > 0) {
		z = tzdb_get(s.timezone);
		station_free(&s);
	}
	if (z == NULL)
		z = tzdb_default();
	if (rc >= 0 && *n < cap) {
		cache[*n].id = id;
		cache[*n].zone = z;
		(*n)++;
	}
	return z;
}

/* Sums the period: > 0, or -1 on a store failure. */
static int
report_build(struct store *st, time_t from, time_t to, struct duty_report *rp)
{
	struct duty_metric *all = NULL;
	struct duty_stat_shift *sh = NULL;
	struct duty_stat_value *val = NULL;
	struct zone_of_station zones[64];
	size_t nall = 0, nsh = 0, nval = 0, nzones = 0, i, k, j;
	int64_t *sums = NULL;
	time_t now = svc_now();
	int rc = -1;

	if (store_duty_metric_list(st, 0, &all, &nall) < 0 ||
	    store_duty_stat_shifts(st, from, to, &sh, &nsh) < 0 ||
	    store_duty_stat_values(st, from, to, &val, &nval) < 0)
		goto out;
	/* Every active metric, and the retired ones that have values. */
	if ((sums = calloc(nall + 1, sizeof(*sums))) == NULL ||
	    (rp->metrics = calloc(nall + 1, sizeof(*rp->metrics))) == NULL)
		goto out;
	for (k = 0; k < nval; k++)
		for (i = 0; i < nall; i++)
			if (strcmp(all[i].code, val[k].code) == 0)
				sums[i] += val[k].value;
	for (i = 0; i < nall; i++) {
		if (!all[i].active && sums[i] == 0)
			continue;
		rp->metrics[rp->nmetrics++] = all[i];
		memset(&all[i], 0, sizeof(all[i]));
	}
	rp->minutes = metric_index(rp, MINUTES_CODE);
	if ((rp->total.values = calloc(rp->nmetrics + 1,
	         sizeof(*rp->total.values))) == NULL)
		goto out;
	/* Both lists are in shift id order: one walk. */
	for (i = 0, k = 0; i < nsh; i++) {
		struct duty_group *g;
		char month[8] = "";
		int64_t id = 0;

		if (rp->by == DUTY_BY_STATION)
			id = sh[i].station_id;
		else if (rp->by == DUTY_BY_COUNSELLOR)
			id = sh[i].counsellor_id;
		else
			duty_month_key(sh[i].start_at,
			    station_zone(st, zones, &nzones,
			        sizeof(zones) / sizeof(zones[0]),
			        sh[i].station_id),
			    month, sizeof(month));
		if ((g = group_of(rp, id, month)) == NULL)
			goto out;
		if (sh[i].start_at <= now) {
			g->shifts++;
			rp->total.shifts++;
		}
		if (sh[i].logged) {
			g->logged++;
			rp->total.logged++;
			if (!sh[i].attended) {
				g->absent++;
				rp->total.absent++;
			}
		} else if (sh[i].end_at <= now && sh[i].counsellor_id != 0) {
			g->missing++;
			rp->total.missing++;
		}
		while (k < nval && val[k].shift_id < sh[i].shift_id)
			k++;
		for (; k < nval && val[k].shift_id == sh[i].shift_id; k++) {
			int m = metric_index(rp, val[k].code);

			if (m < 0)
				continue;
			g->values[m] += val[k].value;
			rp->total.values[m] += val[k].value;
		}
	}
	if (rp->ngroups > 1)
		qsort(rp->groups, rp->ngroups, sizeof(*rp->groups), cmp_group);
	rc = name_groups(st, rp) < 0 ? -1 : 1;
out:
	for (j = 0; j < nall; j++)
		duty_metric_free(&all[j]);
	free(all);
	free(sh);
	free(val);
	free(sums);
	return rc;
}

/* Column headings: the group, the counts of shifts, each metric with its
 * unit, and the counselling time again in hours after its minutes. */
static void
headings(const struct duty_report *rp, struct strbuf *b)
{
	size_t i;

	csv_put_field(b, by_zh[rp->by], 1);
	csv_put_field(b, "班次", 0);
	csv_put_field(b, "已记录", 0);
	csv_put_field(b, "缺席", 0);
	csv_put_field(b, "未填写", 0);
	for (i = 0; i < rp->nmetrics; i++) {
		char h[160];

		snprintf(h, sizeof(h), "%s（%s）", rp->metrics[i].name,
		    rp->metrics[i].unit);
		csv_put_field(b, h, 0);
		if ((int)i == rp->minutes)
			csv_put_field(b, "心理疏导时数（小时）", 0);
	}
	csv_end_row(b);
}

static void
csv_row(const struct duty_report *rp, const struct duty_group *g,
    const char *name, struct strbuf *b)
{
	char hours[DUTY_HOURS_MAX];
	size_t i;

	csv_put_field(b, name, 1);
	csv_put_number(b, (double)g->shifts, 0, 0);
	csv_put_number(b, (double)g->logged, 0, 0);
	csv_put_number(b, (double)g->absent, 0, 0);
	csv_put_number(b, (double)g->missing, 0, 0);
	for (i = 0; i < rp->nmetrics; i++) {
		csv_put_number(b, (double)g->values[i], 0, 0);
		if ((int)i == rp->minutes) {
			duty_hours_format(g->values[i], hours, sizeof(hours));
			csv_put_field(b, hours, 0);
		}
	}
	csv_end_row(b);
}

/* "B3:B20"-style column letters of a 0-based column. */
static void
col_name(size_t col, char *out)
{
	char tmp[8];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Hundredths of an hour, as duty_hours_format rounds them. */
static double
hours_value(int64_t minutes)
{
	return (double)((minutes * 100 + 30) / 60) / 100.0;
}

/* What column k (after the five fixed ones) of the export shows. */
struct xcol {
	size_t metric;
	int hours; /* the metric's minutes as hours */
};

/* Writes the report workbook to path; 1 on success. Every count is a
 * number cell, the hours a number shown with two decimals, and the 合计
 * row SUM formulas (with their values cached for readers that do not
 * calculate). */
static int
write_xlsx(const char *path, const struct duty_report *rp)
{
	static const char *const fixed_heads[5] = {NULL, "班次", "已记录",
	    "缺席", "未填写"};
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *cell, *hours, *total, *total_hours;
	struct xcol *cols;
	char title[128], h[160], formula[64], col[8], mcol[8] = "A";
	size_t i, k, m, nx = 0;
	lxw_row_t row;
	int ok;

	if (wb == NULL)
		return 0;
	if ((cols = calloc(rp->nmetrics * 2 + 1, sizeof(*cols))) == NULL) {
		workbook_close(wb);
		return 0;
	}
	for (m = 0; m < rp->nmetrics; m++) {
		cols[nx++] = (struct xcol){m, 0};
		if ((int)m == rp->minutes)
			cols[nx++] = (struct xcol){m, 1};
	}
	ws = workbook_add_worksheet(wb, "值班统计");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_text_wrap(head);
	cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	hours = workbook_add_format(wb);
	format_set_border(hours, LXW_BORDER_THIN);
	format_set_num_format(hours, "0.00");
	total = workbook_add_format(wb);
	format_set_bold(total);
	format_set_border(total, LXW_BORDER_THIN);
	total_hours = workbook_add_format(wb);
	format_set_bold(total_hours);
	format_set_border(total_hours, LXW_BORDER_THIN);
	format_set_num_format(total_hours, "0.00");

	snprintf(title, sizeof(title), "值班统计（按%s）%s 至 %s",
	    by_zh[rp->by], rp->from, rp->to);
	worksheet_write_string(ws, 0, 0, title, NULL);
	worksheet_write_string(ws, 1, 0, by_zh[rp->by], head);
	for (k = 1; k < 5; k++)
		worksheet_write_string(ws, 1, (lxw_col_t)k, fixed_heads[k],
		    head);
	for (k = 0; k < nx; k++) {
		const struct duty_metric *dm = &rp->metrics[cols[k].metric];

		if (cols[k].hours)
			snprintf(h, sizeof(h), "心理疏导时数（小时）");
		else
			snprintf(h, sizeof(h), "%s（%s）", dm->name, dm->unit);
		worksheet_write_string(ws, 1, (lxw_col_t)(k + 5), h, head);
	}
	for (i = 0; i <= rp->ngroups; i++) {
		const struct duty_group *g = i < rp->ngroups ? &rp->groups[i]
		                                             : &rp->total;
		const int64_t fixed[5] = {0, g->shifts, g->logged, g->absent,
		    g->missing};
		int is_total = i == rp->ngroups;

		row = (lxw_row_t)(i + 2);
		worksheet_write_string(ws, row, 0, is_total ? "合计" : g->name,
		    is_total ? total : cell);
		for (k = 1; k < 5 + nx; k++) {
			const struct xcol *x = k >= 5 ? &cols[k - 5] : NULL;
			int64_t n = x ? g->values[x->metric] : fixed[k];
			double v = x && x->hours ? hours_value(n) : (double)n;

			col_name(k, col);
			if (x && x->metric == (size_t)rp->minutes && !x->hours)
				snprintf(mcol, sizeof(mcol), "%s", col);
			if (!is_total) {
				worksheet_write_number(ws, row, (lxw_col_t)k, v,
				    x && x->hours ? hours : cell);
				continue;
			}
			/* The hours of the total come from the summed
			 * minutes: a sum of rounded hours could be off. */
			if (x && x->hours)
				snprintf(formula, sizeof(formula),
				    "=ROUND(%s%u/60,2)", mcol,
				    (unsigned)row + 1);
			else if (rp->ngroups == 0)
				snprintf(formula, sizeof(formula), "=0");
			else
				snprintf(formula, sizeof(formula),
				    "=SUM(%s3:%s%u)", col, col, (unsigned)row);
			worksheet_write_formula_num(ws, row, (lxw_col_t)k,
			    formula, x && x->hours ? total_hours : total, v);
		}
	}
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(4 + nx), 12, NULL);
	worksheet_freeze_panes(ws, 2, 1);
	free(cols);
	ok = workbook_close(wb) == LXW_NO_ERROR;
	return ok;
}

int
svc_duty_report(struct store *st, time_t from, time_t to,
    struct duty_report *rp)
{
	if (report_build(st, from, to, rp) < 0) {
		svc_duty_report_free(rp);
		return -1;
	}
	return 1;
}

char *
svc_duty_report_csv(const struct duty_report *rp, size_t *len)
{
	struct strbuf b = {0};
	size_t i;

	strbuf_str(&b, "\xEF\xBB\xBF");
	headings(rp, &b);
	for (i = 0; i < rp->ngroups; i++)
		csv_row(rp, &rp->groups[i], rp->groups[i].name, &b);
	csv_row(rp, &rp->total, "合计", &b);
	return strbuf_take(&b, len);
}

static int
write_report(const char *path, const void *rp)
{
	return write_xlsx(path, rp);
}

int
svc_duty_report_xlsx(const struct duty_report *rp, char **out, size_t *sz)
{
	return svc_xlsx_bytes(write_report, rp, out, sz);
}
