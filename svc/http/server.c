/*
 * The libmicrohttpd server and the one dispatcher every request passes:
 * route, method, auth role, CSRF origin, body size and content type are
 * enforced here before a handler runs, and a ROUTE_WRITE handler runs
 * inside one store transaction that commits only on success. Per-request
 * state lives in struct http_req, created on MHD's first callback and
 * freed only in the completion callback.
 *
 * Keep-alive (LIBNOTES): a response queued on the very first callback
 * makes MHD close the connection, so the first call only sets up state.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "internal.h"

/* Bodies beyond this are discarded, and past it the connection closes. */
#define BODY_HARD_LIMIT (64u * 1024 * 1024)

struct http_server {
	struct MHD_Daemon *daemon;
	const struct http_app *app;
	struct static_cache *statics;
	/* The job thread of ROUTE_SLOW handlers (imports, roster
	 * generation): a connection thread of libmicrohttpd serves many
	 * connections, and a handler that ran on it for half a second held
	 * all of them (public registrations waited as long as the import).
	 * The connection is suspended, the job thread runs the handler and
	 * resumes it; the reply is queued by its own thread. */
	pthread_t jobs_thread;
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_cond;
	struct http_req *jobs_head, *jobs_tail;
	int jobs_stop, jobs_started;
	/* The batch thread of ROUTE_BATCH handlers (survey answers, issue
	 * 15): what is queued when it is free runs in one transaction,
	 * each handler in its own savepoint (see batch_run). */
	pthread_t batch_thread;
	pthread_cond_t batch_cond; /* under jobs_lock */
	struct http_req *batch_head, *batch_tail;
	int batch_started;
	/* The sync thread: waits until each committed batch is on the disk
	 * and answers it, while the batch thread runs the next one (the
	 * WAL's sync of one batch overlaps the work of the next). */
	pthread_t sync_thread;
	pthread_cond_t sync_cond; /* under jobs_lock */
	struct batch_done *sync_head, *sync_tail;
	int sync_started, sync_stop;
};

/* A batch committed, its sync still to wait for. */
struct batch_done {
	struct http_req *list;
	void *ticket;
	struct batch_done *next;
};

static void jobs_stop(struct http_server *);
static void *batch_thread_run(void *);
static void *sync_thread_run(void *);
static void run_handler(struct http_server *, struct http_req *);

static atomic_uint_fast64_t stat_requests, stat_bytes;
static atomic_uint_fast64_t stat_class[6];
static time_t stat_started;

void
http_stats_get(struct http_stats *s)
{
	int i;

	s->requests = atomic_load(&stat_requests);
	s->bytes_out = atomic_load(&stat_bytes);
	for (i = 0; i < 6; i++)
		s->by_class[i] = atomic_load(&stat_class[i]);
	s->started = stat_started;
}

static double
elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* Copies s for a log line, replacing what could forge a line or a key. */
static void
log_safe(char *out, size_t sz, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < sz && s[i] != '\0'; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == '"' ||
		        s[i] == ' ' || s[i] == 0x7f
		    ? '?'
		    : s[i];
	out[i] = '\0';
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *con_cls;
	char path[256];
	int cls_idx;

	(void)cls;
	(void)conn;
	if (r == NULL)
		return;
	log_safe(path, sizeof(path), r->path ? r->path : "?");
	cls_idx = r->status / 100;
	atomic_fetch_add(&stat_requests, 1);
	atomic_fetch_add(&stat_bytes, r->resp_bytes);
	if (cls_idx >= 0 && cls_idx < 6)
		atomic_fetch_add(&stat_class[cls_idx], 1);
	r->srv_log(toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? LOG_INFO
	                                                      : LOG_WARN,
	    "msg=request method=%s path=%s status=%d bytes=%zu ms=%.2f "
	    "client=%s%s",
	    r->method_name, path, r->status, r->resp_bytes,
	    elapsed_ms(&r->started), r->client,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	http_req_free(r);
	*con_cls = NULL;
}

static void
client_address(struct MHD_Connection *conn, char *out, size_t sz)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, sz, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    out, (socklen_t)sz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		    (socklen_t)sz);
}

/* The session token: "Authorization: Bearer …" or the hearth_session
 * cookie. Sets r->token_from_cookie. */
