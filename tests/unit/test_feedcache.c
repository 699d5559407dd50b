/*
 * Unit tests of incremental feeds (svc/service/feedcache.c over ical/'s
 * pieces): after every step of long random series of changes — events
 * added, edited, cancelled and removed, a station renamed (the location
 * of many events), a speaker renamed, a zone changed, the window moved
 * a day, the calendar renamed, alarms switched — the incrementally
 * built feed is byte for byte what libical makes of the whole calendar
 * (hical_build), with the cache large, tiny (evicting all the time) and
 * shared by threads; one change misses exactly one piece; invalid input
 * gives NULL as hical_build does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/feedcache.h"

#define T2026 1767225600 /* 2026-01-01T00:00:00Z */
#define NMAX 160
#define STEPS 80

/* A small deterministic generator (xorshift64*), one state per caller. */
static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

static const char *const words[] = {
    "情绪疏导",
    "讲座",
    "福田区",
    "信访局",
    "3楼",
    "心理咨询室",
    "a",
    "Zoom, room; 4",
    "line\nbreak",
    "tab\there",
    "back\\slash",
    "x",
    "（第12期）",
    "😀",
    "0123456789012345678901234567890123456789",
    "园岭街道",
    "主讲：",
    "、",
    " ",
    "é",
};

/* A random text of 0-40 words: long values fold, some end exactly at
 * a fold point, some hold what must be escaped. */
static void
text(uint64_t *s, char *out, size_t sz)
{
	size_t n = rnd(s) % 40, i, used = 0, w;
	const char *word;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		word = words[rnd(s) % (sizeof(words) / sizeof(*words))];
		w = strlen(word);
		if (used + w + 1 >= sz)
			break;
		memcpy(out + used, word, w + 1);
		used += w;
	}
}

/* The world the feed is made from: what feed.c turns into events. */
struct item {
	int live;
	long long id, sequence;
	time_t start, changed;
	int station, speaker, cancelled, kind;
	int confirmed, public_, reminders;
	int minutes, other_category, guests, organizer, skew, oname;
	char title[400], note[600];
};

struct world {
	struct item it[NMAX];
	char station[4][200]; /* names, as renamed */
	char speaker[3][100];
	const char *zone[4]; /* each station's zone */
	char calname[100];
	time_t from, to;
	int alarms;
	int other_tz, other_refresh;
	uint64_t seed;
};

static const int alarm_minutes[2][3] = {{1440, 60, 5}, {30, 10, 1}};
static const struct hical_attendee attendees[3][2] = {
    {{"张老师", "zhang@example.org"}, {NULL, "li@example.org"}},
    {{"张老帅", "zhang@example.org"}, {NULL, "li@example.org"}},
    {{"张老师", "zhang2@example.org"}, {NULL, "li@example.org"}},
};

