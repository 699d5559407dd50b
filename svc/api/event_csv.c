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
#include "../tzdb.h"

#define IMPORT_MAX_ROWS 5000
#define IMPORT_MAX_ERRORS 200

enum col {
	COL_DATE,
	COL_STATION,
	COL_TITLE,
	COL_CATEGORY,
	COL_AUDIENCE,
	COL_START_TIME,
	COL_END_TIME,
	COL_VENUE,
	COL_PUBLIC,
	COL__MAX
};

static const char *const col_names[COL__MAX] = {
	/* COL_DATE */ "date",
	/* COL_STATION */ "station",
	/* COL_TITLE */ "title",
	/* COL_CATEGORY */ "category",
	/* COL_AUDIENCE */ "audience",
	/* COL_START_TIME */ "start_time",
	/* COL_END_TIME */ "end_time",
	/* COL_VENUE */ "venue",
	/* COL_PUBLIC */ "public",
};
#define REQUIRED_COLS 5

/* A growable text buffer for the export. */
struct buf {
	char *p;
	size_t n, cap;
	int failed;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	char *np;

	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static int
formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

/* One CSV field (RFC 4180 quoting), then sep. */
static void
put_field(struct buf *b, const char *s, const char *sep)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL || formula_start(*s);
	const char *p;

	if (quote)
		put(b, "\"", 1);
	if (formula_start(*s))
		put(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			put(b, "\"\"", 2);
		else
			put(b, p, 1);
	}
	if (quote)
		put(b, "\"", 1);
	put(b, sep, strlen(sep));
}

static int export_csv(struct http_req *, const char *status);

int
api_events_csv(struct http_req *r)
{
	return export_csv(r, NULL);
}

int
api_activities_csv(struct http_req *r)
{
	return export_csv(r, "held");
}

/* The events of the query's period (all but cancelled ones, or only
 * those with status) as CSV. */
static int
export_csv(struct http_req *r, const char *status)
{
	struct event_filter f;
	struct store_page pg = {100000, 0};
	struct event *ev = NULL;
	struct store *st;
	struct station s;
	struct buf b = {0};
	const struct tz *z = tzdb_default();
	size_t n = 0, i, k;
	int64_t total, day;
	char date[11], t1[8], t2[8], *name;
	int rc;

	memset(&f, 0, sizeof(f));
	if (!api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_enum_query_or_reply(r, "kind", activity_kinds, &f.kind) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id))
		return 422;
	f.status = status;
	if ((st = api_store_or_reply(r)) == NULL)
		return 503;
	if (store_event_list(st, &f, &pg, &ev, &n, &total) < 0)
		return api_reply_store_error(r);
	put(&b, "\xEF\xBB\xBF", 3);
	for (k = 0; k < COL__MAX; k++)
		put_field(&b, col_names[k], k + 1 < COL__MAX ? "," : "\r\n");
	for (i = 0; i < n; i++) {
		int64_t off = z ? tz_offset_at(z, ev[i].start_at) : 0;
		int64_t ls = (int64_t)ev[i].start_at + off;
		int64_t le = (int64_t)ev[i].end_at + (z ? tz_offset_at(z,
		    ev[i].end_at) : 0);

		if (strcmp(ev[i].status, "cancelled") == 0)
			continue;
		day = activity_local_day(ev[i].start_at, z);
		time_format_date(day, date);
		snprintf(t1, sizeof(t1), "%02d:%02d",
		    (int)((ls - day * 86400) / 3600),
		    (int)((ls - day * 86400) % 3600 / 60));
		snprintf(t2, sizeof(t2), "%02d:%02d", (int)(le % 86400 / 3600),
		    (int)(le % 3600 / 60));
		name = NULL;
		if (ev[i].station_id &&
		    (rc = store_station_get(st, ev[i].station_id, &s)) > 0) {
			name = strdup(s.name);
			station_free(&s);
		}
		put_field(&b, date, ",");
		put_field(&b, name ? name : "", ",");
		free(name);
		put_field(&b, ev[i].title, ",");
		put_field(&b, activity_kind_zh(ev[i].kind), ",");
		put_field(&b, activity_audience_zh(ev[i].audience), ",");
		put_field(&b, t1, ",");
		put_field(&b, t2, ",");
		put_field(&b, ev[i].venue, ",");
		put_field(&b, ev[i].public_ ? "1" : "0", "\r\n");
	}
	event_list_free(ev, n);
	if (b.failed) {
		free(b.p);
		return api_reply_store_error(r);
	}
	http_reply_header(r, "Content-Disposition",
	    "attachment; filename=\"events.csv\"");
	rc = http_reply_bytes(r, 200, "text/csv; charset=utf-8", b.p, b.n);
	free(b.p);
	return rc;
}

