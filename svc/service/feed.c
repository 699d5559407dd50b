/*
 * The text of a calendar feed: a counsellor's shifts, talks and
 * follow-ups (by secret token), a station's public events, all public
 * events. Loads the rows of the window and renders them with the VEVENT
 * mapping of ical.c; the cache and the HTTP side stay in api/feed.c.
 *
 * A rebuild of a feed built before (svc_feed_text_from) reads its rows'
 * marks first — id and a fingerprint of every column, no allocation per
 * row — and reads, maps and serializes only the rows whose fingerprint
 * the previous build did not have; the other VEVENTs are copied from the
 * previous text. Stations and counsellors (names, zones: what a row's
 * text takes from other tables) are read whole each time, and any change
 * to them makes the build a whole one (through feedcache.c).
 */
#include <stdatomic.h>
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

/* Whether a row stays in the feed: a cancelled one for CANCELLED_KEEP. */
static int
shift_kept(int status, time_t updated_at, time_t now)
{
	return !(status == SHIFT_CANCELLED &&
	    updated_at < now - CANCELLED_KEEP);
}

static int
event_kept(int status, time_t cancelled_at, time_t now)
{
	return !(status == EVENT_CANCELLED &&
	    cancelled_at < now - CANCELLED_KEEP);
}

static int
follow_up_kept(const struct case_follow_up *f, time_t now)
{
	return !(f->cancelled_at && f->cancelled_at < now - CANCELLED_KEEP);
}

static const int shift_alarm[1] = {SHIFT_ALARM_MINUTES};

/* The VEVENT of a shift (strings to s). */
static void
fill_shift(struct strpool *s, const struct svc_feed_ask *ask,
    const struct feed_data *d, const char *const *zones, const struct shift *sh,
    struct hical_event *e)
{
	svc_ical_shift(s, sh,
	    station_zone(d->stations, zones, d->nstations, sh->station_id), e);
	if (ask->alarms && sh->status != SHIFT_CANCELLED) {
		e->alarm_minutes = shift_alarm;
		e->nalarms = 1;
	}
}

/* The VEVENT of an event; alarms (5) holds its reminders. */
static void
fill_event(struct strpool *s, const struct svc_feed_ask *ask,
    const struct feed_data *d, const char *const *zones, const struct event *x,
    int *alarms, struct hical_event *e)
{
	const char *where = station_name(d->stations, d->nstations,
	    x->station_id);
	char speakers[512] = "";
	size_t k;

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
	svc_ical_event(s, x, where,
	    station_zone(d->stations, zones, d->nstations, x->station_id),
	    speakers, e);
	if (ask->alarms && x->status != EVENT_CANCELLED) {
		e->nalarms = reminders_of(x, alarms);
		e->alarm_minutes = alarms;
	}
}

static void
fill_follow_up(struct strpool *s, const struct svc_feed_ask *ask,
    const struct feed_data *d, const char *const *zones,
    const struct case_follow_up *f, struct hical_event *e)
{
	svc_ical_follow_up(s, f,
	    station_name(d->stations, d->nstations, f->station_id),
	    station_zone(d->stations, zones, d->nstations, f->station_id),
	    ask->alarms, e);
}

/* Each station's zone once, not once per item: zones[i] is station i's. */
static const char **
station_zones(const struct feed_data *d)
{
	const char **zones = calloc(d->nstations + 1, sizeof(*zones));
	size_t i;

	for (i = 0; zones != NULL && i < d->nstations; i++)
		zones[i] = tzdb_get(d->stations[i].timezone) != NULL
		    ? d->stations[i].timezone
		    : "Asia/Shanghai";
	return zones;
}

static void
calendar_of(struct hical_calendar *cal, const char *calname, time_t from,
    time_t to)
{
	memset(cal, 0, sizeof(*cal));
	cal->name = calname;
	cal->tzid = "Asia/Shanghai";
	cal->window_from = from;
	cal->window_to = to;
	cal->refresh = "PT1H";
}

static atomic_ullong n_incremental, n_whole, n_kept, n_made;

void
svc_feed_stats(struct svc_feed_stats *out)
{
	out->incremental = atomic_load(&n_incremental);
	out->whole = atomic_load(&n_whole);
	out->kept = atomic_load(&n_kept);
	out->made = atomic_load(&n_made);
}

