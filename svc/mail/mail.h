/*
 * The mailer: one thread that sends the outbox's due rows through SMTP
 * (smtp.h), with retries and back-off, and skips what came too late.
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
	/* Builds the body of a row queued without one: > 0 built, 0 none,
	 * -1 failure; in the claiming transaction. */
	int (*prepare)(struct store *, struct outbox_msg *, time_t now);
};

/* mailer.c */

/* The back-off after the n-th failed try (1-based); 0 once the row is to
 * be dead. Exposed for the unit tests. */
time_t mailer_backoff(int attempts);

/* Recovers rows a stop left `sending` and starts the thread; 0 on failure
 * (logged). The config must outlive mailer_stop. */
int mailer_start(const struct mailer_config *);
/* Makes the thread look at the outbox now (new rows, a moved clock). */
void mailer_wake(void);
/* Stops the thread after the message in flight, if any. */
void mailer_stop(void);
/* Sets m's state, and its last error to a copy of err unless err is
 * NULL; 0 when out of memory. The channels' senders use it too. */
int mailer_set_state(struct outbox_msg *, enum outbox_status, const char *err);
/* The CLOCK_MONOTONIC instant seconds from now, for
 * pthread_cond_timedwait on a condition that uses that clock. */
void mailer_deadline(double seconds, struct timespec *until);

#endif
