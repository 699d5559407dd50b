/*
 * Rosters: shift templates, shifts, availability (leave) and swap
 * requests. Generated shifts are unique by (template, start, seat), so a
 * second generation run cannot insert a slot twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stmt.h"

/* --- what the four kinds of rows here share -------------------------- */

/* The row of id (?1 of which): > 0 with out, 0 none, -1 failure. */
static int
get_by_id(struct store *st, enum stmt which, int64_t id,
    int (*read)(struct dbstmt *, void *), void *out, const char *what)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read, out, what);
}

/* A list asked for: its count and page statements, bind() putting the
 * filter in both (the same parameters), the page's limit at limit_at
 * and its offset after it; how a row is read and freed. */
struct list_query {
	enum stmt count, list;
	void (*bind)(struct dbstmt *, const void *filter);
	int limit_at;
	size_t elemsz;
	int (*read)(struct dbstmt *, void *);
	void (*free_item)(void *);
	const char *what_count, *what_list;
};

static int
count_and_list(struct store *st, const struct list_query *q, const void *filter,
    const struct store_page *pg, void **items, size_t *n, int64_t *total)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, q->count)) == NULL)
		return -1;
	q->bind(s, filter);
	if (store_scalar(st, s, total, q->what_count) < 0 ||
	    (s = store_stmt(st, q->list)) == NULL)
		return -1;
	q->bind(s, filter);
	db_bind_int64(s, q->limit_at, pg->limit);
	db_bind_int64(s, q->limit_at + 1, pg->offset);
	return store_collect(st, s, q->elemsz, q->read, q->free_item, items, n,
	    q->what_list);
}

/* Steps the bound INSERT s: > 0 with *id the new row's, else the
 * step's answer (0: a uniqueness clash). */
static int
insert_row(struct store *st, struct dbstmt *s, int64_t *id, const char *what)
{
	int rc = store_step_write(st, s, what);

	if (rc > 0)
		*id = db_last_id(st);
	return rc;
}

/* Steps the bound UPDATE s: > 0 when it changed a row, 0 none. */
static int
update_row(struct store *st, struct dbstmt *s, const char *what)
{
	if (store_step_write(st, s, what) <= 0)
		return -1;
	return db_changes(st) > 0;
}

/* Statement which with row bound by bind() and v at ?at (the time
 * created, or the id updated): an INSERT when id is given (insert_row),
 * else an UPDATE (update_row). */
static int
write_row(struct store *st, enum stmt which,
    void (*bind)(struct dbstmt *, const void *), const void *row, int at,
    int64_t v, int64_t *id, const char *what)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	bind(s, row);
	db_bind_int64(s, at, v);
	return id != NULL ? insert_row(st, s, id, what)
	                  : update_row(st, s, what);
}

/* --- templates ------------------------------------------------------ */

void
template_free(struct shift_template *t)
{
	if (t == NULL)
		return;
	free(t->valid_from);
	free(t->valid_to);
}

static void
template_free_item(void *p)
{
	template_free(p);
}

void
template_list_free(struct shift_template *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), template_free_item);
}

static int
read_template(struct dbstmt *s, void *p)
{
	struct shift_template *t = p;
	int oom = 0;

	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, 0);
	t->station_id = db_column_int64(s, 1);
	t->weekdays = (unsigned)db_column_int(s, 2);
	snprintf(t->start, sizeof(t->start), "%s",
	    (const char *)db_column_text(s, 3));
	snprintf(t->end, sizeof(t->end), "%s",
	    (const char *)db_column_text(s, 4));
	t->required = db_column_int64(s, 5);
	t->valid_from = store_col_text_or_null(s, 6, &oom);
	t->valid_to = store_col_text_or_null(s, 7, &oom);
	t->active = db_column_int(s, 8);
	t->created_at = (time_t)db_column_int64(s, 9);
	if (oom) {
		template_free(t);
		return -1;
	}
	return 1;
}

int
store_template_get(struct store *st, int64_t id, struct shift_template *out)
{
	return get_by_id(st, STMT_TEMPLATE_GET, id, read_template, out,
	    "template get");
}

static void
bind_template_filter(struct dbstmt *s, const void *p)
{
	const struct template_filter *f = p;

	db_bind_int64(s, 1, f->station_id);
	db_bind_int(s, 2, f->active);
}

