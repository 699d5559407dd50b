/*
 * The reminders link of mails (/u/{token}, issue 17): with the opt-out
 * token a reader sees which activity and turns its reminders off or on,
 * and nothing else (no name, no cancelling). The registration token,
 * which links of older mails carry, opens the same view.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* The registration of the path's token: the opt-out token, else the
 * registration token; *via says which. Replies and returns 0. */
static int
load_or_reply(struct http_req *r, struct store *st, struct registration *g,
    const char **via)
{
	int rc = store_registration_by_optout(st, http_req_tok(r, 0), g);

	*via = "optout";
	if (rc == 0) {
		rc = store_registration_get_by_token(st, http_req_tok(r, 0), g);
		*via = "registration";
	}
	if (rc <= 0)
		api_reply_not_found(r, rc, "没有这个提醒链接");
	return rc > 0;
}

static int
reply_state(struct http_req *r, struct store *st, const struct registration *g,
    const char *via, int on)
{
	struct station s;
	struct event e;
	int rc, has_station = 0;

	if ((rc = store_event_get(st, g->event_id, &e)) <= 0)
		return api_reply_store_error(r);
	if (e.station_id != 0 &&
	    (has_station = store_station_get(st, e.station_id, &s)) < 0) {
		event_free(&e);
		return api_reply_store_error(r);
	}
	rc = http_reply_json(r, 200,
	    json_pack(
	        "{s:s, s:{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s}, s:b, s:b, s:s}",
	        "status", registration_status_names[g->status], "event", "id",
	        (json_int_t)e.id, "kind", e.kind, "title", e.title, "start",
	        tzdb_time_json(e.start_at), "end", tzdb_time_json(e.end_at),
	        "status", event_status_names[e.status], "station_name",
	        has_station > 0 ? s.name : "", "venue", e.venue, "reminders",
	        on, "has_email", g->email != NULL && g->email[0] != '\0', "via",
	        via));
	if (has_station > 0)
		station_free(&s);
	event_free(&e);
	return rc;
}

int
api_reminders_get(struct http_req *r)
{
	struct registration g;
	struct store *st;
	const char *via;
	int rc;

	st = api_store(r);
	if (!load_or_reply(r, st, &g, &via))
		return http_req_status(r);
	rc = reply_state(r, st, &g, via, !g.reminders_opt_out);
	registration_free(&g);
	return rc;
}

int
api_reminders_put(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "enabled", .type = VT_BOOL, .required = 1},
	};
	json_t *body = http_req_json(r);
	struct svc_mail_cause why = {0};
	struct registration g;
	struct herror err;
	struct store *st;
	const char *via;
	int on, rc;

	if (!valid_object(body, f, 1, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	if (!load_or_reply(r, st, &g, &via))
		return http_req_status(r);
	on = json_is_true(json_object_get(body, "enabled"));
	why.registration_id = g.id;
	/* Off skips what is queued; on queues the reminders still ahead. */
	if (store_registration_set_opt_out(st, g.id, !on, svc_now()) <= 0 ||
	    svc_mail_event(st, g.event_id, &why) < 0)
		rc = api_reply_store_error(r);
	else
		rc = reply_state(r, st, &g, via, on);
	registration_free(&g);
	return rc;
}
