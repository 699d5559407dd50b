/*
 * libFuzzer target: the activity CSV exporter (activity_row_write, which
 * quotes with csv_put_field and guards formulas) against the importer.
 * Rows made from the input's bytes are written and read back; a row the
 * importer accepts must come back exactly: same day, times, station,
 * title, venue, kind, audience and public flag (the export's formula
 * apostrophe is taken off again). Texts are what the API can store (no
 * control characters, trimmed). The writer itself must never fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
take_str(const uint8_t **p, size_t *n)
{
	size_t len = *n ? **p % 48 : 0, i;
	char *s;

	if (*n) {
		(*p)++;
		(*n)--;
	}
	if (len > *n)
		len = *n;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	/* What the API can store: no control characters, no spaces at
	 * either end (titles and names are trimmed on the way in). */
	for (i = 0; i < len; i++)
		s[i] = (*p)[i] < 0x20 || (*p)[i] == 0x7f ? 'x' : (char)(*p)[i];
	s[len] = '\0';
	while (len > 0 && s[len - 1] == ' ')
		s[--len] = '\0';
	if (s[0] == ' ')
		s[0] = 'x';
	*p += len;
	*n -= len;
	return s;
}

static void
ignore(void *ctx, size_t line, const char *field, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)field;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct activity_row in[4], back;
	struct import_sink sink = {ignore, NULL};
	struct import_header h;
	struct strbuf b = {0};
	struct csv *csv;
	struct csv_row row;
	size_t n = 0, i, got = 0;
	char *text;
	size_t len;

	memset(in, 0, sizeof(in));
	while (n < 4 && size >= 4) {
		struct activity_row *a = &in[n++];

		a->day = time_days_from_civil(2020, 1, 1) + data[0] * 13;
		a->start_min = data[1] % 24 * 60;
		a->end_min = a->start_min + 1 + data[2] % 60;
		a->kind = activity_kinds[data[3] % 5];
		a->audience = activity_audiences[data[3] / 5 % 4];
		a->public_ = data[3] >> 7;
		data += 4;
		size -= 4;
		a->station = take_str(&data, &size);
		a->title = take_str(&data, &size);
		a->venue = take_str(&data, &size);
	}
	activity_csv_header(&b);
	for (i = 0; i < n; i++)
		activity_row_write(&b, &in[i]);
	if ((text = strbuf_take(&b, &len)) == NULL)
		abort();
	if ((csv = csv_open(text, len)) == NULL)
		abort();
	if (csv_next(csv, &row) != 1 || !import_header_read(&row, &h, &sink))
		abort();
	for (i = 0; i < n && csv_next(csv, &row) == 1; i++) {
		if (import_row_read(&row, &h, &back, &sink) <= 0)
			continue;
		got++;
		if (back.day != in[i].day ||
		    back.start_min != in[i].start_min ||
		    back.end_min != in[i].end_min ||
		    strcmp(back.kind, in[i].kind) != 0 ||
		    strcmp(back.audience, in[i].audience) != 0 ||
		    back.public_ != in[i].public_ ||
		    strcmp(back.venue, in[i].venue) != 0 ||
		    strcmp(back.title, in[i].title) != 0 ||
		    strcmp(back.station, in[i].station) != 0)
			abort();
		activity_row_free(&back);
	}
	(void)got;
	csv_close(csv);
	free(text);
	for (i = 0; i < n; i++)
		activity_row_free(&in[i]);
	return 0;
}
