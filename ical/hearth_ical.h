/*
 * Hearth's iCalendar library (RFC 5545) on libical: turns plain structs
 * into calendar text and back. It knows nothing of HTTP or SQL and never
 * includes anything from svc/. The only place that includes libical.
 */
#ifndef HEARTH_ICAL_H
#define HEARTH_ICAL_H

#include <stddef.h>
#include <time.h>

/* --- vtimezone.c: the zones ------------------------------------------- */

/* The libical version this library was built against. */
const char *hical_libical_version(void);

/* The VTIMEZONE of IANA zone tzid, cut to the years [from, to], with the
 * plain IANA name as TZID (LIBNOTES: libical's own
 * "/freeassociation.sourceforge.net/…" TZID makes clients read times
 * hours off). Returns CRLF text the caller frees, or NULL when the zone
 * is unknown or memory ran out. */
char *hical_vtimezone(const char *tzid, time_t from, time_t to);

/* --- build.c: feeds and invitations ------------------------------------ */

/* STATUS of a VEVENT (RFC 5545 §3.8.1.11). */
enum hical_status {
	HICAL_TENTATIVE,
	HICAL_CONFIRMED,
	HICAL_CANCELLED,
	HICAL_STATUS__MAX
};

struct hical_attendee {
	const char *name;  /* CN; NULL = none */
	const char *email; /* required: becomes mailto:<email> */
};

/*
 * One VEVENT. Strings are UTF-8 and borrowed for the call. Text fields
 * (summary, location, description, category) may hold LF, CR and TAB;
 * every other field holds no control character at all.
 */
struct hical_event {
	const char *uid;    /* stable, e.g. "event-12@hearth.example" */
	long long sequence; /* RFC 5545 §3.8.7.4; 0..INT_MAX */
	time_t dtstamp;
	time_t last_modified; /* 0 = no LAST-MODIFIED */
	time_t start, end;    /* end >= start */
	const char *tzid;     /* IANA zone; times carry TZID=, never floating */
	const char *summary;  /* NULL = omit (each of these four) */
	const char *location;
	const char *description;
	const char *url;
	const char *category; /* CATEGORIES, e.g. "讲座"; NULL = omit */
	enum hical_status status;
	const char *organizer_name;             /* NULL = no CN */
	const char *organizer_email;            /* NULL = no ORGANIZER */
	const struct hical_attendee *attendees; /* ROLE=REQ-PARTICIPANT,
						   PARTSTAT=NEEDS-ACTION, RSVP=FALSE */
	size_t nattendees;
	const int *alarm_minutes; /* a VALARM each (DISPLAY, TRIGGER:-PT<n>M,
					   DESCRIPTION = summary); 0..40320 */
	size_t nalarms;
};

struct hical_calendar {
	const char *name;   /* NAME and X-WR-CALNAME; NULL = omit */
	const char *tzid;   /* X-WR-TIMEZONE; NULL = omit */
	const char *method; /* NULL (feeds), "REQUEST", "CANCEL" or
					   "PUBLISH" (RFC 5546) */
	time_t window_from; /* each VTIMEZONE is cut to this window */
	time_t window_to;
	const char *refresh; /* REFRESH-INTERVAL;VALUE=DURATION and
					   X-PUBLISHED-TTL, e.g. "PT1H"; NULL = omit */
};

/*
 * The whole VCALENDAR (PRODID "-//Hearth//Hearth 0.1//ZH", VERSION 2.0,
 * CALSCALE GREGORIAN), one VTIMEZONE per zone the events use (plain IANA
 * TZID, cut to the window), then the n events. CRLF line endings, folded
 * at 75 octets, never inside a UTF-8 character. Returns malloc'd text
 * the caller frees and its length in *len; NULL on an unknown zone, an
 * invalid field (bad UTF-8, a control character, a time out of
 * 1900-2200, end before start, an unknown method or refresh duration)
 * or when memory ran out. Safe to call from several threads at once.
 */
char *hical_build(const struct hical_calendar *, const struct hical_event *,
    size_t n, size_t *len);

/*
 * The same calendar in pieces, for callers that keep the text of each
 * event (incremental feeds). For any cal and events ev[0..n) that
 * hical_build accepts,
 *
 *	hical_build(cal, ev, n)
 *	    == hical_build_head(cal, zones, nz) + text of ev[0] + …
 *	       + text of ev[n-1] + HICAL_END
 *
 * byte for byte, where zones are the distinct tzids of ev in the order
 * of first use and the text of ev[i] is what hical_build_events makes.
 * A VEVENT's text depends on nothing but its struct (and the zone's
 * rules): never on the calendar, the window or the other events.
 */
#define HICAL_END "END:VCALENDAR\r\n"

/* The calendar up to its first VEVENT: BEGIN, the head properties and
 * one VTIMEZONE per zone of tzids, in that order, cut to the window.
 * malloc'd text and *len; NULL as hical_build would be for cal or an
 * unknown zone. */
char *hical_build_head(const struct hical_calendar *, const char *const *tzids,
    size_t ntz, size_t *len);

/* The VEVENT text of each of the n events into out[i] (malloc'd, the
 * caller frees each) and lens[i]. 1 done; 0 when an event is invalid
 * (as in hical_build) or memory ran out, with every out[i] NULL. */
int hical_build_events(const struct hical_event *, size_t n, char **out,
    size_t *lens);

/* --- parse.c: holiday import ------------------------------------------- */

struct hical_day {
	char date[11]; /* YYYY-MM-DD */
	char *summary; /* UTF-8, may be "" */
};

/*
 * Every VEVENT of the iCalendar text (len bytes, at most 1 MiB, need not
 * be NUL-terminated) with an all-day DTSTART, expanded to one entry per
 * date from DTSTART to DTEND exclusive (no DTEND: one day; DURATION of
 * whole days honoured), in file order; events with STATUS:CANCELLED are
 * skipped. At most max_days dates in total.
 *
 * Parsing is validation: returns 1 with *days (free with
 * hical_days_free) and *n on success, 0 with a one-line message in err
 * on the first problem, in Chinese as the user reads it ("第 12 行：…",
 * "不是 iCalendar 日历文件", "第 30 行，第 3 个事件：DTSTART 不是日期",
 * recurring events, a range over max_days, out of memory; libical's own
 * note is quoted after "libical 无法解析："). Never crashes on any input.
 */
int hical_parse_days(const char *text, size_t len, size_t max_days,
    struct hical_day **days, size_t *n, char *err, size_t errsz);

/* Frees what hical_parse_days returned; NULL is fine. */
void hical_days_free(struct hical_day *, size_t n);

#endif
