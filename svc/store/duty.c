/*
 * Duty metrics and duty logs (值班记录): the list of what counsellors
 * count, one log per shift with its values, the rows behind the duty
 * report and the shifts whose log is overdue. The tables are those of
 * schema/007_records.sql, read as that file documents them (the
 * indicators read them too). No petitioner's identity is stored here:
 * numbers and a short note only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

/* --- metrics ------------------------------------------------------------- */

void
duty_metric_free(struct duty_metric *m)
{
	if (m == NULL)
		return;
	free(m->code);
	free(m->name);
	free(m->unit);
	memset(m, 0, sizeof(*m));
}

static void
metric_free_item(void *p)
{
	duty_metric_free(p);
}

void
duty_metric_list_free(struct duty_metric *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), metric_free_item);
}

static int
read_metric(struct dbstmt *s, void *p)
{
	struct duty_metric *m = p;

	memset(m, 0, sizeof(*m));
	m->code = store_col_text(s, 0);
	m->name = store_col_text(s, 1);
	m->unit = store_col_text(s, 2);
	m->position = db_column_int64(s, 3);
	m->active = db_column_int(s, 4);
	m->created_at = (time_t)db_column_int64(s, 5);
	m->used = db_column_int(s, 6);
	if (!m->code || !m->name || !m->unit) {
		duty_metric_free(m);
		return -1;
	}
	return 1;
}

int
store_duty_metric_list(struct store *st, int active_only,
    struct duty_metric **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_LIST);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int(s, 1, active_only != 0);
	return store_collect(st, s, sizeof(**items), read_metric,
	    metric_free_item, (void **)items, n, "duty metric list");
}

int
store_duty_metric_get(struct store *st, const char *code,
    struct duty_metric *out)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_GET);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	return store_get_row(st, s, read_metric, out, "duty metric get");
}

int
store_duty_metric_insert(struct store *st, const struct duty_metric *m)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_INSERT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->code);
	store_bind_text(s, 2, m->name);
	store_bind_text(s, 3, m->unit);
	db_bind_int64(s, 4, m->position);
	db_bind_int(s, 5, m->active != 0);
	db_bind_int64(s, 6, m->created_at);
	return store_step_write(st, s, "duty metric insert");
}

int
store_duty_metric_update(struct store *st, const struct duty_metric *m)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_UPDATE);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->name);
	store_bind_text(s, 2, m->unit);
	db_bind_int64(s, 3, m->position);
	db_bind_int(s, 4, m->active != 0);
	store_bind_text(s, 5, m->code);
	if ((rc = store_step_write(st, s, "duty metric update")) <= 0)
		return rc < 0 ? -1 : rc;
	return db_changes(st) > 0;
}

int
store_duty_metric_delete(struct store *st, const char *code)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_DELETE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	if (store_step_write(st, s, "duty metric delete") <= 0)
		return -1;
	return db_changes(st) > 0;
}

int
store_duty_metric_next_position(struct store *st, int64_t *pos)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_METRIC_NEXT_POS);

	if (s == NULL)
		return -1;
	return store_scalar(st, s, pos, "duty metric position");
}

/* --- logs ---------------------------------------------------------------- */

void
duty_log_free(struct duty_log *l)
{
	if (l == NULL)
		return;
	free(l->station_name);
	free(l->station_tz);
	free(l->counsellor_name);
	free(l->note);
	free(l->entered_by);
	free(l->values);
	memset(l, 0, sizeof(*l));
}

static void
log_free_item(void *p)
{
	duty_log_free(p);
}

void
duty_log_list_free(struct duty_log *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), log_free_item);
}

