/*
 * Events as CSV in the layout of the bureau's reports
 * (date,station,title,category,audience with Chinese words), for import
 * and export. An import is all or nothing: every bad row is reported by
 * line number and nothing is saved. Exported text that a spreadsheet
 * would run as a formula is prefixed with an apostrophe, which the
 * import strips again, so a round trip keeps titles intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define IMPORT_MAX_ROWS 20000
#define IMPORT_MAX_ERRORS 200
/* Rows per transaction when an import is published (issue 17): about
 * 5 ms of the write lock each, so public writes go in between. */
#define IMPORT_BATCH_ROWS 1000

static int export_csv(struct http_req *, enum event_status);

int
api_events_csv(struct http_req *r)
{
	return export_csv(r, EVENT_STATUS_ANY);
}

int
api_activities_csv(struct http_req *r)
{
	return export_csv(r, EVENT_HELD);
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

/* The events of the query's period (all, with a status column, or
 * only those with status) as CSV. A district-wide event has an empty
 * station. */
static int
export_csv(struct http_req *r, enum event_status status)
{
	struct event_filter f;
	struct store_page pg = {100000, 0};
	struct event *ev = NULL;
	struct station *sv = NULL;
	struct store *st;
	struct strbuf b = {0};
	const struct tz *z = tzdb_default();
	size_t n = 0, nst = 0, i;
	int64_t total;
	char *text;
	size_t len;

	memset(&f, 0, sizeof(f));
	if (!api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_enum_query_or_reply(r, "kind", activity_kinds, &f.kind) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id))
		return http_req_status(r);
	f.status = status;
	st = api_store(r);
	if (store_event_list(st, &f, &pg, &ev, &n, &total) < 0 ||
	    all_stations(st, &sv, &nst) < 0) {
		event_list_free(ev, n);
		return api_reply_store_error(r);
	}
	/* The events CSV carries every event with its status (cancelled
	 * ones too), so it re-imports whole; the activity catalogue of the
	 * reports keeps the reports' columns. */
	if (status == EVENT_STATUS_ANY)
		activity_csv_header_status(&b);
	else
		activity_csv_header(&b);
	for (i = 0; i < n; i++) {
		struct activity_row a;
		int64_t ls, le;

		memset(&a, 0, sizeof(a));
		if (status == EVENT_STATUS_ANY)
			a.status = ev[i].status;
		ls = (int64_t)ev[i].start_at +
		    (z ? tz_offset_at(z, ev[i].start_at) : 0);
		le = (int64_t)ev[i].end_at +
		    (z ? tz_offset_at(z, ev[i].end_at) : 0);
		a.day = activity_local_day(ev[i].start_at, z);
		a.start_min = (int)((ls - a.day * 86400) / 60);
		/* The end's clock time, as the report prints it. */
		a.end_min = (int)(((le % 86400) + 86400) % 86400 / 60);
		a.station = (char *)station_name(sv, nst, ev[i].station_id);
		a.title = ev[i].title;
		a.kind = ev[i].kind;
		a.audience = ev[i].audience;
		a.venue = ev[i].venue;
		a.public_ = ev[i].public_;
		activity_row_write(&b, &a);
	}
	event_list_free(ev, n);
	station_list_free(sv, nst);
	if ((text = strbuf_take(&b, &len)) == NULL)
		return api_reply_internal(r, "out of memory");
	return api_reply_file(r, API_TYPE_CSV, text, len, "events.csv");
}

/* --- import -------------------------------------------------------------- */

/* The problems of one import, reported together. */
struct problems {
	json_t *list;
	size_t n;
};

static void
problem(void *ctx, size_t line, const char *field, const char *msg)
{
	struct problems *pr = ctx;

	pr->n++;
	if (json_array_size(pr->list) >= IMPORT_MAX_ERRORS)
		return;
	json_array_append_new(pr->list,
	    json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line, "field",
	        field, "message", msg));
}

