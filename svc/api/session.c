/*
 * Sign-in and sign-out. Passwords are checked with argon2id; failed
 * attempts are counted per client address and past the limit every
 * attempt answers 429 until the window ends, whether or not the password
 * is right, so guessing gains nothing by waiting for a lucky hit.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* A hash to verify against when the user does not exist, so an unknown
 * name costs the same argon2id time as a wrong password. */
static char dummy_hash[SECRET_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	if (!secret_password_hash("hearth-no-such-user", dummy_hash))
		dummy_hash[0] = '\0';
}

static const char *
role_name(int role)
{
	return role == HTTP_ROLE_COORDINATOR ? "coordinator" : "counsellor";
}

static const struct vfield login_fields[] = {
    {.name = "username", .type = VT_STRING, .required = 1, .min = 1, .max = 64},
    {.name = "password", .type = VT_TEXT, .required = 1, .min = 1, .max = 256},
};

/* The key of an account in the per-account limit: the name as the
 * database compares it (COLLATE NOCASE folds ASCII only). */
static void
account_key(const char *username, char *out, size_t sz)
{
	size_t i;

	for (i = 0; i + 1 < sz && username[i] != '\0'; i++)
		out[i] = username[i] >= 'A' && username[i] <= 'Z'
		    ? (char)(username[i] - 'A' + 'a')
		    : username[i];
	out[i] = '\0';
}

/* One audit row of a sign-in event in its own transaction (the sign-in
 * route is not a write route: a refused sign-in is recorded too). */
static int
audit_signin(struct store *st, int64_t user_id, const char *action,
    const char *username, const char *client, const char *why)
{
	json_t *d = json_pack("{s:s, s:s, s:s}", "username", username, "client",
	    client, "reason", why);
	char *text = d ? json_dumps(d, JSON_COMPACT) : NULL;
	int rc = -1;

	json_decref(d);
	if (text != NULL && store_begin(st) > 0) {
		if (store_audit(st, user_id, action, "session", user_id,
		        text) >= 0 &&
		    store_commit(st) > 0)
			rc = 1;
		else
			store_rollback(st);
	}
	free(text);
	return rc;
}

/*
 * Sign-in. Refused with 429 (and Retry-After) while the client address
 * has used up its public-write rate or its failures (login_max_failures
 * x 10 a window by default: a cap that stops spraying many names), or
 * the account its failures (login_max_failures): one person's typos
 * never lock another account, and a success never clears the address's
 * count, so signing in as oneself buys no more guesses at another's
 * password. Every attempt, refused or not, is in the audit log.
 */
