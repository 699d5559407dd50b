/*
 * Incremental feeds (feedcache.h). One table of pieces — the text of a
 * VEVENT, or of a calendar's head with its VTIMEZONEs — each found by
 * its key, an exact encoding of every input of that text. A build looks
 * every piece up under the lock, pins what it found, makes the missing
 * ones with libical outside the lock (several threads may build at
 * once), then, under the lock again, adds them, copies head, pieces and
 * HICAL_END into the feed, unpins, and drops the least recently used
 * unpinned pieces while the table is over its byte limit. A pinned
 * piece is never freed, so a build never reads freed text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core.h"
#include "feedcache.h"

struct piece {
	struct piece *next; /* in its bucket */
	uint64_t hash;
	uint64_t used;             /* the build clock when last used */
	unsigned pins;             /* builds now reading the text */
	char sum[SECRET_HASH_HEX]; /* the text's digest */
	size_t keysz, textsz;
	char data[]; /* the key, then the text and a NUL */
};

#define PIECE_OVERHEAD (sizeof(struct piece) + 16)

_Static_assert(FEEDCACHE_DIGEST == SECRET_HASH_HEX, "digest size");

static struct {
	pthread_mutex_t lock;
	struct piece **buckets; /* nbuckets, a power of two */
	size_t nbuckets, n;
	size_t bytes, limit;
	uint64_t clock;
	uint64_t hits, misses, evicted;
} fc = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .limit = FEEDCACHE_LIMIT,
};

/* --- keys --------------------------------------------------------------- */

static void
key_int(struct strbuf *b, long long v)
{
	strbuf_add(b, (const char *)&v, sizeof(v));
}

/* A string with its presence: NULL and "" differ. */
static void
key_str(struct strbuf *b, const char *s)
{
	if (s == NULL) {
		strbuf_add(b, "\x01", 1);
		return;
	}
	strbuf_add(b, "\x02", 1);
	strbuf_add(b, s, strlen(s) + 1);
}

/* Every field of e, in order: the whole input of its VEVENT text. */
static void
key_event(struct strbuf *b, const struct hical_event *e)
{
	size_t i;

	strbuf_add(b, "E", 1);
	key_str(b, e->uid);
	key_int(b, e->sequence);
	key_int(b, (long long)e->dtstamp);
	key_int(b, (long long)e->last_modified);
	key_int(b, (long long)e->start);
	key_int(b, (long long)e->end);
	key_str(b, e->tzid);
	key_str(b, e->summary);
	key_str(b, e->location);
	key_str(b, e->description);
	key_str(b, e->url);
	key_str(b, e->category);
	key_int(b, (long long)e->status);
	key_str(b, e->organizer_name);
	key_str(b, e->organizer_email);
	key_int(b, (long long)e->nattendees);
	for (i = 0; e->attendees != NULL && i < e->nattendees; i++) {
		key_str(b, e->attendees[i].name);
		key_str(b, e->attendees[i].email);
	}
	key_int(b, (long long)e->nalarms);
	for (i = 0; e->alarm_minutes != NULL && i < e->nalarms; i++)
		key_int(b, e->alarm_minutes[i]);
}

/* The calendar's fields and its zones: the input of its head text. */
static void
key_head(struct strbuf *b, const struct hical_calendar *cal,
    const char *const *zones, size_t nz)
{
	size_t i;

	strbuf_add(b, "H", 1);
	key_str(b, cal->name);
	key_str(b, cal->tzid);
	key_str(b, cal->method);
	key_int(b, (long long)cal->window_from);
	key_int(b, (long long)cal->window_to);
	key_str(b, cal->refresh);
	key_int(b, (long long)nz);
	for (i = 0; i < nz; i++)
		key_str(b, zones[i]);
}

static uint64_t
key_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

/* --- the table (under fc.lock) -------------------------------------------- */

static struct piece *
table_find(uint64_t hash, const char *key, size_t keysz)
{
	struct piece *p;

	if (fc.nbuckets == 0)
		return NULL;
	for (p = fc.buckets[hash & (fc.nbuckets - 1)]; p != NULL; p = p->next)
		if (p->hash == hash && p->keysz == keysz &&
		    memcmp(p->data, key, keysz) == 0)
			return p;
	return NULL;
}

