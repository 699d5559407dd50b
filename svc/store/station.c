/*
 * Stations: the reception points. Plain structs in and out; a duplicate
 * code is an expected outcome (0), not an error.
 */
#include <stdlib.h>

#include "stmt.h"

void
station_free(struct station *s)
{
	if (s == NULL)
		return;
	free(s->code);
	free(s->name);
	free(s->kind);
	free(s->address);
	free(s->timezone);
}

static void
free_item(void *p)
{
	station_free(p);
}

void
station_list_free(struct station *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_row(struct dbstmt *s, struct station *out)
{
	out->id = db_column_int64(s, 0);
	out->code = store_col_text(s, 1);
	out->name = store_col_text(s, 2);
	out->kind = store_col_text(s, 3);
	out->address = store_col_text(s, 4);
	out->timezone = store_col_text(s, 5);
	out->active = db_column_int(s, 6);
	out->created_at = (time_t)db_column_int64(s, 7);
	out->updated_at = (time_t)db_column_int64(s, 8);
	if (!out->code || !out->name || !out->kind || !out->address ||
	    !out->timezone) {
		station_free(out);
		return -1;
	}
	return 1;
}

static int
read_item(struct dbstmt *s, void *out)
{
	return read_row(s, out);
}

int
store_station_get(struct store *st, int64_t id, struct station *out)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_item, out, "station get");
}

int
store_station_get_by_code(struct store *st, const char *code,
    struct station *out)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_GET_BY_CODE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	return store_get_row(st, s, read_item, out, "station get");
}

int
store_station_list(struct store *st, const struct station_filter *f,
    const struct store_page *pg, struct station **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_STATION_COUNT)) == NULL)
		return -1;
	db_bind_int(s, 1, f->active);
	store_bind_like(s, 2, f->q);
	if (store_scalar(st, s, total, "station count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_STATION_LIST)) == NULL)
		return -1;
	db_bind_int(s, 1, f->active);
	store_bind_like(s, 2, f->q);
	db_bind_int64(s, 3, pg->limit);
	db_bind_int64(s, 4, pg->offset);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "station list");
}

/* Binds the writable columns in table order, starting at parameter 1. */
static void
bind_fields(struct dbstmt *s, const struct station *v)
{
	store_bind_text(s, 1, v->code);
	store_bind_text(s, 2, v->name);
	store_bind_text(s, 3, v->kind);
	store_bind_text(s, 4, v->address ? v->address : "");
	store_bind_text(s, 5, v->timezone);
	db_bind_int(s, 6, v->active != 0);
}

int
store_station_insert(struct store *st, struct station *v)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	bind_fields(s, v);
	db_bind_int64(s, 7, v->created_at);
	db_bind_int64(s, 8, v->updated_at);
	if ((rc = store_step_write(st, s, "station insert")) <= 0)
		return rc;
	v->id = db_last_id(st);
	return 1;
}

int
store_station_update(struct store *st, const struct station *v)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_UPDATE);
	int rc;

	if (s == NULL)
		return -1;
	bind_fields(s, v);
	db_bind_int64(s, 7, v->updated_at);
	db_bind_int64(s, 8, v->id);
	if ((rc = store_step_write(st, s, "station update")) <= 0)
		return rc;
	return db_changes(st) > 0 ? 1 : -2;
}

int
store_station_get_by_name(struct store *st, const char *name,
    struct station *out)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_GET_BY_NAME);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	return store_get_row(st, s, read_item, out, "station by name");
}

int
store_station_get_by_name_prefix(struct store *st, const char *prefix,
    struct station *out)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_BY_NAME_PREFIX);
	struct station *items = NULL;
	size_t n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, prefix);
	if (store_collect(st, s, sizeof(*items), read_item, free_item,
	        (void **)&items, &n, "station by name prefix") < 0)
		return -1;
	if (n != 1) {
		station_list_free(items, n);
		return 0;
	}
	*out = items[0];
	free(items);
	return 1;
}
