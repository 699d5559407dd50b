/*
 * /api/v1/duty-metrics, /api/v1/shifts/{id}/log, /api/v1/duty-logs and
 * /api/v1/duty-logs/close: what counsellors count on duty and the log
 * (值班记录) of each shift. Who may write a log and when is decided in
 * core (duty_may_write); the values are checked there too. A log holds
 * counts and a short note, never a petitioner's name or identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_METRICS_TOTAL 200

static const struct vfield metric_fields[] = {
    {.name = "code", .type = VT_STRING, .required = 1, .min = 1, .max = 32},
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 40},
    {.name = "unit", .type = VT_STRING, .required = 1, .min = 1, .max = 10},
    {.name = "position", .type = VT_INT, .min = 0, .max = 100000},
    {.name = "active", .type = VT_BOOL},
    {.name = "used", .readonly = 1},
    {.name = "created_at", .readonly = 1},
};
#define NMETRIC (sizeof(metric_fields) / sizeof(metric_fields[0]))

/* The body of PUT /shifts/{id}/log; what GET shows is accepted back and
 * ignored. */
static const struct vfield log_fields[] = {
    {.name = "attended", .type = VT_BOOL, .required = 1},
    {.name = "values", .type = VT_OBJECT, .nullable = 1},
    {.name = "note", .type = VT_TEXT, .nullable = 1, .max = DUTY_NOTE_MAX},
    {.name = "reason", .type = VT_TEXT, .nullable = 1, .max = 200},
    {.name = "shift_id", .readonly = 1},
    {.name = "station_id", .readonly = 1},
    {.name = "station_name", .readonly = 1},
    {.name = "counsellor_id", .readonly = 1},
    {.name = "counsellor_name", .readonly = 1},
    {.name = "start", .readonly = 1},
    {.name = "end", .readonly = 1},
    {.name = "shift_status", .readonly = 1},
    {.name = "logged", .readonly = 1},
    {.name = "closed", .readonly = 1},
    {.name = "editable", .readonly = 1},
    {.name = "reason_required", .readonly = 1},
    {.name = "entered_by", .readonly = 1},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
};
#define NLOG (sizeof(log_fields) / sizeof(log_fields[0]))

/* api_audit with a detail made for it (stolen); -1 when it could not be
 * made. */
static int
audit_own(struct http_req *r, struct store *st, const char *action,
    const char *entity, int64_t id, json_t *detail)
{
	int rc = detail ? api_audit(r, st, action, entity, id, detail) : -1;

	json_decref(detail);
	return rc;
}

/* --- metrics ------------------------------------------------------------- */

static json_t *
metric_json(const struct duty_metric *m)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:b, s:b}", "code", m->code,
	    "name", m->name, "unit", m->unit, "position",
	    (json_int_t)m->position, "active", m->active, "used", m->used);
}

