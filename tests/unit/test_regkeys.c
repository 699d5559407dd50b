/*
 * Registrations' duplicate check by index (issue 15, regidx; migration
 * 019): a database made at migration 018 with old-style registrations
 * (no keys) is migrated, the start fills their keys in C, and
 * store_registration_find finds their duplicates by the indexes; the
 * fill runs once (idempotent), new rows get their keys at insert, and
 * the lookup's plan uses the indexes (no walk over the event).
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
#include <libpq-fe.h>
#include <sqlite3.h>

#include "embed.h"
#include "store/stmt.h"
#include "../lib/unit_store.h"

/* 018's registrations: two events, the rows of the first each a case. */
static const char old_rows[] =
    "INSERT INTO events (kind, title, start_at, end_at, planned_start_at,"
    " public, created_at, updated_at) VALUES"
    " ('lecture', 'a', 4000000000, 4000003600, 4000000000, 1, 1, 1);"
    "INSERT INTO events (kind, title, start_at, end_at, planned_start_at,"
    " public, created_at, updated_at) VALUES"
    " ('lecture', 'b', 4000000000, 4000003600, 4000000000, 1, 1, 1);"
    "INSERT INTO registrations (event_id, token, name, email, phone, status,"
    " purged_at, created_at, updated_at) VALUES"
    " ((SELECT min(id) FROM events), 'tok1', 'A', ' Li@Example.com ', NULL,"
    "  'registered', NULL, 1, 1),"
    " ((SELECT min(id) FROM events), 'tok2', 'B', NULL, '+86 138-0013-8000',"
    "  'waitlisted', NULL, 2, 2),"
    " ((SELECT min(id) FROM events), 'tok3', 'C', 'gone@x.cn', NULL,"
    "  'cancelled', NULL, 3, 3),"
    " ((SELECT min(id) FROM events), 'tok4', NULL, NULL, NULL,"
    "  'registered', 5, 4, 4),"
    " ((SELECT min(id) FROM events), 'tok5', 'E', 'e@x.cn',"
    "  '0755-8888 1234', 'registered', NULL, 5, 5),"
    " ((SELECT min(id) FROM events), 'tok6', 'F', ' ', '-',"
    "  'registered', NULL, 6, 6),"
    " ((SELECT max(id) FROM events), 'tok7', 'G', 'other@x.cn', NULL,"
    "  'registered', NULL, 7, 7);"
    /* More than one batch of the fill (1,000 rows) on the second. */
    "WITH d(x) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
    " INSERT INTO registrations (event_id, token, name, email, status,"
    " created_at, updated_at) SELECT (SELECT max(id) FROM events),"
    " 'bulk' || n, 'b', ' BULK' || n || '@X.cn', 'registered', 9, 9"
    " FROM (SELECT a.x * 1000 + b.x * 100 + c.x * 10 + e.x AS n"
    " FROM d a, d b, d c, d e) AS t WHERE n < 2500";

static void
quiet(enum log_level l, const char *fmt, ...)
{
	(void)l;
	(void)fmt;
}

static int
number(const char *name)
{
	const char *b = strrchr(name, '/');

	return atoi(b != NULL ? b + 1 : name);
}

/* Applies the migrations 001–018 to the SQLite file path and adds the
 * old rows, as a binary of migration 018 left them. */
static void
sqlite_at_018(const char *path)
{
	sqlite3 *db;
	char *sql, *err = NULL;
	int n;
	size_t i;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL,
	                     NULL),
	    SQLITE_OK);
	for (n = 1; n <= 18; n++)
		for (i = 0; i < embed_schema_n; i++) {
			if (number(embed_schema[i].name) != n)
				continue;
			sql = strndup((const char *)embed_schema[i].data,
			    embed_schema[i].size);
			assert_non_null(sql);
			if (sqlite3_exec(db, sql, NULL, NULL, &err) !=
			    SQLITE_OK)
				fail_msg("%s: %s", embed_schema[i].name, err);
			free(sql);
		}
	if (sqlite3_exec(db, "PRAGMA user_version = 18", NULL, NULL, &err) !=
	        SQLITE_OK ||
	    sqlite3_exec(db, old_rows, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
	sqlite3_close(db);
}

static void
pg_exec(PGconn *c, const char *sql, const char *what)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", what, PQresultErrorMessage(r));
	PQclear(r);
}

/* The same on PostgreSQL: schema/pg/ up to 018, its version recorded as
 * pg_migrate records it. */
