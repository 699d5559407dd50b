/*
 * An RFC 4180 CSV reader for imports (stations, events). Parsing is
 * validation: a stray quote or an oversized field is an error with its
 * line number, never a guess. It reads from a caller's buffer and never
 * past its end; it does not assume NUL termination.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct csv {
	const char *p, *end;
	size_t line;
	char *buf; /* fields of the current row, back to back */
	size_t bufsz;
	char err[128];
	int failed;
};

struct csv *
csv_open(const char *buf, size_t sz)
{
	struct csv *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->p = buf;
	c->end = buf + sz;
	c->line = 1;
	if (sz >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->bufsz = CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1);
	if ((c->buf = malloc(c->bufsz)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
csv_close(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->buf);
	free(c);
}

char *
csv_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

const char *
csv_error(const struct csv *c)
{
	return c->err;
}

static int
fail(struct csv *c, const char *why)
{
	snprintf(c->err, sizeof(c->err), "第 %zu 行：%s", c->line, why);
	c->failed = 1;
	return -1;
}

int
csv_next(struct csv *c, struct csv_row *row)
{
	char *out = c->buf;
	size_t flen;
	int quoted;

	if (c->failed)
		return -1;
	/* Skip blank lines between rows. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	row->line = c->line;
	row->n = 0;
	for (;;) {
		if (row->n == CSV_MAX_FIELDS)
			return fail(c, "一行的字段过多");
		row->fields[row->n++] = out;
		flen = 0;
		quoted = c->p < c->end && *c->p == '"';
		if (quoted)
			c->p++;
		for (;;) {
			char ch;

			if (c->p >= c->end) {
				if (quoted)
					return fail(c,
					    "引号没有闭合（缺少结尾的双引号）");
				break;
			}
			ch = *c->p;
			if (quoted && ch == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p += 2;
				} else {
					c->p++;
					if (c->p < c->end && *c->p != ',' &&
					    *c->p != '\n' && *c->p != '\r')
						return fail(c,
						    "闭合引号后面还有文字（字段内的双引号须写成两个）");
					break;
				}
			} else if (!quoted &&
			    (ch == ',' || ch == '\n' || ch == '\r'))
				break;
			else if (!quoted && ch == '"')
				return fail(c,
				    "未加引号的字段中出现了双引号（请把整个字段放在双引号里）");
			else {
				if (ch == '\0')
					return fail(c,
					    "含有空字符（NUL），请另存为 CSV 文本后再导入");
				if (ch == '\n')
					c->line++;
				c->p++;
			}
			if (flen == CSV_MAX_FIELD)
				return fail(c, "字段过长");
			out[flen++] = ch;
		}
		out[flen] = '\0';
		out += flen + 1;
		if (c->p >= c->end)
			return 1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		/* end of row: CRLF, LF or CR */
		if (*c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		return 1;
	}
}

int
csv_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

void
csv_put_field(struct strbuf *b, const char *s, int first)
{
	int guard = csv_formula_start(*s);
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	const char *p, *q;

	if (!first)
		strbuf_add(b, ",", 1);
	if (quote)
		strbuf_add(b, "\"", 1);
	if (guard)
		strbuf_add(b, "'", 1);
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		strbuf_add(b, p, (size_t)(q - p));
		strbuf_add(b, "\"\"", 2);
	}
	strbuf_str(b, p);
	if (quote)
		strbuf_add(b, "\"", 1);
}

void
csv_put_number(struct strbuf *b, double v, int decimals, int first)
{
	strbuf_printf(b, first ? "%.*f" : ",%.*f", decimals, v);
}

void
csv_end_row(struct strbuf *b)
{
	strbuf_add(b, "\r\n", 2);
}
