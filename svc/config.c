/*
 * Configuration sources in order of precedence: flags > HEARTH_*
 * environment > config file > defaults. Every key has the same name in
 * all three (flag --base-url, HEARTH_BASE_URL, file key base_url).
 * Unknown keys and flags are errors, so a typo is caught at start-up,
 * and config_check refuses settings that do not hold together before
 * anything is opened. It uses core's pure checks and nothing else.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "core/core.h"

static const struct {
	const char *key; /* file key; flag is --key with '-' for '_' */
	const char *def;
} keys[CFG__MAX] = {
    /* CFG_LISTEN */ {"listen", "127.0.0.1:8080"},
    /* CFG_DB */ {"db", "var/hearth.db"},
    /* CFG_BASE_URL */ {"base_url", NULL},
    /* CFG_ADMIN_PASSWORD */ {"admin_password", NULL},
    /* CFG_LOG_LEVEL */ {"log_level", "info"},
    /* CFG_WEB_DIR */ {"web_dir", NULL},
    /* CFG_SMTP_HOST */ {"smtp_host", NULL},
    /* CFG_SMTP_PORT */ {"smtp_port", "25"},
    /* CFG_SMTP_STARTTLS */ {"smtp_starttls", "opportunistic"},
    /* CFG_SMTP_USER */ {"smtp_user", NULL},
    /* CFG_SMTP_PASSWORD */ {"smtp_password", NULL},
    /* CFG_MAIL_FROM */ {"mail_from", NULL},
    /* CFG_SESSION_HOURS */ {"session_hours", "12"},
    /* CFG_THREADS */ {"threads", NULL},
    /* CFG_SYNCHRONOUS */ {"synchronous", "full"},
    /* CFG_FEED_DAYS_BACK */ {"feed_days_back", "90"},
    /* CFG_FEED_DAYS_AHEAD */ {"feed_days_ahead", "400"},
    /* CFG_DEMO_ACTIVITIES */ {"demo_activities", "0"},
    /* CFG_SMTP_CA_FILE */ {"smtp_ca_file", NULL},
    /* CFG_MAIL_REPLY_TO */ {"mail_reply_to", NULL},
    /* CFG_MAIL_RATE */ {"mail_rate", "60"},
    /* CFG_TRUSTED_PROXIES */ {"trusted_proxies", NULL},
    /* CFG_WECOM_URL */
    {"wecom_url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"},
    /* CFG_DINGTALK_URL */
    {"dingtalk_url", "https://oapi.dingtalk.com/robot/send"},
    /* CFG_NOTIFY_CA_FILE */ {"notify_ca_file", NULL},
    /* CFG_NOTIFY_TIMEOUT_MS */ {"notify_timeout_ms", "10000"},
    /* CFG_ROBOT_RATE */ {"robot_rate", "20"},
    /* CFG_DUTY_MESSAGE_TIME */ {"duty_message_time", "08:00"},
    /* CFG_SMS_PROVIDER */ {"sms_provider", NULL},
    /* CFG_SMS_ENDPOINT */ {"sms_endpoint", NULL},
    /* CFG_SMS_KEY_ID */ {"sms_key_id", NULL},
    /* CFG_SMS_KEY_SECRET */ {"sms_key_secret", NULL},
    /* CFG_SMS_SIGN_NAME */ {"sms_sign_name", NULL},
    /* CFG_SMS_REGION */ {"sms_region", NULL},
    /* CFG_SMS_APP_ID */ {"sms_app_id", NULL},
    /* CFG_SMS_TEMPLATE_REGISTERED */ {"sms_template_registered", NULL},
    /* CFG_SMS_TEMPLATE_PROMOTED */ {"sms_template_promoted", NULL},
    /* CFG_SMS_TEMPLATE_CHANGE */ {"sms_template_change", NULL},
    /* CFG_SMS_TEMPLATE_CANCEL */ {"sms_template_cancel", NULL},
    /* CFG_SMS_TEMPLATE_REMINDER */ {"sms_template_reminder", NULL},
    /* CFG_SMS_DAILY_LIMIT */ {"sms_daily_limit", "10"},
    /* CFG_SMS_RATE */ {"sms_rate", "60"},
    /* CFG_PUBLIC_WRITE_RATE */ {"public_write_rate", "60"},
    /* CFG_METRICS_TOKEN */ {"metrics_token", NULL},
    /* CFG_CONNECTIONS_PER_ADDRESS */ {"connections_per_address", "64"},
    /* CFG_CONNECTION_TIMEOUT */ {"connection_timeout", "15"},
    /* CFG_OUTBOX_LEASE */ {"outbox_lease", "300"},
    /* CFG_LOGIN_FAILURES */ {"login_failures", "5"},
    /* CFG_LOGIN_FAILURES_ADDRESS */ {"login_failures_address", "50"},
    /* CFG_LOGIN_WINDOW */ {"login_window", "900"},
};

