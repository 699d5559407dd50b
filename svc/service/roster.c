/*
 * Roster generation and coverage. The templates are expanded into seats
 * day by day (holidays off, make-up workdays staffed like their
 * weekday), the solver in core/roster.c fills them, and every seat
 * nobody may take is saved as an open shift and reported with its
 * reason; coverage compares the seats with the shifts.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "service.h"

#define BIG_PAGE 100000

/* The stations, for zones and names. */
struct station_set {
	struct station *items;
	size_t n;
};

static const struct station *
station_of(const struct station_set *ss, int64_t id)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (ss->items[i].id == id)
			return &ss->items[i];
	return NULL;
}

static const struct tz *
station_zone(const struct station_set *ss, int64_t id)
{
	const struct station *s = station_of(ss, id);
	const struct tz *z = s ? tzdb_get(s->timezone) : NULL;

	return z ? z : tzdb_default();
}

/* The weekday (1-7) a day is staffed as, or 0 when it has no duty. */
static int
staffed_as(int64_t day, const struct holiday *h, size_t nh)
{
	int64_t d;
	size_t i;

	for (i = 0; i < nh; i++)
		if (time_parse_date(h[i].date, &d) && d == day)
			return strcmp(h[i].kind, "workday") == 0
			    ? (h[i].as_weekday ? h[i].as_weekday : 1)
			    : 0;
	return activity_weekday(day);
}

static int
template_applies(const struct shift_template *t, int64_t day, int weekday)
{
	int64_t a;

	if (!t->active || weekday == 0 ||
	    !(t->weekdays & (1u << (weekday - 1))))
		return 0;
	if (t->valid_from && time_parse_date(t->valid_from, &a) && day < a)
		return 0;
	if (t->valid_to && time_parse_date(t->valid_to, &a) && day > a)
		return 0;
	return 1;
}

/* Everything a roster computation reads, loaded once. */
struct roster_data {
	int64_t from, to; /* days, inclusive */
	struct station_set stations;
	struct shift_template *templates;
	size_t ntemplates;
	struct holiday *holidays;
	size_t nholidays;
	struct roster_slot *seats; /* every seat the templates ask for */
	size_t nseats;
};

static void
roster_data_free(struct roster_data *d)
{
	station_list_free(d->stations.items, d->stations.n);
	template_list_free(d->templates, d->ntemplates);
	holiday_list_free(d->holidays, d->nholidays);
	free(d->seats);
	memset(d, 0, sizeof(*d));
}

static int
wanted_station(const json_t *ids, int64_t id)
{
	size_t i;

	if (ids == NULL)
		return 1;
	for (i = 0; i < json_array_size(ids); i++)
		if (json_integer_value(json_array_get(ids, i)) == id)
			return 1;
	return 0;
}

/* Loads stations, templates and holidays and expands the seats of
 * [from, to] for the stations in ids (NULL = all). -1 on failure. */
static int
roster_load(struct store *st, int64_t from, int64_t to, const json_t *ids,
    struct roster_data *d)
{
	struct station_filter sf = {-1, NULL};
	struct template_filter tf = {0, 1};
	struct store_page pg = {BIG_PAGE, 0};
	int64_t total, day;
	char a[11], b[11];
	size_t i, cap = 0;
	int seat, weekday;

	memset(d, 0, sizeof(*d));
	d->from = from;
	d->to = to;
	time_format_date(from, a);
	time_format_date(to, b);
	if (store_station_list(st, &sf, &pg, &d->stations.items, &d->stations.n,
	        &total) < 0 ||
	    store_template_list(st, &tf, &pg, &d->templates, &d->ntemplates,
	        &total) < 0 ||
	    store_holiday_range(st, a, b, &d->holidays, &d->nholidays) < 0)
		return -1;
	for (day = from; day <= to; day++) {
		weekday = staffed_as(day, d->holidays, d->nholidays);
		for (i = 0; i < d->ntemplates; i++) {
			const struct shift_template *t = &d->templates[i];
			const struct tz *z;
			int64_t local = day * 86400;

			if (!wanted_station(ids, t->station_id) ||
			    !template_applies(t, day, weekday))
				continue;
			z = station_zone(&d->stations, t->station_id);
			for (seat = 0; seat < t->required; seat++) {
				struct roster_slot *s;

				if (d->nseats == cap) {
					cap = cap ? cap * 2 : 256;
					s = realloc(d->seats, cap * sizeof(*s));
					if (s == NULL)
						return -1;
					d->seats = s;
				}
				s = &d->seats[d->nseats++];
				memset(s, 0, sizeof(*s));
				s->station_id = t->station_id;
				s->template_id = t->id;
				s->seat = seat;
				s->day = day;
				s->start = tz_local_to_utc(z,
				    local + roster_parse_hhmm(t->start) * 60);
				s->end = tz_local_to_utc(z,
				    local + roster_parse_hhmm(t->end) * 60);
			}
		}
	}
	return 1;
}

static const char *
reason_name(unsigned flags, char *buf, size_t sz)
{
	const char *parts[3];
	size_t n = 0, i;

	if (flags & ROSTER_NO_ACTIVE)
		return "no_active_counsellors";
	if (flags & ROSTER_ON_LEAVE)
		parts[n++] = "on_leave";
	if (flags & ROSTER_BUSY)
		parts[n++] = "busy";
	if (flags & ROSTER_AT_MAX)
		parts[n++] = "at_max_hours";
	if (n == 0)
		return "no_active_counsellors";
	if (n == 1) {
		snprintf(buf, sz, "all_%s", parts[0]);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, "_or_", sz - strlen(buf) - 1);
		strncat(buf, parts[i], sz - strlen(buf) - 1);
	}
	return buf;
}

