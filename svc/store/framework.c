/*
 * Evaluation frameworks (one bureau's table for a period) and the
 * queries behind their record-backed sources: events, plans, surveys
 * with paper tallies, duty logs and key cases. Counts only: the scoring
 * is core/indicator.c's, the choice of source the API's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

void
framework_free(struct framework *f)
{
	if (f != NULL)
		free(f->name);
}

static void
free_fw(void *p)
{
	framework_free(p);
}

void
framework_list_free(struct framework *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_fw);
}

static int
read_fw(struct dbstmt *s, void *p)
{
	struct framework *f = p;
	const unsigned char *a = db_column_text(s, 2);
	const unsigned char *b = db_column_text(s, 3);

	memset(f, 0, sizeof(*f));
	f->id = db_column_int64(s, 0);
	if ((f->name = store_col_text(s, 1)) == NULL)
		return -1;
	snprintf(f->date_from, sizeof(f->date_from), "%s",
	    a ? (const char *)a : "");
	snprintf(f->date_to, sizeof(f->date_to), "%s",
	    b ? (const char *)b : "");
	f->created_at = (time_t)db_column_int64(s, 4);
	f->updated_at = (time_t)db_column_int64(s, 5);
	f->rows = db_column_int64(s, 6);
	f->weight_sum = db_column_double(s, 7);
	return 1;
}

int
store_framework_list(struct store *st, struct framework **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_LIST);

	if (s == NULL)
		return -1;
	return store_collect(st, s, sizeof(**items), read_fw, free_fw,
	    (void **)items, n, "framework list");
}

int
store_framework_get(struct store *st, int64_t id, struct framework *out)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_LIST);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_fw, out, "framework get");
}

int
store_framework_for_date(struct store *st, const char *date, int64_t *id)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_FOR_DATE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, date);
	return store_lookup_id(st, s, id, "framework for date");
}

int
store_framework_insert(struct store *st, struct framework *f)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, f->name);
	store_bind_text(s, 2, f->date_from);
	store_bind_text(s, 3, f->date_to);
	db_bind_int64(s, 4, f->created_at);
	db_bind_int64(s, 5, f->updated_at);
	if ((rc = store_step_write(st, s, "framework insert")) > 0)
		f->id = db_last_id(st);
	return rc > 0 ? 1 : -1;
}

int
store_framework_update(struct store *st, const struct framework *f)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_UPDATE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, f->name);
	store_bind_text(s, 2, f->date_from);
	store_bind_text(s, 3, f->date_to);
	db_bind_int64(s, 4, f->updated_at);
	db_bind_int64(s, 5, f->id);
	return store_step_write(st, s, "framework update") > 0 ? 1 : -1;
}

int
store_framework_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_DELETE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_write(st, s, "framework delete") <= 0)
		return -1;
	return db_changes(st) > 0;
}

int
store_framework_copy_rows(struct store *st, int64_t from_id, int64_t to_id)
{
	struct dbstmt *s = store_stmt(st, STMT_FW_COPY_ROWS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from_id);
	db_bind_int64(s, 2, to_id);
	return store_step_write(st, s, "framework copy") > 0 ? 1 : -1;
}

int
store_src_events_held(struct store *st, const struct src_period *p,
    const char *kind, const char *audience, const char *station, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_EVENTS_HELD);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, p->t0);
	db_bind_int64(s, 2, p->t1);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, audience);
	store_bind_text(s, 5, station);
	return store_ints(st, s, n, NULL, NULL, "source events");
}

int
store_src_plans(struct store *st, const struct src_period *p, const char *kind,
    int64_t *held, int64_t *planned)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_PLANS);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, p->d0);
	store_bind_text(s, 2, p->d1);
	store_bind_text(s, 3, kind);
	db_bind_int64(s, 4, p->t0);
	db_bind_int64(s, 5, p->t1);
	return store_ints(st, s, planned, held, NULL, "source plans");
}

int
store_src_satisfaction(struct store *st, const struct src_period *p, int which,
    int64_t *satisfied, int64_t *total)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_SATISFACTION);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, p->t0);
	db_bind_int64(s, 2, p->t1);
	store_bind_text(s, 3, p->d0);
	store_bind_text(s, 4, p->d1);
	db_bind_int(s, 5, which);
	return store_ints(st, s, satisfied, total, NULL, "source satisfaction");
}

int
store_src_duty_sum(struct store *st, const struct src_period *p,
    const char *metric, int64_t *sum)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_DUTY_SUM);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, p->t0);
	db_bind_int64(s, 2, p->t1);
	store_bind_text(s, 3, metric);
	return store_ints(st, s, sum, NULL, NULL, "source duty");
}

int
store_src_duty_attendance(struct store *st, const struct src_period *p,
    int64_t *attended, int64_t *logged)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_DUTY_ATTENDANCE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, p->t0);
	db_bind_int64(s, 2, p->t1);
	return store_ints(st, s, attended, logged, NULL, "source attendance");
}

int
store_src_cases(struct store *st, const struct src_period *p, int64_t *assisted,
    int64_t *resolved, int64_t *minutes)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_CASES);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, p->d0);
	store_bind_text(s, 2, p->d1);
	return store_ints(st, s, assisted, resolved, minutes, "source cases");
}

int
store_duty_metric_exists(struct store *st, const char *code)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_METRIC_EXISTS);
	int64_t n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	if (store_scalar(st, s, &n, "duty metric") < 0)
		return -1;
	return n > 0;
}

void
src_metric_list_free(struct src_metric *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].code);
		free(items[i].name);
		free(items[i].unit);
	}
	free(items);
}

static void
free_metric(void *p)
{
	struct src_metric *m = p;

	free(m->code);
	free(m->name);
	free(m->unit);
}

static int
read_metric(struct dbstmt *s, void *p)
{
	struct src_metric *m = p;

	m->code = store_col_text(s, 0);
	m->name = store_col_text(s, 1);
	m->unit = store_col_text(s, 2);
	if (!m->code || !m->name || !m->unit) {
		free_metric(m);
		return -1;
	}
	return 1;
}

int
store_src_metrics(struct store *st, struct src_metric **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SRC_METRICS);

	if (s == NULL)
		return -1;
	return store_collect(st, s, sizeof(**items), read_metric, free_metric,
	    (void **)items, n, "duty metrics");
}
