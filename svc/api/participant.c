/*
 * Registration and check-in. Participants register on a public event
 * page (capacity, then a waitlist promoted when someone cancels); staff
 * check them in by scanning the QR code of their personal link, or tick
 * them on the roll call; trainings record pass and score. Survey tokens
 * go to attendees only, when the event is held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const struct vfield registration_fields[] = {
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 50},
    {.name = "email", .type = VT_EMAIL, .nullable = 1, .max = 254},
    {.name = "phone", .type = VT_PHONE, .nullable = 1, .max = 32},
    {.name = "organisation", .type = VT_STRING, .nullable = 1, .max = 100},
    /* false: no SMS to this number (default true when SMS is on) */
    {.name = "sms", .type = VT_BOOL, .nullable = 1},
};

/* Whether any SMS goes out at all (a provider and a template). */
static int
sms_available(void)
{
	int k;

	for (k = 0; k < NOTIFY_SMS__MAX; k++)
		if (svc_channel_sms_on(k))
			return 1;
	return 0;
}

static int
event_load_or_reply(struct http_req *r, struct store *st, int64_t id,
    struct event *e)
{
	return api_found_or_reply(r, store_event_get(st, id, e),
	    "没有这场活动");
}

/* Registered and waitlisted counts of an event. */
static int
counts(struct store *st, int64_t event_id, int64_t *reg, int64_t *wait)
{
	return store_registration_count(st, event_id, REGISTRATION_REGISTERED,
	           reg) > 0 &&
	    store_registration_count(st, event_id, REGISTRATION_WAITLISTED,
	        wait) > 0;
}

int
api_public_event(struct http_req *r)
{
	struct store *st;
	struct event e;
	struct station s;
	int64_t reg, wait;
	char *station = NULL;
	int rc;

	st = api_store(r);
	if (!event_load_or_reply(r, st, http_req_id(r, 0), &e))
		return http_req_status(r);
	if (!e.public_) {
		event_free(&e);
		return http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "没有这场活动");
	}
	if (!counts(st, e.id, &reg, &wait)) {
		event_free(&e);
		return api_reply_store_error(r);
	}
	if (e.station_id && store_station_get(st, e.station_id, &s) > 0) {
		station = strdup(s.name);
		station_free(&s);
	}
	rc = http_reply_json(r, 200,
	    json_pack(
	        "{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:I,"
	        " s:I, s:o, s:b}",
	        "id", (json_int_t)e.id, "kind", e.kind, "title", e.title,
	        "description", e.description, "station_name",
	        station ? json_string(station) : json_null(), "venue", e.venue,
	        "start", tzdb_time_json(e.start_at), "end",
	        tzdb_time_json(e.end_at), "status",
	        event_status_names[e.status], "audience", e.audience,
	        "capacity",
	        e.capacity >= 0 ? json_integer(e.capacity) : json_null(),
	        "registered", (json_int_t)reg, "waitlisted", (json_int_t)wait,
	        "spots_left",
	        e.capacity >= 0
	            ? json_integer(e.capacity > reg ? e.capacity - reg : 0)
	            : json_null(),
	        "sms", sms_available()));
	free(station);
	event_free(&e);
	return rc;
}

/*
 * Replies with the live registration of event_id that is the same
 * person as body (phone or e-mail) and returns 1; 0 when there is none;
 * -1 on failure. The reply leaves out the token: whoever types a
 * phone number must not get another person's link (it cancels); the
 * person has it from the first confirmation.
 */
static int
existing_registration(struct http_req *r, struct store *st, int64_t event_id,
    const json_t *body)
{
	enum registration_status status;
	int64_t id;
	int rc;

	if ((rc = store_registration_find(st, event_id,
	         json_string_value(json_object_get(body, "email")),
	         json_string_value(json_object_get(body, "phone")), &id,
	         &status)) <= 0)
		return rc;
	http_reply_json(r, 200,
	    json_pack("{s:I, s:s, s:b, s:s}", "id", (json_int_t)id, "status",
	        registration_status_names[status], "already_registered", 1,
	        "message",
	        status == REGISTRATION_WAITLISTED
	            ? "您已经报过名了（在候补名单上），不需要再报名；"
	              "有空位时会通知您"
	            : "您已经报过名了，名额保留，不需要再报名；"
	              "报名确认已在第一次报名时发出"));
	return 1;
}

