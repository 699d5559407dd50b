/*
 * A registration's capacity check without counting the event (issue 15,
 * regcount; migration 020): the counts per (event, status) that 020's
 * triggers keep are compared with a real count(*) after every kind of
 * change to registrations (insert in each status, cancel, a status set
 * to what it was, waitlist promotion, a move to another event, the
 * purge, a rolled-back insert, a delete and the event's deletion), and
 * store_registration_count answers them; hearth copy fills them on the
 * destination by its triggers, not twice; a database with registrations
 * from before 020 gets its counts from the migration; and with a trigger
 * dropped the comparison fails (the check can fail).
 *
 * HEARTH_TEST_PG: on that PostgreSQL database (emptied first), else a
 * fresh SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "embed.h"
#include "store/stmt.h"
#include "../lib/unit_store.h"

/* The (event, status) pairs whose kept count differs from count(*),
 * either way round (a kept row wrong, or a pair with no right row). */
static const char mismatches
    [] = "SELECT (SELECT count(*) FROM registration_counts c WHERE c.n <>"
         " (SELECT count(*) FROM registrations r WHERE r.event_id = c.event_id"
         " AND r.status = c.status))"
         " + (SELECT count(*) FROM (SELECT event_id, status, count(*) AS k"
         " FROM registrations GROUP BY event_id, status) g WHERE NOT EXISTS"
         " (SELECT 1 FROM registration_counts c WHERE c.event_id = g.event_id"
         " AND c.status = g.status AND c.n = g.k))";

static int64_t ev1, ev2;

static int64_t
real_count(struct store *st, int64_t ev, const char *status)
{
	char q[160];

	snprintf(q, sizeof(q),
	    "SELECT count(*) FROM registrations WHERE event_id = %lld"
	    " AND status = '%s'",
	    (long long)ev, status);
	return unit_db_count(st, q);
}

/* The kept counts equal count(*), and store_registration_count answers
 * them for both events in every status. */
static void
check(struct store *st, const char *step)
{
	static const struct {
		enum registration_status s;
		const char *name;
	} sts[] = {
	    {REGISTRATION_REGISTERED, "registered"},
	    {REGISTRATION_WAITLISTED, "waitlisted"},
	    {REGISTRATION_CANCELLED, "cancelled"},
	};
	int64_t evs[2] = {ev1, ev2}, n;
	size_t i, j;

	if (unit_db_count(st, mismatches) != 0)
		fail_msg("%s: the kept counts differ from count(*)", step);
	for (i = 0; i < 2; i++)
		for (j = 0; j < sizeof(sts) / sizeof(sts[0]); j++) {
			n = -1;
			assert_true(store_registration_count(st, evs[i],
			                sts[j].s, &n) > 0);
			if (n != real_count(st, evs[i], sts[j].name))
				fail_msg("%s: event %lld %s: kept %lld, "
				         "count(*) %lld",
				    step, (long long)evs[i], sts[j].name,
				    (long long)n,
				    (long long)real_count(st, evs[i],
				        sts[j].name));
		}
}

static int64_t
add(struct store *st, int64_t ev, const char *tok, enum registration_status s)
{
	struct registration g;

	memset(&g, 0, sizeof(g));
	g.event_id = ev;
	g.token = (char *)tok;
	g.name = "N";
	g.email = (char *)tok;
	g.status = s;
	g.created_at = g.updated_at = 10;
	assert_int_equal(store_registration_insert(st, &g, NULL), 1);
	return g.id;
}

static void
set(struct store *st, int64_t id, enum registration_status s)
{
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_registration_set_status(st, id, s, 20), 1);
	assert_true(store_commit(st) > 0);
}

static void
run(struct store *st, const char *sql)
{
	char msg[256] = "";

	if (unit_db_exec(st, sql, msg, sizeof(msg)) != 0)
		fail_msg("%s: %s", sql, msg);
}

/* 020 of st's engine, as store_migrate runs it. */
static void
run_020(struct store *st)
{
	const struct embedded_file *f = st->kind == DB_PG ? embed_schema_pg
	                                                  : embed_schema;
	size_t n = st->kind == DB_PG ? embed_schema_pg_n : embed_schema_n, i;
	char *sql;

	for (i = 0; i < n; i++)
		if (strstr(f[i].name, "020_registration_counts.sql") != NULL)
			break;
	assert_true(i < n);
	sql = strndup((const char *)f[i].data, f[i].size);
	assert_non_null(sql);
	run(st, sql);
	free(sql);
}

static const char two_events
    [] = "INSERT INTO events (kind, title, start_at, end_at, planned_start_at,"
         " public, created_at, updated_at) VALUES"
         " ('lecture', 'a', 4000000000, 4000003600, 4000000000, 1, 1, 1);"
         "INSERT INTO events (kind, title, start_at, end_at, planned_start_at,"
         " public, created_at, updated_at) VALUES"
         " ('lecture', 'b', 4000000000, 4000003600, 4000000000, 1, 1, 1)";

/* The destination of hearth copy (a SQLite file): its kept counts equal
 * its count(*) and the source's. */