static int
read_log(struct dbstmt *s, void *p)
{
	struct duty_log *l = p;

	memset(l, 0, sizeof(*l));
	l->shift_id = db_column_int64(s, 0);
	l->station_id = db_column_int64(s, 1);
	l->shift_counsellor_id = db_column_int64(s, 2);
	l->log_counsellor_id = db_column_int64(s, 3);
	l->station_name = store_col_text(s, 4);
	l->station_tz = store_col_text(s, 5);
	l->counsellor_name = store_col_text(s, 6);
	l->shift_status = store_col_state(s, 7, shift_status_names);
	l->start_at = (time_t)db_column_int64(s, 8);
	l->end_at = (time_t)db_column_int64(s, 9);
	l->logged = db_column_int(s, 10);
	l->attended = db_column_int(s, 11);
	l->note = store_col_text(s, 12);
	l->created_at = (time_t)db_column_int64(s, 13);
	l->updated_at = (time_t)db_column_int64(s, 14);
	l->entered_by = store_col_text(s, 15);
	l->entered_by_counsellor = db_column_int(s, 16);
	l->counsellor_id = l->logged && l->log_counsellor_id
	    ? l->log_counsellor_id
	    : l->shift_counsellor_id;
	if (!l->station_name || !l->station_tz || !l->counsellor_name ||
	    !l->note || !l->entered_by) {
		duty_log_free(l);
		return -1;
	}
	return 1;
}

static int
read_value(struct dbstmt *s, void *p)
{
	struct duty_value *v = p;
	const unsigned char *code = db_column_text(s, 0);

	memset(v, 0, sizeof(*v));
	snprintf(v->code, sizeof(v->code), "%s",
	    code ? (const char *)code : "");
	v->value = db_column_int64(s, 1);
	return 1;
}

static void
value_free_item(void *p)
{
	(void)p;
}

static int
load_values(struct store *st, struct duty_log *l)
{
	struct dbstmt *s;

	if (!l->logged)
		return 1;
	if ((s = store_stmt(st, STMT_DUTY_LOG_VALUES)) == NULL)
		return -1;
	db_bind_int64(s, 1, l->shift_id);
	return store_collect(st, s, sizeof(*l->values), read_value,
	    value_free_item, (void **)&l->values, &l->nvalues,
	    "duty log values");
}

int
store_duty_log_get(struct store *st, int64_t shift_id, struct duty_log *out)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_LOG_GET);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, shift_id);
	if ((rc = store_get_row(st, s, read_log, out, "duty log get")) <= 0)
		return rc;
	if (load_values(st, out) < 0) {
		duty_log_free(out);
		return -1;
	}
	return 1;
}

static void
bind_log_filter(struct dbstmt *s, const struct duty_log_filter *f)
{
	db_bind_int64(s, 1, f->from);
	db_bind_int64(s, 2, f->to);
	db_bind_int64(s, 3, f->station_id);
	db_bind_int64(s, 4, f->counsellor_id);
	db_bind_int(s, 5, f->missing != 0);
	db_bind_int64(s, 6, f->now);
}

