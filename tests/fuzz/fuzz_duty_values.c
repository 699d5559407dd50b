/*
 * libFuzzer target: the "values" of a duty log (PUT /shifts/{id}/log)
 * through json_loadb, as the server parses the body, and
 * duty_values_check against a list of active metric codes, attended and
 * absent. Checks what the API relies on: a rejection renders as the
 * contract's JSON error with valid UTF-8 and names "values" or
 * "values.<code>"; an acceptance holds only active codes, each once,
 * with counts in 0..DUTY_VALUE_MAX, and nothing at all for an absent
 * counsellor.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const active[] = {"batches", "visitors", "calmed",
    "counselling_minutes", "scale_sas"};
#define NACTIVE (sizeof(active) / sizeof(active[0]))

static void
check_error(const struct herror *err)
{
	json_t *b;
	char *body;

	if (err->code != HERR_VALIDATION_FAILED)
		abort();
	if (strcmp(err->field, "values") != 0 &&
	    strncmp(err->field, "values.", 7) != 0)
		abort();
	if (strncmp(err->field, "values.", 7) == 0 &&
	    !duty_code_valid(err->field + 7))
		abort();
	if (valid_utf8_len(err->message, strlen(err->message)) < 0)
		abort();
	if ((body = error_body(err)) == NULL ||
	    (b = json_loads(body, 0, NULL)) == NULL)
		abort();
	json_decref(b);
	free(body);
}

static void
check_ok(const struct duty_value *out, size_t n, int attended)
{
	size_t i, k;

	if (!attended && n != 0)
		abort();
	for (i = 0; i < n; i++) {
		int known = 0;

		if (out[i].value < 0 || out[i].value > DUTY_VALUE_MAX)
			abort();
		for (k = 0; k < NACTIVE; k++)
			known |= strcmp(out[i].code, active[k]) == 0;
		if (!known)
			abort();
		for (k = 0; k < i; k++)
			if (strcmp(out[i].code, out[k].code) == 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct duty_value out[DUTY_MAX_METRICS];
	struct herror err;
	json_t *o;
	size_t n;
	int attended;

	o = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (o == NULL)
		return 0;
	for (attended = 0; attended <= 1; attended++) {
		memset(&err, 0, sizeof(err));
		if (duty_values_check(o, attended, active, NACTIVE, out,
		        DUTY_MAX_METRICS, &n, &err))
			check_ok(out, n, attended);
		else
			check_error(&err);
	}
	json_decref(o);
	return 0;
}
