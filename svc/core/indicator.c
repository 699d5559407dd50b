/*
 * The evaluation framework's rules, sources, targets and checklists, as
 * DESIGN "The evaluation framework" writes them: parsers of the strings
 * a bureau's table carries (the same in JSON and CSV) and the arithmetic
 * of a row's score. Pure: the actuals come from the records or a
 * coordinator, and "no data" is decided here from what the caller says
 * it has, never by reading 0 as a value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* ------------------------------------------------------------- helpers */

/* Half away from zero on the decimal digits the reports print: the
 * nudge keeps 2.345 (stored as 2.34499…) from rounding down. */
static double
round2(double x)
{
	return round(x * 100.0 + (x < 0 ? -1e-7 : 1e-7)) / 100.0;
}

double
indicator_round2(double x)
{
	return round2(x);
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* A plain decimal number (digits, at most one '.' and 6 decimals, an
 * optional leading '-' when neg is allowed) filling [s, s + n); 1 and
 * *out on success. No exponents, no "inf"/"nan", no spaces: what a
 * table cell holds, and what indicator_number_format writes back. */
static int
number_span(const char *s, size_t n, int neg, double *out)
{
	char buf[32], *end;
	size_t i, digits = 0, dots = 0;
	const char *dot;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && i > 0 && dots++ == 0)
			;
		else if (s[i] == '-' && i == 0 && neg)
			;
		else
			return 0;
	}
	if (digits == 0 || s[n - 1] == '.')
		return 0;
	if ((dot = memchr(s, '.', n)) != NULL && n - (size_t)(dot - s) - 1 > 6)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, &end);
	return *end == '\0' && isfinite(*out);
}

int
indicator_number_parse(const char *s, int neg, double *out)
{
	return s != NULL && number_span(s, strlen(s), neg, out);
}

static void
set_err(char *err, size_t sz, const char *msg)
{
	if (err != NULL && sz > 0)
		snprintf(err, sz, "%s", msg);
}

/* --------------------------------------------------------------- rules */

static const char *const rule_kind_names[IND_RULE__MAX] = {
    /* IND_RULE_RATIO */ "ratio",
    /* IND_RULE_INVERSE */ "inverse",
    /* IND_RULE_ZERO */ "zero",
    /* IND_RULE_BANDS */ "bands",
    /* IND_RULE_DEDUCT */ "deduct",
    /* IND_RULE_CHECKLIST */ "checklist",
    /* IND_RULE_MANUAL */ "manual",
};

/* The names the first framework used, kept for what they meant. */
static const struct {
	const char *name, *means;
} rule_aliases[] = {
    {"tiered", "bands:80=1,60=0.6"},
    {"satisfaction_deduct", "deduct:90,0.2,50"},
    {"satisfaction_tiers", "bands:90=1,80=0.8,60=0.5"},
};

const char *
indicator_rule_kind_name(enum ind_rule_kind k)
{
	return (unsigned)k < IND_RULE__MAX ? rule_kind_names[k] : "ratio";
}

/* "80=1,60=0.6": thresholds strictly descending, shares 0..1. */
static int
parse_bands(const char *p, struct ind_rule *r, char *err, size_t errsz)
{
	const char *comma, *eq, *end;

	r->nbands = 0;
	for (;;) {
		if (r->nbands == IND_BANDS_MAX) {
			set_err(err, errsz, "分档最多 8 档");
			return 0;
		}
		comma = strchr(p, ',');
		end = comma ? comma : p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL ||
		    !number_span(p, (size_t)(eq - p), 0,
		        &r->band_at[r->nbands]) ||
		    !number_span(eq + 1, (size_t)(end - eq - 1), 0,
		        &r->band_share[r->nbands])) {
			set_err(err, errsz,
			    "分档写作 门槛=得分比例，如 "
			    "bands:80=1,60=0.6");
			return 0;
		}
		if (r->band_at[r->nbands] > 1e6 ||
		    r->band_share[r->nbands] > 1) {
			set_err(err, errsz, "分档的得分比例在 0 到 1 之间");
			return 0;
		}
		if (r->nbands > 0 &&
		    r->band_at[r->nbands] >= r->band_at[r->nbands - 1]) {
			set_err(err, errsz, "分档门槛须从高到低排列");
			return 0;
		}
		r->nbands++;
		if (comma == NULL)
			return 1;
		p = comma + 1;
	}
}

