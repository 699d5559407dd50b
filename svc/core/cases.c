/*
 * The rules of the key-case register (重点个案): pseudonymous labels,
 * notes that carry no phone or identity-card number, the open / resolved
 * / unresolved life of a case with its closing date, and what a session
 * may record. Pure functions on strings and day numbers; the handlers
 * bring the request and the stored case, and reply with the messages
 * given here. No petitioner's name or identity is ever stored, so every
 * rule errs on the side of rejecting what looks like one.
 */
#include <string.h>

#include "core.h"

const char *const case_status_names[CASE_STATUS__MAX + 1] = {
    /* CASE_OPEN */ "open",
    /* CASE_RESOLVED */ "resolved",
    /* CASE_UNRESOLVED */ "unresolved",
    NULL,
};

const char *const case_session_kinds[CASE_SESSION__MAX + 1] = {
    /* CASE_SESSION_ONE_TO_ONE */ "one_to_one",
    /* CASE_SESSION_HOME_VISIT */ "home_visit",
    /* CASE_SESSION_PHONE */ "phone",
    /* CASE_SESSION_GROUP */ "group",
    NULL,
};

int
case_status_parse(const char *s, enum case_status *out)
{
	int i;

	for (i = 0; s != NULL && i < CASE_STATUS__MAX; i++)
		if (strcmp(s, case_status_names[i]) == 0) {
			*out = (enum case_status)i;
			return 1;
		}
	return 0;
}

const char *
case_status_name(enum case_status s)
{
	return (unsigned)s < CASE_STATUS__MAX ? case_status_names[s] : "open";
}

int
case_session_kind_parse(const char *s, enum case_session_kind *out)
{
	int i;

	for (i = 0; s != NULL && i < CASE_SESSION__MAX; i++)
		if (strcmp(s, case_session_kinds[i]) == 0) {
			*out = (enum case_session_kind)i;
			return 1;
		}
	return 0;
}

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum case_label_err
case_label_check(const char *s)
{
	size_t n, i, letters = 0, digits = 0, ndigits = 0;

	if (s == NULL || (n = strlen(s)) == 0)
		return CASE_LABEL_EMPTY;
	if (n > CASE_LABEL_MAX)
		return CASE_LABEL_LENGTH;
	for (i = 0; i < n; i++)
		if (!is_letter(s[i]) && !is_digit(s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return CASE_LABEL_CHARSET;
	for (i = 0; i < n; i++) {
		letters = is_letter(s[i]) ? letters + 1 : 0;
		digits = is_digit(s[i]) ? digits + 1 : 0;
		ndigits += is_digit(s[i]);
		/* "zhangsan-1": a pinyin name with a number is still a name. */
		if (letters > CASE_LABEL_MAX_LETTERS)
			return CASE_LABEL_NAME;
		/* 11 digits and more: a phone or an identity-card number. */
		if (digits >= 11)
			return CASE_LABEL_NUMBER;
	}
	if (ndigits == 0)
		return CASE_LABEL_NAME;
	return CASE_LABEL_OK;
}

const char *
case_label_message(enum case_label_err e)
{
	switch (e) {
	case CASE_LABEL_OK:
		return "";
	case CASE_LABEL_EMPTY:
		return "请填写个案编号，例如 2023-017";
	case CASE_LABEL_LENGTH:
		return "个案编号最多 24 个字符，例如 2023-017";
	case CASE_LABEL_CHARSET:
		return "个案编号只能由字母、数字、- 和 _ 组成（例如 2023-017），"
		       "不能填写姓名";
	case CASE_LABEL_NAME:
		return "个案编号须是编号（含数字，连续字母不超过 4 个，例如 "
		       "2023-017），不能是姓名或姓名拼音";
	case CASE_LABEL_NUMBER:
		return "个案编号不能含手机号或身份证号（连续 11 位以上数字），"
		       "请使用编号，例如 2023-017";
	}
	return "个案编号无效";
}

/* The ASCII digit a UTF-8 sequence at s stands for (an ASCII or a
 * full-width digit, 'X' after an identity number's 17 digits as 10),
 * with its byte length in *len; -1 when it is none. */
static int
digit_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	*len = 1;
	if (u[0] >= '0' && u[0] <= '9')
		return u[0] - '0';
	if (u[0] == 'X' || u[0] == 'x')
		return 10;
	/* U+FF10..U+FF19 full-width digits, U+FF38 'Ｘ', U+FF58 'ｘ' */
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return u[2] - 0x90;
	}
	if (u[0] == 0xEF &&
	    ((u[1] == 0xBC && u[2] == 0xB8) ||
	        (u[1] == 0xBD && u[2] == 0x98))) {
		*len = 3;
		return 10;
	}
	return -1;
}

