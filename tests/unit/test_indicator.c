/*
 * The evaluation framework's rules at and around each of their edges
 * (80 %, 79.99 %, 60 %, 59.99 %, 90, 89.99, 50, 49.99, zero targets,
 * clamping at 0 and at the weight, penalty items, rounding to two
 * decimals), the rule, source, target and checklist parsers, the old
 * names, codes, and a whole row as the API scores it: the 19 rows of
 * Futian 2023 give the report's 94.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define near(a, b) assert_true((a) - (b) < 1e-9 && (b) - (a) < 1e-9)

static struct ind_rule
rule(const char *s)
{
	struct ind_rule r;
	char err[128];

	if (!indicator_rule_parse(s, &r, err, sizeof(err)))
		fail_msg("rule %s: %s", s, err);
	return r;
}

static double
score(const char *r, double target, double actual, double weight)
{
	struct ind_rule x = rule(r);

	return indicator_rule_score(&x, target, actual, weight);
}

static void
test_ratio(void **state)
{
	(void)state;
	near(score("ratio", 2, 0, 5), 0);
	near(score("ratio", 2, 1, 5), 2.5);
	near(score("ratio", 2, 2, 5), 5);
	near(score("ratio", 2, 7, 5), 5);             /* capped at the weight */
	near(score("ratio", 100, 66.6667, 10), 6.67); /* two decimals */
	near(score("ratio", 100, 200.0 / 3, 10), 6.67);
	near(score("ratio", 3, 1, 10), 3.33);
	near(score("ratio", 3, 2, 10), 6.67);
	near(score("ratio", 95, 95, 10), 10);
	near(score("ratio", 95, 94.9, 10), 9.99);
	near(score("ratio", 50, 50, 5), 5);    /* Futian: cases 50 % */
	near(score("ratio", 50, 49.99, 5), 5); /* 4.999 rounds to 5.00 */
	near(score("ratio", 50, 49.9, 5), 4.99);
	near(score("ratio", 0, 0, 5), 5); /* zero target: full */
	near(score("ratio", 0, 3, 5), 5);
	near(score("ratio", 50, -1, 5), 0); /* clamped at 0 */
	near(score("ratio", 2, 2, 0), 0);   /* no weight, no points */
}

static void
test_inverse(void **state)
{
	(void)state;
	near(score("inverse", 3, 0, 10), 10);
	near(score("inverse", 3, 3, 10), 10); /* at the target: full */
	near(score("inverse", 3, 3.000001, 10), 10);
	near(score("inverse", 3, 4, 10), 7.5);
	near(score("inverse", 3, 6, 10), 5);
	near(score("inverse", 3, 9, 10), 3.33);
	near(score("inverse", 0, 0, 10), 10); /* zero target, zero actual */
	near(score("inverse", 0, 1, 10), 0);  /* zero target missed */
}

static void
test_zero(void **state)
{
	(void)state;
	near(score("zero", 0, 0, 5), 5);
	near(score("zero", 0, 1, 5), 0);
	near(score("zero", 0, 0.01, 5), 0);
	near(score("zero", 10, 3, 5), 0); /* the target plays no part */
}

static void
test_bands(void **state)
{
	(void)state;
	/* Futian: 80 %（含）—100 % 5 分, 60 %（含）—80 % 3 分 */
	near(score("bands:80=1,60=0.6", 100, 100, 5), 5);
	near(score("bands:80=1,60=0.6", 100, 80, 5), 5);
	near(score("bands:80=1,60=0.6", 100, 79.99, 5), 3);
	near(score("bands:80=1,60=0.6", 100, 70, 5), 3);
	near(score("bands:80=1,60=0.6", 100, 60, 5), 3);
	near(score("bands:80=1,60=0.6", 100, 59.99, 5), 0);
	near(score("bands:80=1,60=0.6", 100, 0, 5), 0);
	near(score("bands:80=1,60=0.6", 100, 70, 10), 6); /* scaled */
	near(score("bands:80=1,60=0.6", 100, 70, 3), 1.8);
	/* the old name means the same */
	near(score("tiered", 100, 80, 5), 5);
	near(score("tiered", 100, 79.99, 5), 3);
	near(score("tiered", 100, 59.99, 5), 0);
	/* satisfaction_tiers: ≥ 90 full, 80–90 8/10, 60–80 5/10 */
	near(score("satisfaction_tiers", 90, 90, 10), 10);
	near(score("satisfaction_tiers", 90, 89.99, 10), 8);
	near(score("satisfaction_tiers", 90, 80, 10), 8);
	near(score("satisfaction_tiers", 90, 79.99, 10), 5);
	near(score("satisfaction_tiers", 90, 60, 10), 5);
	near(score("satisfaction_tiers", 90, 59.99, 10), 0);
	near(score("satisfaction_tiers", 90, 70, 5), 2.5);
	near(score("satisfaction_tiers", 90, 85, 5), 4);
	near(score("satisfaction_tiers", 90, 95, 5), 5);
	/* one band, a band worth nothing, a share of a third */
	near(score("bands:1=1", 0, 1, 4), 4);
	near(score("bands:1=1", 0, 0.99, 4), 0);
	near(score("bands:50=0,10=1", 0, 60, 4), 0);
	near(score("bands:50=0.333333", 0, 60, 10), 3.33);
}

