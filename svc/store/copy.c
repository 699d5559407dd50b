/*
 * hearth copy: every table of one Hearth database into another, SQLite
 * or PostgreSQL on either side, in one transaction on the destination.
 *
 * The tables and their columns come from the source's catalog (never a
 * hand list), the order from the destination's foreign keys (parents
 * first). The destination is migrated first and must hold only what its
 * migrations seed (row counts equal to a freshly migrated database);
 * the seed rows are replaced by the source's. Afterwards PostgreSQL's id
 * sequences move past the copied ids and the row counts of both sides
 * are compared table by table; any difference or error rolls back.
 *
 * The one place in the store that runs SQL outside the statement table:
 * table and column names come from the catalogs and are quoted as
 * identifiers; every value is still a bound parameter.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stmt.h"

/* Type OIDs of pg_type (stable across releases). */
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

/* The kinds of value a row carries across. */
enum val {
	VAL_NULL,
	VAL_INT,
	VAL_FLOAT,
	VAL_TEXT
};

struct side {
	enum db_kind kind;
	sqlite3 *lite;
	PGconn *pg;
	const char *what; /* "source" or "destination" */
};

struct table {
	char *name;
	char **cols;
	size_t ncols;
	int64_t src, dst; /* row counts */
	int placed;
};

static log_fn logger;

static void say(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (logger != NULL)
		logger(LOG_ERROR, "%s", buf);
}

static const char *
side_error(const struct side *s)
{
	static _Thread_local char msg[256];
	char *nl;

	snprintf(msg, sizeof(msg), "%s",
	    s->kind == DB_PG ? PQerrorMessage(s->pg) : sqlite3_errmsg(s->lite));
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	return msg;
}

static int
side_open(struct side *s, const char *path, int readonly)
{
	PGresult *r;

	s->kind = db_is_pg(path) ? DB_PG : DB_SQLITE;
	if (s->kind == DB_PG) {
		s->pg = PQconnectdb(path);
		if (s->pg == NULL || PQstatus(s->pg) != CONNECTION_OK) {
			say("msg=\"copy: cannot connect to the %s\" err=\"%s\"",
			    s->what, s->pg ? side_error(s) : "out of memory");
			return 0;
		}
		r = PQexec(s->pg, "SET client_min_messages = warning");
		PQclear(r);
		return 1;
	}
	if (sqlite3_open_v2(path, &s->lite,
	        readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
	        NULL) != SQLITE_OK) {
		say("msg=\"copy: cannot open the %s\" path=%s err=\"%s\"",
		    s->what, path,
		    s->lite ? sqlite3_errmsg(s->lite) : "out of memory");
		return 0;
	}
	sqlite3_extended_result_codes(s->lite, 1);
	sqlite3_busy_timeout(s->lite, 5000);
	return 1;
}

static void
side_close(struct side *s)
{
	sqlite3_close(s->lite);
	PQfinish(s->pg);
	s->lite = NULL;
	s->pg = NULL;
}

/* A command without rows; 1 done, 0 failed (logged). */
static int
side_exec(struct side *s, const char *sql)
{
	PGresult *r;
	int ok;

	if (s->kind == DB_SQLITE)
		ok = sqlite3_exec(s->lite, sql, NULL, NULL, NULL) == SQLITE_OK;
	else {
		r = PQexec(s->pg, sql);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
		    PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
	}
	if (!ok)
		say("msg=\"copy: %s failed on the %s\" err=\"%s\"", sql,
		    s->what, side_error(s));
	return ok;
}

/* The rows of a query with at most one text parameter, as a list of
 * malloc'd strings of its first ncol columns (row-major; NULL as "");
 * the number of rows, or -1 (logged). */
