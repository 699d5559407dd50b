/*
 * The service layer: what Hearth does apart from HTTP. Causes of mail and
 * of the other channels and the messages they send, the VEVENT of every
 * shift, event and follow-up (feeds and invitations alike), the rules of
 * a change that need the store, roster generation, reports and their
 * CSV and XLSX files. It builds on core (pure rules), the store and
 * ical/; it never includes http.h, and svc/api's handlers call it
 * (parse, call, reply). The mailer and the notify threads reach it only
 * through the hooks main gives them.
 */
#ifndef HEARTH_SERVICE_H
#define HEARTH_SERVICE_H

#include "../core/core.h"
#include "../store/store.h"

/* config.c: the settings the service runs with, set once by main before
 * any thread starts (a leaf: it calls nothing). */
struct svc_config {
	const char *base_url; /* e.g. "http://127.0.0.1:8080", no slash */
	int session_hours;
	int login_max_failures; /* per account per window */
	int login_window_s;
	int feed_days_back, feed_days_ahead; /* the window of every feed */
	const char *mail_from;     /* ORGANIZER of feeds and invitations */
	const char *mail_reply_to; /* Reply-To of mail; NULL = none */
	void (*wake)(void);        /* the senders look at the outbox; or NULL */
	int smtp_configured;       /* an SMTP host is set: the mailer sends */
	int fake_clock; /* HEARTH_FAKE_CLOCK=1: tests may set the time */
	/* HEARTH_FEED_WHOLE=1: every feed built whole by libical, never from
	 * kept pieces (the oracle of the incremental build, for tests). */
	int feed_whole;
	/* Channels beside e-mail (channel.c). */
	const char *wecom_url, *dingtalk_url; /* robot endpoints; NULL = off */
	const char *sms_provider; /* "aliyun" | "tencent"; NULL = no SMS */
	const char *sms_endpoint, *sms_sign_name, *sms_key_id;
	const char *sms_templates[NOTIFY_SMS__MAX]; /* NULL = kind not sent */
	int sms_daily_limit;
	int duty_message_minute; /* the morning duty message, station time */
	int login_max_failures_address; /* per client address per window */
	int public_write_rate; /* public writes a minute per address; 0 off */
};
/* Copies c (its strings are borrowed: they must outlive the service). */
void svc_configure(const struct svc_config *c);
const struct svc_config *svc_config(void);
/* The host part of base_url: UIDs ("shift-12@host") and Message-IDs. */
void svc_uid_host(char *out, size_t sz);

/* clock.c */
/* The service's clock: the real time, or the time a test set through
 * PUT /api/v1/_clock when HEARTH_FAKE_CLOCK=1. Domain time (events, feeds,
 * surveys, rosters) follows it; sessions and rate limits keep real time,
 * so moving the clock does not sign anyone out. */
time_t svc_now(void);
/* Moves the clock to want and wakes the senders (reminders may be due). */
void svc_clock_set(time_t want);
/* Several instances on PostgreSQL (issue 16): keeps the clock's offset
 * in the database for the others (> 0 done, < 0 failure; 1 on SQLite),
 * and takes up the database's offset when the fake clock is on (wakes
 * the senders when it moved). */
int svc_clock_share(struct store *);
void svc_clock_sync(struct store *);

/* tzdb.c: the system's zoneinfo, loaded on demand and kept for the life
 * of the process: the one place that reads TZif files for core/tz.c. */
/* The zone named name, or NULL when the system does not know it. The
 * result lives until tzdb_free. Thread-safe. */
const struct tz *tzdb_get(const char *name);
/* Asia/Shanghai, the default zone of stations and of the API's output;
 * NULL only if the system has no tzdata (then UTC is shown). */
const struct tz *tzdb_default(void);
void tzdb_free(void);
/* UTC instant of 00:00 Asia/Shanghai on a day number. */
time_t tzdb_day_start(int64_t day);
/* RFC 3339 in the default zone, as a JSON string (every time the API
 * shows). */
json_t *tzdb_time_json(time_t);
/* The same, or JSON null for 0 (a time not set). */
json_t *tzdb_time_json_or_null(time_t);
/* The zone named name (a station's), else the default. */
const struct tz *tzdb_zone(const char *name);

/* mail.c: what causes mail; every function queues outbox rows in the
 * caller's transaction and returns 0, or -1 on a store failure. */
