/*
 * The channels beside e-mail: group robots (企业微信 WeCom, 钉钉 DingTalk)
 * and SMS (Alibaba Cloud, Tencent Cloud). One thread per channel sends
 * that channel's due outbox rows over HTTPS with libcurl, with the
 * outbox worker's retries and back-off (svc/outbox/worker.h); a channel
 * that is slow or down delays only its own messages. This layer knows the store and HTTP; what to
 * send is decided in svc/api (the hooks below) and composed in
 * svc/core. Only svc/notify/http.c includes curl.h.
 */
#ifndef HEARTH_NOTIFY_H
#define HEARTH_NOTIFY_H

#include <time.h>

#include "../store/store.h"

struct notify_sms_config {
	enum notify_sms_provider provider; /* NONE: no SMS at all */
	const char *endpoint;              /* the provider's API URL */
	const char *key_id;                /* AccessKey ID / SecretId */
	const char *key_secret;            /* AccessKey secret / SecretKey */
	const char *sign_name; /* 签名, approved by the provider */
	const char *region;    /* RegionId / X-TC-Region */
	const char *app_id;    /* Tencent SmsSdkAppId */
	/* Approved template per kind; NULL or "" = that kind is not sent. */
	const char *templates[NOTIFY_SMS__MAX];
	int daily_limit; /* per number in any 24 hours */
	int rate_per_minute;
};

struct notify_config {
	/* The send endpoints of the robots (without the query); NULL or ""
	 * turns that channel off. */
	const char *wecom_url, *dingtalk_url;
	const char *ca_file; /* CA bundle for HTTPS; NULL = the system's */
	long timeout_ms;     /* a whole request, at most */
	int robot_rate;      /* robot messages a minute, per channel */
	struct notify_sms_config sms;
	/* The service's clock (the fake clock in tests). */
	time_t (*now)(void);
	/* Queues what time causes on a channel; in a transaction. */
	int (*tick)(struct store *, enum notify_channel, time_t now);
	/* Builds the body of a row queued without one: enum outbox_built
	 * (core.h); in the claiming transaction. */
	int (*prepare)(struct store *, struct outbox_msg *, time_t now);
};

/* notifier.c */

/* Recovers each channel's rows left `sending` and starts a thread per
 * enabled channel; 0 on failure (logged). The config must outlive
 * notify_stop. */
int notify_start(const struct notify_config *);
/* Makes every channel look at the outbox now. */
void notify_wake(void);
/* Rows due at due were queued: the channels that would sleep past due
 * look (outbox_worker_wake_due). */
void notify_wake_due(time_t due);
/* Stops the threads after the requests in flight (each bounded by the
 * timeout). */
void notify_stop(void);

/* http.c: one client (one curl easy handle) per sending thread. */

/* At start, before any thread runs: curl_global_init, unless libcurl
 * initializes thread-safely, then the first message sent does it (a
 * server that sends none never loads OpenSSL's tables). 0 on failure
 * (logged). */
int notify_global_init(void);
void notify_global_cleanup(void);

struct nhttp;
struct nhttp_answer {
	long status; /* 0 when no HTTP answer came */
	char *body;  /* NUL-terminated; the caller frees */
	size_t len;
	char error[256]; /* why no answer came */
};
struct nhttp *nhttp_new(const char *ca_file, long timeout_ms);
void nhttp_free(struct nhttp *);
/* POSTs body with the given header lines (NULL-terminated list of
 * "Name: value"). 1 when an HTTP answer came (any status), 0 when none
 * did (timeout, refused, TLS failure; error says which). */
int nhttp_post(struct nhttp *, const char *url, const char *const *headers,
    const char *body, size_t len, struct nhttp_answer *);

/* sender.c: one message to its service. */

/* Posts m (a robot row, body the JSON message) to robot r. */
enum notify_result notify_send_robot(struct nhttp *,
    const struct notify_config *, const struct robot *,
    const struct outbox_msg *, char *err, size_t errsz);
/* Sends m (an SMS row: recipient the 11-digit number, body
 * {"kind","params"}) through the configured provider. */
enum notify_result notify_send_sms(struct nhttp *,
    const struct notify_sms_config *, const struct outbox_msg *, char *err,
    size_t errsz);

#endif