/* The events of w as feed.c would pass them; strings live in bufs. */
static size_t
events_of(const struct world *w, struct hical_event *ev, char (*bufs)[3][1200])
{
	size_t n = 0, i;

	for (i = 0; i < NMAX; i++) {
		const struct item *x = &w->it[i];
		struct hical_event *e;

		if (!x->live)
			continue;
		e = &ev[n];
		memset(e, 0, sizeof(*e));
		snprintf(bufs[n][0], sizeof(bufs[n][0]),
		    "event-%lld@hearth.test", x->id);
		/* Shifts name their station in the title too; events only
		 * in LOCATION. */
		snprintf(bufs[n][1], sizeof(bufs[n][1]), "%s%s%s%s",
		    x->cancelled ? "[已取消] " : "", x->title,
		    x->kind == 0 ? " · " : "",
		    x->kind == 0 ? w->station[x->station] : "");
		snprintf(bufs[n][2], sizeof(bufs[n][2]), "%s\n主讲：%s",
		    x->note, w->speaker[x->speaker]);
		e->uid = bufs[n][0];
		e->sequence = x->sequence;
		e->dtstamp = x->changed;
		e->last_modified = x->kind == 1 ? 0 : x->changed + x->skew;
		e->start = x->start;
		e->end = x->start + 60 * (time_t)x->minutes;
		e->tzid = w->zone[x->station];
		e->summary = bufs[n][1];
		e->location = w->station[x->station];
		e->description = bufs[n][2];
		e->url = x->public_ ? "https://hearth.test/e/1" : NULL;
		e->category = x->kind == 0 ? "值班"
		    : x->other_category    ? "沙龙"
		                           : "讲座";
		e->status = x->cancelled ? HICAL_CANCELLED
		    : x->confirmed       ? HICAL_CONFIRMED
		                         : HICAL_TENTATIVE;
		if (x->kind != 0) { /* invitations: not on shifts */
			e->organizer_name = x->oname ? "心访工作室"
			                             : "心访工作室 ";
			e->organizer_email = x->organizer ? "hearth@example.org"
			                                  : "desk@example.org";
			e->attendees = attendees[x->guests];
			e->nattendees = x->kind == 1 ? 1 : 2;
		}
		if (w->alarms && !x->cancelled) {
			e->alarm_minutes = alarm_minutes[x->reminders];
			e->nalarms = 1 + (size_t)x->kind % 3;
		}
		n++;
	}
	return n;
}

static void
item_new(struct world *w, struct item *x, long long id)
{
	memset(x, 0, sizeof(*x));
	x->live = 1;
	x->id = id;
	x->start = w->from + (time_t)(rnd(&w->seed) % 400) * 86400 +
	    (time_t)(rnd(&w->seed) % 24) * 1800;
	x->changed = T2026 + (time_t)(rnd(&w->seed) % 100000);
	x->station = (int)(rnd(&w->seed) % 4);
	x->speaker = (int)(rnd(&w->seed) % 3);
	x->kind = (int)(rnd(&w->seed) % 4);
	x->minutes = 60 + x->kind * 30;
	text(&w->seed, x->title, sizeof(x->title));
	text(&w->seed, x->note, sizeof(x->note));
}

static void
world_init(struct world *w, uint64_t seed, size_t n)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->seed = seed;
	snprintf(w->station[0], sizeof(w->station[0]), "福田区信访局");
	snprintf(w->station[1], sizeof(w->station[1]), "园岭街道工作室");
	snprintf(w->station[2], sizeof(w->station[2]), "Berlin office");
	snprintf(w->station[3], sizeof(w->station[3]), "沙头街道");
	snprintf(w->speaker[0], sizeof(w->speaker[0]), "林晓岚");
	snprintf(w->speaker[1], sizeof(w->speaker[1]), "王芳");
	snprintf(w->speaker[2], sizeof(w->speaker[2]), "陈明");
	w->zone[0] = w->zone[1] = w->zone[3] = "Asia/Shanghai";
	w->zone[2] = "Europe/Berlin";
	snprintf(w->calname, sizeof(w->calname), "心访排班 · 林晓岚");
	w->from = T2026;
	w->to = T2026 + 491 * 86400;
	for (i = 0; i < n && i < NMAX; i++)
		item_new(w, &w->it[i], (long long)i + 1);
}

