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
	{HTTP_GET, "/metrics", api_metrics, ROUTE_COORDINATOR | ROUTE_METRICS,
	    0, NULL},

	{HTTP_GET, "/feeds/counsellors/{tok}.ics", api_feed_counsellor,
	    ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/feeds/stations/{tok}.ics", api_feed_station,
	    ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/feeds/events.ics", api_feed_events, ROUTE_PUBLIC, 0,
	    NULL},
	{HTTP_GET, "/feeds/qr.svg", api_feed_qr, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/api/v1/feeds/info", api_feed_info, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/api/v1/feeds/health", api_feed_health, ROUTE_COORDINATOR,
	    0, NULL},

	{HTTP_POST, "/api/v1/session", api_session_create,
	    ROUTE_PUBLIC | ROUTE_JSON, 4 * KB, NULL},
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
	    ROUTE_COORDINATOR | ROUTE_RAW | ROUTE_SLOW, 8 * 1024 * KB,
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

	{HTTP_GET, "/api/v1/shift-templates", api_template_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/shift-templates", api_template_create,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_GET, "/api/v1/shift-templates/{id}", api_template_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/shift-templates/{id}", api_template_update,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_DELETE, "/api/v1/shift-templates/{id}", api_template_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/shifts", api_shift_list, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/shifts", api_shift_create,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_POST, "/api/v1/shifts/swap", api_shift_swap,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/shifts/{id}", api_shift_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_PATCH, "/api/v1/shifts/{id}", api_shift_update,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_DELETE, "/api/v1/shifts/{id}", api_shift_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/availability", api_availability_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/availability", api_availability_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/availability/{id}", api_availability_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/availability/{id}", api_availability_update,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/availability/{id}", api_availability_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/holidays", api_holiday_list, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/holidays", api_holiday_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_POST, "/api/v1/holidays/import", api_holiday_import,
	    ROUTE_COORDINATOR | ROUTE_RAW | ROUTE_WRITE, 1024 * KB,
	    "text/calendar"},
	{HTTP_GET, "/api/v1/holidays/{id}", api_holiday_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/holidays/{id}", api_holiday_update,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/holidays/{id}", api_holiday_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_POST, "/api/v1/rosters/generate", api_roster_generate,
	    ROUTE_COORDINATOR | JSON_BODY | ROUTE_SLOW, 16 * KB, NULL},
	{HTTP_GET, "/api/v1/rosters/coverage", api_roster_coverage,
	    ROUTE_COORDINATOR, 0, NULL},

	{HTTP_POST, "/api/v1/counsellors/{id}/account", api_counsellor_account,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/me", api_me, ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/me", api_me_update, ROUTE_COUNSELLOR | JSON_BODY,
	    1 * KB, NULL},
	{HTTP_GET, "/api/v1/me/shifts", api_me_shifts, ROUTE_COUNSELLOR, 0,
	    NULL},
	{HTTP_GET, "/api/v1/me/availability", api_me_availability_list,
	    ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_POST, "/api/v1/me/availability", api_me_availability_create,
	    ROUTE_COUNSELLOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/me/availability/{id}",
	    api_me_availability_delete, ROUTE_COUNSELLOR | ROUTE_WRITE, 0,
	    NULL},
	{HTTP_GET, "/api/v1/swap-requests", api_swap_list, ROUTE_COUNSELLOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/swap-requests", api_swap_create,
	    ROUTE_COUNSELLOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_POST, "/api/v1/swap-requests/{id}/approve", api_swap_approve,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/swap-requests/{id}/reject", api_swap_reject,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/e/{id}", api_page_event, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/r/{tok}", api_page_registration, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/c/{tok}", api_page_checkin, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/s/{tok}", api_page_survey, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/api/v1/public/events/{id}", api_public_event,
	    ROUTE_PUBLIC, 0, NULL},
	{HTTP_POST, "/api/v1/events/{id}/registrations",
	    api_registration_create, ROUTE_PUBLIC | JSON_BODY, 4 * KB, NULL},
	{HTTP_GET, "/api/v1/events/{id}/registrations", api_registration_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/registrations/{tok}", api_registration_get,
	    ROUTE_PUBLIC, 0, NULL},
	{HTTP_DELETE, "/api/v1/registrations/{tok}", api_registration_cancel,
	    ROUTE_PUBLIC | ROUTE_WRITE, 0, NULL},
	{HTTP_PUT, "/api/v1/registrations/{tok}/reminders",
	    api_registration_reminders, ROUTE_PUBLIC | JSON_BODY, 1 * KB, NULL},
	{HTTP_GET, "/u/{tok}", api_page_unsubscribe, ROUTE_PUBLIC, 0, NULL},
	{HTTP_GET, "/registrations/{tok}/qr.svg", api_registration_qr,
	    ROUTE_PUBLIC, 0, NULL},
	{HTTP_POST, "/api/v1/checkin/{tok}", api_checkin,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/events/{id}/attendance", api_attendance_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/events/{id}/attendance", api_attendance_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_PATCH, "/api/v1/attendance/{id}", api_attendance_update,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/attendance/{id}", api_attendance_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/survey-templates", api_survey_template_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/survey-templates", api_survey_template_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_GET, "/api/v1/survey-templates/{id}", api_survey_template_get,
	    ROUTE_COORDINATOR, 0, NULL},
	/* Before /surveys/{tok}, which would take "tallies" as a token. */
	{HTTP_GET, "/api/v1/surveys/tallies", api_tally_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/surveys/{tok}", api_survey_get, ROUTE_PUBLIC, 0,
	    NULL},
	{HTTP_POST, "/api/v1/surveys/responses", api_survey_submit,
	    ROUTE_PUBLIC | JSON_BODY, 32 * KB, NULL},
	{HTTP_GET, "/api/v1/events/{id}/survey-results", api_survey_results,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/events/{id}/survey-results.csv",
	    api_survey_results_csv, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/events/{id}/anonymous-survey",
	    api_survey_anonymous, ROUTE_COORDINATOR | JSON_BODY, 1 * KB, NULL},
	{HTTP_GET, "/api/v1/settings", api_settings_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_PUT, "/api/v1/settings", api_settings_put,
	    ROUTE_COORDINATOR | JSON_BODY, 1 * KB, NULL},
	{HTTP_POST, "/api/v1/privacy/purge", api_privacy_purge,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	{HTTP_GET, "/api/v1/indicators", api_indicator_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PUT, "/api/v1/indicators/{tok}", api_indicator_put,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_GET, "/api/v1/reports/indicators.csv", api_report_csv,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/reports/indicators.xlsx", api_report_xlsx,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/reports/actuals", api_report_actuals,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/reports/activities.csv", api_activities_csv,
	    ROUTE_COORDINATOR, 0, NULL},

	/* evaluation frameworks (framework.c, indicator.c) */
	{HTTP_GET, "/api/v1/frameworks", api_framework_list,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/frameworks", api_framework_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_POST, "/api/v1/frameworks/import", api_framework_import,
	    ROUTE_COORDINATOR | ROUTE_RAW | ROUTE_WRITE, 512 * KB,
	    "text/csv"},
	{HTTP_GET, "/api/v1/frameworks/{id}", api_framework_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PATCH, "/api/v1/frameworks/{id}", api_framework_update,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/frameworks/{id}", api_framework_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/indicators", api_indicator_create,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_PATCH, "/api/v1/indicators/{tok}", api_indicator_patch,
	    ROUTE_COORDINATOR | JSON_BODY, 64 * KB, NULL},
	{HTTP_DELETE, "/api/v1/indicators/{tok}", api_indicator_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/indicator-sources", api_indicator_sources,
	    ROUTE_COORDINATOR, 0, NULL},

	{HTTP_GET, "/api/v1/outbox", api_outbox_list, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_GET, "/api/v1/outbox/{id}", api_outbox_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/outbox/{id}/retry", api_outbox_retry,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/audit", api_audit_list, ROUTE_COORDINATOR, 0,
	    NULL},

	/* Duty metrics and logs (值班记录), the duty report. */
	{HTTP_GET, "/api/v1/duty-metrics", api_duty_metric_list,
	    ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_POST, "/api/v1/duty-metrics", api_duty_metric_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_PATCH, "/api/v1/duty-metrics/{tok}", api_duty_metric_update,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/duty-metrics/{tok}", api_duty_metric_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/shifts/{id}/log", api_duty_log_get,
	    ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_PUT, "/api/v1/shifts/{id}/log", api_duty_log_put,
	    ROUTE_COUNSELLOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_GET, "/api/v1/duty-logs", api_duty_log_list, ROUTE_COUNSELLOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/duty-logs/close", api_duty_logs_close,
	    ROUTE_COORDINATOR | JSON_BODY, 1 * KB, NULL},
	{HTTP_GET, "/api/v1/reports/duty", api_duty_report, ROUTE_COORDINATOR,
	    0, NULL},
	{HTTP_GET, "/api/v1/reports/duty.csv", api_duty_report_csv,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/reports/duty.xlsx", api_duty_report_xlsx,
	    ROUTE_COORDINATOR, 0, NULL},
	/* Key cases (重点个案), counselling surveys and paper tallies. */
	{HTTP_GET, "/api/v1/cases", api_case_list, ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_POST, "/api/v1/cases", api_case_create,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_GET, "/api/v1/cases/{id}", api_case_get, ROUTE_COUNSELLOR, 0,
	    NULL},
	{HTTP_PATCH, "/api/v1/cases/{id}", api_case_update,
	    ROUTE_COORDINATOR | JSON_BODY, 16 * KB, NULL},
	{HTTP_DELETE, "/api/v1/cases/{id}", api_case_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/cases/{id}/sessions", api_case_session_create,
	    ROUTE_COUNSELLOR | JSON_BODY, 8 * KB, NULL},
	{HTTP_DELETE, "/api/v1/cases/{id}/sessions/{id}",
	    api_case_session_delete, ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/cases/{id}/follow-ups", api_case_follow_up_create,
	    ROUTE_COORDINATOR | JSON_BODY, 8 * KB, NULL},
	{HTTP_PATCH, "/api/v1/cases/{id}/follow-ups/{id}",
	    api_case_follow_up_update, ROUTE_COUNSELLOR | JSON_BODY, 8 * KB,
	    NULL},
	{HTTP_DELETE, "/api/v1/cases/{id}/follow-ups/{id}",
	    api_case_follow_up_delete, ROUTE_COORDINATOR | ROUTE_WRITE, 0,
	    NULL},
	{HTTP_GET, "/api/v1/me/follow-ups", api_me_follow_ups,
	    ROUTE_COUNSELLOR, 0, NULL},
	{HTTP_GET, "/api/v1/stations/{id}/survey-link",
	    api_station_survey_link_get, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/stations/{id}/survey-link",
	    api_station_survey_link, ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_DELETE, "/api/v1/stations/{id}/survey-link",
	    api_station_survey_link_delete, ROUTE_COORDINATOR | ROUTE_WRITE, 0,
	    NULL},
	{HTTP_GET, "/api/v1/stations/{id}/survey-qr.svg",
	    api_station_survey_qr, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/stations/{id}/survey-results",
	    api_station_survey_results, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_POST, "/api/v1/surveys/tallies", api_tally_create,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/surveys/tallies/{id}", api_tally_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},

	/* Channels beside e-mail: group robots and SMS. */
	{HTTP_GET, "/api/v1/channels", api_channels_get, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_PUT, "/api/v1/robots/{tok}", api_district_robot_put,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/robots/{tok}", api_district_robot_delete,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/robots/{tok}/test", api_district_robot_test,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/stations/{id}/robots", api_station_robots_get,
	    ROUTE_COORDINATOR, 0, NULL},
	{HTTP_PUT, "/api/v1/stations/{id}/robots/{tok}", api_station_robot_put,
	    ROUTE_COORDINATOR | JSON_BODY, 4 * KB, NULL},
	{HTTP_DELETE, "/api/v1/stations/{id}/robots/{tok}",
	    api_station_robot_delete, ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/stations/{id}/robots/{tok}/test",
	    api_station_robot_test, ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_PUT, "/api/v1/registrations/{tok}/sms", api_registration_sms,
	    ROUTE_PUBLIC | JSON_BODY, 1 * KB, NULL},

	/* Accounts (issue 17). */
	{HTTP_GET, "/api/v1/counsellors/{id}/account",
	    api_counsellor_account_get, ROUTE_COORDINATOR, 0, NULL},
	{HTTP_GET, "/api/v1/users", api_user_list, ROUTE_COORDINATOR, 0,
	    NULL},
	{HTTP_POST, "/api/v1/users/{id}/disable", api_user_disable,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/users/{id}/enable", api_user_enable,
	    ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_POST, "/api/v1/users/{id}/reset-password",
	    api_user_reset_password, ROUTE_COORDINATOR | ROUTE_WRITE, 0, NULL},
	{HTTP_PUT, "/api/v1/me/password", api_me_password,
	    ROUTE_COUNSELLOR | JSON_BODY, 1 * KB, NULL},
	{HTTP_GET, "/api/v1/reminders/{tok}", api_reminders_get, ROUTE_PUBLIC,
	    0, NULL},
	{HTTP_PUT, "/api/v1/reminders/{tok}", api_reminders_put,
	    ROUTE_PUBLIC | JSON_BODY, 1 * KB, NULL},

	/* Last: left out of the table unless the fake clock is on. */
	{HTTP_PUT, "/api/v1/_clock", api_clock_put,
	    ROUTE_COORDINATOR | ROUTE_JSON, 1 * KB, NULL},
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);


const struct route *
api_route_table(size_t *n)
{
	*n = svc_config()->fake_clock ? api_nroutes : api_nroutes - 1;
	return api_routes;
}

void
api_init(void)
{
	const struct svc_config *c = svc_config();

	api_limit_config(LIMIT_LOGIN, c->login_max_failures_address > 0
	    ? c->login_max_failures_address : 10 * c->login_max_failures,
	    c->login_window_s);
	api_limit_config(LIMIT_LOGIN_ACCOUNT, c->login_max_failures,
	    c->login_window_s);
	api_rate_config(RATE_PUBLIC_WRITE, c->public_write_rate);
	api_limit_config(LIMIT_REGISTER, 20, 3600);
	api_limit_config(LIMIT_ANON_SURVEY, 10, 3600);
}

int
api_authenticate(const char *token, struct http_principal *p)
{
	struct store *st = store_thread();
	struct user u;
	char hash[SECRET_HASH_HEX];
	int rc;

	if (st == NULL)
		return -1;
	secret_token_hash(token, hash);
	rc = store_session_user(st, hash, time(NULL), &u, NULL);
	if (rc <= 0)
		return rc;
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

void *
api_acquire(void)
{
	struct store *st = store_thread();

	if (st != NULL)
		store_clear_failure(st);
	return st;
}

struct store *
api_store(const struct http_req *r)
{
	return http_req_ctx(r);
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

	/* A commit that queued mail wakes the senders: the store's hook. */
	return st ? store_commit(st) : -1;
}

int
api_retry(void)
{
	struct store *st = store_thread();

	return st != NULL && store_last_failure(st) == STORE_FAILURE_RETRY;
}

void
api_rollback(void)
{
	struct store *st = store_thread();

	if (st != NULL)
		store_rollback(st);
}
