/*
 * Quarterly and yearly plans with their targets per kind (and station).
 * Targets are rewritten whole on update, inside the caller's
 * transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

static void
free_targets(struct plan_target *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(t[i].kind);
	free(t);
}

void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->date_from);
	free(p->date_to);
	free_targets(p->targets, p->ntargets);
}

static void
free_item(void *p)
{
	plan_free(p);
}

void
plan_list_free(struct plan *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_target(struct dbstmt *s, void *p)
{
	struct plan_target *t = p;

	t->kind = store_col_text(s, 0);
	t->station_id = db_column_int64(s, 1);
	t->target = db_column_int64(s, 2);
	return t->kind ? 1 : -1;
}

static void
free_target(void *p)
{
	free(((struct plan_target *)p)->kind);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct plan *pl = p;

	memset(pl, 0, sizeof(*pl));
	pl->id = db_column_int64(s, 0);
	pl->name = store_col_text(s, 1);
	pl->date_from = store_col_text(s, 2);
	pl->date_to = store_col_text(s, 3);
	pl->created_at = (time_t)db_column_int64(s, 4);
	if (!pl->name || !pl->date_from || !pl->date_to) {
		plan_free(pl);
		return -1;
	}
	return 1;
}

static int
load_targets(struct store *st, struct plan *p)
{
	struct dbstmt *s = store_stmt(st, STMT_PLAN_TARGETS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, p->id);
	return store_collect(st, s, sizeof(*p->targets), read_target,
	    free_target, (void **)&p->targets, &p->ntargets, "plan targets");
}

int
store_plan_get(struct store *st, int64_t id, struct plan *out)
{
	struct dbstmt *s = store_stmt(st, STMT_PLAN_GET);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_get_row(st, s, read_item, out, "plan get")) <= 0)
		return rc;
	if (load_targets(st, out) < 0) {
		plan_free(out);
		return -1;
	}
	return 1;
}

int
store_plan_list(struct store *st, const struct store_page *pg,
    struct plan **items, size_t *n, int64_t *total)
{
	struct dbstmt *s;
	size_t i;

	if ((s = store_stmt(st, STMT_PLAN_COUNT)) == NULL ||
	    store_scalar(st, s, total, "plan count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_PLAN_LIST)) == NULL)
		return -1;
	db_bind_int64(s, 1, pg->limit);
	db_bind_int64(s, 2, pg->offset);
	if (store_collect(st, s, sizeof(**items), read_item, free_item,
	        (void **)items, n, "plan list") < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (load_targets(st, &(*items)[i]) < 0) {
			plan_list_free(*items, *n);
			return -1;
		}
	return 1;
}

static int
write_targets(struct store *st, const struct plan *p)
{
	struct dbstmt *s;
	size_t i;

	if ((s = store_stmt(st, STMT_PLAN_TARGETS_DELETE)) == NULL)
		return -1;
	db_bind_int64(s, 1, p->id);
	if (store_step_write(st, s, "plan targets delete") <= 0)
		return -1;
	for (i = 0; i < p->ntargets; i++) {
		if ((s = store_stmt(st, STMT_PLAN_TARGET_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, p->id);
		store_bind_text(s, 2, p->targets[i].kind);
		store_bind_id(s, 3, p->targets[i].station_id);
		db_bind_int64(s, 4, p->targets[i].target);
		/* 0: the same kind and station twice; the caller checked. */
		if (store_step_write(st, s, "plan target insert") <= 0)
			return -1;
	}
	return 1;
}

int
store_plan_insert(struct store *st, struct plan *p)
{
	struct dbstmt *s = store_stmt(st, STMT_PLAN_INSERT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, p->name);
	store_bind_text(s, 2, p->date_from);
	store_bind_text(s, 3, p->date_to);
	db_bind_int64(s, 4, p->created_at);
	if (store_step_write(st, s, "plan insert") <= 0)
		return -1;
	p->id = db_last_id(st);
	return write_targets(st, p);
}

int
store_plan_update(struct store *st, const struct plan *p)
{
	struct dbstmt *s = store_stmt(st, STMT_PLAN_UPDATE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, p->name);
	store_bind_text(s, 2, p->date_from);
	store_bind_text(s, 3, p->date_to);
	db_bind_int64(s, 4, p->id);
	if (store_step_write(st, s, "plan update") <= 0)
		return -1;
	if (db_changes(st) == 0)
		return 0;
	return write_targets(st, p);
}

int
store_plan_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_PLAN_DELETE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_write(st, s, "plan delete") <= 0)
		return -1;
	return db_changes(st) > 0;
}