/* One random change, as a write to the store would make it. */
static void
world_change(struct world *w)
{
	struct item *x = &w->it[rnd(&w->seed) % NMAX];
	int what = (int)(rnd(&w->seed) % 31);

	switch (what) {
	case 0: /* a new event, or one back in the window */
		if (!x->live)
			item_new(w, x, (long long)(x - w->it) + 1000);
		break;
	case 1: /* deleted, or out of the window */
		x->live = 0;
		break;
	case 2: /* renamed */
		text(&w->seed, x->title, sizeof(x->title));
		x->sequence++;
		x->changed += 60;
		break;
	case 3: /* cancelled or reinstated */
		x->cancelled = !x->cancelled;
		x->sequence++;
		x->changed += 60;
		break;
	case 4: /* rescheduled */
		x->start += 86400;
		x->sequence++;
		x->changed += 60;
		break;
	case 5: /* a station renamed: every event there changes */
		snprintf(w->station[rnd(&w->seed) % 4], sizeof(w->station[0]),
		    "工作室 %u", rnd(&w->seed) % 100);
		break;
	case 6: /* a speaker renamed */
		snprintf(w->speaker[rnd(&w->seed) % 3], sizeof(w->speaker[0]),
		    "讲师%u", rnd(&w->seed) % 100);
		break;
	case 7: /* a station's zone changed */
		w->zone[rnd(&w->seed) % 4] = rnd(&w->seed) % 2 ? "Asia/Shanghai"
		    : rnd(&w->seed) % 2                        ? "Europe/Berlin"
		                        : "America/New_York";
		break;
	case 8: /* a day later: the window moves */
		w->from += 86400;
		w->to += 86400;
		break;
	case 9: /* the counsellor renamed: the calendar's name */
		snprintf(w->calname, sizeof(w->calname), "心访排班 · %u",
		    rnd(&w->seed) % 100);
		break;
	case 10: /* the ?alarms=1 form of the same feed */
		w->alarms = !w->alarms;
		break;
	/* Single fields changed alone (no SEQUENCE, no row time): each
	 * must still reach the feed. */
	case 11:
		x->confirmed = !x->confirmed;
		break;
	case 12:
		x->public_ = !x->public_;
		break;
	case 13:
		x->reminders = !x->reminders;
		break;
	case 14: /* earlier start, same end */
		x->start -= 1800;
		x->minutes += 30;
		break;
	case 16: /* later end */
		x->minutes += 30;
		break;
	case 17:
		x->sequence++;
		break;
	case 18:
		x->other_category = !x->other_category;
		break;
	case 19:
		x->guests = (x->guests + 1 + (int)(rnd(&w->seed) % 2)) % 3;
		break;
	case 20:
		x->organizer = !x->organizer;
		break;
	case 21: /* feed_days_back changed: the window's start */
		w->from -= 86400 * 30;
		break;
	case 22: /* feed_days_ahead changed: the window's end */
		w->to += 86400 * 30;
		break;
	case 23:
		x->changed++;
		break;
	case 28:
		x->skew = !x->skew;
		break;
	case 29:
		x->oname = !x->oname;
		break;
	case 24: /* the same fields under another id */
		x->id += 5000;
		break;
	case 25:
		text(&w->seed, x->title, sizeof(x->title));
		break;
	case 26:
		w->other_tz = !w->other_tz;
		break;
	case 27:
		w->other_refresh = !w->other_refresh;
		break;
	case 15: /* the window moved far: 1986-1991 had summer time */
		w->from = w->from > T2026 - 86400 * 400 ? 504921600 : T2026;
		w->to = w->from + 491 * 86400;
		break;
	default: /* a note edited (the row's time kept, as a
			 * careless writer might) */
		text(&w->seed, x->note, sizeof(x->note));
		break;
	}
}

/* The last feed and its digest: the digest changes with the bytes. */
static char *last_text, last_digest[FEEDCACHE_DIGEST];
static size_t last_len;

static void
assert_same(const struct world *w)
{
	static struct hical_event ev[NMAX];
	static char bufs[NMAX][3][1200];
	struct hical_calendar cal;
	char *whole, *inc, digest[FEEDCACHE_DIGEST];
	size_t n, wl = 0, il = 0;

	memset(&cal, 0, sizeof(cal));
	cal.name = w->calname;
	cal.tzid = w->other_tz ? "Europe/Berlin" : "Asia/Shanghai";
	cal.window_from = w->from;
	cal.window_to = w->to;
	cal.refresh = w->other_refresh ? "PT2H" : "PT1H";
	n = events_of(w, ev, bufs);
	whole = hical_build(&cal, ev, n, &wl);
	inc = feedcache_build(&cal, ev, n, &il, digest);
	assert_non_null(whole);
	assert_non_null(inc);
	if (wl != il || memcmp(whole, inc, wl) != 0) {
		size_t i = 0;

		while (i < wl && i < il && whole[i] == inc[i])
			i++;
		fail_msg("incremental feed differs at byte %zu of %zu/%zu:\n"
		         "whole: %.80s\nincremental: %.80s",
		    i, wl, il, whole + (i > 20 ? i - 20 : 0),
		    inc + (i > 20 ? i - 20 : 0));
	}
	assert_int_equal(strlen(digest), FEEDCACHE_DIGEST - 1);
	if (last_text != NULL) {
		int same = last_len == il && memcmp(last_text, inc, il) == 0;

		assert_int_equal(same, strcmp(last_digest, digest) == 0);
	}
	free(last_text);
	last_text = inc;
	last_len = il;
	memcpy(last_digest, digest, sizeof(digest));
	free(whole);
}

