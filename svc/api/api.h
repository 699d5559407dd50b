/*
 * The API layer: one handler file per resource. Handlers validate input
 * (core), call the store and reply (http); they hold no SQL and no MHD.
 */
#ifndef HEARTH_API_H
#define HEARTH_API_H

#include "../core/core.h"
#include "../http/http.h"
#include "../store/store.h"

/* What handlers need to know of the configuration. */
struct api_config {
	const char *base_url;  /* e.g. "http://127.0.0.1:8080", no slash */
	int session_hours;
	int login_max_failures; /* per account per window */
	int login_window_s;
	int feed_days_back, feed_days_ahead; /* the window of every feed */
	const char *mail_from;  /* ORGANIZER of feeds and invitations */
	const char *mail_reply_to; /* Reply-To of mail; NULL = none */
	void (*mail_wake)(void); /* after a commit that queued mail; or NULL */
	int smtp_configured;    /* an SMTP host is set: the mailer sends */
	int fake_clock;         /* HEARTH_FAKE_CLOCK=1: tests may set the time */
	/* Channels beside e-mail (channel.c, robot.c). */
	const char *wecom_url, *dingtalk_url; /* robot endpoints; NULL = off */
	const char *sms_provider; /* "aliyun" | "tencent"; NULL = no SMS */
	const char *sms_endpoint, *sms_sign_name, *sms_key_id;
	const char *sms_templates[NOTIFY_SMS__MAX]; /* NULL = kind not sent */
	int sms_daily_limit;
	int duty_message_minute; /* the morning duty message, station time */
	/* reliability (issue 17) */
	int login_max_failures_address; /* per client address per window */
	int public_write_rate;  /* public writes a minute per address; 0 off */
	/* HEARTH_FEED_WHOLE=1: every feed built whole by libical, never from
	 * kept pieces (the oracle of the incremental build, for tests). */
	int feed_whole;
};

/* routes.c */
extern const struct route api_routes[];
extern const size_t api_nroutes;
void api_init(const struct api_config *);
const struct api_config *api_config(void);
/* http_app callbacks */
int api_authenticate(const char *token, struct http_principal *);
int api_begin(void);
int api_commit(void);
void api_rollback(void);

/* clock.c */
/* The service's clock: the real time, or the time a test set through
 * PUT /api/v1/_clock when HEARTH_FAKE_CLOCK=1. Domain time (events, feeds,
 * surveys, rosters) follows it; sessions and rate limits keep real time,
 * so moving the clock does not sign anyone out. */
time_t api_now(void);
int api_clock_put(struct http_req *);
/* The route table to serve: with PUT /api/v1/_clock only when the fake
 * clock is enabled (otherwise the route does not exist: 404). */
const struct route *api_route_table(size_t *n);

/* common.c */
/* The calling thread's store, or a 503 reply (NULL). */
struct store *api_store_or_reply(struct http_req *);
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
/* 500 for a store failure. */
int api_reply_store_error(struct http_req *);
/* RFC 3339 in the default zone, as a JSON string. */
json_t *api_time_json(time_t);
/* Strings made while building something, freed together; a failed
 * allocation sets failed and returns NULL. */
