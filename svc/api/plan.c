/*
 * /api/v1/plans: a quarter's or a year's targets per kind (and station),
 * the progress of the period's events against them, and proposals of
 * dates for the sessions still missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_PLAN_DAYS 366

static const struct vfield plan_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "from", .type = VT_DATE, .required = 1},
    {.name = "to", .type = VT_DATE, .required = 1},
    {.name = "targets", .type = VT_OBJECT},
    {.name = "station_targets", .type = VT_ARRAY, .maxitems = 200},
    {.name = "created_at", .readonly = 1},
};
#define NFIELDS (sizeof(plan_fields) / sizeof(plan_fields[0]))

static json_t *
plan_json(const struct plan *p)
{
	json_t *targets = json_object(), *st = json_array();
	size_t i;

	for (i = 0; i < p->ntargets; i++) {
		if (p->targets[i].station_id == 0)
			json_object_set_new(targets, p->targets[i].kind,
			    json_integer(p->targets[i].target));
		else
			json_array_append_new(st,
			    json_pack("{s:I, s:s, s:I}", "station_id",
			        (json_int_t)p->targets[i].station_id, "kind",
			        p->targets[i].kind, "target",
			        (json_int_t)p->targets[i].target));
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
	    (json_int_t)p->id, "name", p->name, "from", p->date_from, "to",
	    p->date_to, "targets", targets, "station_targets", st, "created_at",
	    tzdb_time_json(p->created_at));
}

static int
add_target(struct plan *p, const char *kind, int64_t station, int64_t n)
{
	struct plan_target *t;

	t = realloc(p->targets, (p->ntargets + 1) * sizeof(*t));
	if (t == NULL)
		return 0;
	p->targets = t;
	t = &p->targets[p->ntargets];
	if ((t->kind = strdup(kind)) == NULL)
		return 0;
	t->station_id = station;
	t->target = n;
	p->ntargets++;
	return 1;
}

static int
is_kind(const char *s)
{
	return s != NULL && activity_kind_zh(s) != NULL;
}

/* Reads targets and station_targets of body into p (replacing those
 * present); replies 422 and returns 0 on a bad entry. */
static int
targets_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct plan *p)
{
	json_t *obj = json_object_get(body, "targets"), *arr, *v, *e;
	const char *key;
	struct station s;
	size_t i, j;
	int rc;

	if (obj == NULL && json_object_get(body, "station_targets") == NULL)
		return 1;
	/* Keep what the body does not replace. */
	for (i = 0; i < p->ntargets;) {
		int is_station = p->targets[i].station_id != 0;

		if ((is_station && json_object_get(body, "station_targets")) ||
		    (!is_station && obj != NULL)) {
			free(p->targets[i].kind);
			p->targets[i] = p->targets[--p->ntargets];
		} else
			i++;
	}
	json_object_foreach(obj, key, v)
	{
		if (!is_kind(key) || !json_is_integer(v) ||
		    json_integer_value(v) < 0 || json_integer_value(v) > 1000) {
			http_reply_errorf(r, HERR_VALIDATION_FAILED, "targets",
			    "目标：按活动类型填写，每项为 0 到 1000 的整数");
			return 0;
		}
		if (!add_target(p, key, 0, json_integer_value(v)))
			goto oom;
	}
	arr = json_object_get(body, "station_targets");
	json_array_foreach(arr, i, e)
	{
		json_int_t sid = json_integer_value(json_object_get(e,
		    "station_id"));
		const char *kind = json_string_value(json_object_get(e,
		    "kind"));
		json_t *t = json_object_get(e, "target");

		if (!json_is_object(e) || json_object_size(e) != 3 || sid < 1 ||
		    !is_kind(kind) || !json_is_integer(t) ||
		    json_integer_value(t) < 0 || json_integer_value(t) > 1000) {
			http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "station_targets",
			    "驻点目标：每一项须有驻点、活动类型和 0 到 1000 的目标数");
			return 0;
		}
		if ((rc = store_station_get(st, sid, &s)) < 0) {
			api_reply_store_error(r);
			return 0;
		}
		if (rc == 0) {
			http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "station_targets",
			    "驻点目标：没有编号为 %lld 的驻点", (long long)sid);
			return 0;
		}
		station_free(&s);
		for (j = 0; j < p->ntargets; j++)
			if (p->targets[j].station_id == sid &&
			    strcmp(p->targets[j].kind, kind) == 0) {
				http_reply_errorf(r, HERR_VALIDATION_FAILED,
				    "station_targets",
				    "驻点目标：驻点 %lld 的同一活动类型（%s）填了两次",
				    (long long)sid, kind);
				return 0;
			}
		if (!add_target(p, kind, sid, json_integer_value(t)))
			goto oom;
	}
	return 1;
