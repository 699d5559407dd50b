/*
 * libFuzzer target: indicator_target_parse, the targets as the reports
 * print them (">=2", "=100%", "100%有效"). Whatever parses has a known
 * operator and unit and a finite value; percentages stay within 0-100.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ind_target t;
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&t, 0x5a, sizeof(t));
	if (indicator_target_parse(s, &t)) {
		if ((strcmp(t.op, ">=") != 0 && strcmp(t.op, "=") != 0) ||
		    (strcmp(t.unit, "count") != 0 &&
		    strcmp(t.unit, "percent") != 0 &&
		    strcmp(t.unit, "rating") != 0) || !isfinite(t.value) ||
		    t.value < 0)
			abort();
		(void)indicator_met(t.op, t.value, t.value);
		(void)indicator_score(IND_RATIO, t.value, t.value, 10);
	}
	free(s);
	return 0;
}
