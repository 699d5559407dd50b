/*
 * libFuzzer target: query parameters as the handlers read them. The
 * input is a query string ("limit=20&from=2027-03-01&…"), split on & and
 * = and percent-decoded as libmicrohttpd does (http_unescape), then each
 * value goes through the parsers of core (valid_query_*): what passes is
 * within its range, a choice is the table's own string, a day range is
 * in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const kinds[] = {"lecture", "salon", "training", NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q, *pair, *save = NULL, *from = NULL, *to = NULL;
	struct herror err;
	long long n;
	int64_t a, b;
	int ha, hb, bv;
	const char *c;

	if ((q = malloc(size + 1)) == NULL)
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	for (pair = strtok_r(q, "&", &save); pair != NULL;
	     pair = strtok_r(NULL, "&", &save)) {
		char *v = strchr(pair, '=');

		if (v != NULL)
			*v++ = '\0';
		http_unescape(pair);
		if (v != NULL)
			http_unescape(v);
		if (strcmp(pair, "limit") == 0 &&
		    valid_query_int(v, 1, 500, &n) && (n < 1 || n > 500))
			abort();
		if (strcmp(pair, "offset") == 0 &&
		    valid_query_int(v, 0, 1000000000LL, &n) && n < 0)
			abort();
		if (strcmp(pair, "station_id") == 0 &&
		    valid_query_int(v, 1, 999999999999999LL, &n) && n < 1)
			abort();
		if (strcmp(pair, "active") == 0 && valid_query_bool(v, &bv) &&
		    bv != 0 && bv != 1 && bv != -1)
			abort();
		if (strcmp(pair, "kind") == 0 &&
		    (c = valid_query_choice(v, kinds)) != NULL &&
		    c != kinds[0] && c != kinds[1] && c != kinds[2])
			abort();
		if (strcmp(pair, "from") == 0)
			from = v;
		if (strcmp(pair, "to") == 0)
			to = v;
	}
	if (valid_query_day_range(from, to, &a, &ha, &b, &hb, &err) && ha &&
	    hb && b < a)
		abort();
	free(q);
	return 0;
}