int
store_template_list(struct store *st, const struct template_filter *f,
    const struct store_page *pg, struct shift_template **items, size_t *n,
    int64_t *total)
{
	static const struct list_query q = {STMT_TEMPLATE_COUNT,
	    STMT_TEMPLATE_LIST, bind_template_filter, 3,
	    sizeof(struct shift_template), read_template, template_free_item,
	    "template count", "template list"};

	return count_and_list(st, &q, f, pg, (void **)items, n, total);
}

static void
bind_template(struct dbstmt *s, const void *p)
{
	const struct shift_template *t = p;

	db_bind_int64(s, 1, t->station_id);
	db_bind_int(s, 2, (int)t->weekdays);
	store_bind_text(s, 3, t->start);
	store_bind_text(s, 4, t->end);
	db_bind_int64(s, 5, t->required);
	store_bind_text(s, 6, t->valid_from);
	store_bind_text(s, 7, t->valid_to);
	db_bind_int(s, 8, t->active != 0);
}

int
store_template_insert(struct store *st, struct shift_template *t)
{
	return write_row(st, STMT_TEMPLATE_INSERT, bind_template, t, 9,
	           t->created_at, &t->id, "template insert") > 0
	    ? 1
	    : -1;
}

int
store_template_update(struct store *st, const struct shift_template *t)
{
	return write_row(st, STMT_TEMPLATE_UPDATE, bind_template, t, 9, t->id,
	    NULL, "template update");
}

/* --- shifts --------------------------------------------------------- */

void
shift_free(struct shift *sh)
{
	if (sh == NULL)
		return;
	free(sh->origin);
	free(sh->note);
	free(sh->station_name);
	free(sh->counsellor_name);
}

static void
shift_free_item(void *p)
{
	shift_free(p);
}

void
shift_list_free(struct shift *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), shift_free_item);
}

static int
read_shift(struct dbstmt *s, void *p)
{
	struct shift *sh = p;

	memset(sh, 0, sizeof(*sh));
	sh->id = db_column_int64(s, 0);
	sh->station_id = db_column_int64(s, 1);
	sh->counsellor_id = db_column_int64(s, 2);
	sh->template_id = db_column_int64(s, 3);
	sh->seat = db_column_int(s, 4);
	sh->start_at = (time_t)db_column_int64(s, 5);
	sh->end_at = (time_t)db_column_int64(s, 6);
	sh->status = store_col_state(s, 7, shift_status_names);
	sh->origin = store_col_text(s, 8);
	sh->note = store_col_text(s, 9);
	sh->sequence = db_column_int64(s, 10);
	sh->created_at = (time_t)db_column_int64(s, 11);
	sh->updated_at = (time_t)db_column_int64(s, 12);
	sh->station_name = store_col_text(s, 13);
	sh->counsellor_name = store_col_text(s, 14);
	sh->pinned = db_column_int(s, 15);
	if (!sh->status || !sh->origin || !sh->note || !sh->station_name ||
	    !sh->counsellor_name) {
		shift_free(sh);
		return -1;
	}
	return 1;
}

int
store_shift_get(struct store *st, int64_t id, struct shift *out)
{
	return get_by_id(st, STMT_SHIFT_GET, id, read_shift, out, "shift get");
}

static void
bind_shift_filter(struct dbstmt *s, const void *p)
{
	const struct shift_filter *f = p;

	db_bind_int64(s, 1, f->from);
	db_bind_int64(s, 2, f->to);
	db_bind_int64(s, 3, f->station_id);
	db_bind_int64(s, 4, f->counsellor_id);
	store_bind_state(s, 5, shift_status_names, f->status);
	db_bind_int(s, 6, f->open_only != 0);
	db_bind_int(s, 7, f->active_only != 0);
}

int
store_shift_list(struct store *st, const struct shift_filter *f,
    const struct store_page *pg, struct shift **items, size_t *n,
    int64_t *total)
{
	static const struct list_query q = {STMT_SHIFT_COUNT, STMT_SHIFT_LIST,
	    bind_shift_filter, 8, sizeof(struct shift), read_shift,
	    shift_free_item, "shift count", "shift list"};

	return count_and_list(st, &q, f, pg, (void **)items, n, total);
}