enum svc_mail_notice {
	MAIL_NOTICE_NONE,
	MAIL_NOTICE_CHANGE,
	MAIL_NOTICE_CANCEL
};
struct svc_mail_cause {
	enum svc_mail_notice notice;
	time_t old_start, old_end; /* a change: the time before (0 = same) */
	const char *reason;        /* NULL or "" = none */
	int64_t registration_id;   /* only this participant's mail (0 = all) */
	int fresh; /* registration_id was made in this transaction: nothing
	            * of it is queued yet, nothing to supersede */
	/* What the caller has of it in this transaction, not read again
	 * (NULL: read): the event, the registration (registration_id's)
	 * and its reminders' opt-out token. */
	const struct event *event;
	const struct registration *registration;
	const char *optout;
};
/* Brings an event's mail in line with its state: reminders of the
 * current sequence for its speakers and registered participants (why
 * may be NULL), and the notice why asks for. */
int svc_mail_event(struct store *, int64_t event_id,
    const struct svc_mail_cause *why);
/* A counsellor's name, address or active flag changed: the reminders of
 * the events ahead where they speak are built again. */
int svc_mail_counsellor(struct store *, int64_t counsellor_id);
/* A speaker taken off an event: their reminders stop, a CANCEL goes out. */
int svc_mail_speaker_removed(struct store *, int64_t event_id,
    int64_t counsellor_id);
/* A shift was created (before NULL), changed, or deleted (after NULL):
 * roster notices for the counsellors concerned. */
int svc_mail_shift(struct store *, const struct shift *before,
    const struct shift *after);
/* Queues the weekly duty summaries due at now (the mailer's tick). */
int svc_mail_weekly(struct store *, time_t now);
/* Builds a row queued without a body (a reminder, a roster notice) into
 * m->body as it goes out: enum outbox_built (core.h); a letter that
 * cannot be built is OUTBOX_BUILT_BROKEN with why in m->last_error. */
int svc_mail_prepare(struct store *, struct outbox_msg *m, time_t now);
/* Roster notices of many shift changes at once (a generation): between
 * begin and end, svc_mail_shift gathers each counsellor's lines in
 * memory; end writes one notice each (0, or -1 on a store failure);
 * end(NULL) drops them. */
void svc_mail_batch_begin(void);
int svc_mail_batch_end(struct store *);
/* Queues one reminder per shift whose log is still missing 12 hours
 * after it ended (the mailer's tick). */
int svc_mail_duty_logs(struct store *, time_t now);
/* Everything time causes: the weekly summaries and the duty reminders. */
int svc_mail_tick(struct store *, time_t now);

/* channel.c: what goes to group robots and SMS. Every function queues
* outbox rows in the caller's transaction and returns 0, or -1 on a
 * store failure; a channel that is not configured queues nothing. */
/* Whether the robot channel, or SMS of a kind, is configured. */
int svc_channel_robot_on(enum notify_channel);
int svc_channel_sms_on(enum notify_sms_kind);
/* An event's SMS (reminder the day before, change and cancel notices to
 * registered participants with a phone) and its robot notices (change,
 * cancel), in line with why as for mail; station NULL = none. Called by
 * svc_mail_event. */
int svc_channel_event(struct store *, const struct event *,
    const struct station *, const struct svc_mail_cause *why);
/* The SMS of one registration: confirmed or promoted from the
 * waitlist. */
int svc_channel_registration(struct store *, int64_t registration_id,
    enum notify_sms_kind);
/* A shift changed (as svc_mail_shift): a line in the roster notice of
 * the robots of its station and of the district, gathered 10 minutes. */
int svc_channel_shift(struct store *, const struct shift *before,
    const struct shift *after);
/* What time causes on a robot channel: the morning duty message and the
 * missing duty log notices (the notify thread's tick). */
int svc_channel_tick(struct store *, enum notify_channel, time_t now);
/* Builds a robot roster notice that gathered its lines. */
int svc_channel_prepare(struct store *, struct outbox_msg *, time_t now);
/* Queues a test message to robot r; *id is its outbox row. */
int svc_channel_test(struct store *, const struct robot *, int64_t *id);
/* A participant turned SMS off: their unsent SMS are skipped. */
int svc_channel_sms_off(struct store *, int64_t registration_id);
/* The live shifts (not cancelled) of station_id or counsellor_id (0:
 * any) on the local days [day, day + days) of z, at most limit; f is
 * the filter used (its from/to the span). store_shift_list's result. */
