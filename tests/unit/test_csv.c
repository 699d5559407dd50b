/*
 * Unit tests of svc/core/csv.c: the CSV reader (quotes, errors, the real files of
 * deploy/demo).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "../lib/unit.h"

/* --- CSV ------------------------------------------------------------------ */

/* The reader over a heap copy of exactly sz bytes, so ASan sees any read
 * past the end. */
struct cbuf {
	char *mem;
	struct csv *c;
	struct csv_row row;
};

static void
cb_open(struct cbuf *b, const char *s, size_t sz)
{
	b->mem = malloc(sz ? sz : 1);
	assert_non_null(b->mem);
	memcpy(b->mem, s, sz);
	b->c = csv_open(b->mem, sz);
	assert_non_null(b->c);
}

static void
cb_opens(struct cbuf *b, const char *s)
{
	cb_open(b, s, strlen(s));
}

static void
cb_close(struct cbuf *b)
{
	csv_close(b->c);
	free(b->mem);
}

/* Expects a row at line with the '|'-separated fields. */
static void
cb_row(struct cbuf *b, size_t line, const char *want)
{
	char tmp[8192], *p, *f;
	size_t i = 0;
	int rc = csv_next(b->c, &b->row);

	if (rc != 1)
		fail_msg("csv_next %d (%s), want row \"%s\"", rc,
		    csv_error(b->c), want);
	assert_int_equal(b->row.line, line);
	snprintf(tmp, sizeof(tmp), "%s", want);
	for (p = tmp; (f = strsep(&p, "|")) != NULL; i++) {
		assert_true(i < b->row.n);
		assert_string_equal(b->row.fields[i], f);
	}
	assert_int_equal(b->row.n, i);
}

static void
cb_end(struct cbuf *b)
{
	assert_int_equal(csv_next(b->c, &b->row), 0);
	assert_int_equal(csv_next(b->c, &b->row), 0);
}

static void
cb_err(struct cbuf *b, const char *want)
{
	int rc = csv_next(b->c, &b->row);

	if (rc != -1)
		fail_msg("csv_next %d, want error \"%s\"", rc, want);
	assert_string_equal(csv_error(b->c), want);
	assert_int_equal(csv_next(b->c, &b->row), -1);
}

static void
test_csv_basic(void **state)
{
	struct cbuf b;

	(void)state;
	cb_opens(&b,
	    "code,name,kind\nHALL,区信访局,hall\nYL,园岭街道,street\n");
	cb_row(&b, 1, "code|name|kind");
	cb_row(&b, 2, "HALL|区信访局|hall");
	cb_row(&b, 3, "YL|园岭街道|street");
	cb_end(&b);
	cb_close(&b);
	/* no final newline, empty fields */
	cb_opens(&b, "a,,b\n,\nlast,");
	cb_row(&b, 1, "a||b");
	cb_row(&b, 2, "|");
	cb_row(&b, 3, "last|");
	cb_end(&b);
	cb_close(&b);
	/* CRLF and a BOM */
	cb_opens(&b, "\xEF\xBB\xBFh1,h2\r\nv1,v2\r\n\"q\",\"r\"\r\n");
	cb_row(&b, 1, "h1|h2");
	cb_row(&b, 2, "v1|v2");
	cb_row(&b, 3, "q|r");
	cb_end(&b);
	cb_close(&b);
	/* bare CR line ends */
	cb_opens(&b, "a\rb\r");
	cb_row(&b, 1, "a");
	cb_row(&b, 2, "b");
	cb_end(&b);
	cb_close(&b);
	/* empty input, a lone BOM, only blank lines */
	cb_open(&b, "", 0);
	cb_end(&b);
	cb_close(&b);
	cb_opens(&b, "\xEF\xBB\xBF");
	cb_end(&b);
	cb_close(&b);
	cb_opens(&b, "\n\r\n\n");
	cb_end(&b);
	cb_close(&b);
}

static void
test_csv_quotes(void **state)
{
	struct cbuf b;

	(void)state;
	cb_opens(&b, "\"a,b\",c\n\"say \"\"hi\"\"\",\"\"\n\"\"\"\"\n");
	cb_row(&b, 1, "a,b|c");
	cb_row(&b, 2, "say \"hi\"|");
	cb_row(&b, 3, "\"");
	cb_end(&b);
	cb_close(&b);
	/* a newline inside quotes: the row spans two lines, the next row's
	 * line number counts it */
	cb_opens(&b,
	    "h1,h2\n\"line1\nline2\",x\nnext,row\n\"a\r\nb\",\"\n\n\"\n"
	    "end,1\n");
	cb_row(&b, 1, "h1|h2");
	cb_row(&b, 2, "line1\nline2|x");
	cb_row(&b, 4, "next|row");
	cb_row(&b, 5, "a\r\nb|\n\n");
	cb_row(&b, 9, "end|1");
	cb_end(&b);
	cb_close(&b);
	/* blank lines between rows are skipped but counted */
	cb_opens(&b, "a\n\n\nb\r\n\r\nc\n");
	cb_row(&b, 1, "a");
	cb_row(&b, 4, "b");
	cb_row(&b, 6, "c");
	cb_end(&b);
	cb_close(&b);
}

