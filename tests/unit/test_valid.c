/*
 * Unit tests of svc/core/valid.c: the field validators of request bodies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

/* --- validators ----------------------------------------------------------- */

static const char *const kinds[] = {"hall", "street", "service_point", NULL};

#define F(n, t) .name = (n), .type = (t)
static const struct vfield fields[] = {
    {F("code", VT_CODE), .required = 1, .min = 1, .max = 16},
    {F("name", VT_STRING), .required = 1, .min = 1, .max = 50},
    {F("note", VT_TEXT), .nullable = 1, .max = 200},
    {F("hours", VT_INT), .min = 0, .max = 80},
    {F("active", VT_BOOL)},
    {F("kind", VT_ENUM), .choices = kinds},
    {F("email", VT_EMAIL), .max = 254},
    {F("phone", VT_PHONE), .max = 32},
    {F("timezone", VT_ZONE), .min = 1, .max = 64},
    {F("start", VT_TIME), .max = 40},
    {F("day", VT_DATE), .max = 10},
    {F("station_id", VT_ID), .nullable = 1},
    {F("owner_id", VT_ID)},
    {F("speakers", VT_ID_LIST), .maxitems = 3},
    {F("reminders", VT_INT_LIST), .min = 0, .max = 10080, .maxitems = 4},
    {F("options", VT_OBJECT), .nullable = 1},
    {F("answers", VT_ARRAY), .maxitems = 2},
    {F("id", VT_ID), .readonly = 1},
    {F("created_at", VT_TIME), .readonly = 1},
};
#undef F
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int
vcheck(const char *json, int mode, struct herror *err)
{
	json_error_t je;
	json_t *o = json_loads(json, JSON_DECODE_ANY, &je);
	int ok;

	if (o == NULL)
		fail_msg("bad test JSON %s: %s", json, je.text);
	memset(err, 0, sizeof(*err));
	ok = valid_object(o, fields, NFIELDS, mode, err);
	json_decref(o);
	return ok;
}

static void
v_ok(const char *json, int mode)
{
	struct herror e;

	if (!vcheck(json, mode, &e))
		fail_msg("%s rejected: %s", json, e.message);
}

static void
v_bad(const char *json, int mode, const char *field)
{
	struct herror e;

	if (vcheck(json, mode, &e))
		fail_msg("%s accepted", json);
	assert_int_equal(e.code, HERR_VALIDATION_FAILED);
	if (strcmp(e.field, field) != 0)
		fail_msg("%s: field \"%s\", want \"%s\" (%s)", json, e.field,
		    field, e.message);
	assert_true(e.message[0] != '\0');
}

/* {"code":"C","name":"N", extra} */
static void
v_with(const char *extra, int ok, const char *field)
{
	char json[2048];

	snprintf(json, sizeof(json),
	    "{\"code\":\"HALL\",\"name\":\"大厅\"%s%s}", extra[0] ? "," : "",
	    extra);
	if (ok)
		v_ok(json, VALID_CREATE);
	else
		v_bad(json, VALID_CREATE, field);
}

static void
test_valid_required_unknown(void **state)
{
	struct herror e;

	(void)state;
	v_ok("{\"code\":\"HALL\",\"name\":\"区信访局人民来访接待大厅\"}",
	    VALID_CREATE);
	v_bad("{\"code\":\"HALL\"}", VALID_CREATE, "name");
	v_bad("{\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{}", VALID_CREATE, "code");
	v_bad("{\"code\":\"HALL\",\"name\":null}", VALID_CREATE, "name");
	v_with("\"bogus\":1", 0, "bogus");
	v_with("\"Name\":\"x\"", 0, "Name");
	/* an unknown key is refused even in PATCH mode */
	v_bad("{\"bogus\":1}", VALID_PATCH, "bogus");
	/* not an object at all */
	assert_false(vcheck("[1,2]", VALID_CREATE, &e));
	assert_int_equal(e.code, HERR_BAD_REQUEST);
	assert_false(vcheck("\"x\"", VALID_CREATE, &e));
	assert_int_equal(e.code, HERR_BAD_REQUEST);
	/* PATCH: nothing required, but what is there is checked */
	v_ok("{}", VALID_PATCH);
	v_ok("{\"name\":\"新名\"}", VALID_PATCH);
	v_bad("{\"name\":\"\"}", VALID_PATCH, "name");
	v_bad("{\"name\":null}", VALID_PATCH, "name");
	v_bad("{\"hours\":81}", VALID_PATCH, "hours");
	/* readonly fields are accepted and ignored, whatever they hold */
	v_with("\"id\":\"not an id\"", 1, NULL);
	v_with("\"created_at\":\"garbage\",\"id\":-5", 1, NULL);
	v_ok("{\"id\":7}", VALID_PATCH);
}