int
store_shift_period(struct store *st, time_t from, time_t to,
    struct shift **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SHIFT_PERIOD);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)from);
	db_bind_int64(s, 2, (int64_t)to);
	return store_collect(st, s, sizeof(**items), read_shift,
	    shift_free_item, (void **)items, n, "shift period");
}

/* Every column but the time created or the id (?11); ?12 is the time
 * updated. */
static void
bind_shift(struct dbstmt *s, const void *p)
{
	const struct shift *sh = p;

	db_bind_int64(s, 1, sh->station_id);
	store_bind_id(s, 2, sh->counsellor_id);
	store_bind_id(s, 3, sh->template_id);
	db_bind_int(s, 4, sh->seat);
	db_bind_int64(s, 5, sh->start_at);
	db_bind_int64(s, 6, sh->end_at);
	store_bind_state(s, 7, shift_status_names, sh->status);
	store_bind_text(s, 8, sh->origin);
	store_bind_text(s, 9, sh->note ? sh->note : "");
	db_bind_int64(s, 10, sh->sequence);
	db_bind_int64(s, 12, sh->updated_at);
	db_bind_int(s, 13, sh->pinned != 0);
}

int
store_shift_insert(struct store *st, struct shift *sh)
{
	return write_row(st, STMT_SHIFT_INSERT, bind_shift, sh, 11,
	    sh->created_at, &sh->id, "shift insert");
}

int
store_shift_update(struct store *st, const struct shift *sh)
{
	return write_row(st, STMT_SHIFT_UPDATE, bind_shift, sh, 11, sh->id,
	    NULL, "shift update");
}

static int
delete_by_id(struct store *st, enum stmt which, int64_t id, const char *what)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return update_row(st, s, what);
}

int
store_shift_delete(struct store *st, int64_t id)
{
	return delete_by_id(st, STMT_SHIFT_DELETE, id, "shift delete");
}

/* --- availability ----------------------------------------------------- */

void
availability_free(struct availability *a)
{
	if (a != NULL) {
		free(a->reason);
		free(a->decision_note);
	}
}

static void
avail_free_item(void *p)
{
	availability_free(p);
}

void
availability_list_free(struct availability *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), avail_free_item);
}

static int
read_avail(struct dbstmt *s, void *p)
{
	struct availability *a = p;

	a->id = db_column_int64(s, 0);
	a->counsellor_id = db_column_int64(s, 1);
	a->start_at = (time_t)db_column_int64(s, 2);
	a->end_at = (time_t)db_column_int64(s, 3);
	a->reason = store_col_text(s, 4);
	a->created_at = (time_t)db_column_int64(s, 5);
	a->status = store_col_state(s, 6, leave_status_names);
	a->entered_by = store_col_state(s, 7, leave_by_names);
	a->decided_by = db_column_int64(s, 8);
	a->decided_at = (time_t)db_column_int64(s, 9);
	a->decision_note = store_col_text(s, 10);
	if (a->reason == NULL || a->decision_note == NULL) {
		availability_free(a);
		return -1;
	}
	return 1;
}

int
store_availability_get(struct store *st, int64_t id, struct availability *out)
{
	return get_by_id(st, STMT_AVAIL_GET, id, read_avail, out,
	    "availability get");
}

/* The filter: ?1-?3 and ?6, ?7 (the page is ?4, ?5). */
static void
avail_bind_filter(struct dbstmt *s, const void *p)
{
	const struct availability_filter *f = p;

	db_bind_int64(s, 1, f->counsellor_id);
	db_bind_int64(s, 2, f->from);
	db_bind_int64(s, 3, f->to);
	store_bind_state(s, 6, leave_status_names, (int)f->status);
	db_bind_int(s, 7, f->live != 0);
}

/* A new row's state: approved unless said; by the coordinator unless
 * said. */
static void
avail_bind_state(struct dbstmt *s, const struct availability *a, int st_idx)
{
	store_bind_state(s, st_idx, leave_status_names,
	    a->status ? (int)a->status : LEAVE_APPROVED);
}

int
store_availability_list(struct store *st, const struct availability_filter *f,
    const struct store_page *pg, struct availability **items, size_t *n,
    int64_t *total)
{
	static const struct list_query q = {STMT_AVAIL_COUNT, STMT_AVAIL_LIST,
	    avail_bind_filter, 4, sizeof(struct availability), read_avail,
	    avail_free_item, "availability count", "availability list"};

	return count_and_list(st, &q, f, pg, (void **)items, n, total);
}