static void
test_deduct(void **state)
{
	(void)state;
	near(score("deduct:90,0.2,50", 90, 100, 10), 10);
	near(score("deduct:90,0.2,50", 90, 90, 10), 10);
	/* a fraction of a point below is not deducted */
	near(score("deduct:90,0.2,50", 90, 89.99, 10), 10);
	near(score("deduct:90,0.2,50", 90, 89, 10), 9.8);
	near(score("deduct:90,0.2,50", 90, 88.99, 10), 9.8);
	near(score("deduct:90,0.2,50", 90, 86, 10), 9.2);
	near(score("deduct:90,0.2,50", 90, 85.5, 10), 9.2);
	near(score("deduct:90,0.2,50", 90, 200.0 / 3, 10), 5.4);
	near(score("deduct:90,0.2,50", 90, 50.01, 10), 2.2);
	near(score("deduct:90,0.2,50", 90, 50, 10), 2);
	near(score("deduct:90,0.2,50", 90, 49.99, 10), 0); /* under 50 */
	near(score("deduct:90,0.2,50", 90, 0, 10), 0);
	/* absolute points: a small weight reaches 0 and stays there */
	near(score("deduct:90,0.2,50", 90, 60, 5), 0);
	near(score("deduct:90,0.2,50", 90, 70, 5), 1);
	/* the old name */
	near(score("satisfaction_deduct", 90, 89, 10), 9.8);
	near(score("satisfaction_deduct", 90, 49.99, 10), 0);
	/* another table's numbers */
	near(score("deduct:100,1,0", 0, 97, 10), 7);
	near(score("deduct:100,1,0", 0, 0, 10), 0);
	near(score("deduct:95,0.5,80", 0, 80, 10), 2.5);
	near(score("deduct:95,0.5,80", 0, 79.99, 10), 0);
}