static int
flag_query(struct http_req *r, const char *name)
{
	const char *v = http_req_query(r, name);

	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* The rows of one import and where their stations are. */
struct import {
	struct activity_row *rows;
	int64_t *sid; /* per row; 0 = a new station (see fresh) */
	size_t n, cap;
	char **fresh; /* names of the stations to create, sorted */
	size_t nfresh;
	int64_t *fresh_id; /* their ids once created */
	int64_t *eid;      /* per row: the event made */
	json_t *skipped;   /* rows already present: {line, event_id, …} */
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
	json_decref(im->skipped);
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
resolve(struct store *st, struct import *im, int create, struct problems *pr,
    int64_t *max_imp)
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
			problem(pr, im->rows[i].line, "station", msg);
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

/*
 * Drops the rows whose event is already there (same station-local day,
 * station and title: a file imported again), each told in im->skipped
 * with the event it matched; the rows left are compacted in place. Rows
 * whose station is new cannot match. 1, or -1 on failure.
 */
static int
dedupe(struct store *st, struct import *im)
{
	const struct tz *z = tzdb_default();
	struct event_filter f;
	struct store_page pg = {1000000, 0};
	struct event *ev = NULL;
	struct event_key *have = NULL, *keys = NULL;
	int64_t *found = NULL, lo, hi, total;
	size_t n = 0, i, w;
	int rc = -1;

	if (im->n == 0)
		return 1;
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
	if (store_event_list(st, &f, &pg, &ev, &n, &total) < 0)
		return -1;
	if ((have = calloc(n ? n : 1, sizeof(*have))) == NULL ||
	    (keys = calloc(im->n, sizeof(*keys))) == NULL ||
	    (found = calloc(im->n, sizeof(*found))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		have[i].day = activity_local_day(ev[i].start_at, z);
		have[i].station_id = ev[i].station_id;
		have[i].title = ev[i].title;
		have[i].id = ev[i].id;
	}
	for (i = 0; i < im->n; i++) {
		keys[i].day = im->rows[i].day;
		/* A row of a station still to create matches nothing. */
		keys[i].station_id = im->sid[i] != 0 ||
		        im->rows[i].station[0] == '\0'
		    ? im->sid[i]
		    : -1;
		keys[i].title = im->rows[i].title;
	}
	if (import_match_present(have, n, keys, im->n, found) > 0 &&
	    im->skipped == NULL && (im->skipped = json_array()) == NULL)
		goto out;
	for (i = w = 0; i < im->n; i++) {
		char date[11], msg[256];

		if (found[i] == 0) {
			im->rows[w] = im->rows[i];
			im->sid[w] = im->sid[i];
			w++;
			continue;
		}
		time_format_date(im->rows[i].day, date);
		snprintf(msg, sizeof(msg),
		    "已有同一天、同一驻点、同名的活动"
		    "（编号 %lld），这一行不再导入",
		    (long long)found[i]);
		if (json_array_append_new(im->skipped,
		        json_pack("{s:I, s:I, s:s, s:s, s:s}", "line",
		            (json_int_t)im->rows[i].line, "event_id",
		            (json_int_t)found[i], "date", date, "title",
		            im->rows[i].title, "message", msg)) < 0)
			goto out;
		activity_row_free(&im->rows[i]);
	}
	im->n = w;
	rc = 1;
out:
	free(found);
	free(keys);
	free(have);
	event_list_free(ev, n);
	return rc;
}

static size_t
nskipped(const struct import *im)
{
	return im->skipped ? json_array_size(im->skipped) : 0;
}

/* The skipped rows for a reply: a new reference (an empty array). */
static json_t *
skipped_json(const struct import *im)
{
	return im->skipped ? json_incref(im->skipped) : json_array();
}

/* Reads the file into im; problems go to pr. 1, or -1 on failure. */
static int
read_file(const char *body, size_t sz, struct import *im, struct problems *pr)
{
	struct import_sink sink = {problem, pr};
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
		problem(pr, 1, "file",
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
		problem(pr, 1, "header",
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
			problem(pr, 0, "row", csv_error(csv));
			break;
		}
		if (im->n == IMPORT_MAX_ROWS) {
			problem(pr, row.line, "row",
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

	if (!api_event_prepare(e))
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

/* The events of the rows, built before the write lock is taken (a new
 * station's id is filled in under it). NULL on failure. */
static struct event *
build_events(const struct import *im)
{
	struct event *ev = calloc(im->n ? im->n : 1, sizeof(*ev));
	time_t now = svc_now();
	size_t i;

	if (ev == NULL)
		return NULL;
	for (i = 0; i < im->n; i++)
		if (!row_event(&im->rows[i], im->sid[i], now, &ev[i])) {
			event_list_free(ev, i + 1);
			return NULL;
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
 * with the count and the id range, instead of a row each. */
static int
audit_import(struct http_req *r, struct store *st, const struct import *im,
    int64_t station_base, int64_t event_base)
{
	int64_t uid = http_req_principal(r)->user_id;
	char d[160];

	if (im->nfresh > 0) {
		snprintf(d, sizeof(d),
		    "{\"source\":\"csv import\",\"count\":%zu,"
		    "\"first_id\":%lld,\"last_id\":%lld}",
		    im->nfresh, (long long)station_base + 1,
		    (long long)(station_base + (int64_t)im->nfresh));
		if (store_audit(st, uid, "create", "station", station_base + 1,
		        d) < 0)
			return -1;
	}
	snprintf(d, sizeof(d),
	    "{\"source\":\"csv import\",\"count\":%zu,"
	    "\"first_id\":%lld,\"last_id\":%lld}",
	    im->n, (long long)event_base + 1,
	    (long long)(event_base + (int64_t)im->n));
	return store_audit(st, uid, "import", "event", 0, d);
}

struct audit_ctx {
	struct http_req *r;
	const struct import *im;
};

/* The audit, in the last batch's transaction. */
static int
audit_last(struct store *st, void *arg, int64_t station_base,
    int64_t event_base)
{
	struct audit_ctx *c = arg;

	return audit_import(c->r, st, c->im, station_base, event_base);
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

/* The events of the rows as JSON (ids once written, else 0). */
static int
preview(const struct import *im, json_t *out)
{
	time_t now = svc_now();
	struct event e;
	size_t i;

	for (i = 0; i < im->n; i++) {
		if (!row_event(&im->rows[i], im->sid[i], now, &e)) {
			event_free(&e);
			return 0;
		}
		e.id = im->eid[i];
		json_array_append_new(out, api_event_json(&e));
		event_free(&e);
	}
	return 1;
}

static int
reply_problems(struct http_req *r, struct problems *pr)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "文件中有 %zu 处问题，没有导入任何内容",
	    pr->n);
	return http_reply_json(r, 422,
	    json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code",
	        "validation_failed", "field", "file", "message", msg, "errors",
	        pr->list));
}

/*
 * POST /events/import: all or nothing, and short under the write lock.
 * The file is read, checked and its stations resolved before the lock
 * (a dry run stops there); under the lock the stations are resolved
 * again only when something was committed meanwhile, then the rows are
 * written in batches of IMPORT_BATCH_ROWS, a transaction each, so other
 * writers take the lock in between; a failed batch deletes what the
 * earlier ones wrote (no mail: imported events have no speakers or
 * participants yet). The route is not a ROUTE_WRITE: this handler holds
 * its own transactions, so the checking runs outside them.
 */
int
api_events_import(struct http_req *r)
{
	struct problems pr = {json_array(), 0};
	struct import im;
	struct event *ev = NULL;
	int64_t *fresh = NULL, station_base = 0, event_base = 0;
	struct store *st;
	struct timespec t0, t1;
	struct import_publish pub;
	struct audit_ctx ac;
	json_t *events = json_array();
	const char *body;
	size_t sz, i;
	int64_t rev, max_imp = 0;
	int tries, dry = flag_query(r, "dry_run"),
	           create = flag_query(r, "create_stations"), status;

	memset(&im, 0, sizeof(im));
	body = http_req_body(r, &sz);
	st = api_store(r);
	if (pr.list == NULL || events == NULL)
		goto fail;
	rev = store_revision_of(st);
	if (read_file(body, sz, &im, &pr) < 0 ||
	    resolve(st, &im, create, &pr, &max_imp) < 0 ||
	    (pr.n == 0 && dedupe(st, &im) < 0))
		goto fail;
	if (pr.n > 0) {
		import_free(&im);
		json_decref(events);
		return reply_problems(r, &pr);
	}
	if (dry) {
		if (!preview(&im, events))
			goto fail;
		json_decref(pr.list);
		status = http_reply_json(r, 200,
		    json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "created",
		        (json_int_t)0, "rows",
		        (json_int_t)(im.n + nskipped(&im)), "new_stations",
		        (json_int_t)im.nfresh, "skipped",
		        (json_int_t)nskipped(&im), "skipped_rows",
		        skipped_json(&im), "events", events));
		import_free(&im);
		return status;
	}
	/* Every row already there: nothing to write. */
	if (im.n == 0) {
		json_decref(pr.list);
		status = http_reply_json(r, 200,
		    json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "created",
		        (json_int_t)0, "rows", (json_int_t)nskipped(&im),
		        "new_stations", (json_int_t)0, "skipped",
		        (json_int_t)nskipped(&im), "skipped_rows",
		        skipped_json(&im), "events", events));
		import_free(&im);
		return status;
	}
	/*
	 * Staged outside the lock; published under it with INSERT … SELECT
	 * statements, in batches. When something was committed in between, the
	 * stations are resolved again; a different answer (a station made,
	 * renamed or deactivated meanwhile) stages again, a few times.
	 */
	for (tries = 0;; tries++) {
		int64_t *sid0 = NULL;
		char **fresh0 = NULL;
		size_t nfresh0 = im.nfresh, n0 = im.n;
		int same;

		if ((ev = build_events(&im)) == NULL ||
		    (fresh = fresh_of_rows(&im)) == NULL ||
		    store_import_stage(st, ev, fresh, im.n,
		        (const char *const *)im.fresh, im.nfresh) < 0)
			goto fail;
		event_list_free(ev, im.n);
		ev = NULL;
		if (store_begin(st) <= 0)
			goto busy;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (store_revision_of(st) == rev)
			break;
		/* Keep what was staged to compare with a new resolution. */
		if ((sid0 = malloc((im.n ? im.n : 1) * sizeof(*sid0))) ==
		        NULL ||
		    (fresh0 = malloc((nfresh0 ? nfresh0 : 1) *
		         sizeof(*fresh0))) == NULL) {
			free(sid0);
			goto fail_tx;
		}
		memcpy(sid0, im.sid, im.n * sizeof(*sid0));
		memcpy(fresh0, im.fresh, nfresh0 * sizeof(*fresh0));
		if (resolve(st, &im, create, &pr, &max_imp) < 0 ||
		    (pr.n == 0 && dedupe(st, &im) < 0)) {
			free(sid0);
			free(fresh0);
			goto fail_tx;
		}
		same = pr.n == 0 && im.n == n0 &&
		    same_resolution(&im, sid0, fresh0, nfresh0);
		free(sid0);
		free(fresh0);
		if (pr.n > 0) {
			store_rollback(st);
			store_import_clear(st);
			free(fresh);
			import_free(&im);
			json_decref(events);
			return reply_problems(r, &pr);
		}
		if (same)
			break;
		store_rollback(st);
		free(fresh);
		fresh = NULL;
		if (tries >= 4)
			goto busy;
		rev = store_revision_of(st);
	}
	memset(&pub, 0, sizeof(pub));
	pub.batch = IMPORT_BATCH_ROWS;
	pub.nstations = im.nfresh;
	pub.nevents = im.n;
	pub.max_imp = max_imp;
	pub.user_id = http_req_principal(r)->user_id;
	pub.now = svc_now();
	pub.last = audit_last;
	pub.between = batch_done;
	pub.arg = &ac;
	ac.r = r;
	ac.im = &im;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* In batches, from the transaction open here; on a failure the
	 * batches already committed are deleted again. */
	if (store_import_publish_batched(st, &pub, &station_base, &event_base) <
	    0)
		goto fail;
	store_import_clear(st);
	log_msg(LOG_INFO,
	    "msg=\"events import\" rows=%zu new_stations=%zu batches=%zu "
	    "batch_max_ms=%.1f batches_ms=%.1f check_ms=%.1f tries=%d",
	    im.n, im.nfresh, pub.batches, (double)pub.batch_max_ns / 1e6,
	    (double)pub.batches_ns / 1e6,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	        (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	    tries + 1);
	for (i = 0; i < im.n; i++) {
		im.eid[i] = event_base + (int64_t)i + 1;
		if (fresh[i] > 0)
			im.sid[i] = station_base + fresh[i];
	}
	free(fresh);
	fresh = NULL;
	/* The reply is built after the lock is given back. */
	if (!preview(&im, events))
		goto fail;
	status = http_reply_json(r, 201,
	    json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "created",
	        (json_int_t)json_array_size(events), "rows",
	        (json_int_t)(json_array_size(events) + nskipped(&im)),
	        "new_stations", (json_int_t)im.nfresh, "skipped",
	        (json_int_t)nskipped(&im), "skipped_rows", skipped_json(&im),
	        "events", events));
	import_free(&im);
	json_decref(pr.list);
	return status;
busy:
	store_import_clear(st);
	free(fresh);
	import_free(&im);
	json_decref(pr.list);
	json_decref(events);
	return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
	    "数据库正忙，请稍后再试");
fail_tx:
	store_rollback(st);
fail:
	store_import_clear(st);
	if (ev != NULL)
		event_list_free(ev, im.n);
	free(fresh);
	import_free(&im);
	json_decref(pr.list);
	json_decref(events);
	return api_reply_store_error(r);
}
