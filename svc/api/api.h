/*
 * The API layer: one handler file per resource. Handlers validate input
 * (core), call the store and reply (http); they hold no SQL and no MHD.
 */
#ifndef HEARTH_API_H
#define HEARTH_API_H

#include "../core/core.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../service/service.h"

/* routes.c */
extern const struct route api_routes[];
extern const size_t api_nroutes;
/* The route table to serve: with PUT /api/v1/_clock only when the fake
 * clock is enabled (otherwise the route does not exist: 404). */
const struct route *api_route_table(size_t *n);

/* dispatch.c */
/* Sets the rate limits from svc_config() (after svc_configure). */
void api_init(void);
/* http_app callbacks */
int api_authenticate(const char *token, struct http_principal *);
/* The calling thread's store for the dispatcher (NULL: 503). */
void *api_acquire(void);
/* The store the dispatcher acquired for this request: never NULL in a
 * handler. */
struct store *api_store(const struct http_req *);
int api_begin(void);
int api_commit(void);
/* The batch's commit in two halves (http_app.commit_deferred, sync). */
int api_commit_deferred(void **ticket);
int api_sync(void *ticket);
/* The calling thread lets its store go (http_app.idle). */
void api_idle(void);
void api_rollback(void);
/* Whether the failed write may run again (store: a serialization
 * failure). */
int api_retry(void);
/* ROUTE_BATCH: a request's savepoint, its release and its rollback
 * (surveycpu). */
int api_savepoint(void);
int api_release(void);
int api_rollback_to(void);

/* clock.c */
int api_clock_put(struct http_req *);

/* common.c */
/* Reads limit/offset; 0 after a 422 reply. */
int api_page_or_reply(struct http_req *, struct store_page *);
/* Reads ?name=true|false|all (default def: -1 all, 0, 1); 0 after a
 * 422 reply. */
int api_bool_query_or_reply(struct http_req *, const char *name, int def,
    int *out);
/* Reads an optional positive id parameter (0 when absent). */
int api_id_query_or_reply(struct http_req *, const char *name, int64_t *);
/* Replies the validation error (or bad_request) err describes. */
int api_reply_invalid(struct http_req *, const struct herror *);
/* The validator's own words, under a Chinese lead: 输入有误（…）. */
int api_reply_invalid_zh(struct http_req *, const struct herror *);
/* Replies 200 with the QR code of text as SVG (500 when it cannot be
 * made). */
int api_reply_qr(struct http_req *, const char *text);
/* The reply to a store call that failed (rc < 0): 409 for a reference
 * still in use or a duplicate, 422 for a broken rule, else 500 (the store
 * has logged the failure). Only after a store call. */
int api_reply_store_error(struct http_req *);
/* 500 for anything else that failed (out of memory, a temporary file,
 * QR generation): logs what with the request's method and path. */
int api_reply_internal(struct http_req *, const char *what);
/* The reply to a lookup that found nothing or failed (rc of a store
 * call): rc < 0 the store error, else 404 saying what. */
int api_reply_not_found(struct http_req *, int rc, const char *what);
/* A list reply {"items":[…],"total":N}; items is stolen. */
int api_reply_list(struct http_req *, json_t *items, int64_t total);
/* Writes the audit row for the signed-in user; detail may be NULL. */
int api_audit(struct http_req *, struct store *, const char *action,
    const char *entity, int64_t id, const json_t *detail);

/* Replaces *dst with the trimmed string of body[key] when the key is
 * present; a JSON null makes it "". 0 on allocation failure. */
int api_take_str(const json_t *body, const char *key, char **dst);

/* Reads ?from=&to= dates (YYYY-MM-DD, Asia/Shanghai days) into UTC
 * bounds [from 00:00, to+1 00:00); 0 after a 422 reply. Absent → 0. */
int api_day_range_or_reply(struct http_req *, time_t *from, time_t *to);
/* Reads an optional query value that must be one of choices. */
int api_enum_query_or_reply(struct http_req *, const char *name,
    const char *const *choices, const char **out);
/* The same for a state: names is a table of core/state.c; *out its
 * index (0, "any", when absent). */
int api_state_query_or_reply(struct http_req *, const char *name,
    const char *const *names, int *out);