/* The problems of one import, reported together. */
struct problems {
	json_t *list;
	size_t n;
};

static void
problem(struct problems *pr, size_t line, const char *field,
    const char *fmt, const char *arg)
{
	char msg[256];

	pr->n++;
	if (json_array_size(pr->list) >= IMPORT_MAX_ERRORS)
		return;
	snprintf(msg, sizeof(msg), fmt, arg);
	json_array_append_new(pr->list, json_pack("{s:I, s:s, s:s}", "line",
	    (json_int_t)line, "field", field, "message", msg));
}

/* "HH:MM" into minutes after midnight; -1 when malformed. */
static int
parse_hhmm(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 23)
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0');
}

static int
parse_public(const char *s)
{
	static const char *const yes[] = {"1", "true", "yes", "是", NULL};
	static const char *const no[] = {"", "0", "false", "no", "否", NULL};
	size_t i;

	for (i = 0; yes[i] != NULL; i++)
		if (strcmp(s, yes[i]) == 0)
			return 1;
	for (i = 0; no[i] != NULL; i++)
		if (strcmp(s, no[i]) == 0)
			return 0;
	return -1;
}

/* Trims in place and drops the anti-formula apostrophe of an export. */
static char *
clean(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	if (s[0] == '\'' && formula_start(s[1]))
		s++;
	return s;
}

/* Checks a text cell: UTF-8, no control characters, 1..max chars. */
static const char *
text_problem(const char *s, long min, long max)
{
	long len = valid_utf8_len(s, strlen(s));
	const char *p;

	if (len < 0)
		return "not valid UTF-8";
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control characters are not allowed";
	if (len < min)
		return "must not be empty";
	if (len > max)
		return "too long";
	return NULL;
}

/* Finds the station of a cell by code, then by name; creates it when
 * allowed (and not a dry run). *sid is 0 for a station that a real run
 * would create. Returns 1 found or creatable, 0 unknown, -1 failure. */
static int
resolve_station(struct store *st, const char *cell, int create, int dry,
    int64_t *sid)
{
	struct station s;
	char code[16];
	int rc, i;

	*sid = 0;
	/* Reports name a station by code, by full name, or by the start of
	 * its name when that is unambiguous. */
	if ((rc = store_station_get_by_code(st, cell, &s)) == 0 &&
	    (rc = store_station_get_by_name(st, cell, &s)) == 0)
		rc = store_station_get_by_name_prefix(st, cell, &s);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		*sid = s.id;
		station_free(&s);
		return 1;
	}
	if (!create)
		return 0;
	if (dry)
		return 1;
	memset(&s, 0, sizeof(s));
	s.name = (char *)cell;
	s.kind = "street";
	s.address = "";
	s.timezone = "Asia/Shanghai";
	s.active = 1;
	s.created_at = s.updated_at = api_now();
	for (i = 1; i < 10000; i++) {
		snprintf(code, sizeof(code), "IMP%d", i);
		s.code = code;
		if ((rc = store_station_insert(st, &s)) != 0)
			break;
	}
	if (rc <= 0)
		return -1;
	if (store_audit(st, 0, "create", "station", s.id,
	    "{\"source\":\"csv import\"}") < 0)
		return -1;
	*sid = s.id;
	return 1;
}

/* Maps header names to column positions; -1 for absent columns. */
static int
read_header(const struct csv_row *row, int *pos, struct problems *pr)
{
	size_t i, k;

	for (k = 0; k < COL__MAX; k++)
		pos[k] = -1;
	for (i = 0; i < row->n; i++) {
		const char *name = clean(row->fields[i]);

		for (k = 0; k < COL__MAX; k++)
			if (strcmp(name, col_names[k]) == 0)
				break;
		if (k == COL__MAX) {
			problem(pr, row->line, "header", "unknown column \"%s\"",
			    name);
			return 0;
		}
		if (pos[k] >= 0) {
			problem(pr, row->line, "header", "column %s twice",
			    name);
			return 0;
		}
		pos[k] = (int)i;
	}
	for (k = 0; k < REQUIRED_COLS; k++)
		if (pos[k] < 0) {
			problem(pr, row->line, "header",
			    "missing column \"%s\"", col_names[k]);
			return 0;
		}
	return 1;
}

