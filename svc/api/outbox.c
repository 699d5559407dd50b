/*
 * The outbox as the console sees it: what mail is waiting, what went
 * out, what failed and why, and "retry now".
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const char *const kinds[] = {
    "reminder",
    "change",
    "cancel",
    "weekly",
    "roster",
    "duty_log",
    /* channels beside e-mail */
    "duty_day",
    "registered",
    "promoted",
    "test",
    NULL,
};

static json_t *
id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *outbox_json_fields(const struct outbox_msg *);

/* A row with the Chinese labels of its status and skip reason. */
static json_t *
outbox_json(const struct outbox_msg *m)
{
	json_t *o = outbox_json_fields(m);
	const char *why = outbox_reason_zh(m->last_error);

	if (o != NULL) {
		json_object_set_new(o, "status_label",
		    json_string(outbox_status_zh(m->status)));
		json_object_set_new(o, "reason_label",
		    why ? json_string(why) : json_null());
	}
	return o;
}

static json_t *
outbox_json_fields(const struct outbox_msg *m)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:i,"
	                 " s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o}",
	    "id", (json_int_t)m->id, "kind", m->kind, "event_id",
	    id_or_null(m->event_id), "event_title",
	    m->event_id ? json_string(m->event_title) : json_null(),
	    "counsellor_id", id_or_null(m->counsellor_id), "counsellor_name",
	    m->counsellor_id ? json_string(m->counsellor_name) : json_null(),
	    "recipient", m->recipient, "subject", m->subject, "status",
	    outbox_status_names[m->status], "attempts", m->attempts,
	    "last_error", m->last_error, "due_at",
	    tzdb_time_json_or_null(m->due_at), "next_attempt_at",
	    m->status == OUTBOX_PENDING || m->status == OUTBOX_FAILED
	        ? tzdb_time_json_or_null(m->next_attempt_at)
	        : json_null(),
	    "sent_at", tzdb_time_json_or_null(m->sent_at), "created_at",
	    tzdb_time_json_or_null(m->created_at), "message_id", m->message_id,
	    "channel", m->channel, "station_id", id_or_null(m->station_id),
	    "station_name",
	    m->station_id ? json_string(m->station_name) : json_null(),
	    "registration_id", id_or_null(m->registration_id));
}

int
api_outbox_list(struct http_req *r)
{
	struct outbox_filter f = {0};
	struct store_page pg;
	struct outbox_msg *items = NULL;
	struct store *st;
	int64_t total = 0, counts[OUTBOX_STATUS__MAX];
	json_t *arr, *c, *reply;
	size_t i, n = 0;
	int k, status;

	if (!api_page_or_reply(r, &pg) ||
	    !api_state_query_or_reply(r, "status", outbox_status_names,
	        &status) ||
	    !api_enum_query_or_reply(r, "kind", kinds, &f.kind) ||
	    !api_id_query_or_reply(r, "event_id", &f.event_id) ||
	    !api_enum_query_or_reply(r, "channel", notify_channels, &f.channel))
		return http_req_status(r);
	f.status = (enum outbox_status)status;
	st = api_store(r);
	if (store_outbox_list(st, &f, &pg, &items, &n, &total) < 0 ||
	    store_outbox_counts(st, &f, counts) < 0) {
		outbox_list_free(items, n);
		return api_reply_store_error(r);
	}
	arr = json_array();
	c = json_object();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, outbox_json(&items[i]));
	for (k = 1; k < OUTBOX_STATUS__MAX; k++)
		json_object_set_new(c, outbox_status_names[k],
		    json_integer(counts[k]));
	outbox_list_free(items, n);
	reply = json_pack("{s:o, s:I, s:o, s:b}", "items", arr, "total",
	    (json_int_t)total, "counts", c, "smtp_configured",
	    svc_config()->smtp_configured);
	return http_reply_json(r, 200, reply);
}

static int
load_or_reply(struct http_req *r, struct store *st, struct outbox_msg *m)
{
	int rc = store_outbox_get(st, http_req_id(r, 0), m);

	if (rc <= 0)
		api_reply_not_found(r, rc, "没有这条消息");
	return rc > 0;
}

int
api_outbox_get(struct http_req *r)
{
	struct outbox_msg m;
	struct store *st;
	json_t *o;

	st = api_store(r);
	if (!load_or_reply(r, st, &m))
		return http_req_status(r);
	/* A mail composed when it is sent (reminders, roster notices) shows
	 * what would go out now. */
	if (m.body[0] == '\0' &&
	    (m.channel == NULL || strcmp(m.channel, "email") == 0) &&
	    svc_mail_prepare(st, &m, svc_now()) < 0) {
		outbox_free(&m);
		return api_reply_store_error(r);
	}
	if ((o = outbox_json(&m)) != NULL)
		json_object_set_new(o, "message", json_string(m.body));
	outbox_free(&m);
	return http_reply_json(r, 200, o);
}

int
api_outbox_retry(struct http_req *r)
{
	struct outbox_msg m;
	struct store *st;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &m))
		return http_req_status(r);
	if (m.status != OUTBOX_FAILED && m.status != OUTBOX_DEAD) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "“%s”状态的消息不能重试", outbox_status_zh(m.status));
		outbox_free(&m);
		return rc;
	}
	m.status = OUTBOX_PENDING;
	m.next_attempt_at = svc_now();
	if (store_outbox_set_state(st, &m) <= 0 ||
	    api_audit(r, st, "retry", "outbox", m.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, outbox_json(&m));
	outbox_free(&m);
	return rc;
}
