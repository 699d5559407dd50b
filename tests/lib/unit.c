/*
 * Helpers shared by the cmocka unit tests (tests/lib/unit.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

unsigned char *
unit_read_whole(const char *path, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t cap = 1 << 20;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf = malloc(cap);
	assert_non_null(buf);
	*sz = fread(buf, 1, cap, f);
	fclose(f);
	assert_true(*sz > 0 && *sz < cap);
	return buf;
}

struct tz *
unit_load_zone(const char *name)
{
	char path[256];
	unsigned char *buf;
	size_t sz;
	FILE *f;
	struct tz *z;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf = malloc(1 << 20);
	sz = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	z = buf ? tz_parse(name, buf, sz) : NULL;
	free(buf);
	return z;
}