/* Whether a generated, unedited, assigned shift must be filled again:
 * its counsellor was deactivated or is now on leave at that time. */
static int
needs_refill(const struct shift *sh, const struct counsellor *people, size_t np,
    const struct availability *leave, size_t nl)
{
	size_t i;

	if (sh->template_id == 0 || sh->pinned || sh->counsellor_id == 0 ||
	    sh->status == SHIFT_CANCELLED)
		return 0;
	for (i = 0; i < np; i++)
		if (people[i].id == sh->counsellor_id && !people[i].active)
			return 1;
	for (i = 0; i < nl; i++)
		if (leave[i].counsellor_id == sh->counsellor_id &&
		    leave[i].start_at < sh->end_at &&
		    leave[i].end_at > sh->start_at)
			return 1;
	return 0;
}

/* Shifts by (template, start, seat): the key of a generated seat. */
static int
key_cmp(const void *pa, const void *pb)
{
	const struct shift *a = *(const struct shift *const *)pa;
	const struct shift *b = *(const struct shift *const *)pb;

	if (a->template_id != b->template_id)
		return a->template_id < b->template_id ? -1 : 1;
	if (a->start_at != b->start_at)
		return a->start_at < b->start_at ? -1 : 1;
	if (a->seat != b->seat)
		return a->seat < b->seat ? -1 : 1;
	/* The first of equal keys: the lowest position, as the scan had. */
	return a < b ? -1 : a > b;
}

/* The first shift (in list order) with the key of seat s, or NULL. */
static const struct shift *
find_key(const struct shift *const *order, size_t n,
    const struct roster_slot *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct shift *x = order[mid];
		int c = x->template_id != s->template_id
		    ? (x->template_id < s->template_id ? -1 : 1)
		    : x->start_at != s->start
		    ? (x->start_at < s->start ? -1 : 1)
		    : x->seat != s->seat ? (x->seat < s->seat ? -1 : 1)
		                         : 0;

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && order[lo]->template_id == s->template_id &&
	    order[lo]->start_at == s->start && order[lo]->seat == s->seat)
		return order[lo];
	return NULL;
}

/* Hours statistics over the active counsellors for the given shifts. */
static json_t *
hours_json(const struct counsellor *people, size_t np,
    const struct shift *shifts, size_t ns, const struct roster_slot *slots,
    size_t nslots, time_t from, time_t to)
{
	json_t *list = json_array();
	double sum = 0, sq = 0, min = 0, max = 0, h;
	size_t i, k, nactive = 0;

	for (i = 0; i < np; i++) {
		int64_t sec = 0;

		if (!people[i].active)
			continue;
		for (k = 0; k < ns; k++)
			if (shifts[k].counsellor_id == people[i].id &&
			    shifts[k].status != SHIFT_CANCELLED &&
			    shifts[k].start_at >= from &&
			    shifts[k].start_at < to)
				sec += shifts[k].end_at - shifts[k].start_at;
		for (k = 0; k < nslots; k++)
			if (slots[k].counsellor_id == people[i].id)
				sec += slots[k].end - slots[k].start;
		h = (double)sec / 3600.0;
		min = nactive == 0 || h < min ? h : min;
		max = nactive == 0 || h > max ? h : max;
		sum += h;
		sq += h * h;
		nactive++;
		json_array_append_new(list,
		    json_pack("{s:I, s:s, s:f}", "counsellor_id",
		        (json_int_t)people[i].id, "name", people[i].name,
		        "hours", h));
	}
	h = nactive ? sum / (double)nactive : 0;
	return json_pack("{s:f, s:f, s:f, s:o}", "min", min, "max", max,
	    "stddev",
	    nactive ? sqrt(sq / (double)nactive - h * h < 0
	                      ? 0
	                      : sq / (double)nactive - h * h)
	            : 0.0,
	    "per_counsellor", list);
}

/* The district hall is everyone's station: a seat there is not taken
 * from anybody's home. */
static void
mark_shared(const struct station_set *ss, struct roster_slot *slots, size_t n)
{
	const struct station *s = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s == NULL || s->id != slots[i].station_id)
			s = station_of(ss, slots[i].station_id);
		slots[i].shared = s != NULL && strcmp(s->kind, "hall") == 0;
	}
}

/* {"total": N, "by_reason": {"shared_station": n, ...}} of the seats
 * this run gave to someone away from their home station. */
static json_t *
away_json(const struct roster_slot *slots, size_t n)
{
	size_t count[ROSTER_AWAY__MAX] = {0}, i, total = 0;
	json_t *by = json_object();

	for (i = 0; i < n; i++)
		if (slots[i].counsellor_id != 0 &&
		    slots[i].away < ROSTER_AWAY__MAX)
			count[slots[i].away]++;
	for (i = 1; i < ROSTER_AWAY__MAX; i++) {
		json_object_set_new(by, roster_away_names[i],
		    json_integer((json_int_t)count[i]));
		total += count[i];
	}
	return json_pack("{s:I, s:o}", "total", (json_int_t)total, "by_reason",
	    by);
}

/* Where a generation's time goes (issue 15 point 5): wall and thread
 * CPU time per phase, logged with the run. */
