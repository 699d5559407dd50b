/*
 * Shared responses (feeds built once, sent to every poller) and the
 * conditional-request rules that let a poll end in a 304. An MHD
 * response may be queued by several connections at once; our own count
 * keeps it alive until the last request that borrowed it completes, so
 * a cache may drop it at any time.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "internal.h"

struct http_shared {
	atomic_int refs;
	struct MHD_Response *resp;
	size_t sz;
};

/* A shared response over resp (consumed), with its headers. */
static struct http_shared *
shared_make(struct MHD_Response *resp, const char *ctype, size_t sz,
    const char *const *headers)
{
	struct http_shared *sh;
	size_t i;

	if (resp == NULL)
		return NULL;
	if ((sh = calloc(1, sizeof(*sh))) == NULL)
		goto err;
	sh->resp = resp;
	if (!http_security_headers(resp) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	        ctype) != MHD_YES)
		goto err;
	for (i = 0; headers != NULL && headers[i] != NULL && i < 16; i += 2)
		if (headers[i + 1] == NULL ||
		    MHD_add_response_header(resp, headers[i], headers[i + 1]) !=
		        MHD_YES)
			goto err;
	atomic_init(&sh->refs, 1);
	sh->sz = sz;
	return sh;
err:
	MHD_destroy_response(resp);
	free(sh);
	return NULL;
}

struct http_shared *
http_shared_new(const char *ctype, const void *body, size_t sz,
    const char *const *headers)
{
	return shared_make(MHD_create_response_from_buffer(sz, (void *)body,
	                       MHD_RESPMEM_MUST_COPY),
	    ctype, sz, headers);
}

struct http_shared *
http_shared_take(const char *ctype, void *body, size_t sz,
    const char *const *headers)
{
	struct MHD_Response *resp;

	/* MHD frees body with the response (MUST_FREE), never before. */
	if ((resp = MHD_create_response_from_buffer(sz, body,
	         MHD_RESPMEM_MUST_FREE)) == NULL) {
		free(body);
		return NULL;
	}
	return shared_make(resp, ctype, sz, headers);
}

void
http_shared_ref(struct http_shared *sh)
{
	atomic_fetch_add(&sh->refs, 1);
}

void
http_shared_unref(struct http_shared *sh)
{
	if (sh != NULL && atomic_fetch_sub(&sh->refs, 1) == 1) {
		MHD_destroy_response(sh->resp);
		free(sh);
	}
}

int
http_reply_shared(struct http_req *r, int status, struct http_shared *sh)
{
	http_shared_ref(sh);
	if (r->shared != NULL)
		http_shared_unref(r->shared);
	r->shared = sh;
	http_reply_borrow(r, status, sh->resp, sh->sz);
	return status;
}

int
http_req_not_modified(const struct http_req *r, const char *etag,
    time_t last_modified)
{
	if (r->method != HTTP_GET && r->method != HTTP_HEAD)
		return 0;
	return http_not_modified(MHD_lookup_connection_value(r->conn,
	                             MHD_HEADER_KIND,
	                             MHD_HTTP_HEADER_IF_NONE_MATCH),
	    MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	        MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
	    etag, last_modified);
}

int
http_req_accepts_gzip(const struct http_req *r)
{
	return http_gzip_accepted(MHD_lookup_connection_value(r->conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
}
