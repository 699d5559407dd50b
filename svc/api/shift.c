/*
 * /api/v1/shift-templates and /api/v1/shifts: what each station needs
 * and who is on duty. Every assignment passes the same hard rules
 * (api_shift_rules): no overlap for one counsellor, no duty on leave,
 * max weekly hours, active counsellors only; a break answers 409 naming
 * what it clashes with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_SHIFT_SECONDS (24 * 3600)

static const struct vfield template_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "station_id", .type = VT_ID, .required = 1},
    {.name = "weekdays",
        .type = VT_INT_LIST,
        .required = 1,
        .min = 1,
        .max = 7,
        .maxitems = 7},
    {.name = "start", .type = VT_STRING, .required = 1, .min = 5, .max = 5},
    {.name = "end", .type = VT_STRING, .required = 1, .min = 5, .max = 5},
    {.name = "required", .type = VT_INT, .min = 1, .max = 50},
    {.name = "valid_from", .type = VT_DATE, .nullable = 1},
    {.name = "valid_to", .type = VT_DATE, .nullable = 1},
    {.name = "active", .type = VT_BOOL},
    {.name = "created_at", .readonly = 1},
};
#define NTEMPLATE (sizeof(template_fields) / sizeof(template_fields[0]))

static const struct vfield shift_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "station_id", .type = VT_ID, .required = 1},
    {.name = "counsellor_id", .type = VT_ID, .nullable = 1},
    {.name = "start", .type = VT_TIME, .required = 1},
    {.name = "end", .type = VT_TIME, .required = 1},
    {.name = "status", .type = VT_ENUM, .choices = shift_status_names + 1},
    {.name = "note", .type = VT_STRING, .nullable = 1, .max = 200},
    {.name = "station_name", .readonly = 1},
    {.name = "counsellor_name", .readonly = 1},
    {.name = "template_id", .readonly = 1},
    {.name = "seat", .readonly = 1},
    {.name = "origin", .readonly = 1},
    {.name = "sequence", .readonly = 1},
    {.name = "pinned", .readonly = 1},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
};
#define NSHIFT (sizeof(shift_fields) / sizeof(shift_fields[0]))

/* --- templates ------------------------------------------------------- */

static json_t *
template_json(const struct shift_template *t)
{
	json_t *days = json_array();
	int d;

	for (d = 0; d < 7; d++)
		if (t->weekdays & (1u << d))
			json_array_append_new(days, json_integer(d + 1));
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:I, s:o, s:o, s:b, s:o}",
	    "id", (json_int_t)t->id, "station_id", (json_int_t)t->station_id,
	    "weekdays", days, "start", t->start, "end", t->end, "required",
	    (json_int_t)t->required, "valid_from",
	    t->valid_from ? json_string(t->valid_from) : json_null(),
	    "valid_to", t->valid_to ? json_string(t->valid_to) : json_null(),
	    "active", t->active, "created_at", tzdb_time_json(t->created_at));
}

/* Takes body's station_id, when given, into *id once the station is
 * found; replies and returns 0 when it is not. */
static int
station_or_reply(struct http_req *r, struct store *st, const json_t *body,
    int64_t *id)
{
	json_t *v = json_object_get(body, "station_id");

	if (v == NULL)
		return 1;
	*id = json_integer_value(v);
	return api_ref_or_reply(r, store_station_exists(st, *id), "station_id",
	    "驻点：没有这个驻点，请从列表中选择");
}

static int
set_date(const json_t *body, const char *key, char **dst)
{
	json_t *v = json_object_get(body, key);

	if (v == NULL)
		return 1;
	free(*dst);
	*dst = json_is_null(v) ? NULL : strdup(json_string_value(v));
	return json_is_null(v) || *dst != NULL;
}

