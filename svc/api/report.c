/*
 * /api/v1/reports: the evaluation table of a framework and period as the
 * bureaus exchange it — CSV (UTF-8 with BOM, core csv_put_field, so no
 * cell runs as a formula) and XLSX (libxlsxwriter: numbers as number
 * cells, percentages formatted, 合计 a SUM formula, 评价要点 and 扣分说明
 * printed, grouped levels merged) — and the records behind the dashboard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "api.h"

#define BIG_PAGE 100000
#define NCOLS 9

static const char *const report_headers[NCOLS + 1] = {"一级指标",
    "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分",
    "评价要点", "扣分说明", "同比"};

/* 评价要点 of a row as printed: "① text（1分）✓", one item a line. */
static void
points_text(const struct eval_row *row, struct strbuf *b)
{
	const struct ind_checklist *c = row->items;
	char num[32];
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct ind_item *it = &c->items[i];
		int mark = row->marked && i < row->nmarks && row->marks[i];

		indicator_number_format(it->points < 0 ? -it->points :
		    it->points, num, sizeof(num));
		/* ① is U+2460: E2 91 A0 */
		strbuf_printf(b, "%s%c%c%c %s（%s%s分）%s", i ? "\n" : "",
		    0xE2, 0x91, (char)(0xA0 + i), it->text,
		    it->points < 0 ? "扣" : "", num, !row->marked ? "" :
		    it->points < 0 ? (mark ? " 发生" : " 未发生") :
		    mark ? " ✓" : " ✗");
	}
}

/* A number as the CSV writes it: whole numbers without decimals. */
static void
put_number(struct strbuf *b, double v)
{
	csv_put_number(b, v, v == (double)(long long)v ? 0 : 2, 0);
}

int
api_report_csv(struct http_req *r)
{
	struct store *st;
	struct eval e;
	struct strbuf b = {0};
	char *buf, *pts;
	size_t sz, i, k, ncols;
	int rc;

	if (!api_eval_or_reply(r, &st, &e))
		return 422;
	ncols = e.compare ? NCOLS + 1 : NCOLS;
	strbuf_str(&b, "\xEF\xBB\xBF");
	for (k = 0; k < ncols; k++)
		csv_put_field(&b, report_headers[k], k == 0);
	csv_end_row(&b);
	for (i = 0; i < e.n; i++) {
		const struct eval_row *row = &e.rows[i];
		const struct indicator *ind = row->ind;
		struct strbuf p = {0};

		csv_put_field(&b, ind->level1, 1);
		csv_put_field(&b, ind->level2, 0);
		csv_put_field(&b, ind->level3, 0);
		put_number(&b, ind->weight);
		csv_put_field(&b, ind->target_text, 0);
		csv_put_field(&b, row->actual_text[0] ? row->actual_text :
		    row->scored ? "" : "暂无数据", 0);
		if (row->scored)
			put_number(&b, row->score);
		else
			csv_put_field(&b, "—", 0);
		points_text(row, &p);
		pts = strbuf_take(&p, NULL);
		csv_put_field(&b, pts ? pts : "", 0);
		free(pts);
		csv_put_field(&b, ind->note, 0);
		if (e.compare) {
			if (row->has_prev && row->prev_scored)
				put_number(&b, row->prev_score);
			else
				csv_put_field(&b, "—", 0);
		}
		csv_end_row(&b);
	}
	csv_put_field(&b, "合计", 1);
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	put_number(&b, indicator_round2(e.max));
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	put_number(&b, e.total);
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	if (e.compare)
		put_number(&b, e.prev_total);
	csv_end_row(&b);
	api_eval_free(&e);
	if ((buf = strbuf_take(&b, &sz)) == NULL)
		return api_reply_store_error(r);
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"indicators.csv\"");
	rc = http_reply_bytes(r, 200, "text/csv; charset=utf-8", buf, sz);
	free(buf);
	return rc;
}

/* The number format that prints a target as the table does: ">=95%",
 * "=100%", ">=2", "100%有效". */
static void
target_format(const struct indicator *ind, char *buf, size_t sz)
{
	int whole = ind->target_value == (double)(long long)ind->target_value;
	const char *op = strcmp(ind->target_text, "") != 0 &&
	    strncmp(ind->target_text, ind->target_op,
	    strlen(ind->target_op)) == 0 ? ind->target_op : "";

	if (strcmp(ind->target_unit, "count") == 0)
		snprintf(buf, sz, "%s%s%s%s", *op ? "\"" : "", op, *op ? "\"" :
		    "", whole ? "0" : "0.0#");
	else
		snprintf(buf, sz, "%s%s%s%s%s", *op ? "\"" : "", op,
		    *op ? "\"" : "", whole ? "0%" : "0.0#%",
		    strcmp(ind->target_unit, "rating") == 0 ? "\"有效\"" : "");
}

