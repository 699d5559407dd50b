/*
 * h1load: a small HTTP/1.1 load client for `make bench`, for the one
 * thing wrk cannot do: wrk's parser takes the Content-Length of a 304 as
 * a body to wait for, so it completes no response from a server that
 * sends the 200's length on its 304 (RFC 9110 §8.6 allows it). h1load
 * frames responses as RFC 9112 §6.3 says — no body after a 304, a 204,
 * a 1xx or a HEAD, whatever the headers claim — and otherwise by
 * Content-Length (chunked bodies are read too). Keep-alive connections,
 * poll() per thread, one request in flight per connection, as wrk does.
 *
 * Usage: h1load THREADS CONNECTIONS SECONDS HOST PORT PATH [HEADER...]
 * Prints one line:
 *   H1LOAD requests=N seconds=S rps=R status_2xx=N status_304=N other=N
 *     other_status=S errors=N
 * (a response with "Connection: close" ends its connection, which is
 * opened again: nginx closes one every keepalive_requests)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (256 * 1024)

struct conn {
	int fd;
	size_t sent, have;	/* request bytes sent, response bytes read */
	char *buf;
};

struct worker {
	pthread_t th;
	int nconn;
	unsigned long long requests, s2xx, s304, other, errors;
	int other_status;	/* the first status neither 2xx nor 304 */
};

static struct sockaddr_in addr;
static char request[8192];
static size_t reqlen;
static double stop_at;
static int head_request;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The size of a whole response at the start of b (n bytes), or 0 when
 * more is needed, or -1 when it cannot be read; *status gets its code. */
