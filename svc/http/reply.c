/*
 * Replies. Every response, API or static, gets the security headers from
 * http_security_headers and nowhere else. Error bodies come only from
 * core's error_body, so the contract's shape cannot drift.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char
    csp[] = "default-src 'self'; script-src 'self'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

int
http_security_headers(struct MHD_Response *resp)
{
	return MHD_add_response_header(resp, "Content-Security-Policy", csp) ==
	    MHD_YES &&
	    MHD_add_response_header(resp, "X-Content-Type-Options",
	        "nosniff") == MHD_YES &&
	    MHD_add_response_header(resp, "X-Frame-Options", "DENY") ==
	    MHD_YES &&
	    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") ==
	    MHD_YES &&
	    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	        "same-origin") == MHD_YES;
}

void
http_reply_discard(struct http_req *r)
{
	size_t i;

	if (r->resp != NULL && !r->resp_borrowed)
		MHD_destroy_response(r->resp);
	r->resp = NULL;
	r->resp_borrowed = 0;
	r->status = 0;
	r->resp_bytes = 0;
	for (i = 0; i < r->nextra; i++) {
		free(r->extra[i].name);
		free(r->extra[i].value);
	}
	r->nextra = 0;
}

void
http_reply_set(struct http_req *r, int status, struct MHD_Response *resp,
    size_t body_sz)
{
	if (r->resp != NULL && !r->resp_borrowed)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->resp_borrowed = 0;
	r->status = status;
	r->resp_bytes = body_sz;
}

void
http_reply_borrow(struct http_req *r, int status, struct MHD_Response *resp,
    size_t body_sz)
{
	http_reply_set(r, status, resp, body_sz);
	r->resp_borrowed = 1;
}

/* A fresh response from bytes (copied), with the headers every dynamic
 * reply carries. */
static int
reply_buffer(struct http_req *r, int status, const char *ctype,
    const char *body, size_t sz, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(sz, (void *)body, mode);
	if (resp == NULL) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free((void *)body);
		r->status = 500;
		return 500;
	}
	if (!http_security_headers(resp) ||
	    (ctype != NULL &&
	        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	            ctype) != MHD_YES) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	        "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		r->status = 500;
		return 500;
	}
	http_reply_set(r, status, resp, sz);
	return status;
}

int
http_reply_bytes(struct http_req *r, int status, const char *ctype,
    const char *body, size_t sz)
{
	return reply_buffer(r, status, ctype, body, sz, MHD_RESPMEM_MUST_COPY);
}

int
http_reply_empty(struct http_req *r, int status)
{
	return reply_buffer(r, status, NULL, "", 0, MHD_RESPMEM_PERSISTENT);
}

int
http_reply_json(struct http_req *r, int status, json_t *body)
{
	char *s;

	if (body == NULL)
		return http_reply_errorf(r, HERR_INTERNAL, NULL, "内存不足");
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (s == NULL)
		return http_reply_errorf(r, HERR_INTERNAL, NULL,
		    "无法生成应答");
	return reply_buffer(r, status, "application/json; charset=utf-8", s,
	    strlen(s), MHD_RESPMEM_MUST_FREE);
}

/* Whether the handler already set header name (e.g. its Retry-After). */
static int
has_extra(const struct http_req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nextra; i++)
		if (strcasecmp(r->extra[i].name, name) == 0)
			return 1;
	return 0;
}

int
http_reply_error(struct http_req *r, const struct herror *err)
{
	static const char fallback
	    [] = "{\"error\":{\"code\":\"internal\",\"message\":\"internal\"}}";
	int status = error_status(err->code);
	char *s = error_body(err);

	if (s == NULL)
		return reply_buffer(r, 500, "application/json; charset=utf-8",
		    fallback, sizeof(fallback) - 1, MHD_RESPMEM_PERSISTENT);
	if (err->code == HERR_RATE_LIMITED &&
	    !has_extra(r, MHD_HTTP_HEADER_RETRY_AFTER))
		http_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "900");
	/* Failover (issue 16): every 503 tells the client when to try
	 * again, the dispatcher's own (no connection, BEGIN or COMMIT
	 * failed) as well as the handlers'. */
	if (err->code == HERR_UNAVAILABLE &&
	    !has_extra(r, MHD_HTTP_HEADER_RETRY_AFTER))
		http_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	return reply_buffer(r, status, "application/json; charset=utf-8", s,
	    strlen(s), MHD_RESPMEM_MUST_FREE);
}

int
http_reply_errorf(struct http_req *r, enum herr code, const char *field,
    const char *fmt, ...)
{
	struct herror err;
	char msg[sizeof(err.message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_set(&err, code, field, "%s", msg);
	return http_reply_error(r, &err);
}

void
http_reply_header(struct http_req *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->nextra; i++)
		if (strcasecmp(r->extra[i].name, name) == 0) {
			char *v = strdup(value);

			if (v != NULL) {
				free(r->extra[i].value);
				r->extra[i].value = v;
			}
			return;
		}
	if (r->nextra == HTTP_MAX_EXTRA_HEADERS)
		return;
	r->extra[r->nextra].name = strdup(name);
	r->extra[r->nextra].value = strdup(value);
	if (r->extra[r->nextra].name == NULL ||
	    r->extra[r->nextra].value == NULL) {
		free(r->extra[r->nextra].name);
		free(r->extra[r->nextra].value);
		return;
	}
	r->nextra++;
}
