/*
 * PUT /api/v1/_clock: tests of time-dependent behaviour (reminders,
 * survey windows, feed windows) move the service's clock (service/clock.c)
 * instead of sleeping; the route exists only when HEARTH_FAKE_CLOCK=1,
 * and the server warns at start when it does.
 */
#include "api.h"

int
api_clock_put(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "now", .type = VT_TIME, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct herror err;
	time_t want;

	if (!svc_config()->fake_clock)
		return http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "没有这个资源");
	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	time_parse_rfc3339(json_string_value(json_object_get(body, "now")),
	    &want);
	/* Reminders may have come due: the senders look at once. */
	svc_clock_set(want);
	/* Other instances on the database take it up (issue 16). */
	if (svc_clock_share(api_store(r)) < 0)
		return api_reply_store_error(r);
	return http_reply_json(r, 200,
	    json_pack("{s:o}", "now", tzdb_time_json(svc_now())));
}
