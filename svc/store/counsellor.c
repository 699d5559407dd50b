/*
 * Counsellors and their feed tokens. A feed token is a capability: it is
 * only ever compared by the database's unique index lookup, and rotating
 * it replaces it in one statement.
 */
#include <stdlib.h>

#include "stmt.h"

void
counsellor_free(struct counsellor *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->email);
	free(c->phone);
	free(c->feed_token);
}

static void
free_item(void *p)
{
	counsellor_free(p);
}

void
counsellor_list_free(struct counsellor *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct counsellor *out = p;

	out->id = db_column_int64(s, 0);
	out->name = store_col_text(s, 1);
	out->email = store_col_text(s, 2);
	out->phone = store_col_text(s, 3);
	out->home_station_id = db_column_int64(s, 4);
	out->max_weekly_hours = db_column_int64(s, 5);
	out->active = db_column_int(s, 6);
	out->feed_token = store_col_text(s, 7);
	out->created_at = (time_t)db_column_int64(s, 8);
	out->updated_at = (time_t)db_column_int64(s, 9);
	out->weekly_mail_off = db_column_int(s, 10);
	if (!out->name || !out->email || !out->phone || !out->feed_token) {
		counsellor_free(out);
		return -1;
	}
	return 1;
}

int
store_counsellor_get(struct store *st, int64_t id, struct counsellor *out)
{
	struct dbstmt *s = store_stmt(st, STMT_COUNSELLOR_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_item, out, "counsellor get");
}

int
store_counsellor_get_by_feed_token(struct store *st, const char *token,
    struct counsellor *out)
{
	struct dbstmt *s = store_stmt(st, STMT_COUNSELLOR_GET_BY_TOKEN);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token);
	return store_get_row(st, s, read_item, out, "counsellor by token");
}

int
store_counsellor_list(struct store *st, const struct counsellor_filter *f,
    const struct store_page *pg, struct counsellor **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_COUNSELLOR_COUNT)) == NULL)
		return -1;
	db_bind_int(s, 1, f->active);
	db_bind_int64(s, 2, f->station_id);
	store_bind_like(s, 3, f->q);
	if (store_scalar(st, s, total, "counsellor count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_COUNSELLOR_LIST)) == NULL)
		return -1;
	db_bind_int(s, 1, f->active);
	db_bind_int64(s, 2, f->station_id);
	store_bind_like(s, 3, f->q);
	db_bind_int64(s, 4, pg->limit);
	db_bind_int64(s, 5, pg->offset);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "counsellor list");
}

static void
bind_fields(struct dbstmt *s, const struct counsellor *c)
{
	store_bind_text(s, 1, c->name);
	store_bind_text(s, 2, c->email);
	store_bind_text(s, 3, c->phone ? c->phone : "");
	store_bind_id(s, 4, c->home_station_id);
	db_bind_int64(s, 5, c->max_weekly_hours);
	db_bind_int(s, 6, c->active != 0);
	store_bind_text(s, 7, c->feed_token);
	db_bind_int(s, 8, c->weekly_mail_off != 0);
}

int
store_counsellor_insert(struct store *st, struct counsellor *c)
{
	struct dbstmt *s = store_stmt(st, STMT_COUNSELLOR_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	bind_fields(s, c);
	db_bind_int64(s, 9, c->created_at);
	db_bind_int64(s, 10, c->updated_at);
	if ((rc = store_step_write(st, s, "counsellor insert")) <= 0)
		return rc;
	c->id = db_last_id(st);
	return 1;
}

int
store_counsellor_update(struct store *st, const struct counsellor *c)
{
	struct dbstmt *s = store_stmt(st, STMT_COUNSELLOR_UPDATE);
	int rc;

	if (s == NULL)
		return -1;
	bind_fields(s, c);
	db_bind_int64(s, 9, c->updated_at);
	db_bind_int64(s, 10, c->id);
	if ((rc = store_step_write(st, s, "counsellor update")) <= 0)
		return rc;
	return db_changes(st) > 0 ? 1 : 0;
}

int
store_counsellor_count_by_station(struct store *st, int64_t station_id,
    int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_COUNSELLOR_COUNT_BY_STATION);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	return store_scalar(st, s, n, "counsellor count by station");
}
