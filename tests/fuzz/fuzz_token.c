/*
 * libFuzzer target: find_token's parser (http_session_token: Bearer or
 * the session cookie) and the CSRF origin check (http_same_origin).
 * Input: NUL-separated Authorization, cookie value, Origin, base URL.
 * A token found is never empty and lies inside the input; an origin is
 * always the same as itself once it is the same as anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *p[4];
	const char *tok;
	size_t i;
	int cookie;

	if ((buf = malloc(size + 5)) == NULL)
		return 0;
	memcpy(buf, data, size);
	memset(buf + size, 0, 5);
	p[0] = buf;
	for (i = 1; i < 4; i++)
		p[i] = p[i - 1] < buf + size + 1
		    ? p[i - 1] + strlen(p[i - 1]) + 1
		    : p[i - 1];
	tok = http_session_token(*p[0] ? p[0] : NULL, *p[1] ? p[1] : NULL,
	    &cookie);
	if (tok != NULL && (*tok == '\0' || tok < buf || tok >= buf + size))
		abort();
	if (tok != NULL && cookie && tok != p[1])
		abort();
	if (http_same_origin(p[2], p[3]) && !http_same_origin(p[2], p[2]))
		abort();
	if (http_same_origin(p[2], p[3]) != http_same_origin(p[2], p[3]))
		abort();
	free(buf);
	return 0;
}
