/*
 * Unit tests of the outbox worker (svc/outbox/worker.c) and its pure
 * decisions (svc/core/outbox.c): the back-off schedule, dead after the
 * last try, a claimed row released on restart, a row with nothing to send
 * skipped, one that cannot be built dead, a service that is down
 * pausing the round. The worker runs without its thread, over a real
 * SQLite file, on a fake clock, with a send function that answers what
 * each test asks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/unit_store.h"
#include "outbox/worker.h"

#define T0 1772413200 /* 2026-03-02 01:00 UTC */

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
	if ((f.st = unit_db_open(&f.db, "outbox", 0, quiet_log)) == NULL)
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
	struct outbox_msg m;
	char mid[64];

	memset(&m, 0, sizeof(m));
	snprintf(mid, sizeof(mid), "<%s@hearth.test>", key);
	m.dedup_key = (char *)key;
	m.kind = (char *)"reminder";
	m.recipient = (char *)"a@example.org";
	m.subject = (char *)"提醒";
	m.body = (char *)body;
	m.message_id = mid;
	m.due_at = clock_now;
	assert_true(store_begin(st) > 0);
	assert_true(store_outbox_put(st, &m, clock_now) > 0);
	assert_true(store_commit(st) > 0);
	return m.id;
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
	assert_int_equal(outbox_worker_recover(&channel, f->st), 1);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