static const char *
find_token(struct http_req *r)
{
	return http_session_token(MHD_lookup_connection_value(r->conn,
	                              MHD_HEADER_KIND,
	                              MHD_HTTP_HEADER_AUTHORIZATION),
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	        HTTP_SESSION_COOKIE),
	    &r->token_from_cookie);
}

/* CSRF: a cookie-authenticated unsafe request must come from our own
 * origin. SameSite=Strict already keeps the cookie off cross-site
 * requests; this is the second lock: Sec-Fetch-Site, and an Origin that
 * is the base URL's own scheme, host and port (before: only the host
 * part was compared with Host, so http://… passed for an https site). */
static int
cross_site(const struct http_app *app, struct http_req *r)
{
	const char *origin, *site;

	if (!r->token_from_cookie || r->method == HTTP_GET ||
	    r->method == HTTP_HEAD)
		return 0;
	site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 1;
	origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Origin");
	if (origin == NULL)
		return 0;
	return app->base_url == NULL ||
	    !http_same_origin(origin, app->base_url);
}

/* Whether the request carries "Authorization: Bearer <metrics_token>"
 * (compared in constant time). */
static int
metrics_bearer(const struct http_app *app, struct http_req *r)
{
	const char *tok;

	if (app->metrics_token == NULL || app->metrics_token[0] == '\0')
		return 0;
	tok = find_token(r);
	r->token_from_cookie = 0;
	return tok != NULL && strlen(tok) == strlen(app->metrics_token) &&
	    secret_equal(tok, app->metrics_token);
}