int
store_availability_insert(struct store *st, struct availability *a)
{
	struct dbstmt *s = store_stmt(st, STMT_AVAIL_INSERT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, a->counsellor_id);
	db_bind_int64(s, 2, a->start_at);
	db_bind_int64(s, 3, a->end_at);
	store_bind_text(s, 4, a->reason ? a->reason : "");
	db_bind_int64(s, 5, a->created_at);
	avail_bind_state(s, a, 6);
	store_bind_state(s, 7, leave_by_names,
	    a->entered_by ? (int)a->entered_by : LEAVE_BY_COORDINATOR);
	if (a->decided_by)
		db_bind_int64(s, 8, a->decided_by);
	else
		db_bind_null(s, 8);
	if (a->decided_at)
		db_bind_int64(s, 9, a->decided_at);
	else
		db_bind_null(s, 9);
	store_bind_text(s, 10, a->decision_note ? a->decision_note : "");
	return insert_row(st, s, &a->id, "availability insert") > 0 ? 1 : -1;
}

int
store_availability_update(struct store *st, const struct availability *a)
{
	struct dbstmt *s = store_stmt(st, STMT_AVAIL_UPDATE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, a->counsellor_id);
	db_bind_int64(s, 2, a->start_at);
	db_bind_int64(s, 3, a->end_at);
	store_bind_text(s, 4, a->reason ? a->reason : "");
	db_bind_int64(s, 5, a->id);
	avail_bind_state(s, a, 6);
	if (a->decided_by)
		db_bind_int64(s, 7, a->decided_by);
	else
		db_bind_null(s, 7);
	if (a->decided_at)
		db_bind_int64(s, 8, a->decided_at);
	else
		db_bind_null(s, 8);
	store_bind_text(s, 9, a->decision_note ? a->decision_note : "");
	return update_row(st, s, "availability update");
}

int
store_availability_delete(struct store *st, int64_t id)
{
	return delete_by_id(st, STMT_AVAIL_DELETE, id, "availability delete");
}

/* --- swap requests ---------------------------------------------------- */

void
swap_free(struct swap_request *w)
{
	if (w == NULL)
		return;
	free(w->reason);
}

static void
swap_free_item(void *p)
{
	swap_free(p);
}

void
swap_list_free(struct swap_request *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), swap_free_item);
}

static int
read_swap(struct dbstmt *s, void *p)
{
	struct swap_request *w = p;

	w->id = db_column_int64(s, 0);
	w->shift_id = db_column_int64(s, 1);
	w->other_shift_id = db_column_int64(s, 2);
	w->requested_by = db_column_int64(s, 3);
	w->status = store_col_state(s, 4, swap_status_names);
	w->reason = store_col_text(s, 5);
	w->decided_by = db_column_int64(s, 6);
	w->decided_at = (time_t)db_column_int64(s, 7);
	w->created_at = (time_t)db_column_int64(s, 8);
	if (!w->reason) {
		swap_free(w);
		return -1;
	}
	return 1;
}

int
store_swap_get(struct store *st, int64_t id, struct swap_request *out)
{
	return get_by_id(st, STMT_SWAP_GET, id, read_swap, out, "swap get");
}

struct swap_filter {
	int64_t requested_by;
	enum swap_status status;
};

static void
bind_swap_filter(struct dbstmt *s, const void *p)
{
	const struct swap_filter *f = p;

	db_bind_int64(s, 1, f->requested_by);
	store_bind_state(s, 2, swap_status_names, f->status);
}

int
store_swap_list(struct store *st, int64_t requested_by, enum swap_status status,
    const struct store_page *pg, struct swap_request **items, size_t *n,
    int64_t *total)
{
	static const struct list_query q = {STMT_SWAP_COUNT, STMT_SWAP_LIST,
	    bind_swap_filter, 3, sizeof(struct swap_request), read_swap,
	    swap_free_item, "swap count", "swap list"};
	struct swap_filter f = {requested_by, status};

	return count_and_list(st, &q, &f, pg, (void **)items, n, total);
}

