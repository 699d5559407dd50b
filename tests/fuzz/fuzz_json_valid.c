/*
 * libFuzzer target: a request body through json_loadb (as the server
 * parses it) and valid_object against a table with every vtype, in both
 * modes. Checks the invariants the API relies on: a rejection always
 * renders as the JSON error shape with valid UTF-8, and whatever CREATE
 * accepts PATCH accepts too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const choices[] = {"hall", "street", "service_point", "讲座",
    NULL};

#define F(n, t) .name = (n), .type = (t)
static const struct vfield fields[] = {
    {F("code", VT_CODE), .required = 1, .min = 1, .max = 16},
    {F("name", VT_STRING), .required = 1, .min = 1, .max = 50},
    {F("note", VT_TEXT), .nullable = 1, .max = 200},
    {F("hours", VT_INT), .min = -5, .max = 80},
    {F("active", VT_BOOL)},
    {F("kind", VT_ENUM), .choices = choices},
    {F("email", VT_EMAIL), .max = 254},
    {F("phone", VT_PHONE), .max = 32},
    {F("timezone", VT_ZONE), .min = 1, .max = 64},
    {F("start", VT_TIME), .required = 1, .max = 40},
    {F("day", VT_DATE), .nullable = 1, .max = 10},
    {F("station_id", VT_ID), .nullable = 1},
    {F("owner_id", VT_ID), .required = 1},
    {F("speakers", VT_ID_LIST), .maxitems = 8},
    {F("reminders", VT_INT_LIST), .min = 0, .max = 10080, .maxitems = 4},
    {F("options", VT_OBJECT), .nullable = 1},
    {F("answers", VT_ARRAY), .maxitems = 16},
    {F("id", VT_ID), .readonly = 1},
    {F("created_at", VT_TIME), .readonly = 1},
};
#undef F
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void
check_error(const struct herror *err)
{
	json_t *b;
	char *body;

	if ((unsigned)err->code >= HERR__MAX)
		abort();
	if (valid_utf8_len(err->message, strlen(err->message)) < 0 ||
	    valid_utf8_len(err->field, strlen(err->field)) < 0)
		abort();
	if ((body = error_body(err)) == NULL)
		abort();
	if ((b = json_loads(body, 0, NULL)) == NULL)
		abort();
	json_decref(b);
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct herror err;
	json_t *o;
	int ok[2], mode;
	size_t i;

	o = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (o == NULL)
		return 0;
	for (mode = VALID_CREATE; mode <= VALID_PATCH; mode++) {
		memset(&err, 0, sizeof(err));
		ok[mode] = valid_object(o, fields, NFIELDS, mode, &err);
		if (!ok[mode])
			check_error(&err);
	}
	if (ok[VALID_CREATE] && !ok[VALID_PATCH])
		abort();
	if ((ok[VALID_CREATE] || ok[VALID_PATCH]) && !json_is_object(o))
		abort();
	if (ok[VALID_PATCH])
		for (i = 0; i < NFIELDS; i++) {
			int present;
			char *s = valid_str(o, fields[i].name, &present);

			if (s != NULL &&
			    (!present || valid_utf8_len(s, strlen(s)) < 0))
				abort();
			free(s);
		}
	json_decref(o);
	return 0;
}
