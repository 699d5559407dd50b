/*
 * Configuration: defaults, then an optional file, then HEARTH_*
 * environment variables, then command-line flags; later wins.
 */
#ifndef HEARTH_CONFIG_H
#define HEARTH_CONFIG_H

enum config_key {
	CFG_LISTEN,
	CFG_DB,
	CFG_BASE_URL,
	CFG_ADMIN_PASSWORD,
	CFG_LOG_LEVEL,
	CFG_WEB_DIR,
	CFG_SMTP_HOST,
	CFG_SMTP_PORT,
	CFG_SMTP_STARTTLS,
	CFG_SMTP_USER,
	CFG_SMTP_PASSWORD,
	CFG_MAIL_FROM,
	CFG_SESSION_HOURS,
	CFG_THREADS,
	CFG_SYNCHRONOUS,
	CFG_FEED_DAYS_BACK,
	CFG_FEED_DAYS_AHEAD,
	CFG_DEMO_ACTIVITIES,
	CFG_SMTP_CA_FILE,
	CFG_MAIL_REPLY_TO,
	CFG_MAIL_RATE,
	CFG_TRUSTED_PROXIES,
	/* Channels beside e-mail: group robots and SMS. */
	CFG_WECOM_URL,
	CFG_DINGTALK_URL,
	CFG_NOTIFY_CA_FILE,
	CFG_NOTIFY_TIMEOUT_MS,
	CFG_ROBOT_RATE,
	CFG_DUTY_MESSAGE_TIME,
	CFG_SMS_PROVIDER,
	CFG_SMS_ENDPOINT,
	CFG_SMS_KEY_ID,
	CFG_SMS_KEY_SECRET,
	CFG_SMS_SIGN_NAME,
	CFG_SMS_REGION,
	CFG_SMS_APP_ID,
	CFG_SMS_TEMPLATE_REGISTERED,
	CFG_SMS_TEMPLATE_PROMOTED,
	CFG_SMS_TEMPLATE_CHANGE,
	CFG_SMS_TEMPLATE_CANCEL,
	CFG_SMS_TEMPLATE_REMINDER,
	CFG_SMS_DAILY_LIMIT,
	CFG_SMS_RATE,
	CFG_PUBLIC_WRITE_RATE,
	CFG_METRICS_TOKEN,
	CFG_CONNECTIONS_PER_ADDRESS,
	CFG_CONNECTION_TIMEOUT,
	/* Outbox claims across instances (issue 16 item 3, claims). */
	CFG_OUTBOX_LEASE,
	/* Sign-in failure limits, once fixed in main.c. */
	CFG_LOGIN_FAILURES,
	CFG_LOGIN_FAILURES_ADDRESS,
	CFG_LOGIN_WINDOW,
	CFG__MAX
};

struct config {
	char *v[CFG__MAX];
	char *file; /* the config file read, if any */
	int argi;   /* first argument that is not a flag */
};

/* Fills c from all sources; on error prints why to stderr and returns 0.
 * argv[0] is the subcommand; flags follow it. */
int config_load(struct config *c, int argc, char *argv[]);
const char *config_get(const struct config *, enum config_key);
/* The value, NULL when unset or "". */
const char *config_opt(const struct config *, enum config_key);
void config_free(struct config *);
/* Loads "key = value" lines; exposed for unit tests. 0 and a message on
 * the first bad line. */
int config_parse_file(struct config *, const char *text, char *err,
    unsigned errsz);

/* The settings `serve` runs with, checked and typed by config_check.
 * Strings are borrowed from the config; NULL when unset or empty. */
struct config_serve {
	int session_hours;
	long threads;          /* 0: one per online CPU */
	const char *smtp_host; /* NULL: no mail is sent */
	int smtp_port;
	int smtp_starttls; /* index of config_starttls_names, the
				      order of enum smtp_tls */
	int mail_rate;     /* a minute */
	const char *mail_from, *mail_reply_to;
	const char *trusted_proxies;
	const char *wecom_url, *dingtalk_url, *notify_ca_file;
	long notify_timeout_ms;
	int robot_rate;           /* a minute */
	int duty_message_minute;  /* minutes after midnight */
	int sms_provider;         /* enum notify_sms_provider */
	const char *sms_endpoint; /* the provider's default when unset */
	int sms_daily_limit, sms_rate;
	int public_write_rate;
	/* Failed sign-ins allowed per account and per client address in
	 * login_window seconds before 429. */
	int login_failures, login_failures_address, login_window;
	const char *metrics_token;
	unsigned connections_per_address, connection_timeout;
	int feed_days_back, feed_days_ahead;
	int outbox_lease; /* seconds a claim of an outbox row holds */
	/* A setting that works but is unwise, for the log; NULL: none. */
	const char *warning;
};
extern const char *const config_starttls_names[]; /* NULL-terminated */
/* Checks every setting of `serve` and fills out: 1, or 0 with why (one
 * sentence naming the keys) in err. Nothing is opened or started. */
int config_check(const struct config *, struct config_serve *out, char *err,
    size_t errsz);

#endif
