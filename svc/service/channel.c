/*
 * What goes to group robots (企业微信 / 钉钉) and by SMS: the same causes
 * as mail, queued as outbox rows of their channel in the transaction of
 * the change (svc/notify sends them). Robots get the day's duty each
 * morning, roster changes (gathered 10 minutes, like mail), event
 * changes and cancellations and missing duty logs; participants with a
 * mobile number get SMS on registration, promotion from the waitlist,
 * event change or cancellation, and the day before. Each message has a
 * dedup key per channel ("sms:…", "wecom:st5:…", "dingtalk:all:…"), so
 * no cause is sent twice on one channel; a channel that is not
 * configured queues nothing. Texts are composed in core (notify.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

#define ROSTER_GATHER_S (10 * 60)
#define ROSTER_MAX_LINES 30
/* The morning duty message is skipped when more than this late. */
#define DUTY_DAY_LATE_S (4 * 3600)
/* As the duty_log mail: 12 hours after the shift, not after 3 days. */
#define DUTY_REMIND_AFTER_S (12 * 3600)
#define DUTY_REMIND_LATE_S (3 * 86400)
/* The SMS reminder: the day before; skipped when half of it is gone. */
#define SMS_REMIND_S 86400

int
svc_channel_robot_on(enum notify_channel ch)
{
	const struct svc_config *c = svc_config();
	const char *u = ch == NOTIFY_WECOM ? c->wecom_url
	    : ch == NOTIFY_DINGTALK        ? c->dingtalk_url
	                                   : NULL;

	return u != NULL && *u != '\0';
}

int
svc_channel_sms_on(enum notify_sms_kind k)
{
	const struct svc_config *c = svc_config();

	return c->sms_provider != NULL && *c->sms_provider != '\0' &&
	    c->sms_templates[k] != NULL && *c->sms_templates[k] != '\0';
}

