/*
 * sqlite_raw: SQLite's own single-row-transaction insert rate, the
 * reference figure of bench/run.sh's survey case.
 *
 * Usage: sqlite_raw DIR SECONDS THREADS...
 *
 * For each THREADS value, opens a fresh database file in DIR (the
 * directory of the server's database, so the same disk) with the
 * server's settings (svc/store/db.c: busy timeout 5 s set before
 * journal_mode=WAL, foreign_keys=ON, synchronous=FULL), creates
 * survey_responses as schema/001_init.sql does (with the events table it
 * references), and has THREADS threads, each with its own connection,
 * insert one row per transaction (BEGIN IMMEDIATE; INSERT; COMMIT) for
 * SECONDS. Prints one line per run:
 *
 *   SQLITE-RAW threads=N rows=N seconds=S rate=R
 *
 * and exits non-zero on any SQLite error.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *schema =
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY, title TEXT NOT NULL);"
    "INSERT INTO events (id, title) VALUES (1, 'bench');"
    "CREATE TABLE survey_responses ("
    " id INTEGER PRIMARY KEY,"
    " event_id INTEGER NOT NULL REFERENCES events(id),"
    " attendance_id INTEGER UNIQUE,"
    " anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),"
    " submitted_at INTEGER NOT NULL);"
    "CREATE INDEX survey_responses_event ON survey_responses(event_id);";

struct worker {
	pthread_t thread;
	const char *path;
	int index;
	double deadline;
	long rows;
	int failed;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sqlite_raw: %s: %s\n", sql,
		    err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return 0;
	}
	return 1;
}

/* The server's open_db(). */
static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_raw: cannot open %s: %s\n", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	if (!exec(db, "PRAGMA journal_mode=WAL") ||
	    !exec(db, "PRAGMA foreign_keys=ON") ||
	    !exec(db, "PRAGMA synchronous=FULL")) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static int
step(sqlite3 *db, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "sqlite_raw: %s (%d)\n", sqlite3_errmsg(db),
		    rc);
		return 0;
	}
	return 1;
}

static void *
work(void *p)
{
	struct worker *w = p;
	sqlite3 *db = open_db(w->path);
	sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL;
	int64_t att = (int64_t)w->index * 1000000000;

	if (db == NULL ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO survey_responses (event_id,"
	    " attendance_id, anonymous, submitted_at) VALUES (1, ?, 0, ?)",
	    -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL)) {
		if (db != NULL)
			fprintf(stderr, "sqlite_raw: %s\n", sqlite3_errmsg(db));
		w->failed = 1;
		goto out;
	}
	while (now() < w->deadline) {
		sqlite3_bind_int64(ins, 1, ++att);
		sqlite3_bind_int64(ins, 2, (int64_t)time(NULL));
		if (!step(db, begin) || !step(db, ins) || !step(db, commit)) {
			w->failed = 1;
			break;
		}
		w->rows++;
	}
out:
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return NULL;
}

/* Removes the database file and its -wal and -shm files. */
static void
clear(const char *path)
{
	char p[4200];

	remove(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	remove(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	remove(p);
}

static int
run(const char *dir, double seconds, int threads)
{
	char path[4096];
	struct worker *w;
	sqlite3 *db;
	double start, took;
	long rows = 0;
	int i, failed = 0;

	snprintf(path, sizeof(path), "%s/sqlite-raw-%d.db", dir, threads);
	clear(path);
	if ((db = open_db(path)) == NULL)
		return 0;
	if (!exec(db, schema)) {
		sqlite3_close(db);
		return 0;
	}
	if ((w = calloc((size_t)threads, sizeof(*w))) == NULL) {
		sqlite3_close(db);
		return 0;
	}
	start = now();
	for (i = 0; i < threads; i++) {
		w[i].path = path;
		w[i].index = i;
		w[i].deadline = start + seconds;
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "sqlite_raw: cannot start a thread\n");
			exit(1);
		}
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		rows += w[i].rows;
		failed |= w[i].failed;
	}
	took = now() - start;
	free(w);
	sqlite3_close(db);
	clear(path);
	if (failed)
		return 0;
	printf("SQLITE-RAW threads=%d rows=%ld seconds=%.2f rate=%.0f\n",
	    threads, rows, took, rows / took);
	fflush(stdout);
	return 1;
}

int
main(int argc, char **argv)
{
	double seconds;
	int i, n;

	if (argc < 4 || (seconds = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: sqlite_raw DIR SECONDS THREADS...\n");
		return 2;
	}
	for (i = 3; i < argc; i++) {
		n = atoi(argv[i]);
		if (n < 1 || n > 1024) {
			fprintf(stderr, "sqlite_raw: threads: 1-1024\n");
			return 2;
		}
		if (!run(argv[1], seconds, n))
			return 1;
	}
	return 0;
}
