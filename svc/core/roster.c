/*
 * The roster solver and its calendar arithmetic. Pure: it sees slots,
 * people and busy times as values and decides who fills which slot. Its
 * hard rules are never traded for a soft goal: a slot nobody may take
 * stays open and says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_STREAK 5

int
roster_parse_hhmm(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' ||
	    s[0] > '9' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

int64_t
roster_week(int64_t day)
{
	int64_t d = day + 3; /* day 0 (1970-01-01) is a Thursday */

	return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

void
roster_week_label(int64_t day, char *buf)
{
	int64_t thursday = roster_week(day) * 7 - 3 + 3, y, jan1;
	unsigned m, d;
	char tmp[32];

	time_civil_from_days(thursday, &y, &m, &d);
	jan1 = time_days_from_civil(y, 1, 1);
	snprintf(tmp, sizeof(tmp), "%04d-W%02d", (int)(y % 10000),
	    (int)((thursday - jan1) / 7 + 1));
	memcpy(buf, tmp, 9);
	buf[8] = '\0';
}

static int
slot_cmp(const void *a, const void *b)
{
	const struct roster_slot *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->station_id != y->station_id)
		return x->station_id < y->station_id ? -1 : 1;
	if (x->template_id != y->template_id)
		return x->template_id < y->template_id ? -1 : 1;
	return (x->seat > y->seat) - (x->seat < y->seat);
}

/* Intervals sorted by start with the running maximum of their ends:
 * whether any overlaps [a, b) is one binary search. */
struct ivset {
	struct roster_busy *iv;
	time_t *max_end; /* max_end[i]: the largest end of iv[0..i] */
	size_t n, cap;
};

/* A person's commitments while solving: shifts and leave they had
 * before (sorted once), shifts the solver gives them (appended in start
 * order, never overlapping, so their ends grow too), hours per week,
 * duty days (sorted). Every check is O(log n): a quarter's roster of
 * 22,000 seats and 60 people took 0.3 s of scanning before. */
struct load {
	struct ivset shifts, leave, given;
	struct week_load {
		int64_t week, minutes;
	} * weeks;
	size_t nweeks, wcap;
	int64_t *days; /* duty days, sorted */
	size_t ndays, dcap;
	int64_t total_min;
};

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	void *np;
	size_t c = *cap ? *cap : 8;

	if (need <= *cap)
		return 1;
	while (c < need)
		c *= 2;
	if ((np = realloc(*p, c * elem)) == NULL)
		return 0;
	*p = np;
	*cap = c;
	return 1;
}

static int
ivset_add(struct ivset *v, const struct roster_busy *b)
{
	size_t cap = v->cap;

	if (!grow((void **)&v->iv, &v->cap, v->n + 1, sizeof(*v->iv)))
		return 0;
	if (!grow((void **)&v->max_end, &cap, v->n + 1, sizeof(*v->max_end)))
		return 0;
	v->iv[v->n] = *b;
	v->max_end[v->n] = v->n && v->max_end[v->n - 1] > b->end
	    ? v->max_end[v->n - 1]
	    : b->end;
	v->n++;
	return 1;
}

static int
iv_cmp(const void *a, const void *b)
{
	const struct roster_busy *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Adds b keeping the set sorted by start (the seats of the second pass
 * come before later ones of the first): one memmove and the running
 * maximum from there on. */
static int
ivset_insert(struct ivset *v, const struct roster_busy *b)
{
	size_t lo = 0, hi, i;

	if (!ivset_add(v, b))
		return 0;
	hi = v->n - 1;
	if (hi == 0 || v->iv[hi - 1].start <= b->start)
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->iv[mid].start <= b->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&v->iv[lo + 1], &v->iv[lo], (v->n - 1 - lo) * sizeof(*v->iv));
	v->iv[lo] = *b;
	for (i = lo; i < v->n; i++)
		v->max_end[i] = i && v->max_end[i - 1] > v->iv[i].end
		    ? v->max_end[i - 1]
		    : v->iv[i].end;
	return 1;
}