/* A long random series of changes; after each, the same bytes. */
static void
test_random_series(void **state)
{
	static struct world w;
	uint64_t seed;
	int step;

	(void)state;
	feedcache_clear();
	feedcache_set_limit(FEEDCACHE_LIMIT);
	for (seed = 1; seed <= 4; seed++) {
		world_init(&w, seed * 0x9e3779b97f4a7c15ULL, 60 + seed * 10);
		assert_same(&w);
		for (step = 0; step < STEPS; step++) {
			world_change(&w);
			if (rnd(&w.seed) % 3 == 0)
				world_change(&w);
			assert_same(&w);
		}
	}
}

/* With a cache far too small for one feed, every build evicts, and
 * the bytes are still right. */
static void
test_tiny_cache(void **state)
{
	static struct world w;
	struct feedcache_stats st;
	int step;

	(void)state;
	feedcache_clear();
	feedcache_set_limit(16 * 1024);
	world_init(&w, 77, 120);
	for (step = 0; step < 60; step++) {
		assert_same(&w);
		world_change(&w);
	}
	feedcache_stats(&st);
	assert_true(st.evicted > 0);
	assert_true(st.bytes <= 16 * 1024 + 1024 * sizeof(void *) + 40 * 1024);
	feedcache_set_limit(FEEDCACHE_LIMIT);
	feedcache_clear();
}

/* The second build of the same feed makes nothing; one changed event
 * makes one piece, a renamed calendar only its head. */
static void
test_one_change_one_piece(void **state)
{
	static struct world w;
	struct feedcache_stats a, b;

	(void)state;
	feedcache_clear();
	world_init(&w, 5, 100);
	assert_same(&w);
	feedcache_stats(&a);
	assert_same(&w);
	feedcache_stats(&b);
	assert_int_equal(b.misses, a.misses);
	assert_int_equal(b.hits - a.hits, 101);
	w.it[7].live = 1;
	text(&w.seed, w.it[7].title, sizeof(w.it[7].title));
	w.it[7].sequence++;
	feedcache_stats(&a);
	assert_same(&w);
	feedcache_stats(&b);
	assert_int_equal(b.misses - a.misses, 1);
	snprintf(w.calname, sizeof(w.calname), "另一个名字");
	feedcache_stats(&a);
	assert_same(&w);
	feedcache_stats(&b);
	assert_int_equal(b.misses - a.misses, 1);
	feedcache_clear();
}

/* Two zones swapped for two others of the same count: the head (its
 * VTIMEZONEs) must be made anew, and the text stays right. */
static void
test_zone_swap(void **state)
{
	static struct world w;
	struct feedcache_stats a, b;

	(void)state;
	feedcache_clear();
	world_init(&w, 11, 80);
	w.it[0].station = 2; /* Berlin is used */
	assert_same(&w);
	w.zone[2] = "America/New_York";
	feedcache_stats(&a);
	assert_same(&w);
	feedcache_stats(&b);
	assert_true(b.misses - a.misses >= 2); /* the head and an event */
	w.from = 504921600;                    /* 1986 */
	w.to = w.from + 491 * 86400;
	assert_same(&w);
	feedcache_clear();
}

