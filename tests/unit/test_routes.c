/*
 * No two routes of the route table overlap: for every pair with the same
 * method, no path matches both patterns (the dispatcher takes the first
 * that matches, so an overlap would hide a route). The table is the one
 * the binary serves, read from `hearth routes` (build/test/routes.json,
 * written by make), and paths are matched by the dispatcher's own
 * route_find (svc/http/route.c).
 *
 * A pattern's segments are literals or a placeholder ({id}, {tok}) with
 * an optional literal suffix ("{tok}.ics"). Two patterns overlap only if
 * they have as many segments and each pair of segments has a common
 * path segment; the witnesses tried for a segment are the other
 * pattern's literal and a value of each placeholder kind before either
 * suffix, which finds every such common segment of this grammar.
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

#include "http/http.h"

#define MAX_SEGS 12
#define MAX_CAND 6

static struct route *table;
static size_t ntable;
static json_t *doc;

static int
split(const char *pattern, char segs[MAX_SEGS][160])
{
	const char *p = pattern;
	int n = 0;

	while (*p == '/' && n < MAX_SEGS) {
		const char *e = strchr(p + 1, '/');
		size_t len = e ? (size_t)(e - p - 1) : strlen(p + 1);

		if (len >= 160)
			fail_msg("segment too long in %s", pattern);
		memcpy(segs[n], p + 1, len);
		segs[n][len] = '\0';
		n++;
		p += 1 + len;
	}
	return n;
}

/* The literal suffix of a placeholder segment, or NULL for a literal. */
static const char *
suffix(const char *seg)
{
	const char *c = seg[0] == '{' ? strchr(seg, '}') : NULL;

	return c ? c + 1 : NULL;
}

static int
matches(const struct route *rt, const char *path)
{
	struct route_match m;
	int known;

	return route_find(rt, 1, rt->method, path, &m, &known, NULL) != NULL;
}

/* Tries every path built from the candidates of each segment; the first
 * that both routes match is written to witness. */
static int
overlap(const struct route *a, const struct route *b, char *witness, size_t wsz)
{
	char sa[MAX_SEGS][160], sb[MAX_SEGS][160];
	char cand[MAX_SEGS][MAX_CAND][170];
	int nc[MAX_SEGS], pick[MAX_SEGS];
	int na = split(a->pattern, sa), nb = split(b->pattern, sb), k;
	static const char *const values[] = {"1", "a"};

	if (na != nb)
		return 0;
	for (k = 0; k < na; k++) {
		const char *s[2] = {sa[k], sb[k]};
		int j, v;

		nc[k] = 0;
		for (j = 0; j < 2; j++) {
			if (suffix(s[j]) == NULL) {
				snprintf(cand[k][nc[k]++], 170, "%s", s[j]);
				continue;
			}
			for (v = 0; v < 2; v++)
				snprintf(cand[k][nc[k]++], 170, "%s%s",
				    values[v], suffix(s[j]));
		}
		pick[k] = 0;
	}
	for (;;) {
		size_t used = 0;

		witness[0] = '\0';
		for (k = 0; k < na; k++)
			used += (size_t)snprintf(witness + used,
			    used < wsz ? wsz - used : 0, "/%s",
			    cand[k][pick[k]]);
		if (used < wsz && matches(a, witness) && matches(b, witness))
			return 1;
		for (k = na - 1; k >= 0; k--) {
			if (++pick[k] < nc[k])
				break;
			pick[k] = 0;
		}
		if (k < 0)
			return 0;
	}
}

static int
load(void **state)
{
	const char *path = getenv("HEARTH_ROUTES_JSON");
	json_error_t je;
	size_t i;

	(void)state;
	if (path == NULL)
		path = "build/test/routes.json";
	if ((doc = json_load_file(path, 0, &je)) == NULL) {
		fprintf(stderr,
		    "cannot read %s (make writes it from "
		    "`hearth routes`): %s\n",
		    path, je.text);
		return -1;
	}
	ntable = json_array_size(doc);
	if ((table = calloc(ntable ? ntable : 1, sizeof(*table))) == NULL)
		return -1;
	for (i = 0; i < ntable; i++) {
		json_t *o = json_array_get(doc, i);

		table[i].method = http_method_parse(
		    json_string_value(json_object_get(o, "method")));
		table[i].pattern = json_string_value(json_object_get(o,
		    "pattern"));
		if (table[i].pattern == NULL)
			return -1;
	}
	return 0;
}