static int64_t
local_day(time_t t, const struct tz *z)
{
	int64_t s = (int64_t)t + (z ? tz_offset_at(z, t) : 0);

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* Queues m with a fresh message id; 0 queued or already there, -1 on a
 * store failure. */
static int
queue(struct store *st, struct outbox_msg *m, time_t now)
{
	char tok[SECRET_TOKEN_HEX], id[64];
	int rc;

	secret_token(tok, SECRET_TOKEN_BYTES);
	snprintf(id, sizeof(id), "%s-%s", m->channel, tok);
	m->message_id = id;
	rc = store_outbox_put(st, m, now);
	m->message_id = NULL;
	return rc < 0 ? -1 : 0;
}

/* "st5" or "all": the robot part of a dedup key. */
static void
scope_key(const struct robot *r, char *out, size_t sz)
{
	if (r->station_id != 0)
		snprintf(out, sz, "st%lld", (long long)r->station_id);
	else
		snprintf(out, sz, "all");
}

static const char *
scope_name(const struct robot *r)
{
	return r->station_id != 0 ? r->station_name : "全区";
}

/* One markdown message to robot r. key_tail completes the dedup key
 * "<channel>:<scope>:<kind>:<key_tail>". */
static int
robot_queue(struct store *st, const struct robot *r, const char *kind,
    const char *key_tail, const char *title, const char *md, time_t due,
    time_t expires, int64_t event_id, int64_t shift_id, time_t now, int64_t *id)
{
	struct outbox_msg m;
	char key[192], scope[32], *body;
	int ch = notify_channel_parse(r->channel), rc;

	if (!svc_channel_robot_on(ch))
		return 0;
	if ((body = notify_robot_body(ch, title, md)) == NULL)
		return -1;
	scope_key(r, scope, sizeof(scope));
	snprintf(key, sizeof(key), "%s:%s:%s:%s", r->channel, scope, kind,
	    key_tail);
	memset(&m, 0, sizeof(m));
	m.dedup_key = key;
	m.kind = (char *)kind;
	m.channel = r->channel;
	m.station_id = r->station_id;
	m.event_id = event_id;
	m.shift_id = shift_id;
	m.recipient = (char *)scope_name(r);
	m.subject = (char *)title;
	m.body = body;
	m.due_at = due;
	m.expires_at = expires;
	rc = queue(st, &m, now);
	if (id != NULL)
		*id = m.id;
	free(body);
	return rc;
}

/* Takes the text of b into *out; -1 when building it failed. */
static int
take(struct strbuf *b, char **out)
{
	return (*out = strbuf_take(b, NULL)) == NULL ? -1 : 0;
}

/* --- events ---------------------------------------------------------------------- */

static int
has_reminders(const struct event *e)
{
	json_t *a = json_loads(e->reminders, 0, NULL);
	int yes = json_is_array(a) && json_array_size(a) > 0;

	json_decref(a);
	return yes;
}

/* "福田区人民来访接待厅 三楼会议室". */
static void
where_of(const struct event *e, const struct station *s, struct strbuf *b)
{
	strbuf_printf(b, "%s%s%s", s ? s->name : "",
	    s && e->venue[0] ? " " : "", e->venue);
}

/* One SMS: body {"kind","params"}, recipient the 11-digit number. */
static int
sms_queue(struct store *st, int64_t event_id, int64_t reg_id, const char *phone,
    enum notify_sms_kind k, const char *key, json_t *params, time_t due,
    time_t expires, time_t now)
{
	struct outbox_msg m;
	char subject[64];
	json_t *o = json_pack("{s:s, s:O}", "kind", notify_sms_kinds[k],
	    "params", params);
	char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc;

	json_decref(o);
	if (body == NULL)
		return -1;
	snprintf(subject, sizeof(subject), "短信：%s",
	    k == NOTIFY_SMS_REGISTERED     ? "报名成功"
	        : k == NOTIFY_SMS_PROMOTED ? "候补转正"
	        : k == NOTIFY_SMS_CHANGE   ? "活动变更"
	        : k == NOTIFY_SMS_CANCEL   ? "活动取消"
	                                   : "活动提醒");
	memset(&m, 0, sizeof(m));
	m.dedup_key = (char *)key;
	m.kind = (char *)notify_sms_kinds[k];
	m.channel = "sms";
	m.event_id = event_id;
	m.registration_id = reg_id;
	m.recipient = (char *)phone;
	m.subject = subject;
	m.body = body;
	m.due_at = due;
	m.expires_at = expires;
	rc = queue(st, &m, now);
	free(body);
	return rc;
}

static int
event_sms(struct store *st, const struct event *e, const struct station *s,
    const struct svc_mail_cause *why, const struct tz *z, time_t now)
{
	struct sms_person *people = NULL;
	struct strbuf w = {0};
	json_t *params = NULL;
	char *where = NULL, key[160], phone[NOTIFY_PHONE_SZ];
	int64_t only = why ? why->registration_id : 0;
	int live = event_status_live(e->status);
	int remind = live && svc_channel_sms_on(NOTIFY_SMS_REMINDER) &&
	    has_reminders(e) && e->start_at - SMS_REMIND_S > now;
	enum notify_sms_kind nk = why && why->notice == MAIL_NOTICE_CANCEL
	    ? NOTIFY_SMS_CANCEL
	    : NOTIFY_SMS_CHANGE;
	int notice = why && why->notice != MAIL_NOTICE_NONE &&
	    e->end_at > now && svc_channel_sms_on(nk);
	size_t i, n = 0;
	int rc = 0;

	if (only < 0 || (!remind && !notice))
		return 0;
	where_of(e, s, &w);
	if (take(&w, &where) < 0 ||
	    (params = notify_sms_params(e->title, e->start_at, where, z)) ==
	        NULL ||
	    store_sms_people(st, e->id, only, &people, &n) < 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		const struct sms_person *p = &people[i];

		if (p->sms_opt_out || !notify_phone_cn(p->phone, phone))
			continue;
		if (remind && !p->reminders_opt_out) {
			snprintf(key, sizeof(key),
			    "sms:reminder:e%lld:r%lld:"
			    "s%lld",
			    (long long)e->id, (long long)p->registration_id,
			    (long long)e->sequence);
			rc = sms_queue(st, e->id, p->registration_id, phone,
			    NOTIFY_SMS_REMINDER, key, params,
			    e->start_at - SMS_REMIND_S,
			    e->start_at - SMS_REMIND_S / 2, now);
		}
		if (rc == 0 && notice) {
			snprintf(key, sizeof(key), "sms:%s:e%lld:r%lld:s%lld",
			    notify_sms_kinds[nk], (long long)e->id,
			    (long long)p->registration_id,
			    (long long)e->sequence);
			rc = sms_queue(st, e->id, p->registration_id, phone, nk,
			    key, params, now, e->end_at, now);
		}
	}
out:
	sms_person_list_free(people, n);
	json_decref(params);
	free(where);
	return rc;
}

static int
event_robots(struct store *st, const struct event *e, const struct station *s,
    const struct svc_mail_cause *why, const struct tz *z, time_t now)
{
	struct notify_event_text t;
	struct robot *rs = NULL;
	struct strbuf w = {0}, md = {0};
	char *where = NULL, *text = NULL, tail[96];
	const char *kind;
	size_t i, n = 0;
	int rc = 0;

	if (why == NULL || why->notice == MAIL_NOTICE_NONE ||
	    why->registration_id != 0 || e->end_at <= now ||
	    (!svc_channel_robot_on(NOTIFY_WECOM) &&
	        !svc_channel_robot_on(NOTIFY_DINGTALK)))
		return 0;
	kind = why->notice == MAIL_NOTICE_CANCEL ? "cancel" : "change";
	if (store_robot_targets(st, e->station_id, NULL, &rs, &n) < 0)
		return -1;
	if (n == 0)
		goto out;
	where_of(e, s, &w);
	memset(&t, 0, sizeof(t));
	t.kind_zh = activity_kind_zh(e->kind);
	t.title = e->title;
	t.reason = why->reason;
	t.start = e->start_at;
	t.end = e->end_at;
	t.old_start = why->old_start;
	t.old_end = why->old_end;
	t.cancelled = why->notice == MAIL_NOTICE_CANCEL;
	if (take(&w, &where) < 0) {
		rc = -1;
		goto out;
	}
	t.where = where;
	notify_md_event(&md, &t, z);
	if (take(&md, &text) < 0) {
		rc = -1;
		goto out;
	}
	snprintf(tail, sizeof(tail), "e%lld:s%lld", (long long)e->id,
	    (long long)e->sequence);
	for (i = 0; i < n && rc == 0; i++)
		rc = robot_queue(st, &rs[i], kind, tail,
		    t.cancelled ? "活动取消" : "活动变更", text, now, e->end_at,
		    e->id, 0, now, NULL);
out:
	robot_list_free(rs, n);
	free(where);
	free(text);
	return rc;
}

int
svc_channel_event(struct store *st, const struct event *e,
    const struct station *s, const struct svc_mail_cause *why)
{
	const struct tz *z = tzdb_zone(s ? s->timezone : NULL);
	time_t now = svc_now();

	if (event_sms(st, e, s, why, z, now) < 0)
		return -1;
	return event_robots(st, e, s, why, z, now);
}

int
svc_channel_registration(struct store *st, int64_t registration_id,
    enum notify_sms_kind k)
{
	struct sms_person p;
	struct station s;
	struct event e;
	struct strbuf w = {0};
	json_t *params = NULL;
	char phone[NOTIFY_PHONE_SZ], key[96], *where = NULL;
	time_t now = svc_now();
	int rc, has_station = 0;

	if (!svc_channel_sms_on(k))
		return 0;
	if ((rc = store_sms_person(st, registration_id, &p)) <= 0)
		return rc < 0 ? -1 : 0;
	if (p.status != REGISTRATION_REGISTERED || p.sms_opt_out ||
	    !notify_phone_cn(p.phone, phone)) {
		sms_person_free(&p);
		return 0;
	}
	if ((rc = store_event_get(st, p.event_id, &e)) <= 0) {
		sms_person_free(&p);
		return rc < 0 ? -1 : 0;
	}
	if (e.station_id != 0 &&
	    (has_station = store_station_get(st, e.station_id, &s)) < 0) {
		rc = -1;
		goto out;
	}
	where_of(&e, has_station > 0 ? &s : NULL, &w);
	rc = -1;
	if (take(&w, &where) < 0 ||
	    (params = notify_sms_params(e.title, e.start_at, where,
	         tzdb_zone(has_station > 0 ? s.timezone : NULL))) == NULL)
		goto out;
	snprintf(key, sizeof(key), "sms:%s:r%lld", notify_sms_kinds[k],
	    (long long)registration_id);
	rc = sms_queue(st, e.id, registration_id, phone, k, key, params, now,
	    e.end_at, now);
out:
	if (has_station > 0)
		station_free(&s);
	json_decref(params);
	free(where);
	event_free(&e);
	sms_person_free(&p);
	return rc;
}

int
svc_channel_sms_off(struct store *st, int64_t registration_id)
{
	return store_outbox_skip_registration(st, registration_id, "sms",
	           "the participant turned SMS off") < 0
	    ? -1
	    : 0;
}

/* --- shifts: roster notices ----------------------------------------------------- */

/* Adds a line to robot r's roster notice still gathering, or starts
 * one. */
static int
roster_note(struct store *st, const struct robot *r, const char *line,
    time_t now)
{
	struct outbox_msg m;
	json_t *d = NULL;
	int64_t n = 0;
	char key[96], scope[32], tok[SECRET_TOKEN_HEX], id[64];
	int rc;

	memset(&m, 0, sizeof(m));
	if ((rc = store_outbox_open_robot_roster(st, r->channel, r->station_id,
	         &m)) < 0)
		goto out;
	if (rc > 0)
		d = json_loads(m.detail, 0, NULL);
	if (!json_is_object(d)) {
		json_decref(d);
		d = json_pack("{s:[], s:i}", "lines", "total", 0);
	}
	rc = -1;
	if (d == NULL || !json_is_array(json_object_get(d, "lines")))
		goto out;
	if (json_array_size(json_object_get(d, "lines")) < ROSTER_MAX_LINES)
		json_array_append_new(json_object_get(d, "lines"),
		    json_string(line));
	json_object_set_new(d, "total",
	    json_integer(json_integer_value(json_object_get(d, "total")) + 1));
	free(m.detail);
	if ((m.detail = json_dumps(d, JSON_COMPACT)) == NULL)
		goto out;
	/* Built when due (svc_channel_prepare): the batch is complete. */
	m.due_at = now + ROSTER_GATHER_S;
	if (m.id != 0) {
		rc = store_outbox_rewrite(st, &m) < 0 ? -1 : 0;
		goto out;
	}
	if (store_outbox_robot_roster_count(st, r->channel, r->station_id,
	        &n) <= 0)
		goto out;
	scope_key(r, scope, sizeof(scope));
	snprintf(key, sizeof(key), "%s:%s:roster:n%lld", r->channel, scope,
	    (long long)n + 1);
	secret_token(tok, SECRET_TOKEN_BYTES);
	snprintf(id, sizeof(id), "%s-%s", r->channel, tok);
	m.dedup_key = strdup(key);
	m.kind = strdup("roster");
	m.channel = strdup(r->channel);
	m.station_id = r->station_id;
	m.recipient = strdup(scope_name(r));
	m.subject = strdup("值班安排变动");
	m.body = strdup("");
	m.message_id = strdup(id);
	if (m.dedup_key && m.kind && m.channel && m.recipient && m.subject &&
	    m.body && m.message_id && (rc = store_outbox_put(st, &m, now)) >= 0)
		rc = 0;
	else
		rc = -1;
out:
	json_decref(d);
	outbox_free(&m);
	return rc < 0 ? -1 : 0;
}

/* The counsellor of a shift by name, "（空缺）" when open. */
static int
who(struct store *st, int64_t counsellor_id, char *out, size_t sz)
{
	struct counsellor c;
	int rc;

	snprintf(out, sz, "（空缺）");
	if (counsellor_id == 0)
		return 0;
	if ((rc = store_counsellor_get(st, counsellor_id, &c)) < 0)
		return -1;
	if (rc > 0) {
		snprintf(out, sz, "%s", c.name);
		counsellor_free(&c);
	}
	return 0;
}

/* Sends line (about a shift at station_id) to that station's robots and
 * the district's; the district's line starts with the station. */
static int
station_note(struct store *st, int64_t station_id, const char *line, time_t now)
{
	struct robot *rs = NULL;
	struct station s;
	struct strbuf b = {0};
	char *prefixed = NULL;
	size_t i, n = 0;
	int rc = 0, got = 0;

	if (store_robot_targets(st, station_id, NULL, &rs, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (!svc_channel_robot_on(notify_channel_parse(rs[i].channel)))
			continue;
		if (rs[i].station_id != 0) {
			rc = roster_note(st, &rs[i], line, now);
			continue;
		}
		if (prefixed == NULL) {
			if ((got = store_station_get(st, station_id, &s)) < 0) {
				rc = -1;
				break;
			}
			strbuf_printf(&b, "%s：%s", got ? s.name : "", line);
			if (got)
				station_free(&s);
			if (take(&b, &prefixed) < 0) {
				rc = -1;
				break;
			}
		}
		rc = roster_note(st, &rs[i], prefixed, now);
	}
	robot_list_free(rs, n);
	free(prefixed);
	return rc;
}

static const struct tz *
station_zone(struct store *st, int64_t station_id)
{
	struct station s;
	const struct tz *z = tzdb_default();

	if (station_id != 0 && store_station_get(st, station_id, &s) > 0) {
		z = tzdb_zone(s.timezone);
		station_free(&s);
	}
	return z;
}

/* "新增 3月2日（周一）09:00–12:00 王老师" and the like. */
static int
shift_line(struct store *st, const char *what, const struct shift *sh,
    const char *tail, char **out)
{
	struct strbuf b = {0};
	char name[160];

	if (who(st, sh->counsellor_id, name, sizeof(name)) < 0)
		return -1;
	strbuf_printf(&b, "%s ", what);
	notify_span_zh(&b, sh->start_at, sh->end_at,
	    station_zone(st, sh->station_id));
	strbuf_printf(&b, " %s%s", name, tail ? tail : "");
	return take(&b, out);
}

int
svc_channel_shift(struct store *st, const struct shift *before,
    const struct shift *after)
{
	time_t now = svc_now();
	int b_on = before && before->status != SHIFT_CANCELLED;
	int a_on = after && after->status != SHIFT_CANCELLED;
	char *line = NULL, *old = NULL;
	struct strbuf b = {0};
	int rc = 0;

	if (!svc_channel_robot_on(NOTIFY_WECOM) &&
	    !svc_channel_robot_on(NOTIFY_DINGTALK))
		return 0;
	if ((!b_on || before->end_at <= now) && (!a_on || after->end_at <= now))
		return 0;
	if (a_on && (!b_on || before->station_id != after->station_id)) {
		if (b_on && before->end_at > now &&
		    (rc = shift_line(st, "取消", before, NULL, &line)) == 0) {
			rc = station_note(st, before->station_id, line, now);
			free(line);
			line = NULL;
		}
		if (rc == 0 && after->end_at > now &&
		    (rc = shift_line(st, "新增", after, NULL, &line)) == 0)
			rc = station_note(st, after->station_id, line, now);
	} else if (b_on && !a_on) {
		if (before->end_at > now &&
		    (rc = shift_line(st, "取消", before, NULL, &line)) == 0)
			rc = station_note(st, before->station_id, line, now);
	} else if (b_on && a_on) {
		if (before->start_at != after->start_at ||
		    before->end_at != after->end_at) {
			strbuf_str(&b, "（原为 ");
			notify_span_zh(&b, before->start_at, before->end_at,
			    station_zone(st, before->station_id));
			strbuf_str(&b, "）");
			if ((rc = take(&b, &old)) == 0 &&
			    (rc = shift_line(st, "调整为", after, old,
			         &line)) == 0)
				rc = station_note(st, after->station_id, line,
				    now);
		} else if (before->counsellor_id != after->counsellor_id) {
			char was[160];

			if ((rc = who(st, before->counsellor_id, was,
			         sizeof(was))) == 0) {
				strbuf_printf(&b, "（原为 %s）", was);
				if ((rc = take(&b, &old)) == 0 &&
				    (rc = shift_line(st, "改派", after, old,
				         &line)) == 0)
					rc = station_note(st, after->station_id,
					    line, now);
			}
		}
	}
	free(line);
	free(old);
	return rc;
}

int
svc_channel_prepare(struct store *st, struct outbox_msg *m, time_t now)
{
	json_t *d, *v;
	const char **lines = NULL;
	struct strbuf md = {0};
	char *text = NULL, *body;
	size_t i, n;
	int ch = notify_channel_parse(m->channel), rc = -1;

	(void)st;
	(void)now;
	if (strcmp(m->kind, "roster") != 0 ||
	    (ch != NOTIFY_WECOM && ch != NOTIFY_DINGTALK))
		return 0;
	if ((d = json_loads(m->detail, 0, NULL)) == NULL)
		return 0;
	n = json_array_size(json_object_get(d, "lines"));
	if ((lines = calloc(n + 1, sizeof(*lines))) == NULL)
		goto out;
	json_array_foreach(json_object_get(d, "lines"), i, v)
	    lines[i] = json_string_value(v) ? json_string_value(v) : "";
	notify_md_roster(&md, m->station_id ? m->station_name : "全区", lines,
	    n, (size_t)json_integer_value(json_object_get(d, "total")));
	if (take(&md, &text) < 0 ||
	    (body = notify_robot_body(ch, "值班安排变动", text)) == NULL)
		goto out;
	free(m->body);
	m->body = body;
	rc = 1;
out:
	free(lines);
	free(text);
	json_decref(d);
	return rc;
}

/* --- time: the morning duty and missing logs ------------------------------------ */

static int
duty_day(struct store *st, const struct robot *r, const struct tz *z,
    time_t now)
{
	struct shift_filter f;
	struct shift *shifts = NULL;
	struct notify_duty *items = NULL;
	struct strbuf md = {0};
	char date[16], tail[32], key[96], scope[32], *text = NULL;
	int64_t day = local_day(now, z);
	time_t at = tz_local_to_utc(z,
	    day * 86400 + (int64_t)svc_config()->duty_message_minute * 60);
	size_t i, n = 0;
	int rc;

	if (now < at || now >= at + DUTY_DAY_LATE_S)
		return 0;
	time_format_date(day, date);
	scope_key(r, scope, sizeof(scope));
	snprintf(key, sizeof(key), "%s:%s:duty_day:%s", r->channel, scope,
	    date);
	if ((rc = store_outbox_exists(st, key)) != 0)
		return rc < 0 ? -1 : 0;
	if (svc_shifts_local_days(st, z, day, 1, r->station_id, 0, 500, &f,
	        &shifts, &n) < 0)
		return -1;
	rc = 0;
	if (n == 0)
		goto out;
	rc = -1;
	if ((items = calloc(n, sizeof(*items))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		items[i].station = shifts[i].station_name;
		items[i].counsellor = shifts[i].counsellor_name;
		items[i].start = shifts[i].start_at;
		items[i].end = shifts[i].end_at;
	}
	notify_md_duty_day(&md, day, items, n, z);
	if (take(&md, &text) < 0)
		goto out;
	snprintf(tail, sizeof(tail), "%s", date);
	rc = robot_queue(st, r, "duty_day", tail, "今日值班", text, at,
	    at + DUTY_DAY_LATE_S, 0, 0, now, NULL);
out:
	free(items);
	free(text);
	shift_list_free(shifts, n);
	return rc;
}

static int
duty_missing(struct store *st, const struct robot *r, time_t now)
{
	struct duty_due *due = NULL;
	int64_t closed;
	size_t i, n = 0;
	int rc = 0;

	if (svc_duty_closed_through(st, &closed) < 0 ||
	    store_robot_duty_missing(st,
	        now - DUTY_REMIND_AFTER_S - DUTY_REMIND_LATE_S,
	        now - DUTY_REMIND_AFTER_S, r->station_id, &due, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		const struct tz *z = tzdb_zone(due[i].station_tz);
		struct strbuf md = {0};
		char key[96], scope[32], tail[32], *text = NULL;
		time_t at = due[i].end_at + DUTY_REMIND_AFTER_S;

		if (duty_closed(duty_end_day(due[i].end_at, z), closed))
			continue;
		scope_key(r, scope, sizeof(scope));
		snprintf(tail, sizeof(tail), "s%lld",
		    (long long)due[i].shift_id);
		snprintf(key, sizeof(key), "%s:%s:duty_log:%s", r->channel,
		    scope, tail);
		if ((rc = store_outbox_exists(st, key)) != 0) {
			rc = rc < 0 ? -1 : 0;
			continue;
		}
		notify_md_duty_log(&md, due[i].counsellor_name,
		    due[i].station_name, due[i].start_at, due[i].end_at, z);
		if ((rc = take(&md, &text)) == 0)
			rc = robot_queue(st, r, "duty_log", tail,
			    "值班记录待填写", text, at, at + DUTY_REMIND_LATE_S,
			    0, due[i].shift_id, now, NULL);
		free(text);
	}
	duty_due_list_free(due, n);
	return rc;
}

int
svc_channel_tick(struct store *st, enum notify_channel ch, time_t now)
{
	struct robot *rs = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (!svc_channel_robot_on(ch))
		return 0;
	if (store_robot_list(st, notify_channels[ch], &rs, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		const struct tz *z = tzdb_zone(rs[i].station_tz);

		if (!rs[i].active)
			continue;
		if ((rc = duty_day(st, &rs[i], z, now)) == 0)
			rc = duty_missing(st, &rs[i], now);
	}
	robot_list_free(rs, n);
	return rc;
}

int
svc_channel_test(struct store *st, const struct robot *r, int64_t *id)
{
	struct strbuf md = {0};
	char tail[SECRET_TOKEN_HEX], *text = NULL;
	time_t now = svc_now();
	int rc;

	*id = 0;
	notify_md_test(&md, scope_name(r), now, tzdb_zone(r->station_tz));
	if (take(&md, &text) < 0)
		return -1;
	secret_token(tail, 8);
	/* No expiry: a test is worth its back-off, and says what failed. */
	rc = robot_queue(st, r, "test", tail, "测试消息", text, now, 0, 0, 0,
	    now, id);
	free(text);
	return rc;
}

int
svc_channel_station_line(struct store *st, int64_t station_id, const char *line)
{
	if (!svc_channel_robot_on(NOTIFY_WECOM) &&
	    !svc_channel_robot_on(NOTIFY_DINGTALK))
		return 0;
	return station_note(st, station_id, line, svc_now());
}

int
svc_shifts_local_days(struct store *st, const struct tz *z, int64_t day,
    int64_t days, int64_t station_id, int64_t counsellor_id, int64_t limit,
    struct shift_filter *f, struct shift **shifts, size_t *n)
{
	struct store_page pg = {.limit = limit, .offset = 0};
	int64_t total;

	memset(f, 0, sizeof(*f));
	f->station_id = station_id;
	f->counsellor_id = counsellor_id;
	f->active_only = 1;
	f->from = tz_local_to_utc(z, day * 86400);
	f->to = tz_local_to_utc(z, (day + days) * 86400);
	return store_shift_list(st, f, &pg, shifts, n, &total);
}
