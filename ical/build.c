/*
 * Feeds and iTIP invitations: plain structs in, one VCALENDAR out
 * (RFC 5545, RFC 5546, RFC 7986). Every field is checked before it
 * reaches libical, because libical writes URI, CAL-ADDRESS and
 * parameter values out raw: a CR in a URL would start a new property.
 * Times always go out with TZID= and a VTIMEZONE whose TZID is the plain
 * IANA name, never floating and never with libical's prefix. Nothing
 * here is shared between calls, so callers may build from many threads.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "hearth_ical.h"
#include "internal.h"

#define BUILD_PRODID "-//Hearth//Hearth 0.1//ZH"
#define BUILD_ALARM_MAX 40320          /* minutes: four weeks */
#define BUILD_TIME_MIN (-2208988800LL) /* 1900-01-01T00:00:00Z */
#define BUILD_TIME_MAX 7258118400LL    /* 2200-01-01T00:00:00Z */

static const enum icalproperty_status statuses[HICAL_STATUS__MAX] = {
    ICAL_STATUS_TENTATIVE, /* HICAL_TENTATIVE */
    ICAL_STATUS_CONFIRMED, /* HICAL_CONFIRMED */
    ICAL_STATUS_CANCELLED, /* HICAL_CANCELLED */
};

/* One zone used by the events of this call. */
struct zone {
	const char *tzid; /* borrowed from an event */
	icaltimezone *tz; /* owns the plain-TZID component */
};

struct zones {
	struct zone *v;
	size_t n;
};

/*
 * Whether s (NULL allowed when optional) is UTF-8 without control
 * characters; text fields (RFC 5545 TEXT) may also hold LF, CR and TAB,
 * which libical escapes or drops.
 */
static int
build_string_ok(const char *s, int optional, int text)
{
	const unsigned char *p;
	size_t n;

	if (s == NULL)
		return optional;
	n = strlen(s);
	if (n == 0 && !optional)
		return 0;
	if (!text_utf8_valid(s, n))
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == 0x7f)
			return 0;
		if (*p < 0x20 &&
		    !(text && (*p == '\n' || *p == '\r' || *p == '\t')))
			return 0;
	}
	return 1;
}

static int
build_time_ok(time_t t)
{
	return (long long)t >= BUILD_TIME_MIN && (long long)t < BUILD_TIME_MAX;
}

/* Whether every field of e can be written (see hearth_ical.h). */
static int
build_event_ok(const struct hical_event *e)
{
	size_t i;

	if (!build_string_ok(e->uid, 0, 0) || !build_string_ok(e->tzid, 0, 0))
		return 0;
	if (e->sequence < 0 || e->sequence > INT_MAX)
		return 0;
	if (!build_time_ok(e->dtstamp) || !build_time_ok(e->start) ||
	    !build_time_ok(e->end) || e->end < e->start)
		return 0;
	if (e->last_modified != 0 && !build_time_ok(e->last_modified))
		return 0;
	if (!build_string_ok(e->summary, 1, 1) ||
	    !build_string_ok(e->location, 1, 1) ||
	    !build_string_ok(e->description, 1, 1) ||
	    !build_string_ok(e->category, 1, 1) ||
	    !build_string_ok(e->url, 1, 0))
		return 0;
	if ((unsigned)e->status >= HICAL_STATUS__MAX)
		return 0;
	if (!build_string_ok(e->organizer_email, 1, 0) ||
	    !build_string_ok(e->organizer_name, 1, 0))
		return 0;
	if (e->nattendees > 0 && e->attendees == NULL)
		return 0;
	for (i = 0; i < e->nattendees; i++)
		if (!build_string_ok(e->attendees[i].email, 0, 0) ||
		    !build_string_ok(e->attendees[i].name, 1, 0))
			return 0;
	if (e->nalarms > 0 && e->alarm_minutes == NULL)
		return 0;
	for (i = 0; i < e->nalarms; i++)
		if (e->alarm_minutes[i] < 0 ||
		    e->alarm_minutes[i] > BUILD_ALARM_MAX)
			return 0;
	return 1;
}

