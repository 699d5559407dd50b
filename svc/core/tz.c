/*
 * Time zones from TZif bytes (RFC 8536): the transitions of the 64-bit
 * block and the POSIX TZ footer for instants past the last transition.
 * Pure: the caller reads /usr/share/zoneinfo and hands the bytes in, so
 * this parser is unit-tested and fuzzed on its own. It must never read
 * past the buffer it is given, whatever the counts in the header say.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* A POSIX TZ rule "Mm.w.d/time". */
struct tzrule {
	int month, week, wday;
	int32_t secs; /* local time of day the change happens */
};

struct tz {
	char *name;
	size_t ntrans;
	int64_t *trans;  /* transition instants, ascending */
	int32_t *offset; /* offset after each transition */
	int32_t initial; /* offset before the first transition */
	/* footer */
	int have_footer, footer_dst;
	int32_t std_off, dst_off; /* seconds east of UTC */
	struct tzrule start, end;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzhead {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int
read_head(const unsigned char *p, size_t sz, struct tzhead *h, int *version)
{
	if (sz < 44 || memcmp(p, "TZif", 4) != 0)
		return 0;
	*version = p[4] == 0 ? 1 : p[4] - '0';
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256 || h->timecnt > 100000 ||
	    h->leapcnt > 10000 || h->charcnt > 65536 || h->isutcnt > 256 ||
	    h->isstdcnt > 256)
		return 0;
	return 1;
}

static size_t
block_size(const struct tzhead *h, size_t tsz)
{
	return h->timecnt * tsz + h->timecnt + h->typecnt * 6 + h->charcnt +
	    h->leapcnt * (tsz + 4) + h->isstdcnt + h->isutcnt;
}

/* Parses "[+-]hh[:mm[:ss]]" (hours up to 167); the POSIX sign is west
 * positive, so the caller negates for an offset. */
static int
parse_hms(const char **pp, int32_t *out)
{
	const char *p = *pp;
	int sign = 1, part = 0;
	int32_t v[3] = {0, 0, 0};

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (;;) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9') {
			v[part] = v[part] * 10 + (*p++ - '0');
			if (v[part] > 167)
				return 0;
		}
		if (*p != ':' || part == 2)
			break;
		p++;
		part++;
	}
	if (v[1] > 59 || v[2] > 59)
		return 0;
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	*pp = p;
	return 1;
}

static int
parse_abbr(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;

	if (*p == '<') {
		p++;
		while (*p != '\0' && *p != '>')
			p++, n++;
		if (*p != '>')
			return 0;
		p++;
	} else
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++, n++;
	if (n < 3)
		return 0;
	*pp = p;
	return 1;
}

static int
parse_rule(const char **pp, struct tzrule *r)
{
	const char *p = *pp;

	if (*p++ != 'M')
		return 0;
	r->month = r->week = r->wday = 0;
	while (*p >= '0' && *p <= '9' && r->month < 100)
		r->month = r->month * 10 + (*p++ - '0');
	if (*p++ != '.' || *p < '1' || *p > '5')
		return 0;
	r->week = *p++ - '0';
	if (*p++ != '.' || *p < '0' || *p > '6')
		return 0;
	r->wday = *p++ - '0';
	if (r->month < 1 || r->month > 12)
		return 0;
	r->secs = 7200;
	if (*p == '/' && (p++, !parse_hms(&p, &r->secs)))
		return 0;
	*pp = p;
	return 1;
}

/* The footer: "STDoff[DST[off][,rule,rule]]" (POSIX.1 TZ). Only the
 * Mm.w.d rule form is supported, as every current tzdata zone uses it;
 * anything else leaves the footer unused. */
static void
parse_footer(struct tz *z, const char *s)
{
	const char *p = s;
	int32_t v;

	if (!parse_abbr(&p) || !parse_hms(&p, &v))
		return;
	z->std_off = -v;
	if (*p == '\0') {
		z->have_footer = 1;
		return;
	}
	if (!parse_abbr(&p))
		return;
	z->dst_off = z->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if (!parse_hms(&p, &v))
			return;
		z->dst_off = -v;
	}
	if (*p++ != ',' || !parse_rule(&p, &z->start) || *p++ != ',' ||
	    !parse_rule(&p, &z->end) || *p != '\0')
		return;
	z->have_footer = z->footer_dst = 1;
}

