/*
 * libFuzzer target: config file text into config_parse_file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char *text, err[160];
	int ok;

	if (size > 65536)
		return 0;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&c, 0, sizeof(c));
	err[0] = '\0';
	ok = config_parse_file(&c, text, err, sizeof(err));
	if (!ok && strncmp(err, "line ", 5) != 0 &&
	    strcmp(err, "out of memory") != 0)
		abort();
	config_free(&c);
	free(text);
	return 0;
}
