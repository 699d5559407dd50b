/*
 * What a try makes of an outbox row, for every channel (e-mail, group
 * robots, SMS): sent, tried again after a back-off, dead with the last
 * error, or skipped. Pure: svc/outbox/worker.c records what these decide.
 */
#include "core.h"

/* The waits after the 1st, 2nd … failed try; after the last, dead. */
static const time_t backoff[] = {60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600};

time_t
outbox_backoff(int attempts)
{
	if (attempts < 1 ||
	    (size_t)attempts > sizeof(backoff) / sizeof(backoff[0]))
		return 0;
	return backoff[attempts - 1];
}

enum outbox_status
outbox_after_try(enum outbox_try t, int attempts, time_t now, time_t *next)
{
	time_t wait = outbox_backoff(attempts);

	switch (t) {
	case OUTBOX_TRY_SENT:
		return OUTBOX_SENT;
	case OUTBOX_TRY_SKIP:
		return OUTBOX_SKIPPED;
	case OUTBOX_TRY_RETRY:
	case OUTBOX_TRY_DOWN:
		if (wait == 0)
			return OUTBOX_DEAD;
		*next = now + wait;
		return OUTBOX_FAILED;
	case OUTBOX_TRY_DEAD:
	default:
		return OUTBOX_DEAD;
	}
}

time_t
outbox_lease_end(time_t now, int lease_s)
{
	if (lease_s < OUTBOX_LEASE_MIN || lease_s > OUTBOX_LEASE_MAX)
		lease_s = OUTBOX_LEASE_DEFAULT;
	return now + lease_s;
}

int
outbox_lease_covers(int lease_s, long timeout_ms)
{
	return timeout_ms >= 0 && (long long)lease_s * 1000 > 4LL * timeout_ms;
}
