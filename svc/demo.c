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
#include "service/service.h"

static const char *const demo_names[] = {
    "林晓岚",
    "陈思远",
    "黄若溪",
    "张明哲",
    "李静怡",
    "王子安",
    "刘雨桐",
    "赵一鸣",
    "周可欣",
    "吴嘉言",
    "郑书瑶",
    "孙浩然",
    "马心怡",
    "何沐阳",
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

	if (f == NULL ||
	    (csv = csv_open((const char *)f->data, f->size)) == NULL)
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
load_counsellors(struct store *st, const int64_t *ids, size_t nids, int *added)
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
			snprintf(t.start, sizeof(t.start),
			    band ? "14:00" : "09:00");
			snprintf(t.end, sizeof(t.end),
			    band ? "17:30" : "12:00");
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
		e.start_at = tz_local_to_utc(tzdb_default(),
		    (today + demo[i].day) * 86400 + demo[i].hour * 3600);
		e.end_at = e.start_at + 2 * 3600;
		e.planned_start_at = e.start_at;
		e.audience = (char *)demo[i].audience;
		e.external_speaker = "";
		e.capacity = 30;
		e.status = demo[i].day < 0 ? EVENT_HELD : EVENT_CONFIRMED;
		e.public_ = 1;
		e.reminders = "[1440,60]";
		e.speaker_ids[0] = demo[i].speaker;
		e.nspeakers = 1;
		e.held_at = demo[i].day < 0 ? e.end_at : 0;
		e.created_at = e.updated_at = time(NULL);
		if (store_event_insert(st, &e) <= 0 ||
		    store_event_change_add(st, e.id, "created", 0, 0,
		        e.start_at, e.end_at, "demo", 0) < 0)
			return 0;
		for (k = 0; demo[i].day < 0 && k < 3; k++) {
			memset(&a, 0, sizeof(a));
			a.event_id = e.id;
			a.checked_in_at = e.start_at;
			a.passed = -1;
			a.score = -1;
			secret_token(tok, SECRET_TOKEN_BYTES);
			a.survey_token = tok;
			if (store_attendance_insert(st, &a,
			        k == 0       ? "示例参与者甲"
			            : k == 1 ? "示例参与者乙"
			                     : "示例参与者丙") <= 0)
				return 0;
		}
	}
	return 1;
}

/* --- a quarter of duty logs (值班记录) ------------------------------------ */

#define DEMO_DUTY_DAYS 91

/* A fixed sequence from a key (splitmix64): the same day, station and
 * band always get the same counts. */
static uint64_t
demo_mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int64_t
demo_pick(uint64_t *x, int64_t n)
{
	return n > 0 ? (int64_t)(demo_mix(x) % (uint64_t)n) : 0;
}

/* Small counts of one shift, in the proportions of the reports (Futian
 * 2023: 4,846 batches, 10,649 visitors, 7,066 calmed, 3,036 psychological
 * interventions, 2,009.60 hours over some 3,500 shifts); busy is the
 * reception hall. Returns how many values were written. */
static size_t
demo_counts(uint64_t *x, int busy, struct duty_value *v)
{
	int64_t batches = demo_pick(x, busy ? 5 : 3), visitors, calmed, iv;
	size_t n = 0;

#define PUT(c, val) \
	do { \
		int64_t put_ = (val); \
		if (put_ > 0) { \
			snprintf(v[n].code, sizeof(v[n].code), "%s", (c)); \
			v[n++].value = put_; \
		} \
	} while (0)
	visitors = batches + demo_pick(x, batches + 2);
	calmed = demo_pick(x, visitors + 1);
	iv = demo_pick(x, calmed + 1);
	PUT("batches", batches);
	PUT("visitors", visitors);
	PUT("calmed", calmed);
	PUT("interventions", iv);
	PUT("counselling_minutes",
	    iv * (15 + demo_pick(x, 30)) +
	        (visitors > 0 ? demo_pick(x, 20) : 0));
	PUT("consultations", demo_pick(x, 3));
	PUT("mediations", demo_pick(x, 8) == 0 ? 1 : 0);
	PUT("legal_referrals", demo_pick(x, 6) == 0 ? 1 : 0);
	PUT("crisis", demo_pick(x, 40) == 0 ? 1 : 0);
	PUT("staff_counselled", demo_pick(x, 5) == 0 ? 1 : 0);
	PUT("scale_sas", demo_pick(x, 4) == 0 ? 1 + demo_pick(x, 2) : 0);
	PUT("scale_sds", demo_pick(x, 5) == 0 ? 1 : 0);
	PUT("scale_ssrs", demo_pick(x, 12) == 0 ? 1 : 0);
#undef PUT
	return n;
}

