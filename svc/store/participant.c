/*
 * Participants: registrations, attendance with assessments, survey
 * templates, responses and answers, the settings they depend on and the
 * purge of personal data. Personal columns are nullable so a purge can
 * blank them while every count the indicators need stays.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

static void
bind_text_or_null(struct dbstmt *s, int idx, const char *v)
{
	if (v == NULL || *v == '\0')
		db_bind_null(s, idx);
	else
		store_bind_text(s, idx, v);
}

/* Binds a registration's keys of email and phone at k and k + 1 ('' for
 * none: NULL is left to the rows from before 019); 0 out of memory. */
static int
bind_reg_keys(struct dbstmt *s, int k, const char *email, const char *phone)
{
	char *ekey = NULL, pkey[REGISTRATION_PHONE_KEY_SZ];

	if (registration_email_key(email, &ekey) < 0)
		return 0;
	registration_phone_key(phone, pkey);
	store_bind_text(s, k, ekey != NULL ? ekey : "");
	store_bind_text(s, k + 1, pkey);
	free(ekey);
	return 1;
}

/* --- registrations ---------------------------------------------------- */

void
registration_free(struct registration *g)
{
	if (g == NULL)
		return;
	free(g->token);
	free(g->name);
	free(g->email);
	free(g->phone);
	free(g->organisation);
}

static void
reg_free_item(void *p)
{
	registration_free(p);
}

void
registration_list_free(struct registration *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), reg_free_item);
}

static int
read_reg(struct dbstmt *s, void *p)
{
	struct registration *g = p;
	int oom = 0;

	memset(g, 0, sizeof(*g));
	g->id = db_column_int64(s, 0);
	g->event_id = db_column_int64(s, 1);
	g->token = store_col_text(s, 2);
	g->name = store_col_text_or_null(s, 3, &oom);
	g->email = store_col_text_or_null(s, 4, &oom);
	g->phone = store_col_text_or_null(s, 5, &oom);
	g->organisation = store_col_text_or_null(s, 6, &oom);
	g->status = store_col_state(s, 7, registration_status_names);
	g->created_at = (time_t)db_column_int64(s, 8);
	g->updated_at = (time_t)db_column_int64(s, 9);
	g->checked_in = db_column_int(s, 10);
	g->reminders_opt_out = db_column_int(s, 11);
	if (oom || g->token == NULL || g->status == 0) {
		registration_free(g);
		return -1;
	}
	return 1;
}

int
store_registration_get_by_token(struct store *st, const char *token,
    struct registration *out)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_GET_BY_TOKEN);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token);
	return store_get_row(st, s, read_reg, out, "registration by token");
}

int
store_registration_get(struct store *st, int64_t id, struct registration *out)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_reg, out, "registration get");
}

int
store_registration_list(struct store *st, int64_t event_id,
    struct registration **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_LIST);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_collect(st, s, sizeof(**items), read_reg, reg_free_item,
	    (void **)items, n, "registration list");
}

int
store_registration_insert(struct store *st, struct registration *g,
    const char *optout)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, g->event_id);
	store_bind_text(s, 2, g->token);
	store_bind_text(s, 3, g->name);
	bind_text_or_null(s, 4, g->email);
	bind_text_or_null(s, 5, g->phone);
	bind_text_or_null(s, 6, g->organisation);
	store_bind_state(s, 7, registration_status_names, g->status);
	db_bind_int64(s, 8, g->created_at);
	db_bind_int64(s, 9, g->updated_at);
	if (!bind_reg_keys(s, 10, g->email, g->phone)) {
		db_reset(s);
		return store_fail(st, "registration insert: out of memory");
	}
	bind_text_or_null(s, 12, optout);
	if ((rc = store_step_write(st, s, "registration insert")) <= 0)
		return rc;
	g->id = db_last_id(st);
	return 1;
}

int
store_registration_set_status(struct store *st, int64_t id,
    enum registration_status status, time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_SET_STATUS);

	if (s == NULL)
		return -1;
	store_bind_state(s, 1, registration_status_names, status);
	db_bind_int64(s, 2, at);
	db_bind_int64(s, 3, id);
	return store_step_write(st, s, "registration status") > 0 ? 1 : -1;
}

int
store_registration_set_opt_out(struct store *st, int64_t id, int opt_out,
    time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_SET_OPT_OUT);

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, opt_out != 0);
	db_bind_int64(s, 2, at);
	db_bind_int64(s, 3, id);
	return store_step_write(st, s, "registration opt-out") > 0 ? 1 : -1;
}