/* "90,0.2,50": full at, points off per whole point below, nothing under. */
static int
parse_deduct(const char *p, struct ind_rule *r, char *err, size_t errsz)
{
	const char *c1 = strchr(p, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;

	if (c1 == NULL || c2 == NULL || strchr(c2 + 1, ',') != NULL ||
	    !number_span(p, (size_t)(c1 - p), 0, &r->full) ||
	    !number_span(c1 + 1, (size_t)(c2 - c1 - 1), 0, &r->step) ||
	    !number_span(c2 + 1, strlen(c2 + 1), 0, &r->floor)) {
		set_err(err, errsz,
		    "扣分写作 满分线,每低1分扣分,最低线，如 "
		    "deduct:90,0.2,50");
		return 0;
	}
	if (r->full > 1e6 || r->step > 100 || r->floor > r->full) {
		set_err(err, errsz,
		    "扣分的最低线不能高于满分线，每分扣分不超过 "
		    "100");
		return 0;
	}
	return 1;
}

int
indicator_rule_parse(const char *s, struct ind_rule *r, char *err, size_t errsz)
{
	size_t i;

	if (s == NULL) {
		set_err(err, errsz, "缺少评分规则");
		return 0;
	}
	memset(r, 0, sizeof(*r));
	if (strlen(s) > IND_RULE_MAX) {
		set_err(err, errsz, "评分规则过长");
		return 0;
	}
	for (i = 0; i < sizeof(rule_aliases) / sizeof(rule_aliases[0]); i++)
		if (strcmp(s, rule_aliases[i].name) == 0)
			return indicator_rule_parse(rule_aliases[i].means, r,
			    err, errsz);
	if (strncmp(s, "bands:", 6) == 0) {
		r->kind = IND_RULE_BANDS;
		return parse_bands(s + 6, r, err, errsz);
	}
	if (strncmp(s, "deduct:", 7) == 0) {
		r->kind = IND_RULE_DEDUCT;
		return parse_deduct(s + 7, r, err, errsz);
	}
	for (i = 0; i < IND_RULE__MAX; i++)
		if (i != IND_RULE_BANDS && i != IND_RULE_DEDUCT &&
		    strcmp(s, rule_kind_names[i]) == 0) {
			r->kind = (enum ind_rule_kind)i;
			return 1;
		}
	set_err(err, errsz,
	    "评分规则应为 ratio、inverse、zero、bands:…、"
	    "deduct:…、checklist 或 manual");
	return 0;
}

/* A number as a table writes it: "80", "0.6", "2.5" (at most 6
 * decimals, no trailing zeros). */
void
indicator_number_format(double v, char *buf, size_t sz)
{
	char *p;

	snprintf(buf, sz, "%.6f", v);
	if ((p = strchr(buf, '.')) == NULL)
		return;
	p += strlen(p) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, sz, "0");
}

void
indicator_rule_format(const struct ind_rule *r, char *buf, size_t sz)
{
	char a[32], b[32], c[32];
	size_t i, len;

	switch (r->kind) {
	case IND_RULE_BANDS:
		snprintf(buf, sz, "bands:");
		for (i = 0; i < r->nbands; i++) {
			indicator_number_format(r->band_at[i], a, sizeof(a));
			indicator_number_format(r->band_share[i], b, sizeof(b));
			len = strlen(buf);
			snprintf(buf + len, sz > len ? sz - len : 0, "%s%s=%s",
			    i ? "," : "", a, b);
		}
		break;
	case IND_RULE_DEDUCT:
		indicator_number_format(r->full, a, sizeof(a));
		indicator_number_format(r->step, b, sizeof(b));
		indicator_number_format(r->floor, c, sizeof(c));
		snprintf(buf, sz, "deduct:%s,%s,%s", a, b, c);
		break;
	default:
		snprintf(buf, sz, "%s", indicator_rule_kind_name(r->kind));
	}
}

int
indicator_rule_needs_actual(const struct ind_rule *r)
{
	return r->kind != IND_RULE_CHECKLIST && r->kind != IND_RULE_MANUAL;
}

