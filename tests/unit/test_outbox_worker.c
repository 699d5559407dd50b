/*
 * Unit tests of the outbox worker (svc/outbox/worker.c) and its pure
 * decisions (svc/core/outbox.c): the back-off schedule, dead after the
 * last try, a claimed row released on restart, a row with nothing to send
 * skipped, one that cannot be built dead, a service that is down
 * pausing the round. The worker runs without its thread, over a real
 * SQLite file, on a fake clock, with a send function that answers what
 * each test asks.
 *
 * Claims across instances (issue 16 item 3): two workers with instance
 * ids of their own play two Hearth instances on one database — a live
 * lease is never taken back, one that ran out is, the first claimer's
 * late result is not recorded over the second's, no row is claimed
 * twice, what time queues is queued once. With HEARTH_TEST_PG set to a
 * libpq URI every test runs on PostgreSQL instead (an emptied database
 * each), and a row locked by another connection is passed over (FOR
 * UPDATE SKIP LOCKED).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "../lib/unit_store.h"
#include "outbox/worker.h"

#define T0 1772413200 /* 2026-03-02 01:00 UTC */

static const char *pg_uri; /* HEARTH_TEST_PG */
static time_t clock_now;
static enum outbox_try answer; /* what the fake service answers */
static int sends;              /* how many rows it was handed */
static int prepared;           /* what prepare returns */

static time_t
fake_now(void)
{
	return clock_now;
}

static enum outbox_try
fake_send(const struct outbox_channel *ch, struct store *st,
    const struct outbox_msg *m, char *err, size_t errsz)
{
	struct outbox_msg seen;

	(void)ch;
	/* The claim is committed before the message goes out. */
	assert_int_equal(store_outbox_get(st, m->id, &seen), 1);
	assert_int_equal(seen.status, OUTBOX_SENDING);
	assert_int_equal(seen.attempts, m->attempts);
	outbox_free(&seen);
	sends++;
	if (answer != OUTBOX_TRY_SENT)
		snprintf(err, errsz, "451 try %d refused", sends);
	return answer;
}

static int
fake_prepare(struct store *st, struct outbox_msg *m, time_t now)
{
	(void)st;
	(void)now;
	if (prepared == OUTBOX_BUILT_BROKEN) {
		free(m->last_error);
		m->last_error = strdup("cannot build the message: test");
		assert_non_null(m->last_error);
	} else if (prepared > 0) {
		free(m->body);
		m->body = strdup("Subject: built at send time\r\n\r\nhi\r\n");
		assert_non_null(m->body);
	}
	return prepared;
}

static const struct outbox_channel channel = {
    .name = "email",
    .noun = "mail",
    .empty = "nothing to send: recipient gone",
    .gap = 0,
    .now = fake_now,
    .prepare = fake_prepare,
    .send = fake_send,
};

struct fix {
	struct unit_db db;
	struct store *st;
	struct outbox_worker w;
};

static void quiet_log(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
quiet_log(enum log_level l, const char *fmt, ...)
{
	(void)l;
	(void)fmt;
}

static int
setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	if ((f.st = unit_db_fresh(&f.db, "outbox", quiet_log)) == NULL)
		return -1;
	log_set_level(LOG_ERROR);
	clock_now = T0;
	answer = OUTBOX_TRY_SENT;
	sends = 0;
	prepared = 1;
	outbox_worker_init(&f.w, &channel);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	unit_db_close(&f->db);
	return 0;
}

/* Queues a due e-mail row (body "" = built when due); its id. */
static int64_t
queue(struct store *st, const char *key, const char *body)
{
	int64_t id = 0;

	assert_true(store_begin(st) > 0);
	assert_true(unit_outbox_put(st, key, body, clock_now, &id) > 0);
	assert_true(store_commit(st) > 0);
	return id;
}

static struct outbox_msg
row(struct store *st, int64_t id)
{
	struct outbox_msg m;

	assert_int_equal(store_outbox_get(st, id, &m), 1);
	return m;
}

/* Row id is in status after attempts tries, with err as its last error
 * (unless err is NULL). */
