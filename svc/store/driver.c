/*
 * The two backends of driver.h: SQLite passes straight through; the
 * PostgreSQL side keeps the parameters as text with their types,
 * prepares each statement once per connection (again when a parameter's
 * type changes, or after a reconnect) and walks the result's rows.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stmt.h"

/* Type OIDs of pg_type (stable across releases). */
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

static enum db_err
lite_class(int ext)
{
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DBE_UNIQUE;
	case SQLITE_CONSTRAINT_TRIGGER: /* the only RAISE: 014's */
		return DBE_IMPORTING;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DBE_FOREIGN;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return DBE_CHECK;
	default:
		break;
	}
	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DBE_BUSY;
	default:
		return DBE_OTHER;
	}
}

enum db_err
db_pg_class(const char *state)
{
	if (state == NULL)
		return DBE_LOST;
	if (strcmp(state, "23505") == 0)
		return DBE_UNIQUE;
	/* The holds of a batched import and generation (018_pg_holds.sql):
	 * the RAISE of 014's and 015's triggers on SQLite. */
	if (strcmp(state, "HI014") == 0)
		return DBE_IMPORTING;
	if (strcmp(state, "HI015") == 0)
		return DBE_GENERATING;
	if (strcmp(state, "23503") == 0)
		return DBE_FOREIGN;
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0)
		return DBE_CHECK;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return DBE_SERIAL;
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return DBE_BUSY;
	/* Class 08: connection exception; 57P01–57P03: shutdown. */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0)
		return DBE_LOST;
	/* A write on a read-only server: a standby, or a primary demoted
	 * after a failover. The connection is dropped like a lost one so
	 * the next connects to whichever host takes writes now. */
	if (strcmp(state, "25006") == 0)
		return DBE_LOST;
	return DBE_OTHER;
}

int
db_pg_may_retry(enum db_err cls, int was_idle, int writes)
{
	/* Outside a transaction a read (or BEGIN) that met a lost
	 * connection changed nothing: once more on the new connection. A
	 * write might have committed before the loss, and inside a
	 * transaction the work so far is gone: the caller answers 503. */
	return cls == DBE_LOST && was_idle && !writes;
}

int
db_is_pg(const char *path)
{
	return path != NULL &&
	    (strncmp(path, "postgresql://", 13) == 0 ||
	        strncmp(path, "postgres://", 11) == 0);
}

/* ---- PostgreSQL ---------------------------------------------------------- */

/* The statement table as PostgreSQL runs it, made once at setup. */
static struct pg_stmt {
	char *sql;
	int nparams;
	int writes;
	unsigned char refs[DB_MAXPARAMS];
} * pg_table;
static int pg_table_n;

int
db_pg_setup(const char *const *sql, const char *const *own, int n)
{
	const char *p;
	int i;

	if (pg_table != NULL)
		return 1;
	if ((pg_table = calloc((size_t)n, sizeof(*pg_table))) == NULL)
		return 0;
	pg_table_n = n;
	for (i = 0; i < n; i++) {
		if ((pg_table[i].sql = db_pg_translate(own[i] ? own[i] : sql[i],
		         &pg_table[i].nparams, pg_table[i].refs,
		         DB_MAXPARAMS)) == NULL ||
		    pg_table[i].nparams > DB_MAXPARAMS)
			return 0;
		for (p = pg_table[i].sql; *p == ' '; p++)
			;
		/* Writes to a temp table (the import's staging) need no
		 * savepoint: a failure there ends the staging anyway. */
		pg_table[i].writes = (strncasecmp(p, "INSERT", 6) == 0 ||
		                         strncasecmp(p, "UPDATE", 6) == 0 ||
		                         strncasecmp(p, "DELETE", 6) == 0) &&
		    strstr(p, "pg_temp.") == NULL;
	}
	return 1;
}

const char *
db_sql(int id)
{
	return pg_table[id].sql;
}

int
db_pg_nparams(int id)
{
	return pg_table[id].nparams;
}

static int
pg_set(struct dbstmt *s, int idx, char *v, Oid type)
{
	if (idx < 1 || idx > s->nparams) {
		free(v);
		return SQLITE_RANGE;
	}
	free(s->vals[idx - 1]);
	s->vals[idx - 1] = v;
	s->types[idx - 1] = v != NULL ? type : 0;
	return SQLITE_OK;
}

