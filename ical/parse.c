/*
 * Holiday import: an uploaded .ics turned into one entry per all-day
 * date. The input is hostile until proven otherwise, and libical is
 * lenient (it skips what it cannot read and leaves X-LIC-ERROR notes),
 * so parsing is done twice: first our own pass over the raw bytes that
 * unfolds lines and checks size, encoding, content-line syntax and
 * BEGIN/END nesting with line numbers; then libical on the unfolded,
 * already-checked text, whose values we validate again. It must never
 * crash, loop or allocate without bound on any input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "hearth_ical.h"
#include "internal.h"

#define PARSE_MAX_SIZE (1024 * 1024) /* bytes of input */
#define PARSE_MAX_DEPTH 8            /* nested BEGIN: */
#define PARSE_MAX_PROPS 256          /* properties in one component */
#define PARSE_MAX_SUMMARY 1024       /* bytes of one SUMMARY */
#define PARSE_YEAR_MIN 1900
#define PARSE_YEAR_MAX 2200

/* What the first pass hands the second. */
struct lex {
	char *text;      /* unfolded, LF-separated, NUL-terminated */
	size_t *vevents; /* line of each top-level BEGIN:VEVENT */
	size_t nvevents;
	char stack[PARSE_MAX_DEPTH][16]; /* open components */
	size_t props[PARSE_MAX_DEPTH];   /* properties of each */
	size_t depth;
};

/* What parse_line tells parse_lex to do with a line. */
enum line_rc {
	LINE_ERROR, /* stop: the message is in err */
	LINE_KEEP,  /* hand the line to libical */
	LINE_DROP,  /* leave it out */
	LINE_LAST,  /* keep it: it closed the VCALENDAR */
};