int
api_duty_metric_list(struct http_req *r)
{
	struct duty_metric *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int active;
	json_t *arr;

	if (!api_bool_query_or_reply(r, "active", -1, &active))
		return http_req_status(r);
	st = api_store(r);
	if (store_duty_metric_list(st, active == 1, &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		if (active != 0 || !items[i].active)
			json_array_append_new(arr, metric_json(&items[i]));
	duty_metric_list_free(items, n);
	return api_reply_list(r, arr, arr ? (int64_t)json_array_size(arr) : 0);
}

static int
metric_load_or_reply(struct http_req *r, struct store *st, const char *code,
    struct duty_metric *m)
{
	int rc = duty_code_valid(code) ? store_duty_metric_get(st, code, m) : 0;

	if (rc <= 0)
		api_reply_not_found(r, rc, "没有这个统计项");
	return rc > 0;
}

/* How many metrics there are, and how many of them are active. */
static int
metric_counts(struct store *st, size_t *total, size_t *active)
{
	struct duty_metric *items = NULL;
	size_t n = 0, i;

	if (store_duty_metric_list(st, 0, &items, &n) < 0)
		return -1;
	*total = n;
	for (*active = 0, i = 0; i < n; i++)
		*active += items[i].active != 0;
	duty_metric_list_free(items, n);
	return 1;
}

/* Applies name, unit, position and active of body to m. */
static int
metric_apply_or_reply(struct http_req *r, const json_t *body,
    struct duty_metric *m)
{
	json_t *v;

	if (!api_take_str(body, "name", &m->name) ||
	    !api_take_str(body, "unit", &m->unit)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if ((v = json_object_get(body, "position")) != NULL)
		m->position = json_integer_value(v);
	if ((v = json_object_get(body, "active")) != NULL)
		m->active = json_is_true(v);
	if (m->name[0] == '\0' || m->unit[0] == '\0') {
		http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    m->name[0] == '\0' ? "name" : "unit", "%s：不能为空",
		    m->name[0] == '\0' ? "name" : "unit");
		return 0;
	}
	return 1;
}

int
api_duty_metric_create(struct http_req *r)
{
	json_t *body = http_req_json(r), *out;
	struct duty_metric m;
	struct herror err;
	struct store *st;
	size_t total, active;
	char loc[96];
	int rc;

	if (!valid_object(body, metric_fields, NMETRIC, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	memset(&m, 0, sizeof(m));
	m.code = valid_str(body, "code", NULL);
	if (m.code == NULL || !duty_code_valid(m.code)) {
		free(m.code);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "code",
		    "code：须以小写字母开头，只含小写字母、数字和下划线，"
		    "最多 32 个字符");
	}
	st = api_store(r);
	m.active = 1;
	m.created_at = svc_now();
	if (store_duty_metric_next_position(st, &m.position) < 0 ||
	    metric_counts(st, &total, &active) < 0) {
		duty_metric_free(&m);
		return api_reply_store_error(r);
	}
	if (!metric_apply_or_reply(r, body, &m)) {
		duty_metric_free(&m);
		return http_req_status(r);
	}
	if (total >= MAX_METRICS_TOTAL ||
	    (m.active && active >= DUTY_MAX_METRICS)) {
		duty_metric_free(&m);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "code",
		    "统计项已达上限（启用 %d 项，共 %d 项）", DUTY_MAX_METRICS,
		    MAX_METRICS_TOTAL);
	}
	rc = store_duty_metric_insert(st, &m);
	if (rc == 0) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "code",
		    "code：统计项 %s 已存在", m.code);
		duty_metric_free(&m);
		return rc;
	}
	if (rc < 0 || api_audit(r, st, "create", "duty_metric", 0, body) < 0) {
		duty_metric_free(&m);
		return api_reply_store_error(r);
	}
	snprintf(loc, sizeof(loc), "/api/v1/duty-metrics/%s", m.code);
	out = metric_json(&m);
	duty_metric_free(&m);
	rc = http_reply_json(r, 201, out);
	http_reply_header(r, "Location", loc);
	return rc;
}

int
api_duty_metric_update(struct http_req *r)
{
	json_t *body = http_req_json(r), *v;
	struct duty_metric m;
	struct herror err;
	struct store *st;
	size_t total, active;
	int was, rc;

	if (!valid_object(body, metric_fields, NMETRIC, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!metric_load_or_reply(r, st, http_req_tok(r, 0), &m))
		return http_req_status(r);
	if ((v = json_object_get(body, "code")) != NULL &&
	    strcmp(json_string_value(v), m.code) != 0) {
		duty_metric_free(&m);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "code",
		    "code：统计项代码不可更改（已有的记录按代码保存）");
	}
	was = m.active;
	if (!metric_apply_or_reply(r, body, &m)) {
		duty_metric_free(&m);
		return http_req_status(r);
	}
	if (!was && m.active) {
		if (metric_counts(st, &total, &active) < 0) {
			duty_metric_free(&m);
			return api_reply_store_error(r);
		}
		if (active >= DUTY_MAX_METRICS) {
			duty_metric_free(&m);
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "active", "启用的统计项最多 %d 项",
			    DUTY_MAX_METRICS);
		}
	}
	if (store_duty_metric_update(st, &m) <= 0 ||
	    audit_own(r, st, "update", "duty_metric", 0,
	        json_pack("{s:s, s:O}", "code", m.code, "change", body)) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, metric_json(&m));
	duty_metric_free(&m);
	return rc;
}

int
api_duty_metric_delete(struct http_req *r)
{
	struct duty_metric m;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!metric_load_or_reply(r, st, http_req_tok(r, 0), &m))
		return http_req_status(r);
	/* A metric with values is kept (the logs name it) but retired. */
	if (m.used) {
		m.active = 0;
		if (store_duty_metric_update(st, &m) <= 0 ||
		    audit_own(r, st, "deactivate", "duty_metric", 0,
		        json_pack("{s:s}", "code", m.code)) < 0)
			rc = api_reply_store_error(r);
		else
			rc = http_reply_json(r, 200, metric_json(&m));
	} else if ((rc = store_duty_metric_delete(st, m.code)) <= 0 ||
	    audit_own(r, st, "delete", "duty_metric", 0,
	        json_pack("{s:s}", "code", m.code)) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_empty(r, 204);
	duty_metric_free(&m);
	return rc;
}

