/*
 * The driver boundary of the store: the few operations every store
 * function needs (a prepared statement by id, bind, step, read a column,
 * rows changed, the id of the last insert) over two backends, SQLite
 * (the embedded default) and PostgreSQL (libpq). Private to svc/store/.
 *
 * A statement is prepared on first use on each connection and kept.
 * SQLite runs the table's SQL as written; PostgreSQL runs it translated
 * (?N to $N, IFNULL to COALESCE, LIKE to ILIKE, temp. to pg_temp.) or,
 * where the dialects differ more, the statement's entry of the
 * PostgreSQL table (db.c).
 */
#ifndef HEARTH_STORE_DRIVER_H
#define HEARTH_STORE_DRIVER_H

#include <stdint.h>

#include <libpq-fe.h>
#include <sqlite3.h>

/* Step results; the values SQLite uses, so its codes pass through. */
#define DB_ROW SQLITE_ROW
#define DB_DONE SQLITE_DONE
#define DB_NOMEM SQLITE_NOMEM
#define DB_ERROR SQLITE_ERROR

enum db_kind {
	DB_SQLITE,
	DB_PG
};

/* What went wrong, in the words the callers act on. */
enum db_err {
	DBE_NONE,
	DBE_UNIQUE,    /* unique or primary key violation: 409 */
	DBE_FOREIGN,   /* foreign key: still in use */
	DBE_CHECK,     /* check or not-null constraint */
	DBE_SERIAL,    /* serialization failure or deadlock: retry */
	DBE_BUSY,      /* locked or busy past the timeout */
	DBE_LOST,      /* the connection is gone */
	DBE_IMPORTING, /* a row of an import still being published (014) */
	/* a shift of a roster being generated (015) */
	DBE_GENERATING,
	DBE_OTHER,
};

struct store;

struct dbstmt {
	struct store *st;
	int id;             /* enum stmt */
	sqlite3_stmt *lite; /* DB_SQLITE */
	/* DB_PG: parameters as text with their types, the result. */
	int nparams;
	char **vals;
	Oid *types;     /* bound now (0: NULL) */
	Oid *prepared;  /* the types the server statement was prepared with */
	int generation; /* the connection's generation it was prepared on */
	int version;    /* of its server-side name */
	char name[32];
	PGresult *res;
	int row, nrows;
	/* PostgreSQL: its caller reads the id of the row it inserted
	 * (db_last_id), fetched with it (issue 15, pgwrite). */
	int wants_id;
};

int db_bind_int64(struct dbstmt *, int idx, int64_t v);
int db_bind_int(struct dbstmt *, int idx, int v);
int db_bind_double(struct dbstmt *, int idx, double v);
int db_bind_null(struct dbstmt *, int idx);
/* Text, copied. */
int db_bind_text(struct dbstmt *, int idx, const char *v);
/* DB_ROW, DB_DONE, or another code (the failure is kept on the store:
 * store_fail logs it, store_last_failure classifies it). */
int db_step(struct dbstmt *);
/* Prepares without running (a check: PostgreSQL prepares on the first
 * step otherwise); 1 done, 0 failed (kept on the store). */
int db_prepare(struct dbstmt *);
/* The statement's SQL as its backend runs it. */
const char *db_stmt_sql(const struct dbstmt *);
/* Ready to run again with the same bindings; drops the rows. */
int db_reset(struct dbstmt *);
void db_clear_bindings(struct dbstmt *);
int64_t db_column_int64(struct dbstmt *, int col);
int db_column_int(struct dbstmt *, int col);
double db_column_double(struct dbstmt *, int col);
/* NULL for a NULL column; valid until the next step or reset. */
const unsigned char *db_column_text(struct dbstmt *, int col);
int db_column_null(struct dbstmt *, int col);
void db_stmt_free(struct dbstmt *);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(struct store *);
/* The id of the last row inserted on this connection. */
int64_t db_last_id(struct store *);
/* Whether a transaction is open on the connection. */
int db_in_tx(struct store *);

/* PostgreSQL: whether path names a PostgreSQL database (a libpq URI). */
int db_is_pg(const char *path);
/* The largest parameter number a statement may use. */
#define DB_MAXPARAMS 64
/* SQL of the statement table translated for PostgreSQL (malloc'd), with
 * its number of parameters and which of them it names (refs[i] for ?i+1). */
char *db_pg_translate(const char *sql, int *nparams, unsigned char *refs,
    int maxrefs);
/* Translates the statement table (sql, with own[i] where PostgreSQL
 * has its own text) once; 1 done, 0 failure. */
int db_pg_setup(const char *const *sql, const char *const *own, int n);
/* A statement as PostgreSQL runs it, and its number of parameters. */
const char *db_sql(int id);
int db_pg_nparams(int id);
/* PostgreSQL: runs a command outside the statement table (transaction
 * control, SAVEPOINT, lastval); 1 done (*out: its rows when wanted),
 * 0 failed (kept for store_fail). */
int db_pg_command(struct store *, const char *sql, PGresult **out);
/* The error class of an SQLSTATE. */
enum db_err db_pg_class(const char *sqlstate);
/* Whether a statement that failed with cls may run once more on the
 * new connection: a lost connection, no transaction open before it
 * (was_idle), and the statement does not write. */
int db_pg_may_retry(enum db_err cls, int was_idle, int writes);
/* Whether sql is the transaction command w: "BEGIN" (also "BEGIN; …"),
 * "COMMIT", "ROLLBACK" (not "ROLLBACK TO SAVEPOINT …"). */
int db_pg_is_command(const char *sql, const char *w);

/* PostgreSQL (issue 17, pgbatch): the bulk writes (st->bulk) sent so far
 * are answered; 1 all done (or SQLite: nothing to do), 0 the first
 * failure (kept for store_fail). */
int db_pg_flush(struct store *);

/* PostgreSQL (issue 15, pgwrite): every commit of the connection so far
 * is on the disk (and on a synchronous standby), as synchronous_commit
 * of the session has it; 1 done (or SQLite: nothing to do), 0 failed
 * (kept for store_fail). */
int db_pg_durable(struct store *);
/* PostgreSQL (tidy7): COMMIT of a writer's transaction (STMT_BEGIN) that
 * returns once the commit is durable, as db_pg_durable would make it,
 * in the COMMIT's own round trip; 1 committed, 0 failed (kept for
 * store_fail). */
int db_pg_commit_flushed(struct store *);

#endif
