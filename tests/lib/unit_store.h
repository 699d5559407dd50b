/*
 * A fresh database for the unit tests that use the real store
 * (test_store, test_group_commit, test_outbox_worker): its own mkdtemp
 * directory, migrated, the store set up on it.
 */
#ifndef HEARTH_TESTS_UNIT_STORE_H
#define HEARTH_TESTS_UNIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "log.h"
#include "store/store.h"

struct unit_db {
	char dir[64];
	char path[128];
	struct store_config cfg;
};

/* unit_store.c */
/* Makes /tmp/hearth-<name>-XXXXXX/hearth.db, migrates it and sets the
 * store up on it with log as its logger; the calling thread's connection,
 * NULL on failure (nothing left). */
struct store *unit_db_open(struct unit_db *, const char *name,
    int synchronous_full, log_fn log);
/* The same on the database db names (a PostgreSQL URI, empty), or on a
 * fresh SQLite file when db is NULL. */
struct store *unit_db_open_at(struct unit_db *, const char *name,
    int synchronous_full, log_fn log, const char *db);
/* HEARTH_TEST_PG when it names a database (not empty), else NULL. */
const char *unit_pg_uri(void);
/* unit_db_open_at on a fresh database: HEARTH_TEST_PG's emptied first
 * (unit_pg_empty), else a fresh SQLite file. */
struct store *unit_db_fresh(struct unit_db *, const char *name, log_fn log);
/* A logger that says nothing (the failures a test causes on purpose are
 * logged as errors). */
void unit_log_quiet(enum log_level, const char *fmt, ...);
/* Shuts the store down and removes the database and its directory. */
void unit_db_close(struct unit_db *);
/* Empties the PostgreSQL database uri names (its public schema dropped
 * and made anew) for the next test; 1 done, 0 with the error printed. */
int unit_pg_empty(const char *uri);

/* Either engine (issue 17, pgbatch), for the tests that run on both. */
/* The first column of sql's first row on st's connection, in st's
 * transaction when one is open; -1 on failure. */
int64_t unit_db_count(struct store *, const char *sql);
/* sql (one statement or several) on st's connection as it stands: 0, or
 * the enum db_err of its failure (msg: the database's message). */
int unit_db_run(struct store *, const char *sql, char *msg, size_t sz);
/* A street station code/name added (SQL, in a transaction of its own):
 * its id, or -1. */
int64_t unit_db_station(struct store *, const char *code, const char *name);
/* unit_db_run in a transaction of its own (store_begin … store_commit). */
int unit_db_exec(struct store *, const char *sql, char *msg, size_t sz);
/* Runs fn(arg) in a thread of its own (a fresh connection) of a forked
 * child, which must leave by _exit(0) as soon as it stops where the test
 * wanted (no cleanup, no rollback: a stop as by SIGKILL); any other
 * ending fails the test. Include <cmocka.h> before. */
void unit_fork_stop(void *(*fn)(void *), void *arg);
/* Puts a reminder row of key (From a@example.org, Subject 提醒, Message-ID
 * <key@hearth.test>) due at due with body ("" = built when due) in st's
 * open transaction: store_outbox_put's answer, *id its id when put. */
int unit_outbox_put(struct store *, const char *key, const char *body,
    time_t due, int64_t *id);

/* PostgreSQL only. The first column of sql's one row on c as a number;
 * -1 on failure (printed). */
int64_t unit_pg_scalar(PGconn *c, const char *sql);
/* Ends st's server session from the connection other, as a network cut
 * or a server restart would (st finds out at its next statement), and
 * waits until it is gone: 1, or 0. */
int unit_pg_cut(struct store *, PGconn *other);
/* A connection of its own to HEARTH_TEST_PG, as another instance's or a
 * watcher's (PQfinish it); without HEARTH_TEST_PG the test is skipped.
 * Include <cmocka.h> before. */
PGconn *unit_pg_other(void);
/* unit_pg_cut, then other takes the session lock (classid, key) as
 * another instance that found the claim free would: 1, or 0. */
int unit_pg_cut_and_take(struct store *, PGconn *other, int classid,
    int64_t key);

#endif
