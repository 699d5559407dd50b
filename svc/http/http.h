/*
 * The HTTP layer: libmicrohttpd glue, the route matcher, the dispatcher
 * that enforces method, auth role, content type and body size before a
 * handler runs, replies (with the security headers set in one place) and
 * static files. The only layer that includes microhttpd.h; it knows
 * nothing of SQL: the application hands it callbacks (struct http_app).
 */
#ifndef HEARTH_HTTP_H
#define HEARTH_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "../core/core.h"
#include "../log.h"

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP__MAX
};

/* Who is calling; filled by http_app.authenticate. */
#define HTTP_ROLE_NONE 0
#define HTTP_ROLE_COUNSELLOR 1
#define HTTP_ROLE_COORDINATOR 2

struct http_principal {
	int64_t user_id;
	int role;
	int64_t counsellor_id;
	char username[64];
	char token_hash[SECRET_HASH_HEX];
};

/* Route flags. */
#define ROUTE_PUBLIC 0x00u      /* no session needed */
#define ROUTE_COUNSELLOR 0x01u  /* any signed-in user */
#define ROUTE_COORDINATOR 0x02u /* coordinators only */
#define ROUTE_JSON 0x10u        /* body must be a JSON object */
#define ROUTE_WRITE 0x20u       /* runs in one store transaction */
#define ROUTE_RAW 0x40u         /* body kept as bytes (CSV, .ics) */
#define ROUTE_METRICS 0x80u     /* also the metrics bearer token */
#define ROUTE_SLOW \
	0x100u /* long: the handler runs off the
				   connection threads (see server.c) */

/* A ROUTE_WRITE whose handler may share its transaction with others'
 * queued at the same time, each in its own savepoint (server.c,
 * batch_run; survey answers, issue 15). */
#define ROUTE_BATCH 0x200u

#define HTTP_MAX_PARAMS 4

struct http_req;

/* One row of the route table. Pattern segments are literals, "{id}" (a
 * positive integer), or "{tok}" (1-128 of [A-Za-z0-9_-]), either
 * optionally followed by a literal suffix such as ".ics". */
struct route {
	enum http_method method;
	const char *pattern;
	int (*handler)(struct http_req *);
	unsigned flags;
	size_t body_max;          /* 0: the default */
	const char *content_type; /* for ROUTE_RAW: required media type */
};

/* What a match captured. */
struct route_match {
	int64_t ids[HTTP_MAX_PARAMS];
	char toks[HTTP_MAX_PARAMS][129];
	size_t nids, ntoks;
};

/* route.c */

enum http_method http_method_parse(const char *);
const char *http_method_name(enum http_method);
/* The route for method and path, filling m; NULL when none. On NULL,
 * *path_known tells whether another method would have matched (405),
 * and allow (if not NULL, 128 bytes) lists those methods. */
const struct route *route_find(const struct route *, size_t n, enum http_method,
    const char *path, struct route_match *m, int *path_known, char *allow);

