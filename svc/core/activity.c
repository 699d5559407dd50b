/*
 * Activities (lectures, salons, trainings, group sessions, community
 * activities): the report vocabulary, the on-time rule and the working-day
 * arithmetic the planner uses. Pure: days and zones come in as values.
 */
#include <string.h>

#include "core.h"

const char *const activity_kinds[] = {"lecture", "salon", "training", "group",
    "activity", NULL};
static const char *const kinds_zh[] = {"讲座", "沙龙", "培训", "团体辅导",
    "活动", NULL};
const char *const activity_audiences[] = {"staff", "residents",
    "community_workers", "mixed", NULL};
static const char *const audiences_zh[] = {"信访工作者", "社区居民",
    "社区工作人员", "居民及信访工作者", NULL};
static const char *
map(const char *const *from, const char *const *to, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && from[i] != NULL; i++)
		if (strcmp(from[i], s) == 0)
			return to[i];
	return NULL;
}

const char *
activity_kind_zh(const char *kind)
{
	return map(activity_kinds, kinds_zh, kind);
}

const char *
activity_kind_from_zh(const char *s)
{
	return map(kinds_zh, activity_kinds, s);
}

int
activity_kind_index(const char *kind)
{
	int i;

	for (i = 0; kind != NULL && activity_kinds[i] != NULL; i++)
		if (strcmp(activity_kinds[i], kind) == 0)
			return i;
	return -1;
}

const char *
activity_audience_zh(const char *audience)
{
	return map(activity_audiences, audiences_zh, audience);
}

const char *
activity_audience_from_zh(const char *s)
{
	return map(audiences_zh, activity_audiences, s);
}

int64_t
activity_local_day(time_t t, const struct tz *z)
{
	int64_t local = (int64_t)t + (z ? tz_offset_at(z, t) : 0);

	return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

int
activity_on_time(time_t start, time_t planned_start, const struct tz *z)
{
	return activity_local_day(start, z) ==
	    activity_local_day(planned_start, z);
}

int
activity_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

int
activity_is_working_day(int64_t day, const struct day_kind *days, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (days[i].day == day)
			return days[i].workday;
	return activity_weekday(day) <= 5;
}

size_t
activity_spread(const int64_t *cand, size_t ncand, size_t want, int64_t *out)
{
	size_t i;

	if (want > ncand)
		want = ncand;
	for (i = 0; i < want; i++)
		out[i] = cand[(2 * i + 1) * ncand / (2 * want)];
	return want;
}
