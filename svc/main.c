/*
 * The hearth binary: subcommands serve, migrate, demo, backup, copy,
 * version. It wires configuration to the layers and owns the process's
 * lifetime (signals, shutdown order); it holds no routing and no SQL.
 */
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "config.h"
#include "demo.h"
#include "http/http.h"
#include "log.h"
#include "mail/mail.h"
#include "notify/notify.h"
#include "store/store.h"
#include "service/service.h"

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0.1.0"
#endif
#ifndef HEARTH_SHARE_DIR
#define HEARTH_SHARE_DIR "/usr/local/share/hearth"
#endif

/* base_url, settled before the first request (cmd_serve) and read by
 * the service and the HTTP layer for the life of the process. */
static char base[512];

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: hearth serve   [--config FILE] [--listen ADDR:PORT] "
	    "[--db PATH] [--base-url URL]\n"
	    "       hearth migrate [--db PATH]\n"
	    "       hearth demo    [--db PATH] [--demo-activities 1]\n"
	    "       hearth backup  [--db PATH] OUT\n"
	    "       hearth copy    --from PATH|URI --to PATH|URI\n"
	    "       hearth version\n"
	    "       hearth routes   (the route table as JSON, for tests)\n"
	    "Every flag has a HEARTH_* environment twin and a config file "
	    "key (see README.md).\n");
}

/* Creates the parent directory of a database path when it is missing
 * (var/ on a fresh checkout). */
static void
ensure_parent(const char *path)
{
	char dir[512];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return;
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	mkdir(dir, 0750);
}

/* Applies log level and migrations; returns 1 when the store is ready. */
static int
prepare_store(const struct config *c)
{
	struct store_config sc;
	enum log_level lvl;
	const char *sync = config_get(c, CFG_SYNCHRONOUS);

	if (!log_level_parse(config_get(c, CFG_LOG_LEVEL), &lvl)) {
		fprintf(stderr,
		    "hearth: log_level must be error, warn, info "
		    "or debug\n");
		return 0;
	}
	log_set_level(lvl);
	if (strcmp(sync, "full") != 0 && strcmp(sync, "normal") != 0) {
		fprintf(stderr, "hearth: synchronous must be full or normal\n");
		return 0;
	}
	if (!secret_init()) {
		log_msg(LOG_ERROR, "msg=\"libsodium failed to start\"");
		return 0;
	}
	memset(&sc, 0, sizeof(sc));
	sc.path = config_get(c, CFG_DB);
	sc.synchronous_full = strcmp(sync, "full") == 0;
	sc.log = log_msg;
	ensure_parent(sc.path);
	if (store_migrate(&sc) < 0)
		return 0;
	if (!store_setup(&sc))
		return 0;
	/* Registrations from before migration 019 get their keys (issue
	 * 15, regidx), before serving. */
	{
		struct store *st = store_thread();
		int64_t n;

		if (st == NULL || (n = store_registration_keys_fill(st)) < 0)
			return 0;
		if (n > 0)
			log_msg(LOG_INFO,
			    "msg=\"store: registration keys filled\" rows=%lld",
			    (long long)n);
	}
	return 1;
}

static int
cmd_migrate(const struct config *c)
{
	if (!prepare_store(c))
		return 1;
	printf("schema version %d at %s\n", store_schema_version(),
	    config_get(c, CFG_DB));
	store_shutdown();
	return 0;
}

static void bound_url(const char *, unsigned, char *, size_t);

/* An event page and a survey link that still takes an answer. */
static void
print_demo_survey(struct store *st, const char *url)
{
	struct event_filter f;
	struct store_page pg = {20, 0};
	struct event *ev = NULL;
	struct attendance *att = NULL;
	size_t n = 0, na = 0, i, k;
	int64_t total;

	memset(&f, 0, sizeof(f));
	f.public_only = 1;
	if (store_event_list(st, &f, &pg, &ev, &n, &total) < 0)
		return;
	for (i = 0; i < n; i++)
		if (ev[i].status != EVENT_HELD) {
			printf("event page:           %s/e/%lld\n", url,
			    (long long)ev[i].id);
			break;
		}
	for (i = 0; i < n; i++) {
		if (ev[i].status != EVENT_HELD ||
		    store_attendance_list(st, ev[i].id, &att, &na) < 0)
			continue;
		for (k = 0; k < na; k++)
			if (att[k].survey_token && !att[k].answered) {
				printf("survey:               %s/s/%s\n", url,
				    att[k].survey_token);
				break;
			}
		attendance_list_free(att, na);
		if (k < na)
			break;
	}
	event_list_free(ev, n);
}
static void base_url(const struct config *, unsigned, char *, size_t);