/* --- what a build keeps for the next one ----------------------------------- */

#define SUM_HEX (SECRET_HASH_HEX - 1)

enum piece_kind {
	PIECE_SHIFT = 1,
	PIECE_EVENT,
	PIECE_FOLLOW_UP
};

/* One VEVENT of a built text: where it lies, the row it was made from. */
struct piece_ref {
	int64_t id, fp;
	int kind; /* enum piece_kind; a follow-up is never reused */
	size_t off, len;
	char sum[SUM_HEX];
};

struct svc_feed_pieces {
	time_t from, to;
	int alarms;
	char *context; /* calendar name, stations, counsellors */
	size_t contextsz;
	char *zones; /* the head's zones, each with its NUL */
	size_t zonessz;
	size_t head_len;
	char head_sum[SUM_HEX];
	size_t n;
	struct piece_ref *p;
	size_t nslots;  /* a power of two, over twice n */
	uint32_t *slot; /* index + 1 into p, 0 empty */
};

void
svc_feed_pieces_free(struct svc_feed_pieces *fp)
{
	if (fp == NULL)
		return;
	free(fp->context);
	free(fp->zones);
	free(fp->p);
	free(fp->slot);
	free(fp);
}

size_t
svc_feed_pieces_bytes(const struct svc_feed_pieces *fp)
{
	return fp == NULL ? 0
	                  : sizeof(*fp) + fp->contextsz + fp->zonessz +
	        fp->n * sizeof(*fp->p) + fp->nslots * sizeof(*fp->slot);
}

static size_t
slot_of(int kind, int64_t id, size_t nslots)
{
	uint64_t h = ((uint64_t)id * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)kind;

	return (size_t)(h ^ (h >> 29)) & (nslots - 1);
}

/* The piece of (kind, id) in fp; NULL when it has none. */
static const struct piece_ref *
pieces_find(const struct svc_feed_pieces *fp, int kind, int64_t id)
{
	size_t i = slot_of(kind, id, fp->nslots);
	const struct piece_ref *p;

	for (; fp->slot[i] != 0; i = (i + 1) & (fp->nslots - 1)) {
		p = &fp->p[fp->slot[i] - 1];
		if (p->id == id && p->kind == kind)
			return p;
	}
	return NULL;
}

/* Indexes fp->p (n set); 0 when memory ran out. */
static int
pieces_index(struct svc_feed_pieces *fp)
{
	size_t i, k;

	if (fp->n >= UINT32_MAX / 4)
		return 0;
	for (fp->nslots = 64; fp->nslots < fp->n * 2 + 2; fp->nslots *= 2)
		;
	if ((fp->slot = calloc(fp->nslots, sizeof(*fp->slot))) == NULL)
		return 0;
	for (i = 0; i < fp->n; i++) {
		if (fp->p[i].kind == PIECE_FOLLOW_UP)
			continue;
		for (k = slot_of(fp->p[i].kind, fp->p[i].id, fp->nslots);
		     fp->slot[k] != 0; k = (k + 1) & (fp->nslots - 1))
			;
		fp->slot[k] = (uint32_t)(i + 1);
	}
	return 1;
}

/* What every row's text takes from other tables: the calendar's name,
 * each station's name and zone, each counsellor's name. */
static void
context_of(struct strbuf *b, const struct feed_data *d, const char *calname,
    const char *const *zones)
{
	size_t i;

	strbuf_add(b, calname, strlen(calname) + 1);
	for (i = 0; i < d->nstations; i++) {
		strbuf_add(b, (const char *)&d->stations[i].id,
		    sizeof(d->stations[i].id));
		strbuf_add(b, d->stations[i].name,
		    strlen(d->stations[i].name) + 1);
		strbuf_add(b, zones[i], strlen(zones[i]) + 1);
	}
	strbuf_add(b, "|", 1);
	for (i = 0; i < d->npeople; i++) {
		strbuf_add(b, (const char *)&d->people[i].id,
		    sizeof(d->people[i].id));
		strbuf_add(b, d->people[i].name, strlen(d->people[i].name) + 1);
	}
}

/* The distinct zones of ev in the order of first use (as the head has
 * them), each with its NUL, into b; *nz their count. */
