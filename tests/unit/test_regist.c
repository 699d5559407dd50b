/*
 * Unit tests of core/regist.c (issue 13.5): one person per event by
 * e-mail or phone, the check-in message, and the attendance rate that
 * never counts the waitlist as registered; the keys of the duplicate
 * check's index (issue 15, regidx) agree with registration_same_person.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void
test_same_person(void **state)
{
	(void)state;
	assert_true(registration_same_person("Li@Example.com ", NULL,
	    "li@example.com", NULL));
	assert_true(registration_same_person(NULL, "+86 138-0013-8000", NULL,
	    "13800138000"));
	assert_true(registration_same_person("a@x.cn", "13800138000", "b@x.cn",
	    "138 0013 8000"));
	assert_true(registration_same_person(NULL, "0755-8888 1234", "",
	    "075588881234"));
	assert_false(registration_same_person("a@x.cn", "13800138000", "b@x.cn",
	    "13900139000"));
	assert_false(registration_same_person("", "", "", ""));
	assert_false(registration_same_person(NULL, NULL, NULL, NULL));
	assert_false(registration_same_person(" ", "-", " ", "-"));
	assert_false(registration_same_person("a@x.cn", NULL, "a@x.cnn", NULL));
}

/* Whether a and b have an equal e-mail key or an equal phone key. */
static int
keys_meet(const char *email_a, const char *phone_a, const char *email_b,
    const char *phone_b)
{
	char *ea = NULL, *eb = NULL;
	char pa[REGISTRATION_PHONE_KEY_SZ], pb[REGISTRATION_PHONE_KEY_SZ];
	int ha, hb, same;

	ha = registration_email_key(email_a, &ea);
	hb = registration_email_key(email_b, &eb);
	assert_true(ha >= 0 && hb >= 0);
	assert_true(ha == (ea != NULL) && hb == (eb != NULL));
	same = ha && hb && strcmp(ea, eb) == 0;
	free(ea);
	free(eb);
	ha = registration_phone_key(phone_a, pa);
	hb = registration_phone_key(phone_b, pb);
	/* No key is "" (what the store writes for none). */
	assert_true(ha == (pa[0] != '\0') && hb == (pb[0] != '\0'));
	return same || (ha && hb && strcmp(pa, pb) == 0);
}

static void
test_keys(void **state)
{
	char *k = NULL, p[REGISTRATION_PHONE_KEY_SZ];

	(void)state;
	assert_int_equal(registration_email_key(" Li@Example.COM\t", &k), 1);
	assert_string_equal(k, "li@example.com");
	free(k);
	assert_int_equal(registration_email_key(" \t ", &k), 0);
	assert_null(k);
	assert_int_equal(registration_email_key(NULL, &k), 0);
	assert_null(k);
	assert_int_equal(registration_phone_key("+86 138-0013-8000", p), 1);
	assert_string_equal(p, "13800138000");
	assert_int_equal(registration_phone_key("0755-8888 1234", p), 1);
	assert_string_equal(p, "075588881234");
	assert_int_equal(registration_phone_key("12-34", p), 0);
	assert_string_equal(p, "");
	assert_int_equal(registration_phone_key(NULL, p), 0);
	assert_string_equal(p, "");
}

/* The edge cases the brief names, every pair of them both ways. */
static const char *const emails[] = {NULL, "", " ", "\t", "a@x.cn", "A@X.CN",
    " a@x.cn ", "\ta@X.cn", "a@x.cnn", "b@x.cn", "B@x.cn ",
    "li.wei@example.org", "LI.WEI@EXAMPLE.ORG", "a @x.cn", "é@x.cn", "É@x.cn",
    "a@x.cn\t\t", "  A@x.Cn"};
static const char *const phones[] = {NULL, "", " ", "-", "+86", "13800138000",
    "+86 138-0013-8000", "+8613800138000", "138 0013 8000", "86 13800138000",
    "0086 138 0013 8000", "+86-139-0013-9000", "13900139000", "1234", "12345",
    "1-2-3-4-5", "0755-8888 1234", "075588881234", "+86 755 8888 1234",
    "８６１３８", "12345678901234567890", "12345678901",
    "123456789012345678901234567890123", "1380013800", "138001380001",
    "+1 (415) 555-0100", "14155550100", "abc"};

