/*
 * /api/v1/events: lectures, salons, trainings, group sessions and
 * activities, with their lifecycle (planned → confirmed → held, or
 * cancelled), change history and clash detection. Every change a
 * subscriber's calendar must see raises the event's SEQUENCE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define MAX_EVENT_SECONDS (14 * 86400)

static const char *const patch_statuses[] = {"planned", "confirmed", "held",
    NULL};

static const struct vfield event_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "kind", .type = VT_ENUM, .required = 1, .choices = activity_kinds},
    {.name = "title", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "description", .type = VT_TEXT, .nullable = 1, .max = 2000},
    {.name = "station_id", .type = VT_ID, .nullable = 1},
    {.name = "venue", .type = VT_STRING, .nullable = 1, .max = 100},
    {.name = "start", .type = VT_TIME, .required = 1},
    {.name = "end", .type = VT_TIME, .required = 1},
    {.name = "planned_start", .readonly = 1},
    {.name = "audience", .type = VT_ENUM, .choices = activity_audiences},
    {.name = "speaker_ids", .type = VT_ID_LIST, .maxitems = EVENT_MAX_SPEAKERS},
    {.name = "external_speaker", .type = VT_STRING, .nullable = 1, .max = 100},
    {.name = "capacity",
        .type = VT_INT,
        .nullable = 1,
        .min = 0,
        .max = 100000},
    {.name = "status", .type = VT_ENUM, .choices = patch_statuses},
    {.name = "public", .type = VT_BOOL},
    {.name = "survey_template_id", .type = VT_ID, .nullable = 1},
    {.name = "reminders",
        .type = VT_INT_LIST,
        .min = 0,
        .max = 40320,
        .maxitems = 5},
    {.name = "replaces_event_id", .type = VT_ID, .nullable = 1},
    {.name = "sequence", .readonly = 1},
    {.name = "created_at", .readonly = 1},
    {.name = "updated_at", .readonly = 1},
    {.name = "force", .type = VT_BOOL},
    {.name = "force_reason", .type = VT_STRING, .min = 1, .max = 200},
    {.name = "reason", .type = VT_STRING, .min = 1, .max = 200},
};
#define NFIELDS (sizeof(event_fields) / sizeof(event_fields[0]))

static const struct vfield reschedule_fields[] = {
    {.name = "start", .type = VT_TIME, .required = 1},
    {.name = "end", .type = VT_TIME, .required = 1},
    {.name = "reason", .type = VT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "force", .type = VT_BOOL},
    {.name = "force_reason", .type = VT_STRING, .min = 1, .max = 200},
};

static const struct vfield cancel_fields[] = {
    {.name = "reason", .type = VT_STRING, .required = 1, .min = 1, .max = 200},
};

json_t *
api_event_json(const struct event *e)
{
	json_t *speakers = json_array(), *reminders;
	size_t i;

	for (i = 0; speakers != NULL && i < e->nspeakers; i++)
		json_array_append_new(speakers,
		    json_integer(e->speaker_ids[i]));
	reminders = json_loads(e->reminders, 0, NULL);
	if (!json_is_array(reminders)) {
		json_decref(reminders);
		reminders = json_array();
	}
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s,"
	    " s:o, s:s, s:o, s:s, s:b, s:o, s:o, s:o, s:I, s:o, s:o}",
	    "id", (json_int_t)e->id, "kind", e->kind, "title", e->title,
	    "description", e->description, "station_id",
	    e->station_id ? json_integer(e->station_id) : json_null(), "venue",
	    e->venue, "start", tzdb_time_json(e->start_at), "end",
	    tzdb_time_json(e->end_at), "planned_start",
	    tzdb_time_json(e->planned_start_at), "audience", e->audience,
	    "speaker_ids", speakers, "external_speaker", e->external_speaker,
	    "capacity",
	    e->capacity >= 0 ? json_integer(e->capacity) : json_null(),
	    "status", event_status_names[e->status], "public", e->public_,
	    "survey_template_id",
	    e->survey_template_id ? json_integer(e->survey_template_id)
	                          : json_null(),
	    "reminders", reminders, "replaces_event_id",
	    e->replaces_event_id ? json_integer(e->replaces_event_id)
	                         : json_null(),
	    "sequence", (json_int_t)e->sequence, "created_at",
	    tzdb_time_json(e->created_at), "updated_at",
	    tzdb_time_json(e->updated_at));
}

/* Reads start and end of body; replies 422 and returns 0 when the pair
 * is not a sensible event span. */
