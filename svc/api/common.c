/*
 * Helpers every handler shares: query parameters, paging, list replies,
 * time rendering and the audit row. Each `_or_reply` function has sent
 * the error reply when it returns 0.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static int
int_query_or_reply(struct http_req *r, const char *name, long long min,
    long long max, long long def, long long *out)
{
	const char *v = http_req_query(r, name);

	*out = def;
	if (v == NULL)
		return 1;
	if (!valid_query_int(v, min, max, out)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, name,
		    "%s：应为 %lld 到 %lld 的整数", name, min, max);
		return 0;
	}
	return 1;
}

int
api_page_or_reply(struct http_req *r, struct store_page *pg)
{
	long long limit, offset;

	if (!int_query_or_reply(r, "limit", 1, 500, 50, &limit) ||
	    !int_query_or_reply(r, "offset", 0, 1000000000LL, 0, &offset))
		return 0;
	pg->limit = limit;
	pg->offset = offset;
	return 1;
}

int
api_bool_query_or_reply(struct http_req *r, const char *name, int def, int *out)
{
	const char *v = http_req_query(r, name);

	*out = def;
	if (v == NULL || *v == '\0')
		return 1;
	if (!valid_query_bool(v, out)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, name,
		    "%s：应为 true、false 或 all", name);
		return 0;
	}
	return 1;
}

int
api_id_query_or_reply(struct http_req *r, const char *name, int64_t *out)
{
	long long v;

	if (!int_query_or_reply(r, name, 1, 999999999999999LL, 0, &v))
		return 0;
	*out = v;
	return 1;
}

int
api_reply_invalid(struct http_req *r, const struct herror *err)
{
	return http_reply_error(r, err);
}

int
api_reply_qr(struct http_req *r, const char *text)
{
	char *svg = pack_qr_svg(text);
	int rc;

	if (svg == NULL)
		return api_reply_internal(r, "QR code");
	rc = http_reply_bytes(r, 200, "image/svg+xml", svg, strlen(svg));
	free(svg);
	return rc;
}

int
api_reply_invalid_zh(struct http_req *r, const struct herror *err)
{
	if (err->code != HERR_VALIDATION_FAILED)
		return api_reply_invalid(r, err);
	return http_reply_errorf(r, HERR_VALIDATION_FAILED,
	    err->field[0] ? err->field : NULL, "输入有误（%s）", err->message);
}

/* A constraint the database enforced is the caller's conflict, not a
 * failure of the service: a row still referenced elsewhere (a shift in a
 * swap request, an attendance with a survey answer) answers 409. The
 * store keeps the last failure of the connection since store_begin. */
int
api_reply_store_error(struct http_req *r)
{
	switch (store_last_failure(store_thread())) {
	case STORE_FAILURE_IN_USE:
		return http_reply_errorf(r, HERR_CONFLICT, NULL,
		    "该记录仍被其他记录引用（如换班申请、值班记录、问卷答复或邮件），"
		    "不能删除或改动");
	case STORE_FAILURE_DUPLICATE:
		return http_reply_errorf(r, HERR_CONFLICT, NULL,
		    "已有相同的记录");
	case STORE_FAILURE_INVALID:
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, NULL,
		    "数据不符合规则，未保存");
	case STORE_FAILURE_RETRY:
	case STORE_FAILURE_UNAVAILABLE:
		http_reply_header(r, "Retry-After", "1");
		return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "数据库暂时不可用，请稍后重试");
	case STORE_FAILURE_BUSY:
		http_reply_header(r, "Retry-After", "1");
		return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "数据库正忙，请稍后再试");
	case STORE_FAILURE_IMPORTING:
		return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "该驻点或活动正在导入，请稍后再试");
	case STORE_FAILURE_GENERATING:
		http_reply_header(r, "Retry-After", "2");
		return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "该时段排班正在生成，请稍后再试");
	case STORE_FAILURE_NONE:
		/* No store call failed: a failure of our own (an allocation)
		 * that the store did not log. */
		return api_reply_internal(r, "not a database failure");
	default:
		return http_reply_errorf(r, HERR_INTERNAL, NULL,
		    "数据库出错，错误已记入日志");
	}
}

int
api_reply_not_found(struct http_req *r, int rc, const char *what)
{
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_errorf(r, HERR_NOT_FOUND, NULL, "%s", what);
}

int
api_reply_internal(struct http_req *r, const char *what)
{
	log_msg(LOG_ERROR,
	    "msg=\"internal error\" what=\"%s\" method=%s "
	    "route=%s",
	    what, http_method_name(http_req_method(r)), http_req_pattern(r));
	return http_reply_errorf(r, HERR_INTERNAL, NULL,
	    "内部错误，已记入日志");
}

int
api_reply_list(struct http_req *r, json_t *items, int64_t total)
{
	if (items == NULL)
		return http_reply_errorf(r, HERR_INTERNAL, NULL, "内存不足");
	return http_reply_json(r, 200,
	    json_pack("{s:o, s:I}", "items", items, "total",
	        (json_int_t)total));
}

int
api_audit(struct http_req *r, struct store *st, const char *action,
    const char *entity, int64_t id, const json_t *detail)
{
	char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	int rc;

	rc = store_audit(st, http_req_principal(r)->user_id, action, entity, id,
	    d);
	free(d);
	return rc;
}

