/*
 * libFuzzer target: the evaluation table's exporters (svc/service/
 * eval_file.c, issue 17: "the CSV/XLSX exporters" had no target).
 *
 * Byte 0 is flags (bit 0: with 同比, the year before; data[0] % 16 == 0:
 * the workbook too). The rest is a framework in the layout of POST
 * /frameworks/import (shared/data/framework-futian-2023.csv), read by
 * the import's own parsers: core csv_next and csv_trim, then per row
 * indicator_number_parse (weight) and svc_indicator_row_parse, the
 * import's checks but for the store's station and metric lookups;
 * optional columns
 * value, rating, score, marks and note carry a period's entries (the
 * ranges PUT …/period accepts). A row the import would refuse is left
 * out. The rows are scored by svc_eval_score's own row scoring
 * (svc_eval_row_score, the entered value standing for a measured
 * source), then both exporters run. The CSV must start
 * with a BOM and read back through csv_next as the heading row, one row
 * per indicator and the 合计 row, each as wide as the headings, levels
 * and notes as written; every cell is either a plain number or text
 * that does not start as a formula unless behind the guard's
 * apostrophe. The workbook is a ZIP file (an XLSX) or a logged refusal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_ROWS 64

enum col {
	C_LEVEL1,
	C_LEVEL2,
	C_LEVEL3,
	C_WEIGHT,
	C_TARGET,
	C_RULE,
	C_SOURCE,
	C_CHECKLIST,
	C_CODE,
	C_VALUE,
	C_RATING,
	C_SCORE,
	C_MARKS,
	C_NOTE,
	C__MAX
};

static const char *const col_names[C__MAX] = {"level1", "level2", "level3",
    "weight", "target", "rule", "source", "checklist", "code", "value",
    "rating", "score", "marks", "note"};
#define C_REQUIRED 7

static const char *
cell(const struct csv_row *row, const int pos[C__MAX], enum col k)
{
	if (pos[k] < 0 || (size_t)pos[k] >= row->n)
		return NULL;
	return csv_trim(row->fields[pos[k]]);
}

/* An entry of a period: a number in [0, max] as PUT …/period takes it. */
static int
entry(const char *s, double max, double *v)
{
	return s != NULL && *s != '\0' && indicator_number_parse(s, 0, v) &&
	    *v >= 0 && *v <= max;
}

/* One row as the import checks it (svc_indicator_row_parse, without
 * the store's station and metric lookups); 1 with ind filled, 0
 * refused. */
static int
read_row(const struct csv_row *row, const int pos[C__MAX],
    struct indicator *ind)
{
	struct indicator_in in;
	struct ind_source src;
	struct herror err;
	const char *v;
	size_t k;
	int marks[IND_ITEMS_MAX], rc;
	size_t nmarks;

	for (k = 0; k < C_REQUIRED; k++)
		if (cell(row, pos, (enum col)k) == NULL)
			return 0;
	memset(&in, 0, sizeof(in));
	if (!indicator_number_parse(cell(row, pos, C_WEIGHT), 0, &in.weight))
		return 0;
	in.level1 = cell(row, pos, C_LEVEL1);
	in.level2 = cell(row, pos, C_LEVEL2);
	in.level3 = cell(row, pos, C_LEVEL3);
	in.target = cell(row, pos, C_TARGET);
	in.rule = cell(row, pos, C_RULE);
	in.source = cell(row, pos, C_SOURCE);
	in.checklist = cell(row, pos, C_CHECKLIST);
	memset(ind, 0, sizeof(*ind));
	if ((rc = svc_indicator_row_parse(&in, ind, &src, &err)) != 1) {
		if (rc < 0)
			abort();
		indicator_free(ind);
		return 0;
	}
	v = cell(row, pos, C_CODE);
	ind->code = strdup(v && indicator_code_ok(v) ? v : "r");
	ind->has_value = entry(cell(row, pos, C_VALUE), 1e6, &ind->value);
	ind->has_rating = entry(cell(row, pos, C_RATING), 100, &ind->rating);
	ind->has_score = entry(cell(row, pos, C_SCORE), 100, &ind->score) &&
	    ind->score <= ind->weight;
	v = cell(row, pos, C_MARKS);
	if (v != NULL && *v != '\0' &&
	    indicator_marks_parse(v, marks, IND_ITEMS_MAX, &nmarks))
		ind->marks = strdup(v);
	v = cell(row, pos, C_NOTE);
	/* A note is text of at most 500 characters (NOTE_MAX). */
	ind->note = strdup(v && valid_utf8_len(v, strlen(v)) >= 0 &&
	            valid_utf8_len(v, strlen(v)) <= 500
	        ? v
	        : "");
	if (ind->code == NULL || ind->note == NULL)
		abort();
	return 1;
}