static int
unload(void **state)
{
	(void)state;
	free(table);
	json_decref(doc);
	return 0;
}

static void
test_table_read(void **state)
{
	(void)state;
	/* The reader sees the table it checks. */
	assert_true(ntable > 100);
	assert_string_equal(table[0].pattern, "/healthz");
}

/* The check itself finds overlaps (so the table's check can fail). */
static void
test_overlap_found(void **state)
{
	static const struct route pairs[][2] = {
	    {{HTTP_GET, "/a/{id}", NULL, 0, 0, NULL},
	        {HTTP_GET, "/a/{tok}", NULL, 0, 0, NULL}},
	    {{HTTP_GET, "/a/{tok}", NULL, 0, 0, NULL},
	        {HTTP_GET, "/a/me", NULL, 0, 0, NULL}},
	    {{HTTP_GET, "/f/{tok}.ics", NULL, 0, 0, NULL},
	        {HTTP_GET, "/f/events.ics", NULL, 0, 0, NULL}},
	    {{HTTP_PUT, "/x/{id}/y", NULL, 0, 0, NULL},
	        {HTTP_PUT, "/x/{tok}/{tok}", NULL, 0, 0, NULL}},
	};
	static const struct route apart[][2] = {
	    {{HTTP_GET, "/a/{id}", NULL, 0, 0, NULL},
	        {HTTP_GET, "/a/me", NULL, 0, 0, NULL}},
	    {{HTTP_GET, "/f/{tok}.ics", NULL, 0, 0, NULL},
	        {HTTP_GET, "/f/{tok}", NULL, 0, 0, NULL}},
	    {{HTTP_GET, "/a/{id}", NULL, 0, 0, NULL},
	        {HTTP_GET, "/a/{id}/b", NULL, 0, 0, NULL}},
	    {{HTTP_GET, "/a/export.csv", NULL, 0, 0, NULL},
	        {HTTP_GET, "/a/{tok}", NULL, 0, 0, NULL}},
	};
	char w[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (!overlap(&pairs[i][0], &pairs[i][1], w, sizeof(w)))
			fail_msg("%s and %s overlap, not found",
			    pairs[i][0].pattern, pairs[i][1].pattern);
	for (i = 0; i < sizeof(apart) / sizeof(apart[0]); i++)
		if (overlap(&apart[i][0], &apart[i][1], w, sizeof(w)))
			fail_msg("%s and %s do not overlap, yet %s matched",
			    apart[i][0].pattern, apart[i][1].pattern, w);
}

/* The one overlap the contract has, in the order that keeps both
 * reachable: a survey's token is 32 hex digits (survey.c refuses any
 * other length), which "tallies" is not. Add nothing here: a new route
 * takes a path no other route matches. */
static const char *const known[][3] = {
    {"GET", "/api/v1/surveys/tallies", "/api/v1/surveys/{tok}"},
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static int
is_known(const struct route *a, const struct route *b, int *seen)
{
	size_t k;

	for (k = 0; k < NKNOWN; k++)
		if (strcmp(http_method_name(a->method), known[k][0]) == 0 &&
		    strcmp(a->pattern, known[k][1]) == 0 &&
		    strcmp(b->pattern, known[k][2]) == 0) {
			seen[k] = 1;
			return 1;
		}
	return 0;
}

static void
test_no_two_routes_overlap(void **state)
{
	char w[512];
	size_t i, j;
	int bad = 0, seen[NKNOWN] = {0};

	(void)state;
	for (i = 0; i < ntable; i++)
		for (j = i + 1; j < ntable; j++) {
			if (table[i].method != table[j].method ||
			    !overlap(&table[i], &table[j], w, sizeof(w)) ||
			    is_known(&table[i], &table[j], seen))
				continue;
			fprintf(stderr,
			    "  %s %s and %s overlap: %s matches "
			    "both (the first hides the second)\n",
			    http_method_name(table[i].method), table[i].pattern,
			    table[j].pattern, w);
			bad++;
		}
	for (i = 0; i < NKNOWN; i++)
		if (!seen[i])
			fail_msg("%s %s and %s no longer overlap (in this "
			         "order): take them off the known list",
			    known[i][0], known[i][1], known[i][2]);
	if (bad)
		fail_msg("%d pairs of routes overlap", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_read),
	    cmocka_unit_test(test_overlap_found),
	    cmocka_unit_test(test_no_two_routes_overlap),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