int svc_shifts_local_days(struct store *, const struct tz *z, int64_t day,
    int64_t days, int64_t station_id, int64_t counsellor_id, int64_t limit,
    struct shift_filter *f, struct shift **shifts, size_t *n);

/* ical.c: the VEVENT of a shift, an event and a follow-up as every feed
 * and mail shows it. Strings made go to s. */
struct hical_event;
struct case_follow_up;
/* A follow-up (回访) takes half an hour in the calendar. */
#define FOLLOW_UP_MINUTES 30
/* The VEVENT of a shift and of an event as every feed and mail shows it:
 * UID, SEQUENCE, times in zone tzid, summary, location, description,
 * status (and for events URL, category and ORGANIZER). where is the
 * station's name or NULL, speakers "张三、李四" or "". */
void svc_ical_shift(struct strpool *s, const struct shift *, const char *tzid,
    struct hical_event *out);
void svc_ical_event(struct strpool *s, const struct event *, const char *where,
    const char *tzid, const char *speakers, struct hical_event *out);
/* The VEVENT of a follow-up in its counsellor's feed: "回访 {label}",
 * 30 minutes from its due time, STATUS:CANCELLED once deleted; with
 * alarms, one an hour before while it is open. Strings go to s. */
void svc_ical_follow_up(struct strpool *s, const struct case_follow_up *,
    const char *where, const char *tzid, int alarms, struct hical_event *out);

/* feed.c: the text of a calendar feed. */
enum svc_feed_kind {
	FEED_COUNSELLOR,
	FEED_STATION,
	FEED_EVENTS
};
/* What one feed request is for. */
struct svc_feed_ask {
	enum svc_feed_kind kind;
	const char *token;        /* counsellor feed token */
	const char *station_code; /* station feed, or the events filter */
	const char *event_kind, *audience;
	int alarms;
	char health[96]; /* feed-health key */
	int private_;
};
/* Loads the rows of ask between from and to and renders the calendar: 1
 * with *text (caller frees) and *len, *last_modified raised to the newest
 * row, health (96 bytes) set to the feed-health key that names no
 * secret, digest (SECRET_HASH_HEX) to the text's digest (the ETag); 0
 * for an unknown token or station; -1 on a failure. The VEVENTs' texts
 * come from feedcache.c unless their inputs changed. */
int svc_feed_text(struct store *, const struct svc_feed_ask *, time_t now,
    time_t from, time_t to, char **text, size_t *len, time_t *last_modified,
    char *health, char digest[SECRET_HASH_HEX]);
/* What a built feed keeps for the next build of the same feed: where
 * each row's VEVENT lies in its text and the fingerprint of the row
 * (store_*_marks), the head's zones, the stations and counsellors it
 * was made with. */
struct svc_feed_pieces;
void svc_feed_pieces_free(struct svc_feed_pieces *);
size_t svc_feed_pieces_bytes(const struct svc_feed_pieces *);
/* svc_feed_text after an earlier build of the same ask (prev with its
 * text prev_text; NULL = none): the VEVENTs of rows whose fingerprint
 * prev has are copied from prev_text, only the others are read and made
 * (a change of stations, counsellors, the window's zones, or many rows
 * makes a whole build). The text is byte for byte the whole build's.
 * *next (next NULL = not wanted) receives the pieces of the new text
 * (NULL when they cannot be kept); the caller frees them with
 * svc_feed_pieces_free and keeps the text while it keeps them. */
int svc_feed_text_from(struct store *, const struct svc_feed_ask *, time_t now,
    time_t from, time_t to, const struct svc_feed_pieces *prev,
    const char *prev_text, char **text, size_t *len, time_t *last_modified,
    char *health, char digest[SECRET_HASH_HEX], struct svc_feed_pieces **next);
/* Builds since start: from pieces or whole, and the VEVENTs of the
 * builds from pieces copied or made anew. */
struct svc_feed_stats {
	uint64_t incremental, whole, kept, made;
};
void svc_feed_stats(struct svc_feed_stats *);

/* duty.c: the closing of duty logs */
/* The last closed day (DUTY_NOT_CLOSED when nothing is closed); -1 on a
 * store failure. */