int
api_registration_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct registration g;
	struct herror err;
	struct store *st;
	struct event e;
	int64_t reg;
	char tok[SECRET_TOKEN_HEX], optout[SECRET_TOKEN_HEX];
	int rc, tries, pause;

	/* Every attempt takes from the address's public-write rate; the
	 * registrations made count against its hourly number. */
	if ((pause = api_rate_take(RATE_PUBLIC_WRITE, http_req_client(r))) > 0)
		return api_reply_rate_limited(r, pause,
		    "请求过于频繁，请稍后再试");
	if ((pause = api_limit_wait(LIMIT_REGISTER, http_req_client(r))) > 0)
		return api_reply_rate_limited(r, pause,
		    "这个网络地址报名次数过多，请稍后再试");
	if (!valid_object(body, registration_fields, 5, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	{
		/* A number SMS can reach: a mainland mobile number. */
		char *ph = valid_str(body, "phone", NULL);
		char digits[NOTIFY_PHONE_SZ];
		int bad = ph != NULL && *ph != '\0' &&
		    !notify_phone_cn(ph, digits);

		free(ph);
		if (bad)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "phone",
			    "手机号：请填写中国大陆手机号"
			    "（11 位，以 13–19 开头，可带 +86）");
	}
	st = api_store(r);
	if (!event_load_or_reply(r, st, http_req_id(r, 0), &e))
		return http_req_status(r);
	if (!e.public_) {
		event_free(&e);
		return http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "没有这场活动");
	}
	if (!event_status_live(e.status) || e.end_at <= svc_now()) {
		event_free(&e);
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这场活动的报名已经结束");
	}
	/* One place per person: the same phone or e-mail gets the
	 * registration it already has, no second row and no second mail. */
	if ((rc = existing_registration(r, st, e.id, body)) != 0) {
		event_free(&e);
		return rc < 0 ? api_reply_store_error(r) : http_req_status(r);
	}
	memset(&g, 0, sizeof(g));
	g.event_id = e.id;
	/* The capacity counts registered places only. */
	if (store_registration_count(st, e.id, REGISTRATION_REGISTERED, &reg) <=
	        0 ||
	    (g.name = valid_str(body, "name", NULL)) == NULL) {
		event_free(&e);
		return api_reply_store_error(r);
	}
	g.email = valid_str(body, "email", NULL);
	g.phone = valid_str(body, "phone", NULL);
	g.organisation = valid_str(body, "organisation", NULL);
	g.status = e.capacity >= 0 && reg >= e.capacity
	    ? REGISTRATION_WAITLISTED
	    : REGISTRATION_REGISTERED;
	g.created_at = g.updated_at = svc_now();
	/* With the opt-out token of its reminder mails: another 128 bits,
	 * which change reminders only (the registration token also
	 * cancels). */
	for (rc = 0, tries = 0; rc == 0 && tries < 3; tries++) {
		secret_token(tok, SECRET_TOKEN_BYTES);
		secret_token(optout, SECRET_TOKEN_BYTES);
		g.token = tok;
		rc = store_registration_insert(st, &g, optout);
	}
	api_limit_count(LIMIT_REGISTER, http_req_client(r));
	if (rc > 0 && json_is_false(json_object_get(body, "sms")) &&
	    store_registration_set_sms_opt_out(st, g.id, 1, g.created_at) <= 0)
		rc = -1;
	if (rc > 0 && g.status == REGISTRATION_REGISTERED) {
		/* Made just now: none of its mail is queued to supersede. */
		struct svc_mail_cause why = {.registration_id = g.id,
		    .fresh = 1,
		    .event = &e,
		    .registration = &g,
		    .optout = optout};

		if (svc_mail_event(st, e.id, &why) < 0 ||
		    svc_channel_registration(st, g.id, NOTIFY_SMS_REGISTERED) <
		        0)
			rc = -1;
	}
	if (rc <= 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 201,
		    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)g.id,
		        "token", tok, "status",
		        registration_status_names[g.status]));
	free(g.name);
	free(g.email);
	free(g.phone);
	free(g.organisation);
	event_free(&e);
	return rc;
}

static int
registration_load_or_reply(struct http_req *r, struct store *st,
    struct registration *g)
{
	return api_found_or_reply(r,
	    store_registration_get_by_token(st, http_req_tok(r, 0), g),
	    "没有这条报名");
}

