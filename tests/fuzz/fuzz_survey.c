/*
 * libFuzzer target: survey templates and answers (core/survey.c). The
 * input is JSON {"questions": […], "answers": {…}}; each question goes
 * through survey_question_check, and the answers through
 * survey_answer_check against the questions that passed. An accepted
 * answer fits its question: 1-5 for a likert5, one of the option ids for
 * a choice, plain text of at most SURVEY_MAX_TEXT characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root, *qs, *answers, *q;
	struct herror err;
	size_t i;

	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL);
	if (root == NULL)
		return 0;
	qs = json_object_get(root, "questions");
	answers = json_object_get(root, "answers");
	json_array_foreach(qs, i, q)
	{
		struct survey_value v;
		const char *key, *type;
		char *opts = NULL;
		int rc;

		if (i >= 30 || !survey_question_check(q, i, &err))
			continue;
		key = json_string_value(json_object_get(q, "id"));
		type = json_string_value(json_object_get(q, "type"));
		if (!survey_key_ok(key))
			abort();
		if (strcmp(type, "choice") == 0)
			opts = json_dumps(json_object_get(q, "options"),
			    JSON_COMPACT);
		rc = survey_answer_check(key, type, opts,
		    json_is_true(json_object_get(q, "required")),
		    json_object_get(answers, key), &v, &err);
		if (rc > 0 && strcmp(type, "likert5") == 0 &&
		    (!v.has_int || v.value_int < 1 || v.value_int > 5))
			abort();
		if (rc > 0 && strcmp(type, "text") == 0 &&
		    (v.text == NULL ||
		        valid_utf8_len(v.text, strlen(v.text)) >
		            SURVEY_MAX_TEXT))
			abort();
		if (rc > 0 && strcmp(type, "choice") == 0 &&
		    (v.text == NULL || opts == NULL ||
		        strstr(opts, v.text) == NULL))
			abort();
		free(opts);
	}
	json_decref(root);
	return 0;
}