/* --- logs ---------------------------------------------------------------- */

/* What duty_may_write needs to know about l and the signed-in user. */
static void
write_facts(const struct http_req *r, const struct duty_log *l, int64_t closed,
    int has_reason, struct duty_write *w)
{
	const struct http_principal *p = http_req_principal(r);

	memset(w, 0, sizeof(*w));
	w->coordinator = p->role == HTTP_ROLE_COORDINATOR;
	w->writer_counsellor = p->counsellor_id;
	w->shift_counsellor = l->shift_counsellor_id;
	w->cancelled = l->shift_status == SHIFT_CANCELLED;
	w->start = l->start_at;
	w->now = svc_now();
	w->end_day = duty_end_day(l->end_at, tzdb_zone(l->station_tz));
	w->closed_through = closed;
	w->has_log = l->logged;
	w->log_by_counsellor = l->logged && l->entered_by_counsellor;
	w->has_reason = has_reason;
}

static json_t *
log_json(const struct http_req *r, const struct duty_log *l, int64_t closed)
{
	json_t *values = json_object();
	struct duty_write w;
	enum duty_verdict v, with_reason;
	size_t i;

	for (i = 0; i < l->nvalues && values != NULL; i++)
		json_object_set_new(values, l->values[i].code,
		    json_integer(l->values[i].value));
	write_facts(r, l, closed, 0, &w);
	v = duty_may_write(&w);
	w.has_reason = 1;
	with_reason = duty_may_write(&w);
	return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:b, s:o,"
	                 " s:o, s:s, s:o, s:o, s:s, s:b, s:b, s:b}",
	    "shift_id", (json_int_t)l->shift_id, "station_id",
	    (json_int_t)l->station_id, "station_name", l->station_name,
	    "counsellor_id",
	    l->counsellor_id ? json_integer(l->counsellor_id) : json_null(),
	    "counsellor_name",
	    l->counsellor_id ? json_string(l->counsellor_name) : json_null(),
	    "start", tzdb_time_json(l->start_at), "end",
	    tzdb_time_json(l->end_at), "shift_status",
	    shift_status_names[l->shift_status], "logged", l->logged,
	    "attended", l->logged ? json_boolean(l->attended) : json_null(),
	    "values", values ? values : json_object(), "note", l->note,
	    "created_at",
	    l->logged ? tzdb_time_json(l->created_at) : json_null(),
	    "updated_at",
	    l->logged ? tzdb_time_json(l->updated_at) : json_null(),
	    "entered_by", l->entered_by, "closed",
	    duty_closed(w.end_day, closed), "editable",
	    with_reason == DUTY_WRITE_OK, "reason_required",
	    v == DUTY_WRITE_NEED_REASON);
}

/* Loads the shift's log into l: 0, or the status of the reply sent
 * (a stranger's shift is 403 when reading; writing leaves that to
 * duty_may_write). */
static int
log_load_or_reply(struct http_req *r, struct store *st, struct duty_log *l,
    int for_write)
{
	const struct http_principal *p = http_req_principal(r);
	int rc = store_duty_log_get(st, http_req_id(r, 0), l);

	if (rc <= 0)
		return api_reply_not_found(r, rc, "没有这个班次");
	if (!for_write &&
	    !duty_may_read(p->role == HTTP_ROLE_COORDINATOR, p->counsellor_id,
	        l->shift_counsellor_id, l->logged ? l->log_counsellor_id : 0)) {
		duty_log_free(l);
		return http_reply_errorf(r, HERR_FORBIDDEN, NULL,
		    "只能查看自己班次的值班记录");
	}
	return 0;
}

int
api_duty_log_get(struct http_req *r)
{
	struct duty_log l;
	struct store *st;
	int64_t closed;
	int rc;

	st = api_store(r);
	if ((rc = log_load_or_reply(r, st, &l, 0)) != 0)
		return rc;
	if (svc_duty_closed_through(st, &closed) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, log_json(r, &l, closed));
	duty_log_free(&l);
	return rc;
}

