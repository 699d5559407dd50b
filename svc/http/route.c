/*
 * Route matching: the route table is data (api/routes.c) and this file
 * only matches a method and a path against it. Paths are matched segment
 * by segment; placeholders accept a whitelist of characters, so nothing
 * odd reaches a handler through a path.
 */
#include <string.h>

#include "http.h"

static const char *const method_names[HTTP__MAX] = {
    /* HTTP_GET */ "GET",
    /* HTTP_HEAD */ "HEAD",
    /* HTTP_POST */ "POST",
    /* HTTP_PUT */ "PUT",
    /* HTTP_PATCH */ "PATCH",
    /* HTTP_DELETE */ "DELETE",
    /* HTTP_OPTIONS */ "OPTIONS",
    /* HTTP_OTHER */ "OTHER",
};

enum http_method
http_method_parse(const char *s)
{
	int i;

	for (i = 0; i < HTTP_OTHER; i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

const char *
http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP__MAX ? method_names[m] : "OTHER";
}

/* Matches one path segment [seg, seg+len) against one pattern segment
 * [pat, pat+plen), capturing into m. */
static int
match_segment(const char *pat, size_t plen, const char *seg, size_t len,
    struct route_match *m)
{
	const char *suffix;
	size_t slen, vlen, i;
	int is_id;

	if (plen < 4 || pat[0] != '{')
		return plen == len && memcmp(pat, seg, len) == 0;
	if (memcmp(pat, "{id}", 4) == 0)
		is_id = 1;
	else if (plen >= 5 && memcmp(pat, "{tok}", 5) == 0)
		is_id = 0;
	else
		return 0;
	suffix = pat + (is_id ? 4 : 5);
	slen = plen - (size_t)(suffix - pat);
	if (len <= slen || memcmp(seg + len - slen, suffix, slen) != 0)
		return 0;
	vlen = len - slen;
	if (is_id) {
		int64_t v = 0;

		if (vlen > 15 || seg[0] == '0' || m->nids == HTTP_MAX_PARAMS)
			return 0;
		for (i = 0; i < vlen; i++) {
			if (seg[i] < '0' || seg[i] > '9')
				return 0;
			v = v * 10 + (seg[i] - '0');
		}
		m->ids[m->nids++] = v;
		return 1;
	}
	if (vlen > 128 || m->ntoks == HTTP_MAX_PARAMS)
		return 0;
	for (i = 0; i < vlen; i++) {
		char c = seg[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	memcpy(m->toks[m->ntoks], seg, vlen);
	m->toks[m->ntoks++][vlen] = '\0';
	return 1;
}

/* Matches path against pat, capturing into m (whose counts it resets;
 * what a failed try captured is past them). A literal segment is
 * compared character by character, so most routes of the table are
 * left at their first differing character (issue 15: route_find ran
 * two strchr and a memset of m for each of some 300 routes, 10 % of a
 * survey answer's instructions). */
static int
match_path(const char *pat, const char *path, struct route_match *m)
{
	m->nids = m->ntoks = 0;
	for (;;) {
		const char *pe, *se;

		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		if (*pat != '{') {
			while (*pat != '/' && *pat != '\0' && *pat == *path) {
				pat++;
				path++;
			}
			if ((*pat != '/' && *pat != '\0') ||
			    (*path != '/' && *path != '\0'))
				return 0;
		} else {
			pe = strchrnul(pat, '/');
			se = strchrnul(path, '/');
			if (!match_segment(pat, (size_t)(pe - pat), path,
			        (size_t)(se - path), m))
				return 0;
			pat = pe;
			path = se;
		}
		if (*pat == '\0' && *path == '\0')
			return 1;
	}
}

const struct route *
route_find(const struct route *routes, size_t n, enum http_method method,
    const char *path, struct route_match *m, int *path_known, char *allow)
{
	struct route_match tmp;
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
	size_t i;

	memset(&tmp, 0, sizeof(tmp));
	*path_known = 0;
	if (allow != NULL)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!match_path(routes[i].pattern, path, &tmp))
			continue;
		if (routes[i].method == want) {
			*m = tmp;
			return &routes[i];
		}
		*path_known = 1;
		if (allow != NULL && strlen(allow) + 16 < 128) {
			if (allow[0] != '\0')
				strcat(allow, ", ");
			strcat(allow, method_names[routes[i].method]);
			if (routes[i].method == HTTP_GET)
				strcat(allow, ", HEAD");
		}
	}
	return NULL;
}