static void
zones_add(struct strbuf *b, size_t *nz, const char *tzid)
{
	size_t off = 0, l = strlen(tzid) + 1;

	while (off < b->len) {
		size_t k = strlen(b->p + off) + 1;

		if (k == l && memcmp(b->p + off, tzid, l) == 0)
			return;
		off += k;
	}
	strbuf_add(b, tzid, l);
	(*nz)++;
}

/* The zones of zb as an array (pointing into zb). */
static const char **
zones_list(const struct strbuf *zb, size_t nz)
{
	const char **z = calloc(nz + 1, sizeof(*z));
	size_t off = 0, i;

	for (i = 0; z != NULL && i < nz; i++) {
		z[i] = zb->p + off;
		off += strlen(zb->p + off) + 1;
	}
	return z;
}

/* Makes the pieces of a new text: head (hlen, hsum), then refs (n). */
static struct svc_feed_pieces *
pieces_new(time_t from, time_t to, int alarms, const struct strbuf *context,
    const struct strbuf *zones, size_t hlen, const char *hsum,
    struct piece_ref *refs, size_t n)
{
	struct svc_feed_pieces *fp = calloc(1, sizeof(*fp));
	size_t i, off = hlen;

	if (fp == NULL || context->failed || zones->failed)
		goto fail;
	fp->from = from;
	fp->to = to;
	fp->alarms = alarms;
	fp->context = malloc(context->len + 1);
	fp->zones = malloc(zones->len + 1);
	if (fp->context == NULL || fp->zones == NULL)
		goto fail;
	memcpy(fp->context, context->p ? context->p : "", context->len);
	fp->contextsz = context->len;
	memcpy(fp->zones, zones->p ? zones->p : "", zones->len);
	fp->zonessz = zones->len;
	fp->head_len = hlen;
	memcpy(fp->head_sum, hsum, SUM_HEX);
	for (i = 0; i < n; i++) {
		refs[i].off = off;
		off += refs[i].len;
	}
	fp->p = refs;
	fp->n = n;
	if (!pieces_index(fp)) {
		fp->p = NULL;
		goto fail;
	}
	return fp;
fail:
	svc_feed_pieces_free(fp);
	free(refs);
	return NULL;
}

/* --- a whole build ------------------------------------------------------------ */

/* Turns the loaded rows into VEVENTs and the whole calendar text; with
 * marks (shift marks, then event marks, as loaded), *next receives the
 * pieces of the text for the next build. */