/* Doubles the buckets once there are more pieces than buckets; a failed
 * allocation leaves the table as it was (longer chains, still right). */
static void
table_grow(void)
{
	struct piece **nb, *p, *next;
	size_t nn = fc.nbuckets ? fc.nbuckets * 2 : 1024, i;

	if (fc.n < fc.nbuckets || (nb = calloc(nn, sizeof(*nb))) == NULL)
		return;
	for (i = 0; i < fc.nbuckets; i++)
		for (p = fc.buckets[i]; p != NULL; p = next) {
			next = p->next;
			p->next = nb[p->hash & (nn - 1)];
			nb[p->hash & (nn - 1)] = p;
		}
	free(fc.buckets);
	fc.buckets = nb;
	fc.nbuckets = nn;
}

static void
table_add(struct piece *p)
{
	table_grow();
	if (fc.nbuckets == 0) {
		/* No table at all: the piece serves this build only. */
		p->next = NULL;
		return;
	}
	p->next = fc.buckets[p->hash & (fc.nbuckets - 1)];
	fc.buckets[p->hash & (fc.nbuckets - 1)] = p;
	fc.n++;
	fc.bytes += PIECE_OVERHEAD + p->keysz + p->textsz + 1;
}

static int
by_used(const void *a, const void *b)
{
	const struct piece *x = *(struct piece *const *)a;
	const struct piece *y = *(struct piece *const *)b;

	return x->used < y->used ? -1 : x->used > y->used;
}

/* Frees unpinned pieces, least recently used first, until the table is
 * under three quarters of its limit. */
static void
table_trim(void)
{
	struct piece **all, **pp, *p;
	size_t i, k = 0, goal = fc.limit / 4 * 3;

	if (fc.bytes <= fc.limit)
		return;
	if ((all = malloc(fc.n * sizeof(*all))) == NULL)
		return;
	for (i = 0; i < fc.nbuckets; i++)
		for (p = fc.buckets[i]; p != NULL; p = p->next)
			if (p->pins == 0)
				all[k++] = p;
	qsort(all, k, sizeof(*all), by_used);
	for (i = 0; i < k && fc.bytes > goal; i++) {
		p = all[i];
		for (pp = &fc.buckets[p->hash & (fc.nbuckets - 1)]; *pp != p;
		     pp = &(*pp)->next)
			;
		*pp = p->next;
		fc.n--;
		fc.bytes -= PIECE_OVERHEAD + p->keysz + p->textsz + 1;
		fc.evicted++;
		free(p);
	}
	free(all);
}

static struct piece *
piece_new(uint64_t hash, const char *key, size_t keysz, const char *text,
    size_t textsz)
{
	struct piece *p;

	if ((p = malloc(sizeof(*p) + keysz + textsz + 1)) == NULL)
		return NULL;
	p->next = NULL;
	p->hash = hash;
	p->used = 0;
	p->pins = 0;
	p->keysz = keysz;
	p->textsz = textsz;
	memcpy(p->data, key, keysz);
	memcpy(p->data + keysz, text, textsz);
	p->data[keysz + textsz] = '\0';
	secret_digest(text, textsz, p->sum);
	return p;
}

/* --- a build ---------------------------------------------------------------- */

/* The distinct zones of ev in the order of first use (as hical_build
 * writes its VTIMEZONEs); 0 when memory ran out. */
static int
zones_of(const struct hical_event *ev, size_t n, const char ***out, size_t *nz)
{
	const char **z = NULL, **nzv;
	size_t i, k, have = 0, cap = 0;

	for (i = 0; i < n; i++) {
		if (ev[i].tzid == NULL)
			continue; /* refused by the builder */
		for (k = 0; k < have; k++)
			if (strcmp(z[k], ev[i].tzid) == 0)
				break;
		if (k < have)
			continue;
		if (have == cap) {
			cap = cap ? cap * 2 : 4;
			if ((nzv = realloc(z, cap * sizeof(*z))) == NULL) {
				free(z);
				return 0;
			}
			z = nzv;
		}
		z[have++] = ev[i].tzid;
	}
	*out = z;
	*nz = have;
	return 1;
}

