/*
 * Events, their speakers, their change history, and the clashes a new
 * time, speaker or venue would cause. Speakers are written with the
 * event in the caller's transaction, so an event is never half-saved.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stmt.h"

void
event_free(struct event *e)
{
	if (e == NULL)
		return;
	free(e->kind);
	free(e->title);
	free(e->description);
	free(e->venue);
	free(e->audience);
	free(e->external_speaker);
	free(e->reminders);
}

static void
free_item(void *p)
{
	event_free(p);
}

void
event_list_free(struct event *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_item);
}

static int
read_item(struct dbstmt *s, void *p)
{
	struct event *e = p;

	memset(e, 0, sizeof(*e));
	e->id = db_column_int64(s, 0);
	e->kind = store_col_text(s, 1);
	e->title = store_col_text(s, 2);
	e->description = store_col_text(s, 3);
	e->station_id = db_column_int64(s, 4);
	e->venue = store_col_text(s, 5);
	e->start_at = (time_t)db_column_int64(s, 6);
	e->end_at = (time_t)db_column_int64(s, 7);
	e->planned_start_at = (time_t)db_column_int64(s, 8);
	e->audience = store_col_text(s, 9);
	e->external_speaker = store_col_text(s, 10);
	e->capacity = db_column_int64(s, 11);
	e->status = store_col_state(s, 12, event_status_names);
	e->public_ = db_column_int(s, 13);
	e->survey_template_id = db_column_int64(s, 14);
	e->reminders = store_col_text(s, 15);
	e->replaces_event_id = db_column_int64(s, 16);
	e->sequence = db_column_int64(s, 17);
	e->held_at = (time_t)db_column_int64(s, 18);
	e->cancelled_at = (time_t)db_column_int64(s, 19);
	e->created_at = (time_t)db_column_int64(s, 20);
	e->updated_at = (time_t)db_column_int64(s, 21);
	e->nspeakers = store_col_ids(s, 22, e->speaker_ids, EVENT_MAX_SPEAKERS);
	if (!e->kind || !e->title || !e->description || !e->venue ||
	    !e->audience || !e->external_speaker || !e->status ||
	    !e->reminders) {
		event_free(e);
		return -1;
	}
	return 1;
}

int
store_event_get(struct store *st, int64_t id, struct event *out)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_item, out, "event get");
}

static void
bind_filter(struct dbstmt *s, const struct event_filter *f)
{
	db_bind_int64(s, 1, f->from);
	db_bind_int64(s, 2, f->to);
	store_bind_text(s, 3, f->kind);
	store_bind_text(s, 4, f->audience);
	store_bind_state(s, 5, event_status_names, f->status);
	store_bind_like(s, 6, f->q);
	db_bind_int64(s, 7, f->station_id);
	db_bind_int(s, 10, f->public_only != 0);
	db_bind_int64(s, 11, f->speaker_id);
}

int
store_event_list(struct store *st, const struct event_filter *f,
    const struct store_page *pg, struct event **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_EVENT_COUNT)) == NULL)
		return -1;
	bind_filter(s, f);
	if (store_scalar(st, s, total, "event count") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_EVENT_LIST)) == NULL)
		return -1;
	bind_filter(s, f);
	db_bind_int64(s, 8, pg->limit);
	db_bind_int64(s, 9, pg->offset);
	return store_collect(st, s, sizeof(**items), read_item, free_item,
	    (void **)items, n, "event list");
}

/* Binds parameters 1..19, shared by insert and update. */
static void
bind_fields(struct dbstmt *s, const struct event *e)
{
	store_bind_text(s, 1, e->kind);
	store_bind_text(s, 2, e->title);
	store_bind_text(s, 3, e->description ? e->description : "");
	store_bind_id(s, 4, e->station_id);
	store_bind_text(s, 5, e->venue ? e->venue : "");
	db_bind_int64(s, 6, e->start_at);
	db_bind_int64(s, 7, e->end_at);
	db_bind_int64(s, 8, e->planned_start_at);
	store_bind_text(s, 9, e->audience);
	store_bind_text(s, 10, e->external_speaker ? e->external_speaker : "");
	if (e->capacity < 0)
		db_bind_null(s, 11);
	else
		db_bind_int64(s, 11, e->capacity);
	store_bind_state(s, 12, event_status_names, e->status);
	db_bind_int(s, 13, e->public_ != 0);
	store_bind_id(s, 14, e->survey_template_id);
	store_bind_text(s, 15, e->reminders ? e->reminders : "[]");
	store_bind_id(s, 16, e->replaces_event_id);
	db_bind_int64(s, 17, e->sequence);
	if (e->held_at)
		db_bind_int64(s, 18, e->held_at);
	else
		db_bind_null(s, 18);
	if (e->cancelled_at)
		db_bind_int64(s, 19, e->cancelled_at);
	else
		db_bind_null(s, 19);
}