static void
zones_free(struct zones *zs)
{
	size_t i;

	for (i = 0; i < zs->n; i++)
		icaltimezone_free(zs->v[i].tz, 1);
	free(zs->v);
	zs->v = NULL;
	zs->n = 0;
}

/*
 * The zone named tzid, loaded into zs on first use: an icaltimezone of
 * this call alone built on the plain-TZID clone, so conversions never
 * touch another thread's state. NULL when unknown or out of memory.
 */
static icaltimezone *
zones_get(struct zones *zs, const char *tzid)
{
	struct zone *v;
	icalcomponent *vtz;
	icaltimezone *tz;
	size_t i;

	for (i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i].tzid, tzid) == 0)
			return zs->v[i].tz;
	if ((vtz = zone_component(tzid)) == NULL)
		return NULL;
	if ((tz = icaltimezone_new()) == NULL) {
		icalcomponent_free(vtz);
		return NULL;
	}
	if (!icaltimezone_set_component(tz, vtz)) {
		icalcomponent_free(vtz);
		icaltimezone_free(tz, 1);
		return NULL;
	}
	v = realloc(zs->v, (zs->n + 1) * sizeof(*zs->v));
	if (v == NULL) {
		icaltimezone_free(tz, 1);
		return NULL;
	}
	zs->v = v;
	zs->v[zs->n].tzid = tzid;
	zs->v[zs->n].tz = tz;
	zs->n++;
	return tz;
}

/* t as a DATE-TIME in UTC ("…Z"): DTSTAMP, LAST-MODIFIED. */
static struct icaltimetype
build_utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone());
}

/*
 * t as local time in tz. icaltime_from_timet_with_zone() converts but
 * leaves .zone at UTC (LIBNOTES), which would serialize with "Z".
 */
static struct icaltimetype
build_local(time_t t, icaltimezone *tz)
{
	struct icaltimetype tt;

	tt = icaltime_from_timet_with_zone(t, 0, tz);
	return icaltime_set_timezone(&tt, tz);
}

static void
build_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p;

	p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/* ORGANIZER or ATTENDEE value: mailto:<email>, or NULL (no memory). */
static char *
build_mailto(const char *email)
{
	size_t sz = strlen(email) + sizeof("mailto:");
	char *s;

	if ((s = malloc(sz)) == NULL)
		return NULL;
	memcpy(s, "mailto:", 7);
	memcpy(s + 7, email, sz - 7);
	return s;
}

/* A VALARM that shows the summary minutes before the start (§3.6.6). */
static icalcomponent *
build_alarm(const struct hical_event *e, int minutes)
{
	struct icaltriggertype tr;
	icalcomponent *a;

	memset(&tr, 0, sizeof(tr));
	tr.time = icaltime_null_time();
	tr.duration = icaldurationtype_null_duration();
	/* Minutes kept as given: TRIGGER:-PT90M, not -PT1H30M. */
	tr.duration.is_neg = 1;
	tr.duration.minutes = (unsigned int)minutes;
	a = icalcomponent_new_valarm();
	icalcomponent_add_property(a,
	    icalproperty_new_action(ICAL_ACTION_DISPLAY));
	icalcomponent_add_property(a, icalproperty_new_trigger(tr));
	icalcomponent_add_property(a,
	    icalproperty_new_description(e->summary != NULL &&
	                *e->summary != '\0'
	            ? e->summary
	            : "Reminder"));
	return a;
}

