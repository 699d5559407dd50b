/*
 * Feed health: when each feed was last polled, by which client, and how
 * often it was sent in full or answered 304.
 */
#include <stdlib.h>

#include "stmt.h"

static void
free_item(void *p)
{
	struct feed_fetch *f = p;

	free(f->feed);
	free(f->user_agent);
}

void
feed_fetch_list_free(struct feed_fetch *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct feed_fetch *f = p;

	f->feed = store_col_text(s, 0);
	f->last_fetch_at = (time_t)db_column_int64(s, 1);
	f->user_agent = store_col_text(s, 2);
	f->count_200 = db_column_int64(s, 3);
	f->count_304 = db_column_int64(s, 4);
	if (!f->feed || !f->user_agent) {
		free_item(f);
		return -1;
	}
	return 1;
}

int
store_feed_fetch_record(struct store *st, const char *feed,
    const char *user_agent, int64_t full, int64_t not_modified, time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_FEED_FETCH_RECORD);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, feed);
	db_bind_int64(s, 2, at);
	store_bind_text(s, 3, user_agent ? user_agent : "");
	db_bind_int64(s, 4, full);
	db_bind_int64(s, 5, not_modified);
	store_write_lock();
	rc = store_step_write(st, s, "feed fetch record");
	store_write_unlock();
	return rc > 0 ? 1 : -1;
}

int
store_feed_fetch_list(struct store *st, struct feed_fetch **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_FEED_FETCH_LIST);

	if (s == NULL)
		return -1;
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "feed fetch list");
}
