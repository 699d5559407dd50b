/*
 * The evaluation framework, its per-period settings and manual values,
 * and the counts of the records that indicators are computed from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

void
indicator_free(struct indicator *i)
{
	if (i == NULL)
		return;
	free(i->code);
	free(i->level1);
	free(i->level2);
	free(i->level3);
	free(i->target_unit);
	free(i->target_text);
	free(i->rule);
	free(i->source);
	free(i->note);
	free(i->entered_by);
}

static void
free_item(void *p)
{
	indicator_free(p);
}

void
indicator_list_free(struct indicator *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		indicator_free(&items[i]);
	free(items);
}

static int
read_item(sqlite3_stmt *s, void *p)
{
	struct indicator *i = p;
	const unsigned char *op;

	memset(i, 0, sizeof(*i));
	i->id = sqlite3_column_int64(s, 0);
	i->code = store_col_text(s, 1);
	i->level1 = store_col_text(s, 2);
	i->level2 = store_col_text(s, 3);
	i->level3 = store_col_text(s, 4);
	op = sqlite3_column_text(s, 5);
	snprintf(i->target_op, sizeof(i->target_op), "%s",
	    op && strcmp((const char *)op, "=") == 0 ? "=" : ">=");
	i->target_value = sqlite3_column_double(s, 6);
	i->target_unit = store_col_text(s, 7);
	i->target_text = store_col_text(s, 8);
	i->weight = sqlite3_column_double(s, 9);
	i->rule = store_col_text(s, 10);
	i->source = store_col_text(s, 11);
	i->position = sqlite3_column_int(s, 12);
	i->has_value = sqlite3_column_int(s, 13);
	i->value = sqlite3_column_double(s, 14);
	i->note = store_col_text(s, 15);
	i->entered_by = store_col_text(s, 16);
	i->entered_at = (time_t)sqlite3_column_int64(s, 17);
	if (!i->code || !i->level1 || !i->level2 || !i->level3 ||
	    !i->target_unit || !i->target_text || !i->rule || !i->source ||
	    !i->note || !i->entered_by) {
		indicator_free(i);
		return -1;
	}
	return 1;
}

int
store_indicator_list(struct store *st, const char *from, const char *to,
    struct indicator **items, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_IND_LIST);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, from);
	store_bind_text(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "indicator list");
}

int
store_indicator_get(struct store *st, const char *code, struct indicator *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_IND_LIST);

	if (s == NULL)
		return -1;
	store_bind_text(s, 3, code);
	return store_get_row(st, s, read_item, out, "indicator get");
}

int
store_indicator_update(struct store *st, const struct indicator *i)
{
	sqlite3_stmt *s = store_stmt(st, STMT_IND_UPDATE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, i->target_op);
	sqlite3_bind_double(s, 2, i->target_value);
	store_bind_text(s, 3, i->target_unit);
	store_bind_text(s, 4, i->target_text);
	sqlite3_bind_double(s, 5, i->weight);
	store_bind_text(s, 6, i->rule);
	sqlite3_bind_int64(s, 7, i->id);
	return store_step_write(st, s, "indicator update") > 0 ? 1 : -1;
}

int
store_indicator_period_set(struct store *st, int64_t indicator_id,
    const char *from, const char *to, const struct indicator_period *p,
    int64_t user_id, time_t at)
{
	sqlite3_stmt *s = store_stmt(st, STMT_IND_PERIOD_SET);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, indicator_id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	if (p->has_target) {
		store_bind_text(s, 4, p->target_op);
		sqlite3_bind_double(s, 5, p->target_value);
		store_bind_text(s, 6, p->target_unit);
		store_bind_text(s, 7, p->target_text);
	}
	if (p->has_weight)
		sqlite3_bind_double(s, 8, p->weight);
	if (p->has_rule)
		store_bind_text(s, 9, p->rule);
	if (p->has_value)
		sqlite3_bind_double(s, 10, p->value);
	store_bind_text(s, 11, p->note);
	store_bind_id(s, 12, user_id);
	sqlite3_bind_int64(s, 13, at);
	return store_step_write(st, s, "indicator period") > 0 ? 1 : -1;
}

int
store_stat_training(struct store *st, time_t from, time_t to, int64_t *held,
    int64_t *passed, int64_t *assessed)
{
	sqlite3_stmt *s = store_stmt(st, STMT_STAT_TRAINING);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*held = sqlite3_column_int64(s, 0);
		*passed = sqlite3_column_int64(s, 1);
		*assessed = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : store_fail(st, "stat training");
}

static int
read_answer(sqlite3_stmt *s, void *p)
{
	struct stat_answer *a = p;

	a->start_at = (time_t)sqlite3_column_int64(s, 0);
	a->value = sqlite3_column_int64(s, 1);
	return 1;
}

static void
nothing(void *p)
{
	(void)p;
}

int
store_stat_satisfaction(struct store *st, time_t from, time_t to,
    struct stat_answer **items, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_STAT_SATISFACTION);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_answer, nothing,
	    (void **)items, n, "stat satisfaction");
}

int
store_stat_participants(struct store *st, time_t from, time_t to,
    int64_t *registered, int64_t *attended_registered,
    int64_t *attended_all)
{
	sqlite3_stmt *s = store_stmt(st, STMT_STAT_PARTICIPANTS);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*registered = sqlite3_column_int64(s, 0);
		*attended_registered = sqlite3_column_int64(s, 1);
		*attended_all = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : store_fail(st, "stat participants");
}
