/*
 * The service's clock. Tests of time-dependent behaviour (reminders,
 * survey windows, feed windows) move it with PUT /api/v1/_clock instead
 * of sleeping; the route exists only when HEARTH_FAKE_CLOCK=1, and the
 * server warns at start when it does.
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