/* Shows where one counsellor's calendar can be subscribed, so a
 * newcomer sees a feed work at once. */
static void
print_demo_feed(const struct config *c, struct store *st)
{
	struct counsellor_filter f = {1, 0, NULL};
	struct store_page pg = {1, 0};
	struct counsellor *items = NULL;
	size_t n = 0;
	int64_t total;
	const char *listen = config_get(c, CFG_LISTEN);
	const char *colon = strrchr(listen, ':');
	char url[512];

	if (store_counsellor_list(st, &f, &pg, &items, &n, &total) < 0 ||
	    n == 0) {
		counsellor_list_free(items, n);
		return;
	}
	base_url(c, colon ? (unsigned)atoi(colon + 1) : 8080, url, sizeof(url));
	printf(
	    "calendar feed of %s: %s/feeds/counsellors/%s.ics\n"
	    "subscribe page:       %s/subscribe.html?feed=/feeds/counsellors/"
	    "%s.ics\n",
	    items[0].name, url, items[0].feed_token, url, items[0].feed_token);
	counsellor_list_free(items, n);
	print_demo_survey(st, url);
}

static int
cmd_demo(const struct config *c)
{
	struct store *st;
	int ns, nc, ok;

	if (!prepare_store(c))
		return 1;
	if ((st = store_thread()) == NULL) {
		store_shutdown();
		return 1;
	}
	ok = demo_load(st, strcmp(config_get(c, CFG_DEMO_ACTIVITIES), "1") == 0,
	    &ns, &nc);
	if (ok)
		print_demo_feed(c, st);
	store_shutdown();
	if (!ok) {
		fprintf(stderr, "hearth: loading demo data failed\n");
		return 1;
	}
	printf("demo data: %d stations and %d counsellors added to %s\n", ns,
	    nc, config_get(c, CFG_DB));
	return 0;
}

/* The web directory: configured, else ./web, else the installed one. */
static const char *
web_dir(const struct config *c)
{
	struct stat sb;

	if (config_get(c, CFG_WEB_DIR) != NULL)
		return config_get(c, CFG_WEB_DIR);
	if (stat("web/index.html", &sb) == 0)
		return "web";
	return HEARTH_SHARE_DIR "/web";
}

/* The URL the server answers on: the listen host (loopback for a
 * wildcard) and the bound port. */
static void
bound_url(const char *listen, unsigned port, char *out, size_t sz)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	size_t n = colon ? (size_t)(colon - listen) : 0;

	if (n == 0 || n >= sizeof(host) || strncmp(listen, "0.0.0.0", n) == 0 ||
	    strncmp(listen, "[::]", n) == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	else
		snprintf(host, sizeof(host), "%.*s", (int)n, listen);
	snprintf(out, sz, "http://%s:%u", host, port);
}

/* base_url without a trailing slash; the bound URL when unset. */
static void
base_url(const struct config *c, unsigned port, char *out, size_t sz)
{
	const char *b = config_get(c, CFG_BASE_URL);
	size_t n;

	if (b == NULL || *b == '\0') {
		bound_url(config_get(c, CFG_LISTEN), port, out, sz);
		return;
	}
	snprintf(out, sz, "%s", b);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '/')
		out[--n] = '\0';
}

/* Participants' personal data past the retention period goes before
 * the server answers anyone. */
static int
purge_at_start(void)
{
	struct store *st = store_thread();
	int64_t regs = 0, atts = 0;

	if (st == NULL || store_begin(st) <= 0)
		return 0;
	if (svc_privacy_purge(st, &regs, &atts) < 0 || store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR, "msg=\"retention purge failed\"");
		return 0;
	}
	if (regs + atts > 0)
		log_msg(LOG_INFO,
		    "msg=\"retention purge\" registrations=%lld "
		    "attendees=%lld",
		    (long long)regs, (long long)atts);
	return 1;
}

