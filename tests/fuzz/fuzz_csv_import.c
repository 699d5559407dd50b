/*
 * libFuzzer target: the activity CSV import's row mapping (core/import.c)
 * and its station index. Input: the file's bytes, through the encoding
 * step (import_to_utf8: UTF-8 kept, GB18030 converted, which must give
 * valid UTF-8) and the date parser (import_parse_when on every cell). Every row read is checked
 * against its own contract (a known kind and audience, a day within the
 * documented years, times in order); the station index must answer for
 * any cell, with stations taken from the first bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
sink(void *ctx, size_t line, const char *field, const char *msg)
{
	size_t *n = ctx;

	(void)line;
	if (field == NULL || msg == NULL ||
	    valid_utf8_len(msg, strlen(msg)) < 0)
		abort();
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct station_ref refs[] = {
	    {1, "HALL", "区信访局人民来访接待大厅", 1},
	    {2, "YL", "园岭街道", 1},
	    {3, "IMP7", "园岭街道", 0},
	    {4, "imp12", "福田街道", 1},
	    {5, "NY", "南园街道", 1},
	};
	struct import_sink k;
	struct import_header h;
	struct station_index *x;
	struct csv *csv;
	struct csv_row row;
	size_t problems = 0, n8 = 0, i;
	int rc, header = 0;
	char *utf8 = NULL;
	const char *text;

	k.problem = sink;
	k.ctx = &problems;
	if ((x = station_index_new(refs, 5)) == NULL)
		return 0;
	if (station_index_max_imp(x) != 12)
		abort();
	switch (import_to_utf8((const char *)data, size, &utf8, &n8)) {
	case 1:
		text = (const char *)data;
		n8 = size;
		break;
	case 2:
		if (utf8 == NULL || valid_utf8_len(utf8, n8) < 0)
			abort();
		text = utf8;
		break;
	default:
		if (utf8 != NULL)
			abort();
		station_index_free(x);
		return 0;
	}
	if ((csv = csv_open(text, n8)) == NULL) {
		free(utf8);
		station_index_free(x);
		return 0;
	}
	while ((rc = csv_next(csv, &row)) > 0) {
		struct activity_row a;
		int64_t sid, day;
		int min, w;

		/* Every cell through the date parser: a date it accepts is a
		 * real one, and a time within the day. */
		for (i = 0; i < row.n; i++) {
			w = import_parse_when(row.fields[i], &day, &min);
			if (w < 0 || w > 2 ||
			    (w == 2 && (min < 0 || min >= 24 * 60)) ||
			    (w == 1 && min != -1) ||
			    (w > 0 && day < time_days_from_civil(0, 1, 1)))
				abort();
			if (import_parse_clock(row.fields[i]) >= 24 * 60)
				abort();
		}
		if (!header) {
			header = import_header_read(&row, &h, &k);
			if (!header)
				break;
			continue;
		}
		rc = import_row_read(&row, &h, &a, &k);
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		if (a.kind == NULL || a.audience == NULL ||
		    activity_kind_zh(a.kind) == NULL ||
		    activity_audience_zh(a.audience) == NULL ||
		    a.start_min < 0 || a.end_min <= a.start_min ||
		    a.end_min >= 24 * 60 || a.station == NULL ||
		    a.day < time_days_from_civil(1970, 1, 1) ||
		    a.day > time_days_from_civil(2100, 12, 31))
			abort();
		sid = station_index_find(x, a.station);
		if (sid < 0 || sid > 5)
			abort();
		activity_row_free(&a);
	}
	csv_close(csv);
	free(utf8);
	station_index_free(x);
	return 0;
}
