/*
 * Counsellor self-service: their own record, roster and leave, and swap
 * requests that a coordinator approves (checked against the rules at
 * that moment) or rejects. Also the coordinator's call that gives a
 * counsellor a sign-in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

int64_t
api_me_or_reply(struct http_req *r)
{
	int64_t id = http_req_principal(r)->counsellor_id;

	if (id == 0)
		http_reply_errorf(r, HERR_FORBIDDEN, NULL,
		    "此账号不是咨询师账号");
	return id;
}

int
api_counsellor_account(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "username",
	        .type = VT_CODE,
	        .required = 1,
	        .min = 3,
	        .max = 64},
	    {.name = "password",
	        .type = VT_TEXT,
	        .required = 1,
	        .min = 8,
	        .max = 256},
	};
	json_t *body = http_req_json(r), *detail;
	struct herror err;
	struct store *st;
	struct user u;
	char hash[SECRET_PWHASH_MAX], *name;
	const char *why;
	int rc;

	if (!valid_object(body, fields, 2, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if ((rc = store_counsellor_exists(st, http_req_id(r, 0))) <= 0)
		return api_reply_not_found(r, rc, "没有这位咨询师");
	if ((name = valid_str(body, "username", NULL)) == NULL)
		return api_reply_internal(r, "out of memory");
	if ((why = svc_password_problem(json_string_value(json_object_get(body,
	                                    "password")),
	         name)) != NULL) {
		free(name);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "password",
		    "%s", why);
	}
	if (!secret_password_hash(json_string_value(json_object_get(body,
	                              "password")),
	        hash)) {
		free(name);
		return api_reply_internal(r, "out of memory");
	}
	memset(&u, 0, sizeof(u));
	u.username = name;
	u.password_hash = hash;
	u.role = ROLE_COUNSELLOR;
	u.counsellor_id = http_req_id(r, 0);
	u.active = 1;
	rc = store_user_insert(st, &u);
	detail = json_pack("{s:s, s:I}", "username", name, "counsellor_id",
	    (json_int_t)u.counsellor_id);
	if (rc == 0)
		rc = http_reply_errorf(r, HERR_CONFLICT, "username",
		    "用户名“%s”已被使用，请换一个", name);
	else if (rc < 0 || api_audit(r, st, "create", "user", u.id, detail) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 201,
		    json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)u.id,
		        "username", name, "role", "counsellor", "counsellor_id",
		        (json_int_t)u.counsellor_id));
	json_decref(detail);
	secret_wipe(hash, sizeof(hash));
	free(name);
	return rc;
}

/* The signed-in counsellor's row, or a reply (0). */
static int
me_load_or_reply(struct http_req *r, struct store **st, struct counsellor *c)
{
	int64_t id;

	if ((id = api_me_or_reply(r)) == 0)
		return 0;
	*st = api_store(r);
	return api_found_or_reply(r, store_counsellor_get(*st, id, c),
	    "没有这位咨询师");
}

static int
reply_me(struct http_req *r, const struct counsellor *c)
{
	return http_reply_json(r, 200,
	    json_pack("{s:I, s:s, s:s, s:o, s:I, s:b}", "id", (json_int_t)c->id,
	        "name", c->name, "email", c->email, "home_station_id",
	        c->home_station_id ? json_integer(c->home_station_id)
	                           : json_null(),
	        "max_weekly_hours", (json_int_t)c->max_weekly_hours,
	        "weekly_mail", !c->weekly_mail_off));
}

int
api_me(struct http_req *r)
{
	struct counsellor c;
	struct store *st;
	int rc;

	if (!me_load_or_reply(r, &st, &c))
		return http_req_status(r);
	rc = reply_me(r, &c);
	counsellor_free(&c);
	return rc;
}

