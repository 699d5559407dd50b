/*
 * libFuzzer target: the conditional and content-coding headers of the
 * HTTP layer (http/parse.c): If-None-Match, If-Modified-Since,
 * Accept-Encoding. Input: three NUL-separated header values. An ETag
 * listed exactly is always a match; a date we format parses back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *inm, *ims, *ae, date[32];
	time_t t;

	if ((buf = malloc(size + 3)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	inm = buf;
	ims = inm + strlen(inm) + 1;
	ae = ims < buf + size + 1 ? ims + strlen(ims) + 1 : ims;
	(void)http_not_modified(inm, ims, "\"abc\"", 1700000000);
	(void)http_not_modified(NULL, ims, "\"abc\"", 1700000000);
	(void)http_gzip_accepted(ae);
	if (*inm != '\0' && strchr(inm, ',') == NULL &&
	    strchr(inm, ' ') == NULL && strncmp(inm, "W/", 2) != 0 &&
	    !http_etag_listed(inm, inm))
		abort();
	if (http_date_parse(ims, &t)) {
		time_t back;

		http_date_format(t, date);
		if (t > -60000000000LL && t < 250000000000LL &&
		    (!http_date_parse(date, &back) || back != t))
			abort();
	}
	free(buf);
	return 0;
}