oom:
	api_reply_internal(r, "plan targets");
	return 0;
}

/* Applies name, from, to; checks the span. */
static int
apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct plan *p)
{
	int64_t a, b;

	if (!api_take_str(body, "name", &p->name) ||
	    !api_take_str(body, "from", &p->date_from) ||
	    !api_take_str(body, "to", &p->date_to)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if (!time_parse_date(p->date_from, &a) ||
	    !time_parse_date(p->date_to, &b) || b < a) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "结束日期不能早于开始日期");
		return 0;
	}
	if (b - a + 1 > MAX_PLAN_DAYS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "一份计划最多覆盖 %d 天，请缩短日期范围", MAX_PLAN_DAYS);
		return 0;
	}
	return targets_or_reply(r, st, body, p);
}

static int
load_or_reply(struct http_req *r, struct store *st, struct plan *p)
{
	return api_found_or_reply(r, store_plan_get(st, http_req_id(r, 0), p),
	    "没有这个季度计划");
}

int
api_plan_list(struct http_req *r)
{
	struct store_page pg;
	struct plan *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	if (!api_page_or_reply(r, &pg))
		return http_req_status(r);
	st = api_store(r);
	if (store_plan_list(st, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		json_array_append_new(arr, plan_json(&items[i]));
	plan_list_free(items, n);
	return api_reply_list(r, arr, total);
}

int
api_plan_get(struct http_req *r)
{
	struct store *st;
	struct plan p;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &p))
		return http_req_status(r);
	rc = http_reply_json(r, 200, plan_json(&p));
	plan_free(&p);
	return rc;
}

/* POST /plans (create) and PATCH /plans/{id}: the body checked and
 * applied to a new or the stored plan, saved and audited; 201 with the
 * Location, or 200. */
static int
plan_write(struct http_req *r, int create)
{
	json_t *body = api_body_or_reply(r, plan_fields, NFIELDS,
	    create ? VALID_CREATE : VALID_PATCH);
	struct plan p;
	struct store *st;
	int rc;

	if (body == NULL)
		return http_req_status(r);
	st = api_store(r);
	memset(&p, 0, sizeof(p));
	if (!create && !load_or_reply(r, st, &p))
		return http_req_status(r);
	if (!apply_or_reply(r, st, body, &p)) {
		plan_free(&p);
		return http_req_status(r);
	}
	if (create)
		p.created_at = svc_now();
	rc = create ? store_plan_insert(st, &p) : store_plan_update(st, &p);
	if (rc <= 0 ||
	    api_audit(r, st, create ? "create" : "update", "plan", p.id, body) <
	        0)
		rc = api_reply_store_error(r);
	else if (create)
		rc = api_reply_created(r, plan_json(&p), "/api/v1/plans/%lld",
		    (long long)p.id);
	else
		rc = http_reply_json(r, 200, plan_json(&p));
	plan_free(&p);
	return rc;
}

int
api_plan_create(struct http_req *r)
{
	return plan_write(r, 1);
}

int
api_plan_update(struct http_req *r)
{
	return plan_write(r, 0);
}

int
api_plan_delete(struct http_req *r)
{
	return api_delete_by_id(r, store_plan_delete, "plan",
	    "没有这份计划（可能已被删除）");
}

/* GET /plans/{id}/progress: the plan and the events of its period
 * counted against its targets (svc_plan_progress). */
