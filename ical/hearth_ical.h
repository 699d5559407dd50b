/*
 * Hearth's iCalendar library (RFC 5545) on libical: turns plain structs
 * into calendar text and back. It knows nothing of HTTP or SQL and never
 * includes anything from svc/. The only place that includes libical.
 */
#ifndef HEARTH_ICAL_H
#define HEARTH_ICAL_H

#include <time.h>

/* The libical version this library was built against. */
const char *hical_libical_version(void);

/* The VTIMEZONE of IANA zone tzid, cut to the years [from, to], with the
 * plain IANA name as TZID (LIBNOTES: libical's own
 * "/freeassociation.sourceforge.net/…" TZID makes clients read times
 * hours off). Returns CRLF text the caller frees, or NULL when the zone
 * is unknown or memory ran out. */
char *hical_vtimezone(const char *tzid, time_t from, time_t to);

#endif