static void
test_valid_types(void **state)
{
	(void)state;
	v_with("\"name\":5", 0, "name");
	v_bad("{\"code\":5,\"name\":\"x\"}", VALID_CREATE, "code");
	v_with("\"hours\":\"5\"", 0, "hours");
	v_with("\"hours\":1.5", 0, "hours");
	v_with("\"hours\":true", 0, "hours");
	v_with("\"active\":1", 0, "active");
	v_with("\"active\":\"true\"", 0, "active");
	v_with("\"active\":false", 1, NULL);
	v_with("\"kind\":1", 0, "kind");
	v_with("\"station_id\":\"3\"", 0, "station_id");
	v_with("\"station_id\":3.0", 0, "station_id");
	v_with("\"note\":[]", 0, "note");
	v_with("\"note\":{}", 0, "note");
	/* null on nullable and non-nullable fields */
	v_with("\"note\":null", 1, NULL);
	v_with("\"station_id\":null", 1, NULL);
	v_with("\"owner_id\":null", 0, "owner_id");
	v_with("\"hours\":null", 0, "hours");
	v_with("\"active\":null", 0, "active");
	v_with("\"kind\":null", 0, "kind");
	/* VT_INT range */
	v_with("\"hours\":0", 1, NULL);
	v_with("\"hours\":80", 1, NULL);
	v_with("\"hours\":81", 0, "hours");
	v_with("\"hours\":-1", 0, "hours");
	v_with("\"hours\":9223372036854775807", 0, "hours");
	/* VT_ID */
	v_with("\"station_id\":1", 1, NULL);
	v_with("\"station_id\":9007199254740993", 1, NULL);
	v_with("\"station_id\":0", 0, "station_id");
	v_with("\"station_id\":-3", 0, "station_id");
	v_with("\"owner_id\":12", 1, NULL);
}

