/*
 * The password rule of every account (counsellors, coordinators, the
 * first admin): at least PASSWORD_MIN characters, not the user name, not
 * one of the common passwords of a list (Openwall's password.lst from
 * Debian's john-data, plus a short Chinese list in deploy/passwords), not
 * such a word with only digits or symbols added, not one character or a
 * short unit repeated, not a run like "abcdefghij" or "9876543210".
 * Pure: the list's text comes in from the caller (compiled into the
 * binary by the Makefile).
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct pwlist {
	char **words; /* lower-case, sorted, distinct */
	size_t n;
	char *text; /* the copy the words point into */
};

static int
cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

struct pwlist *
pwlist_new(const char *const *texts, const size_t *sizes, size_t ntexts)
{
	struct pwlist *l;
	size_t total = 0, i, cap = 0, w;
	char *p, *end, *line;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	for (i = 0; i < ntexts; i++)
		total += sizes[i] + 1;
	if ((l->text = malloc(total + 1)) == NULL)
		goto fail;
	p = l->text;
	for (i = 0; i < ntexts; i++) {
		memcpy(p, texts[i], sizes[i]);
		p += sizes[i];
		*p++ = '\n';
	}
	*p = '\0';
	end = p;
	for (p = l->text; p < end; p = line + strlen(line) + 1) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		line = p;
		if (nl != NULL)
			*nl = '\0';
		if (nl != NULL && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		/* "#!comment: …" lines of password.lst, "#" lines of ours. */
		if (line[0] == '\0' || line[0] == '#')
			continue;
		lower_ascii(line);
		if (l->n == cap) {
			char **nw;

			cap = cap ? cap * 2 : 1024;
			if ((nw = realloc(l->words, cap * sizeof(*nw))) == NULL)
				goto fail;
			l->words = nw;
		}
		l->words[l->n++] = line;
	}
	if (l->n > 1)
		qsort(l->words, l->n, sizeof(*l->words), cmp_words);
	for (i = w = 0; i < l->n; i++)
		if (w == 0 || strcmp(l->words[w - 1], l->words[i]) != 0)
			l->words[w++] = l->words[i];
	l->n = w;
	return l;
fail:
	pwlist_free(l);
	return NULL;
}

void
pwlist_free(struct pwlist *l)
{
	if (l == NULL)
		return;
	free(l->words);
	free(l->text);
	free(l);
}

size_t
pwlist_size(const struct pwlist *l)
{
	return l ? l->n : 0;
}

int
pwlist_has(const struct pwlist *l, const char *word)
{
	size_t lo = 0, hi;
	int c;

	if (l == NULL)
		return 0;
	hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((c = strcmp(l->words[mid], word)) == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Whether s is a unit of 1-4 bytes repeated ("aaaaaaaaaa", "1212121212",
 * "abcabcabca"). */
static int
repeated(const char *s, size_t n)
{
	size_t unit, i;

	for (unit = 1; unit <= 4 && unit < n; unit++) {
		for (i = unit; i < n && s[i] == s[i - unit]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* Whether s is an ASCII run going up or down by one ("abcdefghij",
 * "0123456789", "9876543210"). */
static int
run_of_one(const char *s, size_t n)
{
	int step;
	size_t i;

	if (n < 2)
		return 0;
	step = (unsigned char)s[1] - (unsigned char)s[0];
	if (step != 1 && step != -1)
		return 0;
	for (i = 1; i < n; i++)
		if ((unsigned char)s[i] - (unsigned char)s[i - 1] != step)
			return 0;
	return 1;
}

static int
is_digit_or_symbol(char c)
{
	return (c >= '0' && c <= '9') || (c >= 0x21 && c <= 0x2f) ||
	    (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
	    (c >= 0x7b && c <= 0x7e);
}

enum pw_problem
password_check(const char *pw, const char *username,
    const struct pwlist *common)
{
	char low[PASSWORD_MAX_BYTES + 1], user[PASSWORD_MAX_BYTES + 1];
	size_t n, k;
	long chars;

	if (pw == NULL)
		return PW_TOO_SHORT;
	n = strlen(pw);
	if (n > PASSWORD_MAX_BYTES)
		return PW_TOO_LONG;
	if ((chars = valid_utf8_len(pw, n)) < 0)
		return PW_NOT_UTF8;
	if (chars < PASSWORD_MIN)
		return PW_TOO_SHORT;
	memcpy(low, pw, n + 1);
	lower_ascii(low);
	if (username != NULL && strlen(username) <= PASSWORD_MAX_BYTES) {
		memcpy(user, username, strlen(username) + 1);
		lower_ascii(user);
		/* The name itself, or the name with digits or symbols added. */
		k = strlen(user);
		if (k > 0 && strncmp(low, user, k) == 0) {
			size_t i;

			for (i = k;
			     low[i] != '\0' && is_digit_or_symbol(low[i]); i++)
				;
			if (low[i] == '\0')
				return PW_SAME_AS_USER;
		}
	}
	if (repeated(low, n))
		return PW_REPEATED;
	if (run_of_one(low, n))
		return PW_SEQUENCE;
	if (pwlist_has(common, low))
		return PW_COMMON;
	/* A common word with digits or symbols added ("password2024!",
	 * "qwerty123456"): cut them off and look again, from 4 letters. */
	for (k = n; k > 0 && is_digit_or_symbol(low[k - 1]); k--)
		;
	if (k >= 4 && k < n) {
		low[k] = '\0';
		if (pwlist_has(common, low))
			return PW_COMMON;
	}
	return PW_OK;
}

const char *
password_problem_zh(enum pw_problem p)
{
	static const char *const msgs[PW__MAX] = {
	    /* PW_OK */ "",
	    /* PW_TOO_SHORT */ "密码至少需要 10 个字符",
	    /* PW_TOO_LONG */ "密码太长（最多 256 字节）",
	    /* PW_NOT_UTF8 */ "密码含有无效字符",
	    /* PW_SAME_AS_USER */ "密码不能与用户名相同",
	    /* PW_REPEATED */ "密码不能是同一字符或同一小段的重复",
	    /* PW_SEQUENCE */ "密码不能是连续的字母或数字",
	    /* PW_COMMON */ "这是常见密码，容易被猜中，请换一个",
	};

	return (unsigned)p < PW__MAX ? msgs[p] : "密码不符合要求";
}
