/*
 * libFuzzer target: percent-decoding of a path (http_unescape, what MHD
 * calls for every URL) and the static file whitelist after it. A path
 * the whitelist allows never climbs out of the web directory: no "..",
 * no "//", no hidden file, only [A-Za-z0-9._-/]; and decoding never
 * yields a NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t n, i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = http_unescape(s);
	if (n != strlen(s) || n > size)
		abort();
	if (http_static_path_allowed(s)) {
		if (s[0] != '/')
			abort();
		if (strstr(s, "/.") != NULL || strstr(s, "//") != NULL ||
		    n > 200)
			abort();
		for (i = 0; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			        (s[i] >= 'A' && s[i] <= 'Z') ||
			        (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			        s[i] == '_' || s[i] == '-' || s[i] == '/'))
				abort();
		if (http_mime_type(s) == NULL)
			abort();
	}
	free(s);
	return 0;
}
