/*
 * /api/v1/availability (leave) and /api/v1/holidays (public holidays and
 * make-up working days), the two calendars generation must respect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const char *const holiday_kinds[] = {"holiday", "workday", NULL};

static const struct vfield avail_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "counsellor_id", .type = VT_ID, .required = 1},
    {.name = "start", .type = VT_TIME, .required = 1},
    {.name = "end", .type = VT_TIME, .required = 1},
    {.name = "reason", .type = VT_STRING, .nullable = 1, .max = 100},
    {.name = "created_at", .readonly = 1},
    {.name = "affected_shift_ids", .readonly = 1},
    {.name = "status", .readonly = 1},
    {.name = "entered_by", .readonly = 1},
    {.name = "decided_at", .readonly = 1},
    {.name = "decision_note", .readonly = 1},
};
#define NAVAIL (sizeof(avail_fields) / sizeof(avail_fields[0]))

static const struct vfield holiday_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "date", .type = VT_DATE, .required = 1},
    {.name = "kind", .type = VT_ENUM, .required = 1, .choices = holiday_kinds},
    {.name = "name", .type = VT_STRING, .nullable = 1, .max = 50},
    {.name = "as_weekday", .type = VT_INT, .nullable = 1, .min = 1, .max = 7},
};
#define NHOLIDAY (sizeof(holiday_fields) / sizeof(holiday_fields[0]))

json_t *
api_availability_json(const struct availability *a)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:o, s:s, s:s, s:o, s:s}",
	    "id", (json_int_t)a->id, "counsellor_id",
	    (json_int_t)a->counsellor_id, "start", tzdb_time_json(a->start_at),
	    "end", tzdb_time_json(a->end_at), "reason", a->reason, "created_at",
	    tzdb_time_json(a->created_at), "status",
	    leave_status_names[a->status], "entered_by",
	    leave_by_names[a->entered_by], "decided_at",
	    a->decided_at ? tzdb_time_json(a->decided_at) : json_null(),
	    "decision_note", a->decision_note ? a->decision_note : "");
}

/* The ids of assigned shifts of a's counsellor inside a's time; with
 * cover, those shifts too (as GET /shifts lists them): the shifts that
 * need cover once the leave is in force. */
static json_t *
affected_shifts(struct store *st, const struct availability *a, json_t **cover)
{
	struct shift_filter f;
	struct store_page pg = {1000, 0};
	struct shift *items = NULL;
	size_t n = 0, i;
	int64_t total;
	json_t *ids = json_array();

	memset(&f, 0, sizeof(f));
	f.counsellor_id = a->counsellor_id;
	f.from = a->start_at;
	f.to = a->end_at;
	f.active_only = 1;
	if (cover != NULL && (*cover = json_array()) == NULL) {
		json_decref(ids);
		return NULL;
	}
	if (ids == NULL ||
	    store_shift_list(st, &f, &pg, &items, &n, &total) < 0) {
		json_decref(ids);
		if (cover != NULL) {
			json_decref(*cover);
			*cover = NULL;
		}
		return NULL;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(ids, json_integer(items[i].id));
		if (cover != NULL)
			json_array_append_new(*cover,
			    api_shift_json(&items[i]));
	}
	shift_list_free(items, n);
	return ids;
}

/* Applies body to a; replies 422 and returns 0 on failure. For a
 * counsellor's own leave, owner is their id and counsellor_id must
 * match it. */
static int
avail_apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct availability *a)
{
	json_t *v;

	if ((v = json_object_get(body, "counsellor_id")) != NULL) {
		a->counsellor_id = json_integer_value(v);
		if (!api_ref_or_reply(r,
		        store_counsellor_exists(st, a->counsellor_id),
		        "counsellor_id",
		        "咨询师：没有这位咨询师，请从列表中选择"))
			return 0;
	}
	if ((v = json_object_get(body, "start")) != NULL)
		time_parse_rfc3339(json_string_value(v), &a->start_at);
	if ((v = json_object_get(body, "end")) != NULL)
		time_parse_rfc3339(json_string_value(v), &a->end_at);
	if (a->end_at <= a->start_at || a->end_at - a->start_at > 366 * 86400) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "结束时间须晚于开始时间，且相隔不超过一年");
		return 0;
	}
	if (!api_take_str(body, "reason", &a->reason)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	return 1;
}