int
store_registration_count(struct store *st, int64_t event_id,
    enum registration_status status, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_COUNT);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	store_bind_state(s, 2, registration_status_names, status);
	return store_scalar(st, s, n, "registration count");
}

int
store_registration_first_waitlisted(struct store *st, int64_t event_id,
    struct registration *out)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_FIRST_WAITLISTED);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_get_row(st, s, read_reg, out, "first waitlisted");
}

/* --- attendance --------------------------------------------------------- */

void
attendance_free(struct attendance *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->survey_token);
}

static void
att_free_item(void *p)
{
	attendance_free(p);
}

void
attendance_list_free(struct attendance *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), att_free_item);
}

static int
read_att(struct dbstmt *s, void *p)
{
	struct attendance *a = p;
	int oom = 0;

	memset(a, 0, sizeof(*a));
	a->id = db_column_int64(s, 0);
	a->event_id = db_column_int64(s, 1);
	a->registration_id = db_column_int64(s, 2);
	a->name = store_col_text_or_null(s, 3, &oom);
	a->checked_in_at = (time_t)db_column_int64(s, 4);
	a->passed = db_column_int(s, 5);
	a->score = db_column_double(s, 6);
	a->survey_token = store_col_text_or_null(s, 7, &oom);
	a->answered = db_column_int(s, 8);
	if (oom) {
		attendance_free(a);
		return -1;
	}
	return 1;
}

static int
att_one(struct store *st, enum stmt which, int64_t id, const char *tok,
    struct attendance *out)
{
	struct dbstmt *s = store_stmt(st, which);

	if (s == NULL)
		return -1;
	if (tok != NULL)
		store_bind_text(s, 1, tok);
	else
		db_bind_int64(s, 1, id);
	return store_get_row(st, s, read_att, out, "attendance get");
}

int
store_attendance_get(struct store *st, int64_t id, struct attendance *out)
{
	return att_one(st, STMT_ATT_GET, id, NULL, out);
}

int
store_attendance_by_registration(struct store *st, int64_t registration_id,
    struct attendance *out)
{
	return att_one(st, STMT_ATT_BY_REG, registration_id, NULL, out);
}

int
store_attendance_by_survey_token(struct store *st, const char *token,
    struct attendance *out)
{
	return att_one(st, STMT_ATT_BY_TOKEN, 0, token, out);
}

int
store_attendance_list(struct store *st, int64_t event_id,
    struct attendance **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_ATT_LIST);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_collect(st, s, sizeof(**items), read_att, att_free_item,
	    (void **)items, n, "attendance list");
}

static void
bind_assessment(struct dbstmt *s, int idx, const struct attendance *a)
{
	if (a->passed < 0)
		db_bind_null(s, idx);
	else
		db_bind_int(s, idx, a->passed != 0);
	if (a->score < 0)
		db_bind_null(s, idx + 1);
	else
		db_bind_double(s, idx + 1, a->score);
	store_bind_text(s, idx + 2, a->survey_token);
}

int
store_attendance_insert(struct store *st, struct attendance *a,
    const char *walk_in_name)
{
	struct dbstmt *s = store_stmt(st, STMT_ATT_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, a->event_id);
	store_bind_id(s, 2, a->registration_id);
	store_bind_text(s, 3, a->registration_id ? NULL : walk_in_name);
	db_bind_int64(s, 4, a->checked_in_at);
	bind_assessment(s, 5, a);
	db_bind_int64(s, 8, a->checked_in_at);
	if ((rc = store_step_write(st, s, "attendance insert")) <= 0)
		return rc;
	a->id = db_last_id(st);
	return 1;
}

int
store_attendance_update(struct store *st, const struct attendance *a)
{
	struct dbstmt *s = store_stmt(st, STMT_ATT_UPDATE);

	if (s == NULL)
		return -1;
	bind_assessment(s, 1, a);
	db_bind_int64(s, 4, a->id);
	if (store_step_write(st, s, "attendance update") <= 0)
		return -1;
	return db_changes(st) > 0;
}

int
store_attendance_delete(struct store *st, int64_t id)
{
	struct dbstmt *s = store_stmt(st, STMT_ATT_DELETE);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_write(st, s, "attendance delete") <= 0)
		return -1;
	return db_changes(st) > 0;
}

/* --- survey templates --------------------------------------------------- */

static void
question_free(void *p)
{
	struct survey_question *q = p;

	free(q->qkey);
	free(q->type);
	free(q->text);
	free(q->options);
}

void
survey_template_free(struct survey_template *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->name);
	for (i = 0; i < t->nquestions; i++)
		question_free(&t->questions[i]);
	free(t->questions);
}

