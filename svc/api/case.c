/*
 * /api/v1/cases: the key-case register (重点个案) — cases with their
 * counsellors, counselling sessions and follow-ups (回访), and the
 * follow-ups of the signed-in counsellor (我的排班). Coordinators do
 * everything; a counsellor lists and reads only the cases they are on,
 * adds sessions to them in their own name and marks their own follow-ups
 * done. Labels are pseudonymous and notes carry no phone or identity
 * number (core/cases.c); a follow-up is also a VEVENT of the counsellor's
 * feed (svc_ical_follow_up in service/ical.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define NOTE_MAX 2000
#define SHORT_NOTE_MAX 500

static const struct vfield case_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "label", .type = VT_STRING, .required = 1, .min = 1, .max = 64},
    {.name = "station_id", .type = VT_ID, .nullable = 1},
    {.name = "counsellor_ids",
        .type = VT_ID_LIST,
        .maxitems = CASE_MAX_COUNSELLORS},
    {.name = "opened_on", .type = VT_DATE, .required = 1},
    {.name = "status", .type = VT_ENUM, .choices = case_status_names},
    {.name = "closed_on", .type = VT_DATE, .nullable = 1},
    {.name = "note", .type = VT_TEXT, .nullable = 1, .max = NOTE_MAX},
    {.name = "station_name", .readonly = 1},
    {.name = "session_count", .readonly = 1},
    {.name = "session_minutes", .readonly = 1},
    {.name = "last_session_on", .readonly = 1},
    {.name = "next_follow_up", .readonly = 1},
    {.name = "sessions", .readonly = 1},
    {.name = "follow_ups", .readonly = 1},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
};
#define NCASE_FIELDS (sizeof(case_fields) / sizeof(case_fields[0]))

static int
is_counsellor(const struct http_req *r)
{
	return http_req_principal(r)->role != HTTP_ROLE_COORDINATOR;
}

static int64_t
today(void)
{
	return activity_local_day(svc_now(), tzdb_default());
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id > 0 ? json_integer(id) : json_null();
}

static json_t *
case_json(const struct case_rec *c)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; ids != NULL && i < c->ncounsellors; i++)
		json_array_append_new(ids, json_integer(c->counsellor_ids[i]));
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:s,"
	                 " s:I, s:I, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)c->id, "label", c->label, "station_id",
	    id_or_null(c->station_id), "station_name",
	    str_or_null(c->station_name), "counsellor_ids", ids, "opened_on",
	    c->opened_on, "status", case_status_name(c->status), "closed_on",
	    str_or_null(c->closed_on), "note", c->note, "session_count",
	    (json_int_t)c->sessions, "session_minutes", (json_int_t)c->minutes,
	    "last_session_on", str_or_null(c->last_session_on),
	    "next_follow_up",
	    c->next_follow_up ? tzdb_time_json(c->next_follow_up) : json_null(),
	    "created_at", tzdb_time_json(c->created_at), "updated_at",
	    tzdb_time_json(c->updated_at));
}

static json_t *
session_json(const struct case_session *x)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:I, s:s, s:s, s:o}", "id",
	    (json_int_t)x->id, "case_id", (json_int_t)x->case_id,
	    "counsellor_id", id_or_null(x->counsellor_id), "counsellor_name",
	    str_or_null(x->counsellor_name), "date", x->date, "minutes",
	    (json_int_t)x->minutes, "kind", x->kind, "note", x->note,
	    "created_at", tzdb_time_json(x->created_at));
}

static json_t *
follow_up_json(const struct case_follow_up *f)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:o, s:o, s:o, s:b, s:o,"
	                 " s:s, s:I, s:o, s:o}",
	    "id", (json_int_t)f->id, "case_id", (json_int_t)f->case_id, "label",
	    f->label, "counsellor_id", (json_int_t)f->counsellor_id,
	    "counsellor_name", str_or_null(f->counsellor_name), "due",
	    tzdb_time_json(f->due_at), "end",
	    tzdb_time_json(f->due_at + FOLLOW_UP_MINUTES * 60), "done",
	    f->done_at != 0, "done_at",
	    f->done_at ? tzdb_time_json(f->done_at) : json_null(), "note",
	    f->note, "sequence", (json_int_t)f->sequence, "created_at",
	    tzdb_time_json(f->created_at), "updated_at",
	    tzdb_time_json(f->updated_at));
}

/* Loads case id for the caller: 404 unknown, 403 a counsellor who is
 * not on it. 1 with *c filled. */