struct tz *
tz_parse(const char *name, const unsigned char *buf, size_t sz)
{
	struct tzhead h;
	const unsigned char *p = buf, *types, *idx;
	size_t tsz = 4, need, i, rest;
	int version;
	struct tz *z;

	if (!read_head(p, sz, &h, &version))
		return NULL;
	if (version >= 2) {
		need = 44 + block_size(&h, 4);
		if (need > sz)
			return NULL;
		p += need;
		sz -= need;
		if (!read_head(p, sz, &h, &version))
			return NULL;
		tsz = 8;
	}
	need = 44 + block_size(&h, tsz);
	if (need > sz)
		return NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	z->name = strdup(name ? name : "");
	z->ntrans = h.timecnt;
	z->trans = calloc(h.timecnt + 1, sizeof(*z->trans));
	z->offset = calloc(h.timecnt + 1, sizeof(*z->offset));
	if (z->name == NULL || z->trans == NULL || z->offset == NULL)
		goto err;
	idx = p + 44 + h.timecnt * tsz;
	types = idx + h.timecnt;
	for (i = 0; i < h.timecnt; i++) {
		const unsigned char *t = p + 44 + i * tsz;

		z->trans[i] = tsz == 8 ? be64(t) : (int32_t)be32(t);
		if (i > 0 && z->trans[i] <= z->trans[i - 1])
			goto err;
		if (idx[i] >= h.typecnt)
			goto err;
		z->offset[i] = (int32_t)be32(types + idx[i] * 6);
	}
	/* RFC 8536 §3.2: before the first transition, type 0 applies. */
	z->initial = (int32_t)be32(types);
	for (i = 0; i < h.typecnt; i++) {
		int32_t off = (int32_t)be32(types + i * 6);

		if (off < -25 * 3600 || off > 26 * 3600)
			goto err;
	}
	if (version >= 2) {
		const char *f = (const char *)p + need, *end;
		char footer[128];

		rest = sz - need;
		if (rest >= 2 && f[0] == '\n' &&
		    (end = memchr(f + 1, '\n', rest - 1)) != NULL &&
		    (size_t)(end - f - 1) < sizeof(footer)) {
			memcpy(footer, f + 1, (size_t)(end - f - 1));
			footer[end - f - 1] = '\0';
			parse_footer(z, footer);
		}
	}
	return z;
err:
	tz_free(z);
	return NULL;
}

void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z->trans);
	free(z->offset);
	free(z);
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

/* The UTC instant of rule r in year y, given the offset in force before
 * the change. */
static int64_t
rule_instant(const struct tzrule *r, int64_t y, int32_t before)
{
	int64_t first = time_days_from_civil(y, (unsigned)r->month, 1), day;
	int wday0 = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01: Thursday */
	unsigned dim;
	int64_t ny;
	unsigned nm, nd;

	day = first + (r->wday - wday0 + 7) % 7 + (int64_t)(r->week - 1) * 7;
	time_civil_from_days(first + 31, &ny, &nm, &nd);
	dim = (unsigned)(time_days_from_civil(ny, nm, 1) - first);
	while (day - first >= dim)
		day -= 7;
	return day * 86400 + r->secs - before;
}

static int32_t
footer_offset(const struct tz *z, int64_t t)
{
	int64_t days, y, start, end;
	unsigned m, d;

	if (!z->footer_dst)
		return z->std_off;
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	time_civil_from_days(days, &y, &m, &d);
	start = rule_instant(&z->start, y, z->std_off);
	end = rule_instant(&z->end, y, z->dst_off);
	if (start < end)
		return t >= start && t < end ? z->dst_off : z->std_off;
	/* southern hemisphere: DST spans the new year */
	return t >= end && t < start ? z->std_off : z->dst_off;
}

int32_t
tz_offset_at(const struct tz *z, time_t t)
{
	size_t lo = 0, hi = z->ntrans;

	if (z->ntrans == 0 || (int64_t)t < z->trans[0])
		return z->ntrans == 0 && z->have_footer ? footer_offset(z, t)
		                                        : z->initial;
	if ((int64_t)t >= z->trans[z->ntrans - 1] && z->have_footer)
		return footer_offset(z, t);
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= (int64_t)t)
			lo = mid;
		else
			hi = mid;
	}
	return z->offset[lo];
}

time_t
tz_local_to_utc(const struct tz *z, int64_t local)
{
	/* Try the offsets in force near the guess; the first that maps back
	 * onto the same wall clock wins (earlier instant on overlap). */
	int32_t o1 = tz_offset_at(z, (time_t)(local - 86400));
	int32_t o2 = tz_offset_at(z, (time_t)(local + 86400));
	int32_t cand[2];
	int i;

	cand[0] = o1 > o2 ? o1 : o2;
	cand[1] = o1 > o2 ? o2 : o1;
	for (i = 0; i < 2; i++)
		if (tz_offset_at(z, (time_t)(local - cand[i])) == cand[i])
			return (time_t)(local - cand[i]);
	/* In a gap: use the offset before it. */
	return (time_t)(local - o1);
}

int
tz_name_valid(const char *s)
{
	size_t n = 0;
	const char *p;

	if (s == NULL || *s == '\0' || *s == '/' || strstr(s, "..") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++, n++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		        (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		        *p == '+' || *p == '/'))
			return 0;
		if (*p == '/' && p[1] == '/')
			return 0;
	}
	return n <= 64 && s[n - 1] != '/';
}

/* RFC 3339 in zone z ("+08:00"), or UTC ("Z") when z is NULL. */
void
tz_format_rfc3339(const struct tz *z, time_t t, char *buf)
{
	int32_t off = z ? tz_offset_at(z, t) : 0;
	int64_t local = (int64_t)t + off, days, secs, y;
	unsigned m, d;
	char zone[16], tmp[96];
	size_t n;

	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	time_civil_from_days(days, &y, &m, &d);
	if (z == NULL)
		snprintf(zone, sizeof(zone), "Z");
	else
		snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' : '+',
		    (off < 0 ? -off : off) / 3600,
		    ((off < 0 ? -off : off) % 3600) / 60);
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02d%s",
	    (int)(y % 10000), m, d, (int)(secs / 3600), (int)(secs % 3600 / 60),
	    (int)(secs % 60), zone);
	n = strlen(tmp);
	if (n >= TIME_RFC3339_MAX)
		n = TIME_RFC3339_MAX - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}
