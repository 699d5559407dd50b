/*
 * Unit tests of the route matcher (svc/http/route.c) over a small table
 * shaped like the API's: literals, {id}, {tok}, {tok}.ics, 405s; and of
 * the HTTP layer's pure parsers (svc/http/parse.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/http.h"

static int
h(struct http_req *r)
{
	(void)r;
	return 200;
}

enum {
	R_LIST,
	R_CREATE,
	R_GET,
	R_PATCH,
	R_NESTED,
	R_FEED,
	R_TOKEN,
	R_LOGOUT,
	R_LOGIN,
	R_ROOT,
	R__N
};

static const struct route routes[R__N] = {
    [R_LIST] = {HTTP_GET, "/api/v1/stations", h, ROUTE_COUNSELLOR, 0, NULL},
    [R_CREATE] = {HTTP_POST, "/api/v1/stations", h,
        ROUTE_COORDINATOR | ROUTE_JSON | ROUTE_WRITE, 0, NULL},
    [R_GET] = {HTTP_GET, "/api/v1/stations/{id}", h, ROUTE_COUNSELLOR, 0, NULL},
    [R_PATCH] = {HTTP_PATCH, "/api/v1/stations/{id}", h,
        ROUTE_COORDINATOR | ROUTE_JSON | ROUTE_WRITE, 0, NULL},
    [R_NESTED] = {HTTP_GET, "/api/v1/stations/{id}/counsellors/{id}", h,
        ROUTE_COUNSELLOR, 0, NULL},
    [R_FEED] = {HTTP_GET, "/feeds/{tok}.ics", h, ROUTE_PUBLIC, 0, NULL},
    [R_TOKEN] = {HTTP_GET, "/api/v1/tokens/{tok}", h, ROUTE_PUBLIC, 0, NULL},
    [R_LOGOUT] = {HTTP_DELETE, "/api/v1/session", h, ROUTE_COUNSELLOR, 0, NULL},
    [R_LOGIN] = {HTTP_POST, "/api/v1/session", h, ROUTE_PUBLIC | ROUTE_JSON, 0,
        NULL},
    [R_ROOT] = {HTTP_GET, "/", h, ROUTE_PUBLIC, 0, NULL},
};

/* Finds and expects route want (or NULL when want < 0). */
static const struct route *
find(enum http_method meth, const char *path, int want, struct route_match *m,
    int *known, char *allow)
{
	const struct route *r;

	memset(m, 0x5A, sizeof(*m));
	*known = -1;
	r = route_find(routes, R__N, meth, path, m, known, allow);
	if (want < 0 && r != NULL)
		fail_msg("%s %s matched route %d", http_method_name(meth), path,
		    (int)(r - routes));
	if (want >= 0 && r != &routes[want])
		fail_msg("%s %s: route %d, want %d", http_method_name(meth),
		    path, r ? (int)(r - routes) : -1, want);
	return r;
}

static void
expect_none(enum http_method meth, const char *path, int want_known,
    const char *want_allow)
{
	struct route_match m;
	char allow[128];
	int known;

	memset(allow, 'x', sizeof(allow));
	find(meth, path, -1, &m, &known, allow);
	if (known != want_known)
		fail_msg("%s %s: path_known %d, want %d",
		    http_method_name(meth), path, known, want_known);
	assert_string_equal(allow, want_allow);
}

/* A token of 128 characters (fill) between head and tail matches route
 * want and is its token; one of 129 matches nothing. */
static void
expect_token_limit(const char *head, const char *tail, char fill, int want)
{
	struct route_match m;
	char path[512], tok[200];
	int known;

	memset(tok, fill, 128);
	tok[128] = '\0';
	snprintf(path, sizeof(path), "%s%s%s", head, tok, tail);
	find(HTTP_GET, path, want, &m, &known, NULL);
	assert_string_equal(m.toks[0], tok);
	tok[128] = fill;
	tok[129] = '\0';
	snprintf(path, sizeof(path), "%s%s%s", head, tok, tail);
	expect_none(HTTP_GET, path, 0, "");
}