static int pg_printf(struct dbstmt *s, int idx, Oid type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
pg_printf(struct dbstmt *s, int idx, Oid type, const char *fmt, ...)
{
	char buf[64], *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((v = strdup(buf)) == NULL)
		return DB_NOMEM;
	return pg_set(s, idx, v, type);
}

static void
pg_error(struct store *st, const PGresult *res, enum db_err cls)
{
	const char *msg = res ? PQresultErrorMessage(res) : NULL;
	size_t n;

	if (msg == NULL || *msg == '\0')
		msg = st->pg ? PQerrorMessage(st->pg) : "no connection";
	free(st->errmsg);
	st->errmsg = strdup(msg);
	if (st->errmsg != NULL && (n = strlen(st->errmsg)) > 0 &&
	    st->errmsg[n - 1] == '\n')
		st->errmsg[n - 1] = '\0';
	st->step_err = cls;
}

/* A new connection in place of a lost one (or one on a read-only
 * server): libpq tries the URI's hosts in turn again, so with several
 * hosts and target_session_attrs=read-write it lands on the one that
 * takes writes now. The statements are prepared again on it (the
 * generation). 1 connected, 0 not (the next statement tries again). */
static int
pg_reconnect(struct store *st)
{
	PGresult *r;

	if (st->pg == NULL)
		return 0;
	if (st->tx_open) {
		st->tx_open = 0;
		st->tx_lost = 1;
	}
	PQreset(st->pg);
	st->generation++;
	if (PQstatus(st->pg) != CONNECTION_OK)
		return 0;
	/* As open_pg (db.c): notices are not news. */
	st->pg_trips++;
	r = PQexec(st->pg, "SET client_min_messages = warning");
	PQclear(r);
	return 1;
}

/* A failed command: its class, and a reconnect when the connection is
 * gone (the next statement finds a fresh one; the transaction is lost,
 * which the caller learns from this failure). */
static int
pg_failed(struct store *st, PGresult *res)
{
	enum db_err cls = db_pg_class(res
	        ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
	        : NULL);

	if (st->pg == NULL || PQstatus(st->pg) == CONNECTION_BAD)
		cls = DBE_LOST;
	pg_error(st, res, cls);
	PQclear(res);
	if (cls == DBE_LOST)
		pg_reconnect(st);
	return DB_ERROR;
}

int
db_pg_is_command(const char *sql, const char *w)
{
	size_t n = strlen(w);

	return strncasecmp(sql, w, n) == 0 &&
	    (sql[n] == '\0' || sql[n] == ';' ||
	        (sql[n] == ' ' && strncasecmp(sql + n, " TO ", 4) != 0));
}

/* A connection a failed reconnect left broken: once more now; and a
 * transaction lost with its connection fails its statements. 1 usable,
 * 0 not (kept as DBE_LOST). */
static int
pg_usable(struct store *st)
{
	if (st->pg == NULL)
		return 0;
	if (st->tx_lost) {
		free(st->errmsg);
		st->errmsg = strdup("the transaction was lost with its "
		                    "connection");
		st->step_err = DBE_LOST;
		return 0;
	}
	if (PQstatus(st->pg) != CONNECTION_BAD || pg_reconnect(st))
		return 1;
	pg_error(st, NULL, DBE_LOST);
	return 0;
}

/* Bulk writes (st->bulk, issue 17 pgbatch) go out in libpq's pipeline
 * mode: sent one after another without waiting for each answer, which
 * pg_drain then reads all at once. Anything else on the connection
 * drains first. 1 every write done, 0 the first failure (kept; the
 * transaction is spoiled, the caller rolls back). */
static int
pg_drain(struct store *st)
{
	PGresult *res;
	ExecStatusType t;
	int ok = 1;

	if (st->pg == NULL || PQpipelineStatus(st->pg) == PQ_PIPELINE_OFF)
		return 1;
	st->piped = 0;
	st->pg_trips++;
	if (PQpipelineSync(st->pg) != 1) {
		pg_error(st, NULL, DBE_LOST);
		pg_reconnect(st);
		return 0;
	}
	for (;;) {
		if ((res = PQgetResult(st->pg)) == NULL) {
			/* The end of one write's answer, or a connection
			 * gone with the rest. */
			if (PQstatus(st->pg) != CONNECTION_BAD)
				continue;
			pg_error(st, NULL, DBE_LOST);
			pg_reconnect(st);
			return 0;
		}
		t = PQresultStatus(res);
		if (t == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (t == PGRES_FATAL_ERROR && ok) {
			ok = 0;
			pg_failed(st, res); /* clears it */
			if (st->step_err == DBE_LOST)
				return 0;
			continue;
		}
		PQclear(res); /* done, or skipped after the failure */
	}
	PQexitPipelineMode(st->pg);
	return ok;
}

int
db_pg_flush(struct store *st)
{
	return st->kind != DB_PG || pg_drain(st);
}

int
db_pg_durable(struct store *st)
{
	PGresult *res;

	if (st->kind != DB_PG)
		return 1;
	st->has_lastval = 0;
	st->last_write = NULL;
	if (!pg_drain(st) || !pg_usable(st))
		return 0;
	/* A transaction of one WAL record (a logical message: nothing here
	 * decodes it) commits with the session's synchronous_commit: its
	 * flush takes every record before it along, the commits this
	 * connection made with synchronous_commit off included. Flushes of
	 * several connections at once are one (PostgreSQL's group commit).
	 * A statement alone: its own transaction, nothing left open. */
	st->pg_trips++;
	res = PQexec(st->pg,
	    "SELECT pg_logical_emit_message(true, 'hearth', 'flush')");
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return 1;
	}
	pg_failed(st, res);
	return 0;
}

/* A writer's COMMIT that waits for its own flush: synchronous_commit
 * back on for the transaction (STMT_BEGIN set it off) in the same query
 * as the COMMIT, so one round trip. */
static const char
    pg_commit_flushed[] = "SET LOCAL synchronous_commit = on; COMMIT";

/* Whether sql ends the transaction (COMMIT, ROLLBACK). */
static int
pg_ends_tx(const char *sql)
{
	return db_pg_is_command(sql, "COMMIT") ||
	    db_pg_is_command(sql, "ROLLBACK") ||
	    strcmp(sql, pg_commit_flushed) == 0;
}

int
db_pg_commit_flushed(struct store *st)
{
	return db_pg_command(st, pg_commit_flushed, NULL);
}

/* Runs a plain command (SAVEPOINT, lastval): 1 ok, 0 failed (kept). */
int
db_pg_command(struct store *st, const char *sql, PGresult **out)
{
	PGresult *res;
	ExecStatusType t;
	int idle, tries;

	st->has_lastval = 0;
	st->last_write = NULL;
	/* Writes still in the pipeline come first (a COMMIT after a
	 * failed one fails too). */
	if (!pg_drain(st) && !db_pg_is_command(sql, "ROLLBACK"))
		return 0;
	/* The lost transaction ends here: ROLLBACK has nothing to undo,
	 * BEGIN starts afresh. */
	if (st->tx_lost && db_pg_is_command(sql, "ROLLBACK")) {
		st->tx_lost = 0;
		return 1;
	}
	if (db_pg_is_command(sql, "BEGIN"))
		st->tx_lost = 0;
	for (tries = 0;; tries++) {
		if (!pg_usable(st))
			return 0;
		idle = PQtransactionStatus(st->pg) == PQTRANS_IDLE;
		st->pg_trips++;
		res = PQexec(st->pg, sql);
		t = PQresultStatus(res);
		if (pg_ends_tx(sql))
			st->tx_open = 0;
		if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
			if (db_pg_is_command(sql, "BEGIN"))
				st->tx_open = 1;
			if (out != NULL)
				*out = res;
			else
				PQclear(res);
			return 1;
		}
		pg_failed(st, res);
		/* BEGIN on a connection found dead: again on the new one. */
		if (tries > 0 || !db_pg_is_command(sql, "BEGIN") ||
		    !db_pg_may_retry(st->step_err, idle, 0))
			return 0;
	}
}

