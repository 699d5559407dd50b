/*
 * The unit tests' fresh database (unit_store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "unit_store.h"

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