#define NOTE_GROUPS 32
#define NOTE_DIGITS 64

/* Whether the digits d[0..n) (10 = X), read from the groups g[0..ng)
 * (their starts, relative to d, and the end), are a mainland mobile
 * number (1[3-9] and 9 more; "86" in front counts too) in any grouping,
 * or an identity-card number (15 digits, or 17 digits and a digit or X)
 * whole or grouped as printed (6-8-4, 6-6-3). */
static enum case_note_err
classify(const int *d, const size_t *g, size_t ng)
{
	size_t n = g[ng] - g[0], i, x = 0, len[3];
	int grouped_id;

	d += g[0];
	for (i = 0; i < n; i++)
		x += d[i] == 10;
	if (x == 0 && n == 11 && d[0] == 1 && d[1] >= 3)
		return CASE_NOTE_PHONE;
	if (x == 0 && n == 13 && d[0] == 8 && d[1] == 6 && d[2] == 1 &&
	    d[3] >= 3)
		return CASE_NOTE_PHONE;
	for (i = 0; i < 3 && i < ng; i++)
		len[i] = g[i + 1] - g[i];
	grouped_id = ng == 1 ||
	    (ng == 3 && len[0] == 6 &&
	        ((len[1] == 8 && len[2] == 4) || (len[1] == 6 && len[2] == 3)));
	if (!grouped_id)
		return CASE_NOTE_OK;
	if (x == 0 && n == 15)
		return CASE_NOTE_ID;
	if (n == 18 && (x == 0 || (x == 1 && d[17] == 10)))
		return CASE_NOTE_ID;
	return CASE_NOTE_OK;
}

/* A run of digit groups being read (see case_note_check). */
struct note_run {
	int d[NOTE_DIGITS];
	size_t gstart[NOTE_GROUPS + 1];
	size_t ng, nd;
};

/* The longest span classify can flag: an identity number's 18 digits,
 * or "86" and a mobile number's 11 digits one group each. */
#define NOTE_SPAN_MAX 18
#define NOTE_SPAN_GROUPS 13

/* Tries every span of the whole groups [0, c) of the run; gstart[c]
 * must hold the end of group c - 1. */
static enum case_note_err
run_check(const struct note_run *r, size_t c)
{
	enum case_note_err e = CASE_NOTE_OK;
	size_t a, b;

	for (a = 0; a < c && e == CASE_NOTE_OK; a++)
		for (b = a + 1; b <= c && e == CASE_NOTE_OK; b++)
			e = classify(r->d, r->gstart + a, b - a);
	return e;
}

/* Tries every span of whole groups of the run, then empties it. */
static enum case_note_err
run_flush(struct note_run *r)
{
	enum case_note_err e;

	r->gstart[r->ng] = r->nd;
	e = run_check(r, r->ng);
	r->ng = r->nd = 0;
	return e;
}

/* A full run: checks the spans of its complete groups, then keeps only
 * what a later span could still use — the trailing complete groups of at
 * most NOTE_SPAN_MAX digits and the group being read — so no group is
 * cut and no span across the cut is missed. *skip is set when the group
 * being read is already too long to be part of any span. */