int svc_duty_closed_through(struct store *, int64_t *day);
/* Closes the logs through day (a later close reopens what follows) and
 * skips the reminders of closed shifts; *before is the previous close. */
int svc_duty_close(struct store *, int64_t day, int64_t *before);

/* account.c */
/* NULL when password may be username's, else the reason in Chinese. */
const char *svc_password_problem(const char *password, const char *username);
/* How many common passwords the rule knows (for the start-up log). */
size_t svc_password_list_size(void);
/* Creates the admin user on an empty database; returns 1 and copies a
 * generated password to out when one was made, 0 when users exist or
 * the given password was used, -2 when the given password breaks the
 * password rule (the reason, in Chinese, in out), -1 on failure. */
int svc_bootstrap_admin(const char *password, char *out, size_t sz);

/* privacy.c */
/* The retention period in days (settings, default 365, at least 30). */
int64_t svc_retention_days(struct store *);
/* Purges personal data past the retention period (start-up, endpoint). */
int svc_privacy_purge(struct store *, int64_t *regs, int64_t *atts);

/* holiday.c */
/* Imports the all-day VEVENTs of an iCalendar file as holidays (kind
 * force, else by summary), calling each for every day saved: 1, 0 when
 * the file is unreadable (why in err), -1 on a store failure. */
int svc_holiday_import(struct store *, const char *ics, size_t sz,
    const char *force, void (*each)(const struct holiday *, void *), void *arg,
    int64_t *created, int64_t *updated, char *err, size_t errsz);

/* duty_report.c: the duty logs of a period summed by station, counsellor
 * or month, and the report as CSV and XLSX. */
enum duty_report_by {
	DUTY_BY_STATION,
	DUTY_BY_COUNSELLOR,
	DUTY_BY_MONTH,
	DUTY_BY__MAX
};
extern const char *const duty_report_by_names[]; /* NULL-terminated */
struct duty_group {
	int64_t id;    /* station or counsellor id; 0 for a month */
	char month[8]; /* "2023-05" */
	char *name;
	int64_t *values; /* one per metric of the report */
	int64_t shifts, logged, absent, missing;
};

struct duty_report {
	char from[11], to[11];
	enum duty_report_by by;
	struct duty_metric *metrics; /* those shown, in order */
	size_t nmetrics;
	struct duty_group *groups;
	size_t ngroups;
	struct duty_group total;
	int minutes; /* index of counselling_minutes, or -1 */
};
/* Sums [from, to) into rp (from, to and by set by the caller): > 0, or
 * -1 on a store failure (rp freed). Free with svc_duty_report_free. */
int svc_duty_report(struct store *, time_t from, time_t to,
    struct duty_report *rp);
void svc_duty_report_free(struct duty_report *);
/* The CSV (UTF-8 with BOM); NULL on allocation failure. */
char *svc_duty_report_csv(const struct duty_report *, size_t *len);
/* The workbook's bytes into *out (caller frees): 1, or 0 (logged). */
int svc_duty_report_xlsx(const struct duty_report *, char **out, size_t *sz);

/* xlsx.c */
/* Runs write, which makes a workbook at path (libxlsxwriter writes files
 * only), and reads the file back into *out (caller frees): 1, or 0 when
 * anything failed (logged). The file lives only within the call. */
int svc_xlsx_bytes(int (*write)(const char *path, const void *arg),
    const void *arg, char **out, size_t *sz);

/* roster.c */
/* Who generates, and what the last transaction adds (the audit; may be
 * NULL). */
struct svc_roster_run {
	int64_t user_id;
	int (*audit)(struct store *, void *arg);
	void *arg;
};
/* Generates the roster of days [from, to] for the stations in
 * station_ids (a JSON array of ids; NULL = all): seats kept, filled or
 * reassigned, the open ones listed with their reason; roster notices
 * queued. 1 with *result ({created, existing, reassigned, unfilled,
 * hours}), 0 when station_ids names an unknown station (*unknown), -1 on
 * a failure (nothing written). Runs its own transactions (issue 17:
 * the new shifts in batches, store_roster_publish_batched; the
 * reassignments, notices and run->audit in the last): call it outside
 * any transaction. */
int svc_roster_generate(struct store *, int64_t from, int64_t to,
    const json_t *station_ids, const struct svc_roster_run *run,
    json_t **result, int64_t *unknown);
/* Seats asked for and filled per station and day, and each counsellor's
 * hours per week, in [from, to] (station 0 = all): 1 with *result
 * ({days, counsellors}), -1 on a failure. */
