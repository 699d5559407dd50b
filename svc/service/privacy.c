/*
 * Participants' personal data past the retention period: names, contacts
 * and walk-in names of events that ended long ago, and the sent mail that
 * carries them. Counts, assessments and answers stay.
 */
#include <stdlib.h>

#include "service.h"

int64_t
svc_retention_days(struct store *st)
{
	char *v = NULL;
	long long d = 365;

	if (store_setting_get(st, "retention_days", &v) > 0 &&
	    (!valid_uint(v, &d) || d < 30))
		d = 365;
	free(v);
	return d;
}

int
svc_privacy_purge(struct store *st, int64_t *regs, int64_t *atts)
{
	time_t now = svc_now();
	time_t cutoff = now - (time_t)svc_retention_days(st) * 86400;

	/* Sent mail holds names and addresses too. */
	if (store_outbox_purge(st, cutoff) < 0)
		return -1;
	return store_purge_personal(st, cutoff, now, regs, atts);
}
