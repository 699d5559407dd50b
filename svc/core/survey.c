/*
 * The survey parsers as pure functions (lifted out of api/survey.c so
 * they are unit-tested and fuzzed, issue 17): one question of a new
 * template, and one answer checked against its question. Messages are
 * the contract's (the field names the question).
 */
#include <ctype.h>
#include <string.h>

#include "core.h"

static const char *const question_types[] = {"likert5", "choice", "text", NULL};

int
survey_key_ok(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return n >= 1 && n <= 32;
}

int
survey_question_check(const json_t *in, size_t idx, struct herror *err)
{
	static const struct vfield f[] = {
	    {.name = "id",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 32},
	    {.name = "type",
	        .type = VT_ENUM,
	        .required = 1,
	        .choices = question_types},
	    {.name = "text",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 200},
	    {.name = "required", .type = VT_BOOL},
	    {.name = "satisfaction", .type = VT_BOOL},
	    {.name = "options", .type = VT_ARRAY, .maxitems = 20},
	};
	static const struct vfield of[] = {
	    {.name = "id",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 32},
	    {.name = "text",
	        .type = VT_STRING,
	        .required = 1,
	        .min = 1,
	        .max = 100},
	};
	struct herror inner;
	const char *type;
	json_t *opts, *o;
	size_t i, j;
	char field[64];

	snprintf(field, sizeof(field), "questions[%zu]", idx);
	if (!valid_object(in, f, 6, VALID_CREATE, &inner)) {
		error_set(err, HERR_VALIDATION_FAILED, field, "%s: %s", field,
		    inner.message);
		return 0;
	}
	/* valid_object checked the type; ids are compared untrimmed as the
	 * handler stores them trimmed: a padded id fails key_ok. */
	if (!survey_key_ok(json_string_value(json_object_get(in, "id")))) {
		error_set(err, HERR_VALIDATION_FAILED, field,
		    "%s: id is 1-32 of a-z, 0-9 and _", field);
		return 0;
	}
	type = json_string_value(json_object_get(in, "type"));
	opts = json_object_get(in, "options");
	if (strcmp(type, "choice") == 0) {
		if (json_array_size(opts) < 2) {
			error_set(err, HERR_VALIDATION_FAILED, field,
			    "%s: a choice needs 2 to 20 options", field);
			return 0;
		}
		json_array_foreach(opts, i, o)
		{
			if (!valid_object(o, of, 2, VALID_CREATE, &inner) ||
			    !survey_key_ok(json_string_value(json_object_get(o,
			        "id")))) {
				error_set(err, HERR_VALIDATION_FAILED, field,
				    "%s: each option is {id, text}", field);
				return 0;
			}
			for (j = 0; j < i; j++)
				if (strcmp(json_string_value(json_object_get(
				               json_array_get(opts, j), "id")),
				        json_string_value(json_object_get(o,
				            "id"))) == 0) {
					error_set(err, HERR_VALIDATION_FAILED,
					    field, "%s: option ids repeat",
					    field);
					return 0;
				}
		}
	} else if (opts != NULL) {
		error_set(err, HERR_VALIDATION_FAILED, field,
		    "%s: only choice questions have options", field);
		return 0;
	}
	if (json_is_true(json_object_get(in, "satisfaction")) &&
	    strcmp(type, "likert5") != 0) {
		error_set(err, HERR_VALIDATION_FAILED, field,
		    "%s: the satisfaction question is a likert5", field);
		return 0;
	}
	return 1;
}

/* Whether v is one of the option ids of options (JSON [{id,text}]). */
static int
option_ok(const char *options, const char *v)
{
	json_t *opts = json_loads(options ? options : "[]", 0, NULL), *o;
	size_t i;
	int ok = 0;

	json_array_foreach(opts, i, o) if (v &&
	    json_string_value(json_object_get(o, "id")) &&
	    strcmp(json_string_value(json_object_get(o, "id")), v) == 0) ok = 1;
	json_decref(opts);
	return ok;
}

int
survey_answer_check(const char *key, const char *type, const char *options,
    int required, const json_t *v, struct survey_value *out, struct herror *err)
{
	memset(out, 0, sizeof(*out));
	if (v == NULL || json_is_null(v) ||
	    (json_is_string(v) &&
	        strspn(json_string_value(v), " \t\r\n") ==
	            strlen(json_string_value(v)))) {
		if (required) {
			error_set(err, HERR_VALIDATION_FAILED, key,
			    "%s: an answer is required", key);
			return -1;
		}
		return 0;
	}
	if (strcmp(type, "likert5") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 5) {
			error_set(err, HERR_VALIDATION_FAILED, key,
			    "%s: an integer from 1 to 5", key);
			return -1;
		}
		out->has_int = 1;
		out->value_int = json_integer_value(v);
	} else if (strcmp(type, "choice") == 0) {
		if (!json_is_string(v) ||
		    !option_ok(options, json_string_value(v))) {
			error_set(err, HERR_VALIDATION_FAILED, key,
			    "%s: one of the option ids", key);
			return -1;
		}
		out->text = json_string_value(v);
	} else {
		const char *s = json_string_value(v), *p;
		long len;

		if (s == NULL) {
			error_set(err, HERR_VALIDATION_FAILED, key, "%s: text",
			    key);
			return -1;
		}
		len = valid_utf8_len(s, strlen(s));
		for (p = s; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\n' &&
			        *p != '\t' && *p != '\r') ||
			    *p == 0x7f)
				len = -1;
		if (len < 0 || len > SURVEY_MAX_TEXT) {
			error_set(err, HERR_VALIDATION_FAILED, key,
			    "%s: up to %d characters of plain text", key,
			    SURVEY_MAX_TEXT);
			return -1;
		}
		out->text = s;
	}
	return 1;
}
