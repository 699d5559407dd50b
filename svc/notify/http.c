/*
 * The HTTP client of the channels: libcurl's easy interface, one handle
 * per sending thread, reused between requests (connections stay warm).
 * Every request is bounded (CURLOPT_TIMEOUT_MS, CURLOPT_CONNECTTIMEOUT_MS)
 * and signal-free (CURLOPT_NOSIGNAL: it runs in a thread); HTTPS peers
 * are verified (host and chain, against the configured CA file or the
 * system's); redirects are not followed; answers are capped. This is the
 * only file that includes curl.h, and it never runs on the HTTP request
 * path of the server.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../log.h"
#include "notify.h"

/* A robot or SMS answer is a few hundred bytes. */
#define ANSWER_MAX (64 * 1024)
#define CONNECT_MAX_MS 5000L

struct nhttp {
	CURL *curl;
	char *ca_file;
	long timeout_ms;
};

struct sink {
	char *p;
	size_t len, cap;
	int over;
};

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;
	char *np;

	if (s->len + add > ANSWER_MAX) {
		s->over = 1;
		return 0; /* aborts the transfer */
	}
	if (s->len + add + 1 > s->cap) {
		size_t cap = (s->len + add + 1) * 2;

		if ((np = realloc(s->p, cap)) == NULL)
			return 0;
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, add);
	s->len += add;
	s->p[s->len] = '\0';
	return add;
}

/* Memory (issue 15): curl_global_init initializes OpenSSL, 2.3 MB of
 * resident pages (libcrypto's tables and error strings) measured on the
 * idle server, before any message was sent (the robot channels are on
 * by default, most stations have no robot). libcurl 7.84 and later
 * initializes thread-safely (CURL_VERSION_THREADSAFE): there it waits
 * for a sender's first message (each sender makes its handle then); an
 * older libcurl is initialized here, before any thread runs. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok, curl_done;

static void
curl_init_once(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	curl_done = 1;
	if (!curl_ok)
		log_msg(LOG_ERROR, "msg=\"notify: curl_global_init failed\"");
}

int
notify_global_init(void)
{
	/* Asking curl_version_info would itself touch half a megabyte of
	 * libcurl and its libraries: the version built against decides. */
#if LIBCURL_VERSION_NUM >= 0x075400
	return 1;
#endif
	pthread_once(&curl_once, curl_init_once);
	return curl_ok;
}

void
notify_global_cleanup(void)
{
	if (curl_done && curl_ok)
		curl_global_cleanup();
}

struct nhttp *
nhttp_new(const char *ca_file, long timeout_ms)
{
	struct nhttp *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	if ((ca_file != NULL && *ca_file != '\0' &&
	        (h->ca_file = strdup(ca_file)) == NULL)) {
		nhttp_free(h);
		return NULL;
	}
	h->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000L;
	return h;
}

void
nhttp_free(struct nhttp *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->ca_file);
	free(h);
}

int
nhttp_post(struct nhttp *h, const char *url, const char *const *headers,
    const char *body, size_t len, struct nhttp_answer *a)
{
	struct curl_slist *list = NULL, *nl;
	struct sink s = {0};
	char errbuf[CURL_ERROR_SIZE];
	CURLcode rc;
	size_t i;
	int ok = 0;

	memset(a, 0, sizeof(*a));
	errbuf[0] = '\0';
	/* The handle (and libcurl's global state) at the first message. */
	if (h->curl == NULL) {
		pthread_once(&curl_once, curl_init_once);
		if (!curl_ok || (h->curl = curl_easy_init()) == NULL) {
			snprintf(a->error, sizeof(a->error),
			    "cannot start libcurl");
			goto out;
		}
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		if ((nl = curl_slist_append(list, headers[i])) == NULL) {
			snprintf(a->error, sizeof(a->error), "out of memory");
			goto out;
		}
		list = nl;
	}
	/* No "Expect: 100-continue" round trip. */
	if ((nl = curl_slist_append(list, "Expect:")) == NULL)
		goto out;
	list = nl;
	curl_easy_reset(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    h->timeout_ms < CONNECT_MAX_MS ? h->timeout_ms : CONNECT_MAX_MS);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL)
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, h->ca_file);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "Hearth/" HEARTH_VERSION);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h->curl);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && s.over)) {
		/* libcurl's detail says more than its code's name. */
		snprintf(a->error, sizeof(a->error), "%.*s",
		    (int)sizeof(a->error) - 1,
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
	if (s.over) {
		/* An answer this long is no answer of these services. */
		snprintf(a->error, sizeof(a->error), "answer over %d bytes",
		    ANSWER_MAX);
		a->status = 0;
		goto out;
	}
	a->body = s.p ? s.p : strdup("");
	a->len = s.len;
	s.p = NULL;
	ok = a->body != NULL;
out:
	/* The URL and its query (a robot's key) stay in libcurl's handle
	 * until the next request; nothing is logged here. */
	if (h->curl != NULL) {
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	}
	curl_slist_free_all(list);
	free(s.p);
	return ok;
}
