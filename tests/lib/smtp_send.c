/*
 * A one-message SMTP client over svc/mail/smtp.c, driven by
 * tests/e2e/smtp-client.test.mjs against a real SMTP server:
 *
 *   smtp_send --host H --port P [--tls off|opportunistic|required]
 *       [--ca FILE] [--user U --password P] [--timeout MS]
 *       [--threads N] --from A --to B FILE
 *
 * Sends FILE (CRLF lines, headers included) as is and prints one line
 * per send: "SENT", "TEMPFAIL <why>" or "PERMFAIL <why>". --threads N
 * sends the message N times at once from N threads (smtp_send must be
 * safe to call concurrently). Exits 0 when every send went, 75
 * (EX_TEMPFAIL) when one failed for now, 69 (EX_UNAVAILABLE) when one
 * was refused for good, 64 on bad usage.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/smtp.h"

#define EXIT_USAGE 64
#define EXIT_UNAVAILABLE 69
#define EXIT_TEMPFAIL 75
#define THREADS_MAX 16

struct job {
	const struct smtp_config *cfg;
	const char *from, *to, *msg;
	size_t len;
	enum smtp_result res;
	char err[512];
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: smtp_send --host H --port P "
	    "[--tls off|opportunistic|required] [--ca FILE]\n"
	    "    [--user U --password P] [--timeout MS] "
	    "[--threads N] --from A --to B FILE\n");
	exit(EXIT_USAGE);
}

static long
number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		usage();
	return v;
}

/* The whole file, malloc'd; exits on failure. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f;
	char *p = NULL, *np;
	size_t n = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "smtp_send: %s: %s\n", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((np = realloc(p, cap)) == NULL) {
				fprintf(stderr, "smtp_send: out of memory\n");
				exit(EXIT_TEMPFAIL);
			}
			p = np;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "smtp_send: %s: read error\n", path);
		exit(EXIT_USAGE);
	}
	fclose(f);
	*len = n;
	return p;
}

static void *
run(void *arg)
{
	struct job *j = arg;

	j->res = smtp_send(j->cfg, j->from, j->to, j->msg, j->len, j->err,
	    sizeof(j->err));
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct smtp_config cfg;
	struct job jobs[THREADS_MAX];
	pthread_t tids[THREADS_MAX];
	const char *from = NULL, *to = NULL, *file = NULL;
	char *msg;
	size_t len;
	long nthreads = 1, i;
	int tls, rc = 0, e;

	/* As main.c does: a server closing on us is an error, not death. */
	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.tls = SMTP_TLS_OFF;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] != '-') {
			if (file != NULL)
				usage();
			file = a;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(a, "--host") == 0)
			cfg.host = argv[++i];
		else if (strcmp(a, "--port") == 0)
			cfg.port = (int)number(argv[++i], 1, 65535);
		else if (strcmp(a, "--tls") == 0) {
			if ((tls = smtp_tls_parse(argv[++i])) < 0)
				usage();
			cfg.tls = (enum smtp_tls)tls;
		} else if (strcmp(a, "--ca") == 0)
			cfg.ca_file = argv[++i];
		else if (strcmp(a, "--user") == 0)
			cfg.user = argv[++i];
		else if (strcmp(a, "--password") == 0)
			cfg.password = argv[++i];
		else if (strcmp(a, "--timeout") == 0)
			cfg.timeout_ms = (int)number(argv[++i], 0, INT_MAX);
		else if (strcmp(a, "--threads") == 0)
			nthreads = number(argv[++i], 1, THREADS_MAX);
		else if (strcmp(a, "--from") == 0)
			from = argv[++i];
		else if (strcmp(a, "--to") == 0)
			to = argv[++i];
		else
			usage();
	}
	if (cfg.host == NULL || cfg.port == 0 || from == NULL || to == NULL ||
	    file == NULL)
		usage();
	msg = slurp(file, &len);

	for (i = 0; i < nthreads; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].cfg = &cfg;
		jobs[i].from = from;
		jobs[i].to = to;
		jobs[i].msg = msg;
		jobs[i].len = len;
	}
	if (nthreads == 1)
		run(&jobs[0]);
	else {
		for (i = 0; i < nthreads; i++)
			if ((e = pthread_create(&tids[i], NULL, run,
			         &jobs[i])) != 0) {
				fprintf(stderr,
				    "smtp_send: pthread_create: "
				    "%s\n",
				    strerror(e));
				exit(EXIT_TEMPFAIL);
			}
		for (i = 0; i < nthreads; i++)
			pthread_join(tids[i], NULL);
	}

	for (i = 0; i < nthreads; i++) {
		switch (jobs[i].res) {
		case SMTP_SENT:
			printf("SENT\n");
			break;
		case SMTP_TEMPFAIL:
			printf("TEMPFAIL %s\n", jobs[i].err);
			if (rc != EXIT_UNAVAILABLE)
				rc = EXIT_TEMPFAIL;
			break;
		case SMTP_PERMFAIL:
			printf("PERMFAIL %s\n", jobs[i].err);
			rc = EXIT_UNAVAILABLE;
			break;
		}
	}
	free(msg);
	return rc;
}
