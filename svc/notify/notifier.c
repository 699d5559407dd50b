/*
 * The sender threads of the channels beside e-mail: one for WeCom, one
 * for DingTalk, one for SMS (when configured). Each owns a store
 * connection and a curl handle and works its channel's rows exactly as
 * the mailer works e-mail: pending → sending (claimed, committed) →
 * sent, failed (back-off 1 min, 5 min, 30 min, 2 h, 12 h: mailer_backoff)
 * or dead with the last error. A claim is committed before the request
 * goes out, so a stop in between leaves the row `sending`; the next
 * start puts it back and it goes out again, with the same message id.
 *
 * Why not the mailer's thread: an SMTP server that stalls would hold
 * the group messages for its whole timeout, and a robot service that is
 * down would pause the mail. A thread per channel keeps each failure to
 * its own messages; they share the store, the back-off and the rules.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "../mail/mail.h"
#include "notify.h"

#define IDLE_WAIT_S 30
#define ERROR_WAIT_S 5
/* After a service was down or did not answer: one try a minute. */
#define PAUSE_WAIT_S 60

struct worker {
	enum notify_channel ch;
	pthread_t thread;
	int started, woken;
	struct nhttp *http;
	double gap;           /* seconds between two sends */
	struct timespec last; /* of the last send */
	time_t housekept;     /* the second of the last housekeeping */
};

static const struct notify_config *cfg;
static struct worker workers[] = {
    {.ch = NOTIFY_WECOM},
    {.ch = NOTIFY_DINGTALK},
    {.ch = NOTIFY_SMS},
};
#define NWORKERS (sizeof(workers) / sizeof(workers[0]))
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static int stopping, cond_ready;

void
notify_wake(void)
{
	size_t i;

	if (!cond_ready)
		return;
	pthread_mutex_lock(&lock);
	for (i = 0; i < NWORKERS; i++)
		workers[i].woken = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* Sleeps up to seconds, or until stopped (or woken, when wakeable).
 * Returns 0 once stopping. */
static int
sleep_for(struct worker *w, double seconds, int wakeable)
{
	struct timespec until;
	int alive;

	mailer_deadline(seconds, &until);
	pthread_mutex_lock(&lock);
	while (!stopping && !(wakeable && w->woken))
		if (pthread_cond_timedwait(&cond, &lock, &until) == ETIMEDOUT)
			break;
	if (wakeable)
		w->woken = 0;
	alive = !stopping;
	pthread_mutex_unlock(&lock);
	return alive;
}

static const char *
name_of(const struct worker *w)
{
	return notify_channels[w->ch];
}

/* Recovers this channel's unconfirmed claims, skips what expired and
 * queues what time causes: one transaction. */
static void
housekeeping(struct worker *w, struct store *st, time_t now)
{
	/* Once a second of the clock, not at every commit that queued
	 * something (as the mailer: svc/mail/mailer.c). */
	if (w->housekept == now)
		return;
	w->housekept = now;
	if (store_begin(st) <= 0)
		return;
	if (store_outbox_recover(st, name_of(w), now) < 0 ||
	    store_outbox_expire(st, now, "late: skipped, not sent late") < 0 ||
	    (cfg->tick != NULL && cfg->tick(st, w->ch, now) < 0) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR,
		    "msg=\"notify: housekeeping failed\" "
		    "channel=%s",
		    name_of(w));
	}
}

enum claim {
	CLAIM_FAILED = -1,
	CLAIM_NONE,
	CLAIM_SEND,
	CLAIM_DROPPED
};

static int
drop(struct store *st, struct outbox_msg *m, const char *why)
{
	return mailer_set_state(m, OUTBOX_SKIPPED, why) &&
	    store_outbox_set_state(st, m) > 0;
}