struct api_strings {
	char **v;
	size_t n, cap;
	int failed;
};
const char *api_keep(struct api_strings *, char *p);
const char *api_keepf(struct api_strings *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void api_strings_free(struct api_strings *);

/* The host part of base_url: UIDs ("shift-12@host") and Message-IDs. */
void api_uid_host(char *out, size_t sz);
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
/* UTC instant of 00:00 Asia/Shanghai on a day number. */
time_t api_day_start(int64_t day);
/* Reads an optional query value that must be one of choices. */
int api_enum_query_or_reply(struct http_req *, const char *name,
    const char *const *choices, const char **out);

/* limit.c */
/* LIMIT_LOGIN counts failed sign-ins per client address (a success
 * never resets it), LIMIT_LOGIN_ACCOUNT per user name. */
enum api_limit { LIMIT_LOGIN, LIMIT_REGISTER, LIMIT_ANON_SURVEY,
	LIMIT_LOGIN_ACCOUNT, LIMIT__MAX };
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
enum api_rate { RATE_PUBLIC_WRITE, RATE__MAX };
/* per_minute requests a minute, the same number at once; 0 = no limit. */
void api_rate_config(enum api_rate, int per_minute);
/* Takes one request of key: 0 when allowed, else the seconds to wait. */
int api_rate_take(enum api_rate, const char *key);
/* Replies 429 with Retry-After: wait seconds. */
int api_reply_rate_limited(struct http_req *, int wait, const char *msg);

/* session.c */
int api_session_create(struct http_req *);
int api_session_get(struct http_req *);
int api_session_delete(struct http_req *);
/* Creates the admin user on an empty database; returns 1 and copies a
 * generated password to out when one was made, 0 when users exist or
 * the given password was used, -2 when the given password breaks the
 * password rule (the reason, in Chinese, in out), -1 on failure. */
int api_bootstrap_admin(const char *password, char *out, size_t sz);

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
/* History and audit rows of an event created by an import or a plan. */
int api_event_record_created(struct http_req *, struct store *,
    const struct event *, const char *source);
/* The same for a CSV import's event (no mail: it has no speakers or
 * participants yet). */
int api_event_record_imported(struct http_req *, struct store *,
    const struct event *);
int api_event_list(struct http_req *);
int api_event_get(struct http_req *);
int api_event_create(struct http_req *);
int api_event_update(struct http_req *);
int api_event_reschedule(struct http_req *);
int api_event_cancel(struct http_req *);
int api_event_history(struct http_req *);

/* mail.c: what causes mail; every function queues outbox rows in the
 * caller's transaction and returns 0, or -1 on a store failure. */
enum api_mail_notice { MAIL_NOTICE_NONE, MAIL_NOTICE_CHANGE, MAIL_NOTICE_CANCEL };
struct api_mail_cause {
	enum api_mail_notice notice;
	time_t old_start, old_end; /* a change: the time before (0 = same) */
	const char *reason;        /* NULL or "" = none */
	int64_t registration_id;   /* only this participant's mail (0 = all) */
};
/* Brings an event's mail in line with its state: reminders of the
 * current sequence for its speakers and registered participants (why
 * may be NULL), and the notice why asks for. */
int api_mail_event(struct store *, int64_t event_id,
    const struct api_mail_cause *why);
/* A counsellor's name, address or active flag changed: the reminders of
 * the events ahead where they speak are built again. */
int api_mail_counsellor(struct store *, int64_t counsellor_id);
/* A speaker taken off an event: their reminders stop, a CANCEL goes out. */
int api_mail_speaker_removed(struct store *, int64_t event_id,
    int64_t counsellor_id);
/* A shift was created (before NULL), changed, or deleted (after NULL):
 * roster notices for the counsellors concerned. */
int api_mail_shift(struct store *, const struct shift *before,
    const struct shift *after);
/* Queues the weekly duty summaries due at now (the mailer's tick). */
int api_mail_weekly(struct store *, time_t now);
/* Builds a row queued without a body (a roster notice) into m->body:
 * > 0 built, 0 nothing to build, -1 failure. */
int api_mail_prepare(struct store *, struct outbox_msg *m, time_t now);
/* Roster notices of many shift changes at once (a generation): between
 * begin and end, api_mail_shift gathers each counsellor's lines in
 * memory; end writes one notice each (0, or -1 on a store failure);
 * end(NULL) drops them. */
void api_mail_batch_begin(void);
int api_mail_batch_end(struct store *);
/* Whether this thread queued mail since the last call; api_mail_queued
 * says it did (a retry). */
int api_mail_take_queued(void);
void api_mail_queued(void);

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
int api_shift_swap_pair(struct http_req *, struct store *, int64_t a,
    int64_t b, const json_t *detail);
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
/* Seats the templates ask for in [from, to] (days) and how many are
 * filled, in total and per station. */
int api_roster_coverage_totals(struct store *, int64_t from, int64_t to,
    int64_t *required, int64_t *assigned, json_t **by_station,
    json_t **by_month);
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
struct hical_event;
/* The VEVENT of a shift and of an event as every feed and mail shows it:
 * UID, SEQUENCE, times in zone tzid, summary, location, description,
 * status (and for events URL, category and ORGANIZER). where is the
 * station's name or NULL, speakers "张三、李四" or "". Strings go to s. */
void api_ical_shift(struct api_strings *s, const struct shift *,
    const char *tzid, struct hical_event *out);
void api_ical_event(struct api_strings *s, const struct event *,
    const char *where, const char *tzid, const char *speakers,
    struct hical_event *out);
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
/* Purges personal data past the retention period (start-up, endpoint). */
int api_privacy_purge_now(struct store *, int64_t *regs, int64_t *atts);

/* indicator.c */

/* One row of a framework scored for a period. */
struct eval_row {
	struct indicator *ind;
	struct ind_checklist *items; /* parsed from ind->checklist */
	int marks[IND_ITEMS_MAX];
	size_t nmarks;
	int marked;                  /* marks were entered */
	int rate;                    /* the actual is a percentage */
	int has_actual, scored;
	int met;                     /* -1 when it cannot be said */
	double actual, score;
	char actual_text[48];        /* "" when none */
	int has_prev, prev_has_actual, prev_scored; /* compare=previous */
	double prev_actual, prev_score;
};

/* A framework scored for a period (GET /indicators, the reports). */
struct eval {
	struct framework fw;         /* fw.id 0: there is no framework */
	char from[11], to[11];
	int64_t dfrom, dto;
	struct indicator *items;
	struct eval_row *rows;
	size_t n;
	double total, max;
	int compare;
	char prev_from[11], prev_to[11];
	int64_t prev_fw_id;
	double prev_total;
};

/* The fields of a framework row as given (JSON body or CSV line). */
struct api_row {
	const char *level1, *level2, *level3, *target, *rule, *source;
	const char *checklist;
	double weight;
};

/* Reads ?framework&from&to&compare=previous and scores the table; 0
 * after a reply. Free with api_eval_free. */
int api_eval_or_reply(struct http_req *, struct store **, struct eval *);
void api_eval_free(struct eval *);
/* ?framework=ID into fw (fw->id 0 when absent and not required); 0
 * after a reply (422 malformed, 404 unknown). */
int api_framework_query_or_reply(struct http_req *, struct store *,
    int required, struct framework *fw);
/* Checks a row's fields (levels, weight, target, rule, source with its
 * station and metric, checklist) into ind: 1, 0 with err, -1 failure. */
int api_indicator_row_check(struct store *, const struct api_row *,
    struct indicator *ind, struct herror *err);
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
/* The last closed day (DUTY_NOT_CLOSED when nothing is closed); -1 on a
 * store failure. */
int api_duty_closed_through(struct store *, int64_t *day);

/* duty_report.c: the duty logs summed by station, counsellor or month. */
int api_duty_report(struct http_req *);
int api_duty_report_csv(struct http_req *);
int api_duty_report_xlsx(struct http_req *);

/* mail.c: the duty log reminder (kind duty_log). */
/* Queues one reminder per shift whose log is still missing 12 hours
 * after it ended (the mailer's tick). */
int api_mail_duty_logs(struct store *, time_t now);
/* Everything time causes: the weekly summaries and the duty reminders. */
int api_mail_tick(struct store *, time_t now);
/* case.c: key cases (重点个案), sessions, follow-ups (回访) */
struct case_follow_up;
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
/* The VEVENT of a follow-up in its counsellor's feed: "回访 {label}",
 * 30 minutes from its due time, STATUS:CANCELLED once deleted; with
 * alarms, one an hour before while it is open. Strings go to s. */
void api_ical_follow_up(struct api_strings *s, const struct case_follow_up *,
    const char *where, const char *tzid, int alarms, struct hical_event *out);

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
    const struct survey_answer_row *, size_t n,
    const struct survey_tally *, size_t ntallies);