/* The application behind the server. */
struct http_app {
	const struct route *routes;
	size_t nroutes;
	/* Looks a session token up; 1 and p filled when valid, 0 not,
	 * -1 when the lookup failed (503). */
	int (*authenticate)(const char *token, struct http_principal *p);
	/* Gives every handler what it works on (the thread's store), on the
	 * thread that runs it; NULL answers 503 without calling the
	 * handler. NULL = nothing to acquire. */
	void *(*acquire)(void);
	/* Wraps ROUTE_WRITE handlers: a reply status < 400 commits. begin:
	 * 1 begun, 0 the database busy, -1 it cannot be reached. */
	int (*begin)(void);
	int (*commit)(void);
	void (*rollback)(void);
	/* After a write failed: 1 when it may run once more in a fresh
	 * transaction (a serialization failure). NULL = never. */
	int (*retry)(void);
	/* ROUTE_BATCH: a savepoint in the transaction begun, its release
	 * and its rollback (which ends it too); 1 done, else the whole
	 * transaction is rolled back. NULL: ROUTE_BATCH runs as
	 * ROUTE_WRITE. */
	int (*savepoint)(void);
	int (*release)(void);
	int (*rollback_to)(void);
	/* ROUTE_BATCH: the batch's commit without waiting for the disk
	 * (> 0 committed, *ticket what sync waits for; as commit
	 * otherwise), and on another thread the wait (1 on the disk, 0 not:
	 * not acknowledged), which frees the ticket. NULL: commit. */
	int (*commit_deferred)(void **ticket);
	int (*sync)(void *ticket);
	/* The calling thread (the job or the sync thread) has had no work
	 * for a while: what acquire and sync hold for it may go, to be
	 * taken again when next needed. NULL = nothing to let go. */
	void (*idle)(void);
	const char *web_dir;
	size_t body_max; /* default request body limit */
	/* Reverse proxies whose X-Forwarded-For names the client
	 * (comma-separated addresses); NULL or "" = none. */
	const char *trusted_proxies;
	log_fn log;
	/* Bearer token that opens ROUTE_METRICS routes; NULL = none. */
	const char *metrics_token;
	/* The public URL (base_url): the Origin a cookie-authenticated
	 * write must come from. Settled before http_start. */
	const char *base_url;
	/* Connections at once from one address (0: no limit; off behind
	 * trusted proxies, which carry every client's connections). */
	unsigned connections_per_address;
	/* Seconds a connection may sit idle (no bytes) before it closes. */
	unsigned connection_timeout;
};

/* forward.c */

/* Whether list is empty or comma-separated IPv4/IPv6 addresses. */
int http_proxies_valid(const char *list);
/* The client of a request from peer: peer itself, unless peer is one of
 * the trusted proxies (comma-separated addresses) and sent
 * X-Forwarded-For (xff, may be NULL); then the rightmost address of xff
 * that is not a trusted proxy. Canonical text into out. */
void http_forwarded_client(const char *peer, const char *xff,
    const char *trusted, char *out, size_t sz);

/* parse.c: the layer's parsers, pure (fuzzed) */

/* Decodes %XX in place, except %00 (left as is: a NUL would cut
 * "/app.js%00.html" short); returns the new length. */
size_t http_unescape(char *s);
/* Whether a URL path may name a file under the web directory: "/" then
 * [A-Za-z0-9._-/], no "//" or "/.", at most 200 bytes. */
int http_static_path_allowed(const char *path);
/* The media type of a static file by its extension. */
const char *http_mime_type(const char *path);
/* The session token of a request: "Authorization: Bearer …", else the
 * session cookie's value (*from_cookie = 1); NULL when none. */
const char *http_session_token(const char *authorization, const char *cookie,
    int *from_cookie);
/* Whether origin ("scheme://host[:port]") is the origin of base_url:
 * scheme, host (case folded) and port (defaults 80/443) all equal. */
int http_same_origin(const char *origin, const char *base_url);
/* If-None-Match (inm, may be NULL) against etag, else If-Modified-Since
 * (ims) against last_modified (0 = unknown): 1 when the copy is current. */
int http_not_modified(const char *inm, const char *ims, const char *etag,
    time_t last_modified);
/* Whether an If-None-Match list names etag (weak comparison). */
int http_etag_listed(const char *inm, const char *etag);
/* Whether an Accept-Encoding value admits gzip (q > 0). */
int http_gzip_accepted(const char *accept_encoding);
/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); buf 32 bytes. */
void http_date_format(time_t, char *buf);
int http_date_parse(const char *, time_t *);

/* server.c */

struct http_server;

/* Binds addr ("127.0.0.1:8080", "[::1]:0", ":8080") and listens: the
 * socket, its port in *port (useful with port 0); -1 on failure
 * (logged). Nothing is answered until http_start. */