/* A parameter the server could not type (NULL so far, and "$1 IS NULL"
 * comes first): calls it text and returns its number to try again
 * (pg_prepare makes it a number when text meets a number), 0 none. */
static int
untyped(const PGresult *res, Oid *t, int n)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *d;
	int k;

	if (state == NULL ||
	    (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0))
		return 0;
	if (msg != NULL && (d = strstr(msg, "parameter $")) != NULL &&
	    (k = atoi(d + 11)) >= 1 && k <= n && t[k - 1] == 0) {
		t[k - 1] = OID_TEXT;
		return k;
	}
	for (k = 0; k < n; k++)
		if (t[k] == 0) {
			t[k] = OID_TEXT;
			return k + 1;
		}
	return 0;
}

/* The parameter the error points at: "$7" at PG_DIAG_STATEMENT_POSITION
 * (counted in characters from 1) or the last one shortly before it (the
 * WHEN of "CASE $17 WHEN 1", the operator of "$7 > $2"); 0 none. */
static int
param_at(const char *sql, const PGresult *res, int n)
{
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	const unsigned char *p = (const unsigned char *)sql, *q;
	long c;
	int k;

	if (pos == NULL || (c = atol(pos)) < 1)
		return 0;
	/* To the c-th character (UTF-8). */
	for (; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80 && --c == 0)
			break;
	if (*p == '\0')
		return 0;
	for (q = p; p - q < 16; q--) {
		if (*q == '$' && isdigit(q[1])) {
			k = atoi((const char *)q + 1);
			return k >= 1 && k <= n ? k : 0;
		}
		if (q == (const unsigned char *)sql)
			break;
	}
	return 0;
}

