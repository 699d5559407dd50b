/*
 * The activity CSV of the bureau's reports, both ways, as pure functions
 * (lifted out of api/event_csv.c so they are unit-tested and fuzzed):
 * the header's column map, one row into a struct activity_row with every
 * problem of the row reported, one activity_row written back, and the
 * station index an import resolves names and codes with in O(log n)
 * (before: one query per row and a code search per new station, which
 * made an import that creates stations quadratic).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"

const char *const activity_csv_columns[ACOL__MAX] = {
    /* ACOL_DATE */ "date",
    /* ACOL_STATION */ "station",
    /* ACOL_TITLE */ "title",
    /* ACOL_CATEGORY */ "category",
    /* ACOL_AUDIENCE */ "audience",
    /* ACOL_START_TIME */ "start_time",
    /* ACOL_END_TIME */ "end_time",
    /* ACOL_VENUE */ "venue",
    /* ACOL_PUBLIC */ "public",
    /* ACOL_STATUS */ "status",
};

/* The CSV's words for event_status_names (index for index). */
static const char *const status_zh[EVENT_STATUS__MAX] = {
    "",
    "已计划",
    "已确认",
    "已举办",
    "已取消",
};

const char *
event_status_zh(int status)
{
	return status > EVENT_STATUS_ANY && status < EVENT_STATUS__MAX
	    ? status_zh[status]
	    : NULL;
}

/* A status cell: the Chinese word or the API's code; _ANY when empty,
 * -1 when unknown. */
static int
parse_status(const char *s)
{
	int i;

	if (*s == '\0')
		return EVENT_STATUS_ANY;
	for (i = EVENT_STATUS_ANY + 1; i < EVENT_STATUS__MAX; i++)
		if (strcmp(s, status_zh[i]) == 0 ||
		    strcmp(s, event_status_names[i]) == 0)
			return i;
	return -1;
}
#define REQUIRED_COLS 5

/* The cell quoted in a message: at most 60 bytes, cut between UTF-8
 * characters (a cut inside one made the message invalid UTF-8, which
 * JSON cannot carry: the fuzzer found it), or a placeholder when the
 * cell is not UTF-8 at all. */