int
api_availability_list_for(struct http_req *r, int64_t counsellor_id)
{
	struct availability_filter f;
	struct store_page pg;
	struct availability *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	int status;
	json_t *arr;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_day_range_or_reply(r, &f.from, &f.to) ||
	    (counsellor_id == 0 &&
	        !api_id_query_or_reply(r, "counsellor_id", &f.counsellor_id)) ||
	    !api_state_query_or_reply(r, "status", leave_status_names, &status))
		return http_req_status(r);
	f.status = (enum leave_status)status;
	if (counsellor_id != 0)
		f.counsellor_id = counsellor_id;
	st = api_store(r);
	if (store_availability_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, api_availability_json(&items[i]));
	availability_list_free(items, n);
	return api_reply_list(r, arr, total);
}

int
api_availability_list(struct http_req *r)
{
	return api_availability_list_for(r, 0);
}

static int
avail_load_or_reply(struct http_req *r, struct store *st, int64_t owner,
    struct availability *a)
{
	int rc = store_availability_get(st, http_req_id(r, 0), a);

	if (rc > 0 && owner != 0 && a->counsellor_id != owner) {
		availability_free(a);
		rc = 0; /* someone else's leave is not there for them */
	}
	return api_found_or_reply(r, rc, "没有这条请假记录");
}

int
api_availability_get(struct http_req *r)
{
	struct availability a;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!avail_load_or_reply(r, st, 0, &a))
		return http_req_status(r);
	rc = http_reply_json(r, 200, api_availability_json(&a));
	availability_free(&a);
	return rc;
}