double
indicator_rule_score(const struct ind_rule *r, double target, double actual,
    double weight)
{
	double s;
	size_t i;

	if (!(weight > 0))
		return 0;
	switch (r->kind) {
	case IND_RULE_RATIO:
		if (target <= 0)
			return round2(weight);
		return round2(clamp(actual / target, 0, 1) * weight);
	case IND_RULE_INVERSE:
		/* lower is better: at or under the target full, else the
		 * share the target is of the actual */
		if (actual <= target + 1e-9)
			return round2(weight);
		return round2(clamp(target / actual, 0, 1) * weight);
	case IND_RULE_ZERO:
		return actual <= 0 ? round2(weight) : 0;
	case IND_RULE_BANDS:
		/* from the top: the first threshold reached gives its share */
		for (i = 0; i < r->nbands; i++)
			if (actual + 1e-9 >= r->band_at[i])
				return round2(weight * r->band_share[i]);
		return 0;
	case IND_RULE_DEDUCT:
		if (actual + 1e-9 >= r->full)
			return round2(weight);
		if (actual + 1e-9 < r->floor)
			return 0;
		/* step points per whole point below full: a fraction of a
		 * point is not counted (89.99 loses nothing); the epsilon
		 * keeps 86.0 from reading as 85.999… */
		s = weight - r->step * floor(r->full - actual + 1e-9);
		return round2(clamp(s, 0, weight));
	default:
		return 0;
	}
}

/* ------------------------------------------------------------- targets */

int
indicator_target_parse(const char *s, struct ind_target *t)
{
	const char *p = s, *end;
	size_t n;

	if (s == NULL)
		return 0;
	memset(t, 0, sizeof(*t));
	memcpy(t->unit, "count", 6);
	if (*s == '\0') {
		memcpy(t->op, ">=", 3);
		return 1; /* no target: checklist and manual rows */
	}
	if (strncmp(p, ">=", 2) == 0 || strncmp(p, "<=", 2) == 0) {
		memcpy(t->op, p, 2);
		t->op[2] = '\0';
		p += 2;
	} else if (*p == '=') {
		memcpy(t->op, "=", 2);
		p++;
	} else
		memcpy(t->op, ">=", 3); /* "100%有效", "2": a level to reach */
	for (end = p; (*end >= '0' && *end <= '9') || *end == '.'; end++)
		;
	n = (size_t)(end - p);
	if (!number_span(p, n, 0, &t->value) || t->value > 1e6)
		return 0;
	t->has_value = 1;
	if (*end == '\0')
		return 1;
	if (*end != '%' || t->value > 100)
		return 0;
	end++;
	if (*end == '\0') {
		memcpy(t->unit, "percent", 8);
		return 1;
	}
	if (strcmp(end, "有效") == 0) {
		memcpy(t->unit, "rating", 7);
		return 1;
	}
	return 0;
}

int
indicator_met(const char *op, double target, double actual)
{
	if (strcmp(op, "<=") == 0)
		return actual <= target + 1e-9;
	/* "=100%" is met by reaching it: nothing lies above */
	return actual + 1e-9 >= target;
}

/* ----------------------------------------------------------- checklist */

int
indicator_checklist_parse(const char *s, struct ind_checklist *c, char *err,
    size_t errsz)
{
	const char *p = s, *bar, *end, *eq;
	size_t tl;
	long len;

	c->n = 0;
	if (s == NULL || *s == '\0')
		return 1;
	for (;;) {
		struct ind_item *it;

		if (c->n == IND_ITEMS_MAX) {
			set_err(err, errsz, "评价要点最多 20 项");
			return 0;
		}
		it = &c->items[c->n];
		bar = strchr(p, '|');
		end = bar ? bar : p + strlen(p);
		/* the points follow the last '=' of the item */
		for (eq = end; eq > p && eq[-1] != '='; eq--)
			;
		if (eq == p) {
			set_err(err, errsz,
			    "评价要点写作 内容=分值，"
			    "多项以 | 分隔");
			return 0;
		}
		eq--;
		if (!number_span(eq + 1, (size_t)(end - eq - 1), 1,
		        &it->points) ||
		    it->points == 0 || fabs(it->points) > 100) {
			set_err(err, errsz,
			    "评价要点的分值应为非零数字"
			    "（扣分项为负数），绝对值不超过 100");
			return 0;
		}
		/* trim spaces around the text */
		while (p < eq && (*p == ' ' || *p == '\t'))
			p++;
		tl = (size_t)(eq - p);
		while (tl > 0 && (p[tl - 1] == ' ' || p[tl - 1] == '\t'))
			tl--;
		len = valid_utf8_len(p, tl);
		if (tl == 0 || len < 0 || len > IND_ITEM_CHARS ||
		    tl >= sizeof(it->text)) {
			set_err(err, errsz, "评价要点的内容为 1 到 200 个字");
			return 0;
		}
		memcpy(it->text, p, tl);
		it->text[tl] = '\0';
		{
			size_t k;

			for (k = 0; k < tl; k++)
				if ((unsigned char)it->text[k] < 0x20) {
					set_err(err, errsz,
					    "评价要点含有控制"
					    "字符");
					return 0;
				}
		}
		c->n++;
		if (bar == NULL)
			return 1;
		p = bar + 1;
	}
}