static int
template_apply_or_reply(struct http_req *r, struct store *st,
    const json_t *body, struct shift_template *t)
{
	json_t *v;
	size_t i;

	if (!station_or_reply(r, st, body, &t->station_id))
		return 0;
	if ((v = json_object_get(body, "weekdays")) != NULL) {
		if (json_array_size(v) == 0) {
			http_reply_errorf(r, HERR_VALIDATION_FAILED, "weekdays",
			    "请至少选择星期中的一天");
			return 0;
		}
		t->weekdays = 0;
		for (i = 0; i < json_array_size(v); i++)
			t->weekdays |= 1u
			    << (json_integer_value(json_array_get(v, i)) - 1);
	}
	if ((v = json_object_get(body, "start")) != NULL)
		snprintf(t->start, sizeof(t->start), "%s",
		    json_string_value(v));
	if ((v = json_object_get(body, "end")) != NULL)
		snprintf(t->end, sizeof(t->end), "%s", json_string_value(v));
	if (roster_parse_hhmm(t->start) < 0 || roster_parse_hhmm(t->end) < 0 ||
	    roster_parse_hhmm(t->end) <= roster_parse_hhmm(t->start)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    roster_parse_hhmm(t->start) < 0 ? "start" : "end",
		    "开始和结束时间写作 HH:MM，结束须晚于开始");
		return 0;
	}
	if ((v = json_object_get(body, "required")) != NULL)
		t->required = json_integer_value(v);
	if ((v = json_object_get(body, "active")) != NULL)
		t->active = json_is_true(v);
	if (!set_date(body, "valid_from", &t->valid_from) ||
	    !set_date(body, "valid_to", &t->valid_to)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if (t->valid_from && t->valid_to &&
	    strcmp(t->valid_to, t->valid_from) < 0) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "valid_to",
		    "停用日期不能早于启用日期");
		return 0;
	}
	return 1;
}

int
api_template_list(struct http_req *r)
{
	struct template_filter f = {0, -1};
	struct store_page pg;
	struct shift_template *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	if (!api_page_or_reply(r, &pg) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id) ||
	    !api_bool_query_or_reply(r, "active", -1, &f.active))
		return http_req_status(r);
	st = api_store(r);
	if (store_template_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, template_json(&items[i]));
	template_list_free(items, n);
	return api_reply_list(r, arr, total);
}

static int
template_load_or_reply(struct http_req *r, struct store *st,
    struct shift_template *t)
{
	return api_found_or_reply(r,
	    store_template_get(st, http_req_id(r, 0), t), "没有这个班次模板");
}

int
api_template_get(struct http_req *r)
{
	struct shift_template t;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!template_load_or_reply(r, st, &t))
		return http_req_status(r);
	rc = http_reply_json(r, 200, template_json(&t));
	template_free(&t);
	return rc;
}

/* A template created (create: the defaults, then body) or the path's
 * changed by body, saved and audited as action; 201 with the Location,
 * or 200. */
static int
template_write(struct http_req *r, const json_t *body, const char *action,
    int create)
{
	struct shift_template t;
	struct store *st;
	int rc;

	st = api_store(r);
	memset(&t, 0, sizeof(t));
	if (create) {
		t.required = 1;
		t.active = 1;
	} else if (!template_load_or_reply(r, st, &t))
		return http_req_status(r);
	if (!template_apply_or_reply(r, st, body, &t)) {
		template_free(&t);
		return http_req_status(r);
	}
	if (create)
		t.created_at = svc_now();
	rc = create ? store_template_insert(st, &t)
	            : store_template_update(st, &t);
	if (rc <= 0 ||
	    api_audit(r, st, action, "shift_template", t.id, body) < 0)
		rc = api_reply_store_error(r);
	else if (create)
		rc = api_reply_created(r, template_json(&t),
		    "/api/v1/shift-templates/%lld", (long long)t.id);
	else
		rc = http_reply_json(r, 200, template_json(&t));
	template_free(&t);
	return rc;
}

int
api_template_create(struct http_req *r)
{
	json_t *body = api_body_or_reply(r, template_fields, NTEMPLATE,
	    VALID_CREATE);

	return body ? template_write(r, body, "create", 1) : http_req_status(r);
}

int
api_template_update(struct http_req *r)
{
	json_t *body = api_body_or_reply(r, template_fields, NTEMPLATE,
	    VALID_PATCH);

	return body ? template_write(r, body, "update", 0) : http_req_status(r);
}