/* Sorts the set by start and recomputes the running maximum. */
static void
ivset_sort(struct ivset *v)
{
	size_t i;

	if (v->n > 1)
		qsort(v->iv, v->n, sizeof(*v->iv), iv_cmp);
	for (i = 0; i < v->n; i++)
		v->max_end[i] = i && v->max_end[i - 1] > v->iv[i].end
		    ? v->max_end[i - 1]
		    : v->iv[i].end;
}

/* Whether an interval of the (sorted) set overlaps [a, b). */
static int
ivset_overlaps(const struct ivset *v, time_t a, time_t b)
{
	size_t lo = 0, hi = v->n;

	/* The intervals that start before b: a prefix. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->iv[mid].start < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && v->max_end[lo - 1] > a;
}

static void
ivset_free(struct ivset *v)
{
	free(v->iv);
	free(v->max_end);
}

/* The minutes already worked in week, optionally creating the entry. */
static int64_t *
week_minutes(struct load *l, int64_t week, int create)
{
	size_t i;

	for (i = 0; i < l->nweeks; i++)
		if (l->weeks[i].week == week)
			return &l->weeks[i].minutes;
	if (!create ||
	    !grow((void **)&l->weeks, &l->wcap, l->nweeks + 1,
	        sizeof(*l->weeks)))
		return NULL;
	l->weeks[l->nweeks].week = week;
	l->weeks[l->nweeks].minutes = 0;
	return &l->weeks[l->nweeks++].minutes;
}

/* The position of day in the sorted days (or where it would go). */
static size_t
day_pos(const struct load *l, int64_t day)
{
	size_t lo = 0, hi = l->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
has_day(const struct load *l, int64_t day)
{
	size_t i = day_pos(l, day);

	return i < l->ndays && l->days[i] == day;
}

/* The run of consecutive duty days through day if day were worked. */
static int
streak_with(const struct load *l, int64_t day)
{
	int n = 1;
	int64_t d;

	for (d = day - 1; has_day(l, d) && n <= MAX_STREAK + 1; d--)
		n++;
	for (d = day + 1; has_day(l, d) && n <= MAX_STREAK + 1; d++)
		n++;
	return n;
}

/* Records a commitment; shifts count towards hours and streaks. given:
 * a seat the solver gives (in start order), else one the person had. */
static int
commit(struct load *l, const struct roster_busy *b, const struct tz *z,
    int given)
{
	int64_t day, *wm;
	size_t i;

	if (!(given ? ivset_insert(&l->given, b)
	            : ivset_add(b->leave ? &l->leave : &l->shifts, b)))
		return 0;
	if (b->leave)
		return 1;
	day = activity_local_day(b->start, z);
	if ((wm = week_minutes(l, roster_week(day), 1)) == NULL)
		return 0;
	*wm += (int64_t)(b->end - b->start) / 60;
	l->total_min += (int64_t)(b->end - b->start) / 60;
	if (!has_day(l, day)) {
		if (!grow((void **)&l->days, &l->dcap, l->ndays + 1,
		        sizeof(int64_t)))
			return 0;
		i = day_pos(l, day);
		memmove(&l->days[i + 1], &l->days[i],
		    (l->ndays - i) * sizeof(int64_t));
		l->days[i] = day;
		l->ndays++;
	}
	return 1;
}

/* Why p cannot take slot s (ROSTER_* flag), or 0 when p can. A shift
 * they had wins over leave for the reason. */
static unsigned
blocked(const struct roster_person *p, const struct load *l,
    const struct roster_slot *s)
{
	int64_t *wm;

	if (ivset_overlaps(&l->shifts, s->start, s->end))
		return ROSTER_BUSY;
	if (ivset_overlaps(&l->leave, s->start, s->end))
		return ROSTER_ON_LEAVE;
	if (ivset_overlaps(&l->given, s->start, s->end))
		return ROSTER_BUSY;
	wm = week_minutes((struct load *)l, roster_week(s->day), 0);
	if ((wm ? *wm : 0) + (int64_t)(s->end - s->start) / 60 >
	    p->max_week_minutes)
		return ROSTER_AT_MAX;
	return 0;
}

static void
loads_free(struct load *loads, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ivset_free(&loads[i].shifts);
		ivset_free(&loads[i].leave);
		ivset_free(&loads[i].given);
		free(loads[i].weeks);
		free(loads[i].days);
	}
	free(loads);
}

const char *const roster_away_names[ROSTER_AWAY__MAX + 1] = {
    /* ROSTER_AWAY_NONE */ "",
    /* ROSTER_AWAY_SHARED */ "shared_station",
    /* ROSTER_AWAY_NO_OWN */ "no_own_counsellors",
    /* ROSTER_AWAY_OWN_UNAVAILABLE */ "own_unavailable",
    NULL,
};

/* Chooses who fills s: in pass 0 only its station's own counsellors,
 * and none who would work a sixth day in a row; in pass 1 anyone (the
 * reasons of an open seat are gathered then). 0 on allocation failure. */
static int
fill(struct roster_slot *s, const struct roster_person *people, size_t np,
    struct load *loads, int pass, const struct tz *z)
{
	int64_t best_score = 0;
	size_t best = np, j;
	int own = 0;

	for (j = 0; j < np; j++) {
		const int64_t *wm;
		int64_t score;
		unsigned why;
		int streak;

		if (!people[j].active)
			continue;
		own |= people[j].home_station_id == s->station_id;
		if (pass == 0 && people[j].home_station_id != s->station_id)
			continue;
		if ((why = blocked(&people[j], &loads[j], s)) != 0) {
			if (pass == 1)
				s->reason |= why;
			continue;
		}
		streak = streak_with(&loads[j], s->day) > MAX_STREAK;
		if (pass == 0 && streak)
			continue;
		wm = week_minutes(&loads[j], roster_week(s->day), 0);
		/* Soft goals as one score, lowest wins: a sixth day in a row
		 * outweighs everything, then hours this week, a quarter of
		 * the period's hours, and two hours' worth for being away
		 * from home. */
		score = (streak ? 1000000 : 0) + (wm ? *wm : 0) +
		    loads[j].total_min / 4 +
		    (people[j].home_station_id == s->station_id ? 0 : 120);
		if (best == np || score < best_score) {
			best = j;
			best_score = score;
		}
	}
	if (best < np) {
		struct roster_busy b = {people[best].id, s->start, s->end, 0};
		int64_t home = people[best].home_station_id;

		s->counsellor_id = people[best].id;
		s->reason = 0;
		s->away = home == 0 || home == s->station_id ? ROSTER_AWAY_NONE
		    : s->shared ? ROSTER_AWAY_SHARED
		    : own       ? ROSTER_AWAY_OWN_UNAVAILABLE
		                : ROSTER_AWAY_NO_OWN;
		if (!commit(&loads[best], &b, z, 1))
			return 0;
	}
	return 1;
}

int
roster_solve(struct roster_slot *slots, size_t n,
    const struct roster_person *people, size_t np,
    const struct roster_busy *busy, size_t nb, const struct tz *z)
{
	struct load *loads = calloc(np + 1, sizeof(*loads));
	size_t i, j, k, nactive = 0;
	int pass;

	if (loads == NULL)
		return 0;
	for (k = 0; k < nb; k++)
		for (j = 0; j < np; j++)
			if (people[j].id == busy[k].counsellor_id &&
			    !commit(&loads[j], &busy[k], z, 0))
				goto oom;
	for (j = 0; j < np; j++) {
		nactive += people[j].active != 0;
		ivset_sort(&loads[j].shifts);
		ivset_sort(&loads[j].leave);
	}
	if (n > 1)
		qsort(slots, n, sizeof(*slots), slot_cmp);
	for (i = 0; i < n; i++) {
		slots[i].counsellor_id = 0;
		slots[i].reason = nactive ? 0 : ROSTER_NO_ACTIVE;
		slots[i].away = ROSTER_AWAY_NONE;
	}
	/* Pass 0: each seat to its own station's counsellors; pass 1: the
	 * seats left, to anyone. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			if (slots[i].counsellor_id == 0 &&
			    !fill(&slots[i], people, np, loads, pass, z))
				goto oom;
	loads_free(loads, np + 1);
	return 1;
oom:
	loads_free(loads, np + 1);
	return 0;
}