struct runner {
	uint64_t seed;
	int bad;
};

static void *
runner_run(void *arg)
{
	struct runner *r = arg;
	struct world *w = malloc(sizeof(*w));
	static struct hical_event ev[4][NMAX];
	static char bufs[4][NMAX][3][1200];
	int step, me = (int)(r->seed % 4);
	struct hical_calendar cal;

	if (w == NULL) {
		r->bad++;
		return NULL;
	}
	/* The same starting world in each thread: pieces are shared. */
	world_init(w, 1234, 100);
	w->seed = r->seed;
	for (step = 0; step < 40; step++) {
		char *whole, *inc;
		size_t n, wl = 0, il = 0;

		world_change(w);
		memset(&cal, 0, sizeof(cal));
		cal.name = w->calname;
		cal.window_from = w->from;
		cal.window_to = w->to;
		n = events_of(w, ev[me], bufs[me]);
		whole = hical_build(&cal, ev[me], n, &wl);
		inc = feedcache_build(&cal, ev[me], n, &il, NULL);
		if (whole == NULL || inc == NULL || wl != il ||
		    memcmp(whole, inc, wl) != 0)
			r->bad++;
		free(whole);
		free(inc);
	}
	free(w);
	return NULL;
}

/* Four threads changing their own copies of one world at once, with a
 * cache small enough to evict while others read. */
static void
test_threads(void **state)
{
	struct runner r[4];
	pthread_t th[4];
	int i;

	(void)state;
	feedcache_clear();
	feedcache_set_limit(96 * 1024);
	for (i = 0; i < 4; i++) {
		r[i].seed = (uint64_t)i + 40;
		r[i].bad = 0;
		assert_int_equal(pthread_create(&th[i], NULL, runner_run,
		                     &r[i]),
		    0);
	}
	/* Every thread joined before any assertion leaves the test. */
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++)
		assert_int_equal(r[i].bad, 0);
	feedcache_set_limit(FEEDCACHE_LIMIT);
	feedcache_clear();
}

/* What hical_build refuses, the cache refuses, and keeps nothing of. */
static void
test_invalid(void **state)
{
	static struct world w;
	static struct hical_event ev[NMAX];
	static char bufs[NMAX][3][1200];
	struct hical_calendar cal;
	struct feedcache_stats st;
	size_t n, len;

	(void)state;
	feedcache_clear();
	world_init(&w, 9, 10);
	memset(&cal, 0, sizeof(cal));
	cal.name = w.calname;
	cal.window_from = w.from;
	cal.window_to = w.to;
	n = events_of(&w, ev, bufs);
	ev[3].tzid = "Nowhere/Land";
	assert_null(hical_build(&cal, ev, n, &len));
	assert_null(feedcache_build(&cal, ev, n, &len, NULL));
	ev[3].tzid = "Asia/Shanghai";
	ev[4].summary = "bad \xff utf-8";
	assert_null(feedcache_build(&cal, ev, n, &len, NULL));
	ev[4].summary = "fine";
	cal.name = "a\r\nMETHOD:CANCEL";
	assert_null(feedcache_build(&cal, ev, n, &len, NULL));
	cal.name = w.calname;
	cal.window_from = w.to + 1;
	assert_null(feedcache_build(&cal, ev, n, &len, NULL));
	assert_null(feedcache_build(NULL, ev, n, &len, NULL));
	assert_null(feedcache_build(&cal, ev, n, NULL, NULL));
	feedcache_stats(&st);
	assert_int_equal(st.pieces, 0);
	/* No events at all: the head and the END line. */
	cal.window_from = w.from;
	assert_same(&(struct world){.from = w.from,
	    .to = w.to,
	    .calname = "空"});
	feedcache_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_series),
	    cmocka_unit_test(test_tiny_cache),
	    cmocka_unit_test(test_one_change_one_piece),
	    cmocka_unit_test(test_zone_swap),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_invalid),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(last_text);
	return rc;
}
