/*
 * What the dispatcher in http/ calls around every handler: the rate
 * limits set at start, the session token to a principal, the store of
 * the calling thread and its transaction. Kept apart from the route
 * table so that handlers (which call api_store) and routes.c (which
 * names every handler) do not depend on each other.
 */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"

void
api_init(void)
{
	const struct svc_config *c = svc_config();

	api_limit_config(LIMIT_LOGIN,
	    c->login_max_failures_address > 0 ? c->login_max_failures_address
	                                      : 10 * c->login_max_failures,
	    c->login_window_s);
	api_limit_config(LIMIT_LOGIN_ACCOUNT, c->login_max_failures,
	    c->login_window_s);
	api_rate_config(RATE_PUBLIC_WRITE, c->public_write_rate);
	api_limit_config(LIMIT_REGISTER, 20, 3600);
	api_limit_config(LIMIT_ANON_SURVEY, 10, 3600);
}

int
api_authenticate(const char *token, struct http_principal *p)
{
	struct store *st = store_thread();
	struct user u;
	char hash[SECRET_HASH_HEX];
	int rc;

	if (st == NULL)
		return -1;
	secret_token_hash(token, hash);
	rc = store_session_user(st, hash, time(NULL), &u, NULL);
	if (rc <= 0)
		return rc;
	memset(p, 0, sizeof(*p));
	p->user_id = u.id;
	p->role = u.role == ROLE_COORDINATOR ? HTTP_ROLE_COORDINATOR
	    : u.role == ROLE_COUNSELLOR      ? HTTP_ROLE_COUNSELLOR
	                                     : HTTP_ROLE_NONE;
	p->counsellor_id = u.counsellor_id;
	snprintf(p->username, sizeof(p->username), "%s", u.username);
	memcpy(p->token_hash, hash, sizeof(hash));
	user_free(&u);
	return p->role != HTTP_ROLE_NONE;
}

void *
api_acquire(void)
{
	struct store *st = store_thread();

	/* The fake test clock another instance moved (issue 16). */
	svc_clock_sync(st);
	if (st != NULL)
		store_clear_failure(st);
	return st;
}

struct store *
api_store(const struct http_req *r)
{
	return http_req_ctx(r);
}

int
api_begin(void)
{
	struct store *st = store_thread();

	if (st == NULL)
		return -1;
	if (store_begin(st) > 0)
		return 1;
	return store_last_failure(st) == STORE_FAILURE_BUSY ? 0 : -1;
}

int
api_commit(void)
{
	struct store *st = store_thread();

	/* A commit that queued mail wakes the senders: the store's hook. */
	return st ? store_commit(st) : -1;
}

int
api_commit_deferred(void **ticket)
{
	struct store *st = store_thread();
	struct store_ticket *t;
	int rc;

	*ticket = NULL;
	if (st == NULL)
		return -1;
	/* Without memory for the ticket the commit waits for its sync. */
	if ((t = malloc(sizeof(*t))) == NULL)
		return store_commit(st);
	if ((rc = store_commit_nowait(st, t)) > 0)
		*ticket = t;
	else
		free(t);
	return rc;
}

int
api_sync(void *ticket)
{
	int ok = store_sync_wait(ticket);

	free(ticket);
	return ok;
}

void
api_idle(void)
{
	store_thread_idle();
	/* Freed pages of the thread's arena back to the system. */
	malloc_trim(0);
}

int
api_retry(void)
{
	struct store *st = store_thread();

	return st != NULL && store_last_failure(st) == STORE_FAILURE_RETRY;
}

int
api_savepoint(void)
{
	struct store *st = store_thread();

	return st != NULL && store_savepoint(st) > 0;
}

int
api_release(void)
{
	struct store *st = store_thread();

	return st != NULL && store_release(st) > 0;
}

int
api_rollback_to(void)
{
	struct store *st = store_thread();

	return st != NULL && store_rollback_to(st) > 0;
}

void
api_rollback(void)
{
	struct store *st = store_thread();

	if (st != NULL)
		store_rollback(st);
}
