/*
 * libFuzzer target: the checks of key cases and paper tallies — a case
 * label, a note scanned for phone and identity numbers (ASCII and
 * full-width digits), and a tally's counts object. Whatever a check
 * accepts must hold its promise; none may read past the string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, key[8];
	int64_t n[5], sum = 0;
	size_t i;
	json_t *j;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (case_label_check(s) == CASE_LABEL_OK) {
		if (strlen(s) == 0 || strlen(s) > CASE_LABEL_MAX ||
		    strspn(s,
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789-_") != strlen(s) ||
		    strpbrk(s, "0123456789") == NULL)
			abort();
	}
	/* A note that passes must not hold a bare 11-digit mobile. */
	if (case_note_check(s) == CASE_NOTE_OK) {
		const char *p = s;

		while ((p = strpbrk(p, "1")) != NULL) {
			unsigned char after = (unsigned char)
			    p[strspn(p, "0123456789")];
			unsigned char before = p == s ? ' '
			                              : (unsigned char)p[-1];

			if (strspn(p, "0123456789") == 11 && p[1] >= '3' &&
			    (before < '0' || before > '9') && before < 0x80 &&
			    after < 0x80 && after != 'X' && after != 'x')
				abort();
			p++;
		}
	}
	j = json_loadb(s, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (tally_counts_parse(j, n, key) == TALLY_OK) {
		for (i = 0; i < 5; i++) {
			if (n[i] < 0 || n[i] > TALLY_MAX_COUNT)
				abort();
			sum += n[i];
		}
		if (sum == 0)
			abort();
	}
	json_decref(j);
	free(s);
	return 0;
}