static void
pg_at_018(const char *uri)
{
	PGconn *c;
	char *sql;
	int n;
	size_t i;

	assert_true(unit_pg_empty(uri));
	c = PQconnectdb(uri);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	pg_exec(c,
	    "SET client_min_messages = warning; BEGIN;"
	    " CREATE TABLE hearth_schema (version integer NOT NULL)",
	    "begin");
	for (n = 1; n <= 18; n++)
		for (i = 0; i < embed_schema_pg_n; i++) {
			if (number(embed_schema_pg[i].name) != n)
				continue;
			sql = strndup((const char *)embed_schema_pg[i].data,
			    embed_schema_pg[i].size);
			assert_non_null(sql);
			pg_exec(c, sql, embed_schema_pg[i].name);
			free(sql);
		}
	pg_exec(c, "INSERT INTO hearth_schema VALUES (18)", "version");
	pg_exec(c, old_rows, "old rows");
	pg_exec(c, "COMMIT", "commit");
	PQfinish(c);
}

static int64_t
reg_id(struct store *st, const char *token)
{
	char q[96];

	snprintf(q, sizeof(q),
	    "SELECT id FROM registrations WHERE token = '%s'", token);
	return unit_db_count(st, q);
}

/* store_registration_find's answer: the id found (0 none), its status. */
static int64_t
find(struct store *st, int64_t event, const char *email, const char *phone,
    enum registration_status *status)
{
	int64_t id = 0;
	int rc = store_registration_find(st, event, email, phone, &id, status);

	assert_true(rc >= 0);
	return rc > 0 ? id : 0;
}

