/*
 * Accounts (issue 17): the password rule every password passes, a
 * coordinator's disable / enable / reset of any account, and a signed-in
 * user's own password change. Disabling an account or changing its
 * password ends its sessions in the same transaction; a generated
 * password is shown once, in the reply, and never stored in the clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const char *
role_word(enum role role)
{
	return role == ROLE_COORDINATOR ? "coordinator" : "counsellor";
}

static json_t *
user_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id,
	    "username", u->username, "role", role_word(u->role),
	    "counsellor_id",
	    u->counsellor_id ? json_integer(u->counsellor_id) : json_null(),
	    "active", u->active);
}

int
api_counsellor_account_get(struct http_req *r)
{
	struct store *st;
	struct user u;
	int rc;

	st = api_store(r);
	if ((rc = store_counsellor_exists(st, http_req_id(r, 0))) <= 0)
		return api_reply_not_found(r, rc, "没有这位咨询师");
	/* {"account": null} when the counsellor has no sign-in yet. */
	if ((rc = store_user_get_by_counsellor(st, http_req_id(r, 0), &u)) < 0)
		return api_reply_store_error(r);
	if (rc == 0)
		return http_reply_json(r, 200, json_pack("{s:n}", "account"));
	rc = http_reply_json(r, 200,
	    json_pack("{s:o}", "account", user_json(&u)));
	user_free(&u);
	return rc;
}

