/*
 * /api/v1/counsellors: the counsellor pool. Each counsellor carries a
 * 128-bit feed token; its URL is shown to coordinators and rotating it
 * kills the old URL at once (the token is looked up on every fetch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const struct vfield counsellor_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 50},
    {.name = "email", .type = VT_EMAIL, .required = 1, .min = 3, .max = 254},
    {.name = "phone", .type = VT_PHONE, .nullable = 1, .max = 32},
    {.name = "home_station_id", .type = VT_ID, .nullable = 1},
    {.name = "max_weekly_hours", .type = VT_INT, .min = 0, .max = 80},
    {.name = "active", .type = VT_BOOL},
    {.name = "weekly_mail", .type = VT_BOOL},
    {.name = "feed_url", .readonly = 1},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
};
#define NFIELDS (sizeof(counsellor_fields) / sizeof(counsellor_fields[0]))

static json_t *
counsellor_json(const struct counsellor *c)
{
	char url[512];

	snprintf(url, sizeof(url), "%s/feeds/counsellors/%s.ics",
	    svc_config()->base_url, c->feed_token);
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:I, s:b, s:b, s:s, s:o,"
	                 " s:o}",
	    "id", (json_int_t)c->id, "name", c->name, "email", c->email,
	    "phone", c->phone[0] ? json_string(c->phone) : json_null(),
	    "home_station_id",
	    c->home_station_id ? json_integer(c->home_station_id) : json_null(),
	    "max_weekly_hours", (json_int_t)c->max_weekly_hours, "active",
	    c->active, "weekly_mail", !c->weekly_mail_off, "feed_url", url,
	    "created_at", tzdb_time_json(c->created_at), "updated_at",
	    tzdb_time_json(c->updated_at));
}

/* Applies body to c, checking the home station exists; replies and
 * returns 0 on failure. */
static int
apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct counsellor *c)
{
	json_t *v;

	if (!api_take_str(body, "name", &c->name) ||
	    !api_take_str(body, "email", &c->email) ||
	    !api_take_str(body, "phone", &c->phone)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if ((v = json_object_get(body, "max_weekly_hours")) != NULL)
		c->max_weekly_hours = json_integer_value(v);
	if ((v = json_object_get(body, "active")) != NULL)
		c->active = json_is_true(v);
	if ((v = json_object_get(body, "weekly_mail")) != NULL)
		c->weekly_mail_off = !json_is_true(v);
	if ((v = json_object_get(body, "home_station_id")) != NULL) {
		c->home_station_id = json_is_null(v) ? 0
		                                     : json_integer_value(v);
		if (c->home_station_id != 0 &&
		    !api_ref_or_reply(r,
		        store_station_exists(st, c->home_station_id),
		        "home_station_id",
		        "常驻驻点：没有这个驻点，请从列表中选择"))
			return 0;
	}
	return 1;
}

int
api_counsellor_list(struct http_req *r)
{
	struct counsellor_filter f = {-1, 0, NULL};
	struct store_page pg;
	struct counsellor *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	if (!api_page_or_reply(r, &pg) ||
	    !api_bool_query_or_reply(r, "active", -1, &f.active) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id))
		return http_req_status(r);
	f.q = http_req_query(r, "q");
	st = api_store(r);
	if (store_counsellor_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		if (json_array_append_new(arr, counsellor_json(&items[i])) !=
		    0) {
			json_decref(arr);
			arr = NULL;
		}
	counsellor_list_free(items, n);
	return api_reply_list(r, arr, total);
}

/* Loads the counsellor of the path; replies 404/500 and returns 0. */
static int
load_or_reply(struct http_req *r, struct store *st, struct counsellor *c)
{
	return api_found_or_reply(r,
	    store_counsellor_get(st, http_req_id(r, 0), c), "没有这位咨询师");
}

int
api_counsellor_get(struct http_req *r)
{
	struct store *st;
	struct counsellor c;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &c))
		return http_req_status(r);
	rc = http_reply_json(r, 200, counsellor_json(&c));
	counsellor_free(&c);
	return rc;
}