int
api_template_delete(struct http_req *r)
{
	json_t *body = json_pack("{s:b}", "active", 0);
	int rc = body ? template_write(r, body, "deactivate", 0)
	              : api_reply_internal(r, "template body");

	json_decref(body);
	return rc;
}

/* --- shifts ------------------------------------------------------------ */

json_t *
api_shift_json(const struct shift *sh)
{
	return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:s,"
	                 " s:s, s:s, s:I, s:b, s:o, s:o}",
	    "id", (json_int_t)sh->id, "station_id", (json_int_t)sh->station_id,
	    "station_name", sh->station_name, "counsellor_id",
	    sh->counsellor_id ? json_integer(sh->counsellor_id) : json_null(),
	    "counsellor_name",
	    sh->counsellor_id ? json_string(sh->counsellor_name) : json_null(),
	    "template_id",
	    sh->template_id ? json_integer(sh->template_id) : json_null(),
	    "seat", sh->seat, "start", tzdb_time_json(sh->start_at), "end",
	    tzdb_time_json(sh->end_at), "status",
	    shift_status_names[sh->status], "origin", sh->origin, "note",
	    sh->note, "sequence", (json_int_t)sh->sequence, "pinned",
	    sh->pinned, "created_at", tzdb_time_json(sh->created_at),
	    "updated_at", tzdb_time_json(sh->updated_at));
}

/* Monday 00:00 and the next Monday 00:00 (Asia/Shanghai) around t. */
static void
week_bounds(time_t t, time_t *from, time_t *to, char *label)
{
	const struct tz *z = tzdb_default();
	int64_t day = activity_local_day(t, z);
	int64_t monday = roster_week(day) * 7 - 3;

	*from = tzdb_day_start(monday);
	*to = tzdb_day_start(monday + 7);
	roster_week_label(day, label);
}

/* Adds one conflict to list. */
static void
conflict(json_t *list, json_t *item)
{
	if (item != NULL)
		json_array_append_new(list, item);
}

int
api_shift_rules(struct store *st, const struct shift *sh, const int64_t *ignore,
    size_t nignore, json_t *out)
{
	struct shift_filter f;
	struct availability_filter af;
	struct store_page pg = {10000, 0};
	struct shift *other = NULL;
	struct availability *leave = NULL;
	struct counsellor c;
	size_t n = 0, nl = 0, i, k;
	int64_t total, minutes;
	time_t wf, wt;
	char week[9];
	int rc, skip;

	if (sh->counsellor_id == 0 || sh->status == SHIFT_CANCELLED)
		return 1;
	if ((rc = store_counsellor_get(st, sh->counsellor_id, &c)) <= 0)
		return rc < 0 ? -1 : 1;
	if (!c.active)
		conflict(out,
		    json_pack("{s:s, s:I, s:s}", "type", "inactive",
		        "counsellor_id", (json_int_t)c.id, "counsellor_name",
		        c.name));
	week_bounds(sh->start_at, &wf, &wt, week);
	memset(&f, 0, sizeof(f));
	f.counsellor_id = sh->counsellor_id;
	f.active_only = 1;
	f.from = wf < sh->start_at ? wf : sh->start_at;
	f.to = wt > sh->end_at ? wt : sh->end_at;
	if (store_shift_list(st, &f, &pg, &other, &n, &total) < 0)
		goto fail;
	minutes = (int64_t)(sh->end_at - sh->start_at) / 60;
	for (i = 0; i < n; i++) {
		for (skip = other[i].id == sh->id, k = 0; k < nignore; k++)
			skip |= other[i].id == ignore[k];
		if (skip)
			continue;
		if (other[i].start_at < sh->end_at &&
		    other[i].end_at > sh->start_at)
			conflict(out,
			    json_pack(
			        "{s:s, s:I, s:s, s:I, s:I, s:s, s:o, s:o}",
			        "type", "overlap", "counsellor_id",
			        (json_int_t)c.id, "counsellor_name", c.name,
			        "shift_id", (json_int_t)other[i].id,
			        "station_id", (json_int_t)other[i].station_id,
			        "station_name", other[i].station_name, "start",
			        tzdb_time_json(other[i].start_at), "end",
			        tzdb_time_json(other[i].end_at)));
		if (other[i].start_at >= wf && other[i].start_at < wt)
			minutes += (int64_t)(other[i].end_at -
			               other[i].start_at) /
			    60;
	}
	if (minutes > c.max_weekly_hours * 60)
		conflict(out,
		    json_pack("{s:s, s:I, s:s, s:s, s:f, s:I}", "type",
		        "max_hours", "counsellor_id", (json_int_t)c.id,
		        "counsellor_name", c.name, "week", week, "hours",
		        (double)minutes / 60.0, "max",
		        (json_int_t)c.max_weekly_hours));
	memset(&af, 0, sizeof(af));
	af.counsellor_id = sh->counsellor_id;
	af.from = sh->start_at;
	af.to = sh->end_at;
	af.status = LEAVE_APPROVED; /* pending leave is not in force yet */
	if (store_availability_list(st, &af, &pg, &leave, &nl, &total) < 0)
		goto fail;
	for (i = 0; i < nl; i++)
		conflict(out,
		    json_pack("{s:s, s:I, s:s, s:I, s:s, s:o, s:o}", "type",
		        "leave", "counsellor_id", (json_int_t)c.id,
		        "counsellor_name", c.name, "availability_id",
		        (json_int_t)leave[i].id, "reason", leave[i].reason,
		        "start", tzdb_time_json(leave[i].start_at), "end",
		        tzdb_time_json(leave[i].end_at)));
	availability_list_free(leave, nl);
	shift_list_free(other, n);
	counsellor_free(&c);
	return 1;
fail:
	shift_list_free(other, n);
	counsellor_free(&c);
	return -1;
}

