/*
 * What causes mail: reminders, change and cancel notices of events, roster
 * notices and weekly duty summaries. Everything here runs inside the
 * caller's transaction and only queues outbox rows (svc/store); the
 * mailer thread (svc/mail) sends them. An event's messages are built when
 * queued: any later change of the event raises its sequence, which
 * supersedes them and queues new ones (docs/api.md, "Mail").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "../../ical/hearth_ical.h"

#define ORGANIZER_NAME "心访工作室"
/* Roster changes within this time make one notice. */
#define ROSTER_GATHER_S (10 * 60)
#define ROSTER_MAX_LINES 80
/* Weekly summaries go out Monday 08:00, or not at all after 20:00. */
#define WEEKLY_HOUR 8
#define WEEKLY_LATE_S (12 * 3600)

/* --- text ---------------------------------------------------------------- */

struct local {
	int64_t y, day;
	unsigned mo, d;
	int h, mi, wd;
};

static void
local_of(time_t t, const struct tz *z, struct local *l)
{
	int64_t s = (int64_t)t + (z ? tz_offset_at(z, t) : 0);
	int64_t sec;

	l->day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	sec = s - l->day * 86400;
	time_civil_from_days(l->day, &l->y, &l->mo, &l->d);
	l->h = (int)(sec / 3600);
	l->mi = (int)(sec % 3600 / 60);
	l->wd = activity_weekday(l->day);
}

/* The IANA name for calendars; UTC only when the system has no tzdata. */
static const char *
zone_name(const struct tz *z)
{
	return z ? tz_name(z) : "UTC";
}

/* "11月25日 14:30", for subjects. */
static void
when_short(char *out, size_t sz, time_t t, const struct tz *z)
{
	struct local l;

	local_of(t, z, &l);
	snprintf(out, sz, "%u月%u日 %02d:%02d", l.mo, l.d, l.h, l.mi);
}

/* --- queueing -------------------------------------------------------------- */

static const char *
sender(void)
{
	static _Thread_local char fallback[160];
	const char *from = svc_config()->mail_from;
	char host[128];

	if (from != NULL && *from != '\0')
		return from;
	svc_uid_host(host, sizeof(host));
	snprintf(fallback, sizeof(fallback), "hearth@%s", host);
	return fallback;
}

/* "<time>.<random>@<domain of the sender>": unique, and the same on
 * every try. The time (microseconds, hex) first, so ids sort in the
 * order they are made: the outbox's unique index on message_id takes a
 * new row at its end, not on a random page each (issue 15: a
 * registration queues two reminders, and every random page is a page
 * more the commit writes). 64 random bits after it tell apart two ids
 * of one microsecond. */
static void
message_id(char *out, size_t sz)
{
	struct timespec now;
	char tok[17];
	const char *at = strrchr(sender(), '@');

	clock_gettime(CLOCK_REALTIME, &now);
	secret_token(tok, 8);
	snprintf(out, sz, "%013llx.%s@%s",
	    (unsigned long long)now.tv_sec * 1000000ULL +
	        (unsigned long long)now.tv_nsec / 1000,
	    tok, at ? at + 1 : "localhost");
}

/* A row that cannot be built: OUTBOX_BUILT_BROKEN with why as its last
 * error (OUTBOX_BUILT_FAILED when even that fails). */
static int
broken(struct outbox_msg *m, const char *why)
{
	char *e = strdup(why);

	if (e == NULL)
		return OUTBOX_BUILT_FAILED;
	free(m->last_error);
	m->last_error = e;
	log_msg(LOG_WARN, "msg=\"mail: %s\" id=%lld kind=%s", why,
	    (long long)m->id, m->kind);
	return OUTBOX_BUILT_BROKEN;
}

struct letter {
	const char *to_name, *to_email;
	const char *subject;
	const char *text;
	const char *calendar;
	size_t calendar_len;
	const char *method;
	const char *unsubscribe_url;
};

/* The whole message of a letter into m->body, under m->message_id or a
 * new one; 0 when it cannot be built (logged: an address the validators
 * let in but MIME refuses). */
static int
build(const struct letter *l, struct outbox_msg *m, time_t now)
{
	struct mime_message mm;
	char id[128];
	size_t len;

	if (m->message_id != NULL && m->message_id[0] != '\0')
		snprintf(id, sizeof(id), "%s", m->message_id);
	else
		message_id(id, sizeof(id));
	memset(&mm, 0, sizeof(mm));
	mm.from_name = ORGANIZER_NAME;
	mm.from_email = sender();
	mm.reply_to = svc_config()->mail_reply_to;
	mm.to_name = l->to_name;
	mm.to_email = l->to_email;
	mm.subject = l->subject;
	mm.date = now;
	mm.utc_offset_min = tzdb_default()
	    ? tz_offset_at(tzdb_default(), now) / 60
	    : 0;
	mm.message_id = id;
	mm.unsubscribe_url = l->unsubscribe_url;
	mm.text = l->text;
	mm.calendar = l->calendar;
	mm.calendar_len = l->calendar_len;
	mm.calendar_method = l->method;
	free(m->body);
	free(m->message_id);
	m->message_id = strdup(id);
	if ((m->body = mime_build(&mm, &len)) == NULL ||
	    m->message_id == NULL) {
		log_msg(LOG_WARN,
		    "msg=\"mail: cannot build a message\" "
		    "kind=%s to=%s",
		    m->kind, l->to_email);
		return 0;
	}
	return 1;
}

/* Queues m built from l; > 0 queued, 0 already there (or not buildable),
 * -1 store failure. m's strings are borrowed from the caller except
 * body and message_id, which are freed here. */
static int
put(struct store *st, struct outbox_msg *m, const struct letter *l, time_t now)
{
	int rc = 0;

	m->recipient = (char *)l->to_email;
	m->subject = (char *)l->subject;
	if (build(l, m, now))
		rc = store_outbox_put(st, m, now);
	free(m->body);
	free(m->message_id);
	m->body = m->message_id = NULL;
	return rc;
}

/* A row queued without a body (a reminder, a gathered roster notice)
 * made from l as it goes out: its body, subject and recipient. An
 * OUTBOX_BUILT_BROKEN letter (an address or header MIME refuses) is
 * dead with why in m->last_error, not skipped as if nobody wanted it. */
