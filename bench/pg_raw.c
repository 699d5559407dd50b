/*
 * pg_raw: PostgreSQL's own single-row-transaction insert rate through
 * libpq, the reference figure of bench/run.sh's survey case on the
 * PostgreSQL store (what sqlite_raw is for SQLite).
 *
 * Usage: pg_raw URI SECONDS THREADS...
 *
 * For each THREADS value, creates survey_responses as
 * schema/pg/012_baseline.sql does (with the events table it references)
 * under a name of its own in the database URI names (the bench's
 * cluster: the same server, disk and settings as Hearth's database), and
 * has THREADS threads, each with its own connection, insert one row per
 * transaction for SECONDS: a prepared INSERT in autocommit, one round
 * trip and one durable commit a row, the least any store can do per
 * answer. Prints one line per run:
 *
 *   PG-RAW threads=N rows=N seconds=S rate=R
 *
 * drops its tables, and exits non-zero on any PostgreSQL error.
 */
#define _GNU_SOURCE
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct worker {
	pthread_t thread;
	const char *uri;
	int run;
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

static PGconn *
connect_to(const char *uri)
{
	PGconn *c = PQconnectdb(uri);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pg_raw: cannot connect: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return c;
}

static int
exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "pg_raw: %s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	PGconn *c = connect_to(w->uri);
	char sql[160], at[24];
	const char *params[1] = {at};
	PGresult *r;

	if (c == NULL) {
		w->failed = 1;
		return NULL;
	}
	snprintf(sql, sizeof(sql),
	    "INSERT INTO pg_raw_responses_%d (event_id, submitted_at) "
	    "VALUES (1, $1)",
	    w->run);
	r = PQprepare(c, "ins", sql, 1, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "pg_raw: %s", PQresultErrorMessage(r));
		w->failed = 1;
	}
	PQclear(r);
	while (!w->failed && now() < w->deadline) {
		snprintf(at, sizeof(at), "%ld", (long)time(NULL));
		r = PQexecPrepared(c, "ins", 1, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "pg_raw: %s", PQresultErrorMessage(r));
			w->failed = 1;
		} else
			w->rows++;
		PQclear(r);
	}
	PQfinish(c);
	return NULL;
}

static int
run(const char *uri, double seconds, int threads)
{
	struct worker *w = calloc((size_t)threads, sizeof(*w));
	PGconn *c = connect_to(uri);
	char sql[512];
	double t0, t1;
	long rows = 0;
	int i, ok = 1;

	if (w == NULL || c == NULL) {
		free(w);
		PQfinish(c);
		return 0;
	}
	snprintf(sql, sizeof(sql),
	    "DROP TABLE IF EXISTS pg_raw_responses_%d, pg_raw_events_%d;"
	    "CREATE TABLE pg_raw_events_%d ("
	    " id BIGSERIAL PRIMARY KEY, title TEXT NOT NULL);"
	    "INSERT INTO pg_raw_events_%d (id, title) VALUES (1, 'bench');"
	    "CREATE TABLE pg_raw_responses_%d ("
	    " id BIGSERIAL PRIMARY KEY,"
	    " event_id BIGINT NOT NULL REFERENCES pg_raw_events_%d(id),"
	    " attendance_id BIGINT UNIQUE,"
	    " anonymous BIGINT NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),"
	    " submitted_at BIGINT NOT NULL);"
	    "CREATE INDEX ON pg_raw_responses_%d(event_id)",
	    threads, threads, threads, threads, threads, threads, threads);
	if (!exec(c, sql)) {
		free(w);
		PQfinish(c);
		return 0;
	}
	t0 = now();
	for (i = 0; i < threads; i++) {
		w[i].uri = uri;
		w[i].run = threads;
		w[i].index = i;
		w[i].deadline = t0 + seconds;
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "pg_raw: cannot start a thread\n");
			threads = i;
			ok = 0;
			break;
		}
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		rows += w[i].rows;
		ok = ok && !w[i].failed;
	}
	t1 = now();
	if (ok)
		printf("PG-RAW threads=%d rows=%ld seconds=%.2f rate=%.0f\n",
		    threads, rows, t1 - t0, rows / (t1 - t0));
	snprintf(sql, sizeof(sql),
	    "DROP TABLE pg_raw_responses_%d, pg_raw_events_%d", w[0].run,
	    w[0].run);
	ok = exec(c, sql) && ok;
	free(w);
	PQfinish(c);
	return ok;
}

int
main(int argc, char **argv)
{
	double seconds;
	int i, n;

	if (argc < 4) {
		fprintf(stderr, "usage: pg_raw URI SECONDS THREADS...\n");
		return 2;
	}
	seconds = atof(argv[2]);
	for (i = 3; i < argc; i++) {
		n = atoi(argv[i]);
		if (n < 1 || n > 1024) {
			fprintf(stderr, "pg_raw: threads: 1-1024\n");
			return 2;
		}
		if (!run(argv[1], seconds, n))
			return 1;
	}
	return 0;
}