static void
parse_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static int
parse_is_name(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * Content-line syntax of RFC 5545 §3.1: name *(";" param) ":" value,
 * param = name "=" param-value *("," param-value), param-value quoted
 * or free of ";:,\"". On success *value points after the colon and
 * *namesz is the length of the name.
 */
static int
parse_content_line(const char *s, size_t *namesz, const char **value)
{
	const char *p = s;

	while (parse_is_name((unsigned char)*p))
		p++;
	if (p == s)
		return 0;
	*namesz = (size_t)(p - s);
	while (*p == ';') {
		const char *q = ++p;

		while (parse_is_name((unsigned char)*p))
			p++;
		if (p == q || *p++ != '=')
			return 0;
		for (;;) {
			if (*p == '"') {
				if ((q = strchr(p + 1, '"')) == NULL)
					return 0;
				p = q + 1;
			} else
				while (*p != '\0' &&
				    strchr(";:,\"", *p) == NULL)
					p++;
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p != ':')
		return 0;
	*value = p + 1;
	return 1;
}

/*
 * Checks one unfolded line (sz bytes, NUL-terminated, begun on physical
 * line lineno) and tracks BEGIN/END in lx.
 *
 * Properties with an empty value are dropped: libical would remove them
 * anyway, but each removal walks the component's property list, so a
 * file of nothing else costs quadratic time (313 s for 1 MiB of "X:"
 * lines). The same holds for any value libical cannot read, hence the
 * cap on properties per component.
 */
static enum line_rc
parse_line(struct lex *lx, const char *s, size_t sz, size_t lineno, char *err,
    size_t errsz)
{
	char(*stack)[16] = lx->stack;
	size_t *depth = &lx->depth;
	const unsigned char *u = (const unsigned char *)s;
	const char *value;
	size_t i, namesz, *v;

	if (!text_utf8_valid(s, sz)) {
		parse_err(err, errsz,
		    *depth == 0 ? "不是 iCalendar 日历文件"
		                : "第 %zu 行：不是有效的 UTF-8 文本",
		    lineno);
		return LINE_ERROR;
	}
	for (i = 0; i < sz; i++)
		if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f) {
			parse_err(err, errsz,
			    *depth == 0 ? "不是 iCalendar 日历文件"
			                : "第 %zu 行：含有控制字符",
			    lineno);
			return LINE_ERROR;
		}
	if (!parse_content_line(s, &namesz, &value)) {
		if (*depth == 0)
			parse_err(err, errsz, "不是 iCalendar 日历文件");
		else
			parse_err(err, errsz, "第 %zu 行：不是日历的内容行",
			    lineno);
		return LINE_ERROR;
	}
	if (namesz == 5 && strncasecmp(s, "BEGIN", 5) == 0) {
		/* Component names are short and plain. */
		for (i = 0; value[i] != '\0'; i++)
			if (!parse_is_name((unsigned char)value[i]))
				break;
		if (i == 0 || value[i] != '\0' || i >= sizeof(stack[0])) {
			parse_err(err, errsz,
			    *depth == 0 ? "不是 iCalendar 日历文件"
			                : "第 %zu 行：组件名称无效",
			    lineno);
			return LINE_ERROR;
		}
		if (*depth == 0 && strcasecmp(value, "VCALENDAR") != 0) {
			parse_err(err, errsz, "不是 iCalendar 日历文件");
			return LINE_ERROR;
		}
		if (*depth == PARSE_MAX_DEPTH) {
			parse_err(err, errsz, "第 %zu 行：组件嵌套过深",
			    lineno);
			return LINE_ERROR;
		}
		if (*depth == 1 && strcasecmp(value, "VEVENT") == 0) {
			v = realloc(lx->vevents,
			    (lx->nvevents + 1) * sizeof(*lx->vevents));
			if (v == NULL) {
				parse_err(err, errsz, "内存不足");
				return LINE_ERROR;
			}
			lx->vevents = v;
			lx->vevents[lx->nvevents++] = lineno;
		}
		memcpy(stack[*depth], value, i + 1);
		lx->props[*depth] = 0;
		(*depth)++;
		return LINE_KEEP;
	}
	if (*depth == 0) {
		parse_err(err, errsz, "不是 iCalendar 日历文件");
		return LINE_ERROR;
	}
	if (namesz == 3 && strncasecmp(s, "END", 3) == 0) {
		if (strcasecmp(value, stack[*depth - 1]) != 0) {
			parse_err(err, errsz,
			    "第 %zu 行：END:%.20s 与 BEGIN:%s 不对应", lineno,
			    value, stack[*depth - 1]);
			return LINE_ERROR;
		}
		(*depth)--;
		return *depth == 0 ? LINE_LAST : LINE_KEEP;
	}
	if (*value == '\0')
		return LINE_DROP;
	if (++lx->props[*depth - 1] > PARSE_MAX_PROPS) {
		parse_err(err, errsz, "第 %zu 行：一个组件的属性超过 %d 个",
		    lineno, PARSE_MAX_PROPS);
		return LINE_ERROR;
	}
	return LINE_KEEP;
}

/*
 * Ends the logical line [start, *o) of lx->text that began on physical
 * line first: checks it, then keeps it (with an LF) or drops it. 0 on an
 * error, else 1 and *done set when it closed the VCALENDAR.
 */
static int
parse_end_line(struct lex *lx, size_t start, size_t *o, size_t first, int *done,
    char *err, size_t errsz)
{
	enum line_rc rc;

	lx->text[*o] = '\0';
	rc = parse_line(lx, lx->text + start, *o - start, first, err, errsz);
	switch (rc) {
	case LINE_ERROR:
		return 0;
	case LINE_DROP:
		*o = start;
		break;
	case LINE_KEEP:
	case LINE_LAST:
		lx->text[(*o)++] = '\n';
		*done = rc == LINE_LAST;
		break;
	}
	return 1;
}

/*
 * The first pass: splits on CRLF (or bare LF), unfolds continuation
 * lines (RFC 5545 §3.1), checks each logical line with parse_line and
 * writes the unfolded text, one line per LF, to lx->text for libical.
 * 1 on success, 0 with a message in err.
 */
static int
parse_lex(struct lex *lx, const char *in, size_t len, char *err, size_t errsz)
{
	size_t i = 0, e, o = 0, lineno = 0;
	size_t start = 0, first = 0; /* the open logical line; 0 = none */
	int done = 0;

	if ((lx->text = malloc(len + 2)) == NULL) {
		parse_err(err, errsz, "内存不足");
		return 0;
	}
	/* A UTF-8 byte order mark is tolerated. */
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		/* One physical line: [i, e), then its line break. */
		lineno++;
		for (e = i; e < len && in[e] != '\n' && in[e] != '\r'; e++)
			if (in[e] == '\0') {
				parse_err(err, errsz,
				    "第 %zu 行：含有 NUL 字节", lineno);
				return 0;
			}
		if (e < len && in[e] == '\r' &&
		    (e + 1 == len || in[e + 1] != '\n')) {
			parse_err(err, errsz,
			    "第 %zu 行：有单独的 CR（换行应为 CRLF）", lineno);
			return 0;
		}
		if (e > i && (in[i] == ' ' || in[i] == '\t')) {
			/* A continuation joins the open line. */
			if (first == 0) {
				parse_err(err, errsz,
				    lineno == 1
				        ? "不是 iCalendar 日历文件"
				        : "第 %zu 行：续行前面没有内容行",
				    lineno);
				return 0;
			}
			memcpy(lx->text + o, in + i + 1, e - i - 1);
			o += e - i - 1;
		} else {
			if (first != 0 &&
			    !parse_end_line(lx, start, &o, first, &done, err,
			        errsz))
				return 0;
			first = 0;
			/* Blank lines are skipped. */
			if (e > i) {
				if (done) {
					parse_err(err, errsz,
					    "第 %zu 行：END:VCALENDAR 之后还有内容",
					    lineno);
					return 0;
				}
				start = o;
				first = lineno;
				memcpy(lx->text + o, in + i, e - i);
				o += e - i;
			}
		}
		i = e;
		if (i < len && in[i] == '\r')
			i++;
		if (i < len && in[i] == '\n')
			i++;
	}
	if (first != 0 &&
	    !parse_end_line(lx, start, &o, first, &done, err, errsz))
		return 0;
	lx->text[o] = '\0';
	if (!done) {
		if (lx->depth == 0)
			parse_err(err, errsz, "不是 iCalendar 日历文件");
		else
			parse_err(err, errsz, "第 %zu 行：缺少 END:%s", lineno,
			    lx->stack[lx->depth - 1]);
		return 0;
	}
	return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
parse_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse: writes "YYYY-MM-DD" into out (11 bytes). */
static void
parse_civil_from_days(long long z, char out[11])
{
	long long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* Years are 1900-2200 here: four digits always. */
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

static int
parse_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * The all-day date of a DTSTART or DTEND as days since the epoch.
 * Returns 1, 0 when the value is a DATE-TIME or another type, -1 when
 * it is a date libical let through but no calendar has (2025-02-30,
 * year 0) or out of 1900-2200.
 */
static int
parse_date(icalproperty *p, long long *day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	icalvalue *v;
	struct icaltimetype t;
	int dim;

	if ((v = icalproperty_get_value(p)) == NULL)
		return -1;
	switch (icalvalue_isa(v)) {
	case ICAL_DATE_VALUE:
		t = icalvalue_get_date(v);
		break;
	case ICAL_DATETIME_VALUE:
		t = icalvalue_get_datetime(v);
		break;
	default:
		return 0;
	}
	if (!icaltime_is_date(t))
		return 0;
	if (t.year < PARSE_YEAR_MIN || t.year > PARSE_YEAR_MAX || t.month < 1 ||
	    t.month > 12 || t.day < 1)
		return -1;
	dim = mdays[t.month - 1] + (t.month == 2 && parse_leap(t.year));
	if (t.day > dim)
		return -1;
	*day = parse_days_from_civil(t.year, (unsigned)t.month,
	    (unsigned)t.day);
	return 1;
}

/*
 * The first X-LIC-ERROR libical left among the properties of c, or
 * NULL. Two kinds are not errors in RFC 5545 and are skipped: an empty
 * value ("No value for LOCATION property", legal TEXT that Google writes
 * in every export; parse_line drops most) and an unknown but well-formed
 * property name (IANA properties newer than libical, which §3.8.8.2
 * lets a reader ignore).
 */
static const char *
parse_lic_error_here(icalcomponent *c)
{
	icalproperty *p;
	const char *s;

	for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		if ((s = icalproperty_get_xlicerror(p)) == NULL)
			return "unreadable line";
		if (strncmp(s, "No value for ", 13) == 0 ||
		    strncmp(s, "Parse error in property name: ", 30) == 0)
			continue;
		return s;
	}
	return NULL;
}

/* The same for c and everything under it (depth bounded by parse_line). */
static const char *
parse_lic_error(icalcomponent *c)
{
	icalcomponent *k;
	const char *s;

	if ((s = parse_lic_error_here(c)) != NULL)
		return s;
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	     k != NULL;
	     k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if ((s = parse_lic_error(k)) != NULL)
			return s;
	return NULL;
}

/*
 * libical's note as one of our messages, placed in its event when it
 * has one: "第 9 行，第 2 个事件：libical 无法解析：Can't parse as
 * DATE-TIME value in DTEND property: 2025XX01" (libical's text as it
 * wrote it: it names the property and value, which a user can find).
 */
static void
parse_lic_report(const char *why, size_t k, size_t lineno, char *err,
    size_t errsz)
{
	static const char noise[] = ". Removing entire property";
	const char *cut = strstr(why, noise);
	int head = cut ? (int)(cut - why) : (int)strlen(why);
	const char *tail = cut ? cut + sizeof(noise) - 1 : "";

	if (k > 0 && lineno > 0)
		parse_err(err, errsz,
		    "第 %zu 行，第 %zu 个事件：libical 无法解析：%.*s%s",
		    lineno, k, head, why, tail);
	else if (k > 0)
		parse_err(err, errsz, "第 %zu 个事件：libical 无法解析：%.*s%s",
		    k, head, why, tail);
	else
		parse_err(err, errsz, "libical 无法解析：%.*s%s", head, why,
		    tail);
}

/* Appends days [from, to) with summary; 0 when memory ran out. */
static int
parse_push(struct hical_day **days, size_t *n, size_t *cap, long long from,
    long long to, const char *summary)
{
	struct hical_day *v;
	long long d;
	size_t ncap;

	for (d = from; d < to; d++) {
		if (*n == *cap) {
			ncap = *cap ? *cap * 2 : 64;
			if ((v = realloc(*days, ncap * sizeof(**days))) == NULL)
				return 0;
			*days = v;
			*cap = ncap;
		}
		if (((*days)[*n].summary = strdup(summary)) == NULL)
			return 0;
		parse_civil_from_days(d, (*days)[*n].date);
		(*n)++;
	}
	return 1;
}

/*
 * The SUMMARY of event e as one line: libical has unescaped it, and any
 * "\n" it held becomes a space. NULL when too long or out of memory.
 */
static char *
parse_summary(icalcomponent *e, int *toolong)
{
	icalproperty *p;
	const char *s = "";
	char *out, *q;

	*toolong = 0;
	p = icalcomponent_get_first_property(e, ICAL_SUMMARY_PROPERTY);
	if (p != NULL && icalproperty_get_summary(p) != NULL)
		s = icalproperty_get_summary(p);
	if (strlen(s) > PARSE_MAX_SUMMARY) {
		*toolong = 1;
		return NULL;
	}
	if ((out = strdup(s)) == NULL)
		return NULL;
	for (q = out; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = ' ';
	return out;
}

/*
 * The dates of one VEVENT e (number k, begun on line lineno, 0 when
 * unknown) appended to days. 1 on success, 0 with a message in err.
 */
static int
parse_event(icalcomponent *e, size_t k, size_t lineno, size_t max_days,
    struct hical_day **days, size_t *n, size_t *cap, char *err, size_t errsz)
{
	icalproperty *ps, *pe, *pd;
	struct icaldurationtype dur;
	long long start, end, span;
	char where[64], *summary;
	const char *why = NULL;
	int rc, toolong;

	if (lineno > 0)
		snprintf(where, sizeof(where), "第 %zu 行，第 %zu 个事件",
		    lineno, k);
	else
		snprintf(where, sizeof(where), "第 %zu 个事件", k);

	ps = icalcomponent_get_first_property(e, ICAL_STATUS_PROPERTY);
	if (ps != NULL && icalproperty_get_status(ps) == ICAL_STATUS_CANCELLED)
		return 1;
	if (icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY) != NULL ||
	    icalcomponent_get_first_property(e, ICAL_RDATE_PROPERTY) != NULL) {
		parse_err(err, errsz, "%s：不支持重复事件（RRULE、RDATE）",
		    where);
		return 0;
	}
	ps = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
	pe = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY);
	pd = icalcomponent_get_first_property(e, ICAL_DURATION_PROPERTY);
	if (ps == NULL)
		why = "缺少 DTSTART";
	else if (icalcomponent_count_properties(e, ICAL_DTSTART_PROPERTY) > 1)
		why = "有多个 DTSTART";
	else if (icalcomponent_count_properties(e, ICAL_DTEND_PROPERTY) > 1 ||
	    icalcomponent_count_properties(e, ICAL_DURATION_PROPERTY) > 1)
		why = "有多个 DTEND 或 DURATION";
	else if (pe != NULL && pd != NULL)
		why = "同时有 DTEND 和 DURATION";
	else if ((rc = parse_date(ps, &start)) == 0)
		why = "DTSTART 不是日期";
	else if (rc < 0)
		why = "DTSTART 不是 1900 至 2200 年间的有效日期";
	if (why != NULL)
		goto bad;

	end = start + 1;
	if (pe != NULL) {
		if ((rc = parse_date(pe, &end)) == 0)
			why = "DTEND 不是日期";
		else if (rc < 0)
			why = "DTEND 不是 1900 至 2200 年间的有效日期";
	} else if (pd != NULL) {
		dur = icalproperty_get_duration(pd);
		if (icaldurationtype_is_bad_duration(dur) || dur.is_neg ||
		    dur.hours != 0 || dur.minutes != 0 || dur.seconds != 0 ||
		    dur.days + (long long)dur.weeks * 7 == 0)
			why = "DURATION 不是整天数";
		else
			end = start + dur.days + (long long)dur.weeks * 7;
	}
	if (why != NULL)
		goto bad;
	if (end <= start) {
		why = "DTEND 不晚于 DTSTART";
		goto bad;
	}
	span = end - start;
	if ((unsigned long long)span > max_days - *n) {
		parse_err(err, errsz, "%s：%lld 天将超过 %zu 个日期的上限",
		    where, span, max_days);
		return 0;
	}
	if ((summary = parse_summary(e, &toolong)) == NULL) {
		parse_err(err, errsz,
		    toolong ? "%s：SUMMARY 太长" : "%s：内存不足", where);
		return 0;
	}
	rc = parse_push(days, n, cap, start, end, summary);
	free(summary);
	if (!rc) {
		parse_err(err, errsz, "内存不足");
		return 0;
	}
	return 1;
bad:
	parse_err(err, errsz, "%s：%s", where, why);
	return 0;
}