static int
rebuild(const struct letter *l, struct outbox_msg *m, time_t now)
{
	char *subject, *to;

	if (!build(l, m, now))
		return broken(m,
		    "cannot build the message: MIME refuses "
		    "its address or a header");
	subject = strdup(l->subject);
	to = strdup(l->to_email);
	if (subject == NULL || to == NULL) {
		free(subject);
		free(to);
		return OUTBOX_BUILT_FAILED;
	}
	free(m->subject);
	free(m->recipient);
	m->subject = subject;
	m->recipient = to;
	return OUTBOX_BUILT;
}

/* --- events ---------------------------------------------------------------- */

struct person {
	int64_t counsellor_id, registration_id;
	char *name, *email;
	char *token;  /* registration token: the registration's page */
	char *optout; /* opt-out token: the reminders link (or NULL) */
	int opted_out;
};

struct event_mail {
	struct event e;
	struct station station;
	int has_station;
	const struct tz *zone;
	char *speakers; /* "张三、李四", may be "" */
	struct person *people;
	size_t npeople;
	int e_given; /* e is the caller's (svc_mail_cause.event): not freed */
};

static void
event_mail_free(struct event_mail *x)
{
	size_t i;

	if (!x->e_given)
		event_free(&x->e);
	if (x->has_station)
		station_free(&x->station);
	free(x->speakers);
	for (i = 0; i < x->npeople; i++) {
		free(x->people[i].name);
		free(x->people[i].email);
		free(x->people[i].token);
		free(x->people[i].optout);
	}
	free(x->people);
}

static int
add_person(struct event_mail *x, int64_t cid, int64_t rid, const char *name,
    const char *email, const char *token, int opted_out)
{
	struct person *p, *np;

	if ((np = realloc(x->people, (x->npeople + 1) * sizeof(*np))) == NULL)
		return -1;
	x->people = np;
	p = &x->people[x->npeople];
	memset(p, 0, sizeof(*p));
	p->counsellor_id = cid;
	p->registration_id = rid;
	p->opted_out = opted_out;
	p->name = strdup(name ? name : "");
	p->email = strdup(email);
	p->token = token ? strdup(token) : NULL;
	x->npeople++;
	return p->name && p->email && (token == NULL || p->token) ? 0 : -1;
}

/* The event, its station and everyone who gets its mail: the speakers
 * (unless only registration_id is asked for) and the registered
 * participants with an address; what given holds (a fresh
 * registration's event, row and opt-out token) is not read again.
 * > 0 loaded, 0 unknown, -1 failure; event_mail_free(x) in every case. */
static int
event_mail_load(struct store *st, int64_t event_id, int64_t only_reg,
    const struct svc_mail_cause *given, struct event_mail *x)
{
	struct registration *regs = NULL;
	struct strbuf names = {0};
	size_t i, nregs = 0;
	int rc;

	memset(x, 0, sizeof(*x));
	if (given != NULL && given->event != NULL &&
	    given->event->id == event_id) {
		x->e = *given->event;
		x->e_given = 1;
	} else if ((rc = store_event_get(st, event_id, &x->e)) <= 0) {
		/* Nothing of a failed read is left to free. */
		memset(&x->e, 0, sizeof(x->e));
		return rc;
	}
	if (x->e.station_id != 0) {
		if ((rc = store_station_get(st, x->e.station_id, &x->station)) <
		    0)
			return -1;
		x->has_station = rc > 0;
	}
	x->zone = tzdb_zone(x->has_station ? x->station.timezone : NULL);
	for (i = 0; i < x->e.nspeakers; i++) {
		struct counsellor c;

		if ((rc = store_counsellor_get(st, x->e.speaker_ids[i], &c)) <
		    0)
			goto fail;
		if (rc == 0)
			continue;
		strbuf_printf(&names, "%s%s", names.len ? "、" : "", c.name);
		if (only_reg == 0 && c.active && c.email[0] != '\0' &&
		    add_person(x, c.id, 0, c.name, c.email, NULL, 0) < 0)
			rc = -1;
		counsellor_free(&c);
		if (rc < 0)
			goto fail;
	}
	if (x->e.external_speaker[0] != '\0')
		strbuf_printf(&names, "%s%s", names.len ? "、" : "",
		    x->e.external_speaker);
	strbuf_printf(&names, "%s", "");
	if ((x->speakers = strbuf_take(&names, NULL)) == NULL)
		return -1;
	/* A registration made just now: as its caller has it. */
	if (only_reg > 0 && given != NULL && given->registration != NULL &&
	    given->registration->id == only_reg) {
		const struct registration *g = given->registration;

		if (g->status == REGISTRATION_REGISTERED && g->email != NULL &&
		    g->email[0] != '\0' &&
		    (add_person(x, 0, g->id, g->name, g->email, g->token,
		         g->reminders_opt_out) < 0 ||
		        (given->optout != NULL &&
		            (x->people[x->npeople - 1]
		                    .optout = strdup(given->optout)) == NULL)))
			return -1;
		return 1;
	}
	/* One participant's change reads that registration alone: a public
	 * registration must not read all the others. */
	if (only_reg > 0) {
		if ((regs = calloc(1, sizeof(*regs))) == NULL ||
		    (rc = store_registration_get(st, only_reg, regs)) < 0) {
			free(regs);
			return -1;
		}
		nregs = rc > 0 && regs->event_id == event_id;
		if (rc > 0 && nregs == 0)
			registration_free(regs);
	} else if (only_reg == 0 &&
	    store_registration_list(st, event_id, &regs, &nregs) < 0)
		return -1;
	rc = 1;
	for (i = 0; i < nregs && rc > 0; i++) {
		struct registration *g = &regs[i];

		if ((only_reg != 0 && g->id != only_reg) ||
		    g->status != REGISTRATION_REGISTERED || g->email == NULL ||
		    g->email[0] == '\0')
			continue;
		if (add_person(x, 0, g->id, g->name, g->email, g->token,
		        g->reminders_opt_out) < 0 ||
		    store_registration_optout(st, g->id,
		        &x->people[x->npeople - 1].optout) < 0)
			rc = -1;
	}
	registration_list_free(regs, nregs);
	return rc;
fail:
	strbuf_free(&names);
	return -1;
}

