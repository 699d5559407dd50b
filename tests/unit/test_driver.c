/*
 * The PostgreSQL driver's failover rules (issue 16 item 4): which
 * errors mean the connection is gone (a read-only server too), what may
 * run again on the new connection, and the transaction words. With
 * HEARTH_TEST_PG set (tests/pg/driver.test.mjs) also on a real server:
 * a transaction whose connection is cut never commits its rest on the
 * new connection, and a read outside a transaction carries on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "store/stmt.h"
#include "../lib/unit_store.h"

static const char *pg_uri; /* HEARTH_TEST_PG */

static void
test_class(void **state)
{
	(void)state;
	assert_int_equal(db_pg_class(NULL), DBE_LOST);
	/* connection failure, admin shutdown, crash shutdown, starting */
	assert_int_equal(db_pg_class("08006"), DBE_LOST);
	assert_int_equal(db_pg_class("57P01"), DBE_LOST);
	assert_int_equal(db_pg_class("57P02"), DBE_LOST);
	assert_int_equal(db_pg_class("57P03"), DBE_LOST);
	/* a write on a standby, or on a demoted primary */
	assert_int_equal(db_pg_class("25006"), DBE_LOST);
	/* not a lost connection */
	assert_int_equal(db_pg_class("25001"), DBE_OTHER);
	assert_int_equal(db_pg_class("40001"), DBE_SERIAL);
	assert_int_equal(db_pg_class("23505"), DBE_UNIQUE);
	assert_int_equal(db_pg_class("57014"), DBE_BUSY);
}

static void
test_may_retry(void **state)
{
	(void)state;
	/* a read outside a transaction */
	assert_true(db_pg_may_retry(DBE_LOST, 1, 0));
	/* a write might have committed before the loss */
	assert_false(db_pg_may_retry(DBE_LOST, 1, 1));
	/* in a transaction its earlier work is gone */
	assert_false(db_pg_may_retry(DBE_LOST, 0, 0));
	/* other failures are the caller's */
	assert_false(db_pg_may_retry(DBE_SERIAL, 1, 0));
	assert_false(db_pg_may_retry(DBE_OTHER, 1, 0));
}

static void
test_command(void **state)
{
	(void)state;
	assert_true(db_pg_is_command("BEGIN", "BEGIN"));
	assert_true(db_pg_is_command("BEGIN; SELECT pg_advisory_xact_lock(16)",
	    "BEGIN"));
	assert_true(db_pg_is_command("begin", "BEGIN"));
	assert_true(db_pg_is_command("COMMIT", "COMMIT"));
	assert_true(db_pg_is_command("ROLLBACK", "ROLLBACK"));
	assert_false(db_pg_is_command("ROLLBACK TO SAVEPOINT hearth_w",
	    "ROLLBACK"));
	assert_false(db_pg_is_command("BEGINNING", "BEGIN"));
	assert_false(db_pg_is_command("SELECT 1", "BEGIN"));
}

/* ---- on a real server (HEARTH_TEST_PG) ------------------------------- */

static void
quiet(enum log_level l, const char *fmt, ...)
{
	(void)l;
	(void)fmt;
}

/* Ends the backend of st's connection from a second connection, as a
 * failover or a restart would. */
static void
cut(struct store *st)
{
	PGconn *c = unit_pg_other();
	char sql[96];
	PGresult *r;

	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)",
	    PQbackendPID(st->pg));
	r = PQexec(c, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
}

static struct station
mkstation(const char *code)
{
	struct station s;

	memset(&s, 0, sizeof(s));
	s.code = (char *)code;
	s.name = (char *)code;
	s.kind = (char *)"street";
	s.address = (char *)"";
	s.timezone = (char *)"Asia/Shanghai";
	s.active = 1;
	s.created_at = s.updated_at = 1772413200;
	return s;
}

/* The store of a test on a real server: the test skipped without
 * HEARTH_TEST_PG; with fresh, on a database made afresh (its schema
 * migrated anew). */
static struct store *
pg_open(struct unit_db *db, int fresh)
{
	struct store *st;

	if (pg_uri == NULL)
		skip();
	if (fresh)
		assert_true(unit_pg_empty(pg_uri));
	assert_non_null(st = unit_db_open_at(db, "driver", 0, quiet, pg_uri));
	return st;
}