static int
set(struct config *c, enum config_key k, const char *v)
{
	char *d = strdup(v);

	if (d == NULL)
		return 0;
	free(c->v[k]);
	c->v[k] = d;
	return 1;
}

/* The key for a name in any of its spellings: "base_url",
 * "HEARTH_BASE_URL", "base-url". */
static int
find_key(const char *name, size_t len)
{
	char norm[64];
	size_t i;

	if (len > 7 && strncasecmp(name, "HEARTH_", 7) == 0) {
		name += 7;
		len -= 7;
	}
	if (len >= sizeof(norm))
		return -1;
	for (i = 0; i < len; i++)
		norm[i] = name[i] == '-'
		    ? '_'
		    : (char)tolower((unsigned char)name[i]);
	norm[len] = '\0';
	for (i = 0; i < CFG__MAX; i++)
		if (strcmp(keys[i].key, norm) == 0)
			return (int)i;
	return -1;
}

int
config_parse_file(struct config *c, const char *text, char *err, unsigned errsz)
{
	const char *p = text, *eol, *eq, *ks, *ke, *vs, *ve;
	unsigned line = 0;
	char val[1024];
	int k;

	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		line++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		ks = p;
		while (ks < eol && isspace((unsigned char)*ks))
			ks++;
		if (ks == eol || *ks == '#' || *ks == ';')
			continue;
		eq = memchr(ks, '=', (size_t)(eol - ks));
		if (eq == NULL) {
			snprintf(err, errsz, "line %u: expected key = value",
			    line);
			return 0;
		}
		ke = eq;
		while (ke > ks && isspace((unsigned char)ke[-1]))
			ke--;
		vs = eq + 1;
		while (vs < eol && isspace((unsigned char)*vs))
			vs++;
		ve = eol;
		while (ve > vs && isspace((unsigned char)ve[-1]))
			ve--;
		if (ve - vs >= 2 && (*vs == '"' || *vs == '\'') &&
		    ve[-1] == *vs) {
			vs++;
			ve--;
		}
		if ((k = find_key(ks, (size_t)(ke - ks))) < 0) {
			snprintf(err, errsz, "line %u: unknown key \"%.*s\"",
			    line, (int)(ke - ks > 40 ? 40 : ke - ks), ks);
			return 0;
		}
		if ((size_t)(ve - vs) >= sizeof(val)) {
			snprintf(err, errsz, "line %u: value too long", line);
			return 0;
		}
		memcpy(val, vs, (size_t)(ve - vs));
		val[ve - vs] = '\0';
		if (!set(c, (enum config_key)k, val)) {
			snprintf(err, errsz, "out of memory");
			return 0;
		}
	}
	return 1;
}

static int
read_file(struct config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf, err[160];
	size_t n;
	int ok;

	if (f == NULL) {
		fprintf(stderr, "hearth: cannot read config %s: %s\n", path,
		    strerror(errno));
		return 0;
	}
	if ((buf = malloc(65537)) == NULL) {
		fclose(f);
		return 0;
	}
	n = fread(buf, 1, 65536, f);
	buf[n] = '\0';
	if (!feof(f)) {
		fprintf(stderr, "hearth: config %s is over 64 KiB\n", path);
		fclose(f);
		free(buf);
		return 0;
	}
	fclose(f);
	ok = config_parse_file(c, buf, err, sizeof(err));
	free(buf);
	if (!ok)
		fprintf(stderr, "hearth: %s: %s\n", path, err);
	return ok;
}

