/*
 * libFuzzer target: the evaluation table's exporters (svc/service/
 * eval_file.c, issue 17: "the CSV/XLSX exporters" had no target).
 *
 * Byte 0 is flags (bit 0: with 同比, the year before; data[0] % 16 == 0:
 * the workbook too). The rest is a framework in the layout of POST
 * /frameworks/import (shared/data/framework-futian-2023.csv), read by
 * the import's own parsers: core csv_next, then per row
 * indicator_number_parse (weight), indicator_target_parse,
 * indicator_rule_parse, indicator_source_parse and
 * indicator_checklist_parse with the import's checks; optional columns
 * value, rating, score, marks and note carry a period's entries (the
 * ranges PUT …/period accepts). A row the import would refuse is left
 * out. The rows are scored as svc_eval_score scores them
 * (indicator_evaluate), then both exporters run. The CSV must start
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

/* The import's trim: ASCII spaces and tabs at both ends, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* The import's level names: UTF-8 of 1 to 100 characters, no controls. */
static int
level_ok(const char *s)
{
	long n = valid_utf8_len(s, strlen(s));
	const unsigned char *p;

	if (n < 1 || n > 100)
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static const char *
cell(const struct csv_row *row, const int pos[C__MAX], enum col k)
{
	if (pos[k] < 0 || (size_t)pos[k] >= row->n)
		return NULL;
	return trim(row->fields[pos[k]]);
}

/* An entry of a period: a number in [0, max] as PUT …/period takes it. */
static int
entry(const char *s, double max, double *v)
{
	return s != NULL && *s != '\0' && indicator_number_parse(s, 0, v) &&
	    *v >= 0 && *v <= max;
}

/* One row as the import checks it; 1 with ind filled, 0 refused. */
static int
read_row(const struct csv_row *row, const int pos[C__MAX],
    struct indicator *ind)
{
	struct ind_target t;
	struct ind_rule rule;
	struct ind_source src;
	struct ind_checklist c;
	struct strbuf b = {0};
	const char *v;
	double w;
	size_t k;
	int marks[IND_ITEMS_MAX];
	size_t nmarks;

	for (k = 0; k < C_REQUIRED; k++)
		if (cell(row, pos, (enum col)k) == NULL)
			return 0;
	if (!indicator_number_parse(cell(row, pos, C_WEIGHT), 0, &w) ||
	    !indicator_weight_ok(w))
		return 0;
	if (!level_ok(cell(row, pos, C_LEVEL1)) ||
	    !level_ok(cell(row, pos, C_LEVEL2)) ||
	    !level_ok(cell(row, pos, C_LEVEL3)))
		return 0;
	v = cell(row, pos, C_TARGET);
	if (strlen(v) > 32 || !indicator_target_parse(v, &t))
		return 0;
	if (!indicator_rule_parse(cell(row, pos, C_RULE), &rule, NULL, 0))
		return 0;
	if ((rule.kind == IND_RULE_RATIO || rule.kind == IND_RULE_INVERSE) &&
	    !t.has_value)
		return 0;
	if (!indicator_source_parse(cell(row, pos, C_SOURCE), &src, NULL, 0))
		return 0;
	v = cell(row, pos, C_CHECKLIST);
	if (!indicator_checklist_parse(v ? v : "", &c, NULL, 0))
		return 0;
	if (rule.kind == IND_RULE_CHECKLIST && c.n == 0)
		return 0;
	indicator_checklist_format(&c, &b);
	memset(ind, 0, sizeof(*ind));
	ind->checklist = strbuf_take(&b, NULL);
	memcpy(ind->target_op, t.op, sizeof(ind->target_op));
	ind->has_target = t.has_value;
	ind->target_value = t.value;
	ind->weight = w;
	ind->level1 = strdup(cell(row, pos, C_LEVEL1));
	ind->level2 = strdup(cell(row, pos, C_LEVEL2));
	ind->level3 = strdup(cell(row, pos, C_LEVEL3));
	ind->target_unit = strdup(t.unit);
	ind->target_text = strdup(cell(row, pos, C_TARGET));
	ind->rule = strdup(cell(row, pos, C_RULE));
	ind->source = strdup(cell(row, pos, C_SOURCE));
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
	if (ind->checklist == NULL || ind->level1 == NULL ||
	    ind->level2 == NULL || ind->level3 == NULL ||
	    ind->target_unit == NULL || ind->target_text == NULL ||
	    ind->rule == NULL || ind->source == NULL || ind->code == NULL ||
	    ind->note == NULL) {
		indicator_free(ind);
		return 0;
	}
	return 1;
}

/* A row scored as svc_eval_score scores it; a source other than manual
 * counts records in the store: here the entered value stands for it. */
static void
score_row(struct eval_row *row, struct indicator *ind)
{
	struct ind_rule rule;
	struct ind_source src;
	struct ind_eval ev;

	memset(row, 0, sizeof(*row));
	row->ind = ind;
	row->met = -1;
	if ((row->items = malloc(sizeof(*row->items))) == NULL)
		abort();
	if (!indicator_checklist_parse(ind->checklist, row->items, NULL, 0))
		row->items->n = 0;
	if (!indicator_rule_parse(ind->rule, &rule, NULL, 0))
		rule.kind = IND_RULE_MANUAL;
	if (!indicator_source_parse(ind->source, &src, NULL, 0))
		src.kind = IND_SRC_MANUAL;
	row->marked = ind->marks != NULL &&
	    indicator_marks_parse(ind->marks, row->marks, IND_ITEMS_MAX,
	        &row->nmarks);
	row->rate = strcmp(ind->target_unit, "count") != 0 ||
	    (!ind->has_target && indicator_source_is_rate(&src));
	row->has_actual = ind->has_value || ind->has_rating;
	row->actual = ind->has_value ? ind->value : ind->rating;
	if (rule.kind == IND_RULE_CHECKLIST) {
		size_t k, met = 0, npos = 0;

		row->has_actual = 0;
		for (k = 0; k < row->items->n; k++)
			if (row->items->items[k].points > 0) {
				npos++;
				met += k < row->nmarks && row->marks[k];
			}
		if (row->marked)
			snprintf(row->actual_text, sizeof(row->actual_text),
			    "符合 %zu/%zu 项", met, npos);
	}
	if (row->has_actual) {
		if (!row->rate && row->actual == (double)(long long)row->actual)
			snprintf(row->actual_text, sizeof(row->actual_text),
			    "%lld", (long long)row->actual);
		else
			snprintf(row->actual_text, sizeof(row->actual_text),
			    "%.2f%s", row->actual, row->rate ? "%" : "");
	}
	memset(&ev, 0, sizeof(ev));
	ev.rule = &rule;
	ev.weight = ind->weight;
	ev.has_target = ind->has_target;
	ev.target = ind->target_value;
	ev.has_actual = row->has_actual;
	ev.actual = row->actual;
	ev.items = row->items;
	ev.marked = row->marked;
	ev.marks = row->marks;
	ev.nmarks = row->nmarks;
	ev.has_score = ind->has_score;
	ev.score = ind->score;
	row->scored = indicator_evaluate(&ev, &row->score);
	if (row->has_actual && ind->has_target &&
	    indicator_rule_needs_actual(&rule))
		row->met = indicator_met(ind->target_op, ind->target_value,
		    row->actual);
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
		const char *name = trim(row.fields[i]);

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
			score_row(&rows[e.n], &items[e.n]);
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