static void
test_rule_parser(void **state)
{
	struct ind_rule r;
	char err[128], buf[256];
	static const char *const bad[] = {
	    "",
	    "linear",
	    "Ratio",
	    "ratio ",
	    "bands",
	    "bands:",
	    "bands:80",
	    "bands:80=",
	    "bands:=1",
	    "bands:80=1,",
	    "bands:80=1,,60=0.6",
	    "bands:60=0.6,80=1",
	    "bands:80=1,80=0.5",
	    "bands:80=1.5",
	    "bands:80=-1",
	    "bands:-80=1",
	    "bands:8e1=1",
	    "bands:80=1;60=1",
	    "bands:80 = 1",
	    "bands:1=1,2=1",
	    "bands:.5=1",
	    "bands:5.=1",
	    "bands:inf=1",
	    "bands:nan=1",
	    "bands:9=1,8=1,7=1,6=1,5=1,4=1,3=1,2=1,1=1",
	    "deduct",
	    "deduct:",
	    "deduct:90",
	    "deduct:90,0.2",
	    "deduct:90,0.2,50,1",
	    "deduct:90,,50",
	    "deduct:50,0.2,90",
	    "deduct:90,-0.2,50",
	    "deduct:90,0.2,x",
	    "deduct:90,101,50",
	    "tiered:1",
	    "checklist:1",
	    "bands:80=0.1234567",
	    NULL,
	};
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		if (indicator_rule_parse(bad[i], &r, err, sizeof(err)))
			fail_msg("accepted %s", bad[i]);
		assert_true(err[0] != '\0');
	}
	assert_false(indicator_rule_parse(NULL, &r, NULL, 0));
	memset(buf, 'x', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	assert_false(indicator_rule_parse(buf, &r, NULL, 0));

	assert_true(indicator_rule_parse("bands:80=1,60=0.6", &r, err,
	    sizeof(err)));
	assert_int_equal(r.kind, IND_RULE_BANDS);
	assert_int_equal(r.nbands, 2);
	near(r.band_at[1], 60);
	near(r.band_share[1], 0.6);
	indicator_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "bands:80=1,60=0.6");
	/* the old names are the new rules */
	assert_true(indicator_rule_parse("tiered", &r, NULL, 0));
	indicator_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "bands:80=1,60=0.6");
	assert_true(indicator_rule_parse("satisfaction_deduct", &r, NULL, 0));
	indicator_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "deduct:90,0.2,50");
	assert_true(indicator_rule_parse("satisfaction_tiers", &r, NULL, 0));
	indicator_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "bands:90=1,80=0.8,60=0.5");
	assert_true(indicator_rule_parse("deduct:90.5,0.25,0", &r, NULL, 0));
	indicator_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "deduct:90.5,0.25,0");
	for (i = 0; i < IND_RULE__MAX; i++) {
		const char *n = indicator_rule_kind_name((enum ind_rule_kind)i);

		if (i == IND_RULE_BANDS || i == IND_RULE_DEDUCT)
			continue;
		assert_true(indicator_rule_parse(n, &r, NULL, 0));
		assert_int_equal(r.kind, i);
		indicator_rule_format(&r, buf, sizeof(buf));
		assert_string_equal(buf, n);
	}
	assert_true(indicator_rule_parse("manual", &r, NULL, 0));
	assert_false(indicator_rule_needs_actual(&r));
	assert_true(indicator_rule_parse("zero", &r, NULL, 0));
	assert_true(indicator_rule_needs_actual(&r));
}

static void
test_targets(void **state)
{
	struct ind_target t;

	(void)state;
	assert_true(indicator_target_parse(">=2", &t));
	assert_string_equal(t.op, ">=");
	near(t.value, 2);
	assert_true(t.has_value);
	assert_string_equal(t.unit, "count");
	assert_true(indicator_target_parse("=100%", &t));
	assert_string_equal(t.op, "=");
	assert_string_equal(t.unit, "percent");
	near(t.value, 100);
	assert_true(indicator_target_parse(">=90%", &t));
	near(t.value, 90);
	assert_true(indicator_target_parse(">=95.5%", &t));
	near(t.value, 95.5);
	assert_true(indicator_target_parse("100%有效", &t));
	assert_string_equal(t.unit, "rating");
	assert_string_equal(t.op, ">=");
	assert_true(indicator_target_parse("<=3", &t));
	assert_string_equal(t.op, "<=");
	assert_true(indicator_target_parse("0", &t));
	near(t.value, 0);
	/* no target: checklist and manual rows */
	assert_true(indicator_target_parse("", &t));
	assert_false(t.has_value);
	assert_false(indicator_target_parse(">=", &t));
	assert_false(indicator_target_parse("abc", &t));
	assert_false(indicator_target_parse("120%", &t));
	assert_false(indicator_target_parse(">=5x", &t));
	assert_false(indicator_target_parse("-1", &t));
	assert_false(indicator_target_parse(">=1.", &t));
	assert_false(indicator_target_parse("=>2", &t));
	assert_false(indicator_target_parse("100%有", &t));
	assert_false(indicator_target_parse(NULL, &t));
}

static void
test_met(void **state)
{
	(void)state;
	assert_true(indicator_met(">=", 2, 2));
	assert_true(indicator_met(">=", 2, 3));
	assert_false(indicator_met(">=", 2, 1));
	assert_true(indicator_met("=", 100, 100));
	assert_false(indicator_met("=", 100, 99.99));
	assert_true(indicator_met("<=", 3, 3));
	assert_true(indicator_met("<=", 3, 0));
	assert_false(indicator_met("<=", 3, 3.01));
}

