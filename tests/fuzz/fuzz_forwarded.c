/*
 * libFuzzer target for the X-Forwarded-For walk (svc/http/forward.c): the
 * input is "peer\0header\0trusted"; the answer must be the peer or an
 * address that parses, and never overflow.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *peer, *xff, *trusted, out[64];
	unsigned char bin[16];
	size_t n;

	if ((buf = malloc(size + 3)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	peer = buf;
	n = strlen(peer);
	xff = peer + n + 1 <= buf + size ? peer + n + 1 : buf + size + 1;
	n = strlen(xff);
	trusted = xff + n + 1 <= buf + size + 1 ? xff + n + 1 : buf + size + 2;
	(void)http_proxies_valid(trusted);
	http_forwarded_client(peer, xff, trusted, out, sizeof(out));
	if (strlen(out) >= sizeof(out))
		abort();
	if (strncmp(out, peer, sizeof(out) - 1) != 0 &&
	    inet_pton(AF_INET, out, bin) != 1 &&
	    inet_pton(AF_INET6, out, bin) != 1)
		abort();
	free(buf);
	return 0;
}
