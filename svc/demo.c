/*
 * `hearth demo`: the stations of deploy/demo/stations-futian.csv (compiled
 * in) and a pool of 14 invented counsellors with example.org addresses.
 * Runs in one transaction and adds only what is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "embed.h"
#include "log.h"
#include "tzdb.h"

static const char *const demo_names[] = {
	"林晓岚", "陈思远", "黄若溪", "张明哲", "李静怡", "王子安", "刘雨桐",
	"赵一鸣", "周可欣", "吴嘉言", "郑书瑶", "孙浩然", "马心怡", "何沐阳",
};

static const struct embedded_file *
demo_file(const char *name)
{
	size_t i;

	for (i = 0; i < embed_demo_n; i++)
		if (strcmp(embed_demo[i].name, name) == 0)
			return &embed_demo[i];
	return NULL;
}

/* Adds the stations of the CSV (code,name,kind,note) that are missing;
 * ids[] gets every station's id in file order. */
static int
load_stations(struct store *st, int64_t *ids, size_t *nids, int *added)
{
	const struct embedded_file *f = demo_file("stations-futian.csv");
	struct csv *csv;
	struct csv_row row;
	struct station s;
	time_t now = time(NULL);
	int rc, ok = 0;

	if (f == NULL || (csv = csv_open((const char *)f->data, f->size)) ==
	    NULL)
		return 0;
	if (csv_next(csv, &row) <= 0 || row.n < 3 ||
	    strcmp(row.fields[0], "code") != 0)
		goto out;
	while ((rc = csv_next(csv, &row)) > 0 && *nids < 32) {
		if (row.n < 3)
			goto out;
		rc = store_station_get_by_code(st, row.fields[0], &s);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			memset(&s, 0, sizeof(s));
			s.code = row.fields[0];
			s.name = row.fields[1];
			s.kind = row.fields[2];
			s.address = "";
			s.timezone = "Asia/Shanghai";
			s.active = 1;
			s.created_at = s.updated_at = now;
			if (store_station_insert(st, &s) <= 0 ||
			    store_audit(st, 0, "create", "station", s.id,
			    "{\"source\":\"demo\"}") < 0)
				goto out;
			(*added)++;
		} else
			station_free(&s);
		ids[(*nids)++] = s.id;
	}
	ok = rc == 0;
	if (rc < 0)
		log_msg(LOG_ERROR, "msg=\"demo: bad CSV\" err=\"%s\"",
		    csv_error(csv));
out:
	csv_close(csv);
	return ok;
}

static int
email_taken(struct store *st, const char *email)
{
	struct counsellor_filter f = {-1, 0, email};
	struct store_page pg = {1, 0};
	struct counsellor *items = NULL;
	size_t n = 0, i;
	int64_t total;
	int found = 0;

	if (store_counsellor_list(st, &f, &pg, &items, &n, &total) < 0)
		return -1;
	for (i = 0; i < n; i++)
		found |= strcmp(items[i].email, email) == 0;
	counsellor_list_free(items, n);
	return found || total > 1;
}

static int
load_counsellors(struct store *st, const int64_t *ids, size_t nids,
    int *added)
{
	struct counsellor c;
	char email[64], phone[32], token[SECRET_TOKEN_HEX];
	size_t i, n = sizeof(demo_names) / sizeof(demo_names[0]);
	int rc;

	for (i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "counsellor%02zu@example.org",
		    i + 1);
		if ((rc = email_taken(st, email)) < 0)
			return 0;
		if (rc > 0)
			continue;
		memset(&c, 0, sizeof(c));
		snprintf(phone, sizeof(phone), "0755-8391%04zu", 2100 + i);
		secret_token(token, SECRET_TOKEN_BYTES);
		c.name = (char *)demo_names[i];
		c.email = email;
		c.phone = phone;
		/* One per station; the hall, busiest, gets the extra one. */
		c.home_station_id = nids ? ids[i % nids] : 0;
		c.max_weekly_hours = i % 5 == 4 ? 24 : 40;
		c.active = 1;
		c.feed_token = token;
		c.created_at = c.updated_at = time(NULL);
		if (store_counsellor_insert(st, &c) <= 0 ||
		    store_audit(st, 0, "create", "counsellor", c.id,
		    "{\"source\":\"demo\"}") < 0)
			return 0;
		(*added)++;
	}
	return 1;
}

/* Duty templates (when there are none): the hall morning and afternoon,
 * each street office on weekday mornings. */