/* Takes the next due row of the channel and commits it as `sending`. */
static enum claim
claim(struct worker *w, struct store *st, time_t now, struct outbox_msg *m)
{
	enum claim c = CLAIM_SEND;
	time_t due;
	int rc;

	memset(m, 0, sizeof(*m));
	/* Nothing due: known from a read, without the write lock. */
	if ((rc = store_outbox_next_time(st, name_of(w), &due)) == 0 ||
	    (rc > 0 && due > now))
		return CLAIM_NONE;
	if (store_begin(st) <= 0)
		return CLAIM_FAILED;
	rc = store_outbox_next_due(st, name_of(w), now, m);
	if (rc < 0)
		c = CLAIM_FAILED;
	else if (rc == 0)
		c = CLAIM_NONE;
	if (c == CLAIM_SEND && m->body[0] == '\0') {
		rc = cfg->prepare ? cfg->prepare(st, m, now) : 0;
		if (rc < 0 || (rc > 0 && store_outbox_rewrite(st, m) <= 0))
			c = CLAIM_FAILED;
		else if (rc == 0) {
			c = CLAIM_DROPPED;
			if (!drop(st, m, "nothing to send"))
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
		log_msg(LOG_ERROR,
		    "msg=\"notify: cannot claim a message\" "
		    "channel=%s",
		    name_of(w));
		outbox_free(m);
	}
	return c;
}

/* What became of a try: a service's answer, or a reason not to send. */
enum outcome {
	OUT_SENT,
	OUT_RETRY,
	OUT_DOWN,
	OUT_DEAD,
	OUT_SKIP
};

static enum outcome
outcome_of(enum notify_result r)
{
	switch (r) {
	case NOTIFY_SENT:
		return OUT_SENT;
	case NOTIFY_DOWN:
		return OUT_DOWN;
	case NOTIFY_DEAD:
		return OUT_DEAD;
	case NOTIFY_RETRY:
	default:
		return OUT_RETRY;
	}
}

/* Records the result of a try (a few attempts: a sent message whose
 * success is lost would go out again). */
static int
finish(struct worker *w, struct store *st, struct outbox_msg *m, enum outcome o,
    const char *err)
{
	time_t now = cfg->now(), wait = mailer_backoff(m->attempts);
	int ok, tries;

	if (o == OUT_SENT) {
		ok = mailer_set_state(m, OUTBOX_SENT, "");
		m->sent_at = now;
	} else if (o == OUT_SKIP) {
		ok = mailer_set_state(m, OUTBOX_SKIPPED, err);
	} else if (o == OUT_DEAD || wait == 0) {
		ok = mailer_set_state(m, OUTBOX_DEAD, err);
	} else {
		ok = mailer_set_state(m, OUTBOX_FAILED, err);
		m->next_attempt_at = now + wait;
	}
	if (!ok)
		return 0;
	for (tries = 0;; tries++) {
		if (store_begin(st) > 0) {
			if (store_outbox_set_state(st, m) > 0 &&
			    store_commit(st) > 0)
				break;
			store_rollback(st);
		}
		if (tries == 2 || !sleep_for(w, 1, 0))
			return 0;
	}
	if (o == OUT_SENT)
		log_msg(LOG_INFO,
		    "msg=\"message sent\" channel=%s id=%lld "
		    "kind=%s attempts=%d",
		    name_of(w), (long long)m->id, m->kind, m->attempts);
	else
		log_msg(LOG_WARN,
		    "msg=\"message not sent\" channel=%s id=%lld "
		    "kind=%s attempts=%d status=%s err=\"%s\"",
		    name_of(w), (long long)m->id, m->kind, m->attempts,
		    outbox_status_names[m->status], err);
	return 1;
}

/* The SMS rules checked when a message is due: the participant may have
 * refused SMS since, and a number gets at most daily_limit a day. */
static enum outcome
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
				return OUT_SKIP;
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
			return OUT_SKIP;
		}
	}
	return OUT_SENT;
fail:
	snprintf(err, sz, "store failure");
	return OUT_RETRY;
}

static enum outcome
send_one(struct worker *w, struct store *st, struct outbox_msg *m, char *err,
    size_t sz)
{
	struct robot r;
	enum outcome o;
	int rc;

	if (w->ch == NOTIFY_SMS) {
		if ((o = sms_allowed(st, m, err, sz)) != OUT_SENT)
			return o;
		return outcome_of(notify_send_sms(w->http, &cfg->sms, m, err,
		    sz));
	}
	/* A robot row names its robot; the webhook and secret are read now,
	 * so a corrected key applies to what is waiting. */
	if ((rc = store_robot_get(st, m->station_id, m->channel, &r)) < 0) {
		snprintf(err, sz, "store failure");
		return OUT_RETRY;
	}
	if (rc == 0 || !r.active) {
		if (rc > 0)
			robot_free(&r);
		snprintf(err, sz, "the robot was removed or turned off");
		return OUT_SKIP;
	}
	o = outcome_of(notify_send_robot(w->http, cfg, &r, m, err, sz));
	robot_free(&r);
	return o;
}

enum round {
	ROUND_DONE,
	ROUND_STORE_FAILED,
	ROUND_PAUSED
};