int
api_take_str(const json_t *body, const char *key, char **dst)
{
	int present;
	char *v = valid_str(body, key, &present);

	if (!present)
		return 1;
	if (v == NULL && !json_is_null(json_object_get(body, key)))
		return 0;
	if (v == NULL && (v = strdup("")) == NULL)
		return 0;
	free(*dst);
	*dst = v;
	return 1;
}

int
api_day_range_or_reply(struct http_req *r, time_t *from, time_t *to)
{
	struct herror err;
	int64_t a = 0, b = 0;
	int ha, hb;

	*from = *to = 0;
	if (!valid_query_day_range(http_req_query(r, "from"),
	        http_req_query(r, "to"), &a, &ha, &b, &hb, &err)) {
		http_reply_error(r, &err);
		return 0;
	}
	if (ha)
		*from = tzdb_day_start(a);
	if (hb)
		*to = tzdb_day_start(b + 1);
	return 1;
}

int
api_enum_query_or_reply(struct http_req *r, const char *name,
    const char *const *choices, const char **out)
{
	const char *v = http_req_query(r, name);

	*out = NULL;
	if (v == NULL || *v == '\0')
		return 1;
	if ((*out = valid_query_choice(v, choices)) != NULL)
		return 1;
	http_reply_errorf(r, HERR_VALIDATION_FAILED, name, "%s：不是允许的取值",
	    name);
	return 0;
}

int
api_state_query_or_reply(struct http_req *r, const char *name,
    const char *const *names, int *out)
{
	const char *v;

	if (!api_enum_query_or_reply(r, name, names + 1, &v))
		return 0;
	*out = state_parse(names, v);
	return 1;
}

int
api_reply_file(struct http_req *r, const char *type, char *buf, size_t len,
    const char *name_fmt, ...)
{
	char name[160], v[200];
	va_list ap;
	int rc;

	va_start(ap, name_fmt);
	vsnprintf(name, sizeof(name), name_fmt, ap);
	va_end(ap);
	snprintf(v, sizeof(v), "attachment; filename=\"%s\"", name);
	http_reply_header(r, "Content-Disposition", v);
	rc = http_reply_bytes(r, 200, type, buf, len);
	free(buf);
	return rc;
}

int
api_enabled_or_reply(struct http_req *r, int *on)
{
	static const struct vfield f[] = {
	    {.name = "enabled", .type = VT_BOOL, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;

	if (!valid_object(body, f, 1, VALID_CREATE, &err)) {
		api_reply_invalid(r, &err);
		return 0;
	}
	*on = json_is_true(json_object_get(body, "enabled"));
	return 1;
}

int
api_found_or_reply(struct http_req *r, int rc, const char *what)
{
	return api_found_field_or_reply(r, rc, NULL, what);
}

int
api_found_field_or_reply(struct http_req *r, int rc, const char *field,
    const char *message)
{
	if (rc < 0)
		api_reply_store_error(r);
	else if (rc == 0)
		http_reply_errorf(r, HERR_NOT_FOUND, field, "%s", message);
	return rc > 0;
}

int
api_ref_or_reply(struct http_req *r, int rc, const char *field,
    const char *message)
{
	if (rc < 0)
		api_reply_store_error(r);
	else if (rc == 0)
		http_reply_errorf(r, HERR_VALIDATION_FAILED, field, "%s",
		    message);
	return rc > 0;
}

int
api_event_found_or_reply(struct http_req *r, struct store *st)
{
	return api_found_or_reply(r, store_event_exists(st, http_req_id(r, 0)),
	    "没有这场活动");
}

static void
location(struct http_req *r, const char *fmt, va_list ap)
{
	char loc[160];

	vsnprintf(loc, sizeof(loc), fmt, ap);
	http_reply_header(r, "Location", loc);
}

void
api_location(struct http_req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	location(r, fmt, ap);
	va_end(ap);
}

int
api_reply_created(struct http_req *r, json_t *body, const char *fmt, ...)
{
	va_list ap;
	int rc = http_reply_json(r, 201, body);

	va_start(ap, fmt);
	location(r, fmt, ap);
	va_end(ap);
	return rc;
}

json_t *
api_body_or_reply(struct http_req *r, const struct vfield *fields, size_t n,
    int mode)
{
	json_t *body = http_req_json(r);
	struct herror err;

	if (!valid_object(body, fields, n, mode, &err)) {
		api_reply_invalid(r, &err);
		return NULL;
	}
	return body;
}

int
api_reply_deleted(struct http_req *r, struct store *st, int rc,
    const char *entity, int64_t id, const char *missing)
{
	if (rc == 0 && missing != NULL)
		return api_reply_not_found(r, 0, missing);
	if (rc <= 0 || api_audit(r, st, "delete", entity, id, NULL) < 0)
		return api_reply_store_error(r);
	return http_reply_empty(r, 204);
}

int
api_delete_by_id(struct http_req *r, int (*del)(struct store *, int64_t),
    const char *entity, const char *missing)
{
	struct store *st = api_store(r);

	return api_reply_deleted(r, st, del(st, http_req_id(r, 0)), entity,
	    http_req_id(r, 0), missing);
}
