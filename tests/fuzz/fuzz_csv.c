/*
 * libFuzzer target: the CSV reader over an exact-size buffer, row by row
 * until the end or an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_row row;
	struct csv *c;
	char *copy;
	size_t prev = 0, i;
	int rc;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if ((c = csv_open(copy, size)) == NULL) {
		free(copy);
		return 0;
	}
	while ((rc = csv_next(c, &row)) == 1) {
		if (row.n == 0 || row.n > CSV_MAX_FIELDS || row.line <= prev)
			abort();
		prev = row.line;
		for (i = 0; i < row.n; i++)
			if (strlen(row.fields[i]) > CSV_MAX_FIELD)
				abort();
	}
	if (rc == -1) {
		if (strncmp(csv_error(c), "第 ", 4) != 0)
			abort();
		if (csv_next(c, &row) != -1)
			abort();
	} else if (rc != 0)
		abort();
	csv_close(c);
	free(copy);
	return 0;
}