static void
test_from_018(void **state)
{
	const char *pg = getenv("HEARTH_TEST_PG");
	struct unit_db d;
	struct store *st;
	struct store_config cfg;
	struct registration g;
	enum registration_status status;
	int64_t ev, ev2;

	(void)state;
	memset(&d, 0, sizeof(d));
	snprintf(d.dir, sizeof(d.dir), "/tmp/hearth-regkeys-XXXXXX");
	assert_non_null(mkdtemp(d.dir));
	snprintf(d.path, sizeof(d.path), "%s/hearth.db", d.dir);
	d.cfg.path = pg != NULL ? pg : d.path;
	d.cfg.log = quiet;
	if (pg != NULL)
		pg_at_018(pg);
	else
		sqlite_at_018(d.path);

	/* The start of a binary of 019 (main.c's prepare_store): migrate,
	 * set up, fill the keys. */
	cfg = d.cfg;
	assert_int_equal(store_migrate(&cfg), store_schema_version());
	assert_true(store_schema_version() >= 19);
	assert_true(store_setup(&cfg));
	st = store_thread();
	assert_non_null(st);
	assert_int_equal(store_registration_keys_fill(st), 7 + 2500);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"
	                     " WHERE email_key IS NULL OR phone_key IS NULL"),
	    0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"
	                     " WHERE token = 'tok1' AND email_key ="
	                     " 'li@example.com' AND phone_key = ''"),
	    1);
	/* The purged row and the blank one: no keys, '' both. */
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"
	                     " WHERE token IN ('tok4', 'tok6')"
	                     " AND email_key = '' AND phone_key = ''"),
	    2);
	ev = unit_db_count(st, "SELECT min(id) FROM events");
	ev2 = unit_db_count(st, "SELECT max(id) FROM events");
	assert_true(ev > 0 && ev2 > ev);

	/* The old rows' duplicates, found by the keys. */
	assert_int_equal(find(st, ev, "li@EXAMPLE.com", NULL, &status),
	    reg_id(st, "tok1"));
	assert_int_equal(status, REGISTRATION_REGISTERED);
	assert_int_equal(find(st, ev, "x@y.cn", "13800138000", &status),
	    reg_id(st, "tok2"));
	assert_int_equal(status, REGISTRATION_WAITLISTED);
	assert_int_equal(find(st, ev, NULL, "075588881234", &status),
	    reg_id(st, "tok5"));
	assert_int_equal(find(st, ev, "E@x.cn", NULL, &status),
	    reg_id(st, "tok5"));
	/* Both keys of two rows: the first row. */
	assert_int_equal(find(st, ev, "e@x.cn", "+86 13800138000", &status),
	    reg_id(st, "tok2"));
	/* A cancelled registration, blanks, another event: none. */
	assert_int_equal(find(st, ev, "gone@x.cn", NULL, &status), 0);
	assert_int_equal(find(st, ev, " ", "-", &status), 0);
	assert_int_equal(find(st, ev, NULL, NULL, &status), 0);
	assert_int_equal(find(st, ev, "", "", &status), 0);
	assert_int_equal(find(st, ev2, "li@example.com", NULL, &status), 0);
	assert_int_equal(find(st, ev2, "OTHER@x.cn ", NULL, &status),
	    reg_id(st, "tok7"));
	/* The first, the last and the rows about the batches' edges. */
	assert_int_equal(find(st, ev2, "bulk0@x.cn", NULL, &status),
	    reg_id(st, "bulk0"));
	assert_int_equal(find(st, ev2, "bulk992@x.cn", NULL, &status),
	    reg_id(st, "bulk992"));
	assert_int_equal(find(st, ev2, "bulk993@x.cn", NULL, &status),
	    reg_id(st, "bulk993"));
	assert_int_equal(find(st, ev2, "bulk1993@x.cn", NULL, &status),
	    reg_id(st, "bulk1993"));
	assert_int_equal(find(st, ev2, "bulk2499@x.cn", NULL, &status),
	    reg_id(st, "bulk2499"));
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"
	                     " WHERE email_key LIKE 'bulk%@x.cn'"),
	    2500);

	/* Once only: a second fill finds nothing to do. */
	assert_int_equal(store_registration_keys_fill(st), 0);

	/* A new row gets its keys at insert. */
	memset(&g, 0, sizeof(g));
	g.event_id = ev2;
	g.token = "tok8";
	g.name = "H";
	g.email = "\tNew@X.cn";
	g.phone = "+86 139 0013 9000";
	g.status = REGISTRATION_REGISTERED;
	g.created_at = g.updated_at = 8;
	assert_true(store_begin(st) > 0);
	assert_int_equal(store_registration_insert(st, &g, NULL), 1);
	assert_true(store_commit(st) > 0);
	assert_int_equal(find(st, ev2, "new@x.cn", NULL, &status), g.id);
	assert_int_equal(find(st, ev2, NULL, "13900139000", &status), g.id);
	assert_int_equal(find(st, ev, "new@x.cn", "13900139000", &status), 0);
	assert_int_equal(unit_db_count(st,
	                     "SELECT count(*) FROM registrations"
	                     " WHERE email_key IS NULL OR phone_key IS NULL"),
	    0);

	/* The purge blanks the keys with the address and the number. */
	{
		int64_t regs = 0, atts = 0;

		assert_true(store_begin(st) > 0);
		assert_true(
		    unit_db_run(st,
		        "UPDATE events SET start_at = 100, end_at = 200", NULL,
		        0) == 0);
		assert_true(store_purge_personal(st, 1000, 1000, &regs, &atts) >
		    0);
		assert_true(store_commit(st) > 0);
		assert_true(regs >= 7 + 2500);
		assert_int_equal(
		    unit_db_count(st,
		        "SELECT count(*) FROM registrations"
		        " WHERE email_key != '' OR phone_key != ''"),
		    0);
	}
	unit_db_close(&d);
}

/* The lookup's plan on SQLite: the two indexes, no scan of the table. */
static void
test_plan_sqlite(void **state)
{
	struct unit_db d;
	struct store *st;
	struct dbstmt *ds;
	sqlite3_stmt *s;
	char plan[1024] = "", q[512];
	size_t len = 0;

	(void)state;
	if (getenv("HEARTH_TEST_PG") != NULL)
		skip();
	st = unit_db_open(&d, "regplan", 0, quiet);
	assert_non_null(st);
	/* The statement store_registration_find runs, as prepared. */
	ds = store_stmt(st, STMT_REG_PEOPLE);
	assert_non_null(ds);
	snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sqlite3_sql(ds->lite));
	assert_int_equal(sqlite3_prepare_v2(st->db, q, -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW && len + 2 < sizeof(plan))
		len += (size_t)snprintf(plan + len, sizeof(plan) - len, "%s\n",
		    (const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	print_message("%s", plan);
	assert_non_null(strstr(plan, "registrations_email_key"));
	assert_non_null(strstr(plan, "registrations_phone_key"));
	assert_null(strstr(plan, "SCAN registrations"));
	unit_db_close(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_from_018),
	    cmocka_unit_test(test_plan_sqlite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
