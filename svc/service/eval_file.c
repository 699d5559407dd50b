/*
 * The evaluation table of a framework and period as the bureaus exchange
 * it: CSV (UTF-8 with BOM, core csv_put_field, so no cell runs as a
 * formula) and XLSX (libxlsxwriter: numbers as number cells, percentages
 * formatted, 合计 a SUM formula, 评价要点 and 扣分说明 printed, grouped
 * levels merged). Pure functions of the scored table (struct eval): no
 * store, so the fuzzer builds tables of its own (fuzz_eval_export).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "service.h"

#define NCOLS 9

static const char *const report_headers[NCOLS + 1] = {"一级指标", "二级指标",
    "三级指标", "分值", "年度指标值", "实际完成值", "得分", "评价要点",
    "扣分说明", "同比"};

/* 评价要点 of a row as printed: "① text（1分）✓", one item a line. */
static void
points_text(const struct eval_row *row, struct strbuf *b)
{
	const struct ind_checklist *c = row->items;
	char num[32];
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct ind_item *it = &c->items[i];
		int mark = row->marked && i < row->nmarks && row->marks[i];

		indicator_number_format(it->points < 0 ? -it->points
		                                       : it->points,
		    num, sizeof(num));
		/* ① is U+2460: E2 91 A0 */
		strbuf_printf(b, "%s%c%c%c %s（%s%s分）%s", i ? "\n" : "", 0xE2,
		    0x91, (char)(0xA0 + i), it->text,
		    it->points < 0 ? "扣" : "", num,
		    !row->marked         ? ""
		        : it->points < 0 ? (mark ? " 发生" : " 未发生")
		        : mark           ? " ✓"
		                         : " ✗");
	}
}

/* A number as the CSV writes it: whole numbers without decimals. */
static void
put_number(struct strbuf *b, double v)
{
	csv_put_number(b, v, v == (double)(long long)v ? 0 : 2, 0);
}

/* The number format that prints a target as the table does: ">=95%",
 * "=100%", ">=2", "100%有效". */
static void
target_format(const struct indicator *ind, char *buf, size_t sz)
{
	int whole = ind->target_value == (double)(long long)ind->target_value;
	const char *op = strcmp(ind->target_text, "") != 0 &&
	        strncmp(ind->target_text, ind->target_op,
	            strlen(ind->target_op)) == 0
	    ? ind->target_op
	    : "";

	if (strcmp(ind->target_unit, "count") == 0)
		snprintf(buf, sz, "%s%s%s%s", *op ? "\"" : "", op,
		    *op ? "\"" : "", whole ? "0" : "0.0#");
	else
		snprintf(buf, sz, "%s%s%s%s%s", *op ? "\"" : "", op,
		    *op ? "\"" : "", whole ? "0%" : "0.0#%",
		    strcmp(ind->target_unit, "rating") == 0 ? "\"有效\"" : "");
}

/* Writes the workbook to path; 1 on success. */
/* Whether a and b stand in one group of the first levels levels (1:
 * level1; 2: level1 and level2). */
static int
same_group(const struct indicator *a, const struct indicator *b, int levels)
{
	return strcmp(a->level1, b->level1) == 0 &&
	    (levels < 2 || strcmp(a->level2, b->level2) == 0);
}

/* The name of the group of row i (indicator ind) of the first levels
 * levels, in column levels - 1 of sheet row first + i: merged down over
 * the group's rows, written at its first row only. */
static void
write_group(lxw_worksheet *ws, const struct eval *e, size_t i,
    const struct indicator *ind, lxw_row_t first, int levels, const char *name,
    lxw_format *center)
{
	lxw_col_t col = (lxw_col_t)(levels - 1);
	lxw_row_t y = (lxw_row_t)(first + i);
	size_t j;

	if (i > 0 && same_group(&e->items[i - 1], ind, levels))
		return;
	for (j = i; j + 1 < e->n && same_group(&e->items[j + 1], ind, levels);
	     j++)
		;
	if (j > i)
		worksheet_merge_range(ws, y, col, (lxw_row_t)(first + j), col,
		    name, center);
	else
		worksheet_write_string(ws, y, col, name, center);
}