static const char *
where_of(const struct event_mail *x, char *out, size_t sz)
{
	snprintf(out, sz, "%s%s%s", x->has_station ? x->station.name : "",
	    x->has_station && x->e.venue[0] ? " " : "", x->e.venue);
	return out;
}

/* The iTIP object of the event for one recipient, the VEVENT of the
 * feeds (same UID and SEQUENCE) so a calendar updates the entry it
 * already has. */
static char *
event_calendar(const struct event_mail *x, const struct person *p,
    const char *method, time_t now, size_t *len)
{
	struct hical_calendar cal;
	struct hical_event ev;
	struct hical_attendee att;
	struct strpool s = {0};
	char *text = NULL;

	svc_ical_event(&s, &x->e, x->has_station ? x->station.name : NULL,
	    zone_name(x->zone), x->speakers, &ev);
	if (strcmp(method, "CANCEL") == 0)
		ev.status = HICAL_CANCELLED;
	/* DTSTAMP of an iTIP message: when this message was made. */
	ev.dtstamp = now;
	ev.organizer_email = sender();
	att.name = p->name[0] ? p->name : NULL;
	att.email = p->email;
	ev.attendees = &att;
	ev.nattendees = 1;
	memset(&cal, 0, sizeof(cal));
	cal.method = method;
	cal.window_from = x->e.start_at - 86400;
	cal.window_to = x->e.end_at + 86400;
	if (!s.failed)
		text = hical_build(&cal, &ev, 1, len);
	strpool_free(&s);
	return text;
}

enum letter_kind {
	LETTER_REMINDER,
	LETTER_CHANGE,
	LETTER_CANCEL
};

/* Subject and text of an event letter (text NULL: the subject only). */
static int
event_letter(const struct event_mail *x, const struct person *p,
    enum letter_kind k, const struct svc_mail_cause *why, char **subject,
    char **text)
{
	const char *base = svc_config()->base_url;
	const char *kind = activity_kind_zh(x->e.kind);
	char where[512], when[32];
	struct strbuf s = {0}, t = {0};

	when_short(when, sizeof(when),
	    k == LETTER_CANCEL && why && why->old_start ? why->old_start
	                                                : x->e.start_at,
	    x->zone);
	if (k == LETTER_REMINDER)
		strbuf_printf(&s, "活动提醒：%s（%s）", x->e.title, when);
	else if (k == LETTER_CHANGE && why && why->old_start &&
	    (why->old_start != x->e.start_at || why->old_end != x->e.end_at))
		strbuf_printf(&s, "时间变更：%s 改至 %s", x->e.title, when);
	else if (k == LETTER_CHANGE)
		strbuf_printf(&s, "活动变更：%s（%s）", x->e.title, when);
	else
		strbuf_printf(&s, "活动取消：%s（原定 %s）", x->e.title, when);
	if (text == NULL)
		return (*subject = strbuf_take(&s, NULL)) != NULL ? 0 : -1;
	where_of(x, where, sizeof(where));

	strbuf_printf(&t, "%s，您好：\n\n", p->name[0] ? p->name : "您好");
	switch (k) {
	case LETTER_REMINDER:
		strbuf_printf(&t, "提醒您：%s「%s」将于 ", kind, x->e.title);
		notify_span_zh(&t, x->e.start_at, x->e.end_at, x->zone);
		strbuf_printf(&t, "%s%s 举行。\n", where[0] ? " 在 " : "",
		    where);
		break;
	case LETTER_CHANGE:
		strbuf_printf(&t, "%s「%s」有变动，请以此为准：\n", kind,
		    x->e.title);
		if (why && why->old_start &&
		    (why->old_start != x->e.start_at ||
		        why->old_end != x->e.end_at)) {
			strbuf_printf(&t, "原定时间：");
			notify_span_zh(&t, why->old_start, why->old_end,
			    x->zone);
			strbuf_printf(&t, "\n");
		}
		strbuf_printf(&t, "现定时间：");
		notify_span_zh(&t, x->e.start_at, x->e.end_at, x->zone);
		strbuf_printf(&t, "\n地点：%s\n",
		    where[0] ? where : "（待定）");
		break;
	case LETTER_CANCEL:
		strbuf_printf(&t, "很抱歉，%s「%s」（原定 ", kind, x->e.title);
		notify_span_zh(&t, x->e.start_at, x->e.end_at, x->zone);
		strbuf_printf(&t, "）已取消。\n");
		break;
	}
	if (why && why->reason && why->reason[0])
		strbuf_printf(&t, "原因：%s\n", why->reason);
	if (x->speakers[0])
		strbuf_printf(&t, "主讲：%s\n", x->speakers);
	if (x->e.public_)
		strbuf_printf(&t, "活动页面：%s/e/%lld\n", base,
		    (long long)x->e.id);
	if (p->token != NULL && k != LETTER_CANCEL)
		strbuf_printf(&t, "我的报名：%s/r/%s\n", base, p->token);
	/* Every line in Chinese (issue 13.9: no English "Changed:" line). */
	strbuf_printf(&t, "\n—— %s\n", ORGANIZER_NAME);
	if (p->optout != NULL && k == LETTER_REMINDER)
		strbuf_printf(&t, "不想再收到活动提醒？%s/u/%s\n", base,
		    p->optout);
	*subject = strbuf_take(&s, NULL);
	*text = strbuf_take(&t, NULL);
	if (*subject == NULL || *text == NULL) {
		free(*subject);
		free(*text);
		return -1;
	}
	return 0;
}

/* "c12" or "r40": the recipient part of a dedup key. */
static void
person_key(const struct person *p, char *out, size_t sz)
{
	if (p->counsellor_id)
		snprintf(out, sz, "c%lld", (long long)p->counsellor_id);
	else
		snprintf(out, sz, "r%lld", (long long)p->registration_id);
}

/* An event letter to one person, assembled, with what it owns. */
struct event_letter {
	struct letter l;
	char *subject, *text, *cal;
	char unsub[512];
};

static void
event_letter_free(struct event_letter *el)
{
	free(el->subject);
	free(el->text);
	free(el->cal);
	memset(el, 0, sizeof(*el));
}

/* The letter of kind k about x to p, whether queued (a notice) or made
 * as it goes out (a reminder, reminder_prepare): subject and text, the
 * iTIP part (CANCEL or REQUEST) and, on a reminder, the opt-out link (the
 * opt-out stops reminders only: notices carry no such header). 0, or -1
 * when it cannot be composed (logged; el is freed). */