int
indicator_checklist_item_ok(const char *text, double points)
{
	long len;

	if (text == NULL || strchr(text, '|') != NULL || points == 0 ||
	    !isfinite(points) || fabs(points) > 100)
		return 0;
	len = valid_utf8_len(text, strlen(text));
	return len >= 1 && len <= IND_ITEM_CHARS &&
	    strlen(text) < sizeof(((struct ind_item *)0)->text);
}

void
indicator_checklist_format(const struct ind_checklist *c, struct strbuf *b)
{
	char num[32];
	size_t i;

	for (i = 0; i < c->n; i++) {
		indicator_number_format(c->items[i].points, num, sizeof(num));
		strbuf_printf(b, "%s%s=%s", i ? "|" : "", c->items[i].text,
		    num);
	}
}

double
indicator_checklist_score(const struct ind_checklist *c, const int *marks,
    size_t nmarks, double weight)
{
	double s = 0;
	size_t i;

	/* a positive item counts when met, a penalty item (negative points)
	 * when the fault happened: both are a true mark */
	for (i = 0; i < c->n && i < nmarks; i++)
		if (marks[i])
			s += c->items[i].points;
	return round2(clamp(s, 0, weight > 0 ? weight : 0));
}

int
indicator_marks_parse(const char *s, int *marks, size_t max, size_t *n)
{
	const char *p = s;

	*n = 0;
	if (s == NULL || *s == '\0')
		return 1;
	for (;;) {
		if (*n == max || (p[0] != '0' && p[0] != '1'))
			return 0;
		marks[(*n)++] = p[0] == '1';
		if (p[1] == '\0')
			return 1;
		if (p[1] != ',')
			return 0;
		p += 2;
	}
}

void
indicator_marks_format(const int *marks, size_t n, char *buf, size_t sz)
{
	size_t i, k = 0;

	if (sz == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < n && k + 2 < sz; i++) {
		if (i)
			buf[k++] = ',';
		buf[k++] = marks[i] ? '1' : '0';
	}
	buf[k] = '\0';
}

/* ------------------------------------------------------------- sources */

static const struct {
	const char *name;
	enum ind_source_kind kind;
	const char *params; /* the query keys it takes, space-separated */
} source_names[] = {
    {"manual", IND_SRC_MANUAL, ""},
    {"events.held", IND_SRC_EVENTS_HELD, "kind audience station"},
    {"trainings.held", IND_SRC_TRAININGS_HELD, ""},
    {"trainings.pass_rate", IND_SRC_TRAININGS_PASS_RATE, ""},
    {"trainings.on_time_rate", IND_SRC_TRAININGS_ON_TIME_RATE, ""},
    {"plans.completion", IND_SRC_PLANS_COMPLETION, "kind"},
    {"surveys.satisfaction", IND_SRC_SURVEYS_SATISFACTION, "source"},
    {"duty.attendance_rate", IND_SRC_DUTY_ATTENDANCE_RATE, ""},
    {"cases.assisted", IND_SRC_CASES_ASSISTED, ""},
    {"cases.resolved", IND_SRC_CASES_RESOLVED, ""},
    {"cases.resolution_rate", IND_SRC_CASES_RESOLUTION_RATE, ""},
    {"cases.session_hours", IND_SRC_CASES_SESSION_HOURS, ""},
};

