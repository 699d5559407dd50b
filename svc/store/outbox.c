/*
 * The outbox: reminder and notice mail, queued in the transaction of its
 * cause and sent by the mailer. The unique dedup key is what keeps a
 * message from being queued twice.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

void
outbox_free(struct outbox_msg *m)
{
	if (m == NULL)
		return;
	free(m->dedup_key);
	free(m->kind);
	free(m->recipient);
	free(m->subject);
	free(m->body);
	free(m->message_id);
	free(m->last_error);
	free(m->detail);
	free(m->event_title);
	free(m->counsellor_name);
	free(m->channel);
	free(m->station_name);
	free(m->claimed_by);
	memset(m, 0, sizeof(*m));
}

static void
outbox_free_item(void *p)
{
	outbox_free(p);
}

void
outbox_list_free(struct outbox_msg *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outbox_free(&items[i]);
	free(items);
}

static int
read_outbox(struct dbstmt *s, void *p)
{
	struct outbox_msg *m = p;

	memset(m, 0, sizeof(*m));
	m->id = db_column_int64(s, 0);
	m->dedup_key = store_col_text(s, 1);
	m->kind = store_col_text(s, 2);
	m->event_id = db_column_int64(s, 3);
	m->shift_id = db_column_int64(s, 4);
	m->counsellor_id = db_column_int64(s, 5);
	m->registration_id = db_column_int64(s, 6);
	m->recipient = store_col_text(s, 7);
	m->subject = store_col_text(s, 8);
	m->body = store_col_text(s, 9);
	m->message_id = store_col_text(s, 10);
	m->status = store_col_state(s, 11, outbox_status_names);
	m->attempts = db_column_int(s, 12);
	m->last_error = store_col_text(s, 13);
	m->detail = store_col_text(s, 14);
	m->due_at = (time_t)db_column_int64(s, 15);
	m->next_attempt_at = (time_t)db_column_int64(s, 16);
	m->expires_at = (time_t)db_column_int64(s, 17);
	m->claimed_at = (time_t)db_column_int64(s, 18);
	m->sent_at = (time_t)db_column_int64(s, 19);
	m->created_at = (time_t)db_column_int64(s, 20);
	m->event_title = store_col_text(s, 21);
	m->counsellor_name = store_col_text(s, 22);
	m->channel = store_col_text(s, 23);
	m->station_id = db_column_int64(s, 24);
	m->station_name = store_col_text(s, 25);
	m->claimed_by = store_col_text(s, 26);
	m->lease_until = (time_t)db_column_int64(s, 27);
	if (m->claimed_by == NULL || m->event_title == NULL ||
	    m->counsellor_name == NULL || m->channel == NULL ||
	    m->station_name == NULL || m->dedup_key == NULL ||
	    m->kind == NULL || m->recipient == NULL || m->subject == NULL ||
	    m->body == NULL || m->message_id == NULL || m->last_error == NULL ||
	    m->detail == NULL) {
		outbox_free(m);
		return -1;
	}
	return 1;
}

int
store_outbox_read_one(struct store *st, struct dbstmt *s,
    struct outbox_msg *out, const char *what)
{
	return store_get_row(st, s, read_outbox, out, what);
}

/* The transaction queued a row due at due: its commit wakes the senders
 * that would sleep past the earliest such (store_on_outbox_commit). */
static void
queued(struct store *st, time_t due)
{
	if (!st->outbox_queued || due < st->outbox_due)
		st->outbox_due = due;
	st->outbox_queued = 1;
}