static void
test_csv_errors(void **state)
{
	static char big[CSV_MAX_FIELD + 64];
	struct cbuf b;
	char row[256];
	size_t i;

	(void)state;
	cb_opens(&b, "a,b\n\"abc,d");
	cb_row(&b, 1, "a|b");
	cb_err(&b, "第 2 行：引号没有闭合（缺少结尾的双引号）");
	cb_close(&b);
	cb_opens(&b, "a,b\nc,d\"e\n");
	cb_row(&b, 1, "a|b");
	cb_err(&b,
	    "第 2 行：未加引号的字段中出现了双引号（请把整个字段放在双引号里）");
	cb_close(&b);
	cb_opens(&b, "x\ny\n\"a\"b,c\n");
	cb_row(&b, 1, "x");
	cb_row(&b, 2, "y");
	cb_err(&b, "第 3 行：闭合引号后面还有文字（字段内的双引号须写成两个）");
	cb_close(&b);
	/* NUL, quoted or not */
	cb_open(&b, "a,b\nc,d\0e\n", 10);
	cb_row(&b, 1, "a|b");
	cb_err(&b, "第 2 行：含有空字符（NUL），请另存为 CSV 文本后再导入");
	cb_close(&b);
	cb_open(&b, "\"a\0\"\n", 5);
	cb_err(&b, "第 1 行：含有空字符（NUL），请另存为 CSV 文本后再导入");
	cb_close(&b);
	/* 32 fields fine, 33 too many */
	row[0] = '\0';
	for (i = 0; i < CSV_MAX_FIELDS; i++)
		strcat(row, i ? ",f" : "f");
	strcat(row, "\n");
	cb_opens(&b, row);
	assert_int_equal(csv_next(b.c, &b.row), 1);
	assert_int_equal(b.row.n, CSV_MAX_FIELDS);
	assert_string_equal(b.row.fields[CSV_MAX_FIELDS - 1], "f");
	cb_close(&b);
	row[strlen(row) - 1] = '\0';
	strcat(row, ",g\n");
	cb_opens(&b, row);
	cb_err(&b, "第 1 行：一行的字段过多");
	cb_close(&b);
	/* a field of CSV_MAX_FIELD bytes fits, one more does not */
	memset(big, 'x', CSV_MAX_FIELD);
	memcpy(big + CSV_MAX_FIELD, ",y\n", 4);
	cb_opens(&b, big);
	assert_int_equal(csv_next(b.c, &b.row), 1);
	assert_int_equal(strlen(b.row.fields[0]), CSV_MAX_FIELD);
	assert_string_equal(b.row.fields[1], "y");
	cb_close(&b);
	memset(big, 'x', CSV_MAX_FIELD + 1);
	memcpy(big + CSV_MAX_FIELD + 1, "\n", 2);
	{
		char tmp[sizeof(big) + 8];

		snprintf(tmp, sizeof(tmp), "ok\n%s", big);
		cb_opens(&b, tmp);
		cb_row(&b, 1, "ok");
		cb_err(&b, "第 2 行：字段过长");
		cb_close(&b);
		/* quoted, with doubled quotes counting once */
		tmp[0] = '"';
		memset(tmp + 1, 'x', CSV_MAX_FIELD - 1);
		memcpy(tmp + CSV_MAX_FIELD, "\"\"\"\n", 5);
		cb_opens(&b, tmp);
		assert_int_equal(csv_next(b.c, &b.row), 1);
		assert_int_equal(strlen(b.row.fields[0]), CSV_MAX_FIELD);
		assert_int_equal(b.row.fields[0][CSV_MAX_FIELD - 1], '"');
		cb_close(&b);
	}
}

/* The real files Hearth imports. */
static void
test_csv_real_files(void **state)
{
	static const struct {
		const char *path;
		size_t fields, rows;
		const char *first;
	} files[] = {
	    {"tests/fuzz/seeds/csv/activities-futian-2022H2.csv", 5, 24,
	        "date"},
	    {"deploy/demo/stations-futian.csv", 4, 14, "code"},
	};
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct cbuf b;
		unsigned char *data;
		size_t sz, rows = 0;
		int rc;

		data = unit_read_whole(files[f].path, &sz);
		cb_open(&b, (const char *)data, sz);
		while ((rc = csv_next(b.c, &b.row)) == 1) {
			rows++;
			assert_int_equal(b.row.line, rows);
			assert_int_equal(b.row.n, files[f].fields);
			if (rows == 1)
				assert_string_equal(b.row.fields[0],
				    files[f].first);
			else
				assert_true(valid_utf8_len(b.row.fields[1],
				                strlen(b.row.fields[1])) > 0);
		}
		if (rc != 0)
			fail_msg("%s: %s", files[f].path, csv_error(b.c));
		assert_int_equal(rows, files[f].rows);
		cb_close(&b);
		free(data);
	}
}

/* The imports read a cell trimmed of spaces and tabs, nothing else. */
static void
test_csv_trim(void **state)
{
	char a[] = " \t 编码 A1 \t", b[] = "\t\t", c[] = "x", d[] = " \r\n ";

	(void)state;
	assert_string_equal(csv_trim(a), "编码 A1");
	assert_string_equal(csv_trim(b), "");
	assert_string_equal(csv_trim(c), "x");
	assert_string_equal(csv_trim(d), "\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_basic),
	    cmocka_unit_test(test_csv_trim),
	    cmocka_unit_test(test_csv_quotes),
	    cmocka_unit_test(test_csv_errors),
	    cmocka_unit_test(test_csv_real_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