static void
tpl_free_item(void *p)
{
	survey_template_free(p);
}

void
survey_template_list_free(struct survey_template *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), tpl_free_item);
}

static int
read_question(struct dbstmt *s, void *p)
{
	struct survey_question *q = p;
	int oom = 0;

	memset(q, 0, sizeof(*q));
	q->id = db_column_int64(s, 0);
	q->qkey = store_col_text(s, 1);
	q->type = store_col_text(s, 2);
	q->text = store_col_text(s, 3);
	q->required = db_column_int(s, 4);
	q->satisfaction = db_column_int(s, 5);
	q->options = store_col_text_or_null(s, 6, &oom);
	if (oom || !q->qkey || !q->type || !q->text) {
		question_free(q);
		return -1;
	}
	return 1;
}

static int
read_tpl(struct dbstmt *s, void *p)
{
	struct survey_template *t = p;

	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, 0);
	t->name = store_col_text(s, 1);
	t->is_default = db_column_int(s, 2);
	t->created_at = (time_t)db_column_int64(s, 3);
	return t->name ? 1 : -1;
}

static int
load_questions(struct store *st, struct survey_template *t)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_QUESTIONS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, t->id);
	return store_collect(st, s, sizeof(*t->questions), read_question,
	    question_free, (void **)&t->questions, &t->nquestions,
	    "template questions");
}

int
store_survey_template_get(struct store *st, int64_t id,
    struct survey_template *out)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_GET);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = store_get_row(st, s, read_tpl, out, "template get")) <= 0)
		return rc;
	if (load_questions(st, out) < 0) {
		survey_template_free(out);
		return -1;
	}
	return 1;
}

int
store_survey_template_list(struct store *st, struct survey_template **items,
    size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_LIST);
	size_t i;

	if (s == NULL ||
	    store_collect(st, s, sizeof(**items), read_tpl, tpl_free_item,
	        (void **)items, n, "template list") < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (load_questions(st, &(*items)[i]) < 0) {
			survey_template_list_free(*items, *n);
			return -1;
		}
	return 1;
}

int
store_survey_template_insert(struct store *st, struct survey_template *t)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_INSERT);
	size_t i;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, t->name);
	db_bind_int64(s, 2, t->created_at);
	if ((rc = store_step_write(st, s, "template insert")) <= 0)
		return rc;
	t->id = db_last_id(st);
	for (i = 0; i < t->nquestions; i++) {
		const struct survey_question *q = &t->questions[i];

		if ((s = store_stmt(st, STMT_TPL_Q_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, t->id);
		store_bind_text(s, 2, q->qkey);
		db_bind_int64(s, 3, (int64_t)i + 1);
		store_bind_text(s, 4, q->type);
		store_bind_text(s, 5, q->text);
		db_bind_int(s, 6, q->required != 0);
		store_bind_text(s, 7, q->options);
		db_bind_int(s, 8, q->satisfaction != 0);
		if (store_step_write(st, s, "question insert") <= 0)
			return -1;
		t->questions[i].id = db_last_id(st);
	}
	return 1;
}

int64_t
store_survey_default_template(struct store *st)
{
	struct dbstmt *s = store_stmt(st, STMT_TPL_DEFAULT);
	int64_t id = 0;

	if (s == NULL || store_scalar(st, s, &id, "default template") < 0)
		return 0;
	return id;
}

/* --- responses ---------------------------------------------------------- */

int
store_survey_response_insert(struct store *st, int64_t event_id,
    int64_t attendance_id, time_t at, const struct survey_answer *ans, size_t n,
    int64_t *id)
{
	struct dbstmt *s = store_stmt(st, STMT_RESP_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	store_bind_id(s, 2, attendance_id);
	db_bind_int(s, 3, attendance_id == 0);
	db_bind_int64(s, 4, at);
	if ((rc = store_step_write(st, s, "response insert")) <= 0)
		return rc;
	*id = db_last_id(st);
	return store_answers_insert(st, *id, ans, n);
}

int
store_answers_insert(struct store *st, int64_t response_id,
    const struct survey_answer *ans, size_t n)
{
	struct dbstmt *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s = store_stmt(st, STMT_ANSWER_INSERT)) == NULL)
			return -1;
		db_bind_int64(s, 1, response_id);
		db_bind_int64(s, 2, ans[i].question_id);
		if (ans[i].has_int)
			db_bind_int64(s, 3, ans[i].value_int);
		else
			db_bind_null(s, 3);
		store_bind_text(s, 4, ans[i].value_text);
		if (store_step_write(st, s, "answer insert") <= 0)
			return -1;
	}
	return 1;
}