static void
expect(struct store *st, int64_t id, enum outbox_status status, int attempts,
    const char *err)
{
	struct outbox_msg m = row(st, id);

	assert_int_equal(m.status, status);
	assert_int_equal(m.attempts, attempts);
	if (err != NULL)
		assert_string_equal(m.last_error, err);
	outbox_free(&m);
}

/* --- the pure decisions -------------------------------------------------- */

static void
test_backoff_schedule(void **state)
{
	static const time_t want[] = {60, 300, 1800, 7200, 43200};
	int i;

	(void)state;
	assert_int_equal(outbox_backoff(0), 0);
	assert_int_equal(outbox_backoff(-1), 0);
	for (i = 1; i <= 5; i++)
		assert_int_equal(outbox_backoff(i), want[i - 1]);
	assert_int_equal(outbox_backoff(6), 0);
	assert_int_equal(outbox_backoff(1000), 0);
}

static void
test_after_try(void **state)
{
	time_t next = 0;
	int i;

	(void)state;
	assert_int_equal(outbox_after_try(OUTBOX_TRY_SENT, 1, T0, &next),
	    OUTBOX_SENT);
	assert_int_equal(outbox_after_try(OUTBOX_TRY_SKIP, 1, T0, &next),
	    OUTBOX_SKIPPED);
	assert_int_equal(outbox_after_try(OUTBOX_TRY_DEAD, 1, T0, &next),
	    OUTBOX_DEAD);
	assert_int_equal(next, 0); /* untouched but for a retry */
	for (i = 1; i <= 5; i++) {
		assert_int_equal(outbox_after_try(OUTBOX_TRY_RETRY, i, T0,
		                     &next),
		    OUTBOX_FAILED);
		assert_int_equal(next, T0 + outbox_backoff(i));
		next = 0;
		assert_int_equal(outbox_after_try(OUTBOX_TRY_DOWN, i, T0,
		                     &next),
		    OUTBOX_FAILED);
		assert_int_equal(next, T0 + outbox_backoff(i));
	}
	/* The sixth failure is the last. */
	next = 0;
	assert_int_equal(outbox_after_try(OUTBOX_TRY_RETRY, 6, T0, &next),
	    OUTBOX_DEAD);
	assert_int_equal(outbox_after_try(OUTBOX_TRY_DOWN, 6, T0, &next),
	    OUTBOX_DEAD);
	assert_int_equal(next, 0);
}

/* --- the worker over a real store ------------------------------------------ */

static void
test_sent(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "k1", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_msg m;

	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	m = row(f->st, id);
	assert_int_equal(m.status, OUTBOX_SENT);
	assert_int_equal(m.attempts, 1);
	assert_int_equal(m.sent_at, T0);
	assert_string_equal(m.last_error, "");
	outbox_free(&m);
	/* Nothing more to claim. */
	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_NONE);
}

/* Retried at 1 min, 5 min, 30 min, 2 h, 12 h, then dead with the last
 * error; never tried before its time. */
static void
test_retry_then_dead(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "k2", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_msg m;
	char want[64];
	int i;

	answer = OUTBOX_TRY_RETRY;
	for (i = 1; i <= 5; i++) {
		assert_int_equal(outbox_worker_round(&f->w, f->st),
		    OUTBOX_ROUND_DONE);
		assert_int_equal(sends, i);
		m = row(f->st, id);
		assert_int_equal(m.status, OUTBOX_FAILED);
		assert_int_equal(m.attempts, i);
		assert_int_equal(m.next_attempt_at,
		    clock_now + outbox_backoff(i));
		snprintf(want, sizeof(want), "451 try %d refused", i);
		assert_string_equal(m.last_error, want);
		outbox_free(&m);
		/* A second before its time: not tried. */
		clock_now += outbox_backoff(i) - 1;
		assert_int_equal(outbox_worker_round(&f->w, f->st),
		    OUTBOX_ROUND_DONE);
		assert_int_equal(sends, i);
		clock_now++;
	}
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 6);
	expect(f->st, id, OUTBOX_DEAD, 6, "451 try 6 refused");
	clock_now += 86400;
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 6);
}

/* A permanent refusal is dead at once. */
static void
test_dead_at_once(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "k3", "Subject: x\r\n\r\nbody\r\n");

	answer = OUTBOX_TRY_DEAD;
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	expect(f->st, id, OUTBOX_DEAD, 1, "451 try 1 refused");
}