static void
bind_swap(struct dbstmt *s, const void *p)
{
	const struct swap_request *w = p;

	db_bind_int64(s, 1, w->shift_id);
	store_bind_id(s, 2, w->other_shift_id);
	db_bind_int64(s, 3, w->requested_by);
	store_bind_state(s, 4, swap_status_names, w->status);
	store_bind_text(s, 5, w->reason ? w->reason : "");
	store_bind_id(s, 6, w->decided_by);
	if (w->decided_at)
		db_bind_int64(s, 7, w->decided_at);
	else
		db_bind_null(s, 7);
}

int
store_swap_insert(struct store *st, struct swap_request *w)
{
	return write_row(st, STMT_SWAP_INSERT, bind_swap, w, 8, w->created_at,
	           &w->id, "swap insert") > 0
	    ? 1
	    : -1;
}

int
store_swap_update(struct store *st, const struct swap_request *w)
{
	return write_row(st, STMT_SWAP_UPDATE, bind_swap, w, 9, w->id, NULL,
	    "swap update");
}

/* --- when each station's roster began ---------------------------------- */

static int
read_first(struct dbstmt *s, void *p)
{
	struct shift_first *f = p;

	f->station_id = db_column_int64(s, 0);
	f->start_at = (time_t)db_column_int64(s, 1);
	return 1;
}

static void
first_free_item(void *p)
{
	(void)p;
}

int
store_shift_first_days(struct store *st, struct shift_first **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SHIFT_FIRST_DAYS);

	if (s == NULL)
		return -1;
	return store_collect(st, s, sizeof(**items), read_first,
	    first_free_item, (void **)items, n, "shift first days");
}

static int
read_shift_mark(struct dbstmt *s, void *p)
{
	return store_mark_read(s, shift_status_names, p);
}

static void
free_shift_mark(void *p)
{
	(void)p;
}

int
store_shift_marks(struct store *st, const struct shift_filter *f,
    const struct store_page *pg, struct feed_mark **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SHIFT_MARKS);

	if (s == NULL)
		return -1;
	bind_shift_filter(s, f);
	db_bind_int64(s, 8, pg->limit);
	db_bind_int64(s, 9, pg->offset);
	return store_collect(st, s, sizeof(**items), read_shift_mark,
	    free_shift_mark, (void **)items, n, "shift marks");
}

/* --- roster generation in bounded batches (issue 17, rostergen) ------ */

/* One statement on the run's record: ?1 the run, then nargs of a, b. */
static int
run_set(struct store *st, enum stmt which, int64_t run, int nargs, int64_t a,
    int64_t b)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, run);
	if (nargs > 0)
		db_bind_int64(s, 2, a);
	if (nargs > 1)
		db_bind_int64(s, 3, b);
	return store_step_write(st, s, "roster run record") > 0 ? 1 : -1;
}

int
store_roster_hold(struct store *st, int64_t user_id, time_t now, time_t from,
    time_t to, int64_t *run)
{
	struct dbstmt *s;

	*run = 0;
	if (store_begin(st) <= 0)
		return -1;
	if ((s = store_stmt(st, STMT_ROSTER_RUN_INSERT)) == NULL)
		goto fail;
	store_bind_id(s, 1, user_id);
	db_bind_int64(s, 2, (int64_t)now);
	db_bind_int64(s, 3, (int64_t)from);
	db_bind_int64(s, 4, (int64_t)to);
	if (store_step_write(st, s, "roster run insert") <= 0)
		goto fail;
	*run = db_last_id(st);
	if (store_run_claim(st, STMT_ROSTER_RUN_DELETE, *run) < 0)
		goto fail;
	if (store_commit(st) <= 0) {
		store_run_unclaim(st, STMT_ROSTER_RUN_DELETE, *run);
		*run = 0;
		return -1;
	}
	return 1;
fail:
	store_rollback(st);
	store_run_unclaim(st, STMT_ROSTER_RUN_DELETE, *run);
	*run = 0;
	return -1;
}

/* Deletes the shifts (base, base + n] of the batches committed (base <
 * 0: none) and the run's record, in a transaction of its own; the run
 * is over either way (its claim given back: a record left is the next
 * start's to undo). */