static int
load_templates(struct store *st)
{
	struct template_filter tf = {0, -1};
	struct station_filter sf = {1, NULL};
	struct store_page pg = {100, 0};
	struct shift_template *tpl = NULL, t;
	struct station *sts = NULL;
	size_t nt = 0, ns = 0, i;
	int64_t total;
	int ok = 0;

	if (store_template_list(st, &tf, &pg, &tpl, &nt, &total) < 0)
		return 0;
	template_list_free(tpl, nt);
	if (total > 0)
		return 1;
	if (store_station_list(st, &sf, &pg, &sts, &ns, &total) < 0)
		return 0;
	for (i = 0; i < ns; i++) {
		int hall = strcmp(sts[i].kind, "hall") == 0, band;

		if (!hall && strcmp(sts[i].kind, "street") != 0)
			continue;
		for (band = 0; band < (hall ? 2 : 1); band++) {
			memset(&t, 0, sizeof(t));
			t.station_id = sts[i].id;
			t.weekdays = 0x1f; /* Monday to Friday */
			snprintf(t.start, sizeof(t.start), band ? "14:00" : "09:00");
			snprintf(t.end, sizeof(t.end), band ? "17:30" : "12:00");
			t.required = 1;
			t.active = 1;
			t.created_at = time(NULL);
			if (store_template_insert(st, &t) <= 0)
				goto out;
		}
	}
	ok = 1;
out:
	station_list_free(sts, ns);
	return ok;
}

/* A few public activities in the coming weeks, and one held last week
 * with three participants whose survey links work, so every page can be
 * tried at once. Only into an empty events table. */
static int
load_events(struct store *st, const int64_t *stations, size_t nst)
{
	static const struct {
		const char *kind, *title, *audience;
		int day, hour, speaker;
	} demo[] = {
		{"lecture", "压力与情绪管理", "staff", 3, 14, 1},
		{"salon", "亲子沟通沙龙", "residents", 7, 15, 2},
		{"training", "心访咨询师业务培训（一）", "staff", 10, 9, 3},
		{"group", "社区工作者减压团体辅导", "community_workers", 14, 14, 4},
		{"activity", "心理健康集市", "mixed", 21, 10, 5},
		{"lecture", "认识焦虑：心理健康科普讲座", "mixed", -4, 14, 6},
	};
	struct event_filter ef;
	struct store_page pg = {1, 0};
	struct event *ev = NULL, e;
	struct attendance a;
	size_t n = 0, i;
	int64_t total, today = activity_local_day(time(NULL), tzdb_default());
	char tok[SECRET_TOKEN_HEX];
	int k;

	memset(&ef, 0, sizeof(ef));
	if (store_event_list(st, &ef, &pg, &ev, &n, &total) < 0)
		return 0;
	event_list_free(ev, n);
	if (total > 0 || nst == 0)
		return 1;
	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		memset(&e, 0, sizeof(e));
		e.kind = (char *)demo[i].kind;
		e.title = (char *)demo[i].title;
		e.description = "示例活动，由 hearth demo 加载。";
		e.station_id = stations[i % nst];
		e.venue = "二楼心理服务室";
		e.start_at = tz_local_to_utc(tzdb_default(), (today +
		    demo[i].day) * 86400 + demo[i].hour * 3600);
		e.end_at = e.start_at + 2 * 3600;
		e.planned_start_at = e.start_at;
		e.audience = (char *)demo[i].audience;
		e.external_speaker = "";
		e.capacity = 30;
		e.status = demo[i].day < 0 ? "held" : "confirmed";
		e.public_ = 1;
		e.reminders = "[1440,60]";
		e.speaker_ids[0] = demo[i].speaker;
		e.nspeakers = 1;
		e.held_at = demo[i].day < 0 ? e.end_at : 0;
		e.created_at = e.updated_at = time(NULL);
		if (store_event_insert(st, &e) <= 0 ||
		    store_event_change_add(st, e.id, "created", 0, 0, e.start_at,
		    e.end_at, "demo", 0) < 0)
			return 0;
		for (k = 0; demo[i].day < 0 && k < 3; k++) {
			memset(&a, 0, sizeof(a));
			a.event_id = e.id;
			a.checked_in_at = e.start_at;
			a.passed = -1;
			a.score = -1;
			secret_token(tok, SECRET_TOKEN_BYTES);
			a.survey_token = tok;
			if (store_attendance_insert(st, &a, k == 0 ? "示例参与者甲"
			    : k == 1 ? "示例参与者乙" : "示例参与者丙") <= 0)
				return 0;
		}
	}
	return 1;
}