int
config_load(struct config *c, int argc, char *argv[])
{
	const char *file = getenv("HEARTH_CONFIG");
	char env[64];
	const char *v;
	int i, k;
	size_t j;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CFG__MAX; i++)
		if (keys[i].def != NULL &&
		    !set(c, (enum config_key)i, keys[i].def))
			return 0;
	/* The file goes first, but its name is a flag: find it early. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			file = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			file = argv[i] + 9;
	if (file != NULL && *file != '\0') {
		if ((c->file = strdup(file)) == NULL || !read_file(c, file))
			return 0;
	}
	for (i = 0; i < CFG__MAX; i++) {
		snprintf(env, sizeof(env), "HEARTH_%s", keys[i].key);
		for (j = 7; env[j] != '\0'; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) != NULL && !set(c, (enum config_key)i, v))
			return 0;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;

		if (strncmp(a, "--", 2) != 0)
			break;
		a += 2;
		eq = strchr(a, '=');
		k = find_key(a, eq ? (size_t)(eq - a) : strlen(a));
		if (strncmp(a, "config", 6) == 0 &&
		    (a[6] == '\0' || a[6] == '=')) {
			if (eq == NULL && i + 1 >= argc) {
				fprintf(stderr,
				    "hearth: --config needs a "
				    "value\n");
				return 0;
			}
			i += eq ? 0 : 1;
			continue;
		}
		if (k < 0 || strncasecmp(a, "hearth", 6) == 0) {
			fprintf(stderr, "hearth: unknown flag --%s\n", a);
			return 0;
		}
		if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else {
			fprintf(stderr, "hearth: --%s needs a value\n", a);
			return 0;
		}
		if (!set(c, (enum config_key)k, v))
			return 0;
	}
	c->argi = i;
	return 1;
}

const char *
config_get(const struct config *c, enum config_key k)
{
	return c->v[k];
}

void
config_free(struct config *c)
{
	int i;

	for (i = 0; i < CFG__MAX; i++) {
		if (c->v[i] != NULL)
			memset(c->v[i], 0, strlen(c->v[i]));
		free(c->v[i]);
	}
	free(c->file);
	memset(c, 0, sizeof(*c));
}

const char *const config_starttls_names[] = {"off", "opportunistic", "required",
    NULL};

const char *
config_opt(const struct config *c, enum config_key k)
{
	const char *v = config_get(c, k);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* v as a whole number within [min, max] (unset: def); 0 when it is not. */
static int
number(const struct config *c, enum config_key k, long min, long max, long def,
    long *out)
{
	const char *v = config_opt(c, k);
	char *end;

	*out = def;
	if (v == NULL)
		return 1;
	errno = 0;
	*out = strtol(v, &end, 10);
	return errno == 0 && *end == '\0' && end != v && *out >= min &&
	    *out <= max;
}

static int
fail(char *err, size_t sz, const char *why)
{
	snprintf(err, sz, "%s", why);
	return 0;
}

/* Mail: the SMTP server, the sender and how fast. */
static int
check_mail(const struct config *c, struct config_serve *s, char *err, size_t sz)
{
	long port, rate;
	int i;

	s->smtp_host = config_opt(c, CFG_SMTP_HOST);
	s->mail_from = config_opt(c, CFG_MAIL_FROM);
	s->mail_reply_to = config_opt(c, CFG_MAIL_REPLY_TO);
	s->smtp_starttls = -1;
	for (i = 0; config_starttls_names[i] != NULL; i++)
		if (config_get(c, CFG_SMTP_STARTTLS) != NULL &&
		    strcmp(config_get(c, CFG_SMTP_STARTTLS),
		        config_starttls_names[i]) == 0)
			s->smtp_starttls = i;
	if (!number(c, CFG_SMTP_PORT, 1, 65535, 25, &port) ||
	    s->smtp_starttls < 0 ||
	    !number(c, CFG_MAIL_RATE, 1, 6000, 60, &rate))
		return fail(err, sz,
		    "smtp_port must be 1-65535, smtp_starttls "
		    "off, opportunistic or required, mail_rate 1-6000 a "
		    "minute");
	s->smtp_port = (int)port;
	s->mail_rate = (int)rate;
	if ((s->mail_from != NULL && !valid_email(s->mail_from)) ||
	    (s->mail_reply_to != NULL && !valid_email(s->mail_reply_to)))
		return fail(err, sz,
		    "mail_from and mail_reply_to must be plain "
		    "e-mail addresses");
	/* libesmtp splits "host:port" at the first colon. */
	if (s->smtp_host != NULL && strchr(s->smtp_host, ':') != NULL)
		return fail(err, sz,
		    "smtp_host: an IPv6 address cannot be "
		    "used; give a host name");
	if (s->smtp_host != NULL && s->mail_from == NULL)
		return fail(err, sz, "smtp_host is set: set mail_from too");
	return 1;
}