static int
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static int
media_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	if (ct == NULL || strncasecmp(ct, want, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static int
body_expected(const struct http_req *r)
{
	return r->route != NULL &&
	    (r->route->flags & (ROUTE_JSON | ROUTE_RAW)) != 0;
}

/* Runs the checks of the dispatcher, then the handler; leaves the reply
 * in r. */
static void
dispatch(struct http_server *srv, struct http_req *r)
{
	const struct http_app *app = srv->app;
	const struct route *rt = r->route;
	const char *ct;
	json_error_t jerr;

	if (rt == NULL) {
		if (r->path_known) {
			http_reply_header(r, MHD_HTTP_HEADER_ALLOW, r->allow);
			http_reply_errorf(r, HERR_METHOD_NOT_ALLOWED, NULL,
			    "这里不支持 %s 方法", r->method_name);
			return;
		}
		if ((r->method == HTTP_GET || r->method == HTTP_HEAD) &&
		    strncmp(r->path, "/api/", 5) != 0) {
			http_static_serve(srv->statics, r);
			return;
		}
		http_reply_errorf(r, HERR_NOT_FOUND, NULL, "没有这个资源");
		return;
	}
	if ((rt->flags & ROUTE_METRICS) != 0 && metrics_bearer(app, r)) {
		/* The scraper's token: this route and nothing else. */
		r->token = NULL;
	} else if ((rt->flags & (ROUTE_COUNSELLOR | ROUTE_COORDINATOR)) != 0) {
		const char *tok = find_token(r);
		int need = rt->flags & ROUTE_COORDINATOR ? HTTP_ROLE_COORDINATOR
		                                         : HTTP_ROLE_COUNSELLOR;
		int who = tok == NULL || strlen(tok) > 256
		    ? 0
		    : app->authenticate(tok, &r->principal);

		if (who < 0) {
			/* The session store failed: not the client's fault. */
			http_reply_header(r, "Retry-After", "1");
			http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
			    "数据库暂时不可用，请稍后重试");
			return;
		}
		if (who == 0) {
			http_reply_errorf(r, HERR_UNAUTHORIZED, NULL,
			    "请先登录");
			return;
		}
		r->token = tok;
		if (r->principal.role < need) {
			http_reply_errorf(r, HERR_FORBIDDEN, NULL,
			    "您的角色无权进行这项操作");
			return;
		}
		if (cross_site(app, r)) {
			http_reply_errorf(r, HERR_FORBIDDEN, NULL,
			    "已拒绝跨站请求");
			return;
		}
	} else
		r->token = find_token(r);
	if (r->too_large) {
		http_reply_errorf(r, HERR_TOO_LARGE, NULL,
		    "请求内容超过 %zu 字节，请把文件拆开", r->body_limit);
		return;
	}
	ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if ((rt->flags & ROUTE_JSON) != 0) {
		if (!is_json_type(ct)) {
			http_reply_errorf(r, HERR_UNSUPPORTED_MEDIA_TYPE, NULL,
			    "请以 application/json 格式发送");
			return;
		}
		r->json = json_loadb(r->body ? r->body : "", r->body_sz,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (r->json == NULL) {
			http_reply_errorf(r, HERR_BAD_REQUEST, NULL,
			    "JSON 格式错误（第 %d 行第 %d 列）：%s", jerr.line,
			    jerr.column, jerr.text);
			return;
		}
		if (!json_is_object(r->json)) {
			http_reply_errorf(r, HERR_BAD_REQUEST, NULL,
			    "请求内容应为 JSON 对象");
			return;
		}
	} else if ((rt->flags & ROUTE_RAW) != 0 && rt->content_type != NULL &&
	    !media_type_is(ct, rt->content_type)) {
		http_reply_errorf(r, HERR_UNSUPPORTED_MEDIA_TYPE, NULL,
		    "请以 %s 格式发送", rt->content_type);
		return;
	}
	if ((rt->flags & ROUTE_SLOW) != 0) {
		/* Checked: the handler runs on the job thread (access_handler
		 * suspends the connection and queues the reply). */
		r->runs_on = REQ_ON_JOB_THREAD;
		return;
	}
	/* ROUTE_BATCH: on the batch thread, with what came meanwhile. */
	if ((rt->flags & ROUTE_BATCH) != 0 && srv->batch_started &&
	    srv->app->savepoint != NULL) {
		r->runs_on = REQ_ON_BATCH_THREAD;
		return;
	}
	run_handler(srv, r);
}

/* A handler returns the status it replied (STYLE: "handlers return an
 * HTTP status"); one that does not is a bug, logged where a test sees
 * it. */
static void
handler_status_check(struct http_server *srv, struct http_req *r, int status)
{
	if (r->resp != NULL && status != r->status && srv->app->log != NULL)
		srv->app->log(LOG_ERROR,
		    "msg=\"handler status differs from "
		    "its reply\" route=%s returned=%d replied=%d",
		    r->route->pattern, status, r->status);
}

/* The handler of a checked request, in its transaction when it writes;
 * leaves the reply in r. */
static void
run_handler(struct http_server *srv, struct http_req *r)
{
	const struct http_app *app = srv->app;
	const struct route *rt = r->route;
	int status, tries, begun;

	if (app->acquire != NULL && (r->ctx = app->acquire()) == NULL) {
		http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "数据库暂时不可用");
		return;
	}
	if ((rt->flags & ROUTE_WRITE) == 0) {
		status = rt->handler(r);
		handler_status_check(srv, r, status);
	} else {
		for (tries = 0; tries < 2; tries++) {
			if (tries > 0)
				http_reply_discard(r);
			if ((begun = app->begin()) <= 0) {
				http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
				    begun == 0
				        ? "数据库正忙，请稍后再试"
				        : "数据库暂时不可用，请稍后重试");
				break;
			}
			status = rt->handler(r);
			handler_status_check(srv, r, status);
			/* The reply decides, whatever the handler returned. */
			if (r->resp == NULL || r->status >= 400)
				app->rollback();
			else if (app->commit() <= 0) {
				http_reply_discard(r);
				http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
				    "更改没有保存成功，请再试一次");
			} else
				break;
			/* A serialization failure runs once more. */
			if (r->status < 500 || app->retry == NULL ||
			    !app->retry())
				break;
		}
	}
	if (r->resp == NULL)
		http_reply_errorf(r, HERR_INTERNAL, NULL, "没有应答");
}

/* Seconds without work after which the job and sync threads let their
 * database connection go (http_app.idle): each is used in bursts (an
 * import; a run of public writes) and its connection held ~350 KB. */
#define THREAD_IDLE_S 5

/* Waits on cond, under jobs_lock, until has_work(srv) or stop. A
 * thread that has used the store since it last let it go (*holding)
 * lets it go once THREAD_IDLE_S pass without work, and waits on. */