static void
test_cut_transaction(void **state)
{
	struct unit_db db;
	struct store *st;
	struct station a = mkstation("CUT1"), b = mkstation("CUT2"),
	               c = mkstation("CUT3"), got;

	(void)state;
	/* A database of the test's own: the schema is made afresh. */
	st = pg_open(&db, 1);

	/* A write, then the connection is cut inside the transaction. */
	assert_int_equal(store_begin(st), 1);
	assert_int_equal(store_station_insert(st, &a), 1);
	cut(st);
	/* The next write meets the dead connection: unavailable (503). */
	assert_true(store_station_insert(st, &b) < 0);
	assert_int_equal(store_last_failure(st), STORE_FAILURE_UNAVAILABLE);
	/* The driver reconnected, but the rest of the transaction must not
	 * run by itself there, nor commit. */
	assert_true(store_station_insert(st, &c) < 0);
	assert_true(store_commit(st) <= 0);
	assert_false(st->in_tx);

	/* Outside a transaction a read goes on (on the new connection). */
	store_clear_failure(st);
	assert_int_equal(store_station_get_by_code(st, "CUT3", &got), 0);
	assert_int_equal(store_station_get_by_code(st, "CUT1", &got), 0);
	/* Cut again while idle: the read runs once more by itself. */
	cut(st);
	assert_int_equal(store_station_get_by_code(st, "CUT2", &got), 0);
	assert_int_equal(store_last_failure(st), STORE_FAILURE_NONE);

	/* Cut while idle, then a transaction: BEGIN reconnects, and it
	 * commits. */
	cut(st);
	assert_int_equal(store_begin(st), 1);
	c.code = c.name = (char *)"CUT4";
	assert_int_equal(store_station_insert(st, &c), 1);
	assert_int_equal(store_commit(st), 1);
	assert_int_equal(store_station_get_by_code(st, "CUT4", &got), 1);
	station_free(&got);
	unit_db_close(&db);
}

/* Sets sql on a connection of its own; the connection, to be finished. */
static PGconn *
other_session(const char *sql)
{
	PGconn *k = unit_pg_other();
	PGresult *r;

	r = PQexec(k, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	return k;
}

/* The writer lock of BEGIN not granted in time: the BEGIN fails busy
 * and leaves no aborted transaction behind, so the next BEGIN works. */
static void
test_begin_lock_fails(void **state)
{
	struct unit_db db;
	struct store *st;
	PGconn *k;
	PGresult *r;

	(void)state;
	st = pg_open(&db, 0);
	r = PQexec(st->pg, "SET lock_timeout = '50ms'");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	/* Another session holds the writer lock (16, db.c's STMT_BEGIN). */
	k = other_session("SELECT pg_advisory_lock(16)");
	assert_true(store_begin(st) <= 0);
	assert_int_equal(store_last_failure(st), STORE_FAILURE_BUSY);
	assert_false(st->in_tx);
	assert_false(db_in_tx(st));
	PQfinish(k);
	assert_int_equal(store_begin(st), 1);
	assert_int_equal(store_commit(st), 1);
	unit_db_close(&db);
}

/* Issue 15 (pgwrite): a write in a transaction is one round trip with
 * its savepoint, and with its id once its caller has read one (the
 * statement learns it); a failed write still undoes only itself, and
 * the transaction goes on. */
static void
test_write_round_trips(void **state)
{
	struct unit_db db;
	struct store *st;
	struct station a = mkstation("RT1"), b = mkstation("RT2"),
	               dup = mkstation("RT2"), c = mkstation("RT3"), got;
	uint64_t n;

	(void)state;
	st = pg_open(&db, 1);
	assert_int_equal(store_begin(st), 1);
	/* The first: prepared, and its id read by a query of its own. */
	assert_int_equal(store_station_insert(st, &a), 1);
	n = st->pg_trips;
	assert_int_equal(store_station_insert(st, &b), 1);
	assert_int_equal(st->pg_trips - n, 1);
	/* A uniqueness clash: 0 (a 409 for the caller), in the round trip
	 * and the one of its ROLLBACK TO SAVEPOINT. */
	n = st->pg_trips;
	assert_int_equal(store_station_insert(st, &dup), 0);
	assert_int_equal(st->pg_trips - n, 2);
	assert_false(db_in_tx(st) == 0);
	/* The transaction goes on, without the failed row. */
	assert_int_equal(store_station_insert(st, &c), 1);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM stations"
	                     " WHERE code LIKE 'RT%'"),
	    3);
	assert_int_equal(store_commit(st), 1);
	/* Each id is its row's. */
	assert_int_equal(store_station_get_by_code(st, "RT1", &got), 1);
	assert_int_equal(got.id, a.id);
	station_free(&got);
	assert_int_equal(store_station_get_by_code(st, "RT2", &got), 1);
	assert_int_equal(got.id, b.id);
	station_free(&got);
	assert_int_equal(store_station_get_by_code(st, "RT3", &got), 1);
	assert_int_equal(got.id, c.id);
	station_free(&got);
	assert_true(a.id < b.id && b.id < c.id);
	/* The id fetched with a write is gone with the next statement:
	 * db_last_id then asks (the same lastval()). */
	assert_int_equal(store_begin(st), 1);
	c.code = c.name = (char *)"RT4";
	assert_int_equal(store_station_insert(st, &c), 1);
	assert_true(st->has_lastval);
	assert_int_equal(store_station_get_by_code(st, "RT1", &got), 1);
	station_free(&got);
	assert_false(st->has_lastval);
	assert_int_equal(db_last_id(st), c.id);
	store_rollback(st);
	assert_int_equal(store_station_get_by_code(st, "RT4", &got), 0);
	unit_db_close(&db);
}

