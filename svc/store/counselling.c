/*
 * Satisfaction of counselling (心理咨询满意度), not only of events: a
 * station's anonymous survey link (a QR on the counselling room's wall)
 * with its answers, and paper tallies — stacks of paper forms counted per
 * scale point for an event or a station. Answers of a station carry
 * source 'counselling' and no event, as schema 007 documents.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

/* --- a station's survey ------------------------------------------------ */

int
store_station_survey_get(struct store *st, int64_t station_id, char **token,
    int64_t *template_id)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_SURVEY_GET);
	int rc;

	*token = NULL;
	*template_id = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		if (!db_column_null(s, 0) &&
		    (*token = store_col_text(s, 0)) == NULL)
			rc = DB_NOMEM;
		*template_id = db_column_int64(s, 1);
	}
	db_reset(s);
	if (rc == DB_ROW)
		return 1;
	if (rc == DB_DONE)
		return 0;
	return store_fail(st, "station survey get");
}

int
store_station_survey_set(struct store *st, int64_t station_id,
    const char *token)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_SURVEY_SET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token);
	db_bind_int64(s, 2, station_id);
	if ((rc = store_step_write(st, s, "station survey set")) <= 0)
		return rc; /* 0: the token collides (retry) */
	return db_changes(st) > 0 ? 1 : -1;
}

int
store_station_by_survey_token(struct store *st, const char *token,
    int64_t *station_id)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_BY_SURVEY_TOKEN);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token);
	return store_lookup_id(st, s, station_id, "station by token");
}

int64_t
store_survey_counselling_template(struct store *st)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_COUNSELLING);
	int64_t id = 0;
	int rc;

	if (s == NULL)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW)
		id = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(st, "counselling template");
	return id;
}

int
store_survey_counselling_insert(struct store *st, int64_t station_id, time_t at,
    const struct survey_answer *ans, size_t n, int64_t *id)
{
	struct dbstmt *s = store_stmt(st, STMT_RESP_COUNSELLING_INSERT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	db_bind_int64(s, 2, at);
	if (store_step_write(st, s, "counselling response insert") <= 0)
		return -1;
	*id = db_last_id(st);
	return store_answers_insert(st, *id, ans, n);
}

int
store_survey_station_answers(struct store *st, int64_t station_id, time_t from,
    time_t to, struct survey_answer_row **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_ANSWERS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	return store_answer_rows_collect(st, s, items, n, "station answers");
}

int
store_survey_station_count(struct store *st, int64_t station_id, time_t from,
    time_t to, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_STATION_RESP_COUNT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	return store_scalar(st, s, n, "station responses");
}

/* --- paper tallies ----------------------------------------------------- */

void
survey_tally_free(struct survey_tally *t)
{
	if (t == NULL)
		return;
	free(t->source);
	free(t->date);
	free(t->qkey);
	free(t->qtext);
	free(t->entered_by_name);
}

static void
free_tally(void *p)
{
	survey_tally_free(p);
}

void
survey_tally_list_free(struct survey_tally *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_tally);
}

static int
read_tally(struct dbstmt *s, void *p)
{
	struct survey_tally *t = p;
	int i;

	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, 0);
	t->event_id = db_column_int64(s, 1);
	t->station_id = db_column_int64(s, 2);
	t->source = store_col_text(s, 3);
	t->date = store_col_text(s, 4);
	t->question_id = db_column_int64(s, 5);
	t->qkey = store_col_text(s, 6);
	t->qtext = store_col_text(s, 7);
	t->qsatisfaction = db_column_int(s, 8);
	for (i = 0; i < 5; i++)
		t->n[i] = db_column_int64(s, 9 + i);
	t->entered_by = db_column_int64(s, 14);
	t->entered_by_name = store_col_text(s, 15);
	t->created_at = (time_t)db_column_int64(s, 16);
	if (!t->source || !t->date || !t->qkey || !t->qtext ||
	    !t->entered_by_name) {
		survey_tally_free(t);
		return -1;
	}
	return 1;
}

int
store_tally_insert(struct store *st, struct survey_tally *t)
{
	struct dbstmt *s = store_stmt(st, STMT_TALLY_INSERT);
	int i, rc;

	if (s == NULL)
		return -1;
	store_bind_id(s, 1, t->event_id);
	store_bind_id(s, 2, t->station_id);
	store_bind_text(s, 3, t->source);
	store_bind_text(s, 4, t->date);
	db_bind_int64(s, 5, t->question_id);
	for (i = 0; i < 5; i++)
		db_bind_int64(s, 6 + i, t->n[i]);
	store_bind_id(s, 11, t->entered_by);
	db_bind_int64(s, 12, t->created_at);
	if ((rc = store_step_write(st, s, "tally insert")) <= 0)
		return rc < 0 ? rc : -1;
	t->id = db_last_id(st);
	return 1;
}

int
store_tally_get(struct store *st, int64_t id, struct survey_tally *out)
{
	struct dbstmt *s = store_stmt(st, STMT_TALLY_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_tally, out, "tally get");
}

int
store_tally_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_TALLY_DELETE);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_step_write(st, s, "tally delete")) <= 0)
		return rc < 0 ? rc : -1;
	return db_changes(st) > 0;
}

static void
bind_tally_filter(struct dbstmt *s, const struct tally_filter *f)
{
	db_bind_int64(s, 1, f->event_id);
	db_bind_int64(s, 2, f->station_id);
	store_bind_text(s, 3, f->from);
	store_bind_text(s, 4, f->to);
}

int
store_tally_list(struct store *st, const struct tally_filter *f,
    const struct store_page *pg, struct survey_tally **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_TALLY_COUNT)) == NULL)
		return -1;
	bind_tally_filter(s, f);
	if (store_scalar(st, s, total, "tally count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_TALLY_LIST)) == NULL)
		return -1;
	bind_tally_filter(s, f);
	db_bind_int64(s, 5, pg->limit);
	db_bind_int64(s, 6, pg->offset);
	return store_collect(st, s, sizeof(**items), read_tally, free_tally,
	    (void **)items, n, "tally list");
}