int svc_roster_coverage(struct store *, int64_t from, int64_t to,
    int64_t station, json_t **result);
/* Seats the templates ask for in [from, to] (days) and how many are
 * filled, in total and per station (and station and month). */
int svc_roster_coverage_totals(struct store *, int64_t from, int64_t to,
    int64_t *required, int64_t *assigned, json_t **by_station,
    json_t **by_month);

/* indicator.c: a framework's row checked as every way in takes it */
/* A row's fields as given (a PATCH fills the unchanged ones). */
struct indicator_in {
	const char *level1, *level2, *level3, *target, *rule, *source;
	const char *checklist;
	double weight;
};

/* Replaces *dst by a copy of s ("" for NULL): 1, 0 out of memory. */
int svc_str_set(char **dst, const char *s);
/* Parses in's levels, weight, target, rule, source (into *src) and
 * checklist into ind without the store: 1, 0 with err, -1 out of
 * memory. */
int svc_indicator_row_parse(const struct indicator_in *, struct indicator *ind,
    struct ind_source *src, struct herror *err);
/* svc_indicator_row_parse, and the source's station and duty metric
 * exist: 1, 0 with err, -1 failure. */
int svc_indicator_row_check(struct store *, const struct indicator_in *,
    struct indicator *ind, struct herror *err);

/* eval.c: a framework scored for a period */
/* One row of a framework scored for a period. */
struct eval_row {
	struct indicator *ind;
	struct ind_checklist *items; /* parsed from ind->checklist */
	int marks[IND_ITEMS_MAX];
	size_t nmarks;
	int marked; /* marks were entered */
	int rate;   /* the actual is a percentage */
	int has_actual, scored;
	int met; /* -1 when it cannot be said */
	double actual, score;
	char actual_text[48];                       /* "" when none */
	int has_prev, prev_has_actual, prev_scored; /* compare=previous */
	double prev_actual, prev_score;
};

