/*
 * Satisfaction surveys: templates of likert5 / choice / text questions,
 * the form a participant opens by token, answers checked completely
 * before anything is stored, results with distributions and the
 * satisfaction rate the indicators use (满意 + 非常满意 over all answers),
 * anonymous links for walk-ins, and the retention purge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_QUESTIONS 30
#define MAX_TEXT_ANSWER 2000
#define SATISFIED_MIN 4 /* 满意 (4) and 非常满意 (5) */

static json_t *
question_json(const struct survey_question *q)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", q->qkey,
	    "type", q->type, "text", q->text, "required", q->required,
	    "satisfaction", q->satisfaction);

	if (o != NULL && q->options != NULL)
		json_object_set_new(o, "options",
		    json_loads(q->options, 0, NULL));
	return o;
}

static json_t *
template_json(const struct survey_template *t)
{
	json_t *qs = json_array();
	size_t i;

	for (i = 0; qs && i < t->nquestions; i++)
		json_array_append_new(qs, question_json(&t->questions[i]));
	return json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)t->id,
	    "name", t->name, "default", t->is_default, "questions", qs);
}

int
api_survey_template_list(struct http_req *r)
{
	struct survey_template *items = NULL;
	struct store *st;
	size_t n = 0, i;
	json_t *arr;

	st = api_store(r);
	if (store_survey_template_list(st, &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, template_json(&items[i]));
	survey_template_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

int
api_survey_template_get(struct http_req *r)
{
	struct survey_template t;
	struct store *st;
	int rc;

	st = api_store(r);
	if ((rc = store_survey_template_get(st, http_req_id(r, 0), &t)) <= 0)
		return api_reply_not_found(r, rc, "没有这个问卷模板");
	rc = http_reply_json(r, 200, template_json(&t));
	survey_template_free(&t);
	return rc;
}

/* Checks one question of a new template (core: survey_question_check)
 * into q; replies 422 on a bad one. */
static int
question_or_reply(struct http_req *r, const json_t *in, size_t idx,
    struct survey_question *q)
{
	struct herror err;
	json_t *opts;

	if (!survey_question_check(in, idx, &err)) {
		http_reply_error(r, &err);
		return 0;
	}
	q->qkey = valid_str(in, "id", NULL);
	q->type = valid_str(in, "type", NULL);
	q->text = valid_str(in, "text", NULL);
	q->required = json_is_true(json_object_get(in, "required"));
	q->satisfaction = json_is_true(json_object_get(in, "satisfaction"));
	opts = json_object_get(in, "options");
	if (q->type != NULL && strcmp(q->type, "choice") == 0)
		q->options = json_dumps(opts, JSON_COMPACT);
	return 1;
}

int
api_survey_template_create(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "name",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 100},
	    {.name = "questions",
	        .type = VT_ARRAY,
	        .required = 1,
	        .maxitems = MAX_QUESTIONS},
	};
	json_t *body = http_req_json(r), *qs;
	struct survey_template t;
	struct herror err;
	struct store *st;
	size_t i, j, nsat = 0;
	int rc = 422;

	if (!valid_object(body, f, 2, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	qs = json_object_get(body, "questions");
	if (json_array_size(qs) == 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "questions",
		    "问题：至少要有一个");
	st = api_store(r);
	memset(&t, 0, sizeof(t));
	t.name = valid_str(body, "name", NULL);
	t.created_at = svc_now();
	if ((t.questions = calloc(json_array_size(qs), sizeof(*t.questions))) ==
	    NULL) {
		survey_template_free(&t);
		return api_reply_internal(r, "out of memory");
	}
	for (i = 0; i < json_array_size(qs); i++) {
		t.nquestions++;
		if (!question_or_reply(r, json_array_get(qs, i), i,
		        &t.questions[i]))
			goto out;
		nsat += t.questions[i].satisfaction != 0;
		for (j = 0; j < i; j++)
			if (strcmp(t.questions[j].qkey, t.questions[i].qkey) ==
			    0) {
				http_reply_errorf(r, HERR_VALIDATION_FAILED,
				    "questions", "问卷题目：题目编号 %s 重复了",
				    t.questions[i].qkey);
				goto out;
			}
	}
	if (nsat > 1) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "questions",
		    "问题：满意度问题最多一个");
		goto out;
	}
	rc = store_survey_template_insert(st, &t);
	if (rc == 0)
		rc = http_reply_errorf(r, HERR_CONFLICT, "name",
		    "名称：已有同名的问卷模板");
	else if (rc < 0 ||
	    api_audit(r, st, "create", "survey_template", t.id, body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 201, template_json(&t));
out:
	survey_template_free(&t);
	return rc;
}

/* What a survey token opens: an attendee's form, an event's anonymous
 * link, or a station's counselling-room link (counselling: no event). */
struct survey_target {
	struct event event;
	struct attendance att; /* valid when personal */
	int personal;
	int counselling;
	struct station station; /* valid when counselling */
	/* Kept by the service (svc_survey_template): never freed here. */
	const struct survey_template *tpl;
};

static void
target_free(struct survey_target *t)
{
	if (!t->counselling)
		event_free(&t->event);
	if (t->personal)
		attendance_free(&t->att);
	if (t->counselling)
		station_free(&t->station);
}

/* A station's counselling survey (token already matched): its station
 * and questionnaire. */
static int
station_target_or_reply(struct http_req *r, struct store *st, int64_t sid,
    struct survey_target *t)
{
	char *token = NULL;
	int64_t tid = 0;

	t->counselling = 1;
	if (store_station_get(st, sid, &t->station) <= 0) {
		memset(&t->station, 0, sizeof(t->station));
		target_free(t);
		api_reply_store_error(r);
		return 0;
	}
	if (store_station_survey_get(st, sid, &token, &tid) <= 0 ||
	    (tid == 0 && (tid = store_survey_counselling_template(st)) <= 0) ||
	    svc_survey_template(st, tid, &t->tpl) <= 0) {
		free(token);
		target_free(t);
		api_reply_store_error(r);
		return 0;
	}
	free(token);
	return 1;
}

/* Resolves a token (personal, anonymous or a station's) to its event or
 * station and template; replies and returns 0 when unknown, answered or
 * closed. */
static int
target_or_reply(struct http_req *r, struct store *st, const char *token,
    struct survey_target *t)
{
	int64_t eid = 0, tid, sid = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if (token == NULL || strlen(token) != SECRET_TOKEN_HEX - 1 ||
	    strspn(token, "0123456789abcdef") != SECRET_TOKEN_HEX - 1) {
		http_reply_errorf(r, HERR_NOT_FOUND, "token", "没有这份问卷");
		return 0;
	}
	if ((rc = store_attendance_by_survey_token(st, token, &t->att)) > 0) {
		t->personal = 1;
		eid = t->att.event_id;
	} else if (rc == 0)
		rc = store_event_by_anonymous_token(st, token, &eid);
	if (rc == 0 &&
	    (rc = store_station_by_survey_token(st, token, &sid)) > 0)
		return station_target_or_reply(r, st, sid, t);
	if (rc <= 0) {
		if (rc < 0)
			api_reply_store_error(r);
		else
			http_reply_errorf(r, HERR_NOT_FOUND, "token",
			    "没有这份问卷");
		return 0;
	}
	if (store_event_get(st, eid, &t->event) <= 0) {
		memset(&t->event, 0, sizeof(t->event));
		target_free(t);
		api_reply_store_error(r);
		return 0;
	}
	if (t->personal && t->att.answered) {
		target_free(t);
		http_reply_errorf(r, HERR_CONFLICT, "token",
		    "这份问卷已经填写过了");
		return 0;
	}
	if (!api_survey_open(&t->event, svc_now())) {
		target_free(t);
		http_reply_errorf(r, HERR_CONFLICT, "closed", "问卷已经关闭");
		return 0;
	}
	tid = t->event.survey_template_id ? t->event.survey_template_id
	                                  : store_survey_default_template(st);
	if (svc_survey_template(st, tid, &t->tpl) <= 0) {
		target_free(t);
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

int
api_survey_get(struct http_req *r)
{
	struct survey_target t;
	struct store *st;
	json_t *qs;
	size_t i;
	int rc;

	st = api_store(r);
	if (!target_or_reply(r, st, http_req_tok(r, 0), &t))
		return http_req_status(r);
	qs = json_array();
	for (i = 0; qs && i < t.tpl->nquestions; i++)
		json_array_append_new(qs, question_json(&t.tpl->questions[i]));
	if (t.counselling)
		rc = http_reply_json(r, 200,
		    json_pack("{s:s, s:{s:I, s:s}, s:b, s:o}", "source",
		        "counselling", "station", "id",
		        (json_int_t)t.station.id, "name", t.station.name,
		        "anonymous", 1, "questions", qs));
	else
		rc = http_reply_json(r, 200,
		    json_pack("{s:s, s:{s:I, s:s, s:s, s:o, s:o}, s:b, s:o}",
		        "source", "event", "event", "id",
		        (json_int_t)t.event.id, "kind", t.event.kind, "title",
		        t.event.title, "start",
		        tzdb_time_json(t.event.start_at), "end",
		        tzdb_time_json(t.event.end_at), "anonymous",
		        !t.personal, "questions", qs));
	target_free(&t);
	return rc;
}

/* Whether v is one of a choice question's option ids. */
/* Checks every answer against the template; fills ans (value_text
 * borrowed from answers). Replies 422 naming the question. */
static int
answers_or_reply(struct http_req *r, const struct survey_template *tpl,
    const json_t *answers, struct survey_answer *ans, size_t *n)
{
	const char *key;
	json_t *v;
	size_t i;

	*n = 0;
	json_object_foreach((json_t *)answers, key, v)
	{
		for (i = 0; i < tpl->nquestions; i++)
			if (strcmp(tpl->questions[i].qkey, key) == 0)
				break;
		if (i == tpl->nquestions) {
			char shown[40];

			snprintf(shown, sizeof(shown), "%.32s",
			    valid_utf8_len(key, strlen(key)) >= 0 &&
			            strlen(key) <= 32
			        ? key
			        : "?");
			http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    strlen(key) <= 32 &&
			            valid_utf8_len(key, strlen(key)) >= 0
			        ? key
			        : "answers",
			    "没有问题“%s”", shown);
			return 0;
		}
	}
	for (i = 0; i < tpl->nquestions; i++) {
		const struct survey_question *q = &tpl->questions[i];
		struct survey_answer *a = &ans[*n];
		struct survey_value val;
		struct herror err;
		int rc;

		rc = survey_answer_check(q->qkey, q->type, q->options,
		    q->required, json_object_get(answers, q->qkey), &val, &err);
		if (rc < 0) {
			http_reply_error(r, &err);
			return 0;
		}
		if (rc == 0)
			continue;
		memset(a, 0, sizeof(*a));
		a->question_id = q->id;
		a->has_int = val.has_int;
		a->value_int = val.value_int;
		a->value_text = val.text;
		(*n)++;
	}
	return 1;
}

int
api_survey_submit(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "token",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 64},
	    {.name = "answers", .type = VT_OBJECT, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct survey_answer ans[MAX_QUESTIONS];
	struct survey_target t;
	struct herror err;
	struct store *st;
	int64_t id;
	size_t n;
	int rc, pause;

	if (!valid_object(body, f, 2, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!target_or_reply(r, st,
	        json_string_value(json_object_get(body, "token")), &t))
		return http_req_status(r);
	/* A shared (anonymous) link is limited per address: a rate for
	 * every attempt and an hourly number of answers. A personal token
	 * answers once and is limited by itself. */
	if (!t.personal &&
	    ((pause = api_rate_take(RATE_PUBLIC_WRITE, http_req_client(r))) >
	            0 ||
	        (pause = api_limit_wait(LIMIT_ANON_SURVEY,
	             http_req_client(r))) > 0)) {
		target_free(&t);
		return api_reply_rate_limited(r, pause,
		    "这个网络地址提交次数过多，请稍后再试");
	}
	if (!answers_or_reply(r, t.tpl, json_object_get(body, "answers"), ans,
	        &n)) {
		target_free(&t);
		return http_req_status(r);
	}
	if (t.counselling)
		rc = store_survey_counselling_insert(st, t.station.id,
		    svc_now(), ans, n, &id);
	else
		rc = store_survey_response_insert(st, t.event.id,
		    t.personal ? t.att.id : 0, svc_now(), ans, n, &id);
	if (!t.personal)
		api_limit_count(LIMIT_ANON_SURVEY, http_req_client(r));
	target_free(&t);
	if (rc == 0)
		return http_reply_errorf(r, HERR_CONFLICT, "token",
		    "这份问卷已经填写过了");
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 201,
	    json_pack("{s:I}", "id", (json_int_t)id));
}

/* The template of an event (its own or the default). */
static int
event_template(struct store *st, const struct event *e,
    struct survey_template *t)
{
	int64_t tid = e->survey_template_id ? e->survey_template_id
	                                    : store_survey_default_template(st);

	return store_survey_template_get(st, tid, t);
}

static int
load_results(struct http_req *r, struct store *st, struct event *e,
    struct survey_template *t, struct survey_answer_row **rows, size_t *n)
{
	int rc = store_event_get(st, http_req_id(r, 0), e);

	if (rc <= 0) {
		api_reply_not_found(r, rc, "没有这场活动");
		return 0;
	}
	if (event_template(st, e, t) <= 0 ||
	    store_survey_answers(st, e->id, rows, n) < 0) {
		event_free(e);
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

/* A likert5 distribution {"1":0,…,"5":0}. */
static json_t *
likert_dist(void)
{
	json_t *d = json_object();
	char key[16];
	int i;

	for (i = 1; d != NULL && i <= 5; i++) {
		snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(d, key, json_integer(0));
	}
	return d;
}

static void
dist_add(json_t *dist, const char *key, int64_t n)
{
	json_object_set_new(dist, key,
	    json_integer(json_integer_value(json_object_get(dist, key)) + n));
}

static json_t *
sat_json(const struct tally_sat *s)
{
	double rate = tally_rate(s);

	return json_pack("{s:I, s:I, s:o}", "satisfied",
	    (json_int_t)s->satisfied, "total", (json_int_t)s->total, "rate",
	    rate >= 0 ? json_real(rate) : json_null());
}

json_t *
api_survey_results_json(const struct survey_template *t,
    const struct survey_answer_row *rows, size_t n,
    const struct survey_tally *tallies, size_t ntallies)
{
	struct tally_sat all = {0, 0}, online = {0, 0}, paper = {0, 0};
	json_t *qs = json_array(), *comments = json_array(), *out;
	int64_t paper_forms = 0;
	size_t i, k;
	int j;

	for (k = 0; k < t->nquestions; k++) {
		const struct survey_question *q = &t->questions[k];
		int likert = strcmp(q->type, "likert5") == 0;
		json_t *dist = json_object(), *on = NULL, *pa = NULL, *o;
		int64_t answers = 0, paper_n = 0;
		char key[40];

		if (likert) {
			json_decref(dist);
			dist = likert_dist();
			on = likert_dist();
			pa = likert_dist();
		}
		if (strcmp(q->type, "choice") == 0) {
			json_t *opts = json_loads(q->options ? q->options
			                                     : "[]",
			           0, NULL),
			       *x;

			json_array_foreach(opts, i, x) json_object_set_new(dist,
			    json_string_value(json_object_get(x, "id")),
			    json_integer(0));
			json_decref(opts);
		}
		for (i = 0; i < n; i++) {
			if (rows[i].question_id != q->id)
				continue;
			answers++;
			if (rows[i].has_int)
				snprintf(key, sizeof(key), "%lld",
				    (long long)rows[i].value_int);
			else if (strcmp(q->type, "choice") == 0)
				snprintf(key, sizeof(key), "%.32s",
				    rows[i].value_text);
			else {
				json_array_append_new(comments,
				    json_string(rows[i].value_text));
				continue;
			}
			dist_add(dist, key, 1);
			if (on != NULL)
				dist_add(on, key, 1);
			if (q->satisfaction && rows[i].has_int) {
				tally_add_answer(&all, rows[i].value_int);
				tally_add_answer(&online, rows[i].value_int);
			}
		}
		/* Paper forms count like online answers, marked paper. */
		for (i = 0; likert && i < ntallies; i++) {
			if (tallies[i].question_id != q->id)
				continue;
			for (j = 0; j < 5; j++) {
				snprintf(key, sizeof(key), "%d", j + 1);
				dist_add(dist, key, tallies[i].n[j]);
				dist_add(pa, key, tallies[i].n[j]);
				paper_n += tallies[i].n[j];
			}
			if (q->satisfaction) {
				tally_add_counts(&all, tallies[i].n);
				tally_add_counts(&paper, tallies[i].n);
			}
		}
		o = json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:o}", "id",
		    q->qkey, "type", q->type, "text", q->text, "satisfaction",
		    q->satisfaction, "answers", (json_int_t)(answers + paper_n),
		    "online_answers", (json_int_t)answers, "paper_answers",
		    (json_int_t)paper_n, "distribution",
		    strcmp(q->type, "text") == 0 ? json_null()
		                                 : json_incref(dist));
		if (o != NULL && likert) {
			json_object_set_new(o, "online_distribution", on);
			json_object_set_new(o, "paper_distribution", pa);
			on = pa = NULL;
		}
		json_decref(on);
		json_decref(pa);
		json_decref(dist);
		json_array_append_new(qs, o);
	}
	for (i = 0; i < ntallies; i++)
		for (j = 0; j < 5; j++)
			paper_forms += tallies[i].n[j];
	out = json_pack("{s:o, s:{s:I, s:I}, s:o, s:o}", "satisfaction",
	    sat_json(&all), "paper", "tallies", (json_int_t)ntallies, "answers",
	    (json_int_t)paper_forms, "questions", qs, "comments", comments);
	if (out != NULL) {
		json_object_set_new(out, "satisfaction_online",
		    sat_json(&online));
		json_object_set_new(out, "satisfaction_paper",
		    sat_json(&paper));
	}
	return out;
}

int
api_survey_results(struct http_req *r)
{
	struct survey_answer_row *rows = NULL;
	struct survey_tally *tallies = NULL;
	struct store_page pg = {100000, 0};
	struct tally_filter tf;
	struct survey_template t;
	struct attendance *att = NULL;
	struct store *st;
	struct event e;
	size_t n = 0, natt = 0, ntal = 0;
	int64_t personal = 0, anonymous = 0, ntotal;
	json_t *out;
	int rc;

	st = api_store(r);
	if (!load_results(r, st, &e, &t, &rows, &n))
		return http_req_status(r);
	memset(&tf, 0, sizeof(tf));
	tf.event_id = e.id;
	if (store_survey_counts(st, e.id, &personal, &anonymous) < 0 ||
	    store_attendance_list(st, e.id, &att, &natt) < 0 ||
	    store_tally_list(st, &tf, &pg, &tallies, &ntal, &ntotal) < 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	out = api_survey_results_json(&t, rows, n, tallies, ntal);
	if (out == NULL) {
		rc = api_reply_internal(r, "survey results JSON");
		goto out;
	}
	json_object_set_new(out, "responses",
	    json_integer(personal + anonymous));
	json_object_set_new(out, "anonymous_responses",
	    json_integer(anonymous));
	json_object_set_new(out, "attendees", json_integer((json_int_t)natt));
	json_object_set_new(out, "response_rate",
	    natt ? json_real((double)personal / (double)natt) : json_null());
	rc = http_reply_json(r, 200, out);
out:
	survey_tally_list_free(tallies, ntal);
	attendance_list_free(att, natt);
	survey_answer_rows_free(rows, n);
	survey_template_free(&t);
	event_free(&e);
	return rc;
}

int
api_survey_results_csv(struct http_req *r)
{
	struct survey_answer_row *rows = NULL;
	struct survey_template t;
	struct store *st;
	struct event e;
	size_t n = 0, len = 0;
	char *text = NULL;
	int rc;

	st = api_store(r);
	if (!load_results(r, st, &e, &t, &rows, &n))
		return http_req_status(r);
	if (svc_survey_results_csv(&t, rows, n, &text, &len) < 0)
		rc = api_reply_internal(r, "survey results CSV: out of memory");
	else
		rc = api_reply_file(r, API_TYPE_CSV, text, len,
		    "survey-results.csv");
	survey_answer_rows_free(rows, n);
	survey_template_free(&t);
	event_free(&e);
	return rc;
}

int
api_survey_anonymous(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "enabled", .type = VT_BOOL, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	struct store *st;
	struct event e;
	char *token = NULL, tok[SECRET_TOKEN_HEX], url[512];
	int enabled, was, rc;

	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if ((rc = store_event_get(st, http_req_id(r, 0), &e)) <= 0)
		return api_reply_not_found(r, rc, "没有这场活动");
	event_free(&e);
	enabled = json_is_true(json_object_get(body, "enabled"));
	if (store_event_anonymous_get(st, http_req_id(r, 0), &was, &token) <= 0)
		return api_reply_store_error(r);
	/* A link that is on stays the same (the poster keeps working); one
	 * switched off is gone for good, and switching on again makes a new
	 * one, so a link that leaked is not revived. */
	if (!enabled || !was) {
		free(token);
		token = NULL;
	}
	if (enabled && token == NULL) {
		secret_token(tok, SECRET_TOKEN_BYTES);
		if ((token = strdup(tok)) == NULL)
			return api_reply_internal(r, "out of memory");
	}
	if (store_event_anonymous_set(st, http_req_id(r, 0), enabled, token) <=
	        0 ||
	    api_audit(r, st, "anonymous_survey", "event", http_req_id(r, 0),
	        body) < 0) {
		free(token);
		return api_reply_store_error(r);
	}
	if (token != NULL)
		snprintf(url, sizeof(url), "%s/s/%s", svc_config()->base_url,
		    token);
	rc = http_reply_json(r, 200,
	    json_pack("{s:b, s:o, s:o}", "enabled", enabled, "token",
	        token ? json_string(token) : json_null(), "survey_url",
	        token ? json_string(url) : json_null()));
	free(token);
	return rc;
}

int
api_settings_get(struct http_req *r)
{
	struct store *st;

	st = api_store(r);
	return http_reply_json(r, 200,
	    json_pack("{s:I}", "retention_days",
	        (json_int_t)svc_retention_days(st)));
}

int
api_settings_put(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "retention_days",
	        .type = VT_INT,
	        .required = 1,
	        .min = 30,
	        .max = 3650},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	struct store *st;
	char v[24];

	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	snprintf(v, sizeof(v), "%lld",
	    (long long)json_integer_value(json_object_get(body,
	        "retention_days")));
	if (store_setting_set(st, "retention_days", v) < 0 ||
	    api_audit(r, st, "update", "settings", 0, body) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:I}", "retention_days",
	        (json_int_t)svc_retention_days(st)));
}

int
api_privacy_purge(struct http_req *r)
{
	struct store *st;
	int64_t regs = 0, atts = 0;

	st = api_store(r);
	if (svc_privacy_purge(st, &regs, &atts) < 0 ||
	    api_audit(r, st, "purge", "privacy", 0, NULL) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:I, s:I}", "purged_registrations", (json_int_t)regs,
	        "purged_attendees", (json_int_t)atts));
}