int
hical_parse_days(const char *text, size_t len, size_t max_days,
    struct hical_day **days, size_t *n, char *err, size_t errsz)
{
	struct lex lx;
	struct hical_day *out = NULL;
	icalcomponent *cal = NULL, *e;
	size_t nout = 0, cap = 0, k;
	const char *why;
	int ok = 0;

	memset(&lx, 0, sizeof(lx));
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (days == NULL || n == NULL) {
		parse_err(err, errsz, "没有存放结果的位置");
		return 0;
	}
	*days = NULL;
	*n = 0;
	if (text == NULL || len == 0) {
		parse_err(err, errsz, "文件是空的");
		return 0;
	}
	if (len > PARSE_MAX_SIZE) {
		parse_err(err, errsz, "文件大于 %d 字节", PARSE_MAX_SIZE);
		return 0;
	}
	if (!parse_lex(&lx, text, len, err, errsz))
		goto out;

	cal = icalparser_parse_string(lx.text);
	if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		parse_err(err, errsz, "不是 iCalendar 日历文件");
		goto out;
	}
	/* libical's notes, before anything is read. */
	if ((why = parse_lic_error_here(cal)) != NULL) {
		parse_lic_report(why, 0, 0, err, errsz);
		goto out;
	}
	k = 0;
	for (e = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT);
	     e != NULL;
	     e = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
		if (icalcomponent_isa(e) == ICAL_VEVENT_COMPONENT)
			k++;
		if ((why = parse_lic_error(e)) == NULL)
			continue;
		if (icalcomponent_isa(e) == ICAL_VEVENT_COMPONENT)
			parse_lic_report(why, k,
			    k <= lx.nvevents ? lx.vevents[k - 1] : 0, err,
			    errsz);
		else
			parse_lic_report(why, 0, 0, err, errsz);
		goto out;
	}
	k = 0;
	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     e != NULL;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		k++;
		if (!parse_event(e, k, k <= lx.nvevents ? lx.vevents[k - 1] : 0,
		        max_days, &out, &nout, &cap, err, errsz))
			goto out;
	}
	if (k == 0) {
		parse_err(err, errsz, "日历里没有事件（VEVENT）");
		goto out;
	}
	*days = out;
	*n = nout;
	out = NULL;
	nout = 0;
	ok = 1;
out:
	hical_days_free(out, nout);
	if (cal != NULL)
		icalcomponent_free(cal);
	free(lx.text);
	free(lx.vevents);
	return ok;
}

void
hical_days_free(struct hical_day *days, size_t n)
{
	size_t i;

	if (days == NULL)
		return;
	for (i = 0; i < n; i++)
		free(days[i].summary);
	free(days);
}