/* The types of the files the console downloads. */
#define API_TYPE_CSV "text/csv; charset=utf-8"
#define API_TYPE_XLSX \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* Replies 200 with the file buf (len bytes, of type) to be saved under
 * the name name_fmt makes (printf); frees buf. */
int api_reply_file(struct http_req *, const char *type, char *buf, size_t len,
    const char *name_fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reads the body {"enabled": true|false} of a switch into *on; 0 after
 * a 422 reply. */
int api_enabled_or_reply(struct http_req *, int *on);
/* Whether a lookup found its row (rc of a store call > 0); else 0 after
 * api_reply_not_found(r, rc, what). */
int api_found_or_reply(struct http_req *, int rc, const char *what);
/* The same with the 404's field (may be NULL) and message: rc < 0 the
 * store's error, rc == 0 404 {field, message}; rc > 0 returns 1. */
int api_found_field_or_reply(struct http_req *, int rc, const char *field,
    const char *message);
/* Sets the Location of what a request created: the path fmt makes. */
void api_location(struct http_req *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Replies 201 with body (stolen) and the Location fmt makes. */
int api_reply_created(struct http_req *, json_t *body, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The request's JSON body when valid_object(fields, n, mode) takes it;
 * NULL after the 422 reply (api_reply_invalid). */
json_t *api_body_or_reply(struct http_req *, const struct vfield *fields,
    size_t n, int mode);
/* The end of a delete of entity id, rc the store call's: > 0 audited
 * and 204; 0 the 404 missing says (NULL: as < 0); < 0 the store error. */
int api_reply_deleted(struct http_req *, struct store *, int rc,
    const char *entity, int64_t id, const char *missing);
/* DELETE of the row of the path's id by del, as api_reply_deleted. */
int api_delete_by_id(struct http_req *, int (*del)(struct store *, int64_t),
    const char *entity, const char *missing);
/* Whether a row body refers to exists (rc of a store lookup > 0); else
 * 0 after the store error (rc < 0) or a 422 naming field with message. */
int api_ref_or_reply(struct http_req *, int rc, const char *field,
    const char *message);
/* Whether the event of the path (its first id) exists; else 0 after the
 * 404 or the store error. */
int api_event_found_or_reply(struct http_req *, struct store *);

/* limit.c */
/* LIMIT_LOGIN counts failed sign-ins per client address (a success
 * never resets it), LIMIT_LOGIN_ACCOUNT per user name. */
enum api_limit {
	LIMIT_LOGIN,
	LIMIT_REGISTER,
	LIMIT_ANON_SURVEY,
	LIMIT_LOGIN_ACCOUNT,
	LIMIT__MAX
};
/* At most max counted events per key in each window of window_s. */
void api_limit_config(enum api_limit, int max, int window_s);
/* Whether key has used up its window. */
int api_limit_reached(enum api_limit, const char *key);
/* 0 when key may go on, else the seconds until its window ends. */
int api_limit_wait(enum api_limit, const char *key);
void api_limit_count(enum api_limit, const char *key);
void api_limit_reset(enum api_limit, const char *key);
/* Request rates per key (token buckets): RATE_PUBLIC_WRITE bounds the
 * public writes without a personal token (sign-ins, registrations,
 * anonymous survey answers) per client address. */
enum api_rate {
	RATE_PUBLIC_WRITE,
	RATE__MAX
};
/* per_minute requests a minute, the same number at once; 0 = no limit. */
void api_rate_config(enum api_rate, int per_minute);
/* Takes one request of key: 0 when allowed, else the seconds to wait. */
int api_rate_take(enum api_rate, const char *key);
/* Replies 429 with Retry-After: wait seconds. */
int api_reply_rate_limited(struct http_req *, int wait, const char *msg);
/* The set of the tables key falls in (0 … 255, a secret hash of the
 * key): the unit tests pick keys of one set, or of others. */
int api_limit_set(const char *key);

/* session.c */
int api_session_create(struct http_req *);
int api_session_get(struct http_req *);
int api_session_delete(struct http_req *);

/* station.c */
int api_station_list(struct http_req *);
int api_station_get(struct http_req *);
int api_station_create(struct http_req *);
int api_station_update(struct http_req *);
int api_station_delete(struct http_req *);

/* counsellor.c */
int api_counsellor_list(struct http_req *);
int api_counsellor_get(struct http_req *);
int api_counsellor_create(struct http_req *);
int api_counsellor_update(struct http_req *);
int api_counsellor_delete(struct http_req *);
int api_counsellor_rotate_token(struct http_req *);

/* event.c */
json_t *api_event_json(const struct event *);
/* Defaults of a new event (caller frees with event_free); 0 on OOM. */
int api_event_prepare(struct event *);
int api_event_list(struct http_req *);
int api_event_get(struct http_req *);
int api_event_create(struct http_req *);
int api_event_update(struct http_req *);
int api_event_reschedule(struct http_req *);
int api_event_cancel(struct http_req *);
int api_event_history(struct http_req *);

/* outbox.c */
int api_outbox_list(struct http_req *);
int api_outbox_get(struct http_req *);
int api_outbox_retry(struct http_req *);

/* plan.c */
int api_plan_list(struct http_req *);
int api_plan_get(struct http_req *);
int api_plan_create(struct http_req *);
int api_plan_update(struct http_req *);
int api_plan_delete(struct http_req *);
int api_plan_progress(struct http_req *);
int api_plan_propose(struct http_req *);
int api_plan_accept(struct http_req *);

/* event_csv.c */
int api_events_csv(struct http_req *);
/* The activity catalogue of the reports: held events as CSV. */
int api_activities_csv(struct http_req *);
int api_events_import(struct http_req *);

/* shift.c */
json_t *api_shift_json(const struct shift *);
/* Appends to out every hard rule sh breaks (overlap, leave, max weekly
 * hours, inactive), ignoring the shifts listed in ignore. -1 on a store
 * failure. */
int api_shift_rules(struct store *, const struct shift *sh,
    const int64_t *ignore, size_t nignore, json_t *out);
int api_reply_rule_conflicts(struct http_req *, json_t *list /* stolen */);
int api_shift_load_or_reply(struct http_req *, struct store *, int64_t id,
    struct shift *);
/* Exchanges the counsellors of two shifts after checking the rules;
 * 200 when done (nothing replied yet), else the status replied. */
int api_shift_swap_pair(struct http_req *, struct store *, int64_t a, int64_t b,
    const json_t *detail);
int api_template_list(struct http_req *);
int api_template_get(struct http_req *);
int api_template_create(struct http_req *);
int api_template_update(struct http_req *);
int api_template_delete(struct http_req *);
int api_shift_list(struct http_req *);
int api_shift_get(struct http_req *);
int api_shift_create(struct http_req *);
int api_shift_update(struct http_req *);
int api_shift_delete(struct http_req *);
int api_shift_swap(struct http_req *);

/* calendar.c */
json_t *api_availability_json(const struct availability *);
json_t *api_holiday_json(const struct holiday *);
/* List / create / delete leave; counsellor_id (owner) 0 = anyone's. */
int api_availability_list_for(struct http_req *, int64_t counsellor_id);
int api_availability_create_for(struct http_req *, const json_t *body);
int api_availability_delete_for(struct http_req *, int64_t owner);
int api_availability_list(struct http_req *);
int api_availability_get(struct http_req *);
int api_availability_create(struct http_req *);
int api_availability_update(struct http_req *);
int api_availability_delete(struct http_req *);
int api_holiday_list(struct http_req *);
int api_holiday_get(struct http_req *);
int api_holiday_create(struct http_req *);
int api_holiday_update(struct http_req *);
int api_holiday_delete(struct http_req *);
int api_holiday_import(struct http_req *);

/* roster.c */
int api_roster_generate(struct http_req *);
int api_roster_coverage(struct http_req *);

/* me.c: the signed-in counsellor's id; replies 403 and returns 0 for a
 * sign-in that is not linked to a counsellor (a coordinator's). */
int64_t api_me_or_reply(struct http_req *);
/* me.c */
int api_counsellor_account(struct http_req *);
int api_me(struct http_req *);
int api_me_update(struct http_req *);
int api_me_shifts(struct http_req *);
int api_me_availability_list(struct http_req *);
int api_me_availability_create(struct http_req *);
int api_me_availability_delete(struct http_req *);
int api_swap_create(struct http_req *);
int api_swap_list(struct http_req *);
int api_swap_approve(struct http_req *);
int api_swap_reject(struct http_req *);

/* feed.c */
int api_feed_counsellor(struct http_req *);
int api_feed_station(struct http_req *);
int api_feed_events(struct http_req *);
int api_feed_qr(struct http_req *);
int api_feed_info(struct http_req *);
int api_feed_health(struct http_req *);
void api_feed_cache_free(void);
/* The built feeds kept and their bytes (plain and gzip). */
void api_feed_cache_stats(size_t *entries, size_t *bytes);
/* Writes the polls counted in memory to the store (also at shutdown). */
int api_feed_health_flush(struct store *);

/* participant.c */
/* Whether e's survey takes answers at now. */
int api_survey_open(const struct event *, time_t now);
/* Gives every attendee of a held event a survey token. */
int api_attendance_issue_tokens(struct store *, int64_t event_id);
int api_public_event(struct http_req *);
int api_registration_create(struct http_req *);
int api_registration_get(struct http_req *);
int api_registration_cancel(struct http_req *);
/* Reminders on or off for one registration (the opt-out link). */
int api_registration_reminders(struct http_req *);
int api_page_unsubscribe(struct http_req *);
int api_registration_qr(struct http_req *);
int api_registration_list(struct http_req *);
int api_checkin(struct http_req *);
int api_attendance_create(struct http_req *);
int api_attendance_list(struct http_req *);
int api_attendance_update(struct http_req *);
int api_attendance_delete(struct http_req *);
int api_page_event(struct http_req *);
int api_page_registration(struct http_req *);
int api_page_checkin(struct http_req *);
int api_page_survey(struct http_req *);

/* survey.c */
int api_survey_template_list(struct http_req *);
int api_survey_template_get(struct http_req *);
int api_survey_template_create(struct http_req *);
int api_survey_get(struct http_req *);
int api_survey_submit(struct http_req *);
int api_survey_results(struct http_req *);
int api_survey_results_csv(struct http_req *);
int api_survey_anonymous(struct http_req *);
int api_settings_get(struct http_req *);
int api_settings_put(struct http_req *);
int api_privacy_purge(struct http_req *);

/* indicator.c */

/* The fields of a framework row as given (JSON body or CSV line). */

/* Reads ?framework&from&to&compare=previous and scores the table; 0
 * after a reply. Free with svc_eval_free. */
int api_eval_or_reply(struct http_req *, struct store **, struct eval *);
/* ?framework=ID into fw (fw->id 0 when absent and not required); 0
 * after a reply (422 malformed, 404 unknown). */
int api_framework_query_or_reply(struct http_req *, struct store *,
    int required, struct framework *fw);
/* The given code (checked, free in ind's framework) or a generated
 * stable one into ind->code: 1, 0 with err, -1 failure. */
int api_indicator_code_or_make(struct store *, struct indicator *ind,
    const char *given, struct herror *err);
json_t *api_indicator_json(const struct indicator *);
json_t *api_framework_json(const struct framework *);
int api_indicator_list(struct http_req *);
int api_indicator_put(struct http_req *);
int api_indicator_create(struct http_req *);
int api_indicator_patch(struct http_req *);
int api_indicator_delete(struct http_req *);
int api_indicator_sources(struct http_req *);

/* report.c */
int api_report_csv(struct http_req *);
int api_report_xlsx(struct http_req *);
int api_report_actuals(struct http_req *);

/* framework.c */
int api_framework_list(struct http_req *);
int api_framework_get(struct http_req *);
int api_framework_create(struct http_req *);
int api_framework_update(struct http_req *);
int api_framework_delete(struct http_req *);
int api_framework_import(struct http_req *);

/* system.c */
int api_healthz(struct http_req *);
int api_metrics(struct http_req *);
int api_audit_list(struct http_req *);

/* duty.c: duty metrics and the duty log of each shift (值班记录). */
int api_duty_metric_list(struct http_req *);
int api_duty_metric_create(struct http_req *);
int api_duty_metric_update(struct http_req *);
int api_duty_metric_delete(struct http_req *);
int api_duty_log_get(struct http_req *);
int api_duty_log_put(struct http_req *);
int api_duty_log_list(struct http_req *);
int api_duty_logs_close(struct http_req *);

/* duty_report.c: the duty logs summed by station, counsellor or month. */
int api_duty_report(struct http_req *);
int api_duty_report_csv(struct http_req *);
int api_duty_report_xlsx(struct http_req *);

/* case.c: key cases (重点个案), sessions, follow-ups (回访) */
int api_case_list(struct http_req *);
int api_case_get(struct http_req *);
int api_case_create(struct http_req *);
int api_case_update(struct http_req *);
int api_case_delete(struct http_req *);
int api_case_session_create(struct http_req *);
int api_case_session_delete(struct http_req *);
int api_case_follow_up_create(struct http_req *);
int api_case_follow_up_update(struct http_req *);
int api_case_follow_up_delete(struct http_req *);
int api_me_follow_ups(struct http_req *);

/* counselling.c: a station's survey link, results and paper tallies */
int api_station_survey_link(struct http_req *);
int api_station_survey_link_get(struct http_req *);
int api_station_survey_link_delete(struct http_req *);
int api_station_survey_qr(struct http_req *);
int api_station_survey_results(struct http_req *);
int api_tally_create(struct http_req *);
int api_tally_list(struct http_req *);
int api_tally_delete(struct http_req *);
/* survey.c: the results of one questionnaire from its online answers
 * and paper tallies — per question the answers together, online and on
 * paper, and the satisfaction (answers 4 and 5 of satisfaction questions
 * over all of them) likewise. NULL on allocation failure. */
struct survey_tally;
json_t *api_survey_results_json(const struct survey_template *,
    const struct survey_answer_row *, size_t n, const struct survey_tally *,
    size_t ntallies);

/* robot.c: the robot settings and the channels' settings page. */
int api_channels_get(struct http_req *);
int api_station_robots_get(struct http_req *);
int api_station_robot_put(struct http_req *);
int api_station_robot_delete(struct http_req *);
int api_station_robot_test(struct http_req *);
int api_district_robot_put(struct http_req *);
int api_district_robot_delete(struct http_req *);
int api_district_robot_test(struct http_req *);

/* participant.c: SMS on or off for one registration (personal link). */
int api_registration_sms(struct http_req *);
/* account.c (issue 17): the password rule and account management */
int api_counsellor_account_get(struct http_req *);
int api_user_list(struct http_req *);
int api_user_disable(struct http_req *);
int api_user_enable(struct http_req *);
int api_user_reset_password(struct http_req *);
int api_me_password(struct http_req *);

/* reminders.c (issue 17): the reminders link of mails */
int api_reminders_get(struct http_req *);
int api_reminders_put(struct http_req *);

/* calendar.c: leave approval and the leave setting, holidays in one go
 * and the official calendar (issue 13). */
int api_availability_approve(struct http_req *);
int api_availability_refuse(struct http_req *);
int api_leave_settings_get(struct http_req *);
int api_leave_settings_put(struct http_req *);
int api_holiday_range(struct http_req *);
int api_holiday_official_get(struct http_req *);
int api_holiday_official_import(struct http_req *);

/* shift.c: leave marks on shifts, who is free (issue 13). */
/* Sets "leave" ({id, status, reason, start, end} or null) on each shift
 * JSON of arr (items[i] ↔ arr[i]): pending or approved leave of its
 * counsellor over it. 0, or -1 on a store failure. */
int api_shift_leave_marks(struct store *, const struct shift *items, size_t n,
    json_t *arr);
int api_roster_free(struct http_req *);
/* Replies the page pg of the shifts of f with their leave marks: the
 * coordinator's shift list and a counsellor's own. */
int api_shift_list_reply(struct http_req *, const struct shift_filter *f,
    const struct store_page *pg);

/* me.c: a counsellor's swap options and withdrawal (issue 13). */
int api_swap_withdraw(struct http_req *);
int api_me_swap_options(struct http_req *);

/* event.c: the warning of an event on a day off (issue 13). */
json_t *api_event_warned(struct store *, const struct event *);

/* participant.c (issue 13.1, branch imports): a coordinator promotes or
 * cancels a registration; the participant list as CSV. */
int api_registration_promote(struct http_req *);
int api_registration_cancel_by_id(struct http_req *);
int api_registrations_csv(struct http_req *);
/* event.c (issue 13.1, branch imports): "mark held" undone. */
int api_event_undo_held(struct http_req *);

/* feed.c (issue 15, branch perf15): feeds' gzip forms made from chunks:
 * reused from the feed's last gzip form, chunks deflated, and the text
 * bytes deflated, since start. */
void api_feed_gzip_stats(uint64_t *reused, uint64_t *made, uint64_t *deflated);

#endif
