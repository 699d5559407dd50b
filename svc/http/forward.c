/*
 * The client address behind a reverse proxy. X-Forwarded-For is believed
 * only from the proxies the configuration names: anyone else could write
 * any address into it and so escape the per-client rate limits.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

/* Whether ip (canonical) is one of the comma-separated list. */
static int
listed(const char *ip, const char *list)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = list, *b, *e;

	while (valid_list_next(&p, &b, &e))
		if (valid_ip_canonical(b, (size_t)(e - b), one, sizeof(one)) &&
		    strcmp(one, ip) == 0)
			return 1;
	return 0;
}

int
http_proxies_valid(const char *list)
{
	return valid_ip_list(list);
}

void
http_forwarded_client(const char *peer, const char *xff, const char *trusted,
    char *out, size_t sz)
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
		if (!valid_ip_canonical(b, (size_t)(e - b), ip, sizeof(ip)))
			return; /* garbage: keep the last address we trust */
		snprintf(out, sz, "%s", ip);
		if (!listed(ip, trusted))
			return;
	}
}