int
api_me_update(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "weekly_mail", .type = VT_BOOL, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct counsellor c;
	struct herror err;
	struct store *st;
	int rc;

	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	if (!me_load_or_reply(r, &st, &c))
		return http_req_status(r);
	c.weekly_mail_off = !json_is_true(json_object_get(body, "weekly_mail"));
	c.updated_at = svc_now();
	if (store_counsellor_update(st, &c) <= 0 ||
	    api_audit(r, st, "update", "counsellor", c.id, body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = reply_me(r, &c);
	counsellor_free(&c);
	return rc;
}

int
api_me_shifts(struct http_req *r)
{
	struct shift_filter f;
	struct store_page pg;

	memset(&f, 0, sizeof(f));
	if ((f.counsellor_id = api_me_or_reply(r)) == 0)
		return http_req_status(r);
	if (!api_page_or_reply(r, &pg) ||
	    !api_day_range_or_reply(r, &f.from, &f.to))
		return http_req_status(r);
	return api_shift_list_reply(r, &f, &pg);
}

int
api_me_availability_list(struct http_req *r)
{
	int64_t id = api_me_or_reply(r);

	return id ? api_availability_list_for(r, id) : 403;
}

int
api_me_availability_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	int64_t id = api_me_or_reply(r);

	if (id == 0)
		return http_req_status(r);
	if (json_object_get(body, "counsellor_id") != NULL &&
	    json_integer_value(json_object_get(body, "counsellor_id")) != id)
		return http_reply_errorf(r, HERR_FORBIDDEN, "counsellor_id",
		    "只能为自己请假");
	json_object_set_new(body, "counsellor_id", json_integer(id));
	return api_availability_create_for(r, body);
}

int
api_me_availability_delete(struct http_req *r)
{
	int64_t id = api_me_or_reply(r);

	return id ? api_availability_delete_for(r, id) : 403;
}

static json_t *
swap_json_plain(const struct swap_request *w)
{
	return json_pack("{s:I, s:I, s:o, s:I, s:s, s:s, s:o, s:o, s:o}", "id",
	    (json_int_t)w->id, "shift_id", (json_int_t)w->shift_id,
	    "other_shift_id",
	    w->other_shift_id ? json_integer(w->other_shift_id) : json_null(),
	    "requested_by", (json_int_t)w->requested_by, "status",
	    swap_status_names[w->status], "reason", w->reason, "decided_by",
	    w->decided_by ? json_integer(w->decided_by) : json_null(),
	    "decided_at",
	    w->decided_at ? tzdb_time_json(w->decided_at) : json_null(),
	    "created_at", tzdb_time_json(w->created_at));
}

static int reply_swap(struct http_req *, struct store *,
    const struct swap_request *, int status);

/* A request with names and dates (svc_swap_describe); NULL on a store
 * failure. */
static json_t *
swap_json(struct store *st, const struct swap_request *w)
{
	json_t *o = swap_json_plain(w);

	if (o == NULL || svc_swap_describe(st, w, o) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_swap_create(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "shift_id", .type = VT_ID, .required = 1},
	    {.name = "other_shift_id", .type = VT_ID, .nullable = 1},
	    {.name = "reason", .type = VT_STRING, .nullable = 1, .max = 200},
	};
	json_t *body = http_req_json(r);
	struct swap_request w;
	struct herror err;
	struct store *st;
	struct shift a, b;
	int64_t me;
	int rc;

	if ((me = api_me_or_reply(r)) == 0)
		return http_req_status(r);
	if (!valid_object(body, fields, 3, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	memset(&w, 0, sizeof(w));
	w.shift_id = json_integer_value(json_object_get(body, "shift_id"));
	w.other_shift_id = json_integer_value(json_object_get(body,
	    "other_shift_id"));
	if (!api_shift_load_or_reply(r, st, w.shift_id, &a))
		return http_req_status(r);
	rc = a.counsellor_id == me;
	shift_free(&a);
	if (!rc)
		return http_reply_errorf(r, HERR_FORBIDDEN, "shift_id",
		    "只能拿自己的班次申请互换");
	if (w.other_shift_id) {
		if (!api_shift_load_or_reply(r, st, w.other_shift_id, &b))
			return http_req_status(r);
		rc = b.counsellor_id != 0 && b.counsellor_id != me;
		shift_free(&b);
		if (!rc)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "other_shift_id",
			    "要互换的班次须是其他咨询师已排定的班次");
	}
	w.requested_by = me;
	w.status = SWAP_PENDING;
	w.reason = json_string_value(json_object_get(body, "reason"))
	    ? (char *)json_string_value(json_object_get(body, "reason"))
	    : "";
	w.created_at = svc_now();
	if (store_swap_insert(st, &w) <= 0 ||
	    api_audit(r, st, "create", "swap_request", w.id, body) < 0)
		return api_reply_store_error(r);
	return reply_swap(r, st, &w, 201);
}

int
api_swap_list(struct http_req *r)
{
	const struct http_principal *p = http_req_principal(r);
	struct swap_request *items = NULL;
	struct store_page pg;
	struct store *st;
	int status;
	size_t n = 0, i;
	int64_t total, who = 0;
	json_t *arr;

	if (!api_page_or_reply(r, &pg) ||
	    !api_state_query_or_reply(r, "status", swap_status_names, &status))
		return http_req_status(r);
	if (p->role < HTTP_ROLE_COORDINATOR && (who = api_me_or_reply(r)) == 0)
		return http_req_status(r);
	st = api_store(r);
	if (store_swap_list(st, who, (enum swap_status)status, &pg, &items, &n,
	        &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++) {
		json_t *o = swap_json(st, &items[i]);

		if (o == NULL) {
			json_decref(arr);
			swap_list_free(items, n);
			return api_reply_store_error(r);
		}
		json_array_append_new(arr, o);
	}
	swap_list_free(items, n);
	return api_reply_list(r, arr, total);
}

/* Loads a pending request; replies 404/409 and returns 0 otherwise. */
static int
pending_or_reply(struct http_req *r, struct store *st, struct swap_request *w)
{
	int rc = store_swap_get(st, http_req_id(r, 0), w);

	if (rc <= 0) {
		api_reply_not_found(r, rc, "没有这个换班申请");
		return 0;
	}
	if (w->status != SWAP_PENDING) {
		http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这个换班申请已%s，不能再更改",
		    w->status == SWAP_APPROVED       ? "批准"
		        : w->status == SWAP_REJECTED ? "拒绝"
		                                     : "撤回");
		swap_free(w);
		return 0;
	}
	return 1;
}

static int
decide(struct http_req *r, struct store *st, struct swap_request *w,
    enum swap_status status)
{
	int rc;

	w->status = status;
	w->decided_by = http_req_principal(r)->user_id;
	w->decided_at = svc_now();
	if (store_swap_update(st, w) <= 0 ||
	    api_audit(r, st, swap_status_names[status], "swap_request", w->id,
	        NULL) < 0)
		return api_reply_store_error(r);
	rc = reply_swap(r, st, w, 200);
	return rc;
}

int
api_swap_approve(struct http_req *r)
{
	struct swap_request w;
	struct store *st;
	struct shift a;
	int rc;

	st = api_store(r);
	if (!pending_or_reply(r, st, &w))
		return http_req_status(r);
	if (w.other_shift_id) {
		rc = api_shift_swap_pair(r, st, w.shift_id, w.other_shift_id,
		    NULL);
	} else if (!api_shift_load_or_reply(r, st, w.shift_id, &a)) {
		rc = 404;
	} else {
		/* Given away: the seat opens for the coordinator to fill. */
		struct shift before = a;

		a.counsellor_id = 0;
		a.sequence++;
		a.pinned = 1;
		a.updated_at = svc_now();
		rc = store_shift_update(st, &a) > 0 &&
		        svc_mail_shift(st, &before, &a) == 0
		    ? 200
		    : api_reply_store_error(r);
		shift_free(&a);
	}
	if (rc == 200)
		rc = decide(r, st, &w, SWAP_APPROVED);
	swap_free(&w);
	return rc;
}

int
api_swap_reject(struct http_req *r)
{
	struct swap_request w;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!pending_or_reply(r, st, &w))
		return http_req_status(r);
	rc = decide(r, st, &w, SWAP_REJECTED);
	swap_free(&w);
	return rc;
}

static int
reply_swap(struct http_req *r, struct store *st, const struct swap_request *w,
    int status)
{
	json_t *o = swap_json(st, w);

	return o ? http_reply_json(r, status, o) : api_reply_store_error(r);
}

/* POST /swap-requests/{id}/withdraw: the asker takes back a pending
 * request. */
int
api_swap_withdraw(struct http_req *r)
{
	struct swap_request w;
	struct store *st;
	int64_t me;
	int rc;

	if ((me = api_me_or_reply(r)) == 0)
		return http_req_status(r);
	st = api_store(r);
	rc = store_swap_get(st, http_req_id(r, 0), &w);
	if (rc > 0 && w.requested_by != me) {
		swap_free(&w);
		rc = 0; /* someone else's request is not there for them */
	}
	if (rc <= 0)
		return api_reply_not_found(r, rc, "没有这条换班申请");
	if (w.status != SWAP_PENDING) {
		swap_free(&w);
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这条换班申请已处理，不能撤回");
	}
	w.status = SWAP_WITHDRAWN;
	w.decided_at = svc_now();
	if (store_swap_update(st, &w) <= 0 ||
	    api_audit(r, st, "withdraw", "swap_request", w.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = reply_swap(r, st, &w, 200);
	swap_free(&w);
	return rc;
}

/* GET /me/swap-options?shift_id: colleagues' shifts to swap with. */
int
api_me_swap_options(struct http_req *r)
{
	json_t *items;
	int64_t me, shift_id = 0;
	int rc;

	if ((me = api_me_or_reply(r)) == 0 ||
	    !api_id_query_or_reply(r, "shift_id", &shift_id))
		return http_req_status(r);
	if (shift_id == 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "shift_id",
		    "shift_id：请指定您自己的班次");
	rc = svc_swap_options(api_store(r), me, shift_id, &items);
	if (!api_found_field_or_reply(r, rc, "shift_id",
	        "没有这个班次，或它不是您的班次"))
		return http_req_status(r);
	return api_reply_list(r, items, (int64_t)json_array_size(items));
}
