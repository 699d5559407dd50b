/*
 * Satisfaction of counselling, not only of events: a station's anonymous
 * survey link for the counselling room's wall (create, rotate, disable,
 * its QR code), the station's survey results, and paper tallies — a
 * stack of paper forms counted per scale point for an event or a
 * station, which count like online answers and are marked paper. The
 * public form itself is the survey page /s/{token} (survey.c resolves a
 * station's token too). Coordinators only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_TALLIES 100000

static int
station_or_reply(struct http_req *r, struct store *st, struct station *s)
{
	return api_found_or_reply(r,
	    store_station_get(st, http_req_id(r, 0), s), "没有这个驻点");
}

static json_t *
link_json(const struct station *s, const char *token)
{
	char url[512], qr[96], poster[96];

	if (token == NULL)
		return json_pack("{s:I, s:b, s:n, s:n, s:n, s:n}", "station_id",
		    (json_int_t)s->id, "enabled", 0, "token", "url", "qr_url",
		    "poster_url");
	snprintf(url, sizeof(url), "%s/s/%s", svc_config()->base_url, token);
	snprintf(qr, sizeof(qr), "/api/v1/stations/%lld/survey-qr.svg",
	    (long long)s->id);
	snprintf(poster, sizeof(poster), "/poster.html?station=%lld",
	    (long long)s->id);
	return json_pack("{s:I, s:b, s:s, s:s, s:s, s:s}", "station_id",
	    (json_int_t)s->id, "enabled", 1, "token", token, "url", url,
	    "qr_url", qr, "poster_url", poster);
}

/* The station of the path and its survey link's token (*token NULL:
 * none); the caller frees both. 0 after a reply. */
static int
link_or_reply(struct http_req *r, struct store *st, struct station *s,
    char **token)
{
	int64_t tid;

	*token = NULL;
	if (!station_or_reply(r, st, s))
		return 0;
	if (store_station_survey_get(st, s->id, token, &tid) <= 0) {
		free(*token);
		station_free(s);
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

int
api_station_survey_link_get(struct http_req *r)
{
	struct station s;
	char *token;
	int rc;

	if (!link_or_reply(r, api_store(r), &s, &token))
		return http_req_status(r);
	rc = http_reply_json(r, 200, link_json(&s, token));
	free(token);
	station_free(&s);
	return rc;
}

int
api_station_survey_link(struct http_req *r)
{
	struct station s;
	struct store *st;
	char tok[SECRET_TOKEN_HEX], *old;
	json_t *detail;
	int rc, tries;

	st = api_store(r);
	if (!link_or_reply(r, st, &s, &old))
		return http_req_status(r);
	/* A new token every time: rotating stops the old one at once. */
	for (tries = 0, rc = 0; rc == 0 && tries < 3; tries++) {
		secret_token(tok, SECRET_TOKEN_BYTES);
		rc = store_station_survey_set(st, s.id, tok);
	}
	detail = json_pack("{s:s}", "link", old ? "rotated" : "created");
	if (rc <= 0 ||
	    api_audit(r, st, old ? "rotate" : "create", "station_survey", s.id,
	        detail) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, old ? 200 : 201, link_json(&s, tok));
	json_decref(detail);
	free(old);
	station_free(&s);
	return rc;
}

int
api_station_survey_link_delete(struct http_req *r)
{
	struct station s;
	struct store *st;
	char *old;
	int rc;

	st = api_store(r);
	if (!link_or_reply(r, st, &s, &old))
		return http_req_status(r);
	if (old == NULL)
		rc = http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "该驻点没有启用满意度调查链接");
	else
		rc = api_reply_deleted(r, st,
		    store_station_survey_set(st, s.id, NULL), "station_survey",
		    s.id, NULL);
	free(old);
	station_free(&s);
	return rc;
}

int
api_station_survey_qr(struct http_req *r)
{
	struct station s;
	char *token, url[512];
	int rc;

	if (!link_or_reply(r, api_store(r), &s, &token))
		return http_req_status(r);
	if (token == NULL)
		rc = http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "该驻点没有启用满意度调查链接");
	else {
		snprintf(url, sizeof(url), "%s/s/%s", svc_config()->base_url,
		    token);
		rc = api_reply_qr(r, url);
	}
	free(token);
	station_free(&s);
	return rc;
}

/* A station's questionnaire: its own, else the built-in counselling
 * one. */
