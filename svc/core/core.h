/*
 * Pure domain logic of Hearth: error codes, time and zones, validation,
 * passwords and tokens, CSV. Nothing here does I/O (no files, no sockets,
 * no database), so every function is unit-tested alone. Callers above
 * (api/, store/, main) bring the bytes in and take the results out.
 */
#ifndef HEARTH_CORE_H
#define HEARTH_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

/* error.c */

/* Every error the HTTP contract knows; the table in error.c gives each its
 * status and wire code. */
enum herr {
	HERR_BAD_REQUEST,
	HERR_UNAUTHORIZED,
	HERR_FORBIDDEN,
	HERR_NOT_FOUND,
	HERR_METHOD_NOT_ALLOWED,
	HERR_CONFLICT,
	HERR_TOO_LARGE,
	HERR_UNSUPPORTED_MEDIA_TYPE,
	HERR_VALIDATION_FAILED,
	HERR_RATE_LIMITED,
	HERR_INTERNAL,
	HERR_UNAVAILABLE,
	HERR__MAX
};

/* A rejected request: which error, a human message, the field if any. */
struct herror {
	enum herr code;
	char message[256];
	char field[64];
};

int error_status(enum herr);
const char *error_code(enum herr);
void error_set(struct herror *, enum herr, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/* Renders {"error":{"code","message"[,"field"]}}; caller frees. NULL on
 * allocation failure. */
char *error_body(const struct herror *);

/* time.c */

/* A zone loaded from TZif bytes (RFC 8536); see tz_parse. */
struct tz;

#define TIME_RFC3339_MAX 32

/* Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" into UTC
 * seconds. An offset is required: Hearth never accepts floating times.
 * Returns 1 on success, 0 on malformed or out-of-range input. */
int time_parse_rfc3339(const char *, time_t *);
/* Parses "YYYY-MM-DD" into a day number (days since 1970-01-01). */
int time_parse_date(const char *, int64_t *days);
void time_format_date(int64_t days, char *buf /* 11 bytes */);
/* Civil date arithmetic (proleptic Gregorian), exact for any int64 day. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* tz.c */

/* Parses a TZif (v1, v2 or v3) image; NULL when it is not one. The
 * caller frees with tz_free. The name is copied. */
struct tz *tz_parse(const char *name, const unsigned char *, size_t);
void tz_free(struct tz *);
const char *tz_name(const struct tz *);
/* UTC offset in seconds in force at instant t. */
int32_t tz_offset_at(const struct tz *, time_t t);
/* UTC instant of a local wall-clock time (seconds since the epoch as if
 * the wall clock were UTC). A time in a gap resolves with the offset
 * before it; an ambiguous one with the earlier instant. */
time_t tz_local_to_utc(const struct tz *, int64_t local);
/* Whether name looks like an IANA zone name (Area/Location, letters,
 * digits, '_', '-', '+', '/'; no "..", no leading '/'). */
int tz_name_valid(const char *);
/* Formats t in zone z (UTC, "Z", when z is NULL) with its numeric
 * offset, e.g. "2026-03-02T09:00:00+08:00". buf holds TIME_RFC3339_MAX
 * bytes. */
void tz_format_rfc3339(const struct tz *, time_t, char *buf);

/* valid.c */

/* Whether s (len bytes) is an IPv4 or IPv6 address; its canonical text
 * into out. */
int valid_ip_canonical(const char *s, size_t len, char *out, size_t sz);
/* The next comma-separated item of *p, trimmed, into [*b, *e); 0 at the
 * end of the list. */
int valid_list_next(const char **p, const char **b, const char **e);
/* Whether list is empty or comma-separated IPv4/IPv6 addresses. */
int valid_ip_list(const char *list);

/* The Chinese name of a request field for messages ("title" → 标题);
 * the code itself when it has none. */
const char *valid_label(const char *name);

/* The years a JSON date (VT_DATE) may have. */
#define DATE_MIN_YEAR 1970
#define DATE_MAX_YEAR 2100

enum vtype {
	VT_STRING, /* trimmed UTF-8, no control characters */
	VT_TEXT,   /* like VT_STRING but newlines and tabs allowed */
	VT_INT,    /* JSON integer within [min, max] */
	VT_BOOL,
	VT_ENUM, /* string, one of choices (NULL-terminated) */
	VT_EMAIL,
	VT_PHONE,
	VT_CODE,     /* [A-Za-z0-9_-] */
	VT_ZONE,     /* IANA zone name, checked by check() for existence */
	VT_TIME,     /* RFC 3339 with offset */
	VT_DATE,     /* YYYY-MM-DD, DATE_MIN_YEAR to DATE_MAX_YEAR */
	VT_ID,       /* positive integer id, or null when nullable */
	VT_ID_LIST,  /* array of distinct positive ids, at most maxitems */
	VT_INT_LIST, /* array of distinct integers in [min, max], maxitems */
	VT_OBJECT,   /* a JSON object, checked by the handler */
	VT_ARRAY, /* a JSON array of at most maxitems, checked by the handler */
};

/* One field of a request body: kcgi's kvalid, as data. */
struct vfield {
	const char *name;
	enum vtype type;
	int required;       /* on create; PATCH makes every field optional */
	int nullable;       /* JSON null is accepted (means "unset") */
	long long min, max; /* VT_INT range; string length in characters */
	const char *const *choices;
	int readonly;    /* accepted and ignored (round-tripped output) */
	size_t maxitems; /* VT_ID_LIST, VT_INT_LIST */
};

#define VALID_CREATE 0
#define VALID_PATCH 1

/* Checks obj against fields: unknown keys, types, lengths, ranges,
 * required fields (mode VALID_CREATE). Fills err and returns 0 on the
 * first problem; returns 1 when obj is acceptable. Strings are checked
 * as they are: callers read them through valid_str, which trims. */
int valid_object(const json_t *obj, const struct vfield *, size_t n, int mode,
    struct herror *err);
/* Length of s in Unicode scalar values, or -1 when s is not UTF-8. */
long valid_utf8_len(const char *s, size_t sz);
/* The length of the longest prefix of s (n bytes, UTF-8) of at most max
 * bytes that ends between characters: n when n <= max. */
size_t valid_utf8_cut(const char *s, size_t n, size_t max);
/* Whether the n bytes at s (not NUL-terminated) are a lower-case code of
 * at most max characters: [a-z][a-z0-9_]* (metric and indicator codes). */
int valid_lower_code(const char *s, size_t n, size_t max);
int valid_email(const char *);
int valid_phone(const char *);
int valid_code(const char *);
/* Copies the trimmed value of obj[key] into a new string (NULL when the
 * key is absent or null). The caller frees. *absent tells them apart. */
char *valid_str(const json_t *obj, const char *key, int *present);
/* Parses a decimal non-negative integer of at most 18 digits, whole
 * string; 1 on success. */
int valid_uint(const char *s, long long *out);
/* Query parameter values (the handlers' _or_reply helpers use these):
 * an integer in [min, max]; true|1 → 1, false|0 → 0, all → -1; one of
 * choices (the table's own pointer, or NULL); a from/to day range
 * (either may be absent or empty; to not before from). 0 when bad. */
int valid_query_int(const char *v, long long min, long long max,
    long long *out);
int valid_query_bool(const char *v, int *out);
const char *valid_query_choice(const char *v, const char *const *choices);
int valid_query_day_range(const char *from, const char *to, int64_t *a,
    int *has_a, int64_t *b, int *has_b, struct herror *err);

/* The feeds this server publishes, as a path names them. */
enum feed_path {
	FEED_PATH_NONE,       /* not a feed path of this server */
	FEED_PATH_EVENTS,     /* /feeds/events.ics */
	FEED_PATH_COUNSELLOR, /* /feeds/counsellors/{hex token}.ics */
	FEED_PATH_STATION,    /* /feeds/stations/{code}.ics */
};
#define FEED_TOKEN_MAX 129 /* 128 hex digits and the NUL */
/* Parses a feed path, optionally followed by '?' and a plain query
 * (letters, digits, "_=&-."). The counsellor token (1-128 lowercase hex
 * digits) or station code (1-32 of [A-Za-z0-9_-]) goes into
 * tok[FEED_TOKEN_MAX]; "" for the events feed. Never reads past the NUL. */
enum feed_path valid_feed_path(const char *path, char tok[FEED_TOKEN_MAX]);

/* secret.c */

#define SECRET_TOKEN_BYTES 16 /* 128-bit, as feed tokens must be */
#define SECRET_TOKEN_HEX (SECRET_TOKEN_BYTES * 2 + 1)
#define SECRET_SESSION_BYTES 32
#define SECRET_SESSION_HEX (SECRET_SESSION_BYTES * 2 + 1)
#define SECRET_HASH_HEX 65 /* hex of a 32-byte digest */
#define SECRET_PWHASH_MAX 128

int secret_init(void);
/* argon2id (libsodium crypto_pwhash_str, interactive limits). 1 on
 * success, 0 on failure (out of memory). */
int secret_password_hash(const char *password, char out[SECRET_PWHASH_MAX]);
int secret_password_verify(const char *hash, const char *password);
/* Random token of nbytes, hex-encoded into out (2 * nbytes + 1). */
void secret_token(char *out, size_t nbytes);
/* BLAKE2b-256 of a token, hex; what the store keeps instead of the token. */
void secret_token_hash(const char *token, char out[SECRET_HASH_HEX]);
/* BLAKE2b-256 of bytes, hex (for ETags). */
void secret_digest(const void *, size_t, char out[SECRET_HASH_HEX]);
/* Constant-time equality of two NUL-terminated strings of equal length. */
int secret_equal(const char *, const char *);
/* A readable generated password (for the first admin). */
void secret_password_generate(char *out, size_t sz);
void secret_wipe(void *, size_t);

/* activity.c */

/* The words of the reports for event kinds and audiences, both ways. */
const char *activity_kind_zh(const char *kind);  /* "lecture" → "讲座" */
const char *activity_kind_from_zh(const char *); /* "讲座" → "lecture" */
const char *activity_audience_zh(const char *audience);
const char *activity_audience_from_zh(const char *);
extern const char *const activity_kinds[];     /* NULL-terminated */
extern const char *const activity_audiences[]; /* NULL-terminated */
/* The index of kind in activity_kinds, or -1 (NULL or unknown): kinds
 * compared once, then as numbers. */
int activity_kind_index(const char *kind);

/* Day number (days since 1970-01-01) of instant t in zone z. */
int64_t activity_local_day(time_t t, const struct tz *z);
/* Held on the day it was planned for, in the zone (the on-time rule of
 * the indicators: a time change on the same day is still on time). */
int activity_on_time(time_t start, time_t planned_start, const struct tz *);
/* ISO weekday of a day number: Monday = 1 … Sunday = 7. */
int activity_weekday(int64_t day);

/* A holiday or make-up workday, by day number. */
struct day_kind {
	int64_t day;
	int workday; /* 1: 调休 working day; 0: public holiday */
};

/* Whether day is a working day: Monday-Friday unless a holiday, or a
 * make-up workday. */
int activity_is_working_day(int64_t day, const struct day_kind *, size_t n);
/* Picks want days out of the sorted candidates, spread evenly (the
 * middle of each equal share). Returns how many were written to out. */
size_t activity_spread(const int64_t *candidates, size_t ncand, size_t want,
    int64_t *out);

/* roster.c */

/* "HH:MM" into minutes after midnight; -1 when malformed. */
int roster_parse_hhmm(const char *);
/* Monday-based week index of a day number (weeks since 1969-12-29). */
int64_t roster_week(int64_t day);
/* ISO 8601 week label of a day, "2026-W10" (buf: 9 bytes). */
void roster_week_label(int64_t day, char *buf);

/* A seat of a template on one day, to be filled. */
struct roster_slot {
	int64_t station_id, template_id;
	int seat;
	time_t start, end;
	int64_t day;           /* station-local day number */
	int64_t shift_id;      /* the caller's: an existing shift to refill */
	int64_t counsellor_id; /* out: who fills it, 0 when nobody */
	unsigned reason;       /* out: ROSTER_* flags when unfilled */
	int shared;            /* in: a station everyone serves (the hall) */
	unsigned away;         /* out: enum roster_away when filled */
};

/* Why a seat went to a counsellor whose home is another station. */
enum roster_away {
	ROSTER_AWAY_NONE,   /* at home, or they have no home station */
	ROSTER_AWAY_SHARED, /* the station is shared (the district hall) */
	ROSTER_AWAY_NO_OWN, /* the station is nobody's home */
	ROSTER_AWAY_OWN_UNAVAILABLE, /* its own counsellors were on leave,
				  * busy, at max hours or at the streak limit */
	ROSTER_AWAY__MAX
};
extern const char *const roster_away_names[ROSTER_AWAY__MAX + 1];

#define ROSTER_NO_ACTIVE 0x1u /* nobody active at all */
#define ROSTER_ON_LEAVE 0x2u  /* someone was on leave */
#define ROSTER_BUSY 0x4u      /* someone had an overlapping shift */
#define ROSTER_AT_MAX 0x8u    /* someone would pass max weekly hours */

struct roster_person {
	int64_t id;
	int64_t home_station_id;
	int64_t max_week_minutes;
	int active;
};

/* Time a counsellor is not free: an existing shift or leave. */
struct roster_busy {
	int64_t counsellor_id;
	time_t start, end;
	int leave;
};

/* Fills slots (sorted here by start, station, template, seat) with
 * people, never breaking the hard rules (overlap, leave, max weekly
 * hours, inactive). First every seat is offered to the counsellors whose
 * home station it is (fewer hours first, never a sixth consecutive duty
 * day); the seats left then go to anyone, preferring: no sixth
 * consecutive duty day, fewer hours that week and in the period, the
 * home station. A seat given away from home says why (slot->away).
 * Deterministic: ties go to the lower id. Returns 0 on allocation
 * failure, else 1. z gives local days for weeks and streaks. */
int roster_solve(struct roster_slot *, size_t n, const struct roster_person *,
    size_t np, const struct roster_busy *, size_t nb, const struct tz *z);

/* indicator.c */

struct strbuf;

/* Scoring rules (DESIGN "The evaluation framework"). */
enum ind_rule_kind {
	IND_RULE_RATIO, /* actual / target × weight, capped */
	IND_RULE_INVERSE, /* lower is better: ≤ target full, else target / actual */
	IND_RULE_ZERO,      /* zero tolerance: 0 full, else nothing */
	IND_RULE_BANDS,     /* bands:80=1,60=0.6 */
	IND_RULE_DEDUCT,    /* deduct:90,0.2,50 */
	IND_RULE_CHECKLIST, /* the marked items' points */
	IND_RULE_MANUAL,    /* a coordinator's score */
	IND_RULE__MAX
};

#define IND_BANDS_MAX 8
#define IND_RULE_MAX 200   /* bytes of a rule string */
#define IND_SOURCE_MAX 120 /* bytes of a source string */

struct ind_rule {
	enum ind_rule_kind kind;
	size_t nbands;
	double band_at[IND_BANDS_MAX];    /* strictly descending */
	double band_share[IND_BANDS_MAX]; /* of the weight, 0..1 */
	double full, step, floor;         /* deduct */
};

/* Parses a rule string, its old names (tiered, satisfaction_deduct,
 * satisfaction_tiers) included; 1 on success, else 0 with a Chinese
 * reason in err (may be NULL). */
int indicator_rule_parse(const char *s, struct ind_rule *, char *err,
    size_t errsz);
const char *indicator_rule_kind_name(enum ind_rule_kind);
/* The canonical string of a parsed rule ("bands:80=1,60=0.6"). */
void indicator_rule_format(const struct ind_rule *, char *buf, size_t sz);
/* Whether the rule scores an actual (not checklist, not manual). */
int indicator_rule_needs_actual(const struct ind_rule *);
/* The points an actual earns under ratio, inverse, zero, bands or deduct,
 * within 0..weight, rounded to 2 decimals as the reports round. */
double indicator_rule_score(const struct ind_rule *, double target,
    double actual, double weight);
double indicator_round2(double);
/* A plain decimal as a table cell holds it ("5", "2.5", "-1" when neg;
 * at most 6 decimals, no exponent); 1 and *out on success. */
int indicator_number_parse(const char *s, int neg, double *out);
/* "80", "0.6", "2.5": at most 6 decimals, no trailing zeros. */
void indicator_number_format(double, char *buf, size_t sz);

/* A target as the reports print it: "" (none), ">=2", "=100%", ">=90%",
 * "<=3", "100%有效". */
struct ind_target {
	char op[3];    /* ">=", "=" or "<=" */
	int has_value; /* 0 for "" */
	double value;  /* a count, or a percentage 0-100 */
	char unit[8];  /* count | percent | rating */
};
int indicator_target_parse(const char *s, struct ind_target *t);
int indicator_met(const char *op, double target, double actual);

/* 评价要点: "text=points|text=points", a penalty item with negative
 * points. */
#define IND_ITEMS_MAX 20
#define IND_ITEM_CHARS 200
struct ind_item {
	char text[IND_ITEM_CHARS * 4 + 1];
	double points;
};
struct ind_checklist {
	size_t n;
	struct ind_item items[IND_ITEMS_MAX];
};
/* 1 on success ("" is no items), else 0 with a Chinese reason. */
int indicator_checklist_parse(const char *s, struct ind_checklist *, char *err,
    size_t errsz);
/* Whether an item given as JSON can be written in the string form. */
int indicator_checklist_item_ok(const char *text, double points);
void indicator_checklist_format(const struct ind_checklist *, struct strbuf *);
/* Sum of the marked items' points (a marked penalty item subtracts),
 * clamped to 0..weight and rounded; marks beyond nmarks count as
 * unmarked. */
double indicator_checklist_score(const struct ind_checklist *, const int *marks,
    size_t nmarks, double weight);
/* Marks as stored: "1,0,1". */
int indicator_marks_parse(const char *s, int *marks, size_t max, size_t *n);
void indicator_marks_format(const int *marks, size_t n, char *buf, size_t sz);

/* Where a row's actual comes from. */
enum ind_source_kind {
	IND_SRC_MANUAL,
	IND_SRC_EVENTS_HELD,
	IND_SRC_TRAININGS_HELD,
	IND_SRC_TRAININGS_PASS_RATE,
	IND_SRC_TRAININGS_ON_TIME_RATE,
	IND_SRC_PLANS_COMPLETION,
	IND_SRC_SURVEYS_SATISFACTION,
	IND_SRC_DUTY_METRIC,
	IND_SRC_DUTY_ATTENDANCE_RATE,
	IND_SRC_CASES_ASSISTED,
	IND_SRC_CASES_RESOLVED,
	IND_SRC_CASES_RESOLUTION_RATE,
	IND_SRC_CASES_SESSION_HOURS,
	IND_SRC__MAX
};
enum ind_survey_source {
	IND_SURVEY_BOTH,
	IND_SURVEY_EVENTS,
	IND_SURVEY_COUNSELLING,
	IND_SURVEY__MAX
};
struct ind_source {
	enum ind_source_kind kind;
	char kind_filter[16]; /* events.held, plans.completion: "" = any */
	char audience[24];
	char station[33]; /* a station code */
	char metric[33];  /* duty.<metric> */
	int per_hour;     /* duty.counselling_hours: minutes / 60 */
	enum ind_survey_source survey;
};
/* Parses "events.held?kind=lecture&station=HALL", "duty.visitors", …
 * and the old names (trainings_held, training_pass_rate,
 * training_on_time_rate, satisfaction_rate); 1 on success, else 0 with
 * a Chinese reason. Whether a station or metric exists is the caller's
 * question. */
int indicator_source_parse(const char *s, struct ind_source *, char *err,
    size_t errsz);
/* Whether the source gives a percentage. */
int indicator_source_is_rate(const struct ind_source *);
/* 100 × part / whole (0 when whole is 0: the caller decides no data). */
double indicator_rate(int64_t part, int64_t whole);

/* One row for one period, as the caller found it. */
struct ind_eval {
	const struct ind_rule *rule;
	double weight;
	int has_target;
	double target;
	int has_actual; /* the source or the entered value gave one */
	double actual;
	const struct ind_checklist *items;
	int marked; /* marks were entered for the period */
	const int *marks;
	size_t nmarks;
	int has_score; /* rule manual: a score was entered */
	double score;
};
/* 1 and *score when the row can be scored, 0 when it has no data. */
int indicator_evaluate(const struct ind_eval *, double *score);

/* Row codes: [a-z][a-z0-9_]{0,31}. A generated one is stable: "i" and 8
 * hex digits of the three level names, "_salt" after a clash. */
#define IND_CODE_BUF 33
int indicator_code_ok(const char *);
void indicator_code_make(const char *l1, const char *l2, const char *l3,
    unsigned salt, char out[IND_CODE_BUF]);
/* A row's weight is 0-100 points; a table's weights sum to at most 100. */
int indicator_weight_ok(double);
int indicator_weight_sum_ok(double sum);

/* pack.c */

/* An SVG image of the QR code of text (UTF-8, up to 1000 bytes), with a
 * quiet zone; NULL when text cannot be encoded. Caller frees. */
char *pack_qr_svg(const char *text);

/* csv.c */

struct strbuf;

/* An RFC 4180 reader over a buffer: quoted fields, doubled quotes, CRLF
 * or LF, an optional UTF-8 BOM. It never allocates per field beyond the
 * row it returns. */
struct csv;

#define CSV_MAX_FIELDS 32
#define CSV_MAX_FIELD 4096

struct csv_row {
	size_t line;                  /* line the row starts on, 1-based */
	size_t n;                     /* number of fields */
	char *fields[CSV_MAX_FIELDS]; /* NUL-terminated, owned by the reader */
};

struct csv *csv_open(const char *buf, size_t sz);
/* 1 and a row, 0 at the end, -1 on a syntax error (csv_error says
 * which line and why). The row is valid until the next call. */
int csv_next(struct csv *, struct csv_row *);
const char *csv_error(const struct csv *);
void csv_close(struct csv *);
/* A field of a row trimmed of ASCII spaces and tabs at both ends, in
 * place (the imports' reading of a cell). */
char *csv_trim(char *s);
/* The one CSV writer of every export: appends s as a field (RFC 4180
 * quoting), preceded by a comma unless first. A field a spreadsheet would
 * run as a formula (leading '=', '+', '-', '@', tab or CR) is quoted and
 * prefixed with an apostrophe, so it shows as text; csv_put_number writes
 * a number unguarded. csv_end_row ends the line with CRLF. */
void csv_put_field(struct strbuf *, const char *s, int first);
void csv_put_number(struct strbuf *, double v, int decimals, int first);
void csv_end_row(struct strbuf *);
/* Whether an exported field starts like a formula (and so was guarded). */
int csv_formula_start(char c);

/* strbuf.c */

/* A growing NUL-terminated string; zero-initialise it. A failed
 * allocation sets failed and turns later appends into no-ops. */
struct strbuf {
	char *p;
	size_t len, cap;
	int failed;
};
void strbuf_add(struct strbuf *, const char *s, size_t n);
void strbuf_str(struct strbuf *, const char *s);
void strbuf_printf(struct strbuf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The string (caller frees; "" when nothing was added) and its length;
 * NULL when an allocation failed. The buffer is empty afterwards. */
char *strbuf_take(struct strbuf *, size_t *len);
void strbuf_free(struct strbuf *);
/* Makes room for n more bytes at once (exactly, not doubled): for a
 * text whose size is known before it is built. */
void strbuf_reserve(struct strbuf *, size_t n);

/* mime.c */

/* E-mail messages (RFC 5322, MIME RFC 2045-2047) built in memory. Every
 * line ends in CRLF: libesmtp sends the text as is (LIBNOTES). */

/* A header value as RFC 2047 encoded-words where needed: printable ASCII
 * without "=?" of up to 700 bytes comes back unchanged (longer ASCII is
 * encoded too, so the line folds under 998 octets); anything else becomes
 * "=?UTF-8?B?…?=" words of at most 45 input bytes each, cut only between
 * UTF-8 characters and joined by CRLF SP (a folded header line). NULL on
 * invalid UTF-8, a control character or no memory. Caller frees. */
char *mime_header_encode(const char *utf8);

/* An address for From/To/Reply-To: "addr" without a name, otherwise
 * the name (quoted when ASCII with specials, encoded when not) and
 * "<addr>". NULL when email is not valid_email() or the name is not
 * valid UTF-8 without control characters. Caller frees. */
char *mime_address(const char *name, const char *email);

/* An RFC 5322 date ("Mon, 23 Nov 2026 08:00:00 +0800") of t at the
 * given UTC offset in minutes; 0 when out does not hold it. */
int mime_date(time_t t, int utc_offset_min, char *out, size_t sz);

struct mime_message {
	const char *from_name;  /* NULL = address only */
	const char *from_email; /* required */
	const char *reply_to;   /* an address; NULL = no Reply-To */
	const char *to_name;    /* NULL = address only */
	const char *to_email;   /* required */
	const char *subject;    /* UTF-8, required */
	time_t date;
	int utc_offset_min;          /* zone of the Date header, e.g. 480 */
	const char *message_id;      /* "local@domain", without <>, required */
	const char *unsubscribe_url; /* List-Unsubscribe; NULL = none */
	const char *text;            /* UTF-8 body, LF or CRLF line ends */
	const char *calendar;        /* iCalendar text (CRLF); NULL = none */
	size_t calendar_len;
	const char *calendar_method; /* "REQUEST", "CANCEL" or "PUBLISH" */
};

/* The whole message: headers (From, To, Reply-To, Subject, Date,
 * Message-ID, MIME-Version, Auto-Submitted: auto-generated,
 * List-Unsubscribe), then, with a calendar, a multipart/mixed body of a
 * text/plain part and a "text/calendar; method=…" part (both UTF-8,
 * base64 in lines of 76), the boundary derived from message_id; without
 * a calendar a plain text/plain body. reply_to is a bare address.
 * Returns malloc'd text and its length, NULL on an invalid field (see
 * mime_address, mime_header_encode; a message_id with spaces, control
 * characters or without one "@"; an unknown method) or no memory. */
char *mime_build(const struct mime_message *, size_t *len);

/* duty.c: duty logs (值班记录) — counts and a short note, never a
 * petitioner's identity. */

#define DUTY_CODE_MAX 32      /* characters of a metric code */
#define DUTY_VALUE_MAX 100000 /* the largest count of one shift */
#define DUTY_MAX_METRICS 64   /* metrics a log may carry */
#define DUTY_NOTE_MAX 200     /* characters of a log's note */
#define DUTY_NOT_CLOSED INT64_MIN
#define DUTY_HOURS_MAX 32 /* bytes of duty_hours_format's text */

/* Whether s is a metric code: [a-z][a-z0-9_]{0,31}. */
int duty_code_valid(const char *s);

struct duty_value {
	char code[DUTY_CODE_MAX + 1];
	int64_t value;
};

/* Checks the "values" of a log: absent or null (none), or an object
 * whose keys are codes among active (nactive of them) and whose values
 * are JSON integers 0..DUTY_VALUE_MAX; a log of an absent counsellor
 * (attended 0) takes none. Fills out (at most max) and *nout; 0 with err
 * naming the field ("values.visitors") on the first problem. */
int duty_values_check(const json_t *values, int attended,
    const char *const *active, size_t nactive, struct duty_value *out,
    size_t max, size_t *nout, struct herror *err);

/* Minutes as hours with two decimals, rounded half up in integer
 * arithmetic: 120576 → "2009.60". */
void duty_hours_format(int64_t minutes, char *buf, size_t sz);

/* May this user write this shift's log, and if not, why. */
enum duty_verdict {
	DUTY_WRITE_OK,
	DUTY_WRITE_FORBIDDEN,   /* a counsellor, and not this shift's */
	DUTY_WRITE_CANCELLED,   /* the shift is cancelled */
	DUTY_WRITE_OPEN_SEAT,   /* nobody was on duty */
	DUTY_WRITE_NOT_STARTED, /* the shift is still ahead */
	DUTY_WRITE_CLOSED,      /* closed: read-only for counsellors */
	DUTY_WRITE_NEED_REASON, /* a coordinator's correction needs a reason */
	DUTY_WRITE__MAX
};

struct duty_write {
	int coordinator;           /* the writer is a coordinator */
	int64_t writer_counsellor; /* the writer's counsellor id, 0 none */
	int64_t shift_counsellor;  /* the shift's counsellor, 0 open seat */
	int cancelled;
	time_t start, now;
	int64_t end_day;        /* duty_end_day of the shift */
	int64_t closed_through; /* last closed day, or DUTY_NOT_CLOSED */
	int has_log;            /* the shift has a log already */
	int log_by_counsellor;  /* … last written by a counsellor */
	int has_reason;         /* the request gives a reason */
};

/* A counsellor writes only the shift they are on, once it started,
 * until it is closed; a coordinator writes any started shift that is
 * not cancelled, giving a reason to correct a closed log or one a
 * counsellor wrote. */
enum duty_verdict duty_may_write(const struct duty_write *);
const char *duty_verdict_name(enum duty_verdict);
/* A coordinator reads every log; a counsellor the logs of the shifts
 * they are on or logged. */
int duty_may_read(int coordinator, int64_t me, int64_t shift_counsellor,
    int64_t log_counsellor);
/* Whether a shift ending on end_day is closed. */
int duty_closed(int64_t end_day, int64_t closed_through);
/* The setting duty_logs_closed_through: "" (DUTY_NOT_CLOSED) or a day;
 * 0 when malformed. */
int duty_closed_parse(const char *s, int64_t *day);
/* The local day a shift ending at end ended on (midnight counts for the
 * day before). */
int64_t duty_end_day(time_t end, const struct tz *z);
/* "2023-05", the local month of instant t (a shift belongs to the month
 * it starts in); sz at least 8. */
void duty_month_key(time_t t, const struct tz *z, char *buf, size_t sz);
/* cases.c: the key-case register (重点个案) */

enum case_status {
	CASE_STATUS_ANY = -1, /* a filter: any */
	CASE_OPEN,
	CASE_RESOLVED,   /* 已化解 */
	CASE_UNRESOLVED, /* 未化解 */
	CASE_STATUS__MAX
};
/* Names by enum, NULL-terminated (usable as VT_ENUM choices). */
extern const char *const case_status_names[CASE_STATUS__MAX + 1];
int case_status_parse(const char *, enum case_status *);
const char *case_status_name(enum case_status);

enum case_session_kind {
	CASE_SESSION_ONE_TO_ONE,
	CASE_SESSION_HOME_VISIT,
	CASE_SESSION_PHONE,
	CASE_SESSION_GROUP,
	CASE_SESSION__MAX
};
extern const char *const case_session_kinds[CASE_SESSION__MAX + 1];
int case_session_kind_parse(const char *, enum case_session_kind *);

#define CASE_LABEL_MAX 24        /* characters (all ASCII) */
#define CASE_LABEL_MAX_LETTERS 4 /* a longer run of letters reads as a name */

enum case_label_err {
	CASE_LABEL_OK,
	CASE_LABEL_EMPTY,
	CASE_LABEL_LENGTH,
	CASE_LABEL_CHARSET, /* not only [A-Za-z0-9_-]: Chinese, spaces, … */
	CASE_LABEL_NAME,    /* no digit, or more than 4 letters in a row */
	CASE_LABEL_NUMBER,  /* 11 digits in a row: a phone or an ID number */
};
/* Whether s is a pseudonymous case label such as "2023-017". */
enum case_label_err case_label_check(const char *s);
/* The Chinese message of an error ("" for CASE_LABEL_OK). */
const char *case_label_message(enum case_label_err);

enum case_note_err {
	CASE_NOTE_OK,
	CASE_NOTE_PHONE, /* an 11-digit mainland mobile number */
	CASE_NOTE_ID,    /* a 15- or 18-character identity-card number */
};
/* Looks for a mobile or identity-card number in a note, written in
 * ASCII or full-width digits, whole or in groups split by one space or
 * '-' ("138 1234 5678"). */
enum case_note_err case_note_check(const char *s);
const char *case_note_message(enum case_note_err);

#define CASE_NO_DAY INT64_MIN

/* A case's status and dates as day numbers (closed CASE_NO_DAY: none). */
struct case_dates {
	enum case_status status;
	int64_t opened, closed;
};

/* What a request asks to change; has_* says which fields it names
 * (closed may be CASE_NO_DAY: null). */
struct case_change {
	int has_status, has_opened, has_closed;
	enum case_status status;
	int64_t opened, closed;
};

enum case_rule {
	CASE_RULE_OK,
	CASE_RULE_OPENED_REQUIRED,
	CASE_RULE_OPENED_FUTURE,
	CASE_RULE_CLOSED_REQUIRED,   /* a final status without closed_on */
	CASE_RULE_CLOSED_WHILE_OPEN, /* closed_on given to an open case */
	CASE_RULE_CLOSED_BEFORE_OPENED,
	CASE_RULE_CLOSED_FUTURE,
	CASE_RULE_MINUTES, /* a session outside 1-1440 minutes */
	CASE_RULE_SESSION_BEFORE_OPENED,
	CASE_RULE_SESSION_FUTURE,
	CASE_RULE_SESSION_AFTER_CLOSED,
};

/* The case after a create (before NULL) or a change: a final status
 * needs a closing date (given now, or kept from an earlier close), on or
 * after the opening date and not after today; reopening clears it.
 * *after is filled even on an error. */
enum case_rule case_apply(const struct case_dates *before,
    const struct case_change *, int64_t today, struct case_dates *after);
/* Whether a session on day date of minutes fits the case. */
enum case_rule case_session_check(const struct case_dates *, int64_t date,
    int64_t minutes, int64_t today);
/* The field a rule concerns (NULL for none) and its Chinese message. */
const char *case_rule_field(enum case_rule);
const char *case_rule_message(enum case_rule);

/* tally.c: satisfaction from online answers and paper tallies */

#define TALLY_MAX_COUNT 100000
#define TALLY_SATISFIED_MIN 4 /* 满意 (4) and 非常满意 (5) */

enum tally_err {
	TALLY_OK,
	TALLY_NOT_OBJECT,
	TALLY_BAD_KEY,     /* a key other than "1".."5" */
	TALLY_NOT_INTEGER, /* a fraction, a string, … */
	TALLY_NEGATIVE,
	TALLY_TOO_LARGE,
	TALLY_ALL_ZERO,
};
/* Reads {"5":20,"4":23,"3":5,"2":2,"1":0} into n[0] (1 = 非常不满意) …
 * n[4] (5 = 非常满意); a missing key is 0. On an error key[8] names the
 * offending key ("" when none). */
enum tally_err tally_counts_parse(const json_t *counts, int64_t n[5],
    char key[8]);
const char *tally_message(enum tally_err);

/* Satisfied answers over all answers of a likert5 question. */
struct tally_sat {
	int64_t satisfied, total;
};
/* One online answer 1-5 (others are ignored). */
void tally_add_answer(struct tally_sat *, int64_t value);
/* One paper tally, counted like that many answers. */
void tally_add_counts(struct tally_sat *, const int64_t n[5]);
/* satisfied / total, or -1 when there is no answer. */
double tally_rate(const struct tally_sat *);

/* notify.c: messages for group robots (企业微信, 钉钉) and SMS, the
 * request signatures of their services, and the readers of their
 * answers. No I/O: svc/notify sends what these build. */

enum notify_channel {
	NOTIFY_EMAIL,
	NOTIFY_WECOM,
	NOTIFY_DINGTALK,
	NOTIFY_SMS,
	NOTIFY__MAX
};
extern const char *const notify_channels[NOTIFY__MAX + 1]; /* NULL-ended */
int notify_channel_parse(const char *);                    /* -1 when unknown */

/* What an SMS to a participant says; each kind has its approved
 * template in the configuration. */
enum notify_sms_kind {
	NOTIFY_SMS_REGISTERED, /* registration confirmed */
	NOTIFY_SMS_PROMOTED,   /* a waitlist place opened: now registered */
	NOTIFY_SMS_CHANGE,     /* the event changed */
	NOTIFY_SMS_CANCEL,     /* the event was cancelled */
	NOTIFY_SMS_REMINDER,   /* the day before */
	NOTIFY_SMS__MAX
};
extern const char *const notify_sms_kinds[NOTIFY_SMS__MAX + 1];
int notify_sms_kind_parse(const char *);

/* A mainland China mobile number, 1[3-9] and nine digits, optionally
 * after "+86"; single spaces or hyphens between digits are allowed. 1
 * and the 11 digits in out, 0 when it is not one. */
#define NOTIFY_PHONE_SZ 12
int notify_phone_cn(const char *in, char out[NOTIFY_PHONE_SZ]);

enum notify_sms_provider {
	SMS_PROVIDER_NONE,
	SMS_PROVIDER_ALIYUN,  /* Alibaba Cloud SMS, SendSms 2017-05-25 */
	SMS_PROVIDER_TENCENT, /* Tencent Cloud SMS, SendSms 2021-01-11 */
	SMS_PROVIDER__MAX
};
extern const char *const notify_sms_providers[SMS_PROVIDER__MAX + 1];
/* -1 when s names no provider ("" and NULL are SMS_PROVIDER_NONE). */
int notify_sms_provider_parse(const char *s);
/* Whether url may be a channel endpoint: https://, or http:// to a
 * loopback host (a test receiver); no user info, no fragment. */
int notify_url_ok(const char *url);

/* Appends s for a robot's markdown: ASCII characters markdown reads as
 * markup ([]()<>*_`#\~|!) become their full-width forms, controls and
 * line breaks spaces. */
void notify_md_text(struct strbuf *, const char *s);
/* "3月2日（周一）" of a day number. */
void notify_day_zh(struct strbuf *, int64_t day);
/* "3月2日（周一）09:00–12:00" in zone z (UTC when NULL). */
void notify_span_zh(struct strbuf *, time_t start, time_t end,
    const struct tz *z);
/* "3月2日14:30". */
void notify_when_zh(struct strbuf *, time_t t, const struct tz *z);

/* A robot message is cut to this many bytes of markdown (WeCom takes
 * at most 4096), at a line end. */
#define NOTIFY_ROBOT_MAX 4000
/* The JSON body of a markdown message as each service documents it:
 * WeCom {"msgtype":"markdown","markdown":{"content"}}, DingTalk
 * {"msgtype":"markdown","markdown":{"title","text"}}. Caller frees;
 * NULL on no memory or another channel. */
char *notify_robot_body(enum notify_channel, const char *title,
    const char *markdown);

/* One seat of the day's duty. */
struct notify_duty {
	const char *station;
	const char *counsellor; /* "" = open */
	time_t start, end;
};
/* "今日值班" of a local day, grouped by station (items are sorted). */
void notify_md_duty_day(struct strbuf *, int64_t day, struct notify_duty *items,
    size_t n, const struct tz *);

struct notify_event_text {
	const char *kind_zh, *title, *where,
	    *reason; /* where, reason: may be NULL */
	time_t start, end;
	time_t old_start,
	    old_end; /* a moved event: the time before; 0 = same */
	int cancelled;
};
void notify_md_event(struct strbuf *, const struct notify_event_text *,
    const struct tz *);
/* A roster notice: lines (at most n shown) of total changes. */
void notify_md_roster(struct strbuf *, const char *scope,
    const char *const *lines, size_t n, size_t total);
void notify_md_duty_log(struct strbuf *, const char *counsellor,
    const char *station, time_t start, time_t end, const struct tz *);
void notify_md_test(struct strbuf *, const char *scope, time_t now,
    const struct tz *);

/* Template parameters of an SMS: {"title","time","place"}, title and
 * place cut to NOTIFY_SMS_PARAM_MAX characters. Tencent's positional
 * templates take them in that order ({1} {2} {3}). */
#define NOTIFY_SMS_PARAM_MAX 20
json_t *notify_sms_params(const char *title, time_t start, const char *place,
    const struct tz *);

/* The key (WeCom) or access_token (DingTalk) of a robot from what a
 * coordinator pasted: the bare value, or the webhook URL the service
 * shows, which must start with base_url and "?". 1 with out, 0 with
 * the reason in err. */
int notify_webhook_token(enum notify_channel, const char *in,
    const char *base_url, char *out, size_t sz, char *err, size_t errsz);
/* A DingTalk signing secret: 8-128 letters, digits, '-' or '_'. */
int notify_robot_secret_valid(const char *);
/* What the console shows of a secret: "••••" and its last 4 characters
 * (nothing more of a short one). */
void notify_hint(const char *secret, char *out, size_t sz);

/* RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (the
 * rule of Alibaba Cloud's signature and of DingTalk's sign). */
void notify_percent_encode(struct strbuf *, const char *s);
/* Lowercase hex SHA-256. */
int notify_sha256_hex(const void *, size_t, char out[65]);
/* DingTalk robot: urlencode(base64(HMAC-SHA256(secret, ts "\n"
 * secret))), ts in milliseconds. */
int notify_dingtalk_sign(const char *secret, long long ts_ms,
    struct strbuf *out);

/* Alibaba Cloud RPC signature (SignatureMethod HMAC-SHA1, version
 * 1.0): params (sorted here by name) percent-encoded into the
 * canonicalized query; StringToSign = method "&%2F&" + encoded query;
 * signature = base64(HMAC-SHA1(secret "&", StringToSign)). query gets
 * the canonicalized query (without Signature), to_sign (may be NULL)
 * the StringToSign. */
struct notify_param {
	const char *name, *value;
};
#define NOTIFY_ALIYUN_SIG_SZ 32
int notify_aliyun_sign(const char *method, struct notify_param *, size_t n,
    const char *secret, struct strbuf *query, struct strbuf *to_sign,
    char signature[NOTIFY_ALIYUN_SIG_SZ]);

/* Tencent Cloud API 3.0, TC3-HMAC-SHA256, for a POST of payload with
 * headers content-type and host signed. */
struct notify_tc3 {
	const char *secret_id, *secret_key;
	const char *service, *host, *content_type;
	const char *payload;
	size_t payload_len;
	time_t timestamp;
};
struct notify_tc3_out {
	char payload_hash[65]; /* HashedRequestPayload */
	char request_hash[65]; /* HashedCanonicalRequest */
	char signature[65];
	struct strbuf authorization; /* the Authorization header value */
};
int notify_tc3_sign(const struct notify_tc3 *, struct notify_tc3_out *);

/* What an answer means for the message: sent; try again after the
 * back-off; the service is down (try again, and pause the channel); or
 * never (this number cannot be reached). */
enum notify_result {
	NOTIFY_SENT,
	NOTIFY_RETRY,
	NOTIFY_DOWN,
	NOTIFY_DEAD
};
/* A robot's answer: HTTP 2xx with {"errcode":0} is success; another
 * errcode fails with "errcode N: errmsg" in err. */
enum notify_result notify_robot_answer(long status, const char *body,
    size_t len, char *err, size_t errsz);
/* SendSms of Alibaba Cloud (Format=JSON): Code "OK" is success. */
enum notify_result notify_aliyun_answer(long status, const char *body,
    size_t len, char *err, size_t errsz);
/* SendSms of Tencent Cloud: Response.SendStatusSet[0].Code "Ok" is
 * success; Response.Error fails. */
enum notify_result notify_tencent_answer(long status, const char *body,
    size_t len, char *err, size_t errsz);
/* password.c (issue 17) */

#define PASSWORD_MIN 10 /* characters */
#define PASSWORD_MAX_BYTES 256

/* A list of common passwords, lower-case, for password_check. */
struct pwlist;
/* Reads lists of one password a line ("#" lines are comments) from the
 * given texts (copied); NULL when out of memory. */
struct pwlist *pwlist_new(const char *const *texts, const size_t *sizes,
    size_t ntexts);
void pwlist_free(struct pwlist *);
size_t pwlist_size(const struct pwlist *);
/* Whether word (lower-case) is on the list. */
int pwlist_has(const struct pwlist *, const char *word);

enum pw_problem {
	PW_OK,
	PW_TOO_SHORT,
	PW_TOO_LONG,
	PW_NOT_UTF8,
	PW_SAME_AS_USER,
	PW_REPEATED,
	PW_SEQUENCE,
	PW_COMMON,
	PW__MAX
};
/* Whether pw may be a password of username (NULL: any): see password.c
 * for the rule. common may be NULL (no list). */
enum pw_problem password_check(const char *pw, const char *username,
    const struct pwlist *common);
/* The problem in Chinese, for the reply and the console. */
const char *password_problem_zh(enum pw_problem);

/* import.c (issue 17): the activity CSV of the reports, both ways */

enum activity_col {
	ACOL_DATE,
	ACOL_STATION,
	ACOL_TITLE,
	ACOL_CATEGORY,
	ACOL_AUDIENCE,
	ACOL_START_TIME,
	ACOL_END_TIME,
	ACOL_VENUE,
	ACOL_PUBLIC,
	ACOL_STATUS, /* optional; written by GET /events.csv */
	ACOL__MAX
};
extern const char *const activity_csv_columns[ACOL__MAX];

/* Where the problems of an import go (line, field, a Chinese message). */
struct import_sink {
	void (*problem)(void *ctx, size_t line, const char *field,
	    const char *msg);
	void *ctx;
};

/* The column of each ACOL_* in the file (-1 absent) and the width. */
struct import_header {
	int pos[ACOL__MAX];
	size_t ncols;
};

/* One activity as a row of the reports (station-local day and times). */
struct activity_row {
	size_t line;
	int64_t day;
	int start_min, end_min; /* minutes after midnight */
	char *station;          /* the cell: a code or a name (owned) */
	char *title, *venue;    /* owned */
	const char *kind;       /* "lecture" … (static) */
	const char *audience;   /* "staff" … (static) */
	int public_;
	int status; /* enum event_status; _ANY: not given */
};

/* Maps the header row: 1, or 0 after a problem (unknown, doubled or
 * missing column). */
int import_header_read(const struct csv_row *, struct import_header *,
    const struct import_sink *);
/* One data row into a: 1 good, 0 with its problems reported (a is
 * empty), -1 out of memory. Dates 1970-01-01 to 2100-12-31. */
int import_row_read(const struct csv_row *, const struct import_header *,
    struct activity_row *a, const struct import_sink *);
void activity_row_free(struct activity_row *);
/* The BOM and header line of an export, then one line per row (the
 * columns of activity_csv_columns; kind and audience in Chinese). */
void activity_csv_header(struct strbuf *);
void activity_row_write(struct strbuf *, const struct activity_row *);
/* The header with the status column as well (rows then carry a status:
 * the events CSV, which has cancelled events too). */
void activity_csv_header_status(struct strbuf *);
/* An event status in the words of the CSV (已计划 …); NULL if none. */
const char *event_status_zh(int status);

/* Stations by code and name for an import: the references (strings
 * borrowed: keep them alive while the index lives). */
struct station_ref {
	int64_t id;
	const char *code, *name;
	int active;
};
struct station_index;
struct station_index *station_index_new(const struct station_ref *, size_t n);
void station_index_free(struct station_index *);
/* The station a cell names: its code (ASCII case folded), its full name
 * (the active one first, then the lowest id), or the start of exactly
 * one station's name; 0 when none. O(log n). */
int64_t station_index_find(const struct station_index *, const char *cell);
/* The largest n of the codes "IMPn" (0 when none): new stations of an
 * import get IMP(n+1), IMP(n+2), … */
int64_t station_index_max_imp(const struct station_index *);

/* Forgiving input (issue 13). The text of an import as UTF-8: valid
 * UTF-8 (a BOM allowed) is used as it is (1, *out NULL); anything else
 * is read as GB18030 (which GBK and GB2312 are subsets of, the default
 * of Chinese Excel and WPS) into a new buffer *out of *outn bytes (2);
 * 0 when it is neither (a file with a UTF-8 BOM is never re-read), -1
 * out of memory. */
int import_to_utf8(const char *in, size_t n, char **out, size_t *outn);
/* A date cell: YYYY-MM-DD, YYYY-M-D or YYYY/M/D, optionally followed by
 * a clock time H:MM or HH:MM (":SS" allowed): 1 date only (*min -1), 2
 * with a time (*min minutes after midnight), 0 not a date. */
int import_parse_when(const char *s, int64_t *day, int *min);
/* A time cell: H:MM or HH:MM (":SS" allowed) in minutes; -1 if not. */
int import_parse_clock(const char *s);
/* An event as an import matches it: the station-local day, the station
 * (0: district-wide) and the title. */
struct event_key {
	int64_t day;
	int64_t station_id;
	const char *title;
	int64_t id; /* the existing event's (for have) */
};
/* For each of rows, the id of an event of have with the same key, else
 * 0, in found[]; the count found. have is sorted in place. */
size_t import_match_present(struct event_key *have, size_t nhave,
    const struct event_key *rows, size_t n, int64_t *found);

/* survey.c (issue 17): survey templates and answers */

#define SURVEY_MAX_TEXT 2000 /* characters of a text answer */

/* Whether s is a question or option id: 1-32 of a-z, 0-9 and _. */
int survey_key_ok(const char *s);
/* Checks question idx of a new template (fields, id, options of a
 * choice, the satisfaction question a likert5); 0 and err when bad. */
int survey_question_check(const json_t *question, size_t idx,
    struct herror *err);
/* An answer's value: an integer (likert5) or text (borrowed from the
 * JSON: a choice's option id or a text answer). */
struct survey_value {
	int has_int;
	int64_t value_int;
	const char *text;
};
/* Checks the answer v (may be NULL) to the question key of type
 * (likert5 | choice | text) with its options (JSON, choice only): 1 and
 * out, 0 when there is none and none is required, -1 and err. */
int survey_answer_check(const char *key, const char *type, const char *options,
    int required, const json_t *v, struct survey_value *out,
    struct herror *err);

/* strpool.c: strings made while building something, freed together; a
 * failed allocation sets failed and returns NULL. */
struct strpool {
	char **v;
	size_t n, cap;
	int failed;
};
/* Keeps p (a malloc'd string, NULL counts as a failure) and returns it. */
const char *strpool_keep(struct strpool *, char *p);
const char *strpool_keepf(struct strpool *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strpool_free(struct strpool *);

/* state.c: the states of records and the rules of their changes. Index 0
 * of each enum is no state (a filter's "any"); the tables hold the names
 * of the database and the API, "" first, NULL last, so names + 1 is the
 * NULL-terminated list of choices. */
enum event_status {
	EVENT_STATUS_ANY,
	EVENT_PLANNED,
	EVENT_CONFIRMED,
	EVENT_HELD,
	EVENT_CANCELLED,
	EVENT_STATUS__MAX
};
extern const char *const event_status_names[EVENT_STATUS__MAX + 1];
enum shift_status {
	SHIFT_STATUS_ANY,
	SHIFT_PLANNED,
	SHIFT_CONFIRMED,
	SHIFT_CANCELLED,
	SHIFT_STATUS__MAX
};
extern const char *const shift_status_names[SHIFT_STATUS__MAX + 1];
enum registration_status {
	REGISTRATION_STATUS_ANY,
	REGISTRATION_REGISTERED,
	REGISTRATION_WAITLISTED,
	REGISTRATION_CANCELLED,
	REGISTRATION_STATUS__MAX
};
extern const char
    *const registration_status_names[REGISTRATION_STATUS__MAX + 1];
enum swap_status {
	SWAP_STATUS_ANY,
	SWAP_PENDING,
	SWAP_APPROVED,
	SWAP_REJECTED,
	SWAP_WITHDRAWN,
	SWAP_STATUS__MAX
};
extern const char *const swap_status_names[SWAP_STATUS__MAX + 1];
enum outbox_status {
	OUTBOX_STATUS_ANY,
	OUTBOX_PENDING,
	OUTBOX_SENDING,
	OUTBOX_SENT,
	OUTBOX_FAILED,
	OUTBOX_DEAD,
	OUTBOX_SKIPPED,
	OUTBOX_STATUS__MAX
};
extern const char *const outbox_status_names[OUTBOX_STATUS__MAX + 1];
/* The Chinese label of an outbox status ("" for _ANY), and of one of the
 * service's own skip reasons ("superseded" …); NULL for another text (a
 * remote server's refusal, shown as it came). */
const char *outbox_status_zh(enum outbox_status);
const char *outbox_reason_zh(const char *reason);
/* The index of s in names (a table above), 0 when it is none of them. */
int state_parse(const char *const *names, const char *s);
/* Whether an event still lies ahead of its people (planned, confirmed):
 * reminders and notices go out. */
int event_status_live(enum event_status);
/* Whether an event's state is final (held, cancelled): no reschedule,
 * no cancel. */
int event_status_final(enum event_status);
/* A PATCH of an event in state now asking for want (ANY: none asked)
 * at time at: whether it may be, and the history kind to record
 * ("updated", "confirmed", "held"). */
enum event_refusal {
	EVENT_CHANGE_OK,
	EVENT_REFUSE_CANCELLED,   /* a cancelled event cannot change (409) */
	EVENT_REFUSE_HELD,        /* a held event stays held (409) */
	EVENT_REFUSE_NOT_STARTED, /* held only once started (422) */
	EVENT_REFUSE_NOT_HELD,    /* undo: only a held event (409) */
	EVENT_REFUSE_ANSWERED,    /* undo: its survey has answers (409) */
};
/* Whether "mark held" may be undone (back to confirmed): only a held
 * event, and only while nobody has answered its survey (answers: the
 * personal and anonymous responses and paper tallies). */
enum event_refusal event_unhold_check(enum event_status now, int64_t answers);
enum event_refusal event_status_change(enum event_status now,
    enum event_status want, time_t start_at, time_t at, const char **kind);
/* A held event's survey takes answers for this many days after its end. */
#define EVENT_SURVEY_DAYS 30
/* Whether an event's survey takes answers at time at. */
int event_survey_open(enum event_status, time_t end_at, time_t at);

/* leave.c: leave that waits for the coordinator (issue 13). */
enum leave_status {
	LEAVE_STATUS_ANY,
	LEAVE_PENDING,  /* a counsellor's, over shifts: waits for a decision */
	LEAVE_APPROVED, /* in force: keeps the counsellor off duty */
	LEAVE_REFUSED,
	LEAVE_STATUS__MAX
};
extern const char *const leave_status_names[LEAVE_STATUS__MAX + 1];
enum leave_by {
	LEAVE_BY_ANY,
	LEAVE_BY_COORDINATOR,
	LEAVE_BY_COUNSELLOR,
	LEAVE_BY__MAX
};
extern const char *const leave_by_names[LEAVE_BY__MAX + 1];
/* The state new leave starts in: a counsellor's leave over assigned
 * shifts waits for approval when the bureau asks for it; anything else
 * is in force at once. */
enum leave_status leave_initial(enum leave_by by, size_t shifts_touched,
    int needs_approval);
/* Whether a counsellor asking (as_counsellor) or a coordinator may
 * withdraw (delete) leave entered by `by` now in state `st`, decided by
 * a coordinator (decided) or not. */
enum leave_refusal {
	LEAVE_OK,
	LEAVE_REFUSE_NOT_YOURS, /* the coordinator entered it (403) */
	LEAVE_REFUSE_DECIDED,   /* approved or refused by a coordinator (409) */
	LEAVE_REFUSE_NOT_PENDING /* only pending leave is decided (409) */
};
enum leave_refusal leave_withdraw(enum leave_by by, enum leave_status st,
    int decided, int as_counsellor);
/* A coordinator's decision on leave in state st: LEAVE_OK and *out the
 * new state, or LEAVE_REFUSE_NOT_PENDING. */
enum leave_refusal leave_decide(enum leave_status st, int approve,
    enum leave_status *out);
/* Whether leave in state st keeps its counsellor off duty. */
int leave_in_force(enum leave_status st);
/* Whether leave in state st marks the shifts it covers (pending and
 * approved; refused leave marks nothing). */
int leave_marks(enum leave_status st);

/* Why a counsellor is not free for [start, end): the first reason of
 * inactive, approved leave, another shift overlapping, the week's hours
 * (week_from..week_to: the week of start; minutes of own shifts starting
 * in it count). own: their shifts (leave 0) and approved leave (leave
 * 1); entries whose id is in ignore (a swap's two shifts) do not count.
 * *which: the entry that decided (leave, overlap), else n. */
enum busy_kind {
	BUSY_NONE,
	BUSY_INACTIVE,
	BUSY_LEAVE,
	BUSY_OVERLAP,
	BUSY_MAX_HOURS,
	BUSY_KIND__MAX
};
extern const char *const busy_kind_names[BUSY_KIND__MAX + 1];
struct busy_span {
	int64_t id;
	time_t start, end;
	int leave;
};
enum busy_kind busy_check(int active, int64_t max_week_minutes, time_t start,
    time_t end, time_t week_from, time_t week_to, const struct busy_span *own,
    size_t n, const int64_t *ignore, size_t nignore, size_t *which);
/* regist.c (issue 13.5): registrations as pure rules */

/* Whether two registrations are one person: the same e-mail address
 * (case and blanks aside) or the same phone number (a mainland mobile
 * with or without +86, blanks, dashes). Empty fields match nothing. */
int registration_same_person(const char *email_a, const char *phone_a,
    const char *email_b, const char *phone_b);
/* The keys registration_same_person compares (issue 15, regidx), for
 * an index: registration_same_person(a, b) exactly when a and b have an
 * equal e-mail key or an equal phone key. The e-mail key: the address
 * without surrounding blanks, ASCII letters in lower case, into *key
 * (malloc'd): 1, 0 when there is none (*key NULL), -1 out of memory. */
int registration_email_key(const char *email, char **key);
/* The phone key (digits only; a mainland mobile as its 11 digits) into
 * key: 1, 0 when there is none (key ""). */
#define REGISTRATION_PHONE_KEY_SZ 32
int registration_phone_key(const char *phone,
    char key[REGISTRATION_PHONE_KEY_SZ]);
/* What the staff are told when a registration of status was checks in
 * (already: it had checked in before), in Chinese. */
const char *checkin_message_zh(enum registration_status was, int already);
/* attended / (registered + walk-ins) into *rate, where walk-ins are the
 * attendees without a registered place (attended_all minus
 * attended_registered: walk-ins and the waitlisted who came); 0 when
 * there is nobody to count. */
int attendance_rate(int64_t registered, int64_t attended_registered,
    int64_t attended_all, double *rate);

/* outbox.c: what a try makes of an outbox row (the outbox worker's
 * decisions, svc/outbox/worker.c) */

/* What came of a try to send a row. */
enum outbox_try {
	OUTBOX_TRY_SENT,
	OUTBOX_TRY_RETRY, /* try again after the back-off */
	OUTBOX_TRY_DOWN,  /* the same, and pause the channel a while */
	OUTBOX_TRY_DEAD,  /* never: this recipient cannot be reached */
	OUTBOX_TRY_SKIP,  /* not sent, by a rule (opt-out, limit, robot off) */
	OUTBOX_TRY__MAX
};
/* What a channel's prepare made of a row queued without a body (a
 * reminder, a gathered roster notice), built as it goes out. */
enum outbox_built {
	OUTBOX_BUILT_FAILED = -1, /* the store failed: tried again */
	OUTBOX_BUILT_NONE = 0,  /* nothing to send (recipient gone): skipped */
	OUTBOX_BUILT = 1,       /* the body is built: sent */
	OUTBOX_BUILT_BROKEN = 2 /* it cannot be built: dead, with last_error */
};
/* The back-off after the n-th failed try (1-based): 1 min, 5 min,
 * 30 min, 2 h, 12 h; 0 once the row is to be dead (after the 5th). */
time_t outbox_backoff(int attempts);
/* The status a row takes after its attempts-th try came out as t; for
 * OUTBOX_FAILED, *next is set to when it is tried again. */
enum outbox_status outbox_after_try(enum outbox_try t, int attempts, time_t now,
    time_t *next);
/* Claims across instances (issue 16 item 3): a row being sent is its
 * instance's until the lease runs out; then another instance takes it
 * back and sends it (again, if the first one's send went through before
 * it died). The lease, seconds: config key outbox_lease. */
#define OUTBOX_LEASE_MIN 2
#define OUTBOX_LEASE_MAX 3600
#define OUTBOX_LEASE_DEFAULT 300
/* When a claim made at now holds until, with a lease of lease_s seconds
 * (the default when outside OUTBOX_LEASE_MIN..MAX). */
time_t outbox_lease_end(time_t now, int lease_s);
/* Whether a lease of lease_s seconds outlasts a send that waits up to
 * timeout_ms for each of the (up to four) replies it needs: a send still
 * going when its lease runs out may be sent twice. */
int outbox_lease_covers(int lease_s, long timeout_ms);

/* gzjoin.c (issue 15, branch perf15): gzip made of joined deflate
 * chunks, so that a text that changed in a few places is compressed
 * again only there ("rebuild with gzip"). The text is cut into chunks at
 * content-defined places (before a "BEGIN:VEVENT" line whose next line
 * hashes to a cut, one in 128, between a minimum and a maximum size), so
 * an edit or an insertion moves no cut but its own. Each chunk is raw deflate at level 9 with the 32 KiB of
 * text before it as the preset dictionary, ended by a sync flush (byte
 * aligned, not final): the chunks laid end to end are one deflate
 * stream, closed by an empty final block, in a gzip member whose CRC-32
 * is combined from the chunks' own. A chunk is reused from an earlier
 * result when its bytes and the 32 KiB before it are byte-equal to
 * those of a chunk there (compared, not hashed), so the output is
 * always exactly what compressing every chunk anew would give.
 *
 * Pure: no I/O, no locks; the caller keeps the earlier text alive while
 * it passes it with its result.
 *
 * The chunks of one text and their compressed bytes. */
struct gzjoin;

/* Reuse and work of one gzjoin_make. */
struct gzjoin_stats {
	size_t chunks, reused;
	size_t bytes_compressed; /* text bytes deflated by this call */
};

/* gzip (RFC 1952) of text into *out (malloc'd, the caller frees) and
 * *outsz, reusing the chunks of base (NULL = none), which was made from
 * base_text (base_len bytes, alive for the call). Returns the chunks of
 * text for a later call (gzjoin_free), NULL when memory or zlib failed
 * (then *out is NULL). stats may be NULL. */
struct gzjoin *gzjoin_make(const char *text, size_t len,
    const struct gzjoin *base, const char *base_text, size_t base_len,
    unsigned char **out, size_t *outsz, struct gzjoin_stats *stats);

/* The bytes a result keeps (its chunks' compressed bytes and index). */
size_t gzjoin_bytes(const struct gzjoin *);

void gzjoin_free(struct gzjoin *);

/* The cut rule's sizes (exposed for the unit tests). */
#define GZJOIN_WINDOW 32768
#define GZJOIN_MIN (16u * 1024)
#define GZJOIN_MAX (128u * 1024)

#endif
