/*
 * libFuzzer target: the duty report's exporters (svc/service/
 * duty_report.c, issue 17: "the CSV/XLSX exporters" had no target).
 * The input makes a report: byte 0 picks the grouping, byte 1 the number
 * of metrics (0-7), byte 2 the number of groups (0-15), byte 3 which
 * metric is counselling minutes (or none); the rest, split at 0x1f
 * bytes, gives the metrics' names and units and the groups' names
 * (arbitrary bytes: formula starts, quotes, CR/LF, bad UTF-8), and its
 * bytes seed the counts. The CSV must start with a BOM and read back
 * through the import reader as one heading row, one row per group and
 * the 合计 row, each as wide as the headings, names as written (after
 * the formula guard's apostrophe), counts as the numbers given; the
 * workbook must be a ZIP file (an XLSX) or a logged refusal, never a
 * crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
next_piece(char **p)
{
	char *s = *p, *e;

	if (s == NULL)
		return (char *)"";
	if ((e = strchr(s, 0x1f)) != NULL) {
		*e = '\0';
		*p = e + 1;
	} else
		*p = NULL;
	return s;
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
same_number(const char *got, int64_t want)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)want);
	if (strcmp(got, buf) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct duty_metric metrics[8];
	struct duty_group groups[16], *g;
	int64_t values[17][8];
	struct duty_report rp;
	struct csv_row row;
	struct csv *c;
	char *in, *p, *csv, *xlsx = NULL;
	size_t i, k, len, xsz = 0, width, seed;

	if (size < 4 || size > 4096 || memchr(data, '\0', size) != NULL)
		return 0;
	memset(&rp, 0, sizeof(rp));
	memcpy(rp.from, "2026-01-01", 11);
	memcpy(rp.to, "2026-03-31", 11);
	rp.by = (enum duty_report_by)(data[0] % DUTY_BY__MAX);
	rp.nmetrics = data[1] % 8;
	rp.ngroups = data[2] % 16;
	rp.minutes = data[3] % 9 < rp.nmetrics ? data[3] % 9 : -1;
	if ((in = malloc(size - 3)) == NULL)
		return 0;
	memcpy(in, data + 4, size - 4);
	in[size - 4] = '\0';
	p = in;
	memset(metrics, 0, sizeof(metrics));
	for (i = 0; i < rp.nmetrics; i++) {
		metrics[i].name = next_piece(&p);
		metrics[i].unit = next_piece(&p);
		metrics[i].code = (char *)"m";
	}
	rp.metrics = metrics;
	memset(groups, 0, sizeof(groups));
	seed = size;
	for (i = 0; i <= rp.ngroups; i++) {
		g = i < rp.ngroups ? &groups[i] : &rp.total;
		if (i < rp.ngroups) {
			g->name = next_piece(&p);
			g->id = (int64_t)i + 1;
			snprintf(g->month, sizeof(g->month), "2026-%02zu",
			    i % 12 + 1);
		}
		for (k = 0; k < rp.nmetrics; k++) {
			seed = seed * 1103515245u + data[(i * 8 + k) % size];
			/* Counts of a report: minutes up to a century. */
			values[i][k] = (int64_t)(seed % 60000000) -
			    (data[(i + k) % size] == 0x80 ? 30000000 : 0);
		}
		g->values = values[i];
		g->shifts = (int64_t)(seed % 100000);
		g->logged = (int64_t)(seed % 5000);
		g->absent = (int64_t)(seed % 300);
		g->missing = (int64_t)(seed % 77);
	}
	rp.groups = groups;

	if ((csv = svc_duty_report_csv(&rp, &len)) == NULL)
		abort();
	if (len < 3 || memcmp(csv, "\xef\xbb\xbf", 3) != 0)
		abort();
	if ((c = csv_open(csv, len)) == NULL)
		abort();
	width = 5 + rp.nmetrics + (rp.minutes >= 0 ? 1 : 0);
	if (csv_next(c, &row) != 1 || row.n != width)
		abort();
	for (i = 0; i <= rp.ngroups; i++) {
		g = i < rp.ngroups ? &groups[i] : &rp.total;
		if (csv_next(c, &row) != 1 || row.n != width)
			abort();
		same_text(row.fields[0], i < rp.ngroups ? g->name : "合计");
		same_number(row.fields[1], g->shifts);
		same_number(row.fields[4], g->missing);
		for (k = 0; k < rp.nmetrics; k++)
			same_number(
			    row.fields[5 + k +
			        (rp.minutes >= 0 && (int)k > rp.minutes)],
			    g->values[k]);
	}
	if (csv_next(c, &row) != 0)
		abort();
	csv_close(c);
	free(csv);

	/* libxlsxwriter writes files: a workbook every 16th input keeps
	 * the rate of the CSV checks. */
	if (data[0] % 16 == 0) {
		if (svc_duty_report_xlsx(&rp, &xlsx, &xsz) == 1 &&
		    (xsz < 4 || memcmp(xlsx, "PK\x03\x04", 4) != 0))
			abort();
		free(xlsx);
	}
	free(in);
	return 0;
}