static int
write_speakers(struct store *st, const struct event *e, int fresh)
{
	struct dbstmt *s;
	size_t i;

	/* A new row has none to delete (an import inserts thousands). */
	if (!fresh) {
		if ((s = store_stmt(st, STMT_EVENT_SPEAKERS_DELETE)) == NULL)
			return -1;
		db_bind_int64(s, 1, e->id);
		if (store_step_write(st, s, "event speakers delete") <= 0)
			return -1;
	}
	for (i = 0; i < e->nspeakers; i++) {
		if ((s = store_stmt(st, STMT_EVENT_SPEAKER_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, e->id);
		db_bind_int64(s, 2, e->speaker_ids[i]);
		if (store_step_write(st, s, "event speaker insert") <= 0)
			return -1;
	}
	return 1;
}

int
store_event_insert(struct store *st, struct event *e)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_INSERT);

	if (s == NULL)
		return -1;
	bind_fields(s, e);
	db_bind_int64(s, 20, e->created_at);
	db_bind_int64(s, 21, e->updated_at);
	if (store_step_write(st, s, "event insert") <= 0)
		return -1;
	e->id = db_last_id(st);
	return write_speakers(st, e, 1);
}

int
store_event_update(struct store *st, const struct event *e)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_UPDATE);

	if (s == NULL)
		return -1;
	bind_fields(s, e);
	db_bind_int64(s, 20, e->id);
	db_bind_int64(s, 21, e->updated_at);
	if (store_step_write(st, s, "event update") <= 0)
		return -1;
	if (db_changes(st) == 0)
		return 0;
	return write_speakers(st, e, 0);
}

int
store_event_change_add(struct store *st, int64_t event_id, const char *kind,
    time_t old_start, time_t old_end, time_t new_start, time_t new_end,
    const char *reason, int64_t user_id)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_CHANGE_INSERT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	store_bind_text(s, 2, kind);
	store_bind_time(s, 3, old_start);
	store_bind_time(s, 4, old_end);
	store_bind_time(s, 5, new_start);
	store_bind_time(s, 6, new_end);
	store_bind_text(s, 7, reason ? reason : "");
	store_bind_id(s, 8, user_id);
	db_bind_int64(s, 9, (int64_t)time(NULL));
	return store_step_write(st, s, "event change insert") > 0 ? 1 : -1;
}

static void
free_change(void *p)
{
	struct event_change *c = p;

	free(c->kind);
	free(c->reason);
	free(c->username);
}

void
event_change_list_free(struct event_change *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_change);
}

static int
read_change(struct dbstmt *s, void *p)
{
	struct event_change *c = p;

	c->id = db_column_int64(s, 0);
	c->kind = store_col_text(s, 1);
	c->old_start = (time_t)db_column_int64(s, 2);
	c->old_end = (time_t)db_column_int64(s, 3);
	c->new_start = (time_t)db_column_int64(s, 4);
	c->new_end = (time_t)db_column_int64(s, 5);
	c->reason = store_col_text(s, 6);
	c->username = store_col_text(s, 7);
	c->at = (time_t)db_column_int64(s, 8);
	if (!c->kind || !c->reason || !c->username) {
		free_change(c);
		return -1;
	}
	return 1;
}

