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
		    MHD_add_response_header(resp, headers[i],
		    headers[i + 1]) != MHD_YES)
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
	    MHD_RESPMEM_MUST_COPY), ctype, sz, headers);
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

void
http_date_format(time_t t, char *buf)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

int
http_date_parse(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	*out = timegm(&tm);
	return 1;
}

/* Whether a comma-separated If-None-Match list names etag. Weak
 * comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
static int
etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

int
http_req_not_modified(const struct http_req *r, const char *etag,
    time_t last_modified)
{
	const char *inm, *ims;
	time_t since;

	if (r->method != HTTP_GET && r->method != HTTP_HEAD)
		return 0;
	inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	/* RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since. */
	if (inm != NULL)
		return etag != NULL && etag_listed(inm, etag);
	ims = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (ims == NULL || last_modified == 0 || !http_date_parse(ims, &since))
		return 0;
	return last_modified <= since;
}

int
http_req_accepts_gzip(const struct http_req *r)
{
	const char *ae = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char *p;

	if (ae == NULL)
		return 0;
	for (p = ae; (p = strcasestr(p, "gzip")) != NULL; p += 4) {
		const char *q = p + 4;

		if ((p != ae && p[-1] != ' ' && p[-1] != ',') ||
		    (*q != '\0' && *q != ',' && *q != ';' && *q != ' '))
			continue;
		while (*q == ' ')
			q++;
		if (*q != ';')
			return 1;
		q++;
		while (*q == ' ')
			q++;
		if (strncmp(q, "q=0", 3) == 0 && (q[3] == '\0' ||
		    q[3] == ',' || strspn(q + 4, "0") == strcspn(q + 4, ",")))
			return 0;
		return 1;
	}
	return 0;
}