static int
case_or_reply(struct http_req *r, struct store *st, int64_t id,
    struct case_rec *c)
{
	int64_t me = http_req_principal(r)->counsellor_id;
	int rc = store_case_get(st, id, c);

	if (rc <= 0) {
		api_reply_not_found(r, rc, "没有这个个案");
		return 0;
	}
	if (is_counsellor(r)) {
		rc = me > 0 ? store_case_has_counsellor(st, id, me) : 0;
		if (rc <= 0) {
			case_free(c);
			if (rc < 0)
				api_reply_store_error(r);
			else
				http_reply_errorf(r, HERR_FORBIDDEN, NULL,
				    "只能查看本人参与的个案");
			return 0;
		}
	}
	return 1;
}

/* A write under the case of the path: the body checked against f (the
 * validator's own words on a 422) and the case loaded into c (case_free);
 * NULL after a reply. */
static json_t *
case_body_or_reply(struct http_req *r, const struct vfield *f, size_t n,
    int mode, struct store **st, struct case_rec *c)
{
	json_t *body = http_req_json(r);
	struct herror err;

	if (!valid_object(body, f, n, mode, &err)) {
		api_reply_invalid_zh(r, &err);
		return NULL;
	}
	*st = api_store(r);
	if (!case_or_reply(r, *st, http_req_id(r, 0), c))
		return NULL;
	return body;
}

/* Checks a note for a phone or identity number; replies 422. */
static int
note_ok_or_reply(struct http_req *r, const char *field, const char *note)
{
	enum case_note_err e = case_note_check(note);

	if (e == CASE_NOTE_OK)
		return 1;
	http_reply_errorf(r, HERR_VALIDATION_FAILED, field, "%s",
	    case_note_message(e));
	return 0;
}

static int
date_day(const char *s, int64_t *day)
{
	return s != NULL && s[0] != '\0' && time_parse_date(s, day);
}

/* Applies body (create: before NULL) to c with every rule checked;
 * replies 422 (or 500) and returns 0 on a problem. */
static int
apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct case_rec *c, const struct case_rec *before)
{
	struct case_dates was, now;
	struct case_change chg;
	struct station s;
	enum case_label_err le;
	enum case_rule rule;
	json_t *ids, *v;
	size_t i;
	int rc;

	if (!api_take_str(body, "label", &c->label) ||
	    !api_take_str(body, "opened_on", &c->opened_on) ||
	    !api_take_str(body, "closed_on", &c->closed_on) ||
	    !api_take_str(body, "note", &c->note))
		goto oom;
	if ((le = case_label_check(c->label)) != CASE_LABEL_OK) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "label", "%s",
		    case_label_message(le));
		return 0;
	}
	if (!note_ok_or_reply(r, "note", c->note))
		return 0;
	if ((v = json_object_get(body, "station_id")) != NULL) {
		c->station_id = json_is_integer(v) ? json_integer_value(v) : 0;
		if (c->station_id > 0) {
			if ((rc = store_station_get(st, c->station_id, &s)) < 0)
				goto oom;
			if (rc == 0) {
				http_reply_errorf(r, HERR_VALIDATION_FAILED,
				    "station_id", "没有这个驻点");
				return 0;
			}
			station_free(&s);
		}
	}
	if ((ids = json_object_get(body, "counsellor_ids")) != NULL) {
		c->ncounsellors = 0;
		json_array_foreach(ids, i, v)
		{
			if ((rc = store_counsellor_exists(st,
			         json_integer_value(v))) < 0)
				goto oom;
			if (rc == 0) {
				http_reply_errorf(r, HERR_VALIDATION_FAILED,
				    "counsellor_ids", "没有咨询师 %lld",
				    (long long)json_integer_value(v));
				return 0;
			}
			c->counsellor_ids
			    [c->ncounsellors++] = json_integer_value(v);
		}
	}
	/* Status and dates: the rules of core/cases.c. */
	memset(&chg, 0, sizeof(chg));
	if (json_object_get(body, "status") != NULL) {
		chg.has_status = 1;
		case_status_parse(json_string_value(json_object_get(body,
		                      "status")),
		    &chg.status);
	}
	if (json_object_get(body, "opened_on") != NULL) {
		chg.has_opened = 1;
		date_day(c->opened_on, &chg.opened);
	}
	if (json_object_get(body, "closed_on") != NULL) {
		chg.has_closed = 1;
		if (!date_day(c->closed_on, &chg.closed))
			chg.closed = CASE_NO_DAY;
	}
	if (before != NULL) {
		was.status = before->status;
		date_day(before->opened_on, &was.opened);
		if (!date_day(before->closed_on, &was.closed))
			was.closed = CASE_NO_DAY;
	}
	rule = case_apply(before ? &was : NULL, &chg, today(), &now);
	if (rule != CASE_RULE_OK) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    case_rule_field(rule), "%s", case_rule_message(rule));
		return 0;
	}
	free(c->closed_on);
	c->status = now.status;
	c->closed_on = malloc(11);
	if (c->closed_on == NULL)
		goto oom;
	if (now.closed == CASE_NO_DAY)
		c->closed_on[0] = '\0';
	else
		time_format_date(now.closed, c->closed_on);
	if (c->note == NULL && (c->note = strdup("")) == NULL)
		goto oom;
	return 1;
