/*
 * Strings made while building something (a calendar's VEVENTs point into
 * them), kept together and freed together. A failed allocation sets
 * failed and returns NULL; the caller checks once at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

const char *
strpool_keep(struct strpool *s, char *p)
{
	char **nv;
	size_t cap;

	if (p == NULL) {
		s->failed = 1;
		return NULL;
	}
	if (s->n == s->cap) {
		/* The size changes only with the array: after a failed growth
		 * the next string grows it again, never past its end. */
		cap = s->cap ? s->cap * 2 : 64;
		if ((nv = realloc(s->v, cap * sizeof(*nv))) == NULL) {
			free(p);
			s->failed = 1;
			return NULL;
		}
		s->v = nv;
		s->cap = cap;
	}
	return s->v[s->n++] = p;
}

const char *
strpool_keepf(struct strpool *s, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		p = NULL;
	va_end(ap);
	return strpool_keep(s, p);
}

void
strpool_free(struct strpool *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