/* channel.c: what goes to group robots and SMS. Every function queues
 * outbox rows in the caller's transaction and returns 0, or -1 on a
 * store failure; a channel that is not configured queues nothing. */
/* Whether the robot channel, or SMS of a kind, is configured. */
int api_channel_robot_on(enum notify_channel);
int api_channel_sms_on(enum notify_sms_kind);
/* An event's SMS (reminder the day before, change and cancel notices to
 * registered participants with a phone) and its robot notices (change,
 * cancel), in line with why as for mail; station NULL = none. Called by
 * api_mail_event. */
int api_channel_event(struct store *, const struct event *,
    const struct station *, const struct api_mail_cause *why);
/* The SMS of one registration: confirmed or promoted from the
 * waitlist. */
int api_channel_registration(struct store *, int64_t registration_id,
    enum notify_sms_kind);
/* A shift changed (as api_mail_shift): a line in the roster notice of
 * the robots of its station and of the district, gathered 10 minutes. */
int api_channel_shift(struct store *, const struct shift *before,
    const struct shift *after);
/* What time causes on a robot channel: the morning duty message and the
 * missing duty log notices (the notify thread's tick). */
int api_channel_tick(struct store *, enum notify_channel, time_t now);
/* Builds a robot roster notice that gathered its lines. */
int api_channel_prepare(struct store *, struct outbox_msg *, time_t now);
/* Queues a test message to robot r; *id is its outbox row. */
int api_channel_test(struct store *, const struct robot *, int64_t *id);
/* A participant turned SMS off: their unsent SMS are skipped. */
int api_channel_sms_off(struct store *, int64_t registration_id);

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
/* NULL when password may be username's, else the reason in Chinese. */
const char *api_password_problem(const char *password, const char *username);
/* How many common passwords the rule knows (for the start-up log). */
size_t api_password_list_size(void);
int api_counsellor_account_get(struct http_req *);
int api_user_list(struct http_req *);
int api_user_disable(struct http_req *);
int api_user_enable(struct http_req *);
int api_user_reset_password(struct http_req *);
int api_me_password(struct http_req *);

/* reminders.c (issue 17): the reminders link of mails */
int api_reminders_get(struct http_req *);
int api_reminders_put(struct http_req *);

#endif
