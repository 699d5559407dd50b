/*
 * libFuzzer target: the feed-path parser behind /api/v1/feeds/info and
 * /feeds/qr.svg. Whatever it accepts must be a path it would rebuild from
 * its own parts; it must never read past the string (ASan watches).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, tok[FEED_TOKEN_MAX], back[400];
	enum feed_path kind;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	kind = valid_feed_path(s, tok);
	switch (kind) {
	case FEED_PATH_NONE:
	case FEED_PATH_EVENTS:
		if (tok[0] != '\0')
			abort();
		break;
	case FEED_PATH_COUNSELLOR:
	case FEED_PATH_STATION:
		snprintf(back, sizeof(back), "/feeds/%s/%s.ics",
		    kind == FEED_PATH_STATION ? "stations" : "counsellors",
		    tok);
		if (tok[0] == '\0' || strncmp(s, back, strlen(back)) != 0)
			abort();
		break;
	}
	free(s);
	return 0;
}
