/*
 * The hearth binary: subcommands serve, migrate, demo, backup, version. It
 * wires configuration to the layers and owns the process's lifetime
 * (signals, shutdown order); it holds no routing and no SQL.
 */
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
#include "tzdb.h"

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0.1.0"
#endif
#ifndef HEARTH_SHARE_DIR
#define HEARTH_SHARE_DIR "/usr/local/share/hearth"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: hearth serve   [--config FILE] [--listen ADDR:PORT] "
	    "[--db PATH] [--base-url URL]\n"
	    "       hearth migrate [--db PATH]\n"
	    "       hearth demo    [--db PATH] [--demo-activities 1]\n"
	    "       hearth backup  [--db PATH] OUT\n"
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
		fprintf(stderr, "hearth: log_level must be error, warn, info "
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
	return store_setup(&sc);
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
		if (strcmp(ev[i].status, "held") != 0) {
			printf("event page:           %s/e/%lld\n", url,
			    (long long)ev[i].id);
			break;
		}
	for (i = 0; i < n; i++) {
		if (strcmp(ev[i].status, "held") != 0 ||
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
	base_url(c, colon ? (unsigned)atoi(colon + 1) : 8080, url,
	    sizeof(url));
	printf("calendar feed of %s: %s/feeds/counsellors/%s.ics\n"
	    "subscribe page:       %s/subscribe.html?feed=/feeds/counsellors/"
	    "%s.ics\n", items[0].name, url, items[0].feed_token, url,
	    items[0].feed_token);
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
	if (api_privacy_purge_now(st, &regs, &atts) < 0 ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR, "msg=\"retention purge failed\"");
		return 0;
	}
	if (regs + atts > 0)
		log_msg(LOG_INFO, "msg=\"retention purge\" registrations=%lld "
		    "attendees=%lld", (long long)regs, (long long)atts);
	return 1;
}

/* The mailer's settings from the configuration; 0 (said why) when they
 * do not hold together. */
static int
mail_settings(const struct config *c, struct mailer_config *mc)
{
	const char *host = config_get(c, CFG_SMTP_HOST);
	const char *from = config_get(c, CFG_MAIL_FROM);
	const char *reply = config_get(c, CFG_MAIL_REPLY_TO);
	int port = atoi(config_get(c, CFG_SMTP_PORT));
	int tls = smtp_tls_parse(config_get(c, CFG_SMTP_STARTTLS));
	int rate = atoi(config_get(c, CFG_MAIL_RATE));

	memset(mc, 0, sizeof(*mc));
	if (port < 1 || port > 65535 || tls < 0 || rate < 1 || rate > 6000) {
		fprintf(stderr, "hearth: smtp_port must be 1-65535, "
		    "smtp_starttls off, opportunistic or required, mail_rate "
		    "1-6000 a minute\n");
		return 0;
	}
	if ((from != NULL && *from != '\0' && !valid_email(from)) ||
	    (reply != NULL && *reply != '\0' && !valid_email(reply))) {
		fprintf(stderr, "hearth: mail_from and mail_reply_to must be "
		    "plain e-mail addresses\n");
		return 0;
	}
	if (host != NULL && strchr(host, ':') != NULL) {
		/* libesmtp splits "host:port" at the first colon. */
		fprintf(stderr, "hearth: smtp_host: an IPv6 address cannot be "
		    "used; give a host name\n");
		return 0;
	}
	if (host != NULL && *host != '\0' && (from == NULL || *from == '\0')) {
		fprintf(stderr, "hearth: smtp_host is set: set mail_from too\n");
		return 0;
	}
	mc->smtp.host = host != NULL && *host != '\0' ? host : NULL;
	mc->smtp.port = port;
	mc->smtp.tls = (enum smtp_tls)tls;
	mc->smtp.ca_file = config_get(c, CFG_SMTP_CA_FILE);
	mc->smtp.user = config_get(c, CFG_SMTP_USER);
	mc->smtp.password = config_get(c, CFG_SMTP_PASSWORD);
	mc->sender = from;
	mc->rate_per_minute = rate;
	mc->now = api_now;
	mc->tick = api_mail_tick;
	mc->prepare = api_mail_prepare;
	return 1;
}

/* A config value, NULL when unset or "". */
static const char *
opt(const struct config *c, enum config_key k)
{
	const char *v = config_get(c, k);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* The channels' settings (group robots, SMS) from the configuration; 0
 * (said why) when they do not hold together. */
static int
notify_settings(const struct config *c, struct notify_config *nc)
{
	static const enum config_key tmpl[NOTIFY_SMS__MAX] = {
		CFG_SMS_TEMPLATE_REGISTERED, CFG_SMS_TEMPLATE_PROMOTED,
		CFG_SMS_TEMPLATE_CHANGE, CFG_SMS_TEMPLATE_CANCEL,
		CFG_SMS_TEMPLATE_REMINDER,
	};
	struct notify_sms_config *s = &nc->sms;
	long timeout = atol(config_get(c, CFG_NOTIFY_TIMEOUT_MS));
	int rate = atoi(config_get(c, CFG_ROBOT_RATE));
	int provider = notify_sms_provider_parse(config_get(c,
	    CFG_SMS_PROVIDER));
	int k;

	memset(nc, 0, sizeof(*nc));
	nc->wecom_url = opt(c, CFG_WECOM_URL);
	nc->dingtalk_url = opt(c, CFG_DINGTALK_URL);
	if ((nc->wecom_url && !notify_url_ok(nc->wecom_url)) ||
	    (nc->dingtalk_url && !notify_url_ok(nc->dingtalk_url))) {
		fprintf(stderr, "hearth: wecom_url and dingtalk_url must be "
		    "https:// URLs (http:// only to 127.0.0.1 or localhost), "
		    "or empty to turn the robot off\n");
		return 0;
	}
	if (timeout < 100 || timeout > 120000 || rate < 1 || rate > 600) {
		fprintf(stderr, "hearth: notify_timeout_ms must be 100-120000, "
		    "robot_rate 1-600 a minute\n");
		return 0;
	}
	if (roster_parse_hhmm(config_get(c, CFG_DUTY_MESSAGE_TIME)) < 0) {
		fprintf(stderr, "hearth: duty_message_time must be HH:MM\n");
		return 0;
	}
	nc->ca_file = opt(c, CFG_NOTIFY_CA_FILE);
	nc->timeout_ms = timeout;
	nc->robot_rate = rate;
	if (provider < 0) {
		fprintf(stderr, "hearth: sms_provider must be aliyun or "
		    "tencent (or empty: no SMS)\n");
		return 0;
	}
	s->provider = (enum notify_sms_provider)provider;
	s->endpoint = opt(c, CFG_SMS_ENDPOINT);
	if (s->endpoint == NULL)
		s->endpoint = provider == SMS_PROVIDER_ALIYUN ?
		    "https://dysmsapi.aliyuncs.com/" :
		    "https://sms.tencentcloudapi.com/";
	s->key_id = opt(c, CFG_SMS_KEY_ID);
	s->key_secret = opt(c, CFG_SMS_KEY_SECRET);
	s->sign_name = opt(c, CFG_SMS_SIGN_NAME);
	s->region = opt(c, CFG_SMS_REGION);
	s->app_id = opt(c, CFG_SMS_APP_ID);
	for (k = 0; k < NOTIFY_SMS__MAX; k++)
		s->templates[k] = opt(c, tmpl[k]);
	s->daily_limit = atoi(config_get(c, CFG_SMS_DAILY_LIMIT));
	s->rate_per_minute = atoi(config_get(c, CFG_SMS_RATE));
	if (s->daily_limit < 0 || s->daily_limit > 1000 ||
	    s->rate_per_minute < 1 || s->rate_per_minute > 6000) {
		fprintf(stderr, "hearth: sms_daily_limit must be 0-1000 (0: no "
		    "limit), sms_rate 1-6000 a minute\n");
		return 0;
	}
	if (provider != SMS_PROVIDER_NONE && (s->key_id == NULL ||
	    s->key_secret == NULL || s->sign_name == NULL ||
	    !notify_url_ok(s->endpoint) ||
	    (provider == SMS_PROVIDER_TENCENT && s->app_id == NULL))) {
		fprintf(stderr, "hearth: sms_provider is set: set sms_key_id, "
		    "sms_key_secret and sms_sign_name (and sms_app_id for "
		    "tencent); sms_endpoint must be an https:// URL\n");
		return 0;
	}
	nc->now = api_now;
	nc->tick = api_channel_tick;
	nc->prepare = api_channel_prepare;
	return 1;
}

/* A commit queued messages, or the clock moved: every sender looks. */
static void
wake_all(void)
{
	mailer_wake();
	notify_wake();
}

static int
cmd_serve(const struct config *c)
{
	struct mailer_config mc;
	struct notify_config nc;
	struct http_app app;
	struct api_config ac;
	struct http_server *srv;
	char url[512], bound[192], password[64];
	sigset_t sigs;
	unsigned port = 0;
	long ncpu;
	int sig, rc, hours;
	const char *threads = config_get(c, CFG_THREADS);

	/* Memory (issue 15): two malloc arenas rather than one per thread,
	 * and blocks of 128 KiB or more (feeds, their gzip forms, build
	 * buffers) mapped and unmapped on their own instead of fragmenting
	 * an arena (glibc would raise that threshold to the size of the
	 * largest block freed). Measured on the 2,000-item bench feed:
	 * 29.5 MB resident after the feed load with glibc's defaults,
	 * 25.6 MB with these. */
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	hours = atoi(config_get(c, CFG_SESSION_HOURS));
	if (hours < 1 || hours > 720) {
		fprintf(stderr, "hearth: session_hours must be 1 to 720\n");
		return 1;
	}
	if (!mail_settings(c, &mc) || !notify_settings(c, &nc))
		return 1;
	if (config_get(c, CFG_TRUSTED_PROXIES) != NULL &&
	    !http_proxies_valid(config_get(c, CFG_TRUSTED_PROXIES))) {
		fprintf(stderr, "hearth: trusted_proxies must be IP addresses "
		    "separated by commas\n");
		return 1;
	}
	if (!prepare_store(c))
		return 1;
	rc = api_bootstrap_admin(config_get(c, CFG_ADMIN_PASSWORD), password,
	    sizeof(password));
	if (rc == -2) {
		fprintf(stderr, "hearth: the admin password (HEARTH_ADMIN_PASSWORD"
		    " or admin_password) is refused: %s\n"
		    "  It needs at least 10 characters, must not be the user "
		    "name and must not be a common password; leave it unset to "
		    "have one generated.\n", password);
		store_shutdown();
		return 1;
	}
	if (rc < 0) {
		log_msg(LOG_ERROR, "msg=\"cannot create the admin user\"");
		store_shutdown();
		return 1;
	}
	if (rc > 0) {
		/* Shown once: the database keeps only its argon2id hash. */
		/* On standard error only, not in a log line: log lines are
		 * collected and kept. */
		log_msg(LOG_WARN, "msg=\"created user admin with a generated "
		    "password, shown below only this once\"");
		fprintf(stderr, "\n  Hearth: user admin, password=%s\n"
		    "  (generated; shown only this once)\n\n", password);
		secret_wipe(password, sizeof(password));
	}

	if (!purge_at_start()) {
		store_shutdown();
		return 1;
	}

	/* libcurl's global state, once, before any thread runs. */
	if (!notify_global_init()) {
		store_shutdown();
		return 1;
	}

	/* Block the stop signals before any thread starts, so only this
	 * thread receives them (sigwait below). */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	ncpu = threads ? atol(threads) : sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1 || ncpu > 256)
		ncpu = 2;
	memset(&app, 0, sizeof(app));
	app.authenticate = api_authenticate;
	app.begin = api_begin;
	app.commit = api_commit;
	app.rollback = api_rollback;
	app.web_dir = web_dir(c);
	app.trusted_proxies = config_get(c, CFG_TRUSTED_PROXIES);
	app.body_max = 64 * 1024;
	app.log = log_msg;
	app.metrics_token = config_get(c, CFG_METRICS_TOKEN);
	app.connections_per_address = (unsigned)atoi(config_get(c,
	    CFG_CONNECTIONS_PER_ADDRESS));
	app.connection_timeout = (unsigned)atoi(config_get(c,
	    CFG_CONNECTION_TIMEOUT));
	if (atoi(config_get(c, CFG_CONNECTIONS_PER_ADDRESS)) < 0 ||
	    app.connections_per_address > 1000 ||
	    app.connection_timeout < 1 || app.connection_timeout > 3600) {
		fprintf(stderr, "hearth: connections_per_address must be 0 "
		    "(no limit) to 1000, connection_timeout 1 to 3600 s\n");
		store_shutdown();
		return 1;
	}
	/* base_url may depend on the bound port: set before requests run,
	 * via the port the daemon reports. */
	memset(&ac, 0, sizeof(ac));
	ac.fake_clock = getenv("HEARTH_FAKE_CLOCK") != NULL &&
	    strcmp(getenv("HEARTH_FAKE_CLOCK"), "1") == 0;
	ac.feed_whole = getenv("HEARTH_FEED_WHOLE") != NULL &&
	    strcmp(getenv("HEARTH_FEED_WHOLE"), "1") == 0;
	ac.session_hours = hours;
	ac.login_max_failures = 5;
	ac.login_window_s = 15 * 60;
	ac.login_max_failures_address = 50;
	ac.public_write_rate = atoi(config_get(c, CFG_PUBLIC_WRITE_RATE));
	if (ac.public_write_rate < 0 || ac.public_write_rate > 100000) {
		fprintf(stderr, "hearth: public_write_rate must be 0 (off) to "
		    "100000 a minute\n");
		store_shutdown();
		return 1;
	}
	if (app.metrics_token != NULL && *app.metrics_token != '\0' &&
	    strlen(app.metrics_token) < 16) {
		fprintf(stderr, "hearth: metrics_token must have at least 16 "
		    "characters\n");
		store_shutdown();
		return 1;
	}
	if (app.metrics_token != NULL && *app.metrics_token == '\0')
		app.metrics_token = NULL;
	ac.feed_days_back = atoi(config_get(c, CFG_FEED_DAYS_BACK));
	ac.feed_days_ahead = atoi(config_get(c, CFG_FEED_DAYS_AHEAD));
	ac.mail_from = config_get(c, CFG_MAIL_FROM);
	ac.mail_reply_to = config_get(c, CFG_MAIL_REPLY_TO);
	if (ac.mail_reply_to != NULL && *ac.mail_reply_to == '\0')
		ac.mail_reply_to = NULL;
	ac.mail_wake = wake_all;
	ac.smtp_configured = mc.smtp.host != NULL;
	ac.wecom_url = nc.wecom_url;
	ac.dingtalk_url = nc.dingtalk_url;
	if (nc.sms.provider != SMS_PROVIDER_NONE) {
		int k;

		ac.sms_provider = notify_sms_providers[nc.sms.provider];
		ac.sms_endpoint = nc.sms.endpoint;
		ac.sms_sign_name = nc.sms.sign_name;
		ac.sms_key_id = nc.sms.key_id;
		for (k = 0; k < NOTIFY_SMS__MAX; k++)
			ac.sms_templates[k] = nc.sms.templates[k];
	}
	ac.sms_daily_limit = nc.sms.daily_limit;
	ac.duty_message_minute = roster_parse_hhmm(config_get(c,
	    CFG_DUTY_MESSAGE_TIME));
	if (ac.feed_days_back < 0 || ac.feed_days_back > 3660 ||
	    ac.feed_days_ahead < 1 || ac.feed_days_ahead > 3660) {
		fprintf(stderr, "hearth: feed_days_back 0-3660, "
		    "feed_days_ahead 1-3660\n");
		store_shutdown();
		return 1;
	}
	ac.base_url = url;
	url[0] = '\0';
	api_init(&ac);
	app.routes = api_route_table(&app.nroutes);
	if (ac.fake_clock)
		log_msg(LOG_WARN, "msg=\"HEARTH_FAKE_CLOCK=1: PUT /api/v1/_clock "
		    "can set the time; never in production\"");
	srv = http_start(&app, config_get(c, CFG_LISTEN), (unsigned)ncpu,
	    &port);
	if (srv == NULL) {
		store_shutdown();
		return 1;
	}
	base_url(c, port, url, sizeof(url));
	app.base_url = url; /* the CSRF check's origin */
	bound_url(config_get(c, CFG_LISTEN), port, bound, sizeof(bound));
	log_msg(LOG_INFO, "msg=listening url=%s base_url=%s threads=%ld "
	    "web=%s db=%s", bound, url, ncpu, app.web_dir,
	    config_get(c, CFG_DB));
	fprintf(stderr, "  Hearth console: %s/\n", url);
	/* After base_url is known: messages carry links. */
	if (!mailer_start(&mc)) {
		http_stop(srv);
		store_shutdown();
		return 1;
	}
	if (!notify_start(&nc)) {
		http_stop(srv);
		mailer_stop();
		store_shutdown();
		return 1;
	}

	while (sigwait(&sigs, &sig) != 0)
		;
	log_msg(LOG_INFO, "msg=\"stopping\" signal=%d", sig);
	http_stop(srv);
	mailer_stop();
	notify_stop();
	if (store_thread() != NULL)
		api_feed_health_flush(store_thread());
	api_feed_cache_free();
	store_shutdown();
	tzdb_free();
	notify_global_cleanup();
	log_msg(LOG_INFO, "msg=stopped");
	return 0;
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

		o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:I, s:o}",
		    "method", http_method_name(rt->method), "pattern",
		    rt->pattern, "role", rt->flags & ROUTE_COORDINATOR
		    ? "coordinator" : rt->flags & ROUTE_COUNSELLOR
		    ? "counsellor" : "public", "json",
		    (rt->flags & ROUTE_JSON) != 0, "write",
		    (rt->flags & ROUTE_WRITE) != 0, "raw",
		    (rt->flags & ROUTE_RAW) != 0, "metrics",
		    (rt->flags & ROUTE_METRICS) != 0, "fake_clock_only",
		    i == api_nroutes - 1, "body_max", (json_int_t)rt->body_max,
		    "content_type", rt->content_type
		    ? json_string(rt->content_type) : json_null());
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
		fprintf(stderr, "hearth: %s\n", strcmp(cmd, "backup") == 0
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