static char *
render(const struct svc_feed_ask *ask, const struct feed_data *d,
    const char *calname, time_t now, time_t from, time_t to, size_t *len,
    time_t *last_modified, char digest[SECRET_HASH_HEX],
    const struct strbuf *context, const struct feed_mark *marks, size_t nmarks,
    size_t nsm, struct svc_feed_pieces **next)
{
	struct hical_event *ev;
	struct hical_calendar cal;
	struct strpool s = {0};
	struct strbuf zb = {0};
	struct feedcache_piece *info = NULL;
	struct piece_ref *refs = NULL;
	int(*alarms)[5];
	const char **zones;
	char *text = NULL;
	size_t n = 0, i, k, nz = 0, nitems;

	nitems = d->nshifts + d->nevents + d->nfollow_ups;
	ev = calloc(nitems + 1, sizeof(*ev));
	alarms = calloc(d->nevents + 1, sizeof(*alarms));
	zones = station_zones(d);
	if (next != NULL) {
		info = calloc(nitems + 1, sizeof(*info));
		refs = calloc(nitems + 1, sizeof(*refs));
	}
	if (ev == NULL || alarms == NULL || zones == NULL ||
	    (next != NULL && (info == NULL || refs == NULL)))
		goto out;
	for (i = 0; i < d->nshifts; i++) {
		const struct shift *sh = &d->shifts[i];

		if (!shift_kept(sh->status, sh->updated_at, now))
			continue;
		if (refs != NULL) {
			refs[n].kind = PIECE_SHIFT;
			refs[n].id = sh->id;
		}
		fill_shift(&s, ask, d, zones, sh, &ev[n++]);
		if (sh->updated_at > *last_modified)
			*last_modified = sh->updated_at;
	}
	for (i = 0; i < d->nevents; i++) {
		const struct event *x = &d->events[i];

		if (!event_kept(x->status, x->cancelled_at, now))
			continue;
		if (refs != NULL) {
			refs[n].kind = PIECE_EVENT;
			refs[n].id = x->id;
		}
		fill_event(&s, ask, d, zones, x, alarms[i], &ev[n++]);
		if (x->updated_at > *last_modified)
			*last_modified = x->updated_at;
	}
	for (i = 0; i < d->nfollow_ups; i++) {
		const struct case_follow_up *f = &d->follow_ups[i];

		if (!follow_up_kept(f, now))
			continue;
		if (refs != NULL) {
			refs[n].kind = PIECE_FOLLOW_UP;
			refs[n].id = f->id;
		}
		fill_follow_up(&s, ask, d, zones, f, &ev[n++]);
		if (f->updated_at > *last_modified)
			*last_modified = f->updated_at;
	}
	if (s.failed)
		goto out;
	calendar_of(&cal, calname, from, to);
	/* The whole build stays as the oracle the tests compare with. */
	if (svc_config()->feed_whole) {
		if ((text = hical_build(&cal, ev, n, len)) != NULL)
			secret_digest(text, *len, digest);
		goto out;
	}
	text = feedcache_build_info(&cal, ev, n, len, digest, info);
	if (text != NULL)
		atomic_fetch_add(&n_whole, 1);
	if (text == NULL || next == NULL)
		goto out;
	/* The pieces are kept only when the marks are the rows rendered. */
	for (i = 0, k = 0; i < nmarks; i++) {
		const struct feed_mark *m = &marks[i];
		int kind = i < nsm ? PIECE_SHIFT : PIECE_EVENT;

		if (kind == PIECE_SHIFT
		        ? !shift_kept(m->status, m->updated_at, now)
		        : !event_kept(m->status, m->cancelled_at, now))
			continue;
		if (k == n || refs[k].kind != kind || refs[k].id != m->id)
			break;
		refs[k++].fp = m->fp;
	}
	if (i < nmarks || (k < n && refs[k].kind != PIECE_FOLLOW_UP))
		goto out;
	for (i = 0; i < n; i++) {
		refs[i].len = info[i + 1].len;
		memcpy(refs[i].sum, info[i + 1].sum, SUM_HEX);
		if (ev[i].tzid != NULL)
			zones_add(&zb, &nz, ev[i].tzid);
	}
	*next = pieces_new(from, to, ask->alarms, context, &zb, info[0].len,
	    info[0].sum, refs, n);
	refs = NULL;
out:
	strpool_free(&s);
	strbuf_free(&zb);
	free(ev);
	free(alarms);
	free(zones);
	free(info);
	free(refs);
	return text;
}

/* --- an incremental build ------------------------------------------------------ */

/* One VEVENT of the new text: kept from prev, or made now (text). */
struct inc_item {
	const struct piece_ref *old; /* NULL: made now */
	int64_t id, fp;
	int kind;
	const char *tzid;
	size_t want; /* its index in the events made now */
};

/* Builds the text from prev's pieces and the rows that changed: 1 done,
 * 0 when a whole build is better (too many changed, a row gone since its
 * mark was read), -1 failure. */
static int
render_from(struct store *st, const struct svc_feed_ask *ask,
    const struct feed_data *d, const char *calname, time_t now, time_t from,
    time_t to, const struct svc_feed_pieces *prev, const char *prev_text,
    const struct feed_mark *smarks, size_t nsm, const struct feed_mark *emarks,
    size_t nem, char **textp, size_t *len, time_t *last_modified,
    char digest[SECRET_HASH_HEX], const struct strbuf *context,
    struct svc_feed_pieces **next)
{
	static const char end[] = HICAL_END;
	struct inc_item *it = NULL;
	struct hical_event *want = NULL;
	struct shift *shifts = NULL;
	struct event *events = NULL;
	struct piece_ref *refs = NULL;
	struct strpool s = {0};
	struct strbuf zb = {0}, out = {0}, sums = {0};
	struct hical_calendar cal;
	const char **zones = NULL, **hz = NULL;
	char **texts = NULL, hsum[SECRET_HASH_HEX], *head = NULL;
	size_t *lens = NULL, n = 0, nwant = 0, nsh = 0, nev = 0, i, nz = 0;
	size_t total, hlen;
	int(*alarms)[5] = NULL;
	int rc = -1;
	time_t lm = *last_modified;

