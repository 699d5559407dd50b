/*
 * The mailer thread. A row goes pending → sending (claimed, committed)
 * → sent, failed (tried again after a back-off) or dead. The claim is
 * committed before the SMTP transaction starts, so a stop in between
 * leaves the row `sending`; mailer_start puts it back to pending and it
 * goes out again with the Message-ID that is in its stored body.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"
#include "mail.h"

/* How long the thread sleeps with nothing due: the weekly summaries are
 * at most this late. */
#define IDLE_WAIT_S 30
/* After a store failure, before trying again. */
#define ERROR_WAIT_S 5
/* After a temporary SMTP failure, before the next message is tried: a
 * server that is down or stalls (each try can take the whole timeout)
 * costs one try a minute, not one per queued message. */
#define PAUSE_WAIT_S 60

static const time_t backoff[] = {60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600};

static const struct mailer_config *cfg;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static int running, stopping, woken;

time_t
mailer_backoff(int attempts)
{
	if (attempts < 1 ||
	    (size_t)attempts > sizeof(backoff) / sizeof(backoff[0]))
		return 0;
	return backoff[attempts - 1];
}

void
mailer_wake(void)
{
	pthread_mutex_lock(&lock);
	woken = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

/* Sleeps up to seconds, or until stopped (or woken, when wakeable).
 * Returns 0 once the mailer is stopping. */
static int
sleep_for(double seconds, int wakeable)
{
	struct timespec until;
	int alive;

	mailer_deadline(seconds, &until);
	pthread_mutex_lock(&lock);
	while (!stopping && !(wakeable && woken))
		if (pthread_cond_timedwait(&cond, &lock, &until) == ETIMEDOUT)
			break;
	if (wakeable)
		woken = 0;
	alive = !stopping;
	pthread_mutex_unlock(&lock);
	return alive;
}

void
mailer_deadline(double seconds, struct timespec *until)
{
	clock_gettime(CLOCK_MONOTONIC, until);
	until->tv_sec += (time_t)seconds;
	until->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (until->tv_nsec >= 1000000000L) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000L;
	}
}

int
mailer_set_state(struct outbox_msg *m, enum outbox_status status,
    const char *err)
{
	char *s;

	m->status = status;
	if (err == NULL)
		return 1;
	if ((s = strdup(err)) == NULL)
		return 0;
	free(m->last_error);
	m->last_error = s;
	return 1;
}

/* Skips what expired and queues what time causes: one transaction. A
 * row still `sending` here is one whose result could not be recorded
 * (this thread is the only sender and has nothing in flight now): it is
 * tried again, as after a restart. */
/* The second the last housekeeping ran for (svc_now's seconds). */
static time_t housekept = -1;

/* Whether a wake needs housekeeping: its work (expiry, recovery, what
 * time causes) changes with the clock's second, not with each commit
 * that queued mail; a burst of registrations wakes the mailer hundreds
 * of times a second, each of which took the write lock here. */
static int
housekeeping_due(time_t now)
{
	return now != housekept;
}

static void
housekeeping(struct store *st, time_t now)
{
	if (!housekeeping_due(now))
		return;
	housekept = now;
	if (store_begin(st) <= 0)
		return;
	if (store_outbox_recover(st, "email", now) < 0 ||
	    store_outbox_expire(st, now, "late: skipped, not sent late") < 0 ||
	    (cfg->tick != NULL && cfg->tick(st, now) < 0) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR, "msg=\"mailer: housekeeping failed\"");
	}
}

enum claim {
	CLAIM_FAILED = -1,
	CLAIM_NONE,
	CLAIM_SEND,
	CLAIM_DROPPED
};

/* Takes the next due row and commits it as `sending`. */
static enum claim
claim(struct store *st, time_t now, struct outbox_msg *m)
{
	enum claim c = CLAIM_SEND;
	time_t due;
	int rc;

	memset(m, 0, sizeof(*m));
	/* Nothing due: known from a read, without the write lock. */
	if ((rc = store_outbox_next_time(st, "email", &due)) == 0 ||
	    (rc > 0 && due > now))
		return CLAIM_NONE;
	if (store_begin(st) <= 0)
		return CLAIM_FAILED;
	rc = store_outbox_next_due(st, "email", now, m);
	if (rc < 0)
		c = CLAIM_FAILED;
	else if (rc == 0)
		c = CLAIM_NONE;
	if (c == CLAIM_SEND && m->body[0] == '\0') {
		rc = cfg->prepare ? cfg->prepare(st, m, now) : 0;
		if (rc < 0 || (rc > 0 && store_outbox_rewrite(st, m) <= 0))
			c = CLAIM_FAILED;
		else if (rc == 0) {
			/* Its recipient is gone: nothing to send. */
			c = CLAIM_DROPPED;
			if (!mailer_set_state(m, OUTBOX_SKIPPED,
			        "nothing to send: recipient gone") ||
			    store_outbox_set_state(st, m) <= 0)
				c = CLAIM_FAILED;
		}
	}
	if (c == CLAIM_SEND) {
		m->attempts++;
		m->claimed_at = now;
		if (!mailer_set_state(m, OUTBOX_SENDING, NULL) ||
		    store_outbox_set_state(st, m) <= 0)
			c = CLAIM_FAILED;
	}
	if (c == CLAIM_FAILED || c == CLAIM_NONE) {
		store_rollback(st);
		if (c == CLAIM_NONE)
			return c;
	} else if (store_commit(st) <= 0)
		c = CLAIM_FAILED;
	if (c == CLAIM_FAILED) {
		log_msg(LOG_ERROR, "msg=\"mailer: cannot claim a message\"");
		outbox_free(m);
	}
	return c;
}