/* The duty of the last quarter (only into a database with no past
 * shifts): each template's shifts on the working days before today, held
 * by the counsellors whose home is the station, and their logs — a few
 * absences, and some of the last two days still to be written so that
 * 我的排班 shows what is missing. */
static int
load_duty(struct store *st)
{
	struct template_filter tf = {0, 1};
	struct counsellor_filter cf = {1, 0, NULL};
	struct shift_filter sf;
	struct store_page pg = {200, 0}, one = {1, 0};
	struct shift_template *tpl = NULL;
	struct counsellor *cs = NULL;
	struct shift *got = NULL;
	struct holiday *hol = NULL;
	struct day_kind days[64];
	size_t nt = 0, nc = 0, ng = 0, nh = 0, nd = 0, i, k;
	int64_t total, today, d, first, recent;
	const struct tz *z = tzdb_default();
	time_t now = time(NULL);
	char from[11], to[11];
	int ok = 0, back;

	today = activity_local_day(now, z);
	first = today - DEMO_DUTY_DAYS;
	memset(&sf, 0, sizeof(sf));
	sf.to = tz_local_to_utc(z, today * 86400);
	if (store_shift_list(st, &sf, &one, &got, &ng, &total) < 0)
		return 0;
	shift_list_free(got, ng);
	if (total > 0)
		return 1;
	time_format_date(first, from);
	time_format_date(today, to);
	if (store_template_list(st, &tf, &pg, &tpl, &nt, &total) < 0 ||
	    store_counsellor_list(st, &cf, &pg, &cs, &nc, &total) < 0 ||
	    store_holiday_range(st, from, to, &hol, &nh) < 0)
		goto out;
	for (i = 0; i < nh && nd < sizeof(days) / sizeof(days[0]); i++)
		if (time_parse_date(hol[i].date, &days[nd].day)) {
			days[nd].workday = strcmp(hol[i].kind, "workday") == 0;
			nd++;
		}
	/* The last two working days before today (a Monday's: Thursday and
	 * Friday): about half of their shifts are not logged yet. */
	for (recent = today, back = 0; back < 2 && recent > first;)
		if (activity_is_working_day(--recent, days, nd))
			back++;
	for (d = first; d < today; d++) {
		if (!activity_is_working_day(d, days, nd))
			continue;
		for (i = 0; i < nt; i++) {
			struct duty_value v[DUTY_MAX_METRICS];
			struct duty_log_write w;
			struct shift sh;
			int64_t homes[4], nhome = 0, band;
			uint64_t x;
			int wd = activity_weekday(d);

			if (!(tpl[i].weekdays & (1u << (wd - 1))))
				continue;
			for (k = 0; k < nc && nhome < 4; k++)
				if (cs[k].home_station_id == tpl[i].station_id)
					homes[nhome++] = cs[k].id;
			if (nhome == 0)
				continue;
			band = roster_parse_hhmm(tpl[i].start) >= 13 * 60;
			memset(&sh, 0, sizeof(sh));
			sh.station_id = tpl[i].station_id;
			sh.counsellor_id = homes[(d + band) % nhome];
			sh.template_id = tpl[i].id;
			sh.start_at = tz_local_to_utc(z,
			    d * 86400 + roster_parse_hhmm(tpl[i].start) * 60);
			sh.end_at = tz_local_to_utc(z,
			    d * 86400 + roster_parse_hhmm(tpl[i].end) * 60);
			sh.status = SHIFT_CONFIRMED;
			sh.origin = "generated";
			sh.note = "";
			sh.created_at = sh.updated_at = sh.start_at -
			    14 * 86400;
			if (store_shift_insert(st, &sh) <= 0)
				goto out;
			x = (uint64_t)d * 1000003u +
			    (uint64_t)sh.station_id * 7u + (uint64_t)band;
			if (d >= recent && demo_pick(&x, 2) == 0)
				continue;
			memset(&w, 0, sizeof(w));
			w.shift_id = sh.id;
			w.counsellor_id = sh.counsellor_id;
			w.attended = demo_pick(&x, 50) != 0;
			w.note = "";
			w.at = sh.end_at + 600 + demo_pick(&x, 7200);
			w.values = v;
			w.nvalues = w.attended ? demo_counts(&x, nhome > 1, v)
			                       : 0;
			if (store_duty_log_put(st, &w) <= 0)
				goto out;
		}
	}
	ok = 1;
out:
	template_list_free(tpl, nt);
	counsellor_list_free(cs, nc);
	holiday_list_free(hol, nh);
	return ok;
}

