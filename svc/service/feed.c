/*
 * The text of a calendar feed: a counsellor's shifts, talks and
 * follow-ups (by secret token), a station's public events, all public
 * events. Loads the rows of the window and renders them with the VEVENT
 * mapping of ical.c; the cache and the HTTP side stay in api/feed.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "feedcache.h"
#include "../../ical/hearth_ical.h"

#define FEED_MAX_ITEMS 20000
#define CANCELLED_KEEP (30 * 86400)
#define SHIFT_ALARM_MINUTES 60

static const char *
station_name(const struct station *st, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i].id == id)
			return st[i].name;
	return NULL;
}

/* The zone of station id: zones[i] is station i's (see render). */
static const char *
station_zone(const struct station *st, const char *const *zones, size_t n,
    int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i].id == id)
			return zones[i];
	return "Asia/Shanghai";
}

/* Everything a feed is built from. */
struct feed_data {
	struct station *stations;
	size_t nstations;
	struct counsellor *people;
	size_t npeople;
	struct shift *shifts;
	size_t nshifts;
	struct event *events;
	size_t nevents;
	struct case_follow_up *follow_ups; /* a counsellor's 回访 */
	size_t nfollow_ups;
};

static void
feed_data_free(struct feed_data *d)
{
	station_list_free(d->stations, d->nstations);
	counsellor_list_free(d->people, d->npeople);
	shift_list_free(d->shifts, d->nshifts);
	event_list_free(d->events, d->nevents);
	case_follow_up_list_free(d->follow_ups, d->nfollow_ups);
}

static const char *
person_name(const struct feed_data *d, int64_t id)
{
	size_t i;

	for (i = 0; i < d->npeople; i++)
		if (d->people[i].id == id)
			return d->people[i].name;
	return NULL;
}

/* Parses an event's reminders JSON into at most 5 minute offsets. */
static size_t
reminders_of(const struct event *e, int *out)
{
	json_t *arr = json_loads(e->reminders, 0, NULL), *v;
	size_t i, n = 0;

	json_array_foreach(arr, i, v) if (n < 5 && json_is_integer(v))
	    out[n++] = (int)json_integer_value(v);
	json_decref(arr);
	return n;
}

/* Turns the loaded rows into VEVENTs and the whole calendar text. */
static char *
render(const struct svc_feed_ask *ask, const struct feed_data *d,
    const char *calname, time_t now, time_t from, time_t to, size_t *len,
    time_t *last_modified, char digest[SECRET_HASH_HEX])
{
	struct hical_event *ev;
	struct hical_calendar cal;
	struct strpool s = {0};
	static const int shift_alarm[1] = {SHIFT_ALARM_MINUTES};
	int(*alarms)[5];
	const char **zones;
	char *text = NULL;
	size_t n = 0, i, k;

	ev = calloc(d->nshifts + d->nevents + d->nfollow_ups + 1, sizeof(*ev));
	alarms = calloc(d->nevents + 1, sizeof(*alarms));
	zones = calloc(d->nstations + 1, sizeof(*zones));
	if (ev == NULL || alarms == NULL || zones == NULL)
		goto out;
	/* Each station's zone once, not once per item. */
	for (i = 0; i < d->nstations; i++)
		zones[i] = tzdb_get(d->stations[i].timezone) != NULL
		    ? d->stations[i].timezone
		    : "Asia/Shanghai";
	for (i = 0; i < d->nshifts; i++) {
		const struct shift *sh = &d->shifts[i];
		int cancelled = sh->status == SHIFT_CANCELLED;
		struct hical_event *e;

		if (cancelled && sh->updated_at < now - CANCELLED_KEEP)
			continue;
		e = &ev[n++];
		svc_ical_shift(&s, sh,
		    station_zone(d->stations, zones, d->nstations,
		        sh->station_id),
		    e);
		if (ask->alarms && !cancelled) {
			e->alarm_minutes = shift_alarm;
			e->nalarms = 1;
		}
		if (sh->updated_at > *last_modified)
			*last_modified = sh->updated_at;
	}
	for (i = 0; i < d->nevents; i++) {
		const struct event *x = &d->events[i];
		int cancelled = x->status == EVENT_CANCELLED;
		const char *where = station_name(d->stations, d->nstations,
		    x->station_id);
		char speakers[512] = "";
		struct hical_event *e;

		if (cancelled && x->cancelled_at < now - CANCELLED_KEEP)
			continue;
		for (k = 0; k < x->nspeakers; k++) {
			const char *nm = person_name(d, x->speaker_ids[k]);

			if (nm != NULL)
				snprintf(speakers + strlen(speakers),
				    sizeof(speakers) - strlen(speakers), "%s%s",
				    speakers[0] ? "、" : "", nm);
		}
		if (x->external_speaker[0])
			snprintf(speakers + strlen(speakers),
			    sizeof(speakers) - strlen(speakers), "%s%s",
			    speakers[0] ? "、" : "", x->external_speaker);
		e = &ev[n++];
		svc_ical_event(&s, x, where,
		    station_zone(d->stations, zones, d->nstations,
		        x->station_id),
		    speakers, e);
		if (ask->alarms && !cancelled) {
			e->nalarms = reminders_of(x, alarms[i]);
			e->alarm_minutes = alarms[i];
		}
		if (x->updated_at > *last_modified)
			*last_modified = x->updated_at;
	}
	for (i = 0; i < d->nfollow_ups; i++) {
		const struct case_follow_up *f = &d->follow_ups[i];

		if (f->cancelled_at && f->cancelled_at < now - CANCELLED_KEEP)
			continue;
		svc_ical_follow_up(&s, f,
		    station_name(d->stations, d->nstations, f->station_id),
		    station_zone(d->stations, zones, d->nstations,
		        f->station_id),
		    ask->alarms, &ev[n++]);
		if (f->updated_at > *last_modified)
			*last_modified = f->updated_at;
	}
	if (s.failed)
		goto out;
	memset(&cal, 0, sizeof(cal));
	cal.name = calname;
	cal.tzid = "Asia/Shanghai";
	cal.window_from = from;
	cal.window_to = to;
	cal.refresh = "PT1H";
	/* The whole build stays as the oracle the tests compare with. */
	if (svc_config()->feed_whole) {
		if ((text = hical_build(&cal, ev, n, len)) != NULL)
			secret_digest(text, *len, digest);
	} else
		text = feedcache_build(&cal, ev, n, len, digest);
out:
	strpool_free(&s);
	free(ev);
	free(alarms);
	free(zones);
	return text;
}

