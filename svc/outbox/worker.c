/*
 * The outbox worker (worker.h): claim a due row, hand it to the
 * channel's send function, record sent / retry at back-off / dead with
 * the last error; recover unconfirmed claims at start and in each
 * second's housekeeping. A claim is this instance's (outbox_instance)
 * for a lease; another live instance takes it back once that has run
 * out.
 */
#include <errno.h>
#include <stdatomic.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "worker.h"

/* How long the thread sleeps with nothing due: what time causes (the
 * weekly summaries) is at most this late. */
#define IDLE_WAIT_S 30
/* After a store failure, before trying again. */
#define ERROR_WAIT_S 5
/* After a service was down or did not answer (each try can take the
 * whole timeout): one try a minute, not one per queued message. */
#define PAUSE_WAIT_S 60
/* With nothing due, the connection is kept this long in case work
 * comes: a burst of mail due now wakes the worker at each commit, and
 * closing after every round made each of them pay a new connection, a
 * schema parse and a malloc_trim (half the server's CPU per
 * registration under load, when each registration woke it). */
#define LINGER_S 3

/* The worker works a round (round_at), no wake came (wake_due). */
#define WORKING INT64_MAX
#define NO_WAKE INT64_MAX
/* The due time of a wake without one: at once. */
#define AT_ONCE INT64_MIN

enum slept {
	SLEPT_STOPPING,
	SLEPT_TIMED_OUT,
	SLEPT_WOKEN
};

/* The lease of new claims, seconds (outbox_worker_set_lease). */
static atomic_int lease_s = OUTBOX_LEASE_DEFAULT;
static pthread_once_t instance_once = PTHREAD_ONCE_INIT;
static char instance_id[17];

static void
instance_make(void)
{
	secret_token(instance_id, 8);
	log_msg(LOG_INFO, "msg=\"outbox: this instance\" instance=%s",
	    instance_id);
}

const char *
outbox_instance(void)
{
	pthread_once(&instance_once, instance_make);
	return instance_id;
}

void
outbox_worker_set_lease(int seconds)
{
	atomic_store(&lease_s, seconds);
}

/* The CLOCK_MONOTONIC instant seconds from now. */
static void
deadline(double seconds, struct timespec *until)
{
	clock_gettime(CLOCK_MONOTONIC, until);
	until->tv_sec += (time_t)seconds;
	until->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (until->tv_nsec >= 1000000000L) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000L;
	}
}

/* Sleeps up to seconds, or until stopped; or, when round_at is not
 * WORKING, until woken for work due before round_at (the service
 * clock's second the next round is planned for: the sleeps between
 * rounds), a wake during the round before included. SLEPT_STOPPING (0)
 * once the worker is stopping. */
static enum slept
sleep_for(struct outbox_worker *w, double seconds, int64_t round_at)
{
	struct timespec until;
	enum slept how = SLEPT_TIMED_OUT;
	int wakeable = round_at != WORKING;

	deadline(seconds, &until);
	pthread_mutex_lock(&w->lock);
	if (wakeable) {
		w->round_at = round_at;
		if (w->wake_due < round_at)
			w->woken = 1;
		w->wake_due = NO_WAKE;
	}
	while (!w->stopping && !(wakeable && w->woken))
		if (pthread_cond_timedwait(&w->cond, &w->lock, &until) ==
		    ETIMEDOUT)
			break;
	if (wakeable && w->woken)
		how = SLEPT_WOKEN;
	if (wakeable) {
		w->woken = 0;
		w->round_at = WORKING;
	}
	if (w->stopping)
		how = SLEPT_STOPPING;
	pthread_mutex_unlock(&w->lock);
	return how;
}

/* Sets m's state, and its last error to a copy of err unless err is
 * NULL; 0 when out of memory. */
static int
set_state(struct outbox_msg *m, enum outbox_status status, const char *err)
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

void
outbox_worker_init(struct outbox_worker *w, const struct outbox_channel *ch)
{
	pthread_condattr_t attr;

	memset(w, 0, sizeof(*w));
	w->ch = ch;
	w->housekept = -1;
	w->round_at = WORKING; /* the first round is at the start */
	w->wake_due = NO_WAKE;
	snprintf(w->instance, sizeof(w->instance), "%s", outbox_instance());
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	w->ready = 1;
}

/* Logs the claims a recovery put back to pending, if any. */
static void
taken_back(const struct outbox_worker *w, int n, const char *when)
{
	if (n > 0)
		log_msg(LOG_WARN,
		    "msg=\"outbox: claims taken back, to send again\" "
		    "channel=%s count=%d when=%s instance=%s",
		    w->ch->name, n, when, w->instance);
}

