/*
 * Public holidays and make-up working days (调休), read by the planners
 * that must stay off holidays.
 */
#include <stdlib.h>

#include "stmt.h"

void
holiday_free(struct holiday *h)
{
	if (h == NULL)
		return;
	free(h->date);
	free(h->kind);
	free(h->name);
}

static void
free_item(void *p)
{
	holiday_free(p);
}

void
holiday_list_free(struct holiday *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct holiday *h = p;

	h->id = db_column_int64(s, 0);
	h->date = store_col_text(s, 1);
	h->kind = store_col_text(s, 2);
	h->name = store_col_text(s, 3);
	h->as_weekday = db_column_int(s, 4);
	if (!h->date || !h->kind || !h->name) {
		free_item(h);
		return -1;
	}
	return 1;
}

int
store_holiday_range(struct store *st, const char *from, const char *to,
    struct holiday **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_RANGE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, from);
	store_bind_text(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "holiday range");
}

int
store_holiday_get(struct store *st, int64_t id, struct holiday *out)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_item, out, "holiday get");
}

int
store_holiday_get_by_date(struct store *st, const char *date,
    struct holiday *out)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_GET_BY_DATE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, date);
	return store_get_row(st, s, read_item, out, "holiday by date");
}

static void
bind_holiday(struct dbstmt *s, const struct holiday *h)
{
	store_bind_text(s, 1, h->date);
	store_bind_text(s, 2, h->kind);
	store_bind_text(s, 3, h->name ? h->name : "");
	if (h->as_weekday > 0)
		db_bind_int(s, 4, h->as_weekday);
	else
		db_bind_null(s, 4);
}

int
store_holiday_insert(struct store *st, struct holiday *h)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	bind_holiday(s, h);
	db_bind_int64(s, 5, (int64_t)time(NULL));
	if ((rc = store_step_write(st, s, "holiday insert")) <= 0)
		return rc;
	h->id = db_last_id(st);
	return 1;
}

int
store_holiday_update(struct store *st, const struct holiday *h)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_UPDATE);

	if (s == NULL)
		return -1;
	bind_holiday(s, h);
	db_bind_int64(s, 5, h->id);
	return store_step_write(st, s, "holiday update");
}

int
store_holiday_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_HOLIDAY_DELETE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_write(st, s, "holiday delete") <= 0)
		return -1;
	return db_changes(st) > 0;
}