static void
check_copy(struct store *st, const struct store_config *from, const char *dir)
{
	struct store_config to = *from;
	char path[192], *err = NULL;
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t kept = -1, bad = -1, want;

	snprintf(path, sizeof(path), "%s/copy.db", dir);
	to.path = path;
	assert_true(store_copy(from, &to, NULL, NULL) > 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, mismatches, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	bad = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT sum(n) FROM registration_counts", -1, &s,
	                     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	kept = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	(void)err;
	sqlite3_close(db);
	want = unit_db_count(st, "SELECT count(*) FROM registrations");
	assert_int_equal(bad, 0);
	assert_int_equal(kept, want);
	unlink(path);
}

static void
test_kept(void **state)
{
	struct unit_db d;
	struct store *st;
	struct registration w;
	int64_t r[12], regs = 0, atts = 0;
	int i;
	char tok[16];

	(void)state;
	st = unit_db_fresh(&d, "regcount", unit_log_quiet);
	assert_non_null(st);
	run(st, two_events);
	ev1 = unit_db_count(st, "SELECT min(id) FROM events");
	ev2 = unit_db_count(st, "SELECT max(id) FROM events");
	assert_true(ev1 > 0 && ev2 > ev1);
	check(st, "empty");

	/* Registrations in every status, on both events. */
	assert_true(store_begin(st) > 0);
	for (i = 0; i < 12; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		r[i] = add(st, i < 9 ? ev1 : ev2, tok,
		    i < 5       ? REGISTRATION_REGISTERED
		        : i < 8 ? REGISTRATION_WAITLISTED
		                : REGISTRATION_CANCELLED);
	}
	assert_true(store_commit(st) > 0);
	check(st, "insert");
	{
		int64_t n = 0;

		assert_true(store_registration_count(st, ev1,
		                REGISTRATION_REGISTERED, &n) > 0);
		assert_int_equal(n, 5);
		assert_true(store_registration_count(st, ev1,
		                REGISTRATION_WAITLISTED, &n) > 0);
		assert_int_equal(n, 3);
	}

	/* Cancel two; set a status to what it was. */
	set(st, r[0], REGISTRATION_CANCELLED);
	set(st, r[1], REGISTRATION_CANCELLED);
	check(st, "cancel");
	set(st, r[2], REGISTRATION_REGISTERED);
	set(st, r[1], REGISTRATION_CANCELLED);
	check(st, "same status");

	/* The waitlist promoted (svc_registration_promote's store calls). */
	assert_true(store_begin(st) > 0);
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_registration_first_waitlisted(st, ev1, &w), 1);
	assert_int_equal(w.id, r[5]);
	assert_int_equal(store_registration_set_status(st, w.id,
	                     REGISTRATION_REGISTERED, 30),
	    1);
	registration_free(&w);
	assert_true(store_commit(st) > 0);
	check(st, "promote");

	/* A registration moved to the other event, status and all. */
	{
		char q[128];

		snprintf(q, sizeof(q),
		    "UPDATE registrations SET event_id = %lld, status ="
		    " 'waitlisted' WHERE id = %lld",
		    (long long)ev2, (long long)r[3]);
		run(st, q);
		check(st, "move");
	}

	/* A rolled-back insert and cancel leave the counts as they were. */
	assert_true(store_begin(st) > 0);
	add(st, ev1, "rolled", REGISTRATION_REGISTERED);
	assert_int_equal(store_registration_set_status(st, r[4],
	                     REGISTRATION_CANCELLED, 40),
	    1);
	store_rollback(st);
	check(st, "rollback");

	/* The purge blanks the people, keeps the statuses. */
	run(st, "UPDATE events SET start_at = 100, end_at = 200");
	assert_true(store_begin(st) > 0);
	assert_true(store_purge_personal(st, 1000, 1000, &regs, &atts) > 0);
	assert_true(store_commit(st) > 0);
	assert_int_equal(regs, 12);
	check(st, "purge");

	/* A database of 019 with these rows: 020 fills the counts from
	 * them (its INSERT … SELECT), and its triggers keep them on. */
	run(st,
	    st->kind == DB_PG
	        ? "DROP FUNCTION registration_counts_keep() CASCADE;"
	          " DROP FUNCTION registration_counts_add(BIGINT, TEXT, BIGINT);"
	          " DROP TABLE registration_counts"
	        : "DROP TRIGGER IF EXISTS registration_counts_insert;"
	          " DROP TRIGGER IF EXISTS registration_counts_update;"
	          " DROP TRIGGER IF EXISTS registration_counts_delete;"
	          " DROP TABLE registration_counts");
	run_020(st);
	check(st, "migration");

	/* hearth copy: the triggers of the destination count once. */
	check_copy(st, &d.cfg, d.dir);

	/* One deleted; then the second event with all its registrations
	 * (the event alone is refused: registrations hold it). */
	{
		char q[160], msg[256] = "";

		snprintf(q, sizeof(q),
		    "DELETE FROM registrations WHERE id = %lld",
		    (long long)r[6]);
		run(st, q);
		check(st, "delete");
		snprintf(q, sizeof(q), "DELETE FROM events WHERE id = %lld",
		    (long long)ev2);
		assert_int_not_equal(unit_db_exec(st, q, msg, sizeof(msg)), 0);
		check(st, "event delete refused");
		snprintf(q, sizeof(q),
		    "DELETE FROM registrations WHERE event_id = %lld;"
		    " DELETE FROM events WHERE id = %lld",
		    (long long)ev2, (long long)ev2);
		run(st, q);
		check(st, "event delete");
		assert_int_equal(real_count(st, ev2, "registered") +
		        real_count(st, ev2, "waitlisted") +
		        real_count(st, ev2, "cancelled"),
		    0);
	}

	/* Without the update trigger a cancel goes uncounted: the check
	 * fails (it can). */
	run(st,
	    st->kind == DB_PG ? "DROP TRIGGER registration_counts_update"
	                        " ON registrations"
	                      : "DROP TRIGGER registration_counts_update");
	set(st, r[7], REGISTRATION_CANCELLED);
	assert_true(unit_db_count(st, mismatches) > 0);
	unit_db_close(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