/* A claim a stop left unconfirmed (the process died while the message
 * was out) is released by the next start and sent again. */
static void
test_claim_released_on_restart(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "k4", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_msg m, got;

	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	assert_int_equal(m.id, id);
	outbox_free(&m);
	got = row(f->st, id);
	assert_int_equal(got.status, OUTBOX_SENDING);
	assert_int_equal(got.attempts, 1);
	assert_int_equal(got.claimed_at, T0);
	outbox_free(&got);
	/* Claimed: another claim does not take it again. */
	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_NONE);

	/* The restart. */
	clock_now += 30;
	outbox_worker_init(&f->w, &channel);
	assert_int_equal(outbox_worker_recover(&f->w, f->st), 1);
	got = row(f->st, id);
	assert_int_equal(got.status, OUTBOX_PENDING);
	assert_int_equal(got.attempts, 1);
	assert_int_equal(got.next_attempt_at, clock_now);
	outbox_free(&got);
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	expect(f->st, id, OUTBOX_SENT, 2, NULL);
}

/* A row queued without a body is built when claimed; one that cannot be
 * built (nothing to send) is skipped with the channel's reason. */
static void
test_prepare(void **state)
{
	struct fix *f = *state;
	int64_t a = queue(f->st, "k5", ""), b;
	struct outbox_msg m;

	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	m = row(f->st, a);
	assert_int_equal(m.status, OUTBOX_SENT);
	assert_string_equal(m.body,
	    "Subject: built at send time\r\n\r\nhi\r\n");
	outbox_free(&m);

	prepared = 0;
	b = queue(f->st, "k6", "");
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	expect(f->st, b, OUTBOX_SKIPPED, 0, "nothing to send: recipient gone");

	/* One that cannot be built is dead with why, never handed on. */
	prepared = OUTBOX_BUILT_BROKEN;
	b = queue(f->st, "k11", "");
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	expect(f->st, b, OUTBOX_DEAD, 0, "cannot build the message: test");

	/* A failure to build leaves the row as it was, to try again. */
	prepared = -1;
	b = queue(f->st, "k7", "");
	assert_int_equal(outbox_worker_round(&f->w, f->st),
	    OUTBOX_ROUND_STORE_FAILED);
	expect(f->st, b, OUTBOX_PENDING, 0, NULL);
}

/* A service that is down pauses the round: the next row waits. */
static void
test_down_pauses(void **state)
{
	struct fix *f = *state;
	int64_t a = queue(f->st, "k8", "Subject: x\r\n\r\nbody\r\n");
	int64_t b = queue(f->st, "k9", "Subject: y\r\n\r\nbody\r\n");
	struct outbox_msg m;

	answer = OUTBOX_TRY_DOWN;
	assert_int_equal(outbox_worker_round(&f->w, f->st),
	    OUTBOX_ROUND_PAUSED);
	assert_int_equal(sends, 1);
	m = row(f->st, a);
	assert_int_equal(m.status, OUTBOX_FAILED);
	assert_int_equal(m.next_attempt_at, T0 + 60);
	outbox_free(&m);
	expect(f->st, b, OUTBOX_PENDING, 0, NULL);
	/* A retry answer does not pause: both rows are tried. */
	answer = OUTBOX_TRY_RETRY;
	clock_now += 60;
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 3);
}