/* A paper tally of question_id on local day: of station_id
 * ("counselling") or of event_id ("event"); n5..n2 the forms answering
 * 5..2. store_tally_insert's result. */
static int
demo_tally(struct store *st, int64_t station_id, int64_t event_id, int64_t day,
    int64_t question_id, int64_t n5, int64_t n4, int64_t n3, int64_t n2,
    time_t now)
{
	struct survey_tally tl;
	char date[11];

	memset(&tl, 0, sizeof(tl));
	tl.station_id = station_id;
	tl.event_id = event_id;
	tl.source = event_id ? "event" : "counselling";
	time_format_date(day, date);
	tl.date = date;
	tl.question_id = question_id;
	tl.n[4] = n5;
	tl.n[3] = n4;
	tl.n[2] = n3;
	tl.n[1] = n2;
	tl.created_at = now;
	return store_tally_insert(st, &tl);
}

/* A few key cases (some resolved, one unresolved, some open with
 * sessions and an upcoming follow-up), the hall's counselling survey
 * link with a handful of answers, and paper tallies for the hall and the
 * held demo activity. Days are counted from today, so the demo always
 * looks current; only into an empty case register. */
static int
load_cases(struct store *st, int64_t hall)
{
	static const struct {
		int opened, closed; /* days from today; closed 0 = open */
		const char *status, *note;
		int sessions;  /* how many, 7 days apart from opening */
		int follow_up; /* days from today, 0 = none */
	} demo[] = {
	    {-150, -60, "resolved",
	        "家庭矛盾引发的反复来访，经多次疏导已息访。", 3, 0},
	    {-120, -45, "resolved",
	        "拆迁补偿诉求，协助转介法律途径后情绪平稳。", 2, 0},
	    {-100, -20, "unresolved",
	        "长期上访，情绪波动较大，已移交属地跟进。", 4, 0},
	    {-40, 0, "open", "首次来访情绪激动，约定每周面谈。", 2, 2},
	    {-12, 0, "open", "劳动纠纷，焦虑明显，安排电话随访。", 1, 5},
	    {-3, 0, "open", "", 0, 0},
	};
	static const char *const kinds[] = {"one_to_one", "phone", "home_visit",
	    "one_to_one"};
	static const int answers[] = {5, 5, 4, 5, 3, 4};
	struct counsellor_filter cf = {1, 0, NULL};
	struct store_page pg = {3, 0};
	struct counsellor *people = NULL;
	struct case_filter f;
	struct case_rec c, *none = NULL;
	struct case_session x;
	struct case_follow_up fu;
	struct survey_answer a[2];
	struct event_filter ef;
	struct event *ev = NULL;
	time_t now = time(NULL);
	int64_t today = activity_local_day(now, tzdb_default()), y, tid, rid;
	size_t n = 0, np = 0, i, k, ne = 0;
	unsigned mo, d;
	char label[16], opened[11], closed[11], date[11], tok[SECRET_TOKEN_HEX];
	struct survey_template t;
	int rc, ok = 0;

	memset(&f, 0, sizeof(f));
	f.status = CASE_STATUS_ANY;
	if (store_case_list(st, &f, &pg, &none, &n, &y) < 0)
		return 0;
	case_list_free(none, n);
	if (y > 0 || hall == 0)
		return 1;
	if (store_counsellor_list(st, &cf, &pg, &people, &np, &y) < 0)
		return 0;
	if (np < 2)
		goto done;
	time_civil_from_days(today, &y, &mo, &d);
	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		memset(&c, 0, sizeof(c));
		snprintf(label, sizeof(label), "%04lld-%03zu", (long long)y,
		    i + 1);
		time_format_date(today + demo[i].opened, opened);
		time_format_date(today + demo[i].closed, closed);
		c.label = label;
		c.station_id = hall;
		c.opened_on = opened;
		case_status_parse(demo[i].status, &c.status);
		c.closed_on = demo[i].closed ? closed : "";
		c.note = (char *)demo[i].note;
		c.counsellor_ids[0] = people[i % np].id;
		c.ncounsellors = 1;
		c.created_at = c.updated_at = now;
		if (store_case_insert(st, &c) <= 0)
			goto done;
		for (k = 0; k < (size_t)demo[i].sessions; k++) {
			memset(&x, 0, sizeof(x));
			x.case_id = c.id;
			x.counsellor_id = c.counsellor_ids[0];
			time_format_date(today + demo[i].opened + 7 * (int)k,
			    date);
			x.date = date;
			x.minutes = 45 + 15 * (int)(k % 3);
			x.kind = (char *)kinds[k % 4];
			x.note = "";
			x.created_at = now;
			if (store_case_session_insert(st, &x) <= 0)
				goto done;
		}
		if (demo[i].follow_up) {
			memset(&fu, 0, sizeof(fu));
			fu.case_id = c.id;
			/* The first counsellor's, whose feed `make run` shows. */
			fu.counsellor_id = people[0].id;
			if (fu.counsellor_id != c.counsellor_ids[0]) {
				c.counsellor_ids
				    [c.ncounsellors++] = fu.counsellor_id;
				if (store_case_update(st, &c) <= 0)
					goto done;
			}
			fu.due_at = tz_local_to_utc(tzdb_default(),
			    (today + demo[i].follow_up) * 86400 + 10 * 3600);
			fu.note = "电话回访，了解近况";
			fu.created_at = fu.updated_at = now;
			if (store_follow_up_insert(st, &fu) <= 0)
				goto done;
		}
	}
	/* The hall's counselling survey: a link and a few answers. */
	secret_token(tok, SECRET_TOKEN_BYTES);
	if (store_station_survey_set(st, hall, tok) <= 0 ||
	    (tid = store_survey_counselling_template(st)) <= 0 ||
	    store_survey_template_get(st, tid, &t) <= 0)
		goto done;
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		memset(a, 0, sizeof(a));
		for (k = 0; k < t.nquestions && k < 2; k++) {
			a[k].question_id = t.questions[k].id;
			if (strcmp(t.questions[k].type, "likert5") == 0) {
				a[k].has_int = 1;
				a[k].value_int = answers[i];
			} else
				a[k].value_text = i == 0
				    ? "咨询师很耐心，谢谢。"
				    : NULL;
		}
		if (store_survey_counselling_insert(st, hall,
		        now - (time_t)(i + 1) * 86400, a, k, &rid) <= 0) {
			survey_template_free(&t);
			goto done;
		}
	}
	/* Paper forms of the counselling room, counted last week. */
	rc = demo_tally(st, hall, 0, today - 7, t.questions[0].id, 18, 9, 2, 1,
	    now);
	survey_template_free(&t);
	if (rc <= 0)
		goto done;
	/* And of the held demo activity, on the default questionnaire. */
	memset(&ef, 0, sizeof(ef));
	ef.status = EVENT_HELD;
	pg.limit = 1;
	if (store_event_list(st, &ef, &pg, &ev, &ne, &y) < 0)
		goto done;
	if (ne > 0 &&
	    store_survey_template_get(st, store_survey_default_template(st),
	        &t) > 0) {
		rc = demo_tally(st, 0, ev[0].id,
		    activity_local_day(ev[0].start_at, tzdb_default()),
		    t.questions[0].id, 20, 23, 5, 2, now);
		survey_template_free(&t);
		if (rc <= 0)
			goto done;
	}
	ok = 1;