int
outbox_worker_recover(struct outbox_worker *w, struct store *st)
{
	const struct outbox_channel *ch = w->ch;
	int n;

	if (st != NULL && store_begin(st) > 0) {
		if ((n = store_outbox_recover(st, ch->name, ch->now(),
		         w->instance, 1)) >= 0 &&
		    store_commit(st) > 0) {
			taken_back(w, n, "start");
			return 1;
		}
		store_rollback(st);
	}
	log_msg(LOG_ERROR,
	    "msg=\"outbox: cannot recover claimed messages\" channel=%s",
	    ch->name);
	return 0;
}

/* Skips what expired, queues what time causes and recovers what is
 * still `sending` under a claim that is over (one of this instance's:
 * this thread is its only sender of the channel and has nothing in
 * flight now, a result that could not be recorded; or another
 * instance's whose lease ran out: it died or hangs), in one
 * transaction, once a second of the clock: not at each commit that
 * queued something (a burst of registrations wakes the worker hundreds
 * of times a second, each of which took the write lock here). */
static void
housekeeping(struct outbox_worker *w, struct store *st, time_t now)
{
	const struct outbox_channel *ch = w->ch;
	int n;

	if (w->housekept == now)
		return;
	w->housekept = now;
	if (store_begin(st) <= 0)
		return;
	if ((n = store_outbox_recover(st, ch->name, now, w->instance, 0)) < 0 ||
	    store_outbox_expire(st, now, "late: skipped, not sent late") < 0 ||
	    (ch->tick != NULL && ch->tick(st, ch, now) < 0) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		log_msg(LOG_ERROR,
		    "msg=\"outbox: housekeeping failed\" channel=%s", ch->name);
	} else
		taken_back(w, n, "housekeeping");
}

/* A row queued without a body gets it now; one with nothing to send is
 * skipped, one that cannot be built is dead with why. */
static enum outbox_claim
prepare(const struct outbox_channel *ch, struct store *st, time_t now,
    struct outbox_msg *m)
{
	int rc = ch->prepare ? ch->prepare(st, m, now) : OUTBOX_BUILT_NONE;
	int ok;

	if (rc == OUTBOX_BUILT)
		return store_outbox_rewrite(st, m) > 0 ? OUTBOX_CLAIM_SEND
		                                       : OUTBOX_CLAIM_FAILED;
	if (rc == OUTBOX_BUILT_BROKEN)
		ok = set_state(m, OUTBOX_DEAD,
		    m->last_error != NULL && m->last_error[0] != '\0'
		        ? NULL
		        : "the message cannot be built");
	else if (rc == OUTBOX_BUILT_NONE)
		ok = set_state(m, OUTBOX_SKIPPED, ch->empty);
	else
		return OUTBOX_CLAIM_FAILED;
	if (!ok || store_outbox_set_state(st, m) <= 0)
		return OUTBOX_CLAIM_FAILED;
	if (rc == OUTBOX_BUILT_BROKEN)
		log_msg(LOG_WARN,
		    "msg=\"%s not sent\" channel=%s id=%lld kind=%s "
		    "status=dead err=\"%s\"",
		    ch->noun, ch->name, (long long)m->id, m->kind,
		    m->last_error);
	return OUTBOX_CLAIM_DROPPED;
}

enum outbox_claim
outbox_worker_claim(struct outbox_worker *w, struct store *st, time_t now,
    struct outbox_msg *m)
{
	const struct outbox_channel *ch = w->ch;
	enum outbox_claim c = OUTBOX_CLAIM_SEND;
	time_t due;
	int rc;

	memset(m, 0, sizeof(*m));
	/* Nothing due: known from a read, without the write lock. */
	if ((rc = store_outbox_next_time(st, ch->name, &due)) == 0 ||
	    (rc > 0 && due > now))
		return OUTBOX_CLAIM_NONE;
	/* PostgreSQL: the row is locked (FOR UPDATE SKIP LOCKED), no
	 * other lock is taken; SQLite: BEGIN IMMEDIATE. */
	if (store_begin_rows(st) <= 0)
		return OUTBOX_CLAIM_FAILED;
	rc = store_outbox_next_due(st, ch->name, now, m);
	if (rc < 0)
		c = OUTBOX_CLAIM_FAILED;
	else if (rc == 0)
		c = OUTBOX_CLAIM_NONE;
	if (c == OUTBOX_CLAIM_SEND && m->body[0] == '\0')
		c = prepare(ch, st, now, m);
	if (c == OUTBOX_CLAIM_SEND) {
		m->attempts++;
		m->claimed_at = now;
		m->lease_until = outbox_lease_end(now, atomic_load(&lease_s));
		free(m->claimed_by);
		if ((m->claimed_by = strdup(w->instance)) == NULL ||
		    !set_state(m, OUTBOX_SENDING, NULL) ||
		    (rc = store_outbox_claim(st, m)) < 0)
			c = OUTBOX_CLAIM_FAILED;
		else if (rc == 0) /* no longer due: claimed meanwhile */
			c = OUTBOX_CLAIM_NONE;
	}
	if (c == OUTBOX_CLAIM_FAILED || c == OUTBOX_CLAIM_NONE) {
		store_rollback(st);
		if (c == OUTBOX_CLAIM_NONE) {
			outbox_free(m);
			return c;
		}
	} else if (store_commit(st) <= 0)
		c = OUTBOX_CLAIM_FAILED;
	if (c == OUTBOX_CLAIM_FAILED) {
		log_msg(LOG_ERROR,
		    "msg=\"outbox: cannot claim a message\" channel=%s",
		    ch->name);
		outbox_free(m);
	}
	return c;
}

