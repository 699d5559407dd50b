/*
 * POST /api/v1/rosters/generate and GET /api/v1/rosters/coverage: the
 * period and stations are read here; service/roster.c expands the
 * templates, runs the solver, saves the shifts and counts the coverage.
 */
#include <stdio.h>

#include "api.h"

#define MAX_ROSTER_DAYS 92

/* Reads {from, to} of a body or query into days; replies 422 and returns
 * 0 when missing, reversed or too long. */
static int
period_or_reply(struct http_req *r, const char *from_s, const char *to_s,
    int64_t *from, int64_t *to)
{
	if (!time_parse_date(from_s, from)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "from",
		    "请填写开始日期（YYYY-MM-DD）");
		return 0;
	}
	if (!time_parse_date(to_s, to)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "请填写结束日期（YYYY-MM-DD）");
		return 0;
	}
	if (*to < *from || *to - *from + 1 > MAX_ROSTER_DAYS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "结束日期不能早于开始日期，且最多 %d 天", MAX_ROSTER_DAYS);
		return 0;
	}
	return 1;
}

/* The audit, in the generation's last transaction. */
struct gen_audit {
	struct http_req *r;
	json_t *body;
};

static int
audit_generate(struct store *st, void *arg)
{
	struct gen_audit *a = arg;

	return api_audit(a->r, st, "generate", "roster", 0, a->body) < 0 ? -1
	                                                                 : 0;
}

/* Not a ROUTE_WRITE route: the generation runs its own transactions,
 * its shifts in short batches so other writers get in between (issue
 * 17). */
int
api_roster_generate(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "from", .type = VT_DATE, .required = 1},
	    {.name = "to", .type = VT_DATE, .required = 1},
	    {.name = "station_ids", .type = VT_ID_LIST, .maxitems = 200},
	};
	json_t *body = http_req_json(r), *result;
	struct herror err;
	struct store *st;
	struct svc_roster_run run;
	struct gen_audit ga;
	int64_t from, to, unknown;
	int rc;

	if (!valid_object(body, fields, 3, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	if (!period_or_reply(r,
	        json_string_value(json_object_get(body, "from")),
	        json_string_value(json_object_get(body, "to")), &from, &to))
		return http_req_status(r);
	st = api_store(r);
	ga.r = r;
	ga.body = body;
	run.user_id = http_req_principal(r)->user_id;
	run.audit = audit_generate;
	run.arg = &ga;
	rc = svc_roster_generate(st, from, to,
	    json_object_get(body, "station_ids"), &run, &result, &unknown);
	if (rc == 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "station_ids", "驻点：没有编号为 %lld 的驻点",
		    (long long)unknown);
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200, result);
}

int
api_roster_coverage(struct http_req *r)
{
	struct store *st;
	int64_t from, to, station = 0;
	json_t *result;

	if (!api_id_query_or_reply(r, "station_id", &station))
		return http_req_status(r);
	if (!period_or_reply(r, http_req_query(r, "from"),
	        http_req_query(r, "to"), &from, &to))
		return http_req_status(r);
	st = api_store(r);
	if (svc_roster_coverage(st, from, to, station, &result) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200, result);
}
