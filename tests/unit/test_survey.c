/*
 * Unit tests of svc/core/survey.c: a template's questions and an answer
 * checked against its question.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void
test_survey_checks(void **state)
{
	json_t *q = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}",
	    "id", "topic", "type", "choice", "text", "主题", "options", "id",
	    "a", "text", "甲", "id", "b", "text", "乙");
	json_t *bad = json_pack("{s:s, s:s, s:s, s:b}", "id", "q", "type",
	    "text", "text", "t", "satisfaction", 1);
	json_t *v = json_string("b"), *n5 = json_integer(6);
	struct survey_value out;
	struct herror err;

	(void)state;
	assert_int_equal(survey_question_check(q, 0, &err), 1);
	assert_int_equal(survey_question_check(bad, 1, &err), 0);
	assert_string_equal(err.field, "questions[1]");
	assert_int_equal(survey_answer_check("topic", "choice",
	                     "[{\"id\":\"a\"},{\"id\":\"b\"}]", 1, v, &out,
	                     &err),
	    1);
	assert_string_equal(out.text, "b");
	assert_int_equal(survey_answer_check("o", "likert5", NULL, 1, n5, &out,
	                     &err),
	    -1);
	assert_int_equal(survey_answer_check("o", "likert5", NULL, 0, NULL,
	                     &out, &err),
	    0);
	json_decref(q);
	json_decref(bad);
	json_decref(v);
	json_decref(n5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_survey_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