/* What one build holds: piece 0 is the head, piece i+1 is ev[i]. */
struct build {
	size_t n;    /* pieces: events + 1 */
	size_t *off; /* each key's offset in keys.p, then the end */
	uint64_t *hash;
	struct piece **got; /* pinned, or NULL while missing */
	struct piece **own; /* made by this build, not in the table */
	struct strbuf keys;
};

static void
build_free(struct build *b)
{
	size_t i;

	for (i = 0; b->own != NULL && i < b->n; i++)
		free(b->own[i]);
	free(b->off);
	free(b->hash);
	free(b->got);
	free(b->own);
	strbuf_free(&b->keys);
}

/* Unpins what b found or added (under the lock). */
static void
build_unpin(struct build *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->got[i] != NULL && b->got[i]->pins > 0)
			b->got[i]->pins--;
}

/* Makes the missing pieces (no lock held); 0 when one cannot be made. */
static int
build_missing(struct build *b, const struct hical_calendar *cal,
    const char *const *zones, size_t nz, const struct hical_event *ev)
{
	struct hical_event *want = NULL;
	size_t *idx = NULL, *lens = NULL, nmiss = 0, i, hsz;
	char **texts = NULL, *head;
	int ok = 0;

	if (b->got[0] == NULL) {
		if ((head = hical_build_head(cal, zones, nz, &hsz)) == NULL)
			return 0;
		b->own[0] = piece_new(b->hash[0], b->keys.p, b->off[1], head,
		    hsz);
		free(head);
		if (b->own[0] == NULL)
			return 0;
	}
	for (i = 1; i < b->n; i++)
		nmiss += b->got[i] == NULL;
	if (nmiss == 0)
		return 1;
	want = malloc(nmiss * sizeof(*want));
	idx = malloc(nmiss * sizeof(*idx));
	texts = malloc(nmiss * sizeof(*texts));
	lens = malloc(nmiss * sizeof(*lens));
	if (want == NULL || idx == NULL || texts == NULL || lens == NULL)
		goto out;
	for (i = 1, nmiss = 0; i < b->n; i++)
		if (b->got[i] == NULL) {
			idx[nmiss] = i;
			want[nmiss++] = ev[i - 1];
		}
	if (!hical_build_events(want, nmiss, texts, lens))
		goto out;
	ok = 1;
	for (i = 0; i < nmiss; i++) {
		size_t k = idx[i];

		b->own[k] = piece_new(b->hash[k], b->keys.p + b->off[k],
		    b->off[k + 1] - b->off[k], texts[i], lens[i]);
		free(texts[i]);
		if (b->own[k] == NULL)
			ok = 0;
	}
out:
	free(want);
	free(idx);
	free(texts);
	free(lens);
	return ok;
}

/* Looks every piece up and pins it (under the lock). */
static void
build_lookup(struct build *b)
{
	size_t i;

	fc.clock++;
	for (i = 0; i < b->n; i++) {
		b->got[i] = table_find(b->hash[i], b->keys.p + b->off[i],
		    b->off[i + 1] - b->off[i]);
		if (b->got[i] != NULL) {
			b->got[i]->pins++;
			b->got[i]->used = fc.clock;
			fc.hits++;
		}
	}
}

/* Adds what this build made, unless another build added the same piece
 * meanwhile (under the lock). */
static void
build_adopt(struct build *b)
{
	struct piece *p;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->own[i] == NULL)
			continue;
		fc.misses++;
		p = table_find(b->own[i]->hash, b->own[i]->data,
		    b->own[i]->keysz);
		if (p == NULL) {
			p = b->own[i];
			table_add(p);
			if (fc.nbuckets > 0)
				b->own[i] = NULL; /* the table's now */
		}
		p->pins++;
		p->used = fc.clock;
		b->got[i] = p;
	}
}