/* The clock moved: every sender looks. */
static void
wake_all(void)
{
	mailer_wake();
	notify_wake();
}

/* A commit queued messages due at due (the earliest): the senders that
 * would sleep past it look; a registration's reminders, due days later,
 * wake nobody. */
static void
wake_due(time_t due)
{
	mailer_wake_due(due);
	notify_wake_due(due);
}

/* The mailer's settings, from the checked configuration. */
static void
mail_settings(const struct config *c, const struct config_serve *s,
    struct mailer_config *mc)
{
	memset(mc, 0, sizeof(*mc));
	mc->smtp.host = s->smtp_host;
	mc->smtp.port = s->smtp_port;
	mc->smtp.tls = (enum smtp_tls)s->smtp_starttls;
	mc->smtp.ca_file = config_get(c, CFG_SMTP_CA_FILE);
	mc->smtp.user = config_get(c, CFG_SMTP_USER);
	mc->smtp.password = config_get(c, CFG_SMTP_PASSWORD);
	mc->sender = s->mail_from;
	mc->rate_per_minute = s->mail_rate;
	mc->now = svc_now;
	mc->tick = svc_mail_tick;
	mc->prepare = svc_mail_prepare;
	mc->outbox_lease = s->outbox_lease; /* claims (issue 16 item 3) */
}

/* The channels' settings (group robots, SMS), from the checked
 * configuration. */
static void
notify_settings(const struct config *c, const struct config_serve *s,
    struct notify_config *nc)
{
	static const enum config_key tmpl[NOTIFY_SMS__MAX] = {
	    CFG_SMS_TEMPLATE_REGISTERED,
	    CFG_SMS_TEMPLATE_PROMOTED,
	    CFG_SMS_TEMPLATE_CHANGE,
	    CFG_SMS_TEMPLATE_CANCEL,
	    CFG_SMS_TEMPLATE_REMINDER,
	};
	struct notify_sms_config *sms = &nc->sms;
	int k;

	memset(nc, 0, sizeof(*nc));
	nc->wecom_url = s->wecom_url;
	nc->dingtalk_url = s->dingtalk_url;
	nc->ca_file = s->notify_ca_file;
	nc->timeout_ms = s->notify_timeout_ms;
	nc->robot_rate = s->robot_rate;
	sms->provider = (enum notify_sms_provider)s->sms_provider;
	sms->endpoint = s->sms_endpoint;
	sms->key_id = config_opt(c, CFG_SMS_KEY_ID);
	sms->key_secret = config_opt(c, CFG_SMS_KEY_SECRET);
	sms->sign_name = config_opt(c, CFG_SMS_SIGN_NAME);
	sms->region = config_opt(c, CFG_SMS_REGION);
	sms->app_id = config_opt(c, CFG_SMS_APP_ID);
	for (k = 0; k < NOTIFY_SMS__MAX; k++)
		sms->templates[k] = config_opt(c, tmpl[k]);
	sms->daily_limit = s->sms_daily_limit;
	sms->rate_per_minute = s->sms_rate;
	nc->now = svc_now;
	nc->tick = svc_channel_tick;
	nc->prepare = svc_channel_prepare;
}

/* The service's settings: what the handlers, the causes and the
 * messages need to know. */
