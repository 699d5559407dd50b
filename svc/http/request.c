/*
 * Request state and the accessors handlers use. Handlers never see an
 * MHD type: they read the request through these functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct http_req *
http_req_new(struct MHD_Connection *conn, const char *method, const char *url)
{
	struct http_req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->conn = conn;
	r->method = http_method_parse(method);
	snprintf(r->method_name, sizeof(r->method_name), "%s",
	    r->method == HTTP_OTHER ? "OTHER" : method);
	if ((r->path = strdup(url)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
http_req_free(struct http_req *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->resp != NULL && !r->resp_borrowed)
		MHD_destroy_response(r->resp);
	if (r->shared != NULL)
		http_shared_unref(r->shared);
	for (i = 0; i < r->nextra; i++) {
		free(r->extra[i].name);
		free(r->extra[i].value);
	}
	json_decref(r->json);
	free(r->body);
	free(r->path);
	free(r);
}

int
http_req_append(struct http_req *r, const char *data, size_t n)
{
	if (r->body_sz + n + 1 > r->body_cap) {
		size_t cap = r->body_cap ? r->body_cap : 1024;
		char *nb;

		while (cap < r->body_sz + n + 1)
			cap *= 2;
		if ((nb = realloc(r->body, cap)) == NULL)
			return -1;
		r->body = nb;
		r->body_cap = cap;
	}
	memcpy(r->body + r->body_sz, data, n);
	r->body_sz += n;
	r->body[r->body_sz] = '\0';
	return 0;
}

enum MHD_Result
http_req_queue(struct http_req *r)
{
	size_t i;
	enum MHD_Result ret;

	if (r->resp == NULL)
		return MHD_NO;
	/* A borrowed response is shared between requests: never touched. */
	for (i = 0; i < r->nextra && !r->resp_borrowed; i++)
		MHD_add_response_header(r->resp, r->extra[i].name,
		    r->extra[i].value);
	r->queued = 1;
	ret = MHD_queue_response(r->conn, (unsigned int)r->status, r->resp);
	/* HEAD and 304 carry no body on the wire. */
	if (r->method == HTTP_HEAD || r->status == 304)
		r->resp_bytes = 0;
	return ret;
}

enum http_method
http_req_method(const struct http_req *r)
{
	return r->method;
}

const char *
http_req_path(const struct http_req *r)
{
	return r->path;
}

const char *
http_req_pattern(const struct http_req *r)
{
	return r->route != NULL ? r->route->pattern : "-";
}

const struct route_match *
http_req_match(const struct http_req *r)
{
	return &r->match;
}

int64_t
http_req_id(const struct http_req *r, size_t i)
{
	return i < r->match.nids ? r->match.ids[i] : 0;
}

const char *
http_req_tok(const struct http_req *r, size_t i)
{
	return i < r->match.ntoks ? r->match.toks[i] : NULL;
}

void *
http_req_ctx(const struct http_req *r)
{
	return r->ctx;
}

int
http_req_status(const struct http_req *r)
{
	return r->resp != NULL ? r->status : 0;
}

const struct http_principal *
http_req_principal(const struct http_req *r)
{
	return &r->principal;
}

json_t *
http_req_json(const struct http_req *r)
{
	return r->json;
}

const char *
http_req_body(const struct http_req *r, size_t *sz)
{
	*sz = r->body_sz;
	return r->body ? r->body : "";
}

const char *
http_req_query(const struct http_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
http_req_header(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_req_client(const struct http_req *r)
{
	return r->client;
}

const char *
http_req_token(const struct http_req *r)
{
	return r->token;
}