int
store_event_history(struct store *st, int64_t event_id,
    struct event_change **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_HISTORY);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_collect(st, s, sizeof(**items), read_change, free_change,
	    (void **)items, n, "event history");
}

static void
free_clash(void *p)
{
	struct clash *c = p;

	free(c->counsellor_name);
	free(c->title);
	free(c->station_name);
	free(c->venue);
}

void
clash_list_free(struct clash *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), free_clash);
}

/* The three clash queries share one column layout: other id,
 * counsellor id, counsellor name, station id, station name, title,
 * start, end. */
static int
read_clash(struct dbstmt *s, void *p)
{
	struct clash *c = p;

	memset(c, 0, sizeof(*c));
	c->other_id = db_column_int64(s, 0);
	c->counsellor_id = db_column_int64(s, 1);
	c->counsellor_name = store_col_text(s, 2);
	c->station_id = db_column_int64(s, 3);
	c->station_name = store_col_text(s, 4);
	c->title = store_col_text(s, 5);
	c->start_at = (time_t)db_column_int64(s, 6);
	c->end_at = (time_t)db_column_int64(s, 7);
	c->venue = strdup("");
	if (!c->counsellor_name || !c->station_name || !c->title || !c->venue) {
		free_clash(c);
		return -1;
	}
	return 1;
}

/* Appends the rows of s, typed t, to the growing list. */
static int
append_clashes(struct store *st, struct dbstmt *s, enum clash_type t,
    struct clash **all, size_t *nall)
{
	struct clash *got = NULL, *grown;
	size_t n = 0, i;

	if (store_collect(st, s, sizeof(*got), read_clash, free_clash,
	        (void **)&got, &n, "event clashes") < 0)
		return -1;
	if (n == 0) {
		free(got);
		return 1;
	}
	if ((grown = realloc(*all, (*nall + n) * sizeof(**all))) == NULL) {
		clash_list_free(got, n);
		return -1;
	}
	*all = grown;
	for (i = 0; i < n; i++) {
		got[i].type = t;
		(*all)[(*nall)++] = got[i];
	}
	free(got);
	return 1;
}

int
store_event_clashes(struct store *st, const struct event *e,
    struct clash **items, size_t *n)
{
	struct dbstmt *s;
	size_t i;

	*items = NULL;
	*n = 0;
	for (i = 0; i < e->nspeakers; i++) {
		if ((s = store_stmt(st, STMT_CLASH_SHIFTS)) == NULL)
			goto err;
		db_bind_int64(s, 1, e->speaker_ids[i]);
		db_bind_int64(s, 2, e->start_at);
		db_bind_int64(s, 3, e->end_at);
		if (append_clashes(st, s, CLASH_SHIFT, items, n) < 0)
			goto err;
		if ((s = store_stmt(st, STMT_CLASH_SPEAKER)) == NULL)
			goto err;
		db_bind_int64(s, 1, e->speaker_ids[i]);
		db_bind_int64(s, 2, e->start_at);
		db_bind_int64(s, 3, e->end_at);
		db_bind_int64(s, 4, e->id);
		if (append_clashes(st, s, CLASH_SPEAKER, items, n) < 0)
			goto err;
	}
	if (e->station_id != 0 && e->venue != NULL && e->venue[0] != '\0') {
		size_t first = *n;

		if ((s = store_stmt(st, STMT_CLASH_VENUE)) == NULL)
			goto err;
		db_bind_int64(s, 1, e->station_id);
		store_bind_text(s, 2, e->venue);
		db_bind_int64(s, 3, e->start_at);
		db_bind_int64(s, 4, e->end_at);
		db_bind_int64(s, 5, e->id);
		if (append_clashes(st, s, CLASH_VENUE, items, n) < 0)
			goto err;
		for (i = first; i < *n; i++) {
			free((*items)[i].venue);
			if (((*items)[i].venue = strdup(e->venue)) == NULL)
				goto err;
		}
	}
	return 1;
err:
	clash_list_free(*items, *n);
	*items = NULL;
	*n = 0;
	return -1;
}