static enum case_note_err
run_roll(struct note_run *r, int partial, int *skip)
{
	size_t c = partial ? r->ng - 1 : r->ng, a0, k, shift;
	enum case_note_err e;

	r->gstart[r->ng] = r->nd;
	if ((e = run_check(r, c)) != CASE_NOTE_OK)
		return e;
	if (partial && r->nd - r->gstart[c] > NOTE_SPAN_MAX) {
		r->ng = r->nd = 0;
		*skip = 1;
		return CASE_NOTE_OK;
	}
	for (a0 = c; a0 > 0 && c - (a0 - 1) < NOTE_SPAN_GROUPS &&
	     r->gstart[c] - r->gstart[a0 - 1] <= NOTE_SPAN_MAX;
	     a0--)
		;
	shift = r->gstart[a0];
	memmove(r->d, r->d + shift, (r->nd - shift) * sizeof(r->d[0]));
	for (k = a0; k < r->ng; k++)
		r->gstart[k - a0] = r->gstart[k] - shift;
	r->ng -= a0;
	r->nd -= shift;
	return CASE_NOTE_OK;
}

enum case_note_err
case_note_check(const char *s)
{
	/* A run is digit groups separated by one space or '-' (138 1234
	 * 5678, 110101-19900307-1234); every span of whole groups is
	 * tried, so a date in front ("2023-01-05 13812345678") hides
	 * nothing. Full-width digits count as digits. A run too long to
	 * hold rolls on (run_roll), so a long one hides nothing either. */
	enum {
		LAST_OTHER,
		LAST_DIGIT,
		LAST_SEP
	} last = LAST_OTHER;
	struct note_run r;
	enum case_note_err e;
	size_t i = 0, len;
	int v, skip = 0;

	if (s == NULL)
		return CASE_NOTE_OK;
	r.ng = r.nd = 0;
	while (s[i] != '\0') {
		v = digit_at(s + i, &len);
		if (v >= 0 && v < 10 && skip) {
			/* the rest of a group too long to matter */
		} else if (v >= 0 && v < 10) {
			if (last == LAST_OTHER) {
				if ((e = run_flush(&r)) != CASE_NOTE_OK)
					return e;
			} else if (r.nd == NOTE_DIGITS ||
			    (last == LAST_SEP && r.ng == NOTE_GROUPS)) {
				if ((e = run_roll(&r, last == LAST_DIGIT,
				         &skip)) != CASE_NOTE_OK)
					return e;
			}
			if (!skip) {
				if (last != LAST_DIGIT || r.ng == 0)
					r.gstart[r.ng++] = r.nd;
				r.d[r.nd++] = v;
			}
			last = LAST_DIGIT;
		} else if (v == 10 && last == LAST_DIGIT && !skip) {
			/* an X ends an identity number */
			if (r.nd == NOTE_DIGITS &&
			    (e = run_roll(&r, 1, &skip)) != CASE_NOTE_OK)
				return e;
			if (!skip)
				r.d[r.nd++] = 10;
			if ((e = run_flush(&r)) != CASE_NOTE_OK)
				return e;
			skip = 0;
			last = LAST_OTHER;
		} else if ((s[i] == ' ' || s[i] == '-') && last == LAST_DIGIT) {
			skip = 0;
			last = LAST_SEP;
		} else {
			skip = 0;
			if ((e = run_flush(&r)) != CASE_NOTE_OK)
				return e;
			last = LAST_OTHER;
		}
		i += len;
	}
	return run_flush(&r);
}

const char *
case_note_message(enum case_note_err e)
{
	switch (e) {
	case CASE_NOTE_OK:
		return "";
	case CASE_NOTE_PHONE:
		return "备注中不能填写手机号码：重点个案只记录编号，"
		       "不保存信访人的身份信息";
	case CASE_NOTE_ID:
		return "备注中不能填写身份证号码：重点个案只记录编号，"
		       "不保存信访人的身份信息";
	}
	return "备注无效";
}