int
api_session_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	const char *client = http_req_client(r);
	struct herror err;
	struct store *st;
	struct user u;
	char *username = NULL, token[SECRET_SESSION_HEX], hash[SECRET_HASH_HEX];
	char cookie[256], key[80];
	const char *password, *why;
	time_t now = time(NULL), expires;
	int rc, status, ok, wait, wait_acct;

	if ((wait = api_rate_take(RATE_PUBLIC_WRITE, client)) > 0)
		return api_reply_rate_limited(r, wait,
		    "请求过于频繁，请稍后再试");
	if (!valid_object(body, login_fields, 2, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	username = valid_str(body, "username", NULL);
	/* The password is taken exactly as typed: no trimming. */
	password = json_string_value(json_object_get(body, "password"));
	if (username == NULL)
		return api_reply_internal(r, "out of memory");
	account_key(username, key, sizeof(key));
	wait = api_limit_wait(LIMIT_LOGIN, client);
	wait_acct = api_limit_wait(LIMIT_LOGIN_ACCOUNT, key);
	rc = store_user_get_by_name(st, username, &u);
	if (rc < 0) {
		free(username);
		return api_reply_store_error(r);
	}
	if (wait > 0 || wait_acct > 0) {
		/* Whether or not the password is right: a locked door does
		 * not say whether the guess was good. */
		audit_signin(st, rc > 0 ? u.id : 0, "login_locked", username,
		    client, wait > 0 ? "address" : "account");
		if (rc > 0)
			user_free(&u);
		free(username);
		return api_reply_rate_limited(r,
		    wait > wait_acct ? wait : wait_acct,
		    "登录失败次数过多，请稍后再试");
	}
	if (rc == 0) {
		pthread_once(&dummy_once, make_dummy);
		secret_password_verify(dummy_hash, password);
	}
	ok = rc > 0 && secret_password_verify(u.password_hash, password);
	why = rc == 0   ? "unknown_user"
	    : !ok       ? "password"
	    : !u.active ? "disabled"
	                : NULL;
	if (why != NULL) {
		api_limit_count(LIMIT_LOGIN, client);
		api_limit_count(LIMIT_LOGIN_ACCOUNT, key);
		status = audit_signin(st, rc > 0 ? u.id : 0, "login_failed",
		             username, client, why) < 0
		    ? api_reply_store_error(r)
		    : http_reply_errorf(r, HERR_UNAUTHORIZED, NULL,
		          "用户名或密码错误，或账号已停用");
		if (rc > 0)
			user_free(&u);
		free(username);
		return status;
	}
	free(username);
	api_limit_reset(LIMIT_LOGIN_ACCOUNT, key);
	secret_token(token, SECRET_SESSION_BYTES);
	secret_token_hash(token, hash);
	expires = now + (time_t)svc_config()->session_hours * 3600;
	if (store_begin(st) <= 0) {
		user_free(&u);
		secret_wipe(token, sizeof(token));
		return http_reply_errorf(r, HERR_UNAVAILABLE, NULL,
		    "the database is busy; try again");
	}
	if (store_session_insert(st, u.id, hash, now, expires, client) <= 0 ||
	    store_session_purge(st, now) < 0 ||
	    store_audit(st, u.id, "login", "session", u.id, NULL) < 0 ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		user_free(&u);
		secret_wipe(token, sizeof(token));
		return api_reply_store_error(r);
	}
	/* Secure when the public URL is https (behind a TLS proxy). */
	snprintf(cookie, sizeof(cookie),
	    "hearth_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    token, svc_config()->session_hours * 3600,
	    strncmp(svc_config()->base_url, "https:", 6) == 0 ? "; Secure"
	                                                      : "");
	status = http_reply_json(r, 200,
	    json_pack("{s:s, s:o, s:{s:I, s:s, s:s}}", "token", token,
	        "expires_at", tzdb_time_json(expires), "user", "id",
	        (json_int_t)u.id, "username", u.username, "role",
	        role_name(u.role == ROLE_COORDINATOR ? HTTP_ROLE_COORDINATOR
	                                             : HTTP_ROLE_COUNSELLOR)));
	if (status == 200)
		http_reply_header(r, "Set-Cookie", cookie);
	secret_wipe(token, sizeof(token));
	secret_wipe(cookie, sizeof(cookie));
	user_free(&u);
	return status;
}

int
api_session_get(struct http_req *r)
{
	const struct http_principal *p = http_req_principal(r);
	struct store *st;
	struct user u;
	time_t expires = 0;
	int rc;

	st = api_store(r);
	rc = store_session_user(st, p->token_hash, time(NULL), &u, &expires);
	if (rc < 0)
		return api_reply_store_error(r);
	if (rc > 0)
		user_free(&u);
	return http_reply_json(r, 200,
	    json_pack("{s:{s:I, s:s, s:s, s:o}, s:o}", "user", "id",
	        (json_int_t)p->user_id, "username", p->username, "role",
	        role_name(p->role), "counsellor_id",
	        p->counsellor_id ? json_integer(p->counsellor_id) : json_null(),
	        "expires_at", tzdb_time_json(expires)));
}

int
api_session_delete(struct http_req *r)
{
	const struct http_principal *p = http_req_principal(r);
	struct store *st;

	st = api_store(r);
	if (store_session_delete(st, p->token_hash) < 0 ||
	    api_audit(r, st, "logout", "session", p->user_id, NULL) < 0)
		return api_reply_store_error(r);
	http_reply_header(r, "Set-Cookie",
	    "hearth_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	return http_reply_empty(r, 204);
}