static enum round
send_due(struct worker *w, struct store *st)
{
	struct outbox_msg m;
	enum outcome o;
	enum claim c;
	char err[512];

	for (;;) {
		struct timespec t;
		double since;

		if ((c = claim(w, st, cfg->now(), &m)) == CLAIM_NONE)
			return ROUND_DONE;
		if (c == CLAIM_FAILED)
			return ROUND_STORE_FAILED;
		if (c == CLAIM_DROPPED) {
			outbox_free(&m);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		since = (double)(t.tv_sec - w->last.tv_sec) +
		    (double)(t.tv_nsec - w->last.tv_nsec) / 1e9;
		if (w->last.tv_sec != 0 && since < w->gap &&
		    !sleep_for(w, w->gap - since, 0)) {
			/* Stopping: the claim is undone at the next start. */
			outbox_free(&m);
			return ROUND_DONE;
		}
		err[0] = '\0';
		o = send_one(w, st, &m, err, sizeof(err));
		if (o != OUT_SKIP)
			clock_gettime(CLOCK_MONOTONIC, &w->last);
		if (!finish(w, st, &m, o, err)) {
			log_msg(LOG_ERROR,
			    "msg=\"notify: cannot record a try\" "
			    "channel=%s id=%lld",
			    name_of(w), (long long)m.id);
			outbox_free(&m);
			return ROUND_STORE_FAILED;
		}
		outbox_free(&m);
		if (o == OUT_DOWN)
			return ROUND_PAUSED;
	}
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct store *st = store_thread();
	time_t next, now;
	double wait;
	enum round r;

	if (st == NULL) {
		log_msg(LOG_ERROR,
		    "msg=\"notify: no database connection\" "
		    "channel=%s",
		    name_of(w));
		return NULL;
	}
	for (;;) {
		now = cfg->now();
		housekeeping(w, st, now);
		r = send_due(w, st);
		wait = IDLE_WAIT_S;
		if (r == ROUND_STORE_FAILED)
			wait = ERROR_WAIT_S;
		else if (r == ROUND_PAUSED)
			wait = PAUSE_WAIT_S;
		else if (store_outbox_next_time(st, name_of(w), &next) > 0) {
			now = cfg->now();
			wait = next <= now             ? 0.05
			    : next - now < IDLE_WAIT_S ? (double)(next - now)
			                               : IDLE_WAIT_S;
		}
		if (w->housekept != now && wait > 1)
			wait = 1;
		if (!sleep_for(w, wait, 1))
			break;
	}
	return NULL;
}

static int
enabled(const struct worker *w)
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

int
notify_start(const struct notify_config *c)
{
	pthread_condattr_t attr;
	struct store *st = store_thread();
	size_t i;

	cfg = c;
	if (st == NULL || store_begin(st) <= 0)
		return 0;
	/* A channel turned off since its rows were queued sends nothing:
	 * they are skipped, not left pending for ever. */
	for (i = 0; i < NWORKERS; i++)
		if ((enabled(&workers[i])
		            ? store_outbox_recover(st, name_of(&workers[i]),
		                  c->now())
		            : store_outbox_skip_channel(st,
		                  name_of(&workers[i]),
		                  "the channel is turned off in the "
		                  "configuration")) < 0)
			break;
	if (i < NWORKERS || store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR,
		    "msg=\"notify: cannot recover claimed "
		    "messages\"");
		return 0;
	}
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &attr);
	pthread_condattr_destroy(&attr);
	cond_ready = 1;
	stopping = 0;
	for (i = 0; i < NWORKERS; i++) {
		struct worker *w = &workers[i];
		int rate = w->ch == NOTIFY_SMS ? c->sms.rate_per_minute
		                               : c->robot_rate;

		w->started = w->woken = 0;
		memset(&w->last, 0, sizeof(w->last));
		if (!enabled(w))
			continue;
		w->gap = 60.0 / (rate > 0 ? rate : 20);
		if ((w->http = nhttp_new(c->ca_file, c->timeout_ms)) == NULL ||
		    pthread_create(&w->thread, NULL, run, w) != 0) {
			log_msg(LOG_ERROR,
			    "msg=\"notify: cannot start\" "
			    "channel=%s",
			    name_of(w));
			nhttp_free(w->http);
			w->http = NULL;
			notify_stop();
			return 0;
		}
		w->started = 1;
		log_msg(LOG_INFO, "msg=\"notify: sending\" channel=%s",
		    name_of(w));
	}
	return 1;
}

void
notify_stop(void)
{
	size_t i;

	if (!cond_ready)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < NWORKERS; i++) {
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
		workers[i].started = 0;
		nhttp_free(workers[i].http);
		workers[i].http = NULL;
	}
	cond_ready = 0;
	pthread_cond_destroy(&cond);
}