enum case_rule
case_apply(const struct case_dates *before, const struct case_change *c,
    int64_t today, struct case_dates *after)
{
	if (before != NULL)
		*after = *before;
	else {
		after->status = CASE_OPEN;
		after->opened = CASE_NO_DAY;
		after->closed = CASE_NO_DAY;
	}
	if (c->has_status)
		after->status = c->status;
	if (c->has_opened)
		after->opened = c->opened;
	if (after->opened == CASE_NO_DAY)
		return CASE_RULE_OPENED_REQUIRED;
	if (after->opened > today)
		return CASE_RULE_OPENED_FUTURE;
	if (after->status == CASE_OPEN) {
		/* Reopening clears the closing date; an open case has none. */
		if (c->has_closed && c->closed != CASE_NO_DAY)
			return CASE_RULE_CLOSED_WHILE_OPEN;
		after->closed = CASE_NO_DAY;
		return CASE_RULE_OK;
	}
	if (c->has_closed)
		after->closed = c->closed;
	else if (before == NULL || before->status == CASE_OPEN)
		after->closed = CASE_NO_DAY;
	if (after->closed == CASE_NO_DAY)
		return CASE_RULE_CLOSED_REQUIRED;
	if (after->closed < after->opened)
		return CASE_RULE_CLOSED_BEFORE_OPENED;
	if (after->closed > today)
		return CASE_RULE_CLOSED_FUTURE;
	return CASE_RULE_OK;
}

enum case_rule
case_session_check(const struct case_dates *c, int64_t date, int64_t minutes,
    int64_t today)
{
	if (minutes < 1 || minutes > 1440)
		return CASE_RULE_MINUTES;
	if (date < c->opened)
		return CASE_RULE_SESSION_BEFORE_OPENED;
	if (date > today)
		return CASE_RULE_SESSION_FUTURE;
	if (c->status != CASE_OPEN && c->closed != CASE_NO_DAY &&
	    date > c->closed)
		return CASE_RULE_SESSION_AFTER_CLOSED;
	return CASE_RULE_OK;
}

const char *
case_rule_field(enum case_rule r)
{
	switch (r) {
	case CASE_RULE_OK:
		return NULL;
	case CASE_RULE_OPENED_REQUIRED:
	case CASE_RULE_OPENED_FUTURE:
		return "opened_on";
	case CASE_RULE_CLOSED_REQUIRED:
	case CASE_RULE_CLOSED_WHILE_OPEN:
	case CASE_RULE_CLOSED_BEFORE_OPENED:
	case CASE_RULE_CLOSED_FUTURE:
		return "closed_on";
	case CASE_RULE_MINUTES:
		return "minutes";
	case CASE_RULE_SESSION_BEFORE_OPENED:
	case CASE_RULE_SESSION_FUTURE:
	case CASE_RULE_SESSION_AFTER_CLOSED:
		return "date";
	}
	return NULL;
}

const char *
case_rule_message(enum case_rule r)
{
	switch (r) {
	case CASE_RULE_OK:
		return "";
	case CASE_RULE_OPENED_REQUIRED:
		return "请填写立案日期";
	case CASE_RULE_OPENED_FUTURE:
		return "立案日期不能晚于今天";
	case CASE_RULE_CLOSED_REQUIRED:
		return "结案（已化解或未化解）须填写结案日期";
	case CASE_RULE_CLOSED_WHILE_OPEN:
		return "跟进中的个案没有结案日期；结案时请同时选择结果";
	case CASE_RULE_CLOSED_BEFORE_OPENED:
		return "结案日期不能早于立案日期";
	case CASE_RULE_CLOSED_FUTURE:
		return "结案日期不能晚于今天";
	case CASE_RULE_MINUTES:
		return "时长须为 1 至 1440 分钟的整数";
	case CASE_RULE_SESSION_BEFORE_OPENED:
		return "咨询日期不能早于立案日期";
	case CASE_RULE_SESSION_FUTURE:
		return "咨询日期不能晚于今天";
	case CASE_RULE_SESSION_AFTER_CLOSED:
		return "咨询日期不能晚于结案日期";
	}
	return "个案数据无效";
}