static int
new_token(char **dst)
{
	char tok[SECRET_TOKEN_HEX];

	secret_token(tok, SECRET_TOKEN_BYTES);
	free(*dst);
	*dst = strdup(tok);
	return *dst != NULL;
}

int
api_counsellor_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct counsellor c = {0};
	struct store *st;
	int rc = 0, tries;

	if (!valid_object(body, counsellor_fields, NFIELDS, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	c.active = 1;
	c.max_weekly_hours = 40;
	if ((c.phone = strdup("")) == NULL)
		return api_reply_internal(r, "out of memory");
	if (!apply_or_reply(r, st, body, &c)) {
		counsellor_free(&c);
		return http_req_status(r);
	}
	c.created_at = c.updated_at = svc_now();
	/* A collision of 128-bit tokens is not expected; retry anyway. */
	for (tries = 0; tries < 3 && rc == 0; tries++) {
		if (!new_token(&c.feed_token)) {
			rc = -1;
			break;
		}
		rc = store_counsellor_insert(st, &c);
	}
	if (rc <= 0 || api_audit(r, st, "create", "counsellor", c.id, body) < 0)
		rc = api_reply_store_error(r);
	else {
		rc = api_reply_created(r, counsellor_json(&c),
		    "/api/v1/counsellors/%lld", (long long)c.id);
	}
	counsellor_free(&c);
	return rc;
}

/* Loads, applies changes (and a new token when rotate), writes back. */
static int
update(struct http_req *r, const json_t *changes, const char *action,
    int rotate)
{
	struct store *st;
	struct counsellor c;
	int rc, was_active, disabled = 0;

	st = api_store(r);
	if (!load_or_reply(r, st, &c))
		return http_req_status(r);
	was_active = c.active;
	if (changes != NULL && !apply_or_reply(r, st, changes, &c)) {
		counsellor_free(&c);
		return http_req_status(r);
	}
	/* Deactivated: the sign-in is disabled and its sessions end in this
	 * transaction; the feed stops with the row (feed.c). Enabling the
	 * counsellor again leaves the account to the coordinator. */
	if (was_active && !c.active &&
	    (disabled = store_user_disable_counsellor(st, c.id)) < 0) {
		counsellor_free(&c);
		return api_reply_store_error(r);
	}
	if (disabled > 0 &&
	    api_audit(r, st, "disable", "user", 0, changes) < 0) {
		counsellor_free(&c);
		return api_reply_store_error(r);
	}
	if (rotate && !new_token(&c.feed_token)) {
		counsellor_free(&c);
		return api_reply_internal(r, "out of memory");
	}
	c.updated_at = svc_now();
	rc = store_counsellor_update(st, &c);
	/* Queued mail carries the name and address it was built with. */
	if (rc > 0 && changes != NULL &&
	    (json_object_get(changes, "email") ||
	        json_object_get(changes, "name") ||
	        json_object_get(changes, "active")) &&
	    svc_mail_counsellor(st, c.id) < 0)
		rc = -1;
	if (rc <= 0 ||
	    api_audit(r, st, action, "counsellor", c.id, changes) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, counsellor_json(&c));
	counsellor_free(&c);
	return rc;
}

int
api_counsellor_update(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;

	if (!valid_object(body, counsellor_fields, NFIELDS, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	return update(r, body, "update", 0);
}

int
api_counsellor_delete(struct http_req *r)
{
	json_t *changes = json_pack("{s:b}", "active", 0);
	int rc;

	if (changes == NULL)
		return api_reply_internal(r, "out of memory");
	rc = update(r, changes, "deactivate", 0);
	json_decref(changes);
	return rc;
}

int
api_counsellor_rotate_token(struct http_req *r)
{
	return update(r, NULL, "rotate_feed_token", 1);
}
