/*
 * The rules of key cases at their edges: labels that look like names or
 * numbers, notes with phone and identity numbers, status changes with
 * their closing dates, sessions. (Paper tallies: test_tally.c.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void
test_labels(void **state)
{
	(void)state;
	assert_int_equal(case_label_check("2023-017"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("FT_2023_001"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("A1"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("case-7"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("1234567890"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("123456789012345678901234"),
	    CASE_LABEL_NUMBER);
	assert_int_equal(case_label_check("2023-0170-1234-5678-9012"),
	    CASE_LABEL_OK); /* 24 characters, groups of 4 */
	assert_int_equal(case_label_check("2023-0170-1234-5678-90123"),
	    CASE_LABEL_LENGTH);
	assert_int_equal(case_label_check(""), CASE_LABEL_EMPTY);
	assert_int_equal(case_label_check(NULL), CASE_LABEL_EMPTY);
	/* names */
	assert_int_equal(case_label_check("张三"), CASE_LABEL_CHARSET);
	assert_int_equal(case_label_check("2023-张"), CASE_LABEL_CHARSET);
	assert_int_equal(case_label_check("2023 017"), CASE_LABEL_CHARSET);
	assert_int_equal(case_label_check("zhangsan"), CASE_LABEL_NAME);
	assert_int_equal(case_label_check("zhang-001"), CASE_LABEL_NAME);
	assert_int_equal(case_label_check("abcd-001"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("Li"), CASE_LABEL_NAME);
	assert_int_equal(case_label_check("--"), CASE_LABEL_NAME);
	/* numbers: 10 digits pass, 11 are a phone, 18 an ID */
	assert_int_equal(case_label_check("13812345678"), CASE_LABEL_NUMBER);
	assert_int_equal(case_label_check("1381234567"), CASE_LABEL_OK);
	assert_int_equal(case_label_check("11010119900307123X"),
	    CASE_LABEL_NUMBER);
	assert_true(strlen(case_label_message(CASE_LABEL_NAME)) > 0);
	assert_string_equal(case_label_message(CASE_LABEL_OK), "");
}