int
outbox_worker_finish(struct outbox_worker *w, struct store *st,
    struct outbox_msg *m, enum outbox_try t, const char *err)
{
	const struct outbox_channel *ch = w->ch;
	time_t now = ch->now();
	enum outbox_status s;
	int tries, rc = 0;

	s = outbox_after_try(t, m->attempts, now, &m->next_attempt_at);
	if (!set_state(m, s, s == OUTBOX_SENT ? "" : err))
		return 0;
	if (s == OUTBOX_SENT)
		m->sent_at = now;
	for (tries = 0;; tries++) {
		if (store_begin_rows(st) > 0) {
			if ((rc = store_outbox_finish(st, m)) >= 0 &&
			    store_commit(st) > 0)
				break;
			store_rollback(st);
		}
		if (tries == 2 || !sleep_for(w, 1, WORKING))
			return 0;
	}
	if (rc == 0)
		log_msg(LOG_WARN,
		    "msg=\"%s: claim lost before its result was recorded\" "
		    "channel=%s id=%lld kind=%s instance=%s result=%s",
		    ch->noun, ch->name, (long long)m->id, m->kind, w->instance,
		    outbox_status_names[m->status]);
	else if (s == OUTBOX_SENT)
		log_msg(LOG_INFO,
		    "msg=\"%s sent\" channel=%s id=%lld kind=%s attempts=%d",
		    ch->noun, ch->name, (long long)m->id, m->kind, m->attempts);
	else
		log_msg(LOG_WARN,
		    "msg=\"%s not sent\" channel=%s id=%lld kind=%s "
		    "attempts=%d status=%s err=\"%s\"",
		    ch->noun, ch->name, (long long)m->id, m->kind, m->attempts,
		    outbox_status_names[m->status], err);
	return 1;
}

/* Waits out the gap since the last send; 0 once stopping. */
static int
keep_rate(struct outbox_worker *w)
{
	struct timespec t;
	double since;

	clock_gettime(CLOCK_MONOTONIC, &t);
	since = (double)(t.tv_sec - w->last.tv_sec) +
	    (double)(t.tv_nsec - w->last.tv_nsec) / 1e9;
	return w->last.tv_sec == 0 || since >= w->ch->gap ||
	    sleep_for(w, w->ch->gap - since, WORKING);
}

static enum outbox_round
send_due(struct outbox_worker *w, struct store *st)
{
	const struct outbox_channel *ch = w->ch;
	struct outbox_msg m;
	enum outbox_claim c;
	enum outbox_try t;
	char err[512];

	for (;;) {
		/* The gap is waited out before the claim: a claim is sent at
		 * once, with its whole lease ahead. */
		if (!keep_rate(w))
			return OUTBOX_ROUND_DONE; /* stopping */
		if ((c = outbox_worker_claim(w, st, ch->now(), &m)) ==
		    OUTBOX_CLAIM_NONE)
			return OUTBOX_ROUND_DONE;
		if (c == OUTBOX_CLAIM_FAILED)
			return OUTBOX_ROUND_STORE_FAILED;
		if (c == OUTBOX_CLAIM_DROPPED) {
			outbox_free(&m);
			continue;
		}
		err[0] = '\0';
		t = ch->send(ch, st, &m, err, sizeof(err));
		if (t != OUTBOX_TRY_SKIP)
			clock_gettime(CLOCK_MONOTONIC, &w->last);
		if (!outbox_worker_finish(w, st, &m, t, err)) {
			log_msg(LOG_ERROR,
			    "msg=\"outbox: cannot record a try\" channel=%s "
			    "id=%lld",
			    ch->name, (long long)m.id);
			outbox_free(&m);
			return OUTBOX_ROUND_STORE_FAILED;
		}
		outbox_free(&m);
		if (t == OUTBOX_TRY_DOWN)
			return OUTBOX_ROUND_PAUSED;
	}
}

enum outbox_round
outbox_worker_round(struct outbox_worker *w, struct store *st)
{
	housekeeping(w, st, w->ch->now());
	return w->ch->send == NULL ? OUTBOX_ROUND_DONE : send_due(w, st);
}