/* The VEVENT of e, or NULL when memory ran out. */
static icalcomponent *
build_event(const struct hical_event *e, icaltimezone *tz)
{
	icalcomponent *v;
	icalproperty *p;
	char *addr;
	size_t i;

	v = icalcomponent_new_vevent();
	icalcomponent_add_property(v, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(v,
	    icalproperty_new_sequence((int)e->sequence));
	icalcomponent_add_property(v,
	    icalproperty_new_dtstamp(build_utc(e->dtstamp)));
	if (e->last_modified != 0)
		icalcomponent_add_property(v,
		    icalproperty_new_lastmodified(build_utc(e->last_modified)));
	/* new_dtstart adds no TZID parameter of its own (LIBNOTES). */
	icalcomponent_add_property(v,
	    icalproperty_vanew_dtstart(build_local(e->start, tz),
	        icalparameter_new_tzid(e->tzid), (void *)0));
	icalcomponent_add_property(v,
	    icalproperty_vanew_dtend(build_local(e->end, tz),
	        icalparameter_new_tzid(e->tzid), (void *)0));
	if (e->summary != NULL)
		icalcomponent_add_property(v,
		    icalproperty_new_summary(e->summary));
	if (e->location != NULL)
		icalcomponent_add_property(v,
		    icalproperty_new_location(e->location));
	if (e->description != NULL)
		icalcomponent_add_property(v,
		    icalproperty_new_description(e->description));
	if (e->url != NULL)
		icalcomponent_add_property(v, icalproperty_new_url(e->url));
	if (e->category != NULL)
		icalcomponent_add_property(v,
		    icalproperty_new_categories(e->category));
	icalcomponent_add_property(v,
	    icalproperty_new_status(statuses[e->status]));
	if (e->organizer_email != NULL) {
		if ((addr = build_mailto(e->organizer_email)) == NULL)
			goto err;
		p = icalproperty_new_organizer(addr);
		free(addr);
		if (e->organizer_name != NULL)
			icalproperty_add_parameter(p,
			    icalparameter_new_cn(e->organizer_name));
		icalcomponent_add_property(v, p);
	}
	for (i = 0; i < e->nattendees; i++) {
		if ((addr = build_mailto(e->attendees[i].email)) == NULL)
			goto err;
		p = icalproperty_new_attendee(addr);
		free(addr);
		if (e->attendees[i].name != NULL)
			icalproperty_add_parameter(p,
			    icalparameter_new_cn(e->attendees[i].name));
		icalproperty_add_parameter(p,
		    icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(p,
		    icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
		icalproperty_add_parameter(p,
		    icalparameter_new_rsvp(ICAL_RSVP_FALSE));
		icalcomponent_add_property(v, p);
	}
	for (i = 0; i < e->nalarms; i++)
		icalcomponent_add_component(v,
		    build_alarm(e, e->alarm_minutes[i]));
	return v;
err:
	icalcomponent_free(v);
	return NULL;
}

/*
 * The VCALENDAR-level properties; 0 on an invalid field. RFC 7986 NAME
 * and REFRESH-INTERVAL for new clients, X-WR-* and X-PUBLISHED-TTL for
 * Apple, Google and Outlook.
 */
static int
build_head(icalcomponent *vcal, const struct hical_calendar *cal)
{
	struct icaldurationtype d;
	icalproperty *p;
	char *s;

	icalcomponent_add_property(vcal, icalproperty_new_prodid(BUILD_PRODID));
	icalcomponent_add_property(vcal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(vcal,
	    icalproperty_new_calscale("GREGORIAN"));
	if (cal->method != NULL) {
		if (strcmp(cal->method, "REQUEST") == 0)
			p = icalproperty_new_method(ICAL_METHOD_REQUEST);
		else if (strcmp(cal->method, "CANCEL") == 0)
			p = icalproperty_new_method(ICAL_METHOD_CANCEL);
		else if (strcmp(cal->method, "PUBLISH") == 0)
			p = icalproperty_new_method(ICAL_METHOD_PUBLISH);
		else
			return 0;
		icalcomponent_add_property(vcal, p);
	}
	if (cal->name != NULL) {
		if (!build_string_ok(cal->name, 0, 0))
			return 0;
		icalcomponent_add_property(vcal,
		    icalproperty_new_name(cal->name));
		build_x(vcal, "X-WR-CALNAME", cal->name);
	}
	if (cal->tzid != NULL) {
		if (!build_string_ok(cal->tzid, 0, 0) ||
		    icaltimezone_get_builtin_timezone(cal->tzid) == NULL)
			return 0;
		build_x(vcal, "X-WR-TIMEZONE", cal->tzid);
	}
	if (cal->refresh != NULL) {
		if (!build_string_ok(cal->refresh, 0, 0))
			return 0;
		d = icaldurationtype_from_string(cal->refresh);
		if (icaldurationtype_is_bad_duration(d) || d.is_neg ||
		    icaldurationtype_as_int(d) <= 0)
			return 0;
		p = icalproperty_new_refreshinterval(d);
		icalproperty_add_parameter(p,
		    icalparameter_new_value(ICAL_VALUE_DURATION));
		icalcomponent_add_property(vcal, p);
		if ((s = icaldurationtype_as_ical_string_r(d)) == NULL)
			return 0;
		build_x(vcal, "X-PUBLISHED-TTL", s);
		icalmemory_free_buffer(s);
	}
	return 1;
}

/*
 * libical's text unfolded and folded again by us (RFC 5545 §3.1: lines
 * of at most 75 octets, never splitting a UTF-8 character). libical's
 * own folding is nearly right, but when a value ends one octet short of
 * the fold point it puts the fold between the CR and the LF of the line
 * end ("…\r\r\n \n"): valid once unfolded, yet a bare CR and LF to any
 * reader that splits lines first. Unfolding removes every CRLF+space,
 * so what remains must be lines ended by CRLF; anything else is refused.
 * Returns malloc'd text and *len, or NULL.
 */
static char *
build_refold(const char *s, size_t *len)
{
	size_t n = strlen(s), i, o = 0, e, room, cut;
	char *u, *out;

	/* Unfolded, in place into u. */
	if ((u = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
			i += 2;
			continue;
		}
		u[o++] = s[i];
	}
	u[o] = '\0';
	n = o;
	/* A fold takes at least 71 octets and adds CRLF and a space. */
	if ((out = malloc(n + (n / 64 + 2) * 3 + 1)) == NULL) {
		free(u);
		return NULL;
	}
	o = 0;
	for (i = 0; i < n; i = e + 2) {
		for (e = i; e < n && u[e] != '\r' && u[e] != '\n'; e++)
			;
		if (e == i || e + 1 >= n || u[e] != '\r' || u[e + 1] != '\n')
			goto bad;
		for (room = 75; e - i > room; room = 74) {
			cut = room;
			/* Back off to the start of a UTF-8 character. */
			while (cut > 1 &&
			    ((unsigned char)u[i + cut] & 0xc0) == 0x80)
				cut--;
			memcpy(out + o, u + i, cut);
			o += cut;
			memcpy(out + o, "\r\n ", 3);
			o += 3;
			i += cut;
		}
		memcpy(out + o, u + i, e - i);
		o += e - i;
		memcpy(out + o, "\r\n", 2);
		o += 2;
	}
	out[o] = '\0';
	*len = o;
	free(u);
	return out;
bad:
	free(u);
	free(out);
	return NULL;
}

/*
 * A VCALENDAR holding the head properties of cal and the VTIMEZONE of
 * each zone of zs cut to the window, in zs's order; NULL on an invalid
 * field or when memory ran out.
 */
static icalcomponent *
build_calendar(const struct hical_calendar *cal, const struct zones *zs)
{
	struct icaltimetype from, to;
	icalcomponent *vcal, *vtz;
	size_t i;

	if (cal->window_from > cal->window_to ||
	    !build_time_ok(cal->window_from) || !build_time_ok(cal->window_to))
		return NULL;
	if ((vcal = icalcomponent_new_vcalendar()) == NULL)
		return NULL;
	if (!build_head(vcal, cal))
		goto err;
	/* VTIMEZONEs before the events that refer to them. */
	from = build_utc(cal->window_from);
	to = build_utc(cal->window_to);
	for (i = 0; i < zs->n; i++) {
		vtz = icalcomponent_new_clone(
		    icaltimezone_get_component(zs->v[i].tz));
		if (vtz == NULL)
			goto err;
		icaltimezone_truncate_vtimezone(vtz, from, to, 0);
		icalcomponent_add_component(vcal, vtz);
	}
	return vcal;
err:
	icalcomponent_free(vcal);
	return NULL;
}

/* c as our refolded text (see build_refold); NULL when memory ran out. */
static char *
build_text(icalcomponent *c, size_t *len)
{
	char *text, *out;

	/* The _r form: our own buffer, not libical's per-thread ring. */
	if ((text = icalcomponent_as_ical_string_r(c)) == NULL)
		return NULL;
	out = build_refold(text, len);
	icalmemory_free_buffer(text);
	return out;
}

char *
hical_build(const struct hical_calendar *cal, const struct hical_event *ev,
    size_t n, size_t *len)
{
	struct zones zs = {NULL, 0};
	icalcomponent *vcal = NULL, *v;
	icaltimezone *tz;
	char *out = NULL;
	size_t i;

	if (cal == NULL || len == NULL || (n > 0 && ev == NULL))
		return NULL;
	for (i = 0; i < n; i++)
		if (!build_event_ok(&ev[i]) ||
		    zones_get(&zs, ev[i].tzid) == NULL)
			goto out;
	if ((vcal = build_calendar(cal, &zs)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((tz = zones_get(&zs, ev[i].tzid)) == NULL ||
		    (v = build_event(&ev[i], tz)) == NULL)
			goto out;
		icalcomponent_add_component(vcal, v);
	}
	out = build_text(vcal, len);
out:
	if (vcal != NULL)
		icalcomponent_free(vcal);
	zones_free(&zs);
	return out;
}

char *
hical_build_head(const struct hical_calendar *cal, const char *const *tzids,
    size_t ntz, size_t *len)
{
	static const char end[] = HICAL_END;
	struct zones zs = {NULL, 0};
	icalcomponent *vcal = NULL;
	char *out = NULL;
	size_t i;

	if (cal == NULL || len == NULL || (ntz > 0 && tzids == NULL))
		return NULL;
	for (i = 0; i < ntz; i++)
		if (!build_string_ok(tzids[i], 0, 0) ||
		    zones_get(&zs, tzids[i]) == NULL)
			goto out;
	if ((vcal = build_calendar(cal, &zs)) == NULL ||
	    (out = build_text(vcal, len)) == NULL)
		goto out;
	/* The calendar ends with its END line: cut it off. */
	if (*len < sizeof(end) - 1 ||
	    memcmp(out + *len - (sizeof(end) - 1), end, sizeof(end) - 1) != 0) {
		free(out);
		out = NULL;
		goto out;
	}
	*len -= sizeof(end) - 1;
	out[*len] = '\0';
out:
	if (vcal != NULL)
		icalcomponent_free(vcal);
	zones_free(&zs);
	return out;
}

int
hical_build_events(const struct hical_event *ev, size_t n, char **out,
    size_t *lens)
{
	struct zones zs = {NULL, 0};
	icalcomponent *v;
	icaltimezone *tz;
	size_t i, k;

	if (n > 0 && (ev == NULL || out == NULL || lens == NULL))
		return 0;
	for (i = 0; i < n; i++)
		out[i] = NULL;
	for (i = 0; i < n; i++) {
		if (!build_event_ok(&ev[i]) ||
		    (tz = zones_get(&zs, ev[i].tzid)) == NULL ||
		    (v = build_event(&ev[i], tz)) == NULL)
			goto err;
		out[i] = build_text(v, &lens[i]);
		icalcomponent_free(v);
		if (out[i] == NULL)
			goto err;
	}
	zones_free(&zs);
	return 1;
err:
	for (k = 0; k < n; k++) {
		free(out[k]);
		out[k] = NULL;
	}
	zones_free(&zs);
	return 0;
}