static void
service_settings(const struct config *c, const struct config_serve *s,
    const struct notify_config *nc, struct svc_config *sc)
{
	int k;

	memset(sc, 0, sizeof(*sc));
	sc->base_url = base;
	sc->fake_clock = getenv("HEARTH_FAKE_CLOCK") != NULL &&
	    strcmp(getenv("HEARTH_FAKE_CLOCK"), "1") == 0;
	sc->feed_whole = getenv("HEARTH_FEED_WHOLE") != NULL &&
	    strcmp(getenv("HEARTH_FEED_WHOLE"), "1") == 0;
	sc->session_hours = s->session_hours;
	sc->login_max_failures = s->login_failures;
	sc->login_window_s = s->login_window;
	sc->login_max_failures_address = s->login_failures_address;
	sc->public_write_rate = s->public_write_rate;
	sc->feed_days_back = s->feed_days_back;
	sc->feed_days_ahead = s->feed_days_ahead;
	sc->mail_from = config_get(c, CFG_MAIL_FROM);
	sc->mail_reply_to = s->mail_reply_to;
	sc->wake = wake_all;
	sc->smtp_configured = s->smtp_host != NULL;
	sc->wecom_url = nc->wecom_url;
	sc->dingtalk_url = nc->dingtalk_url;
	if (nc->sms.provider != SMS_PROVIDER_NONE) {
		sc->sms_provider = notify_sms_providers[nc->sms.provider];
		sc->sms_endpoint = nc->sms.endpoint;
		sc->sms_sign_name = nc->sms.sign_name;
		sc->sms_key_id = nc->sms.key_id;
		for (k = 0; k < NOTIFY_SMS__MAX; k++)
			sc->sms_templates[k] = nc->sms.templates[k];
	}
	sc->sms_daily_limit = nc->sms.daily_limit;
	sc->duty_message_minute = s->duty_message_minute;
}

/* Makes the first coordinator of an empty database; 0 (said why) when
 * the given password is refused or the store failed. */
static int
bootstrap_admin(const struct config *c)
{
	char password[64];
	int rc = svc_bootstrap_admin(config_get(c, CFG_ADMIN_PASSWORD),
	    password, sizeof(password));

	if (rc == -2) {
		fprintf(stderr,
		    "hearth: the admin password (HEARTH_ADMIN_PASSWORD"
		    " or admin_password) is refused: %s\n"
		    "  It needs at least 10 characters, must not be the user "
		    "name and must not be a common password; leave it unset to "
		    "have one generated.\n",
		    password);
		return 0;
	}
	if (rc < 0) {
		log_msg(LOG_ERROR, "msg=\"cannot create the admin user\"");
		return 0;
	}
	if (rc > 0) {
		/* Shown once, on standard error only: log lines are collected
		 * and kept; the database keeps only its argon2id hash. */
		log_msg(LOG_WARN,
		    "msg=\"created user admin with a generated "
		    "password, shown below only this once\"");
		fprintf(stderr,
		    "\n  Hearth: user admin, password=%s\n"
		    "  (generated; shown only this once)\n\n",
		    password);
		secret_wipe(password, sizeof(password));
	}
	return 1;
}

/* What the HTTP layer serves, from the checked configuration. */
static void
http_settings(const struct config *c, const struct config_serve *s,
    struct http_app *app)
{
	memset(app, 0, sizeof(*app));
	app->authenticate = api_authenticate;
	app->acquire = api_acquire;
	app->begin = api_begin;
	app->commit = api_commit;
	app->commit_deferred = api_commit_deferred;
	app->sync = api_sync;
	app->idle = api_idle;
	app->rollback = api_rollback;
	app->retry = api_retry;
	app->savepoint = api_savepoint;
	app->release = api_release;
	app->rollback_to = api_rollback_to;
	app->routes = api_route_table(&app->nroutes);
	app->web_dir = web_dir(c);
	app->trusted_proxies = s->trusted_proxies;
	app->body_max = 64 * 1024;
	app->log = log_msg;
	app->metrics_token = s->metrics_token;
	app->base_url = base;
	app->connections_per_address = s->connections_per_address;
	app->connection_timeout = s->connection_timeout;
}

/* Waits for SIGINT or SIGTERM (blocked before any thread started), then
 * stops everything in order. */
static int
serve_until_signal(struct http_server *srv, const sigset_t *sigs)
{
	int sig;

	while (sigwait(sigs, &sig) != 0)
		;
	log_msg(LOG_INFO, "msg=\"stopping\" signal=%d", sig);
	http_stop(srv);
	mailer_stop();
	notify_stop();
	if (store_thread() != NULL)
		api_feed_health_flush(store_thread());
	api_feed_cache_free();
	svc_survey_templates_free();
	store_shutdown();
	tzdb_free();
	notify_global_cleanup();
	log_msg(LOG_INFO, "msg=stopped");
	return 0;
}

