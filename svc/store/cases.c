/*
 * Key cases (重点个案): the case with its counsellors, its counselling
 * sessions and its follow-ups (回访). Counsellors are rewritten whole on
 * update, inside the caller's transaction. No petitioner's name or
 * identity is stored: a case has a pseudonymous label only (the rules are
 * in core/cases.c, checked by the API before anything reaches here).
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

/* --- cases ------------------------------------------------------------- */

void
case_free(struct case_rec *c)
{
	if (c == NULL)
		return;
	free(c->label);
	free(c->opened_on);
	free(c->closed_on);
	free(c->note);
	free(c->station_name);
	free(c->last_session_on);
}

static void
free_case(void *p)
{
	case_free(p);
}

void
case_list_free(struct case_rec *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_case);
}

static int
read_case(struct dbstmt *s, void *p)
{
	struct case_rec *c = p;

	memset(c, 0, sizeof(*c));
	c->id = db_column_int64(s, 0);
	c->label = store_col_text(s, 1);
	c->station_id = db_column_int64(s, 2);
	c->station_name = store_col_text(s, 3);
	c->opened_on = store_col_text(s, 4);
	if (!case_status_parse((const char *)db_column_text(s, 5), &c->status))
		c->status = CASE_OPEN;
	c->closed_on = store_col_text(s, 6);
	c->note = store_col_text(s, 7);
	c->created_at = (time_t)db_column_int64(s, 8);
	c->updated_at = (time_t)db_column_int64(s, 9);
	c->ncounsellors = store_col_ids(s, 10, c->counsellor_ids,
	    CASE_MAX_COUNSELLORS);
	c->sessions = db_column_int64(s, 11);
	c->minutes = db_column_int64(s, 12);
	c->last_session_on = store_col_text(s, 13);
	c->next_follow_up = (time_t)db_column_int64(s, 14);
	if (!c->label || !c->station_name || !c->opened_on || !c->closed_on ||
	    !c->note || !c->last_session_on) {
		case_free(c);
		return -1;
	}
	return 1;
}

int
store_case_get(struct store *st, int64_t id, struct case_rec *out)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_case, out, "case get");
}

static void
bind_filter(struct dbstmt *s, const struct case_filter *f)
{
	store_bind_text(s, 1,
	    f->status == CASE_STATUS_ANY ? NULL : case_status_name(f->status));
	db_bind_int64(s, 2, f->station_id);
	db_bind_int64(s, 3, f->counsellor_id);
	store_bind_like(s, 4, f->q);
}

int
store_case_list(struct store *st, const struct case_filter *f,
    const struct store_page *pg, struct case_rec **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_CASE_COUNT)) == NULL)
		return -1;
	bind_filter(s, f);
	if (store_scalar(st, s, total, "case count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_CASE_LIST)) == NULL)
		return -1;
	bind_filter(s, f);
	db_bind_int64(s, 5, pg->limit);
	db_bind_int64(s, 6, pg->offset);
	return store_collect(st, s, sizeof(**items), read_case, free_case,
	    (void **)items, n, "case list");
}

/* Binds label … note (1-6), shared by insert and update. */
static void
bind_case(struct dbstmt *s, const struct case_rec *c)
{
	store_bind_text(s, 1, c->label);
	store_bind_id(s, 2, c->station_id);
	store_bind_text(s, 3, c->opened_on);
	store_bind_text(s, 4, case_status_name(c->status));
	if (c->closed_on == NULL || c->closed_on[0] == '\0')
		db_bind_null(s, 5);
	else
		store_bind_text(s, 5, c->closed_on);
	store_bind_text(s, 6, c->note ? c->note : "");
}

static int
write_counsellors(struct store *st, const struct case_rec *c)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_COUNSELLORS_DELETE);
	size_t i;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, c->id);
	if (store_step_write(st, s, "case counsellors delete") <= 0)
		return -1;
	for (i = 0; i < c->ncounsellors; i++) {
		if ((s = store_stmt(st, STMT_CASE_COUNSELLOR_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, c->id);
		db_bind_int64(s, 2, c->counsellor_ids[i]);
		if (store_step_write(st, s, "case counsellor insert") <= 0)
			return -1;
	}
	return 1;
}

int
store_case_insert(struct store *st, struct case_rec *c)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	bind_case(s, c);
	db_bind_int64(s, 7, c->created_at);
	db_bind_int64(s, 8, c->updated_at);
	if ((rc = store_step_write(st, s, "case insert")) <= 0)
		return rc;
	c->id = db_last_id(st);
	return write_counsellors(st, c);
}

