/*
 * Events as CSV in the layout of the bureau's reports
 * (date,station,title,category,audience with Chinese words), for export
 * and import (issue 14: the work of svc/api/event_csv.c, which now only
 * reads the request and replies). An import is all or nothing: every bad
 * row is reported by line number and nothing is saved. Exported text
 * that a spreadsheet would run as a formula is prefixed with an
 * apostrophe, which the import strips again, so a round trip keeps
 * titles intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service.h"

#define IMPORT_MAX_ROWS 20000
/* Rows per transaction when an import is published (issue 17): about
 * 5 ms of the write lock each, so public writes go in between. */
#define IMPORT_BATCH_ROWS 1000

int
svc_event_defaults(struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->capacity = -1;
	e->description = strdup("");
	e->venue = strdup("");
	e->audience = strdup("mixed");
	e->external_speaker = strdup("");
	e->status = EVENT_PLANNED;
	e->reminders = strdup("[1440,60]");
	return e->description && e->venue && e->audience &&
	    e->external_speaker && e->reminders;
}

/* The name of station id (the list is sorted by id); "" when none. */
static const char *
station_name(const struct station *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].id == id)
			return v[mid].name;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}

static int
cmp_station_id(const void *a, const void *b)
{
	int64_t x = ((const struct station *)a)->id;
	int64_t y = ((const struct station *)b)->id;

	return x < y ? -1 : x > y;
}

/* Every station (for names and for an import's index); NULL on failure. */
static int
all_stations(struct store *st, struct station **v, size_t *n)
{
	struct station_filter sf = {-1, NULL};
	struct store_page pg = {1000000, 0};
	int64_t total;

	if (store_station_list(st, &sf, &pg, v, n, &total) < 0)
		return -1;
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), cmp_station_id);
	return 1;
}

/* One event as a row of the file. */
static void
export_row(struct strbuf *b, const struct event *e, int with_status,
    const struct station *sv, size_t nst)
{
	const struct tz *z = tzdb_default();
	struct activity_row a;
	int64_t ls, le;

	memset(&a, 0, sizeof(a));
	if (with_status)
		a.status = e->status;
	ls = (int64_t)e->start_at + (z ? tz_offset_at(z, e->start_at) : 0);
	le = (int64_t)e->end_at + (z ? tz_offset_at(z, e->end_at) : 0);
	a.day = activity_local_day(e->start_at, z);
	a.start_min = (int)((ls - a.day * 86400) / 60);
	/* The end's clock time, as the report prints it. */
	a.end_min = (int)(((le % 86400) + 86400) % 86400 / 60);
	a.station = (char *)station_name(sv, nst, e->station_id);
	a.title = e->title;
	a.kind = e->kind;
	a.audience = e->audience;
	a.venue = e->venue;
	a.public_ = e->public_;
	activity_row_write(b, &a);
}

int
svc_events_csv(struct store *st, const struct event_filter *f, char **text,
    size_t *len)
{
	struct store_page pg = {100000, 0};
	struct event *ev = NULL;
	struct station *sv = NULL;
	struct strbuf b = {0};
	size_t n = 0, nst = 0, i;
	int64_t total;
	int with_status = f->status == EVENT_STATUS_ANY;

	if (store_event_list(st, f, &pg, &ev, &n, &total) < 0 ||
	    all_stations(st, &sv, &nst) < 0) {
		event_list_free(ev, n);
		return -1;
	}
	/* The events CSV carries every event with its status (cancelled
	 * ones too), so it re-imports whole; the activity catalogue of the
	 * reports keeps the reports' columns. */
	if (with_status)
		activity_csv_header_status(&b);
	else
		activity_csv_header(&b);
	for (i = 0; i < n; i++)
		export_row(&b, &ev[i], with_status, sv, nst);
	event_list_free(ev, n);
	station_list_free(sv, nst);
	return (*text = strbuf_take(&b, len)) != NULL;
}

