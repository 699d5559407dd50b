/*
 * The HTTP client of the channels: libcurl's easy interface, one handle
 * per sending thread, reused between requests (connections stay warm).
 * Every request is bounded (CURLOPT_TIMEOUT_MS, CURLOPT_CONNECTTIMEOUT_MS)
 * and signal-free (CURLOPT_NOSIGNAL: it runs in a thread); HTTPS peers
 * are verified (host and chain, against the configured CA file or the
 * system's); redirects are not followed; answers are capped. This is the
 * only file that includes curl.h, and it never runs on the HTTP request
 * path of the server. libcurl itself is loaded (dlopen) at the first
 * message, not linked: see curl_init_once.
 */
#include <dlfcn.h>
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

/* Memory (issue 15): linking libcurl maps it and the eight libraries
 * only it needs (libssh2, nghttp2, librtmp, libpsl, brotli, …: 0.6 MB
 * resident for their relocations alone) and curl_global_init
 * initializes OpenSSL (2.0 MB more, libcrypto's tables and error
 * strings), in a server that mostly sends no robot or SMS message (the
 * robot channels are on by default, most stations have no robot). So
 * libcurl is loaded at a sender's first message (each sender makes its
 * handle then), by its soname, and initialized then: libcurl 7.84 and
 * later initializes thread-safely (CURL_VERSION_THREADSAFE); with an
 * older one it is done in main, before any thread runs. */
static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lib;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok, curl_done;

/* Sets *fn to the address of name in h; 0 when it is missing. */
static int
sym(void *h, const char *name, void *fn, size_t sz)
{
	void *p = dlsym(h, name);

	if (p == NULL || sz != sizeof(p))
		return 0;
	memcpy(fn, &p, sz);
	return 1;
}

#define SYM(h, f, name) sym(h, name, &lib.f, sizeof(lib.f))

static void
curl_init_once(void)
{
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);

	curl_done = 1;
	if (h == NULL) {
		log_msg(LOG_ERROR,
		    "msg=\"notify: cannot load libcurl\" err=\"%s\"",
		    dlerror());
		return;
	}
	if (!SYM(h, global_init, "curl_global_init") ||
	    !SYM(h, global_cleanup, "curl_global_cleanup") ||
	    !SYM(h, easy_init, "curl_easy_init") ||
	    !SYM(h, easy_cleanup, "curl_easy_cleanup") ||
	    !SYM(h, easy_reset, "curl_easy_reset") ||
	    !SYM(h, easy_setopt, "curl_easy_setopt") ||
	    !SYM(h, easy_perform, "curl_easy_perform") ||
	    !SYM(h, easy_getinfo, "curl_easy_getinfo") ||
	    !SYM(h, easy_strerror, "curl_easy_strerror") ||
	    !SYM(h, slist_append, "curl_slist_append") ||
	    !SYM(h, slist_free_all, "curl_slist_free_all")) {
		log_msg(LOG_ERROR,
		    "msg=\"notify: libcurl lacks a function Hearth uses\"");
		return; /* loaded for good: never closed */
	}
	curl_ok = lib.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	if (!curl_ok)
		log_msg(LOG_ERROR, "msg=\"notify: curl_global_init failed\"");
}

int
notify_global_init(void)
{
	/* The version built against decides (the headers of the soname
	 * loaded). */
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
		lib.global_cleanup();
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
		lib.easy_cleanup(h->curl);
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
		if (!curl_ok || (h->curl = lib.easy_init()) == NULL) {
			snprintf(a->error, sizeof(a->error),
			    "cannot start libcurl");
			goto out;
		}
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		if ((nl = lib.slist_append(list, headers[i])) == NULL) {
			snprintf(a->error, sizeof(a->error), "out of memory");
			goto out;
		}
		list = nl;
	}
	/* No "Expect: 100-continue" round trip. */
	if ((nl = lib.slist_append(list, "Expect:")) == NULL)
		goto out;
	list = nl;
	lib.easy_reset(h->curl);
	lib.easy_setopt(h->curl, CURLOPT_URL, url);
	lib.easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	lib.easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	lib.easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	lib.easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	lib.easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    h->timeout_ms < CONNECT_MAX_MS ? h->timeout_ms : CONNECT_MAX_MS);
	lib.easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	lib.easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL)
		lib.easy_setopt(h->curl, CURLOPT_CAINFO, h->ca_file);
	lib.easy_setopt(h->curl, CURLOPT_USERAGENT, "Hearth/" HEARTH_VERSION);
	lib.easy_setopt(h->curl, CURLOPT_HTTPHEADER, list);
	lib.easy_setopt(h->curl, CURLOPT_POST, 1L);
	lib.easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	lib.easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	lib.easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	lib.easy_setopt(h->curl, CURLOPT_WRITEDATA, &s);
	lib.easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = lib.easy_perform(h->curl);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && s.over)) {
		/* libcurl's detail says more than its code's name. */
		snprintf(a->error, sizeof(a->error), "%.*s",
		    (int)sizeof(a->error) - 1,
		    errbuf[0] ? errbuf : lib.easy_strerror(rc));
		goto out;
	}
	lib.easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
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
		lib.easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
		lib.easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	}
	if (list != NULL)
		lib.slist_free_all(list);
	free(s.p);
	return ok;
}