/* A cell as a spreadsheet would take it: a plain number, or text that
 * does not start as a formula unless behind the guard's apostrophe. */
static void
guarded(const char *f)
{
	const char *p = f;

	if (!csv_formula_start(f[0]))
		return;
	if (*p == '-')
		p++;
	if (*p >= '0' && *p <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p == '\0')
			return;
	}
	abort();
}

static void
same_text(const char *got, const char *want)
{
	if (csv_formula_start(want[0]) && *got++ != '\'')
		abort();
	if (strcmp(got, want) != 0)
		abort();
}

static void
check_csv(const struct eval *e, const char *csv, size_t len)
{
	struct csv_row row;
	struct csv *c;
	size_t i, k, width = e->compare ? 10 : 9;

	if (len < 3 || memcmp(csv, "\xef\xbb\xbf", 3) != 0)
		abort();
	if ((c = csv_open(csv, len)) == NULL)
		abort();
	if (csv_next(c, &row) != 1 || row.n != width ||
	    strcmp(row.fields[0], "一级指标") != 0)
		abort();
	for (i = 0; i <= e->n; i++) {
		if (csv_next(c, &row) != 1 || row.n != width)
			abort();
		for (k = 0; k < row.n; k++)
			guarded(row.fields[k]);
		if (i == e->n) {
			if (strcmp(row.fields[0], "合计") != 0)
				abort();
			break;
		}
		same_text(row.fields[0], e->rows[i].ind->level1);
		same_text(row.fields[1], e->rows[i].ind->level2);
		same_text(row.fields[2], e->rows[i].ind->level3);
		same_text(row.fields[4], e->rows[i].ind->target_text);
		same_text(row.fields[8], e->rows[i].ind->note);
	}
	if (csv_next(c, &row) != 0)
		abort();
	csv_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct indicator items[MAX_ROWS];
	struct eval_row rows[MAX_ROWS];
	struct eval e;
	struct csv_row row;
	struct csv *c;
	int pos[C__MAX];
	char *out, *xlsx = NULL;
	size_t i, k, len, xsz = 0;

	if (size < 1 || size > 8192)
		return 0;
	if ((c = csv_open((const char *)data + 1, size - 1)) == NULL)
		return 0;
	if (csv_next(c, &row) != 1) {
		csv_close(c);
		return 0;
	}
	for (k = 0; k < C__MAX; k++)
		pos[k] = -1;
	for (i = 0; i < row.n; i++) {
		const char *name = csv_trim(row.fields[i]);

		for (k = 0; k < C__MAX; k++)
			if (strcmp(name, col_names[k]) == 0)
				break;
		if (k == C__MAX || pos[k] >= 0) {
			csv_close(c);
			return 0;
		}
		pos[k] = (int)i;
	}
	for (k = 0; k < C_REQUIRED; k++)
		if (pos[k] < 0) {
			csv_close(c);
			return 0;
		}
	memset(&e, 0, sizeof(e));
	e.fw.id = 1;
	e.fw.name = (char *)"模糊测试框架";
	memcpy(e.from, "2026-01-01", 11);
	memcpy(e.to, "2026-12-31", 11);
	e.compare = data[0] & 1;
	e.items = items;
	e.rows = rows;
	while (e.n < MAX_ROWS && csv_next(c, &row) == 1)
		if (read_row(&row, pos, &items[e.n])) {
			/* the entered value stands for a measured source */
			memset(&rows[e.n], 0, sizeof(rows[e.n]));
			if (svc_eval_row_score(&rows[e.n], &items[e.n], NULL,
			        NULL) != 1)
				abort();
			e.max += items[e.n].weight;
			if (rows[e.n].scored)
				e.total += rows[e.n].score;
			if (e.compare && (data[0] & 2)) {
				/* the year before: this row half scored */
				rows[e.n].has_prev = 1;
				rows[e.n].prev_scored = rows[e.n].scored;
				rows[e.n].prev_score = rows[e.n].score / 2;
				e.prev_total += rows[e.n].prev_score;
			}
			e.n++;
		}
	csv_close(c);
	e.total = indicator_round2(e.total);

	if ((out = svc_eval_csv(&e, &len)) == NULL)
		abort();
	check_csv(&e, out, len);
	free(out);
	/* libxlsxwriter writes files: a workbook every 16th input keeps
	 * the rate of the CSV checks. */
	if (data[0] % 16 == 0) {
		if (svc_eval_xlsx(&e, &xlsx, &xsz) == 1 &&
		    (xsz < 4 || memcmp(xlsx, "PK\x03\x04", 4) != 0))
			abort();
		free(xlsx);
	}
	for (i = 0; i < e.n; i++) {
		free(rows[i].items);
		indicator_free(&items[i]);
	}
	return 0;
}
