/*
 * Leave that waits for the coordinator: the state it starts in, who may
 * withdraw it, what a decision does, and what keeps a counsellor off
 * duty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void
test_initial(void **state)
{
	(void)state;
	/* a counsellor's leave over shifts waits when the bureau asks */
	assert_int_equal(leave_initial(LEAVE_BY_COUNSELLOR, 2, 1),
	    LEAVE_PENDING);
	/* over no shift: nothing to decide */
	assert_int_equal(leave_initial(LEAVE_BY_COUNSELLOR, 0, 1),
	    LEAVE_APPROVED);
	/* the bureau lets it take effect at once */
	assert_int_equal(leave_initial(LEAVE_BY_COUNSELLOR, 3, 0),
	    LEAVE_APPROVED);
	/* a coordinator's own entry is a decision already */
	assert_int_equal(leave_initial(LEAVE_BY_COORDINATOR, 5, 1),
	    LEAVE_APPROVED);
}

static void
test_withdraw(void **state)
{
	(void)state;
	/* the coordinator may always withdraw */
	assert_int_equal(leave_withdraw(LEAVE_BY_COUNSELLOR, LEAVE_APPROVED, 1,
	                     0),
	    LEAVE_OK);
	assert_int_equal(leave_withdraw(LEAVE_BY_COORDINATOR, LEAVE_APPROVED, 0,
	                     0),
	    LEAVE_OK);
	/* a counsellor never withdraws what the coordinator entered */
	assert_int_equal(leave_withdraw(LEAVE_BY_COORDINATOR, LEAVE_APPROVED, 0,
	                     1),
	    LEAVE_REFUSE_NOT_YOURS);
	/* their own pending request, or leave in force without a decision */
	assert_int_equal(leave_withdraw(LEAVE_BY_COUNSELLOR, LEAVE_PENDING, 0,
	                     1),
	    LEAVE_OK);
	assert_int_equal(leave_withdraw(LEAVE_BY_COUNSELLOR, LEAVE_APPROVED, 0,
	                     1),
	    LEAVE_OK);
	/* once decided, they ask the coordinator */
	assert_int_equal(leave_withdraw(LEAVE_BY_COUNSELLOR, LEAVE_APPROVED, 1,
	                     1),
	    LEAVE_REFUSE_DECIDED);
	assert_int_equal(leave_withdraw(LEAVE_BY_COUNSELLOR, LEAVE_REFUSED, 1,
	                     1),
	    LEAVE_REFUSE_DECIDED);
}

static void
test_decide(void **state)
{
	enum leave_status out = LEAVE_STATUS_ANY;

	(void)state;
	assert_int_equal(leave_decide(LEAVE_PENDING, 1, &out), LEAVE_OK);
	assert_int_equal(out, LEAVE_APPROVED);
	assert_int_equal(leave_decide(LEAVE_PENDING, 0, &out), LEAVE_OK);
	assert_int_equal(out, LEAVE_REFUSED);
	out = LEAVE_STATUS_ANY;
	assert_int_equal(leave_decide(LEAVE_APPROVED, 0, &out),
	    LEAVE_REFUSE_NOT_PENDING);
	assert_int_equal(leave_decide(LEAVE_REFUSED, 1, &out),
	    LEAVE_REFUSE_NOT_PENDING);
	assert_int_equal(out, LEAVE_STATUS_ANY); /* untouched */
}

static void
test_force_and_marks(void **state)
{
	(void)state;
	assert_true(leave_in_force(LEAVE_APPROVED));
	assert_false(leave_in_force(LEAVE_PENDING));
	assert_false(leave_in_force(LEAVE_REFUSED));
	assert_true(leave_marks(LEAVE_PENDING));
	assert_true(leave_marks(LEAVE_APPROVED));
	assert_false(leave_marks(LEAVE_REFUSED));
	assert_int_equal(state_parse(leave_status_names, "pending"),
	    LEAVE_PENDING);
	assert_int_equal(state_parse(leave_status_names, "refused"),
	    LEAVE_REFUSED);
	assert_int_equal(state_parse(leave_status_names, "rejected"), 0);
	assert_int_equal(state_parse(leave_by_names, "counsellor"),
	    LEAVE_BY_COUNSELLOR);
}

/* 2027-03-01 (a Monday) 00:00 UTC and hours after it. */
#define MON ((time_t)1803859200)
#define H(x) (MON + (time_t)((x)*3600))

static void
test_busy(void **state)
{
	const struct busy_span own[] = {
	    {11, H(9), H(12), 0},           /* Monday morning shift */
	    {12, H(24 + 9), H(24 + 17), 0}, /* Tuesday */
	    {0, H(48), H(72), 1},           /* Wednesday: approved leave */
	    {13, H(7 * 24 + 9), H(7 * 24 + 17), 0}, /* next week */
	};
	const int64_t swap[] = {11};
	size_t w;

	(void)state;
	assert_int_equal(busy_check(0, 2400, H(14), H(17), MON, H(168), own, 4,
	                     NULL, 0, &w),
	    BUSY_INACTIVE);
	assert_int_equal(w, 4);
	assert_int_equal(busy_check(1, 2400, H(14), H(17), MON, H(168), own, 4,
	                     NULL, 0, &w),
	    BUSY_NONE);
	/* touching ends do not overlap */
	assert_int_equal(busy_check(1, 2400, H(12), H(13), MON, H(168), own, 4,
	                     NULL, 0, &w),
	    BUSY_NONE);
	assert_int_equal(busy_check(1, 2400, H(11), H(13), MON, H(168), own, 4,
	                     NULL, 0, &w),
	    BUSY_OVERLAP);
	assert_int_equal(w, 0);
	/* the shift they give away in a swap does not count */
	assert_int_equal(busy_check(1, 2400, H(11), H(13), MON, H(168), own, 4,
	                     swap, 1, &w),
	    BUSY_NONE);
	/* leave wins over a shift, and is never ignored */
	assert_int_equal(busy_check(1, 2400, H(50), H(52), MON, H(168), own, 4,
	                     swap, 1, &w),
	    BUSY_LEAVE);
	assert_int_equal(w, 2);
	/* 3 + 8 hours this week already; 6 more passes 16, not 17 */
	assert_int_equal(busy_check(1, 16 * 60, H(96), H(102), MON, H(168), own,
	                     4, NULL, 0, &w),
	    BUSY_MAX_HOURS);
	assert_int_equal(busy_check(1, 17 * 60, H(96), H(102), MON, H(168), own,
	                     4, NULL, 0, &w),
	    BUSY_NONE);
	/* next week: only its own 8 hours count (8 + 6 <= 14) */
	assert_int_equal(busy_check(1, 14 * 60, H(7 * 24 + 96), H(7 * 24 + 102),
	                     H(168), H(336), own, 4, NULL, 0, &w),
	    BUSY_NONE);
	/* without the swapped shift's 3 hours, 8 + 3 fits in 13 */
	assert_int_equal(busy_check(1, 13 * 60, H(96), H(99), MON, H(168), own,
	                     4, swap, 1, &w),
	    BUSY_NONE);
	assert_int_equal(busy_check(1, 13 * 60, H(96), H(99), MON, H(168), own,
	                     4, NULL, 0, &w),
	    BUSY_MAX_HOURS);
	assert_string_equal(busy_kind_names[BUSY_OVERLAP], "overlap");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_initial),
	    cmocka_unit_test(test_withdraw),
	    cmocka_unit_test(test_decide),
	    cmocka_unit_test(test_force_and_marks),
	    cmocka_unit_test(test_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
