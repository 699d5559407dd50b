/*
 * Unit tests of svc/core/error.c: the error table, the JSON error body, UTF-8
 * truncation of messages.
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

/* --- errors --------------------------------------------------------------- */

static void
test_error_table(void **state)
{
	static const struct {
		enum herr e;
		int status;
		const char *code;
	} want[] = {
	    {HERR_BAD_REQUEST, 400, "bad_request"},
	    {HERR_UNAUTHORIZED, 401, "unauthorized"},
	    {HERR_FORBIDDEN, 403, "forbidden"},
	    {HERR_NOT_FOUND, 404, "not_found"},
	    {HERR_METHOD_NOT_ALLOWED, 405, "method_not_allowed"},
	    {HERR_CONFLICT, 409, "conflict"},
	    {HERR_TOO_LARGE, 413, "too_large"},
	    {HERR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type"},
	    {HERR_VALIDATION_FAILED, 422, "validation_failed"},
	    {HERR_RATE_LIMITED, 429, "rate_limited"},
	    {HERR_INTERNAL, 500, "internal"},
	    {HERR_UNAVAILABLE, 503, "unavailable"},
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), HERR__MAX);
	for (i = 0; i < HERR__MAX; i++) {
		assert_int_equal(error_status(want[i].e), want[i].status);
		assert_string_equal(error_code(want[i].e), want[i].code);
	}
	assert_int_equal(error_status(HERR__MAX), 500);
	assert_string_equal(error_code(HERR__MAX), "internal");
	assert_int_equal(error_status((enum herr) - 1), 500);
}

static void
test_error_body(void **state)
{
	struct herror err;
	enum herr e;

	(void)state;
	for (e = 0; e < HERR__MAX; e++) {
		json_t *root, *inner;
		json_error_t je;
		char *body;

		memset(&err, 0, sizeof(err));
		if (e % 2)
			error_set(&err, e, "name", "name: \"%s\" 太长 %d", "x",
			    (int)e);
		else
			error_set(&err, e, NULL, "plain %d", (int)e);
		body = error_body(&err);
		assert_non_null(body);
		root = json_loads(body, 0, &je);
		if (root == NULL)
			fail_msg("not JSON: %s (%s)", body, je.text);
		assert_int_equal(json_object_size(root), 1);
		inner = json_object_get(root, "error");
		assert_true(json_is_object(inner));
		assert_string_equal(json_string_value(json_object_get(inner,
		                        "code")),
		    error_code(e));
		assert_string_equal(json_string_value(json_object_get(inner,
		                        "message")),
		    err.message);
		if (e % 2) {
			assert_string_equal(
			    json_string_value(json_object_get(inner, "field")),
			    "name");
			assert_int_equal(json_object_size(inner), 3);
			assert_non_null(strstr(err.message, "太长"));
		} else {
			assert_null(json_object_get(inner, "field"));
			assert_int_equal(json_object_size(inner), 2);
		}
		json_decref(root);
		free(body);
	}
	/* empty message: the code stands in */
	memset(&err, 0, sizeof(err));
	err.code = HERR_NOT_FOUND;
	{
		char *body = error_body(&err);

		assert_non_null(body);
		assert_string_equal(body,
		    "{\"error\":{\"code\":\"not_found\","
		    "\"message\":\"not_found\"}}");
		free(body);
	}
}

static void
test_error_utf8_truncation(void **state)
{
	char msg[1200], field[400];
	struct herror err;
	size_t pre, i;

	(void)state;
	/* every alignment of a cut inside 3- and 4-byte sequences */
	for (pre = 0; pre < 4; pre++) {
		for (i = 0; i < pre; i++)
			msg[i] = 'a';
		msg[pre] = '\0';
		for (i = 0; i < 100; i++)
			strcat(msg, i % 3 == 2 ? "😀" : "信访");
		for (i = 0; i < pre; i++)
			field[i] = 'f';
		field[pre] = '\0';
		for (i = 0; i < 30; i++)
			strcat(field, "字段");
		error_set(&err, HERR_VALIDATION_FAILED, field, "%s", msg);
		assert_true(strlen(err.message) > 240);
		assert_true(strlen(err.message) < sizeof(err.message));
		assert_true(valid_utf8_len(err.message, strlen(err.message)) >
		    0);
		assert_memory_equal(err.message, msg, strlen(err.message));
		assert_true(strlen(err.field) > 56);
		assert_true(valid_utf8_len(err.field, strlen(err.field)) > 0);
		assert_memory_equal(err.field, field, strlen(err.field));
		{
			char *body = error_body(&err);

			assert_non_null(body);
			free(body);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_table),
	    cmocka_unit_test(test_error_body),
	    cmocka_unit_test(test_error_utf8_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