enum gen_phase {
	PH_HOLD,
	PH_LOAD_SETUP, /* stations, templates, holidays, the seats */
	PH_LOAD_PEOPLE,
	PH_LOAD_SHIFTS,
	PH_LOAD_LEAVE,
	PH_PREP, /* refill, busy, the key index */
	PH_SOLVE,
	PH_READY,   /* the letters, outside the write lock */
	PH_LAST,    /* the last transaction's work (before its COMMIT) */
	PH_PUBLISH, /* the rest of the publish: inserts, commits, syncs */
	PH_RESULT,
	PH__MAX
};

static const char *const gen_phase_names[PH__MAX] = {"hold", "setup", "people",
    "shifts", "leave", "prep", "solve", "ready", "last", "publish", "result"};

struct gen_clock {
	struct timespec w, c;
	double wall[PH__MAX], cpu[PH__MAX];
	long vcsw,
	    ivcsw; /* the thread's context switches: blocked, preempted */
};

static void
gen_switches(long *v, long *iv)
{
	struct rusage u;

	*v = *iv = 0;
	if (getrusage(RUSAGE_THREAD, &u) == 0) {
		*v = u.ru_nvcsw;
		*iv = u.ru_nivcsw;
	}
}

static double
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void
gen_clock_start(struct gen_clock *k)
{
	memset(k, 0, sizeof(*k));
	gen_switches(&k->vcsw, &k->ivcsw);
	clock_gettime(CLOCK_MONOTONIC, &k->w);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &k->c);
}

/* The time since the last mark goes to phase ph. */
static void
gen_clock_mark(struct gen_clock *k, enum gen_phase ph)
{
	struct timespec w, c;

	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
	k->wall[ph] += ms_between(&k->w, &w);
	k->cpu[ph] += ms_between(&k->c, &c);
	k->w = w;
	k->c = c;
}

/* Shifts a transaction of a generation (issue 17): about 15 ms of the
 * write lock here. */
#define ROSTER_BATCH 1000

/*
 * A generation small enough runs whole in one transaction (issue 15
 * point 5): the write lock is taken before the shifts are read and held
 * to the commit, so no hold record, no batches, one sync instead of five
 * (each 10-20 ms on a busy disk: most of a quarter's time). Chosen when
 * the seats are at most ROSTER_ONE_TX_SEATS and their estimated time
 * under the lock (the thread CPU time per seat of the runs before, 6 µs
 * to begin with) within ROSTER_LOCK_BUDGET_NS, about what one batch of
 * ROSTER_BATCH holds it; else batched, as issue 17 made it.
 */
#define ROSTER_ONE_TX_SEATS 3000
#define ROSTER_LOCK_BUDGET_NS 25000000LL
static atomic_llong lock_ns_per_seat = 6000;

static int64_t
clock_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Whether nseats are generated in one transaction. */
static int
one_transaction(size_t nseats)
{
	return nseats <= ROSTER_ONE_TX_SEATS &&
	    (long long)nseats * atomic_load(&lock_ns_per_seat) <=
	    ROSTER_LOCK_BUDGET_NS;
}

/* Learns the lock's CPU time per seat from a run: cpu_ns for seats. */
static void
lock_cost_learn(int64_t cpu_ns, size_t seats)
{
	long long was = atomic_load(&lock_ns_per_seat), now;

	if (seats < 100 || cpu_ns <= 0)
		return; /* too few to tell */
	now = (3 * was + cpu_ns / (long long)seats) / 4;
	atomic_store(&lock_ns_per_seat, now > 500 ? now : 500);
}

/* What the transactions of store_roster_publish_batched do besides the
 * inserts. */
struct gen_ctx {
	struct shift *ins; /* the new shifts, ids set once published */
	size_t nins;
	const struct roster_slot *todo;
	size_t ntodo;
	const struct station_set *stations; /* those generated: */
	const json_t *station_ids;          /* (NULL = all) */
	const struct svc_roster_run *run;
	int batching, letters; /* a mail batch is open; its letters are in */
	size_t reassigned;
	struct gen_clock *clock;
};

/* The line of a new shift in its counsellor's roster notice, as
 * svc_mail_shift words it ("新增 11月25日（周三）09:00–12:00 驻点"), from
 * the stations in memory. */
static int
new_shift_line(struct store *st, const struct gen_ctx *g,
    const struct shift *sh)
{
	const struct station *s = station_of(g->stations, sh->station_id);
	struct strbuf b = {0};
	char *line;
	int rc;

	strbuf_str(&b, "新增 ");
	notify_span_zh(&b, sh->start_at, sh->end_at,
	    station_zone(g->stations, sh->station_id));
	strbuf_printf(&b, " %s", s ? s->name : "");
	if ((line = strbuf_take(&b, NULL)) == NULL)
		return -1;
	rc = svc_mail_roster_line(st, sh->counsellor_id, sh->id, line);
	free(line);
	return rc;
}

/* The counsellors' letters of the new shifts, gathered in memory (mail.c
 * writes each counsellor's notice once, at svc_mail_batch_end). When no
 * group robot hears of them (quiet), the lines are made here from the
 * stations in memory: svc_mail_shift would read the station, the
 * counsellor and the robots again for every shift (four reads a shift,
 * half the generation's CPU; issue 15 point 5). */
