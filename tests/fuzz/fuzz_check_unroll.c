/*
 * libFuzzer target: store_check_unroll (svc/store/checks.c), which
 * rewrites the CHECK constraints of a CREATE TABLE text. Input: the
 * text. Unchanged text comes back byte for byte; a rewrite is final (a
 * second pass changes nothing); and text SQLite makes a table of still
 * makes one when rewritten (a table sqlite_schema cannot parse would
 * leave a database unopenable).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/stmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether sql makes a table in an empty in-memory database. */
static int
creates(const char *sql)
{
	sqlite3 *db = NULL;
	int ok;

	ok = sqlite3_open(":memory:", &db) == SQLITE_OK &&
	    sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *out, *again;
	int changed, changed2;

	if (size > 4096 || (in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if ((out = store_check_unroll(in, &changed)) == NULL) {
		free(in);
		return 0;
	}
	if (!changed && strcmp(in, out) != 0)
		abort();
	if (changed) {
		if ((again = store_check_unroll(out, &changed2)) != NULL &&
		    (changed2 || strcmp(again, out) != 0))
			abort();
		free(again);
		if (strncmp(in, "CREATE TABLE", 12) == 0 && creates(in) &&
		    !creates(out))
			abort();
	}
	free(out);
	free(in);
	return 0;
}