oom:
	api_reply_internal(r, "case fields");
	return 0;
}

int
api_case_list(struct http_req *r)
{
	struct case_filter f;
	struct store_page pg;
	struct case_rec *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total, me = http_req_principal(r)->counsellor_id;
	const char *q = http_req_query(r, "q"), *status;
	json_t *arr;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_enum_query_or_reply(r, "status", case_status_names, &status) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id) ||
	    !api_id_query_or_reply(r, "counsellor_id", &f.counsellor_id))
		return http_req_status(r);
	if (q != NULL && (strlen(q) > 64 || valid_utf8_len(q, strlen(q)) < 0))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "q",
		    "q 最多 64 个字符");
	f.q = q;
	f.status = CASE_STATUS_ANY;
	if (status != NULL)
		case_status_parse(status, &f.status);
	if (is_counsellor(r)) {
		/* A counsellor sees the cases they are on, nobody else's. */
		if (me == 0 || (f.counsellor_id != 0 && f.counsellor_id != me))
			return http_reply_errorf(r, HERR_FORBIDDEN,
			    "counsellor_id", "只能查看本人参与的个案");
		f.counsellor_id = me;
	}
	st = api_store(r);
	if (store_case_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		json_array_append_new(arr, case_json(&items[i]));
	case_list_free(items, n);
	return api_reply_list(r, arr, total);
}

/* The case with its sessions and (live) follow-ups. */
static int
reply_case(struct http_req *r, struct store *st, int status, int64_t id)
{
	struct follow_up_filter ff;
	struct case_follow_up *fu = NULL;
	struct case_session *ss = NULL;
	struct case_rec c;
	size_t nf = 0, ns = 0, i;
	json_t *o, *a, *b;
	int rc;

	if ((rc = store_case_get(st, id, &c)) <= 0)
		return api_reply_store_error(r);
	memset(&ff, 0, sizeof(ff));
	ff.case_id = id;
	ff.done = -1;
	if (store_case_sessions(st, id, &ss, &ns) < 0 ||
	    store_follow_up_list(st, &ff, &fu, &nf) < 0) {
		case_free(&c);
		case_session_list_free(ss, ns);
		return api_reply_store_error(r);
	}
	o = case_json(&c);
	a = json_array();
	b = json_array();
	for (i = 0; a != NULL && i < ns; i++)
		json_array_append_new(a, session_json(&ss[i]));
	for (i = 0; b != NULL && i < nf; i++)
		json_array_append_new(b, follow_up_json(&fu[i]));
	json_object_set_new(o, "sessions", a);
	json_object_set_new(o, "follow_ups", b);
	case_free(&c);
	case_session_list_free(ss, ns);
	case_follow_up_list_free(fu, nf);
	return http_reply_json(r, status, o);
}

/* After c was written (rc from the store): 409 when its label is taken;
 * else audited as action and the case answered with status (201 with
 * its Location). */
static int
reply_saved(struct http_req *r, struct store *st, int rc,
    const struct case_rec *c, const char *action, const json_t *body,
    int status)
{
	if (rc == 0)
		return http_reply_errorf(r, HERR_CONFLICT, "label",
		    "个案编号 %s 已存在", c->label);
	if (rc < 0 || api_audit(r, st, action, "case", c->id, body) < 0)
		return api_reply_store_error(r);
	rc = reply_case(r, st, status, c->id);
	if (status == 201)
		api_location(r, "/api/v1/cases/%lld", (long long)c->id);
	return rc;
}