/* The channels beside e-mail: group robots and SMS. */
static int
check_channels(const struct config *c, struct config_serve *s, char *err,
    size_t sz)
{
	long timeout, rate, limit, sms_rate;

	s->wecom_url = config_opt(c, CFG_WECOM_URL);
	s->dingtalk_url = config_opt(c, CFG_DINGTALK_URL);
	s->notify_ca_file = config_opt(c, CFG_NOTIFY_CA_FILE);
	if ((s->wecom_url && !notify_url_ok(s->wecom_url)) ||
	    (s->dingtalk_url && !notify_url_ok(s->dingtalk_url)))
		return fail(err, sz,
		    "wecom_url and dingtalk_url must be "
		    "https:// URLs (http:// only to 127.0.0.1 or localhost), "
		    "or empty to turn the robot off");
	if (!number(c, CFG_NOTIFY_TIMEOUT_MS, 100, 120000, 10000, &timeout) ||
	    !number(c, CFG_ROBOT_RATE, 1, 600, 20, &rate))
		return fail(err, sz,
		    "notify_timeout_ms must be 100-120000, "
		    "robot_rate 1-600 a minute");
	s->notify_timeout_ms = timeout;
	s->robot_rate = (int)rate;
	if ((s->duty_message_minute = roster_parse_hhmm(config_get(c,
	         CFG_DUTY_MESSAGE_TIME))) < 0)
		return fail(err, sz, "duty_message_time must be HH:MM");
	if ((s->sms_provider = notify_sms_provider_parse(config_get(c,
	         CFG_SMS_PROVIDER))) < 0)
		return fail(err, sz,
		    "sms_provider must be aliyun or tencent "
		    "(or empty: no SMS)");
	s->sms_endpoint = config_opt(c, CFG_SMS_ENDPOINT);
	if (s->sms_endpoint == NULL)
		s->sms_endpoint = s->sms_provider == SMS_PROVIDER_ALIYUN
		    ? "https://dysmsapi.aliyuncs.com/"
		    : "https://sms.tencentcloudapi.com/";
	if (!number(c, CFG_SMS_DAILY_LIMIT, 0, 1000, 10, &limit) ||
	    !number(c, CFG_SMS_RATE, 1, 6000, 60, &sms_rate))
		return fail(err, sz,
		    "sms_daily_limit must be 0-1000 (0: no "
		    "limit), sms_rate 1-6000 a minute");
	s->sms_daily_limit = (int)limit;
	s->sms_rate = (int)sms_rate;
	if (s->sms_provider != SMS_PROVIDER_NONE &&
	    (config_opt(c, CFG_SMS_KEY_ID) == NULL ||
	        config_opt(c, CFG_SMS_KEY_SECRET) == NULL ||
	        config_opt(c, CFG_SMS_SIGN_NAME) == NULL ||
	        !notify_url_ok(s->sms_endpoint) ||
	        (s->sms_provider == SMS_PROVIDER_TENCENT &&
	            config_opt(c, CFG_SMS_APP_ID) == NULL)))
		return fail(err, sz,
		    "sms_provider is set: set sms_key_id, "
		    "sms_key_secret and sms_sign_name (and sms_app_id for "
		    "tencent); sms_endpoint must be an https:// URL");
	return 1;
}

/* The sign-in failure limits. An address's limit below the account's
 * would lock out a whole office for one person's typos. */