static int
pg_prepare(struct dbstmt *s)
{
	struct store *st = s->st;
	const unsigned char *refs = pg_table[s->id].refs;
	const char *sql = pg_table[s->id].sql;
	Oid *t = s->prepared;
	PGresult *res;
	int i, k, tries, intx, ok, guess = -1;
	const char *state;

	for (i = 0; i < s->nparams; i++) {
		if (s->types[i] != 0)
			t[i] = s->types[i];
		else if (s->generation != st->generation)
			t[i] = 0;
		/* A parameter the SQL never names needs a type. */
		if (!refs[i])
			t[i] = OID_TEXT;
	}
	for (tries = 0; tries <= 2 * s->nparams; tries++) {
		snprintf(s->name, sizeof(s->name), "h%d_%d", s->id,
		    ++s->version);
		/* A failed PREPARE spoils an open transaction: try it
		 * inside a savepoint. */
		intx = PQtransactionStatus(st->pg) == PQTRANS_INTRANS;
		if (intx && !db_pg_command(st, "SAVEPOINT hearth_p", NULL))
			return 0;
		st->pg_trips++;
		res = PQprepare(st->pg, s->name, sql, s->nparams, t);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (intx) {
			st->pg_trips += ok ? 1 : 2;
			PQclear(PQexec(st->pg,
			    ok ? "RELEASE SAVEPOINT hearth_p"
			       : "ROLLBACK TO SAVEPOINT hearth_p"));
			if (!ok)
				PQclear(PQexec(st->pg,
				    "RELEASE SAVEPOINT hearth_p"));
		}
		if (ok) {
			PQclear(res);
			s->generation = st->generation;
			return 1;
		}
		if (tries < 2 * s->nparams &&
		    (k = untyped(res, t, s->nparams)) != 0) {
			PQclear(res);
			guess = k - 1;
			continue;
		}
		/* The guess text met a number (no operator, or a number
		 * column): a number then. */
		if (guess >= 0 && t[guess] == OID_TEXT &&
		    (state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) &&
		    (strcmp(state, "42883") == 0 ||
		        strcmp(state, "42804") == 0)) {
			PQclear(res);
			t[guess] = OID_INT8;
			guess = -1;
			continue;
		}
		/* The server made an untyped parameter text by itself (CASE
		 * $17 WHEN 1, $7 > $2) and it met a number there. */
		if ((state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) &&
		    (strcmp(state, "42883") == 0 ||
		        strcmp(state, "42804") == 0) &&
		    (k = param_at(sql, res, s->nparams)) != 0 &&
		    t[k - 1] == 0) {
			PQclear(res);
			t[k - 1] = OID_INT8;
			continue;
		}
		pg_failed(st, res);
		return 0;
	}
	return 0;
}

/* The rows (or the command's count) of a statement's result, kept on s. */
static void
pg_took(struct dbstmt *s, PGresult *res)
{
	s->res = res;
	s->nrows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	s->row = -1;
	s->st->changes = atoll(PQcmdTuples(res));
}

/* Not a step result (DB_ERROR is 1). */
#define PG_UNSENT (-1)

static const char SP_SET[] = "SAVEPOINT hearth_w";
static const char SP_DONE[] = "RELEASE SAVEPOINT hearth_w";
static const char SP_UNDO[] = "ROLLBACK TO SAVEPOINT hearth_w;"
                              " RELEASE SAVEPOINT hearth_w";

/* Sends one statement of a pipeline: a command (sql) or s prepared. */
static int
pg_send(struct dbstmt *s, const char *sql)
{
	if (sql != NULL)
		return PQsendQueryParams(s->st->pg, sql, 0, NULL, NULL, NULL,
		    NULL, 0);
	return PQsendQueryPrepared(s->st->pg, s->name, s->nparams,
	    (const char *const *)s->vals, NULL, NULL, 0);
}

/* A write inside a transaction, in a savepoint of its own so that its
 * failure undoes only itself as SQLite's does (callers go on after a
 * uniqueness clash), in one round trip (issue 15, pgwrite): SAVEPOINT,
 * the statement, lastval() when its caller reads the id (s->wants_id),
 * RELEASE, sent together in libpq's pipeline mode and answered at one
 * sync. A failure aborts the rest of the pipeline: the transaction is
 * then in its failed state until the ROLLBACK TO SAVEPOINT that undoes
 * the statement (one more round trip, as before). DB_DONE with s's
 * result, DB_ERROR (kept), or PG_UNSENT: run it step by step. */
