/*
 * CHECK constraints without IN lists on SQLite (issue 15, checks.c):
 * the rewriting of a table's text (which forms change, which stay: two
 * values, expressions, text inside quotes and comments), and on a
 * migrated database that every such CHECK was rewritten, that the
 * statements of the public write paths build no temporary table any
 * more (SQLite's OpenEphemeral — what the rewrite is for), that the
 * constraints still refuse a wrong value and accept NULL and the right
 * ones, and that a second start changes nothing; and that a database
 * made before is rewritten in place, its rows kept.
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

#include "store/stmt.h"
#include "../lib/unit_store.h"

static void
expect_unroll(const char *in, const char *want, int want_changed)
{
	int changed = -1;
	char *out = store_check_unroll(in, &changed);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(changed, want_changed);
	free(out);
}

static void
test_unroll_text(void **state)
{
	(void)state;
	expect_unroll("CREATE TABLE t (s TEXT CHECK (s IN ('a', 'b', 'c')))",
	    "CREATE TABLE t (s TEXT CHECK (s = 'a' OR s = 'b' OR s = 'c'))", 1);
	/* Any case, any spacing; integers and negative ones. */
	expect_unroll("create table t (n int check(n in(0,1, -2 )))",
	    "create table t (n int check (n = 0 OR n = 1 OR n = -2))", 1);
	/* Quotes doubled inside a value, a comma inside one. */
	expect_unroll("CREATE TABLE t (s CHECK (s IN ('it''s', 'a,b', 'c')))",
	    "CREATE TABLE t (s CHECK (s = 'it''s' OR s = 'a,b' OR s = 'c'))",
	    1);
	/* Two CHECKs, one of two values (SQLite compares those in place). */
	expect_unroll("CREATE TABLE t (a CHECK (a IN (0, 1)),\n"
	              "\tb CHECK (b IN ('x', 'y', 'z')))",
	    "CREATE TABLE t (a CHECK (a IN (0, 1)),\n"
	    "\tb CHECK (b = 'x' OR b = 'y' OR b = 'z'))",
	    1);
	/* Left as they are: more than a bare column, an expression in the
	 * list, text in a string, a comment or a quoted name. */
	expect_unroll("CREATE TABLE t (p CHECK (p IS NULL OR p IN (0, 1, 2)))",
	    "CREATE TABLE t (p CHECK (p IS NULL OR p IN (0, 1, 2)))", 0);
	expect_unroll("CREATE TABLE t (s CHECK (s IN ('a', lower('B'), 'c')))",
	    "CREATE TABLE t (s CHECK (s IN ('a', lower('B'), 'c')))", 0);
	expect_unroll(
	    "CREATE TABLE t (s DEFAULT 'CHECK (s IN (1, 2, 3))',\n"
	    "-- CHECK (s IN (1, 2, 3))\n"
	    "/* CHECK (s IN (1, 2, 3)) */ \"CHECK (s IN (1,2,3))\" INT)",
	    "CREATE TABLE t (s DEFAULT 'CHECK (s IN (1, 2, 3))',\n"
	    "-- CHECK (s IN (1, 2, 3))\n"
	    "/* CHECK (s IN (1, 2, 3)) */ \"CHECK (s IN (1,2,3))\" INT)",
	    0);
	/* A word that only ends in CHECK is not the keyword. */
	expect_unroll("CREATE TABLE t (xCHECK (s IN (1, 2, 3)))",
	    "CREATE TABLE t (xCHECK (s IN (1, 2, 3)))", 0);
	/* Cut short: left alone, no read past the end. */
	expect_unroll("CREATE TABLE t (s CHECK (s IN ('a', 'b', 'c'",
	    "CREATE TABLE t (s CHECK (s IN ('a', 'b', 'c'", 0);
	expect_unroll("CREATE TABLE t (s CHECK (s IN ('a', 'b', 'c",
	    "CREATE TABLE t (s CHECK (s IN ('a', 'b', 'c", 0);
}