static int
roster_unpublish(struct store *st, int64_t run, int64_t base, size_t n)
{
	int rc = -1, mine = 1;

	if (store_begin(st) > 0) {
		/* The record first: while it is there 015 refuses these
		 * deletes. A claim lost with its connection and not taken
		 * again: the undo is the other instance's. */
		if ((mine = store_run_reclaim(st, STMT_ROSTER_RUN_DELETE,
		         run)) <= 0 ||
		    (run > 0 &&
		        run_set(st, STMT_ROSTER_RUN_DELETE, run, 0, 0, 0) <
		            0) ||
		    store_unpublish_range(st, STMT_ROSTER_SHIFTS_UNPUBLISH,
		        base, n, "roster unpublish") < 0)
			store_rollback(st);
		else
			rc = store_commit(st) > 0 ? 1 : -1;
	}
	if (mine > 0)
		store_run_unclaim(st, STMT_ROSTER_RUN_DELETE, run);
	return rc;
}

int
store_roster_release(struct store *st, int64_t run)
{
	if (run == 0) {
		store_rollback(st);
		return 1;
	}
	return roster_unpublish(st, run, -1, 0);
}

/* Shift sh with its id sh->id (SQLite: the run's range). */
static int
shift_insert_at(struct store *st, const struct shift *sh)
{
	struct dbstmt *s = store_stmt(st, STMT_SHIFT_INSERT_AT);

	if (s == NULL)
		return -1;
	bind_shift(s, sh);
	db_bind_int64(s, 11, sh->created_at);
	db_bind_int64(s, 14, sh->id);
	return store_step_write(st, s, "shift insert at") > 0 ? 1 : -1;
}

/* --- PostgreSQL: a batch's shifts in a few statements (pgroster) ---- *
 * One INSERT a row cost the server 50-80 µs each (executor start, the
 * holds' trigger functions set up again for each statement), ~2,000
 * of them most of a quarter's 120-180 ms. STMT_SHIFT_INSERT_MANY takes
 * up to SHIFTS_PER_INSERT rows as one JSON array of objects (the
 * columns by name); the chunks go out in the bulk pipeline as the
 * single inserts did. */
#define SHIFTS_PER_INSERT 500

/* s as a JSON string (valid UTF-8 in, as every text we store). */
static void
json_text(struct strbuf *b, const char *s)
{
	const char *p, *run;

	strbuf_add(b, "\"", 1);
	for (p = run = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(b, run, (size_t)(p - run));
		if (c == '"' || c == '\\') {
			strbuf_add(b, "\\", 1);
			strbuf_add(b, p, 1);
		} else
			strbuf_printf(b, "\\u%04x", c);
		run = p + 1;
	}
	strbuf_add(b, run, (size_t)(p - run));
	strbuf_add(b, "\"", 1);
}

/* An id column: NULL for none (store_bind_id). */
static void
json_id(struct strbuf *b, int64_t id)
{
	if (id <= 0)
		strbuf_str(b, "null");
	else
		strbuf_printf(b, "%lld", (long long)id);
}

/* Shifts[lo..hi] (0-based, ids set) as one statement's rows, from hi
 * down, each an object of the columns as shift_insert_at binds them. */
static int
shifts_insert_many(struct store *st, const struct shift *sh, int64_t lo,
    int64_t hi)
{
	struct dbstmt *s = store_stmt(st, STMT_SHIFT_INSERT_MANY);
	struct strbuf b;
	int64_t i;
	int rc;

	if (s == NULL)
		return -1;
	memset(&b, 0, sizeof(b));
	strbuf_reserve(&b, (size_t)(hi - lo + 1) * 240 + 2);
	strbuf_add(&b, "[", 1);
	for (i = hi; i >= lo; i--) {
		const struct shift *x = &sh[i];

		strbuf_printf(&b, "%s{\"id\":%lld,\"station_id\":%lld,",
		    i == hi ? "" : ",", (long long)x->id,
		    (long long)x->station_id);
		strbuf_str(&b, "\"counsellor_id\":");
		json_id(&b, x->counsellor_id);
		strbuf_str(&b, ",\"template_id\":");
		json_id(&b, x->template_id);
		strbuf_printf(&b,
		    ",\"slot\":%d,\"start_at\":%lld,\"end_at\":%lld,"
		    "\"status\":",
		    x->seat, (long long)x->start_at, (long long)x->end_at);
		if (x->status > 0)
			json_text(&b, shift_status_names[x->status]);
		else
			strbuf_str(&b, "null");
		strbuf_str(&b, ",\"origin\":");
		if (x->origin != NULL)
			json_text(&b, x->origin);
		else
			strbuf_str(&b, "null");
		strbuf_str(&b, ",\"note\":");
		json_text(&b, x->note ? x->note : "");
		strbuf_printf(&b,
		    ",\"sequence\":%lld,\"created_at\":%lld,"
		    "\"updated_at\":%lld,\"pinned\":%d}",
		    (long long)x->sequence, (long long)x->created_at,
		    (long long)x->updated_at, x->pinned != 0);
	}
	strbuf_add(&b, "]", 1);
	if (b.failed || b.p == NULL) {
		strbuf_free(&b);
		return -1;
	}
	db_bind_text(s, 1, b.p);
	strbuf_free(&b);
	rc = store_step_write(st, s, "shifts insert");
	return rc > 0 ? 1 : -1;
}

