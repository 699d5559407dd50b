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
void error_set(struct herror *, enum herr, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
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
/* Formats t in zone z (UTC when z is NULL) with its numeric offset, e.g.
 * "2026-03-02T09:00:00+08:00". buf holds TIME_RFC3339_MAX bytes. */
void time_format_rfc3339(time_t, const struct tz *, char *buf);
/* Parses "YYYY-MM-DD" into a day number (days since 1970-01-01). */
int time_parse_date(const char *, int64_t *days);
void time_format_date(int64_t days, char *buf /* 11 bytes */);
/* Civil date arithmetic (proleptic Gregorian), exact for any int64 day. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m,
    unsigned *d);

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

/* valid.c */

/* The years a JSON date (VT_DATE) may have. */
#define DATE_MIN_YEAR 1970
#define DATE_MAX_YEAR 2100

enum vtype {
	VT_STRING,  /* trimmed UTF-8, no control characters */
	VT_TEXT,    /* like VT_STRING but newlines and tabs allowed */
	VT_INT,     /* JSON integer within [min, max] */
	VT_BOOL,
	VT_ENUM,    /* string, one of choices (NULL-terminated) */
	VT_EMAIL,
	VT_PHONE,
	VT_CODE,    /* [A-Za-z0-9_-] */
	VT_ZONE,    /* IANA zone name, checked by check() for existence */
	VT_TIME,    /* RFC 3339 with offset */
	VT_DATE,    /* YYYY-MM-DD, DATE_MIN_YEAR to DATE_MAX_YEAR */
	VT_ID,      /* positive integer id, or null when nullable */
	VT_ID_LIST, /* array of distinct positive ids, at most maxitems */
	VT_INT_LIST, /* array of distinct integers in [min, max], maxitems */
	VT_OBJECT,  /* a JSON object, checked by the handler */
	VT_ARRAY,   /* a JSON array of at most maxitems, checked by the handler */
};

/* One field of a request body: kcgi's kvalid, as data. */
struct vfield {
	const char *name;
	enum vtype type;
	int required;       /* on create; PATCH makes every field optional */
	int nullable;       /* JSON null is accepted (means "unset") */
	long long min, max; /* VT_INT range; string length in characters */
	const char *const *choices;
	int readonly;       /* accepted and ignored (round-tripped output) */
	size_t maxitems;    /* VT_ID_LIST, VT_INT_LIST */
};

#define VALID_CREATE 0
#define VALID_PATCH 1

/* Checks obj against fields: unknown keys, types, lengths, ranges,
 * required fields (mode VALID_CREATE). Fills err and returns 0 on the
 * first problem; returns 1 when obj is acceptable. Strings are checked
 * as they are: callers read them through valid_str, which trims. */
int valid_object(const json_t *obj, const struct vfield *, size_t n,
    int mode, struct herror *err);
/* Length of s in Unicode scalar values, or -1 when s is not UTF-8. */
long valid_utf8_len(const char *s, size_t sz);
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
const char *activity_kind_zh(const char *kind);   /* "lecture" → "讲座" */
const char *activity_kind_from_zh(const char *);  /* "讲座" → "lecture" */
const char *activity_audience_zh(const char *audience);
const char *activity_audience_from_zh(const char *);
extern const char *const activity_kinds[];     /* NULL-terminated */
extern const char *const activity_audiences[]; /* NULL-terminated */
extern const char *const activity_statuses[];  /* NULL-terminated */

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
	int64_t day;          /* station-local day number */
	int64_t shift_id;      /* the caller's: an existing shift to refill */
	int64_t counsellor_id; /* out: who fills it, 0 when nobody */
	unsigned reason;       /* out: ROSTER_* flags when unfilled */
};

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
 * hours, inactive) and preferring, in this order: no sixth consecutive
 * duty day, fewer hours that week and in the period, the home station.
 * Deterministic: ties go to the lower id. Returns 0 on allocation
 * failure, else 1. z gives local days for weeks and streaks. */
int roster_solve(struct roster_slot *, size_t n, const struct roster_person *,
    size_t np, const struct roster_busy *, size_t nb, const struct tz *z);

/* indicator.c */

enum ind_rule {
	IND_RATIO,
	IND_TIERED,
	IND_SAT_DEDUCT,
	IND_SAT_TIERS,
	IND__MAX
};

/* A target as the reports print it: ">=2", "=100%", ">=90%", "100%有效". */
struct ind_target {
	char op[3];   /* ">=" or "=" */
	double value; /* a count, or a percentage 0-100 */
	char unit[8]; /* count | percent | rating */
};

int indicator_rule_parse(const char *, enum ind_rule *);
const char *indicator_rule_name(enum ind_rule);
/* 1 and *t when s is a target in one of the printed forms. */
int indicator_target_parse(const char *s, struct ind_target *t);
/* The points an actual earns (see docs/api.md "Indicators"); rounded to
 * 2 decimals. */
double indicator_score(enum ind_rule, double target, double actual,
    double weight);
int indicator_met(const char *op, double target, double actual);

/* pack.c */

/* gzip (RFC 1952) of in; > 0 with *out (caller frees) and *outsz. */
int pack_gzip(const void *in, size_t sz, unsigned char **out, size_t *outsz);
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
	size_t line;                 /* line the row starts on, 1-based */
	size_t n;                    /* number of fields */
	char *fields[CSV_MAX_FIELDS]; /* NUL-terminated, owned by the reader */
};

struct csv *csv_open(const char *buf, size_t sz);
/* 1 and a row, 0 at the end, -1 on a syntax error (csv_error says
 * which line and why). The row is valid until the next call. */
int csv_next(struct csv *, struct csv_row *);
const char *csv_error(const struct csv *);
void csv_close(struct csv *);
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
	const char *from_name;      /* NULL = address only */
	const char *from_email;     /* required */
	const char *reply_to;       /* an address; NULL = no Reply-To */
	const char *to_name;        /* NULL = address only */
	const char *to_email;       /* required */
	const char *subject;        /* UTF-8, required */
	time_t date;
	int utc_offset_min;         /* zone of the Date header, e.g. 480 */
	const char *message_id;     /* "local@domain", without <>, required */
	const char *unsubscribe_url; /* List-Unsubscribe; NULL = none */
	const char *text;           /* UTF-8 body, LF or CRLF line ends */
	const char *calendar;       /* iCalendar text (CRLF); NULL = none */
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

/* password.c (issue 17) */

#define PASSWORD_MIN 10        /* characters */
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

/* Stations by code and name for an import: the references (strings
 * borrowed: keep them alive while the index lives). */
struct station_ref {
	int64_t id;
	const char *code, *name;
	int active;
};
struct station_index;
struct station_index *station_index_new(const struct station_ref *,
    size_t n);
void station_index_free(struct station_index *);
/* The station a cell names: its code (ASCII case folded), its full name
 * (the active one first, then the lowest id), or the start of exactly
 * one station's name; 0 when none. O(log n). */
int64_t station_index_find(const struct station_index *, const char *cell);
/* The largest n of the codes "IMPn" (0 when none): new stations of an
 * import get IMP(n+1), IMP(n+2), … */
int64_t station_index_max_imp(const struct station_index *);

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
int survey_answer_check(const char *key, const char *type,
    const char *options, int required, const json_t *v,
    struct survey_value *out, struct herror *err);

#endif