/* --- import -------------------------------------------------------------- */

/* A problem of the file, counted and, the first SVC_IMPORT_MAX_ERRORS,
 * listed (ctx: the result). */
static void
problem(void *ctx, size_t line, const char *field, const char *msg)
{
	struct svc_import_result *res = ctx;
	struct svc_import_problem *p;

	res->nproblems++;
	if (res->nlisted >= SVC_IMPORT_MAX_ERRORS)
		return;
	if (res->problems == NULL &&
	    (res->problems = calloc(SVC_IMPORT_MAX_ERRORS,
	         sizeof(*res->problems))) == NULL) {
		res->oom = 1;
		return;
	}
	p = &res->problems[res->nlisted];
	p->line = line;
	if ((p->field = strdup(field)) == NULL ||
	    (p->message = strdup(msg)) == NULL) {
		free(p->field);
		p->field = NULL;
		res->oom = 1;
		return;
	}
	res->nlisted++;
}

void
svc_import_result_free(struct svc_import_result *res)
{
	size_t i;

	for (i = 0; i < res->nlisted; i++) {
		free(res->problems[i].field);
		free(res->problems[i].message);
	}
	free(res->problems);
	for (i = 0; i < res->nskipped; i++) {
		free(res->skipped[i].title);
		free(res->skipped[i].message);
	}
	free(res->skipped);
	event_list_free(res->events, res->nevents);
	memset(res, 0, sizeof(*res));
}

/* The rows of one import and where their stations are. */
struct import {
	struct activity_row *rows;
	int64_t *sid; /* per row; 0 = a new station (see fresh) */
	size_t n, cap;
	char **fresh; /* names of the stations to create, sorted */
	size_t nfresh;
	int64_t *fresh_id;             /* their ids once created */
	int64_t *eid;                  /* per row: the event made */
	struct svc_import_result *res; /* problems and skipped rows */
	int64_t user_id;
};