int
api_user_list(struct http_req *r)
{
	struct store *st;
	struct user *v = NULL;
	size_t n = 0, i;
	json_t *arr;

	st = api_store(r);
	if (store_user_list(st, &v, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		if (json_array_append_new(arr, user_json(&v[i])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	user_list_free(v, n);
	return api_reply_list(r, arr, (int64_t)n);
}

/* The user of the path; replies 404 and returns 0. */
static int
user_or_reply(struct http_req *r, struct store *st, struct user *u)
{
	return api_found_or_reply(r, store_user_get(st, http_req_id(r, 0), u),
	    "没有这个账号");
}

/* Turns u on or off (ending its sessions), audited, and replies it;
 * frees u. */
static int
set_active_reply(struct http_req *r, struct store *st, struct user *u,
    int active)
{
	int rc;

	u->active = active;
	if (store_user_set_active(st, u->id, active) <= 0 ||
	    (!active && store_session_end_user(st, u->id, NULL) < 0) ||
	    api_audit(r, st, active ? "enable" : "disable", "user", u->id,
	        NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, user_json(u));
	user_free(u);
	return rc;
}

int
api_user_disable(struct http_req *r)
{
	const struct http_principal *me = http_req_principal(r);
	struct store *st;
	struct user u;
	int64_t n;

	st = api_store(r);
	if (!user_or_reply(r, st, &u))
		return http_req_status(r);
	if (u.id == me->user_id) {
		user_free(&u);
		return http_reply_errorf(r, HERR_CONFLICT, NULL,
		    "不能停用自己正在使用的账号");
	}
	if (u.role == ROLE_COORDINATOR && u.active) {
		if (store_user_coordinators_active(st, &n) < 0) {
			user_free(&u);
			return api_reply_store_error(r);
		}
		if (n <= 1) {
			user_free(&u);
			return http_reply_errorf(r, HERR_CONFLICT, NULL,
			    "这是最后一个可用的协调员账号，不能停用");
		}
	}
	return set_active_reply(r, st, &u, 0);
}

int
api_user_enable(struct http_req *r)
{
	struct store *st;
	struct counsellor c;
	struct user u;
	int rc;

	st = api_store(r);
	if (!user_or_reply(r, st, &u))
		return http_req_status(r);
	if (u.counsellor_id != 0) {
		if ((rc = store_counsellor_get(st, u.counsellor_id, &c)) < 0) {
			user_free(&u);
			return api_reply_store_error(r);
		}
		if (rc > 0 && !c.active) {
			counsellor_free(&c);
			user_free(&u);
			return http_reply_errorf(r, HERR_CONFLICT, NULL,
			    "这位咨询师已停用：先启用咨询师，再启用账号");
		}
		if (rc > 0)
			counsellor_free(&c);
	}
	return set_active_reply(r, st, &u, 1);
}

int
api_user_reset_password(struct http_req *r)
{
	struct store *st;
	struct user u;
	char pw[24], hash[SECRET_PWHASH_MAX];
	json_t *body;
	int rc;

	st = api_store(r);
	if (!user_or_reply(r, st, &u))
		return http_req_status(r);
	/* 19 characters of a 54-letter alphabet, about 105 bits. */
	do
		secret_password_generate(pw, 20);
	while (svc_password_problem(pw, u.username) != NULL);
	if (!secret_password_hash(pw, hash)) {
		user_free(&u);
		secret_wipe(pw, sizeof(pw));
		return api_reply_internal(r, "out of memory");
	}
	if (store_user_set_password(st, u.id, hash) <= 0 ||
	    store_session_end_user(st, u.id, NULL) < 0 ||
	    api_audit(r, st, "reset_password", "user", u.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else if ((body = user_json(&u)) == NULL ||
	    json_object_set_new(body, "password", json_string(pw)) != 0) {
		json_decref(body);
		rc = api_reply_internal(r, "reset password reply");
	} else {
		rc = http_reply_json(r, 200, body);
		http_reply_header(r, "Cache-Control", "no-store");
	}
	secret_wipe(pw, sizeof(pw));
	secret_wipe(hash, sizeof(hash));
	user_free(&u);
	return rc;
}

/*
 * PUT /api/v1/me/password {old_password, new_password}: any signed-in
 * user. A wrong old password counts as a failed sign-in of the account
 * (the same limit), so this route is no way around it. The other
 * sessions of the user end; this one goes on.
 */
int
api_me_password(struct http_req *r)
{
	static const struct vfield fields[] = {
	    {.name = "old_password",
	        .type = VT_TEXT,
	        .required = 1,
	        .min = 1,
	        .max = 256},
	    {.name = "new_password",
	        .type = VT_TEXT,
	        .required = 1,
	        .min = 1,
	        .max = 256},
	};
	const struct http_principal *me = http_req_principal(r);
	json_t *body = http_req_json(r);
	const char *old_pw, *new_pw, *why;
	struct herror err;
	struct store *st;
	struct user u;
	char hash[SECRET_PWHASH_MAX], key[80];
	size_t i;
	int rc, wait;

	if (!valid_object(body, fields, 2, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	for (i = 0; i + 1 < sizeof(key) && me->username[i] != '\0'; i++)
		key[i] = me->username[i] >= 'A' && me->username[i] <= 'Z'
		    ? (char)(me->username[i] - 'A' + 'a')
		    : me->username[i];
	key[i] = '\0';
	if ((wait = api_limit_wait(LIMIT_LOGIN_ACCOUNT, key)) > 0)
		return api_reply_rate_limited(r, wait,
		    "登录失败次数过多，请稍后再试");
	if ((rc = store_user_get(st, me->user_id, &u)) <= 0)
		return api_reply_not_found(r, rc, "没有这个账号");
	old_pw = json_string_value(json_object_get(body, "old_password"));
	new_pw = json_string_value(json_object_get(body, "new_password"));
	if (!secret_password_verify(u.password_hash, old_pw)) {
		user_free(&u);
		api_limit_count(LIMIT_LOGIN_ACCOUNT, key);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "old_password", "原密码不对");
	}
	if ((why = svc_password_problem(new_pw, u.username)) != NULL) {
		user_free(&u);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "new_password", "%s", why);
	}
	if (strcmp(old_pw, new_pw) == 0) {
		user_free(&u);
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "new_password", "新密码不能与原密码相同");
	}
	if (!secret_password_hash(new_pw, hash)) {
		user_free(&u);
		return api_reply_internal(r, "out of memory");
	}
	if (store_user_set_password(st, u.id, hash) <= 0 ||
	    store_session_end_user(st, u.id, me->token_hash) < 0 ||
	    api_audit(r, st, "change_password", "user", u.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_empty(r, 204);
	secret_wipe(hash, sizeof(hash));
	user_free(&u);
	return rc;
}