static long
framed(const char *b, size_t n, int *status, int *closing)
{
	const char *end = memmem(b, n, "\r\n\r\n", 4), *p, *le;
	long head, cl = -1;
	int chunked = 0;

	if (end == NULL)
		return n > BUFSZ / 2 ? -1 : 0;
	head = end + 4 - b;
	if (n < 12 || strncmp(b, "HTTP/1.", 7) != 0)
		return -1;
	*status = atoi(b + 9);
	for (p = memchr(b, '\n', (size_t)head) + 1; p < end; p = le + 1) {
		le = memchr(p, '\n', (size_t)(end + 2 - p));
		if (le == NULL)
			break;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			cl = atol(p + 15);
		else if (strncasecmp(p, "Connection:", 11) == 0 &&
		    strncasecmp(p + 11 + strspn(p + 11, " "), "close", 5) == 0)
			*closing = 1;
		else if (strncasecmp(p, "Transfer-Encoding:", 18) == 0 &&
		    strstr(p, "chunked") != NULL && strstr(p, "chunked") < le)
			chunked = 1;
	}
	/* RFC 9112 §6.3: these have no content, whatever the headers say. */
	if (head_request || *status == 304 || *status == 204 ||
	    *status < 200)
		return head;
	if (chunked) {
		size_t off = (size_t)head;

		for (;;) {
			const char *crlf = memmem(b + off, n - off, "\r\n", 2);
			long sz;

			if (crlf == NULL)
				return 0;
			sz = strtol(b + off, NULL, 16);
			off = (size_t)(crlf - b) + 2;
			if (sz == 0) {
				const char *t = memmem(b + off - 2, n - off + 2,
				    "\r\n\r\n", 4);

				return t ? (long)(t - b) + 4 : 0;
			}
			if (off + (size_t)sz + 2 > n)
				return 0;
			off += (size_t)sz + 2;
		}
	}
	if (cl < 0)
		return -1;	/* read to close: not for a load test */
	return (size_t)(head + cl) <= n ? head + cl : 0;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct conn *c = calloc((size_t)w->nconn, sizeof(*c));
	struct pollfd *pf = calloc((size_t)w->nconn, sizeof(*pf));
	int i;

	if (c == NULL || pf == NULL)
		return NULL;
	for (i = 0; i < w->nconn; i++) {
		c[i].buf = malloc(BUFSZ);
		c[i].fd = dial();
		if (c[i].fd < 0)
			w->errors++;
	}
	while (now() < stop_at) {
		for (i = 0; i < w->nconn; i++) {
			pf[i].fd = c[i].fd;
			pf[i].events = c[i].sent < reqlen ? POLLOUT : POLLIN;
		}
		if (poll(pf, (nfds_t)w->nconn, 100) < 0 && errno != EINTR)
			break;
		for (i = 0; i < w->nconn; i++) {
			struct conn *k = &c[i];
			ssize_t got;
			long whole;
			int status = 0, closing = 0;

			if (k->fd < 0) {
				if ((k->fd = dial()) < 0)
					w->errors++;
				continue;
			}
			if (pf[i].revents == 0)
				continue;
			if (k->sent < reqlen) {
				got = send(k->fd, request + k->sent,
				    reqlen - k->sent, MSG_NOSIGNAL);
				if (got > 0)
					k->sent += (size_t)got;
				else if (errno != EAGAIN)
					goto broken;
				continue;
			}
			got = recv(k->fd, k->buf + k->have, BUFSZ - k->have, 0);
			if (got <= 0)
				goto broken;
			k->have += (size_t)got;
			whole = framed(k->buf, k->have, &status, &closing);
			if (whole < 0)
				goto broken;
			if (whole == 0)
				continue;
			if ((size_t)whole != k->have)
				goto broken;	/* bytes after a response */
			w->requests++;
			if (status == 304)
				w->s304++;
			else if (status / 100 == 2)
				w->s2xx++;
			else if (w->other++ == 0)
				w->other_status = status;
			k->sent = k->have = 0;
			if (closing) {	/* the server's keep-alive limit */
				close(k->fd);
				k->fd = -1;
			}
			continue;
broken:
			w->errors++;
			close(k->fd);
			k->fd = -1;
			k->sent = k->have = 0;
		}
	}
	for (i = 0; i < w->nconn; i++) {
		if (c[i].fd >= 0)
			close(c[i].fd);
		free(c[i].buf);
	}
	free(c);
	free(pf);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct worker *w;
	int threads, conns, i, n;
	double secs, t0, t1;
	unsigned long long req = 0, s2 = 0, s3 = 0, ot = 0, er = 0;
	int ost = 0;

	if (argc < 7) {
		fprintf(stderr, "usage: h1load THREADS CONNECTIONS SECONDS "
		    "HOST PORT PATH [HEADER...]\n");
		return 2;
	}
	threads = atoi(argv[1]);
	conns = atoi(argv[2]);
	secs = atof(argv[3]);
	if (threads < 1 || conns < threads || secs <= 0)
		return 2;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)atoi(argv[5]));
	if (inet_pton(AF_INET, argv[4], &addr.sin_addr) != 1)
		return 2;
	n = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s:%s\r\n",
	    argv[6], argv[4], argv[5]);
	for (i = 7; i < argc && n > 0 && (size_t)n < sizeof(request); i++)
		n += snprintf(request + n, sizeof(request) - (size_t)n,
		    "%s\r\n", argv[i]);
	if (n <= 0 || (size_t)n + 3 > sizeof(request))
		return 2;
	n += snprintf(request + n, sizeof(request) - (size_t)n, "\r\n");
	reqlen = (size_t)n;
	if ((w = calloc((size_t)threads, sizeof(*w))) == NULL)
		return 1;
	t0 = now();
	stop_at = t0 + secs;
	for (i = 0; i < threads; i++) {
		w[i].nconn = conns / threads + (i < conns % threads);
		pthread_create(&w[i].th, NULL, run, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].th, NULL);
		req += w[i].requests;
		s2 += w[i].s2xx;
		s3 += w[i].s304;
		ot += w[i].other;
		er += w[i].errors;
		if (ost == 0)
			ost = w[i].other_status;
	}
	t1 = now();
	printf("H1LOAD requests=%llu seconds=%.2f rps=%.0f status_2xx=%llu "
	    "status_304=%llu other=%llu other_status=%d errors=%llu\n", req,
	    t1 - t0, (double)req / (t1 - t0), s2, s3, ot, ost, er);
	free(w);
	return 0;
}
