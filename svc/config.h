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
void config_free(struct config *);
/* Loads "key = value" lines; exposed for unit tests. 0 and a message on
 * the first bad line. */
int config_parse_file(struct config *, const char *text, char *err,
    unsigned errsz);

#endif