static int
gen_letters(struct store *st, struct gen_ctx *g, int quiet)
{
	time_t now = svc_now();
	size_t i;

	if (!g->batching) {
		svc_mail_batch_begin();
		g->batching = 1;
	}
	for (i = 0; i < g->nins; i++) {
		const struct shift *sh = &g->ins[i];

		if (!quiet) {
			if (svc_mail_shift(st, NULL, sh) < 0)
				return -1;
			continue;
		}
		/* svc_mail_shift's rules for a new shift: only one still
		 * ahead and someone's concerns anyone. */
		if (sh->status == SHIFT_CANCELLED || sh->counsellor_id == 0 ||
		    sh->end_at <= now)
			continue;
		if (new_shift_line(st, g, sh) < 0)
			return -1;
	}
	g->letters = 1;
	return 0;
}

/* Whether a group robot hears of the new shifts (one at any station
 * generated, or the district's): 1, 0, or -1 on a failure. */
static int
robots_listen(struct store *st, const struct gen_ctx *g)
{
	struct robot *rs;
	size_t i, n;

	if (g->nins == 0 ||
	    (!svc_channel_robot_on(NOTIFY_WECOM) &&
	        !svc_channel_robot_on(NOTIFY_DINGTALK)))
		return 0;
	for (i = 0; i < g->stations->n; i++) {
		if (!wanted_station(g->station_ids, g->stations->items[i].id))
			continue;
		if (store_robot_targets(st, g->stations->items[i].id, NULL, &rs,
		        &n) < 0)
			return -1;
		robot_list_free(rs, n);
		if (n > 0)
			return 1;
	}
	return 0;
}

/* After the inserts, outside the write lock (SQLite): the letters only
 * read; the group robots' notes write, so when a robot hears of the new
 * shifts everything waits for the last transaction. */
static int
gen_ready(struct store *st, void *arg)
{
	struct gen_ctx *g = arg;
	int rc;

	gen_clock_mark(g->clock, PH_PUBLISH);
	rc = robots_listen(st, g);
	rc = rc != 0 ? (rc < 0 ? -1 : 0) : gen_letters(st, g, 1);
	gen_clock_mark(g->clock, PH_READY);
	return rc;
}

/* The last transaction: the reassignments (only shifts of counsellors
 * deactivated or gone on leave: few), every notice, the audit. Nothing
 * is queued for a generation that is undone. */
static int
gen_last(struct store *st, void *arg)
{
	struct gen_ctx *g = arg;
	struct shift sh, before;
	size_t i;
	int saved, rc;

	gen_clock_mark(g->clock, PH_PUBLISH);
	if (!g->letters && gen_letters(st, g, 0) < 0)
		return -1;
	for (i = 0; i < g->ntodo; i++) {
		if (g->todo[i].shift_id == 0)
			continue;
		if (store_shift_get(st, g->todo[i].shift_id, &sh) <= 0)
			return -1;
		before = sh;
		sh.counsellor_id = g->todo[i].counsellor_id;
		sh.sequence++;
		sh.updated_at = svc_now();
		saved = store_shift_update(st, &sh);
		if (saved > 0 && svc_mail_shift(st, &before, &sh) < 0)
			saved = -1;
		shift_free(&sh);
		if (saved <= 0)
			return -1;
		g->reassigned++;
	}
	g->batching = 0;
	if (svc_mail_batch_end(st) < 0)
		return -1;
	rc = g->run != NULL && g->run->audit != NULL
	    ? g->run->audit(st, g->run->arg)
	    : 0;
	gen_clock_mark(g->clock, PH_LAST);
	return rc;
}

/* Each insert batch committed (debug: what a kill -9 test waits for). */
static void
gen_between(struct store *st, void *arg, size_t done, size_t of)
{
	(void)st;
	(void)arg;
	log_msg(LOG_DEBUG, "msg=\"roster generate batch\" done=%zu of=%zu",
	    done, of);
}