/* Writes the workbook to path; 1 on success. */
static int
write_xlsx(const char *path, const struct eval *e)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *title, *head, *text, *center, *num, *pct, *count2, *foot;
	lxw_format *footnum;
	char fmt[64], buf[160], sum[48];
	size_t i, j, k, ncols = e->compare ? NCOLS + 1 : NCOLS;
	lxw_row_t first = 2, last = (lxw_row_t)(e->n + 1), total;

	if (wb == NULL)
		return 0;
	ws = workbook_add_worksheet(wb, "绩效评价");
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head);
	text = workbook_add_format(wb);
	format_set_border(text, LXW_BORDER_THIN);
	format_set_text_wrap(text);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	center = workbook_add_format(wb);
	format_set_border(center, LXW_BORDER_THIN);
	format_set_text_wrap(center);
	format_set_align(center, LXW_ALIGN_CENTER);
	format_set_align(center, LXW_ALIGN_VERTICAL_CENTER);
	num = workbook_add_format(wb);
	format_set_border(num, LXW_BORDER_THIN);
	format_set_align(num, LXW_ALIGN_CENTER);
	format_set_align(num, LXW_ALIGN_VERTICAL_CENTER);
	pct = workbook_add_format(wb);
	format_set_border(pct, LXW_BORDER_THIN);
	format_set_align(pct, LXW_ALIGN_CENTER);
	format_set_align(pct, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(pct, "0.00%");
	count2 = workbook_add_format(wb);
	format_set_border(count2, LXW_BORDER_THIN);
	format_set_align(count2, LXW_ALIGN_CENTER);
	format_set_align(count2, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(count2, "0.00");
	foot = workbook_add_format(wb);
	format_set_bold(foot);
	format_set_border(foot, LXW_BORDER_THIN);
	format_set_bg_color(foot, 0xDDEBF7);
	format_set_align(foot, LXW_ALIGN_CENTER);
	footnum = workbook_add_format(wb);
	format_set_bold(footnum);
	format_set_border(footnum, LXW_BORDER_THIN);
	format_set_bg_color(footnum, 0xDDEBF7);
	format_set_align(footnum, LXW_ALIGN_CENTER);

	snprintf(buf, sizeof(buf), "%s（%s 至 %s）", e->fw.id ? e->fw.name :
	    "绩效评价", e->from, e->to);
	worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), buf, title);
	worksheet_set_row(ws, 0, 28, NULL);
	for (k = 0; k < ncols; k++)
		worksheet_write_string(ws, 1, (lxw_col_t)k,
		    k == NCOLS ? "同比" : report_headers[k], head);
	for (i = 0; i < e->n; i++) {
		const struct eval_row *row = &e->rows[i];
		const struct indicator *ind = row->ind;
		lxw_row_t y = (lxw_row_t)(first + i);
		struct strbuf p = {0};
		char *pts;

		/* the level names merged over their groups */
		if (i == 0 || strcmp(e->items[i - 1].level1, ind->level1) != 0) {
			for (j = i; j + 1 < e->n && strcmp(e->items[j + 1].level1,
			    ind->level1) == 0; j++)
				;
			if (j > i)
				worksheet_merge_range(ws, y, 0,
				    (lxw_row_t)(first + j), 0, ind->level1,
				    center);
			else
				worksheet_write_string(ws, y, 0, ind->level1,
				    center);
		}
		if (i == 0 || strcmp(e->items[i - 1].level1, ind->level1) !=
		    0 || strcmp(e->items[i - 1].level2, ind->level2) != 0) {
			for (j = i; j + 1 < e->n && strcmp(e->items[j + 1].level1,
			    ind->level1) == 0 && strcmp(e->items[j + 1].level2,
			    ind->level2) == 0; j++)
				;
			if (j > i)
				worksheet_merge_range(ws, y, 1,
				    (lxw_row_t)(first + j), 1, ind->level2,
				    center);
			else
				worksheet_write_string(ws, y, 1, ind->level2,
				    center);
		}
		worksheet_write_string(ws, y, 2, ind->level3, text);
		worksheet_write_number(ws, y, 3, ind->weight, num);
		if (ind->has_target) {
			lxw_format *tf = workbook_add_format(wb);

			format_set_border(tf, LXW_BORDER_THIN);
			format_set_align(tf, LXW_ALIGN_CENTER);
			format_set_align(tf, LXW_ALIGN_VERTICAL_CENTER);
			target_format(ind, fmt, sizeof(fmt));
			format_set_num_format(tf, fmt);
			worksheet_write_number(ws, y, 4,
			    strcmp(ind->target_unit, "count") == 0 ?
			    ind->target_value : ind->target_value / 100.0, tf);
		} else
			worksheet_write_string(ws, y, 4, ind->target_text,
			    center);
		if (row->has_actual && row->rate)
			worksheet_write_number(ws, y, 5, row->actual / 100.0,
			    pct);
		else if (row->has_actual)
			worksheet_write_number(ws, y, 5, row->actual,
			    row->actual == (double)(long long)row->actual ? num :
			    count2);
		else
			worksheet_write_string(ws, y, 5, row->actual_text[0] ?
			    row->actual_text : row->scored ? "" : "暂无数据",
			    center);
		if (row->scored)
			worksheet_write_number(ws, y, 6, row->score, num);
		else
			worksheet_write_string(ws, y, 6, "暂无数据", center);
		points_text(row, &p);
		pts = strbuf_take(&p, NULL);
		worksheet_write_string(ws, y, 7, pts ? pts : "", text);
		free(pts);
		worksheet_write_string(ws, y, 8, ind->note, text);
		if (e->compare) {
			if (row->has_prev && row->prev_scored)
				worksheet_write_number(ws, y, 9,
				    row->prev_score, num);
			else
				worksheet_write_string(ws, y, 9, "—", center);
		}
	}
	total = (lxw_row_t)(first + e->n);
	worksheet_merge_range(ws, total, 0, total, 2, "合计", foot);
	if (e->n > 0) {
		snprintf(sum, sizeof(sum), "=SUM(D%u:D%u)", (unsigned)first + 1,
		    (unsigned)last + 1);
		worksheet_write_formula_num(ws, total, 3, sum, footnum,
		    indicator_round2(e->max));
		snprintf(sum, sizeof(sum), "=SUM(G%u:G%u)", (unsigned)first + 1,
		    (unsigned)last + 1);
		worksheet_write_formula_num(ws, total, 6, sum, footnum,
		    e->total);
		if (e->compare) {
			snprintf(sum, sizeof(sum), "=SUM(J%u:J%u)",
			    (unsigned)first + 1, (unsigned)last + 1);
			worksheet_write_formula_num(ws, total, 9, sum, footnum,
			    e->prev_total);
		}
	} else {
		worksheet_write_number(ws, total, 3, 0, footnum);
		worksheet_write_number(ws, total, 6, 0, footnum);
	}
	for (k = 4; k < ncols; k++)
		if (k != 6 && k != 9)
			worksheet_write_blank(ws, total, (lxw_col_t)k, foot);
	worksheet_set_column(ws, 0, 1, 11, NULL);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_set_column(ws, 3, 3, 7, NULL);
	worksheet_set_column(ws, 4, 5, 12, NULL);
	worksheet_set_column(ws, 6, 6, 8, NULL);
	worksheet_set_column(ws, 7, 7, 56, NULL);
	worksheet_set_column(ws, 8, 8, 30, NULL);
	if (e->compare)
		worksheet_set_column(ws, 9, 9, 8, NULL);
	worksheet_freeze_panes(ws, 2, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 1, 1);
	return workbook_close(wb) == LXW_NO_ERROR;
}