static void
row_free(void *p)
{
	free(((struct survey_answer_row *)p)->value_text);
}

void
survey_answer_rows_free(struct survey_answer_row *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), row_free);
}

static int
read_answer(struct dbstmt *s, void *p)
{
	struct survey_answer_row *a = p;
	int oom = 0;

	memset(a, 0, sizeof(*a));
	a->response_id = db_column_int64(s, 0);
	a->question_id = db_column_int64(s, 1);
	a->anonymous = db_column_int(s, 2);
	a->has_int = db_column_int(s, 3);
	a->value_int = db_column_int64(s, 4);
	a->value_text = store_col_text_or_null(s, 5, &oom);
	a->submitted_at = (time_t)db_column_int64(s, 6);
	return oom ? -1 : 1;
}

int
store_survey_answers(struct store *st, int64_t event_id,
    struct survey_answer_row **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_ANSWERS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_answer_rows_collect(st, s, items, n, "survey answers");
}

int
store_answer_rows_collect(struct store *st, struct dbstmt *s,
    struct survey_answer_row **items, size_t *n, const char *what)
{
	return store_collect(st, s, sizeof(**items), read_answer, row_free,
	    (void **)items, n, what);
}

int
store_survey_counts(struct store *st, int64_t event_id, int64_t *personal,
    int64_t *anonymous)
{
	struct dbstmt *s = store_stmt(st, STMT_RESP_COUNTS);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_ints(st, s, personal, anonymous, NULL, "response counts");
}

/* --- anonymous links, settings, purge -------------------------------------- */

int
store_event_anonymous_get(struct store *st, int64_t event_id, int *enabled,
    char **token)
{
	struct dbstmt *s = store_stmt(st, STMT_ANON_GET);
	int rc, oom = 0;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*enabled = db_column_int(s, 0);
		*token = store_col_text_or_null(s, 1, &oom);
	}
	db_reset(s);
	if (rc == DB_DONE)
		return 0;
	return rc == DB_ROW && !oom ? 1 : store_fail(st, "anonymous get");
}

int
store_event_anonymous_set(struct store *st, int64_t event_id, int enabled,
    const char *token)
{
	struct dbstmt *s = store_stmt(st, STMT_ANON_SET);

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, enabled != 0);
	store_bind_text(s, 2, token);
	db_bind_int64(s, 3, event_id);
	return store_step_write(st, s, "anonymous set");
}

int
store_event_by_anonymous_token(struct store *st, const char *token,
    int64_t *event_id)
{
	struct dbstmt *s = store_stmt(st, STMT_ANON_EVENT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, token);
	return store_lookup_id(st, s, event_id, "anonymous event");
}

int
store_setting_get(struct store *st, const char *key, char **value)
{
	struct dbstmt *s = store_stmt(st, STMT_SETTING_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, key);
	rc = db_step(s);
	if (rc == DB_ROW)
		*value = store_col_text(s, 0);
	db_reset(s);
	if (rc == DB_DONE)
		return 0;
	return rc == DB_ROW && *value ? 1 : store_fail(st, "setting get");
}

int
store_setting_set(struct store *st, const char *key, const char *value)
{
	struct dbstmt *s = store_stmt(st, STMT_SETTING_SET);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_step_write(st, s, "setting set") > 0 ? 1 : -1;
}

int
store_purge_personal(struct store *st, time_t cutoff, time_t now,
    int64_t *registrations, int64_t *attendees)
{
	struct dbstmt *s;

	if ((s = store_stmt(st, STMT_PURGE_REG)) == NULL)
		return -1;
	db_bind_int64(s, 1, cutoff);
	db_bind_int64(s, 2, now);
	if (store_step_write(st, s, "purge registrations") <= 0)
		return -1;
	*registrations = db_changes(st);
	if ((s = store_stmt(st, STMT_PURGE_ATT)) == NULL)
		return -1;
	db_bind_int64(s, 1, cutoff);
	if (store_step_write(st, s, "purge attendees") <= 0)
		return -1;
	*attendees = db_changes(st);
	return 1;
}

/* --- the opt-out token of reminder mails (issue 17) --------------------- */

int
store_registration_optout(struct store *st, int64_t id, char **tok)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_OPTOUT);
	int rc;

	*tok = NULL;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == DB_ROW)
		*tok = store_col_text(s, 0);
	db_reset(s);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return store_fail(st, "registration opt-out token");
	return *tok != NULL ? 1 : -1;
}