/* Whether the survey of e takes answers now: held, and within 30 days
 * of its end. */
int
api_survey_open(const struct event *e, time_t now)
{
	return event_survey_open(e->status, e->end_at, now);
}

static int
waitlist_position(struct store *st, const struct registration *g, int64_t *pos)
{
	struct registration *all = NULL;
	size_t n = 0, i;

	*pos = 0;
	if (g->status != REGISTRATION_WAITLISTED)
		return 1;
	if (store_registration_list(st, g->event_id, &all, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (all[i].status == REGISTRATION_WAITLISTED)
			(*pos)++;
		if (all[i].id == g->id)
			break;
	}
	registration_list_free(all, n);
	return 1;
}

int
api_registration_get(struct http_req *r)
{
	struct registration g;
	struct attendance a;
	struct sms_person sp;
	struct store *st;
	struct event e;
	int64_t pos;
	char url[512];
	json_t *survey = json_null();
	int rc, has_att;

	st = api_store(r);
	if (!registration_load_or_reply(r, st, &g))
		return http_req_status(r);
	if (store_event_get(st, g.event_id, &e) <= 0) {
		registration_free(&g);
		return api_reply_store_error(r);
	}
	has_att = store_attendance_by_registration(st, g.id, &a);
	if (store_sms_person(st, g.id, &sp) <= 0) {
		if (has_att > 0)
			attendance_free(&a);
		registration_free(&g);
		event_free(&e);
		return api_reply_store_error(r);
	}
	if (has_att < 0 || waitlist_position(st, &g, &pos) < 0) {
		sms_person_free(&sp);
		registration_free(&g);
		event_free(&e);
		return api_reply_store_error(r);
	}
	if (has_att > 0 && a.survey_token && !a.answered &&
	    api_survey_open(&e, svc_now())) {
		snprintf(url, sizeof(url), "%s/s/%s", svc_config()->base_url,
		    a.survey_token);
		survey = json_string(url);
	}
	rc = http_reply_json(r, 200,
	    json_pack(
	        "{s:s, s:o, s:{s:I, s:s, s:s, s:o, s:o, s:s}, s:o, s:b, s:o, s:b,"
	        " s:b, s:b, s:b, s:b}",
	        "status", registration_status_names[g.status], "name",
	        g.name ? json_string(g.name) : json_null(), "event", "id",
	        (json_int_t)e.id, "kind", e.kind, "title", e.title, "start",
	        tzdb_time_json(e.start_at), "end", tzdb_time_json(e.end_at),
	        "status", event_status_names[e.status], "waitlist_position",
	        pos ? json_integer(pos) : json_null(), "checked_in",
	        has_att > 0, "survey_url", survey, "reminders",
	        !g.reminders_opt_out, "has_email",
	        g.email != NULL && g.email[0] != '\0', "has_phone",
	        g.phone != NULL && g.phone[0] != '\0', "sms", !sp.sms_opt_out,
	        "sms_available", sms_available()));
	sms_person_free(&sp);
	if (has_att > 0)
		attendance_free(&a);
	registration_free(&g);
	event_free(&e);
	return rc;
}

int
api_registration_cancel(struct http_req *r)
{
	struct registration g;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!registration_load_or_reply(r, st, &g))
		return http_req_status(r);
	if (g.status == REGISTRATION_CANCELLED) {
		registration_free(&g);
		return http_reply_json(r, 200,
		    json_pack("{s:s}", "status", "cancelled"));
	}
	if (g.checked_in) {
		registration_free(&g);
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "您已经签到，不能取消报名");
	}
	rc = svc_registration_cancel(st, &g);
	registration_free(&g);
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:s}", "status", "cancelled"));
}

/* The registration {id} for a coordinator; replies 404 when none. */
static int
registration_by_id_or_reply(struct http_req *r, struct store *st,
    struct registration *g)
{
	return api_found_or_reply(r,
	    store_registration_get(st, http_req_id(r, 0), g), "没有这条报名");
}

static json_t *
registration_state_json(struct store *st, int64_t id)
{
	struct registration g;
	json_t *o;

	if (store_registration_get(st, id, &g) <= 0)
		return NULL;
	o = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)g.id, "event_id",
	    (json_int_t)g.event_id, "status",
	    registration_status_names[g.status]);
	registration_free(&g);
	return o;
}

