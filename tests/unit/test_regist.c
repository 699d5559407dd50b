/*
 * Unit tests of core/regist.c (issue 13.5): one person per event by
 * e-mail or phone, the check-in message, and the attendance rate that
 * never counts the waitlist as registered.
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
	    cmocka_unit_test(test_checkin_message),
	    cmocka_unit_test(test_attendance_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
