/*
 * Users and login sessions. The store sees only hashes: password hashes
 * from core/secret.c and BLAKE2b hashes of session tokens, so a copy of
 * the database file signs nobody in.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

static const char *const role_names[] = {"", "counsellor", "coordinator"};

static enum role
role_parse(const char *s)
{
	if (strcmp(s, "coordinator") == 0)
		return ROLE_COORDINATOR;
	if (strcmp(s, "counsellor") == 0)
		return ROLE_COUNSELLOR;
	return ROLE_NONE;
}

void
user_free(struct user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->password_hash);
}

/* Reads the user columns 0..5 of s. */
static int
read_user(struct dbstmt *s, void *p)
{
	struct user *u = p;
	const unsigned char *role;

	u->id = db_column_int64(s, 0);
	u->username = store_col_text(s, 1);
	u->password_hash = store_col_text(s, 2);
	role = db_column_text(s, 3);
	u->role = role_parse(role ? (const char *)role : "");
	u->counsellor_id = db_column_int64(s, 4);
	u->active = db_column_int(s, 5);
	if (u->username == NULL || u->password_hash == NULL) {
		user_free(u);
		return -1;
	}
	return 1;
}

int
store_user_count(struct store *st, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_COUNT);

	if (s == NULL)
		return -1;
	return store_scalar(st, s, n, "user count");
}

int
store_user_get_by_name(struct store *st, const char *username, struct user *out)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_GET_BY_NAME);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, username);
	return store_get_row(st, s, read_user, out, "user get");
}

int
store_user_insert(struct store *st, struct user *u)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_INSERT);
	int rc;

	if (s == NULL || u->role <= ROLE_NONE || u->role > ROLE_COORDINATOR)
		return -1;
	store_bind_text(s, 1, u->username);
	store_bind_text(s, 2, u->password_hash);
	store_bind_text(s, 3, role_names[u->role]);
	store_bind_id(s, 4, u->counsellor_id);
	db_bind_int(s, 5, u->active != 0);
	db_bind_int64(s, 6, (int64_t)time(NULL));
	if ((rc = store_step_write(st, s, "user insert")) <= 0)
		return rc;
	u->id = db_last_id(st);
	return 1;
}

int
store_session_insert(struct store *st, int64_t user_id, const char *token_hash,
    time_t created, time_t expires, const char *client)
{
	struct dbstmt *s = store_stmt(st, STMT_SESSION_INSERT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, user_id);
	db_bind_int64(s, 3, created);
	db_bind_int64(s, 4, expires);
	store_bind_text(s, 5, client ? client : "");
	return store_step_write(st, s, "session insert");
}

struct session_row {
	struct user *user;
	time_t expires;
	char hash[SECRET_HASH_HEX];
};

static int
read_session(struct dbstmt *s, void *p)
{
	struct session_row *r = p;
	const unsigned char *h = db_column_text(s, 7);

	r->expires = (time_t)db_column_int64(s, 6);
	if (h == NULL || strlen((const char *)h) != SECRET_HASH_HEX - 1)
		return -1;
	memcpy(r->hash, h, SECRET_HASH_HEX);
	return read_user(s, r->user);
}

int
store_session_user(struct store *st, const char *token_hash, time_t now,
    struct user *out, time_t *expires)
{
	struct dbstmt *s = store_stmt(st, STMT_SESSION_USER);
	struct session_row r = {out, 0, ""};
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, now);
	rc = store_get_row(st, s, read_session, &r, "session get");
	if (rc <= 0)
		return rc;
	/* The index found the row; compare again without leaking timing. */
	if (!secret_equal(r.hash, token_hash)) {
		user_free(out);
		return 0;
	}
	if (expires != NULL)
		*expires = r.expires;
	return 1;
}

int
store_session_delete(struct store *st, const char *token_hash)
{
	struct dbstmt *s = store_stmt(st, STMT_SESSION_DELETE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token_hash);
	return store_step_write(st, s, "session delete");
}

int
store_session_purge(struct store *st, time_t now)
{
	struct dbstmt *s = store_stmt(st, STMT_SESSION_PURGE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, now);
	return store_step_write(st, s, "session purge");
}

/* --- accounts: disable, enable, passwords (issue 17) ------------------- */

int
store_user_get(struct store *st, int64_t id, struct user *out)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_user, out, "user get by id");
}

int
store_user_get_by_counsellor(struct store *st, int64_t counsellor_id,
    struct user *out)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_BY_COUNSELLOR);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, counsellor_id);
	return store_get_row(st, s, read_user, out, "user by counsellor");
}

void
user_list_free(struct user *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		user_free(&v[i]);
	free(v);
}

static void
free_user_item(void *p)
{
	user_free(p);
}

int
store_user_list(struct store *st, struct user **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_LIST);

	if (s == NULL)
		return -1;
	return store_collect(st, s, sizeof(struct user), read_user,
	    free_user_item, (void **)items, n, "user list");
}

static int
user_set(struct store *st, enum stmt which, int64_t id, int ival,
    const char *text, const char *what)
{
	struct dbstmt *s = store_stmt(st, which);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (text != NULL)
		store_bind_text(s, 2, text);
	else
		db_bind_int(s, 2, ival);
	if ((rc = store_step_write(st, s, what)) <= 0)
		return rc;
	return db_changes(st) > 0;
}

int
store_user_set_active(struct store *st, int64_t id, int active)
{
	return user_set(st, STMT_USER_SET_ACTIVE, id, active != 0, NULL,
	    "user set active");
}

int
store_user_set_password(struct store *st, int64_t id, const char *hash)
{
	return user_set(st, STMT_USER_SET_PASSWORD, id, 0, hash,
	    "user set password");
}

int
store_user_disable_counsellor(struct store *st, int64_t counsellor_id)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_DISABLE_COUNSELLOR);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, counsellor_id);
	if ((rc = store_step_write(st, s, "user disable counsellor")) <= 0)
		return rc < 0 ? rc : -1;
	rc = db_changes(st);
	if ((s = store_stmt(st, STMT_SESSION_END_COUNSELLOR)) == NULL)
		return -1;
	db_bind_int64(s, 1, counsellor_id);
	if (store_step_write(st, s, "session end counsellor") <= 0)
		return -1;
	return rc;
}

int
store_session_end_user(struct store *st, int64_t user_id, const char *keep_hash)
{
	struct dbstmt *s = store_stmt(st, STMT_SESSION_END_USER);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, user_id);
	store_bind_text(s, 2, keep_hash);
	if ((rc = store_step_write(st, s, "session end user")) <= 0)
		return rc < 0 ? rc : -1;
	return db_changes(st);
}

int
store_user_coordinators_active(struct store *st, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_USER_COORDINATORS_ACTIVE);

	if (s == NULL)
		return -1;
	return store_scalar(st, s, n, "active coordinators");
}