/* POST /registrations/{id}/promote (coordinator): a waitlisted person
 * gets a place, told by mail (and SMS) as on an automatic promotion. */
int
api_registration_promote(struct http_req *r)
{
	struct registration g;
	struct store *st = api_store(r);
	int64_t id;
	int rc;

	if (!registration_by_id_or_reply(r, st, &g))
		return http_req_status(r);
	id = g.id;
	registration_free(&g);
	rc = svc_registration_promote(st, id);
	if (rc < 0)
		return api_reply_store_error(r);
	if (rc == SVC_REG_NOT_WAITLISTED)
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "只有候补名单上的报名才能转为正式报名");
	if (api_audit(r, st, "promote", "registration", id, NULL) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200, registration_state_json(st, id));
}

/* POST /registrations/{id}/cancel (coordinator): as the person's own
 * cancel (mailed; a freed place goes to the waitlist). */
int
api_registration_cancel_by_id(struct http_req *r)
{
	struct registration g;
	struct store *st = api_store(r);
	int rc;

	if (!registration_by_id_or_reply(r, st, &g))
		return http_req_status(r);
	rc = svc_registration_cancel(st, &g);
	if (rc == SVC_REG_CHECKED_IN) {
		registration_free(&g);
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "此人已经签到，不能取消报名");
	}
	if (rc < 0 ||
	    api_audit(r, st, "cancel", "registration", g.id, NULL) < 0) {
		registration_free(&g);
		return api_reply_store_error(r);
	}
	rc = http_reply_json(r, 200, registration_state_json(st, g.id));
	registration_free(&g);
	return rc;
}

/* GET /events/{id}/registrations.csv (coordinator). */
int
api_registrations_csv(struct http_req *r)
{
	struct store *st = api_store(r);
	char *text;
	size_t len;

	if (!api_event_found_or_reply(r, st))
		return http_req_status(r);
	if (svc_registrations_csv(st, http_req_id(r, 0), &text, &len) < 0)
		return api_reply_store_error(r);
	return api_reply_file(r, API_TYPE_CSV, text, len,
	    "participants-%lld.csv", (long long)http_req_id(r, 0));
}

/* A participant's switch ({"enabled": …}) of the registration of the
 * path, set by set and answered as {key: on}. */
static int
switch_reply(struct http_req *r,
    int (*set)(struct store *, const struct registration *, int),
    const char *key)
{
	struct registration g;
	struct store *st;
	int on, rc;

	if (!api_enabled_or_reply(r, &on))
		return http_req_status(r);
	st = api_store(r);
	if (!registration_load_or_reply(r, st, &g))
		return http_req_status(r);
	if (set(st, &g, on) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, json_pack("{s:b}", key, on));
	registration_free(&g);
	return rc;
}

int
api_registration_reminders(struct http_req *r)
{
	return switch_reply(r, svc_registration_reminders, "reminders");
}

int
api_registration_sms(struct http_req *r)
{
	return switch_reply(r, svc_registration_sms, "sms");
}

int
api_page_unsubscribe(struct http_req *r)
{
	return http_reply_file(r, "/unsubscribe.html");
}

int
api_registration_qr(struct http_req *r)
{
	struct registration g;
	struct store *st;
	char url[512];

	st = api_store(r);
	if (!registration_load_or_reply(r, st, &g))
		return http_req_status(r);
	snprintf(url, sizeof(url), "%s/c/%s", svc_config()->base_url, g.token);
	registration_free(&g);
	return api_reply_qr(r, url);
}

