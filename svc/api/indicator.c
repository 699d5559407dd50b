/*
 * /api/v1/indicators and /api/v1/reports: the evaluation framework
 * scored from the records of a period (core/indicator.c holds the
 * rules), the actuals behind the dashboard, and the reports as CSV and
 * XLSX with the Chinese headers of the bureau's tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "api.h"
#include "../tzdb.h"

#define BIG_PAGE 100000

static const char *const report_headers[7] = {"一级指标", "二级指标",
    "三级指标", "年度指标值", "实际完成值", "分值", "得分"};

/* The period of ?from&to as dates and UTC bounds; the current year when
 * absent. Replies 422 and returns 0 on bad input. */
static int
period_or_reply(struct http_req *r, char *from, char *to, int64_t *dfrom,
    int64_t *dto)
{
	const char *a = http_req_query(r, "from"), *b = http_req_query(r, "to");
	int64_t y;
	unsigned m, d;

	time_civil_from_days(activity_local_day(api_now(), tzdb_default()),
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

/* The record-based actuals of a period. has_* = 0 means "no data". */
struct actuals {
	int64_t trainings_held, passed, assessed, on_time;
	int64_t satisfied, answers;
};

static int
load_actuals(struct store *st, time_t t0, time_t t1, struct actuals *a)
{
	struct event_filter f;
	struct store_page pg = {BIG_PAGE, 0};
	struct event *ev = NULL;
	struct stat_answer *ans = NULL;
	size_t n = 0, i;
	int64_t total;

	memset(a, 0, sizeof(*a));
	memset(&f, 0, sizeof(f));
	f.from = t0;
	f.to = t1;
	f.kind = "training";
	f.status = "held";
	if (store_stat_training(st, t0, t1, &a->trainings_held, &a->passed,
	    &a->assessed) < 0 ||
	    store_event_list(st, &f, &pg, &ev, &n, &total) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ev[i].start_at >= t0)
			a->on_time += activity_on_time(ev[i].start_at,
			    ev[i].planned_start_at, tzdb_default());
	event_list_free(ev, n);
	if (store_stat_satisfaction(st, t0, t1, &ans, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		a->answers++;
		a->satisfied += ans[i].value >= 4;
	}
	free(ans);
	return 1;
}

/* The actual of one indicator; 0 when there is no data. */
static int
actual_of(const struct indicator *ind, const struct actuals *a, double *v)
{
	if (strcmp(ind->source, "trainings_held") == 0) {
		*v = (double)a->trainings_held;
		return 1;
	}
	if (strcmp(ind->source, "training_pass_rate") == 0) {
		*v = a->assessed ? 100.0 * (double)a->passed /
		    (double)a->assessed : 0;
		return a->assessed > 0;
	}
	if (strcmp(ind->source, "training_on_time_rate") == 0) {
		*v = a->trainings_held ? 100.0 * (double)a->on_time /
		    (double)a->trainings_held : 0;
		return a->trainings_held > 0;
	}
	if (strcmp(ind->source, "satisfaction_rate") == 0) {
		*v = a->answers ? 100.0 * (double)a->satisfied /
		    (double)a->answers : 0;
		return a->answers > 0;
	}
	*v = ind->value;
	return ind->has_value;
}

static void
format_number(double v, const char *unit, char *buf, size_t sz)
{
	if (strcmp(unit, "count") == 0 && v == (double)(long long)v)
		snprintf(buf, sz, "%lld", (long long)v);
	else
		snprintf(buf, sz, "%.2f%s", v, strcmp(unit, "count") == 0
		    ? "" : "%");
}

/* The scored table of a period. */
struct scored {
	struct indicator *items;
	size_t n;
	double *actual, *score;
	int *has;
	double total, max;
};

static void
scored_free(struct scored *s)
{
	indicator_list_free(s->items, s->n);
	free(s->actual);
	free(s->score);
	free(s->has);
}

static int
score_period(struct store *st, const char *from, const char *to,
    int64_t dfrom, int64_t dto, struct scored *s)
{
	struct actuals a;
	struct ind_rule rule;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (store_indicator_list(st, from, to, &s->items, &s->n) < 0 ||
	    load_actuals(st, api_day_start(dfrom), api_day_start(dto + 1),
	    &a) < 0)
		return -1;
	s->actual = calloc(s->n + 1, sizeof(double));
	s->score = calloc(s->n + 1, sizeof(double));
	s->has = calloc(s->n + 1, sizeof(int));
	if (!s->actual || !s->score || !s->has)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct indicator *ind = &s->items[i];

		s->max += ind->weight;
		if (!(s->has[i] = actual_of(ind, &a, &s->actual[i])))
			continue;
		if (!indicator_rule_parse(ind->rule, &rule, NULL, 0))
			rule.kind = IND_RULE_RATIO;
		s->score[i] = indicator_rule_score(&rule, ind->target_value,
		    s->actual[i], ind->weight);
		s->total += s->score[i];
	}
	return 1;
}

int
api_indicator_list(struct http_req *r)
{
	struct store *st;
	struct scored s;
	char from[11], to[11], text[48];
	int64_t dfrom, dto;
	json_t *arr;
	size_t i;
	int rc;

	if (!period_or_reply(r, from, to, &dfrom, &dto))
		return 422;
	if ((st = api_store_or_reply(r)) == NULL)
		return 503;
	if (score_period(st, from, to, dfrom, dto, &s) < 0) {
		scored_free(&s);
		return api_reply_store_error(r);
	}
	arr = json_array();
	for (i = 0; i < s.n && arr; i++) {
		const struct indicator *ind = &s.items[i];
		json_t *manual = json_null();

		if (ind->has_value)
			manual = json_pack("{s:f, s:s, s:s, s:o}", "value",
			    ind->value, "note", ind->note, "username",
			    ind->entered_by, "at", api_time_json(ind->entered_at));
		format_number(s.actual[i], ind->target_unit, text,
		    sizeof(text));
		json_array_append_new(arr, json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:f, s:s, s:s,"
		    " s:o, s:o, s:o, s:o, s:b, s:o}",
		    "code", ind->code, "level1", ind->level1,
		    "level2", ind->level2, "level3", ind->level3,
		    "target", ind->target_text, "target_op", ind->target_op,
		    "target_value", ind->target_value, "unit", ind->target_unit,
		    "weight", ind->weight, "rule", ind->rule,
		    "source", ind->source,
		    "actual", s.has[i] ? json_real(s.actual[i]) : json_null(),
		    "actual_text", s.has[i] ? json_string(text) : json_null(),
		    "met", s.has[i] ? json_boolean(indicator_met(ind->target_op,
			ind->target_value, s.actual[i])) : json_null(),
		    "score", s.has[i] ? json_real(s.score[i]) : json_null(),
		    "no_data", !s.has[i], "manual", manual));
	}
	rc = http_reply_json(r, 200, json_pack("{s:s, s:s, s:f, s:f, s:o}",
	    "from", from, "to", to, "total_score",
	    (double)(long long)(s.total * 100 + 0.5) / 100.0,
	    "max_score", s.max, "items", arr ? arr : json_array()));
	scored_free(&s);
	return rc;
}

static const char *const rules[] = {"ratio", "tiered",
    "satisfaction_deduct", "satisfaction_tiers", NULL};

int
api_indicator_put(struct http_req *r)
{
	static const struct vfield f[] = {
		{.name = "from", .type = VT_DATE},
		{.name = "to", .type = VT_DATE},
		{.name = "target", .type = VT_STRING, .min = 1, .max = 32},
		{.name = "weight", .type = VT_OBJECT, .readonly = 1},
		{.name = "rule", .type = VT_ENUM, .choices = rules},
		{.name = "value", .type = VT_OBJECT, .readonly = 1},
		{.name = "note", .type = VT_STRING, .nullable = 1, .max = 200},
	};
	json_t *body = http_req_json(r), *v;
	struct indicator_period p;
	struct ind_target t;
	struct indicator ind;
	struct herror err;
	struct store *st;
	const char *from, *to;
	int64_t a, b;
	char *note = NULL;
	int rc;

	if (!valid_object(body, f, 7, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	memset(&p, 0, sizeof(p));
	if ((v = json_object_get(body, "weight")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0 ||
		    json_number_value(v) > 100)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "weight", "weight: a number from 0 to 100");
		p.has_weight = 1;
		p.weight = json_number_value(v);
	}
	if ((v = json_object_get(body, "value")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0 ||
		    json_number_value(v) > 1e6)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "value", "value: a number, 0 or more");
		p.has_value = 1;
		p.value = json_number_value(v);
	}
	if ((v = json_object_get(body, "target")) != NULL) {
		if (!indicator_target_parse(json_string_value(v), &t))
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "target", "target: like >=2, =100%%, >=90%% or "
			    "100%%有效");
		p.has_target = 1;
		memcpy(p.target_op, t.op, sizeof(p.target_op));
		p.target_value = t.value;
		p.target_unit = t.unit;
		p.target_text = json_string_value(v);
	}
	if ((p.rule = json_string_value(json_object_get(body, "rule"))))
		p.has_rule = 1;
	from = json_string_value(json_object_get(body, "from"));
	to = json_string_value(json_object_get(body, "to"));
	if ((from == NULL) != (to == NULL) || (from && (!time_parse_date(from,
	    &a) || !time_parse_date(to, &b) || b < a)))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "from and to: both dates, to not before from");
	if (from == NULL && (p.has_value || json_object_get(body, "note")))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "from",
		    "a value is for a period: give from and to");
	if ((st = api_store_or_reply(r)) == NULL)
		return 503;
	if ((rc = store_indicator_get(st, http_req_tok(r, 0), &ind)) <= 0)
		return rc < 0 ? api_reply_store_error(r)
		    : http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "no such indicator");
	if (from != NULL) {
		note = valid_str(body, "note", NULL);
		p.note = note;
		rc = store_indicator_period_set(st, ind.id, from, to, &p,
		    http_req_principal(r)->user_id, api_now());
	} else {
		if (p.has_target) {
			memcpy(ind.target_op, p.target_op, 3);
			ind.target_value = p.target_value;
			free(ind.target_unit);
			free(ind.target_text);
			ind.target_unit = strdup(p.target_unit);
			ind.target_text = strdup(p.target_text);
		}
		if (p.has_weight)
			ind.weight = p.weight;
		if (p.has_rule) {
			free(ind.rule);
			ind.rule = strdup(p.rule);
		}
		rc = ind.target_unit && ind.target_text && ind.rule
		    ? store_indicator_update(st, &ind) : -1;
	}
	free(note);
	if (rc < 0 || api_audit(r, st, "update", "indicator", ind.id,
	    body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, json_pack("{s:s, s:b}", "code",
		    ind.code, "saved", 1));
	indicator_free(&ind);
	return rc;
}