static char *
cell(const struct csv_row *row, const int *pos, enum col c)
{
	static char empty[1];

	return pos[c] >= 0 ? clean(row->fields[pos[c]]) : empty;
}

/* Turns one row into an event (defaults prepared by the caller);
 * records each problem and returns 0 when the row is bad, -1 on a store
 * failure. */
static int
read_row(struct store *st, const struct csv_row *row, const int *pos,
    size_t ncols, int create, int dry, struct event *e,
    struct problems *pr)
{
	const struct tz *z = tzdb_default();
	const char *why, *kind, *aud;
	int64_t day;
	int bad = 0, m1 = 14 * 60 + 30, m2 = 16 * 60 + 30, pub, rc;
	char *v;

	if (row->n != ncols) {
		char n[24];

		snprintf(n, sizeof(n), "%zu", ncols);
		problem(pr, row->line, "row", "expected %s fields", n);
		return 0;
	}
	if (!time_parse_date(cell(row, pos, COL_DATE), &day))
		problem(pr, row->line, "date", "not a date (YYYY-MM-DD): %s",
		    cell(row, pos, COL_DATE)), bad = 1;
	v = cell(row, pos, COL_STATION);
	if ((why = text_problem(v, 1, 100)) != NULL)
		problem(pr, row->line, "station", "station: %s", why), bad = 1;
	else if ((rc = resolve_station(st, v, create, dry,
	    &e->station_id)) < 0)
		return -1;
	else if (rc == 0)
		problem(pr, row->line, "station", "unknown station \"%s\"", v),
		    bad = 1;
	v = cell(row, pos, COL_TITLE);
	if ((why = text_problem(v, 1, 100)) != NULL)
		problem(pr, row->line, "title", "title: %s", why), bad = 1;
	else if ((free(e->title), e->title = strdup(v)) == NULL)
		return -1;
	v = cell(row, pos, COL_CATEGORY);
	/* The report's word, or the API's own code. */
	if ((kind = activity_kind_from_zh(v)) == NULL &&
	    activity_kind_zh(v) != NULL)
		kind = v;
	if (kind == NULL)
		problem(pr, row->line, "category", "unknown category \"%.60s\"",
		    v), bad = 1;
	else if ((free(e->kind), e->kind = strdup(kind)) == NULL)
		return -1;
	v = cell(row, pos, COL_AUDIENCE);
	if ((aud = activity_audience_from_zh(v)) == NULL &&
	    activity_audience_zh(v) != NULL)
		aud = v;
	if (aud == NULL)
		problem(pr, row->line, "audience", "unknown audience \"%.60s\"",
		    v), bad = 1;
	else if ((free(e->audience), e->audience = strdup(aud)) == NULL)
		return -1;
	if (pos[COL_START_TIME] >= 0 && *cell(row, pos, COL_START_TIME) &&
	    (m1 = parse_hhmm(cell(row, pos, COL_START_TIME))) < 0)
		problem(pr, row->line, "start_time", "not a time (HH:MM): %s",
		    cell(row, pos, COL_START_TIME)), bad = 1;
	if (pos[COL_END_TIME] >= 0 && *cell(row, pos, COL_END_TIME) &&
	    (m2 = parse_hhmm(cell(row, pos, COL_END_TIME))) < 0)
		problem(pr, row->line, "end_time", "not a time (HH:MM): %s",
		    cell(row, pos, COL_END_TIME)), bad = 1;
	if (m1 >= 0 && m2 >= 0 && m2 <= m1)
		problem(pr, row->line, "end_time", "%s",
		    "end_time must be after start_time"), bad = 1;
	v = cell(row, pos, COL_VENUE);
	if ((why = text_problem(v, 0, 100)) != NULL)
		problem(pr, row->line, "venue", "venue: %s", why), bad = 1;
	else if ((free(e->venue), e->venue = strdup(v)) == NULL)
		return -1;
	if ((pub = parse_public(cell(row, pos, COL_PUBLIC))) < 0)
		problem(pr, row->line, "public", "not 1/0/true/false/是/否: %s",
		    cell(row, pos, COL_PUBLIC)), bad = 1;
	if (bad)
		return 0;
	e->public_ = pub;
	e->start_at = tz_local_to_utc(z, day * 86400 + m1 * 60);
	e->end_at = tz_local_to_utc(z, day * 86400 + m2 * 60);
	e->planned_start_at = e->start_at;
	e->created_at = e->updated_at = api_now();
	/* The reports list activities that took place: a past row is a
	 * held event. */
	if (e->end_at < e->created_at) {
		free(e->status);
		if ((e->status = strdup("held")) == NULL)
			return -1;
		e->held_at = e->end_at;
	}
	return 1;
}

