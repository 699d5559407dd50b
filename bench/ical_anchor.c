/*
 * ical_anchor: the anchor of the bench's rebuild case — what a feed
 * costs when libical builds and serializes it whole (hical_build, the
 * path every rebuild took before incremental feeds). Reads a feed that
 * Hearth served, turns its VEVENTs back into the structs Hearth builds
 * from (not timed), checks that hical_build gives the very same bytes,
 * then times hical_build of the whole calendar ROUNDS times.
 *
 * Usage: ical_anchor FEED.ics ROUNDS [DAYS_BACK DAYS_AHEAD]
 * Prints one line:
 *   ICAL-ANCHOR events=N bytes=B identical=yes|no median_ms=M min_ms=A max_ms=Z
 * (a bench tool: it uses libical directly, as sqlite_raw uses SQLite)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "hearth_ical.h"

#define MAX_ALARMS 5

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	if ((b = malloc((size_t)n + 1)) == NULL ||
	    fread(b, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(b);
		return NULL;
	}
	fclose(f);
	b[n] = '\0';
	*len = (size_t)n;
	return b;
}

static const char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static time_t
local_timet(icalproperty *p, const char **tzid)
{
	icalparameter *tz = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER);
	struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
	icaltimezone *zone;

	*tzid = tz ? strdup(icalparameter_get_tzid(tz)) : strdup("UTC");
	zone = tz ? icaltimezone_get_builtin_timezone(*tzid)
	    : icaltimezone_get_utc_timezone();
	t.zone = NULL;
	return icaltime_as_timet_with_zone(t, zone);
}

static time_t
utc_timet(icalproperty *p)
{
	struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));

	return icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
}

/* One VEVENT back into the struct it was built from. */
static void
event_of(icalcomponent *v, struct hical_event *e, int *alarms)
{
	icalproperty *p;
	icalcomponent *a;
	const char *unused;

	memset(e, 0, sizeof(*e));
	e->uid = dup_or_null(icalcomponent_get_uid(v));
	if ((p = icalcomponent_get_first_property(v, ICAL_SEQUENCE_PROPERTY)))
		e->sequence = icalproperty_get_sequence(p);
	if ((p = icalcomponent_get_first_property(v, ICAL_DTSTAMP_PROPERTY)))
		e->dtstamp = utc_timet(p);
	if ((p = icalcomponent_get_first_property(v,
	    ICAL_LASTMODIFIED_PROPERTY)))
		e->last_modified = utc_timet(p);
	if ((p = icalcomponent_get_first_property(v, ICAL_DTSTART_PROPERTY)))
		e->start = local_timet(p, &e->tzid);
	if ((p = icalcomponent_get_first_property(v, ICAL_DTEND_PROPERTY))) {
		e->end = local_timet(p, &unused);
		free((void *)unused);
	}
	if ((p = icalcomponent_get_first_property(v, ICAL_SUMMARY_PROPERTY)))
		e->summary = dup_or_null(icalproperty_get_summary(p));
	if ((p = icalcomponent_get_first_property(v, ICAL_LOCATION_PROPERTY)))
		e->location = dup_or_null(icalproperty_get_location(p));
	if ((p = icalcomponent_get_first_property(v,
	    ICAL_DESCRIPTION_PROPERTY)))
		e->description = dup_or_null(icalproperty_get_description(p));
	if ((p = icalcomponent_get_first_property(v, ICAL_URL_PROPERTY)))
		e->url = dup_or_null(icalproperty_get_url(p));
	if ((p = icalcomponent_get_first_property(v, ICAL_CATEGORIES_PROPERTY)))
		e->category = dup_or_null(icalproperty_get_categories(p));
	switch (icalcomponent_get_status(v)) {
	case ICAL_STATUS_TENTATIVE:
		e->status = HICAL_TENTATIVE;
		break;
	case ICAL_STATUS_CANCELLED:
		e->status = HICAL_CANCELLED;
		break;
	default:
		e->status = HICAL_CONFIRMED;
	}
	if ((p = icalcomponent_get_first_property(v, ICAL_ORGANIZER_PROPERTY))) {
		const char *o = icalproperty_get_organizer(p);
		icalparameter *cn = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER);

		e->organizer_email = dup_or_null(o && strncasecmp(o, "mailto:",
		    7) == 0 ? o + 7 : o);
		e->organizer_name = cn ? dup_or_null(icalparameter_get_cn(cn))
		    : NULL;
	}
	for (a = icalcomponent_get_first_component(v, ICAL_VALARM_COMPONENT);
	    a != NULL && e->nalarms < MAX_ALARMS;
	    a = icalcomponent_get_next_component(v, ICAL_VALARM_COMPONENT)) {
		struct icaltriggertype tr;

		p = icalcomponent_get_first_property(a, ICAL_TRIGGER_PROPERTY);
		if (p == NULL)
			continue;
		tr = icalproperty_get_trigger(p);
		alarms[e->nalarms++] = (int)(tr.duration.days * 1440 +
		    tr.duration.weeks * 10080 + tr.duration.hours * 60 +
		    tr.duration.minutes);
	}
	e->alarm_minutes = e->nalarms ? alarms : NULL;
}

