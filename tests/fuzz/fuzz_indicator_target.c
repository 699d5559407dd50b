/*
 * libFuzzer target: indicator_target_parse, the targets as the reports
 * print them ("", ">=2", "=100%", "<=3", "100%有效"). Whatever parses has
 * a known operator and unit and a finite value, and every rule scores it
 * within 0..weight.
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
	static const char *const rules[] = {"ratio", "inverse", "zero",
	    "bands:80=1,60=0.6", "deduct:90,0.2,50"};
	struct ind_target t;
	struct ind_rule rule;
	double score;
	size_t i;
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&t, 0x5a, sizeof(t));
	if (indicator_target_parse(s, &t)) {
		if ((strcmp(t.op, ">=") != 0 && strcmp(t.op, "=") != 0 &&
		        strcmp(t.op, "<=") != 0) ||
		    (strcmp(t.unit, "count") != 0 &&
		        strcmp(t.unit, "percent") != 0 &&
		        strcmp(t.unit, "rating") != 0) ||
		    !isfinite(t.value) || t.value < 0)
			abort();
		(void)indicator_met(t.op, t.value, t.value);
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			if (!indicator_rule_parse(rules[i], &rule, NULL, 0))
				abort();
			score = indicator_rule_score(&rule, t.value, t.value,
			    10);
			if (!isfinite(score) || score < 0 || score > 10)
				abort();
		}
	}
	free(s);
	return 0;
}