static void
test_literals(void **state)
{
	struct route_match m;
	int known;

	(void)state;
	find(HTTP_GET, "/api/v1/stations", R_LIST, &m, &known, NULL);
	assert_int_equal(m.nids, 0);
	assert_int_equal(m.ntoks, 0);
	find(HTTP_POST, "/api/v1/stations", R_CREATE, &m, &known, NULL);
	find(HTTP_DELETE, "/api/v1/session", R_LOGOUT, &m, &known, NULL);
	find(HTTP_POST, "/api/v1/session", R_LOGIN, &m, &known, NULL);
	find(HTTP_GET, "/", R_ROOT, &m, &known, NULL);
	/* case matters, prefixes do not match */
	expect_none(HTTP_GET, "/API/v1/stations", 0, "");
	expect_none(HTTP_GET, "/api/v1/station", 0, "");
	expect_none(HTTP_GET, "/api/v1/stationsX", 0, "");
	expect_none(HTTP_GET, "/api/v1", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/42/extra", 0, "");
	expect_none(HTTP_GET, "", 0, "");
	expect_none(HTTP_GET, "api/v1/stations", 0, "");
	expect_none(HTTP_GET, "/nope", 0, "");
}

static void
test_trailing_slash(void **state)
{
	(void)state;
	expect_none(HTTP_GET, "/api/v1/stations/", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations//", 0, "");
	expect_none(HTTP_GET, "//api/v1/stations", 0, "");
	expect_none(HTTP_GET, "/api/v1//stations", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/42/", 0, "");
	expect_none(HTTP_GET, "//", 0, "");
}

static void
test_id(void **state)
{
	struct route_match m;
	int known;

	(void)state;
	find(HTTP_GET, "/api/v1/stations/42", R_GET, &m, &known, NULL);
	assert_int_equal(m.nids, 1);
	assert_int_equal(m.ids[0], 42);
	assert_int_equal(m.ntoks, 0);
	find(HTTP_GET, "/api/v1/stations/1", R_GET, &m, &known, NULL);
	assert_int_equal(m.ids[0], 1);
	find(HTTP_GET, "/api/v1/stations/999999999999999", R_GET, &m, &known,
	    NULL);
	assert_int_equal(m.ids[0], 999999999999999LL);
	find(HTTP_PATCH, "/api/v1/stations/7", R_PATCH, &m, &known, NULL);
	assert_int_equal(m.ids[0], 7);
	find(HTTP_GET, "/api/v1/stations/3/counsellors/9", R_NESTED, &m, &known,
	    NULL);
	assert_int_equal(m.nids, 2);
	assert_int_equal(m.ids[0], 3);
	assert_int_equal(m.ids[1], 9);
	expect_none(HTTP_GET, "/api/v1/stations/0", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/007", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/4a", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/abc", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/-1", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/+1", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/1.0", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/1%20", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/1000000000000000", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/99999999999999999999", 0, "");
	expect_none(HTTP_GET, "/api/v1/stations/3/counsellors/0", 0, "");
}

static void
test_tok(void **state)
{
	struct route_match m;
	int known;

	(void)state;
	find(HTTP_GET, "/api/v1/tokens/aZ09_-", R_TOKEN, &m, &known, NULL);
	assert_int_equal(m.ntoks, 1);
	assert_string_equal(m.toks[0], "aZ09_-");
	assert_int_equal(m.nids, 0);
	expect_token_limit("/api/v1/tokens/", "", 'k', R_TOKEN);
	expect_none(HTTP_GET, "/api/v1/tokens/a.b", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/a%2e", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/a+b", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/a b", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/令牌", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/", 0, "");
	expect_none(HTTP_GET, "/api/v1/tokens/..", 0, "");
}

static void
test_suffix(void **state)
{
	struct route_match m;
	int known;

	(void)state;
	find(HTTP_GET, "/feeds/abc123.ics", R_FEED, &m, &known, NULL);
	assert_int_equal(m.ntoks, 1);
	assert_string_equal(m.toks[0], "abc123");
	find(HTTP_HEAD, "/feeds/abc123.ics", R_FEED, &m, &known, NULL);
	assert_string_equal(m.toks[0], "abc123");
	expect_token_limit("/feeds/", ".ics", 'f', R_FEED);
	expect_none(HTTP_GET, "/feeds/abc123", 0, "");
	expect_none(HTTP_GET, "/feeds/.ics", 0, "");
	expect_none(HTTP_GET, "/feeds/abc.ICS", 0, "");
	expect_none(HTTP_GET, "/feeds/abc.ics.ics", 0, "");
	expect_none(HTTP_GET, "/feeds/abc.icsx", 0, "");
	expect_none(HTTP_GET, "/feeds/ics", 0, "");
	expect_none(HTTP_GET, "/feeds/abc.ics/", 0, "");
}

static void
test_head_and_405(void **state)
{
	struct route_match m;
	int known;

	(void)state;
	/* HEAD is served by the GET route */
	find(HTTP_HEAD, "/api/v1/stations", R_LIST, &m, &known, NULL);
	find(HTTP_HEAD, "/api/v1/stations/5", R_GET, &m, &known, NULL);
	assert_int_equal(m.ids[0], 5);
	/* the path exists with other methods: 405 and Allow */
	expect_none(HTTP_PUT, "/api/v1/stations", 1, "GET, HEAD, POST");
	expect_none(HTTP_DELETE, "/api/v1/stations", 1, "GET, HEAD, POST");
	expect_none(HTTP_OPTIONS, "/api/v1/stations", 1, "GET, HEAD, POST");
	expect_none(HTTP_OTHER, "/api/v1/stations", 1, "GET, HEAD, POST");
	expect_none(HTTP_POST, "/api/v1/stations/42", 1, "GET, HEAD, PATCH");
	expect_none(HTTP_GET, "/api/v1/session", 1, "DELETE, POST");
	expect_none(HTTP_HEAD, "/api/v1/session", 1, "DELETE, POST");
	expect_none(HTTP_POST, "/feeds/x.ics", 1, "GET, HEAD");
	/* a path that only looks like a known one is a 404 */
	expect_none(HTTP_POST, "/api/v1/stations/0", 0, "");
	/* allow may be NULL */
	{
		const struct route *r;

		known = 0;
		r = route_find(routes, R__N, HTTP_PUT, "/api/v1/stations", &m,
		    &known, NULL);
		assert_null(r);
		assert_int_equal(known, 1);
		known = 1;
		r = route_find(routes, R__N, HTTP_PUT, "/x", &m, &known, NULL);
		assert_null(r);
		assert_int_equal(known, 0);
	}
	/* an empty table */
	{
		char allow[128] = "junk";

		known = 1;
		assert_null(route_find(routes, 0, HTTP_GET, "/", &m, &known,
		    allow));
		assert_int_equal(known, 0);
		assert_string_equal(allow, "");
	}
}

/* Many routes on one path never overflow the 128-byte Allow buffer. */
static void
test_allow_bounded(void **state)
{
	static struct route many[40];
	struct route_match m;
	char allow[128 + 16];
	size_t i;
	int known;

	(void)state;
	for (i = 0; i < 40; i++) {
		many[i].method = i % 2 ? HTTP_OPTIONS : HTTP_GET;
		many[i].pattern = "/same";
		many[i].handler = h;
	}
	memset(allow, 'Z', sizeof(allow));
	assert_null(route_find(many, 40, HTTP_POST, "/same", &m, &known,
	    allow));
	assert_int_equal(known, 1);
	assert_true(strlen(allow) < 128);
	assert_int_equal(allow[128], 'Z');
	assert_true(strncmp(allow, "GET, HEAD, OPTIONS", 18) == 0);
}

static void
test_methods(void **state)
{
	static const struct {
		const char *name;
		enum http_method m;
	} cases[] = {
	    {"GET", HTTP_GET},
	    {"HEAD", HTTP_HEAD},
	    {"POST", HTTP_POST},
	    {"PUT", HTTP_PUT},
	    {"PATCH", HTTP_PATCH},
	    {"DELETE", HTTP_DELETE},
	    {"OPTIONS", HTTP_OPTIONS},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(http_method_parse(cases[i].name), cases[i].m);
		assert_string_equal(http_method_name(cases[i].m),
		    cases[i].name);
	}
	assert_int_equal(http_method_parse("get"), HTTP_OTHER);
	assert_int_equal(http_method_parse("TRACE"), HTTP_OTHER);
	assert_int_equal(http_method_parse("CONNECT"), HTTP_OTHER);
	assert_int_equal(http_method_parse(""), HTTP_OTHER);
	assert_int_equal(http_method_parse("GET "), HTTP_OTHER);
	assert_int_equal(http_method_parse("OTHER"), HTTP_OTHER);
	assert_string_equal(http_method_name(HTTP_OTHER), "OTHER");
	assert_string_equal(http_method_name(HTTP__MAX), "OTHER");
	assert_string_equal(http_method_name((enum http_method)99), "OTHER");
}

/* X-Forwarded-For is believed from trusted proxies only. */
static void
test_forwarded(void **state)
{
	char out[64];

	(void)state;
	/* No proxies configured: the header is anyone's to forge. */
	http_forwarded_client("127.0.0.1", "203.0.113.9", NULL, out,
	    sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	http_forwarded_client("127.0.0.1", "203.0.113.9", "", out, sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	/* From a peer that is not a proxy. */
	http_forwarded_client("198.51.100.7", "203.0.113.9", "127.0.0.1", out,
	    sizeof(out));
	assert_string_equal(out, "198.51.100.7");
	/* nginx on loopback: the address it appended. */
	http_forwarded_client("127.0.0.1", "203.0.113.9", "127.0.0.1, ::1", out,
	    sizeof(out));
	assert_string_equal(out, "203.0.113.9");
	/* A forged left part does not count: the rightmost untrusted does. */
	http_forwarded_client("127.0.0.1", "1.2.3.4, 203.0.113.9", "127.0.0.1",
	    out, sizeof(out));
	assert_string_equal(out, "203.0.113.9");
	/* Two proxies of ours in a row. */
	http_forwarded_client("::1", "203.0.113.9 , 10.0.0.2", "::1,10.0.0.2",
	    out, sizeof(out));
	assert_string_equal(out, "203.0.113.9");
	/* IPv6 in canonical form. */
	http_forwarded_client("127.0.0.1", "2001:DB8:0:0::1", "127.0.0.1", out,
	    sizeof(out));
	assert_string_equal(out, "2001:db8::1");
	/* Garbage stops the walk at the last address believed. */
	http_forwarded_client("127.0.0.1", "evil, 203.0.113.9", "127.0.0.1",
	    out, sizeof(out));
	assert_string_equal(out, "203.0.113.9");
	http_forwarded_client("127.0.0.1", "unknown", "127.0.0.1", out,
	    sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	http_forwarded_client("127.0.0.1", "", "127.0.0.1", out, sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	/* Only proxies: the leftmost. */
	http_forwarded_client("127.0.0.1", "127.0.0.1", "127.0.0.1", out,
	    sizeof(out));
	assert_string_equal(out, "127.0.0.1");

	assert_true(http_proxies_valid(""));
	assert_true(http_proxies_valid("127.0.0.1, ::1"));
	assert_false(http_proxies_valid("127.0.0.1, localhost"));
	assert_false(http_proxies_valid("10.0.0.0/8"));
	assert_false(http_proxies_valid(","));
}

static void
test_http_parsers(void **state)
{
	char p1[] = "/app.js%00.html", p2[] = "/a%2Fb%41";
	int cookie;

	(void)state;
	http_unescape(p1);
	assert_string_equal(p1, "/app.js%00.html");
	http_unescape(p2);
	assert_string_equal(p2, "/a/bA");
	assert_true(http_static_path_allowed("/views/app.js"));
	assert_false(http_static_path_allowed("/../etc/passwd"));
	assert_false(http_static_path_allowed("/.env"));
	assert_false(http_static_path_allowed("//x"));
	assert_string_equal(http_session_token("Bearer  abc", "c", &cookie),
	    "abc");
	assert_false(cookie);
	assert_string_equal(http_session_token("Basic x", "c", &cookie), "c");
	assert_true(cookie);
	assert_null(http_session_token("Bearer ", NULL, &cookie));
	assert_true(http_same_origin("http://127.0.0.1:8080",
	    "http://127.0.0.1:8080"));
	assert_true(http_same_origin("HTTPS://Hearth.Example.org",
	    "https://hearth.example.org:443/"));
	assert_false(http_same_origin("http://hearth.example.org",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("https://hearth.example.org:8443",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("https://hearth.example.org.evil",
	    "https://hearth.example.org"));
	assert_false(http_same_origin("null", "http://127.0.0.1:8080"));
	assert_true(http_same_origin("http://[::1]:8080", "http://[::1]:8080"));
	assert_true(http_gzip_accepted("br, gzip;q=0.5"));
	assert_false(http_gzip_accepted("gzip;q=0"));
	assert_false(http_gzip_accepted("gzip;q=0.000"));
	assert_false(http_gzip_accepted("xgzip"));
	assert_true(http_not_modified("W/\"a\", \"b\"", NULL, "\"b\"", 0));
	assert_false(http_not_modified("\"a\"", "Sun, 06 Nov 1994 08:49:37 GMT",
	    "\"b\"", 1));
	assert_true(http_not_modified(NULL, "Sun, 06 Nov 1994 08:49:37 GMT",
	    "\"b\"", 784111777));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_trailing_slash),
	    cmocka_unit_test(test_id),
	    cmocka_unit_test(test_tok),
	    cmocka_unit_test(test_suffix),
	    cmocka_unit_test(test_head_and_405),
	    cmocka_unit_test(test_allow_bounded),
	    cmocka_unit_test(test_methods),
	    cmocka_unit_test(test_forwarded),
	    cmocka_unit_test(test_http_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
