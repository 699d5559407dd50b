/*
 * The logger: a level filter and one fprintf per line, so lines from
 * worker threads never interleave (stdio locks the stream per call).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static enum log_level threshold = LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 1;
		}
	return 0;
}

void
log_set_level(enum log_level l)
{
	threshold = l;
}

int
log_enabled(enum log_level l)
{
	return l <= threshold;
}

static void
vlog(enum log_level l, int err, const char *fmt, va_list ap)
{
	char line[2048];
	int n;

	if (!log_enabled(l))
		return;
	n = snprintf(line, sizeof(line), "level=%s ", names[l]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (err)
		fprintf(stderr, "%s errno=%d err=\"%s\"\n", line, err,
		    strerror(err));
	else
		fprintf(stderr, "%s\n", line);
}

void
log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(l, 0, fmt, ap);
	va_end(ap);
}

void
log_errno(enum log_level l, const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vlog(l, err, fmt, ap);
	va_end(ap);
}