int
store_case_update(struct store *st, const struct case_rec *c)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_UPDATE);
	int rc;

	if (s == NULL)
		return -1;
	bind_case(s, c);
	db_bind_int64(s, 7, c->updated_at);
	db_bind_int64(s, 8, c->id);
	if ((rc = store_step_write(st, s, "case update")) <= 0)
		return rc;
	return write_counsellors(st, c);
}

int
store_case_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_DELETE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_step_write(st, s, "case delete")) <= 0)
		return rc < 0 ? rc : -1;
	return db_changes(st) > 0;
}

int
store_case_has_counsellor(struct store *st, int64_t case_id,
    int64_t counsellor_id)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_HAS_COUNSELLOR);
	int64_t n;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, case_id);
	db_bind_int64(s, 2, counsellor_id);
	if (store_scalar(st, s, &n, "case has counsellor") < 0)
		return -1;
	return n > 0;
}

/* --- sessions ---------------------------------------------------------- */

void
case_session_free(struct case_session *x)
{
	if (x == NULL)
		return;
	free(x->date);
	free(x->kind);
	free(x->note);
	free(x->counsellor_name);
}

static void
free_session(void *p)
{
	case_session_free(p);
}

void
case_session_list_free(struct case_session *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_session);
}

static int
read_session(struct dbstmt *s, void *p)
{
	struct case_session *x = p;

	memset(x, 0, sizeof(*x));
	x->id = db_column_int64(s, 0);
	x->case_id = db_column_int64(s, 1);
	x->counsellor_id = db_column_int64(s, 2);
	x->counsellor_name = store_col_text(s, 3);
	x->date = store_col_text(s, 4);
	x->minutes = db_column_int64(s, 5);
	x->kind = store_col_text(s, 6);
	x->note = store_col_text(s, 7);
	x->entered_by = db_column_int64(s, 8);
	x->created_at = (time_t)db_column_int64(s, 9);
	if (!x->counsellor_name || !x->date || !x->kind || !x->note) {
		case_session_free(x);
		return -1;
	}
	return 1;
}

int
store_case_sessions(struct store *st, int64_t case_id,
    struct case_session **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_SESSIONS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, case_id);
	return store_collect(st, s, sizeof(**items), read_session, free_session,
	    (void **)items, n, "case sessions");
}

int
store_case_session_get(struct store *st, int64_t id, struct case_session *out)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_SESSION_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_session, out, "case session get");
}

int
store_case_session_insert(struct store *st, struct case_session *x)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_SESSION_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, x->case_id);
	store_bind_id(s, 2, x->counsellor_id);
	store_bind_text(s, 3, x->date);
	db_bind_int64(s, 4, x->minutes);
	store_bind_text(s, 5, x->kind);
	store_bind_text(s, 6, x->note ? x->note : "");
	store_bind_id(s, 7, x->entered_by);
	db_bind_int64(s, 8, x->created_at);
	if ((rc = store_step_write(st, s, "case session insert")) <= 0)
		return rc < 0 ? rc : -1;
	x->id = db_last_id(st);
	return 1;
}

int
store_case_session_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_CASE_SESSION_DELETE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_step_write(st, s, "case session delete")) <= 0)
		return rc < 0 ? rc : -1;
	return db_changes(st) > 0;
}

