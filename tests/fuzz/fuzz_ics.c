/*
 * libFuzzer target: the holiday importer (hical_parse_days) on arbitrary
 * bytes. Besides crashes, hangs and leaks, it checks the contract: on
 * success every date is YYYY-MM-DD in range and every summary is a
 * string; on failure there is a message and no result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearth_ical.h"

#define FUZZ_MAX_DAYS 4000

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hical_day *days = NULL;
	char err[256];
	size_t n = 0, i;
	const char *d;

	if (hical_parse_days((const char *)data, size, FUZZ_MAX_DAYS, &days, &n,
	        err, sizeof(err))) {
		if (n > FUZZ_MAX_DAYS || (n > 0 && days == NULL))
			abort();
		for (i = 0; i < n; i++) {
			d = days[i].date;
			if (strlen(d) != 10 || d[4] != '-' || d[7] != '-' ||
			    strncmp(d, "1900", 4) < 0 ||
			    strncmp(d, "2201", 4) >= 0 ||
			    days[i].summary == NULL)
				abort();
		}
		hical_days_free(days, n);
	} else {
		if (days != NULL || n != 0 || err[0] == '\0' ||
		    memchr(err, '\0', sizeof(err)) == NULL)
			abort();
	}
	return 0;
}