/* lastval() in a write's pipeline on a connection where no sequence
 * was used yet fails: the write is undone with it and runs again
 * alone, once, and the transaction goes on. */
static void
test_write_lastval_undefined(void **state)
{
	struct unit_db db;
	struct store *st;
	struct dbstmt *s;
	char *v = NULL;

	(void)state;
	st = pg_open(&db, 1);
	assert_int_equal(store_begin(st), 1);
	/* settings has no sequence; its statement is taken as one whose
	 * id is read. */
	assert_non_null(s = store_stmt(st, STMT_SETTING_SET));
	assert_true(db_prepare(s));
	s->wants_id = 1;
	db_bind_text(s, 1, "pgwrite");
	db_bind_text(s, 2, "one");
	assert_int_equal(db_step(s), DB_DONE);
	db_reset(s);
	assert_false(s->wants_id);
	assert_false(st->has_lastval);
	assert_int_equal(store_setting_get(st, "pgwrite", &v), 1);
	assert_string_equal(v, "one");
	free(v);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM settings"
	                     " WHERE key = 'pgwrite'"),
	    1);
	assert_int_equal(store_commit(st), 1);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM settings"
	                     " WHERE key = 'pgwrite'"),
	    1);
	unit_db_close(&db);
}

/* The flush position of the server's WAL, from a connection of its own. */
static int64_t
flushed(void)
{
	PGconn *k = unit_pg_other();
	PGresult *r;
	int64_t n;

	r = PQexec(k, "SELECT pg_current_wal_flush_lsn() - '0/0'");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	n = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(k);
	return n;
}

/* Another writer of the process, waiting for the write lock. */
static void *
next_writer(void *arg)
{
	(void)arg;
	store_write_lock();
	store_write_unlock();
	return NULL;
}

/* Issue 15 (pgwrite): a writer's transaction commits without waiting
 * for its flush under the writer lock when another writer waits for
 * it; store_commit returns once the flush has taken the commit along.
 * With nobody waiting (tidy7) the COMMIT flushes itself, in its own
 * round trip. Either way, the session's synchronous_commit again after
 * the transaction. */
static void
test_commit_durable(void **state)
{
	struct unit_db db;
	struct store *st;
	struct station a = mkstation("FL0");
	char code[16];
	int64_t written;
	uint64_t n;
	PGresult *r;
	pthread_t t;
	int i, waiting, tries;

	(void)state;
	st = pg_open(&db, 1);
	/* As on a production server (the tests' cluster runs without). */
	r = PQexec(st->pg, "SET synchronous_commit = on");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	for (i = 1; i <= 4; i++) {
		waiting = i % 2 == 0;
		assert_int_equal(store_begin(st), 1);
		assert_int_equal(unit_db_count(st,
		                     "SELECT (current_setting("
		                     "'synchronous_commit') = 'off')::int"),
		    1);
		snprintf(code, sizeof(code), "FL%d", i);
		a.code = a.name = code;
		assert_int_equal(store_station_insert(st, &a), 1);
		/* The end of the WAL with the insert in it. */
		written = unit_db_count(st,
		    "SELECT pg_current_wal_insert_lsn() - '0/0'");
		assert_true(written > 0);
		if (waiting) {
			assert_int_equal(pthread_create(&t, NULL, next_writer,
			                     NULL),
			    0);
			for (tries = 0;
			     tries < 5000 && store_write_waiters() < 1; tries++)
				usleep(1000);
			assert_int_equal(store_write_waiters(), 1);
		}
		n = st->pg_trips;
		assert_int_equal(store_commit(st), 1);
		/* COMMIT, and the flush; or the COMMIT that flushed. */
		assert_int_equal(st->pg_trips - n, waiting ? 2 : 1);
		/* Past the insert: its commit record with it. */
		assert_true(flushed() > written);
		if (waiting)
			assert_int_equal(pthread_join(t, NULL), 0);
	}
	assert_int_equal(unit_db_count(st,
	                     "SELECT (current_setting('synchronous_commit')"
	                     " = 'on')::int"),
	    1);
	unit_db_close(&db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_class),
	    cmocka_unit_test(test_may_retry),
	    cmocka_unit_test(test_command),
	    cmocka_unit_test(test_cut_transaction),
	    cmocka_unit_test(test_begin_lock_fails),
	    cmocka_unit_test(test_write_round_trips),
	    cmocka_unit_test(test_write_lastval_undefined),
	    cmocka_unit_test(test_commit_durable),
	};

	pg_uri = getenv("HEARTH_TEST_PG");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