static int
count_id(struct store *st, enum stmt which, int64_t id)
{
	struct dbstmt *s = store_stmt(st, which);
	int64_t n;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_scalar(st, s, &n, "exists") < 0)
		return -1;
	return n > 0;
}

int
store_counsellor_exists(struct store *st, int64_t id)
{
	return count_id(st, STMT_COUNSELLOR_EXISTS, id);
}

int
store_survey_template_exists(struct store *st, int64_t id)
{
	return count_id(st, STMT_SURVEY_TEMPLATE_EXISTS, id);
}

int
store_station_exists(struct store *st, int64_t id)
{
	return count_id(st, STMT_STATION_EXISTS, id);
}

int
store_event_exists(struct store *st, int64_t id)
{
	return count_id(st, STMT_EVENT_EXISTS, id);
}

/* --- imports: staged outside the write lock (issue 17) ----------------- */

static int
run(struct store *st, enum stmt which, const char *what)
{
	struct dbstmt *s = store_stmt(st, which);

	return s == NULL ? -1 : store_step_write(st, s, what) > 0 ? 1 : -1;
}

int
store_import_stage(struct store *st, const struct event *ev,
    const int64_t *fresh, size_t n, const char *const *names, size_t nnames)
{
	struct dbstmt *s;
	size_t i;

	/* Temp tables live in the connection's own temp database: writing
	 * them takes no lock on the shared one. */
	if (run(st, STMT_IMPORT_EVENTS_TABLE, "import events table") < 0 ||
	    run(st, STMT_IMPORT_STATIONS_TABLE, "import stations table") < 0 ||
	    run(st, STMT_BEGIN_DEFERRED, "import stage begin") < 0)
		return -1;
	if (run(st, STMT_IMPORT_EVENTS_CLEAR, "import events clear") < 0 ||
	    run(st, STMT_IMPORT_STATIONS_CLEAR, "import stations clear") < 0)
		goto fail;
	for (i = 0; i < nnames; i++) {
		if ((s = store_stmt(st, STMT_IMPORT_STATION_STAGE)) == NULL)
			goto fail;
		db_bind_int64(s, 1, (int64_t)i + 1);
		store_bind_text(s, 2, names[i]);
		if (store_step_write(st, s, "import station stage") <= 0)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		if ((s = store_stmt(st, STMT_IMPORT_EVENT_STAGE)) == NULL)
			goto fail;
		bind_fields(s, &ev[i]);
		db_bind_int64(s, 20, ev[i].created_at);
		db_bind_int64(s, 21, ev[i].updated_at);
		db_bind_int64(s, 22, fresh ? fresh[i] : 0);
		db_bind_int64(s, 23, (int64_t)i + 1);
		if (store_step_write(st, s, "import event stage") <= 0)
			goto fail;
	}
	return run(st, STMT_COMMIT, "import stage commit");
fail:
	if (db_in_tx(st))
		run(st, STMT_ROLLBACK, "import stage rollback");
	return -1;
}

void
store_import_clear(struct store *st)
{
	if (run(st, STMT_IMPORT_EVENTS_TABLE, "import events table") > 0)
		run(st, STMT_IMPORT_EVENTS_CLEAR, "import events clear");
	if (run(st, STMT_IMPORT_STATIONS_TABLE, "import stations table") > 0)
		run(st, STMT_IMPORT_STATIONS_CLEAR, "import stations clear");
}