static void
queue_wait(struct http_server *srv, pthread_cond_t *cond,
    int (*has_work)(const struct http_server *), const int *stop, int *holding)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += THREAD_IDLE_S;
	while (!has_work(srv) && !*stop) {
		if (!*holding || srv->app->idle == NULL) {
			pthread_cond_wait(cond, &srv->jobs_lock);
			continue;
		}
		if (pthread_cond_timedwait(cond, &srv->jobs_lock, &until) !=
		        ETIMEDOUT ||
		    has_work(srv) || *stop)
			continue;
		pthread_mutex_unlock(&srv->jobs_lock);
		srv->app->idle();
		pthread_mutex_lock(&srv->jobs_lock);
		*holding = 0;
	}
}

static int
jobs_queued(const struct http_server *srv)
{
	return srv->jobs_head != NULL;
}

static int
syncs_queued(const struct http_server *srv)
{
	return srv->sync_head != NULL;
}

/* The job thread: runs the queued ROUTE_SLOW handlers one at a time
 * (they take the write lock anyway) and resumes their connections. */
static void *
jobs_run(void *arg)
{
	struct http_server *srv = arg;
	struct http_req *r;
	int holding = 0;

	for (;;) {
		pthread_mutex_lock(&srv->jobs_lock);
		queue_wait(srv, &srv->jobs_cond, jobs_queued, &srv->jobs_stop,
		    &holding);
		if ((r = srv->jobs_head) == NULL) {
			pthread_mutex_unlock(&srv->jobs_lock);
			return NULL;
		}
		srv->jobs_head = r->slow_next;
		if (srv->jobs_head == NULL)
			srv->jobs_tail = NULL;
		pthread_mutex_unlock(&srv->jobs_lock);
		run_handler(srv, r);
		holding = 1;
		r->slow_done = 1;
		MHD_resume_connection(r->conn);
	}
}

/* Queues r for the job thread; 0 when it is stopping. */
static int
slow_enqueue(struct http_server *srv, struct http_req *r)
{
	int ok;

	pthread_mutex_lock(&srv->jobs_lock);
	ok = srv->jobs_started && !srv->jobs_stop &&
	    (r->runs_on != REQ_ON_BATCH_THREAD || srv->batch_started);
	if (ok && r->runs_on == REQ_ON_BATCH_THREAD) {
		/* ROUTE_BATCH (batch_run). */
		r->slow_next = NULL;
		if (srv->batch_tail != NULL)
			srv->batch_tail->slow_next = r;
		else
			srv->batch_head = r;
		srv->batch_tail = r;
		pthread_cond_signal(&srv->batch_cond);
	} else if (ok) {
		r->slow_next = NULL;
		if (srv->jobs_tail != NULL)
			srv->jobs_tail->slow_next = r;
		else
			srv->jobs_head = r;
		srv->jobs_tail = r;
		pthread_cond_signal(&srv->jobs_cond);
	}
	pthread_mutex_unlock(&srv->jobs_lock);
	return ok;
}

/* The most requests one batch transaction takes. */
#define BATCH_MAX 128

/* The batch's transaction was given up: the requests of list whose
 * reply would have been written (every one when all, after a savepoint
 * failed; only the accepted ones after the commit failed, the rejected
 * ones wrote nothing and keep their reply) lose it and, when again, run
 * alone as run_handler runs any write; otherwise they answer 503. */
static void
batch_redo(struct http_server *srv, struct http_req *list, int all, int again)
{
	struct http_req *r;

	for (r = list; r != NULL; r = r->slow_next) {
		if (!all && (r->resp == NULL || r->status >= 400))
			continue;
		http_reply_discard(r);
		if (again)
			run_handler(srv, r);
		else
			http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
			    "更改没有保存成功，请再试一次");
	}
}

/* Runs the ROUTE_BATCH requests of list (linked by slow_next) in one
 * transaction: each handler in a savepoint, released when its reply is
 * < 400 and rolled back to otherwise, so a rejected request writes
 * nothing; one COMMIT (and one sync of the WAL) for all. Every reply
 * waits for that commit. When the transaction cannot be used (no
 * begin, a savepoint that fails, a commit that must be retried) every
 * request runs again alone, as run_handler runs any write. Returns the
 * commit's ticket when the disk's sync is still to wait for (the sync
 * thread's: batch_synced), NULL when the replies may go as they are. */