/* --- follow-ups -------------------------------------------------------- */

void
case_follow_up_free(struct case_follow_up *f)
{
	if (f == NULL)
		return;
	free(f->note);
	free(f->label);
	free(f->counsellor_name);
}

static void
free_follow_up(void *p)
{
	case_follow_up_free(p);
}

void
case_follow_up_list_free(struct case_follow_up *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_follow_up);
}

static int
read_follow_up(struct dbstmt *s, void *p)
{
	struct case_follow_up *f = p;

	memset(f, 0, sizeof(*f));
	f->id = db_column_int64(s, 0);
	f->case_id = db_column_int64(s, 1);
	f->label = store_col_text(s, 2);
	f->station_id = db_column_int64(s, 3);
	f->counsellor_id = db_column_int64(s, 4);
	f->counsellor_name = store_col_text(s, 5);
	f->due_at = (time_t)db_column_int64(s, 6);
	f->done_at = (time_t)db_column_int64(s, 7);
	f->cancelled_at = (time_t)db_column_int64(s, 8);
	f->note = store_col_text(s, 9);
	f->sequence = db_column_int64(s, 10);
	f->created_at = (time_t)db_column_int64(s, 11);
	f->updated_at = (time_t)db_column_int64(s, 12);
	if (!f->label || !f->counsellor_name || !f->note) {
		case_follow_up_free(f);
		return -1;
	}
	return 1;
}

int
store_follow_up_list(struct store *st, const struct follow_up_filter *f,
    struct case_follow_up **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_FOLLOW_UP_LIST);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, f->case_id);
	db_bind_int64(s, 2, f->counsellor_id);
	db_bind_int64(s, 3, f->from);
	db_bind_int64(s, 4, f->to);
	db_bind_int(s, 5, f->with_cancelled != 0);
	db_bind_int(s, 6, f->done < 0 ? -1 : f->done != 0);
	return store_collect(st, s, sizeof(**items), read_follow_up,
	    free_follow_up, (void **)items, n, "follow-up list");
}

int
store_follow_up_get(struct store *st, int64_t id, struct case_follow_up *out)
{
	struct dbstmt *s = store_stmt(st, STMT_FOLLOW_UP_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_follow_up, out, "follow-up get");
}

int
store_follow_up_insert(struct store *st, struct case_follow_up *f)
{
	struct dbstmt *s = store_stmt(st, STMT_FOLLOW_UP_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, f->case_id);
	db_bind_int64(s, 2, f->counsellor_id);
	db_bind_int64(s, 3, f->due_at);
	store_bind_text(s, 4, f->note ? f->note : "");
	db_bind_int64(s, 5, f->created_at);
	db_bind_int64(s, 6, f->updated_at);
	if ((rc = store_step_write(st, s, "follow-up insert")) <= 0)
		return rc < 0 ? rc : -1;
	f->id = db_last_id(st);
	f->sequence = 0;
	return 1;
}

int
store_follow_up_update(struct store *st, const struct case_follow_up *f)
{
	struct dbstmt *s = store_stmt(st, STMT_FOLLOW_UP_UPDATE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, f->due_at);
	store_bind_time(s, 2, f->done_at);
	store_bind_time(s, 3, f->cancelled_at);
	store_bind_text(s, 4, f->note ? f->note : "");
	db_bind_int64(s, 5, f->sequence);
	db_bind_int64(s, 6, f->updated_at);
	db_bind_int64(s, 7, f->id);
	if ((rc = store_step_write(st, s, "follow-up update")) <= 0)
		return rc < 0 ? rc : -1;
	return db_changes(st) > 0;
}

int
store_follow_up_touch_case(struct store *st, int64_t case_id, time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_FOLLOW_UP_TOUCH_CASE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, case_id);
	db_bind_int64(s, 2, at);
	rc = store_step_write(st, s, "follow-up touch");
	return rc <= 0 ? -1 : 1;
}