int
api_availability_create_for(struct http_req *r, const json_t *body)
{
	struct availability a;
	struct herror err;
	struct store *st;
	json_t *out, *ids, *cover = NULL;
	int rc;

	if (!valid_object(body, avail_fields, NAVAIL, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	memset(&a, 0, sizeof(a));
	if ((a.reason = strdup("")) == NULL)
		return api_reply_internal(r, "out of memory");
	if (!avail_apply_or_reply(r, st, body, &a)) {
		availability_free(&a);
		return http_req_status(r);
	}
	a.created_at = svc_now();
	a.entered_by = http_req_principal(r)->role == HTTP_ROLE_COUNSELLOR
	    ? LEAVE_BY_COUNSELLOR
	    : LEAVE_BY_COORDINATOR;
	if ((ids = affected_shifts(st, &a, &cover)) == NULL) {
		availability_free(&a);
		return api_reply_store_error(r);
	}
	a.status = leave_initial(a.entered_by, json_array_size(ids),
	    svc_leave_needs_approval(st));
	if (store_availability_insert(st, &a) <= 0 ||
	    api_audit(r, st, "create", "availability", a.id, body) < 0 ||
	    (a.entered_by == LEAVE_BY_COUNSELLOR && json_array_size(ids) > 0 &&
	        svc_leave_notice(st, &a,
	            a.status == LEAVE_PENDING ? LEAVE_NOTICE_ASKED
	                                      : LEAVE_NOTICE_TAKEN,
	            json_integer_value(json_array_get(ids, 0))) < 0)) {
		json_decref(ids);
		rc = api_reply_store_error(r);
	} else {
		out = api_availability_json(&a);
		json_object_set_new(out, "affected_shift_ids", ids);
		/* leave in force at once: its shifts need cover now */
		json_object_set_new(out, "needs_cover",
		    a.status == LEAVE_APPROVED ? json_incref(cover)
		                               : json_array());
		rc = http_reply_json(r, 201, out);
	}
	json_decref(cover);
	availability_free(&a);
	return rc;
}

int
api_availability_create(struct http_req *r)
{
	return api_availability_create_for(r, http_req_json(r));
}

int
api_availability_update(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct availability a;
	struct herror err;
	struct store *st;
	int rc;

	if (!valid_object(body, avail_fields, NAVAIL, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!avail_load_or_reply(r, st, 0, &a))
		return http_req_status(r);
	if (!avail_apply_or_reply(r, st, body, &a))
		rc = http_req_status(r);
	else if (store_availability_update(st, &a) <= 0 ||
	    api_audit(r, st, "update", "availability", a.id, body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, api_availability_json(&a));
	availability_free(&a);
	return rc;
}

int
api_availability_delete_for(struct http_req *r, int64_t owner)
{
	struct availability a;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!avail_load_or_reply(r, st, owner, &a))
		return http_req_status(r);
	switch (leave_withdraw(a.entered_by, a.status, a.decided_by != 0,
	    owner != 0)) {
	case LEAVE_OK:
		break;
	case LEAVE_REFUSE_NOT_YOURS:
		availability_free(&a);
		return http_reply_errorf(r, HERR_FORBIDDEN, "id",
		    "这条请假由排班负责人录入，只能由负责人撤销");
	default:
		availability_free(&a);
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这条请假已由负责人处理，如需更改请联系负责人");
	}
	rc = api_reply_deleted(r, st, store_availability_delete(st, a.id),
	    "availability", a.id, NULL);
	availability_free(&a);
	return rc;
}

int
api_availability_delete(struct http_req *r)
{
	return api_availability_delete_for(r, 0);
}

/* POST /availability/{id}/approve|refuse {"note"?}: a coordinator's
 * decision on pending leave; the counsellor hears of it. */
static int
availability_decide(struct http_req *r, int approve)
{
	static const struct vfield fields[] = {
	    {.name = "note", .type = VT_STRING, .nullable = 1, .max = 200},
	};
	const json_t *body = http_req_json(r);
	struct availability a;
	struct herror err;
	struct store *st;
	json_t *ids = NULL, *cover = NULL;
	int rc;

	if (body != NULL && !valid_object(body, fields, 1, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!avail_load_or_reply(r, st, 0, &a))
		return http_req_status(r);
	if (leave_decide(a.status, approve, &a.status) != LEAVE_OK) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这条请假已处理（%s），不能再审批",
		    a.status == LEAVE_APPROVED ? "已批准" : "未批准");
		availability_free(&a);
		return rc;
	}
	a.decided_by = http_req_principal(r)->user_id;
	a.decided_at = svc_now();
	if (body != NULL && !api_take_str(body, "note", &a.decision_note)) {
		availability_free(&a);
		return api_reply_internal(r, "out of memory");
	}
	if (store_availability_update(st, &a) <= 0 ||
	    api_audit(r, st, approve ? "approve" : "refuse", "availability",
	        a.id, body) < 0 ||
	    (ids = affected_shifts(st, &a, &cover)) == NULL ||
	    svc_leave_notice(st, &a,
	        approve ? LEAVE_NOTICE_APPROVED : LEAVE_NOTICE_REFUSED,
	        json_integer_value(json_array_get(ids, 0))) < 0)
		rc = api_reply_store_error(r);
	else {
		json_t *out = api_availability_json(&a);

		json_object_set(out, "affected_shift_ids", ids);
		/* approved: the shifts now needing cover (refused: none) */
		json_object_set_new(out, "needs_cover",
		    approve ? json_incref(cover) : json_array());
		rc = http_reply_json(r, 200, out);
	}
	json_decref(ids);
	json_decref(cover);
	availability_free(&a);
	return rc;
}

int
api_availability_approve(struct http_req *r)
{
	return availability_decide(r, 1);
}

int
api_availability_refuse(struct http_req *r)
{
	return availability_decide(r, 0);
}

/* GET/PUT /api/v1/settings/leave {"needs_approval": bool}. */
int
api_leave_settings_get(struct http_req *r)
{
	return http_reply_json(r, 200,
	    json_pack("{s:b}", "needs_approval",
	        svc_leave_needs_approval(api_store(r))));
}

int
api_leave_settings_put(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "needs_approval", .type = VT_BOOL, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	struct store *st;

	if (!valid_object(body, fields, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (svc_leave_set_needs_approval(st,
	        json_is_true(json_object_get(body, "needs_approval"))) < 0 ||
	    api_audit(r, st, "update", "settings", 0, body) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:b}", "needs_approval", svc_leave_needs_approval(st)));
}

/* --- holidays ---------------------------------------------------------- */

json_t *
api_holiday_json(const struct holiday *h)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)h->id,
	    "date", h->date, "kind", h->kind, "name", h->name, "as_weekday",
	    strcmp(h->kind, "workday") == 0
	        ? json_integer(h->as_weekday ? h->as_weekday : 1)
	        : json_null());
}

int
api_holiday_list(struct http_req *r)
{
	struct holiday *items = NULL;
	struct store *st;
	size_t n = 0, i;
	const char *year = http_req_query(r, "year");
	char from[11] = "0001-01-01", to[11] = "9999-12-31";
	time_t a, b;
	long long y;
	json_t *arr;

	if (!api_day_range_or_reply(r, &a, &b))
		return http_req_status(r);
	if (http_req_query(r, "from"))
		snprintf(from, sizeof(from), "%.10s",
		    http_req_query(r, "from"));
	if (http_req_query(r, "to"))
		snprintf(to, sizeof(to), "%.10s", http_req_query(r, "to"));
	if (year != NULL) {
		if (!valid_uint(year, &y) || y < 1900 || y > 2200)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "year", "年份须在 1900 到 2200 之间");
		snprintf(from, sizeof(from), "%04lld-01-01", y);
		snprintf(to, sizeof(to), "%04lld-12-31", y);
	}
	st = api_store(r);
	if (store_holiday_range(st, from, to, &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, api_holiday_json(&items[i]));
	holiday_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

static int
holiday_load_or_reply(struct http_req *r, struct store *st, struct holiday *h)
{
	return api_found_or_reply(r,
	    store_holiday_get(st, http_req_id(r, 0), h), "没有这个节假日");
}

int
api_holiday_get(struct http_req *r)
{
	struct holiday h;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!holiday_load_or_reply(r, st, &h))
		return http_req_status(r);
	rc = http_reply_json(r, 200, api_holiday_json(&h));
	holiday_free(&h);
	return rc;
}

static int
holiday_apply(const json_t *body, struct holiday *h)
{
	json_t *v;

	if (!api_take_str(body, "date", &h->date) ||
	    !api_take_str(body, "kind", &h->kind) ||
	    !api_take_str(body, "name", &h->name))
		return 0;
	if ((v = json_object_get(body, "as_weekday")) != NULL)
		h->as_weekday = json_is_null(v) ? 0
		                                : (int)json_integer_value(v);
	return 1;
}

static int
reply_date_taken(struct http_req *r, const char *date)
{
	return http_reply_errorf(r, HERR_CONFLICT, "date",
	    "日期：%s 已有节假日或调休上班日，请编辑原有的那一条", date);
}

/* POST /holidays (create) and PATCH /holidays/{id}: the body checked
 * and applied to a new or the stored day, saved and audited; 201 or
 * 200, 409 when the date has a day already. */
static int
holiday_write(struct http_req *r, int create)
{
	json_t *body = api_body_or_reply(r, holiday_fields, NHOLIDAY,
	    create ? VALID_CREATE : VALID_PATCH);
	struct holiday h;
	struct store *st;
	int rc;

	if (body == NULL)
		return http_req_status(r);
	st = api_store(r);
	memset(&h, 0, sizeof(h));
	if (!create && !holiday_load_or_reply(r, st, &h))
		return http_req_status(r);
	if (!holiday_apply(body, &h) ||
	    (create && h.name == NULL && (h.name = strdup("")) == NULL))
		rc = api_reply_internal(r, "holiday fields");
	else if ((rc = create ? store_holiday_insert(st, &h)
	                      : store_holiday_update(st, &h)) == 0)
		rc = reply_date_taken(r, h.date);
	else if (rc < 0 ||
	    api_audit(r, st, create ? "create" : "update", "holiday", h.id,
	        body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, create ? 201 : 200,
		    api_holiday_json(&h));
	holiday_free(&h);
	return rc;
}

int
api_holiday_create(struct http_req *r)
{
	return holiday_write(r, 1);
}

int
api_holiday_update(struct http_req *r)
{
	return holiday_write(r, 0);
}

int
api_holiday_delete(struct http_req *r)
{
	return api_delete_by_id(r, store_holiday_delete, "holiday",
	    "没有这个节假日（可能已被删除）");
}

/* Collects the imported days into the reply's items. */
static void
import_item(const struct holiday *h, void *items)
{
	json_array_append_new(items, api_holiday_json(h));
}

int
api_holiday_import(struct http_req *r)
{
	struct store *st;
	const char *body, *force;
	size_t sz;
	int64_t created = 0, updated = 0;
	char err[160];
	json_t *items;
	int rc;

	if (api_enum_query_or_reply(r, "kind", holiday_kinds, &force) == 0)
		return http_req_status(r);
	st = api_store(r);
	body = http_req_body(r, &sz);
	if ((items = json_array()) == NULL)
		return api_reply_internal(r, "holiday import: out of memory");
	rc = svc_holiday_import(st, body, sz, force, import_item, items,
	    &created, &updated, err, sizeof(err));
	if (rc == 0) {
		json_decref(items);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "file",
		    "无法读取这个日历文件，请选择 .ics 格式的节假日日历"
		    "（详情：%s）",
		    err);
	}
	if (rc < 0 || api_audit(r, st, "import", "holiday", 0, NULL) < 0) {
		json_decref(items);
		return api_reply_store_error(r);
	}
	return http_reply_json(r, 200,
	    json_pack("{s:I, s:I, s:o}", "created", (json_int_t)created,
	        "updated", (json_int_t)updated, "items", items));
}

/* POST /holidays/range {from, to, kind, name?, as_weekday?}: every day
 * of the range (at most 62) as one kind, in one transaction. */
int
api_holiday_range(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "from", .type = VT_DATE, .required = 1},
	    {.name = "to", .type = VT_DATE, .required = 1},
	    {.name = "kind",
	        .type = VT_ENUM,
	        .required = 1,
	        .choices = holiday_kinds},
	    {.name = "name", .type = VT_STRING, .nullable = 1, .max = 50},
	    {.name = "as_weekday",
	        .type = VT_INT,
	        .nullable = 1,
	        .min = 1,
	        .max = 7},
	};
	json_t *body = http_req_json(r), *items;
	struct herror err;
	struct store *st;
	int64_t from, to, created, updated;

	if (!valid_object(body, fields, sizeof(fields) / sizeof(fields[0]),
	        VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	time_parse_date(json_string_value(json_object_get(body, "from")),
	    &from);
	time_parse_date(json_string_value(json_object_get(body, "to")), &to);
	if (to < from || to - from > 61)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to：须不早于 from，且一次最多 62 天");
	st = api_store(r);
	if ((items = json_array()) == NULL)
		return api_reply_internal(r, "holiday range: out of memory");
	if (svc_holiday_range(st, from, to,
	        json_string_value(json_object_get(body, "kind")),
	        json_string_value(json_object_get(body, "name")),
	        (int)json_integer_value(json_object_get(body, "as_weekday")),
	        import_item, items, &created, &updated) < 0 ||
	    api_audit(r, st, "create", "holiday", 0, body) < 0) {
		json_decref(items);
		return api_reply_store_error(r);
	}
	return http_reply_json(r, 200,
	    json_pack("{s:I, s:I, s:o}", "created", (json_int_t)created,
	        "updated", (json_int_t)updated, "items", items));
}

struct official_acc {
	json_t *items;
	int with_items;
};

static void
official_item(const struct holiday *h, int isnew, void *arg)
{
	struct official_acc *a = arg;
	json_t *o;

	if (!a->with_items)
		return;
	o = api_holiday_json(h);
	json_object_set_new(o, "new", json_boolean(isnew));
	json_array_append_new(a->items, o);
}

/* GET /holidays/official: what importing the shipped calendar would
 * add (missing > 0: offer it); POST: adds it (idempotent). */
static int
holiday_official(struct http_req *r, int apply)
{
	struct official_acc acc = {json_array(), 1};
	struct store *st = api_store(r);
	int64_t added, kept;

	if (acc.items == NULL)
		return api_reply_internal(r, "holidays: out of memory");
	if (svc_holiday_official(st, apply, official_item, &acc, &added,
	        &kept) < 0 ||
	    (apply && added > 0 &&
	        api_audit(r, st, "import", "holiday", 0, NULL) < 0)) {
		json_decref(acc.items);
		return api_reply_store_error(r);
	}
	return http_reply_json(r, 200,
	    json_pack("{s:I, s:I, s:I, s:o, s:o}",
	        apply ? "created" : "missing", (json_int_t)added, "kept",
	        (json_int_t)kept, "days", (json_int_t)(added + kept), "years",
	        svc_holiday_official_sources(), "items", acc.items));
}

int
api_holiday_official_get(struct http_req *r)
{
	return holiday_official(r, 0);
}

int
api_holiday_official_import(struct http_req *r)
{
	return holiday_official(r, 1);
}