/* The cells of one report row. */
static void
row_cells(const struct scored *s, size_t i, char cells[7][160])
{
	const struct indicator *ind = &s->items[i];

	snprintf(cells[0], 160, "%s", ind->level1);
	snprintf(cells[1], 160, "%s", ind->level2);
	snprintf(cells[2], 160, "%s", ind->level3);
	snprintf(cells[3], 160, "%s", ind->target_text);
	if (s->has[i])
		format_number(s->actual[i], ind->target_unit, cells[4], 160);
	else
		snprintf(cells[4], 160, "暂无数据");
	snprintf(cells[5], 160, "%g", ind->weight);
	if (s->has[i])
		snprintf(cells[6], 160, "%.2f", s->score[i]);
	else
		snprintf(cells[6], 160, "—");
}

static int
load_report(struct http_req *r, struct store **st, struct scored *s,
    char *from, char *to)
{
	int64_t dfrom, dto;

	if (!period_or_reply(r, from, to, &dfrom, &dto))
		return 0;
	if ((*st = api_store_or_reply(r)) == NULL)
		return 0;
	if (score_period(*st, from, to, dfrom, dto, s) < 0) {
		scored_free(s);
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

int
api_report_csv(struct http_req *r)
{
	struct store *st;
	struct scored s;
	char from[11], to[11], cells[7][160], total[64], max[64];
	char *buf = NULL;
	size_t sz = 0, i, k;
	FILE *out;
	int rc;

	if (!load_report(r, &st, &s, from, to))
		return 422;
	if ((out = open_memstream(&buf, &sz)) == NULL) {
		scored_free(&s);
		return api_reply_store_error(r);
	}
	fputs("\xEF\xBB\xBF", out);
	for (k = 0; k < 7; k++)
		fprintf(out, "%s%s", report_headers[k], k < 6 ? "," : "\r\n");
	for (i = 0; i < s.n; i++) {
		row_cells(&s, i, cells);
		for (k = 0; k < 7; k++) {
			const char *c = cells[k];

			/* quote every cell: targets hold '%' and '>=' */
			fputc('"', out);
			for (; *c; c++) {
				if (*c == '"')
					fputc('"', out);
				fputc(*c, out);
			}
			fprintf(out, "\"%s", k < 6 ? "," : "\r\n");
		}
	}
	snprintf(total, sizeof(total), "%.2f", s.total);
	snprintf(max, sizeof(max), "%g", s.max);
	fprintf(out, "\"合计\",\"\",\"\",\"\",\"\",\"%s\",\"%s\"\r\n", max,
	    total);
	fclose(out);
	scored_free(&s);
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"indicators.csv\"");
	rc = http_reply_bytes(r, 200, "text/csv; charset=utf-8", buf, sz);
	free(buf);
	return rc;
}

/* Writes the report workbook to path; 1 on success. */
static int
write_xlsx(const char *path, const struct scored *s, const char *from,
    const char *to)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *wrap;
	char cells[7][160], title[96];
	size_t i, k;

	if (wb == NULL)
		return 0;
	ws = workbook_add_worksheet(wb, "绩效指标");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	wrap = workbook_add_format(wb);
	format_set_border(wrap, LXW_BORDER_THIN);
	format_set_text_wrap(wrap);
	snprintf(title, sizeof(title), "绩效指标 %s 至 %s", from, to);
	worksheet_write_string(ws, 0, 0, title, NULL);
	for (k = 0; k < 7; k++)
		worksheet_write_string(ws, 1, (lxw_col_t)k, report_headers[k],
		    head);
	for (i = 0; i < s->n; i++) {
		row_cells(s, i, cells);
		for (k = 0; k < 7; k++)
			if ((k == 5 || (k == 6 && s->has[i])))
				worksheet_write_number(ws, (lxw_row_t)(i + 2),
				    (lxw_col_t)k, k == 5 ? s->items[i].weight
				    : s->score[i], wrap);
			else
				worksheet_write_string(ws, (lxw_row_t)(i + 2),
				    (lxw_col_t)k, cells[k], wrap);
	}
	worksheet_write_string(ws, (lxw_row_t)(s->n + 2), 0, "合计", head);
	worksheet_write_number(ws, (lxw_row_t)(s->n + 2), 5, s->max, head);
	worksheet_write_number(ws, (lxw_row_t)(s->n + 2), 6,
	    (double)(long long)(s->total * 100 + 0.5) / 100.0, head);
	worksheet_set_column(ws, 0, 1, 14, NULL);
	worksheet_set_column(ws, 2, 2, 30, NULL);
	worksheet_set_column(ws, 3, 6, 12, NULL);
	return workbook_close(wb) == LXW_NO_ERROR;
}

int
api_report_xlsx(struct http_req *r)
{
	struct store *st;
	struct scored s;
	char from[11], to[11], path[256], *buf = NULL;
	const char *dir = getenv("TMPDIR");
	FILE *in = NULL;
	long sz = 0;
	int fd, rc;

	if (!load_report(r, &st, &s, from, to))
		return 422;
	/* libxlsxwriter writes a file; it lives only for this request. */
	snprintf(path, sizeof(path), "%s/hearth-report-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		scored_free(&s);
		return api_reply_store_error(r);
	}
	close(fd);
	rc = write_xlsx(path, &s, from, to);
	scored_free(&s);
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
	t0 = api_day_start(dfrom);
	t1 = api_day_start(dto + 1);
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
	    api_roster_coverage_totals(st, dfrom, dto, &required, &assigned,
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