static int
write_xlsx(const char *path, const struct eval *e)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *title, *head, *text, *center, *num, *pct, *count2, *foot;
	lxw_format *footnum;
	char fmt[64], buf[160], sum[48];
	size_t i, k, ncols = e->compare ? NCOLS + 1 : NCOLS;
	lxw_row_t first = 2, last = (lxw_row_t)(e->n + 1), total;

	if (wb == NULL)
		return 0;
	ws = workbook_add_worksheet(wb, "绩效评价");
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head);
	text = workbook_add_format(wb);
	format_set_border(text, LXW_BORDER_THIN);
	format_set_text_wrap(text);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	center = workbook_add_format(wb);
	format_set_border(center, LXW_BORDER_THIN);
	format_set_text_wrap(center);
	format_set_align(center, LXW_ALIGN_CENTER);
	format_set_align(center, LXW_ALIGN_VERTICAL_CENTER);
	num = workbook_add_format(wb);
	format_set_border(num, LXW_BORDER_THIN);
	format_set_align(num, LXW_ALIGN_CENTER);
	format_set_align(num, LXW_ALIGN_VERTICAL_CENTER);
	pct = workbook_add_format(wb);
	format_set_border(pct, LXW_BORDER_THIN);
	format_set_align(pct, LXW_ALIGN_CENTER);
	format_set_align(pct, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(pct, "0.00%");
	count2 = workbook_add_format(wb);
	format_set_border(count2, LXW_BORDER_THIN);
	format_set_align(count2, LXW_ALIGN_CENTER);
	format_set_align(count2, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(count2, "0.00");
	foot = workbook_add_format(wb);
	format_set_bold(foot);
	format_set_border(foot, LXW_BORDER_THIN);
	format_set_bg_color(foot, 0xDDEBF7);
	format_set_align(foot, LXW_ALIGN_CENTER);
	footnum = workbook_add_format(wb);
	format_set_bold(footnum);
	format_set_border(footnum, LXW_BORDER_THIN);
	format_set_bg_color(footnum, 0xDDEBF7);
	format_set_align(footnum, LXW_ALIGN_CENTER);

	snprintf(buf, sizeof(buf), "%s（%s 至 %s）",
	    e->fw.id ? e->fw.name : "绩效评价", e->from, e->to);
	worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), buf, title);
	worksheet_set_row(ws, 0, 28, NULL);
	for (k = 0; k < ncols; k++)
		worksheet_write_string(ws, 1, (lxw_col_t)k,
		    k == NCOLS ? "同比" : report_headers[k], head);
	for (i = 0; i < e->n; i++) {
		const struct eval_row *row = &e->rows[i];
		const struct indicator *ind = row->ind;
		lxw_row_t y = (lxw_row_t)(first + i);
		struct strbuf p = {0};
		char *pts;

		/* the level names merged over their groups */
		write_group(ws, e, i, ind, first, 1, ind->level1, center);
		write_group(ws, e, i, ind, first, 2, ind->level2, center);
		worksheet_write_string(ws, y, 2, ind->level3, text);
		worksheet_write_number(ws, y, 3, ind->weight, num);
		if (ind->has_target) {
			lxw_format *tf = workbook_add_format(wb);

			format_set_border(tf, LXW_BORDER_THIN);
			format_set_align(tf, LXW_ALIGN_CENTER);
			format_set_align(tf, LXW_ALIGN_VERTICAL_CENTER);
			target_format(ind, fmt, sizeof(fmt));
			format_set_num_format(tf, fmt);
			worksheet_write_number(ws, y, 4,
			    strcmp(ind->target_unit, "count") == 0
			        ? ind->target_value
			        : ind->target_value / 100.0,
			    tf);
		} else
			worksheet_write_string(ws, y, 4, ind->target_text,
			    center);
		if (row->has_actual && row->rate)
			worksheet_write_number(ws, y, 5, row->actual / 100.0,
			    pct);
		else if (row->has_actual)
			worksheet_write_number(ws, y, 5, row->actual,
			    row->actual == (double)(long long)row->actual
			        ? num
			        : count2);
		else
			worksheet_write_string(ws, y, 5,
			    row->actual_text[0] ? row->actual_text
			        : row->scored   ? ""
			                        : "暂无数据",
			    center);
		if (row->scored)
			worksheet_write_number(ws, y, 6, row->score, num);
		else
			worksheet_write_string(ws, y, 6, "暂无数据", center);
		points_text(row, &p);
		pts = strbuf_take(&p, NULL);
		worksheet_write_string(ws, y, 7, pts ? pts : "", text);
		free(pts);
		worksheet_write_string(ws, y, 8, ind->note, text);
		if (e->compare) {
			if (row->has_prev && row->prev_scored)
				worksheet_write_number(ws, y, 9,
				    row->prev_score, num);
			else
				worksheet_write_string(ws, y, 9, "—", center);
		}
	}
	total = (lxw_row_t)(first + e->n);
	worksheet_merge_range(ws, total, 0, total, 2, "合计", foot);
	if (e->n > 0) {
		snprintf(sum, sizeof(sum), "=SUM(D%u:D%u)", (unsigned)first + 1,
		    (unsigned)last + 1);
		worksheet_write_formula_num(ws, total, 3, sum, footnum,
		    indicator_round2(e->max));
		snprintf(sum, sizeof(sum), "=SUM(G%u:G%u)", (unsigned)first + 1,
		    (unsigned)last + 1);
		worksheet_write_formula_num(ws, total, 6, sum, footnum,
		    e->total);
		if (e->compare) {
			snprintf(sum, sizeof(sum), "=SUM(J%u:J%u)",
			    (unsigned)first + 1, (unsigned)last + 1);
			worksheet_write_formula_num(ws, total, 9, sum, footnum,
			    e->prev_total);
		}
	} else {
		worksheet_write_number(ws, total, 3, 0, footnum);
		worksheet_write_number(ws, total, 6, 0, footnum);
	}
	for (k = 4; k < ncols; k++)
		if (k != 6 && k != 9)
			worksheet_write_blank(ws, total, (lxw_col_t)k, foot);
	worksheet_set_column(ws, 0, 1, 11, NULL);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_set_column(ws, 3, 3, 7, NULL);
	worksheet_set_column(ws, 4, 5, 12, NULL);
	worksheet_set_column(ws, 6, 6, 8, NULL);
	worksheet_set_column(ws, 7, 7, 56, NULL);
	worksheet_set_column(ws, 8, 8, 30, NULL);
	if (e->compare)
		worksheet_set_column(ws, 9, 9, 8, NULL);
	worksheet_freeze_panes(ws, 2, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 1, 1);
	return workbook_close(wb) == LXW_NO_ERROR;
}