int
api_case_get(struct http_req *r)
{
	struct store *st;
	struct case_rec c;

	st = api_store(r);
	if (!case_or_reply(r, st, http_req_id(r, 0), &c))
		return http_req_status(r);
	case_free(&c);
	return reply_case(r, st, 200, http_req_id(r, 0));
}

int
api_case_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct case_rec c;
	struct store *st;
	int rc;

	if (!valid_object(body, case_fields, NCASE_FIELDS, VALID_CREATE, &err))
		return api_reply_invalid_zh(r, &err);
	st = api_store(r);
	memset(&c, 0, sizeof(c));
	if (!apply_or_reply(r, st, body, &c, NULL)) {
		case_free(&c);
		return http_req_status(r);
	}
	c.created_at = c.updated_at = svc_now();
	rc = reply_saved(r, st, store_case_insert(st, &c), &c, "create", body,
	    201);
	case_free(&c);
	return rc;
}

int
api_case_update(struct http_req *r)
{
	struct case_rec c, before;
	struct store *st;
	int rc, relabel;
	json_t *body;

	if ((body = case_body_or_reply(r, case_fields, NCASE_FIELDS,
	         VALID_PATCH, &st, &c)) == NULL)
		return http_req_status(r);
	if (store_case_get(st, c.id, &before) <= 0) {
		case_free(&c);
		return api_reply_store_error(r);
	}
	if (!apply_or_reply(r, st, body, &c, &before)) {
		rc = http_req_status(r);
		goto out;
	}
	relabel = strcmp(c.label, before.label) != 0;
	c.updated_at = svc_now();
	rc = store_case_update(st, &c);
	if (rc > 0 && relabel &&
	    store_follow_up_touch_case(st, c.id, c.updated_at) < 0)
		rc = -1;
	rc = reply_saved(r, st, rc, &c, "update", body, 200);
out:
	case_free(&before);
	case_free(&c);
	return rc;
}

int
api_case_delete(struct http_req *r)
{
	struct store *st;
	struct case_rec c;
	int rc;

	st = api_store(r);
	if (!case_or_reply(r, st, http_req_id(r, 0), &c))
		return http_req_status(r);
	if (c.sessions > 0)
		rc = http_reply_errorf(r, HERR_CONFLICT, "sessions",
		    "个案 %s 已有 %lld 次咨询记录，不能删除；请改为结案",
		    c.label, (long long)c.sessions);
	else
		rc = api_reply_deleted(r, st, store_case_delete(st, c.id),
		    "case", c.id, NULL);
	case_free(&c);
	return rc;
}

/* Whether the counsellor the body names is on the case; replies 422. */
static int
on_case_or_reply(struct http_req *r, struct store *st, int64_t case_id,
    int64_t counsellor_id)
{
	return api_ref_or_reply(r,
	    store_case_has_counsellor(st, case_id, counsellor_id),
	    "counsellor_id", "该咨询师不在本个案中；请先在个案中添加");
}

int
api_case_session_create(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "date", .type = VT_DATE, .required = 1},
	    {.name = "minutes",
	        .type = VT_INT,
	        .required = 1,
	        .min = 1,
	        .max = 1440},
	    {.name = "kind",
	        .type = VT_ENUM,
	        .required = 1,
	        .choices = case_session_kinds},
	    {.name = "counsellor_id", .type = VT_ID, .required = 1},
	    {.name = "note",
	        .type = VT_TEXT,
	        .nullable = 1,
	        .max = SHORT_NOTE_MAX},
	};
	struct case_session x;
	struct case_dates d;
	struct case_rec c;
	struct store *st;
	enum case_rule rule;
	int64_t day, id;
	json_t *body;
	int rc;

	if ((body = case_body_or_reply(r, f, 5, VALID_CREATE, &st, &c)) == NULL)
		return http_req_status(r);
	memset(&x, 0, sizeof(x));
	x.case_id = c.id;
	x.counsellor_id = json_integer_value(json_object_get(body,
	    "counsellor_id"));
	x.minutes = json_integer_value(json_object_get(body, "minutes"));
	if (is_counsellor(r) &&
	    x.counsellor_id != http_req_principal(r)->counsellor_id) {
		rc = http_reply_errorf(r, HERR_FORBIDDEN, "counsellor_id",
		    "咨询师只能记录本人的咨询");
		goto out;
	}
	if (!on_case_or_reply(r, st, c.id, x.counsellor_id)) {
		rc = http_req_status(r);
		goto out;
	}
	x.date = valid_str(body, "date", NULL);
	x.kind = valid_str(body, "kind", NULL);
	x.note = valid_str(body, "note", NULL);
	if (x.date == NULL || x.kind == NULL ||
	    (x.note == NULL && (x.note = strdup("")) == NULL)) {
		rc = api_reply_internal(r, "case session fields");
		goto out;
	}
	d.status = c.status;
	date_day(c.opened_on, &d.opened);
	if (!date_day(c.closed_on, &d.closed))
		d.closed = CASE_NO_DAY;
	date_day(x.date, &day);
	if ((rule = case_session_check(&d, day, x.minutes, today())) !=
	    CASE_RULE_OK) {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    case_rule_field(rule), "%s", case_rule_message(rule));
		goto out;
	}
	if (!note_ok_or_reply(r, "note", x.note)) {
		rc = http_req_status(r);
		goto out;
	}
	x.entered_by = http_req_principal(r)->user_id;
	x.created_at = svc_now();
	if (store_case_session_insert(st, &x) <= 0 ||
	    api_audit(r, st, "create", "case_session", x.id, body) < 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	id = x.id;
	case_session_free(&x);
	memset(&x, 0, sizeof(x));
	if (store_case_session_get(st, id, &x) <= 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 201, session_json(&x));
out:
	case_session_free(&x);
	case_free(&c);
	return rc;
}