int
svc_roster_generate(struct store *st, int64_t from, int64_t to,
    const json_t *station_ids, const struct svc_roster_run *run,
    json_t **result, int64_t *unknown)
{
	json_t *unfilled = NULL, *hours;
	struct roster_data d;
	struct store_page pg = {BIG_PAGE, 0};
	struct counsellor_filter cf = {-1, 0, NULL};
	struct counsellor *people = NULL;
	struct shift_filter sf;
	struct shift *shifts = NULL;
	struct availability_filter af;
	struct availability *leave = NULL;
	struct roster_person *persons = NULL;
	struct roster_busy *busy = NULL;
	struct roster_slot *todo = NULL;
	struct roster_publish pub;
	struct gen_ctx g;
	size_t npeople = 0, nshifts = 0, nleave = 0, nbusy = 0, ntodo = 0;
	size_t i, j, k, existing = 0;
	char *refill = NULL;
	const struct shift **order = NULL;
	int64_t total, hold = 0;
	int held = 0, one;
	int64_t lock_w0 = 0, lock_c0 = 0, commit_ns = 0;
	time_t t0, t1;
	struct timespec w0, w1, c0, c1;
	struct gen_clock clock;
	struct strbuf phases;
	uint64_t trips0, trips_pub = 0; /* round trips (pgroster) */
	char why[64], date[11];
	int rc = -1;

	*result = NULL;
	*unknown = 0;
	memset(&g, 0, sizeof(g));
	memset(&pub, 0, sizeof(pub));
	clock_gettime(CLOCK_MONOTONIC, &w0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	gen_clock_start(&clock);
	g.clock = &clock;
	trips0 = store_round_trips(st);
	t0 = tzdb_day_start(from);
	t1 = tzdb_day_start(to + 1);
	memset(&sf, 0, sizeof(sf));
	memset(&af, 0, sizeof(af));
	af.status = LEAVE_APPROVED; /* pending leave is not in force yet */
	/* A week either side: weekly hours and streaks cross the edges. */
	sf.from = af.from = t0 - 8 * 86400;
	sf.to = af.to = t1 + 8 * 86400;
	/* The seats first (stations, templates, holidays: the hold is about
	 * shifts), so that their number chooses the transactions. */
	if (roster_load(st, from, to, station_ids, &d) < 0)
		goto out;
	for (i = 0; i < json_array_size(station_ids); i++) {
		json_int_t id = json_integer_value(json_array_get(station_ids,
		    i));

		if (station_of(&d.stations, id) == NULL) {
			*unknown = id;
			rc = 0;
			goto out;
		}
	}
	gen_clock_mark(&clock, PH_LOAD_SETUP);
	/* From here no other writer touches a shift of what is read: one
	 * transaction, or for a generation too long for one the hold of
	 * 015 (SQLite) and 018 (PostgreSQL). */
	one = one_transaction(d.nseats);
	if (one) {
		if (store_begin(st) <= 0)
			goto out;
		lock_w0 = clock_ns(CLOCK_MONOTONIC);
		lock_c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	} else if (store_roster_hold(st, run ? run->user_id : 0, svc_now(),
	               sf.from, sf.to, &hold) < 0)
		goto out;
	held = 1;
	gen_clock_mark(&clock, PH_HOLD);
	if (store_counsellor_list(st, &cf, &pg, &people, &npeople, &total) < 0)
		goto out;
	gen_clock_mark(&clock, PH_LOAD_PEOPLE);
	if (store_shift_period(st, sf.from, sf.to, &shifts, &nshifts) < 0)
		goto out;
	gen_clock_mark(&clock, PH_LOAD_SHIFTS);
	if (store_availability_list(st, &af, &pg, &leave, &nleave, &total) < 0)
		goto out;
	gen_clock_mark(&clock, PH_LOAD_LEAVE);
	persons = calloc(npeople + 1, sizeof(*persons));
	busy = calloc(nshifts + nleave + 1, sizeof(*busy));
	todo = calloc(d.nseats + 1, sizeof(*todo));
	if (persons == NULL || busy == NULL || todo == NULL)
		goto out;
	for (i = 0; i < npeople; i++) {
		persons[i].id = people[i].id;
		persons[i].home_station_id = people[i].home_station_id;
		persons[i].max_week_minutes = people[i].max_weekly_hours * 60;
		persons[i].active = people[i].active;
	}
	if ((refill = calloc(nshifts + 1, sizeof(*refill))) == NULL)
		goto out;
	for (i = 0; i < nshifts; i++) {
		refill[i] = needs_refill(&shifts[i], people, npeople, leave,
		    nleave);
		if (shifts[i].counsellor_id && !refill[i] &&
		    shifts[i].status != SHIFT_CANCELLED)
			busy[nbusy++] = (struct roster_busy){shifts[i]
			                                         .counsellor_id,
			    shifts[i].start_at, shifts[i].end_at, 0};
	}
	for (i = 0; i < nleave; i++)
		busy[nbusy++] = (struct roster_busy){leave[i].counsellor_id,
		    leave[i].start_at, leave[i].end_at, 1};
	/* Seats that exist already are kept as they are, except generated
	 * ones nobody edited whose counsellor may no longer take them. The
	 * shifts are looked up by key in a sorted index (a scan per seat was
	 * quadratic: 22,000 seats against 22,000 shifts). */
	if ((order = calloc(nshifts + 1, sizeof(*order))) == NULL)
		goto out;
	for (i = 0; i < nshifts; i++)
		order[i] = &shifts[i];
	if (nshifts > 1)
		qsort(order, nshifts, sizeof(*order), key_cmp);
	for (i = 0; i < d.nseats; i++) {
		const struct shift *hit = find_key(order, nshifts, &d.seats[i]);

		k = hit != NULL ? (size_t)(hit - shifts) : nshifts;
		if (k < nshifts && !refill[k]) {
			existing++;
			continue;
		}
		todo[ntodo] = d.seats[i];
		todo[ntodo++].shift_id = k < nshifts ? shifts[k].id : 0;
	}
	mark_shared(&d.stations, todo, ntodo);
	gen_clock_mark(&clock, PH_PREP);
	if (!roster_solve(todo, ntodo, persons, npeople, busy, nbusy,
	        tzdb_default()))
		goto out;
	gen_clock_mark(&clock, PH_SOLVE);
	/* The new shifts, published in batches; the reassignments and the
	 * notices go in the last transaction. */
	if ((g.ins = calloc(ntodo + 1, sizeof(*g.ins))) == NULL)
		goto out;
	for (i = 0; i < ntodo; i++) {
		struct shift *sh;

		if (todo[i].shift_id != 0)
			continue;
		sh = &g.ins[g.nins++];
		sh->station_id = todo[i].station_id;
		sh->counsellor_id = todo[i].counsellor_id;
		sh->template_id = todo[i].template_id;
		sh->seat = todo[i].seat;
		sh->start_at = todo[i].start;
		sh->end_at = todo[i].end;
		sh->status = SHIFT_PLANNED;
		sh->origin = "generated";
		sh->note = "";
		sh->created_at = sh->updated_at = svc_now();
	}
	g.todo = todo;
	g.ntodo = ntodo;
	g.stations = &d.stations;
	g.station_ids = station_ids;
	g.run = run;
	pub.batch = ROSTER_BATCH;
	pub.shifts = g.ins;
	pub.n = g.nins;
	pub.ready = gen_ready;
	pub.last = gen_last;
	pub.between = gen_between;
	pub.arg = &g;
	held = 0; /* published or undone, the run is over either way */
	gen_clock_mark(&clock, PH_PREP);
	lock_w0 = one ? clock_ns(CLOCK_MONOTONIC) - lock_w0 : 0;
	lock_c0 = one ? clock_ns(CLOCK_THREAD_CPUTIME_ID) - lock_c0 : 0;
	trips_pub = store_round_trips(st);
	/* One: in the transaction begun above (store.h). */
	if ((one ? store_roster_publish_whole(st, &pub)
	         : store_roster_publish_batched(st, hold, &pub)) < 0)
		goto out;
	gen_clock_mark(&clock, PH_PUBLISH);
	trips_pub = store_round_trips(st) - trips_pub;
	/* One transaction: the lock was held from its begin, the reads and
	 * the solving too. */
	/* From its COMMIT to the sync acknowledged (the WAL written and
	 * synced; a checkpoint when one is due). */
	commit_ns = pub.batches_ns - pub.locks_ns;
	pub.lock_max_ns += lock_w0;
	pub.locks_ns += lock_w0;
	pub.lock_cpu_max_ns += lock_c0;
	if (one)
		lock_cost_learn(pub.lock_cpu_max_ns, d.nseats);
	unfilled = json_array();
	for (i = 0, j = 0; i < ntodo && unfilled; i++) {
		const struct station *s = station_of(&d.stations,
		    todo[i].station_id);
		int64_t id = todo[i].shift_id ? todo[i].shift_id : g.ins[j].id;
		char a[TIME_RFC3339_MAX];

		if (todo[i].shift_id == 0)
			j++;
		if (todo[i].counsellor_id)
			continue;
		time_format_date(todo[i].day, date);
		tz_format_rfc3339(tzdb_default(), todo[i].start, a);
		json_array_append_new(unfilled,
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:i, s:s}",
		        "shift_id", (json_int_t)id, "station_id",
		        (json_int_t)todo[i].station_id, "station_name",
		        s ? s->name : "", "date", date, "start", a, "end",
		        tzdb_time_json(todo[i].end), "seat", todo[i].seat,
		        "reason",
		        reason_name(todo[i].reason, why, sizeof(why))));
	}
	/* Seats generated earlier and still open are gaps too. */
	for (i = 0; i < nshifts && unfilled; i++)
		if (shifts[i].counsellor_id == 0 && !refill[i] &&
		    shifts[i].status != SHIFT_CANCELLED &&
		    shifts[i].template_id && shifts[i].start_at >= t0 &&
		    shifts[i].start_at < t1) {
			time_format_date(activity_local_day(shifts[i].start_at,
			                     tzdb_default()),
			    date);
			json_array_append_new(unfilled,
			    json_pack(
			        "{s:I, s:I, s:s, s:s, s:o, s:o, s:i, s:s}",
			        "shift_id", (json_int_t)shifts[i].id,
			        "station_id", (json_int_t)shifts[i].station_id,
			        "station_name", shifts[i].station_name, "date",
			        date, "start",
			        tzdb_time_json(shifts[i].start_at), "end",
			        tzdb_time_json(shifts[i].end_at), "seat",
			        shifts[i].seat, "reason", "still_open"));
		}
	hours = hours_json(people, npeople, shifts, nshifts, todo, ntodo, t0,
	    t1);
	if (unfilled == NULL || hours == NULL) {
		json_decref(hours);
		goto out;
	}
	*result = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "created",
	    (json_int_t)g.nins, "existing", (json_int_t)existing, "reassigned",
	    (json_int_t)g.reassigned, "unfilled", unfilled, "hours", hours,
	    "away_from_home", away_json(todo, ntodo));
	unfilled = NULL;
	rc = *result != NULL ? 1 : -1;
	clock_gettime(CLOCK_MONOTONIC, &w1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	gen_clock_mark(&clock, PH_RESULT);
	/* name=wall/cpu ms of each phase; then the thread's context
	 * switches in the run: blocked (waits: syncs, locks) and preempted
	 * (a busy machine). */
	memset(&phases, 0, sizeof(phases));
	{
		long v, iv;

		gen_switches(&v, &iv);
		strbuf_printf(&phases,
		    "blocked=%ld preempted=%ld commits=%.1f ", v - clock.vcsw,
		    iv - clock.ivcsw, (double)commit_ns / 1e6);
		/* PostgreSQL: the round trips, all and the publishing's. */
		strbuf_printf(&phases, "trips=%llu publish_trips=%llu ",
		    (unsigned long long)(store_round_trips(st) - trips0),
		    (unsigned long long)trips_pub);
	}
	for (i = 0; i < PH__MAX; i++)
		strbuf_printf(&phases, "%s%s=%.1f/%.1f", i ? " " : "",
		    gen_phase_names[i], clock.wall[i], clock.cpu[i]);
	log_msg(LOG_INFO,
	    "msg=\"roster generate phases\" one_tx=%d ns_per_seat=%lld %s", one,
	    (long long)atomic_load(&lock_ns_per_seat),
	    phases.p != NULL && !phases.failed ? phases.p : "");
	strbuf_free(&phases);
	/* ms: the whole generation; the write lock is held only in its
	 * batches: lock_max_ms the longest under it (begin to COMMIT),
	 * locks_ms all; batch_max_ms / batches_ms with their syncs. */
	log_msg(LOG_INFO,
	    "msg=\"roster generate\" seats=%zu created=%zu "
	    "reassigned=%zu batches=%zu lock_max_ms=%.1f lock_cpu_max_ms=%.1f "
	    "locks_ms=%.1f batch_max_ms=%.1f batches_ms=%.1f ms=%.1f "
	    "cpu_ms=%.1f",
	    d.nseats, g.nins, g.reassigned, pub.batches,
	    (double)pub.lock_max_ns / 1e6, (double)pub.lock_cpu_max_ns / 1e6,
	    (double)pub.locks_ns / 1e6, (double)pub.batch_max_ns / 1e6,
	    (double)pub.batches_ns / 1e6, ms_between(&w0, &w1),
	    ms_between(&c0, &c1));
out:
	if (held)
		store_roster_release(st, hold);
	if (g.batching)
		svc_mail_batch_end(NULL);
	json_decref(unfilled);
	free(g.ins);
	free(order);
	free(persons);
	free(busy);
	free(todo);
	free(refill);
	counsellor_list_free(people, npeople);
	shift_list_free(shifts, nshifts);
	availability_list_free(leave, nleave);
	roster_data_free(&d);
	return rc;
}

