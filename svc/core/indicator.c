/*
 * The scoring rules of the bureau's evaluation framework, exactly as the
 * reports state them. Pure arithmetic on (target, actual, weight): the
 * numbers come from the records or a coordinator; "no data" is decided
 * by the caller and never reaches these functions as 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static const char *const rule_names[IND__MAX] = {
	/* IND_RATIO */ "ratio",
	/* IND_TIERED */ "tiered",
	/* IND_SAT_DEDUCT */ "satisfaction_deduct",
	/* IND_SAT_TIERS */ "satisfaction_tiers",
};

int
indicator_rule_parse(const char *s, enum ind_rule *out)
{
	int i;

	for (i = 0; s != NULL && i < IND__MAX; i++)
		if (strcmp(s, rule_names[i]) == 0) {
			*out = (enum ind_rule)i;
			return 1;
		}
	return 0;
}

const char *
indicator_rule_name(enum ind_rule r)
{
	return (unsigned)r < IND__MAX ? rule_names[r] : "ratio";
}

int
indicator_target_parse(const char *s, struct ind_target *t)
{
	const char *p = s;
	char *end;
	double v;

	if (s == NULL)
		return 0;
	memset(t, 0, sizeof(*t));
	if (strncmp(p, ">=", 2) == 0) {
		memcpy(t->op, ">=", 3);
		p += 2;
	} else if (*p == '=') {
		memcpy(t->op, "=", 2);
		p++;
	} else
		memcpy(t->op, ">=", 3); /* "100%有效": a rating to reach */
	if (*p < '0' || *p > '9')
		return 0;
	v = strtod(p, &end);
	if (end == p || v < 0 || v > 1e6)
		return 0;
	t->value = v;
	if (*end == '\0') {
		memcpy(t->unit, "count", 6);
		return 1;
	}
	if (*end != '%' || v > 100)
		return 0;
	end++;
	if (*end == '\0') {
		memcpy(t->unit, "percent", 8);
		return 1;
	}
	if (strcmp(end, "有效") == 0) {
		memcpy(t->unit, "rating", 7);
		return 1;
	}
	return 0;
}

static double
round2(double x)
{
	return round(x * 100.0) / 100.0;
}

double
indicator_score(enum ind_rule rule, double target, double actual,
    double weight)
{
	double s;

	switch (rule) {
	case IND_RATIO:
		if (target <= 0)
			return round2(weight);
		s = actual / target;
		return round2((s > 1 ? 1 : s < 0 ? 0 : s) * weight);
	case IND_TIERED:
		if (actual >= 80)
			return round2(weight);
		if (actual >= 60)
			return round2(weight * 3.0 / 5.0);
		return 0;
	case IND_SAT_DEDUCT:
		if (actual >= 90)
			return round2(weight);
		if (actual < 50)
			return 0;
		/* 0.2 point per whole percentage point below 90: the
		 * fraction of a point is not counted (89.9 loses nothing).
		 * The small epsilon keeps 86.0 from reading as 85.999…. */
		s = weight - 0.2 * floor(90.0 - actual + 1e-9);
		return round2(s < 0 ? 0 : s);
	case IND_SAT_TIERS:
		if (actual >= 90)
			return round2(weight);
		if (actual >= 80)
			return round2(weight * 8.0 / 10.0);
		if (actual >= 60)
			return round2(weight * 5.0 / 10.0);
		return 0;
	default:
		return 0;
	}
}

int
indicator_met(const char *op, double target, double actual)
{
	(void)op; /* "=100%" is met by reaching it: nothing lies above */
	return actual + 1e-9 >= target;
}