static int
flag_query(struct http_req *r, const char *name)
{
	const char *v = http_req_query(r, name);

	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

int
api_events_import(struct http_req *r)
{
	struct problems pr = {json_array(), 0};
	struct store *st;
	struct csv *csv;
	struct csv_row row;
	struct event e;
	json_t *events = json_array();
	const char *body;
	size_t sz, ncols = 0, nrows = 0;
	int pos[COL__MAX], rc, dry = flag_query(r, "dry_run"),
	    create = flag_query(r, "create_stations"), status;
	char msg[128];

	body = http_req_body(r, &sz);
	if ((st = api_store_or_reply(r)) == NULL) {
		json_decref(pr.list);
		json_decref(events);
		return 503;
	}
	if (pr.list == NULL || events == NULL ||
	    (csv = csv_open(body, sz)) == NULL) {
		json_decref(pr.list);
		json_decref(events);
		return api_reply_store_error(r);
	}
	if ((rc = csv_next(csv, &row)) <= 0)
		problem(&pr, 1, "header", "%s", rc == 0 ? "the file is empty"
		    : csv_error(csv));
	else if (read_header(&row, pos, &pr))
		ncols = row.n;
	while (ncols > 0 && (rc = csv_next(csv, &row)) != 0) {
		if (rc < 0) {
			/* A syntax error ends the reading: what follows
			 * cannot be split into rows reliably. */
			problem(&pr, 0, "row", "%s", csv_error(csv));
			break;
		}
		if (++nrows > IMPORT_MAX_ROWS) {
			problem(&pr, row.line, "row", "%s",
			    "more than 5000 rows; split the file");
			break;
		}
		if (!api_event_prepare(&e)) {
			event_free(&e);
			goto fail;
		}
		rc = read_row(st, &row, pos, ncols, create, dry, &e, &pr);
		if (rc < 0) {
			event_free(&e);
			goto fail;
		}
		if (rc > 0 && pr.n == 0 && !dry &&
		    (store_event_insert(st, &e) <= 0 ||
		    api_event_record_created(r, st, &e, "csv import") < 0)) {
			event_free(&e);
			goto fail;
		}
		if (rc > 0)
			json_array_append_new(events, api_event_json(&e));
		event_free(&e);
	}
	csv_close(csv);
	if (pr.n > 0) {
		json_decref(events);
		snprintf(msg, sizeof(msg), "%zu problem(s) in the file; "
		    "nothing was imported", pr.n);
		/* The caller's transaction rolls back on this status. */
		return http_reply_json(r, 422, json_pack(
		    "{s:{s:s, s:s, s:s, s:o}}", "error", "code",
		    "validation_failed", "field", "file", "message", msg,
		    "errors", pr.list));
	}
	json_decref(pr.list);
	if (!dry && api_audit(r, st, "import", "event", 0, NULL) < 0) {
		json_decref(events);
		return api_reply_store_error(r);
	}
	status = dry ? 200 : 201;
	return http_reply_json(r, status, json_pack("{s:I, s:I, s:o}",
	    "created", (json_int_t)(dry ? 0 : json_array_size(events)),
	    "rows", (json_int_t)json_array_size(events), "events", events));
fail:
	csv_close(csv);
	json_decref(pr.list);
	json_decref(events);
	return api_reply_store_error(r);
}