int
api_case_session_delete(struct http_req *r)
{
	struct case_session x;
	struct store *st;
	int rc;

	st = api_store(r);
	if ((rc = store_case_session_get(st, http_req_id(r, 1), &x)) < 0)
		return api_reply_store_error(r);
	if (rc == 0 || x.case_id != http_req_id(r, 0)) {
		if (rc > 0)
			case_session_free(&x);
		return http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "本个案没有这条咨询记录");
	}
	rc = api_reply_deleted(r, st, store_case_session_delete(st, x.id),
	    "case_session", x.id, NULL);
	case_session_free(&x);
	return rc;
}

static int
reply_follow_up(struct http_req *r, struct store *st, int status, int64_t id)
{
	struct case_follow_up fu;
	int rc;

	if (store_follow_up_get(st, id, &fu) <= 0)
		return api_reply_store_error(r);
	rc = http_reply_json(r, status, follow_up_json(&fu));
	case_follow_up_free(&fu);
	return rc;
}

int
api_case_follow_up_create(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "due", .type = VT_TIME, .required = 1},
	    {.name = "counsellor_id", .type = VT_ID, .required = 1},
	    {.name = "note",
	        .type = VT_TEXT,
	        .nullable = 1,
	        .max = SHORT_NOTE_MAX},
	};
	struct case_follow_up fu;
	struct case_rec c;
	struct store *st;
	json_t *body;
	time_t due;
	int rc;

	if ((body = case_body_or_reply(r, f, 3, VALID_CREATE, &st, &c)) == NULL)
		return http_req_status(r);
	memset(&fu, 0, sizeof(fu));
	fu.case_id = c.id;
	fu.counsellor_id = json_integer_value(json_object_get(body,
	    "counsellor_id"));
	if (!on_case_or_reply(r, st, c.id, fu.counsellor_id)) {
		rc = http_req_status(r);
		goto out;
	}
	if (!time_parse_rfc3339(json_string_value(json_object_get(body, "due")),
	        &due)) {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "due",
		    "回访时间须为带时区的 RFC 3339 时间");
		goto out;
	}
	fu.due_at = due;
	if ((fu.note = valid_str(body, "note", NULL)) == NULL &&
	    (fu.note = strdup("")) == NULL) {
		rc = api_reply_internal(r, "follow-up note");
		goto out;
	}
	if (!note_ok_or_reply(r, "note", fu.note)) {
		rc = http_req_status(r);
		goto out;
	}
	fu.created_at = fu.updated_at = svc_now();
	if (store_follow_up_insert(st, &fu) <= 0 ||
	    api_audit(r, st, "create", "case_follow_up", fu.id, body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = reply_follow_up(r, st, 201, fu.id);
out:
	case_follow_up_free(&fu);
	case_free(&c);
	return rc;
}

/* Loads follow-up fid of case id (not cancelled); replies 404. */
static int
follow_up_or_reply(struct http_req *r, struct store *st,
    struct case_follow_up *fu)
{
	int rc = store_follow_up_get(st, http_req_id(r, 1), fu);

	if (rc < 0) {
		api_reply_store_error(r);
		return 0;
	}
	if (rc == 0 || fu->case_id != http_req_id(r, 0) || fu->cancelled_at) {
		if (rc > 0)
			case_follow_up_free(fu);
		http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "本个案没有这条回访");
		return 0;
	}
	return 1;
}

