/*
 * The mailer: the outbox worker (svc/outbox/worker.h) of the e-mail rows,
 * sending through SMTP (smtp.h).
 * It knows the store and SMTP; what to send is decided elsewhere (the
 * hooks, given by main from svc/api).
 */
#ifndef HEARTH_MAIL_H
#define HEARTH_MAIL_H

#include <time.h>

#include "../store/store.h"
#include "smtp.h"

struct mailer_config {
	struct smtp_config smtp; /* smtp.host NULL: nothing is sent */
	const char *sender;      /* envelope sender (mail_from) */
	int rate_per_minute;     /* at most this many messages a minute */
	/* The service's clock (the fake clock in tests). */
	time_t (*now)(void);
	/* Queues mail that time causes (weekly summaries); in a transaction. */
	int (*tick)(struct store *, time_t now);
	/* Builds the body of a row queued without one: enum outbox_built
	 * (core.h); in the claiming transaction. */
	int (*prepare)(struct store *, struct outbox_msg *, time_t now);
	/* Seconds a claim of an outbox row holds (outbox_lease), for every
	 * channel's worker; 0: OUTBOX_LEASE_DEFAULT. */
	int outbox_lease;
};

/* mailer.c */

/* Recovers rows a stop left `sending` and starts the thread; 0 on failure
 * (logged). The config must outlive mailer_stop. */
int mailer_start(const struct mailer_config *);
/* Makes the thread look at the outbox now (a moved clock). */
void mailer_wake(void);
/* Rows due at due were queued: the thread looks if it would sleep past
 * due (outbox_worker_wake_due). */
void mailer_wake_due(time_t due);
/* Stops the thread after the message in flight, if any. */
void mailer_stop(void);

#endif