static int
times_or_reply(struct http_req *r, const json_t *body, time_t *start,
    time_t *end)
{
	if (!time_parse_rfc3339(json_string_value(json_object_get(body,
	                            "start")),
	        start) ||
	    !time_parse_rfc3339(json_string_value(json_object_get(body, "end")),
	        end)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "start",
		    "开始时间：不是带时区的 RFC 3339 时间");
		return 0;
	}
	if (*end <= *start) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "结束时间必须晚于开始时间");
		return 0;
	}
	if (*end - *start > MAX_EVENT_SECONDS) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "end",
		    "一场活动最长 14 天");
		return 0;
	}
	return 1;
}

/* Applies the writable fields of body (except start, end and status) to
 * e, checking every reference; replies and returns 0 on failure. */
static int
apply_or_reply(struct http_req *r, struct store *st, const json_t *body,
    struct event *e)
{
	json_t *v;
	size_t i;
	char *s;

	if (!api_take_str(body, "kind", &e->kind) ||
	    !api_take_str(body, "title", &e->title) ||
	    !api_take_str(body, "description", &e->description) ||
	    !api_take_str(body, "venue", &e->venue) ||
	    !api_take_str(body, "audience", &e->audience) ||
	    !api_take_str(body, "external_speaker", &e->external_speaker)) {
		api_reply_internal(r, "out of memory");
		return 0;
	}
	if ((v = json_object_get(body, "station_id")) != NULL) {
		e->station_id = json_is_null(v) ? 0 : json_integer_value(v);
		if (e->station_id &&
		    !api_ref_or_reply(r,
		        store_station_exists(st, e->station_id), "station_id",
		        "station_id：没有这个驻点"))
			return 0;
	}
	if ((v = json_object_get(body, "speaker_ids")) != NULL) {
		e->nspeakers = json_array_size(v);
		for (i = 0; i < e->nspeakers; i++) {
			e->speaker_ids[i] = json_integer_value(json_array_get(v,
			    i));
			if (!api_ref_or_reply(r,
			        store_counsellor_exists(st, e->speaker_ids[i]),
			        "speaker_ids", "speaker_ids：没有这个咨询师"))
				return 0;
		}
	}
	if ((v = json_object_get(body, "capacity")) != NULL)
		e->capacity = json_is_null(v) ? -1 : json_integer_value(v);
	if ((v = json_object_get(body, "public")) != NULL)
		e->public_ = json_is_true(v);
	if ((v = json_object_get(body, "survey_template_id")) != NULL) {
		e->survey_template_id = json_is_null(v) ? 0
		                                        : json_integer_value(v);
		if (e->survey_template_id &&
		    !api_ref_or_reply(r,
		        store_survey_template_exists(st, e->survey_template_id),
		        "survey_template_id",
		        "survey_template_id：没有这个问卷模板"))
			return 0;
	}
	if ((v = json_object_get(body, "replaces_event_id")) != NULL) {
		e->replaces_event_id = json_is_null(v) ? 0
		                                       : json_integer_value(v);
		if (e->replaces_event_id &&
		    (e->replaces_event_id == e->id ||
		        !api_ref_or_reply(r,
		            store_event_exists(st, e->replaces_event_id),
		            "replaces_event_id",
		            "replaces_event_id：没有这个活动"))) {
			if (e->replaces_event_id == e->id)
				http_reply_errorf(r, HERR_VALIDATION_FAILED,
				    "replaces_event_id",
				    "一场活动不能替代它自己");
			return 0;
		}
	}
	if ((v = json_object_get(body, "reminders")) != NULL) {
		if ((s = json_dumps(v, JSON_COMPACT)) == NULL) {
			api_reply_internal(r, "out of memory");
			return 0;
		}
		free(e->reminders);
		e->reminders = s;
	}
	return 1;
}

/* A human sentence for the first clash (the list carries them all). */
static void
clash_sentence(const struct clash *c, char *buf, size_t sz)
{
	char a[TIME_RFC3339_MAX], b[TIME_RFC3339_MAX];

	tz_format_rfc3339(tzdb_default(), c->start_at, a);
	tz_format_rfc3339(tzdb_default(), c->end_at, b);
	if (c->type == CLASH_SHIFT)
		snprintf(buf, sz, "%s is on duty at %s from %s to %s",
		    c->counsellor_name, c->station_name, a, b);
	else if (c->type == CLASH_SPEAKER)
		snprintf(buf, sz,
		    "%s speaks at event %lld \"%s\" from %s to %s",
		    c->counsellor_name, (long long)c->other_id, c->title, a, b);
	else
		snprintf(buf, sz,
		    "venue \"%s\" is booked by event %lld \"%s\" "
		    "from %s to %s",
		    c->venue, (long long)c->other_id, c->title, a, b);
}