/* How long to sleep after a round. */
static double
wait_after(struct outbox_worker *w, struct store *st, enum outbox_round r)
{
	const struct outbox_channel *ch = w->ch;
	time_t next, now;
	double wait = IDLE_WAIT_S;

	if (r == OUTBOX_ROUND_STORE_FAILED)
		wait = ERROR_WAIT_S;
	else if (r == OUTBOX_ROUND_PAUSED)
		wait = PAUSE_WAIT_S;
	else if (ch->send != NULL &&
	    store_outbox_next_time(st, ch->name, &next) > 0) {
		now = ch->now();
		wait = next <= now             ? 0.05
		    : next - now < IDLE_WAIT_S ? (double)(next - now)
		                               : IDLE_WAIT_S;
	}
	/* Housekeeping skipped this second: it runs in the next. */
	if (w->housekept != ch->now() && wait > 1)
		wait = 1;
	return wait;
}

static void *
run(void *arg)
{
	struct outbox_worker *w = arg;
	struct store *st = store_thread();
	enum outbox_round r;
	enum slept how_slept;
	double wait;
	int64_t round_at; /* the service clock's second of the next round */
	int woken = 0;    /* this round came from a wake */

	if (st == NULL) {
		log_msg(LOG_ERROR,
		    "msg=\"outbox: no database connection\" channel=%s",
		    w->ch->name);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&w->lock);
		w->rounds++;
		pthread_mutex_unlock(&w->lock);
		r = outbox_worker_round(w, st);
		wait = wait_after(w, st, r);
		/* Wakes for work due at round_at or later change nothing: the
		 * round is then (the linger below included). */
		round_at = (int64_t)w->ch->now() + (int64_t)wait;
		/* Memory (issue 15): nothing due for a while, so the SQLite
		 * connection goes (about 350 KB each: three such threads idle
		 * by default) and the next round opens one — at once after
		 * the start or a timed round, after LINGER_S without a wake
		 * when a wake (new work) brought this round. */
		if (wait >= IDLE_WAIT_S) {
			enum slept how = woken
			    ? sleep_for(w, LINGER_S, round_at)
			    : SLEPT_TIMED_OUT;

			if (how == SLEPT_STOPPING)
				break;
			if (how == SLEPT_WOKEN)
				continue;
			store_thread_idle();
			malloc_trim(0);
			st = NULL; /* store_thread: the same on PostgreSQL */
			if (woken)
				wait -= LINGER_S;
		}
		if ((how_slept = sleep_for(w, wait, round_at)) ==
		    SLEPT_STOPPING)
			break;
		woken = how_slept == SLEPT_WOKEN;
		while (st == NULL && (st = store_thread()) == NULL) {
			log_msg(LOG_ERROR,
			    "msg=\"outbox: no database connection\" "
			    "channel=%s",
			    w->ch->name);
			if (!sleep_for(w, ERROR_WAIT_S,
			        (int64_t)w->ch->now() + ERROR_WAIT_S))
				return NULL;
		}
	}
	return NULL;
}

int
outbox_worker_start(struct outbox_worker *w, const struct outbox_channel *ch)
{
	outbox_worker_init(w, ch);
	if (!outbox_worker_recover(w, store_thread()))
		return 0;
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		log_msg(LOG_ERROR,
		    "msg=\"outbox: cannot start its thread\" channel=%s",
		    ch->name);
		return 0;
	}
	w->running = 1;
	return 1;
}

/* Sets one of w's flags (woken, stopping) under its lock and tells the
 * thread. */
static void
tell(struct outbox_worker *w, int *flag)
{
	pthread_mutex_lock(&w->lock);
	*flag = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* A wake for work due at due (AT_ONCE: whatever is due): it ends the
 * thread's sleep when the work is due before the round it planned;
 * during a round it is kept for the sleep after it. */
static void
wake_for(struct outbox_worker *w, int64_t due)
{
	if (!w->ready)
		return;
	pthread_mutex_lock(&w->lock);
	if (w->round_at == WORKING) {
		if (due < w->wake_due)
			w->wake_due = due;
	} else if (due < w->round_at) {
		w->woken = 1;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

void
outbox_worker_wake(struct outbox_worker *w)
{
	wake_for(w, AT_ONCE);
}

void
outbox_worker_wake_due(struct outbox_worker *w, time_t due)
{
	wake_for(w, (int64_t)due);
}

long
outbox_worker_rounds(struct outbox_worker *w)
{
	long n;

	pthread_mutex_lock(&w->lock);
	n = w->rounds;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
outbox_worker_stop(struct outbox_worker *w)
{
	if (!w->running)
		return;
	tell(w, &w->stopping);
	pthread_join(w->thread, NULL);
	w->running = 0;
}