int
store_outbox_put(struct store *st, struct outbox_msg *m, time_t now)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->dedup_key);
	store_bind_text(s, 2, m->kind);
	store_bind_id(s, 3, m->event_id);
	store_bind_id(s, 4, m->shift_id);
	store_bind_id(s, 5, m->counsellor_id);
	store_bind_id(s, 6, m->registration_id);
	store_bind_text(s, 7, m->recipient);
	store_bind_text(s, 8, m->subject);
	store_bind_text(s, 9, m->body);
	store_bind_text(s, 10, m->message_id);
	db_bind_int64(s, 11, (int64_t)m->due_at);
	store_bind_time(s, 12, m->expires_at);
	store_bind_text(s, 13, m->detail ? m->detail : "");
	db_bind_int64(s, 14, (int64_t)now);
	store_bind_text(s, 15, m->channel);
	store_bind_id(s, 16, m->station_id);
	if ((rc = store_step_write(st, s, "outbox insert")) < 0)
		return rc;
	if (db_changes(st) == 1) {
		m->id = db_last_id(st);
		queued(st, m->due_at);
		return 1;
	}
	if ((s = store_stmt(st, STMT_OUTBOX_REVIVE)) == NULL)
		return -1;
	store_bind_text(s, 1, m->dedup_key);
	db_bind_int64(s, 2, (int64_t)now);
	store_bind_text(s, 3, m->recipient);
	store_bind_text(s, 4, m->subject);
	store_bind_text(s, 5, m->body);
	store_bind_text(s, 6, m->message_id);
	db_bind_int64(s, 7, (int64_t)m->due_at);
	store_bind_time(s, 8, m->expires_at);
	return store_step_write(st, s, "outbox revive") < 0 ? -1 : 0;
}

int
store_outbox_get(struct store *st, int64_t id, struct outbox_msg *out)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_outbox, out, "outbox get");
}

int
store_outbox_exists(struct store *st, const char *dedup_key)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_EXISTS);
	int64_t n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, dedup_key);
	if (store_scalar(st, s, &n, "outbox exists") < 0)
		return -1;
	return n > 0;
}

int
store_outbox_expire(struct store *st, time_t now, const char *reason)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_EXPIRE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)now);
	store_bind_text(s, 2, reason);
	return store_step_write(st, s, "outbox expire");
}

static void
bind_filter(struct dbstmt *s, const struct outbox_filter *f)
{
	store_bind_state(s, 1, outbox_status_names, f->status);
	store_bind_text(s, 2, f->kind);
	db_bind_int64(s, 3, f->event_id);
	store_bind_text(s, 6, f->channel);
}

int
store_outbox_list(struct store *st, const struct outbox_filter *f,
    const struct store_page *pg, struct outbox_msg **items, size_t *n,
    int64_t *total)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_COUNT);
	int rc;

	if (s == NULL)
		return -1;
	bind_filter(s, f);
	if ((rc = store_scalar(st, s, total, "outbox count")) <= 0)
		return rc;
	if ((s = store_stmt(st, STMT_OUTBOX_LIST)) == NULL)
		return -1;
	bind_filter(s, f);
	db_bind_int64(s, 4, pg->limit);
	db_bind_int64(s, 5, pg->offset);
	return store_collect(st, s, sizeof(**items), read_outbox,
	    outbox_free_item, (void **)items, n, "outbox list");
}

int
store_outbox_counts(struct store *st, const struct outbox_filter *f,
    int64_t counts[OUTBOX_STATUS__MAX])
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_COUNTS);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, f ? f->kind : NULL);
	db_bind_int64(s, 2, f ? f->event_id : 0);
	store_bind_text(s, 3, f ? f->channel : NULL);
	memset(counts, 0, sizeof(int64_t) * OUTBOX_STATUS__MAX);
	while ((rc = db_step(s)) == DB_ROW)
		counts[store_col_state(s, 0,
		    outbox_status_names)] = db_column_int64(s, 1);
	db_reset(s);
	return rc == DB_DONE ? 1 : store_fail(st, "outbox counts");
}

int
store_outbox_skip(struct store *st, int64_t event_id, const char *kind,
    int64_t registration_id, int64_t counsellor_id, const char *reason)
{
	struct dbstmt *s = store_stmt(st,
	    registration_id != 0 ? STMT_OUTBOX_SKIP_REG : STMT_OUTBOX_SKIP);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, reason);
	db_bind_int64(s, 2, event_id);
	store_bind_text(s, 3, kind);
	db_bind_int64(s, 4, registration_id);
	db_bind_int64(s, 5, counsellor_id);
	return store_step_write(st, s, "outbox skip");
}

