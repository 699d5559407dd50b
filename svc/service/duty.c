/*
 * Duty logs (值班记录) beyond their pure rules (core/duty.c): the month
 * closing kept in the settings, and what closing does to the reminders
 * still waiting.
 */
#include <stdio.h>
#include <stdlib.h>

#include "service.h"

#define CLOSED_KEY "duty_logs_closed_through"

int
svc_duty_closed_through(struct store *st, int64_t *day)
{
	char *v = NULL;
	int rc = store_setting_get(st, CLOSED_KEY, &v);

	*day = DUTY_NOT_CLOSED;
	if (rc < 0)
		return -1;
	if (rc > 0 && !duty_closed_parse(v, day)) {
		log_msg(LOG_WARN,
		    "msg=\"duty: unreadable close date\" "
		    "value=\"%.20s\"",
		    v);
		*day = DUTY_NOT_CLOSED;
	}
	free(v);
	return 1;
}

int
svc_duty_close(struct store *st, int64_t day, int64_t *before)
{
	char through[11];

	if (svc_duty_closed_through(st, before) < 0)
		return -1;
	time_format_date(day, through);
	/* Reminders of shifts that are now closed would ask for the
	 * impossible. */
	if (store_setting_set(st, CLOSED_KEY, through) < 0 ||
	    store_duty_outbox_skip(st, 0, tzdb_day_start(day + 1),
	        "已关账，不再提醒") < 0)
		return -1;
	return 1;
}