/* A batch committed: t0 its begin, tc its COMMIT's; c0 and cc the
 * thread's CPU time then. */
static void
batch_timed(struct roster_publish *p, int64_t t0, int64_t tc, int64_t c0,
    int64_t cc)
{
	int64_t dt = store_ns(CLOCK_MONOTONIC) - t0;

	if (cc - c0 > p->lock_cpu_max_ns)
		p->lock_cpu_max_ns = cc - c0;
	p->batches++;
	p->batches_ns += dt;
	if (dt > p->batch_max_ns)
		p->batch_max_ns = dt;
	p->locks_ns += tc - t0;
	if (tc - t0 > p->lock_max_ns)
		p->lock_max_ns = tc - t0;
}

/* Shifts lo..hi (1-based) of p inserted with the ids base + i, from hi
 * down, in the transaction open; base < 0: n ids reserved first (and,
 * run > 0, recorded as the run's range before its first shift). Any
 * failure: -1, the transaction the caller's to roll back. */
static int
insert_range(struct store *st, struct roster_publish *p, int64_t run,
    int64_t *base, int64_t lo, int64_t hi)
{
	struct dbstmt *s;
	int64_t i;

	/* The ids reserved, so the inserts need no answer each
	 * (PostgreSQL: one pipeline, no savepoints). */
	if (*base < 0 &&
	    ((s = store_stmt(st, STMT_SHIFT_MAX_ID)) == NULL ||
	        db_bind_int64(s, 1, (int64_t)p->n) != 0 ||
	        store_scalar(st, s, base, "shift max id") < 0 ||
	        (run > 0 &&
	            run_set(st, STMT_ROSTER_RUN_SHIFTS, run, 2, *base,
	                *base + (int64_t)p->n) < 0))) {
		*base = -1;
		return -1;
	}
	store_bulk_begin(st);
	if (st->kind == DB_PG) {
		/* A few statements, each of up to SHIFTS_PER_INSERT rows
		 * (from hi down, as below). */
		int64_t top, clo;

		for (i = lo; i <= hi; i++)
			p->shifts[i - 1].id = *base + i;
		for (top = hi; top >= lo; top = clo - 1) {
			clo = top - SHIFTS_PER_INSERT + 1 > lo
			    ? top - SHIFTS_PER_INSERT + 1
			    : lo;
			if (shifts_insert_many(st, p->shifts, clo - 1,
			        top - 1) < 0)
				break;
		}
		return store_bulk_end(st) < 0 || top >= lo ? -1 : 1;
	}
	for (i = hi; i >= lo; i--) {
		p->shifts[i - 1].id = *base + i;
		if (shift_insert_at(st, &p->shifts[i - 1]) < 0)
			break;
	}
	return store_bulk_end(st) < 0 || i >= lo ? -1 : 1;
}

static void
publish_zero(struct roster_publish *p)
{
	p->batches = 0;
	p->batch_max_ns = p->batches_ns = p->lock_max_ns = p->locks_ns = 0;
	p->lock_cpu_max_ns = 0;
}