static void
test_checklist(void **state)
{
	struct ind_checklist c;
	struct strbuf b = {0};
	char err[128], *s;
	int all[5] = {1, 1, 1, 1, 1}, none[5] = {0}, m[5];

	(void)state;
	/* 资金使用合规性: three items and a penalty item */
	assert_true(indicator_checklist_parse(
	    "符合国家财经法规=1|资金的拨付"
	    "有完整的审批程序和手续=1|符合项目预算批复=1|存在截留、挤占、"
	    "挪用、虚列支出等情况=-1",
	    &c, err, sizeof(err)));
	assert_int_equal(c.n, 4);
	near(c.items[3].points, -1);
	assert_string_equal(c.items[3].text,
	    "存在截留、挤占、挪用、虚列支出"
	    "等情况");
	m[0] = 1, m[1] = 1, m[2] = 1, m[3] = 0;
	near(indicator_checklist_score(&c, m, 4, 3), 3);
	m[3] = 1; /* the fault happened */
	near(indicator_checklist_score(&c, m, 4, 3), 2);
	m[0] = 0, m[1] = 0, m[2] = 0; /* only the fault: clamped at 0 */
	near(indicator_checklist_score(&c, m, 4, 3), 0);
	near(indicator_checklist_score(&c, none, 4, 3), 0);
	near(indicator_checklist_score(&c, all, 2, 3), 2); /* missing marks */
	/* clamped at the weight */
	near(indicator_checklist_score(&c, all, 3, 2), 2);
	/* halves and the format round trip */
	assert_true(indicator_checklist_parse(
	    " 项目按照规定的程序申请设立 =1|"
	    "审批文件、材料符合相关要求=0.5|事前已经过可行性研究=0.50",
	    &c, err, sizeof(err)));
	assert_string_equal(c.items[0].text, "项目按照规定的程序申请设立");
	m[0] = 1, m[1] = 0, m[2] = 1;
	near(indicator_checklist_score(&c, m, 3, 2), 1.5);
	indicator_checklist_format(&c, &b);
	s = strbuf_take(&b, NULL);
	assert_string_equal(s,
	    "项目按照规定的程序申请设立=1|审批文件、材料"
	    "符合相关要求=0.5|事前已经过可行性研究=0.5");
	free(s);
	/* an '=' inside the text: the points follow the last one */
	assert_true(indicator_checklist_parse("a=b=2", &c, NULL, 0));
	assert_string_equal(c.items[0].text, "a=b");
	near(c.items[0].points, 2);
	assert_true(indicator_checklist_parse("", &c, NULL, 0));
	assert_int_equal(c.n, 0);
	{
		static const char *const bad[] = {"a", "a=", "=1", "a=0", "a=x",
		    "a=1|", "|a=1", "a=1||b=1", "a=101", "a=-101", "a=1e2",
		    " =1", "a=+1", "a\tb\x01=1", NULL};
		size_t i;

		for (i = 0; bad[i] != NULL; i++)
			if (indicator_checklist_parse(bad[i], &c, err,
			        sizeof(err)))
				fail_msg("accepted %s", bad[i]);
	}
	{
		char many[256] = "";
		int i;

		for (i = 0; i < 21; i++)
			strcat(many, i ? "|x=1" : "x=1");
		assert_false(indicator_checklist_parse(many, &c, NULL, 0));
		many[strlen(many) - 4] = '\0';
		assert_true(indicator_checklist_parse(many, &c, NULL, 0));
		assert_int_equal(c.n, 20);
	}
	assert_true(indicator_checklist_item_ok("项目有绩效目标", 1));
	assert_true(indicator_checklist_item_ok("存在问题", -1));
	assert_false(indicator_checklist_item_ok("a|b", 1));
	assert_false(indicator_checklist_item_ok("", 1));
	assert_false(indicator_checklist_item_ok("a", 0));
	assert_false(indicator_checklist_item_ok("a", 100.5));
}

static void
test_marks(void **state)
{
	int m[4];
	size_t n;
	char buf[16];

	(void)state;
	assert_true(indicator_marks_parse("1,0,1", m, 4, &n));
	assert_int_equal(n, 3);
	assert_int_equal(m[1], 0);
	indicator_marks_format(m, n, buf, sizeof(buf));
	assert_string_equal(buf, "1,0,1");
	assert_true(indicator_marks_parse("", m, 4, &n));
	assert_int_equal(n, 0);
	assert_false(indicator_marks_parse("1,0,1,1,1", m, 4, &n));
	assert_false(indicator_marks_parse("1,,1", m, 4, &n));
	assert_false(indicator_marks_parse("2", m, 4, &n));
	assert_false(indicator_marks_parse("1,", m, 4, &n));
	assert_false(indicator_marks_parse("10", m, 4, &n));
}

