/*
 * /api/v1/stations: the reception points. Stations are deactivated, never
 * deleted: shifts and events keep pointing at them.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const char *const station_kinds[] = {"hall", "street", "service_point",
    NULL};

static const struct vfield station_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "code", .type = VT_CODE, .required = 1, .min = 1, .max = 32},
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "kind", .type = VT_ENUM, .required = 1, .choices = station_kinds},
    {.name = "address", .type = VT_STRING, .nullable = 1, .max = 200},
    {.name = "timezone", .type = VT_ZONE, .min = 1, .max = 64},
    {.name = "active", .type = VT_BOOL},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
};
#define NFIELDS (sizeof(station_fields) / sizeof(station_fields[0]))

static json_t *
station_json(const struct station *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "id",
	    (json_int_t)s->id, "code", s->code, "name", s->name, "kind",
	    s->kind, "address", s->address, "timezone", s->timezone, "active",
	    s->active, "created_at", tzdb_time_json(s->created_at),
	    "updated_at", tzdb_time_json(s->updated_at));
}

/* Applies body's fields to s; on failure replies and returns 0. */
static int
apply_or_reply(struct http_req *r, const json_t *body, struct station *s)
{
	json_t *active = json_object_get(body, "active");

	if (!api_take_str(body, "code", &s->code) ||
	    !api_take_str(body, "name", &s->name) ||
	    !api_take_str(body, "kind", &s->kind) ||
	    !api_take_str(body, "address", &s->address) ||
	    !api_take_str(body, "timezone", &s->timezone)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if (active != NULL)
		s->active = json_is_true(active);
	if (tzdb_get(s->timezone) == NULL) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "timezone",
		    "时区：不认识这个时区，请填写如 Asia/Shanghai");
		return 0;
	}
	return 1;
}

static int
reply_code_taken(struct http_req *r, const char *code)
{
	return http_reply_errorf(r, HERR_CONFLICT, "code",
	    "编码：已有编码为 %.32s 的驻点，请换一个", code);
}

/* Answers the store call that saved s (rc): its code taken (0), a
 * failure, or, audited as action, 201 with its Location for "create",
 * else 200. */
static int
reply_saved(struct http_req *r, struct store *st, int rc, const char *action,
    const struct station *s, const json_t *body)
{
	if (rc == 0)
		return reply_code_taken(r, s->code);
	if (rc < 0 || api_audit(r, st, action, "station", s->id, body) < 0)
		return api_reply_store_error(r);
	if (strcmp(action, "create") == 0)
		return api_reply_created(r, station_json(s),
		    "/api/v1/stations/%lld", (long long)s->id);
	return http_reply_json(r, 200, station_json(s));
}

int
api_station_list(struct http_req *r)
{
	struct station_filter f = {-1, NULL};
	struct store_page pg;
	struct station *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	if (!api_page_or_reply(r, &pg) ||
	    !api_bool_query_or_reply(r, "active", -1, &f.active))
		return http_req_status(r);
	f.q = http_req_query(r, "q");
	st = api_store(r);
	if (store_station_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		if (json_array_append_new(arr, station_json(&items[i])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	station_list_free(items, n);
	return api_reply_list(r, arr, total);
}

int
api_station_get(struct http_req *r)
{
	struct store *st;
	struct station s;
	int rc;

	st = api_store(r);
	rc = store_station_get(st, http_req_id(r, 0), &s);
	if (rc <= 0)
		return api_reply_not_found(r, rc, "没有这个驻点");
	rc = http_reply_json(r, 200, station_json(&s));
	station_free(&s);
	return rc;
}

int
api_station_create(struct http_req *r)
{
	json_t *body = api_body_or_reply(r, station_fields, NFIELDS,
	    VALID_CREATE);
	struct station s = {0};
	struct store *st;
	int rc;

	if (body == NULL)
		return http_req_status(r);
	st = api_store(r);
	s.active = 1;
	s.timezone = strdup("Asia/Shanghai");
	s.address = strdup("");
	if (s.timezone == NULL || s.address == NULL) {
		station_free(&s);
		return api_reply_internal(r, "out of memory");
	}
	if (!apply_or_reply(r, body, &s)) {
		station_free(&s);
		return http_req_status(r);
	}
	s.created_at = s.updated_at = svc_now();
	rc = reply_saved(r, st, store_station_insert(st, &s), "create", &s,
	    body);
	station_free(&s);
	return rc;
}

/* Loads the station of the path, applies changes, writes it back. */
static int
update(struct http_req *r, const json_t *changes, const char *action)
{
	struct store *st;
	struct station s;
	int rc;

	st = api_store(r);
	rc = store_station_get(st, http_req_id(r, 0), &s);
	if (rc <= 0)
		return api_reply_not_found(r, rc, "没有这个驻点");
	if (!apply_or_reply(r, changes, &s)) {
		station_free(&s);
		return http_req_status(r);
	}
	s.updated_at = svc_now();
	rc = reply_saved(r, st, store_station_update(st, &s), action, &s,
	    changes);
	station_free(&s);
	return rc;
}

int
api_station_update(struct http_req *r)
{
	json_t *body = api_body_or_reply(r, station_fields, NFIELDS,
	    VALID_PATCH);

	return body ? update(r, body, "update") : http_req_status(r);
}

int
api_station_delete(struct http_req *r)
{
	json_t *changes = json_pack("{s:b}", "active", 0);
	int rc;

	if (changes == NULL)
		return api_reply_internal(r, "out of memory");
	rc = update(r, changes, "deactivate");
	json_decref(changes);
	return rc;
}