int
api_case_follow_up_update(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "done", .type = VT_BOOL},
	    {.name = "due", .type = VT_TIME},
	    {.name = "note",
	        .type = VT_TEXT,
	        .nullable = 1,
	        .max = SHORT_NOTE_MAX},
	};
	struct case_follow_up fu;
	struct case_rec c;
	struct store *st;
	time_t now = svc_now(), due;
	int rc, changed = 0;
	json_t *body, *v;
	char *note;

	if ((body = case_body_or_reply(r, f, 3, VALID_PATCH, &st, &c)) == NULL)
		return http_req_status(r);
	case_free(&c);
	if (!follow_up_or_reply(r, st, &fu))
		return http_req_status(r);
	if (is_counsellor(r)) {
		/* A counsellor ticks off their own follow-up, nothing else. */
		if (fu.counsellor_id != http_req_principal(r)->counsellor_id) {
			rc = http_reply_errorf(r, HERR_FORBIDDEN, NULL,
			    "只能标记本人的回访");
			goto out;
		}
		if (json_object_get(body, "due") != NULL ||
		    json_object_get(body, "note") != NULL) {
			rc = http_reply_errorf(r, HERR_FORBIDDEN,
			    json_object_get(body, "due") ? "due" : "note",
			    "回访时间和备注由协调员修改");
			goto out;
		}
	}
	if ((v = json_object_get(body, "done")) != NULL &&
	    json_is_true(v) != (fu.done_at != 0)) {
		fu.done_at = json_is_true(v) ? now : 0;
		changed = 1;
	}
	if ((v = json_object_get(body, "due")) != NULL) {
		if (!time_parse_rfc3339(json_string_value(v), &due)) {
			rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "due",
			    "回访时间须为带时区的 RFC 3339 时间");
			goto out;
		}
		changed |= due != fu.due_at;
		fu.due_at = due;
	}
	if (json_object_get(body, "note") != NULL) {
		if ((note = valid_str(body, "note", NULL)) == NULL &&
		    (note = strdup("")) == NULL) {
			rc = api_reply_internal(r, "follow-up note");
			goto out;
		}
		changed |= strcmp(note, fu.note) != 0;
		free(fu.note);
		fu.note = note;
		if (!note_ok_or_reply(r, "note", fu.note)) {
			rc = http_req_status(r);
			goto out;
		}
	}
	if (changed) {
		/* RFC 5545 §3.8.7.4: the feed's copy must supersede. */
		fu.sequence++;
		fu.updated_at = now;
		if (store_follow_up_update(st, &fu) <= 0 ||
		    api_audit(r, st, "update", "case_follow_up", fu.id, body) <
		        0) {
			rc = api_reply_store_error(r);
			goto out;
		}
	}
	rc = reply_follow_up(r, st, 200, fu.id);
out:
	case_follow_up_free(&fu);
	return rc;
}

int
api_case_follow_up_delete(struct http_req *r)
{
	struct case_follow_up fu;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!follow_up_or_reply(r, st, &fu))
		return http_req_status(r);
	/* Kept as cancelled: the counsellor's feed shows STATUS:CANCELLED
	 * for 30 days, as for shifts and events. */
	fu.cancelled_at = fu.updated_at = svc_now();
	fu.sequence++;
	rc = api_reply_deleted(r, st, store_follow_up_update(st, &fu),
	    "case_follow_up", fu.id, NULL);
	case_follow_up_free(&fu);
	return rc;
}

int
api_me_follow_ups(struct http_req *r)
{
	struct follow_up_filter f;
	struct case_follow_up *items = NULL;
	struct store *st;
	size_t n = 0, i;
	json_t *arr;

	memset(&f, 0, sizeof(f));
	if ((f.counsellor_id = api_me_or_reply(r)) == 0)
		return http_req_status(r);
	if (!api_bool_query_or_reply(r, "done", -1, &f.done) ||
	    !api_day_range_or_reply(r, &f.from, &f.to))
		return http_req_status(r);
	st = api_store(r);
	if (store_follow_up_list(st, &f, &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		json_array_append_new(arr, follow_up_json(&items[i]));
	case_follow_up_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}
