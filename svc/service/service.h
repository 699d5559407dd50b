/*
 * The service layer: what Hearth does apart from HTTP. Causes of mail and
 * of the other channels and the messages they send, the VEVENT of every
 * shift, event and follow-up (feeds and invitations alike), the rules of
 * a change that need the store, roster generation, reports and their
 * CSV and XLSX files. It builds on core (pure rules), the store and
 * ical/; it never includes http.h, and svc/api's handlers call it
 * (parse, call, reply). The mailer and the notify threads reach it only
 * through the hooks main gives them.
 */
#ifndef HEARTH_SERVICE_H
#define HEARTH_SERVICE_H

#include "../core/core.h"
#include "../store/store.h"

/* config.c: the settings the service runs with, set once by main before
 * any thread starts (a leaf: it calls nothing). */
struct svc_config {
	const char *base_url;  /* e.g. "http://127.0.0.1:8080", no slash */
	int session_hours;
	int login_max_failures; /* per account per window */
	int login_window_s;
	int feed_days_back, feed_days_ahead; /* the window of every feed */
	const char *mail_from;  /* ORGANIZER of feeds and invitations */
	const char *mail_reply_to; /* Reply-To of mail; NULL = none */
	void (*wake)(void);     /* the senders look at the outbox; or NULL */
	int smtp_configured;    /* an SMTP host is set: the mailer sends */
	int fake_clock;         /* HEARTH_FAKE_CLOCK=1: tests may set the time */
	/* Channels beside e-mail (channel.c). */
	const char *wecom_url, *dingtalk_url; /* robot endpoints; NULL = off */
	const char *sms_provider; /* "aliyun" | "tencent"; NULL = no SMS */
	const char *sms_endpoint, *sms_sign_name, *sms_key_id;
	const char *sms_templates[NOTIFY_SMS__MAX]; /* NULL = kind not sent */
	int sms_daily_limit;
	int duty_message_minute; /* the morning duty message, station time */
	int login_max_failures_address; /* per client address per window */
	int public_write_rate;  /* public writes a minute per address; 0 off */
};
/* Copies c (its strings are borrowed: they must outlive the service). */
void svc_configure(const struct svc_config *c);
const struct svc_config *svc_config(void);
/* The host part of base_url: UIDs ("shift-12@host") and Message-IDs. */
void svc_uid_host(char *out, size_t sz);

/* clock.c */
/* The service's clock: the real time, or the time a test set through
 * PUT /api/v1/_clock when HEARTH_FAKE_CLOCK=1. Domain time (events, feeds,
 * surveys, rosters) follows it; sessions and rate limits keep real time,
 * so moving the clock does not sign anyone out. */
time_t svc_now(void);
/* Moves the clock to want and wakes the senders (reminders may be due). */
void svc_clock_set(time_t want);

/* tzdb.c: the system's zoneinfo, loaded on demand and kept for the life
 * of the process: the one place that reads TZif files for core/tz.c. */
/* The zone named name, or NULL when the system does not know it. The
 * result lives until tzdb_free. Thread-safe. */
const struct tz *tzdb_get(const char *name);
/* Asia/Shanghai, the default zone of stations and of the API's output;
 * NULL only if the system has no tzdata (then UTC is shown). */
const struct tz *tzdb_default(void);
void tzdb_free(void);
/* UTC instant of 00:00 Asia/Shanghai on a day number. */
time_t tzdb_day_start(int64_t day);

#endif