char *
feedcache_build(const struct hical_calendar *cal, const struct hical_event *ev,
    size_t n, size_t *len, char digest[FEEDCACHE_DIGEST])
{
	static const char end[] = HICAL_END;
	struct build b;
	struct strbuf out = {0}, sums = {0};
	const char **zones = NULL;
	size_t nz = 0, i, total;
	char *text = NULL;

	if (cal == NULL || len == NULL || (n > 0 && ev == NULL) ||
	    n >= SIZE_MAX / sizeof(struct piece *) - 1)
		return NULL;
	memset(&b, 0, sizeof(b));
	b.n = n + 1;
	b.off = malloc((b.n + 1) * sizeof(*b.off));
	b.hash = malloc(b.n * sizeof(*b.hash));
	b.got = calloc(b.n, sizeof(*b.got));
	b.own = calloc(b.n, sizeof(*b.own));
	if (b.off == NULL || b.hash == NULL || b.got == NULL || b.own == NULL ||
	    !zones_of(ev, n, &zones, &nz))
		goto out;
	b.off[0] = 0;
	key_head(&b.keys, cal, zones, nz);
	for (i = 0; i < n; i++) {
		b.off[i + 1] = b.keys.len;
		key_event(&b.keys, &ev[i]);
	}
	b.off[b.n] = b.keys.len;
	if (b.keys.failed)
		goto out;
	for (i = 0; i < b.n; i++)
		b.hash[i] = key_hash(b.keys.p + b.off[i],
		    b.off[i + 1] - b.off[i]);

	pthread_mutex_lock(&fc.lock);
	build_lookup(&b);
	pthread_mutex_unlock(&fc.lock);

	if (!build_missing(&b, cal, zones, nz, ev)) {
		pthread_mutex_lock(&fc.lock);
		build_unpin(&b);
		pthread_mutex_unlock(&fc.lock);
		goto out;
	}

	pthread_mutex_lock(&fc.lock);
	build_adopt(&b);
	for (i = 0, total = sizeof(end) - 1; i < b.n; i++)
		total += b.got[i]->textsz;
	strbuf_reserve(&out, total);
	strbuf_reserve(&sums, b.n * (SECRET_HASH_HEX - 1));
	for (i = 0; i < b.n; i++) {
		strbuf_add(&out, b.got[i]->data + b.got[i]->keysz,
		    b.got[i]->textsz);
		strbuf_add(&sums, b.got[i]->sum, SECRET_HASH_HEX - 1);
	}
	strbuf_add(&out, end, sizeof(end) - 1);
	build_unpin(&b);
	table_trim();
	pthread_mutex_unlock(&fc.lock);
	if (digest != NULL) {
		if (sums.failed)
			goto out;
		secret_digest(sums.p, sums.len, digest);
	}
	text = strbuf_take(&out, len);
out:
	strbuf_free(&out);
	strbuf_free(&sums);
	free(zones);
	build_free(&b);
	return text;
}

void
feedcache_set_limit(size_t bytes)
{
	pthread_mutex_lock(&fc.lock);
	fc.limit = bytes;
	table_trim();
	pthread_mutex_unlock(&fc.lock);
}

void
feedcache_stats(struct feedcache_stats *s)
{
	pthread_mutex_lock(&fc.lock);
	s->pieces = fc.n;
	s->bytes = fc.bytes + fc.nbuckets * sizeof(*fc.buckets);
	s->limit = fc.limit;
	s->hits = fc.hits;
	s->misses = fc.misses;
	s->evicted = fc.evicted;
	pthread_mutex_unlock(&fc.lock);
}

void
feedcache_clear(void)
{
	struct piece *p, *next;
	size_t i;

	pthread_mutex_lock(&fc.lock);
	for (i = 0; i < fc.nbuckets; i++)
		for (p = fc.buckets[i]; p != NULL; p = next) {
			next = p->next;
			free(p);
		}
	free(fc.buckets);
	fc.buckets = NULL;
	fc.nbuckets = fc.n = fc.bytes = 0;
	pthread_mutex_unlock(&fc.lock);
}