	*textp = NULL;
	it = calloc(nsm + nem + d->nfollow_ups + 1, sizeof(*it));
	if (it == NULL || (zones = station_zones(d)) == NULL)
		goto out;
	for (i = 0; i < nsm + nem; i++) {
		int kind = i < nsm ? PIECE_SHIFT : PIECE_EVENT;
		const struct feed_mark *m = i < nsm ? &smarks[i]
		                                    : &emarks[i - nsm];
		const struct piece_ref *old;

		if (kind == PIECE_SHIFT
		        ? !shift_kept(m->status, m->updated_at, now)
		        : !event_kept(m->status, m->cancelled_at, now))
			continue;
		old = pieces_find(prev, kind, m->id);
		it[n].old = old != NULL && old->fp == m->fp ? old : NULL;
		it[n].id = m->id;
		it[n].fp = m->fp;
		it[n].kind = kind;
		it[n].tzid = station_zone(d->stations, zones, d->nstations,
		    m->station_id);
		if (it[n].old == NULL) {
			it[n].want = nwant++;
			nsh += kind == PIECE_SHIFT;
			nev += kind == PIECE_EVENT;
		}
		if (m->updated_at > lm)
			lm = m->updated_at;
		n++;
	}
	/* Many changed rows: one list query beats a query for each. */
	if (nwant > n / 4 + 16) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < d->nfollow_ups; i++) {
		const struct case_follow_up *f = &d->follow_ups[i];

		if (!follow_up_kept(f, now))
			continue;
		it[n].kind = PIECE_FOLLOW_UP;
		it[n].id = f->id;
		it[n].want = nwant++;
		if (f->updated_at > lm)
			lm = f->updated_at;
		n++;
	}
	want = calloc(nwant + 1, sizeof(*want));
	texts = calloc(nwant + 1, sizeof(*texts));
	lens = calloc(nwant + 1, sizeof(*lens));
	shifts = calloc(nsh + 1, sizeof(*shifts));
	events = calloc(nev + 1, sizeof(*events));
	alarms = calloc(nev + 1, sizeof(*alarms));
	refs = calloc(n + 1, sizeof(*refs));
	if (want == NULL || texts == NULL || lens == NULL || shifts == NULL ||
	    events == NULL || alarms == NULL || refs == NULL)
		goto out;
	/* The changed rows, read one by one, and the follow-ups. */
	nsh = nev = 0;
	for (i = 0, nwant = 0; i < n; i++) {
		struct hical_event *e;
		int got;

		if (it[i].old != NULL)
			continue;
		e = &want[nwant++];
		switch (it[i].kind) {
		case PIECE_SHIFT:
			if ((got = store_shift_get(st, it[i].id,
			         &shifts[nsh])) <= 0) {
				rc = got;
				goto out;
			}
			fill_shift(&s, ask, d, zones, &shifts[nsh++], e);
			break;
		case PIECE_EVENT:
			if ((got = store_event_get(st, it[i].id,
			         &events[nev])) <= 0) {
				rc = got;
				goto out;
			}
			fill_event(&s, ask, d, zones, &events[nev], alarms[nev],
			    e);
			nev++;
			break;
		default: {
			size_t f;

			for (f = 0; d->follow_ups[f].id != it[i].id; f++)
				;
			fill_follow_up(&s, ask, d, zones, &d->follow_ups[f], e);
			it[i].tzid = e->tzid;
		}
		}
	}
	if (s.failed ||
	    (nwant > 0 && !hical_build_events(want, nwant, texts, lens)))
		goto out;
	/* The head: kept unless its zones or the window moved. */
	for (i = 0; i < n; i++)
		if (it[i].tzid != NULL)
			zones_add(&zb, &nz, it[i].tzid);
	if (zb.failed)
		goto out;
	if (prev->from == from && prev->to == to && prev->zonessz == zb.len &&
	    memcmp(prev->zones, zb.p ? zb.p : "", zb.len) == 0) {
		hlen = prev->head_len;
		memcpy(hsum, prev->head_sum, SUM_HEX);
	} else {
		calendar_of(&cal, calname, from, to);
		if ((hz = zones_list(&zb, nz)) == NULL ||
		    (head = hical_build_head(&cal, hz, nz, &hlen)) == NULL)
			goto out;
		secret_digest(head, hlen, hsum);
	}
	for (i = 0, total = hlen + sizeof(end) - 1; i < n; i++)
		total += it[i].old ? it[i].old->len : lens[it[i].want];
	strbuf_reserve(&out, total);
	strbuf_reserve(&sums, (n + 1) * SUM_HEX);
	strbuf_add(&out, head ? head : prev_text, hlen);
	strbuf_add(&sums, hsum, SUM_HEX);
	for (i = 0; i < n; i++) {
		refs[i].kind = it[i].kind;
		refs[i].id = it[i].id;
		refs[i].fp = it[i].fp;
		if (it[i].old != NULL) {
			refs[i].len = it[i].old->len;
			memcpy(refs[i].sum, it[i].old->sum, SUM_HEX);
			strbuf_add(&out, prev_text + it[i].old->off,
			    it[i].old->len);
		} else {
			char sum[SECRET_HASH_HEX];

			refs[i].len = lens[it[i].want];
			secret_digest(texts[it[i].want], refs[i].len, sum);
			memcpy(refs[i].sum, sum, SUM_HEX);
			strbuf_add(&out, texts[it[i].want], refs[i].len);
		}
		strbuf_add(&sums, refs[i].sum, SUM_HEX);
	}
	strbuf_add(&out, end, sizeof(end) - 1);
	if (out.failed || sums.failed)
		goto out;
	secret_digest(sums.p, sums.len, digest);
	*textp = strbuf_take(&out, len);
	*last_modified = lm;
	atomic_fetch_add(&n_incremental, 1);
	atomic_fetch_add(&n_kept, n - nwant);
	atomic_fetch_add(&n_made, nwant);
	if (next != NULL)
		*next = pieces_new(from, to, ask->alarms, context, &zb, hlen,
		    hsum, refs, n);
	refs = NULL;
	rc = 1;