static int
event_letter_make(const struct event_mail *x, const struct person *p,
    enum letter_kind k, const struct svc_mail_cause *why, time_t now,
    struct event_letter *el)
{
	const char *method = k == LETTER_CANCEL ? "CANCEL" : "REQUEST";
	size_t len = 0;

	memset(el, 0, sizeof(*el));
	if (event_letter(x, p, k, why, &el->subject, &el->text) < 0 ||
	    (el->cal = event_calendar(x, p, method, now, &len)) == NULL) {
		log_msg(LOG_ERROR, "msg=\"mail: cannot compose\" event=%lld",
		    (long long)x->e.id);
		event_letter_free(el);
		return -1;
	}
	el->l = (struct letter){
	    .to_name = p->name,
	    .to_email = p->email,
	    .subject = el->subject,
	    .text = el->text,
	    .calendar = el->cal,
	    .calendar_len = len,
	    .method = method,
	};
	if (p->optout != NULL && k == LETTER_REMINDER) {
		snprintf(el->unsub, sizeof(el->unsub), "%s/u/%s",
		    svc_config()->base_url, p->optout);
		el->l.unsubscribe_url = el->unsub;
	}
	return 0;
}

/* Queues a reminder with an empty body: it is made when it is sent
 * (svc_mail_prepare), so its Date and DTSTAMP are the sending time, not
 * the queueing time days before, and a letter that cannot be made then
 * is dead with why. Only its subject (for the outbox list) is made now. */
static int
queue_reminder(struct store *st, const struct event_mail *x,
    const struct person *p, struct outbox_msg *m, time_t now)
{
	char *subject = NULL, id[128];
	int rc;

	if (event_letter(x, p, LETTER_REMINDER, NULL, &subject, NULL) < 0)
		return -1;
	message_id(id, sizeof(id));
	m->recipient = (char *)p->email;
	m->subject = subject;
	m->body = (char *)"";
	m->message_id = id;
	rc = store_outbox_put(st, m, now);
	free(subject);
	return rc;
}

static int
queue_event_letter(struct store *st, const struct event_mail *x,
    const struct person *p, enum letter_kind k,
    const struct svc_mail_cause *why, int minutes, time_t now)
{
	static const char *const kinds[] = {"reminder", "change", "cancel"};
	struct outbox_msg m;
	struct event_letter el;
	char key[160], pk[32];
	int rc;

	person_key(p, pk, sizeof(pk));
	if (k == LETTER_REMINDER)
		snprintf(key, sizeof(key), "reminder:e%lld:%s:m%d:s%lld",
		    (long long)x->e.id, pk, minutes, (long long)x->e.sequence);
	else
		snprintf(key, sizeof(key), "%s:e%lld:%s:s%lld", kinds[k],
		    (long long)x->e.id, pk, (long long)x->e.sequence);
	memset(&m, 0, sizeof(m));
	m.dedup_key = key;
	m.kind = (char *)kinds[k];
	m.event_id = x->e.id;
	m.counsellor_id = p->counsellor_id;
	m.registration_id = p->registration_id;
	if (k == LETTER_REMINDER) {
		m.due_at = x->e.start_at - (time_t)minutes * 60;
		/* More than halfway late is too late: skipped, not sent. */
		m.expires_at = x->e.start_at - (time_t)minutes * 30;
		return queue_reminder(st, x, p, &m, now) < 0 ? -1 : 0;
	}
	m.due_at = now;
	m.expires_at = x->e.end_at;
	/* A notice that cannot be composed is logged and left out; only a
	 * store failure fails the change that caused it. */
	if (event_letter_make(x, p, k, why, now, &el) < 0)
		return 0;
	rc = put(st, &m, &el.l, now);
	event_letter_free(&el);
	return rc < 0 ? -1 : 0;
}

/* The offsets of an event's reminders, in minutes. */
static size_t
reminder_minutes(const struct event *e, int *out, size_t max)
{
	json_t *a = json_loads(e->reminders, 0, NULL), *v;
	size_t i, n = 0;

	json_array_foreach(a, i, v)
	{
		if (n < max && json_is_integer(v) &&
		    json_integer_value(v) > 0 && json_integer_value(v) <= 40320)
			out[n++] = (int)json_integer_value(v);
	}
	json_decref(a);
	return n;
}

int
svc_mail_event(struct store *st, int64_t event_id,
    const struct svc_mail_cause *why)
{
	struct event_mail x;
	int64_t only = why ? why->registration_id : 0;
	int minutes[16];
	time_t now = svc_now();
	size_t i, k, nmin;
	int rc, live;

	if ((rc = event_mail_load(st, event_id, only, why, &x)) <= 0) {
		event_mail_free(&x);
		return rc < 0 ? -1 : 0;
	}
	rc = 0;
	/* Whatever was queued for the old state is superseded; what is
	 * still wanted comes back below (same key) or anew (new sequence). */
	if (!(why && why->fresh && only) &&
	    store_outbox_skip(st, x.e.id, "reminder", only, 0, "superseded") <
	        0)
		rc = -1;
	live = event_status_live(x.e.status);
	nmin = reminder_minutes(&x.e, minutes, 16);
	for (i = 0; i < x.npeople && rc == 0 && live; i++) {
		if (x.people[i].opted_out)
			continue;
		for (k = 0; k < nmin && rc == 0; k++)
			if (x.e.start_at - (time_t)minutes[k] * 60 > now)
				rc = queue_event_letter(st, &x, &x.people[i],
				    LETTER_REMINDER, why, minutes[k], now);
	}
	if (why != NULL && why->notice != MAIL_NOTICE_NONE &&
	    x.e.end_at > now) {
		enum letter_kind lk = why->notice == MAIL_NOTICE_CANCEL
		    ? LETTER_CANCEL
		    : LETTER_CHANGE;

		/* A newer notice supersedes an older unsent one to the same
		 * people: they get only the current state (issue 13.9). */
		if (rc == 0 &&
		    store_outbox_skip(st, x.e.id, "change", only, 0,
		        "superseded") < 0)
			rc = -1;

		for (i = 0; i < x.npeople && rc == 0; i++)
			rc = queue_event_letter(st, &x, &x.people[i], lk, why,
			    0, now);
	}
	/* The same causes on the other channels (SMS, group robots). */
	if (rc == 0)
		rc = svc_channel_event(st, &x.e,
		    x.has_station ? &x.station : NULL, why);
	event_mail_free(&x);
	return rc;
}

