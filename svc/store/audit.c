/*
 * The audit log: one row per write, in the same transaction as the write,
 * so a rolled-back request leaves no audit row either.
 */
#include <stdlib.h>

#include "stmt.h"

int
store_audit(struct store *st, int64_t user_id, const char *action,
    const char *entity, int64_t entity_id, const char *detail)
{
	struct dbstmt *s = store_stmt(st, STMT_AUDIT_INSERT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)time(NULL));
	store_bind_id(s, 2, user_id);
	store_bind_text(s, 3, action);
	store_bind_text(s, 4, entity);
	store_bind_id(s, 5, entity_id);
	store_bind_text(s, 6, detail);
	return store_step_write(st, s, "audit insert") > 0 ? 1 : -1;
}

static void
free_entry(void *p)
{
	struct audit_entry *e = p;

	free(e->username);
	free(e->action);
	free(e->entity);
	free(e->detail);
}

void
audit_list_free(struct audit_entry *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_entry);
}

static int
read_entry(struct dbstmt *s, void *p)
{
	struct audit_entry *e = p;

	e->id = db_column_int64(s, 0);
	e->at = (time_t)db_column_int64(s, 1);
	e->user_id = db_column_int64(s, 2);
	e->username = store_col_text(s, 3);
	e->action = store_col_text(s, 4);
	e->entity = store_col_text(s, 5);
	e->entity_id = db_column_int64(s, 6);
	e->detail = db_column_null(s, 7) ? NULL : store_col_text(s, 7);
	if (!e->username || !e->action || !e->entity ||
	    (!db_column_null(s, 7) && !e->detail)) {
		free_entry(e);
		return -1;
	}
	return 1;
}

int
store_audit_list(struct store *st, const char *entity, int64_t entity_id,
    const struct store_page *pg, struct audit_entry **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_AUDIT_COUNT)) == NULL)
		return -1;
	store_bind_text(s, 1, entity);
	db_bind_int64(s, 2, entity_id);
	if (store_scalar(st, s, total, "audit count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_AUDIT_LIST)) == NULL)
		return -1;
	store_bind_text(s, 1, entity);
	db_bind_int64(s, 2, entity_id);
	db_bind_int64(s, 3, pg->limit);
	db_bind_int64(s, 4, pg->offset);
	return store_collect(st, s, sizeof(**items), read_entry, free_entry,
	    (void **)items, n, "audit list");
}
