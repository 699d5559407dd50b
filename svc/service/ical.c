/*
 * The VEVENT of a shift, an event and a follow-up, as every feed and
 * every invitation shows it: one mapping, so a calendar that has an entry
 * from a feed updates it from a mail (same UID and SEQUENCE). Strings
 * made here go to the caller's pool.
 */
#include <stdio.h>
#include <string.h>

#include "service.h"
#include "../../ical/hearth_ical.h"

/* A follow-up's alarm rings an hour before. */
#define FOLLOW_UP_ALARM_MINUTES 60

/* What every VEVENT starts with: cleared, the UID kind-id@host, the
 * SEQUENCE, the stamps of the last change, the span and its zone. */
static void
vevent_base(struct strpool *s, struct hical_event *e, const char *kind,
    int64_t id, int64_t sequence, time_t updated_at, time_t start, time_t end,
    const char *tzid)
{
	char host[128];

	svc_uid_host(host, sizeof(host));
	memset(e, 0, sizeof(*e));
	e->uid = strpool_keepf(s, "%s-%lld@%s", kind, (long long)id, host);
	e->sequence = sequence;
	e->dtstamp = e->last_modified = updated_at;
	e->start = start;
	e->end = end;
	e->tzid = tzid;
}

void
svc_ical_shift(struct strpool *s, const struct shift *sh, const char *tzid,
    struct hical_event *e)
{
	int cancelled = sh->status == SHIFT_CANCELLED;

	vevent_base(s, e, "shift", sh->id, sh->sequence, sh->updated_at,
	    sh->start_at, sh->end_at, tzid);
	e->summary = strpool_keepf(s, "%s值班 · %s",
	    cancelled ? "[已取消] " : "", sh->station_name);
	e->location = sh->station_name;
	e->description = sh->note[0]
	    ? strpool_keepf(s, "心访工作室值班。备注：%s", sh->note)
	    : "心访工作室值班。";
	e->category = "值班";
	e->status = cancelled ? HICAL_CANCELLED : HICAL_CONFIRMED;
}

void
svc_ical_event(struct strpool *s, const struct event *x, const char *where,
    const char *tzid, const char *speakers, struct hical_event *e)
{
	int cancelled = x->status == EVENT_CANCELLED;

	vevent_base(s, e, "event", x->id, x->sequence, x->updated_at,
	    x->start_at, x->end_at, tzid);
	e->summary = strpool_keepf(s, "%s%s：%s", cancelled ? "[已取消] " : "",
	    activity_kind_zh(x->kind), x->title);
	e->location = where == NULL && !x->venue[0]
	    ? NULL
	    : strpool_keepf(s, "%s%s%s", where ? where : "",
	          where && x->venue[0] ? " " : "", x->venue);
	e->description = strpool_keepf(s, "%s%s%s%s", x->description,
	    x->description[0] && speakers[0] ? "\n" : "",
	    speakers[0] ? "主讲：" : "", speakers);
	e->category = activity_kind_zh(x->kind);
	/* The public event page; internal events have none. */
	e->url = x->public_ ? strpool_keepf(s, "%s/e/%lld",
	                          svc_config()->base_url, (long long)x->id)
	                    : NULL;
	e->status = cancelled            ? HICAL_CANCELLED
	    : x->status == EVENT_PLANNED ? HICAL_TENTATIVE
	                                 : HICAL_CONFIRMED;
	e->organizer_name = "心访工作室";
	e->organizer_email = svc_config()->mail_from;
}

void
svc_ical_follow_up(struct strpool *s, const struct case_follow_up *f,
    const char *where, const char *tzid, int alarms, struct hical_event *e)
{
	static const int alarm[1] = {FOLLOW_UP_ALARM_MINUTES};

	vevent_base(s, e, "follow-up", f->id, f->sequence, f->updated_at,
	    f->due_at, f->due_at + FOLLOW_UP_MINUTES * 60, tzid);
	e->summary = strpool_keepf(s, "%s回访 %s",
	    f->cancelled_at ? "[已取消] " : "", f->label);
	e->location = where;
	e->description = strpool_keepf(s, "重点个案 %s 的回访%s%s%s", f->label,
	    f->done_at ? "（已完成）" : "。", f->note[0] ? "\n备注：" : "",
	    f->note);
	e->category = "回访";
	e->status = f->cancelled_at ? HICAL_CANCELLED : HICAL_CONFIRMED;
	if (alarms && !f->cancelled_at && !f->done_at) {
		e->alarm_minutes = alarm;
		e->nalarms = 1;
	}
}
