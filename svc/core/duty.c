/*
 * The rules of duty logs (值班记录): what a metric code looks like, which
 * counts a log may carry, who may write a shift's log and when, how
 * minutes print as hours, and which day and month a shift belongs to.
 * Pure functions: the handlers bring the shift, the log and the clock.
 * Nothing here may ever hold a petitioner's identity: a log is numbers
 * and a short note.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

int
duty_code_valid(const char *s)
{
	return s != NULL &&
	    valid_lower_code(s, strnlen(s, DUTY_CODE_MAX + 1), DUTY_CODE_MAX);
}

static int
is_active(const char *code, const char *const *active, size_t nactive)
{
	size_t i;

	for (i = 0; i < nactive; i++)
		if (active[i] != NULL && strcmp(active[i], code) == 0)
			return 1;
	return 0;
}

int
duty_values_check(const json_t *values, int attended, const char *const *active,
    size_t nactive, struct duty_value *out, size_t max, size_t *nout,
    struct herror *err)
{
	const char *key;
	json_t *v;
	char field[64];

	*nout = 0;
	if (values == NULL || json_is_null(values))
		return 1;
	if (!json_is_object(values)) {
		error_set(err, HERR_VALIDATION_FAILED, "values",
		    "values：应为对象，如 {\"visitors\": 12}");
		return 0;
	}
	if (!attended && json_object_size(values) > 0) {
		error_set(err, HERR_VALIDATION_FAILED, "values",
		    "values：缺席的班次不填写数量");
		return 0;
	}
	json_object_foreach((json_t *)values, key, v)
	{
		json_int_t n;

		/* A key that is no code at all is not echoed back whole: it
		 * may be long or odd. */
		if (!duty_code_valid(key)) {
			error_set(err, HERR_VALIDATION_FAILED, "values",
			    "values：未知的统计项");
			return 0;
		}
		snprintf(field, sizeof(field), "values.%s", key);
		if (!is_active(key, active, nactive)) {
			error_set(err, HERR_VALIDATION_FAILED, field,
			    "%s：没有这个统计项，或已停用", field);
			return 0;
		}
		if (!json_is_integer(v)) {
			error_set(err, HERR_VALIDATION_FAILED, field,
			    "%s：应为不小于 0 的整数", field);
			return 0;
		}
		n = json_integer_value(v);
		if (n < 0 || n > DUTY_VALUE_MAX) {
			error_set(err, HERR_VALIDATION_FAILED, field,
			    "%s：应为 0 到 %d 之间的整数", field,
			    DUTY_VALUE_MAX);
			return 0;
		}
		if (*nout >= max) {
			error_set(err, HERR_VALIDATION_FAILED, "values",
			    "values：统计项过多");
			return 0;
		}
		snprintf(out[*nout].code, sizeof(out[*nout].code), "%s", key);
		out[*nout].value = n;
		(*nout)++;
	}
	return 1;
}

void
duty_hours_format(int64_t minutes, char *buf, size_t sz)
{
	int64_t m = minutes < 0 ? -minutes : minutes;
	/* hundredths of an hour, rounded half up, in integers: no binary
	 * fraction can turn 2009.605 into 2009.60 */
	int64_t c = (m * 100 + 30) / 60;

	snprintf(buf, sz, "%s%lld.%02lld", minutes < 0 ? "-" : "",
	    (long long)(c / 100), (long long)(c % 100));
}

static const char *const verdict_names[DUTY_WRITE__MAX] = {
    /* DUTY_WRITE_OK */ "ok",
    /* DUTY_WRITE_FORBIDDEN */ "forbidden",
    /* DUTY_WRITE_CANCELLED */ "cancelled",
    /* DUTY_WRITE_OPEN_SEAT */ "open_seat",
    /* DUTY_WRITE_NOT_STARTED */ "not_started",
    /* DUTY_WRITE_CLOSED */ "closed",
    /* DUTY_WRITE_NEED_REASON */ "need_reason",
};

const char *
duty_verdict_name(enum duty_verdict v)
{
	return v >= 0 && v < DUTY_WRITE__MAX ? verdict_names[v] : "?";
}

int
duty_closed(int64_t end_day, int64_t closed_through)
{
	return closed_through != DUTY_NOT_CLOSED && end_day <= closed_through;
}

/*
 * In order: who (a counsellor writes only the shift they are on), what
 * state (cancelled, open seat, not started), then the close and the
 * reason a coordinator owes for a closed log or for changing what a
 * counsellor wrote.
 */
enum duty_verdict
duty_may_write(const struct duty_write *w)
{
	int closed = duty_closed(w->end_day, w->closed_through);

	if (!w->coordinator &&
	    (w->writer_counsellor == 0 ||
	        w->shift_counsellor != w->writer_counsellor))
		return DUTY_WRITE_FORBIDDEN;
	if (w->cancelled)
		return DUTY_WRITE_CANCELLED;
	if (w->shift_counsellor == 0 && !w->has_log)
		return DUTY_WRITE_OPEN_SEAT;
	if (w->now < w->start)
		return DUTY_WRITE_NOT_STARTED;
	if (!w->coordinator)
		return closed ? DUTY_WRITE_CLOSED : DUTY_WRITE_OK;
	if ((closed || (w->has_log && w->log_by_counsellor)) && !w->has_reason)
		return DUTY_WRITE_NEED_REASON;
	return DUTY_WRITE_OK;
}

int
duty_may_read(int coordinator, int64_t me, int64_t shift_counsellor,
    int64_t log_counsellor)
{
	if (coordinator)
		return 1;
	return me != 0 && (me == shift_counsellor || me == log_counsellor);
}

int
duty_closed_parse(const char *s, int64_t *day)
{
	if (s == NULL || *s == '\0') {
		*day = DUTY_NOT_CLOSED;
		return 1;
	}
	return time_parse_date(s, day);
}

int64_t
duty_end_day(time_t end, const struct tz *z)
{
	/* A shift that ends at midnight ended on the day before. */
	return activity_local_day(end - 1, z);
}

void
duty_month_key(time_t t, const struct tz *z, char *buf, size_t sz)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(activity_local_day(t, z), &y, &m, &d);
	snprintf(buf, sz, "%04lld-%02u", (long long)y, m);
}