/* The first framework's source names, kept. */
static const struct {
	const char *name, *means;
} source_aliases[] = {
    {"trainings_held", "trainings.held"},
    {"training_pass_rate", "trainings.pass_rate"},
    {"training_on_time_rate", "trainings.on_time_rate"},
    {"satisfaction_rate", "surveys.satisfaction"},
};

static int
in_list(const char *const *list, const char *v)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

/* One key=value of a source's query, checked against what it takes. */
static int
source_param(struct ind_source *o, const char *allowed, const char *k,
    size_t kl, const char *v, size_t vl, char *err, size_t errsz)
{
	char key[16], val[40];
	size_t i;

	if (kl == 0 || kl >= sizeof(key) || vl == 0 || vl >= sizeof(val)) {
		set_err(err, errsz, "数据来源的参数写作 键=值");
		return 0;
	}
	memcpy(key, k, kl);
	key[kl] = '\0';
	memcpy(val, v, vl);
	val[vl] = '\0';
	for (i = 0; i < vl; i++)
		if (!((val[i] >= 'a' && val[i] <= 'z') ||
		        (val[i] >= 'A' && val[i] <= 'Z') ||
		        (val[i] >= '0' && val[i] <= '9') || val[i] == '_' ||
		        val[i] == '-')) {
			set_err(err, errsz,
			    "数据来源的参数值只含字母、数字、"
			    "_ 和 -");
			return 0;
		}
	{
		const char *a = allowed;
		int found = 0;

		while (*a) {
			size_t al = strcspn(a, " ");

			if (al == kl && strncmp(a, key, kl) == 0)
				found = 1;
			a += al;
			a += *a == ' ';
		}
		if (!found) {
			set_err(err, errsz, "数据来源不接受这个参数");
			return 0;
		}
	}
	if (strcmp(key, "kind") == 0) {
		if (o->kind_filter[0] || vl >= sizeof(o->kind_filter) ||
		    !in_list(activity_kinds, val)) {
			set_err(err, errsz,
			    "kind 应为 lecture、salon、"
			    "training、group 或 activity（各一次）");
			return 0;
		}
		memcpy(o->kind_filter, val, vl + 1);
	} else if (strcmp(key, "audience") == 0) {
		if (o->audience[0] || vl >= sizeof(o->audience) ||
		    !in_list(activity_audiences, val)) {
			set_err(err, errsz,
			    "audience 应为 staff、residents、"
			    "community_workers 或 mixed（各一次）");
			return 0;
		}
		memcpy(o->audience, val, vl + 1);
	} else if (strcmp(key, "station") == 0) {
		if (o->station[0] || vl >= sizeof(o->station)) {
			set_err(err, errsz, "station 为一个驻点编码");
			return 0;
		}
		memcpy(o->station, val, vl + 1);
	} else if (strcmp(key, "source") == 0) {
		if (o->survey != IND_SURVEY_BOTH) {
			set_err(err, errsz, "source 只能给一次");
			return 0;
		}
		if (strcmp(val, "events") == 0)
			o->survey = IND_SURVEY_EVENTS;
		else if (strcmp(val, "counselling") == 0)
			o->survey = IND_SURVEY_COUNSELLING;
		else {
			set_err(err, errsz,
			    "source 应为 events 或 "
			    "counselling");
			return 0;
		}
	}
	return 1;
}