/* A framework scored for a period (GET /indicators, the reports). */
struct eval {
	struct framework fw; /* fw.id 0: there is no framework */
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

/* The actual of a measured (not manual) source: 1 with *actual, 0 when
 * there is none, -1 on a failure. */
typedef int (*svc_eval_measure)(void *ctx, const struct ind_source *,
    double *actual);
/* Scores one row of ind into row (zeroed by the caller; row->items to
 * free): a manual source, or every source when measure is NULL, takes
 * the entered value or rating. 1, or -1 on a failure. */
int svc_eval_row_score(struct eval_row *row, struct indicator *ind,
    svc_eval_measure measure, void *ctx);
/* Scores e's framework over e's period (fw, from, to, dfrom, dto and
 * compare set by the caller): rows, totals, and the year before when
 * compare. 1, or -1 on a store failure (e freed). */
int svc_eval_score(struct store *, struct eval *);
void svc_eval_free(struct eval *);

/* eval_file.c: the scored table as a file */
/* The CSV (UTF-8 with BOM); NULL on allocation failure. */
char *svc_eval_csv(const struct eval *, size_t *sz);
/* The workbook's bytes into *out (caller frees): 1, or 0 (logged). */
int svc_eval_xlsx(const struct eval *, char **out, size_t *sz);

/* report.c */
/* The records behind the dashboard for days [dfrom, dto]: 1 with
 * *result, -1 on a failure. */
int svc_report_actuals(struct store *, int64_t dfrom, int64_t dto,
    json_t **result);

/* leave.c: leave that waits for the coordinator, and its notices
 * (issue 13). */
/* The bureau's setting leave_needs_approval (default on). */
int svc_leave_needs_approval(struct store *);
int svc_leave_set_needs_approval(struct store *, int on);
enum svc_leave_notice {
	LEAVE_NOTICE_ASKED,    /* pending: the coordinator hears of it */
	LEAVE_NOTICE_TAKEN,    /* in force without approval: coordinator */
	LEAVE_NOTICE_APPROVED, /* the counsellor and their station hear */
	LEAVE_NOTICE_REFUSED,  /* the counsellor hears */
};
/* Queues the notice of a's change: a line in the counsellor's roster
 * notice (mail) and in the robots' roster notice of their home station
 * and the district. shift_id: a shift it covers (0 = none). 0, or -1 on
 * a store failure. */
int svc_leave_notice(struct store *, const struct availability *a,
    enum svc_leave_notice what, int64_t shift_id);
/* mail.c: one line in a counsellor's roster notice. */
int svc_mail_roster_line(struct store *, int64_t counsellor_id,
    int64_t shift_id, const char *line);
/* channel.c: one line in a station's (and the district's) robot roster
 * notice. */
int svc_channel_station_line(struct store *, int64_t station_id,
    const char *line);

/* swap.c: who is free for a time (shift_id: a shift of theirs that
 * does not count, e.g. the one being reassigned): *items every counsellor
 * {counsellor_id, name, home_station_id, active, free, busy, reason},
 * the free first; 1, or -1. */
int svc_roster_free(struct store *, time_t start, time_t end, int64_t shift_id,
    json_t **items);
/* Colleagues' shifts counsellor me could take for their shift shift_id
 * (two weeks either side, still ahead), both sides within the rules:
 * 1 with *items, 0 when shift_id is not theirs, -1. */
int svc_swap_options(struct store *, int64_t me, int64_t shift_id,
    json_t **items);
/* Adds requested_by_name, shift, other_shift and a Chinese summary to
 * a swap request's JSON out: 1, or -1. */
int svc_swap_describe(struct store *, const struct swap_request *, json_t *out);

/* holiday_cn.c: holidays in one go. Days from..to (day numbers) saved as
 * kind (a day already known is updated), each called per day: 1, or -1. */
int svc_holiday_range(struct store *, int64_t from, int64_t to,
    const char *kind, const char *name, int as_weekday,
    void (*each)(const struct holiday *, void *), void *arg, int64_t *created,
    int64_t *updated);
/* The official calendar shipped in data/: with apply, adds the days not
 * known yet (a date already there is kept as the coordinator left it);
 * without, only counts. each(day, isnew): 1, or -1. */
int svc_holiday_official(struct store *, int apply,
    void (*each)(const struct holiday *, int isnew, void *), void *arg,
    int64_t *added, int64_t *kept);
/* [{year, complete, source}] of the shipped calendar. */
json_t *svc_holiday_official_sources(void);
/* A warning when [start, end) touches a day off: 1 with *out {code:
 * "holiday", message, dates}, 0 when none, -1. */
int svc_holiday_warning(struct store *, time_t start, time_t end, json_t **out);
/* participants.c (issue 13.1, branch imports): registrations a
 * coordinator changes, and the participant list as CSV. */
enum svc_reg_result {
	SVC_REG_OK = 1,
	SVC_REG_NOT_FOUND = 0,
	SVC_REG_NOT_WAITLISTED = 2, /* promote: only a waitlisted one */
	SVC_REG_CHECKED_IN = 3,     /* cancel: already came */
};
/* A waitlisted registration gets a place (capacity aside: the
 * coordinator decides), mailed and texted as an automatic promotion.
 * An svc_reg_result, or -1 on failure. */
int svc_registration_promote(struct store *, int64_t id);
/* Cancels g (mailed as the person's own cancel) and gives a freed place
 * to the first on the waitlist. An svc_reg_result, or -1. */
int svc_registration_cancel(struct store *, const struct registration *g);
/* The participants of an event (registrations by time, then walk-ins)
 * as CSV with Chinese headers: UTF-8 with BOM, cells formula-guarded by
 * core's writer. *text malloc'd; 1, or -1 on failure. */
int svc_registrations_csv(struct store *, int64_t event_id, char **text,
    size_t *len);
/* Turns g's reminder mail off (what is queued is skipped) or on (the
 * reminders still ahead are queued): 1, or -1 on failure. */
int svc_registration_reminders(struct store *, const struct registration *g,
    int on);
/* The same for its SMS (off skips every SMS still queued for it; on
 * queues the reminder still ahead, not notices already past). */
int svc_registration_sms(struct store *, const struct registration *g, int on);

/* survey_csv.c: a held event's survey answers (rows ordered by response,
 * as store_survey_answers gives them) as CSV: a header of response,
 * anonymous, submitted_at and each question's key, then a line per
 * response. UTF-8 with BOM, cells formula-guarded by core's writer;
 * never a name, an address or a token. *text malloc'd; 1, or -1 when out
 * of memory. */
int svc_survey_results_csv(const struct survey_template *,
    const struct survey_answer_row *rows, size_t n, char **text, size_t *len);
/* events_csv.c (issue 14: out of svc/api/event_csv.c): events as CSV in
 * the layout of the bureau's reports, out and in. */
/* Fills e with the defaults of a new event: 1, or 0 out of memory. */
int svc_event_defaults(struct event *e);
/* The events of f as CSV (UTF-8 with BOM): with f->status
 * EVENT_STATUS_ANY every event with a status column (it re-imports
 * whole), else the reports' activity catalogue. A district-wide event has
 * an empty station. 1 with *text (malloc'd), 0 out of memory, -1 on a
 * store failure. */
int svc_events_csv(struct store *, const struct event_filter *f, char **text,
    size_t *len);

#define SVC_IMPORT_MAX_ERRORS 200 /* problems listed; all are counted */
/* A problem of an import file (line 0: none applies), in Chinese. */
struct svc_import_problem {
	size_t line;
	char *field, *message;
};
/* A row not imported because its event is there already (same
 * station-local day, station and title). */
struct svc_import_skip {
	size_t line;
	int64_t event_id;
	char date[11];
	char *title, *message;
};
struct svc_import_ask {
	int dry_run;         /* check and show, write nothing */
	int create_stations; /* an unknown station is made, not a problem */
	int64_t user_id;     /* who imports (audit) */
};
struct svc_import_result {
	size_t nproblems;                    /* every problem found */
	struct svc_import_problem *problems; /* the first ones */
	size_t nlisted;
	struct svc_import_skip *skipped;
	size_t nskipped;
	struct event *events; /* the rows' events; ids once written, else 0 */
	size_t nevents;
	size_t new_stations; /* made, or to be made on a dry run */
	int written;         /* the events were written */
	int oom;             /* a problem could not be kept (a failure) */
};
enum svc_import_outcome {
	SVC_IMPORT_FAILED = -1,
	SVC_IMPORT_PROBLEMS = 0, /* the file has problems: nothing written */
	SVC_IMPORT_DONE = 1,     /* written, checked (dry run) or all there */
	SVC_IMPORT_BUSY = 2,     /* the database stayed busy: nothing written */
};
/* Imports the CSV file body, all or nothing: read (UTF-8 or GB18030),
 * checked, stations resolved (made with create_stations) and rows
 * already there skipped before the write lock, then published in batches
 * of their own transactions (issue 17): call it outside any transaction.
 * An svc_import_outcome; res (always) freed with svc_import_result_free. */
int svc_events_import(struct store *, const char *body, size_t sz,
    const struct svc_import_ask *ask, struct svc_import_result *res);
void svc_import_result_free(struct svc_import_result *);

/* plan.c (issue 14: out of svc/api/plan.c): a plan's progress and
 * proposals. */
#define SVC_PLAN_MAX_PROPOSALS 200 /* per kind, and per accepted list */
/* The events of p's period counted against its targets: 1 with *result
 * {by_kind, by_station, by_audience, by_month, station_targets,
 * on_time}, -1 on a failure. */
int svc_plan_progress(struct store *, const struct plan *p, json_t **result);
/* Dates for the sessions p's district targets still miss (of kind only,
 * or of every kind when NULL): working days still ahead without a live
 * event of the kind, spread evenly, 14:30-16:30. 1 with *proposals [{kind,
 * title, start, end}], -1 on a failure. */
int svc_plan_propose(struct store *, const struct plan *p, const char *only,
    json_t **proposals);
/* The proposals of plan plan_id a coordinator accepted (user_id; 0 none)
 * as events: ev[0..n) with kind, title, start_at, end_at and station_id
 * set over event_defaults. Each is checked first (its station exists,
 * it ends after it starts), then created with its history row (source
 * "plan <id>"), its audit row and its notices. 1 with the ids set; 0
 * nothing written, *bad the first proposal refused; -1 a store failure
 * (what was written is the caller's transaction's to roll back). */
int svc_plan_accept(struct store *, int64_t plan_id, int64_t user_id,
    struct event *ev, size_t n, size_t *bad);

/* survey.c (issue 15 point 4, surveycpu): the committed template id
 * with its questions, read once and kept until
 * svc_survey_templates_free (templates never change): 1 with *out, 0
 * none, -1 failure. */
int svc_survey_template(struct store *, int64_t id,
    const struct survey_template **out);
void svc_survey_templates_free(void);

#endif