static void *
batch_run(struct http_server *srv, struct http_req *list)
{
	const struct http_app *app = srv->app;
	struct http_req *r;
	void *ctx = NULL, *ticket = NULL;
	int status, ok, kept = 0;

	if (list->slow_next == NULL) {
		run_handler(srv, list);
		return NULL;
	}
	ok = (app->acquire == NULL || (ctx = app->acquire()) != NULL) &&
	    app->begin() > 0;
	if (!ok) {
		batch_redo(srv, list, 1, 1);
		return NULL;
	}
	for (r = list; ok && r != NULL; r = r->slow_next) {
		r->ctx = ctx;
		if (app->savepoint() <= 0) {
			ok = 0;
			break;
		}
		status = r->route->handler(r);
		handler_status_check(srv, r, status);
		if (r->resp == NULL || r->status >= 400)
			ok = app->rollback_to() > 0;
		else if ((ok = app->release() > 0))
			kept++;
	}
	if (ok && kept == 0) {
		app->rollback();
	} else if (ok &&
	    (app->commit_deferred != NULL ? app->commit_deferred(&ticket)
	                                  : app->commit()) <= 0) {
		/* Nothing of the batch was written. */
		batch_redo(srv, list, 0, app->retry != NULL && app->retry());
	} else if (!ok) {
		app->rollback();
		batch_redo(srv, list, 1, 1);
		return NULL;
	}
	for (r = list; r != NULL; r = r->slow_next)
		if (r->resp == NULL)
			http_reply_errorf(r, HERR_INTERNAL, NULL, "没有应答");
	return ticket;
}

/* Answers the requests of list: resumes their connections. */
static void
batch_answer(struct http_req *list)
{
	struct http_req *r, *next;

	for (r = list; r != NULL; r = next) {
		next = r->slow_next;
		r->slow_done = 1;
		MHD_resume_connection(r->conn);
	}
}

/* Waits for the disk to hold the batch list's commit (ticket): its
 * accepted requests answer 503 when it does not (the rejected ones
 * wrote nothing and keep their reply); then answers them all. */
static void
batch_synced(struct http_server *srv, struct http_req *list, void *ticket)
{
	struct http_req *r;

	if (!srv->app->sync(ticket))
		for (r = list; r != NULL; r = r->slow_next)
			if (r->status < 400) {
				http_reply_discard(r);
				http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
				    "更改没有保存成功，请再试一次");
			}
	batch_answer(list);
}

/* The batch thread: takes what is queued (at most BATCH_MAX), runs it
 * as one batch and resumes the connections. */
static void *
batch_thread_run(void *arg)
{
	struct http_server *srv = arg;
	struct http_req *list, *r;
	struct batch_done *d;
	void *ticket;
	size_t n;

	for (;;) {
		pthread_mutex_lock(&srv->jobs_lock);
		while (srv->batch_head == NULL && !srv->jobs_stop)
			pthread_cond_wait(&srv->batch_cond, &srv->jobs_lock);
		if ((list = srv->batch_head) == NULL) {
			pthread_mutex_unlock(&srv->jobs_lock);
			return NULL;
		}
		for (r = list, n = 1; r->slow_next != NULL && n < BATCH_MAX;
		     n++)
			r = r->slow_next;
		srv->batch_head = r->slow_next;
		if (srv->batch_head == NULL)
			srv->batch_tail = NULL;
		r->slow_next = NULL;
		pthread_mutex_unlock(&srv->jobs_lock);
		if ((ticket = batch_run(srv, list)) == NULL)
			batch_answer(list);
		else if ((d = malloc(sizeof(*d))) == NULL)
			batch_synced(srv, list, ticket);
		else {
			d->list = list;
			d->ticket = ticket;
			d->next = NULL;
			pthread_mutex_lock(&srv->jobs_lock);
			if (srv->sync_tail != NULL)
				srv->sync_tail->next = d;
			else
				srv->sync_head = d;
			srv->sync_tail = d;
			pthread_cond_signal(&srv->sync_cond);
			pthread_mutex_unlock(&srv->jobs_lock);
		}
	}
}

/* The sync thread: each committed batch in turn, waited for until on
 * the disk and answered. It stops once the batch thread has and the
 * queue is empty. */
