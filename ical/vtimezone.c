/*
 * VTIMEZONE components for feeds and invitations. Every calendar Hearth
 * emits carries one per zone it uses; clients must never see libical's
 * prefixed TZID or the zone's 1901-1991 history.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "hearth_ical.h"
#include "internal.h"

const char *
hical_libical_version(void)
{
	return ICAL_VERSION;
}

/*
 * A fresh copy of the full VTIMEZONE of IANA zone tzid with the plain
 * name as TZID (LIBNOTES: never libical's "/freeassociation…" prefix,
 * never the builtin zone's own component). The caller frees it with
 * icalcomponent_free(). NULL when the zone is unknown or memory ran out.
 * libical guards its builtin zone table with a mutex, so this is safe
 * from several threads at once.
 */
icalcomponent *
zone_component(const char *tzid)
{
	icaltimezone *builtin;
	icalcomponent *vtz;
	icalproperty *p;

	if (tzid == NULL || *tzid == '\0')
		return NULL;
	builtin = icaltimezone_get_builtin_timezone(tzid);
	if (builtin == NULL)
		return NULL;
	vtz = icalcomponent_new_clone(icaltimezone_get_component(builtin));
	if (vtz == NULL)
		return NULL;
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (p == NULL) {
		icalcomponent_free(vtz);
		return NULL;
	}
	icalproperty_set_tzid(p, tzid);
	return vtz;
}

char *
hical_vtimezone(const char *tzid, time_t from, time_t to)
{
	icalcomponent *vtz;
	icaltimetype start, end;
	char *text, *out;

	if (tzid == NULL || from > to)
		return NULL;
	if ((vtz = zone_component(tzid)) == NULL)
		return NULL;
	start = icaltime_from_timet_with_zone(from, 0,
	    icaltimezone_get_utc_timezone());
	end = icaltime_from_timet_with_zone(to, 0,
	    icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(vtz, start, end, 0);
	/* The _r form hands us the buffer instead of libical's ring. */
	text = icalcomponent_as_ical_string_r(vtz);
	out = text ? strdup(text) : NULL;
	icalmemory_free_buffer(text);
	icalcomponent_free(vtz);
	return out;
}
