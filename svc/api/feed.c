/*
 * iCalendar feeds: a counsellor's shifts and talks (by secret token), a
 * station's public events, and all public events. A built feed is kept
 * as a ready response, keyed by what was asked and by the store revision
 * and the day: an unchanged poll finds it without touching the tables
 * (on PostgreSQL, one primary-key read of the database's revision, which
 * every instance's writes move: issue 16)
 * and sends the kept bytes without copying them. Any committed write
 * makes the next poll rebuild, and a rebuild is incremental: the feed's
 * rows are compared by fingerprint with the ones the kept entry was built
 * from (its pieces), and only the changed ones are read and made again
 * (svc_feed_text_from); a whole build takes each VEVENT's text from
 * feedcache.c unless its inputs changed. The gzip form is made once per built feed, at the
 * best level, by the first poll that takes gzip, from chunks: those whose
 * bytes did not change since the last gzip form of the same feed are
 * reused (core/gzjoin.c). Kept feeds are bounded
 * by count and by bytes (least recently used go first). Polls are
 * counted per feed for the coordinator's feed-health view in memory and
 * written out every 30 seconds, so a poll costs no table read and no
 * disk sync.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "../service/feedcache.h"

#define FEED_CACHE_MAX 256
#define FEED_CACHE_BYTES (12u * 1024 * 1024)
#define FEED_MAX_ITEMS 20000
#define STALE_AFTER (48 * 3600)

/* The gzip chunks of one text, and that text (kept alive by a reference
 * to the response owning it), for the next gzip form of the feed. */
struct gz_keep {
	atomic_int refs;
	struct gzjoin *gj;
	struct http_shared *owner;
	const char *text;
	size_t len;
};

/* One built feed, shared by the cache and the requests sending it; the
 * last reference frees it. */
