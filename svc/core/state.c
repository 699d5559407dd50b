/*
 * The states of records as enums, with the names the database and the
 * API use. Index 0 of every table is the empty name: "no state", which a
 * filter reads as "any". The store turns names into enums when it reads
 * a row and back when it writes one; nothing above it compares a state
 * as a string.
 */
#include <string.h>

#include "core.h"

const char *const event_status_names[EVENT_STATUS__MAX + 1] = {
    /* EVENT_STATUS_ANY */ "",
    /* EVENT_PLANNED */ "planned",
    /* EVENT_CONFIRMED */ "confirmed",
    /* EVENT_HELD */ "held",
    /* EVENT_CANCELLED */ "cancelled",
    NULL,
};

const char *const shift_status_names[SHIFT_STATUS__MAX + 1] = {
    /* SHIFT_STATUS_ANY */ "",
    /* SHIFT_PLANNED */ "planned",
    /* SHIFT_CONFIRMED */ "confirmed",
    /* SHIFT_CANCELLED */ "cancelled",
    NULL,
};

const char *const registration_status_names[REGISTRATION_STATUS__MAX + 1] = {
    /* REGISTRATION_STATUS_ANY */ "",
    /* REGISTRATION_REGISTERED */ "registered",
    /* REGISTRATION_WAITLISTED */ "waitlisted",
    /* REGISTRATION_CANCELLED */ "cancelled",
    NULL,
};

const char *const swap_status_names[SWAP_STATUS__MAX + 1] = {
    /* SWAP_STATUS_ANY */ "",
    /* SWAP_PENDING */ "pending",
    /* SWAP_APPROVED */ "approved",
    /* SWAP_REJECTED */ "rejected",
    /* SWAP_WITHDRAWN */ "withdrawn",
    NULL,
};

const char *const outbox_status_names[OUTBOX_STATUS__MAX + 1] = {
    /* OUTBOX_STATUS_ANY */ "",
    /* OUTBOX_PENDING */ "pending",
    /* OUTBOX_SENDING */ "sending",
    /* OUTBOX_SENT */ "sent",
    /* OUTBOX_FAILED */ "failed",
    /* OUTBOX_DEAD */ "dead",
    /* OUTBOX_SKIPPED */ "skipped",
    NULL,
};

int
state_parse(const char *const *names, const char *s)
{
	int i;

	for (i = 1; s != NULL && *s != '\0' && names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return 0;
}

int
event_status_live(enum event_status s)
{
	return s == EVENT_PLANNED || s == EVENT_CONFIRMED;
}

enum event_refusal
event_status_change(enum event_status now, enum event_status want,
    time_t start_at, time_t at, const char **kind)
{
	*kind = "updated";
	if (now == EVENT_CANCELLED)
		return EVENT_REFUSE_CANCELLED;
	if (want == EVENT_STATUS_ANY || want == now)
		return EVENT_CHANGE_OK;
	if (now == EVENT_HELD)
		return EVENT_REFUSE_HELD;
	if (want == EVENT_HELD && start_at > at)
		return EVENT_REFUSE_NOT_STARTED;
	if (want == EVENT_CONFIRMED)
		*kind = "confirmed";
	else if (want == EVENT_HELD)
		*kind = "held";
	return EVENT_CHANGE_OK;
}

enum event_refusal
event_unhold_check(enum event_status now, int64_t answers)
{
	if (now != EVENT_HELD)
		return EVENT_REFUSE_NOT_HELD;
	if (answers > 0)
		return EVENT_REFUSE_ANSWERED;
	return EVENT_CHANGE_OK;
}

int
event_status_final(enum event_status s)
{
	return s == EVENT_HELD || s == EVENT_CANCELLED;
}

int
event_survey_open(enum event_status s, time_t end_at, time_t at)
{
	return s == EVENT_HELD && at <= end_at + EVENT_SURVEY_DAYS * 86400;
}

const char *const leave_status_names[LEAVE_STATUS__MAX + 1] = {
    /* LEAVE_STATUS_ANY */ "",
    /* LEAVE_PENDING */ "pending",
    /* LEAVE_APPROVED */ "approved",
    /* LEAVE_REFUSED */ "refused",
    NULL,
};

const char *const leave_by_names[LEAVE_BY__MAX + 1] = {
    /* LEAVE_BY_ANY */ "",
    /* LEAVE_BY_COORDINATOR */ "coordinator",
    /* LEAVE_BY_COUNSELLOR */ "counsellor",
    NULL,
};
/* --- Chinese labels of outbox rows (issue 13.9, branch imports) ------- */

static const char *const outbox_status_zh_names[OUTBOX_STATUS__MAX] = {
    /* OUTBOX_STATUS_ANY */ "",
    /* OUTBOX_PENDING */ "待发送",
    /* OUTBOX_SENDING */ "发送中",
    /* OUTBOX_SENT */ "已发送",
    /* OUTBOX_FAILED */ "失败待重试",
    /* OUTBOX_DEAD */ "已放弃",
    /* OUTBOX_SKIPPED */ "已跳过",
};

const char *
outbox_status_zh(enum outbox_status s)
{
	return s > OUTBOX_STATUS_ANY && s < OUTBOX_STATUS__MAX
	    ? outbox_status_zh_names[s]
	    : "";
}

const char *
outbox_reason_zh(const char *reason)
{
	static const struct {
		const char *en, *zh;
	} known[] = {
	    {"superseded", "已被更新的通知取代"},
	    {"no longer a speaker", "收件人已不再是本活动的主讲人"},
	    {"the participant turned SMS off", "参与者已关闭短信"},
	    {"the channel is turned off in the configuration",
	        "该渠道已在配置中关闭"},
	    {"nothing to send", "收件人已不存在，无需发送"},
	    {"nothing to send: recipient gone", "收件人已不存在，无需发送"},
	};
	size_t i;

	if (reason == NULL)
		return NULL;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(reason, known[i].en) == 0)
			return known[i].zh;
	return NULL;
}