static int
pg_exec_guarded(struct dbstmt *s)
{
	struct store *st = s->st;
	PGconn *c = st->pg;
	const char *q[4];
	PGresult *r, *res = NULL, *id = NULL, *fail = NULL;
	int n = 0, i, at = -1, failed_at = -1;

	if (PQenterPipelineMode(c) != 1)
		return PG_UNSENT;
	q[n++] = SP_SET;
	at = n;
	q[n++] = NULL; /* s */
	if (s->wants_id)
		q[n++] = "SELECT lastval()";
	q[n++] = SP_DONE;
	for (i = 0; i < n; i++)
		if (pg_send(s, q[i]) != 1)
			break;
	st->pg_trips++;
	if (i < n || PQpipelineSync(c) != 1) {
		pg_error(st, NULL, DBE_LOST);
		pg_reconnect(st);
		return DB_ERROR;
	}
	/* Each statement's results up to its NULL, then the sync's (a
	 * statement after a failure answers PGRES_PIPELINE_ABORTED). */
	for (i = 0;;) {
		ExecStatusType t;

		if ((r = PQgetResult(c)) == NULL) {
			if (PQstatus(c) == CONNECTION_BAD || ++i > n)
				break;
			continue;
		}
		t = PQresultStatus(r);
		if (t == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (t == PGRES_FATAL_ERROR && fail == NULL) {
			fail = r;
			failed_at = i;
		} else if (i == at && res == NULL &&
		    (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK))
			res = r;
		else if (i == at + 1 && s->wants_id && id == NULL &&
		    t == PGRES_TUPLES_OK)
			id = r;
		else
			PQclear(r);
	}
	if (r == NULL) {
		/* The connection went before the sync's answer. */
		PQclear(res);
		PQclear(id);
		if (fail != NULL)
			pg_failed(st, fail);
		else {
			pg_error(st, NULL, DBE_LOST);
			pg_reconnect(st);
		}
		return DB_ERROR;
	}
	PQexitPipelineMode(c);
	if (fail == NULL && res != NULL) {
		pg_took(s, res);
		if (id != NULL && PQntuples(id) == 1) {
			st->lastval = strtoll(PQgetvalue(id, 0, 0), NULL, 10);
			st->has_lastval = 1;
		}
		PQclear(id);
		return DB_DONE;
	}
	PQclear(res);
	PQclear(id);
	if (fail == NULL) {
		/* No answer to the statement, and no error: never so. */
		pg_error(st, NULL, DBE_OTHER);
		return DB_ERROR;
	}
	/* lastval() with no sequence used on the connection yet: undone
	 * with the statement, which runs again without it. */
	if (failed_at == at + 1 && s->wants_id) {
		PQclear(fail);
		st->pg_trips++;
		PQclear(PQexec(c, SP_UNDO));
		if (PQtransactionStatus(c) != PQTRANS_INTRANS) {
			pg_error(st, NULL, DBE_LOST);
			return DB_ERROR;
		}
		s->wants_id = 0;
		return pg_exec_guarded(s);
	}
	pg_failed(st, fail);
	/* The statement failed: undone alone (not the SAVEPOINT or the
	 * RELEASE, nor on a new connection: the savepoint went with the
	 * old one). */
	if (failed_at == at && !st->tx_lost && PQstatus(c) == CONNECTION_OK) {
		st->pg_trips++;
		PQclear(PQexec(c, SP_UNDO));
	}
	return DB_ERROR;
}

static int
pg_exec(struct dbstmt *s)
{
	struct store *st = s->st;
	int i, need, savepoint, idle, rc, retried = 0;
	ExecStatusType t;
	PGresult *res;

	st->has_lastval = 0;
	st->last_write = NULL;
	if (!pg_usable(st))
		return DB_ERROR;
again:
	need = s->generation != st->generation;
	for (i = 0; i < s->nparams && !need; i++)
		if (s->types[i] != 0 && s->types[i] != s->prepared[i])
			need = 1;
	/* A write of a batch that rolls back whole on any failure: into
	 * the pipeline, its answer read by pg_drain. */
	if (st->bulk && !need && pg_table[s->id].writes &&
	    (PQpipelineStatus(st->pg) == PQ_PIPELINE_ON ||
	        (PQtransactionStatus(st->pg) == PQTRANS_INTRANS &&
	            PQenterPipelineMode(st->pg) == 1))) {
		if (PQsendQueryPrepared(st->pg, s->name, s->nparams,
		        (const char *const *)s->vals, NULL, NULL, 0) != 1) {
			pg_error(st, NULL, DBE_LOST);
			pg_drain(st);
			return DB_ERROR;
		}
		st->piped++;
		st->changes = 1;
		s->res = NULL;
		s->nrows = 0;
		s->row = 0; /* db_step: done */
		return DB_DONE;
	}
	if (!pg_drain(st))
		return DB_ERROR;
	idle = PQtransactionStatus(st->pg) == PQTRANS_IDLE;
	if (need && !pg_prepare(s)) {
		/* The connection was found dead by the PREPARE. */
		if (!retried && db_pg_may_retry(st->step_err, idle, 0) &&
		    PQstatus(st->pg) == CONNECTION_OK) {
			retried = 1;
			goto again;
		}
		return DB_ERROR;
	}
	/* In a transaction a failed statement spoils the rest; SQLite's
	 * only undoes the statement. A savepoint around each write keeps
	 * SQLite's meaning (callers go on after a uniqueness clash), but
	 * for the writes of a batch that any failure rolls back whole
	 * (st->bulk: two round trips a row less). */
	savepoint = pg_table[s->id].writes && !st->bulk &&
	    PQtransactionStatus(st->pg) == PQTRANS_INTRANS;
	if (savepoint && (rc = pg_exec_guarded(s)) != PG_UNSENT) {
		if (rc == DB_DONE)
			st->last_write = s;
		return rc;
	}
	if (savepoint && !db_pg_command(st, SP_SET, NULL))
		return DB_ERROR;
	st->pg_trips++;
	res = PQexecPrepared(st->pg, s->name, s->nparams,
	    (const char *const *)s->vals, NULL, NULL, 0);
	t = PQresultStatus(res);
	if (t == PGRES_TUPLES_OK) {
		s->res = res;
		s->nrows = PQntuples(res);
		s->row = -1;
		st->changes = atoll(PQcmdTuples(res));
	} else if (t == PGRES_COMMAND_OK) {
		s->res = res;
		s->nrows = 0;
		s->row = -1;
		st->changes = atoll(PQcmdTuples(res));
	} else {
		pg_failed(st, res);
		/* A read outside a transaction that met a dead connection:
		 * once more on the new one (pg_failed reconnected). */
		if (!retried &&
		    db_pg_may_retry(st->step_err, idle,
		        pg_table[s->id].writes) &&
		    PQstatus(st->pg) == CONNECTION_OK) {
			retried = 1;
			goto again;
		}
		/* Not on a new connection: the savepoint went with the old. */
		if (savepoint && !st->tx_lost &&
		    PQstatus(st->pg) == CONNECTION_OK) {
			st->pg_trips++;
			PQclear(PQexec(st->pg, SP_UNDO));
		}
		return DB_ERROR;
	}
	if (savepoint && !db_pg_command(st, SP_DONE, NULL))
		return DB_ERROR;
	if (pg_table[s->id].writes)
		st->last_write = s;
	return DB_DONE;
}

static const char *
pg_value(struct dbstmt *s, int col)
{
	if (s->res == NULL || s->row < 0 || s->row >= s->nrows ||
	    col >= PQnfields(s->res) || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

/* ---- the boundary ------------------------------------------------------- */

int
db_bind_int64(struct dbstmt *s, int idx, int64_t v)
{
	if (s->lite != NULL)
		return sqlite3_bind_int64(s->lite, idx, v);
	return pg_printf(s, idx, OID_INT8, "%" PRId64, v);
}

int
db_bind_int(struct dbstmt *s, int idx, int v)
{
	return db_bind_int64(s, idx, v);
}

int
db_bind_double(struct dbstmt *s, int idx, double v)
{
	if (s->lite != NULL)
		return sqlite3_bind_double(s->lite, idx, v);
	return pg_printf(s, idx, OID_FLOAT8, "%.17g", v);
}

int
db_bind_null(struct dbstmt *s, int idx)
{
	if (s->lite != NULL)
		return sqlite3_bind_null(s->lite, idx);
	return pg_set(s, idx, NULL, 0);
}

int
db_bind_text(struct dbstmt *s, int idx, const char *v)
{
	char *c;

	if (v == NULL)
		return db_bind_null(s, idx);
	if (s->lite != NULL)
		return sqlite3_bind_text(s->lite, idx, v, -1, SQLITE_TRANSIENT);
	if ((c = strdup(v)) == NULL)
		return DB_NOMEM;
	return pg_set(s, idx, c, OID_TEXT);
}

int
db_step(struct dbstmt *s)
{
	struct store *st = s->st;
	int rc;

	if (s->lite != NULL) {
		rc = sqlite3_step(s->lite);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			st->step_err = lite_class(
			    sqlite3_extended_errcode(st->db));
		/* 015's RAISE, told from 014's by its message. */
		if (rc != SQLITE_ROW && rc != SQLITE_DONE &&
		    st->step_err == DBE_IMPORTING &&
		    strstr(sqlite3_errmsg(st->db), "roster generation") != NULL)
			st->step_err = DBE_GENERATING;
		return rc;
	}
	if (s->res == NULL && (rc = pg_exec(s)) != DB_DONE)
		return rc;
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* Prepares s without running it (PostgreSQL prepares on first use
 * otherwise; SQLite did in store_stmt): 1 done, 0 failed (kept). */
int
db_prepare(struct dbstmt *s)
{
	if (s->lite != NULL)
		return 1;
	if (s->st->pg == NULL)
		return 0;
	return s->generation == s->st->generation || pg_prepare(s);
}

const char *
db_stmt_sql(const struct dbstmt *s)
{
	return s->lite != NULL ? sqlite3_sql(s->lite) : pg_table[s->id].sql;
}

int
db_reset(struct dbstmt *s)
{
	if (s->lite != NULL)
		return sqlite3_reset(s->lite);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	return SQLITE_OK;
}

void
db_clear_bindings(struct dbstmt *s)
{
	int i;

	if (s->lite != NULL) {
		sqlite3_clear_bindings(s->lite);
		return;
	}
	for (i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->types[i] = 0;
	}
}

int64_t
db_column_int64(struct dbstmt *s, int col)
{
	const char *v;

	if (s->lite != NULL)
		return sqlite3_column_int64(s->lite, col);
	if ((v = pg_value(s, col)) == NULL)
		return 0;
	/* Booleans (EXISTS, IS NOT NULL) come as t and f. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	if (strchr(v, '.') != NULL || strchr(v, 'e') != NULL)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

int
db_column_int(struct dbstmt *s, int col)
{
	return (int)db_column_int64(s, col);
}

double
db_column_double(struct dbstmt *s, int col)
{
	const char *v;

	if (s->lite != NULL)
		return sqlite3_column_double(s->lite, col);
	if ((v = pg_value(s, col)) == NULL)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	return strtod(v, NULL);
}

const unsigned char *
db_column_text(struct dbstmt *s, int col)
{
	if (s->lite != NULL)
		return sqlite3_column_text(s->lite, col);
	return (const unsigned char *)pg_value(s, col);
}

int
db_column_null(struct dbstmt *s, int col)
{
	if (s->lite != NULL)
		return sqlite3_column_type(s->lite, col) == SQLITE_NULL;
	return pg_value(s, col) == NULL;
}

void
db_stmt_free(struct dbstmt *s)
{
	if (s == NULL)
		return;
	if (s->st != NULL && s->st->last_write == s)
		s->st->last_write = NULL;
	/* Finalized, the statement is gone: db_reset and
	 * db_clear_bindings must not reach it. */
	if (s->lite != NULL) {
		sqlite3_finalize(s->lite);
		s->lite = NULL;
	}
	db_reset(s);
	db_clear_bindings(s);
	free(s->vals);
	free(s->types);
	free(s->prepared);
	free(s);
}

int64_t
db_changes(struct store *st)
{
	if (st->kind == DB_SQLITE)
		return sqlite3_changes(st->db);
	return st->changes;
}

int64_t
db_last_id(struct store *st)
{
	PGresult *res = NULL;
	int64_t id;

	if (st->kind == DB_SQLITE)
		return sqlite3_last_insert_rowid(st->db);
	/* Fetched with the write (pg_exec_guarded); else its statement
	 * fetches it with its next run. */
	if (st->has_lastval)
		return st->lastval;
	if (st->last_write != NULL)
		st->last_write->wants_id = 1;
	if (!db_pg_command(st, "SELECT lastval()", &res))
		return 0;
	id = PQntuples(res) == 1 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	return id;
}

int
db_in_tx(struct store *st)
{
	if (st->kind == DB_SQLITE)
		return sqlite3_get_autocommit(st->db) == 0;
	/* A transaction lost with its connection is open until its
	 * ROLLBACK (db_pg_command). */
	return st->pg != NULL &&
	    (st->tx_lost || PQtransactionStatus(st->pg) != PQTRANS_IDLE);
}

/* ---- translation -------------------------------------------------------- */

static int
word_at(const char *p, const char *start, const char *w)
{
	size_t n = strlen(w);

	if (strncasecmp(p, w, n) != 0)
		return 0;
	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	return 1;
}

char *
db_pg_translate(const char *sql, int *nparams, unsigned char *refs, int maxrefs)
{
	size_t n = strlen(sql), cap = n * 2 + 64, j = 0;
	const char *p, *q;
	char *out = malloc(cap);
	int max = 0, num, depth = 0, nsub = 0, sub[16], naliases = 0;
	int nfp = 0, fp[4];

	if (out == NULL)
		return NULL;
	memset(refs, 0, (size_t)maxrefs);
	for (p = sql; *p != '\0';) {
		if (j + 32 > cap) {
			char *o;

			cap *= 2;
			if ((o = realloc(out, cap)) == NULL) {
				free(out);
				return NULL;
			}
			out = o;
		}
		if (*p == '\'') {
			/* A literal, copied as it is ('' inside). */
			out[j++] = *p++;
			while (*p != '\0' && j + 4 < cap) {
				if (*p == '\'' && p[1] == '\'') {
					out[j++] = *p++;
					out[j++] = *p++;
				} else if (*p == '\'') {
					out[j++] = *p++;
					break;
				} else
					out[j++] = *p++;
			}
			continue;
		}
		if (*p == '?') {
			p++;
			if (isdigit((unsigned char)*p)) {
				num = 0;
				while (isdigit((unsigned char)*p))
					num = num * 10 + (*p++ - '0');
			} else
				num = max + 1;
			if (num > max)
				max = num;
			if (num <= maxrefs)
				refs[num - 1] = 1;
			j += (size_t)snprintf(out + j, cap - j, "$%d", num);
			continue;
		}
		/* PostgreSQL 15 wants a name on a subquery in FROM. */
		if (word_at(p, sql, "FROM (") && nsub < 16) {
			memcpy(out + j, "FROM (", 6);
			j += 6;
			p += 6;
			sub[nsub++] = ++depth;
			continue;
		}
		/* hearth_fp() is a C function of SQLite's (mark.c); here the
		 * same columns hash as one row's text, where NULL and '' differ
		 * too. The value only has to be stable within one database. */
		if (word_at(p, sql, "hearth_fp(") && nfp < 4) {
			memcpy(out + j, "hashtextextended(ROW(", 21);
			j += 21;
			p += 10;
			fp[nfp++] = ++depth;
			continue;
		}
		if (*p == '(')
			depth++;
		if (*p == ')' && nfp > 0 && fp[nfp - 1] == depth) {
			memcpy(out + j, ")::text, 0)", 11);
			j += 11;
			p++;
			nfp--;
			depth--;
			continue;
		}
		if (*p == ')') {
			out[j++] = *p++;
			if (nsub > 0 && sub[nsub - 1] == depth) {
				nsub--;
				for (q = p; *q == ' '; q++)
					;
				if (*q == '\0' || *q == ')' || *q == ',' ||
				    word_at(q, sql, "WHERE") ||
				    word_at(q, sql, "ORDER") ||
				    word_at(q, sql, "GROUP") ||
				    word_at(q, sql, "LIMIT") ||
				    word_at(q, sql, "JOIN") ||
				    word_at(q, sql, "UNION"))
					j += (size_t)snprintf(out + j, cap - j,
					    " AS hearth_q%d", ++naliases);
			}
			depth--;
			continue;
		}
		/* SQLite's "x IS ?" compares with NULL as a value. */
		if (word_at(p, sql, "IS NOT ?")) {
			memcpy(out + j, "IS DISTINCT FROM ", 17);
			j += 17;
			p += 7;
			continue;
		}
		if (word_at(p, sql, "IS ?")) {
			memcpy(out + j, "IS NOT DISTINCT FROM ", 21);
			j += 21;
			p += 3;
			continue;
		}
		if (word_at(p, sql, "IFNULL(")) {
			memcpy(out + j, "COALESCE(", 9);
			j += 9;
			p += 7;
			depth++;
			continue;
		}
		if (word_at(p, sql, "LIKE ")) {
			memcpy(out + j, "ILIKE ", 6);
			j += 6;
			p += 5;
			continue;
		}
		if (word_at(p, sql, "temp.")) {
			memcpy(out + j, "pg_temp.", 8);
			j += 8;
			p += 5;
			continue;
		}
		out[j++] = *p++;
	}
	out[j] = '\0';
	*nparams = max;
	return out;
}