/* Checks the configuration (config.c), prepares the store, binds the
 * socket and settles base_url before any request can arrive, starts the
 * server and the senders, and waits for a stop signal. */
static int
cmd_serve(const struct config *c)
{
	static struct mailer_config mc;
	static struct notify_config nc;
	static struct http_app app;
	struct config_serve s;
	struct svc_config sc;
	struct http_server *srv;
	char err[256], bound[192];
	sigset_t sigs;
	unsigned port = 0;
	int fd;

	/* Memory (issue 15): two malloc arenas rather than one per thread,
	 * and blocks of 128 KiB or more (feeds, their gzip forms, build
	 * buffers) mapped and unmapped on their own instead of fragmenting
	 * an arena (glibc would raise that threshold to the size of the
	 * largest block freed). Measured on the 2,000-item bench feed:
	 * 29.5 MB resident after the feed load with glibc's defaults,
	 * 25.6 MB with these. */
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	if (!config_check(c, &s, err, sizeof(err))) {
		fprintf(stderr, "hearth: %s\n", err);
		return 1;
	}
	mail_settings(c, &s, &mc);
	notify_settings(c, &s, &nc);
	if (!prepare_store(c))
		return 1;
	/* Personal data past the retention period goes before the server
	 * answers anyone; libcurl's global state is set once, before any
	 * thread runs. */
	if (!bootstrap_admin(c) || !purge_at_start() || !notify_global_init()) {
		store_shutdown();
		return 1;
	}
	/* Only this thread receives the stop signals (sigwait). */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((fd = http_listen(config_get(c, CFG_LISTEN), log_msg, &port)) < 0) {
		store_shutdown();
		return 1;
	}
	base_url(c, port, base, sizeof(base));
	service_settings(c, &s, &nc, &sc);
	svc_configure(&sc);
	store_on_outbox_commit(wake_due);
	api_init();
	http_settings(c, &s, &app);
	if (sc.fake_clock)
		log_msg(LOG_WARN,
		    "msg=\"HEARTH_FAKE_CLOCK=1: PUT /api/v1/_clock "
		    "can set the time; never in production\"");
	if ((srv = http_start(&app, fd,
	         s.threads ? (unsigned)s.threads
	                   : (unsigned)sysconf(_SC_NPROCESSORS_ONLN))) ==
	    NULL) {
		store_shutdown();
		return 1;
	}
	bound_url(config_get(c, CFG_LISTEN), port, bound, sizeof(bound));
	log_msg(LOG_INFO,
	    "msg=listening url=%s base_url=%s threads=%ld "
	    "web=%s db=%s",
	    bound, base, s.threads ? s.threads : sysconf(_SC_NPROCESSORS_ONLN),
	    app.web_dir, config_get(c, CFG_DB));
	fprintf(stderr, "  Hearth console: %s/\n", base);
	if (s.warning != NULL)
		log_msg(LOG_WARN,
		    "msg=\"%s\" outbox_lease=%d notify_timeout_ms=%ld",
		    s.warning, s.outbox_lease, s.notify_timeout_ms);
	if (!mailer_start(&mc) || !notify_start(&nc)) {
		http_stop(srv);
		mailer_stop();
		store_shutdown();
		return 1;
	}
	/* Memory (issue 15): this thread only waits for a signal now; its
	 * connection (migrations, purge, the first admin) goes, and what
	 * the start freed goes back to the system. */
	store_thread_idle();
	malloc_trim(0);
	return serve_until_signal(srv, &sigs);
}

/* Online backup through SQLite's backup API: consistent while the
 * server writes. */
static int
cmd_backup(const struct config *c, const char *out)
{
	struct store_config sc;

	memset(&sc, 0, sizeof(sc));
	sc.path = config_get(c, CFG_DB);
	sc.log = log_msg;
	if (store_backup(&sc, out) <= 0) {
		fprintf(stderr, "hearth: backup of %s to %s failed\n", sc.path,
		    out);
		return 1;
	}
	printf("backed up %s to %s\n", sc.path, out);
	return 0;
}

static void
print_count(void *arg, const char *table, int64_t src, int64_t dst)
{
	int *header = arg;

	if (!*header) {
		*header = 1;
		printf("%-28s %10s %10s\n", "table", "source", "copied");
	}
	printf("%-28s %10" PRId64 " %10" PRId64 "%s\n", table, src, dst,
	    src == dst ? "" : "  MISMATCH");
}