int
api_reply_rule_conflicts(struct http_req *r, json_t *list)
{
	const char *type = json_string_value(
	    json_object_get(json_array_get(list, 0), "type"));
	char msg[160];

	snprintf(msg, sizeof(msg), "the assignment breaks a rule (%s%s)",
	    type ? type : "?", json_array_size(list) > 1 ? " and more" : "");
	return http_reply_json(r, 409,
	    json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code", "conflict",
	        "field", "counsellor_id", "message", msg, "conflicts", list));
}

/* Checks sh against the rules; replies 409/500 and returns 0 when it
 * breaks one. */
static int
rules_or_reply(struct http_req *r, struct store *st, const struct shift *sh)
{
	json_t *list = json_array();

	if (list == NULL || api_shift_rules(st, sh, NULL, 0, list) < 0) {
		json_decref(list);
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if (json_array_size(list) > 0) {
		api_reply_rule_conflicts(r, list);
		return 0;
	}
	json_decref(list);
	return 1;
}

static int
shift_apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct shift *sh)
{
	json_t *v;

	if (!station_or_reply(r, st, body, &sh->station_id))
		return 0;
	if ((v = json_object_get(body, "counsellor_id")) != NULL) {
		sh->counsellor_id = json_is_null(v) ? 0 : json_integer_value(v);
		if (sh->counsellor_id &&
		    !api_ref_or_reply(r,
		        store_counsellor_exists(st, sh->counsellor_id),
		        "counsellor_id",
		        "咨询师：没有这位咨询师，请从列表中选择"))
			return 0;
	}
	if ((v = json_object_get(body, "start")) != NULL)
		time_parse_rfc3339(json_string_value(v), &sh->start_at);
	if ((v = json_object_get(body, "end")) != NULL)
		time_parse_rfc3339(json_string_value(v), &sh->end_at);
	if (sh->end_at <= sh->start_at ||
	    sh->end_at - sh->start_at > MAX_SHIFT_SECONDS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "结束时间须晚于开始时间，一个班次最长 24 小时");
		return 0;
	}
	if ((v = json_object_get(body, "status")) != NULL)
		sh->status = state_parse(shift_status_names,
		    json_string_value(v));
	if (!api_take_str(body, "note", &sh->note)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	return 1;
}