int
store_import_publish(struct store *st, int64_t max_imp, int64_t user_id,
    time_t now, int64_t *station_base, int64_t *event_base)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_STATION_MAX_ID)) == NULL ||
	    store_scalar(st, s, station_base, "station max id") < 0 ||
	    (s = store_stmt(st, STMT_EVENT_MAX_ID)) == NULL ||
	    store_scalar(st, s, event_base, "event max id") < 0)
		return -1;
	if ((s = store_stmt(st, STMT_IMPORT_STATIONS_PUBLISH)) == NULL)
		return -1;
	db_bind_int64(s, 1, *station_base);
	db_bind_int64(s, 2, max_imp);
	db_bind_int64(s, 3, now);
	if (store_step_write(st, s, "import stations publish") <= 0)
		return -1;
	if ((s = store_stmt(st, STMT_IMPORT_EVENTS_PUBLISH)) == NULL)
		return -1;
	db_bind_int64(s, 1, *event_base);
	db_bind_int64(s, 2, *station_base);
	if (store_step_write(st, s, "import events publish") <= 0)
		return -1;
	if ((s = store_stmt(st, STMT_IMPORT_CHANGES_PUBLISH)) == NULL)
		return -1;
	db_bind_int64(s, 1, *event_base);
	store_bind_id(s, 2, user_id);
	db_bind_int64(s, 3, (int64_t)time(NULL));
	return store_step_write(st, s, "import changes publish") > 0 ? 1 : -1;
}

static int
read_event_mark(struct dbstmt *s, void *p)
{
	return store_mark_read(s, event_status_names, p);
}

static void
free_mark(void *p)
{
	(void)p;
}

static int
by_mark_id(const void *a, const void *b)
{
	const struct feed_mark *x = *(struct feed_mark *const *)a;
	const struct feed_mark *y = *(struct feed_mark *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Mixes each event's speakers (in counsellor order) into its mark. */
static int
add_speakers(struct store *st, struct feed_mark *m, size_t n)
{
	struct dbstmt *s;
	struct feed_mark **by = NULL;
	size_t i, k = 0;
	int rc;

	if (n == 0)
		return 1;
	if ((s = store_stmt(st, STMT_EVENT_SPEAKER_MARKS)) == NULL ||
	    (by = malloc(n * sizeof(*by))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		by[i] = &m[i];
	qsort(by, n, sizeof(*by), by_mark_id);
	db_bind_int64(s, 1, by[0]->id);
	db_bind_int64(s, 2, by[n - 1]->id);
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t ev = db_column_int64(s, 0);

		while (k < n && by[k]->id < ev)
			k++;
		if (k == n) {
			rc = DB_DONE;
			break;
		}
		if (by[k]->id == ev)
			by[k]->fp = store_fp_mix(by[k]->fp,
			    db_column_int64(s, 1));
	}
	free(by);
	if (rc != DB_DONE)
		store_fail(st, "event speaker marks");
	db_reset(s);
	return rc == DB_DONE ? 1 : -1;
}

int
store_event_marks(struct store *st, const struct event_filter *f,
    const struct store_page *pg, struct feed_mark **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_EVENT_MARKS);

	if (s == NULL)
		return -1;
	bind_filter(s, f);
	db_bind_int64(s, 8, pg->limit);
	db_bind_int64(s, 9, pg->offset);
	if (store_collect(st, s, sizeof(**items), read_event_mark, free_mark,
	        (void **)items, n, "event marks") < 0)
		return -1;
	if (add_speakers(st, *items, *n) < 0) {
		free(*items);
		*items = NULL;
		*n = 0;
		return -1;
	}
	return 1;
}

/* --- imports published in bounded batches (issue 17, importperf) ------- */

/* One batch: the staged stations, or events with their history, of seq
 * lo…hi. 1, or -1 on failure. */
static int
publish_range(struct store *st, const struct import_publish *p, int events,
    int64_t sbase, int64_t ebase, int64_t lo, int64_t hi)
{
	struct dbstmt *s;

	if (!events) {
		if ((s = store_stmt(st, STMT_IMPORT_STATIONS_PUBLISH_RANGE)) ==
		    NULL)
			return -1;
		db_bind_int64(s, 1, sbase);
		db_bind_int64(s, 2, p->max_imp);
		db_bind_int64(s, 3, p->now);
		db_bind_int64(s, 4, lo);
		db_bind_int64(s, 5, hi);
		return store_step_write(st, s, "import stations publish") > 0
		    ? 1
		    : -1;
	}
	if ((s = store_stmt(st, STMT_IMPORT_EVENTS_PUBLISH_RANGE)) == NULL)
		return -1;
	db_bind_int64(s, 1, ebase);
	db_bind_int64(s, 2, sbase);
	db_bind_int64(s, 3, lo);
	db_bind_int64(s, 4, hi);
	if (store_step_write(st, s, "import events publish") <= 0 ||
	    (s = store_stmt(st, STMT_IMPORT_CHANGES_PUBLISH_RANGE)) == NULL)
		return -1;
	db_bind_int64(s, 1, ebase);
	store_bind_id(s, 2, p->user_id);
	db_bind_int64(s, 3, (int64_t)time(NULL));
	db_bind_int64(s, 4, lo);
	db_bind_int64(s, 5, hi);
	return store_step_write(st, s, "import changes publish") > 0 ? 1 : -1;
}

/* One statement on the run's record: ?1 the run, ?2 and ?3 a range. */
static int
run_step(struct store *st, enum stmt which, int64_t run, int64_t lo, int64_t hi)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, run);
	if (which != STMT_IMPORT_RUN_DELETE) {
		db_bind_int64(s, 2, lo);
		db_bind_int64(s, 3, hi);
	}
	return store_step_write(st, s, "import run record") > 0 ? 1 : -1;
}

