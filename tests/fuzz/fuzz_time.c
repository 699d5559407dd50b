/*
 * libFuzzer target: RFC 3339 times and calendar dates. Whatever parses
 * must format and parse back to the same instant (day).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[TIME_RFC3339_MAX], date[11];
	time_t t, back;
	int64_t d, dback;

	if (size > 256)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (time_parse_rfc3339(s, &t)) {
		tz_format_rfc3339(NULL, t, buf);
		if (strlen(buf) >= TIME_RFC3339_MAX)
			abort();
		if (!time_parse_rfc3339(buf, &back) || back != t)
			abort();
		/* the date part of the UTC form parses too */
		memcpy(date, buf, 10);
		date[10] = '\0';
		if (!time_parse_date(date, &d))
			abort();
		if (d * 86400 > (int64_t)t || (int64_t)t - d * 86400 >= 86400)
			abort();
	}
	if (time_parse_date(s, &d)) {
		time_format_date(d, date);
		if (strcmp(date, s) != 0)
			abort();
		if (!time_parse_date(date, &dback) || dback != d)
			abort();
	}
	free(s);
	return 0;
}