static void *
sync_thread_run(void *arg)
{
	struct http_server *srv = arg;
	struct batch_done *d;
	int holding = 0;

	for (;;) {
		pthread_mutex_lock(&srv->jobs_lock);
		queue_wait(srv, &srv->sync_cond, syncs_queued, &srv->sync_stop,
		    &holding);
		if ((d = srv->sync_head) == NULL) {
			pthread_mutex_unlock(&srv->jobs_lock);
			return NULL;
		}
		if ((srv->sync_head = d->next) == NULL)
			srv->sync_tail = NULL;
		pthread_mutex_unlock(&srv->jobs_lock);
		batch_synced(srv, d->list, d->ticket);
		holding = 1;
		free(d);
	}
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *r = *con_cls;
	char peer[64];
	const char *cl;
	enum MHD_Result ret;

	(void)version;
	if (r == NULL) {
		if ((r = http_req_new(conn, method, url)) == NULL)
			return MHD_NO;
		r->srv_log = srv->app->log;
		r->statics = srv->statics;
		*con_cls = r;
		r->route = route_find(srv->app->routes, srv->app->nroutes,
		    r->method, r->path, &r->match, &r->path_known, r->allow);
		client_address(conn, peer, sizeof(peer));
		http_forwarded_client(peer,
		    srv->app->trusted_proxies
		        ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		              "X-Forwarded-For")
		        : NULL,
		    srv->app->trusted_proxies, r->client, sizeof(r->client));
		r->body_limit = r->route && r->route->body_max
		    ? r->route->body_max
		    : srv->app->body_max;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > BODY_HARD_LIMIT) {
			/* Not worth reading: answer and let MHD close. */
			r->too_large = 1;
			http_reply_errorf(r, HERR_TOO_LARGE, NULL,
			    "请求内容太大");
			return http_req_queue(r);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		r->body_seen += n;
		if (!body_expected(r) || r->too_large) {
			if (r->body_seen > BODY_HARD_LIMIT)
				return MHD_NO;
			if (body_expected(r))
				r->too_large = 1;
		} else if (r->body_sz + n > r->body_limit) {
			r->too_large = 1;
			free(r->body);
			r->body = NULL;
			r->body_sz = 0;
		} else if (http_req_append(r, upload_data, n) < 0)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->queued)
		return MHD_YES;
	if (r->runs_on != REQ_ON_MHD_THREAD) {
		/* Resumed by the job or batch thread: the reply is ready. */
		if (!r->slow_done)
			return MHD_YES;
		return http_req_queue(r);
	}
	dispatch(srv, r);
	if (r->runs_on != REQ_ON_MHD_THREAD && r->resp == NULL) {
		if (!slow_enqueue(srv, r)) {
			r->runs_on = REQ_ON_MHD_THREAD;
			http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
			    "服务正在停止，请稍后再试");
			return http_req_queue(r);
		}
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	ret = http_req_queue(r);
	return ret;
}

/* MHD's unescape callback: http_unescape (parse.c). */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return http_unescape(s);
}

