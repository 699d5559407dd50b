/*
 * Unit tests of svc/core/secret.c: passwords and tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

/* --- secrets -------------------------------------------------------------- */

static int
is_lower_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void
test_secret_password(void **state)
{
	char h1[SECRET_PWHASH_MAX], h2[SECRET_PWHASH_MAX];

	(void)state;
	assert_true(secret_password_hash("correct horse 电池 staple", h1));
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	assert_true(secret_password_verify(h1, "correct horse 电池 staple"));
	assert_false(secret_password_verify(h1, "correct horse 电池 stapl"));
	assert_false(secret_password_verify(h1, "Correct horse 电池 staple"));
	assert_false(secret_password_verify(h1, ""));
	assert_false(secret_password_verify(NULL, "x"));
	assert_false(secret_password_verify(h1, NULL));
	assert_false(secret_password_verify("not a hash", "x"));
	/* salted: the same password hashes differently */
	assert_true(secret_password_hash("correct horse 电池 staple", h2));
	assert_string_not_equal(h1, h2);
	assert_true(secret_password_verify(h2, "correct horse 电池 staple"));
}

static void
test_secret_tokens(void **state)
{
	char toks[64][SECRET_TOKEN_HEX];
	char big[SECRET_SESSION_HEX];
	char h1[SECRET_HASH_HEX], h2[SECRET_HASH_HEX];
	size_t i, j;

	(void)state;
	for (i = 0; i < 64; i++) {
		secret_token(toks[i], SECRET_TOKEN_BYTES);
		assert_true(is_lower_hex(toks[i], SECRET_TOKEN_BYTES * 2));
		for (j = 0; j < i; j++)
			assert_string_not_equal(toks[i], toks[j]);
	}
	secret_token(big, SECRET_SESSION_BYTES);
	assert_true(is_lower_hex(big, SECRET_SESSION_BYTES * 2));

	secret_token_hash("abc", h1);
	assert_string_equal(h1,
	    "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	secret_token_hash(toks[0], h1);
	secret_token_hash(toks[0], h2);
	assert_string_equal(h1, h2);
	assert_true(is_lower_hex(h1, SECRET_HASH_HEX - 1));
	secret_token_hash(toks[1], h2);
	assert_string_not_equal(h1, h2);

	assert_true(secret_equal(toks[0], toks[0]));
	memcpy(big, toks[0], SECRET_TOKEN_HEX);
	assert_true(secret_equal(toks[0], big));
	big[31] = big[31] == 'a' ? 'b' : 'a';
	assert_false(secret_equal(toks[0], big));
	big[31] = '\0';
	assert_false(secret_equal(toks[0], big));
	assert_true(secret_equal("", ""));
	assert_false(secret_equal("", "a"));
}

static void
test_secret_password_generate(void **state)
{
	static const char alphabet
	    [] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	char a[64], b[64];
	size_t sz, i;

	(void)state;
	secret_password_generate(a, 18);
	secret_password_generate(b, 18);
	assert_int_equal(strlen(a), 17);
	assert_string_not_equal(a, b);
	a[0] = 'Q';
	secret_password_generate(a, 1);
	assert_string_equal(a, "");
	a[0] = 'Q';
	secret_password_generate(a, 0);
	assert_int_equal(a[0], 'Q');
	for (sz = 2; sz < sizeof(a); sz++) {
		memset(a, '#', sizeof(a));
		secret_password_generate(a, sz);
		assert_int_equal(strlen(a), sz - 1);
		assert_int_equal(a[sz], '#');
		for (i = 0; i + 1 < sz; i++)
			if (a[i] != '-' && strchr(alphabet, a[i]) == NULL)
				fail_msg("size %zu: bad character in %s", sz,
				    a);
		/* readable groups: no dash at either end, never two */
		if (a[0] == '-' || a[sz - 2] == '-' || strstr(a, "--"))
			fail_msg("size %zu: badly grouped \"%s\"", sz, a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_secret_password),
	    cmocka_unit_test(test_secret_tokens),
	    cmocka_unit_test(test_secret_password_generate),
	};

	if (!secret_init()) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
