/*
 * Registrations as the service does them apart from HTTP (issue 13.1,
 * branch imports): a coordinator promoting a waitlisted person or
 * cancelling a registration (the person told as on their own cancel and
 * promotion), and the participant list of an event as CSV (core's
 * writer: UTF-8 with BOM, formula-guarded).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

/* Registered places of an event. */
static int
registered(struct store *st, int64_t event_id, int64_t *n)
{
	return store_registration_count(st, event_id, REGISTRATION_REGISTERED,
	           n) < 0
	    ? -1
	    : 1;
}

int
svc_registration_promote(struct store *st, int64_t id)
{
	struct registration g;
	struct svc_mail_cause why = {.registration_id = id};
	int64_t event_id;
	int rc;

	if ((rc = store_registration_get(st, id, &g)) <= 0)
		return rc < 0 ? -1 : SVC_REG_NOT_FOUND;
	rc = g.status;
	event_id = g.event_id;
	registration_free(&g);
	if (rc != REGISTRATION_WAITLISTED)
		return SVC_REG_NOT_WAITLISTED;
	if (store_registration_set_status(st, id, REGISTRATION_REGISTERED,
	        svc_now()) <= 0 ||
	    svc_mail_event(st, event_id, &why) < 0 ||
	    svc_channel_registration(st, id, NOTIFY_SMS_PROMOTED) < 0)
		return -1;
	return SVC_REG_OK;
}

int
svc_registration_cancel(struct store *st, const struct registration *g)
{
	struct registration next;
	struct event e;
	int64_t reg;
	time_t now = svc_now();
	int rc;

	if (g->status == REGISTRATION_CANCELLED)
		return SVC_REG_OK;
	if (g->checked_in)
		return SVC_REG_CHECKED_IN;
	{
		struct svc_mail_cause why = {.registration_id = g->id};

		if (store_registration_set_status(st, g->id,
		        REGISTRATION_CANCELLED, now) <= 0 ||
		    svc_mail_event(st, g->event_id, &why) < 0)
			return -1;
	}
	if (g->status != REGISTRATION_REGISTERED)
		return SVC_REG_OK;
	/* A freed seat goes to the first on the waitlist, at once. */
	if ((rc = store_event_get(st, g->event_id, &e)) <= 0)
		return rc < 0 ? -1 : SVC_REG_OK;
	rc = SVC_REG_OK;
	if (registered(st, e.id, &reg) < 0)
		rc = -1;
	else if ((e.capacity < 0 || reg < e.capacity) &&
	    store_registration_first_waitlisted(st, e.id, &next) > 0) {
		struct svc_mail_cause why = {.registration_id = next.id};

		if (store_registration_set_status(st, next.id,
		        REGISTRATION_REGISTERED, now) <= 0 ||
		    svc_mail_event(st, e.id, &why) < 0 ||
		    svc_channel_registration(st, next.id, NOTIFY_SMS_PROMOTED) <
		        0)
			rc = -1;
		registration_free(&next);
	}
	event_free(&e);
	return rc;
}

static int
cmp_reg(const void *a, const void *b)
{
	const struct registration *x = a, *y = b;

	if (x->created_at != y->created_at)
		return x->created_at < y->created_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
stamp(struct strbuf *b, time_t t)
{
	const struct tz *z = tzdb_default();
	int64_t l;
	char date[11], s[40];

	if (t == 0) {
		csv_put_field(b, "", 0);
		return;
	}
	l = (int64_t)t + (z ? tz_offset_at(z, t) : 0);
	time_format_date(l >= 0 ? l / 86400 : (l - 86399) / 86400, date);
	snprintf(s, sizeof(s), "%s %02d:%02d", date,
	    (int)(((l % 86400) + 86400) % 86400 / 3600),
	    (int)(((l % 3600) + 3600) % 3600 / 60));
	csv_put_field(b, s, 0);
}

/* The assessment cells of an attendance (or empty ones). */
static void
assessment(struct strbuf *b, const struct attendance *a)
{
	char s[32];

	csv_put_field(b,
	    a == NULL || a->passed < 0 ? ""
	        : a->passed            ? "合格"
	                               : "不合格",
	    0);
	if (a == NULL || a->score < 0)
		csv_put_field(b, "", 0);
	else {
		snprintf(s, sizeof(s), "%g", a->score);
		csv_put_field(b, s, 0);
	}
}

int
svc_registrations_csv(struct store *st, int64_t event_id, char **text,
    size_t *len)
{
	static const char *const head[] = {
	    "姓名",
	    "状态",
	    "手机",
	    "邮箱",
	    "单位",
	    "报名时间",
	    "签到时间",
	    "考核",
	    "分数",
	};
	struct registration *g = NULL;
	struct attendance *a = NULL;
	struct strbuf b = {0};
	size_t ng = 0, na = 0, i, k;
	int64_t wait = 0;
	int rc = -1;

	*text = NULL;
	if (store_registration_list(st, event_id, &g, &ng) < 0 ||
	    store_attendance_list(st, event_id, &a, &na) < 0)
		goto out;
	if (ng > 1)
		qsort(g, ng, sizeof(*g), cmp_reg);
	strbuf_add(&b, "\xEF\xBB\xBF", 3);
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++)
		csv_put_field(&b, head[k], k == 0);
	csv_end_row(&b);
	for (i = 0; i < ng; i++) {
		const struct attendance *at = NULL;
		char st_word[48];

		for (k = 0; k < na; k++)
			if (a[k].registration_id == g[i].id)
				at = &a[k];
		if (g[i].status == REGISTRATION_WAITLISTED)
			snprintf(st_word, sizeof(st_word), "候补第 %lld 位",
			    (long long)++wait);
		else
			snprintf(st_word, sizeof(st_word), "%s",
			    g[i].status == REGISTRATION_REGISTERED ? "已报名"
			                                           : "已取消");
		csv_put_field(&b, g[i].name ? g[i].name : "", 1);
		csv_put_field(&b, st_word, 0);
		csv_put_field(&b, g[i].phone ? g[i].phone : "", 0);
		csv_put_field(&b, g[i].email ? g[i].email : "", 0);
		csv_put_field(&b, g[i].organisation ? g[i].organisation : "",
		    0);
		stamp(&b, g[i].created_at);
		stamp(&b, at ? at->checked_in_at : 0);
		assessment(&b, at);
		csv_end_row(&b);
	}
	for (k = 0; k < na; k++) {
		if (a[k].registration_id != 0)
			continue;
		csv_put_field(&b, a[k].name ? a[k].name : "", 1);
		csv_put_field(&b, "现场参加", 0);
		for (i = 0; i < 4; i++)
			csv_put_field(&b, "", 0);
		stamp(&b, a[k].checked_in_at);
		assessment(&b, &a[k]);
		csv_end_row(&b);
	}
	if ((*text = strbuf_take(&b, len)) != NULL)
		rc = 1;
out:
	strbuf_free(&b);
	registration_list_free(g, ng);
	attendance_list_free(a, na);
	return rc;
}