int
api_registration_list(struct http_req *r)
{
	struct registration *items = NULL;
	struct reg_channel *rcs = NULL;
	struct store *st;
	size_t n = 0, i, k, nrcs = 0;
	json_t *arr;

	st = api_store(r);
	if (!api_event_found_or_reply(r, st))
		return http_req_status(r);
	if (store_registration_list(st, http_req_id(r, 0), &items, &n) < 0)
		return api_reply_store_error(r);
	/* Per participant, the channels their messages took. */
	if (store_outbox_registration_channels(st, http_req_id(r, 0), &rcs,
	        &nrcs) < 0) {
		registration_list_free(items, n);
		return api_reply_store_error(r);
	}
	arr = json_array();
	for (i = 0; i < n && arr; i++) {
		const struct registration *g = &items[i];
		struct sms_person sp;
		json_t *chans = json_array();
		int got = store_sms_person(st, g->id, &sp);

		for (k = 0; k < nrcs; k++)
			if (rcs[k].registration_id == g->id)
				json_array_append_new(chans,
				    json_pack("{s:s, s:I, s:I}", "channel",
				        rcs[k].channel, "queued",
				        (json_int_t)rcs[k].queued, "sent",
				        (json_int_t)rcs[k].sent));
		json_array_append_new(arr,
		    json_pack(
		        "{s:I, s:o, s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:b}",
		        "id", (json_int_t)g->id, "name",
		        g->name ? json_string(g->name) : json_null(), "email",
		        g->email ? json_string(g->email) : json_null(), "phone",
		        g->phone ? json_string(g->phone) : json_null(),
		        "organisation",
		        g->organisation ? json_string(g->organisation)
		                        : json_null(),
		        "status", registration_status_names[g->status],
		        "checked_in", g->checked_in, "created_at",
		        tzdb_time_json(g->created_at), "channels", chans, "sms",
		        got > 0 && !sp.sms_opt_out));
		if (got > 0)
			sms_person_free(&sp);
	}
	free(rcs);
	registration_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

static json_t *
attendance_json(const struct attendance *a)
{
	return json_pack("{s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:b}", "id",
	    (json_int_t)a->id, "registration_id",
	    a->registration_id ? json_integer(a->registration_id) : json_null(),
	    "name", a->name ? json_string(a->name) : json_null(), "walk_in",
	    a->registration_id == 0, "checked_in_at",
	    tzdb_time_json(a->checked_in_at), "passed",
	    a->passed < 0 ? json_null() : json_boolean(a->passed), "score",
	    a->score < 0 ? json_null() : json_real(a->score), "survey_token",
	    a->survey_token ? json_string(a->survey_token) : json_null(),
	    "answered", a->answered);
}

/* Gives a held event's attendee a survey token when it has none. */
static int
issue_token(struct store *st, struct attendance *a)
{
	char tok[SECRET_TOKEN_HEX];

	if (a->survey_token != NULL)
		return 1;
	secret_token(tok, SECRET_TOKEN_BYTES);
	if ((a->survey_token = strdup(tok)) == NULL)
		return -1;
	return store_attendance_update(st, a) > 0 ? 1 : -1;
}

int
api_attendance_issue_tokens(struct store *st, int64_t event_id)
{
	struct attendance *items = NULL;
	size_t n = 0, i;
	int rc = 1;

	if (store_attendance_list(st, event_id, &items, &n) < 0)
		return -1;
	for (i = 0; i < n && rc > 0; i++)
		rc = issue_token(st, &items[i]);
	attendance_list_free(items, n);
	return rc;
}

/* Checks in a registration (or a walk-in when g is NULL) of e. Replies;
 * returns the status. */
static int
check_in(struct http_req *r, struct store *st, const struct event *e,
    const struct registration *g, const char *walk_in, const json_t *body,
    int tolerate_repeat)
{
	struct attendance a, old;
	enum registration_status was;
	json_t *v;
	int rc;

	if (e->status == EVENT_CANCELLED)
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这场活动已经取消");
	if (g != NULL && g->status == REGISTRATION_CANCELLED)
		return http_reply_errorf(r, HERR_CONFLICT, "registration",
		    "这条报名已经取消");
	if (g != NULL &&
	    (rc = store_attendance_by_registration(st, g->id, &old)) != 0) {
		if (rc < 0)
			return api_reply_store_error(r);
		if (!tolerate_repeat) {
			attendance_free(&old);
			return http_reply_errorf(r, HERR_CONFLICT,
			    "registration_id", "此人已经签到过");
		}
		rc = http_reply_json(r, 200,
		    json_pack("{s:o, s:b, s:b, s:s}", "attendance",
		        attendance_json(&old), "already", 1, "was_waitlisted",
		        g->status == REGISTRATION_WAITLISTED, "message",
		        checkin_message_zh(g->status, 1)));
		attendance_free(&old);
		return rc;
	}
	memset(&a, 0, sizeof(a));
	a.event_id = e->id;
	a.registration_id = g ? g->id : 0;
	a.checked_in_at = svc_now();
	a.passed = -1;
	a.score = -1;
	if (body != NULL && (v = json_object_get(body, "passed")) != NULL &&
	    !json_is_null(v))
		a.passed = json_is_true(v);
	if (body != NULL && (v = json_object_get(body, "score")) != NULL &&
	    !json_is_null(v))
		a.score = json_number_value(v);
	if ((rc = store_attendance_insert(st, &a, walk_in)) <= 0)
		return rc == 0 ? http_reply_errorf(r, HERR_CONFLICT,
		                     "registration_id", "此人已经签到过")
		               : api_reply_store_error(r);
	if (store_attendance_get(st, a.id, &old) <= 0)
		return api_reply_store_error(r);
	/* Checked in after the event was marked held: a token at once. */
	if (e->status == EVENT_HELD && issue_token(st, &old) < 0) {
		attendance_free(&old);
		return api_reply_store_error(r);
	}
	/* A waitlisted person is checked in (they came), and the staff
	 * are told: they had no place. */
	was = g != NULL ? g->status : REGISTRATION_REGISTERED;
	if (tolerate_repeat)
		rc = http_reply_json(r, 200,
		    json_pack("{s:o, s:b, s:b, s:s}", "attendance",
		        attendance_json(&old), "already", 0, "was_waitlisted",
		        was == REGISTRATION_WAITLISTED, "message",
		        checkin_message_zh(was, 0)));
	else {
		json_t *o = attendance_json(&old);

		if (o != NULL) {
			json_object_set_new(o, "was_waitlisted",
			    json_boolean(was == REGISTRATION_WAITLISTED));
			json_object_set_new(o, "message",
			    json_string(checkin_message_zh(was, 0)));
		}
		rc = http_reply_json(r, 201, o);
	}
	attendance_free(&old);
	return rc;
}

int
api_checkin(struct http_req *r)
{
	struct registration g;
	struct store *st;
	struct event e;
	int rc;

	st = api_store(r);
	if (!registration_load_or_reply(r, st, &g))
		return http_req_status(r);
	if (store_event_get(st, g.event_id, &e) <= 0) {
		registration_free(&g);
		return api_reply_store_error(r);
	}
	rc = check_in(r, st, &e, &g, NULL, NULL, 1);
	if (rc < 300 && api_audit(r, st, "checkin", "event", e.id, NULL) < 0)
		rc = api_reply_store_error(r);
	registration_free(&g);
	event_free(&e);
	return rc;
}

/* Checks passed and score of a roll-call or assessment body. */
static int
assessment_or_reply(struct http_req *r, const json_t *body)
{
	json_t *v;

	if ((v = json_object_get(body, "passed")) != NULL &&
	    !json_is_boolean(v) && !json_is_null(v)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "passed",
		    "考核结果：应为合格、不合格或空");
		return 0;
	}
	if ((v = json_object_get(body, "score")) != NULL && !json_is_null(v) &&
	    (!json_is_number(v) || json_number_value(v) < 0 ||
	        json_number_value(v) > 100)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "score",
		    "分数：应为 0 到 100 的数字");
		return 0;
	}
	return 1;
}

