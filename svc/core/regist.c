/*
 * Registrations (issue 13.5) as pure rules: whether two registrations
 * are one person (the same mobile number or the same e-mail address),
 * what the staff are told at a check-in, and the attendance rate of the
 * reports: attended / (registered + walk-ins), where a waitlisted person
 * who came counts as a walk-in and never as registered.
 *
 * The same person's keys (issue 15, regidx): registration_email_key and
 * registration_phone_key give what registration_same_person compares,
 * so the store finds a duplicate by an index on them instead of by a
 * walk over the event's registrations; two registrations are one
 * person exactly when one of their keys is equal (test_regist checks).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"

/* s without surrounding blanks as [*b, *b + *n); 0 when empty. */
static int
trimmed(const char *s, const char **b, size_t *n)
{
	size_t len;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*b = s;
	*n = len;
	return len > 0;
}

static int
same_email(const char *a, const char *b)
{
	const char *pa, *pb;
	size_t na, nb;

	if (!trimmed(a, &pa, &na) || !trimmed(b, &pb, &nb) || na != nb)
		return 0;
	return strncasecmp(pa, pb, na) == 0;
}

/* A phone number as digits only (a mainland mobile as its 11 digits,
 * whatever +86, blanks or dashes it came with); 0 when none. */
#define PHONE_KEY_SZ REGISTRATION_PHONE_KEY_SZ

static int
phone_key(const char *s, char out[PHONE_KEY_SZ])
{
	char m[NOTIFY_PHONE_SZ];
	size_t n = 0;

	if (s == NULL)
		return 0;
	if (notify_phone_cn(s, m)) {
		memcpy(out, m, sizeof(m));
		return 1;
	}
	for (; *s != '\0'; s++)
		if (isdigit((unsigned char)*s)) {
			if (n + 1 >= PHONE_KEY_SZ)
				return 0;
			out[n++] = *s;
		}
	out[n] = '\0';
	return n >= 5;
}

int
registration_same_person(const char *email_a, const char *phone_a,
    const char *email_b, const char *phone_b)
{
	char x[PHONE_KEY_SZ], y[PHONE_KEY_SZ];

	if (same_email(email_a, email_b))
		return 1;
	return phone_key(phone_a, x) && phone_key(phone_b, y) &&
	    strcmp(x, y) == 0;
}

int
registration_email_key(const char *email, char **key)
{
	const char *b;
	size_t n, i;

	*key = NULL;
	if (!trimmed(email, &b, &n))
		return 0;
	if ((*key = malloc(n + 1)) == NULL)
		return -1;
	/* strncasecmp's folding: ASCII letters only (the C locale). */
	for (i = 0; i < n; i++)
		(*key)[i] = (char)tolower((unsigned char)b[i]);
	(*key)[n] = '\0';
	return 1;
}

int
registration_phone_key(const char *phone, char key[REGISTRATION_PHONE_KEY_SZ])
{
	key[0] = '\0';
	if (!phone_key(phone, key)) {
		key[0] = '\0';
		return 0;
	}
	return 1;
}

const char *
checkin_message_zh(enum registration_status was, int already)
{
	if (already)
		return was == REGISTRATION_WAITLISTED
		    ? "此人已签到过（候补名单上的报名）"
		    : "此人已签到过";
	if (was == REGISTRATION_WAITLISTED)
		return "签到成功。注意：此人在候补名单上，没有报名名额，"
		       "按现场参加计";
	return "签到成功";
}

int
attendance_rate(int64_t registered, int64_t attended_registered,
    int64_t attended_all, double *rate)
{
	int64_t walk_ins = attended_all - attended_registered;

	if (walk_ins < 0)
		walk_ins = 0;
	if (registered + walk_ins <= 0)
		return 0;
	if (attended_registered > registered)
		attended_registered = registered;
	*rate = (double)(attended_registered + walk_ins) /
	    (double)(registered + walk_ins);
	return 1;
}
