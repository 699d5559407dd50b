/*
 * A growing NUL-terminated string, the one string builder of the service.
 * A failed allocation is remembered, not reported at each call: callers
 * append freely and check once, when they take the result. Never aborts.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return;
	if (b->cap == 0 || n >= b->cap - b->len) {
		cap = b->cap ? b->cap : 256;
		while (cap - b->len <= n) {
			if (cap > SIZE_MAX / 2) {
				b->failed = 1;
				return;
			}
			cap *= 2;
		}
		if ((p = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
strbuf_reserve(struct strbuf *b, size_t n)
{
	char *p;

	if (b->failed || (b->cap > 0 && n < b->cap - b->len))
		return;
	if (n > SIZE_MAX - b->len - 1) {
		b->failed = 1;
		return;
	}
	if ((p = realloc(b->p, b->len + n + 1)) == NULL) {
		b->failed = 1;
		return;
	}
	if (b->cap == 0)
		p[0] = '\0';
	b->p = p;
	b->cap = b->len + n + 1;
}

void
strbuf_str(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		strbuf_add(b, small, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	strbuf_add(b, big, (size_t)n);
	free(big);
}

char *
strbuf_take(struct strbuf *b, size_t *len)
{
	char *p = b->p;
	size_t n = b->len;
	int failed = b->failed;

	memset(b, 0, sizeof(*b));
	if (failed) {
		free(p);
		return NULL;
	}
	if (p == NULL && (p = calloc(1, 1)) == NULL)
		return NULL;
	if (len != NULL)
		*len = n;
	return p;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