/* hearth copy --from SRC --to DST: a whole database into a freshly
 * migrated one, SQLite or PostgreSQL on either side (store_copy). */
static int
cmd_copy(int argc, char *argv[])
{
	struct store_config from, to;
	int i, header = 0;

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	for (i = 2; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--from") == 0)
			from.path = argv[i + 1];
		else if (strcmp(argv[i], "--to") == 0)
			to.path = argv[i + 1];
		else
			break;
	if (i != argc || from.path == NULL || to.path == NULL) {
		fprintf(stderr,
		    "hearth: usage: hearth copy --from PATH|URI "
		    "--to PATH|URI\n");
		return 2;
	}
	/* Errors and warnings only: not the scratch database's migrations. */
	log_set_level(LOG_WARN);
	from.log = to.log = log_msg;
	to.synchronous_full = 1;
	if (strstr(to.path, "://") == NULL)
		ensure_parent(to.path);
	if (store_copy(&from, &to, print_count, &header) <= 0) {
		fprintf(stderr,
		    "hearth: copy failed; the destination is "
		    "unchanged\n");
		return 1;
	}
	printf("copied; the row counts match\n");
	return 0;
}

/* The route table as JSON, one object a route: method, pattern, who may
 * call it and what it takes. The authorization matrix test reads it, so
 * a route added to api/routes.c is tested without a line more. */
static int
cmd_routes(void)
{
	json_t *list = json_array(), *o;
	size_t i;
	char *text;

	for (i = 0; i < api_nroutes && list != NULL; i++) {
		const struct route *rt = &api_routes[i];

		o = json_pack(
		    "{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:I, s:o}",
		    "method", http_method_name(rt->method), "pattern",
		    rt->pattern, "role",
		    rt->flags & ROUTE_COORDINATOR      ? "coordinator"
		        : rt->flags & ROUTE_COUNSELLOR ? "counsellor"
		                                       : "public",
		    "json", (rt->flags & ROUTE_JSON) != 0, "write",
		    (rt->flags & ROUTE_WRITE) != 0, "raw",
		    (rt->flags & ROUTE_RAW) != 0, "metrics",
		    (rt->flags & ROUTE_METRICS) != 0, "fake_clock_only",
		    i == api_nroutes - 1, "body_max", (json_int_t)rt->body_max,
		    "content_type",
		    rt->content_type ? json_string(rt->content_type)
		                     : json_null());
		if (o == NULL || json_array_append_new(list, o) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	if (list == NULL || (text = json_dumps(list, JSON_INDENT(1))) == NULL)
		return 1;
	printf("%s\n", text);
	free(text);
	json_decref(list);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct config c;
	const char *cmd;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("hearth %s\n", HEARTH_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "routes") == 0)
		return cmd_routes();
	if (strcmp(cmd, "copy") == 0)
		return cmd_copy(argc, argv);
	if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "migrate") != 0 &&
	    strcmp(cmd, "demo") != 0 && strcmp(cmd, "backup") != 0) {
		fprintf(stderr, "hearth: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return 2;
	}
	if (!config_load(&c, argc - 1, argv + 1)) {
		config_free(&c);
		return 2;
	}
	/* backup takes one positional argument, OUT; the others none. */
	if (c.argi < argc - 1 - (strcmp(cmd, "backup") == 0) ||
	    (strcmp(cmd, "backup") == 0 && c.argi != argc - 2)) {
		fprintf(stderr, "hearth: %s\n",
		    strcmp(cmd, "backup") == 0
		        ? "usage: hearth backup --db PATH OUT"
		        : "unexpected argument");
		config_free(&c);
		return 2;
	}
	if (strcmp(cmd, "backup") == 0)
		rc = cmd_backup(&c, argv[argc - 1]);
	else if (strcmp(cmd, "serve") == 0)
		rc = cmd_serve(&c);
	else if (strcmp(cmd, "migrate") == 0)
		rc = cmd_migrate(&c);
	else
		rc = cmd_demo(&c);
	config_free(&c);
	return rc;
}
