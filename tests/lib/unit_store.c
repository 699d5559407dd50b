/*
 * The unit tests' fresh database (unit_store.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/stmt.h"
#include "unit_store.h"

const char *
unit_pg_uri(void)
{
	const char *uri = getenv("HEARTH_TEST_PG");

	return uri != NULL && *uri != '\0' ? uri : NULL;
}

struct store *
unit_db_fresh(struct unit_db *d, const char *name, log_fn log)
{
	const char *uri = unit_pg_uri();

	memset(d, 0, sizeof(*d));
	if (uri != NULL && !unit_pg_empty(uri))
		return NULL;
	return unit_db_open_at(d, name, 0, log, uri);
}

void
unit_log_quiet(enum log_level l, const char *fmt, ...)
{
	(void)l;
	(void)fmt;
}

struct store *
unit_db_open(struct unit_db *d, const char *name, int synchronous_full,
    log_fn log)
{
	return unit_db_open_at(d, name, synchronous_full, log, NULL);
}

struct store *
unit_db_open_at(struct unit_db *d, const char *name, int synchronous_full,
    log_fn log, const char *db)
{
	struct store *st;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/hearth-%s-XXXXXX", name);
	if (mkdtemp(d->dir) == NULL)
		return NULL;
	snprintf(d->path, sizeof(d->path), "%s/hearth.db", d->dir);
	d->cfg.path = db != NULL ? db : d->path;
	d->cfg.synchronous_full = synchronous_full;
	d->cfg.log = log;
	if (store_migrate(&d->cfg) != store_schema_version() ||
	    !store_setup(&d->cfg) || (st = store_thread()) == NULL) {
		unit_db_close(d);
		return NULL;
	}
	return st;
}

void
unit_db_close(struct unit_db *d)
{
	char p[160];

	store_shutdown();
	unlink(d->path);
	snprintf(p, sizeof(p), "%s-wal", d->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", d->path);
	unlink(p);
	rmdir(d->dir);
}

int
unit_pg_empty(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	int ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(c));
		PQfinish(c);
		return 0;
	}
	r = PQexec(c,
	    "SET client_min_messages = warning;"
	    " DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok;
}

/* --- either engine (issue 17, pgbatch) ---------------------------------- */

int64_t
unit_db_count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	PGresult *r;
	int64_t n = -1;

	if (st->kind == DB_PG) {
		r = PQexec(st->pg, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
		    !PQgetisnull(r, 0, 0))
			n = atoll(PQgetvalue(r, 0, 0));
		else if (PQresultStatus(r) == PGRES_TUPLES_OK)
			n = 0; /* max() of nothing, as IFNULL(…, 0) */
		PQclear(r);
		return n;
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int
unit_db_run(struct store *st, const char *sql, char *msg, size_t sz)
{
	PGresult *r;
	ExecStatusType t;
	int rc = 0, ext;

	if (msg != NULL && sz > 0)
		msg[0] = '\0';
	if (st->kind == DB_PG) {
		/* In a transaction: a savepoint, so a refusal spoils only
		 * this statement, as in SQLite. */
		int sp = PQtransactionStatus(st->pg) == PQTRANS_INTRANS;

		if (sp)
			PQclear(PQexec(st->pg, "SAVEPOINT unit_run"));
		r = PQexec(st->pg, sql);
		t = PQresultStatus(r);
		if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			rc = (int)db_pg_class(PQresultErrorField(r,
			    PG_DIAG_SQLSTATE));
			if (msg != NULL)
				snprintf(msg, sz, "%s",
				    PQresultErrorField(r,
				        PG_DIAG_MESSAGE_PRIMARY));
		}
		PQclear(r);
		if (sp)
			PQclear(PQexec(st->pg,
			    rc ? "ROLLBACK TO SAVEPOINT unit_run; RELEASE "
			         "SAVEPOINT unit_run"
			       : "RELEASE SAVEPOINT unit_run"));
		return rc;
	}
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (msg != NULL)
		snprintf(msg, sz, "%s", sqlite3_errmsg(st->db));
	/* As the driver tells them (driver.c). */
	ext = sqlite3_extended_errcode(st->db);
	if (ext == SQLITE_CONSTRAINT_TRIGGER)
		return strstr(sqlite3_errmsg(st->db), "roster generation")
		    ? DBE_GENERATING
		    : DBE_IMPORTING;
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return DBE_FOREIGN;
	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return DBE_UNIQUE;
	return DBE_OTHER;
}

int
unit_db_exec(struct store *st, const char *sql, char *msg, size_t sz)
{
	int rc;

	if (store_begin(st) <= 0)
		return -1;
	if ((rc = unit_db_run(st, sql, msg, sz)) != 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st) > 0 ? 0 : -1;
}

void
unit_fork_stop(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (pthread_create(&t, NULL, fn, arg) != 0)
			_exit(5);
		pthread_join(t, NULL);
		_exit(6); /* fn returned: it never stopped */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int64_t
unit_pg_scalar(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int64_t v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atoll(PQgetvalue(r, 0, 0));
	else
		fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(c));
	PQclear(r);
	return v;
}

int
unit_pg_cut(struct store *st, PGconn *other)
{
	int64_t pid = unit_db_count(st, "SELECT pg_backend_pid()");
	char sql[96];
	int i;

	if (pid <= 0)
		return 0;
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)::int",
	    (long long)pid);
	if (unit_pg_scalar(other, sql) != 1)
		return 0;
	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM pg_stat_activity WHERE pid = %lld",
	    (long long)pid);
	for (i = 0; i < 200 && unit_pg_scalar(other, sql) != 0; i++)
		usleep(20000);
	return unit_pg_scalar(other, sql) == 0;
}

PGconn *
unit_pg_other(void)
{
	PGconn *c;

	if (unit_pg_uri() == NULL)
		skip();
	assert_non_null(c = PQconnectdb(unit_pg_uri()));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

int
unit_pg_cut_and_take(struct store *st, PGconn *other, int classid, int64_t key)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_lock(%d, %lld)::int",
	    classid, (long long)key);
	return unit_pg_cut(st, other) && unit_pg_scalar(other, sql) == 1;
}

int
unit_outbox_put(struct store *st, const char *key, const char *body, time_t due,
    int64_t *id)
{
	struct outbox_msg m;
	char mid[64];
	int rc;

	memset(&m, 0, sizeof(m));
	snprintf(mid, sizeof(mid), "<%s@hearth.test>", key);
	m.dedup_key = (char *)key;
	m.kind = (char *)"reminder";
	m.recipient = (char *)"a@example.org";
	m.subject = (char *)"提醒";
	m.body = (char *)body;
	m.message_id = mid;
	m.due_at = due;
	rc = store_outbox_put(st, &m, due);
	if (id != NULL)
		*id = m.id;
	return rc;
}

int64_t
unit_db_station(struct store *st, const char *code, const char *name)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO stations (code, name, kind, address, timezone,"
	    " active, created_at, updated_at) VALUES ('%s', '%s', 'street',"
	    " '', 'Asia/Shanghai', 1, 0, 0)",
	    code, name);
	if (unit_db_exec(st, sql, NULL, 0) != 0)
		return -1;
	return unit_db_count(st, "SELECT max(id) FROM stations");
}