static int
check_login(const struct config *c, struct config_serve *s, char *err,
    size_t sz)
{
	long account, address, window;

	if (!number(c, CFG_LOGIN_FAILURES, 1, 100, 5, &account) ||
	    !number(c, CFG_LOGIN_FAILURES_ADDRESS, 1, 100000, 50, &address) ||
	    !number(c, CFG_LOGIN_WINDOW, 60, 86400, 900, &window))
		return fail(err, sz,
		    "login_failures must be 1 to 100, "
		    "login_failures_address 1 to 100000, login_window "
		    "60 to 86400 s");
	if (address < account)
		return fail(err, sz,
		    "login_failures_address must not be below "
		    "login_failures");
	s->login_failures = (int)account;
	s->login_failures_address = (int)address;
	s->login_window = (int)window;
	return 1;
}

/* The HTTP side: proxies, limits, the metrics token. */
static int
check_http(const struct config *c, struct config_serve *s, char *err, size_t sz)
{
	long perip, timeout, rate;

	s->trusted_proxies = config_opt(c, CFG_TRUSTED_PROXIES);
	if (s->trusted_proxies != NULL && !valid_ip_list(s->trusted_proxies))
		return fail(err, sz,
		    "trusted_proxies must be IP addresses "
		    "separated by commas");
	if (!number(c, CFG_CONNECTIONS_PER_ADDRESS, 0, 1000, 64, &perip) ||
	    !number(c, CFG_CONNECTION_TIMEOUT, 1, 3600, 15, &timeout))
		return fail(err, sz,
		    "connections_per_address must be 0 (no "
		    "limit) to 1000, connection_timeout 1 to 3600 s");
	s->connections_per_address = (unsigned)perip;
	s->connection_timeout = (unsigned)timeout;
	if (!number(c, CFG_PUBLIC_WRITE_RATE, 0, 100000, 60, &rate))
		return fail(err, sz,
		    "public_write_rate must be 0 (off) to "
		    "100000 a minute");
	s->public_write_rate = (int)rate;
	if (!check_login(c, s, err, sz))
		return 0;
	s->metrics_token = config_opt(c, CFG_METRICS_TOKEN);
	if (s->metrics_token != NULL && strlen(s->metrics_token) < 16)
		return fail(err, sz,
		    "metrics_token must have at least 16 "
		    "characters");
	return 1;
}

int
config_check(const struct config *c, struct config_serve *s, char *err,
    size_t sz)
{
	long hours, back, ahead, lease;

	memset(s, 0, sizeof(*s));
	if (!number(c, CFG_SESSION_HOURS, 1, 720, 12, &hours))
		return fail(err, sz, "session_hours must be 1 to 720");
	s->session_hours = (int)hours;
	/* Out of range: the old default of two threads. */
	if (!number(c, CFG_THREADS, 1, 256, 0, &s->threads))
		s->threads = 2;
	if (!check_mail(c, s, err, sz) || !check_channels(c, s, err, sz) ||
	    !check_http(c, s, err, sz))
		return 0;
	if (!number(c, CFG_FEED_DAYS_BACK, 0, 3660, 90, &back) ||
	    !number(c, CFG_FEED_DAYS_AHEAD, 1, 3660, 400, &ahead))
		return fail(err, sz,
		    "feed_days_back 0-3660, feed_days_ahead "
		    "1-3660");
	s->feed_days_back = (int)back;
	s->feed_days_ahead = (int)ahead;
	/* Outbox claims across instances (issue 16 item 3). */
	if (!number(c, CFG_OUTBOX_LEASE, OUTBOX_LEASE_MIN, OUTBOX_LEASE_MAX,
	        OUTBOX_LEASE_DEFAULT, &lease))
		return fail(err, sz, "outbox_lease must be 2 to 3600 s");
	s->outbox_lease = (int)lease;
	if (!outbox_lease_covers(s->outbox_lease, 30000) ||
	    !outbox_lease_covers(s->outbox_lease, s->notify_timeout_ms))
		s->warning = "outbox_lease is shorter than a slow send: a "
		             "message still going out when its lease runs out "
		             "may go out twice";
	return 1;
}
