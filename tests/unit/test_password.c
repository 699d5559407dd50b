/*
 * Unit tests of svc/core/password.c: the password rule (length in
 * characters, repeats, sequences, the common-password list, the user's
 * own name) and its Chinese messages.
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
test_password_rule(void **state)
{
	static const char list[] = "#!comment: a list\n123456\npassword\n"
	                           "qwertyuiop\nWoAiNi1314\n";
	const char *texts[] = {list};
	size_t sizes[] = {sizeof(list) - 1};
	struct pwlist *l = pwlist_new(texts, sizes, 1);

	(void)state;
	assert_non_null(l);
	assert_int_equal(pwlist_size(l), 4);
	assert_true(pwlist_has(l, "woaini1314"));
	assert_int_equal(password_check("short", NULL, l), PW_TOO_SHORT);
	assert_int_equal(password_check("aaaaaaaaaa", NULL, l), PW_REPEATED);
	assert_int_equal(password_check("1212121212", NULL, l), PW_REPEATED);
	assert_int_equal(password_check("abcdefghij", NULL, l), PW_SEQUENCE);
	assert_int_equal(password_check("9876543210", NULL, l), PW_SEQUENCE);
	assert_int_equal(password_check("QwertyUiop", NULL, l), PW_COMMON);
	assert_int_equal(password_check("password2024!", NULL, l), PW_COMMON);
	assert_int_equal(password_check("zhang_wei2024", "Zhang_Wei", l),
	    PW_SAME_AS_USER);
	assert_int_equal(password_check("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7"
	                                "\xf6",
	                     NULL, l),
	    PW_NOT_UTF8);
	/* Ten characters, not ten bytes: 心访工作室的密码很长 is fine. */
	assert_int_equal(password_check("心访工作室的密码很长", NULL, l),
	    PW_OK);
	assert_int_equal(password_check("心访工作室的密码", NULL, l),
	    PW_TOO_SHORT);
	assert_int_equal(password_check("correct horse battery staple", "admin",
	                     l),
	    PW_OK);
	assert_string_not_equal(password_problem_zh(PW_COMMON), "");
	pwlist_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
