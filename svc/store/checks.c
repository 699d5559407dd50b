/*
 * SQLite's CHECK constraints of the form `CHECK (col IN ('a', 'b', 'c'))`
 * written again as `CHECK (col = 'a' OR col = 'b' OR col = 'c')`.
 *
 * Why (issue 15): SQLite 3.40 checks an IN list of three or more values
 * by building a temporary b-tree of the list, on every row written: a
 * pager, two zeroed pages, an index insert per value. An outbox row has
 * two such checks (status, channel), a registration and a survey answer
 * one each: a quarter of the instructions of a registration went there.
 * The OR form is compared in place. Both forms accept and refuse the same
 * values (NULL passes both; the column's affinity and collation apply to
 * both), and the rows on disk do not change, so this is SQLite's own
 * procedure for such changes (lang_altertable.html, "other kinds of
 * table schema changes"): the table's text in sqlite_schema rewritten
 * with writable_schema, the schema version moved on, in one
 * transaction. The migrations keep the IN form (PostgreSQL's CHECK does
 * not build a table); this runs after them at every start and finds
 * nothing to do once done.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stmt.h"

/* The end of the SQL token at p (a quoted string or identifier, or a
 * comment), or p when p starts none of them. */
static const char *
skip_quoted(const char *p)
{
	char q = *p;

	if (q == '-' && p[1] == '-') {
		const char *nl = strchr(p, '\n');

		return nl ? nl + 1 : p + strlen(p);
	}
	if (q == '/' && p[1] == '*') {
		const char *e = strstr(p + 2, "*/");

		return e ? e + 2 : p + strlen(p);
	}
	if (q == '[')
		q = ']';
	else if (q != '\'' && q != '"' && q != '`')
		return p;
	for (p++; *p != '\0'; p++)
		if (*p == q) {
			if (p[1] != q) /* a doubled quote stays inside */
				return p + 1;
			p++;
		}
	return p;
}

static const char *
skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static int
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* p past the keyword kw (a whole word, any case), or NULL. */
static const char *
keyword(const char *p, const char *kw)
{
	size_t n = strlen(kw);

	if (strncasecmp(p, kw, n) != 0 || word_char(p[n]))
		return NULL;
	return p + n;
}

/* p past one literal of an IN list (a quoted string or an integer), or
 * NULL. */
static const char *
literal(const char *p)
{
	const char *e;

	if (*p == '\'') {
		e = skip_quoted(p);
		return e > p && e[-1] == '\'' && e - p >= 2 ? e : NULL;
	}
	e = p + (*p == '-');
	if (!isdigit((unsigned char)*e))
		return NULL;
	while (isdigit((unsigned char)*e))
		e++;
	return word_char(*e) ? NULL : e;
}

/* At p (just past the keyword CHECK): when what follows is
 * `(col IN (lit, lit, lit...))` with three or more literals, appends
 * its OR form to out and returns the end of the constraint; otherwise
 * NULL (and out is unchanged). */
static const char *
unroll_one(const char *p, struct strbuf *out)
{
	const char *col, *col_end, *lit[64], *lit_end[64], *q;
	size_t n = 0, i;

	if (*(p = skip_space(p)) != '(')
		return NULL;
	col = p = skip_space(p + 1);
	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	while (word_char(*p))
		p++;
	col_end = p;
	if ((p = keyword(skip_space(p), "IN")) == NULL ||
	    *(p = skip_space(p)) != '(')
		return NULL;
	for (p++;;) {
		p = skip_space(p);
		if (n == sizeof(lit) / sizeof(lit[0]) ||
		    (q = literal(p)) == NULL)
			return NULL;
		lit[n] = p;
		lit_end[n++] = q;
		p = skip_space(q);
		if (*p == ')')
			break;
		if (*p != ',')
			return NULL;
		p++;
	}
	if (n < 3 || *(p = skip_space(p + 1)) != ')')
		return NULL;
	strbuf_printf(out, " (");
	for (i = 0; i < n; i++)
		strbuf_printf(out, "%s%.*s = %.*s", i ? " OR " : "",
		    (int)(col_end - col), col, (int)(lit_end[i] - lit[i]),
		    lit[i]);
	strbuf_printf(out, ")");
	return p + 1;
}

char *
store_check_unroll(const char *sql, int *changed)
{
	struct strbuf out = {0};
	const char *p = sql, *from = sql, *q, *end;

	*changed = 0;
	while (*p != '\0') {
		if ((q = skip_quoted(p)) != p) {
			p = q;
			continue;
		}
		if ((p == sql || !word_char(p[-1])) &&
		    (q = keyword(p, "CHECK")) != NULL) {
			struct strbuf or = {0};

			if ((end = unroll_one(q, & or)) != NULL) {
				strbuf_add(&out, from, (size_t)(q - from));
				strbuf_add(&out, or.p, or.len);
				out.failed |= or.failed;
				*changed = 1;
				from = end;
			}
			strbuf_free(& or);
			p = end != NULL ? end : q;
			continue;
		}
		p++;
	}
	strbuf_printf(&out, "%s", from);
	return strbuf_take(&out, NULL);
}