int
api_attendance_create(struct http_req *r)
{
	json_t *body = http_req_json(r), *walk, *v;
	struct registration g;
	struct store *st;
	struct event e;
	const char *key;
	char *name = NULL;
	int rc, sources = 0;

	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "registration_id") != 0 &&
		    strcmp(key, "token") != 0 && strcmp(key, "walk_in") != 0 &&
		    strcmp(key, "passed") != 0 && strcmp(key, "score") != 0)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    strlen(key) < 60 ? key : NULL, "未知的字段“%.40s”",
			    strlen(key) < 40 ? key : "…");
	}
	sources = (json_object_get(body, "registration_id") != NULL) +
	    (json_object_get(body, "token") != NULL) +
	    (json_object_get(body, "walk_in") != NULL);
	if (sources != 1)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    "registration_id",
		    "请给出 registration_id、token 或 walk_in "
		    "中的一项");
	if (!assessment_or_reply(r, body))
		return http_req_status(r);
	st = api_store(r);
	if (!event_load_or_reply(r, st, http_req_id(r, 0), &e))
		return http_req_status(r);
	memset(&g, 0, sizeof(g));
	if ((walk = json_object_get(body, "walk_in")) != NULL) {
		static const struct vfield f[] = {
		    {.name = "name",
		        .type = VT_STRING,
		        .required = 1,
		        .min = 1,
		        .max = 50},
		};
		struct herror err;

		if (!valid_object(walk, f, 1, VALID_CREATE, &err)) {
			event_free(&e);
			if (err.code == HERR_BAD_REQUEST)
				err.code = HERR_VALIDATION_FAILED;
			snprintf(err.field, sizeof(err.field), "walk_in");
			return api_reply_invalid(r, &err);
		}
		name = valid_str(walk, "name", NULL);
		rc = check_in(r, st, &e, NULL, name, body, 0);
		free(name);
	} else {
		v = json_object_get(body, "registration_id");
		if (v != NULL)
			rc = json_is_integer(v) ? store_registration_get(st,
			                              json_integer_value(v), &g)
			                        : 0;
		else
			rc = json_is_string(json_object_get(body, "token"))
			    ? store_registration_get_by_token(st,
			          json_string_value(json_object_get(body,
			              "token")),
			          &g)
			    : 0;
		if (rc > 0 && g.event_id != e.id) {
			registration_free(&g);
			rc = 0;
		}
		if (rc <= 0) {
			event_free(&e);
			return rc < 0
			    ? api_reply_store_error(r)
			    : http_reply_errorf(r, HERR_VALIDATION_FAILED,
			          v ? "registration_id" : "token",
			          "这场活动没有这条报名");
		}
		rc = check_in(r, st, &e, &g, NULL, body, 0);
		registration_free(&g);
	}
	if (rc < 300 && api_audit(r, st, "attendance", "event", e.id, body) < 0)
		rc = api_reply_store_error(r);
	event_free(&e);
	return rc;
}