char *
svc_eval_csv(const struct eval *e, size_t *sz)
{
	struct strbuf b = {0};
	char *pts;
	size_t i, k, ncols;

	ncols = e->compare ? NCOLS + 1 : NCOLS;
	strbuf_str(&b, "\xEF\xBB\xBF");
	for (k = 0; k < ncols; k++)
		csv_put_field(&b, report_headers[k], k == 0);
	csv_end_row(&b);
	for (i = 0; i < e->n; i++) {
		const struct eval_row *row = &e->rows[i];
		const struct indicator *ind = row->ind;
		struct strbuf p = {0};

		csv_put_field(&b, ind->level1, 1);
		csv_put_field(&b, ind->level2, 0);
		csv_put_field(&b, ind->level3, 0);
		put_number(&b, ind->weight);
		csv_put_field(&b, ind->target_text, 0);
		csv_put_field(&b,
		    row->actual_text[0] ? row->actual_text
		        : row->scored   ? ""
		                        : "暂无数据",
		    0);
		if (row->scored)
			put_number(&b, row->score);
		else
			csv_put_field(&b, "—", 0);
		points_text(row, &p);
		pts = strbuf_take(&p, NULL);
		csv_put_field(&b, pts ? pts : "", 0);
		free(pts);
		csv_put_field(&b, ind->note, 0);
		if (e->compare) {
			if (row->has_prev && row->prev_scored)
				put_number(&b, row->prev_score);
			else
				csv_put_field(&b, "—", 0);
		}
		csv_end_row(&b);
	}
	csv_put_field(&b, "合计", 1);
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	put_number(&b, indicator_round2(e->max));
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	put_number(&b, e->total);
	csv_put_field(&b, "", 0);
	csv_put_field(&b, "", 0);
	if (e->compare)
		put_number(&b, e->prev_total);
	csv_end_row(&b);
	return strbuf_take(&b, sz);
}

static int
write_eval(const char *path, const void *e)
{
	return write_xlsx(path, e);
}

int
svc_eval_xlsx(const struct eval *e, char **out, size_t *sz)
{
	return svc_xlsx_bytes(write_eval, e, out, sz);
}
