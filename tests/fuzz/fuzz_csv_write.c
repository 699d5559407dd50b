/*
 * libFuzzer target: the CSV writer of every export. The input is split
 * into fields at 0x1f bytes; the written row must read back through the
 * import reader as the same fields (after the formula guard's
 * apostrophe), and no written field may start like a formula.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *p, *fields[CSV_MAX_FIELDS], *out;
	struct strbuf b = {0};
	struct csv_row row;
	struct csv *c;
	size_t n = 0, i, sz;

	if (size > 4096 || memchr(data, '\0', size) != NULL)
		return 0;
	/* The reader drops a byte-order mark at the start of a file. */
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		return 0;
	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	for (p = in; n < CSV_MAX_FIELDS; p++) {
		fields[n++] = p;
		if ((p = strchr(p, 0x1f)) == NULL)
			break;
		*p = '\0';
	}
	for (i = 0; i < n; i++)
		csv_put_field(&b, fields[i], i == 0);
	csv_end_row(&b);
	if ((out = strbuf_take(&b, &sz)) == NULL)
		abort();
	if ((c = csv_open(out, sz)) == NULL)
		abort();
	/* A lone empty field writes an empty line, which reads as no row. */
	if (n == 1 && fields[0][0] == '\0') {
		if (csv_next(c, &row) != 0)
			abort();
	} else {
		if (csv_next(c, &row) != 1 || row.n != n)
			abort();
		for (i = 0; i < n; i++) {
			const char *got = row.fields[i];

			if (csv_formula_start(fields[i][0]) && *got++ != '\'')
				abort();
			if (strcmp(got, fields[i]) != 0)
				abort();
		}
	}
	csv_close(c);
	free(out);
	free(in);
	return 0;
}
