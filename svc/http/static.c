/*
 * Static files of the web console, from HEARTH_WEB_DIR. Paths are
 * whitelisted (no "..", no hidden files, a fixed character set) before
 * the file system is asked anything. Built responses are cached by path
 * and revalidated with stat(), so a poll with If-None-Match costs one
 * stat and no read; a response replaced after a file changed is retired,
 * not freed, because a request on another thread may still hold it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define STATIC_MAX_FILE (16u * 1024 * 1024)

struct static_entry {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char etag[64];
	size_t body_sz;
	struct MHD_Response *resp;
	struct static_entry *next;
};

struct static_cache {
	char *dir;
	pthread_mutex_t lock;
	struct static_entry *entries;
	struct static_entry *retired;
};

struct static_cache *
http_static_new(const char *web_dir)
{
	struct static_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if ((c->dir = strdup(web_dir ? web_dir : "web")) == NULL) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void
entries_free(struct static_entry *e)
{
	struct static_entry *next;

	for (; e != NULL; e = next) {
		next = e->next;
		MHD_destroy_response(e->resp);
		free(e->path);
		free(e);
	}
}

void
http_static_free(struct static_cache *c)
{
	if (c == NULL)
		return;
	entries_free(c->entries);
	entries_free(c->retired);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

/* Reads the file into a new cached response; NULL on failure. */
static struct static_entry *
load(const char *rel, const char *full, const struct stat *sb)
{
	struct static_entry *e;
	char *buf = NULL, lm[64];
	ssize_t got;
	size_t have = 0;
	int fd;
	struct tm tm;

	if (sb->st_size < 0 || (size_t)sb->st_size > STATIC_MAX_FILE)
		return NULL;
	if ((fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return NULL;
	if ((buf = malloc((size_t)sb->st_size + 1)) == NULL)
		goto err;
	while (have < (size_t)sb->st_size) {
		got = read(fd, buf + have, (size_t)sb->st_size - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			goto err;
		have += (size_t)got;
	}
	close(fd);
	fd = -1;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		goto err;
	e->resp = MHD_create_response_from_buffer(have, buf,
	    MHD_RESPMEM_MUST_FREE);
	if (e->resp == NULL) {
		free(e);
		goto err;
	}
	buf = NULL;
	e->body_sz = have;
	e->dev = sb->st_dev;
	e->ino = sb->st_ino;
	e->size = sb->st_size;
	e->mtime = sb->st_mtim;
	snprintf(e->etag, sizeof(e->etag), "\"%lx-%lx-%lx\"",
	    (unsigned long)sb->st_mtim.tv_sec,
	    (unsigned long)sb->st_mtim.tv_nsec, (unsigned long)sb->st_size);
	gmtime_r(&sb->st_mtim.tv_sec, &tm);
	strftime(lm, sizeof(lm), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if ((e->path = strdup(rel)) == NULL ||
	    !http_security_headers(e->resp) ||
	    MHD_add_response_header(e->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	        http_mime_type(rel)) != MHD_YES ||
	    MHD_add_response_header(e->resp, MHD_HTTP_HEADER_ETAG, e->etag) !=
	        MHD_YES ||
	    MHD_add_response_header(e->resp, MHD_HTTP_HEADER_LAST_MODIFIED,
	        lm) != MHD_YES ||
	    MHD_add_response_header(e->resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	        strncmp(rel, "/vendor/", 8) == 0 ? "public, max-age=86400"
	                                         : "no-cache") != MHD_YES) {
		e->next = NULL;
		entries_free(e);
		return NULL;
	}
	return e;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static void
not_found(struct http_req *r)
{
	static const char body[] = "404 Not Found\n";

	http_reply_bytes(r, 404, "text/plain; charset=utf-8", body,
	    sizeof(body) - 1);
}

void
http_static_serve(struct static_cache *c, struct http_req *r)
{
	http_static_serve_path(c, r,
	    strcmp(r->path, "/") == 0 ? "/index.html" : r->path);
}

int
http_reply_file(struct http_req *r, const char *rel)
{
	http_static_serve_path(r->statics, r, rel);
	return r->status;
}

void
http_static_serve_path(struct static_cache *c, struct http_req *r,
    const char *rel)
{
	struct static_entry *e, **pp;
	struct stat sb;
	char full[512];
	struct MHD_Response *resp;
	size_t sz;
	int status;

	if (!http_static_path_allowed(rel) ||
	    (size_t)snprintf(full, sizeof(full), "%s%s", c->dir, rel) >=
	        sizeof(full) ||
	    stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		not_found(r);
		return;
	}
	pthread_mutex_lock(&c->lock);
	for (pp = &c->entries; (e = *pp) != NULL; pp = &e->next)
		if (strcmp(e->path, rel) == 0)
			break;
	if (e != NULL &&
	    (e->ino != sb.st_ino || e->dev != sb.st_dev ||
	        e->size != sb.st_size || e->mtime.tv_sec != sb.st_mtim.tv_sec ||
	        e->mtime.tv_nsec != sb.st_mtim.tv_nsec)) {
		*pp = e->next;
		e->next = c->retired;
		c->retired = e;
		e = NULL;
	}
	if (e == NULL && (e = load(rel, full, &sb)) != NULL) {
		e->next = c->entries;
		c->entries = e;
	}
	if (e == NULL) {
		pthread_mutex_unlock(&c->lock);
		http_reply_errorf(r, HERR_INTERNAL, NULL, "cannot read file");
		return;
	}
	resp = e->resp;
	sz = e->body_sz;
	status = http_req_not_modified(r, e->etag, e->mtime.tv_sec) ? 304 : 200;
	pthread_mutex_unlock(&c->lock);
	/* LIBNOTES: the 200 response queued as 304 keeps the right
	 * Content-Length and sends no body. */
	http_reply_borrow(r, status, resp, sz);
}