int
api_report_xlsx(struct http_req *r)
{
	struct store *st;
	struct eval e;
	char path[256], *buf = NULL;
	const char *dir = getenv("TMPDIR");
	FILE *in = NULL;
	long sz = 0;
	int fd, rc;

	if (!api_eval_or_reply(r, &st, &e))
		return 422;
	/* libxlsxwriter writes a file; it lives only for this request. */
	snprintf(path, sizeof(path), "%s/hearth-report-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		api_eval_free(&e);
		return api_reply_store_error(r);
	}
	close(fd);
	rc = write_xlsx(path, &e);
	api_eval_free(&e);
	if (rc && (in = fopen(path, "rb")) != NULL &&
	    fseek(in, 0, SEEK_END) == 0 && (sz = ftell(in)) > 0 &&
	    fseek(in, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)sz)) != NULL &&
	    fread(buf, 1, (size_t)sz, in) == (size_t)sz)
		rc = 1;
	else
		rc = 0;
	if (in != NULL)
		fclose(in);
	unlink(path);
	if (!rc) {
		free(buf);
		return api_reply_store_error(r);
	}
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"indicators.xlsx\"");
	rc = http_reply_bytes(r, 200, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", buf, (size_t)sz);
	free(buf);
	return rc;
}

/* The period of ?from&to as dates and UTC bounds; the current year when
 * absent. Replies 422 and returns 0 on bad input. */