out:
	for (i = 0; texts != NULL && i < nwant; i++)
		free(texts[i]);
	for (i = 0; shifts != NULL && i < nsh; i++)
		shift_free(&shifts[i]);
	for (i = 0; events != NULL && i < nev; i++)
		event_free(&events[i]);
	free(it);
	free(want);
	free(texts);
	free(lens);
	free(shifts);
	free(events);
	free(alarms);
	free(refs);
	free(zones);
	free(hz);
	free(head);
	strpool_free(&s);
	strbuf_free(&zb);
	strbuf_free(&out);
	strbuf_free(&sums);
	return rc;
}

/* --- loading -------------------------------------------------------------------- */

/* The row lists of a feed. */
struct feed_query {
	int shifts; /* a counsellor's feed: shifts (and follow-ups) */
	struct shift_filter hf;
	struct event_filter ef;
};

/* Loads what every build of ask needs (stations, counsellors, the
 * follow-ups) and the filters of its rows; 1 done, 0 unknown token or
 * station, -1 failure. calname receives the calendar's name. */
static int
load_base(struct store *st, const struct svc_feed_ask *ask, time_t from,
    time_t to, struct feed_data *d, char *calname, size_t sz,
    time_t *last_modified, char *health, struct feed_query *q)
{
	struct station_filter sf = {-1, NULL};
	struct counsellor_filter cf = {-1, 0, NULL};
	struct store_page pg = {FEED_MAX_ITEMS, 0};
	struct counsellor c;
	struct station s;
	int64_t total;
	int rc;

	memset(q, 0, sizeof(*q));
	q->ef.from = from;
	q->ef.to = to;
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
		q->shifts = 1;
		q->hf.counsellor_id = c.id;
		q->hf.from = from;
		q->hf.to = to;
		q->ef.speaker_id = c.id;
		counsellor_free(&c);
		{
			/* Follow-ups (回访) of the cases they are on. */
			struct follow_up_filter ff;

			memset(&ff, 0, sizeof(ff));
			ff.counsellor_id = q->hf.counsellor_id;
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
		q->ef.station_id = s.id;
		q->ef.public_only = 1;
		station_free(&s);
		break;
	case FEED_EVENTS:
		snprintf(calname, sz, "心访工作室公开活动");
		q->ef.public_only = 1;
		q->ef.kind = ask->event_kind;
		q->ef.audience = ask->audience;
		if (ask->station_code != NULL) {
			rc = store_station_get_by_code(st, ask->station_code,
			    &s);
			if (rc <= 0)
				return rc;
			q->ef.station_id = s.id;
			station_free(&s);
		}
		break;
	}
	return 1;
}

