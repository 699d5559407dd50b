/*
 * The rows of the evaluation frameworks, what is entered for them per
 * period (overrides, manual values, ratings, checklist marks, scores,
 * notes), and the counts of the records the dashboard reads.
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
	free(i->checklist);
	free(i->marks);
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
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct indicator *i = p;
	const unsigned char *op;

	memset(i, 0, sizeof(*i));
	i->id = db_column_int64(s, 0);
	i->framework_id = db_column_int64(s, 1);
	i->code = store_col_text(s, 2);
	i->level1 = store_col_text(s, 3);
	i->level2 = store_col_text(s, 4);
	i->level3 = store_col_text(s, 5);
	op = db_column_text(s, 6);
	snprintf(i->target_op, sizeof(i->target_op), "%s",
	    op &&
	            (strcmp((const char *)op, "=") == 0 ||
	                strcmp((const char *)op, "<=") == 0)
	        ? (const char *)op
	        : ">=");
	i->has_target = db_column_int(s, 7);
	i->target_value = db_column_double(s, 8);
	i->target_unit = store_col_text(s, 9);
	i->target_text = store_col_text(s, 10);
	i->weight = db_column_double(s, 11);
	i->rule = store_col_text(s, 12);
	i->source = store_col_text(s, 13);
	i->checklist = store_col_text(s, 14);
	i->position = db_column_int(s, 15);
	i->has_value = db_column_int(s, 16);
	i->value = db_column_double(s, 17);
	i->has_rating = db_column_int(s, 18);
	i->rating = db_column_double(s, 19);
	i->has_score = db_column_int(s, 20);
	i->score = db_column_double(s, 21);
	if (!db_column_null(s, 22) &&
	    (i->marks = store_col_text(s, 22)) == NULL)
		goto oom;
	i->note = store_col_text(s, 23);
	i->entered_by = store_col_text(s, 24);
	i->entered_at = (time_t)db_column_int64(s, 25);
	i->has_period = db_column_int(s, 26);
	if (!i->code || !i->level1 || !i->level2 || !i->level3 ||
	    !i->target_unit || !i->target_text || !i->rule || !i->source ||
	    !i->checklist || !i->note || !i->entered_by)
		goto oom;
	return 1;
oom:
	indicator_free(i);
	return -1;
}

int
store_indicator_list(struct store *st, int64_t framework_id, const char *from,
    const char *to, struct indicator **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_LIST);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, from);
	store_bind_text(s, 2, to);
	db_bind_int64(s, 4, framework_id);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "indicator list");
}

int
store_indicator_get(struct store *st, int64_t framework_id, const char *code,
    struct indicator *out)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_LIST);

	if (s == NULL)
		return -1;
	store_bind_text(s, 3, code);
	db_bind_int64(s, 4, framework_id);
	return store_get_row(st, s, read_item, out, "indicator get");
}

/* Binds the row's fields from level1 on, starting at parameter k. */
static void
bind_row(struct dbstmt *s, int k, const struct indicator *i)
{
	store_bind_text(s, k, i->level1);
	store_bind_text(s, k + 1, i->level2);
	store_bind_text(s, k + 2, i->level3);
	store_bind_text(s, k + 3, i->target_op);
	if (i->has_target)
		db_bind_double(s, k + 4, i->target_value);
	store_bind_text(s, k + 5, i->target_unit);
	store_bind_text(s, k + 6, i->target_text);
	db_bind_double(s, k + 7, i->weight);
	store_bind_text(s, k + 8, i->rule);
	store_bind_text(s, k + 9, i->source);
	store_bind_text(s, k + 10, i->checklist ? i->checklist : "");
	db_bind_int(s, k + 11, i->position);
}

int
store_indicator_insert(struct store *st, struct indicator *i)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, i->framework_id);
	store_bind_text(s, 2, i->code);
	bind_row(s, 3, i);
	if ((rc = store_step_write(st, s, "indicator insert")) > 0)
		i->id = db_last_id(st);
	return rc;
}

int
store_indicator_update(struct store *st, const struct indicator *i)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_UPDATE);

	if (s == NULL)
		return -1;
	bind_row(s, 1, i);
	db_bind_int64(s, 13, i->id);
	return store_step_write(st, s, "indicator update") > 0 ? 1 : -1;
}

int
store_indicator_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_DELETE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_step_write(st, s, "indicator delete")) <= 0)
		return -1;
	return db_changes(st) > 0;
}

int
store_indicator_code_taken(struct store *st, int64_t framework_id,
    const char *code)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_CODE_TAKEN);
	int64_t n = 0;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, framework_id);
	store_bind_text(s, 2, code);
	if (store_scalar(st, s, &n, "indicator code") < 0)
		return -1;
	return n > 0;
}

int
store_indicator_next_position(struct store *st, int64_t framework_id,
    int *position)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_NEXT_POSITION);
	int64_t n = 1;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, framework_id);
	if (store_scalar(st, s, &n, "indicator position") < 0)
		return -1;
	*position = (int)n;
	return 1;
}

int
store_indicator_period_set(struct store *st, int64_t indicator_id,
    const char *from, const char *to, const struct indicator_period *p,
    int64_t user_id, time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_IND_PERIOD_SET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, indicator_id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	if (p->has_target) {
		store_bind_text(s, 4, p->target_op);
		db_bind_double(s, 5, p->target_value);
		store_bind_text(s, 6, p->target_unit);
		store_bind_text(s, 7, p->target_text);
	}
	if (p->has_weight)
		db_bind_double(s, 8, p->weight);
	if (p->has_rule)
		store_bind_text(s, 9, p->rule);
	if (p->set_value == 1)
		db_bind_double(s, 10, p->value);
	if (p->set_rating == 1)
		db_bind_double(s, 11, p->rating);
	if (p->set_marks == 1)
		store_bind_text(s, 12, p->marks);
	if (p->set_score == 1)
		db_bind_double(s, 13, p->score);
	store_bind_text(s, 14, p->note);
	store_bind_id(s, 15, user_id);
	db_bind_int64(s, 16, at);
	db_bind_int(s, 17, p->set_value);
	db_bind_int(s, 18, p->set_rating);
	db_bind_int(s, 19, p->set_marks);
	db_bind_int(s, 20, p->set_score);
	return store_step_write(st, s, "indicator period") > 0 ? 1 : -1;
}

int
store_stat_training(struct store *st, time_t from, time_t to, int64_t *held,
    int64_t *passed, int64_t *assessed)
{
	struct dbstmt *s = store_stmt(st, STMT_STAT_TRAINING);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_ints(st, s, held, passed, assessed, "stat training");
}

static int
read_answer(struct dbstmt *s, void *p)
{
	struct stat_answer *a = p;

	a->start_at = (time_t)db_column_int64(s, 0);
	a->value = db_column_int64(s, 1);
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
	struct dbstmt *s = store_stmt(st, STMT_STAT_SATISFACTION);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_answer, nothing,
	    (void **)items, n, "stat satisfaction");
}

int
store_stat_participants(struct store *st, time_t from, time_t to,
    int64_t *registered, int64_t *attended_registered, int64_t *attended_all)
{
	struct dbstmt *s = store_stmt(st, STMT_STAT_PARTICIPANTS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_ints(st, s, registered, attended_registered, attended_all,
	    "stat participants");
}