int
store_outbox_open_roster(struct store *st, int64_t counsellor_id,
    struct outbox_msg *out)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_OPEN_ROSTER);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, counsellor_id);
	return store_get_row(st, s, read_outbox, out, "outbox open roster");
}

int
store_outbox_roster_count(struct store *st, int64_t counsellor_id, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_ROSTER_COUNT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, counsellor_id);
	return store_scalar(st, s, n, "outbox roster count");
}

int
store_outbox_rewrite(struct store *st, const struct outbox_msg *m)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_REWRITE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->subject);
	store_bind_text(s, 2, m->body);
	store_bind_text(s, 3, m->detail);
	db_bind_int64(s, 4, (int64_t)m->due_at);
	db_bind_int64(s, 5, (int64_t)m->due_at);
	store_bind_text(s, 6, m->recipient);
	db_bind_int64(s, 7, m->id);
	return store_step_write(st, s, "outbox rewrite");
}

int
store_outbox_recover(struct store *st, const char *channel, time_t now,
    const char *instance, int at_start)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_RECOVER);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)now);
	store_bind_text(s, 2, channel);
	store_bind_text(s, 3, instance != NULL ? instance : "");
	db_bind_int(s, 4, at_start && st->kind != DB_PG);
	if (store_step_write(st, s, "outbox recover") <= 0)
		return -1;
	return (int)db_changes(st);
}

int
store_outbox_next_due(struct store *st, const char *channel, time_t now,
    struct outbox_msg *out)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_NEXT_DUE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)now);
	store_bind_text(s, 2, channel);
	return store_get_row(st, s, read_outbox, out, "outbox next due");
}

int
store_outbox_next_time(struct store *st, const char *channel, time_t *at)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_NEXT_TIME);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	rc = db_step(s);
	if (rc == DB_ROW && !db_column_null(s, 0)) {
		*at = (time_t)db_column_int64(s, 0);
		db_reset(s);
		return 1;
	}
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE
	    ? 0
	    : store_fail(st, "outbox next time");
}

/* ?1 the row, ?2–?7 what came of a try (SET_STATE and FINISH). */
static void
bind_outcome(struct store *st, struct dbstmt *s, const struct outbox_msg *m)
{
	db_bind_int64(s, 1, m->id);
	store_bind_state(s, 2, outbox_status_names, m->status);
	db_bind_int(s, 3, m->attempts);
	db_bind_int64(s, 4, (int64_t)m->next_attempt_at);
	store_bind_text(s, 5, m->last_error ? m->last_error : "");
	store_bind_time(s, 6, m->claimed_at);
	store_bind_time(s, 7, m->sent_at);
	/* A row put back to pending (a retry) is due at its next try. */
	if (m->status == OUTBOX_PENDING)
		queued(st, m->next_attempt_at);
}

int
store_outbox_set_state(struct store *st, const struct outbox_msg *m)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_SET_STATE);

	if (s == NULL)
		return -1;
	bind_outcome(st, s, m);
	return store_step_write(st, s, "outbox state");
}

int
store_outbox_purge(struct store *st, time_t cutoff)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_PURGE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)cutoff);
	return store_step_write(st, s, "outbox purge");
}

/* --- claims across instances (issue 16 item 3; 017) ---------------------- */

int
store_outbox_claim(struct store *st, const struct outbox_msg *m)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_CLAIM);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, m->id);
	store_bind_text(s, 2, m->claimed_by);
	db_bind_int64(s, 3, (int64_t)m->lease_until);
	db_bind_int(s, 4, m->attempts);
	db_bind_int64(s, 5, (int64_t)m->claimed_at);
	if (store_step_write(st, s, "outbox claim") < 0)
		return -1;
	return db_changes(st) == 1;
}

int
store_outbox_finish(struct store *st, const struct outbox_msg *m)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_FINISH);

	if (s == NULL)
		return -1;
	bind_outcome(st, s, m);
	store_bind_text(s, 8, m->claimed_by);
	if (store_step_write(st, s, "outbox finish") < 0)
		return -1;
	return db_changes(st) == 1;
}
