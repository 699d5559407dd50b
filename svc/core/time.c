/*
 * RFC 3339 timestamps and calendar dates, in and out. The API speaks
 * times with offsets only (RFC 3339 §5.6 "date-time"), stores UTC seconds
 * and shows them in a station's zone. Pure arithmetic: zones come in as
 * parsed TZif data (tz.c), never from the process environment.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

/* Howard Hinnant's days_from_civil: exact over the proleptic Gregorian
 * calendar, no tables, no locale. */
int64_t
time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return 0;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 1;
}

static int
parse_date_part(const char **p, int *y, int *mo, int *d)
{
	if (!digits(p, 4, y) || *(*p)++ != '-' || !digits(p, 2, mo) ||
	    *(*p)++ != '-' || !digits(p, 2, d))
		return 0;
	if (*mo < 1 || *mo > 12 || *d < 1 ||
	    (unsigned)*d > days_in_month(*y, (unsigned)*mo))
		return 0;
	return 1;
}

int
time_parse_date(const char *s, int64_t *days)
{
	const char *p = s;
	int y, mo, d;

	if (s == NULL || strlen(s) != 10 || !parse_date_part(&p, &y, &mo, &d))
		return 0;
	*days = time_days_from_civil(y, (unsigned)mo, (unsigned)d);
	return 1;
}

void
time_format_date(int64_t days, char *buf)
{
	int64_t y;
	unsigned m, d;

	char tmp[64];

	time_civil_from_days(days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02u", (int)(y % 10000), m, d);
	memcpy(buf, tmp, 10);
	buf[10] = '\0';
}

int
time_parse_rfc3339(const char *s, time_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, oh, om, sign;
	int64_t t;

	if (s == NULL || strlen(s) > 40 || !parse_date_part(&p, &y, &mo, &d))
		return 0;
	if (*p != 'T' && *p != 't')
		return 0;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
	    *p++ != ':' || !digits(&p, 2, &sec))
		return 0;
	if (h > 23 || mi > 59 || sec > 59)
		return 0;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
		oh = om = 0;
		sign = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
			return 0;
		if (oh > 23 || om > 59)
			return 0;
	} else
		return 0;
	if (*p != '\0')
		return 0;
	t = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60);
	/* Keep the instant inside years 0000-9999 in UTC too, so that
	 * every accepted time formats back to the same instant. */
	if (t < time_days_from_civil(0, 1, 1) * 86400 ||
	    t >= time_days_from_civil(10000, 1, 1) * 86400)
		return 0;
	*out = (time_t)t;
	return 1;
}