int http_listen(const char *addr, log_fn, unsigned *port);
/* Serves the socket of http_listen (taken over: closed by http_stop or
 * on failure) with a thread pool of nthreads. NULL on failure (logged). */
struct http_server *http_start(const struct http_app *, int fd,
    unsigned nthreads);
void http_stop(struct http_server *);

/* request.c: per-request accessors for handlers. */
enum http_method http_req_method(const struct http_req *);
const char *http_req_path(const struct http_req *);
/* The pattern of the route that matched ("/api/v1/events/{id}"): safe to
 * log, unlike the path. */
const char *http_req_pattern(const struct http_req *);
const struct route_match *http_req_match(const struct http_req *);
int64_t http_req_id(const struct http_req *, size_t i);
const char *http_req_tok(const struct http_req *, size_t i);
const struct http_principal *http_req_principal(const struct http_req *);
/* What http_app.acquire returned for this request (the store). */
void *http_req_ctx(const struct http_req *);
/* The status of the reply set so far; 0 when none is. A handler that
 * returns after a helper replied returns this. */
int http_req_status(const struct http_req *);
/* The parsed JSON object body of a ROUTE_JSON route (borrowed). */
json_t *http_req_json(const struct http_req *);
const char *http_req_body(const struct http_req *, size_t *sz);
const char *http_req_query(const struct http_req *, const char *key);
const char *http_req_header(const struct http_req *, const char *name);
const char *http_req_client(const struct http_req *);
/* The session token presented (bearer or cookie), or NULL. */
const char *http_req_token(const struct http_req *);

/* reply.c: each returns the status it set, for the handler to return.
 * A handler replies exactly once. */
int http_reply_json(struct http_req *, int status, json_t *body /* stolen */);
int http_reply_error(struct http_req *, const struct herror *);
int http_reply_errorf(struct http_req *, enum herr, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int http_reply_bytes(struct http_req *, int status, const char *ctype,
    const char *body, size_t sz);
int http_reply_empty(struct http_req *, int status);
/* Adds a header to the reply about to be sent (copied). */
void http_reply_header(struct http_req *, const char *name, const char *value);

/* static.c */
/* Replies with a file of the web directory, as the static files are
 * served (for pages whose URL carries an id: /e/{id} → /event.html). */
int http_reply_file(struct http_req *, const char *rel);

/* shared.c: responses built once and sent to many requests (feeds). */

struct http_shared;

/* A response of body (copied) with its content type and up to 8 extra
 * headers (name, value pairs, NULL-terminated), plus the security
 * headers. NULL on failure. The creator holds one reference. */
struct http_shared *http_shared_new(const char *ctype, const void *body,
    size_t sz, const char *const *headers);
/* The same, taking body (malloc'd) instead of copying it: it is freed
 * with the response, or at once when NULL is returned. */
struct http_shared *http_shared_take(const char *ctype, void *body, size_t sz,
    const char *const *headers);
void http_shared_ref(struct http_shared *);
void http_shared_unref(struct http_shared *);
/* Replies with a shared response (taking a reference for the request).
 * A 304 reuses the 200's headers and length and sends no body. */
int http_reply_shared(struct http_req *, int status, struct http_shared *);
/* Whether the client's copy is current (RFC 9110 §13.1.1-§13.2.2):
 * If-None-Match against etag (weak comparison) when present, else
 * If-Modified-Since against last_modified (0 = unknown). */
int http_req_not_modified(const struct http_req *, const char *etag,
    time_t last_modified);
/* Whether Accept-Encoding admits gzip (q > 0). */
int http_req_accepts_gzip(const struct http_req *);

/* server.c: the counters /metrics reads */

struct http_stats {
	uint64_t requests;
	uint64_t by_class[6]; /* index status / 100 */
	uint64_t bytes_out;
	time_t started;
};

void http_stats_get(struct http_stats *);

#endif
