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
	return api_found_or_reply(r, rc, "没有这个提醒链接");
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
	struct registration g;
	struct store *st;
	const char *via;
	int on, rc;

	if (!api_enabled_or_reply(r, &on))
		return http_req_status(r);
	st = api_store(r);
	if (!load_or_reply(r, st, &g, &via))
		return http_req_status(r);
	if (svc_registration_reminders(st, &g, on) < 0)
		rc = api_reply_store_error(r);
	else
		rc = reply_state(r, st, &g, via, on);
	registration_free(&g);
	return rc;
}
