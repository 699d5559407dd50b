/*
 * libFuzzer target: the survey-results CSV (svc_survey_results_csv,
 * service/survey_csv.c). The first byte gives the number of questions
 * (1-4), the second which of them are numbers; the rest is split into
 * fields at 0x1f bytes: the question keys, then answers given to the
 * questions in turn, a response per round (an empty field: not
 * answered). The file must start with a BOM and read back through the
 * import reader as the header and one line per response, every cell the
 * same text (after the formula guard's apostrophe), and no cell may start
 * like a formula.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXQ 4
#define MAXF 128

/* got (a read cell) is want as written: guarded if want starts like a
 * formula. */
static void
same(const char *got, const char *want)
{
	if (csv_formula_start(got[0]))
		abort();
	if (csv_formula_start(want[0]) && *got++ != '\'')
		abort();
	if (strcmp(got, want) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct survey_question qs[MAXQ];
	struct survey_template t = {0};
	struct survey_answer_row rows[MAXF];
	char *in, *p, *fields[MAXF], *text, num[32], when[TIME_RFC3339_MAX];
	size_t nf = 0, nrows = 0, i, q, len;
	unsigned ints;
	struct csv_row row;
	struct csv *c;

	if (size < 2 || size > 4096 || memchr(data, '\0', size) != NULL)
		return 0;
	t.nquestions = 1 + data[0] % MAXQ;
	ints = data[1];
	if ((in = malloc(size - 1)) == NULL)
		return 0;
	memcpy(in, data + 2, size - 2);
	in[size - 2] = '\0';
	for (p = in; nf < MAXF; p++) {
		fields[nf++] = p;
		if ((p = strchr(p, 0x1f)) == NULL)
			break;
		*p = '\0';
	}
	if (nf < t.nquestions) {
		free(in);
		return 0;
	}
	memset(qs, 0, sizeof(qs));
	for (q = 0; q < t.nquestions; q++) {
		qs[q].id = (int64_t)q + 10;
		qs[q].qkey = fields[q];
	}
	t.questions = qs;
	/* Answers: response r answers question q with field
	 * nquestions + r * nquestions + q; a response with no answer at all
	 * has no rows, so it is no line. */
	for (i = t.nquestions; i < nf; i++) {
		size_t k = i - t.nquestions;
		struct survey_answer_row *a = &rows[nrows];

		q = k % t.nquestions;
		if (fields[i][0] == '\0')
			continue;
		memset(a, 0, sizeof(*a));
		a->response_id = (int64_t)(k / t.nquestions) + 1;
		a->question_id = qs[q].id;
		a->anonymous = (int)(a->response_id & 1);
		a->submitted_at = (time_t)a->response_id * 86399;
		if (ints & (1u << q)) {
			a->has_int = 1;
			a->value_int = (int64_t)strlen(fields[i]);
		} else
			a->value_text = fields[i];
		nrows++;
	}
	if (svc_survey_results_csv(&t, rows, nrows, &text, &len) < 0)
		abort();
	if (len < 3 || memcmp(text, "\xef\xbb\xbf", 3) != 0 ||
	    strlen(text) != len)
		abort();
	if ((c = csv_open(text, len)) == NULL)
		abort();
	if (csv_next(c, &row) != 1 || row.n != 3 + t.nquestions)
		abort();
	same(row.fields[0], "response");
	same(row.fields[1], "anonymous");
	same(row.fields[2], "submitted_at");
	for (q = 0; q < t.nquestions; q++)
		same(row.fields[3 + q], qs[q].qkey);
	/* One line per response that has a row, in order. */
	for (i = 0; i < nrows;) {
		int64_t id = rows[i].response_id;

		if (csv_next(c, &row) != 1 || row.n != 3 + t.nquestions)
			abort();
		snprintf(num, sizeof(num), "%lld", (long long)id);
		same(row.fields[0], num);
		same(row.fields[1], rows[i].anonymous ? "1" : "0");
		tz_format_rfc3339(NULL, rows[i].submitted_at, when);
		same(row.fields[2], when);
		for (q = 0; q < t.nquestions; q++) {
			const char *want = "";
			size_t j;

			for (j = i; j < nrows && rows[j].response_id == id; j++)
				if (rows[j].question_id == qs[q].id) {
					if (rows[j].has_int) {
						snprintf(num, sizeof(num),
						    "%lld",
						    (long long)rows[j]
						        .value_int);
						want = num;
					} else
						want = rows[j].value_text;
				}
			same(row.fields[3 + q], want);
		}
		while (i < nrows && rows[i].response_id == id)
			i++;
	}
	if (csv_next(c, &row) != 0)
		abort();
	csv_close(c);
	free(text);
	free(in);
	return 0;
}
