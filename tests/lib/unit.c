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
