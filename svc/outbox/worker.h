/*
 * The outbox worker: a thread that works one channel's due outbox rows
 * (e-mail, WeCom, DingTalk, SMS). A row goes pending → sending (claimed,
 * committed) → sent, failed (tried again after a back-off, core's
 * outbox_after_try) or dead with the last error, or skipped. The claim is
 * committed before the message goes out, so a stop in between leaves the
 * row `sending`, and it goes out again with the message id in its stored
 * body.
 *
 * Several instances on one PostgreSQL database (issue 16 item 3): a
 * claim names the claiming instance (a random id per process start,
 * logged) and holds for a lease (outbox_lease seconds); rows are claimed
 * with SELECT … FOR UPDATE SKIP LOCKED in a transaction that takes no
 * other lock, so instances claim side by side and never the same row.
 * A row whose claimer died is taken back to pending by any live
 * instance once the lease has run out, or at once when the claiming
 * connection is gone from the server (pg_stat_activity: the process was
 * killed); the result of a try is recorded only while the claim is
 * still the instance's own. On SQLite (one
 * instance per file) a start takes back every claim at once, as before.
 *
 * What differs between channels is a small table of functions (struct
 * outbox_channel): svc/mail/mailer.c sends through SMTP,
 * svc/notify/notifier.c over HTTPS. A thread per channel keeps a slow or
 * down service to its own messages.
 */
#ifndef HEARTH_OUTBOX_WORKER_H
#define HEARTH_OUTBOX_WORKER_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "../store/store.h"

struct outbox_channel {
	const char *name;  /* the rows' channel: "email", "wecom" … */
	const char *noun;  /* the log lines' word: "mail", "message" */
	const char *empty; /* the skip reason when prepare builds nothing */
	double gap;        /* seconds between two sends, at least */
	/* The service's clock (the fake clock in tests). */
	time_t (*now)(void);
	/* Queues what time causes on the channel; in a transaction. NULL:
	 * nothing. */
	int (*tick)(struct store *, const struct outbox_channel *, time_t now);
	/* Builds the body of a row queued without one: enum outbox_built
	 * (core.h); OUTBOX_BUILT_BROKEN with m->last_error set to why;
	 * in the claiming transaction. */
	int (*prepare)(struct store *, struct outbox_msg *, time_t now);
	/* Sends a claimed row, outside any transaction; err (errsz bytes,
	 * "" on entry) says why not. NULL: nothing is sent, the rows wait
	 * (housekeeping still runs). */
	enum outbox_try (*send)(const struct outbox_channel *, struct store *,
	    const struct outbox_msg *, char *err, size_t errsz);
	void *arg; /* the channel's own: its client, its settings */
};

struct outbox_worker {
	const struct outbox_channel *ch;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int ready, running, stopping, woken;
	/* Wakes with a due time (issue 15: each registration's commit
	 * woke every worker for reminders due days later), under lock:
	 * while the thread sleeps before a round, the service clock's
	 * second that round is planned for (a wake for work due before it
	 * ends the sleep, a later one does nothing); INT64_MAX while it
	 * works a round, when wake_due keeps the earliest due time of the
	 * wakes meanwhile (INT64_MIN: one without a due time; INT64_MAX:
	 * none) for the sleep after it. */
	int64_t round_at, wake_due;
	long rounds;          /* rounds worked, under lock (the unit tests) */
	struct timespec last; /* of the last send (CLOCK_MONOTONIC) */
	time_t housekept;     /* the clock's second of the last housekeeping */
	/* The instance claims are made for: outbox_instance(); the unit
	 * tests set another to play a second instance. */
	char instance[40];
};

enum outbox_claim {
	OUTBOX_CLAIM_FAILED = -1,
	OUTBOX_CLAIM_NONE,
	OUTBOX_CLAIM_SEND,
	OUTBOX_CLAIM_DROPPED
};

enum outbox_round {
	OUTBOX_ROUND_DONE,
	OUTBOX_ROUND_STORE_FAILED,
	OUTBOX_ROUND_PAUSED
};

/* This process's instance id: 16 random hex digits made (and logged)
 * on first use. */
const char *outbox_instance(void);
/* The lease of the claims made from now on, seconds (config key
 * outbox_lease; OUTBOX_LEASE_DEFAULT until set). */
void outbox_worker_set_lease(int seconds);
/* Readies w for ch (lock, condition, the instance id); the thread is not
 * started. */
void outbox_worker_init(struct outbox_worker *w,
    const struct outbox_channel *ch);
/* At start: puts back to pending the rows of w's channel left `sending`
 * whose claim is over (store_outbox_recover at_start); one transaction.
 * 0 on failure (logged). */
int outbox_worker_recover(struct outbox_worker *w, struct store *);
/* Recovers (outbox_worker_recover) and starts the thread; 0 on failure
 * (logged). ch must outlive outbox_worker_stop. */
int outbox_worker_start(struct outbox_worker *w,
    const struct outbox_channel *ch);
/* Makes the thread look at the outbox now (a moved clock, the start). */
void outbox_worker_wake(struct outbox_worker *);
/* Work due at due (the service clock) was queued: the thread looks at
 * the outbox if it would otherwise sleep past due. */
void outbox_worker_wake_due(struct outbox_worker *, time_t due);
/* The rounds the thread has worked (the unit tests). */
long outbox_worker_rounds(struct outbox_worker *);
/* Stops the thread after the message in flight, if any. */
void outbox_worker_stop(struct outbox_worker *);

/* The thread's steps, for the unit tests. */

/* Takes the next due row (building its body if it has none) and
 * commits it as `sending`, claimed by w->instance for the lease; m is the
 * row for OUTBOX_CLAIM_SEND and _DROPPED (the caller frees it). */
enum outbox_claim outbox_worker_claim(struct outbox_worker *, struct store *,
    time_t now, struct outbox_msg *m);
/* Records what came of a try of a claimed row (a few attempts: a sent
 * message whose success is lost would go out again); 0 on failure. A
 * claim taken back meanwhile (its lease ran out) records nothing and
 * counts as done: the row is another instance's now. */
int outbox_worker_finish(struct outbox_worker *, struct store *,
    struct outbox_msg *m, enum outbox_try, const char *err);
/* Skips what expired, recovers and queues what time causes, once a
 * second of the clock; then sends every due row, no faster than the
 * gap, until a service that is down pauses the round. */
enum outbox_round outbox_worker_round(struct outbox_worker *, struct store *);

#endif
