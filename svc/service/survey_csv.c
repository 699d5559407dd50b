/*
 * A held event's survey answers as CSV: one line per response with its
 * number, anonymous or not, the time and each question's answer, written
 * by core's CSV writer (UTF-8 with BOM, every cell formula-guarded).
 * Never a name, an address or a token: the rows carry none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

/* The answer of response rows[i..k) to question q: its number or its
 * text; "" when it was not answered. num holds a number's digits. */
static const char *
answer_of(const struct survey_answer_row *rows, size_t i, size_t k,
    int64_t question_id, char *num, size_t numsz)
{
	const char *v = "";
	size_t j;

	for (j = i; j < k; j++) {
		if (rows[j].question_id != question_id)
			continue;
		if (rows[j].has_int) {
			snprintf(num, numsz, "%lld",
			    (long long)rows[j].value_int);
			v = num;
		} else if (rows[j].value_text)
			v = rows[j].value_text;
	}
	return v;
}

int
svc_survey_results_csv(const struct survey_template *t,
    const struct survey_answer_row *rows, size_t n, char **text, size_t *len)
{
	struct strbuf b = {0};
	size_t i, k, q;

	strbuf_add(&b, "\xEF\xBB\xBF", 3);
	csv_put_field(&b, "response", 1);
	csv_put_field(&b, "anonymous", 0);
	csv_put_field(&b, "submitted_at", 0);
	for (q = 0; q < t->nquestions; q++)
		csv_put_field(&b, t->questions[q].qkey, 0);
	csv_end_row(&b);
	/* rows come ordered by response: each run of one response_id is a
	 * line. */
	for (i = 0; i < n; i = k) {
		char when[TIME_RFC3339_MAX], num[32];
		int64_t current = rows[i].response_id;

		for (k = i; k < n && rows[k].response_id == current; k++)
			;
		snprintf(num, sizeof(num), "%lld", (long long)current);
		csv_put_field(&b, num, 1);
		csv_put_field(&b, rows[i].anonymous ? "1" : "0", 0);
		tz_format_rfc3339(NULL, rows[i].submitted_at, when);
		csv_put_field(&b, when, 0);
		for (q = 0; q < t->nquestions; q++)
			csv_put_field(&b,
			    answer_of(rows, i, k, t->questions[q].id, num,
			        sizeof(num)),
			    0);
		csv_end_row(&b);
	}
	*text = strbuf_take(&b, len);
	return *text ? 1 : -1;
}