static void
test_valid_strings(void **state)
{
	char buf[1024], extra[1100];
	int i;

	(void)state;
	/* 50 Chinese characters (150 bytes) fit max 50; 51 do not */
	buf[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(buf, "心");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_ok(extra, VALID_CREATE);
	/* surrounding blanks do not count */
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"  %s\\n\"}",
	    buf);
	v_ok(extra, VALID_CREATE);
	strcat(buf, "理");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_bad(extra, VALID_CREATE, "name");
	/* emoji count as one character each */
	buf[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(buf, "😀");
	snprintf(extra, sizeof(extra), "{\"code\":\"A\",\"name\":\"%s\"}", buf);
	v_ok(extra, VALID_CREATE);
	/* empty and blank */
	v_bad("{\"code\":\"A\",\"name\":\"\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"  \\t \"}", VALID_CREATE, "name");
	/* control characters: none in VT_STRING, newline/tab in VT_TEXT */
	v_with("\"name\":\"a\\u0001b\"", 0, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\nb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\tb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\u007fb\"}", VALID_CREATE, "name");
	v_bad("{\"code\":\"A\",\"name\":\"a\\u001bb\"}", VALID_CREATE, "name");
	v_with("\"note\":\"第一行\\n第二行\\twith tab\\r\\n\"", 1, NULL);
	v_with("\"note\":\"bell\\u0007\"", 0, "note");
	v_with("\"note\":\"del\\u007f\"", 0, "note");
	v_with("\"note\":\"\"", 1, NULL);
	/* VT_TEXT length */
	buf[0] = '\0';
	for (i = 0; i < 201; i++)
		strcat(buf, "x");
	snprintf(extra, sizeof(extra), "\"note\":\"%s\"", buf);
	v_with(extra, 0, "note");
	buf[200] = '\0';
	snprintf(extra, sizeof(extra), "\"note\":\"%s\"", buf);
	v_with(extra, 1, NULL);
}

static void
test_valid_formats(void **state)
{
	(void)state;
	/* enum */
	v_with("\"kind\":\"hall\"", 1, NULL);
	v_with("\"kind\":\"service_point\"", 1, NULL);
	v_with("\"kind\":\"Hall\"", 0, "kind");
	v_with("\"kind\":\"\"", 0, "kind");
	v_with("\"kind\":\"hal\"", 0, "kind");
	/* email */
	v_with("\"email\":\"li.ming@futian.gov.cn\"", 1, NULL);
	v_with("\"email\":\"\"", 1, NULL);
	v_with("\"email\":\"a@b\"", 0, "email");
	v_with("\"email\":\"@b.cn\"", 0, "email");
	v_with("\"email\":\"a@@b.cn\"", 0, "email");
	v_with("\"email\":\"a b@c.cn\"", 0, "email");
	v_with("\"email\":\"a@b..cn\"", 0, "email");
	v_with("\"email\":\"a@.cn\"", 0, "email");
	v_with("\"email\":\"a@b.\"", 0, "email");
	v_with("\"email\":\"<a@b.cn>\"", 0, "email");
	/* phone */
	v_with("\"phone\":\"0755-8888 1234\"", 1, NULL);
	v_with("\"phone\":\"+86 (755) 8888-1234\"", 1, NULL);
	v_with("\"phone\":\"\"", 1, NULL);
	v_with("\"phone\":\"12\"", 0, "phone");
	v_with("\"phone\":\"call me\"", 0, "phone");
	v_with("\"phone\":\"123456789012345678901234567890123\"", 0, "phone");
}

static void
test_valid_code_zone_time(void **state)
{
	(void)state;
	v_ok("{\"code\":\"HALL_1-a\",\"name\":\"x\"}", VALID_CREATE);
	v_bad("{\"code\":\"HA LL\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"大厅\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"A.B\",\"name\":\"x\"}", VALID_CREATE, "code");
	v_bad("{\"code\":\"ABCDEFGHIJKLMNOPQ\",\"name\":\"x\"}", VALID_CREATE,
	    "code");
	/* zone */
	v_with("\"timezone\":\"Asia/Shanghai\"", 1, NULL);
	v_with("\"timezone\":\"../etc/passwd\"", 0, "timezone");
	v_with("\"timezone\":\"/etc/localtime\"", 0, "timezone");
	v_with("\"timezone\":\"\"", 0, "timezone");
	/* time */
	v_with("\"start\":\"2026-03-02T09:00:00+08:00\"", 1, NULL);
	v_with("\"start\":\"2026-03-02T09:00:00\"", 0, "start");
	v_with("\"start\":\"2026-03-02\"", 0, "start");
	v_with("\"start\":\"2025-02-29T09:00:00Z\"", 0, "start");
	/* date */
	v_with("\"day\":\"2024-02-29\"", 1, NULL);
	v_with("\"day\":\"2025-02-29\"", 0, "day");
	v_with("\"day\":\"2026-03-02T00:00:00Z\"", 0, "day");
}

static void
test_valid_lists(void **state)
{
	(void)state;
	v_with("\"speakers\":[]", 1, NULL);
	v_with("\"speakers\":[1,2,999999999999999]", 1, NULL);
	v_with("\"speakers\":[1,2,3,4]", 0, "speakers");
	v_with("\"speakers\":[1,1]", 0, "speakers");
	v_with("\"speakers\":[0]", 0, "speakers");
	v_with("\"speakers\":[-1]", 0, "speakers");
	v_with("\"speakers\":[\"1\"]", 0, "speakers");
	v_with("\"speakers\":[1.0]", 0, "speakers");
	v_with("\"speakers\":1", 0, "speakers");
	v_with("\"speakers\":null", 0, "speakers");
	v_with("\"reminders\":[1440,60,0,10080]", 1, NULL);
	v_with("\"reminders\":[10081]", 0, "reminders");
	v_with("\"reminders\":[-1]", 0, "reminders");
	v_with("\"reminders\":[60,60]", 0, "reminders");
	v_with("\"reminders\":[1,2,3,4,5]", 0, "reminders");
	v_with("\"options\":{\"a\":[1]}", 1, NULL);
	v_with("\"options\":null", 1, NULL);
	v_with("\"options\":[]", 0, "options");
	v_with("\"answers\":[{},\"x\"]", 1, NULL);
	v_with("\"answers\":[1,2,3]", 0, "answers");
	v_with("\"answers\":{}", 0, "answers");
}

/* A rejected body always renders as the JSON error shape, whatever the
 * unknown key holds: a key whose 60th byte falls inside a multi-byte
 * character must not leave a broken sequence in the message (jansson
 * then refuses it and error_body returns NULL: the client gets a 500). */
static void
test_valid_unknown_key_utf8(void **state)
{
	char key[256], json[512];
	struct herror e;
	size_t pre, i;

	(void)state;
	for (pre = 0; pre < 3; pre++) {
		char *body;
		json_t *o;

		memset(key, 'k', pre);
		key[pre] = '\0';
		for (i = 0; i < 30; i++)
			strcat(key, "键");
		snprintf(json, sizeof(json), "{\"%s\":1}", key);
		o = json_loads(json, 0, NULL);
		assert_non_null(o);
		memset(&e, 0, sizeof(e));
		assert_false(valid_object(o, fields, NFIELDS, VALID_PATCH, &e));
		json_decref(o);
		assert_int_equal(e.code, HERR_VALIDATION_FAILED);
		if (valid_utf8_len(e.message, strlen(e.message)) < 0)
			fail_msg(
			    "key of %zu + 30x3 bytes: message is not UTF-8",
			    pre);
		body = error_body(&e);
		if (body == NULL)
			fail_msg("key of %zu + 30x3 bytes: error_body NULL",
			    pre);
		free(body);
	}
}

/* Values are validated trimmed (valid_str trims them before use): a
 * value with trailing blanks is as acceptable as one with leading
 * blanks. */
static void
test_valid_trim_symmetric(void **state)
{
	(void)state;
	v_ok("{\"code\":\" HALL\",\"name\":\"x\"}", VALID_CREATE);
	v_ok("{\"code\":\"HALL \",\"name\":\"x\"}", VALID_CREATE);
	v_with("\"kind\":\" hall\"", 1, NULL);
	v_with("\"kind\":\"hall \"", 1, NULL);
	v_with("\"start\":\"2026-03-02T09:00:00Z \"", 1, NULL);
	v_with("\"timezone\":\"Asia/Shanghai \"", 1, NULL);
}

static void
test_valid_utf8_len(void **state)
{
	static const struct {
		const char *s;
		long want;
	} cases[] = {
	    {"", 0},
	    {"abc", 3},
	    {"中文", 2},
	    {"é", 1},
	    {"😀x", 2},
	    {"\xED\x9F\xBF", 1},     /* U+D7FF */
	    {"\xEE\x80\x80", 1},     /* U+E000 */
	    {"\xF4\x8F\xBF\xBF", 1}, /* U+10FFFF */
	    {"\xC0\xAF", -1},        /* overlong '/' */
	    {"\xC1\xBF", -1},
	    {"\xE0\x80\xAF", -1}, /* overlong 3-byte */
	    {"\xE0\x9F\xBF", -1},
	    {"\xF0\x80\x80\xAF", -1}, /* overlong 4-byte */
	    {"\xF0\x8F\xBF\xBF", -1},
	    {"\xED\xA0\x80", -1},     /* U+D800 surrogate */
	    {"\xED\xBF\xBF", -1},     /* U+DFFF */
	    {"\xF4\x90\x80\x80", -1}, /* > U+10FFFF */
	    {"\xF5\x80\x80\x80", -1},
	    {"\xFF", -1},
	    {"\x80", -1}, /* lone continuation */
	    {"a\xBF", -1},
	    {"\xE4\xB8", -1}, /* truncated */
	    {"\xE4", -1},
	    {"\xF0\x9F\x98", -1},
	    {"\xE4\x41\x41", -1}, /* bad continuation */
	    {"\xC3\xC3\xA9", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = valid_utf8_len(cases[i].s, strlen(cases[i].s));

		if (got != cases[i].want)
			fail_msg("case %zu: %ld, want %ld", i, got,
			    cases[i].want);
	}
	/* the size bounds the scan: a sequence cut by sz is invalid */
	assert_int_equal(valid_utf8_len("中文", 3), 1);
	assert_int_equal(valid_utf8_len("中文", 4), -1);
	assert_int_equal(valid_utf8_len("中文", 5), -1);
	assert_int_equal(valid_utf8_len("a\0b", 3), 3);
}

static void
test_valid_str(void **state)
{
	json_t *o = json_loads("{\"a\":\"  x y \\n\",\"b\":null,\"c\":5,"
	                       "\"d\":\" \\t \",\"e\":\"名字\"}",
	    0, NULL);
	int present = -1;
	char *s;

	(void)state;
	assert_non_null(o);
	s = valid_str(o, "a", &present);
	assert_non_null(s);
	assert_string_equal(s, "x y");
	assert_int_equal(present, 1);
	free(s);
	present = -1;
	assert_null(valid_str(o, "b", &present));
	assert_int_equal(present, 1);
	present = -1;
	assert_null(valid_str(o, "zz", &present));
	assert_int_equal(present, 0);
	assert_null(valid_str(o, "c", NULL));
	s = valid_str(o, "d", NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	s = valid_str(o, "e", &present);
	assert_string_equal(s, "名字");
	free(s);
	json_decref(o);
}

/* The feed-path parser: the crash of issue 17 (a token without ".ics"
 * left the end offset unset) and every form the service publishes. */
static void
test_valid_feed_path(void **state)
{
	char tok[FEED_TOKEN_MAX], big[400];

	(void)state;
	assert_int_equal(valid_feed_path("/feeds/stations/x", tok),
	    FEED_PATH_NONE);
	assert_string_equal(tok, "");
	assert_int_equal(valid_feed_path("/feeds/counsellors/0", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/counsellors/.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/counsellors/AB.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/F T.ics", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/FT.icsx", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/stations/FT.ics?a=<b>", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/feeds/events.icsx", tok),
	    FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("", tok), FEED_PATH_NONE);
	assert_int_equal(valid_feed_path(NULL, tok), FEED_PATH_NONE);
	assert_int_equal(valid_feed_path("/etc/passwd", tok), FEED_PATH_NONE);

	assert_int_equal(valid_feed_path("/feeds/events.ics", tok),
	    FEED_PATH_EVENTS);
	assert_int_equal(valid_feed_path("/feeds/events.ics?alarms=1&kind="
	                                 "lecture",
	                     tok),
	    FEED_PATH_EVENTS);
	assert_int_equal(valid_feed_path("/feeds/stations/FT-2.ics", tok),
	    FEED_PATH_STATION);
	assert_string_equal(tok, "FT-2");
	assert_int_equal(valid_feed_path("/feeds/counsellors/0a1b.ics?alarms=1",
	                     tok),
	    FEED_PATH_COUNSELLOR);
	assert_string_equal(tok, "0a1b");

	/* 33 characters of code, 129 of token: too long */
	snprintf(big, sizeof(big), "/feeds/stations/%033d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_NONE);
	snprintf(big, sizeof(big), "/feeds/stations/%032d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_STATION);
	snprintf(big, sizeof(big), "/feeds/counsellors/%0129d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_NONE);
	snprintf(big, sizeof(big), "/feeds/counsellors/%0128d.ics", 0);
	assert_int_equal(valid_feed_path(big, tok), FEED_PATH_COUNSELLOR);
	assert_int_equal(strlen(tok), 128);
}

static void
test_valid_uint_email_phone_code(void **state)
{
	long long v = -7;

	(void)state;
	assert_true(valid_uint("0", &v));
	assert_int_equal(v, 0);
	assert_true(valid_uint("123", &v));
	assert_int_equal(v, 123);
	assert_true(valid_uint("999999999999999999", &v));
	assert_int_equal(v, 999999999999999999LL);
	v = -7;
	assert_false(valid_uint("1000000000000000000", &v));
	assert_false(valid_uint("", &v));
	assert_false(valid_uint(NULL, &v));
	assert_false(valid_uint("-1", &v));
	assert_false(valid_uint("+1", &v));
	assert_false(valid_uint(" 1", &v));
	assert_false(valid_uint("1 ", &v));
	assert_false(valid_uint("1a", &v));
	assert_false(valid_uint("0x10", &v));
	assert_int_equal(v, -7);

	assert_true(valid_email("a@b.cn"));
	assert_true(valid_email("first.last+tag@sub.example.org"));
	assert_false(valid_email("no-at.example"));
	assert_false(valid_email("a@b@c.cn"));
	assert_false(valid_email("a@b"));
	assert_false(valid_email("a\"b@c.cn"));
	/* No SMTPUTF8: an address the mailer could not send to is refused. */
	assert_false(valid_email("李@example.cn"));
	assert_false(valid_email("a@b\x7f.cn"));
	assert_true(valid_phone("110"));
	assert_false(valid_phone("1-2"));
	assert_false(valid_phone("138 0000 0000 ext"));
	assert_true(valid_code("YL"));
	assert_false(valid_code(""));
	assert_false(valid_code("Y/L"));
}

/* Cuts between UTF-8 characters: "中" is 3 bytes. */
static void
test_valid_utf8_cut(void **state)
{
	const char *s = "a中b";

	(void)state;
	assert_int_equal(valid_utf8_cut(s, 5, 10), 5);
	assert_int_equal(valid_utf8_cut(s, 5, 5), 5);
	assert_int_equal(valid_utf8_cut(s, 5, 4), 4);
	assert_int_equal(valid_utf8_cut(s, 5, 3), 1);
	assert_int_equal(valid_utf8_cut(s, 5, 2), 1);
	assert_int_equal(valid_utf8_cut(s, 5, 1), 1);
	assert_int_equal(valid_utf8_cut(s, 5, 0), 0);
	assert_int_equal(valid_utf8_cut("中文", 6, 5), 3);
	assert_int_equal(valid_utf8_cut("", 0, 0), 0);
}

static void
test_valid_lower_code(void **state)
{
	(void)state;
	assert_true(valid_lower_code("a", 1, 32));
	assert_true(valid_lower_code("visitors_2", 10, 32));
	assert_true(valid_lower_code("duty.visitors", 4, 32)); /* "duty" */
	assert_true(valid_lower_code("abcdefghijklmnopqrstuvwxyz012345", 32,
	    32));
	assert_false(valid_lower_code("abcdefghijklmnopqrstuvwxyz0123456", 33,
	    32));
	assert_false(valid_lower_code("abc", 3, 2));
	assert_false(valid_lower_code("", 0, 32));
	assert_false(valid_lower_code("1st", 3, 32));
	assert_false(valid_lower_code("_x", 2, 32));
	assert_false(valid_lower_code("Ab", 2, 32));
	assert_false(valid_lower_code("a-b", 3, 32));
	assert_false(valid_lower_code("a.b", 3, 32));
}

/* A field's message names it in Chinese; the field code stays for
 * clients; a code without a label is shown as it is. */
static void
test_valid_labels(void **state)
{
	struct herror e;

	(void)state;
	assert_string_equal(valid_label("active"), "启用");
	assert_string_equal(valid_label("title"), "标题");
	assert_string_equal(valid_label("weight_sum"), "分值合计");
	assert_string_equal(valid_label("station_id"), "驻点");
	assert_string_equal(valid_label("bogus_field"), "bogus_field");
	assert_false(vcheck("{\"code\":\"HALL\"}", VALID_CREATE, &e));
	assert_string_equal(e.field, "name");
	assert_string_equal(e.message, "名称：必填");
}

static void
test_query_values(void **state)
{
	static const char *const ch[] = {"lecture", "salon", NULL};
	struct herror err;
	long long n;
	int64_t a, b;
	int ha, hb, v;

	(void)state;
	assert_int_equal(valid_query_int("500", 1, 500, &n), 1);
	assert_int_equal(valid_query_int("501", 1, 500, &n), 0);
	assert_int_equal(valid_query_int("-1", 0, 5, &n), 0);
	assert_int_equal(valid_query_bool("all", &v), 1);
	assert_int_equal(v, -1);
	assert_int_equal(valid_query_bool("yes", &v), 0);
	assert_ptr_equal(valid_query_choice("salon", ch), ch[1]);
	assert_null(valid_query_choice("Salon", ch));
	assert_int_equal(valid_query_day_range("2027-03-07", "2027-03-01", &a,
	                     &ha, &b, &hb, &err),
	    0);
	assert_string_equal(err.field, "to");
	assert_int_equal(valid_query_day_range(NULL, "2027-03-01", &a, &ha, &b,
	                     &hb, &err),
	    1);
	assert_false(ha);
	assert_true(hb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_required_unknown),
	    cmocka_unit_test(test_valid_labels),
	    cmocka_unit_test(test_valid_types),
	    cmocka_unit_test(test_valid_strings),
	    cmocka_unit_test(test_valid_formats),
	    cmocka_unit_test(test_valid_code_zone_time),
	    cmocka_unit_test(test_valid_lists),
	    cmocka_unit_test(test_valid_unknown_key_utf8),
	    cmocka_unit_test(test_valid_trim_symmetric),
	    cmocka_unit_test(test_valid_utf8_len),
	    cmocka_unit_test(test_valid_str),
	    cmocka_unit_test(test_valid_uint_email_phone_code),
	    cmocka_unit_test(test_valid_feed_path),
	    cmocka_unit_test(test_valid_utf8_cut),
	    cmocka_unit_test(test_valid_lower_code),
	    cmocka_unit_test(test_query_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