done:
	event_list_free(ev, ne);
	counsellor_list_free(people, np);
	return ok;
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
    {"绩效目标合理性", "1,1,1,0", "产出效益与投资额的匹配未见测算，扣 1 分", -1,
        -1},
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
		e.start_at = tz_local_to_utc(tzdb_default(),
		    day * 86400 + 9 * 3600);
		e.end_at = e.start_at + 2 * 3600 + 1800;
		e.planned_start_at = e.start_at;
		e.audience = "staff";
		e.external_speaker = "";
		e.capacity = 30;
		e.status = EVENT_HELD;
		e.reminders = "[]";
		e.held_at = e.end_at;
		e.created_at = e.updated_at = time(NULL);
		if (store_event_insert(st, &e) <= 0 ||
		    store_event_change_add(st, e.id, "created", 0, 0,
		        e.start_at, e.end_at, "demo", 0) < 0)
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
	int64_t y, jan1, today = activity_local_day(time(NULL), tzdb_default());
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
		indicator_code_make(row.fields[0], row.fields[1], row.fields[2],
		    0, code);
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
	ok = rc == 0 &&
	    store_audit(st, 0, "import", "framework", fw.id,
	        "{\"source\":\"demo\"}") > 0 &&
	    load_trainings(st, stations, nst, jan1, today);
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
	    (activities &&
	        (!load_templates(st) ||
	            !load_events(st, ids + 3, nids > 3 ? nids - 3 : 0))) ||
	    (activities && !load_framework(st, ids, nids)) ||
	    (activities && !load_duty(st)) ||
	    (activities && !load_cases(st, nids > 0 ? ids[0] : 0)) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		*stations = *counsellors = 0;
		return 0;
	}
	return 1;
}
