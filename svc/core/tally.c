/*
 * Satisfaction counted the reports' way — answers 4 (满意) and 5 (非常满意)
 * over all answers of a likert5 question — from online answers and from
 * paper tallies (a stack of forms counted per scale point), kept apart so
 * results can show both and their sum. Also the one reader of a tally's
 * counts object. Pure: no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

enum tally_err
tally_counts_parse(const json_t *counts, int64_t n[5], char key[8])
{
	const char *k;
	json_t *v;
	int64_t sum = 0;
	int i;

	for (i = 0; i < 5; i++)
		n[i] = 0;
	key[0] = '\0';
	if (!json_is_object(counts))
		return TALLY_NOT_OBJECT;
	json_object_foreach((json_t *)counts, k, v)
	{
		snprintf(key, 8, "%.6s", k);
		if (strlen(k) != 1 || k[0] < '1' || k[0] > '5')
			return TALLY_BAD_KEY;
		/* 20.0 is a fraction in JSON's eyes too: integers only. */
		if (!json_is_integer(v))
			return TALLY_NOT_INTEGER;
		if (json_integer_value(v) < 0)
			return TALLY_NEGATIVE;
		if (json_integer_value(v) > TALLY_MAX_COUNT)
			return TALLY_TOO_LARGE;
		n[k[0] - '1'] = json_integer_value(v);
		sum += n[k[0] - '1'];
	}
	key[0] = '\0';
	return sum == 0 ? TALLY_ALL_ZERO : TALLY_OK;
}

const char *
tally_message(enum tally_err e)
{
	switch (e) {
	case TALLY_OK:
		return "";
	case TALLY_NOT_OBJECT:
		return "counts 须为对象，例如 {\"5\":20,\"4\":23,\"3\":5,"
		       "\"2\":2,\"1\":0}";
	case TALLY_BAD_KEY:
		return "counts 的键只能是 1 至 5（5 = 非常满意，1 = 非常不满意）";
	case TALLY_NOT_INTEGER:
		return "份数须为整数";
	case TALLY_NEGATIVE:
		return "份数不能为负数";
	case TALLY_TOO_LARGE:
		return "份数过大（每项最多 100000 份）";
	case TALLY_ALL_ZERO:
		return "至少要有一份问卷（各项份数不能全为 0）";
	}
	return "counts 无效";
}

void
tally_add_answer(struct tally_sat *s, int64_t value)
{
	if (value < 1 || value > 5)
		return;
	s->total++;
	s->satisfied += value >= TALLY_SATISFIED_MIN;
}

void
tally_add_counts(struct tally_sat *s, const int64_t n[5])
{
	int i;

	for (i = 0; i < 5; i++) {
		if (n[i] <= 0)
			continue;
		s->total += n[i];
		if (i + 1 >= TALLY_SATISFIED_MIN)
			s->satisfied += n[i];
	}
}

double
tally_rate(const struct tally_sat *s)
{
	return s->total > 0 ? (double)s->satisfied / (double)s->total : -1;
}