static int
station_template(struct store *st, int64_t station_id,
    struct survey_template *t)
{
	char *token = NULL;
	int64_t tid = 0;
	int rc = store_station_survey_get(st, station_id, &token, &tid);

	free(token);
	if (rc <= 0)
		return -1;
	if (tid == 0 && (tid = store_survey_counselling_template(st)) <= 0)
		return -1;
	return store_survey_template_get(st, tid, t);
}

/* Reads an optional date query parameter as given (checked already by
 * api_day_range_or_reply). */
static const char *
date_query(struct http_req *r, const char *name)
{
	const char *v = http_req_query(r, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int
api_station_survey_results(struct http_req *r)
{
	struct survey_answer_row *rows = NULL;
	struct survey_tally *tallies = NULL;
	struct store_page pg = {MAX_TALLIES, 0};
	struct survey_template t;
	struct tally_filter tf;
	struct station s;
	struct store *st;
	size_t n = 0, ntal = 0;
	int64_t responses = 0, total;
	time_t from, to;
	char *token = NULL;
	int64_t tid;
	json_t *out;
	int rc;

	if (!api_day_range_or_reply(r, &from, &to))
		return http_req_status(r);
	st = api_store(r);
	if (!station_or_reply(r, st, &s))
		return http_req_status(r);
	memset(&t, 0, sizeof(t));
	memset(&tf, 0, sizeof(tf));
	tf.station_id = s.id;
	tf.from = date_query(r, "from");
	tf.to = date_query(r, "to");
	if (station_template(st, s.id, &t) <= 0 ||
	    store_station_survey_get(st, s.id, &token, &tid) <= 0 ||
	    store_survey_station_answers(st, s.id, from, to, &rows, &n) < 0 ||
	    store_survey_station_count(st, s.id, from, to, &responses) < 0 ||
	    store_tally_list(st, &tf, &pg, &tallies, &ntal, &total) < 0) {
		rc = api_reply_store_error(r);
		goto out;
	}
	if ((out = api_survey_results_json(&t, rows, n, tallies, ntal)) ==
	    NULL) {
		rc = api_reply_store_error(r);
		goto out;
	}
	json_object_set_new(out, "station",
	    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)s.id, "code", s.code,
	        "name", s.name));
	json_object_set_new(out, "from",
	    tf.from ? json_string(tf.from) : json_null());
	json_object_set_new(out, "to",
	    tf.to ? json_string(tf.to) : json_null());
	json_object_set_new(out, "survey_link", json_boolean(token != NULL));
	json_object_set_new(out, "responses", json_integer(responses));
	json_object_set_new(out, "anonymous_responses",
	    json_integer(responses));
	json_object_set_new(out, "attendees", json_null());
	json_object_set_new(out, "response_rate", json_null());
	rc = http_reply_json(r, 200, out);
out:
	free(token);
	survey_tally_list_free(tallies, ntal);
	survey_answer_rows_free(rows, n);
	survey_template_free(&t);
	station_free(&s);
	return rc;
}

static json_t *
tally_json(const struct survey_tally *t)
{
	struct tally_sat sat = {0, 0};
	json_t *counts = json_object();
	char key[16];
	int i;

	tally_add_counts(&sat, t->n);
	for (i = 0; counts != NULL && i < 5; i++) {
		snprintf(key, sizeof(key), "%d", i + 1);
		json_object_set_new(counts, key, json_integer(t->n[i]));
	}
	return json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:b, s:b, s:o,"
	                 " s:I, s:I, s:o, s:o}",
	    "id", (json_int_t)t->id, "event_id",
	    t->event_id ? json_integer(t->event_id) : json_null(), "station_id",
	    t->station_id ? json_integer(t->station_id) : json_null(), "source",
	    t->source, "date", t->date, "question_id", t->qkey, "question_text",
	    t->qtext, "satisfaction", t->qsatisfaction, "paper", 1, "counts",
	    counts, "total", (json_int_t)sat.total, "satisfied",
	    (json_int_t)sat.satisfied, "entered_by",
	    t->entered_by_name[0] ? json_string(t->entered_by_name)
	                          : json_null(),
	    "created_at", tzdb_time_json(t->created_at));
}