static void
test_sources(void **state)
{
	struct ind_source s;
	char err[128];

	(void)state;
	assert_true(indicator_source_parse("manual", &s, err, sizeof(err)));
	assert_int_equal(s.kind, IND_SRC_MANUAL);
	assert_true(indicator_source_parse("events.held", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_EVENTS_HELD);
	assert_string_equal(s.kind_filter, "");
	assert_true(indicator_source_parse("events.held?kind=lecture&"
	                                   "audience=residents&station=YL-01",
	    &s, NULL, 0));
	assert_string_equal(s.kind_filter, "lecture");
	assert_string_equal(s.audience, "residents");
	assert_string_equal(s.station, "YL-01");
	assert_true(indicator_source_parse("trainings.held", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_TRAININGS_HELD);
	assert_true(indicator_source_parse("trainings.pass_rate", &s, NULL, 0));
	assert_true(indicator_source_is_rate(&s));
	assert_true(indicator_source_parse("trainings.on_time_rate", &s, NULL,
	    0));
	assert_int_equal(s.kind, IND_SRC_TRAININGS_ON_TIME_RATE);
	assert_true(indicator_source_parse("plans.completion?kind=salon", &s,
	    NULL, 0));
	assert_int_equal(s.kind, IND_SRC_PLANS_COMPLETION);
	assert_string_equal(s.kind_filter, "salon");
	assert_true(indicator_source_parse("surveys.satisfaction", &s, NULL,
	    0));
	assert_int_equal(s.survey, IND_SURVEY_BOTH);
	assert_true(indicator_source_parse("surveys.satisfaction?source="
	                                   "counselling",
	    &s, NULL, 0));
	assert_int_equal(s.survey, IND_SURVEY_COUNSELLING);
	assert_true(indicator_source_parse("surveys.satisfaction?source="
	                                   "events",
	    &s, NULL, 0));
	assert_int_equal(s.survey, IND_SURVEY_EVENTS);
	assert_true(indicator_source_parse("duty.visitors", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_DUTY_METRIC);
	assert_string_equal(s.metric, "visitors");
	assert_false(s.per_hour);
	assert_false(indicator_source_is_rate(&s));
	assert_true(indicator_source_parse("duty.counselling_hours", &s, NULL,
	    0));
	assert_string_equal(s.metric, "counselling_minutes");
	assert_true(s.per_hour);
	assert_true(indicator_source_parse("duty.attendance_rate", &s, NULL,
	    0));
	assert_int_equal(s.kind, IND_SRC_DUTY_ATTENDANCE_RATE);
	assert_true(indicator_source_is_rate(&s));
	assert_true(indicator_source_parse("cases.assisted", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_CASES_ASSISTED);
	assert_true(indicator_source_parse("cases.resolved", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_CASES_RESOLVED);
	assert_true(indicator_source_parse("cases.resolution_rate", &s, NULL,
	    0));
	assert_true(indicator_source_is_rate(&s));
	assert_true(indicator_source_parse("cases.session_hours", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_CASES_SESSION_HOURS);
	/* the old names */
	assert_true(indicator_source_parse("trainings_held", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_TRAININGS_HELD);
	assert_true(indicator_source_parse("training_pass_rate", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_TRAININGS_PASS_RATE);
	assert_true(indicator_source_parse("training_on_time_rate", &s, NULL,
	    0));
	assert_int_equal(s.kind, IND_SRC_TRAININGS_ON_TIME_RATE);
	assert_true(indicator_source_parse("satisfaction_rate", &s, NULL, 0));
	assert_int_equal(s.kind, IND_SRC_SURVEYS_SATISFACTION);
	assert_int_equal(s.survey, IND_SURVEY_BOTH);
	{
		static const char *const bad[] = {"", "events", "events.",
		    "events.held?", "events.held?kind",
		    "events.held?kind=", "events.held?kind=party",
		    "events.held?kind=lecture&kind="
		    "salon",
		    "events.held?colour=red",
		    "events.held?station="
		    "a b",
		    "events.held?station=%41", "events.held&kind=lecture",
		    "events.held?kind=lecture&", "trainings.held?kind=training",
		    "plans.completion?audience=staff",
		    "surveys.satisfaction?"
		    "source=paper",
		    "surveys.satisfaction?source=events&source="
		    "events",
		    "duty.", "duty.Visitors", "duty.1x",
		    "duty.visitors?station=HALL", "duty.a-b",
		    "duty.abcdefghijklmnopqrstuvwxyz0123456", "cases",
		    "cases.open", "manual?x=1", "Manual", "trainings_held?x=1",
		    "events.held?station=abcdefghijklmnopqrstuvwxyz01234567",
		    NULL};
		size_t i;

		for (i = 0; bad[i] != NULL; i++) {
			err[0] = '\0';
			if (indicator_source_parse(bad[i], &s, err,
			        sizeof(err)))
				fail_msg("accepted %s", bad[i]);
			assert_true(err[0] != '\0');
		}
	}
	assert_false(indicator_source_parse(NULL, &s, NULL, 0));
	near(indicator_rate(1, 2), 50);
	near(indicator_rate(0, 0), 0);
}

static void
test_evaluate(void **state)
{
	struct ind_rule r;
	struct ind_checklist c;
	struct ind_eval e;
	double s;
	int marks[2] = {1, 0};

	(void)state;
	memset(&e, 0, sizeof(e));
	r = rule("ratio");
	e.rule = &r;
	e.weight = 5;
	e.has_target = 1;
	e.target = 2;
	/* no actual: no data, not 0 */
	assert_false(indicator_evaluate(&e, &s));
	e.has_actual = 1;
	e.actual = 0;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 0);
	e.actual = 1;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 2.5);
	/* checklist: no marks → no data; marks → the sum */
	r = rule("checklist");
	assert_true(indicator_checklist_parse("a=1|b=2", &c, NULL, 0));
	e.items = &c;
	assert_false(indicator_evaluate(&e, &s));
	e.marked = 1;
	e.marks = marks;
	e.nmarks = 2;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 1);
	/* manual: the score entered, clamped */
	r = rule("manual");
	assert_false(indicator_evaluate(&e, &s));
	e.has_score = 1;
	e.score = 7;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 5);
	e.score = -1;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 0);
	e.score = 3.333;
	assert_true(indicator_evaluate(&e, &s));
	near(s, 3.33);
}

/* Futian 2023 (shared/data/framework-futian-2023.csv and
 * scores-futian-2023.csv): each row with what the report records gives
 * the report's score, 94 in all. */
static void
test_futian_2023(void **state)
{
	static const struct {
		const char *rule, *target, *checklist, *marks;
		double weight, actual, want;
	} rows[] = {
	    {"checklist", "", "a=1|b=1|c=1|d=1|e=1", "1,1,1,1,1", 5, 0, 5},
	    {"checklist", "", "a=1|b=0.5|c=0.5", "1,1,1", 2, 0, 2},
	    {"checklist", "", "a=1|b=1|c=1|d=1", "1,1,1,0", 4, 0, 3},
	    {"checklist", "", "a=1|b=1|c=1", "1,1,0", 3, 0, 2},
	    {"checklist", "", "a=1|b=1|c=1|d=1", "1,1,1,1", 4, 0, 4},
	    {"checklist", "", "a=1|b=1", "1,1", 2, 0, 2},
	    {"ratio", "=100%", "", "", 2, 100, 2},
	    {"ratio", ">=95%", "", "", 5, 100, 5},
	    {"checklist", "", "a=1|b=1|c=1|d=-1", "1,1,1,0", 3, 0, 3},
	    {"checklist", "", "a=2.5|b=2.5", "1,1", 5, 0, 5},
	    {"checklist", "", "a=1|b=1|c=1|d=2", "1,1,1,1", 5, 0, 5},
	    {"ratio", ">=2", "", "", 5, 2, 5},
	    {"ratio", ">=50%", "", "", 5, 50, 5},
	    {"ratio", "=100%", "", "", 10, 100, 10},
	    {"ratio", "=100%", "", "", 10, 100, 10},
	    {"ratio", ">=95%", "", "", 10, 100, 10},
	    {"bands:80=1,60=0.6", "100%有效", "", "", 5, 70, 3},
	    {"bands:80=1,60=0.6", "100%有效", "", "", 5, 70, 3},
	    {"deduct:90,0.2,50", ">=90%", "", "", 10, 90, 10},
	};
	double total = 0, weights = 0, s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ind_rule r = rule(rows[i].rule);
		struct ind_target t;
		struct ind_checklist c;
		struct ind_eval e;
		int marks[IND_ITEMS_MAX];
		size_t n;

		assert_true(indicator_target_parse(rows[i].target, &t));
		assert_true(indicator_checklist_parse(rows[i].checklist, &c,
		    NULL, 0));
		assert_true(indicator_marks_parse(rows[i].marks, marks,
		    IND_ITEMS_MAX, &n));
		memset(&e, 0, sizeof(e));
		e.rule = &r;
		e.weight = rows[i].weight;
		e.has_target = t.has_value;
		e.target = t.value;
		e.has_actual = r.kind != IND_RULE_CHECKLIST;
		e.actual = rows[i].actual;
		e.items = &c;
		e.marked = n > 0;
		e.marks = marks;
		e.nmarks = n;
		assert_true(indicator_evaluate(&e, &s));
		if (s != rows[i].want)
			fail_msg("row %zu: %g, want %g", i + 1, s,
			    rows[i].want);
		total += s;
		weights += rows[i].weight;
	}
	near(indicator_round2(total), 94);
	near(weights, 100);
	assert_true(indicator_weight_sum_ok(weights));
	assert_false(indicator_weight_sum_ok(100.5));
}

static void
test_codes(void **state)
{
	char a[IND_CODE_BUF], b[IND_CODE_BUF], c[IND_CODE_BUF];

	(void)state;
	indicator_code_make("产出", "产出数量", "心访咨询师培训开展期数", 0, a);
	indicator_code_make("产出", "产出数量", "心访咨询师培训开展期数", 0, b);
	assert_string_equal(a, b); /* stable */
	assert_true(indicator_code_ok(a));
	assert_int_equal(strlen(a), 9);
	indicator_code_make("产出", "产出数量", "协助重点案件化解率", 0, c);
	assert_string_not_equal(a, c);
	/* the levels are kept apart: "ab"+"c" is not "a"+"bc" */
	indicator_code_make("ab", "c", "x", 0, b);
	indicator_code_make("a", "bc", "x", 0, c);
	assert_string_not_equal(b, c);
	indicator_code_make("产出", "产出数量", "心访咨询师培训开展期数", 2, b);
	assert_true(strncmp(a, b, 9) == 0);
	assert_string_equal(b + 9, "_2");
	assert_true(indicator_code_ok(b));
	assert_true(indicator_code_ok("training_sessions"));
	assert_false(indicator_code_ok("Training"));
	assert_false(indicator_code_ok("1abc"));
	assert_false(indicator_code_ok(""));
	assert_false(indicator_code_ok("a-b"));
	assert_false(indicator_code_ok(NULL));
	assert_true(indicator_weight_ok(0));
	assert_true(indicator_weight_ok(100));
	assert_false(indicator_weight_ok(-0.5));
	assert_false(indicator_weight_ok(100.01));
}

static void
test_number_format(void **state)
{
	char buf[32];

	(void)state;
	indicator_number_format(80, buf, sizeof(buf));
	assert_string_equal(buf, "80");
	indicator_number_format(0.6, buf, sizeof(buf));
	assert_string_equal(buf, "0.6");
	indicator_number_format(2.5, buf, sizeof(buf));
	assert_string_equal(buf, "2.5");
	indicator_number_format(-1, buf, sizeof(buf));
	assert_string_equal(buf, "-1");
	indicator_number_format(-0.0000001, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	near(indicator_round2(2.345), 2.35);
	near(indicator_round2(6.666), 6.67);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ratio),
	    cmocka_unit_test(test_inverse),
	    cmocka_unit_test(test_zero),
	    cmocka_unit_test(test_bands),
	    cmocka_unit_test(test_deduct),
	    cmocka_unit_test(test_rule_parser),
	    cmocka_unit_test(test_targets),
	    cmocka_unit_test(test_met),
	    cmocka_unit_test(test_checklist),
	    cmocka_unit_test(test_marks),
	    cmocka_unit_test(test_sources),
	    cmocka_unit_test(test_evaluate),
	    cmocka_unit_test(test_futian_2023),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_number_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