/* Replies why w may not write; the status replied. */
static int
reply_verdict(struct http_req *r, enum duty_verdict v, int64_t closed)
{
	char day[11];

	switch (v) {
	case DUTY_WRITE_FORBIDDEN:
		return http_reply_errorf(r, HERR_FORBIDDEN, NULL,
		    "只能填写自己班次的值班记录");
	case DUTY_WRITE_CANCELLED:
		return http_reply_errorf(r, HERR_CONFLICT, "shift_status",
		    "该班次已取消，不能填写值班记录");
	case DUTY_WRITE_OPEN_SEAT:
		return http_reply_errorf(r, HERR_CONFLICT, "counsellor_id",
		    "该班次无人值班，不能填写值班记录");
	case DUTY_WRITE_NOT_STARTED:
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "start",
		    "班次尚未开始，开始后才能填写值班记录");
	case DUTY_WRITE_CLOSED:
		time_format_date(closed, day);
		return http_reply_errorf(r, HERR_CONFLICT, "closed",
		    "%s 及以前的值班记录已关账，只能查看；如需更正，请联系协调员",
		    day);
	case DUTY_WRITE_NEED_REASON:
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "reason",
		    "reason：更正咨询师填写的记录或已关账的记录，须填写更正原因");
	case DUTY_WRITE_OK:
	case DUTY_WRITE__MAX:
		break;
	}
	return api_reply_store_error(r);
}

/* The codes of the active metrics (strings owned by *ms). */
static int
active_codes(struct store *st, struct duty_metric **ms, size_t *n,
    const char **codes)
{
	size_t i;

	if (store_duty_metric_list(st, 1, ms, n) < 0)
		return -1;
	for (i = 0; i < *n && i < DUTY_MAX_METRICS; i++)
		codes[i] = (*ms)[i].code;
	if (*n > DUTY_MAX_METRICS)
		*n = DUTY_MAX_METRICS;
	return 1;
}

/* The audit detail of a write: the new content, the old one when there
 * was one, and the reason. */
static json_t *
audit_detail(const struct duty_log *before, const json_t *body,
    const char *reason)
{
	json_t *d = json_pack("{s:O, s:O, s:O}", "attended",
	    json_object_get(body, "attended"), "values",
	    json_object_get(body, "values") ? json_object_get(body, "values")
	                                    : json_null(),
	    "note",
	    json_object_get(body, "note") ? json_object_get(body, "note")
	                                  : json_null());
	json_t *old, *vals;
	size_t i;

	if (d == NULL)
		return NULL;
	if (reason != NULL && *reason != '\0')
		json_object_set_new(d, "reason", json_string(reason));
	if (before->logged) {
		vals = json_object();
		for (i = 0; i < before->nvalues && vals; i++)
			json_object_set_new(vals, before->values[i].code,
			    json_integer(before->values[i].value));
		old = json_pack("{s:b, s:o, s:s, s:s}", "attended",
		    before->attended, "values", vals ? vals : json_object(),
		    "note", before->note, "entered_by", before->entered_by);
		if (old != NULL)
			json_object_set_new(d, "before", old);
	}
	return d;
}

