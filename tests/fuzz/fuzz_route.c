/*
 * libFuzzer target: the route matcher (http/route.c) after percent
 * decoding (http_unescape), over a table with every pattern form of
 * api/routes.c: literals, {id}, {tok}, a literal suffix (".ics"), one and
 * two parameters. Input: a method byte, then the path. A match captures
 * positive ids and tokens of [A-Za-z0-9_-] of 1-128 bytes; a 405 lists
 * the methods it allows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
handler(struct http_req *r)
{
	(void)r;
	return 200;
}

static const struct route table[] = {
    {HTTP_GET, "/healthz", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_GET, "/feeds/counsellors/{tok}.ics", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_GET, "/feeds/events.ics", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_GET, "/api/v1/stations", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_POST, "/api/v1/stations", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_GET, "/api/v1/stations/{id}", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_PATCH, "/api/v1/stations/{id}", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_POST, "/api/v1/events/import", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_GET, "/api/v1/events/{id}", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_GET, "/api/v1/events/{id}/survey-results.csv", handler,
        ROUTE_COORDINATOR, 0, NULL},
    {HTTP_PUT, "/api/v1/indicators/{tok}", handler, ROUTE_COORDINATOR, 0, NULL},
    {HTTP_POST, "/api/v1/counsellors/{id}/account", handler, ROUTE_COORDINATOR,
        0, NULL},
    {HTTP_GET, "/registrations/{tok}/qr.svg", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_GET, "/e/{id}", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_DELETE, "/api/v1/me/availability/{id}", handler, ROUTE_COUNSELLOR, 0,
        NULL},
    {HTTP_GET, "/api/v1/reminders/{tok}", handler, ROUTE_PUBLIC, 0, NULL},
    {HTTP_PUT, "/api/v1/reminders/{tok}", handler, ROUTE_PUBLIC, 0, NULL},
};

static int
tok_ok(const char *t)
{
	size_t n = strlen(t), i;

	if (n < 1 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		        (t[i] >= 'A' && t[i] <= 'Z') ||
		        (t[i] >= '0' && t[i] <= '9') || t[i] == '_' ||
		        t[i] == '-'))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match m;
	const struct route *rt;
	char *path, allow[128];
	enum http_method method;
	int known = 0;
	size_t i;

	if (size < 1)
		return 0;
	method = (enum http_method)(data[0] % HTTP__MAX);
	if ((path = malloc(size)) == NULL)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	http_unescape(path);
	memset(&m, 0, sizeof(m));
	rt = route_find(table, sizeof(table) / sizeof(table[0]), method, path,
	    &m, &known, allow);
	if (rt != NULL) {
		/* HEAD is served by the GET route. */
		if ((rt->method != method &&
		        !(method == HTTP_HEAD && rt->method == HTTP_GET)) ||
		    m.nids > HTTP_MAX_PARAMS || m.ntoks > HTTP_MAX_PARAMS)
			abort();
		for (i = 0; i < m.nids; i++)
			if (m.ids[i] <= 0)
				abort();
		for (i = 0; i < m.ntoks; i++)
			if (!tok_ok(m.toks[i]))
				abort();
	} else if (known && (allow[0] == '\0' || strlen(allow) >= 128))
		abort();
	(void)http_method_parse(path);
	free(path);
	return 0;
}
