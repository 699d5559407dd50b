/*
 * libFuzzer target: the strings of a framework row other than its source
 * — the rule ("bands:80=1,60=0.6", "deduct:90,0.2,50", …), the target
 * (">=95%", "100%有效") and the checklist ("text=points|…"). Whatever
 * parses must format back to a string that parses to the same thing,
 * and every score must stay within 0..weight.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_rule(const char *s)
{
	struct ind_rule r, again;
	char buf[512], err[128];
	static const double actuals[] = {-1, 0, 0.5, 49.99, 50, 59.99, 60,
	    79.99, 80, 89.99, 90, 100, 1e6};
	size_t i;

	if (!indicator_rule_parse(s, &r, err, sizeof(err))) {
		if (err[0] == '\0')
			abort(); /* a rejection always says why */
		return;
	}
	indicator_rule_format(&r, buf, sizeof(buf));
	if (!indicator_rule_parse(buf, &again, err, sizeof(err)) ||
	    again.kind != r.kind || again.nbands != r.nbands)
		abort();
	for (i = 0; i < r.nbands; i++)
		if (fabs(again.band_at[i] - r.band_at[i]) > 1e-6 ||
		    fabs(again.band_share[i] - r.band_share[i]) > 1e-6)
			abort();
	for (i = 0; i < sizeof(actuals) / sizeof(actuals[0]); i++) {
		double sc = indicator_rule_score(&r, 50, actuals[i], 10);

		if (!(sc >= 0 && sc <= 10))
			abort();
	}
}

static void
check_checklist(const char *s)
{
	struct ind_checklist *c = malloc(sizeof(*c)), *again;
	struct strbuf b = {0};
	int marks[IND_ITEMS_MAX];
	size_t i;
	char *out;

	again = malloc(sizeof(*again));
	if (c == NULL || again == NULL)
		goto out;
	if (!indicator_checklist_parse(s, c, NULL, 0))
		goto out;
	indicator_checklist_format(c, &b);
	if ((out = strbuf_take(&b, NULL)) == NULL)
		goto out;
	if (!indicator_checklist_parse(out, again, NULL, 0) || again->n != c->n)
		abort();
	for (i = 0; i < c->n; i++) {
		if (strcmp(again->items[i].text, c->items[i].text) != 0 ||
		    fabs(again->items[i].points - c->items[i].points) > 1e-6 ||
		    !indicator_checklist_item_ok(c->items[i].text,
		        c->items[i].points))
			abort();
		marks[i] = (int)(i & 1);
	}
	{
		double sc = indicator_checklist_score(c, marks, c->n, 5);

		if (!(sc >= 0 && sc <= 5))
			abort();
	}
	free(out);
out:
	free(c);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ind_target t;
	char *s;

	if (size > 8192 || memchr(data, '\0', size) != NULL)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_rule(s);
	check_checklist(s);
	if (indicator_target_parse(s, &t) &&
	    (!(t.value >= 0) || t.value > 1e6 ||
	        (strcmp(t.unit, "count") != 0 && t.value > 100)))
		abort();
	free(s);
	return 0;
}
