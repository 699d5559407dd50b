/*
 * /api/v1/reports: the evaluation table of a framework and period as CSV
 * and XLSX (written by service/eval_file.c) and the records behind the
 * dashboard (service/report.c); here the period is read and the file or
 * the JSON replied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

int
api_report_csv(struct http_req *r)
{
	struct store *st;
	struct eval e;
	char *buf;
	size_t sz;
	int rc;

	if (!api_eval_or_reply(r, &st, &e))
		return http_req_status(r);
	buf = svc_eval_csv(&e, &sz);
	svc_eval_free(&e);
	if (buf == NULL)
		return api_reply_internal(r, "indicators CSV: out of memory");
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"indicators.csv\"");
	rc = http_reply_bytes(r, 200, "text/csv; charset=utf-8", buf, sz);
	free(buf);
	return rc;
}

int
api_report_xlsx(struct http_req *r)
{
	struct store *st;
	struct eval e;
	char *buf;
	size_t sz;
	int rc;

	if (!api_eval_or_reply(r, &st, &e))
		return http_req_status(r);
	rc = svc_eval_xlsx(&e, &buf, &sz);
	svc_eval_free(&e);
	if (!rc)
		return api_reply_internal(r, "indicators XLSX");
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"indicators.xlsx\"");
	rc = http_reply_bytes(r, 200,
	    "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet",
	    buf, sz);
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

	time_civil_from_days(activity_local_day(svc_now(), tzdb_default()), &y,
	    &m, &d);
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

int
api_report_actuals(struct http_req *r)
{
	struct store *st;
	int64_t dfrom, dto;
	char from[11], to[11];
	json_t *result;

	if (!period_or_reply(r, from, to, &dfrom, &dto))
		return http_req_status(r);
	st = api_store(r);
	if (svc_report_actuals(st, dfrom, dto, &result) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200, result);
}
