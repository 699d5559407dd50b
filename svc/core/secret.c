/*
 * Passwords and tokens, all through libsodium: argon2id hashes, tokens
 * from randombytes_buf, constant-time comparison. Never rand(), never
 * memcmp on a secret, never a token stored in the clear.
 */
#include <string.h>

#include <sodium.h>

#include "core.h"

int
secret_init(void)
{
	return sodium_init() >= 0;
}

int
secret_password_hash(const char *password, char out[SECRET_PWHASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= SECRET_PWHASH_MAX,
	    "argon2id string fits");
	return crypto_pwhash_str(out, password, strlen(password),
	           crypto_pwhash_OPSLIMIT_INTERACTIVE,
	           crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

int
secret_password_verify(const char *hash, const char *password)
{
	if (hash == NULL || password == NULL)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
secret_token(char *out, size_t nbytes)
{
	unsigned char buf[64];

	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
	sodium_memzero(buf, sizeof(buf));
}

void
secret_token_hash(const char *token, char out[SECRET_HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, SECRET_HASH_HEX, h, sizeof(h));
}

void
secret_digest(const void *p, size_t sz, char out[SECRET_HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), p, sz, NULL, 0);
	sodium_bin2hex(out, SECRET_HASH_HEX, h, sizeof(h));
}

int
secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

void
secret_password_generate(char *out, size_t sz)
{
	/* No 0/O, 1/l/I: it is read off a terminal and typed. */
	static const char alphabet
	    [] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	size_t i;

	if (sz == 0)
		return;
	/* Groups of four, "abcd-efgh-…"; never a dash at the end. */
	for (i = 0; i + 1 < sz; i++)
		out[i] = i % 5 == 4 && i + 2 < sz
		    ? '-'
		    : alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[i] = '\0';
}

void
secret_wipe(void *p, size_t sz)
{
	sodium_memzero(p, sz);
}