static long
side_strings(struct side *s, const char *sql, const char *param, int ncol,
    char ***out)
{
	sqlite3_stmt *q = NULL;
	PGresult *r = NULL;
	char **v = NULL, **nv;
	long n = 0, cap = 0, i;
	int c, rc, bad = 0;

	*out = NULL;
	if (s->kind == DB_PG) {
		r = PQexecParams(s->pg, sql, param ? 1 : 0, NULL, &param, NULL,
		    NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto fail;
		n = PQntuples(r);
		if ((v = calloc((size_t)(n * ncol + 1), sizeof(*v))) == NULL)
			goto fail;
		for (i = 0; i < n; i++)
			for (c = 0; c < ncol; c++)
				if ((v[i * ncol + c] = strdup(PQgetvalue(r,
				         (int)i, c))) == NULL)
					bad = 1;
		PQclear(r);
		if (bad)
			goto oom;
		*out = v;
		return n;
	}
	if (sqlite3_prepare_v2(s->lite, sql, -1, &q, NULL) != SQLITE_OK ||
	    (param &&
	        sqlite3_bind_text(q, 1, param, -1, SQLITE_TRANSIENT) !=
	            SQLITE_OK))
		goto fail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n * ncol + ncol >= cap) {
			cap = cap ? cap * 2 : 64 + ncol;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		for (c = 0; c < ncol; c++) {
			const unsigned char *t = sqlite3_column_text(q, c);

			if ((v[n * ncol + c] = strdup(t ? (const char *)t
			                                : "")) == NULL) {
				while (c-- > 0)
					free(v[n * ncol + c]);
				goto oom;
			}
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(q);
	*out = v;
	return n;
fail:
	say("msg=\"copy: reading the %s's catalog failed\" sql=\"%.80s\" "
	    "err=\"%s\"",
	    s->what, sql, side_error(s));
oom:
	if (v != NULL)
		for (i = 0; i < n * ncol; i++)
			free(v[i]);
	free(v);
	PQclear(r);
	sqlite3_finalize(q);
	return -1;
}

static void
strings_free(char **v, long n)
{
	long i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

/* One number from a query; -1 on failure (logged). */
static int64_t
side_number(struct side *s, const char *sql)
{
	char **v;
	long n = side_strings(s, sql, NULL, 1, &v);
	int64_t x = n == 1 ? strtoll(v[0], NULL, 10) : -1;

	if (n >= 0 && n != 1)
		say("msg=\"copy: no answer from the %s\" sql=\"%.80s\"",
		    s->what, sql);
	strings_free(v, n);
	return x;
}

/* The schema version migrations left: 0 for a database Hearth never
 * migrated, -1 on failure. */
static int
side_version(struct side *s)
{
	if (s->kind == DB_SQLITE)
		return (int)side_number(s, "PRAGMA user_version");
	if (side_number(s,
	        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
	        "n.oid = c.relnamespace WHERE c.relname = 'hearth_schema' "
	        "AND n.nspname = current_schema()") == 0)
		return 0;
	return (int)side_number(s,
	    "SELECT coalesce(max(version), 0) FROM hearth_schema");
}

/* What copy asks of either side's catalogue: the tables of the schema
 * (not the engines' own nor the record of the schema version) by name,
 * a table's columns in their order, the tables a table's foreign keys
 * name. */
enum side_ask {
	SIDE_TABLES,
	SIDE_COLUMNS,
	SIDE_PARENTS
};

/* Each ask as SQLite and as PostgreSQL put it; ?1 / $1 the table. */
static const char *const side_sql[][2] = {
    [SIDE_TABLES] = {"SELECT name FROM sqlite_master WHERE type = 'table' AND "
                     "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
        "n.nspname = current_schema() AND c.relname <> "
        "'hearth_schema' ORDER BY c.relname COLLATE \"C\""},
    [SIDE_COLUMNS] = {"SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        "SELECT column_name::text FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 "
        "ORDER BY ordinal_position"},
    [SIDE_PARENTS] = {"SELECT DISTINCT \"table\" FROM "
                      "pragma_foreign_key_list(?1)",
        "SELECT DISTINCT p.relname::text FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON "
        "p.oid = k.confrelid JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE k.contype = 'f' AND n.nspname = "
        "current_schema() AND c.relname = $1"},
};

/* The answer to ask (of table, or NULL for SIDE_TABLES) as strings. */
static long
side_ask(struct side *s, enum side_ask ask, const char *table, char ***out)
{
	return side_strings(s, side_sql[ask][s->kind != DB_SQLITE], table, 1,
	    out);
}

/* An identifier quoted for either engine ("a""b"); malloc'd. */
static char *
quote_ident(const char *name)
{
	struct strbuf b;

	memset(&b, 0, sizeof(b));
	strbuf_add(&b, "\"", 1);
	for (; *name; name++) {
		if (*name == '"')
			strbuf_add(&b, "\"", 1);
		strbuf_add(&b, name, 1);
	}
	strbuf_add(&b, "\"", 1);
	return strbuf_take(&b, NULL);
}

static int64_t
side_count(struct side *s, const char *table)
{
	char *q = quote_ident(table), sql[512];
	int64_t n = -1;

	if (q != NULL &&
	    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", q) <
	        (int)sizeof(sql))
		n = side_number(s, sql);
	free(q);
	return n;
}

static int
find_table(struct table *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Reorders t so every table comes after the tables its foreign keys
 * (on the destination) name; a cycle, which no Hearth schema has, is
 * left to the engine to refuse. 1 done, 0 failed (logged). */
static int
order_tables(struct side *dst, struct table *t, size_t n)
{
	struct table *out = calloc(n ? n : 1, sizeof(*out));
	char ***parents = calloc(n ? n : 1, sizeof(*parents));
	long *np = calloc(n ? n : 1, sizeof(*np));
	size_t done = 0, i;
	long k;
	int ok = 0, progress, j;

	if (out == NULL || parents == NULL || np == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if ((np[i] = side_ask(dst, SIDE_PARENTS, t[i].name,
		         &parents[i])) < 0)
			goto out;
	while (done < n) {
		progress = 0;
		for (i = 0; i < n; i++) {
			if (t[i].placed)
				continue;
			for (k = 0; k < np[i]; k++) {
				j = find_table(t, n, parents[i][k]);
				if (j >= 0 && (size_t)j != i && !t[j].placed)
					break;
			}
			if (k < np[i])
				continue;
			t[i].placed = 1;
			out[done++] = t[i];
			progress = 1;
		}
		if (!progress)
			for (i = 0; i < n; i++)
				if (!t[i].placed) {
					t[i].placed = 1;
					out[done++] = t[i];
					break;
				}
	}
	memcpy(t, out, n * sizeof(*t));
	ok = 1;
out:
	for (i = 0; parents != NULL && i < n; i++)
		strings_free(parents[i], np[i]);
	free(parents);
	free(np);
	free(out);
	return ok;
}

static void
tables_free(struct table *t, size_t n)
{
	size_t i;

	for (i = 0; t != NULL && i < n; i++) {
		free(t[i].name);
		strings_free(t[i].cols, (long)t[i].ncols);
	}
	free(t);
}

/* The tables the destination's triggers fill as the rows they count
 * arrive (020's registration_counts, issue 15, regcount): left out of
 * the copy, which would count them twice. Drops them from the n names;
 * the number left. */
static long
drop_derived(char **names, long n)
{
	static const char *const derived[] = {"registration_counts"};
	long i, k = 0;
	size_t j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(derived) / sizeof(derived[0]); j++)
			if (strcmp(names[i], derived[j]) == 0)
				break;
		if (j < sizeof(derived) / sizeof(derived[0]))
			free(names[i]);
		else
			names[k++] = names[i];
	}
	return k;
}

/* The tables of the source with their columns, checked against the
 * destination's: the same tables with the same columns. */
static int
read_schema(struct side *src, struct side *dst, struct table **out,
    size_t *nout)
{
	char **names = NULL, **dnames = NULL, **dcols = NULL;
	long n = 0, dn = 0, ndc = 0, i, c, d;
	struct table *t = NULL;
	int ok = 0;

	if ((n = side_ask(src, SIDE_TABLES, NULL, &names)) < 0 ||
	    (dn = side_ask(dst, SIDE_TABLES, NULL, &dnames)) < 0)
		goto out;
	n = drop_derived(names, n);
	dn = drop_derived(dnames, dn);
	if (n != dn) {
		say("msg=\"copy: the source has %ld tables, the destination "
		    "%ld\"",
		    n, dn);
		goto out;
	}
	if ((t = calloc((size_t)n + 1, sizeof(*t))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		long nc;

		t[i].name = names[i];
		names[i] = NULL;
		if ((nc = side_ask(src, SIDE_COLUMNS, t[i].name, &t[i].cols)) <=
		    0)
			goto out;
		t[i].ncols = (size_t)nc;
		if ((ndc = side_ask(dst, SIDE_COLUMNS, t[i].name, &dcols)) < 0)
			goto out;
		if (ndc == 0)
			say("msg=\"copy: the destination has no table %s\"",
			    t[i].name);
		else if (ndc != nc)
			say("msg=\"copy: table %s has %ld columns on the "
			    "source, %ld on the destination\"",
			    t[i].name, nc, ndc);
		for (c = 0; ndc == nc && c < nc; c++) {
			for (d = 0; d < ndc; d++)
				if (strcmp(t[i].cols[c], dcols[d]) == 0)
					break;
			if (d == ndc) {
				say("msg=\"copy: the destination's table %s "
				    "has no column %s\"",
				    t[i].name, t[i].cols[c]);
				break;
			}
		}
		strings_free(dcols, ndc);
		dcols = NULL;
		if (ndc != nc || c < nc)
			goto out;
	}
	*out = t;
	*nout = (size_t)n;
	t = NULL;
	ok = 1;
out:
	tables_free(t, (size_t)(n > 0 ? n : 0));
	strings_free(names, n);
	strings_free(dnames, dn);
	return ok;
}

/* Builds "SELECT a, b FROM t ORDER BY 1", or for the destination
 * "INSERT INTO t (a, b) VALUES (?1, ?2)" (SQLite) or "COPY t (a, b)
 * FROM STDIN" (PostgreSQL); malloc'd. */
static char *
table_sql(const struct table *t, int insert, enum db_kind kind)
{
	struct strbuf b;
	char *q;
	size_t c;

	memset(&b, 0, sizeof(b));
	q = quote_ident(t->name);
	if (insert)
		strbuf_printf(&b,
		    kind == DB_PG ? "COPY %s (" : "INSERT INTO %s (",
		    q ? q : "");
	else
		strbuf_str(&b, "SELECT ");
	free(q);
	for (c = 0; c < t->ncols; c++) {
		q = quote_ident(t->cols[c]);
		strbuf_printf(&b, "%s%s", c ? ", " : "", q ? q : "");
		free(q);
	}
	if (insert && kind == DB_PG)
		strbuf_str(&b, ") FROM STDIN");
	else if (insert) {
		strbuf_str(&b, ") VALUES (");
		for (c = 0; c < t->ncols; c++)
			strbuf_printf(&b, "%s?%zu", c ? ", " : "", c + 1);
		strbuf_str(&b, ")");
	} else {
		q = quote_ident(t->name);
		/* The first column is the key: parents before children
		 * within a table too. */
		strbuf_printf(&b, " FROM %s ORDER BY 1", q ? q : "");
		free(q);
	}
	return strbuf_take(&b, NULL);
}

/* The destination's side of one table: SQLite inserts a row at a
 * time; PostgreSQL takes the rows as COPY FROM STDIN in text format,
 * sent in pieces of COPY_CHUNK bytes (a round trip per row would make a
 * copy of 200,000 rows take many seconds). */
#define COPY_CHUNK 65536

struct writer {
	struct side *s;
	const char *table;
	sqlite3_stmt *lite;
	int copying; /* PostgreSQL: in COPY FROM STDIN */
	int ncols;
	struct strbuf buf;
};

static int
writer_open(struct writer *w, struct side *s, const struct table *t)
{
	char *sql = table_sql(t, 1, s->kind);
	PGresult *r;
	int ok;

	memset(w, 0, sizeof(*w));
	w->s = s;
	w->table = t->name;
	w->ncols = (int)t->ncols;
	if (sql == NULL)
		return 0;
	if (s->kind == DB_SQLITE)
		ok = sqlite3_prepare_v2(s->lite, sql, -1, &w->lite, NULL) ==
		    SQLITE_OK;
	else {
		r = PQexec(s->pg, sql);
		ok = w->copying = PQresultStatus(r) == PGRES_COPY_IN;
		PQclear(r);
	}
	if (!ok)
		say("msg=\"copy: cannot start the insert into %s\" "
		    "err=\"%s\"",
		    t->name, side_error(s));
	free(sql);
	return ok;
}

/* PostgreSQL: sends what is buffered; 1 done, 0 failed (logged). */
static int
writer_flush(struct writer *w)
{
	char *data;
	size_t len;
	int ok;

	if (w->buf.len == 0)
		return !w->buf.failed;
	if ((data = strbuf_take(&w->buf, &len)) == NULL)
		return 0;
	ok = PQputCopyData(w->s->pg, data, (int)len) == 1;
	free(data);
	if (!ok)
		say("msg=\"copy: insert into %s failed\" err=\"%s\"", w->table,
		    side_error(w->s));
	return ok;
}

/* Ends the table: 1 every row is in, 0 failed (logged). abort: an
 * error elsewhere; PostgreSQL's COPY is ended without its rows. */
static int
writer_close(struct writer *w, int abort)
{
	PGresult *r;
	int ok = !abort;
	char *msg, *nl;

	sqlite3_finalize(w->lite);
	w->lite = NULL;
	if (!w->copying) {
		strbuf_free(&w->buf);
		return ok;
	}
	w->copying = 0;
	if (ok)
		ok = writer_flush(w);
	strbuf_free(&w->buf);
	if (PQputCopyEnd(w->s->pg, ok ? NULL : "hearth copy failed") != 1)
		ok = 0;
	while ((r = PQgetResult(w->s->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && ok) {
			msg = strdup(PQresultErrorMessage(r));
			if (msg != NULL && (nl = strchr(msg, '\n')) != NULL)
				*nl = '\0';
			say("msg=\"copy: insert into %s failed\" err=\"%s\"",
			    w->table, msg ? msg : "");
			free(msg);
			ok = 0;
		}
		PQclear(r);
	}
	return ok;
}

/* One value in COPY's text format: backslash escapes, \N for NULL. */
static void
copy_field(struct strbuf *b, const char *v)
{
	const char *p, *run;

	if (v == NULL) {
		strbuf_add(b, "\\N", 2);
		return;
	}
	for (p = run = v; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\"
		    : *p == '\t'             ? "\\t"
		    : *p == '\n'             ? "\\n"
		    : *p == '\r'             ? "\\r"
		                             : NULL;

		if (esc == NULL)
			continue;
		strbuf_add(b, run, (size_t)(p - run));
		strbuf_add(b, esc, 2);
		run = p + 1;
	}
	strbuf_add(b, run, (size_t)(p - run));
}

/* Inserts one row; 1 done, 0 failed (logged). */
static int
writer_put(struct writer *w, const enum val *types, const char *const *vals)
{
	int c, rc = SQLITE_OK;

	if (w->s->kind == DB_PG) {
		for (c = 0; c < w->ncols; c++) {
			if (c > 0)
				strbuf_add(&w->buf, "\t", 1);
			copy_field(&w->buf,
			    types[c] == VAL_NULL ? NULL : vals[c]);
		}
		strbuf_add(&w->buf, "\n", 1);
		return w->buf.len < COPY_CHUNK ? !w->buf.failed
		                               : writer_flush(w);
	}
	sqlite3_reset(w->lite);
	for (c = 0; c < w->ncols && rc == SQLITE_OK; c++)
		switch (types[c]) {
		case VAL_NULL:
			rc = sqlite3_bind_null(w->lite, c + 1);
			break;
		case VAL_INT:
			rc = sqlite3_bind_int64(w->lite, c + 1,
			    strtoll(vals[c], NULL, 10));
			break;
		case VAL_FLOAT:
			rc = sqlite3_bind_double(w->lite, c + 1,
			    strtod(vals[c], NULL));
			break;
		default:
			rc = sqlite3_bind_text(w->lite, c + 1, vals[c], -1,
			    SQLITE_STATIC);
		}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(w->lite);
	if (rc != SQLITE_DONE) {
		say("msg=\"copy: insert into %s failed\" err=\"%s\"", w->table,
		    sqlite3_errmsg(w->s->lite));
		return 0;
	}
	return 1;
}

static enum val
pg_val(Oid type)
{
	switch (type) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return VAL_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return VAL_FLOAT;
	default:
		return VAL_TEXT;
	}
}

/* Copies one table's rows; the number copied, or -1 (logged). */
static int64_t
copy_table(struct side *src, struct side *dst, const struct table *t)
{
	char *sql = table_sql(t, 0, src->kind);
	enum val *types = calloc(t->ncols, sizeof(*types));
	const char **vals = calloc(t->ncols, sizeof(*vals));
	char(*num)[32] = calloc(t->ncols, sizeof(*num));
	struct writer w;
	sqlite3_stmt *q = NULL;
	PGresult *r = NULL;
	int64_t n = -1, rows = 0;
	int c, rc, open = 0;

	if (sql == NULL || types == NULL || vals == NULL || num == NULL ||
	    !writer_open(&w, dst, t))
		goto out;
	open = 1;
	if (src->kind == DB_PG) {
		/* Row by row, not the whole table in memory. */
		if (!PQsendQueryParams(src->pg, sql, 0, NULL, NULL, NULL, NULL,
		        0) ||
		    !PQsetSingleRowMode(src->pg))
			goto fail;
		while ((r = PQgetResult(src->pg)) != NULL) {
			if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
				for (c = 0; c < (int)t->ncols; c++) {
					int null = PQgetisnull(r, 0, c);

					types[c] = null ? VAL_NULL
					                : pg_val(PQftype(r, c));
					vals[c] = null ? NULL
					               : PQgetvalue(r, 0, c);
				}
				/* After a failure the rest is drained. */
				if (rows >= 0 && !writer_put(&w, types, vals))
					rows = -1;
				else if (rows >= 0)
					rows++;
			} else if (PQresultStatus(r) != PGRES_TUPLES_OK) {
				say("msg=\"copy: reading %s failed\" "
				    "err=\"%s\"",
				    t->name, side_error(src));
				rows = -1;
			}
			PQclear(r);
			r = NULL;
		}
		n = rows;
		goto out;
	}
	if (sqlite3_prepare_v2(src->lite, sql, -1, &q, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (c = 0; c < (int)t->ncols; c++)
			switch (sqlite3_column_type(q, c)) {
			case SQLITE_NULL:
				types[c] = VAL_NULL;
				vals[c] = NULL;
				break;
			case SQLITE_INTEGER:
				types[c] = VAL_INT;
				snprintf(num[c], sizeof(num[c]), "%" PRId64,
				    (int64_t)sqlite3_column_int64(q, c));
				vals[c] = num[c];
				break;
			case SQLITE_FLOAT:
				/* %.17g: the double exactly, both ways. */
				types[c] = VAL_FLOAT;
				snprintf(num[c], sizeof(num[c]), "%.17g",
				    sqlite3_column_double(q, c));
				vals[c] = num[c];
				break;
			case SQLITE_TEXT:
				types[c] = VAL_TEXT;
				vals[c] = (const char *)sqlite3_column_text(q,
				    c);
				break;
			default:
				say("msg=\"copy: %s.%s holds a blob, which "
				    "Hearth never stores\"",
				    t->name, t->cols[c]);
				goto out;
			}
		if (!writer_put(&w, types, vals))
			goto out;
		rows++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	n = rows;
	goto out;
fail:
	say("msg=\"copy: reading %s failed\" err=\"%s\"", t->name,
	    side_error(src));
out:
	/* PostgreSQL reports a refused row only here, at the COPY's end. */
	if (open && !writer_close(&w, n < 0))
		n = -1;
	sqlite3_finalize(q);
	PQclear(r);
	free(sql);
	free(types);
	free(vals);
	free(num);
	return n;
}

/* PostgreSQL: every id sequence past the largest id copied. */
static int
move_sequences(struct side *dst)
{
	char **v = NULL, sql[600];
	long n, i;
	int ok = 1;

	n = side_strings(dst,
	    "SELECT quote_ident(table_name::text), quote_ident(column_name::"
	    "text), pg_get_serial_sequence(quote_ident(table_name::text), "
	    "column_name::text) FROM information_schema.columns WHERE "
	    "table_schema = current_schema() AND column_default LIKE "
	    "'nextval(%' ORDER BY 1, 2",
	    NULL, 3, &v);
	if (n < 0)
		return 0;
	for (i = 0; i < n && ok; i++) {
		const char *seq = v[i * 3 + 2];
		PGresult *r;

		if (*seq == '\0')
			continue;
		if (snprintf(sql, sizeof(sql),
		        "SELECT setval($1::regclass, coalesce((SELECT "
		        "max(%s) FROM %s), 0) + 1, false)",
		        v[i * 3 + 1], v[i * 3]) >= (int)sizeof(sql)) {
			ok = 0;
			break;
		}
		r = PQexecParams(dst->pg, sql, 1, NULL, &seq, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			say("msg=\"copy: cannot move the sequence\" seq=%s "
			    "err=\"%s\"",
			    seq, side_error(dst));
			ok = 0;
		}
		PQclear(r);
	}
	strings_free(v, n * 3);
	return ok;
}

/* The row counts of a freshly migrated database, table by table, into
 * t[i].dst: a scratch SQLite file migrated and removed again. The
 * PostgreSQL migrations seed the same rows as SQLite's. */
static int
fresh_counts(struct table *t, size_t n, int64_t *fresh)
{
	char dir[] = "/tmp/hearth-copy-XXXXXX", path[64], extra[80];
	struct store_config sc;
	struct side s = {DB_SQLITE, NULL, NULL, "fresh database"};
	size_t i;
	int ok = 0;

	if (mkdtemp(dir) == NULL) {
		say("msg=\"copy: cannot make a scratch directory\"");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/fresh.db", dir);
	memset(&sc, 0, sizeof(sc));
	sc.path = path;
	sc.log = logger;
	if (store_migrate(&sc) >= 0 && side_open(&s, path, 1)) {
		for (i = 0; i < n; i++)
			if ((fresh[i] = side_count(&s, t[i].name)) < 0)
				break;
		ok = i == n;
	}
	side_close(&s);
	unlink(path);
	snprintf(extra, sizeof(extra), "%s-wal", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", path);
	unlink(extra);
	rmdir(dir);
	return ok;
}

/* Locks the destination's tables against writers for the transaction
 * and checks it holds only what migrations seed; then empties it. */
static int
claim_destination(struct side *dst, struct table *t, size_t n)
{
	int64_t *fresh = calloc(n + 1, sizeof(*fresh));
	struct strbuf b;
	char *q, *sql;
	size_t i;
	int ok = 0;

	if (fresh == NULL || !fresh_counts(t, n, fresh))
		goto out;
	if (dst->kind == DB_PG) {
		memset(&b, 0, sizeof(b));
		strbuf_str(&b, "LOCK TABLE ");
		for (i = 0; i < n; i++) {
			q = quote_ident(t[i].name);
			strbuf_printf(&b, "%s%s", i ? ", " : "", q ? q : "");
			free(q);
		}
		strbuf_str(&b, " IN EXCLUSIVE MODE");
		sql = strbuf_take(&b, NULL);
		if (sql == NULL || !side_exec(dst, sql)) {
			free(sql);
			goto out;
		}
		free(sql);
	}
	for (i = 0; i < n; i++) {
		if ((t[i].dst = side_count(dst, t[i].name)) < 0)
			goto out;
		if (t[i].dst != fresh[i]) {
			say("msg=\"copy: the destination is not empty: "
			    "%s has %" PRId64 " rows, a freshly migrated "
			    "database %" PRId64 "\"",
			    t[i].name, t[i].dst, fresh[i]);
			goto out;
		}
	}
	/* The seed rows give way to the source's (children first). */
	for (i = n; i-- > 0;) {
		if (t[i].dst == 0)
			continue;
		q = quote_ident(t[i].name);
		memset(&b, 0, sizeof(b));
		strbuf_printf(&b, "DELETE FROM %s", q ? q : "");
		free(q);
		sql = strbuf_take(&b, NULL);
		if (sql == NULL || !side_exec(dst, sql)) {
			free(sql);
			goto out;
		}
		free(sql);
	}
	ok = 1;
out:
	free(fresh);
	return ok;
}

int
store_copy(const struct store_config *from, const struct store_config *to,
    void (*counted)(void *, const char *, int64_t, int64_t), void *arg)
{
	struct side src = {DB_SQLITE, NULL, NULL, "source"};
	struct side dst = {DB_SQLITE, NULL, NULL, "destination"};
	struct table *t = NULL;
	size_t n = 0, i;
	int vs, vd, rc = -1, src_tx = 0, dst_tx = 0;
	int64_t got;

	logger = to->log;
	if (strcmp(from->path, to->path) == 0) {
		say("msg=\"copy: the source and the destination are the "
		    "same\"");
		return -1;
	}
	if (!db_is_pg(from->path) && access(from->path, R_OK) != 0) {
		say("msg=\"copy: no source database\" path=%s", from->path);
		return -1;
	}
	/* The destination as the server would find it. */
	if (store_migrate(to) < 0)
		return -1;
	logger = to->log;
	if (!side_open(&src, from->path, 1) || !side_open(&dst, to->path, 0))
		goto out;
	/* SQLite: foreign keys on, checked at the commit. */
	if (dst.kind == DB_SQLITE &&
	    (!side_exec(&dst, "PRAGMA foreign_keys = ON") ||
	        !side_exec(&dst, "BEGIN IMMEDIATE") ||
	        !side_exec(&dst, "PRAGMA defer_foreign_keys = ON")))
		goto out;
	/* PostgreSQL: a server still using the destination holds locks the
	 * copy waits for; not for ever. */
	if (dst.kind == DB_PG &&
	    (!side_exec(&dst, "BEGIN") ||
	        !side_exec(&dst, "SET LOCAL lock_timeout = '10s'")))
		goto out;
	dst_tx = 1;
	/* One snapshot of the source. */
	if (!side_exec(&src,
	        src.kind == DB_PG ? "BEGIN ISOLATION LEVEL REPEATABLE READ "
	                            "READ ONLY"
	                          : "BEGIN"))
		goto out;
	src_tx = 1;
	vs = side_version(&src);
	vd = side_version(&dst);
	if (vs < 0 || vd < 0)
		goto out;
	if (vs == 0) {
		say("msg=\"copy: the source is not a Hearth database\"");
		goto out;
	}
	if (vs != vd) {
		say("msg=\"copy: the source's schema is version %d, the "
		    "destination's %d; run hearth migrate on the source "
		    "first\"",
		    vs, vd);
		goto out;
	}
	if (!read_schema(&src, &dst, &t, &n) || !order_tables(&dst, t, n) ||
	    !claim_destination(&dst, t, n))
		goto out;
	for (i = 0; i < n; i++) {
		if ((t[i].src = side_count(&src, t[i].name)) < 0 ||
		    (got = copy_table(&src, &dst, &t[i])) < 0)
			goto out;
		if (got != t[i].src) {
			say("msg=\"copy: %s: counted %" PRId64 " rows, read "
			    "%" PRId64 "\"",
			    t[i].name, t[i].src, got);
			goto out;
		}
	}
	if (dst.kind == DB_PG && !move_sequences(&dst))
		goto out;
	rc = 1;
	for (i = 0; i < n; i++) {
		if ((t[i].dst = side_count(&dst, t[i].name)) != t[i].src)
			rc = -1;
		if (counted != NULL)
			counted(arg, t[i].name, t[i].src, t[i].dst);
	}
	if (rc < 0) {
		say("msg=\"copy: the row counts differ; nothing copied\"");
		goto out;
	}
	if (!side_exec(&dst, "COMMIT"))
		rc = -1;
	dst_tx = 0;
out:
	if (dst_tx && (dst.lite != NULL || dst.pg != NULL))
		side_exec(&dst, "ROLLBACK");
	if (src_tx)
		side_exec(&src, "ROLLBACK");
	side_close(&src);
	side_close(&dst);
	tables_free(t, n);
	return rc;
}