static const char *const clash_types[] = {"shift", "speaker", "venue"};

static int
reply_clashes(struct http_req *r, const struct clash *c, size_t n)
{
	json_t *list = json_array(), *item;
	char msg[512];
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		item = json_pack("{s:s, s:s, s:o, s:o}", "type",
		    clash_types[c[i].type], "title", c[i].title, "start",
		    tzdb_time_json(c[i].start_at), "end",
		    tzdb_time_json(c[i].end_at));
		if (item == NULL)
			continue;
		if (c[i].type != CLASH_VENUE) {
			json_object_set_new(item, "counsellor_id",
			    json_integer(c[i].counsellor_id));
			json_object_set_new(item, "counsellor_name",
			    json_string(c[i].counsellor_name));
		} else
			json_object_set_new(item, "venue",
			    json_string(c[i].venue));
		json_object_set_new(item,
		    c[i].type == CLASH_SHIFT ? "shift_id" : "event_id",
		    json_integer(c[i].other_id));
		json_object_set_new(item, "station_id",
		    c[i].station_id ? json_integer(c[i].station_id)
		                    : json_null());
		json_object_set_new(item, "station_name",
		    json_string(c[i].station_name));
		json_array_append_new(list, item);
	}
	clash_sentence(&c[0], msg, sizeof(msg));
	return http_reply_json(r, 409,
	    json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code", "conflict",
	        "field", c[0].type == CLASH_VENUE ? "venue" : "speaker_ids",
	        "message", msg, "conflicts", list ? list : json_array()));
}

/* Refuses e when it clashes, unless body forces it with a reason.
 * Returns 1 to go on (*forced set when a clash was overridden), 0 after
 * replying. */
static int
clashes_or_reply(struct http_req *r, struct store *st, const json_t *body,
    const struct event *e, const char **forced)
{
	struct clash *c;
	size_t n;
	int force = json_is_true(json_object_get(body, "force"));
	const char *why = json_string_value(json_object_get(body,
	    "force_reason"));

	*forced = NULL;
	if (force && (why == NULL || *why == '\0')) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "force_reason",
		    "强制保存时必须填写原因（force_reason）");
		return 0;
	}
	if (store_event_clashes(st, e, &c, &n) < 0) {
		api_reply_store_error(r);
		return 0;
	}
	if (n > 0 && !force) {
		reply_clashes(r, c, n);
		clash_list_free(c, n);
		return 0;
	}
	if (n > 0)
		*forced = why;
	clash_list_free(c, n);
	return 1;
}

/* Writes the history rows of a save and the audit row. */
static int
record(struct http_req *r, struct store *st, const struct event *e,
    const char *kind, time_t os, time_t oe, time_t ns, time_t ne,
    const char *reason, const char *forced, const json_t *body)
{
	int64_t uid = http_req_principal(r)->user_id;

	if (store_event_change_add(st, e->id, kind, os, oe, ns, ne, reason,
	        uid) < 0)
		return -1;
	if (forced != NULL &&
	    store_event_change_add(st, e->id, "forced", 0, 0, 0, 0, forced,
	        uid) < 0)
		return -1;
	return api_audit(r, st, kind, "event", e->id, body);
}