int
store_duty_log_list(struct store *st, const struct duty_log_filter *f,
    const struct store_page *pg, struct duty_log **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;
	size_t i;

	*items = NULL;
	*n = 0;
	if ((s = store_stmt(st, STMT_DUTY_LOG_COUNT)) == NULL)
		return -1;
	bind_log_filter(s, f);
	if (store_scalar(st, s, total, "duty log count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_DUTY_LOG_LIST)) == NULL)
		return -1;
	bind_log_filter(s, f);
	db_bind_int64(s, 7, pg->limit);
	db_bind_int64(s, 8, pg->offset);
	if (store_collect(st, s, sizeof(**items), read_log, log_free_item,
	        (void **)items, n, "duty log list") < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (load_values(st, &(*items)[i]) < 0) {
			duty_log_list_free(*items, *n);
			*items = NULL;
			*n = 0;
			return -1;
		}
	return 1;
}

int
store_duty_log_put(struct store *st, const struct duty_log_write *w)
{
	struct dbstmt *s;
	size_t i;

	if ((s = store_stmt(st, STMT_DUTY_LOG_UPSERT)) == NULL)
		return -1;
	db_bind_int64(s, 1, w->shift_id);
	store_bind_id(s, 2, w->counsellor_id);
	db_bind_int(s, 3, w->attended != 0);
	store_bind_text(s, 4, w->note ? w->note : "");
	store_bind_id(s, 5, w->user_id);
	db_bind_int64(s, 6, w->at);
	if (store_step_write(st, s, "duty log upsert") <= 0)
		return -1;
	if ((s = store_stmt(st, STMT_DUTY_LOG_VALUES_CLEAR)) == NULL)
		return -1;
	db_bind_int64(s, 1, w->shift_id);
	db_bind_int(s, 2, w->attended != 0);
	if (store_step_write(st, s, "duty log values clear") <= 0)
		return -1;
	for (i = 0; i < w->nvalues; i++) {
		if ((s = store_stmt(st, STMT_DUTY_LOG_VALUE_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, w->shift_id);
		store_bind_text(s, 2, w->values[i].code);
		db_bind_int64(s, 3, w->values[i].value);
		/* 0: the same code twice; the caller's values are distinct */
		if (store_step_write(st, s, "duty log value insert") <= 0)
			return -1;
	}
	return 1;
}

int
store_duty_log_exists(struct store *st, int64_t shift_id)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_LOG_EXISTS);
	int64_t n;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, shift_id);
	if (store_scalar(st, s, &n, "duty log exists") < 0)
		return -1;
	return n > 0;
}

/* --- the report ------------------------------------------------------------- */

static int
read_stat_shift(struct dbstmt *s, void *p)
{
	struct duty_stat_shift *x = p;

	x->shift_id = db_column_int64(s, 0);
	x->station_id = db_column_int64(s, 1);
	x->counsellor_id = db_column_int64(s, 2);
	x->start_at = (time_t)db_column_int64(s, 3);
	x->end_at = (time_t)db_column_int64(s, 4);
	x->logged = db_column_int(s, 5);
	x->attended = db_column_int(s, 6);
	return 1;
}

static int
read_stat_value(struct dbstmt *s, void *p)
{
	struct duty_stat_value *x = p;
	const unsigned char *code = db_column_text(s, 1);

	x->shift_id = db_column_int64(s, 0);
	snprintf(x->code, sizeof(x->code), "%s",
	    code ? (const char *)code : "");
	x->value = db_column_int64(s, 2);
	return 1;
}

int
store_duty_stat_shifts(struct store *st, time_t from, time_t to,
    struct duty_stat_shift **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_STAT_SHIFTS);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_stat_shift,
	    value_free_item, (void **)items, n, "duty stat shifts");
}

int
store_duty_stat_values(struct store *st, time_t from, time_t to,
    struct duty_stat_value **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_STAT_VALUES);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_collect(st, s, sizeof(**items), read_stat_value,
	    value_free_item, (void **)items, n, "duty stat values");
}

/* --- reminders ---------------------------------------------------------------- */

static void
due_free(struct duty_due *d)
{
	free(d->station_name);
	free(d->station_tz);
	free(d->counsellor_name);
	free(d->email);
}

static void
due_free_item(void *p)
{
	due_free(p);
}

void
duty_due_list_free(struct duty_due *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), due_free_item);
}

static int
read_due(struct dbstmt *s, void *p)
{
	struct duty_due *d = p;

	memset(d, 0, sizeof(*d));
	d->shift_id = db_column_int64(s, 0);
	d->counsellor_id = db_column_int64(s, 1);
	d->start_at = (time_t)db_column_int64(s, 2);
	d->end_at = (time_t)db_column_int64(s, 3);
	d->station_name = store_col_text(s, 4);
	d->station_tz = store_col_text(s, 5);
	d->counsellor_name = store_col_text(s, 6);
	d->email = store_col_text(s, 7);
	if (!d->station_name || !d->station_tz || !d->counsellor_name ||
	    !d->email) {
		due_free(d);
		return -1;
	}
	return 1;
}

int
store_duty_due_collect(struct store *st, struct dbstmt *s,
    struct duty_due **items, size_t *n, const char *what)
{
	return store_collect(st, s, sizeof(**items), read_due, due_free_item,
	    (void **)items, n, what);
}

int
store_duty_due(struct store *st, time_t after, time_t until,
    struct duty_due **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_DUE);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, after);
	db_bind_int64(s, 2, until);
	return store_duty_due_collect(st, s, items, n, "duty due");
}

int
store_duty_outbox_skip(struct store *st, int64_t shift_id, time_t ended_by,
    const char *reason)
{
	struct dbstmt *s = store_stmt(st, STMT_DUTY_OUTBOX_SKIP);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, shift_id);
	db_bind_int64(s, 2, ended_by);
	store_bind_text(s, 3, reason);
	return store_step_write(st, s, "duty outbox skip") < 0 ? -1 : 1;
}
