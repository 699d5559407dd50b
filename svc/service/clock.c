/*
 * The service's clock. Tests of time-dependent behaviour (reminders,
 * survey windows, feed windows) move it with PUT /api/v1/_clock instead
 * of sleeping; the route exists only when HEARTH_FAKE_CLOCK=1, and the
 * server warns at start when it does.
 *
 * Several instances on one PostgreSQL database (issue 16) share one fake
 * clock: PUT /_clock keeps the offset in the database too, and every
 * instance takes it up at the start of each request (svc_clock_sync),
 * so a test that moves the clock through one instance sees it moved on
 * the others at their next request.
 */
#include <stdatomic.h>

#include "service.h"

/* Seconds added to the real time; 0 without a fake clock. */
static atomic_llong offset;

time_t
svc_now(void)
{
	return time(NULL) + (time_t)atomic_load(&offset);
}

void
svc_clock_set(time_t want)
{
	atomic_store(&offset, (long long)(want - time(NULL)));
	if (svc_config()->wake != NULL)
		svc_config()->wake();
}

int
svc_clock_share(struct store *st)
{
	if (!store_shared())
		return 1;
	return store_clock_offset_set(st, (int64_t)atomic_load(&offset));
}

void
svc_clock_sync(struct store *st)
{
	long long seen;
	int64_t off;

	if (!svc_config()->fake_clock || !store_shared() || st == NULL)
		return;
	seen = atomic_load(&offset);
	if (store_clock_offset(st, &off) <= 0 || off == (int64_t)seen)
		return;
	/* Only over the value seen before the read: a PUT on this instance
	 * meanwhile (set here first, then in the database) wins. */
	if (atomic_compare_exchange_strong(&offset, &seen, (long long)off) &&
	    svc_config()->wake != NULL)
		svc_config()->wake();
}