int
api_shift_list(struct http_req *r)
{
	struct shift_filter f;
	struct store_page pg;
	int open, status;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id) ||
	    !api_id_query_or_reply(r, "counsellor_id", &f.counsellor_id) ||
	    !api_state_query_or_reply(r, "status", shift_status_names,
	        &status) ||
	    !api_bool_query_or_reply(r, "open", 0, &open))
		return http_req_status(r);
	f.open_only = open == 1;
	f.status = (enum shift_status)status;
	return api_shift_list_reply(r, &f, &pg);
}

int
api_shift_list_reply(struct http_req *r, const struct shift_filter *f,
    const struct store_page *pg)
{
	struct store *st = api_store(r);
	struct shift *items = NULL;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	if (store_shift_list(st, f, pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, api_shift_json(&items[i]));
	if (arr != NULL && api_shift_leave_marks(st, items, n, arr) < 0) {
		shift_list_free(items, n);
		json_decref(arr);
		return api_reply_store_error(r);
	}
	shift_list_free(items, n);
	return api_reply_list(r, arr, total);
}

int
api_shift_leave_marks(struct store *st, const struct shift *items, size_t n,
    json_t *arr)
{
	struct availability_filter af;
	struct store_page pg = {10000, 0};
	struct availability *leave = NULL;
	size_t nl = 0, i, k;
	int64_t total;

	if (n == 0)
		return 0;
	memset(&af, 0, sizeof(af));
	af.live = 1;
	af.from = items[0].start_at;
	af.to = items[0].end_at;
	for (i = 1; i < n; i++) {
		af.from = items[i].start_at < af.from ? items[i].start_at
		                                      : af.from;
		af.to = items[i].end_at > af.to ? items[i].end_at : af.to;
	}
	if (store_availability_list(st, &af, &pg, &leave, &nl, &total) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct availability *best = NULL;

		for (k = 0; k < nl; k++) {
			if (items[i].counsellor_id == 0 ||
			    leave[k].counsellor_id != items[i].counsellor_id ||
			    leave[k].start_at >= items[i].end_at ||
			    leave[k].end_at <= items[i].start_at ||
			    !leave_marks(leave[k].status))
				continue;
			/* approved leave wins over a pending request */
			if (best == NULL ||
			    (leave[k].status == LEAVE_APPROVED &&
			        best->status != LEAVE_APPROVED))
				best = &leave[k];
		}
		json_object_set_new(json_array_get(arr, i), "leave",
		    best == NULL ? json_null()
		                 : json_pack("{s:I, s:s, s:s, s:o, s:o}", "id",
		                       (json_int_t)best->id, "status",
		                       leave_status_names[best->status],
		                       "reason", best->reason, "start",
		                       tzdb_time_json(best->start_at), "end",
		                       tzdb_time_json(best->end_at)));
	}
	availability_list_free(leave, nl);
	return 0;
}

int
api_shift_load_or_reply(struct http_req *r, struct store *st, int64_t id,
    struct shift *sh)
{
	return api_found_or_reply(r, store_shift_get(st, id, sh),
	    "没有这个班次");
}

/* One shift with its leave mark, as the lists show it. */
static int
one_shift_reply(struct http_req *r, struct store *st, const struct shift *sh,
    int status)
{
	json_t *arr = json_array(), *one;

	if (arr == NULL || json_array_append_new(arr, api_shift_json(sh)) ||
	    api_shift_leave_marks(st, sh, 1, arr) < 0) {
		json_decref(arr);
		return api_reply_store_error(r);
	}
	one = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return http_reply_json(r, status, one);
}

int
api_shift_get(struct http_req *r)
{
	struct shift sh;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!api_shift_load_or_reply(r, st, http_req_id(r, 0), &sh))
		return http_req_status(r);
	rc = one_shift_reply(r, st, &sh, 200);
	shift_free(&sh);
	return rc;
}

/* Re-reads a saved shift (for the joined names) and replies. */
static int
reply_shift(struct http_req *r, struct store *st, int64_t id, int status)
{
	struct shift sh;
	int rc;

	if (store_shift_get(st, id, &sh) <= 0)
		return api_reply_store_error(r);
	rc = one_shift_reply(r, st, &sh, status);
	shift_free(&sh);
	return rc;
}