/* Parses "host:port", "[v6]:port" or ":port" into a socket address. */
static int
parse_listen(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon, *h = addr;
	size_t hl;
	long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (*addr == '[') {
		const char *rb = strchr(addr, ']');

		if (rb == NULL || rb[1] != ':')
			return 0;
		h = addr + 1;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		if ((colon = strrchr(addr, ':')) == NULL)
			return 0;
		hl = (size_t)(colon - addr);
	}
	if (hl >= sizeof(host))
		return 0;
	memcpy(host, h, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535)
		return 0;
	if (hl == 0)
		snprintf(host, sizeof(host), "0.0.0.0");
	if (strchr(host, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return 0;
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return 0;
		*len = sizeof(*s4);
	}
	return 1;
}

int
http_listen(const char *addr, log_fn log, unsigned *port)
{
	struct sockaddr_storage ss, bound;
	socklen_t sl, bl = sizeof(bound);
	int fd, on = 1;

	*port = 0;
	if (!parse_listen(addr, &ss, &sl)) {
		log(LOG_ERROR, "msg=\"bad listen address\" listen=%s", addr);
		return -1;
	}
	if ((fd = socket(ss.ss_family,
	         SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(fd, SOMAXCONN) != 0 ||
	    getsockname(fd, (struct sockaddr *)&bound, &bl) != 0) {
		log(LOG_ERROR, "msg=\"cannot listen\" listen=%s", addr);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(bound.ss_family == AF_INET6
	        ? ((struct sockaddr_in6 *)&bound)->sin6_port
	        : ((struct sockaddr_in *)&bound)->sin_port);
	return fd;
}

struct http_server *
http_start(const struct http_app *app, int fd, unsigned nthreads)
{
	struct http_server *srv;
	struct sockaddr_storage ss;
	pthread_condattr_t mono;
	socklen_t sl = sizeof(ss);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
	         per_ip;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		close(fd);
		return NULL;
	}
	srv->app = app;
	if ((srv->statics = http_static_new(app->web_dir)) == NULL) {
		close(fd);
		free(srv);
		return NULL;
	}
	pthread_mutex_init(&srv->jobs_lock, NULL);
	/* queue_wait's idle time counts on the monotonic clock: a clock
	 * set back does not hold a connection longer. */
	pthread_condattr_init(&mono);
	pthread_condattr_setclock(&mono, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->jobs_cond, &mono);
	srv->jobs_started = pthread_create(&srv->jobs_thread, NULL, jobs_run,
	                        srv) == 0;
	pthread_cond_init(&srv->batch_cond, NULL);
	pthread_cond_init(&srv->sync_cond, &mono);
	pthread_condattr_destroy(&mono);
	srv->sync_started = srv->jobs_started &&
	    pthread_create(&srv->sync_thread, NULL, sync_thread_run, srv) == 0;
	srv->batch_started = srv->sync_started &&
	    pthread_create(&srv->batch_thread, NULL, batch_thread_run, srv) ==
	        0;
	stat_started = time(NULL);
	/* One address may hold connections_per_address connections: 1,100
	 * idle sockets from one client no longer take the 1,024 of the
	 * server. Behind trusted proxies every connection comes from a
	 * proxy, so the limit is theirs to keep (nginx limit_conn). An idle
	 * connection (no bytes for connection_timeout) is closed, so the
	 * slots of a stalled client come back within seconds. */
	per_ip = app->trusted_proxies != NULL && app->trusted_proxies[0] != '\0'
	    ? 0
	    : app->connections_per_address;
	/* The socket is bound already (http_listen): whatever depends on
	 * the port (base_url) was settled before the first request. */
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, access_handler,
	    srv, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)(nthreads ? nthreads : 1),
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)(app->connection_timeout ? app->connection_timeout
	                                           : 15),
	    /* MHD's default: each request clears its connection's pool,
	     * and at 128 KiB that memset was 13 % of a feed 304's CPU. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1024,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		app->log(LOG_ERROR, "msg=\"cannot start the server\"");
		close(fd);
		jobs_stop(srv);
		http_static_free(srv->statics);
		free(srv);
		return NULL;
	}
	return srv;
}

/* Lets the job thread finish what is queued (each job resumes its
 * connection: libmicrohttpd must not stop with one suspended) and ends
 * it. */
static void
jobs_stop(struct http_server *srv)
{
	pthread_mutex_lock(&srv->jobs_lock);
	srv->jobs_stop = 1;
	pthread_cond_broadcast(&srv->jobs_cond);
	pthread_cond_broadcast(&srv->batch_cond);
	pthread_mutex_unlock(&srv->jobs_lock);
	if (srv->jobs_started)
		pthread_join(srv->jobs_thread, NULL);
	srv->jobs_started = 0;
	if (srv->batch_started)
		pthread_join(srv->batch_thread, NULL);
	srv->batch_started = 0;
	/* What the batch thread committed last is answered before the
	 * sync thread ends. */
	pthread_mutex_lock(&srv->jobs_lock);
	srv->sync_stop = 1;
	pthread_cond_broadcast(&srv->sync_cond);
	pthread_mutex_unlock(&srv->jobs_lock);
	if (srv->sync_started)
		pthread_join(srv->sync_thread, NULL);
	srv->sync_started = 0;
	pthread_cond_destroy(&srv->sync_cond);
	pthread_cond_destroy(&srv->batch_cond);
	pthread_cond_destroy(&srv->jobs_cond);
	pthread_mutex_destroy(&srv->jobs_lock);
}

void
http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_quiesce_daemon(srv->daemon);
	jobs_stop(srv);
	MHD_stop_daemon(srv->daemon);
	http_static_free(srv->statics);
	free(srv);
}