/* The rows themselves, whole. */
static int
load_rows(struct store *st, const struct feed_query *q, struct feed_data *d)
{
	struct store_page pg = {FEED_MAX_ITEMS, 0};
	int64_t total;

	if (q->shifts &&
	    store_shift_list(st, &q->hf, &pg, &d->shifts, &d->nshifts, &total) <
	        0)
		return -1;
	return store_event_list(st, &q->ef, &pg, &d->events, &d->nevents,
	           &total) < 0
	    ? -1
	    : 1;
}

/* The marks of the rows: shifts first, then events, in one array. */
static int
load_marks(struct store *st, const struct feed_query *q,
    struct feed_mark **marks, size_t *n, size_t *nshifts)
{
	struct store_page pg = {FEED_MAX_ITEMS, 0};
	struct feed_mark *sm = NULL, *em = NULL, *all;
	size_t nsm = 0, nem = 0;

	*marks = NULL;
	*n = *nshifts = 0;
	if ((q->shifts && store_shift_marks(st, &q->hf, &pg, &sm, &nsm) < 0) ||
	    store_event_marks(st, &q->ef, &pg, &em, &nem) < 0) {
		free(sm);
		free(em);
		return -1;
	}
	if (nsm == 0) {
		all = em;
	} else if ((all = realloc(sm, (nsm + nem) * sizeof(*sm))) != NULL) {
		if (nem > 0)
			memcpy(all + nsm, em, nem * sizeof(*em));
		free(em);
	} else {
		free(sm);
		free(em);
		return -1;
	}
	*marks = all;
	*n = nsm + nem;
	*nshifts = nsm;
	return 1;
}

int
svc_feed_text_from(struct store *st, const struct svc_feed_ask *ask, time_t now,
    time_t from, time_t to, const struct svc_feed_pieces *prev,
    const char *prev_text, char **text, size_t *len, time_t *last_modified,
    char *health, char digest[SECRET_HASH_HEX], struct svc_feed_pieces **next)
{
	struct feed_data d;
	struct feed_query q;
	struct feed_mark *marks = NULL;
	struct strbuf context = {0};
	const char **zones = NULL;
	char calname[160];
	size_t nmarks = 0, nsm = 0;
	int rc, keep = next != NULL && !svc_config()->feed_whole;

	*text = NULL;
	*len = 0;
	if (next != NULL)
		*next = NULL;
	memset(&d, 0, sizeof(d));
	rc = load_base(st, ask, from, to, &d, calname, sizeof(calname),
	    last_modified, health, &q);
	if (rc > 0 && keep) {
		if ((zones = station_zones(&d)) == NULL)
			rc = -1;
		else
			context_of(&context, &d, calname, zones);
		if (rc > 0 &&
		    (context.failed ||
		        load_marks(st, &q, &marks, &nmarks, &nsm) < 0))
			rc = -1;
		if (rc > 0 && prev != NULL && prev_text != NULL &&
		    prev->alarms == ask->alarms &&
		    prev->contextsz == context.len &&
		    memcmp(prev->context, context.p, context.len) == 0) {
			rc = render_from(st, ask, &d, calname, now, from, to,
			    prev, prev_text, marks, nsm, marks + nsm,
			    nmarks - nsm, text, len, last_modified, digest,
			    &context, next);
			if (rc != 0)
				goto out;
			rc = 1; /* a whole build after all */
		}
	}
	if (rc > 0 && load_rows(st, &q, &d) < 0)
		rc = -1;
	if (rc > 0 &&
	    (*text = render(ask, &d, calname, now, from, to, len, last_modified,
	         digest, &context, marks, nmarks, nsm, keep ? next : NULL)) ==
	        NULL)
		rc = -1;
out:
	free(marks);
	free(zones);
	strbuf_free(&context);
	feed_data_free(&d);
	return rc;
}

int
svc_feed_text(struct store *st, const struct svc_feed_ask *ask, time_t now,
    time_t from, time_t to, char **text, size_t *len, time_t *last_modified,
    char *health, char digest[SECRET_HASH_HEX])
{
	return svc_feed_text_from(st, ask, now, from, to, NULL, NULL, text, len,
	    last_modified, health, digest, NULL);
}
