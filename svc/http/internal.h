/*
 * Private to svc/http/: the request state and the helpers shared by the
 * server, the replies and the static files.
 */
#ifndef HEARTH_HTTP_INTERNAL_H
#define HEARTH_HTTP_INTERNAL_H

#include <time.h>

#include <microhttpd.h>

#include "http.h"

#define HTTP_SESSION_COOKIE "hearth_session"
#define HTTP_MAX_EXTRA_HEADERS 8

struct http_header {
	char *name;
	char *value;
};

/* Where a request's handler runs. */
enum http_req_thread {
	REQ_ON_MHD_THREAD,   /* at once, in MHD's callback (the default) */
	REQ_ON_JOB_THREAD,   /* ROUTE_SLOW: the job thread, one at a time */
	REQ_ON_BATCH_THREAD, /* ROUTE_BATCH: the batch thread, in a savepoint
	                      * of a shared transaction (batch_run) */
};

/* One request, from MHD's first callback to its completion callback. */
struct static_cache;

struct http_req {
	struct MHD_Connection *conn;
	enum http_method method;
	char method_name[16];
	char *path;
	struct timespec started;
	log_fn srv_log;
	struct static_cache *statics;
	char client[64];

	const struct route *route;
	struct route_match match;
	int path_known;
	char allow[128];

	struct http_principal principal;
	const char *token;
	int token_from_cookie;

	char *body;
	size_t body_sz, body_cap, body_limit;
	uint64_t body_seen;
	int too_large;
	json_t *json;

	/* the reply */
	struct MHD_Response *resp;
	int resp_borrowed;          /* a cached response: not ours to destroy */
	struct http_shared *shared; /* the reference a shared reply holds */
	int status;
	size_t resp_bytes;
	int queued;
	struct http_header extra[HTTP_MAX_EXTRA_HEADERS];
	size_t nextra;

	/* Where the handler runs (dispatch decides); off the MHD thread
	 * the connection is suspended and slow_done is set once the
	 * reply is. */
	enum http_req_thread runs_on;
	int slow_done;
	void *ctx; /* what http_app.acquire gave for the handler */
	struct http_req *slow_next;
};

/* request.c */
struct http_req *http_req_new(struct MHD_Connection *, const char *method,
    const char *url);
void http_req_free(struct http_req *);
int http_req_append(struct http_req *, const char *, size_t);
/* Queues r's reply with the extra and security headers. */
enum MHD_Result http_req_queue(struct http_req *);

/* reply.c */
/* Drops a reply that was prepared but must not be sent. */
void http_reply_discard(struct http_req *);
/* Sets r's reply to resp (taking a reference of its own). */
void http_reply_set(struct http_req *, int status, struct MHD_Response *,
    size_t body_sz);
/* Sets r's reply to a cached response that outlives the request. */
void http_reply_borrow(struct http_req *, int status, struct MHD_Response *,
    size_t body_sz);
/* The security headers, set in this one place for every response. */
int http_security_headers(struct MHD_Response *);

/* static.c */
struct static_cache;
struct static_cache *http_static_new(const char *web_dir);
void http_static_free(struct static_cache *);
void http_static_serve(struct static_cache *, struct http_req *);
void http_static_serve_path(struct static_cache *, struct http_req *,
    const char *rel);

#endif