int
api_tally_create(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "event_id", .type = VT_ID, .nullable = 1},
	    {.name = "station_id", .type = VT_ID, .nullable = 1},
	    {.name = "date", .type = VT_DATE, .required = 1},
	    {.name = "question_id",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 32},
	    {.name = "counts", .type = VT_OBJECT, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct survey_template tpl;
	struct survey_tally t;
	struct herror err;
	struct store *st;
	struct event e;
	struct station s;
	enum tally_err te;
	const char *qkey;
	char key[8];
	int64_t day, tid, id;
	size_t i;
	int rc;

	if (!valid_object(body, f, 5, VALID_CREATE, &err))
		return api_reply_invalid_zh(r, &err);
	memset(&t, 0, sizeof(t));
	t.event_id = json_integer_value(json_object_get(body, "event_id"));
	t.station_id = json_integer_value(json_object_get(body, "station_id"));
	if ((t.event_id != 0) == (t.station_id != 0))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "event_id",
		    "请指定活动（event_id）或驻点（station_id）"
		    "其中之一");
	if ((te = tally_counts_parse(json_object_get(body, "counts"), t.n,
	         key)) != TALLY_OK)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "counts",
		    "%s%s%s", tally_message(te), key[0] ? "：" : "", key);
	if (!time_parse_date(json_string_value(json_object_get(body, "date")),
	        &day) ||
	    day > activity_local_day(svc_now(), tzdb_default()))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "date",
		    "填写日期不能晚于今天");
	st = api_store(r);
	memset(&tpl, 0, sizeof(tpl));
	if (t.event_id) {
		if ((rc = store_event_get(st, t.event_id, &e)) < 0)
			return api_reply_store_error(r);
		if (rc == 0)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "event_id", "没有这个活动");
		rc = e.status == EVENT_CANCELLED;
		tid = e.survey_template_id ? e.survey_template_id
		                           : store_survey_default_template(st);
		event_free(&e);
		if (rc)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "event_id", "活动已取消，不能录入问卷");
		if (tid <= 0 || store_survey_template_get(st, tid, &tpl) <= 0)
			return api_reply_store_error(r);
	} else {
		if ((rc = store_station_get(st, t.station_id, &s)) < 0)
			return api_reply_store_error(r);
		if (rc == 0)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "station_id", "没有这个驻点");
		station_free(&s);
		if (station_template(st, t.station_id, &tpl) <= 0)
			return api_reply_store_error(r);
	}
	/* The question: a likert5 question of that questionnaire, by key. */
	qkey = json_string_value(json_object_get(body, "question_id"));
	for (i = 0; i < tpl.nquestions; i++)
		if (strcmp(tpl.questions[i].qkey, qkey) == 0 &&
		    strcmp(tpl.questions[i].type, "likert5") == 0)
			t.question_id = tpl.questions[i].id;
	survey_template_free(&tpl);
	if (t.question_id == 0)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "question_id", "问卷中没有这个五级量表题（例如 overall）");
	t.source = t.event_id ? "event" : "counselling";
	t.date = (char *)json_string_value(json_object_get(body, "date"));
	t.entered_by = http_req_principal(r)->user_id;
	t.created_at = svc_now();
	if (store_tally_insert(st, &t) <= 0 ||
	    api_audit(r, st, "create", "survey_tally", t.id, body) < 0)
		return api_reply_store_error(r);
	id = t.id;
	memset(&t, 0, sizeof(t));
	if (store_tally_get(st, id, &t) <= 0)
		return api_reply_store_error(r);
	rc = api_reply_created(r, tally_json(&t),
	    "/api/v1/surveys/tallies/%lld", (long long)t.id);
	survey_tally_free(&t);
	return rc;
}

int
api_tally_list(struct http_req *r)
{
	struct survey_tally *items = NULL;
	struct tally_filter f;
	struct store_page pg;
	struct store *st;
	time_t from, to;
	size_t n = 0, i;
	int64_t total;
	json_t *arr;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_id_query_or_reply(r, "event_id", &f.event_id) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id) ||
	    !api_day_range_or_reply(r, &from, &to))
		return http_req_status(r);
	if (f.event_id && f.station_id)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "event_id",
		    "event_id 和 station_id 只能指定其中之一");
	f.from = date_query(r, "from");
	f.to = date_query(r, "to");
	st = api_store(r);
	if (store_tally_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		json_array_append_new(arr, tally_json(&items[i]));
	survey_tally_list_free(items, n);
	return api_reply_list(r, arr, total);
}

int
api_tally_delete(struct http_req *r)
{
	return api_delete_by_id(r, store_tally_delete, "survey_tally",
	    "没有这条纸质问卷记录");
}
