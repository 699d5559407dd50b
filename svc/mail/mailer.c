/*
 * The mailer: the e-mail channel of the outbox worker
 * (svc/outbox/worker.c), which claims, retries with back-off and
 * recovers; here only what is e-mail's own: the SMTP send and the
 * hooks.
 */
#include <string.h>

#include "../log.h"
#include "../outbox/worker.h"
#include "mail.h"

static const struct mailer_config *cfg;
static struct outbox_channel channel;
static struct outbox_worker worker;

/* Queues what time causes (weekly summaries). */
static int
tick(struct store *st, const struct outbox_channel *ch, time_t now)
{
	(void)ch;
	return cfg->tick != NULL ? cfg->tick(st, now) : 0;
}

/* A temporary failure (no connection, 4xx, a timeout) pauses the
 * channel: a server that is down or stalls costs one try a minute, not
 * one per queued message. */
static enum outbox_try
send(const struct outbox_channel *ch, struct store *st,
    const struct outbox_msg *m, char *err, size_t errsz)
{
	(void)ch;
	(void)st;
	switch (smtp_send(&cfg->smtp, cfg->sender, m->recipient, m->body,
	    strlen(m->body), err, errsz)) {
	case SMTP_SENT:
		return OUTBOX_TRY_SENT;
	case SMTP_PERMFAIL:
		return OUTBOX_TRY_DEAD;
	case SMTP_TEMPFAIL:
	default:
		return OUTBOX_TRY_DOWN;
	}
}

int
mailer_start(const struct mailer_config *c)
{
	cfg = c;
	/* Before the first worker starts, the channels' after this. */
	if (c->outbox_lease > 0)
		outbox_worker_set_lease(c->outbox_lease);
	memset(&channel, 0, sizeof(channel));
	channel.name = "email";
	channel.noun = "mail";
	channel.empty = "nothing to send: recipient gone";
	channel.gap = 60.0 / (c->rate_per_minute > 0 ? c->rate_per_minute : 60);
	channel.now = c->now;
	channel.tick = tick;
	channel.prepare = c->prepare;
	/* Without a server the mail stays in the outbox. */
	channel.send = c->smtp.host != NULL ? send : NULL;
	if (!outbox_worker_start(&worker, &channel))
		return 0;
	if (c->smtp.host == NULL)
		log_msg(LOG_WARN,
		    "msg=\"no smtp_host: mail stays in the outbox\"");
	return 1;
}

void
mailer_wake(void)
{
	outbox_worker_wake(&worker);
}

void
mailer_wake_due(time_t due)
{
	outbox_worker_wake_due(&worker, due);
}

void
mailer_stop(void)
{
	outbox_worker_stop(&worker);
}
