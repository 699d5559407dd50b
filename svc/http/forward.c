/*
 * The client address behind a reverse proxy. X-Forwarded-For is believed
 * only from the proxies the configuration names: anyone else could write
 * any address into it and so escape the per-client rate limits.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

/* Whether s is an IPv4 or IPv6 address; its canonical text into out. */
static int
canonical_ip(const char *s, size_t len, char *out, size_t sz)
{
	unsigned char bin[sizeof(struct in6_addr)];
	char buf[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)sz) != NULL;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)sz) != NULL;
	return 0;
}

/* The next comma-separated item of *p, trimmed, into [*b, *e); 0 at the
 * end of the list. */
static int
next_item(const char **p, const char **b, const char **e)
{
	size_t n;

	if (*p == NULL || **p == '\0')
		return 0;
	n = strcspn(*p, ",");
	*b = *p;
	*e = *p + n;
	*p = (*p)[n] == ',' ? *p + n + 1 : NULL;
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
	return 1;
}

/* Whether ip (canonical) is one of the comma-separated list. */
static int
listed(const char *ip, const char *list)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = list, *b, *e;

	while (next_item(&p, &b, &e))
		if (canonical_ip(b, (size_t)(e - b), one, sizeof(one)) &&
		    strcmp(one, ip) == 0)
			return 1;
	return 0;
}

int
http_proxies_valid(const char *list)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = list, *b, *e;

	while (next_item(&p, &b, &e))
		if (!canonical_ip(b, (size_t)(e - b), one, sizeof(one)))
			return 0;
	return 1;
}

void
http_forwarded_client(const char *peer, const char *xff,
    const char *trusted, char *out, size_t sz)
{
	char ip[INET6_ADDRSTRLEN + 1];
	const char *end;

	snprintf(out, sz, "%s", peer);
	if (xff == NULL || trusted == NULL || !listed(peer, trusted))
		return;
	/* Right to left: each hop appended the address it saw; the first
	 * one not our own proxy is the client. */
	end = xff + strlen(xff);
	while (end > xff) {
		const char *b = end, *e = end;

		while (b > xff && b[-1] != ',')
			b--;
		end = b > xff ? b - 1 : xff;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (!canonical_ip(b, (size_t)(e - b), ip, sizeof(ip)))
			return; /* garbage: keep the last address we trust */
		snprintf(out, sz, "%s", ip);
		if (!listed(ip, trusted))
			return;
	}
}