static void
test_keys_agree_edges(void **state)
{
	size_t ne = sizeof(emails) / sizeof(emails[0]);
	size_t np = sizeof(phones) / sizeof(phones[0]);
	size_t a, b, c, d;

	(void)state;
	for (a = 0; a < ne; a++)
		for (b = 0; b < ne; b++)
			assert_int_equal(registration_same_person(emails[a],
			                     NULL, emails[b], NULL),
			    keys_meet(emails[a], NULL, emails[b], NULL));
	for (c = 0; c < np; c++)
		for (d = 0; d < np; d++)
			assert_int_equal(registration_same_person(NULL,
			                     phones[c], NULL, phones[d]),
			    keys_meet(NULL, phones[c], NULL, phones[d]));
	/* Both fields together: a sample of the product. */
	for (a = 0; a < ne; a++)
		for (c = 0; c < np; c++) {
			b = (a * 7 + c) % ne;
			d = (c * 5 + a) % np;
			assert_int_equal(registration_same_person(emails[a],
			                     phones[c], emails[b], phones[d]),
			    keys_meet(emails[a], phones[c], emails[b],
			        phones[d]));
		}
}

/* A random string over an alphabet that makes near misses likely. */
static void
random_field(unsigned *seed, const char *alphabet, char *out, size_t max)
{
	size_t n = (size_t)(rand_r(seed) % (int)max), i;
	size_t na = strlen(alphabet);

	for (i = 0; i < n; i++)
		out[i] = alphabet[rand_r(seed) % (int)na];
	out[n] = '\0';
}

static void
test_keys_agree_random(void **state)
{
	static const char mail[] = "aAbB@.x \t";
	static const char tel[] = "0113386+- 9";
	char ea[16], eb[16], pa[24], pb[24];
	unsigned seed = 15;
	int i, same = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		random_field(&seed, mail, ea, 8);
		random_field(&seed, mail, eb, 8);
		random_field(&seed, tel, pa, 22);
		/* Half the time b's phone is a's with noise: more matches. */
		if (rand_r(&seed) % 2) {
			size_t n = strlen(pa);

			memcpy(pb, pa, n + 1);
			if (n > 0)
				pb[rand_r(&seed) %
				    (int)n] = " -+"[rand_r(&seed) % 3];
		} else
			random_field(&seed, tel, pb, 22);
		same += registration_same_person(ea, pa, eb, pb);
		assert_int_equal(registration_same_person(ea, pa, eb, pb),
		    keys_meet(ea, pa, eb, pb));
		assert_int_equal(registration_same_person(ea, NULL, NULL, pb),
		    keys_meet(ea, NULL, NULL, pb));
	}
	/* Not a test of nothing: both answers came up often. */
	assert_true(same > 1000 && same < 199000);
}

static void
test_checkin_message(void **state)
{
	(void)state;
	assert_string_equal(checkin_message_zh(REGISTRATION_REGISTERED, 0),
	    "签到成功");
	assert_non_null(strstr(checkin_message_zh(REGISTRATION_WAITLISTED, 0),
	    "候补"));
	assert_non_null(strstr(checkin_message_zh(REGISTRATION_WAITLISTED, 1),
	    "候补"));
	assert_non_null(strstr(checkin_message_zh(REGISTRATION_REGISTERED, 1),
	    "已签到过"));
}

static void
test_attendance_rate(void **state)
{
	double r = -1;

	(void)state;
	assert_int_equal(attendance_rate(0, 0, 0, &r), 0);
	assert_true(r == -1);
	/* 4 registered, 3 came, 1 walk-in: 4 / 5. */
	assert_int_equal(attendance_rate(4, 3, 4, &r), 1);
	assert_true(r > 0.7999 && r < 0.8001);
	/* 2 registered, none came; a waitlisted person came: 1 / 3, not
	 * 1 / 2 nor 0 / 2. */
	assert_int_equal(attendance_rate(2, 0, 1, &r), 1);
	assert_true(r > 0.3333 && r < 0.3334);
	/* Only walk-ins: 100 %. */
	assert_int_equal(attendance_rate(0, 0, 3, &r), 1);
	assert_true(r == 1.0);
	/* Inconsistent counts never give more than 100 %. */
	assert_int_equal(attendance_rate(1, 2, 1, &r), 1);
	assert_true(r <= 1.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_person),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_keys_agree_edges),
	    cmocka_unit_test(test_keys_agree_random),
	    cmocka_unit_test(test_checkin_message),
	    cmocka_unit_test(test_attendance_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
