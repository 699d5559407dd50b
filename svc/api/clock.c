/*
 * The service's clock. Tests of time-dependent behaviour (reminders,
 * survey windows, feed windows) move it with PUT /api/v1/_clock instead
 * of sleeping; the route exists only when HEARTH_FAKE_CLOCK=1, and the
 * server warns at start when it does.
 */
#include <stdatomic.h>

#include "api.h"

/* Seconds added to the real time; 0 without a fake clock. */
static atomic_llong offset;

time_t
api_now(void)
{
	return time(NULL) + (time_t)atomic_load(&offset);
}

int
api_clock_put(struct http_req *r)
{
	static const struct vfield f[] = {
		{.name = "now", .type = VT_TIME, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	time_t want;

	if (!api_config()->fake_clock)
		return http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "no such resource");
	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	time_parse_rfc3339(json_string_value(json_object_get(body, "now")),
	    &want);
	atomic_store(&offset, (long long)(want - time(NULL)));
	/* Reminders may have come due: the mailer looks at once. */
	if (api_config()->mail_wake != NULL)
		api_config()->mail_wake();
	return http_reply_json(r, 200, json_pack("{s:o}", "now",
	    api_time_json(api_now())));
}