/* Records the result of a try. */
static int
finish(struct store *st, struct outbox_msg *m, enum smtp_result res,
    const char *err)
{
	time_t now = cfg->now(), wait = mailer_backoff(m->attempts);
	int ok, tries;

	if (res == SMTP_SENT) {
		ok = mailer_set_state(m, OUTBOX_SENT, "");
		m->sent_at = now;
	} else if (res == SMTP_PERMFAIL || wait == 0) {
		ok = mailer_set_state(m, OUTBOX_DEAD, err);
	} else {
		ok = mailer_set_state(m, OUTBOX_FAILED, err);
		m->next_attempt_at = now + wait;
	}
	if (!ok)
		return 0;
	/* A sent message whose success is lost would go out again: worth a
	 * few tries. */
	for (tries = 0;; tries++) {
		if (store_begin(st) > 0) {
			if (store_outbox_set_state(st, m) > 0 &&
			    store_commit(st) > 0)
				break;
			store_rollback(st);
		}
		if (tries == 2 || !sleep_for(1, 0))
			return 0;
	}
	if (res == SMTP_SENT)
		log_msg(LOG_INFO,
		    "msg=\"mail sent\" id=%lld kind=%s "
		    "attempts=%d",
		    (long long)m->id, m->kind, m->attempts);
	else
		log_msg(LOG_WARN,
		    "msg=\"mail not sent\" id=%lld kind=%s "
		    "attempts=%d status=%s err=\"%s\"",
		    (long long)m->id, m->kind, m->attempts,
		    outbox_status_names[m->status], err);
	return 1;
}

enum round {
	ROUND_DONE,
	ROUND_STORE_FAILED,
	ROUND_PAUSED
};

/* Sends every due row, no faster than the rate, until a temporary
 * failure pauses the round. */
static enum round
send_due(struct store *st)
{
	static struct timespec last;
	double gap = 60.0 /
	    (cfg->rate_per_minute > 0 ? cfg->rate_per_minute : 60);
	struct outbox_msg m;
	enum smtp_result res;
	enum claim c;
	char err[512];

	for (;;) {
		struct timespec t;
		double since;

		if ((c = claim(st, cfg->now(), &m)) == CLAIM_NONE)
			return ROUND_DONE;
		if (c == CLAIM_FAILED)
			return ROUND_STORE_FAILED;
		if (c == CLAIM_DROPPED) {
			outbox_free(&m);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		since = (double)(t.tv_sec - last.tv_sec) +
		    (double)(t.tv_nsec - last.tv_nsec) / 1e9;
		if (last.tv_sec != 0 && since < gap &&
		    !sleep_for(gap - since, 0)) {
			/* Stopping: the claim is undone at the next start. */
			outbox_free(&m);
			return ROUND_DONE;
		}
		err[0] = '\0';
		res = smtp_send(&cfg->smtp, cfg->sender, m.recipient, m.body,
		    strlen(m.body), err, sizeof(err));
		clock_gettime(CLOCK_MONOTONIC, &last);
		if (!finish(st, &m, res, err)) {
			log_msg(LOG_ERROR,
			    "msg=\"mailer: cannot record a try\" "
			    "id=%lld",
			    (long long)m.id);
			outbox_free(&m);
			return ROUND_STORE_FAILED;
		}
		outbox_free(&m);
		if (res == SMTP_TEMPFAIL)
			return ROUND_PAUSED;
	}
}

static void *
run(void *arg)
{
	struct store *st = store_thread();
	time_t next, now;
	double wait;
	enum round r;

	(void)arg;
	if (st == NULL) {
		log_msg(LOG_ERROR, "msg=\"mailer: no database connection\"");
		return NULL;
	}
	for (;;) {
		now = cfg->now();
		housekeeping(st, now);
		r = cfg->smtp.host == NULL ? ROUND_DONE : send_due(st);
		wait = IDLE_WAIT_S;
		if (r == ROUND_STORE_FAILED)
			wait = ERROR_WAIT_S;
		else if (r == ROUND_PAUSED)
			wait = PAUSE_WAIT_S;
		else if (cfg->smtp.host != NULL &&
		    store_outbox_next_time(st, "email", &next) > 0) {
			now = cfg->now();
			wait = next <= now             ? 0.05
			    : next - now < IDLE_WAIT_S ? (double)(next - now)
			                               : IDLE_WAIT_S;
		}
		/* Housekeeping skipped this second: it runs in the next. */
		if (housekept != now && wait > 1)
			wait = 1;
		if (!sleep_for(wait, 1))
			break;
	}
	return NULL;
}

int
mailer_start(const struct mailer_config *c)
{
	pthread_condattr_t attr;
	struct store *st = store_thread();

	cfg = c;
	if (st == NULL || store_begin(st) <= 0)
		return 0;
	if (store_outbox_recover(st, "email", c->now()) < 0 ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR,
		    "msg=\"mailer: cannot recover claimed mail\"");
		return 0;
	}
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &attr);
	pthread_condattr_destroy(&attr);
	stopping = woken = 0;
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		log_msg(LOG_ERROR, "msg=\"mailer: cannot start its thread\"");
		pthread_cond_destroy(&cond);
		return 0;
	}
	running = 1;
	if (c->smtp.host == NULL)
		log_msg(LOG_WARN,
		    "msg=\"no smtp_host: mail stays in the "
		    "outbox\"");
	return 1;
}

void
mailer_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	pthread_cond_destroy(&cond);
	running = 0;
}