static void
import_free(struct import *im)
{
	size_t i;

	for (i = 0; i < im->n; i++)
		activity_row_free(&im->rows[i]);
	free(im->rows);
	free(im->sid);
	free(im->fresh); /* the names are the rows' own strings */
	free(im->fresh_id);
	free(im->eid);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of a new station's name, by binary search. */
static size_t
fresh_index(const struct import *im, const char *name)
{
	size_t lo = 0, hi = im->nfresh;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(im->fresh[mid], name);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return im->nfresh;
}

/*
 * Resolves every row's station against the stations of the database
 * (codes, names, unique name starts), in O(n log n): an unknown cell is a
 * problem, or with create a station to make (one per distinct name).
 * *max_imp gets the largest n of the codes "IMPn". 1, or -1 on failure.
 */
static int
resolve(struct store *st, struct import *im, int create, int64_t *max_imp)
{
	struct station *sv = NULL;
	struct station_ref *refs = NULL;
	struct station_index *x = NULL;
	size_t nst = 0, i, w;
	int rc = -1;

	free(im->fresh);
	im->fresh = NULL;
	im->nfresh = 0;
	if (all_stations(st, &sv, &nst) < 0)
		return -1;
	if (nst > 0 && (refs = calloc(nst, sizeof(*refs))) == NULL)
		goto out;
	for (i = 0; i < nst; i++) {
		refs[i].id = sv[i].id;
		refs[i].code = sv[i].code;
		refs[i].name = sv[i].name;
		refs[i].active = sv[i].active;
	}
	if ((x = station_index_new(refs, nst)) == NULL)
		goto out;
	*max_imp = station_index_max_imp(x);
	if (im->n > 0 && (im->fresh = calloc(im->n, sizeof(char *))) == NULL)
		goto out;
	for (i = 0; i < im->n; i++) {
		/* An empty station: district-wide (station_id null). */
		if (im->rows[i].station[0] == '\0') {
			im->sid[i] = 0;
			continue;
		}
		im->sid[i] = station_index_find(x, im->rows[i].station);
		if (im->sid[i] != 0)
			continue;
		if (!create) {
			/* The cell is UTF-8 of at most 100 characters
			 * (import_row_read): it fits whole. */
			char msg[512];

			snprintf(msg, sizeof(msg), "未知的驻点“%s”",
			    im->rows[i].station);
			problem(im->res, im->rows[i].line, "station", msg);
		} else
			im->fresh[im->nfresh++] = im->rows[i].station;
	}
	if (im->nfresh > 1)
		qsort(im->fresh, im->nfresh, sizeof(char *), cmp_str);
	for (i = w = 0; i < im->nfresh; i++)
		if (w == 0 || strcmp(im->fresh[w - 1], im->fresh[i]) != 0)
			im->fresh[w++] = im->fresh[i];
	im->nfresh = w;
	rc = 1;
out:
	station_index_free(x);
	free(refs);
	station_list_free(sv, nst);
	return rc;
}

/* Row i of im is told as skipped: its event found is there already (the
 * row's title moves to the result). 1, or -1 out of memory. */
static int
skip_row(struct import *im, size_t i, int64_t found)
{
	struct svc_import_result *res = im->res;
	struct svc_import_skip *s = &res->skipped[res->nskipped];
	char msg[256];

	snprintf(msg, sizeof(msg),
	    "已有同一天、同一驻点、同名的活动"
	    "（编号 %lld），这一行不再导入",
	    (long long)found);
	memset(s, 0, sizeof(*s));
	s->line = im->rows[i].line;
	s->event_id = found;
	time_format_date(im->rows[i].day, s->date);
	if ((s->message = strdup(msg)) == NULL)
		return -1;
	s->title = im->rows[i].title;
	im->rows[i].title = NULL;
	res->nskipped++;
	return 1;
}

/* The events present that a file's rows could match, as keys, and the
 * keys of the rows. 1, or -1 on failure. */
static int
dedupe_keys(struct store *st, const struct import *im, struct event **ev,
    size_t *n, struct event_key **have, struct event_key **keys)
{
	const struct tz *z = tzdb_default();
	struct event_filter f;
	struct store_page pg = {1000000, 0};
	int64_t lo, hi, total;
	size_t i;

	lo = hi = im->rows[0].day;
	for (i = 1; i < im->n; i++) {
		if (im->rows[i].day < lo)
			lo = im->rows[i].day;
		if (im->rows[i].day > hi)
			hi = im->rows[i].day;
	}
	memset(&f, 0, sizeof(f));
	/* A day's margin each side: the filter is in UTC, days are local. */
	f.from = (time_t)((lo - 1) * 86400);
	f.to = (time_t)((hi + 2) * 86400);
	if (store_event_list(st, &f, &pg, ev, n, &total) < 0)
		return -1;
	if ((*have = calloc(*n ? *n : 1, sizeof(**have))) == NULL ||
	    (*keys = calloc(im->n, sizeof(**keys))) == NULL)
		return -1;
	for (i = 0; i < *n; i++) {
		(*have)[i].day = activity_local_day((*ev)[i].start_at, z);
		(*have)[i].station_id = (*ev)[i].station_id;
		(*have)[i].title = (*ev)[i].title;
		(*have)[i].id = (*ev)[i].id;
	}
	for (i = 0; i < im->n; i++) {
		(*keys)[i].day = im->rows[i].day;
		/* A row of a station still to create matches nothing. */
		(*keys)[i].station_id = im->sid[i] != 0 ||
		        im->rows[i].station[0] == '\0'
		    ? im->sid[i]
		    : -1;
		(*keys)[i].title = im->rows[i].title;
	}
	return 1;
}

/*
 * Drops the rows whose event is already there (same station-local day,
 * station and title: a file imported again), each told in the result's
 * skipped rows with the event it matched; the rows left are compacted in
 * place. Rows whose station is new cannot match. 1, or -1 on failure.
 */
static int
dedupe(struct store *st, struct import *im)
{
	struct svc_import_result *res = im->res;
	struct event *ev = NULL;
	struct event_key *have = NULL, *keys = NULL;
	int64_t *found = NULL;
	size_t n = 0, i = 0, w = 0, nfound;
	int rc = -1;

	if (im->n == 0)
		return 1;
	if (dedupe_keys(st, im, &ev, &n, &have, &keys) < 0 ||
	    (found = calloc(im->n, sizeof(*found))) == NULL)
		goto out;
	nfound = import_match_present(have, n, keys, im->n, found);
	if (nfound > 0) {
		struct svc_import_skip *s = realloc(res->skipped,
		    (res->nskipped + nfound) * sizeof(*s));

		if (s == NULL)
			goto out;
		res->skipped = s;
	}
	for (i = w = 0; i < im->n; i++) {
		if (found[i] == 0) {
			im->rows[w] = im->rows[i];
			im->sid[w] = im->sid[i];
			w++;
			continue;
		}
		if (skip_row(im, i, found[i]) < 0)
			goto out;
		activity_row_free(&im->rows[i]);
	}
	im->n = w;
	rc = 1;
out:
	/* On a failure half way, rows [w, i) were moved down or freed:
	 * cleared, so that import_free frees each row once. */
	for (; rc < 0 && w < i; w++)
		memset(&im->rows[w], 0, sizeof(im->rows[w]));
	free(found);
	free(keys);
	free(have);
	event_list_free(ev, n);
	return rc;
}

/* Reads the file into im; problems go to the result. 1, or -1 on
 * failure. */
static int
read_file(const char *body, size_t sz, struct import *im)
{
	struct import_sink sink = {problem, im->res};
	struct import_header h;
	struct csv *csv;
	struct csv_row row;
	char *utf8 = NULL;
	size_t n8;
	int rc, ok = 0;

	/* GB18030 (GBK) from Chinese Excel or WPS is converted; valid
	 * UTF-8 is read as it is. */
	if ((rc = import_to_utf8(body ? body : "", sz, &utf8, &n8)) < 0)
		return -1;
	if (rc == 0) {
		problem(im->res, 1, "file",
		    "文件既不是 UTF-8 也不是 GB18030/GBK "
		    "编码的文本，请在 Excel 或 WPS 中另存为 CSV（UTF-8）");
		return 1;
	}
	if (utf8 != NULL) {
		body = utf8;
		sz = n8;
	}
	csv = csv_open(body ? body : "", sz);
	if (csv == NULL) {
		free(utf8);
		return -1;
	}
	if ((rc = csv_next(csv, &row)) <= 0) {
		problem(im->res, 1, "header",
		    rc == 0 ? "文件是空的" : csv_error(csv));
		ok = 1;
		goto out;
	}
	if (!import_header_read(&row, &h, &sink)) {
		ok = 1;
		goto out;
	}
	while ((rc = csv_next(csv, &row)) != 0) {
		if (rc < 0) {
			/* A syntax error ends the reading: what follows
			 * cannot be split into rows reliably. */
			problem(im->res, 0, "row", csv_error(csv));
			break;
		}
		if (im->n == IMPORT_MAX_ROWS) {
			problem(im->res, row.line, "row",
			    "超过 20000 行，请把文件拆开");
			break;
		}
		if (im->n == im->cap) {
			size_t cap = im->cap ? im->cap * 2 : 256;
			struct activity_row *nr = realloc(im->rows,
			    cap * sizeof(*nr));

			if (nr == NULL)
				goto out;
			im->rows = nr;
			im->cap = cap;
		}
		rc = import_row_read(&row, &h, &im->rows[im->n], &sink);
		if (rc < 0)
			goto out;
		if (rc > 0)
			im->n++;
	}
	if (im->n > 0 &&
	    ((im->sid = calloc(im->n, sizeof(int64_t))) == NULL ||
	        (im->eid = calloc(im->n, sizeof(int64_t))) == NULL))
		goto out;
	ok = 1;
out:
	csv_close(csv);
	free(utf8);
	return ok ? 1 : -1;
}

/* The event a row makes (defaults of a new event, the row's fields). */
static int
row_event(const struct activity_row *a, int64_t sid, time_t now,
    struct event *e)
{
	const struct tz *z = tzdb_default();

	if (!svc_event_defaults(e))
		return 0;
	free(e->kind);
	free(e->title);
	free(e->venue);
	free(e->audience);
	e->kind = strdup(a->kind);
	e->title = strdup(a->title);
	e->venue = strdup(a->venue);
	e->audience = strdup(a->audience);
	e->station_id = sid;
	e->public_ = a->public_;
	e->start_at = tz_local_to_utc(z, a->day * 86400 + a->start_min * 60);
	e->end_at = tz_local_to_utc(z, a->day * 86400 + a->end_min * 60);
	e->planned_start_at = e->start_at;
	e->created_at = e->updated_at = now;
	/* The status the row says (an export's); else the reports list
	 * activities that took place: a past row is a held event. */
	if (a->status != EVENT_STATUS_ANY)
		e->status = (enum event_status)a->status;
	else if (e->end_at < now)
		e->status = EVENT_HELD;
	if (e->status == EVENT_HELD)
		e->held_at = e->end_at;
	else if (e->status == EVENT_CANCELLED)
		e->cancelled_at = now;
	return e->kind && e->title && e->venue && e->audience && e->status;
}

/* The events of the rows (ids as written, else 0): staged before the
 * write lock is taken (a new station's id is filled in under it), and
 * the events of the result. NULL on failure. */
static struct event *
build_events(const struct import *im)
{
	struct event *ev = calloc(im->n ? im->n : 1, sizeof(*ev));
	time_t now = svc_now();
	size_t i;

	if (ev == NULL)
		return NULL;
	for (i = 0; i < im->n; i++) {
		if (!row_event(&im->rows[i], im->sid[i], now, &ev[i])) {
			event_list_free(ev, i + 1);
			return NULL;
		}
		ev[i].id = im->eid[i];
	}
	return ev;
}

/* For each row, k + 1 when its station is the k-th new one, else 0. */
static int64_t *
fresh_of_rows(const struct import *im)
{
	int64_t *f = calloc(im->n ? im->n : 1, sizeof(*f));
	size_t i, k;

	if (f == NULL)
		return NULL;
	for (i = 0; i < im->n; i++) {
		if (im->sid[i] != 0 || im->rows[i].station[0] == '\0')
			continue;
		if ((k = fresh_index(im, im->rows[i].station)) == im->nfresh) {
			free(f);
			return NULL;
		}
		f[i] = (int64_t)k + 1;
	}
	return f;
}

/* Whether resolving again gave what was staged (same stations, same new
 * names). */
static int
same_resolution(const struct import *im, const int64_t *sid, char *const *fresh,
    size_t nfresh)
{
	size_t i;

	if (nfresh != im->nfresh)
		return 0;
	for (i = 0; i < im->n; i++)
		if (sid[i] != im->sid[i])
			return 0;
	for (i = 0; i < nfresh; i++)
		if (strcmp(fresh[i], im->fresh[i]) != 0)
			return 0;
	return 1;
}

/* One audit row for the stations made and one for the events, each
 * with the count and the id range, instead of a row each: in the last
 * batch's transaction (arg: the import). */
static int
audit_last(struct store *st, void *arg, int64_t station_base,
    int64_t event_base)
{
	const struct import *im = arg;
	char d[160];

	if (im->nfresh > 0) {
		snprintf(d, sizeof(d),
		    "{\"source\":\"csv import\",\"count\":%zu,"
		    "\"first_id\":%lld,\"last_id\":%lld}",
		    im->nfresh, (long long)station_base + 1,
		    (long long)(station_base + (int64_t)im->nfresh));
		if (store_audit(st, im->user_id, "create", "station",
		        station_base + 1, d) < 0)
			return -1;
	}
	snprintf(d, sizeof(d),
	    "{\"source\":\"csv import\",\"count\":%zu,"
	    "\"first_id\":%lld,\"last_id\":%lld}",
	    im->n, (long long)event_base + 1,
	    (long long)(event_base + (int64_t)im->n));
	return store_audit(st, im->user_id, "import", "event", 0, d);
}

/* Each batch committed but the last (the kill -9 test waits for it). */
static void
batch_done(struct store *st, void *arg, size_t done, size_t of)
{
	(void)st;
	(void)arg;
	log_msg(LOG_DEBUG, "msg=\"events import batch\" done=%zu of=%zu", done,
	    of);
}

/* Resolves the stations again under the write lock (something was
 * committed since the rows were staged): 1 when the answer is what was
 * staged, 0 when it differs or the file has problems now (the result's),
 * -1 on failure. */
static int
still_same(struct store *st, struct import *im, int create, int64_t *max_imp)
{
	int64_t *sid0;
	char **fresh0;
	size_t nfresh0 = im->nfresh, n0 = im->n;
	int same = -1;

	/* Keep what was staged to compare with a new resolution. */
	if ((sid0 = malloc((im->n ? im->n : 1) * sizeof(*sid0))) == NULL)
		return -1;
	if ((fresh0 = malloc((nfresh0 ? nfresh0 : 1) * sizeof(*fresh0))) ==
	    NULL) {
		free(sid0);
		return -1;
	}
	memcpy(sid0, im->sid, im->n * sizeof(*sid0));
	memcpy(fresh0, im->fresh, nfresh0 * sizeof(*fresh0));
	if (resolve(st, im, create, max_imp) >= 0 &&
	    (im->res->nproblems > 0 || dedupe(st, im) >= 0))
		same = im->res->nproblems == 0 && im->n == n0 &&
		    same_resolution(im, sid0, fresh0, nfresh0);
	free(sid0);
	free(fresh0);
	return same;
}

/*
 * Stages the rows outside the lock and takes it (store_begin). When
 * something was committed in between, the stations are resolved again;
 * a different answer (a station made, renamed or deactivated meanwhile)
 * stages again, a few times. SVC_IMPORT_DONE in the transaction with
 * *fresh (fresh_of_rows), *tries and *t0 (when the lock was taken), else
 * an svc_import_outcome with no transaction open (the staged rows are the
 * caller's to clear).
 */
static int
stage_and_lock(struct store *st, struct import *im, int create, int64_t rev,
    int64_t *max_imp, int64_t **fresh, int *tries, struct timespec *t0)
{
	struct event *ev;
	int same;

	for (*tries = 0;; (*tries)++) {
		if ((ev = build_events(im)) == NULL)
			return SVC_IMPORT_FAILED;
		if ((*fresh = fresh_of_rows(im)) == NULL ||
		    store_import_stage(st, ev, *fresh, im->n,
		        (const char *const *)im->fresh, im->nfresh) < 0) {
			event_list_free(ev, im->n);
			return SVC_IMPORT_FAILED;
		}
		event_list_free(ev, im->n);
		if (store_begin(st) <= 0)
			return SVC_IMPORT_BUSY;
		clock_gettime(CLOCK_MONOTONIC, t0);
		if (store_revision_of(st) == rev)
			return SVC_IMPORT_DONE;
		same = still_same(st, im, create, max_imp);
		if (same < 0 || im->res->oom) {
			store_rollback(st);
			return SVC_IMPORT_FAILED;
		}
		if (im->res->nproblems > 0) {
			store_rollback(st);
			return SVC_IMPORT_PROBLEMS;
		}
		if (same)
			return SVC_IMPORT_DONE;
		store_rollback(st);
		free(*fresh);
		*fresh = NULL;
		if (*tries >= 4)
			return SVC_IMPORT_BUSY;
		rev = store_revision_of(st);
	}
}

/*
 * Publishes the checked rows: staged outside the lock, written under it
 * with INSERT … SELECT statements in batches of IMPORT_BATCH_ROWS, a
 * transaction each, so other writers take the lock in between; a failed
 * batch deletes what the earlier ones wrote (no mail: imported events
 * have no speakers or participants yet). An svc_import_outcome.
 */
static int
publish(struct store *st, struct import *im, int create, int64_t rev,
    int64_t max_imp)
{
	struct import_publish pub;
	struct timespec t0, t1;
	int64_t *fresh = NULL, station_base = 0, event_base = 0;
	size_t i;
	int tries, rc;

	rc = stage_and_lock(st, im, create, rev, &max_imp, &fresh, &tries, &t0);
	if (rc != SVC_IMPORT_DONE) {
		store_import_clear(st);
		free(fresh);
		return rc;
	}
	memset(&pub, 0, sizeof(pub));
	pub.batch = IMPORT_BATCH_ROWS;
	pub.nstations = im->nfresh;
	pub.nevents = im->n;
	pub.max_imp = max_imp;
	pub.user_id = im->user_id;
	pub.now = svc_now();
	pub.last = audit_last;
	pub.between = batch_done;
	pub.arg = im;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* In batches, from the transaction open here; on a failure the
	 * batches already committed are deleted again. */
	rc = store_import_publish_batched(st, &pub, &station_base, &event_base);
	store_import_clear(st);
	if (rc < 0) {
		free(fresh);
		return SVC_IMPORT_FAILED;
	}
	log_msg(LOG_INFO,
	    "msg=\"events import\" rows=%zu new_stations=%zu batches=%zu "
	    "batch_max_ms=%.1f batches_ms=%.1f check_ms=%.1f tries=%d",
	    im->n, im->nfresh, pub.batches, (double)pub.batch_max_ns / 1e6,
	    (double)pub.batches_ns / 1e6,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	        (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	    tries + 1);
	for (i = 0; i < im->n; i++) {
		im->eid[i] = event_base + (int64_t)i + 1;
		if (fresh[i] > 0)
			im->sid[i] = station_base + fresh[i];
	}
	free(fresh);
	return SVC_IMPORT_DONE;
}

int
svc_events_import(struct store *st, const char *body, size_t sz,
    const struct svc_import_ask *ask, struct svc_import_result *res)
{
	struct import im;
	int64_t rev, max_imp = 0;
	int rc = SVC_IMPORT_FAILED;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	im.res = res;
	im.user_id = ask->user_id;
	rev = store_revision_of(st);
	if (read_file(body, sz, &im) < 0 ||
	    resolve(st, &im, ask->create_stations, &max_imp) < 0 ||
	    (res->nproblems == 0 && dedupe(st, &im) < 0) || res->oom)
		goto out;
	if (res->nproblems > 0) {
		rc = SVC_IMPORT_PROBLEMS;
		goto out;
	}
	/* A dry run stops here; with every row already there, there is
	 * nothing to write. */
	if (!ask->dry_run && im.n > 0 &&
	    (rc = publish(st, &im, ask->create_stations, rev, max_imp)) !=
	        SVC_IMPORT_DONE)
		goto out;
	res->written = !ask->dry_run && im.n > 0;
	res->new_stations = im.nfresh;
	/* The events are built after the lock is given back. */
	if ((res->events = build_events(&im)) == NULL) {
		rc = SVC_IMPORT_FAILED;
		goto out;
	}
	res->nevents = im.n;
	rc = SVC_IMPORT_DONE;
out:
	import_free(&im);
	return rc;
}
