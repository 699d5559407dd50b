/*
 * GET /events.csv, /reports/activities.csv and POST /events/import:
 * events as CSV in the layout of the bureau's reports. The work is the
 * service's (service/events_csv.c); these handlers read the request,
 * call it and reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* The events of the query's period (all, with a status column, or
 * only those with status) as CSV. */
static int
export_csv(struct http_req *r, enum event_status status)
{
	struct event_filter f;
	char *text;
	size_t len;
	int rc;

	memset(&f, 0, sizeof(f));
	if (!api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_enum_query_or_reply(r, "kind", activity_kinds, &f.kind) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id))
		return http_req_status(r);
	f.status = status;
	rc = svc_events_csv(api_store(r), &f, &text, &len);
	if (rc < 0)
		return api_reply_store_error(r);
	if (rc == 0)
		return api_reply_internal(r, "out of memory");
	return api_reply_file(r, API_TYPE_CSV, text, len, "events.csv");
}

int
api_events_csv(struct http_req *r)
{
	return export_csv(r, EVENT_STATUS_ANY);
}

int
api_activities_csv(struct http_req *r)
{
	return export_csv(r, EVENT_HELD);
}

/* --- import -------------------------------------------------------------- */

static int
flag_query(struct http_req *r, const char *name)
{
	const char *v = http_req_query(r, name);

	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* 422 with every problem listed (the first SVC_IMPORT_MAX_ERRORS). */
static int
reply_problems(struct http_req *r, const struct svc_import_result *res)
{
	json_t *list = json_array();
	char msg[128];
	size_t i;

	for (i = 0; list != NULL && i < res->nlisted; i++)
		if (json_array_append_new(list,
		        json_pack("{s:I, s:s, s:s}", "line",
		            (json_int_t)res->problems[i].line, "field",
		            res->problems[i].field, "message",
		            res->problems[i].message)) < 0) {
			json_decref(list);
			list = NULL;
		}
	if (list == NULL)
		return api_reply_internal(r, "out of memory");
	snprintf(msg, sizeof(msg), "文件中有 %zu 处问题，没有导入任何内容",
	    res->nproblems);
	return http_reply_json(r, 422,
	    json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code",
	        "validation_failed", "field", "file", "message", msg, "errors",
	        list));
}

/* 201 with the events written, or 200 (a dry run; every row there). */
static int
reply_done(struct http_req *r, const struct svc_import_result *res)
{
	json_t *events = json_array(), *skipped = json_array(), *o;
	size_t i;

	for (i = 0; events != NULL && i < res->nevents; i++)
		if (json_array_append_new(events,
		        api_event_json(&res->events[i])) < 0)
			break;
	for (i = 0; skipped != NULL && i < res->nskipped; i++)
		if (json_array_append_new(skipped,
		        json_pack("{s:I, s:I, s:s, s:s, s:s}", "line",
		            (json_int_t)res->skipped[i].line, "event_id",
		            (json_int_t)res->skipped[i].event_id, "date",
		            res->skipped[i].date, "title",
		            res->skipped[i].title, "message",
		            res->skipped[i].message)) < 0)
			break;
	if (events == NULL || skipped == NULL ||
	    json_array_size(events) != res->nevents ||
	    json_array_size(skipped) != res->nskipped) {
		json_decref(events);
		json_decref(skipped);
		return api_reply_internal(r, "out of memory");
	}
	o = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "created",
	    (json_int_t)(res->written ? res->nevents : 0), "rows",
	    (json_int_t)(res->nevents + res->nskipped), "new_stations",
	    (json_int_t)res->new_stations, "skipped", (json_int_t)res->nskipped,
	    "skipped_rows", skipped, "events", events);
	return http_reply_json(r, res->written ? 201 : 200, o);
}

/*
 * POST /events/import?dry_run=1&create_stations=1: all or nothing, and
 * short under the write lock (svc_events_import). The route is not a
 * ROUTE_WRITE: the service holds its own transactions, so the checking
 * runs outside them.
 */
int
api_events_import(struct http_req *r)
{
	struct svc_import_ask ask;
	struct svc_import_result res;
	const char *body;
	size_t sz;
	int rc;

	ask.dry_run = flag_query(r, "dry_run");
	ask.create_stations = flag_query(r, "create_stations");
	ask.user_id = http_req_principal(r)->user_id;
	body = http_req_body(r, &sz);
	switch (svc_events_import(api_store(r), body, sz, &ask, &res)) {
	case SVC_IMPORT_PROBLEMS:
		rc = reply_problems(r, &res);
		break;
	case SVC_IMPORT_DONE:
		rc = reply_done(r, &res);
		break;
	case SVC_IMPORT_BUSY:
		rc = http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "数据库正忙，请稍后再试");
		break;
	default:
		rc = api_reply_store_error(r);
	}
	svc_import_result_free(&res);
	return rc;
}
