/*
 * Leave that waits for the coordinator (issue 13): the state new leave
 * starts in, who may withdraw it, what a decision does. Pure rules; the
 * store keeps the rows, svc/api asks these.
 */
#include <stddef.h>

#include "core.h"

enum leave_status
leave_initial(enum leave_by by, size_t shifts_touched, int needs_approval)
{
	if (by == LEAVE_BY_COUNSELLOR && shifts_touched > 0 && needs_approval)
		return LEAVE_PENDING;
	return LEAVE_APPROVED;
}

enum leave_refusal
leave_withdraw(enum leave_by by, enum leave_status st, int decided,
    int as_counsellor)
{
	if (!as_counsellor)
		return LEAVE_OK;
	if (by != LEAVE_BY_COUNSELLOR)
		return LEAVE_REFUSE_NOT_YOURS;
	/* Once a coordinator has decided, the counsellor asks them. */
	if (decided && st != LEAVE_PENDING)
		return LEAVE_REFUSE_DECIDED;
	return LEAVE_OK;
}

enum leave_refusal
leave_decide(enum leave_status st, int approve, enum leave_status *out)
{
	if (st != LEAVE_PENDING)
		return LEAVE_REFUSE_NOT_PENDING;
	*out = approve ? LEAVE_APPROVED : LEAVE_REFUSED;
	return LEAVE_OK;
}

int
leave_in_force(enum leave_status st)
{
	return st == LEAVE_APPROVED;
}

int
leave_marks(enum leave_status st)
{
	return st == LEAVE_PENDING || st == LEAVE_APPROVED;
}

const char *const busy_kind_names[BUSY_KIND__MAX + 1] = {
    /* BUSY_NONE */ "",
    /* BUSY_INACTIVE */ "inactive",
    /* BUSY_LEAVE */ "leave",
    /* BUSY_OVERLAP */ "overlap",
    /* BUSY_MAX_HOURS */ "max_hours",
    NULL,
};

static int
ignored(int64_t id, const int64_t *ignore, size_t nignore)
{
	size_t k;

	for (k = 0; k < nignore; k++)
		if (id != 0 && id == ignore[k])
			return 1;
	return 0;
}

enum busy_kind
busy_check(int active, int64_t max_week_minutes, time_t start, time_t end,
    time_t week_from, time_t week_to, const struct busy_span *own, size_t n,
    const int64_t *ignore, size_t nignore, size_t *which)
{
	int64_t minutes = (int64_t)(end - start) / 60;
	size_t i, overlap = n;

	*which = n;
	if (!active)
		return BUSY_INACTIVE;
	for (i = 0; i < n; i++) {
		if (own[i].start >= end || own[i].end <= start)
			continue;
		if (own[i].leave) {
			*which = i;
			return BUSY_LEAVE;
		}
		if (overlap == n && !ignored(own[i].id, ignore, nignore))
			overlap = i;
	}
	if (overlap < n) {
		*which = overlap;
		return BUSY_OVERLAP;
	}
	for (i = 0; i < n; i++)
		if (!own[i].leave && own[i].start >= week_from &&
		    own[i].start < week_to &&
		    !ignored(own[i].id, ignore, nignore))
			minutes += (int64_t)(own[i].end - own[i].start) / 60;
	return minutes > max_week_minutes ? BUSY_MAX_HOURS : BUSY_NONE;
}
