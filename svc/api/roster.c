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
		    "from: a date (YYYY-MM-DD) is required");
		return 0;
	}
	if (!time_parse_date(to_s, to)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to: a date (YYYY-MM-DD) is required");
		return 0;
	}
	if (*to < *from || *to - *from + 1 > MAX_ROSTER_DAYS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to: on or after from, at most %d days", MAX_ROSTER_DAYS);
		return 0;
	}
	return 1;
}

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
	int64_t from, to, unknown;
	int rc;

	if (!valid_object(body, fields, 3, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	if (!period_or_reply(r,
	        json_string_value(json_object_get(body, "from")),
	        json_string_value(json_object_get(body, "to")), &from, &to))
		return http_req_status(r);
	st = api_store(r);
	rc = svc_roster_generate(st, from, to,
	    json_object_get(body, "station_ids"), &result, &unknown);
	if (rc == 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "station_ids", "station_ids: no station %lld",
		    (long long)unknown);
	if (rc < 0 || api_audit(r, st, "generate", "roster", 0, body) < 0) {
		json_decref(result);
		return api_reply_store_error(r);
	}
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
