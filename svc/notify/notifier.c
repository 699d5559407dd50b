/*
 * The channels beside e-mail: one outbox worker (svc/outbox/worker.c)
 * for WeCom, one for DingTalk, one for SMS (when configured), each with
 * its own store connection and curl handle. The worker claims, retries
 * with back-off (1 min, 5 min, 30 min, 2 h, 12 h: outbox_backoff) and
 * recovers; here only what is each channel's own: the rules checked when
 * a message is due and the request.
 *
 * Why not the mailer's thread: an SMTP server that stalls would hold
 * the group messages for its whole timeout, and a robot service that is
 * down would pause the mail. A thread per channel keeps each failure to
 * its own messages; they share the store, the back-off and the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "../outbox/worker.h"
#include "notify.h"

struct sender {
	enum notify_channel ch;
	struct nhttp *http;
	struct outbox_channel channel;
	struct outbox_worker worker;
};

static const struct notify_config *cfg;
static struct sender senders[] = {
    {.ch = NOTIFY_WECOM},
    {.ch = NOTIFY_DINGTALK},
    {.ch = NOTIFY_SMS},
};
#define NSENDERS (sizeof(senders) / sizeof(senders[0]))

void
notify_wake(void)
{
	size_t i;

	for (i = 0; i < NSENDERS; i++)
		outbox_worker_wake(&senders[i].worker);
}

void
notify_wake_due(time_t due)
{
	size_t i;

	for (i = 0; i < NSENDERS; i++)
		outbox_worker_wake_due(&senders[i].worker, due);
}

static const char *
name_of(const struct sender *w)
{
	return notify_channels[w->ch];
}

static enum outbox_try
try_of(enum notify_result r)
{
	switch (r) {
	case NOTIFY_SENT:
		return OUTBOX_TRY_SENT;
	case NOTIFY_DOWN:
		return OUTBOX_TRY_DOWN;
	case NOTIFY_DEAD:
		return OUTBOX_TRY_DEAD;
	case NOTIFY_RETRY:
	default:
		return OUTBOX_TRY_RETRY;
	}
}

/* The SMS rules checked when a message is due: the participant may have
 * refused SMS since, and a number gets at most daily_limit a day. */
static enum outbox_try
sms_allowed(struct store *st, const struct outbox_msg *m, char *err, size_t sz)
{
	struct sms_person p;
	int64_t n = 0;
	int rc;

	if (m->registration_id != 0) {
		if ((rc = store_sms_person(st, m->registration_id, &p)) < 0)
			goto fail;
		if (rc > 0) {
			int out = p.sms_opt_out;

			sms_person_free(&p);
			if (out) {
				snprintf(err, sz,
				    "the participant turned "
				    "SMS off");
				return OUTBOX_TRY_SKIP;
			}
		}
	}
	if (cfg->sms.daily_limit > 0) {
		if (store_sms_sent_since(st, m->recipient, cfg->now() - 86400,
		        &n) <= 0)
			goto fail;
		if (n >= cfg->sms.daily_limit) {
			snprintf(err, sz,
			    "rate limit: %lld SMS to this number "
			    "in 24 hours (sms_daily_limit %d)",
			    (long long)n, cfg->sms.daily_limit);
			return OUTBOX_TRY_SKIP;
		}
	}
	return OUTBOX_TRY_SENT;
fail:
	snprintf(err, sz, "store failure");
	return OUTBOX_TRY_RETRY;
}

/* A robot row names its robot; the webhook and secret are read now, so
 * a corrected key applies to what is waiting. */
static enum outbox_try
send_robot(struct sender *w, struct store *st, const struct outbox_msg *m,
    char *err, size_t sz)
{
	struct robot r;
	enum outbox_try t;
	int rc;

	if ((rc = store_robot_get(st, m->station_id, m->channel, &r)) < 0) {
		snprintf(err, sz, "store failure");
		return OUTBOX_TRY_RETRY;
	}
	if (rc == 0 || !r.active) {
		if (rc > 0)
			robot_free(&r);
		snprintf(err, sz, "the robot was removed or turned off");
		return OUTBOX_TRY_SKIP;
	}
	t = try_of(notify_send_robot(w->http, cfg, &r, m, err, sz));
	robot_free(&r);
	return t;
}

static enum outbox_try
send_one(const struct outbox_channel *ch, struct store *st,
    const struct outbox_msg *m, char *err, size_t sz)
{
	struct sender *w = ch->arg;
	enum outbox_try t;

	if (w->ch != NOTIFY_SMS)
		return send_robot(w, st, m, err, sz);
	if ((t = sms_allowed(st, m, err, sz)) != OUTBOX_TRY_SENT)
		return t;
	return try_of(notify_send_sms(w->http, &cfg->sms, m, err, sz));
}

/* Queues what time causes on the channel. */
static int
tick(struct store *st, const struct outbox_channel *ch, time_t now)
{
	const struct sender *w = ch->arg;

	return cfg->tick != NULL ? cfg->tick(st, w->ch, now) : 0;
}

static int
enabled(const struct sender *w)
{
	switch (w->ch) {
	case NOTIFY_WECOM:
		return cfg->wecom_url != NULL && *cfg->wecom_url != '\0';
	case NOTIFY_DINGTALK:
		return cfg->dingtalk_url != NULL && *cfg->dingtalk_url != '\0';
	case NOTIFY_SMS:
		return cfg->sms.provider != SMS_PROVIDER_NONE;
	default:
		return 0;
	}
}

/* A channel turned off since its rows were queued sends nothing: they
 * are skipped, not left pending for ever. */
static int
skip_disabled(void)
{
	struct store *st = store_thread();
	size_t i;

	if (st == NULL || store_begin(st) <= 0)
		return 0;
	for (i = 0; i < NSENDERS; i++)
		if (!enabled(&senders[i]) &&
		    store_outbox_skip_channel(st, name_of(&senders[i]),
		        "the channel is turned off in the configuration") < 0)
			break;
	if (i < NSENDERS || store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR,
		    "msg=\"notify: cannot skip the messages of a channel "
		    "turned off\"");
		return 0;
	}
	return 1;
}

int
notify_start(const struct notify_config *c)
{
	size_t i;

	cfg = c;
	if (!skip_disabled())
		return 0;
	for (i = 0; i < NSENDERS; i++) {
		struct sender *w = &senders[i];
		struct outbox_channel *ch = &w->channel;
		int rate = w->ch == NOTIFY_SMS ? c->sms.rate_per_minute
		                               : c->robot_rate;

		if (!enabled(w))
			continue;
		memset(ch, 0, sizeof(*ch));
		ch->name = name_of(w);
		ch->noun = "message";
		ch->empty = "nothing to send";
		ch->gap = 60.0 / (rate > 0 ? rate : 20);
		ch->now = c->now;
		ch->tick = tick;
		ch->prepare = c->prepare;
		ch->send = send_one;
		ch->arg = w;
		if ((w->http = nhttp_new(c->ca_file, c->timeout_ms)) == NULL ||
		    !outbox_worker_start(&w->worker, ch)) {
			log_msg(LOG_ERROR,
			    "msg=\"notify: cannot start\" channel=%s",
			    name_of(w));
			notify_stop();
			return 0;
		}
		log_msg(LOG_INFO, "msg=\"notify: sending\" channel=%s",
		    name_of(w));
	}
	return 1;
}

void
notify_stop(void)
{
	size_t i;

	for (i = 0; i < NSENDERS; i++) {
		outbox_worker_stop(&senders[i].worker);
		nhttp_free(senders[i].http);
		senders[i].http = NULL;
	}
}