static const char *
quote_cell(const char *s, char *out, size_t sz)
{
	size_t n = strlen(s);

	if (valid_utf8_len(s, n) < 0)
		return "（不是有效的 UTF-8 文本）";
	n = valid_utf8_cut(s, n, sz - 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static void
say(const struct import_sink *k, size_t line, const char *field,
    const char *fmt, const char *arg)
{
	char msg[256], cellbuf[61];

	snprintf(msg, sizeof(msg), fmt,
	    quote_cell(arg, cellbuf, sizeof(cellbuf)));
	if (k != NULL && k->problem != NULL)
		k->problem(k->ctx, line, field, msg);
}

/* Whether an exported text starts with the guard apostrophe: before a
 * formula character (csv_put_field's), or before another apostrophe (a
 * text that itself began with one; see put_text). */
static int
guarded(const char *s)
{
	return s[0] == '\'' && (csv_formula_start(s[1]) || s[1] == '\'');
}

/* Trims in place and drops the anti-formula apostrophe of an export. */
static char *
clean(char *s)
{
	s = csv_trim(s);
	if (guarded(s))
		s++;
	return s;
}

int
import_header_read(const struct csv_row *row, struct import_header *h,
    const struct import_sink *k)
{
	size_t i, c;

	for (c = 0; c < ACOL__MAX; c++)
		h->pos[c] = -1;
	h->ncols = 0;
	for (i = 0; i < row->n; i++) {
		const char *name = clean(row->fields[i]);

		for (c = 0; c < ACOL__MAX; c++)
			if (strcmp(name, activity_csv_columns[c]) == 0)
				break;
		if (c == ACOL__MAX) {
			say(k, row->line, "header", "未知的列“%s”", name);
			return 0;
		}
		if (h->pos[c] >= 0) {
			say(k, row->line, "header", "列“%s”出现了两次", name);
			return 0;
		}
		h->pos[c] = (int)i;
	}
	for (c = 0; c < REQUIRED_COLS; c++)
		if (h->pos[c] < 0) {
			say(k, row->line, "header", "缺少列“%s”",
			    activity_csv_columns[c]);
			return 0;
		}
	h->ncols = row->n;
	return 1;
}

static char *
cell(const struct csv_row *row, const struct import_header *h,
    enum activity_col c)
{
	static char empty[1];

	return h->pos[c] >= 0 ? clean(row->fields[h->pos[c]]) : empty;
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

/* Checks a text cell: UTF-8, no control characters, min..max chars. */
static const char *
text_problem(const char *s, long min, long max)
{
	long len = valid_utf8_len(s, strlen(s));
	const char *p;

	if (len < 0)
		return "不是有效的 UTF-8 文本";
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "含有控制字符";
	if (len < min)
		return "不能为空";
	if (len > max)
		return "太长";
	return NULL;
}

void
activity_row_free(struct activity_row *a)
{
	if (a == NULL)
		return;
	free(a->station);
	free(a->title);
	free(a->venue);
	memset(a, 0, sizeof(*a));
}

int
import_row_read(const struct csv_row *row, const struct import_header *h,
    struct activity_row *a, const struct import_sink *k)
{
	const char *why, *v;
	int bad = 0, m1 = 14 * 60 + 30, m2 = 16 * 60 + 30, pub, at = -1;

	memset(a, 0, sizeof(*a));
	a->line = row->line;
	if (row->n != h->ncols) {
		char n[24];

		snprintf(n, sizeof(n), "%zu", h->ncols);
		say(k, row->line, "row", "这一行应有 %s 列", n);
		return 0;
	}
	if (!import_parse_when(cell(row, h, ACOL_DATE), &a->day, &at) ||
	    a->day < time_days_from_civil(1970, 1, 1) ||
	    a->day > time_days_from_civil(2100, 12, 31))
		say(k, row->line, "date",
		    "不是日期（YYYY-MM-DD 或 YYYY/M/D，"
		    "可带时间 H:MM；1970–2100）：%s",
		    cell(row, h, ACOL_DATE)),
		    bad = 1;
	/* A time in the date cell is the start when no start_time says
	 * otherwise; the end is then two hours later, as by default. */
	if (at >= 0) {
		m1 = at;
		m2 = at + 120 < 24 * 60 ? at + 120 : 24 * 60 - 1;
	}
	/* An empty station: a district-wide event (what the export writes
	 * for one). */
	v = cell(row, h, ACOL_STATION);
	if ((why = text_problem(v, 0, 100)) != NULL)
		say(k, row->line, "station", "驻点：%s", why), bad = 1;
	else if ((a->station = strdup(v)) == NULL)
		goto oom;
	v = cell(row, h, ACOL_TITLE);
	if ((why = text_problem(v, 1, 100)) != NULL)
		say(k, row->line, "title", "标题：%s", why), bad = 1;
	else if ((a->title = strdup(v)) == NULL)
		goto oom;
	v = cell(row, h, ACOL_CATEGORY);
	/* The report's word, or the API's own code. */
	if ((a->kind = activity_kind_from_zh(v)) == NULL &&
	    activity_kind_zh(v) != NULL)
		a->kind = activity_kind_from_zh(activity_kind_zh(v));
	if (a->kind == NULL)
		say(k, row->line, "category", "未知的类别“%s”", v), bad = 1;
	v = cell(row, h, ACOL_AUDIENCE);
	if ((a->audience = activity_audience_from_zh(v)) == NULL &&
	    activity_audience_zh(v) != NULL)
		a->audience = activity_audience_from_zh(
		    activity_audience_zh(v));
	if (a->audience == NULL)
		say(k, row->line, "audience", "未知的对象“%s”", v), bad = 1;
	if (h->pos[ACOL_START_TIME] >= 0 && *cell(row, h, ACOL_START_TIME) &&
	    (m1 = import_parse_clock(cell(row, h, ACOL_START_TIME))) < 0)
		say(k, row->line, "start_time", "不是时间（H:MM 或 HH:MM）：%s",
		    cell(row, h, ACOL_START_TIME)),
		    bad = 1;
	if (h->pos[ACOL_END_TIME] >= 0 && *cell(row, h, ACOL_END_TIME) &&
	    (m2 = import_parse_clock(cell(row, h, ACOL_END_TIME))) < 0)
		say(k, row->line, "end_time", "不是时间（H:MM 或 HH:MM）：%s",
		    cell(row, h, ACOL_END_TIME)),
		    bad = 1;
	if (m1 >= 0 && m2 >= 0 && m2 <= m1)
		say(k, row->line, "end_time", "%s", "结束时间必须晚于开始时间"),
		    bad = 1;
	v = cell(row, h, ACOL_VENUE);
	if ((why = text_problem(v, 0, 100)) != NULL)
		say(k, row->line, "venue", "地点：%s", why), bad = 1;
	else if ((a->venue = strdup(v)) == NULL)
		goto oom;
	if ((pub = parse_public(cell(row, h, ACOL_PUBLIC))) < 0)
		say(k, row->line, "public", "应为 1/0/true/false/是/否：%s",
		    cell(row, h, ACOL_PUBLIC)),
		    bad = 1;
	if ((a->status = parse_status(cell(row, h, ACOL_STATUS))) < 0)
		say(k, row->line, "status",
		    "未知的状态“%s”（已计划/已确认/"
		    "已举办/已取消）",
		    cell(row, h, ACOL_STATUS)),
		    bad = 1;
	if (bad) {
		activity_row_free(a);
		a->line = row->line;
		return 0;
	}
	a->start_min = m1;
	a->end_min = m2;
	a->public_ = pub;
	return 1;
oom:
	activity_row_free(a);
	return -1;
}

/* A text field that survives the import: one that starts like a guard
 * ("'=…", "''…") gets an apostrophe of its own, which clean() takes off
 * again (fuzz_activity_csv found "'=x" coming back as "=x"). */
static void
put_text(struct strbuf *b, const char *s, int first)
{
	struct strbuf t = {0};
	char *g;

	if (!guarded(s)) {
		csv_put_field(b, s, first);
		return;
	}
	strbuf_str(&t, "'");
	strbuf_str(&t, s);
	if ((g = strbuf_take(&t, NULL)) == NULL) {
		b->failed = 1;
		return;
	}
	csv_put_field(b, g, first);
	free(g);
}

void
activity_row_write(struct strbuf *b, const struct activity_row *a)
{
	char date[11], t[8];

	time_format_date(a->day, date);
	csv_put_field(b, date, 1);
	put_text(b, a->station ? a->station : "", 0);
	put_text(b, a->title ? a->title : "", 0);
	csv_put_field(b,
	    a->kind ? activity_kind_zh(a->kind) ? activity_kind_zh(a->kind)
	                                        : a->kind
	            : "",
	    0);
	csv_put_field(b,
	    a->audience ? activity_audience_zh(a->audience)
	            ? activity_audience_zh(a->audience)
	            : a->audience
	                : "",
	    0);
	snprintf(t, sizeof(t), "%02d:%02d", a->start_min / 60 % 100,
	    a->start_min % 60);
	csv_put_field(b, t, 0);
	snprintf(t, sizeof(t), "%02d:%02d", a->end_min / 60 % 100,
	    a->end_min % 60);
	csv_put_field(b, t, 0);
	put_text(b, a->venue ? a->venue : "", 0);
	csv_put_field(b, a->public_ ? "1" : "0", 0);
	if (event_status_zh(a->status) != NULL)
		csv_put_field(b, event_status_zh(a->status), 0);
	csv_end_row(b);
}

static void
header(struct strbuf *b, size_t ncols)
{
	size_t c;

	strbuf_add(b, "\xEF\xBB\xBF", 3);
	for (c = 0; c < ncols; c++)
		csv_put_field(b, activity_csv_columns[c], c == 0);
	csv_end_row(b);
}

void
activity_csv_header(struct strbuf *b)
{
	header(b, ACOL_STATUS);
}

void
activity_csv_header_status(struct strbuf *b)
{
	header(b, ACOL__MAX);
}

/* --- the station index -------------------------------------------------- */

struct station_index {
	struct station_ref *by_code; /* sorted by code, ASCII case folded */
	struct station_ref *by_name; /* sorted by name, active first, id */
	size_t n;
	int64_t max_imp; /* largest n of a code "IMPn" */
};

static int
cmp_code(const void *a, const void *b)
{
	return strcasecmp(((const struct station_ref *)a)->code,
	    ((const struct station_ref *)b)->code);
}

static int
cmp_name(const void *pa, const void *pb)
{
	const struct station_ref *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	if (a->active != b->active)
		return a->active ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

struct station_index *
station_index_new(const struct station_ref *refs, size_t n)
{
	struct station_index *x = calloc(1, sizeof(*x));
	size_t i;

	if (x == NULL)
		return NULL;
	x->n = n;
	if (n > 0 &&
	    ((x->by_code = malloc(n * sizeof(*refs))) == NULL ||
	        (x->by_name = malloc(n * sizeof(*refs))) == NULL)) {
		station_index_free(x);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const char *c = refs[i].code;
		char *end;
		long long v;

		x->by_code[i] = x->by_name[i] = refs[i];
		if (strncasecmp(c, "IMP", 3) == 0 && c[3] >= '0' &&
		    c[3] <= '9' && strlen(c) <= 21) {
			v = strtoll(c + 3, &end, 10);
			if (*end == '\0' && v > x->max_imp)
				x->max_imp = v;
		}
	}
	if (n > 1) {
		qsort(x->by_code, n, sizeof(*refs), cmp_code);
		qsort(x->by_name, n, sizeof(*refs), cmp_name);
	}
	return x;
}

void
station_index_free(struct station_index *x)
{
	if (x == NULL)
		return;
	free(x->by_code);
	free(x->by_name);
	free(x);
}

int64_t
station_index_max_imp(const struct station_index *x)
{
	return x ? x->max_imp : 0;
}

/* The first entry of by_name whose name is >= s (binary search). */
static size_t
name_lower_bound(const struct station_index *x, const char *s)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->by_name[mid].name, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int64_t
station_index_find(const struct station_index *x, const char *cell)
{
	size_t lo = 0, hi, i, len;
	int c;

	if (x == NULL || x->n == 0 || cell == NULL || *cell == '\0')
		return 0;
	/* By code (compared as the database does: ASCII case folded). */
	hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((c = strcasecmp(x->by_code[mid].code, cell)) == 0)
			return x->by_code[mid].id;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* By full name: the active one first, then the lowest id. */
	i = name_lower_bound(x, cell);
	if (i < x->n && strcmp(x->by_name[i].name, cell) == 0)
		return x->by_name[i].id;
	/* By the start of exactly one station's name. */
	len = strlen(cell);
	if (i < x->n && strncmp(x->by_name[i].name, cell, len) == 0 &&
	    (i + 1 == x->n || strncmp(x->by_name[i + 1].name, cell, len) != 0))
		return x->by_name[i].id;
	return 0;
}

/* --- forgiving input (issue 13): encodings, dates, rows already there --- */

int
import_to_utf8(const char *in, size_t n, char **out, size_t *outn)
{
	iconv_t cd;
	char *buf, *ip = (char *)in, *op;
	size_t cap, il = n, ol;

	*out = NULL;
	*outn = 0;
	/* Valid UTF-8 (with or without its BOM) is taken as it is: a
	 * GB18030 reading of it would also succeed, as mojibake. */
	if (valid_utf8_len(in, n) >= 0)
		return 1;
	/* A file that says it is UTF-8 and is not stays refused. */
	if (n >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
		return 0;
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return -1;
	/* A GB18030 character of 2 or 4 bytes is at most 4 bytes of
	 * UTF-8; ASCII stays one byte: twice the input is enough. */
	cap = n * 2 + 1;
	if ((buf = malloc(cap)) == NULL) {
		iconv_close(cd);
		return -1;
	}
	op = buf;
	ol = cap - 1;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		int e = errno;

		iconv_close(cd);
		free(buf);
		return e == ENOMEM ? -1 : 0;
	}
	iconv_close(cd);
	*op = '\0';
	*outn = (size_t)(op - buf);
	/* GB18030 maps every code point: the result is UTF-8 unless the
	 * converter disagrees; check rather than trust. */
	if (valid_utf8_len(buf, *outn) < 0) {
		free(buf);
		*outn = 0;
		return 0;
	}
	*out = buf;
	return 2;
}

static int
digits(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (**p >= '0' && **p <= '9' && n < max) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min && !(**p >= '0' && **p <= '9');
}

/* "H:MM" or "HH:MM", optionally ":SS", at *p; minutes, or -1. */
static int
clock_at(const char **p)
{
	int h, m, s;

	if (!digits(p, 1, 2, &h) || **p != ':')
		return -1;
	(*p)++;
	if (!digits(p, 2, 2, &m) || h > 23 || m > 59)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (!digits(p, 2, 2, &s) || s > 59)
			return -1;
	}
	return h * 60 + m;
}

int
import_parse_clock(const char *s)
{
	const char *p = s;
	int m = clock_at(&p);

	return m >= 0 && *p == '\0' ? m : -1;
}

int
import_parse_when(const char *s, int64_t *day, int *min)
{
	const char *p = s;
	int y, mo, d;
	char sep;
	int64_t yy;
	unsigned mm, dd;

	*min = -1;
	if (!digits(&p, 4, 4, &y) || (*p != '-' && *p != '/'))
		return 0;
	sep = *p++;
	if (!digits(&p, 1, 2, &mo) || *p++ != sep || !digits(&p, 1, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	*day = time_days_from_civil(y, (unsigned)mo, (unsigned)d);
	/* 2023-02-30 is not a date: the day must come back the same. */
	time_civil_from_days(*day, &yy, &mm, &dd);
	if (yy != y || mm != (unsigned)mo || dd != (unsigned)d)
		return 0;
	if (*p == '\0')
		return 1;
	if (*p != ' ' && *p != 'T')
		return 0;
	while (*p == ' ' || *p == 'T')
		p++;
	if ((*min = clock_at(&p)) < 0 || *p != '\0') {
		*min = -1;
		return 0;
	}
	return 2;
}

static int
cmp_key(const void *pa, const void *pb)
{
	const struct event_key *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->station_id != b->station_id)
		return a->station_id < b->station_id ? -1 : 1;
	return strcmp(a->title, b->title);
}

size_t
import_match_present(struct event_key *have, size_t nhave,
    const struct event_key *rows, size_t n, int64_t *found)
{
	size_t i, k = 0;

	if (nhave > 1)
		qsort(have, nhave, sizeof(*have), cmp_key);
	for (i = 0; i < n; i++) {
		const struct event_key *e = nhave == 0
		    ? NULL
		    : bsearch(&rows[i], have, nhave, sizeof(*have), cmp_key);

		found[i] = e != NULL ? e->id : 0;
		if (found[i] != 0)
			k++;
	}
	return k;
}
