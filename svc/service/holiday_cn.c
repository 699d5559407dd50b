/*
 * Holidays in one go (issue 13): a range of days saved as one kind, the
 * official calendar shipped in data/ (embedded) offered on first use,
 * and the warning for an event placed on a day off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "../embed.h"
#include "../../ical/hearth_ical.h"

/* Where each year of data/holidays-cn-2026-2027.ics comes from. */
static const struct {
	int year, complete;
	const char *source;
} sources[] = {
    {2026, 1,
        "国务院办公厅关于2026年部分节假日安排的通知"
        "（含调休上班日）"},
    {2027, 0,
        "《全国年节及纪念日放假办法》规定的法定假日；"
        "2027年的调休与上班日以国务院办公厅通知为准，届时请补充"},
};

static int
save_day(struct store *st, struct holiday *h, int overwrite, int *isnew)
{
	struct holiday old;
	int rc;

	*isnew = 0;
	if ((rc = store_holiday_get_by_date(st, h->date, &old)) < 0)
		return -1;
	if (rc > 0) {
		h->id = old.id;
		if (!overwrite) {
			/* keep the row as it is; report what is there */
			holiday_free(&old);
			return 0;
		}
		holiday_free(&old);
		return store_holiday_update(st, h) > 0 ? 1 : -1;
	}
	*isnew = 1;
	return store_holiday_insert(st, h) > 0 ? 1 : -1;
}

int
svc_holiday_range(struct store *st, int64_t from, int64_t to, const char *kind,
    const char *name, int as_weekday,
    void (*each)(const struct holiday *, void *), void *arg, int64_t *created,
    int64_t *updated)
{
	struct holiday h;
	char date[11];
	int64_t day;
	int isnew;

	*created = *updated = 0;
	for (day = from; day <= to; day++) {
		time_format_date(day, date);
		memset(&h, 0, sizeof(h));
		h.date = date;
		h.kind = (char *)kind;
		h.name = (char *)(name ? name : "");
		h.as_weekday = strcmp(kind, "workday") == 0
		    ? (as_weekday ? as_weekday : 1)
		    : 0;
		if (save_day(st, &h, 1, &isnew) < 0)
			return -1;
		(*(isnew ? created : updated))++;
		each(&h, arg);
	}
	return 1;
}

int
svc_holiday_official(struct store *st, int apply,
    void (*each)(const struct holiday *, int isnew, void *), void *arg,
    int64_t *added, int64_t *kept)
{
	struct hical_day *days = NULL;
	struct holiday h, old;
	char err[160];
	size_t n = 0, i;
	int rc = 1, got;

	*added = *kept = 0;
	if (embed_holidays_n < 1 ||
	    !hical_parse_days((const char *)embed_holidays[0].data,
	        embed_holidays[0].size, 1000, &days, &n, err, sizeof(err)))
		return -1; /* the shipped file is ours: it parses */
	for (i = 0; i < n && rc > 0; i++) {
		memset(&h, 0, sizeof(h));
		h.date = days[i].date;
		h.kind = strstr(days[i].summary, "班") ? "workday" : "holiday";
		h.name = days[i].summary;
		h.as_weekday = strcmp(h.kind, "workday") == 0 ? 1 : 0;
		if ((got = store_holiday_get_by_date(st, h.date, &old)) < 0) {
			rc = -1;
			break;
		}
		if (got > 0) {
			/* the coordinator's own entry for that date stays */
			(*kept)++;
			each(&old, 0, arg);
			holiday_free(&old);
			continue;
		}
		if (apply && store_holiday_insert(st, &h) <= 0) {
			rc = -1;
			break;
		}
		(*added)++;
		each(&h, 1, arg);
	}
	hical_days_free(days, n);
	return rc;
}

json_t *
svc_holiday_official_sources(void)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < sizeof(sources) / sizeof(sources[0]); i++)
		json_array_append_new(arr,
		    json_pack("{s:i, s:b, s:s}", "year", sources[i].year,
		        "complete", sources[i].complete, "source",
		        sources[i].source));
	return arr;
}

int
svc_holiday_warning(struct store *st, time_t start, time_t end, json_t **out)
{
	const struct tz *z = tzdb_default();
	int64_t from = activity_local_day(start, z);
	int64_t to = activity_local_day(end > start ? end - 1 : start, z);
	struct holiday *items = NULL;
	struct strbuf b = {0};
	char a[11], c[11], *msg;
	size_t n = 0, i, hits = 0;
	json_t *dates;

	*out = NULL;
	if (to - from > 31)
		to = from + 31;
	time_format_date(from, a);
	time_format_date(to, c);
	if (store_holiday_range(st, a, c, &items, &n) < 0)
		return -1;
	if ((dates = json_array()) == NULL) {
		holiday_list_free(items, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int64_t day;

		if (strcmp(items[i].kind, "holiday") != 0 ||
		    !time_parse_date(items[i].date, &day))
			continue;
		strbuf_str(&b, hits++ ? "、" : "");
		notify_day_zh(&b, day);
		if (items[i].name[0])
			strbuf_printf(&b, "（%s）", items[i].name);
		json_array_append_new(dates, json_string(items[i].date));
	}
	holiday_list_free(items, n);
	if (hits == 0) {
		json_decref(dates);
		strbuf_free(&b);
		return 0;
	}
	strbuf_str(&b, " 是节假日，已照常保存；请确认是否需要改期");
	if ((msg = strbuf_take(&b, NULL)) == NULL) {
		json_decref(dates);
		return -1;
	}
	*out = json_pack("{s:s, s:s, s:o}", "code", "holiday", "message", msg,
	    "dates", dates);
	free(msg);
	return *out ? 1 : -1;
}
