/*
 * Accounts apart from HTTP: the password rule every password passes (with
 * the common-password lists compiled into the binary) and the first
 * coordinator of an empty database.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "../embed.h"

static struct pwlist *common;

static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void
load_common(void)
{
	const char *texts[8];
	size_t sizes[8], i, n = 0;

	for (i = 0; i < embed_passwords_n && n < 8; i++, n++) {
		texts[n] = (const char *)embed_passwords[i].data;
		sizes[n] = embed_passwords[i].size;
	}
	common = pwlist_new(texts, sizes, n);
}

size_t
svc_password_list_size(void)
{
	pthread_once(&common_once, load_common);
	return pwlist_size(common);
}

const char *
svc_password_problem(const char *password, const char *username)
{
	enum pw_problem p;

	pthread_once(&common_once, load_common);
	p = password_check(password, username, common);
	return p == PW_OK ? NULL : password_problem_zh(p);
}

int
svc_bootstrap_admin(const char *password, char *out, size_t sz)
{
	struct store *st = store_thread();
	struct user u = {0};
	char generated[32], hash[SECRET_PWHASH_MAX];
	const char *why;
	int64_t n;
	int made = 0, rc = -1;

	if (st == NULL || store_begin(st) <= 0)
		return -1;
	if (store_user_count(st, &n) < 0)
		goto out;
	if (n > 0) {
		rc = 0;
		goto out;
	}
	if (password == NULL || *password == '\0') {
		secret_password_generate(generated, 18);
		password = generated;
		made = 1;
	} else if ((why = svc_password_problem(password, "admin")) != NULL) {
		snprintf(out, sz, "%s", why);
		rc = -2;
		goto out;
	}
	if (!secret_password_hash(password, hash))
		goto out;
	u.username = "admin";
	u.password_hash = hash;
	u.role = ROLE_COORDINATOR;
	u.active = 1;
	if (store_user_insert(st, &u) <= 0 ||
	    store_audit(st, 0, "create", "user", u.id, NULL) < 0)
		goto out;
	if (store_commit(st) <= 0)
		goto out;
	if (made)
		snprintf(out, sz, "%s", generated);
	secret_wipe(generated, sizeof(generated));
	return made;
out:
	store_rollback(st);
	secret_wipe(generated, sizeof(generated));
	return rc;
}
