/*
 * A row of an evaluation framework checked as every way in takes it —
 * POST/PATCH /indicators and the rows of POST /frameworks/import: the
 * levels, weight, target, rule, source and checklist, parsed by
 * core/indicator.c, into a struct indicator. The parse needs no store
 * (the exporters' fuzz target reads its rows through it); the check
 * adds what only the store knows: that the source's station and duty
 * metric exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

int
svc_str_set(char **dst, const char *s)
{
	char *p = strdup(s ? s : "");

	if (p == NULL)
		return 0;
	free(*dst);
	*dst = p;
	return 1;
}

/* A level name: 1-100 characters of UTF-8 without control characters. */
static int
level_ok(const char *s)
{
	long n;
	const unsigned char *p;

	if (s == NULL)
		return 0;
	n = valid_utf8_len(s, strlen(s));
	if (n < 1 || n > 100)
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* The checklist of in, checked against rule, canonical into *canon:
 * 1, 0 with err, -1 out of memory. */
static int
checklist_canon(const struct indicator_in *in, const struct ind_rule *rule,
    char **canon, struct herror *err)
{
	struct ind_checklist *c;
	struct strbuf b = {0};
	char why[160];
	int rc = 0;

	if ((c = malloc(sizeof(*c))) == NULL)
		return -1;
	if (!indicator_checklist_parse(in->checklist ? in->checklist : "", c,
	        why, sizeof(why)))
		error_set(err, HERR_VALIDATION_FAILED, "checklist", "%s", why);
	else if (rule->kind == IND_RULE_CHECKLIST && c->n == 0)
		error_set(err, HERR_VALIDATION_FAILED, "checklist",
		    "评价要点清单规则需要至少一项评价要点");
	else {
		indicator_checklist_format(c, &b);
		rc = (*canon = strbuf_take(&b, NULL)) != NULL ? 1 : -1;
	}
	free(c);
	return rc;
}

int
svc_indicator_row_parse(const struct indicator_in *in, struct indicator *ind,
    struct ind_source *src, struct herror *err)
{
	struct ind_target t;
	struct ind_rule rule;
	char why[160], *canon = NULL;
	int rc;

	if (!level_ok(in->level1) || !level_ok(in->level2) ||
	    !level_ok(in->level3)) {
		error_set(err, HERR_VALIDATION_FAILED,
		    !level_ok(in->level1)       ? "level1"
		        : !level_ok(in->level2) ? "level2"
		                                : "level3",
		    "指标名称为 1 到 100 个字");
		return 0;
	}
	if (!indicator_weight_ok(in->weight)) {
		error_set(err, HERR_VALIDATION_FAILED, "weight",
		    "分值为 0 到 100 之间的数");
		return 0;
	}
	if (in->target == NULL || strlen(in->target) > 32 ||
	    !indicator_target_parse(in->target, &t)) {
		error_set(err, HERR_VALIDATION_FAILED, "target",
		    "年度指标值写作 >=2、=100%%、>=90%%、<=3 或 100%%有效，"
		    "也可留空");
		return 0;
	}
	if (!indicator_rule_parse(in->rule, &rule, why, sizeof(why))) {
		error_set(err, HERR_VALIDATION_FAILED, "rule", "%s", why);
		return 0;
	}
	if ((rule.kind == IND_RULE_RATIO || rule.kind == IND_RULE_INVERSE) &&
	    !t.has_value) {
		error_set(err, HERR_VALIDATION_FAILED, "target",
		    "比例和越低越好的规则需要年度指标值");
		return 0;
	}
	if (!indicator_source_parse(in->source, src, why, sizeof(why))) {
		error_set(err, HERR_VALIDATION_FAILED, "source", "%s", why);
		return 0;
	}
	if ((rc = checklist_canon(in, &rule, &canon, err)) <= 0)
		return rc;
	memcpy(ind->target_op, t.op, sizeof(ind->target_op));
	ind->has_target = t.has_value;
	ind->target_value = t.value;
	ind->weight = in->weight;
	rc = svc_str_set(&ind->level1, in->level1) &&
	        svc_str_set(&ind->level2, in->level2) &&
	        svc_str_set(&ind->level3, in->level3) &&
	        svc_str_set(&ind->target_unit, t.unit) &&
	        svc_str_set(&ind->target_text, in->target) &&
	        svc_str_set(&ind->rule, in->rule) &&
	        svc_str_set(&ind->source, in->source) &&
	        svc_str_set(&ind->checklist, canon)
	    ? 1
	    : -1;
	free(canon);
	return rc;
}

int
svc_indicator_row_check(struct store *st, const struct indicator_in *in,
    struct indicator *ind, struct herror *err)
{
	struct ind_source src;
	struct station sta;
	int rc;

	if ((rc = svc_indicator_row_parse(in, ind, &src, err)) <= 0)
		return rc;
	if (src.station[0] != '\0') {
		if ((rc = store_station_get_by_code(st, src.station, &sta)) < 0)
			return -1;
		if (rc == 0) {
			error_set(err, HERR_VALIDATION_FAILED, "source",
			    "没有编码为 %s 的驻点", src.station);
			return 0;
		}
		station_free(&sta);
	}
	if (src.kind == IND_SRC_DUTY_METRIC) {
		if ((rc = store_duty_metric_exists(st, src.metric)) < 0)
			return -1;
		if (rc == 0) {
			error_set(err, HERR_VALIDATION_FAILED, "source",
			    "没有编码为 %s 的值班统计项", src.metric);
			return 0;
		}
	}
	return 1;
}