int
svc_mail_counsellor(struct store *st, int64_t counsellor_id)
{
	struct event_filter f;
	struct store_page pg = {.limit = 500, .offset = 0};
	struct event *evs = NULL;
	size_t i, n = 0;
	int64_t total;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	f.speaker_id = counsellor_id;
	f.from = svc_now();
	if (store_event_list(st, &f, &pg, &evs, &n, &total) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = svc_mail_event(st, evs[i].id, NULL);
	event_list_free(evs, n);
	return rc;
}

int
svc_mail_speaker_removed(struct store *st, int64_t event_id,
    int64_t counsellor_id)
{
	struct event_mail x;
	struct counsellor c;
	struct person p;
	time_t now = svc_now();
	int rc;

	if (store_outbox_skip(st, event_id, "reminder", 0, counsellor_id,
	        "no longer a speaker") < 0)
		return -1;
	if ((rc = store_counsellor_get(st, counsellor_id, &c)) <= 0)
		return rc;
	/* Load the event alone (only_reg -1 matches no registration). */
	if ((rc = event_mail_load(st, event_id, -1, NULL, &x)) > 0 &&
	    x.e.end_at > now && c.active && c.email[0] != '\0') {
		memset(&p, 0, sizeof(p));
		p.counsellor_id = c.id;
		p.name = c.name;
		p.email = c.email;
		rc = queue_event_letter(st, &x, &p, LETTER_CANCEL, NULL, 0,
		    now);
	}
	event_mail_free(&x);
	counsellor_free(&c);
	return rc < 0 ? -1 : 0;
}

/* --- shifts: roster notices and weekly summaries ------------------------------ */

/* "11月25日（周三）09:00–12:00 福田区人民来访接待厅". */
static int
shift_line(struct store *st, const struct shift *sh, const char *what,
    char **out)
{
	struct station s;
	struct strbuf b = {0};
	int rc;

	if ((rc = store_station_get(st, sh->station_id, &s)) < 0)
		return -1;
	strbuf_printf(&b, "%s ", what);
	notify_span_zh(&b, sh->start_at, sh->end_at,
	    tzdb_zone(rc ? s.timezone : NULL));
	strbuf_printf(&b, " %s", rc ? s.name : "");
	if (rc)
		station_free(&s);
	return (*out = strbuf_take(&b, NULL)) == NULL ? -1 : 0;
}

/* Adds lines (and the shifts they are about) to the counsellor's roster
 * notice that is still gathering changes, or starts one. */
static int
roster_note_add(struct store *st, int64_t counsellor_id, const json_t *lines,
    const json_t *shifts, time_t now)
{
	size_t i;
	struct outbox_msg m;
	struct counsellor c;
	json_t *d = NULL;
	int64_t n;
	char key[64], id[128];
	int rc;

	if ((rc = store_counsellor_get(st, counsellor_id, &c)) <= 0)
		return rc;
	if (!c.active || c.email[0] == '\0') {
		counsellor_free(&c);
		return 0;
	}
	memset(&m, 0, sizeof(m));
	if ((rc = store_outbox_open_roster(st, counsellor_id, &m)) < 0)
		goto out;
	if (rc > 0)
		d = json_loads(m.detail, 0, NULL);
	if (d == NULL)
		d = json_pack("{s:[], s:[]}", "lines", "shifts");
	rc = -1;
	if (d == NULL || !json_is_array(json_object_get(d, "lines")) ||
	    !json_is_array(json_object_get(d, "shifts")))
		goto out;
	for (i = 0; i < json_array_size(lines) &&
	     json_array_size(json_object_get(d, "lines")) < ROSTER_MAX_LINES;
	     i++)
		json_array_append(json_object_get(d, "lines"),
		    json_array_get(lines, i));
	for (i = 0; i < json_array_size(shifts); i++)
		json_array_append(json_object_get(d, "shifts"),
		    json_array_get(shifts, i));
	free(m.detail);
	if ((m.detail = json_dumps(d, JSON_COMPACT)) == NULL)
		goto out;
	/* The message is built when it is due (svc_mail_prepare): by then
	 * every change of the batch is in. */
	m.due_at = now + ROSTER_GATHER_S;
	if (m.id != 0) {
		rc = store_outbox_rewrite(st, &m);
		goto out;
	}
	if (store_outbox_roster_count(st, counsellor_id, &n) <= 0)
		goto out;
	snprintf(key, sizeof(key), "roster:c%lld:n%lld",
	    (long long)counsellor_id, (long long)n + 1);
	message_id(id, sizeof(id));
	free(m.kind);
	free(m.recipient);
	free(m.subject);
	free(m.body);
	free(m.message_id);
	free(m.dedup_key);
	m.kind = strdup("roster");
	m.recipient = strdup(c.email);
	m.subject = strdup("值班安排有变动");
	m.body = strdup("");
	m.message_id = strdup(id);
	m.dedup_key = strdup(key);
	m.counsellor_id = counsellor_id;
	if (m.kind && m.recipient && m.subject && m.body && m.message_id &&
	    m.dedup_key)
		rc = store_outbox_put(st, &m, now);
out:
	json_decref(d);
	outbox_free(&m);
	counsellor_free(&c);
	return rc < 0 ? -1 : 0;
}

/* A roster generation changes thousands of shifts: while a batch is
 * open on this thread, notes gather in memory per counsellor and are
 * written once each at the end (before: a read, a JSON parse and a
 * rewrite of the growing notice per shift, quadratic per counsellor). */
struct note_acc {
	int64_t counsellor_id;
	json_t *lines, *shifts;
};
static _Thread_local struct {
	int on;
	struct note_acc *v;
	size_t n, cap;
} batch;

static int
roster_note(struct store *st, int64_t counsellor_id, int64_t shift_id,
    const char *line, time_t now)
{
	json_t *lines, *shifts;
	size_t i;
	int rc;

	if (batch.on) {
		for (i = 0; i < batch.n; i++)
			if (batch.v[i].counsellor_id == counsellor_id)
				break;
		if (i == batch.n) {
			if (batch.n == batch.cap) {
				size_t cap = batch.cap ? batch.cap * 2 : 32;
				struct note_acc *nv = realloc(batch.v,
				    cap * sizeof(*nv));

				if (nv == NULL)
					return -1;
				batch.v = nv;
				batch.cap = cap;
			}
			batch.v[i].counsellor_id = counsellor_id;
			batch.v[i].lines = json_array();
			batch.v[i].shifts = json_array();
			batch.n++;
		}
		if (batch.v[i].lines == NULL || batch.v[i].shifts == NULL)
			return -1;
		if (json_array_size(batch.v[i].lines) < ROSTER_MAX_LINES &&
		    json_array_append_new(batch.v[i].lines,
		        json_string(line)) != 0)
			return -1;
		return json_array_append_new(batch.v[i].shifts,
		           json_integer(shift_id)) != 0
		    ? -1
		    : 0;
	}
	lines = json_pack("[s]", line);
	shifts = json_pack("[I]", (json_int_t)shift_id);
	rc = lines && shifts
	    ? roster_note_add(st, counsellor_id, lines, shifts, now)
	    : -1;
	json_decref(lines);
	json_decref(shifts);
	return rc;
}

void
svc_mail_batch_begin(void)
{
	batch.on = 1;
	batch.n = 0;
}

static void
batch_drop(void)
{
	size_t i;

	for (i = 0; i < batch.n; i++) {
		json_decref(batch.v[i].lines);
		json_decref(batch.v[i].shifts);
	}
	free(batch.v);
	batch.v = NULL;
	batch.n = batch.cap = 0;
	batch.on = 0;
}

int
svc_mail_batch_end(struct store *st)
{
	time_t now = svc_now();
	size_t i;
	int rc = 0;

	batch.on = 0;
	for (i = 0; i < batch.n && rc == 0 && st != NULL; i++)
		rc = roster_note_add(st, batch.v[i].counsellor_id,
		    batch.v[i].lines, batch.v[i].shifts, now);
	batch_drop();
	return rc;
}

static int
same_place_and_time(const struct shift *a, const struct shift *b)
{
	return a->start_at == b->start_at && a->end_at == b->end_at &&
	    a->station_id == b->station_id;
}

int
svc_mail_shift(struct store *st, const struct shift *before,
    const struct shift *after)
{
	time_t now = svc_now();
	int64_t was = before && before->status != SHIFT_CANCELLED
	    ? before->counsellor_id
	    : 0;
	int64_t is = after && after->status != SHIFT_CANCELLED
	    ? after->counsellor_id
	    : 0;
	char *line = NULL;
	int rc = 0;

	/* The stations' group robots hear of it too. */
	if (svc_channel_shift(st, before, after) < 0)
		return -1;
	/* Only what is still ahead concerns anyone. */
	if ((before == NULL || before->end_at <= now) &&
	    (after == NULL || after->end_at <= now))
		return 0;
	if (was != 0 && was == is) {
		if (same_place_and_time(before, after))
			return 0;
		if ((rc = shift_line(st, after, "调整为", &line)) == 0) {
			char *old = NULL;

			if ((rc = shift_line(st, before, "原为", &old)) == 0) {
				char *both = NULL;
				struct strbuf b = {0};

				strbuf_printf(&b, "%s（%s）", line, old);
				both = strbuf_take(&b, NULL);
				rc = both
				    ? roster_note(st, is, after->id, both, now)
				    : -1;
				free(both);
			}
			free(old);
		}
		free(line);
		return rc;
	}
	if (was != 0) {
		rc = shift_line(st, before,
		    is == 0 && after && after->status == SHIFT_CANCELLED
		        ? "取消"
		        : after == NULL ? "取消"
		                        : "不再安排",
		    &line);
		if (rc == 0)
			rc = roster_note(st, was, before->id, line, now);
		free(line);
		line = NULL;
	}
	if (rc == 0 && is != 0) {
		rc = shift_line(st, after, "新增", &line);
		if (rc == 0)
			rc = roster_note(st, is, after->id, line, now);
		free(line);
	}
	return rc;
}

/* The counsellor's own shifts among shifts, as a PUBLISH calendar;
 * NULL with *len 0 when none is theirs. */
static char *
shifts_calendar(struct store *st, int64_t counsellor_id,
    const struct shift *shifts, size_t n, size_t *len)
{
	struct hical_calendar cal;
	struct hical_event *ev;
	struct strpool s = {0};
	size_t i, k = 0;
	char *text = NULL;

	*len = 0;
	if ((ev = calloc(n + 1, sizeof(*ev))) == NULL)
		return NULL;
	memset(&cal, 0, sizeof(cal));
	for (i = 0; i < n; i++) {
		const struct shift *sh = &shifts[i];
		struct station stn;
		const char *zone;
		int rc;

		if (sh->counsellor_id != counsellor_id)
			continue;
		if ((rc = store_station_get(st, sh->station_id, &stn)) < 0)
			goto out;
		zone = zone_name(tzdb_zone(rc ? stn.timezone : NULL));
		if (rc)
			station_free(&stn);
		svc_ical_shift(&s, sh, zone, &ev[k]);
		/* RFC 5546 3.2.1: a PUBLISH names its ORGANIZER. */
		ev[k].organizer_email = sender();
		ev[k].organizer_name = ORGANIZER_NAME;
		if (k == 0 || sh->start_at - 86400 < cal.window_from)
			cal.window_from = sh->start_at - 86400;
		if (k == 0 || sh->end_at + 86400 > cal.window_to)
			cal.window_to = sh->end_at + 86400;
		k++;
	}
	if (k == 0 || s.failed)
		goto out;
	cal.method = "PUBLISH";
	cal.name = "心访工作室值班";
	text = hical_build(&cal, ev, k, len);
out:
	strpool_free(&s);
	free(ev);
	return text;
}

/* Builds a roster notice that gathered its changes (body still ""). */
static int
roster_prepare(struct store *st, struct outbox_msg *m, time_t now)
{
	struct counsellor c;
	struct shift *shifts = NULL;
	struct letter l;
	struct strbuf t = {0}, s = {0};
	json_t *d = json_loads(m->detail, 0, NULL), *v;
	char *text = NULL, *subject = NULL, *cal = NULL;
	size_t i, n = 0, len = 0, nlines;
	int rc;

	if ((rc = store_counsellor_get(st, m->counsellor_id, &c)) <= 0 ||
	    !c.active || c.email[0] == '\0') {
		if (rc > 0)
			counsellor_free(&c);
		json_decref(d);
		return rc < 0 ? -1 : 0;
	}
	free(m->recipient);
	if ((m->recipient = strdup(c.email)) == NULL) {
		counsellor_free(&c);
		json_decref(d);
		return -1;
	}
	nlines = json_array_size(json_object_get(d, "lines"));
	shifts = calloc(json_array_size(json_object_get(d, "shifts")) + 1,
	    sizeof(*shifts));
	rc = -1;
	if (shifts == NULL)
		goto out;
	json_array_foreach(json_object_get(d, "shifts"), i, v)
	{
		size_t k;
		int dup = 0, got;

		for (k = 0; k < n; k++)
			dup |= shifts[k].id == json_integer_value(v);
		if (dup)
			continue;
		if ((got = store_shift_get(st, json_integer_value(v),
		         &shifts[n])) < 0)
			goto out;
		if (got > 0 && shifts[n].end_at > now)
			n++;
		else if (got > 0)
			shift_free(&shifts[n]);
	}
	strbuf_printf(&s, "值班安排有变动（%zu 项）", nlines);
	strbuf_printf(&t, "%s，您好：\n\n您的值班安排有以下变动：\n", c.name);
	json_array_foreach(json_object_get(d, "lines"), i, v)
	    strbuf_printf(&t, "· %s\n", json_string_value(v));
	if (nlines >= ROSTER_MAX_LINES)
		strbuf_printf(&t, "……（更多变动请查看班表）\n");
	strbuf_printf(&t,
	    "\n最新班表见您订阅的值班日历，或登录 %s/#/my-roster 查看。\n"
	    "\n—— %s\n",
	    svc_config()->base_url, ORGANIZER_NAME);
	if ((subject = strbuf_take(&s, NULL)) == NULL ||
	    (text = strbuf_take(&t, NULL)) == NULL)
		goto out;
	cal = shifts_calendar(st, c.id, shifts, n, &len);
	l = (struct letter){
	    .to_name = c.name,
	    .to_email = m->recipient,
	    .subject = subject,
	    .text = text,
	    .calendar = cal,
	    .calendar_len = len,
	    .method = "PUBLISH",
	};
	rc = rebuild(&l, m, now);
out:
	for (i = 0; i < n; i++)
		shift_free(&shifts[i]);
	free(shifts);
	free(subject);
	free(text);
	free(cal);
	json_decref(d);
	counsellor_free(&c);
	return rc;
}

/* Makes a reminder queued by queue_reminder as the event and its
 * recipient are at the sending time: enum outbox_built (nothing to send:
 * the event or the recipient is gone, or opted out). */
static int
reminder_prepare(struct store *st, struct outbox_msg *m, time_t now)
{
	struct event_mail x;
	const struct person *p = NULL;
	struct event_letter el;
	size_t i;
	int rc;

	rc = event_mail_load(st, m->event_id, m->registration_id, NULL, &x);
	for (i = 0; rc > 0 && event_status_live(x.e.status) && i < x.npeople &&
	     p == NULL;
	     i++)
		if (x.people[i].counsellor_id == m->counsellor_id &&
		    x.people[i].registration_id == m->registration_id &&
		    !x.people[i].opted_out)
			p = &x.people[i];
	if (p == NULL)
		rc = rc < 0 ? OUTBOX_BUILT_FAILED : OUTBOX_BUILT_NONE;
	else if (event_letter_make(&x, p, LETTER_REMINDER, NULL, now, &el) < 0)
		rc = broken(m,
		    "cannot build the message: its text or "
		    "calendar part cannot be made");
	else {
		rc = rebuild(&el.l, m, now);
		event_letter_free(&el);
	}
	event_mail_free(&x);
	return rc;
}

int
svc_mail_prepare(struct store *st, struct outbox_msg *m, time_t now)
{
	if (strcmp(m->kind, "roster") == 0)
		return roster_prepare(st, m, now);
	if (strcmp(m->kind, "reminder") == 0)
		return reminder_prepare(st, m, now);
	return 0;
}

/* ISO week "2026-W48" of a day number. */
static void
iso_week(int64_t day, char *out, size_t sz)
{
	int64_t thursday = day - activity_weekday(day) + 4, y, jan1;
	unsigned m, d;

	time_civil_from_days(thursday, &y, &m, &d);
	jan1 = time_days_from_civil(y, 1, 1);
	snprintf(out, sz, "%04lld-W%02lld", (long long)y,
	    (long long)((thursday - jan1) / 7 + 1));
}

/* One counsellor's summary of the week starting on local day monday. */
static int
weekly_one(struct store *st, const struct counsellor *c, const struct tz *z,
    int64_t monday, time_t at8, time_t now)
{
	struct shift_filter f;
	struct shift *shifts = NULL;
	struct outbox_msg m;
	struct letter l;
	struct strbuf t = {0}, s = {0};
	char key[96], week[48], *text = NULL, *subject = NULL, *cal = NULL;
	size_t i, n = 0, len = 0;
	double hours = 0;
	struct local a, b;
	int rc = -1;

	iso_week(monday, week, sizeof(week));
	snprintf(key, sizeof(key), "weekly:c%lld:%s", (long long)c->id, week);
	if ((rc = store_outbox_exists(st, key)) != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	if (svc_shifts_local_days(st, z, monday, 7, 0, c->id, 200, &f, &shifts,
	        &n) < 0)
		return -1;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	local_of(f.from, z, &a);
	local_of(f.to - 1, z, &b);
	strbuf_printf(&s, "本周值班安排（%u月%u日–%u月%u日）", a.mo, a.d, b.mo,
	    b.d);
	strbuf_printf(&t,
	    "%s，您好：\n\n本周（%u月%u日–%u月%u日）您的值班安排：\n", c->name,
	    a.mo, a.d, b.mo, b.d);
	for (i = 0; i < n; i++) {
		strbuf_printf(&t, "· ");
		notify_span_zh(&t, shifts[i].start_at, shifts[i].end_at, z);
		strbuf_printf(&t, " %s", shifts[i].station_name);
		if (shifts[i].note[0])
			strbuf_printf(&t, "（%s）", shifts[i].note);
		strbuf_printf(&t, "\n");
		hours += (double)(shifts[i].end_at - shifts[i].start_at) / 3600;
	}
	strbuf_printf(&t,
	    "\n共 %zu 班，%.1f 小时。如需调班，请登录 %s/#/my-roster 提出"
	    "申请。\n\n—— %s\n",
	    n, hours, svc_config()->base_url, ORGANIZER_NAME);
	if ((subject = strbuf_take(&s, NULL)) == NULL ||
	    (text = strbuf_take(&t, NULL)) == NULL)
		goto out;
	cal = shifts_calendar(st, c->id, shifts, n, &len);
	memset(&m, 0, sizeof(m));
	m.dedup_key = key;
	m.kind = "weekly";
	m.counsellor_id = c->id;
	m.due_at = at8;
	m.expires_at = at8 + WEEKLY_LATE_S;
	l = (struct letter){
	    .to_name = c->name,
	    .to_email = c->email,
	    .subject = subject,
	    .text = text,
	    .calendar = cal,
	    .calendar_len = len,
	    .method = "PUBLISH",
	};
	rc = put(st, &m, &l, now) < 0 ? -1 : 0;
out:
	shift_list_free(shifts, n);
	free(subject);
	free(text);
	free(cal);
	return rc;
}

int
svc_mail_weekly(struct store *st, time_t now)
{
	struct counsellor_filter f = {.active = 1};
	struct store_page pg = {.limit = 500, .offset = 0};
	struct counsellor *cs = NULL;
	size_t i, n = 0;
	int64_t total;
	int rc = 0;

	if (store_counsellor_list(st, &f, &pg, &cs, &n, &total) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		struct station s;
		const struct tz *z;
		struct local l;
		int64_t monday;
		time_t at8;
		int got = 0;

		if (cs[i].email[0] == '\0' || cs[i].weekly_mail_off)
			continue;
		if (cs[i].home_station_id != 0 &&
		    (got = store_station_get(st, cs[i].home_station_id, &s)) <
		        0) {
			rc = -1;
			break;
		}
		z = tzdb_zone(got ? s.timezone : NULL);
		if (got)
			station_free(&s);
		local_of(now, z, &l);
		monday = l.day - (l.wd - 1);
		at8 = tz_local_to_utc(z, monday * 86400 + WEEKLY_HOUR * 3600);
		if (now >= at8 && now < at8 + WEEKLY_LATE_S)
			rc = weekly_one(st, &cs[i], z, monday, at8, now);
	}
	counsellor_list_free(cs, n);
	return rc;
}

/* --- duty logs: the reminder of a missing log ------------------------------ */

/* A counsellor is reminded once when a shift's log is still missing this
 * long after it ended. */
#define DUTY_REMIND_AFTER_S (12 * 3600)
/* A reminder unsent this long after it fell due is skipped; shifts that
 * ended longer ago get none (no flood after a long stop). */
#define DUTY_REMIND_LATE_S (3 * 86400)

static int
duty_remind_one(struct store *st, const struct duty_due *d, const struct tz *z,
    time_t now)
{
	struct outbox_msg m;
	struct letter l;
	struct strbuf t = {0}, s = {0};
	char key[64], when[64], *text = NULL, *subject = NULL;
	int rc = -1;

	snprintf(key, sizeof(key), "duty_log:s%lld", (long long)d->shift_id);
	when_short(when, sizeof(when), d->start_at, z);
	strbuf_printf(&s, "请填写值班记录：%s %s", when, d->station_name);
	strbuf_printf(&t, "%s，您好：\n\n您在 ", d->counsellor_name);
	notify_span_zh(&t, d->start_at, d->end_at, z);
	strbuf_printf(&t,
	    " %s 的值班已结束 12 小时，值班记录还没有填写。\n\n"
	    "请登录 %s/#/me ，在「我的排班」的「待填写」中填写：是否到岗、"
	    "接待批次与人数、心理疏导时长等数字，以及简短备注。"
	    "值班记录只记数字，请勿填写来访群众的姓名或身份信息。\n\n"
	    "—— %s\n",
	    d->station_name, svc_config()->base_url, ORGANIZER_NAME);
	if ((subject = strbuf_take(&s, NULL)) == NULL ||
	    (text = strbuf_take(&t, NULL)) == NULL)
		goto out;
	memset(&m, 0, sizeof(m));
	m.dedup_key = key;
	m.kind = "duty_log";
	m.shift_id = d->shift_id;
	m.counsellor_id = d->counsellor_id;
	m.due_at = d->end_at + DUTY_REMIND_AFTER_S;
	m.expires_at = m.due_at + DUTY_REMIND_LATE_S;
	l = (struct letter){
	    .to_name = d->counsellor_name,
	    .to_email = d->email,
	    .subject = subject,
	    .text = text,
	};
	rc = put(st, &m, &l, now) < 0 ? -1 : 0;
out:
	free(subject);
	free(text);
	return rc;
}

int
svc_mail_duty_logs(struct store *st, time_t now)
{
	struct duty_due *due = NULL;
	size_t n = 0, i;
	int64_t closed;
	int rc = 0;

	if (svc_duty_closed_through(st, &closed) < 0 ||
	    store_duty_due(st, now - DUTY_REMIND_AFTER_S - DUTY_REMIND_LATE_S,
	        now - DUTY_REMIND_AFTER_S, &due, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		const struct tz *z = tzdb_zone(due[i].station_tz);

		/* A closed month's log cannot be written any more. */
		if (duty_closed(duty_end_day(due[i].end_at, z), closed))
			continue;
		rc = duty_remind_one(st, &due[i], z, now);
	}
	duty_due_list_free(due, n);
	return rc;
}

int
svc_mail_tick(struct store *st, time_t now)
{
	if (svc_mail_weekly(st, now) < 0)
		return -1;
	return svc_mail_duty_logs(st, now);
}

int
svc_mail_roster_line(struct store *st, int64_t counsellor_id, int64_t shift_id,
    const char *line)
{
	return roster_note(st, counsellor_id, shift_id, line, svc_now());
}