/* Another channel's rows are not this worker's. */
static void
test_own_channel(void **state)
{
	struct fix *f = *state;
	static const struct outbox_channel sms = {
	    .name = "sms",
	    .noun = "message",
	    .empty = "nothing to send",
	    .now = fake_now,
	    .send = fake_send,
	};
	int64_t id = queue(f->st, "k10", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_msg m;

	outbox_worker_init(&f->w, &sms);
	assert_int_equal(outbox_worker_round(&f->w, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 0);
	m = row(f->st, id);
	assert_int_equal(m.status, OUTBOX_PENDING);
	outbox_free(&m);
}

/* A worker that keeps being woken with nothing due keeps its
 * connection: it used to close it after every round, so each
 * registration paid a new connection and a schema parse. */
static void
test_busy_keeps_connection(void **state)
{
	struct outbox_worker w;
	struct timespec gap = {0, 20 * 1000 * 1000};
	long before = store_thread_opens();
	int i;

	assert_int_equal(outbox_worker_start(&w, &channel), 1);
	for (i = 0; i < 25; i++) {
		outbox_worker_wake(&w);
		nanosleep(&gap, NULL);
	}
	outbox_worker_stop(&w);
	(void)state;
	assert_int_equal(sends, 0);
	assert_true(store_thread_opens() - before <= 2);
}

/* --- wakes with a due time (issue 15) ------------------------------------ */

static struct outbox_worker *hooked; /* the worker commits wake */

static void
wake_hooked(time_t due)
{
	outbox_worker_wake_due(hooked, due);
}

/* Waits up to 10 s until w has worked n rounds: whether it has. */
static int
rounds_reach(struct outbox_worker *w, long n)
{
	struct timespec gap = {0, 10 * 1000 * 1000};
	int i;

	for (i = 0; i < 1000 && outbox_worker_rounds(w) < n; i++)
		nanosleep(&gap, NULL);
	return outbox_worker_rounds(w) >= n;
}

/* Waits up to 10 s until row id is in status: whether it is. */
static int
status_reaches(struct store *st, int64_t id, enum outbox_status status)
{
	struct timespec gap = {0, 10 * 1000 * 1000};
	struct outbox_msg m;
	int i, ok = 0;

	for (i = 0; i < 1000 && !ok; i++) {
		m = row(st, id);
		ok = m.status == status;
		outbox_free(&m);
		if (!ok)
			nanosleep(&gap, NULL);
	}
	return ok;
}

/* A commit that queues a row due in 12 days (a registration's
 * reminders) does not make the sleeping worker work a round: each
 * registration used to wake every worker, which then read the outbox on
 * a connection whose pages the commit had just made stale. A row due
 * now does, and so does a retry put back to pending. */
static void
test_wake_when_due(void **state)
{
	struct fix *f = *state;
	struct outbox_worker w;
	struct timespec settle = {0, 300 * 1000 * 1000};
	struct outbox_msg m;
	int64_t id;

	hooked = &w;
	store_on_outbox_commit(wake_hooked);
	assert_int_equal(outbox_worker_start(&w, &channel), 1);
	assert_true(rounds_reach(&w, 1)); /* the round at the start */
	nanosleep(&settle, NULL);
	assert_int_equal(outbox_worker_rounds(&w), 1);

	assert_true(store_begin(f->st) > 0);
	assert_true(unit_outbox_put(f->st, "far", "Subject: x\r\n\r\nbody\r\n",
	                clock_now + 12 * 86400, NULL) > 0);
	assert_true(store_commit(f->st) > 0);
	nanosleep(&settle, NULL);
	assert_int_equal(outbox_worker_rounds(&w), 1);

	/* Due now: a round, which tries it (the service refuses it). */
	answer = OUTBOX_TRY_RETRY;
	id = queue(f->st, "near", "Subject: x\r\n\r\nbody\r\n");
	assert_true(status_reaches(f->st, id, OUTBOX_FAILED));
	assert_int_equal(outbox_worker_rounds(&w), 2);

	/* Put back to pending, due now (the console's retry). */
	answer = OUTBOX_TRY_SENT;
	m = row(f->st, id);
	m.status = OUTBOX_PENDING;
	m.next_attempt_at = clock_now;
	assert_true(store_begin(f->st) > 0);
	assert_int_equal(store_outbox_set_state(f->st, &m), 1);
	assert_true(store_commit(f->st) > 0);
	outbox_free(&m);
	assert_true(status_reaches(f->st, id, OUTBOX_SENT));
	assert_int_equal(outbox_worker_rounds(&w), 3);
	assert_int_equal(sends, 2);

	outbox_worker_stop(&w);
	store_on_outbox_commit(NULL);
	expect(f->st, id, OUTBOX_SENT, 2, NULL);
}

/* Wakes while the worker works a round are kept for the sleep after
 * it: the earliest due time, a wake without one before any. */
static void
test_wake_while_working(void **state)
{
	struct fix *f = *state;

	assert_int_equal(f->w.round_at, INT64_MAX); /* the round at start */
	outbox_worker_wake_due(&f->w, T0 + 86400);
	outbox_worker_wake_due(&f->w, T0 + 600);
	outbox_worker_wake_due(&f->w, T0 + 7200);
	assert_int_equal(f->w.wake_due, T0 + 600);
	assert_int_equal(f->w.woken, 0);
	outbox_worker_wake(&f->w);
	assert_true(f->w.wake_due == INT64_MIN);
	assert_int_equal(f->w.woken, 0);
}

/* --- claims across instances (issue 16 item 3) --------------------------- */

/* w plays another instance, named id. */
static void
as_instance(struct outbox_worker *w, const struct outbox_channel *ch,
    const char *id)
{
	outbox_worker_init(w, ch);
	snprintf(w->instance, sizeof(w->instance), "%s", id);
}

static void
test_lease_pure(void **state)
{
	(void)state;
	assert_int_equal(outbox_lease_end(T0, 30), T0 + 30);
	assert_int_equal(outbox_lease_end(T0, OUTBOX_LEASE_MIN),
	    T0 + OUTBOX_LEASE_MIN);
	assert_int_equal(outbox_lease_end(T0, OUTBOX_LEASE_MAX),
	    T0 + OUTBOX_LEASE_MAX);
	/* Out of range (unset): the default. */
	assert_int_equal(outbox_lease_end(T0, 0), T0 + OUTBOX_LEASE_DEFAULT);
	assert_int_equal(outbox_lease_end(T0, 1), T0 + OUTBOX_LEASE_DEFAULT);
	assert_int_equal(outbox_lease_end(T0, OUTBOX_LEASE_MAX + 1),
	    T0 + OUTBOX_LEASE_DEFAULT);
	/* A send waits for up to four replies at the timeout. */
	assert_true(outbox_lease_covers(OUTBOX_LEASE_DEFAULT, 30000));
	assert_true(outbox_lease_covers(121, 30000));
	assert_false(outbox_lease_covers(120, 30000));
	assert_false(outbox_lease_covers(3, 30000));
	assert_true(outbox_lease_covers(41, 10000));
}

/* Instance A claims a row and dies before its result is recorded; B
 * leaves it alone while A's lease holds, takes it back once it ran out
 * and sends it; A's late result changes nothing. */
static void
test_lease_taken_back(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "c1", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_worker a, b;
	struct outbox_msg m, got;

	outbox_worker_set_lease(30);
	as_instance(&a, &channel, "instance-a");
	as_instance(&b, &channel, "instance-b");
	assert_int_equal(outbox_worker_claim(&a, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	assert_int_equal(m.id, id);
	got = row(f->st, id);
	assert_int_equal(got.status, OUTBOX_SENDING);
	assert_string_equal(got.claimed_by, "instance-a");
	assert_int_equal(got.lease_until, T0 + 30);
	outbox_free(&got);

	/* B's rounds while A's lease holds: nothing is taken back. */
	for (; clock_now < T0 + 30; clock_now += 7) {
		assert_int_equal(outbox_worker_round(&b, f->st),
		    OUTBOX_ROUND_DONE);
		assert_int_equal(sends, 0);
		expect(f->st, id, OUTBOX_SENDING, 1, NULL);
	}
	/* B at start (a new instance) leaves a live claim alone too, but
	 * SQLite (one instance per file) takes back every claim. */
	clock_now = T0 + 29;
	assert_int_equal(outbox_worker_recover(&b, f->st), 1);
	expect(f->st, id, pg_uri != NULL ? OUTBOX_SENDING : OUTBOX_PENDING, 1,
	    NULL);
	if (pg_uri == NULL) {
		/* As if it had not been: claimed by A again. */
		outbox_free(&m);
		assert_int_equal(outbox_worker_claim(&a, f->st, clock_now, &m),
		    OUTBOX_CLAIM_SEND);
		assert_int_equal(m.attempts, 2);
		clock_now = T0 + 29 + 30 - 1;
		assert_int_equal(outbox_worker_round(&b, f->st),
		    OUTBOX_ROUND_DONE);
		assert_int_equal(sends, 0);
		clock_now++;
	} else
		clock_now = T0 + 30;
	/* The lease ran out: B takes the row back and sends it. */
	assert_int_equal(outbox_worker_round(&b, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	got = row(f->st, id);
	assert_int_equal(got.status, OUTBOX_SENT);
	assert_string_equal(got.claimed_by, "instance-b");
	assert_int_equal(got.lease_until, 0);
	assert_int_equal(got.attempts, m.attempts + 1);
	outbox_free(&got);

	/* A's result, late: not recorded over B's. */
	assert_int_equal(outbox_worker_finish(&a, f->st, &m, OUTBOX_TRY_RETRY,
	                     "451 late"),
	    1);
	got = row(f->st, id);
	assert_int_equal(got.status, OUTBOX_SENT);
	assert_string_equal(got.claimed_by, "instance-b");
	assert_string_equal(got.last_error, "");
	outbox_free(&got);
	outbox_free(&m);
	/* Nothing more goes out from either. */
	clock_now += 3600;
	assert_int_equal(outbox_worker_round(&a, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(outbox_worker_round(&b, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	outbox_worker_set_lease(OUTBOX_LEASE_DEFAULT);
}

/* A's own claim whose result could not be recorded is A's to take back
 * at its next housekeeping, without waiting for the lease. */
static void
test_own_claim_taken_back(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "c2", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_worker a, b;
	struct outbox_msg m;

	as_instance(&a, &channel, "instance-a");
	as_instance(&b, &channel, "instance-b");
	assert_int_equal(outbox_worker_claim(&a, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	outbox_free(&m);
	clock_now += 1;
	assert_int_equal(outbox_worker_round(&b, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 0);
	assert_int_equal(outbox_worker_round(&a, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	expect(f->st, id, OUTBOX_SENT, 2, NULL);
}

/* Two instances claiming in turn: every row once, then none. */
static void
test_no_row_claimed_twice(void **state)
{
	struct fix *f = *state;
	struct outbox_worker w[2];
	struct outbox_msg m;
	int64_t ids[20], got[20];
	char key[16];
	int i, j;

	as_instance(&w[0], &channel, "instance-a");
	as_instance(&w[1], &channel, "instance-b");
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "n%d", i);
		ids[i] = queue(f->st, key, "Subject: x\r\n\r\nbody\r\n");
	}
	for (i = 0; i < 20; i++) {
		assert_int_equal(outbox_worker_claim(&w[i % 2], f->st,
		                     clock_now, &m),
		    OUTBOX_CLAIM_SEND);
		assert_string_equal(m.claimed_by, w[i % 2].instance);
		got[i] = m.id;
		outbox_free(&m);
		for (j = 0; j < i; j++)
			assert_true(got[j] != got[i]);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(outbox_worker_claim(&w[i], f->st, clock_now,
		                     &m),
		    OUTBOX_CLAIM_NONE);
	for (i = 0; i < 20; i++)
		expect(f->st, ids[i], OUTBOX_SENDING, 1, NULL);
}

/* What time causes, queued by two instances' housekeeping in the same
 * second: one row (the unique dedup key, ON CONFLICT DO NOTHING). */
static int ticks;

static int
fake_tick(struct store *st, const struct outbox_channel *ch, time_t now)
{
	struct outbox_msg m;
	char key[48], mid[64];

	(void)ch;
	ticks++;
	snprintf(key, sizeof(key), "weekly:c1:%lld", (long long)(now / 86400));
	snprintf(mid, sizeof(mid), "<%s@hearth.test>", key);
	memset(&m, 0, sizeof(m));
	m.dedup_key = key;
	m.kind = (char *)"weekly";
	m.recipient = (char *)"c1@example.org";
	m.subject = (char *)"本周排班";
	m.body = (char *)"Subject: x\r\n\r\nbody\r\n";
	m.message_id = mid;
	m.due_at = now;
	return store_outbox_put(st, &m, now) < 0 ? -1 : 0;
}

static void
test_tick_queues_once(void **state)
{
	struct fix *f = *state;
	static const struct outbox_channel ticking = {
	    .name = "email",
	    .noun = "mail",
	    .empty = "nothing to send: recipient gone",
	    .now = fake_now,
	    .tick = fake_tick,
	    .prepare = fake_prepare,
	    .send = fake_send,
	};
	struct outbox_worker a, b;
	int64_t counts[OUTBOX_STATUS__MAX];
	int i;

	ticks = 0;
	as_instance(&a, &ticking, "instance-a");
	as_instance(&b, &ticking, "instance-b");
	for (i = 0; i < 3; i++) {
		assert_int_equal(outbox_worker_round(&a, f->st),
		    OUTBOX_ROUND_DONE);
		assert_int_equal(outbox_worker_round(&b, f->st),
		    OUTBOX_ROUND_DONE);
		clock_now++;
	}
	assert_int_equal(ticks, 6);
	assert_int_equal(sends, 1);
	assert_int_equal(store_outbox_counts(f->st, NULL, counts), 1);
	assert_int_equal(counts[OUTBOX_SENT], 1);
	for (i = 0; i < OUTBOX_STATUS__MAX; i++)
		if (i != OUTBOX_SENT)
			assert_int_equal(counts[i], 0);
}

/* PostgreSQL: a row another connection holds locked (another instance
 * in the middle of its claim) is passed over, not waited for. */
static void
test_skip_locked(void **state)
{
	struct fix *f = *state;
	int64_t first = queue(f->st, "s1", "Subject: x\r\n\r\nbody\r\n");
	int64_t second = queue(f->st, "s2", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_msg m;
	PGconn *c;
	PGresult *r;
	char q[160];

	if (pg_uri == NULL)
		skip();
	c = PQconnectdb(pg_uri);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	snprintf(q, sizeof(q),
	    "BEGIN; SELECT id FROM outbox WHERE id = %lld FOR UPDATE",
	    (long long)first);
	r = PQexec(c, q);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	assert_int_equal(m.id, second);
	outbox_free(&m);
	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_NONE);
	r = PQexec(c, "COMMIT");
	PQclear(r);
	PQfinish(c);
	assert_int_equal(outbox_worker_claim(&f->w, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	assert_int_equal(m.id, first);
	outbox_free(&m);
}

/* PostgreSQL: a claim whose connection is gone (its instance was
 * killed) is taken back at the next housekeeping, before its lease. */
static void
test_dead_session_taken_back(void **state)
{
	struct fix *f = *state;
	int64_t id = queue(f->st, "d1", "Subject: x\r\n\r\nbody\r\n");
	struct outbox_worker a, b;
	struct outbox_msg m;
	PGconn *c;
	PGresult *r;
	char q[160];

	if (pg_uri == NULL)
		skip();
	as_instance(&a, &channel, "instance-a");
	as_instance(&b, &channel, "instance-b");
	assert_int_equal(outbox_worker_claim(&a, f->st, clock_now, &m),
	    OUTBOX_CLAIM_SEND);
	outbox_free(&m);
	/* The claim names this (live) connection: B leaves it alone. */
	clock_now++;
	assert_int_equal(outbox_worker_round(&b, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 0);
	expect(f->st, id, OUTBOX_SENDING, 1, NULL);
	/* A connection that is gone, as a killed instance's. */
	c = PQconnectdb(pg_uri);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	snprintf(q, sizeof(q),
	    "UPDATE outbox SET claim_session = '1:2000-01-01 00:00:00+00'"
	    " WHERE id = %lld",
	    (long long)id);
	r = PQexec(c, q);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
	clock_now++;
	assert_int_equal(outbox_worker_round(&b, f->st), OUTBOX_ROUND_DONE);
	assert_int_equal(sends, 1);
	expect(f->st, id, OUTBOX_SENT, 2, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backoff_schedule),
	    cmocka_unit_test(test_after_try),
	    cmocka_unit_test_setup_teardown(test_sent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retry_then_dead, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_dead_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_claim_released_on_restart,
	        setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_down_pauses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_own_channel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_busy_keeps_connection, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_wake_when_due, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_wake_while_working, setup,
	        teardown),
	    cmocka_unit_test(test_lease_pure),
	    cmocka_unit_test_setup_teardown(test_lease_taken_back, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_own_claim_taken_back, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_no_row_claimed_twice, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_tick_queues_once, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_skip_locked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dead_session_taken_back, setup,
	        teardown),
	};

	if (!secret_init())
		return 1;
	pg_uri = unit_pg_uri();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