/* One station-day of the coverage table. */
struct cover {
	int64_t station_id, day, required, assigned;
};

static struct cover *
cover_at(struct cover **list, size_t *n, size_t *cap, int64_t station,
    int64_t day)
{
	struct cover *c;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*list)[i].station_id == station && (*list)[i].day == day)
			return &(*list)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((c = realloc(*list, *cap * sizeof(*c))) == NULL)
			return NULL;
		*list = c;
	}
	c = &(*list)[(*n)++];
	c->station_id = station;
	c->day = day;
	c->required = c->assigned = 0;
	return c;
}

static int
cover_cmp(const void *a, const void *b)
{
	const struct cover *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->station_id > y->station_id) -
	    (x->station_id < y->station_id);
}

/* Whether the roster had begun by local day (the first shift ever, at
 * any station): before it nothing was required. A station added later
 * counts from its first seat, even before anyone is assigned there: an
 * unstaffed station is a gap. */
static int
roster_started(const struct shift_first *f, size_t n, int64_t station_id,
    int64_t day, const struct station_set *ss)
{
	time_t first = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (i == 0 || f[i].start_at < first)
			first = f[i].start_at;
	return n > 0 &&
	    activity_local_day(first, station_zone(ss, station_id)) <= day;
}

/* What the coverage views read: the seats of [from, to] at station (0 =
 * every station), its active shifts, and per station-day the seats
 * required (from the day the roster began) and the shifts with a
 * counsellor. */