struct feed_entry {
	atomic_int refs;
	char key[192];
	int64_t revision, day;
	const char *text; /* the plain body, owned by plain */
	size_t len;
	struct http_shared *plain;
	pthread_mutex_t gz_lock;
	struct http_shared *gz; /* made by the first poll taking gzip */
	atomic_size_t gzlen;
	struct gz_keep *gzk;    /* gz's chunks, for the next entry */
	struct gz_keep *gzbase; /* the last chunks of this feed (no gz yet) */
	atomic_size_t gzkeep;   /* the bytes gzk or gzbase hold */
	char etag[SECRET_HASH_HEX + 8], etag_gz[SECRET_HASH_HEX + 8];
	time_t last_modified;
	char lm[32];
	int private_;
	char health[96]; /* feed-health key: names no secret token */
	struct svc_feed_pieces *pieces; /* where text's VEVENTs lie */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct feed_entry *cache[FEED_CACHE_MAX];
static uint64_t cache_used[FEED_CACHE_MAX]; /* cache_tick at last use */
static uint64_t cache_tick;

#define HEALTH_SLOTS 256
#define HEALTH_FLUSH_S 30

/* Polls counted since the last write to the store. */
struct health {
	char feed[96];
	char ua[201];
	time_t at;
	int64_t full, not_modified;
};

static pthread_mutex_t health_lock = PTHREAD_MUTEX_INITIALIZER;
static struct health pending[HEALTH_SLOTS];
static size_t npending;
static time_t last_flush;

/* Counts one poll; 1 when the counts are due to be written. */
static int
health_count(const char *feed, const char *ua, int fresh, time_t now)
{
	size_t i;
	int due;

	pthread_mutex_lock(&health_lock);
	for (i = 0; i < npending; i++)
		if (strcmp(pending[i].feed, feed) == 0)
			break;
	if (i == npending && npending < HEALTH_SLOTS) {
		snprintf(pending[i].feed, sizeof(pending[i].feed), "%s", feed);
		pending[i].full = pending[i].not_modified = 0;
		npending++;
	}
	if (i < npending) {
		snprintf(pending[i].ua, sizeof(pending[i].ua), "%s", ua);
		pending[i].at = now;
		if (fresh)
			pending[i].not_modified++;
		else
			pending[i].full++;
	}
	if (last_flush == 0)
		last_flush = now;
	due = npending == HEALTH_SLOTS || now - last_flush >= HEALTH_FLUSH_S;
	pthread_mutex_unlock(&health_lock);
	return due;
}

int
api_feed_health_flush(struct store *st)
{
	struct health *copy;
	size_t n, i;
	int rc = 1;

	if ((copy = malloc(sizeof(pending))) == NULL)
		return -1;
	pthread_mutex_lock(&health_lock);
	n = npending;
	memcpy(copy, pending, n * sizeof(*copy));
	npending = 0;
	last_flush = time(NULL);
	pthread_mutex_unlock(&health_lock);
	for (i = 0; i < n; i++)
		if (store_feed_fetch_record(st, copy[i].feed, copy[i].ua,
		        copy[i].full, copy[i].not_modified, copy[i].at) < 0)
			rc = -1;
	free(copy);
	return rc;
}

static struct feed_entry *
entry_new(void)
{
	struct feed_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	atomic_init(&e->refs, 1);
	atomic_init(&e->gzlen, 0);
	atomic_init(&e->gzkeep, 0);
	pthread_mutex_init(&e->gz_lock, NULL);
	return e;
}

static void
gz_keep_unref(struct gz_keep *k)
{
	if (k == NULL || atomic_fetch_sub(&k->refs, 1) != 1)
		return;
	gzjoin_free(k->gj);
	http_shared_unref(k->owner);
	free(k);
}

static void
entry_unref(struct feed_entry *e)
{
	if (e == NULL || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	gz_keep_unref(e->gzk);
	gz_keep_unref(e->gzbase);
	http_shared_unref(e->plain);
	http_shared_unref(e->gz);
	svc_feed_pieces_free(e->pieces);
	pthread_mutex_destroy(&e->gz_lock);
	free(e);
}

static size_t
entry_bytes(struct feed_entry *e)
{
	return sizeof(*e) + e->len + atomic_load(&e->gzlen) +
	    atomic_load(&e->gzkeep) + svc_feed_pieces_bytes(e->pieces);
}

void
api_feed_cache_free(void)
{
	size_t i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < FEED_CACHE_MAX; i++) {
		entry_unref(cache[i]);
		cache[i] = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
	feedcache_clear();
}

void
api_feed_cache_stats(size_t *entries, size_t *bytes)
{
	size_t i;

	*entries = *bytes = 0;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < FEED_CACHE_MAX; i++)
		if (cache[i] != NULL) {
			(*entries)++;
			*bytes += entry_bytes(cache[i]);
		}
	pthread_mutex_unlock(&cache_lock);
}

/* Builds the feed into e (under no lock), from the pieces of prev (the
 * outdated entry of the same feed; NULL = none). Last-Modified is when
 * these bytes first appeared: prev's time when the text is unchanged,
 * else now — the rows alone cannot say, since a renamed station or a
 * deleted shift changes a feed without a newer row in it. 1, 0 unknown,
 * -1. */
static int
build(struct store *st, const struct svc_feed_ask *ask, struct feed_entry *e,
    const struct feed_entry *prev)
{
	const char *prev_etag = prev != NULL ? prev->etag : NULL;
	time_t prev_lm = prev != NULL ? prev->last_modified : 0;
	const struct svc_config *cfg = svc_config();
	time_t now = svc_now(), lm = 0;
	int64_t today = activity_local_day(now, tzdb_default());
	/* Whole days, so the text (and its ETag) stays the same all day. */
	time_t from = tzdb_day_start(today - cfg->feed_days_back);
	time_t to = tzdb_day_start(today + cfg->feed_days_ahead + 1);
	char hash[SECRET_HASH_HEX], *text = NULL;
	size_t len = 0;
	int rc;

	snprintf(e->health, sizeof(e->health), "%s", ask->health);
	if ((rc = svc_feed_text_from(st, ask, now, from, to,
	         prev != NULL ? prev->pieces : NULL,
	         prev != NULL ? prev->text : NULL, &text, &len, &lm, e->health,
	         hash, &e->pieces)) <= 0)
		return rc;
	snprintf(e->etag, sizeof(e->etag), "\"%.32s\"", hash);
	snprintf(e->etag_gz, sizeof(e->etag_gz), "\"%.32s-gz\"", hash);
	e->last_modified = prev_etag != NULL && strcmp(prev_etag, e->etag) == 0
	    ? prev_lm
	    : now;
	http_date_format(e->last_modified, e->lm);
	e->private_ = ask->private_;
	{
		const char *cc = ask->private_ ? "private, no-cache"
		                               : "public, max-age=300";
		const char *plain_h[] = {"ETag", e->etag, "Last-Modified",
		    e->lm, "Cache-Control", cc, "Vary", "Accept-Encoding",
		    NULL};

		/* The response owns the text; e reads it for the gzip form. */
		e->text = text;
		e->len = len;
		e->plain = http_shared_take("text/calendar; charset=utf-8",
		    text, len, plain_h);
	}
	if (e->plain == NULL) {
		e->text = NULL;
		return -1;
	}
	return 1;
}

static atomic_uint_least64_t gz_reused, gz_made, gz_deflated;

void
api_feed_gzip_stats(uint64_t *reused, uint64_t *made, uint64_t *deflated)
{
	*reused = atomic_load(&gz_reused);
	*made = atomic_load(&gz_made);
	*deflated = atomic_load(&gz_deflated);
}

/* The gzip form of e, made once (the first poll that takes gzip waits
 * for it, later ones find it) from the chunks of the feed's last gzip
 * form where they are unchanged; NULL when it cannot be made. */
static struct http_shared *
entry_gzip(struct feed_entry *e)
{
	const char *cc = e->private_ ? "private, no-cache"
	                             : "public, max-age=300";
	const char *gz_h[] = {"ETag", e->etag_gz, "Last-Modified", e->lm,
	    "Cache-Control", cc, "Vary", "Accept-Encoding", "Content-Encoding",
	    "gzip", NULL};
	struct http_shared *sh;
	struct gz_keep *base, *k;
	struct gzjoin_stats gs;
	struct gzjoin *gj;
	unsigned char *gz;
	size_t gzlen;

	pthread_mutex_lock(&e->gz_lock);
	base = e->gzbase;
	if (e->gz == NULL &&
	    (gj = gzjoin_make(e->text, e->len, base ? base->gj : NULL,
	         base ? base->text : NULL, base ? base->len : 0, &gz, &gzlen,
	         &gs)) != NULL) {
		atomic_fetch_add(&gz_reused, gs.reused);
		atomic_fetch_add(&gz_made, gs.chunks - gs.reused);
		atomic_fetch_add(&gz_deflated, gs.bytes_compressed);
		e->gz = http_shared_take("text/calendar; charset=utf-8", gz,
		    gzlen, gz_h);
		if (e->gz != NULL && (k = calloc(1, sizeof(*k))) != NULL) {
			atomic_init(&k->refs, 1);
			k->gj = gj;
			http_shared_ref(e->plain);
			k->owner = e->plain;
			k->text = e->text;
			k->len = e->len;
			e->gzk = k;
			gj = NULL;
			atomic_store(&e->gzkeep, gzjoin_bytes(k->gj));
			e->gzbase = NULL;
			gz_keep_unref(base);
		}
		gzjoin_free(gj);
		if (e->gz != NULL)
			atomic_store(&e->gzlen, gzlen);
	}
	sh = e->gz;
	pthread_mutex_unlock(&e->gz_lock);
	return sh;
}

/* Gives e (not yet shared) the last gzip chunks of prev, its outdated
 * entry of the same feed, for e's gzip form. */
static void
entry_inherit_gzip(struct feed_entry *e, struct feed_entry *prev)
{
	struct gz_keep *k;

	pthread_mutex_lock(&prev->gz_lock);
	if ((k = prev->gzk != NULL ? prev->gzk : prev->gzbase) != NULL) {
		atomic_fetch_add(&k->refs, 1);
		e->gzbase = k;
		atomic_store(&e->gzkeep, k->len + gzjoin_bytes(k->gj));
	}
	pthread_mutex_unlock(&prev->gz_lock);
}

static void
cache_key(const struct svc_feed_ask *ask, char *key, size_t sz)
{
	snprintf(key, sz, "%d|%s|%s|%s|%s|%d", ask->kind,
	    ask->token ? ask->token : "",
	    ask->station_code ? ask->station_code : "",
	    ask->event_kind ? ask->event_kind : "",
	    ask->audience ? ask->audience : "", ask->alarms);
}

/* The current entry of key, with a reference for the caller; NULL when
 * there is none, with *prev the outdated entry of key (a reference for
 * the caller) or NULL. */
static struct feed_entry *
cache_get(const char *key, int64_t rev, int64_t day, struct feed_entry **prev)
{
	struct feed_entry *e;
	size_t i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < FEED_CACHE_MAX; i++) {
		if ((e = cache[i]) == NULL || strcmp(e->key, key) != 0)
			continue;
		if (e->revision == rev && e->day == day) {
			cache_used[i] = ++cache_tick;
			atomic_fetch_add(&e->refs, 1);
			pthread_mutex_unlock(&cache_lock);
			return e;
		}
		atomic_fetch_add(&e->refs, 1);
		*prev = e;
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return NULL;
}

/* Keeps e (the cache takes its own reference) in the place of the entry
 * of the same key, an empty place or the least recently used entry,
 * then drops the least recently used others while the kept bytes are
 * over FEED_CACHE_BYTES. */
static void
cache_put(struct feed_entry *e)
{
	size_t i, victim = 0, total;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < FEED_CACHE_MAX; i++) {
		if (cache[i] == NULL || strcmp(cache[i]->key, e->key) == 0) {
			victim = i;
			break;
		}
		if (cache_used[i] < cache_used[victim])
			victim = i;
	}
	entry_unref(cache[victim]);
	atomic_fetch_add(&e->refs, 1);
	cache[victim] = e;
	cache_used[victim] = ++cache_tick;
	for (;;) {
		size_t old = FEED_CACHE_MAX;

		for (i = 0, total = 0; i < FEED_CACHE_MAX; i++) {
			if (cache[i] == NULL)
				continue;
			total += entry_bytes(cache[i]);
			if (i != victim &&
			    (old == FEED_CACHE_MAX ||
			        cache_used[i] < cache_used[old]))
				old = i;
		}
		if (total <= FEED_CACHE_BYTES || old == FEED_CACHE_MAX)
			break;
		entry_unref(cache[old]);
		cache[old] = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
}

/* Memory (issue 15): a build's transient allocations (the rows, the
 * libical components of new pieces, the assembly) leave free holes in
 * the malloc arenas that glibc keeps; handing them back after each
 * build costs 0.2-0.4 ms (a build is 10-40 ms, once per change) and
 * took the bench's resident size after the feed load from 31.4 to
 * 28.0 MB (2,000-item feed, 200/gzip load). */
static void
give_back_memory(void)
{
	malloc_trim(0);
}

static int
serve(struct http_req *r, struct svc_feed_ask *ask)
{
	struct feed_entry *e, *prev = NULL;
	struct http_shared *body;
	struct store *st;
	char key[sizeof(e->key)], health[sizeof(e->health)];
	int64_t rev;
	int64_t day = activity_local_day(svc_now(), tzdb_default());
	int gz = http_req_accepts_gzip(r), fresh, rc;
	const char *ua = http_req_header(r, "User-Agent");
	char uabuf[201];

	st = api_store(r);
	/* PostgreSQL: the database's, so another instance's write is seen
	 * on the next request (issue 16). */
	rev = store_revision_of(st);
	cache_key(ask, key, sizeof(key));
	if ((e = cache_get(key, rev, day, &prev)) == NULL) {
		if ((e = entry_new()) == NULL) {
			entry_unref(prev);
			return api_reply_internal(r, "feed entry");
		}
		memcpy(e->key, key, sizeof(key));
		e->revision = rev;
		e->day = day;
		rc = build(st, ask, e, prev);
		if (rc > 0 && prev != NULL)
			entry_inherit_gzip(e, prev);
		entry_unref(prev);
		if (rc <= 0) {
			entry_unref(e);
			return api_reply_not_found(r, rc,
			    "没有这个日历订阅：链接已更换或已停用");
		}
		cache_put(e);
		give_back_memory();
	}
	/* Without memory for the gzip form, the plain one is as good. */
	if (gz && (body = entry_gzip(e)) == NULL)
		gz = 0;
	if (!gz)
		body = e->plain;
	fresh = http_req_not_modified(r, gz ? e->etag_gz : e->etag,
	    e->last_modified);
	rc = http_reply_shared(r, fresh ? 304 : 200, body);
	memcpy(health, e->health, sizeof(health));
	entry_unref(e);
	snprintf(uabuf, sizeof(uabuf), "%s", ua ? ua : "");
	/* Health is advisory: a failed write must not fail the feed. */
	if (health_count(health,
	        valid_utf8_len(uabuf, strlen(uabuf)) >= 0 ? uabuf : "?", fresh,
	        svc_now()))
		api_feed_health_flush(st);
	return rc;
}

/* A request for a feed of kind, with alarms when the query asks. */
static void
ask_init(struct svc_feed_ask *ask, struct http_req *r, enum svc_feed_kind kind)
{
	const char *v = http_req_query(r, "alarms");

	memset(ask, 0, sizeof(*ask));
	ask->kind = kind;
	ask->alarms = v != NULL &&
	    (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

int
api_feed_counsellor(struct http_req *r)
{
	struct svc_feed_ask ask;

	ask_init(&ask, r, FEED_COUNSELLOR);
	ask.token = http_req_tok(r, 0);
	ask.private_ = 1;
	return serve(r, &ask);
}

int
api_feed_station(struct http_req *r)
{
	struct svc_feed_ask ask;

	ask_init(&ask, r, FEED_STATION);
	ask.station_code = http_req_tok(r, 0);
	snprintf(ask.health, sizeof(ask.health), "station:%.64s",
	    ask.station_code);
	return serve(r, &ask);
}

int
api_feed_events(struct http_req *r)
{
	struct svc_feed_ask ask;
	const char *station = http_req_query(r, "station");

	ask_init(&ask, r, FEED_EVENTS);
	if (!api_enum_query_or_reply(r, "kind", activity_kinds,
	        &ask.event_kind) ||
	    !api_enum_query_or_reply(r, "audience", activity_audiences,
	        &ask.audience))
		return http_req_status(r);
	if (station != NULL && *station != '\0') {
		if (strlen(station) > 32 || !valid_code(station))
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "station",
			    "驻点：应为驻点编码（小写字母、数字和下划线）");
		ask.station_code = station;
	}
	snprintf(ask.health, sizeof(ask.health), "events");
	return serve(r, &ask);
}

/* Checks a feed path of this server and names its calendar; 1 known,
 * 0 unknown or malformed, -1 failure. */
static int
feed_named(struct store *st, const char *path, char *name, size_t sz)
{
	struct counsellor c;
	struct station s;
	char tok[FEED_TOKEN_MAX];
	int rc;

	switch (valid_feed_path(path, tok)) {
	case FEED_PATH_EVENTS:
		snprintf(name, sz, "心访工作室公开活动");
		return 1;
	case FEED_PATH_COUNSELLOR:
		if ((rc = store_counsellor_get_by_feed_token(st, tok, &c)) <= 0)
			return rc;
		snprintf(name, sz, "心访排班 · %s", c.name);
		rc = c.active;
		counsellor_free(&c);
		return rc;
	case FEED_PATH_STATION:
		if ((rc = store_station_get_by_code(st, tok, &s)) <= 0)
			return rc;
		snprintf(name, sz, "心访工作室活动 · %s", s.name);
		station_free(&s);
		return 1;
	case FEED_PATH_NONE:
		break;
	}
	return 0;
}

/* Percent-encodes s for a query value (RFC 3986 unreserved kept). */
static void
url_encode(const char *s, char *out, size_t sz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *s && n + 4 < sz; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/') {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

/* A feed of this server: its calendar's name and its URLs. */
struct feed_links {
	char name[160], https[512], webcal[512];
};

/* Names the feed path and makes its https and webcal URLs; replies
 * (404 when the path is not a feed of ours) and returns 0 when not. */
static int
links_or_reply(struct http_req *r, const char *path, struct feed_links *l)
{
	const char *b = svc_config()->base_url, *p = strstr(b, "://");
	int rc = feed_named(api_store(r), path, l->name, sizeof(l->name));

	if (!api_found_field_or_reply(r, rc, "feed",
	        "没有这个订阅日历，链接可能已失效"))
		return 0;
	snprintf(l->https, sizeof(l->https), "%s%s", b, path);
	snprintf(l->webcal, sizeof(l->webcal), "webcal://%s%s", p ? p + 3 : b,
	    path);
	return 1;
}

int
api_feed_info(struct http_req *r)
{
	const char *path = http_req_query(r, "feed");
	struct feed_links l;
	char qr[1000], enc[920];

	if (!links_or_reply(r, path, &l))
		return http_req_status(r);
	url_encode(path, enc, sizeof(enc));
	snprintf(qr, sizeof(qr), "/feeds/qr.svg?feed=%s", enc);
	return http_reply_json(r, 200,
	    json_pack("{s:s, s:s, s:s, s:s}", "name", l.name, "https_url",
	        l.https, "webcal_url", l.webcal, "qr_url", qr));
}

int
api_feed_qr(struct http_req *r)
{
	struct feed_links l;

	if (!links_or_reply(r, http_req_query(r, "feed"), &l))
		return http_req_status(r);
	return api_reply_qr(r, l.webcal);
}

int
api_feed_health(struct http_req *r)
{
	struct counsellor_filter cf = {1, 0, NULL};
	struct store_page pg = {FEED_MAX_ITEMS, 0};
	struct counsellor *people = NULL;
	struct feed_fetch *f = NULL;
	struct store *st;
	size_t np = 0, nf = 0, i, k;
	int64_t total;
	time_t now = svc_now();
	json_t *items, *others;
	char key[64], url[512];

	st = api_store(r);
	if (api_feed_health_flush(st) < 0 ||
	    store_counsellor_list(st, &cf, &pg, &people, &np, &total) < 0 ||
	    store_feed_fetch_list(st, &f, &nf) < 0) {
		counsellor_list_free(people, np);
		return api_reply_store_error(r);
	}
	items = json_array();
	for (i = 0; i < np && items; i++) {
		const struct feed_fetch *hit = NULL;

		snprintf(key, sizeof(key), "counsellor:%lld",
		    (long long)people[i].id);
		for (k = 0; k < nf && hit == NULL; k++)
			if (strcmp(f[k].feed, key) == 0)
				hit = &f[k];
		snprintf(url, sizeof(url), "%s/feeds/counsellors/%s.ics",
		    svc_config()->base_url, people[i].feed_token);
		json_array_append_new(items,
		    json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:I, s:b}",
		        "counsellor_id", (json_int_t)people[i].id, "name",
		        people[i].name, "feed_url", url, "last_fetch_at",
		        hit ? tzdb_time_json(hit->last_fetch_at) : json_null(),
		        "user_agent", hit ? hit->user_agent : "", "count_200",
		        (json_int_t)(hit ? hit->count_200 : 0), "count_304",
		        (json_int_t)(hit ? hit->count_304 : 0), "stale",
		        hit == NULL || hit->last_fetch_at < now - STALE_AFTER));
	}
	others = json_array();
	for (k = 0; k < nf && others; k++)
		if (strncmp(f[k].feed, "counsellor:", 11) != 0)
			json_array_append_new(others,
			    json_pack("{s:s, s:o, s:s, s:I, s:I}", "feed",
			        f[k].feed, "last_fetch_at",
			        tzdb_time_json(f[k].last_fetch_at),
			        "user_agent", f[k].user_agent, "count_200",
			        (json_int_t)f[k].count_200, "count_304",
			        (json_int_t)f[k].count_304));
	counsellor_list_free(people, np);
	feed_fetch_list_free(f, nf);
	return http_reply_json(r, 200,
	    json_pack("{s:o, s:o}", "items", items ? items : json_array(),
	        "public", others ? others : json_array()));
}