/* ------------------------------------------------------------ evaluation */

#define DEMO_FRAMEWORK "福田区心访工作室绩效评价（示例，据 2023 年度报告）"

/* Entries of the demo period: the marks, ratings, values and notes a
 * coordinator would make (the checklist rows marked as the Futian report
 * scored them). */
static const struct {
	const char *level3, *marks, *note;
	double value, rating;
} demo_entries[] = {
	{"立项依据充分性", "1,1,1,1,1", "", -1, -1},
	{"立项程序规范性", "1,1,1", "", -1, -1},
	{"绩效目标合理性", "1,1,1,0", "产出效益与投资额的匹配未见测算，扣 1 分",
	    -1, -1},
	{"绩效指标明确性", "1,1,0", "部分指标值与计划数未逐项对应，扣 1 分", -1,
	    -1},
	{"预算编制科学性", "1,1,1,1", "", -1, -1},
	{"资金分配合理性", "1,1", "", -1, -1},
	{"资金到位率", NULL, "实际到位资金 224.00 万元", 100, -1},
	{"预算执行率", NULL, "已支付 219.52 万元", 98, -1},
	{"资金使用合规性", "1,1,1,0", "", -1, -1},
	{"管理制度健全性", "1,1", "", -1, -1},
	{"制度执行有效性", "1,1,1,1", "", -1, -1},
	{"支出进度达标率", NULL, "", 96, -1},
	{"辅助维护社会和谐稳定", NULL, "评定有效 85%", -1, 85},
	{"有效提升民众法治信访意识", NULL,
	    "评定有效 70%，按 60%（含）—80% 档得 3 分", -1, 70},
};

/* Two trainings held this year on their planned days, their trainees
 * assessed and answering the satisfaction question: the record-backed
 * rows of the framework have data at once. */
static int
load_trainings(struct store *st, const int64_t *stations, size_t nst,
    int64_t jan1, int64_t today)
{
	static const int answers[] = {5, 5, 4, 4, 5, 3, 5, 4};
	struct survey_template tpl;
	struct survey_answer ans;
	struct attendance a;
	struct event e;
	int64_t qid = 0, rid;
	size_t i, k;
	char tok[SECRET_TOKEN_HEX], name[32];
	int t, rc;

	if (today - jan1 < 3 || nst == 0)
		return 1;
	if ((rc = store_survey_template_get(st,
	    store_survey_default_template(st), &tpl)) <= 0)
		return rc == 0;
	for (i = 0; i < tpl.nquestions; i++)
		if (strcmp(tpl.questions[i].qkey, "overall") == 0)
			qid = tpl.questions[i].id;
	survey_template_free(&tpl);
	for (t = 0; t < 2; t++) {
		int64_t day = jan1 + (today - jan1) * (t + 1) / 3;

		memset(&e, 0, sizeof(e));
		e.kind = "training";
		e.title = t ? "心访咨询师督导培训" : "心访咨询师岗前培训";
		e.description = "示例培训，由 hearth demo 加载。";
		e.station_id = stations[0];
		e.venue = "三楼培训室";
		e.start_at = tz_local_to_utc(tzdb_default(), day * 86400 +
		    9 * 3600);
		e.end_at = e.start_at + 2 * 3600 + 1800;
		e.planned_start_at = e.start_at;
		e.audience = "staff";
		e.external_speaker = "";
		e.capacity = 30;
		e.status = "held";
		e.reminders = "[]";
		e.held_at = e.end_at;
		e.created_at = e.updated_at = time(NULL);
		if (store_event_insert(st, &e) <= 0 ||
		    store_event_change_add(st, e.id, "created", 0, 0, e.start_at,
		    e.end_at, "demo", 0) < 0)
			return 0;
		for (k = 0; k < 4; k++) {
			memset(&a, 0, sizeof(a));
			a.event_id = e.id;
			a.checked_in_at = e.start_at;
			a.passed = 1;
			a.score = 86 + (double)(k * 3);
			secret_token(tok, SECRET_TOKEN_BYTES);
			a.survey_token = tok;
			snprintf(name, sizeof(name), "示例学员%zu",
			    (size_t)t * 4 + k + 1);
			if (store_attendance_insert(st, &a, name) <= 0)
				return 0;
			if (qid == 0)
				continue;
			memset(&ans, 0, sizeof(ans));
			ans.question_id = qid;
			ans.has_int = 1;
			ans.value_int = answers[t * 4 + k];
			if (store_survey_response_insert(st, e.id, a.id,
			    e.end_at, &ans, 1, &rid) <= 0)
				return 0;
		}
	}
	return 1;
}

