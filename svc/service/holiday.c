/*
 * Holidays from an iCalendar file (the State Council's calendar as
 * published, or one of our own): each all-day VEVENT is a day off, or a
 * make-up working day (调休上班) when its summary says 班. A day already
 * known is updated, keeping the weekday a make-up day is staffed as.
 */
#include <string.h>

#include "service.h"
#include "../../ical/hearth_ical.h"

/* Day kind of an imported summary: 班 marks a make-up working day (调休
 * 上班); 休 and anything else a day off. */
static const char *
kind_of_summary(const char *summary)
{
	return strstr(summary, "班") != NULL ? "workday" : "holiday";
}

int
svc_holiday_import(struct store *st, const char *ics, size_t sz,
    const char *force, void (*each)(const struct holiday *, void *), void *arg,
    int64_t *created, int64_t *updated, char *err, size_t errsz)
{
	struct hical_day *days = NULL;
	struct holiday h, old;
	size_t n = 0, i;
	int rc;

	*created = *updated = 0;
	if (!hical_parse_days(ics, sz, 1000, &days, &n, err, errsz))
		return 0;
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.date = days[i].date;
		h.kind = (char *)(force ? force
		                        : kind_of_summary(days[i].summary));
		h.name = days[i].summary;
		h.as_weekday = strcmp(h.kind, "workday") == 0 ? 1 : 0;
		if ((rc = store_holiday_get_by_date(st, h.date, &old)) < 0)
			goto fail;
		if (rc > 0) {
			h.id = old.id;
			if (old.as_weekday && h.as_weekday)
				h.as_weekday = old.as_weekday;
			holiday_free(&old);
			if (store_holiday_update(st, &h) <= 0)
				goto fail;
			(*updated)++;
		} else {
			if (store_holiday_insert(st, &h) <= 0)
				goto fail;
			(*created)++;
		}
		each(&h, arg);
	}
	hical_days_free(days, n);
	return 1;
fail:
	hical_days_free(days, n);
	return -1;
}