int
api_event_list(struct http_req *r)
{
	struct event_filter f;
	struct store_page pg;
	struct event *items = NULL;
	struct store *st;
	size_t n = 0, i;
	int64_t total;
	int status;
	json_t *arr;

	memset(&f, 0, sizeof(f));
	if (!api_page_or_reply(r, &pg) ||
	    !api_day_range_or_reply(r, &f.from, &f.to) ||
	    !api_enum_query_or_reply(r, "kind", activity_kinds, &f.kind) ||
	    !api_enum_query_or_reply(r, "audience", activity_audiences,
	        &f.audience) ||
	    !api_state_query_or_reply(r, "status", event_status_names,
	        &status) ||
	    !api_id_query_or_reply(r, "station_id", &f.station_id))
		return http_req_status(r);
	f.status = (enum event_status)status;
	f.q = http_req_query(r, "q");
	st = api_store(r);
	if (store_event_list(st, &f, &pg, &items, &n, &total) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		if (json_array_append_new(arr, api_event_json(&items[i])) !=
		    0) {
			json_decref(arr);
			arr = NULL;
		}
	event_list_free(items, n);
	return api_reply_list(r, arr, total);
}

/* Loads the event of the path; replies 404/500 and returns 0. */
static int
load_or_reply(struct http_req *r, struct store *st, struct event *e)
{
	return api_found_or_reply(r, store_event_get(st, http_req_id(r, 0), e),
	    "没有这场活动");
}

int
api_event_get(struct http_req *r)
{
	struct store *st;
	struct event e;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &e))
		return http_req_status(r);
	rc = http_reply_json(r, 200, api_event_json(&e));
	event_free(&e);
	return rc;
}

/* Fills e with the defaults of a new event (the service's, which the
 * import uses too). 0 on allocation failure. */
static int
event_defaults(struct event *e)
{
	return svc_event_defaults(e);
}

/* Checks and inserts a new event with its history; replies and returns
 * 0 on failure. */
static int
save_new(struct http_req *r, struct store *st, const json_t *body,
    struct event *e)
{
	const char *forced;
	json_t *status;