/* Whether sql makes a table in an empty database: the rewritten text
 * parses (a table sqlite_schema cannot parse leaves the file unopenable,
 * so this is tried before anything is written). */
static int
creates_alone(const char *sql)
{
	sqlite3 *mem = NULL;
	int ok;

	ok = sqlite3_open_v2(":memory:", &mem,
	         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	         NULL) == SQLITE_OK &&
	    sqlite3_exec(mem, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(mem);
	return ok;
}

static int
run(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* A table whose CHECKs are to be written without IN lists. */
struct rewrite {
	char *name;
	char *sql;
};

static void
rewrites_free(struct rewrite *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].sql);
	}
	free(v);
}

/* Every table to rewrite, with its new text, read whole before anything
 * is written: a cursor over sqlite_schema does not see the rows it
 * passed being updated in a defined way. 0 on an error, or when a new
 * text would not make its table. */
static int
rewrites_read(sqlite3 *db, struct rewrite **out, int *n)
{
	sqlite3_stmt *list = NULL;
	struct rewrite *v = NULL, *nv;
	char *sql = NULL;
	int changed, rc, cap = 0, ok = 0;

	*n = 0;
	if (sqlite3_prepare_v2(db,
	        "SELECT name, sql FROM sqlite_schema WHERE type = 'table'"
	        " AND sql LIKE '%CHECK%'",
	        -1, &list, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
		sql = store_check_unroll((const char *)sqlite3_column_text(list,
		                             1),
		    &changed);
		if (sql == NULL || (changed && !creates_alone(sql)))
			goto out;
		if (!changed) {
			free(sql);
			sql = NULL;
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL)
				goto out;
			v = nv;
		}
		v[*n].sql = sql;
		sql = NULL;
		if ((v[*n].name = strdup((const char *)sqlite3_column_text(list,
		         0))) == NULL) {
			free(v[*n].sql);
			goto out;
		}
		(*n)++;
	}
	ok = rc == SQLITE_DONE;
out:
	free(sql);
	sqlite3_finalize(list);
	if (!ok) {
		rewrites_free(v, *n);
		v = NULL;
		*n = 0;
	}
	*out = v;
	return ok;
}

int
store_checks_unroll(sqlite3 *db, int *tables)
{
	sqlite3_stmt *put = NULL, *ver = NULL;
	struct rewrite *v = NULL;
	char pragma[64];
	int ok = 0, n = 0;
	int64_t version;

	*tables = 0;
	/* Read first: once done (every start after the first) no write
	 * transaction is taken. */
	if (!rewrites_read(db, &v, &n))
		return 0;
	rewrites_free(v, n);
	v = NULL;
	if (n == 0)
		return 1;
	/* Read again under the write lock: what another process wrote
	 * between the two is what is rewritten. */
	if (!run(db, "BEGIN IMMEDIATE") ||
	    !run(db, "PRAGMA writable_schema = ON") ||
	    !rewrites_read(db, &v, &n) ||
	    sqlite3_prepare_v2(db,
	        "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table'"
	        " AND name = ?2",
	        -1, &put, NULL) != SQLITE_OK)
		goto out;
	for (int i = 0; i < n; i++) {
		sqlite3_reset(put);
		sqlite3_bind_text(put, 1, v[i].sql, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 2, v[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE ||
		    sqlite3_changes(db) != 1)
			goto out;
	}
	/* The other connections (none yet at start) read the schema again
	 * when its version moves; this one when told (RESET), and the
	 * statement after it parses every table again: one this SQLite
	 * cannot read fails here, and nothing is kept. */
	if (sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &ver, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(ver) != SQLITE_ROW)
		goto out;
	version = sqlite3_column_int64(ver, 0);
	snprintf(pragma, sizeof(pragma), "PRAGMA schema_version = %lld",
	    (long long)version + 1);
	if (!run(db, pragma) || !run(db, "PRAGMA writable_schema = RESET") ||
	    !run(db, "SELECT count(*) FROM sqlite_schema") ||
	    !run(db, "COMMIT"))
		goto out;
	*tables = n;
	ok = 1;
out:
	sqlite3_finalize(put);
	sqlite3_finalize(ver);
	rewrites_free(v, n);
	if (!ok) {
		run(db, "PRAGMA writable_schema = RESET");
		if (!sqlite3_get_autocommit(db))
			run(db, "ROLLBACK");
	}
	return ok;
}
