/*
 * Leave that waits for the coordinator (issue 13): the bureau's setting
 * and the notices a request, a decision or leave taking effect at once
 * send through the existing roster notices (mail to the counsellor, the
 * stations' and the district's robots for the coordinators).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

#define SETTING "leave_needs_approval"

int
svc_leave_needs_approval(struct store *st)
{
	char *v = NULL;
	int on = 1;

	if (store_setting_get(st, SETTING, &v) > 0 && v != NULL)
		on = strcmp(v, "0") != 0;
	free(v);
	return on;
}

int
svc_leave_set_needs_approval(struct store *st, int on)
{
	return store_setting_set(st, SETTING, on ? "1" : "0") < 0 ? -1 : 0;
}

int
svc_leave_notice(struct store *st, const struct availability *a,
    enum svc_leave_notice what, int64_t shift_id)
{
	static const char *const heads[] = {
	    [LEAVE_NOTICE_ASKED] = "申请请假，待审批",
	    [LEAVE_NOTICE_TAKEN] = "请假已生效（无需审批），请调整班次",
	    [LEAVE_NOTICE_APPROVED] = "请假已批准",
	    [LEAVE_NOTICE_REFUSED] = "请假未获批准",
	};
	struct counsellor c;
	struct strbuf b = {0}, m = {0};
	char *line = NULL, *mine = NULL;
	const struct tz *z = tzdb_default();
	int rc;

	if ((rc = store_counsellor_get(st, a->counsellor_id, &c)) <= 0)
		return rc < 0 ? -1 : 0;
	/* For the coordinators: "王老师 请假已批准：3月2日（周一）09:00–…" */
	strbuf_printf(&b, "%s %s：", c.name, heads[what]);
	notify_span_zh(&b, a->start_at, a->end_at, z);
	if (a->reason && a->reason[0])
		strbuf_printf(&b, "（%s）", a->reason);
	rc = (line = strbuf_take(&b, NULL)) == NULL ? -1 : 0;
	if (rc == 0 && c.home_station_id != 0)
		rc = svc_channel_station_line(st, c.home_station_id, line);
	if (rc == 0 &&
	    (what == LEAVE_NOTICE_APPROVED || what == LEAVE_NOTICE_REFUSED)) {
		/* For the counsellor: "请假已批准：3月2日（周一）…" */
		strbuf_printf(&m, "%s：", heads[what]);
		notify_span_zh(&m, a->start_at, a->end_at, z);
		if (a->decision_note && a->decision_note[0])
			strbuf_printf(&m, "（%s）", a->decision_note);
		rc = (mine = strbuf_take(&m, NULL)) == NULL
		    ? -1
		    : svc_mail_roster_line(st, c.id, shift_id, mine);
	}
	free(line);
	free(mine);
	counsellor_free(&c);
	return rc;
}