static int
by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct hical_calendar cal;
	struct hical_event *ev;
	icalcomponent *root, *v;
	icalproperty *p;
	int (*alarms)[MAX_ALARMS];
	char *text, *built;
	size_t len, blen, n = 0, i;
	int rounds, back, ahead, r;
	double *ms;
	time_t now = time(NULL), day;

	if (argc < 3 || (rounds = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: ical_anchor FEED.ics ROUNDS "
		    "[DAYS_BACK DAYS_AHEAD]\n");
		return 2;
	}
	back = argc > 3 ? atoi(argv[3]) : 90;
	ahead = argc > 4 ? atoi(argv[4]) : 400;
	if ((text = slurp(argv[1], &len)) == NULL ||
	    (root = icalparser_parse_string(text)) == NULL) {
		fprintf(stderr, "ical_anchor: cannot read %s\n", argv[1]);
		return 1;
	}
	n = (size_t)icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT);
	ev = calloc(n + 1, sizeof(*ev));
	alarms = calloc(n + 1, sizeof(*alarms));
	ms = calloc((size_t)rounds, sizeof(*ms));
	if (ev == NULL || alarms == NULL || ms == NULL)
		return 1;
	for (i = 0, v = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); v != NULL && i < n; i++,
	    v = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
		event_of(v, &ev[i], alarms[i]);
	memset(&cal, 0, sizeof(cal));
	if ((p = icalcomponent_get_first_property(root, ICAL_NAME_PROPERTY)))
		cal.name = strdup(icalproperty_get_name(p));
	cal.tzid = "Asia/Shanghai";
	cal.refresh = "PT1H";
	/* The server's window: whole Beijing days, back and ahead. */
	day = (now + 8 * 3600) / 86400 * 86400 - 8 * 3600;
	cal.window_from = day - (time_t)back * 86400;
	cal.window_to = day + (time_t)(ahead + 1) * 86400;
	built = hical_build(&cal, ev, n, &blen);
	printf("ICAL-ANCHOR events=%zu bytes=%zu identical=%s", n, len,
	    built && blen == len && memcmp(built, text, len) == 0 ? "yes"
								  : "no");
	free(built);
	for (r = 0; r < rounds; r++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		built = hical_build(&cal, ev, n, &blen);
		clock_gettime(CLOCK_MONOTONIC, &b);
		free(built);
		ms[r] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	qsort(ms, (size_t)rounds, sizeof(*ms), by_double);
	printf(" median_ms=%.2f min_ms=%.2f max_ms=%.2f\n", ms[rounds / 2],
	    ms[0], ms[rounds - 1]);
	icalcomponent_free(root);
	free(text);
	return 0;
}