	if (!apply_or_reply(r, st, body, e))
		return 0;
	status = json_object_get(body, "status");
	if (status != NULL) {
		e->status = state_parse(event_status_names,
		    json_string_value(status));
		if (!event_status_live(e->status)) {
			http_reply_errorf(r, HERR_VALIDATION_FAILED, "status",
			    "新活动的状态只能是已计划或已确认");
			return 0;
		}
	}
	if (!clashes_or_reply(r, st, body, e, &forced))
		return 0;
	e->planned_start_at = e->start_at;
	e->created_at = e->updated_at = svc_now();
	if (store_event_insert(st, e) <= 0 ||
	    record(r, st, e, "created", 0, 0, e->start_at, e->end_at, NULL,
	        forced, body) < 0 ||
	    svc_mail_event(st, e->id, NULL) < 0) {
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

int
api_event_create(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct event e;
	struct store *st;
	int rc;

	if (!valid_object(body, event_fields, NFIELDS, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!event_defaults(&e)) {
		event_free(&e);
		return api_reply_internal(r, "out of memory");
	}
	if (!times_or_reply(r, body, &e.start_at, &e.end_at) ||
	    !save_new(r, st, body, &e)) {
		event_free(&e);
		return http_req_status(r);
	}
	rc = api_reply_created(r, api_event_warned(st, &e),
	    "/api/v1/events/%lld", (long long)e.id);
	event_free(&e);
	return rc;
}

/* The end of a change to e: 200 with it, or the store error when a
 * write failed. */
static int
saved_or_reply(struct http_req *r, int failed, const struct event *e)
{
	return failed ? api_reply_store_error(r)
	              : http_reply_json(r, 200, api_event_json(e));
}

/* The status change a PATCH asks for (ANY: none), by core's
 * event_status_change: 0 with *kind the history kind to record, or the
 * status of the reply refusing it. */
static int
status_change_or_reply(struct http_req *r, const struct event *e,
    enum event_status want, const char **kind)
{
	switch (event_status_change(e->status, want, e->start_at, svc_now(),
	    kind)) {
	case EVENT_CHANGE_OK:
		return 0;
	case EVENT_REFUSE_CANCELLED:
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "已取消的活动不能再更改状态");
	case EVENT_REFUSE_HELD:
		return http_reply_errorf(r, HERR_CONFLICT, "status",
		    "已举办的活动不能改为其他状态；问卷还没有人填写时，"
		    "可以撤销“已举办”");
	default:
		break;
	}
	return http_reply_errorf(r, HERR_VALIDATION_FAILED, "status",
	    "活动开始以后才能标记为已举办");
}

/* Speakers no longer on the event get a cancellation. */
static int
speakers_removed(struct store *st, const struct event *e, const int64_t *old,
    size_t nold)
{
	size_t i, k;

	for (i = 0; i < nold; i++) {
		int still = 0;

		for (k = 0; k < e->nspeakers; k++)
			still |= e->speaker_ids[k] == old[i];
		if (!still && svc_mail_speaker_removed(st, e->id, old[i]) < 0)
			return -1;
	}
	return 0;
}

int
api_event_update(struct http_req *r)
{
	json_t *body = http_req_json(r), *status;
	struct herror err;
	struct event e;
	struct store *st;
	const char *kind = "updated", *forced = NULL;
	enum event_status want;
	struct svc_mail_cause why = {.notice = MAIL_NOTICE_NONE};
	int64_t old_station, old_speakers[EVENT_MAX_SPEAKERS];
	size_t old_nspeakers;
	char *old_venue = NULL, *old_title = NULL;
	int rc;

	if (!valid_object(body, event_fields, NFIELDS, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (json_object_get(body, "start") || json_object_get(body, "end"))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    json_object_get(body, "start") ? "start" : "end",
		    "开始和结束时间要通过“改期”修改，并写明原因");
	st = api_store(r);
	if (!load_or_reply(r, st, &e))
		return http_req_status(r);
	status = json_object_get(body, "status");
	want = status
	    ? state_parse(event_status_names, json_string_value(status))
	    : EVENT_STATUS_ANY;
	if ((rc = status_change_or_reply(r, &e, want, &kind)) != 0)
		goto out;
	rc = 0; /* from here on a helper may reply: its status */
	old_station = e.station_id;
	old_nspeakers = e.nspeakers;
	memcpy(old_speakers, e.speaker_ids, sizeof(old_speakers));
	if ((old_venue = strdup(e.venue)) == NULL ||
	    (old_title = strdup(e.title)) == NULL) {
		rc = api_reply_internal(r, "event venue and title");
		goto out;
	}
	if (!apply_or_reply(r, st, body, &e))
		goto out;
	/* Where or what changed: the people expecting it are told. */
	if (old_station != e.station_id || strcmp(old_venue, e.venue) != 0 ||
	    strcmp(old_title, e.title) != 0)
		why.notice = MAIL_NOTICE_CHANGE;
	if (status != NULL) {
		e.status = want;
		if (e.status == EVENT_HELD && e.held_at == 0)
			e.held_at = svc_now();
	}
	if ((json_object_get(body, "speaker_ids") ||
	        json_object_get(body, "station_id") ||
	        json_object_get(body, "venue")) &&
	    !clashes_or_reply(r, st, body, &e, &forced))
		goto out;
	e.sequence++;
	e.updated_at = svc_now();
	if (store_event_update(st, &e) <= 0 ||
	    record(r, st, &e, kind, 0, 0, 0, 0, NULL, forced, body) < 0 ||
	    (e.status == EVENT_HELD &&
	        api_attendance_issue_tokens(st, e.id) < 0) ||
	    svc_mail_event(st, e.id, &why) < 0 ||
	    speakers_removed(st, &e, old_speakers, old_nspeakers) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, api_event_warned(st, &e));
out:
	if (rc == 0)
		rc = http_req_status(r);
	free(old_venue);
	free(old_title);
	event_free(&e);
	return rc;
}

static int
reschedule_mail(struct store *st, const struct event *e, time_t os, time_t oe,
    const char *reason)
{
	struct svc_mail_cause why = {
	    .notice = MAIL_NOTICE_CHANGE,
	    .old_start = os,
	    .old_end = oe,
	    .reason = reason,
	};

	return svc_mail_event(st, e->id, &why);
}

int
api_event_reschedule(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct herror err;
	struct event e;
	struct store *st;
	const char *forced;
	time_t os, oe;
	int rc = 0;

	if (!valid_object(body, reschedule_fields,
	        sizeof(reschedule_fields) / sizeof(reschedule_fields[0]),
	        VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!load_or_reply(r, st, &e))
		return http_req_status(r);
	if (event_status_final(e.status)) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "%s的活动不能改期", event_status_zh(e.status));
		goto out;
	}
	os = e.start_at;
	oe = e.end_at;
	if (!times_or_reply(r, body, &e.start_at, &e.end_at) ||
	    !clashes_or_reply(r, st, body, &e, &forced))
		goto out;
	e.sequence++;
	e.updated_at = svc_now();
	if (store_event_update(st, &e) <= 0 ||
	    record(r, st, &e, "rescheduled", os, oe, e.start_at, e.end_at,
	        json_string_value(json_object_get(body, "reason")), forced,
	        body) < 0 ||
	    reschedule_mail(st, &e, os, oe,
	        json_string_value(json_object_get(body, "reason"))) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 200, api_event_warned(st, &e));
out:
	if (rc == 0)
		rc = http_req_status(r);
	event_free(&e);
	return rc;
}

int
api_event_cancel(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct svc_mail_cause why = {0};
	struct herror err;
	struct event e;
	struct store *st;
	int rc;

	if (!valid_object(body, cancel_fields, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!load_or_reply(r, st, &e))
		return http_req_status(r);
	if (event_status_final(e.status)) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "这场活动的状态已是“%s”", event_status_zh(e.status));
		goto out;
	}
	e.status = EVENT_CANCELLED;
	e.cancelled_at = e.updated_at = svc_now();
	e.sequence++;
	why.notice = MAIL_NOTICE_CANCEL;
	why.reason = json_string_value(json_object_get(body, "reason"));
	rc = saved_or_reply(r,
	    store_event_update(st, &e) <= 0 ||
	        record(r, st, &e, "cancelled", 0, 0, 0, 0, why.reason, NULL,
	            body) < 0 ||
	        svc_mail_event(st, e.id, &why) < 0,
	    &e);
out:
	event_free(&e);
	return rc;
}

/*
 * POST /events/{id}/undo-held: "mark held" taken back, the event
 * confirmed again, while its survey has no answer (an answer belongs to
 * a held event: then 409). Survey tokens already given stay with the
 * attendees and work again once the event is held again.
 */
int
api_event_undo_held(struct http_req *r)
{
	struct event e;
	struct store *st;
	struct tally_filter tf = {0};
	struct store_page pg = {1, 0};
	struct survey_tally *tallies = NULL;
	size_t ntallies = 0;
	int64_t personal = 0, anonymous = 0, total = 0;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &e))
		return http_req_status(r);
	tf.event_id = e.id;
	if (store_survey_counts(st, e.id, &personal, &anonymous) < 0 ||
	    store_tally_list(st, &tf, &pg, &tallies, &ntallies, &total) < 0) {
		event_free(&e);
		return api_reply_store_error(r);
	}
	survey_tally_list_free(tallies, ntallies);
	anonymous += total;
	switch (event_unhold_check(e.status, personal + anonymous)) {
	case EVENT_CHANGE_OK:
		break;
	case EVENT_REFUSE_ANSWERED:
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "已经有人填写了这场活动的问卷（%lld 份），不能再撤销“已举办”",
		    (long long)(personal + anonymous));
		goto out;
	default:
		rc = http_reply_errorf(r, HERR_CONFLICT, "status",
		    "只有已举办的活动才能撤销“已举办”");
		goto out;
	}
	e.status = EVENT_CONFIRMED;
	e.held_at = 0;
	e.sequence++;
	e.updated_at = svc_now();
	/* The history says "confirmed" with why (its kinds are fixed by
	 * the schema); the audit names the undo. */
	rc = saved_or_reply(r,
	    store_event_update(st, &e) <= 0 ||
	        store_event_change_add(st, e.id, "confirmed", 0, 0, 0, 0,
	            "撤销“已举办”", http_req_principal(r)->user_id) < 0 ||
	        api_audit(r, st, "undo_held", "event", e.id, NULL) < 0,
	    &e);