struct coverage {
	struct roster_data d;
	struct shift *shifts;
	size_t nshifts;
	struct cover *cov;
	size_t ncov, cap;
};

static void
coverage_free(struct coverage *cv)
{
	free(cv->cov);
	shift_list_free(cv->shifts, cv->nshifts);
	roster_data_free(&cv->d);
}

/* 0, or -1 on failure; cv is to be freed either way. */
static int
coverage_load(struct store *st, int64_t from, int64_t to, int64_t station,
    struct coverage *cv)
{
	struct store_page pg = {BIG_PAGE, 0};
	struct shift_filter sf;
	struct shift_first *firsts = NULL;
	json_t *ids = station ? json_pack("[I]", (json_int_t)station) : NULL;
	const struct roster_slot *seat;
	struct cover *c;
	size_t i, nfirst = 0;
	int64_t total;
	int rc = -1;

	memset(cv, 0, sizeof(*cv));
	memset(&sf, 0, sizeof(sf));
	sf.from = tzdb_day_start(from);
	sf.to = tzdb_day_start(to + 1);
	sf.station_id = station;
	sf.active_only = 1;
	if ((station && ids == NULL) ||
	    roster_load(st, from, to, ids, &cv->d) < 0 ||
	    store_shift_list(st, &sf, &pg, &cv->shifts, &cv->nshifts, &total) <
	        0 ||
	    store_shift_first_days(st, &firsts, &nfirst) < 0)
		goto out;
	for (i = 0; i < cv->d.nseats; i++) {
		seat = &cv->d.seats[i];
		/* Before a station's roster began nothing was missed. */
		if (!roster_started(firsts, nfirst, seat->station_id, seat->day,
		        &cv->d.stations))
			continue;
		if ((c = cover_at(&cv->cov, &cv->ncov, &cv->cap,
		         seat->station_id, seat->day)) == NULL)
			goto out;
		c->required++;
	}
	for (i = 0; i < cv->nshifts; i++) {
		const struct shift *sh = &cv->shifts[i];

		if ((c = cover_at(&cv->cov, &cv->ncov, &cv->cap, sh->station_id,
		         activity_local_day(sh->start_at,
		             station_zone(&cv->d.stations, sh->station_id)))) ==
		    NULL)
			goto out;
		c->assigned += sh->counsellor_id != 0;
	}
	rc = 0;
out:
	free(firsts);
	json_decref(ids);
	return rc;
}