static void
test_notes(void **state)
{
	(void)state;
	assert_int_equal(case_note_check(NULL), CASE_NOTE_OK);
	assert_int_equal(case_note_check(""), CASE_NOTE_OK);
	assert_int_equal(case_note_check("情绪稳定，约定下周回访。"),
	    CASE_NOTE_OK);
	assert_int_equal(case_note_check("2023-01-05 面谈 90 分钟"),
	    CASE_NOTE_OK);
	/* mobiles: whole, grouped, with +86, full-width, in text */
	assert_int_equal(case_note_check("13812345678"), CASE_NOTE_PHONE);
	/* A long run of dash-separated digit groups rolls on without
	 * cutting a group: the mobile number straddles digit 64 (fuzz). */
	assert_int_equal(
	    case_note_check(
	        "2323-02323-017320202323-01732027"
	        "320202323-017320202023-2023017320202323-0173202023203-"
	        "17202302323-0172"),
	    CASE_NOTE_PHONE);
	/* ... and an identity number split by the roll is still found. */
	assert_int_equal(
	    case_note_check(
	        "1-2-3-4-5-6-7-8-9-1-2-3-4-5-6-7-"
	        "8-9-1-2-3-4-5-6-7-8-9-1-2-3-4 110101-19900307-123X"),
	    CASE_NOTE_ID);
	assert_int_equal(
	    case_note_check(
	        "1-2-3-4-5-6-7-8-9-1-2-3-4-5-6-7-"
	        "8-9-1-2-3-4-5-6-7-8-9-1-2-3-4-5-6-7-8-9-0-1-2-3-138-1234-"
	        "5678"),
	    CASE_NOTE_PHONE);
	{
		char big[300];

		memset(big, '7', 200);
		strcpy(big + 200, " 13812345678");
		assert_int_equal(case_note_check(big), CASE_NOTE_PHONE);
		memset(big, '7', 200);
		strcpy(big + 200, "-2023");
		assert_int_equal(case_note_check(big), CASE_NOTE_OK);
	}
	assert_int_equal(case_note_check("电话13812345678。"), CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("138 1234 5678"), CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("138-1234-5678"), CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("+86 13812345678"), CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("8613812345678"), CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("１３８１２３４５６７８"),
	    CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("2023-01-05 13812345678"),
	    CASE_NOTE_PHONE);
	assert_int_equal(case_note_check("2023-01-05 138 1234 5678 回访"),
	    CASE_NOTE_PHONE);
	/* not mobiles: a landline-ish 11 digits starting 0, 10 or 12 digits */
	assert_int_equal(case_note_check("07551234567"), CASE_NOTE_OK);
	assert_int_equal(case_note_check("12812345678"), CASE_NOTE_OK);
	assert_int_equal(case_note_check("1381234567"), CASE_NOTE_OK);
	assert_int_equal(case_note_check("138123456789"), CASE_NOTE_OK);
	assert_int_equal(case_note_check("138  1234  5678"), CASE_NOTE_OK);
	/* identity cards: 18 with a digit or X, 15, grouped, full-width X */
	assert_int_equal(case_note_check("110101199003071234"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("身份证11010119900307123X号"),
	    CASE_NOTE_ID);
	assert_int_equal(case_note_check("11010119900307123x"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("11010119900307123Ｘ"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("110101 19900307 1234"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("110101900307123"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("1101011990030712"), CASE_NOTE_OK);
	assert_int_equal(case_note_check("X110101199003071234"), CASE_NOTE_ID);
	assert_int_equal(case_note_check("1101011990030712XX"), CASE_NOTE_OK);
	/* a very long run of digits is no single number */
	assert_int_equal(
	    case_note_check(
	        "1234567890123456789012345678901234567890123456789012345678901234"
	        "5678901234567890"),
	    CASE_NOTE_OK);
	assert_true(strlen(case_note_message(CASE_NOTE_PHONE)) > 0);
	assert_true(strstr(case_note_message(CASE_NOTE_ID), "身份证") != NULL);
}

static struct case_change
change(int has_status, enum case_status s, int has_closed, int64_t closed)
{
	struct case_change c;

	memset(&c, 0, sizeof(c));
	c.has_status = has_status;
	c.status = s;
	c.has_closed = has_closed;
	c.closed = closed;
	return c;
}

static void
test_status(void **state)
{
	struct case_dates open = {CASE_OPEN, 100, CASE_NO_DAY}, after;
	struct case_dates done = {CASE_RESOLVED, 100, 120};
	struct case_change c;
	enum case_status s;

	(void)state;
	assert_true(case_status_parse("unresolved", &s));
	assert_int_equal(s, CASE_UNRESOLVED);
	assert_false(case_status_parse("closed", &s));
	assert_string_equal(case_status_name(CASE_RESOLVED), "resolved");
	/* create */
	memset(&c, 0, sizeof(c));
	assert_int_equal(case_apply(NULL, &c, 200, &after),
	    CASE_RULE_OPENED_REQUIRED);
	c.has_opened = 1;
	c.opened = 150;
	assert_int_equal(case_apply(NULL, &c, 200, &after), CASE_RULE_OK);
	assert_int_equal(after.status, CASE_OPEN);
	assert_true(after.closed == CASE_NO_DAY);
	c.opened = 201;
	assert_int_equal(case_apply(NULL, &c, 200, &after),
	    CASE_RULE_OPENED_FUTURE);
	c.opened = 150;
	c.has_status = 1;
	c.status = CASE_RESOLVED;
	assert_int_equal(case_apply(NULL, &c, 200, &after),
	    CASE_RULE_CLOSED_REQUIRED);
	c.has_closed = 1;
	c.closed = 150; /* the same day is fine */
	assert_int_equal(case_apply(NULL, &c, 200, &after), CASE_RULE_OK);
	assert_true(after.closed == 150);
	/* close */
	c = change(1, CASE_RESOLVED, 0, 0);
	assert_int_equal(case_apply(&open, &c, 200, &after),
	    CASE_RULE_CLOSED_REQUIRED);
	c = change(1, CASE_UNRESOLVED, 1, CASE_NO_DAY);
	assert_int_equal(case_apply(&open, &c, 200, &after),
	    CASE_RULE_CLOSED_REQUIRED);
	c = change(1, CASE_RESOLVED, 1, 99);
	assert_int_equal(case_apply(&open, &c, 200, &after),
	    CASE_RULE_CLOSED_BEFORE_OPENED);
	c = change(1, CASE_RESOLVED, 1, 100);
	assert_int_equal(case_apply(&open, &c, 200, &after), CASE_RULE_OK);
	c = change(1, CASE_RESOLVED, 1, 201);
	assert_int_equal(case_apply(&open, &c, 200, &after),
	    CASE_RULE_CLOSED_FUTURE);
	c = change(1, CASE_RESOLVED, 1, 200);
	assert_int_equal(case_apply(&open, &c, 200, &after), CASE_RULE_OK);
	assert_int_equal(after.status, CASE_RESOLVED);
	/* an open case takes no closing date */
	c = change(0, CASE_OPEN, 1, 150);
	assert_int_equal(case_apply(&open, &c, 200, &after),
	    CASE_RULE_CLOSED_WHILE_OPEN);
	/* a closed case: a new date alone, or a new final status alone */
	c = change(0, CASE_OPEN, 1, 130);
	assert_int_equal(case_apply(&done, &c, 200, &after), CASE_RULE_OK);
	assert_true(after.closed == 130 && after.status == CASE_RESOLVED);
	c = change(1, CASE_UNRESOLVED, 0, 0);
	assert_int_equal(case_apply(&done, &c, 200, &after), CASE_RULE_OK);
	assert_true(after.closed == 120 && after.status == CASE_UNRESOLVED);
	c = change(0, CASE_OPEN, 1, CASE_NO_DAY);
	assert_int_equal(case_apply(&done, &c, 200, &after),
	    CASE_RULE_CLOSED_REQUIRED);
	/* reopen clears the date; reopen with a date is refused */
	c = change(1, CASE_OPEN, 0, 0);
	assert_int_equal(case_apply(&done, &c, 200, &after), CASE_RULE_OK);
	assert_true(after.status == CASE_OPEN && after.closed == CASE_NO_DAY);
	c = change(1, CASE_OPEN, 1, CASE_NO_DAY);
	assert_int_equal(case_apply(&done, &c, 200, &after), CASE_RULE_OK);
	c = change(1, CASE_OPEN, 1, 120);
	assert_int_equal(case_apply(&done, &c, 200, &after),
	    CASE_RULE_CLOSED_WHILE_OPEN);
	/* moving the opening date past the closing date */
	c = change(0, CASE_OPEN, 0, 0);
	c.has_opened = 1;
	c.opened = 121;
	assert_int_equal(case_apply(&done, &c, 200, &after),
	    CASE_RULE_CLOSED_BEFORE_OPENED);
	assert_string_equal(case_rule_field(CASE_RULE_CLOSED_REQUIRED),
	    "closed_on");
	assert_null(case_rule_field(CASE_RULE_OK));
	assert_true(strlen(case_rule_message(CASE_RULE_CLOSED_REQUIRED)) > 0);
}

static void
test_sessions(void **state)
{
	struct case_dates open = {CASE_OPEN, 100, CASE_NO_DAY};
	struct case_dates done = {CASE_UNRESOLVED, 100, 150};
	enum case_session_kind k;

	(void)state;
	assert_true(case_session_kind_parse("home_visit", &k));
	assert_int_equal(k, CASE_SESSION_HOME_VISIT);
	assert_false(case_session_kind_parse("visit", &k));
	assert_false(case_session_kind_parse(NULL, &k));
	assert_int_equal(case_session_check(&open, 100, 1, 200), CASE_RULE_OK);
	assert_int_equal(case_session_check(&open, 200, 1440, 200),
	    CASE_RULE_OK);
	assert_int_equal(case_session_check(&open, 150, 0, 200),
	    CASE_RULE_MINUTES);
	assert_int_equal(case_session_check(&open, 150, 1441, 200),
	    CASE_RULE_MINUTES);
	assert_int_equal(case_session_check(&open, 99, 60, 200),
	    CASE_RULE_SESSION_BEFORE_OPENED);
	assert_int_equal(case_session_check(&open, 201, 60, 200),
	    CASE_RULE_SESSION_FUTURE);
	assert_int_equal(case_session_check(&done, 150, 60, 200), CASE_RULE_OK);
	assert_int_equal(case_session_check(&done, 151, 60, 200),
	    CASE_RULE_SESSION_AFTER_CLOSED);
	assert_string_equal(case_rule_field(CASE_RULE_SESSION_FUTURE), "date");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_notes),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_sessions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