int
api_duty_log_put(struct http_req *r)
{
	const struct http_principal *p = http_req_principal(r);
	json_t *body = http_req_json(r), *detail;
	struct duty_value vals[DUTY_MAX_METRICS];
	const char *codes[DUTY_MAX_METRICS];
	struct duty_metric *ms = NULL;
	struct duty_log l, after;
	struct duty_log_write w;
	struct duty_write facts;
	struct herror err;
	struct store *st;
	enum duty_verdict v;
	char *note = NULL, *reason = NULL;
	size_t nms = 0, nvals = 0;
	int64_t closed;
	int attended, rc;

	if (!valid_object(body, log_fields, NLOG, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if ((rc = log_load_or_reply(r, st, &l, 1)) != 0)
		return rc;
	note = valid_str(body, "note", NULL);
	reason = valid_str(body, "reason", NULL);
	attended = json_is_true(json_object_get(body, "attended"));
	if (svc_duty_closed_through(st, &closed) < 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	write_facts(r, &l, closed, reason != NULL && *reason != '\0', &facts);
	if ((v = duty_may_write(&facts)) != DUTY_WRITE_OK) {
		rc = reply_verdict(r, v, closed);
		goto out;
	}
	if (active_codes(st, &ms, &nms, codes) < 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	if (!duty_values_check(json_object_get(body, "values"), attended, codes,
	        nms, vals, DUTY_MAX_METRICS, &nvals, &err)) {
		rc = api_reply_invalid(r, &err);
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.shift_id = l.shift_id;
	/* Who was on duty: a coordinator's correction keeps the log's. */
	w.counsellor_id = l.logged && facts.coordinator && l.log_counsellor_id
	    ? l.log_counsellor_id
	    : l.shift_counsellor_id;
	w.user_id = p->user_id;
	w.attended = attended;
	w.note = note ? note : "";
	w.at = svc_now();
	w.values = vals;
	w.nvalues = nvals;
	detail = audit_detail(&l, body, reason);
	if (detail == NULL || store_duty_log_put(st, &w) <= 0 ||
	    store_duty_outbox_skip(st, l.shift_id, 0,
	        "值班记录已填写，不再提醒") < 0 ||
	    api_audit(r, st,
	        !l.logged                                    ? "create"
	            : facts.coordinator && reason && *reason ? "correct"
	                                                     : "update",
	        "duty_log", l.shift_id, detail) < 0) {
		json_decref(detail);
		rc = api_reply_store_error(r);
		goto out;
	}
	json_decref(detail);
	if (store_duty_log_get(st, l.shift_id, &after) <= 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	rc = http_reply_json(r, 200, log_json(r, &after, closed));
	duty_log_free(&after);
out:
	duty_metric_list_free(ms, nms);
	duty_log_free(&l);
	free(note);
	free(reason);
	return rc;
}

int
api_duty_log_list(struct http_req *r)
{
	const struct http_principal *p = http_req_principal(r);
	struct duty_log_filter f;
	struct store_page pg;
	struct duty_log *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total, closed;
	char day[11];
	json_t *arr;
	int missing;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id) ||
	    !api_id_query_or_reply(r, "counsellor_id", &f.counsellor_id) ||
	    !api_bool_query_or_reply(r, "missing", 0, &missing))
		return http_req_status(r);
	if (missing < 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "missing",
		    "missing：应为 1 或 0");
	if (p->role != HTTP_ROLE_COORDINATOR) {
		/* A counsellor sees their own logs only. */
		if (p->counsellor_id == 0 ||
		    (f.counsellor_id != 0 &&
		        f.counsellor_id != p->counsellor_id))
			return http_reply_errorf(r, HERR_FORBIDDEN,
			    "counsellor_id", "只能查看自己的值班记录");
		f.counsellor_id = p->counsellor_id;
	}
	f.missing = missing;
	f.now = svc_now();
	st = api_store(r);
	if (svc_duty_closed_through(st, &closed) < 0 ||
	    store_duty_log_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, log_json(r, &items[i], closed));
	duty_log_list_free(items, n);
	if (arr == NULL)
		return api_reply_internal(r, "out of memory");
	if (closed != DUTY_NOT_CLOSED)
		time_format_date(closed, day);
	return http_reply_json(r, 200,
	    json_pack("{s:o, s:I, s:o}", "items", arr, "total",
	        (json_int_t)total, "closed_through",
	        closed != DUTY_NOT_CLOSED ? json_string(day) : json_null()));
}

int
api_duty_logs_close(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "through", .type = VT_DATE, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	struct store *st;
	const char *through;
	int64_t day, today, before;
	char prev[11];

	if (!valid_object(body, fields, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	through = json_string_value(json_object_get(body, "through"));
	if (!time_parse_date(through, &day))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "through",
		    "through：不是有效日期（YYYY-MM-DD）");
	today = activity_local_day(svc_now(), tzdb_default());
	if (day >= today)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "through",
		    "through：只能关账今天以前的日期");
	st = api_store(r);
	if (svc_duty_close(st, day, &before) < 0)
		return api_reply_store_error(r);
	if (before != DUTY_NOT_CLOSED)
		time_format_date(before, prev);
	if (audit_own(r, st,
	        before != DUTY_NOT_CLOSED && day < before ? "reopen" : "close",
	        "duty_logs", 0,
	        json_pack("{s:s, s:o}", "through", through, "previous",
	            before != DUTY_NOT_CLOSED ? json_string(prev)
	                                      : json_null())) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:s, s:o}", "through", through, "previous",
	        before != DUTY_NOT_CLOSED ? json_string(prev) : json_null()));
}
