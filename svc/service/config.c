/*
 * The service's settings: one copy, written by main before any thread
 * starts and only read afterwards. A leaf: it calls nothing of Hearth, so
 * every file may read the settings without a circle between files.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"

static struct svc_config config;

void
svc_configure(const struct svc_config *c)
{
	config = *c;
}

const struct svc_config *
svc_config(void)
{
	return &config;
}

void
svc_uid_host(char *out, size_t sz)
{
	const char *b = config.base_url ? config.base_url : "";
	const char *p = strstr(b, "://");
	size_t n;

	p = p ? p + 3 : b;
	n = strcspn(p, ":/");
	snprintf(out, sz, "%.*s", (int)(n ? n : 9), n ? p : "localhost");
}
