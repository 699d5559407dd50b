/*
 * The HTTP layer's parsers as pure functions over strings (no MHD, no
 * I/O), so each is unit-tested and fuzzed alone (issue 17): percent
 * decoding of paths and queries, the static path whitelist, the session
 * token of Authorization or the cookie, the Origin check of CSRF, and the
 * conditional and content-coding headers (If-None-Match,
 * If-Modified-Since, Accept-Encoding).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
http_unescape(char *s)
{
	char *r = s, *w = s;
	int hi, lo;

	while (*r != '\0') {
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

int
http_static_path_allowed(const char *p)
{
	size_t n = 0;

	if (*p != '/')
		return 0;
	for (; *p != '\0'; p++, n++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		        *p == '-' || *p == '/'))
			return 0;
		if (*p == '/' && (p[1] == '/' || p[1] == '.'))
			return 0;
	}
	return n <= 200;
}

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

const char *
http_mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot != NULL)
		for (i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
			if (strcmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

const char *
http_session_token(const char *authorization, const char *cookie,
    int *from_cookie)
{
	const char *h = authorization;

	*from_cookie = 0;
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		h += 7;
		while (*h == ' ')
			h++;
		return *h ? h : NULL;
	}
	if (cookie != NULL && *cookie != '\0') {
		*from_cookie = 1;
		return cookie;
	}
	return NULL;
}

/* Splits "scheme://host[:port][/…]" into its lower-case scheme and host
 * and its port (the scheme's default when absent); 0 when malformed. */
static int
split_origin(const char *u, char *scheme, size_t ssz, char *host, size_t hsz,
    long *port)
{
	const char *p = strstr(u, "://"), *h, *end, *colon = NULL;
	size_t n, i;
	char *e;

	if (p == NULL || (size_t)(p - u) >= ssz || p == u)
		return 0;
	for (i = 0; u + i < p; i++)
		scheme[i] = (char)((u[i] >= 'A' && u[i] <= 'Z') ? u[i] + 32
		                                                : u[i]);
	scheme[i] = '\0';
	h = p + 3;
	end = h + strcspn(h, "/?#");
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (rb == NULL)
			return 0;
		if (rb + 1 < end) {
			if (rb[1] != ':')
				return 0;
			colon = rb + 1;
		}
	} else
		colon = memchr(h, ':', (size_t)(end - h));
	n = (size_t)((colon ? colon : end) - h);
	if (n == 0 || n >= hsz)
		return 0;
	for (i = 0; i < n; i++)
		host[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] + 32
		                                              : h[i]);
	host[n] = '\0';
	if (colon != NULL) {
		if (colon + 1 == end || end - colon > 6)
			return 0;
		*port = strtol(colon + 1, &e, 10);
		if (e != end || *port < 1 || *port > 65535)
			return 0;
	} else if (strcmp(scheme, "http") == 0)
		*port = 80;
	else if (strcmp(scheme, "https") == 0)
		*port = 443;
	else
		return 0;
	return 1;
}

int
http_same_origin(const char *origin, const char *base_url)
{
	char s1[16], s2[16], h1[256], h2[256];
	long p1, p2;

	if (origin == NULL || base_url == NULL)
		return 0;
	/* An Origin is scheme://host[:port] and nothing more. */
	if (strchr(strstr(origin, "://") ? strstr(origin, "://") + 3 : origin,
	        '/') != NULL)
		return 0;
	return split_origin(origin, s1, sizeof(s1), h1, sizeof(h1), &p1) &&
	    split_origin(base_url, s2, sizeof(s2), h2, sizeof(h2), &p2) &&
	    strcmp(s1, s2) == 0 && strcmp(h1, h2) == 0 && p1 == p2;
}

void
http_date_format(time_t t, char *buf)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

int
http_date_parse(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	*out = timegm(&tm);
	return 1;
}

int
http_etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (n > 0 && strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

int
http_not_modified(const char *inm, const char *ims, const char *etag,
    time_t last_modified)
{
	time_t since;

	/* RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since. */
	if (inm != NULL)
		return etag != NULL && http_etag_listed(inm, etag);
	if (ims == NULL || last_modified == 0 || !http_date_parse(ims, &since))
		return 0;
	return last_modified <= since;
}

int
http_gzip_accepted(const char *ae)
{
	const char *p;

	if (ae == NULL)
		return 0;
	for (p = ae; (p = strcasestr(p, "gzip")) != NULL; p += 4) {
		const char *q = p + 4;

		if ((p != ae && p[-1] != ' ' && p[-1] != ',') ||
		    (*q != '\0' && *q != ',' && *q != ';' && *q != ' '))
			continue;
		while (*q == ' ')
			q++;
		if (*q != ';')
			return 1;
		q++;
		while (*q == ' ')
			q++;
		/* "q=0", "q=0.", "q=0.0…" refuse; anything else accepts. */
		if (strncmp(q, "q=0", 3) == 0 &&
		    (q[3] == '\0' || q[3] == ',' || q[3] == ' ' ||
		        (q[3] == '.' &&
		            strspn(q + 4, "0") == strcspn(q + 4, ", "))))
			return 0;
		return 1;
	}
	return 0;
}