int
indicator_source_parse(const char *s, struct ind_source *o, char *err,
    size_t errsz)
{
	const char *q, *p, *amp, *eq;
	size_t nl, i;

	memset(o, 0, sizeof(*o));
	if (s == NULL || strlen(s) > IND_SOURCE_MAX) {
		set_err(err, errsz, "缺少数据来源或过长");
		return 0;
	}
	for (i = 0; i < sizeof(source_aliases) / sizeof(source_aliases[0]); i++)
		if (strcmp(s, source_aliases[i].name) == 0)
			return indicator_source_parse(source_aliases[i].means,
			    o, err, errsz);
	q = strchr(s, '?');
	nl = q ? (size_t)(q - s) : strlen(s);
	if (nl > 5 && strncmp(s, "duty.", 5) == 0 &&
	    !(nl == 20 && strncmp(s, "duty.attendance_rate", 20) == 0)) {
		if (q != NULL) {
			set_err(err, errsz, "值班数据来源不带参数");
			return 0;
		}
		if (strcmp(s + 5, "counselling_hours") == 0) {
			o->kind = IND_SRC_DUTY_METRIC;
			snprintf(o->metric, sizeof(o->metric),
			    "counselling_minutes");
			o->per_hour = 1;
			return 1;
		}
		if (!valid_lower_code(s + 5, nl - 5, DUTY_CODE_MAX)) {
			set_err(err, errsz, "duty. 之后为一个值班统计项编码");
			return 0;
		}
		o->kind = IND_SRC_DUTY_METRIC;
		memcpy(o->metric, s + 5, nl - 5);
		o->metric[nl - 5] = '\0';
		return 1;
	}
	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (strlen(source_names[i].name) == nl &&
		    strncmp(s, source_names[i].name, nl) == 0)
			break;
	if (i == sizeof(source_names) / sizeof(source_names[0])) {
		set_err(err, errsz, "未知的数据来源");
		return 0;
	}
	o->kind = source_names[i].kind;
	if (q == NULL)
		return 1;
	if (q[1] == '\0') {
		set_err(err, errsz, "数据来源的 ? 之后缺少参数");
		return 0;
	}
	for (p = q + 1;; p = amp + 1) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL) {
			set_err(err, errsz, "数据来源的参数写作 键=值");
			return 0;
		}
		if (!source_param(o, source_names[i].params, p,
		        (size_t)(eq - p), eq + 1, (size_t)(amp - eq - 1), err,
		        errsz))
			return 0;
		if (*amp == '\0')
			return 1;
	}
}

int
indicator_source_is_rate(const struct ind_source *s)
{
	switch (s->kind) {
	case IND_SRC_TRAININGS_PASS_RATE:
	case IND_SRC_TRAININGS_ON_TIME_RATE:
	case IND_SRC_PLANS_COMPLETION:
	case IND_SRC_SURVEYS_SATISFACTION:
	case IND_SRC_DUTY_ATTENDANCE_RATE:
	case IND_SRC_CASES_RESOLUTION_RATE:
		return 1;
	default:
		return 0;
	}
}

double
indicator_rate(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* --------------------------------------------------------------- a row */

int
indicator_evaluate(const struct ind_eval *e, double *score)
{
	double w = e->weight > 0 ? e->weight : 0;

	*score = 0;
	switch (e->rule->kind) {
	case IND_RULE_CHECKLIST:
		if (!e->marked)
			return 0;
		*score = indicator_checklist_score(e->items, e->marks,
		    e->nmarks, w);
		return 1;
	case IND_RULE_MANUAL:
		if (!e->has_score)
			return 0;
		*score = round2(clamp(e->score, 0, w));
		return 1;
	default:
		if (!e->has_actual)
			return 0;
		*score = indicator_rule_score(e->rule,
		    e->has_target ? e->target : 0, e->actual, w);
		return 1;
	}
}

/* --------------------------------------------------------------- codes */

int
indicator_code_ok(const char *s)
{
	return s != NULL && valid_lower_code(s, strlen(s), 32);
}

void
indicator_code_make(const char *l1, const char *l2, const char *l3,
    unsigned salt, char out[IND_CODE_BUF])
{
	const char *parts[3] = {l1, l2, l3};
	uint32_t h = 2166136261u; /* FNV-1a */
	const unsigned char *p;
	size_t i;

	for (i = 0; i < 3; i++) {
		for (p = (const unsigned char *)(parts[i] ? parts[i] : ""); *p;
		     p++)
			h = (h ^ *p) * 16777619u;
		h = (h ^ 0x1f) * 16777619u;
	}
	if (salt == 0)
		snprintf(out, IND_CODE_BUF, "i%08x", (unsigned)h);
	else
		snprintf(out, IND_CODE_BUF, "i%08x_%u", (unsigned)h, salt);
}

/* -------------------------------------------------------------- weights */

int
indicator_weight_ok(double w)
{
	return isfinite(w) && w >= 0 && w <= 100;
}

int
indicator_weight_sum_ok(double sum)
{
	return sum <= 100 + 1e-6;
}