int
store_registration_by_optout(struct store *st, const char *tok,
    struct registration *out)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_BY_OPTOUT);
	int64_t id;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, tok);
	rc = store_lookup_id(st, s, &id, "registration by opt-out token");
	if (rc <= 0)
		return rc;
	return store_registration_get(st, id, out);
}

int
store_registration_find(struct store *st, int64_t event_id, const char *email,
    const char *phone, int64_t *id, enum registration_status *status)
{
	char *ekey = NULL, pkey[REGISTRATION_PHONE_KEY_SZ];
	struct dbstmt *s;
	int rc, has_e, has_p;

	if ((has_e = registration_email_key(email, &ekey)) < 0)
		return store_fail(st, "registration find: out of memory");
	has_p = registration_phone_key(phone, pkey);
	/* No key matches nothing: no lookup either. */
	if (!has_e && !has_p)
		return 0;
	if ((s = store_stmt(st, STMT_REG_PEOPLE)) == NULL) {
		free(ekey);
		return -1;
	}
	db_bind_int64(s, 1, event_id);
	bind_text_or_null(s, 2, ekey);
	bind_text_or_null(s, 3, has_p ? pkey : NULL);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*id = db_column_int64(s, 0);
		*status = store_col_state(s, 1, registration_status_names);
	} else if (rc != DB_DONE)
		store_fail(st, "registration find");
	db_reset(s);
	free(ekey);
	if (rc == DB_ROW)
		return *status > 0 ? 1 : -1;
	return rc == DB_DONE ? 0 : -1;
}

#define KEYS_FILL_BATCH 1000

struct reg_people {
	int64_t id;
	char *email, *phone;
};

/* The next batch of rows without keys after id after into p (up to
 * KEYS_FILL_BATCH), their number into *n (the caller frees them, a
 * failure's too): 1, or -1. */
static int
keys_missing(struct store *st, int64_t after, struct reg_people *p, int *n)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_KEYS_MISSING);
	const char *e, *ph;
	int rc = DB_DONE, bad = 0;

	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, KEYS_FILL_BATCH);
	db_bind_int64(s, 2, after);
	while (*n < KEYS_FILL_BATCH && (rc = db_step(s)) == DB_ROW) {
		struct reg_people *r = &p[(*n)++];

		r->id = db_column_int64(s, 0);
		e = (const char *)db_column_text(s, 1);
		ph = (const char *)db_column_text(s, 2);
		r->email = e ? strdup(e) : NULL;
		r->phone = ph ? strdup(ph) : NULL;
		if ((e && !r->email) || (ph && !r->phone)) {
			bad = 1;
			break;
		}
	}
	db_reset(s);
	if (bad || (rc != DB_ROW && rc != DB_DONE))
		return store_fail(st, "registration keys missing");
	return 1;
}

static void
people_free(struct reg_people *p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(p[i].email);
		free(p[i].phone);
	}
}

/* Writes the keys of the n rows of p: 1, or -1. */
static int
keys_set(struct store *st, const struct reg_people *p, int n)
{
	struct dbstmt *s;
	int i;

	for (i = 0; i < n; i++) {
		if ((s = store_stmt(st, STMT_REG_KEYS_SET)) == NULL)
			return -1;
		db_bind_int64(s, 1, p[i].id);
		if (!bind_reg_keys(s, 2, p[i].email, p[i].phone)) {
			db_reset(s);
			return store_fail(st,
			    "registration keys: out of memory");
		}
		if (store_step_write(st, s, "registration keys") <= 0)
			return -1;
	}
	return 1;
}

int64_t
store_registration_keys_fill(struct store *st)
{
	struct reg_people *p = calloc(KEYS_FILL_BATCH, sizeof(*p));
	int64_t total = 0, after = 0;
	int n = 0, ok;

	if (p == NULL)
		return -1;
	/* Nothing to fill (every start after the first): no transaction. */
	ok = keys_missing(st, 0, p, &n) > 0;
	people_free(p, n);
	if (!ok || n == 0 || store_begin(st) <= 0) {
		free(p);
		return ok && n == 0 ? 0 : -1;
	}
	/* In id order, each batch after the last id of the one before. */
	do {
		ok = keys_missing(st, after, p, &n) > 0 &&
		    keys_set(st, p, n) > 0;
		if (n > 0)
			after = p[n - 1].id;
		people_free(p, n);
		total += n;
	} while (ok && n == KEYS_FILL_BATCH);
	free(p);
	if (!ok) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st) > 0 ? total : -1;
}