int
api_plan_progress(struct http_req *r)
{
	struct store *st;
	struct plan p;
	json_t *o, *res;

	st = api_store(r);
	if (!load_or_reply(r, st, &p))
		return http_req_status(r);
	if (svc_plan_progress(st, &p, &res) < 0) {
		plan_free(&p);
		return api_reply_store_error(r);
	}
	o = json_pack("{s:o}", "plan", plan_json(&p));
	plan_free(&p);
	if (o == NULL || json_object_update(o, res) != 0) {
		json_decref(o);
		json_decref(res);
		return api_reply_internal(r, "out of memory");
	}
	json_decref(res);
	return http_reply_json(r, 200, o);
}

/* POST /plans/{id}/propose {kind?}: dates for the sessions still
 * missing (svc_plan_propose). */
int
api_plan_propose(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "kind", .type = VT_ENUM, .choices = activity_kinds},
	};
	json_t *body = http_req_json(r), *out;
	struct herror err;
	struct store *st;
	struct plan p;
	int rc;

	if (!valid_object(body, fields, 1, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!load_or_reply(r, st, &p))
		return http_req_status(r);
	rc = svc_plan_propose(st, &p,
	    json_string_value(json_object_get(body, "kind")), &out);
	plan_free(&p);
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200, json_pack("{s:o}", "proposals", out));
}

int
api_plan_accept(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "proposals",
	        .type = VT_ARRAY,
	        .required = 1,
	        .maxitems = SVC_PLAN_MAX_PROPOSALS},
	};
	static const struct vfield one[] = {
	    {.name = "kind",
	        .type = VT_ENUM,
	        .required = 1,
	        .choices = activity_kinds},
	    {.name = "title",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 100},
	    {.name = "start", .type = VT_TIME, .required = 1},
	    {.name = "end", .type = VT_TIME, .required = 1},
	    {.name = "station_id", .type = VT_ID, .nullable = 1},
	};
	json_t *body = http_req_json(r), *list, *item, *created;
	struct herror err;
	struct store *st;
	struct plan p;
	struct event *ev;
	size_t i, n, bad = 0;
	int64_t plan_id;
	int rc = 0;

	if (!valid_object(body, fields, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!load_or_reply(r, st, &p))
		return http_req_status(r);
	plan_id = p.id;
	plan_free(&p);
	list = json_object_get(body, "proposals");
	n = json_array_size(list);
	if ((ev = calloc(n + 1, sizeof(*ev))) == NULL)
		return api_reply_internal(r, "out of memory");
	json_array_foreach(list, i, item)
	{
		if (!valid_object(item, one, sizeof(one) / sizeof(one[0]),
		        VALID_CREATE, &err)) {
			snprintf(err.field, sizeof(err.field), "proposals");
			rc = api_reply_invalid(r, &err);
			goto out;
		}
		if (!api_event_prepare(&ev[i]) ||
		    !api_take_str(item, "kind", &ev[i].kind) ||
		    !api_take_str(item, "title", &ev[i].title)) {
			rc = api_reply_internal(r, "out of memory");
			goto out;
		}
		time_parse_rfc3339(json_string_value(json_object_get(item,
		                       "start")),
		    &ev[i].start_at);
		time_parse_rfc3339(json_string_value(json_object_get(item,
		                       "end")),
		    &ev[i].end_at);
		ev[i].station_id = json_integer_value(json_object_get(item,
		    "station_id"));
	}
	rc = svc_plan_accept(st, plan_id, http_req_principal(r)->user_id, ev, n,
	    &bad);
	if (rc <= 0) {
		rc = rc < 0
		    ? api_reply_store_error(r)
		    : http_reply_errorf(r, HERR_VALIDATION_FAILED, "proposals",
		          "第 %zu 项建议的驻点或时间无效", bad);
		goto out;
	}
	created = json_array();
	for (i = 0; i < n && created != NULL; i++)
		json_array_append_new(created, api_event_json(&ev[i]));
	rc = http_reply_json(r, 201,
	    json_pack("{s:I, s:o}", "created", (json_int_t)n, "events",
	        created));
out:
	for (i = 0; i < n; i++)
		event_free(&ev[i]);
	free(ev);
	return rc;
}