/* Loads what ask needs; 1 done, 0 unknown token or station, -1 failure.
 * calname receives the calendar's name. */
static int
load(struct store *st, const struct svc_feed_ask *ask, time_t from, time_t to,
    struct feed_data *d, char *calname, size_t sz, time_t *last_modified,
    char *health)
{
	struct station_filter sf = {-1, NULL};
	struct counsellor_filter cf = {-1, 0, NULL};
	struct store_page pg = {FEED_MAX_ITEMS, 0};
	struct event_filter ef;
	struct shift_filter hf;
	struct counsellor c;
	struct station s;
	int64_t total;
	int rc;

	memset(&ef, 0, sizeof(ef));
	ef.from = from;
	ef.to = to;
	if (store_station_list(st, &sf, &pg, &d->stations, &d->nstations,
	        &total) < 0 ||
	    store_counsellor_list(st, &cf, &pg, &d->people, &d->npeople,
	        &total) < 0)
		return -1;
	switch (ask->kind) {
	case FEED_COUNSELLOR:
		rc = store_counsellor_get_by_feed_token(st, ask->token, &c);
		if (rc <= 0)
			return rc;
		/* A deactivated counsellor's feed stops at once (the change
		 * moved the revision: no cached copy is served). */
		if (!c.active) {
			counsellor_free(&c);
			return 0;
		}
		snprintf(calname, sz, "心访排班 · %s", c.name);
		/* The health key names the counsellor, not the token. */
		snprintf(health, 96, "counsellor:%lld", (long long)c.id);
		*last_modified = c.updated_at;
		memset(&hf, 0, sizeof(hf));
		hf.counsellor_id = c.id;
		hf.from = from;
		hf.to = to;
		ef.speaker_id = c.id;
		counsellor_free(&c);
		if (store_shift_list(st, &hf, &pg, &d->shifts, &d->nshifts,
		        &total) < 0)
			return -1;
		{
			/* Follow-ups (回访) of the cases they are on. */
			struct follow_up_filter ff;

			memset(&ff, 0, sizeof(ff));
			ff.counsellor_id = hf.counsellor_id;
			ff.from = from;
			ff.to = to;
			ff.done = -1;
			ff.with_cancelled = 1;
			if (store_follow_up_list(st, &ff, &d->follow_ups,
			        &d->nfollow_ups) < 0)
				return -1;
		}
		break;
	case FEED_STATION:
		rc = store_station_get_by_code(st, ask->station_code, &s);
		if (rc <= 0)
			return rc;
		snprintf(calname, sz, "心访工作室活动 · %s", s.name);
		*last_modified = s.updated_at;
		ef.station_id = s.id;
		ef.public_only = 1;
		station_free(&s);
		break;
	case FEED_EVENTS:
		snprintf(calname, sz, "心访工作室公开活动");
		ef.public_only = 1;
		ef.kind = ask->event_kind;
		ef.audience = ask->audience;
		if (ask->station_code != NULL) {
			rc = store_station_get_by_code(st, ask->station_code,
			    &s);
			if (rc <= 0)
				return rc;
			ef.station_id = s.id;
			station_free(&s);
		}
		break;
	}
	return store_event_list(st, &ef, &pg, &d->events, &d->nevents, &total) <
	        0
	    ? -1
	    : 1;
}

int
svc_feed_text(struct store *st, const struct svc_feed_ask *ask, time_t now,
    time_t from, time_t to, char **text, size_t *len, time_t *last_modified,
    char *health, char digest[SECRET_HASH_HEX])
{
	struct feed_data d;
	char calname[160];
	int rc;

	*text = NULL;
	*len = 0;
	memset(&d, 0, sizeof(d));
	rc = load(st, ask, from, to, &d, calname, sizeof(calname),
	    last_modified, health);
	if (rc > 0 &&
	    (*text = render(ask, &d, calname, now, from, to, len, last_modified,
	         digest)) == NULL)
		rc = -1;
	feed_data_free(&d);
	return rc;
}