/* Whether a row of `prefix sql` (EXPLAIN or EXPLAIN QUERY PLAN) on db
 * holds needle in its column col. */
static int
explain_has(sqlite3 *db, const char *prefix, const char *sql, int col,
    const char *needle)
{
	sqlite3_stmt *s = NULL;
	char *q = sqlite3_mprintf("%s %s", prefix, sql);
	int found = 0;

	assert_non_null(q);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		found |= strstr((const char *)sqlite3_column_text(s, col),
		             needle) != NULL;
	sqlite3_finalize(s);
	sqlite3_free(q);
	return found;
}

/* Whether the statement text sql compiles to a program with a temporary
 * table (OpenEphemeral) on db. */
static int
ephemeral(sqlite3 *db, const char *sql)
{
	return explain_has(db, "EXPLAIN", sql, 1, "OpenEphemeral");
}

/* The number of tables whose text store_check_unroll would still
 * change. */
static int
tables_left(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int n = 0, changed;
	char *out;

	assert_int_equal(
	    sqlite3_prepare_v2(db,
	        "SELECT sql FROM sqlite_schema WHERE type = 'table'"
	        " AND sql IS NOT NULL",
	        -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		out = store_check_unroll((const char *)sqlite3_column_text(s,
		                             0),
		    &changed);
		assert_non_null(out);
		n += changed;
		free(out);
	}
	sqlite3_finalize(s);
	return n;
}

static int64_t
schema_version(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &s,
	                     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* SQLITE_OK, or the extended code of sql's failure. */
static int
exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
	    ? SQLITE_OK
	    : sqlite3_extended_errcode(db);
}

static void
test_migrated(void **state)
{
	static const enum stmt hot[] = {STMT_OUTBOX_INSERT, STMT_REG_INSERT,
	    STMT_ANSWER_INSERT};
	struct unit_db d;
	struct store *st;
	sqlite3 *db;
	int64_t v;
	size_t i;
	int n;

	(void)state;
	assert_non_null(st = unit_db_open(&d, "checks", 0, unit_log_quiet));
	db = st->db;
	assert_int_equal(tables_left(db), 0);
	for (i = 0; i < sizeof(hot) / sizeof(hot[0]); i++) {
		struct dbstmt *s = store_stmt(st, hot[i]);

		assert_non_null(s);
		assert_false(ephemeral(db, sqlite3_sql(s->lite)));
	}
	/* The constraints still hold: a wrong status and channel are
	 * refused, the right ones and NULL (where the column allows it)
	 * pass. */
	assert_int_equal(exec_rc(db,
	                     "INSERT INTO holidays (date, kind, name,"
	                     " created_at) VALUES ('2031-01-01',"
	                     " 'feast', 'x', 0)"),
	    SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(db,
	                     "INSERT INTO holidays (date, kind, name,"
	                     " created_at) VALUES ('2031-01-01',"
	                     " 'holiday', 'x', 0)"),
	    SQLITE_OK);
	assert_int_equal(
	    exec_rc(db,
	        "INSERT INTO outbox (dedup_key, kind, recipient,"
	        " subject, body, message_id, due_at, next_attempt_at,"
	        " created_at, status) VALUES ('k1', 'reminder', 'a@b',"
	        " 's', '', 'm1', 0, 0, 0, 'lost')"),
	    SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(
	    exec_rc(db,
	        "INSERT INTO outbox (dedup_key, kind, recipient,"
	        " subject, body, message_id, due_at, next_attempt_at,"
	        " created_at, channel) VALUES ('k2', 'reminder', 'a@b',"
	        " 's', '', 'm2', 0, 0, 0, 'fax')"),
	    SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(
	    exec_rc(db,
	        "INSERT INTO outbox (dedup_key, kind, recipient,"
	        " subject, body, message_id, due_at, next_attempt_at,"
	        " created_at, status, channel) VALUES ('k3',"
	        " 'reminder', 'a@b', 's', '', 'm3', 0, 0, 0, 'skipped',"
	        " 'sms')"),
	    SQLITE_OK);
	assert_int_equal(exec_rc(db,
	                     "UPDATE outbox SET status = 'gone'"
	                     " WHERE dedup_key = 'k3'"),
	    SQLITE_CONSTRAINT_CHECK);
	/* Migration 021: the SMS count still reads its index alone, which
	 * holds the SMS rows only (not the e-mail row above). */
	{
		struct dbstmt *s = store_stmt(st, STMT_SMS_SENT_SINCE);

		assert_non_null(s);
		assert_true(explain_has(db, "EXPLAIN QUERY PLAN",
		    sqlite3_sql(s->lite), 3,
		    "COVERING INDEX outbox_recipient"));
		assert_int_equal(exec_rc(db,
		                     "INSERT INTO outbox (dedup_key, kind,"
		                     " recipient, subject, body, message_id,"
		                     " due_at, next_attempt_at, created_at)"
		                     " VALUES ('k4', 'reminder', 'a@b', 's',"
		                     " '', 'm4', 0, 0, 0)"),
		    SQLITE_OK);
		assert_int_equal(unit_db_count(st,
		                     "SELECT count(*) FROM outbox"
		                     " INDEXED BY outbox_recipient"
		                     " WHERE channel = 'sms'"),
		    1);
	}
	/* A second start finds nothing to do and leaves the schema's
	 * version alone. */
	v = schema_version(db);
	assert_int_equal(store_checks_unroll(db, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(schema_version(db), v);
	unit_db_close(&d);
}

/* A database from before (IN lists in its tables) is rewritten at the
 * next start, its rows kept, and read so when opened again. */
static void
test_old_database(void **state)
{
	sqlite3 *db = NULL, *other = NULL;
	int n;
	int64_t v;
	char path[] = "/tmp/hearth-checks-old-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    exec_rc(db,
	        "CREATE TABLE a (s TEXT CHECK (s IN ('x', 'y', 'z')));"
	        "CREATE TABLE b (n INT CHECK (n IN (1, 2, 3)),"
	        " m INT CHECK (m IN (0, 1)));"
	        "INSERT INTO a VALUES ('y'); INSERT INTO b VALUES (3, 1)"),
	    SQLITE_OK);
	assert_true(ephemeral(db, "INSERT INTO a VALUES ('x')"));
	v = schema_version(db);
	assert_int_equal(store_checks_unroll(db, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(schema_version(db), v + 1);
	assert_int_equal(tables_left(db), 0);
	assert_false(ephemeral(db, "INSERT INTO a VALUES ('x')"));
	assert_int_equal(exec_rc(db, "INSERT INTO a VALUES ('w')"),
	    SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(db, "INSERT INTO b VALUES (4, 0)"),
	    SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(exec_rc(db, "INSERT INTO b VALUES (NULL, 1)"),
	    SQLITE_OK);
	assert_int_equal(exec_rc(db, "PRAGMA integrity_check"), SQLITE_OK);
	/* The next start only reads: it is done while another connection
	 * holds the write lock (a write transaction would be refused). */
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(exec_rc(other, "BEGIN IMMEDIATE"), SQLITE_OK);
	assert_int_equal(exec_rc(db, "BEGIN IMMEDIATE"), SQLITE_BUSY);
	assert_int_equal(store_checks_unroll(db, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(exec_rc(other, "ROLLBACK"), SQLITE_OK);
	sqlite3_close(other);
	sqlite3_close(db);
	/* Opened again: the rows and the new text are what SQLite reads. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_false(ephemeral(db, "INSERT INTO a VALUES ('x')"));
	assert_int_equal(exec_rc(db, "INSERT INTO a VALUES ('z')"), SQLITE_OK);
	sqlite3_close(db);
	unlink(path);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unroll_text),
	    cmocka_unit_test(test_migrated),
	    cmocka_unit_test(test_old_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
