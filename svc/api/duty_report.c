/*
 * GET /api/v1/reports/duty (and .csv, .xlsx): the duty logs of a period
 * summed by station, counsellor or month (service/duty_report.c sums
 * them and writes the files); here the period is read and the report
 * replied as JSON or as a download.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_REPORT_DAYS 1100

/* Reads from, to and by; loads the report. 0 after a reply. */
static int
report_or_reply(struct http_req *r, struct duty_report *rp)
{
	const char *f = http_req_query(r, "from"), *t = http_req_query(r, "to");
	const char *by;
	struct store *st;
	time_t from, to;
	int64_t a, b;

	memset(rp, 0, sizeof(*rp));
	if (f == NULL || *f == '\0' || t == NULL || *t == '\0') {
		http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    f && *f ? "to" : "from",
		    "%s：请给出统计期间（from 与 to，YYYY-MM-DD）",
		    f && *f ? "to" : "from");
		return 0;
	}
	if (!api_day_range_or_reply(r, &from, &to) ||
	    !api_enum_query_or_reply(r, "by", duty_report_by_names, &by))
		return 0;
	time_parse_date(f, &a);
	time_parse_date(t, &b);
	if (b - a + 1 > MAX_REPORT_DAYS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to：统计期间最长 %d 天", MAX_REPORT_DAYS);
		return 0;
	}
	rp->by = DUTY_BY_STATION;
	if (by != NULL)
		rp->by = strcmp(by, "counsellor") == 0 ? DUTY_BY_COUNSELLOR
		    : strcmp(by, "month") == 0         ? DUTY_BY_MONTH
		                                       : DUTY_BY_STATION;
	snprintf(rp->from, sizeof(rp->from), "%s", f);
	snprintf(rp->to, sizeof(rp->to), "%s", t);
	st = api_store(r);
	if (svc_duty_report(st, from, to, rp) < 0) {
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

static json_t *
values_json(const struct duty_report *rp, const int64_t *v)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < rp->nmetrics && o; i++)
		json_object_set_new(o, rp->metrics[i].code, json_integer(v[i]));
	return o;
}

static json_t *
hours_json(const struct duty_report *rp, const struct duty_group *g)
{
	char buf[DUTY_HOURS_MAX];

	if (rp->minutes < 0)
		return json_null();
	duty_hours_format(g->values[rp->minutes], buf, sizeof(buf));
	return json_string(buf);
}

int
api_duty_report(struct http_req *r)
{
	struct duty_report rp;
	json_t *metrics, *groups, *body;
	size_t i;

	if (!report_or_reply(r, &rp))
		return http_req_status(r);
	metrics = json_array();
	groups = json_array();
	for (i = 0; i < rp.nmetrics && metrics; i++)
		json_array_append_new(metrics,
		    json_pack("{s:s, s:s, s:s, s:b}", "code",
		        rp.metrics[i].code, "name", rp.metrics[i].name, "unit",
		        rp.metrics[i].unit, "active", rp.metrics[i].active));
	for (i = 0; i < rp.ngroups && groups; i++) {
		const struct duty_group *g = &rp.groups[i];

		json_array_append_new(groups,
		    json_pack("{s:o, s:s, s:o, s:I,"
		              " s:I, s:I, s:I, s:o}",
		        "key",
		        rp.by == DUTY_BY_MONTH ? json_string(g->month)
		            : g->id            ? json_integer(g->id)
		                               : json_null(),
		        "name", g->name, "values", values_json(&rp, g->values),
		        "shifts", (json_int_t)g->shifts, "logged",
		        (json_int_t)g->logged, "absent", (json_int_t)g->absent,
		        "missing", (json_int_t)g->missing, "counselling_hours",
		        hours_json(&rp, g)));
	}
	body = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:I,"
	                 " s:o}",
	    "from", rp.from, "to", rp.to, "by", duty_report_by_names[rp.by],
	    "metrics", metrics ? metrics : json_array(), "totals",
	    values_json(&rp, rp.total.values), "groups",
	    groups ? groups : json_array(), "shifts",
	    (json_int_t)rp.total.shifts, "logged", (json_int_t)rp.total.logged,
	    "absent", (json_int_t)rp.total.absent, "missing",
	    (json_int_t)rp.total.missing, "counselling_hours",
	    hours_json(&rp, &rp.total));
	svc_duty_report_free(&rp);
	return http_reply_json(r, 200, body);
}

/* --- exports --------------------------------------------------------------- */

static void
disposition(struct http_req *r, const struct duty_report *rp, const char *ext)
{
	char v[160];

	snprintf(v, sizeof(v), "attachment; filename=\"duty-%s-%s-%s.%s\"",
	    duty_report_by_names[rp->by], rp->from, rp->to, ext);
	http_reply_header(r, "Content-Disposition", v);
}

int
api_duty_report_csv(struct http_req *r)
{
	struct duty_report rp;
	char *text;
	size_t len;
	int rc;

	if (!report_or_reply(r, &rp))
		return http_req_status(r);
	text = svc_duty_report_csv(&rp, &len);
	disposition(r, &rp, "csv");
	svc_duty_report_free(&rp);
	if (text == NULL)
		return api_reply_internal(r, "duty report CSV: out of memory");
	rc = http_reply_bytes(r, 200, "text/csv; charset=utf-8", text, len);
	free(text);
	return rc;
}

int
api_duty_report_xlsx(struct http_req *r)
{
	struct duty_report rp;
	char *buf;
	size_t sz;
	int rc;

	if (!report_or_reply(r, &rp))
		return http_req_status(r);
	rc = svc_duty_report_xlsx(&rp, &buf, &sz);
	disposition(r, &rp, "xlsx");
	svc_duty_report_free(&rp);
	if (!rc)
		return api_reply_internal(r, "duty report XLSX");
	rc = http_reply_bytes(r, 200,
	    "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet",
	    buf, sz);
	free(buf);
	return rc;
}