/* Deletes the rows of the batches committed so far (base < 0: that
 * table has none) and the run's recovery record (run > 0), in a
 * transaction of its own; 0: the run's claim was lost with its
 * connection and not taken again, the undo another instance's. */
static int
unpublish(struct store *st, int64_t run, int64_t sbase, size_t ns,
    int64_t ebase, size_t ne)
{
	int mine;

	if (store_begin(st) <= 0)
		return -1;
	if ((mine = store_run_reclaim(st, STMT_IMPORT_RUN_DELETE, run)) <= 0) {
		store_rollback(st);
		return mine;
	}
	if ((run > 0 && run_step(st, STMT_IMPORT_RUN_DELETE, run, 0, 0) < 0) ||
	    store_unpublish_range(st, STMT_IMPORT_EVENTS_UNPUBLISH, ebase, ne,
	        "import events unpublish") < 0 ||
	    store_unpublish_range(st, STMT_IMPORT_STATIONS_UNPUBLISH, sbase, ns,
	        "import stations unpublish") < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st) > 0 ? 1 : -1;
}

int
store_import_publish_batched(struct store *st, struct import_publish *p,
    int64_t *station_base, int64_t *event_base)
{
	size_t batch = p->batch ? p->batch : 1;
	size_t nst = (p->nstations + batch - 1) / batch;
	size_t n = nst + (p->nevents + batch - 1) / batch, k;
	int64_t sbase = -1, ebase = -1, run = 0, t0 = store_ns(CLOCK_MONOTONIC),
	        dt;
	int sdone = 0, edone = 0; /* a batch of the table committed */
	int rc;
	struct dbstmt *s;

	p->batches = 0;
	p->batch_max_ns = p->batches_ns = 0;
	/* Nothing to publish: only `last`, in the caller's transaction. */
	for (k = 0; k < (n ? n : 1); k++) {
		int events = k >= nst;
		size_t total = events ? p->nevents : p->nstations;
		size_t j = events ? k - nst : k;
		/* Batch j of a table: seq hi down to lo. */
		int64_t hi = (int64_t)(total - j * batch);
		int64_t lo = hi > (int64_t)batch ? hi - (int64_t)batch + 1 : 1;

		if (k > 0) {
			if (store_begin(st) <= 0)
				goto undo;
			t0 = store_ns(CLOCK_MONOTONIC);
			/* Another instance's now: nothing more. */
			if ((rc = store_run_reclaim(st, STMT_IMPORT_RUN_DELETE,
			         run)) == 0)
				goto lost;
			if (rc < 0)
				goto fail_tx;
		}
		/* More than one transaction: the recovery record, in the
		 * first (a single one needs none). */
		if (k == 0 && n > 1) {
			if ((s = store_stmt(st, STMT_IMPORT_RUN_INSERT)) ==
			    NULL)
				goto fail_tx;
			store_bind_id(s, 1, p->user_id);
			db_bind_int64(s, 2, (int64_t)p->now);
			if (store_step_write(st, s, "import run insert") <= 0)
				goto fail_tx;
			run = db_last_id(st);
			if (store_run_claim(st, STMT_IMPORT_RUN_DELETE, run) <
			    0)
				goto fail_tx;
		}
		/* A table's range is recorded before its first rows. */
		if (n > 0 && !events && sbase < 0 &&
		    ((s = store_stmt(st, STMT_STATION_MAX_ID)) == NULL ||
		        store_scalar(st, s, &sbase, "station max id") < 0 ||
		        (run > 0 &&
		            run_step(st, STMT_IMPORT_RUN_STATIONS, run, sbase,
		                sbase + (int64_t)p->nstations) < 0)))
			goto fail_tx;
		if (n > 0 && events && ebase < 0 &&
		    ((s = store_stmt(st, STMT_EVENT_MAX_ID)) == NULL ||
		        store_scalar(st, s, &ebase, "event max id") < 0 ||
		        (run > 0 &&
		            run_step(st, STMT_IMPORT_RUN_EVENTS, run, ebase,
		                ebase + (int64_t)p->nevents) < 0)))
			goto fail_tx;
		/* Any failure rolls the batch back whole. */
		store_bulk_begin(st);
		rc = n > 0 ? publish_range(st, p, events, sbase < 0 ? 0 : sbase,
		                 ebase < 0 ? 0 : ebase, lo, hi)
		           : 1;
		if (store_bulk_end(st) < 0 || rc < 0)
			goto fail_tx;
		if (k + 1 >= n && p->last != NULL &&
		    p->last(st, p->arg, sbase < 0 ? 0 : sbase,
		        ebase < 0 ? 0 : ebase) < 0)
			goto fail_tx;
		/* The last batch: the run is done. */
		if (k + 1 >= n && run > 0 &&
		    run_step(st, STMT_IMPORT_RUN_DELETE, run, 0, 0) < 0)
			goto fail_tx;
		if (store_commit(st) <= 0)
			goto undo;
		if (n > 0 && events)
			edone = 1;
		else if (n > 0)
			sdone = 1;
		dt = store_ns(CLOCK_MONOTONIC) - t0;
		p->batches++;
		p->batches_ns += dt;
		if (dt > p->batch_max_ns)
			p->batch_max_ns = dt;
		if (k + 1 < n && p->between != NULL)
			p->between(st, p->arg, p->batches, n);
	}
	store_run_unclaim(st, STMT_IMPORT_RUN_DELETE, run);
	*station_base = sbase < 0 ? 0 : sbase;
	*event_base = ebase < 0 ? 0 : ebase;
	return 1;
fail_tx:
	store_rollback(st);
undo:
	/* The batch that failed wrote nothing; the ids above a table's
	 * base are the import's once one of its batches committed (the
	 * top one: other writers' rows got ids above it). */
	if (sdone || edone) {
		/* The caller answers from the failure, not the undo's. */
		int why = st->last_error;

		if ((rc = unpublish(st, run, sdone ? sbase : -1, p->nstations,
		         edone ? ebase : -1, p->nevents)) == 0)
			return -1;
		if (rc < 0)
			store_fail(st,
			    "import: undoing the batches published "
			    "(the next start undoes them)");
		else
			st->last_error = why;
	}
	store_run_unclaim(st, STMT_IMPORT_RUN_DELETE, run);
	return -1;
lost:
	store_rollback(st);
	st->last_error = DBE_LOST;
	return -1;
}
