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

int
demo_load(struct store *st, int *stations, int *counsellors)
{
	int64_t ids[32];
	size_t nids = 0;

	*stations = *counsellors = 0;
	if (store_begin(st) <= 0)
		return 0;
	if (!load_stations(st, ids, &nids, stations) ||
	    !load_counsellors(st, ids, nids, counsellors) ||
	    store_commit(st) <= 0) {
		store_rollback(st);
		*stations = *counsellors = 0;
		return 0;
	}
	return 1;
}