out:
	event_free(&e);
	return rc;
}

int
api_event_history(struct http_req *r)
{
	struct event_change *items = NULL;
	struct store *st;
	size_t n = 0, i;
	json_t *arr;

	st = api_store(r);
	if (!api_event_found_or_reply(r, st))
		return http_req_status(r);
	if (store_event_history(st, http_req_id(r, 0), &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++)
		json_array_append_new(arr,
		    json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o}",
		        "kind", items[i].kind, "at",
		        tzdb_time_json(items[i].at), "username",
		        items[i].username, "reason", items[i].reason,
		        "old_start", tzdb_time_json_or_null(items[i].old_start),
		        "old_end", tzdb_time_json_or_null(items[i].old_end),
		        "new_start", tzdb_time_json_or_null(items[i].new_start),
		        "new_end", tzdb_time_json_or_null(items[i].new_end)));
	event_change_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

int
api_event_prepare(struct event *e)
{
	return event_defaults(e);
}

/* The event's JSON with "warning" when it lies on a day off (issue 13):
 * saved all the same, the coordinator is told. */
json_t *
api_event_warned(struct store *st, const struct event *e)
{
	json_t *o = api_event_json(e), *w = NULL;

	if (o != NULL &&
	    svc_holiday_warning(st, e->start_at, e->end_at, &w) > 0)
		json_object_set_new(o, "warning", w);
	return o;
}