int
store_roster_publish_whole(struct store *st, struct roster_publish *p)
{
	int64_t t0 = store_ns(CLOCK_MONOTONIC),
	        c0 = store_ns(CLOCK_THREAD_CPUTIME_ID), tc, cc, base = -1;

	publish_zero(p);
	if (insert_range(st, p, 0, &base, 1, (int64_t)p->n) < 0)
		goto fail;
	if ((p->ready != NULL && p->ready(st, p->arg) < 0) ||
	    (p->last != NULL && p->last(st, p->arg) < 0))
		goto fail;
	tc = store_ns(CLOCK_MONOTONIC);
	cc = store_ns(CLOCK_THREAD_CPUTIME_ID);
	if (store_commit(st) <= 0)
		return -1;
	batch_timed(p, t0, tc, c0, cc);
	return 1;
fail:
	store_rollback(st);
	return -1;
}

int
store_roster_publish_batched(struct store *st, int64_t run,
    struct roster_publish *p)
{
	size_t batch = p->batch ? p->batch : 1;
	size_t nb = (p->n + batch - 1) / batch, k;
	int64_t base = -1, t0, tc, c0, cc, hi, lo;
	int done = 0, why, held;

	publish_zero(p);
	for (k = 0; k < nb; k++) {
		/* Batch k: the shifts hi down to lo (1-based). */
		hi = (int64_t)(p->n - k * batch);
		lo = hi > (int64_t)batch ? hi - (int64_t)batch + 1 : 1;
		if (store_begin(st) <= 0)
			goto undo;
		t0 = store_ns(CLOCK_MONOTONIC);
		c0 = store_ns(CLOCK_THREAD_CPUTIME_ID);
		if ((held = store_run_reclaim(st, STMT_ROSTER_RUN_DELETE,
		         run)) == 0)
			goto lost;
		if (held < 0 ||
		    run_set(st, STMT_ROSTER_RUN_HOLD, run, 1, 0, 0) < 0)
			goto fail_tx;
		/* The range is the run's before its first shift; any failure
		 * rolls the batch back whole. */
		if (insert_range(st, p, run, &base, lo, hi) < 0)
			goto fail_tx;
		if (run_set(st, STMT_ROSTER_RUN_HOLD, run, 1, 1, 0) < 0)
			goto fail_tx;
		tc = store_ns(CLOCK_MONOTONIC);
		cc = store_ns(CLOCK_THREAD_CPUTIME_ID);
		if (store_commit(st) <= 0)
			goto undo;
		done = 1;
		batch_timed(p, t0, tc, c0, cc);
		if (p->between != NULL)
			p->between(st, p->arg, k + 1, nb);
	}
	if (p->ready != NULL && p->ready(st, p->arg) < 0)
		goto undo;
	if (store_begin(st) <= 0)
		goto undo;
	t0 = store_ns(CLOCK_MONOTONIC);
	c0 = store_ns(CLOCK_THREAD_CPUTIME_ID);
	if ((held = store_run_reclaim(st, STMT_ROSTER_RUN_DELETE, run)) == 0)
		goto lost;
	if (held < 0 || run_set(st, STMT_ROSTER_RUN_HOLD, run, 1, 0, 0) < 0 ||
	    (p->last != NULL && p->last(st, p->arg) < 0) ||
	    run_set(st, STMT_ROSTER_RUN_DELETE, run, 0, 0, 0) < 0)
		goto fail_tx;
	tc = store_ns(CLOCK_MONOTONIC);
	cc = store_ns(CLOCK_THREAD_CPUTIME_ID);
	if (store_commit(st) <= 0)
		goto undo;
	batch_timed(p, t0, tc, c0, cc);
	store_run_unclaim(st, STMT_ROSTER_RUN_DELETE, run);
	return 1;
lost:
	/* Another instance's now (store_run_reclaim): nothing more. */
	store_rollback(st);
	st->last_error = DBE_LOST;
	return -1;
fail_tx:
	store_rollback(st);
undo:
	/* The batch that failed wrote nothing; the caller answers from the
	 * failure, not the undo's. */
	why = st->last_error;
	if (roster_unpublish(st, run, done ? base : -1, p->n) < 0)
		store_fail(st,
		    "roster: undoing the batches published "
		    "(the next start undoes them)");
	else
		st->last_error = why;
	return -1;
}

uint64_t
store_round_trips(struct store *st)
{
	return st->kind == DB_PG ? st->pg_trips : 0;
}