int
svc_roster_coverage(struct store *st, int64_t from, int64_t to, int64_t station,
    json_t **result)
{
	struct coverage cv;
	struct store_page pg = {BIG_PAGE, 0};
	struct counsellor_filter cf = {-1, 0, NULL};
	struct counsellor *people = NULL;
	struct cover *cov;
	const struct shift *shifts;
	size_t ncov, nshifts, npeople = 0, i, k;
	int64_t total, w;
	json_t *days = NULL, *counsellors = NULL;
	char date[11], label[9];
	int rc = -1;

	*result = NULL;
	if (coverage_load(st, from, to, station, &cv) < 0 ||
	    store_counsellor_list(st, &cf, &pg, &people, &npeople, &total) < 0)
		goto out;
	cov = cv.cov;
	ncov = cv.ncov;
	shifts = cv.shifts;
	nshifts = cv.nshifts;
	/* qsort(NULL, 0, …) is undefined: a period without seats has none. */
	if (ncov > 1)
		qsort(cov, ncov, sizeof(*cov), cover_cmp);
	days = json_array();
	for (i = 0; i < ncov && days; i++) {
		const struct station *s = station_of(&cv.d.stations,
		    cov[i].station_id);

		time_format_date(cov[i].day, date);
		json_array_append_new(days,
		    json_pack("{s:s, s:I, s:s, s:I, s:I, s:I}", "date", date,
		        "station_id", (json_int_t)cov[i].station_id,
		        "station_name", s ? s->name : "", "required",
		        (json_int_t)cov[i].required, "assigned",
		        (json_int_t)cov[i].assigned, "gap",
		        (json_int_t)(cov[i].required > cov[i].assigned
		                ? cov[i].required - cov[i].assigned
		                : 0)));
	}
	counsellors = json_array();
	for (i = 0; i < npeople && counsellors; i++) {
		json_t *weeks = json_array();

		for (w = roster_week(from); w <= roster_week(to); w++) {
			int64_t sec = 0;

			for (k = 0; k < nshifts; k++)
				if (shifts[k].counsellor_id == people[i].id &&
				    roster_week(activity_local_day(
				        shifts[k].start_at, tzdb_default())) ==
				        w)
					sec += shifts[k].end_at -
					    shifts[k].start_at;
			roster_week_label(w * 7 - 3, label);
			json_array_append_new(weeks,
			    json_pack("{s:s, s:f}", "week", label, "hours",
			        (double)sec / 3600.0));
		}
		json_array_append_new(counsellors,
		    json_pack("{s:I, s:s, s:b, s:I, s:o}", "counsellor_id",
		        (json_int_t)people[i].id, "name", people[i].name,
		        "active", people[i].active, "max_weekly_hours",
		        (json_int_t)people[i].max_weekly_hours, "weeks",
		        weeks));
	}
	if (days == NULL || counsellors == NULL)
		goto out;
	*result = json_pack("{s:o, s:o}", "days", days, "counsellors",
	    counsellors);
	days = counsellors = NULL;
	rc = *result != NULL ? 1 : -1;
out:
	json_decref(days);
	json_decref(counsellors);
	counsellor_list_free(people, npeople);
	coverage_free(&cv);
	return rc;
}

int
svc_roster_coverage_totals(struct store *st, int64_t from, int64_t to,
    int64_t *required, int64_t *assigned, json_t **by_station,
    json_t **by_month)
{
	struct coverage cv;
	struct cover *cov;
	size_t ncov, i, k;
	int rc = -1;

	*required = *assigned = 0;
	*by_station = *by_month = NULL;
	memset(&cv, 0, sizeof(cv));
	if (to - from > 3660 || coverage_load(st, from, to, 0, &cv) < 0)
		goto out;
	cov = cv.cov;
	ncov = cv.ncov;
	/* Per station: seats asked for, seats filled (never more than
	 * asked on a day: extra hands do not cover another day's gap). */
	*by_station = json_array();
	for (k = 0; k < cv.d.stations.n && *by_station; k++) {
		int64_t req = 0, ass = 0;

		for (i = 0; i < ncov; i++)
			if (cov[i].station_id == cv.d.stations.items[k].id) {
				req += cov[i].required;
				ass += cov[i].assigned < cov[i].required
				    ? cov[i].assigned
				    : cov[i].required;
			}
		*required += req;
		*assigned += ass;
		if (req > 0)
			json_array_append_new(*by_station,
			    json_pack("{s:I, s:s, s:I, s:I, s:f}", "station_id",
			        (json_int_t)cv.d.stations.items[k].id,
			        "station_name", cv.d.stations.items[k].name,
			        "required", (json_int_t)req, "assigned",
			        (json_int_t)ass, "rate",
			        (double)ass / (double)req));
	}
	/* Per station and month, for the dashboard's heat map. */
	*by_month = json_object();
	for (i = 0; i < ncov && *by_month; i++) {
		const struct station *sn = station_of(&cv.d.stations,
		    cov[i].station_id);
		char date[11], key[96];
		json_t *cell;

		if (sn == NULL || cov[i].required == 0)
			continue;
		time_format_date(cov[i].day, date);
		snprintf(key, sizeof(key), "%lld|%.7s",
		    (long long)cov[i].station_id, date);
		if ((cell = json_object_get(*by_month, key)) == NULL) {
			cell = json_pack("{s:I, s:s, s:s, s:i, s:i}",
			    "station_id", (json_int_t)sn->id, "station_name",
			    sn->name, "month", "", "required", 0, "assigned",
			    0);
			json_object_set_new(cell, "month",
			    json_stringn(date, 7));
			json_object_set_new(*by_month, key, cell);
		}
		json_object_set_new(cell, "required",
		    json_integer(json_integer_value(json_object_get(cell,
		                     "required")) +
		        cov[i].required));
		json_object_set_new(cell, "assigned",
		    json_integer(json_integer_value(json_object_get(cell,
		                     "assigned")) +
		        (cov[i].assigned < cov[i].required ? cov[i].assigned
		                                           : cov[i].required)));
	}
	rc = *by_station && *by_month ? 1 : -1;
out:
	coverage_free(&cv);
	return rc;
}
