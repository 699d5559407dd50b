/*
 * Public holidays and make-up working days (调休), read by the planners
 * that must stay off holidays.
 */
#include <stdlib.h>

#include "stmt.h"

static void
free_item(void *p)
{
	struct holiday *h = p;

	free(h->date);
	free(h->kind);
	free(h->name);
}

void
holiday_list_free(struct holiday *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_item(&items[i]);
	free(items);
}

static int
read_item(sqlite3_stmt *s, void *p)
{
	struct holiday *h = p;

	h->id = sqlite3_column_int64(s, 0);
	h->date = store_col_text(s, 1);
	h->kind = store_col_text(s, 2);
	h->name = store_col_text(s, 3);
	h->as_weekday = sqlite3_column_int(s, 4);
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
	sqlite3_stmt *s = store_stmt(st, STMT_HOLIDAY_RANGE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, from);
	store_bind_text(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "holiday range");
}