int
api_attendance_list(struct http_req *r)
{
	struct attendance *items = NULL;
	struct store *st;
	size_t n = 0, i;
	json_t *arr;

	st = api_store(r);
	if (!api_event_found_or_reply(r, st))
		return http_req_status(r);
	if (store_attendance_list(st, http_req_id(r, 0), &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr; i++)
		json_array_append_new(arr, attendance_json(&items[i]));
	attendance_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

static int
attendance_load_or_reply(struct http_req *r, struct store *st,
    struct attendance *a)
{
	return api_found_or_reply(r,
	    store_attendance_get(st, http_req_id(r, 0), a), "没有这条签到记录");
}

int
api_attendance_update(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "passed", .type = VT_BOOL, .nullable = 1},
	    {.name = "score", .type = VT_OBJECT, .readonly = 1},
	};
	json_t *body = http_req_json(r), *v;
	struct attendance a;
	struct herror err;
	struct store *st;
	int rc;

	if (!valid_object(body, f, 2, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (!assessment_or_reply(r, body))
		return http_req_status(r);
	st = api_store(r);
	if (!attendance_load_or_reply(r, st, &a))
		return http_req_status(r);
	if ((v = json_object_get(body, "passed")) != NULL)
		a.passed = json_is_null(v) ? -1 : json_is_true(v);
	if ((v = json_object_get(body, "score")) != NULL)
		a.score = json_is_null(v) ? -1 : json_number_value(v);
	if (store_attendance_update(st, &a) <= 0 ||
	    api_audit(r, st, "assess", "attendance", a.id, body) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, attendance_json(&a));
	attendance_free(&a);
	return rc;
}

int
api_attendance_delete(struct http_req *r)
{
	struct attendance a;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!attendance_load_or_reply(r, st, &a))
		return http_req_status(r);
	if (a.answered)
		rc = http_reply_errorf(r, HERR_CONFLICT, NULL,
		    "这条签到已有问卷答复，不能删除");
	else
		rc = api_reply_deleted(r, st, store_attendance_delete(st, a.id),
		    "attendance", a.id, NULL);
	attendance_free(&a);
	return rc;
}

/* The pages whose URL carries an id or a token. */
int
api_page_event(struct http_req *r)
{
	return http_reply_file(r, "/event.html");
}

int
api_page_registration(struct http_req *r)
{
	return http_reply_file(r, "/registration.html");
}

int
api_page_checkin(struct http_req *r)
{
	return http_reply_file(r, "/checkin.html");
}

int
api_page_survey(struct http_req *r)
{
	return http_reply_file(r, "/survey.html");
}