int
api_shift_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct shift sh;
	struct store *st;
	int rc;

	if (!valid_object(body, shift_fields, NSHIFT, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	memset(&sh, 0, sizeof(sh));
	sh.status = SHIFT_PLANNED;
	sh.origin = strdup("manual");
	sh.note = strdup("");
	if (!sh.origin || !sh.note) {
		shift_free(&sh);
		return api_reply_internal(r, "out of memory");
	}
	if (!shift_apply_or_reply(r, st, body, &sh) ||
	    !rules_or_reply(r, st, &sh)) {
		shift_free(&sh);
		return http_req_status(r);
	}
	sh.created_at = sh.updated_at = svc_now();
	if (store_shift_insert(st, &sh) <= 0 ||
	    api_audit(r, st, "create", "shift", sh.id, body) < 0 ||
	    svc_mail_shift(st, NULL, &sh) < 0)
		rc = api_reply_store_error(r);
	else {
		rc = reply_shift(r, st, sh.id, 201);
		api_location(r, "/api/v1/shifts/%lld", (long long)sh.id);
	}
	shift_free(&sh);
	return rc;
}

/* A shift with a duty log has happened: it is neither cancelled nor
 * deleted (the log would lose its shift). 0 after a 409 reply. */
static int
no_duty_log_or_reply(struct http_req *r, struct store *st, int64_t id)
{
	int rc = store_duty_log_exists(st, id);

	if (rc < 0)
		api_reply_store_error(r);
	else if (rc > 0)
		http_reply_errorf(r, HERR_CONFLICT, "status",
		    "该班次已有值班记录，不能取消或删除");
	return rc == 0;
}

int
api_shift_update(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct shift sh, old;
	struct store *st;
	int rc;

	if (!valid_object(body, shift_fields, NSHIFT, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!api_shift_load_or_reply(r, st, http_req_id(r, 0), &sh))
		return http_req_status(r);
	if (store_shift_get(st, sh.id, &old) <= 0) {
		shift_free(&sh);
		return api_reply_store_error(r);
	}
	if (!shift_apply_or_reply(r, st, body, &sh) ||
	    !rules_or_reply(r, st, &sh))
		rc = http_req_status(r);
	else if (sh.status == SHIFT_CANCELLED &&
	    old.status != SHIFT_CANCELLED &&
	    !no_duty_log_or_reply(r, st, sh.id))
		rc = 409;
	else {
		sh.sequence++;
		sh.pinned = 1;
		sh.updated_at = svc_now();
		if (store_shift_update(st, &sh) <= 0 ||
		    api_audit(r, st, "update", "shift", sh.id, body) < 0 ||
		    svc_mail_shift(st, &old, &sh) < 0)
			rc = api_reply_store_error(r);
		else
			rc = reply_shift(r, st, sh.id, 200);
	}
	shift_free(&old);
	shift_free(&sh);
	return rc;
}

int
api_shift_delete(struct http_req *r)
{
	struct shift sh;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!api_shift_load_or_reply(r, st, http_req_id(r, 0), &sh))
		return http_req_status(r);
	if (!no_duty_log_or_reply(r, st, sh.id)) {
		shift_free(&sh);
		return http_req_status(r);
	}
	if (strcmp(sh.origin, "generated") == 0) {
		/* Kept as cancelled so generation does not refill it. */
		enum shift_status was = sh.status;

		sh.status = SHIFT_CANCELLED;
		sh.sequence++;
		sh.updated_at = svc_now();
		rc = store_shift_update(st, &sh) > 0 ? 1 : -1;
		if (rc > 0) {
			struct shift before = sh;

			before.status = was;
			rc = svc_mail_shift(st, &before, &sh) < 0 ? -1 : 1;
		}
	} else
		rc = store_shift_delete(st, sh.id) > 0 &&
		        svc_mail_shift(st, &sh, NULL) == 0
		    ? 1
		    : -1;
	if (rc < 0 || api_audit(r, st, "delete", "shift", sh.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_empty(r, 204);
	shift_free(&sh);
	return rc;
}

int
api_shift_swap_pair(struct http_req *r, struct store *st, int64_t a_id,
    int64_t b_id, const json_t *detail)
{
	struct shift a, b;
	json_t *list;
	int64_t tmp, ids[2] = {a_id, b_id};
	int rc;

	if (!api_shift_load_or_reply(r, st, a_id, &a))
		return http_req_status(r);
	if (!api_shift_load_or_reply(r, st, b_id, &b)) {
		shift_free(&a);
		return http_req_status(r);
	}
	struct shift a0 = a, b0 = b;

	tmp = a.counsellor_id;
	a.counsellor_id = b.counsellor_id;
	b.counsellor_id = tmp;
	list = json_array();
	if (list == NULL || api_shift_rules(st, &a, ids, 2, list) < 0 ||
	    api_shift_rules(st, &b, ids, 2, list) < 0)
		rc = api_reply_store_error(r);
	else if (json_array_size(list) > 0) {
		rc = api_reply_rule_conflicts(r, list);
		list = NULL;
	} else {
		a.sequence++;
		b.sequence++;
		a.pinned = b.pinned = 1;
		a.updated_at = b.updated_at = svc_now();
		if (store_shift_update(st, &a) <= 0 ||
		    store_shift_update(st, &b) <= 0 ||
		    api_audit(r, st, "swap", "shift", a.id, detail) < 0 ||
		    svc_mail_shift(st, &a0, &a) < 0 ||
		    svc_mail_shift(st, &b0, &b) < 0)
			rc = api_reply_store_error(r);
		else
			rc = 200;
	}
	json_decref(list);
	shift_free(&a);
	shift_free(&b);
	return rc;
}

int
api_shift_swap(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "shift_ids",
	        .type = VT_ID_LIST,
	        .required = 1,
	        .maxitems = 2},
	};
	json_t *body = http_req_json(r), *ids, *arr;
	struct herror err;
	struct store *st;
	struct shift sh;
	int64_t a, b;
	int rc;

	if (!valid_object(body, fields, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	ids = json_object_get(body, "shift_ids");
	if (json_array_size(ids) != 2)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "shift_ids",
		    "互换须正好选择两个班次");
	st = api_store(r);
	a = json_integer_value(json_array_get(ids, 0));
	b = json_integer_value(json_array_get(ids, 1));
	if ((rc = api_shift_swap_pair(r, st, a, b, body)) != 200)
		return rc;
	arr = json_array();
	if (store_shift_get(st, a, &sh) > 0) {
		json_array_append_new(arr, api_shift_json(&sh));
		shift_free(&sh);
	}
	if (store_shift_get(st, b, &sh) > 0) {
		json_array_append_new(arr, api_shift_json(&sh));
		shift_free(&sh);
	}
	return http_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* GET /rosters/free?start&end|shift_id: every counsellor, free or busy
 * with the reason; with shift_id its times (unless given) and that
 * shift not counting. */
int
api_roster_free(struct http_req *r)
{
	const char *qs = http_req_query(r, "start");
	const char *qe = http_req_query(r, "end");
	struct shift sh;
	time_t start = 0, end = 0;
	int64_t shift_id = 0;
	json_t *items;
	struct store *st;

	if (!api_id_query_or_reply(r, "shift_id", &shift_id))
		return http_req_status(r);
	if ((qs != NULL && !time_parse_rfc3339(qs, &start)) ||
	    (qs == NULL && shift_id == 0))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "start",
		    "start：请给出开始时间（RFC 3339）或 shift_id");
	if ((qe != NULL && !time_parse_rfc3339(qe, &end)) ||
	    (qe == NULL && shift_id == 0))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "end：请给出结束时间（RFC 3339）或 shift_id");
	st = api_store(r);
	if (shift_id != 0) {
		if (!api_shift_load_or_reply(r, st, shift_id, &sh))
			return http_req_status(r);
		start = qs ? start : sh.start_at;
		end = qe ? end : sh.end_at;
		shift_free(&sh);
	}
	if (end <= start || end - start > MAX_SHIFT_SECONDS)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "end：须晚于开始时间，且不超过 24 小时");
	if (svc_roster_free(st, start, end, shift_id, &items) < 0)
		return api_reply_store_error(r);
	return api_reply_list(r, items, (int64_t)json_array_size(items));
}