/* The Futian table (deploy/demo/framework-futian-2023.csv, compiled in)
 * as this year's framework, with the entries above for the year. */
static int
load_framework(struct store *st, const int64_t *stations, size_t nst)
{
	const struct embedded_file *f = demo_file("framework-futian-2023.csv");
	struct framework *list = NULL, fw;
	struct indicator ind;
	struct ind_target t;
	struct indicator_period p;
	struct csv *csv;
	struct csv_row row;
	char code[IND_CODE_BUF], from[11], to[11];
	int64_t y, jan1, today = activity_local_day(time(NULL),
	    tzdb_default());
	unsigned m, d;
	size_t n = 0, i;
	int rc, pos = 0, ok = 0;

	if (f == NULL || store_framework_list(st, &list, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, DEMO_FRAMEWORK) == 0)
			break;
	framework_list_free(list, n);
	if (i < n)
		return 1;
	time_civil_from_days(today, &y, &m, &d);
	jan1 = time_days_from_civil(y, 1, 1);
	time_format_date(jan1, from);
	time_format_date(time_days_from_civil(y, 12, 31), to);
	memset(&fw, 0, sizeof(fw));
	fw.name = DEMO_FRAMEWORK;
	memcpy(fw.date_from, from, sizeof(fw.date_from));
	memcpy(fw.date_to, to, sizeof(fw.date_to));
	fw.created_at = fw.updated_at = time(NULL);
	if (store_framework_insert(st, &fw) <= 0 ||
	    (csv = csv_open((const char *)f->data, f->size)) == NULL)
		return 0;
	if (csv_next(csv, &row) <= 0 || row.n != 8)
		goto out;
	while ((rc = csv_next(csv, &row)) > 0) {
		if (row.n != 8 || !indicator_target_parse(row.fields[4], &t))
			goto out;
		memset(&ind, 0, sizeof(ind));
		ind.framework_id = fw.id;
		indicator_code_make(row.fields[0], row.fields[1],
		    row.fields[2], 0, code);
		ind.code = code;
		ind.level1 = row.fields[0];
		ind.level2 = row.fields[1];
		ind.level3 = row.fields[2];
		memcpy(ind.target_op, t.op, sizeof(ind.target_op));
		ind.has_target = t.has_value;
		ind.target_value = t.value;
		ind.target_unit = t.unit;
		ind.target_text = row.fields[4];
		ind.weight = atof(row.fields[3]);
		ind.rule = row.fields[5];
		ind.source = row.fields[6];
		ind.checklist = row.fields[7];
		ind.position = ++pos;
		if (store_indicator_insert(st, &ind) <= 0)
			goto out;
		for (i = 0; i < sizeof(demo_entries) / sizeof(demo_entries[0]);
		    i++) {
			if (strcmp(demo_entries[i].level3, row.fields[2]) != 0)
				continue;
			memset(&p, 0, sizeof(p));
			p.set_marks = demo_entries[i].marks != NULL;
			p.marks = demo_entries[i].marks;
			p.set_value = demo_entries[i].value >= 0;
			p.value = demo_entries[i].value;
			p.set_rating = demo_entries[i].rating >= 0;
			p.rating = demo_entries[i].rating;
			p.note = demo_entries[i].note;
			if (store_indicator_period_set(st, ind.id, from, to, &p,
			    0, time(NULL)) <= 0)
				goto out;
		}
	}
	ok = rc == 0 && store_audit(st, 0, "import", "framework", fw.id,
	    "{\"source\":\"demo\"}") > 0 && load_trainings(st, stations, nst,
	    jan1, today);
out:
	csv_close(csv);
	if (!ok)
		log_msg(LOG_ERROR, "msg=\"demo: the framework did not load\"");
	return ok;
}

int
demo_load(struct store *st, int activities, int *stations, int *counsellors)
{
	int64_t ids[32];
	size_t nids = 0;

	*stations = *counsellors = 0;
	if (store_begin(st) <= 0)
		return 0;
	if (!load_stations(st, ids, &nids, stations) ||
	    !load_counsellors(st, ids, nids, counsellors) ||
	    (activities && (!load_templates(st) || !load_events(st, ids + 3,
	    nids > 3 ? nids - 3 : 0))) ||
	    (activities && !load_framework(st, ids, nids)) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		*stations = *counsellors = 0;
		return 0;
	}
	return 1;
}
