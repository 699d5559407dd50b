/*
 * libFuzzer target: the source string of a framework row
 * ("events.held?kind=lecture&station=HALL", "duty.visitors",
 * "surveys.satisfaction?source=counselling", the old names). What parses
 * names a known source, its filters are from the known words or plain
 * codes, and a rejection says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
plain(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		return 0;
	return strspn(s,
	           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	           "0123456789_-") == n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ind_source src;
	char *s, err[128];

	if (size > 4096 || memchr(data, '\0', size) != NULL)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	err[0] = '\0';
	if (indicator_source_parse(s, &src, err, sizeof(err))) {
		if ((unsigned)src.kind >= IND_SRC__MAX ||
		    (unsigned)src.survey >= IND_SURVEY__MAX ||
		    !plain(src.kind_filter, sizeof(src.kind_filter)) ||
		    !plain(src.audience, sizeof(src.audience)) ||
		    !plain(src.station, sizeof(src.station)) ||
		    !plain(src.metric, sizeof(src.metric)) ||
		    (src.kind == IND_SRC_DUTY_METRIC &&
		        !indicator_code_ok(src.metric)) ||
		    (src.kind != IND_SRC_DUTY_METRIC && src.metric[0] != '\0'))
			abort();
	} else if (err[0] == '\0')
		abort();
	free(s);
	return 0;
}
