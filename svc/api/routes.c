/*
 * The route table: every URL Hearth answers, its method, who may call
 * it, what body it takes and how large. The dispatcher in http/ enforces
 * all of it before a handler runs; adding an endpoint is adding a row.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"

#define JSON_BODY (ROUTE_JSON | ROUTE_WRITE)
#define KB 1024

const struct route api_routes[] = {
	{HTTP_GET, "/healthz", api_healthz, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/metrics", api_metrics, ROUTE_PUBLIC, 0, NULL},

	{HTTP_POST, "/api/v1/session", api_session_create,
	    ROUTE_PUBLIC | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/session", api_session_get, ROUTE_COUNSELLOR, 0,
	    NULL},
	{HTTP_DELETE, "/api/v1/session", api_session_delete,
	    ROUTE_COUNSELLOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/stations", api_station_list, ROUTE_COORDINATOR,
	    0, NULL},
	{HTTP_POST, "/api/v1/stations", api_station_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_GET, "/api/v1/stations/{id}", api_station_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/stations/{id}", api_station_update,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_DELETE, "/api/v1/stations/{id}", api_station_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/counsellors", api_counsellor_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/counsellors", api_counsellor_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_GET, "/api/v1/counsellors/{id}", api_counsellor_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/counsellors/{id}", api_counsellor_update,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_DELETE, "/api/v1/counsellors/{id}", api_counsellor_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/counsellors/{id}/rotate-feed-token",
	    api_counsellor_rotate_token, ROUTE_COORDINATOR | ROUTE_WRITE, 0,
	    NULL},

	{HTTP_GET, "/api/v1/events", api_event_list, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/events", api_event_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_GET, "/api/v1/events.csv", api_events_csv, ROUTE_COORDINATOR,
	    0, NULL},
	{HTTP_POST, "/api/v1/events/import", api_events_import,
	    ROUTE_COORDINATOR | ROUTE_RAW | ROUTE_WRITE, 1024 * KB,
	    "text/csv"},
	{HTTP_GET, "/api/v1/events/{id}", api_event_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_PATCH, "/api/v1/events/{id}", api_event_update,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_POST, "/api/v1/events/{id}/reschedule", api_event_reschedule,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_POST, "/api/v1/events/{id}/cancel", api_event_cancel,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/events/{id}/history", api_event_history,
	    ROUTE_COORDINATOR, 0, NULL},

	{HTTP_GET, "/api/v1/plans", api_plan_list, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/plans", api_plan_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_GET, "/api/v1/plans/{id}", api_plan_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_PATCH, "/api/v1/plans/{id}", api_plan_update,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_DELETE, "/api/v1/plans/{id}", api_plan_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/plans/{id}/progress", api_plan_progress,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/plans/{id}/propose", api_plan_propose,
	    ROUTE_COORDINATOR | ROUTE_JSON, 4 * KB, NULL},
	{HTTP_POST, "/api/v1/plans/{id}/accept", api_plan_accept,
	    ROUTE_COORDINATOR | JSON_BODY, 256 * KB, NULL},

	{HTTP_GET, "/api/v1/audit", api_audit_list, ROUTE_COORDINATOR, 0,
	    NULL},
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

static struct api_config config;

void
api_init(const struct api_config *c)
{
	config = *c;
}

const struct api_config *
api_config(void)
{
	return &config;
}

int
api_authenticate(const char *token, struct http_principal *p)
{
	struct store *st = store_thread();
	struct user u;
	char hash[SECRET_HASH_HEX];
	int rc;

	if (st == NULL)
		return 0;
	secret_token_hash(token, hash);
	rc = store_session_user(st, hash, time(NULL), &u, NULL);
	if (rc <= 0)
		return 0;
	memset(p, 0, sizeof(*p));
	p->user_id = u.id;
	p->role = u.role == ROLE_COORDINATOR ? HTTP_ROLE_COORDINATOR
	    : u.role == ROLE_COUNSELLOR ? HTTP_ROLE_COUNSELLOR : HTTP_ROLE_NONE;
	p->counsellor_id = u.counsellor_id;
	snprintf(p->username, sizeof(p->username), "%s", u.username);
	memcpy(p->token_hash, hash, sizeof(hash));
	user_free(&u);
	return p->role != HTTP_ROLE_NONE;
}

int
api_begin(void)
{
	struct store *st = store_thread();

	return st ? store_begin(st) : -1;
}

int
api_commit(void)
{
	struct store *st = store_thread();

	return st ? store_commit(st) : -1;
}

void
api_rollback(void)
{
	struct store *st = store_thread();

	if (st != NULL)
		store_rollback(st);
}
