/*
 * The error vocabulary of the HTTP contract: each enum herr has one
 * status and one wire code, and error_body renders the one JSON shape
 * every rejection uses. Never renders anything but that shape.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

static const struct {
	int status;
	const char *code;
} errors[HERR__MAX] = {
    /* HERR_BAD_REQUEST */ {400, "bad_request"},
    /* HERR_UNAUTHORIZED */ {401, "unauthorized"},
    /* HERR_FORBIDDEN */ {403, "forbidden"},
    /* HERR_NOT_FOUND */ {404, "not_found"},
    /* HERR_METHOD_NOT_ALLOWED */ {405, "method_not_allowed"},
    /* HERR_CONFLICT */ {409, "conflict"},
    /* HERR_TOO_LARGE */ {413, "too_large"},
    /* HERR_UNSUPPORTED_MEDIA_TYPE */ {415, "unsupported_media_type"},
    /* HERR_VALIDATION_FAILED */ {422, "validation_failed"},
    /* HERR_RATE_LIMITED */ {429, "rate_limited"},
    /* HERR_INTERNAL */ {500, "internal"},
    /* HERR_UNAVAILABLE */ {503, "unavailable"},
};

int
error_status(enum herr e)
{
	if ((unsigned)e >= HERR__MAX)
		return 500;
	return errors[e].status;
}

const char *
error_code(enum herr e)
{
	if ((unsigned)e >= HERR__MAX)
		return "internal";
	return errors[e].code;
}

/* vsnprintf may cut a message inside a UTF-8 sequence; drop the partial
 * character so the message stays valid JSON text. */
static void
utf8_trim_partial(char *s)
{
	size_t len = strlen(s), i = len, need;
	unsigned char c;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return;
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

void
error_set(struct herror *err, enum herr code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	utf8_trim_partial(err->message);
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	utf8_trim_partial(err->field);
}

char *
error_body(const struct herror *err)
{
	json_t *inner, *outer;
	char *s;

	inner = json_pack("{s:s, s:s}", "code", error_code(err->code),
	    "message", err->message[0] ? err->message : error_code(err->code));
	if (inner == NULL)
		return NULL;
	if (err->field[0] != '\0' &&
	    json_object_set_new(inner, "field", json_string(err->field)) != 0) {
		json_decref(inner);
		return NULL;
	}
	outer = json_pack("{s:o}", "error", inner);
	if (outer == NULL)
		return NULL;
	s = json_dumps(outer, JSON_COMPACT);
	json_decref(outer);
	return s;
}