static int
period_or_reply(struct http_req *r, char *from, char *to, int64_t *dfrom,
    int64_t *dto)
{
	const char *a = http_req_query(r, "from"), *b = http_req_query(r, "to");
	int64_t y;
	unsigned m, d;

	time_civil_from_days(activity_local_day(svc_now(), tzdb_default()),
	    &y, &m, &d);
	*dfrom = time_days_from_civil(y, 1, 1);
	*dto = time_days_from_civil(y, 12, 31);
	if (a != NULL && !time_parse_date(a, dfrom)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "from",
		    "from: a date (YYYY-MM-DD)");
		return 0;
	}
	if (b != NULL && !time_parse_date(b, dto)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to: a date (YYYY-MM-DD)");
		return 0;
	}
	if (*dto < *dfrom || *dto - *dfrom > 3660) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to: on or after from, within ten years");
		return 0;
	}
	time_format_date(*dfrom, from);
	time_format_date(*dto, to);
	return 1;
}

/* Adds one to obj[key]. */
static void
count_in(json_t *obj, const char *key)
{
	json_object_set_new(obj, key, json_integer(json_integer_value(
	    json_object_get(obj, key)) + 1));
}

int
api_report_actuals(struct http_req *r)
{
	struct store *st;
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
	int64_t dfrom, dto, total, reg = 0, attreg = 0, attall = 0;
	int64_t required = 0, assigned = 0;
	time_t t0, t1;
	const struct tz *z = tzdb_default();
	json_t *by_kind, *by_station, *by_aud, *by_month, *by_q, *planned;
	json_t *sat, *duty, *cov = NULL, *covm = NULL, *covlist = NULL;
	char from[11], to[11], date[11], key[40];
	int rc = -1;

	if (!period_or_reply(r, from, to, &dfrom, &dto))
		return 422;
	if ((st = api_store_or_reply(r)) == NULL)
		return 503;
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

		json_object_foreach(covm, ck, cv) {
			json_object_set_new(cv, "rate", json_real((double)
			    json_integer_value(json_object_get(cv, "assigned")) /
			    (double)json_integer_value(json_object_get(cv,
			    "required"))));
			json_array_append(covlist, cv);
		}
	}
	for (i = 0; i < nev; i++) {
		const char *sname = NULL;

		if (ev[i].start_at < t0 || strcmp(ev[i].status, "cancelled") == 0)
			continue;
		if (strcmp(ev[i].status, "held") != 0) {
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

		json_object_foreach(sat, mk, m)
			json_object_set_new(m, "rate", json_real((double)
			    json_integer_value(json_object_get(m, "satisfied")) /
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
			json_array_append_new(duty, json_pack(
			    "{s:I, s:s, s:f}", "counsellor_id",
			    (json_int_t)people[i].id, "name", people[i].name,
			    "hours", (double)sec / 3600.0));
	}
	rc = http_reply_json(r, 200, json_pack(
	    "{s:s, s:s, s:{s:o, s:o, s:o, s:o, s:o}, s:o,"
	    " s:{s:I, s:I, s:I, s:o}, s:o, s:o, s:{s:I, s:I, s:o}, s:o, s:o}",
	    "from", from, "to", to,
	    "events", "by_kind", by_kind, "by_station", by_station,
	    "by_audience", by_aud, "by_month", by_month, "by_quarter", by_q,
	    "planned", planned,
	    "participants", "registered", (json_int_t)reg,
	    "attended_registered", (json_int_t)attreg,
	    "attended", (json_int_t)attall,
	    "attendance_rate", reg ? json_real((double)attreg / (double)reg)
				   : json_null(),
	    "satisfaction_by_month", sat, "duty_hours", duty,
	    "coverage", "required", (json_int_t)required,
	    "assigned", (json_int_t)assigned,
	    "rate", required ? json_real((double)(assigned < required
		? assigned : required) / (double)required) : json_null(),
	    "coverage_by_station", cov ? cov : json_array(),
	    "coverage_by_station_month", covlist ? covlist : json_array()));
	by_kind = by_station = by_aud = by_month = by_q = planned = sat = NULL;
	duty = cov = covlist = NULL;
out:
	if (rc < 0)
		rc = api_reply_store_error(r);
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
