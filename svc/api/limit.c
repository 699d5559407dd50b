/*
 * Rate limits in memory, per key (a client address or an account name):
 * fixed windows that count events (failed sign-ins per address and per
 * account, registrations, anonymous survey answers) and token buckets
 * that bound a request rate (public writes per address). Bounded tables:
 * when one is full, the slot of the oldest window (or the fullest bucket,
 * which limits nobody) is reused, so hostile clients cannot grow memory.
 *
 * Set-associative (issue 15): a key's slot is looked up in one set of
 * LIMIT_WAYS slots only, the set a keyed hash of the key names
 * (crypto_shorthash, SipHash, under a random key made per process), so a
 * look-up costs the same with 4,096 keys as with one: a scan of the whole
 * table with strcmp, three per registration, was a tenth of the server's
 * CPU. A new key takes an empty slot of its set, else the one that limits
 * least: the oldest window (an expired one first: it limits nobody), the
 * fullest bucket. What this changes for an attacker: to push a victim's
 * window or bucket out (and so clear its count) they must bring
 * LIMIT_WAYS newer keys into the victim's set, not LIMIT_SLOTS into the
 * table; but which set a key falls in depends on the secret hash key, so
 * they cannot choose keys (addresses, or account names, which they can
 * make up freely) that fall in it: each new key hits it with a chance
 * of 1 in LIMIT_SETS, about LIMIT_SLOTS keys to push one victim out as
 * before, and no way to see when that happened. Without the random
 * key, LIMIT_WAYS sign-ins with computed names would have cleared an
 * account's failures.
 *
 * On PostgreSQL (several instances on one database, issue 16) the same
 * windows and buckets are rows of the database (store/shared.c), so a
 * client meets one limit whichever instance nginx sends it to; should
 * the database fail, the instance's own memory limits it meanwhile.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

#define LIMIT_WAYS 16  /* slots of a set, looked at on each look-up */
#define LIMIT_SETS 256 /* sets of a table: a power of two */
#define LIMIT_SLOTS (LIMIT_SETS * LIMIT_WAYS)

/* The hash of keys: a random SipHash key per process. */
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;
static unsigned char hash_key[crypto_shorthash_KEYBYTES];

static void
hash_key_make(void)
{
	/* main's secret_init has made sodium ready already. */
	if (sodium_init() >= 0)
		crypto_shorthash_keygen(hash_key);
}

/* key's hash; its low bits name its set. */
static uint64_t
key_hash(const char *key)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	pthread_once(&hash_once, hash_key_make);
	crypto_shorthash(h, (const unsigned char *)key, strlen(key), hash_key);
	memcpy(&v, h, sizeof(v));
	return v;
}

/* The first of the LIMIT_WAYS slots of hash's set. */
static size_t
set_of(uint64_t hash)
{
	return (size_t)(hash & (LIMIT_SETS - 1)) * LIMIT_WAYS;
}

int
api_limit_set(const char *key)
{
	return (int)(set_of(key_hash(key)) / LIMIT_WAYS);
}

struct slot {
	char key[96];
	uint64_t hash; /* key_hash(key): compared before the key */
	int count;
	time_t window_start;
};

struct api_limiter {
	pthread_mutex_t lock;
	int max, window_s;
	struct slot slots[LIMIT_SLOTS];
};

static struct api_limiter limiters[LIMIT__MAX] = {
    [LIMIT_LOGIN] = {.lock = PTHREAD_MUTEX_INITIALIZER},
    [LIMIT_REGISTER] = {.lock = PTHREAD_MUTEX_INITIALIZER},
    [LIMIT_ANON_SURVEY] = {.lock = PTHREAD_MUTEX_INITIALIZER},
    [LIMIT_LOGIN_ACCOUNT] = {.lock = PTHREAD_MUTEX_INITIALIZER},
};

void
api_limit_config(enum api_limit which, int max, int window_s)
{
	limiters[which].max = max;
	limiters[which].window_s = window_s;
}

/* The slot of key in its current window, in key's set: an empty slot
 * (window_start 0) or the oldest window (an expired one is older than
 * any other) when key has none. Under the limiter's lock. */
static struct slot *
slot_for(struct api_limiter *l, const char *whole, time_t now)
{
	char key[sizeof(l->slots[0].key)];
	uint64_t hash;
	struct slot *set, *oldest;
	size_t i;

	/* A key longer than a slot is known by what a slot holds of it,
	 * so that it still finds the slot it was counted in. */
	snprintf(key, sizeof(key), "%s", whole);
	hash = key_hash(key);
	set = &l->slots[set_of(hash)];
	oldest = &set[0];

	for (i = 0; i < LIMIT_WAYS; i++) {
		struct slot *s = &set[i];

		if (s->hash == hash && s->key[0] != '\0' &&
		    strcmp(s->key, key) == 0) {
			if (now - s->window_start >= l->window_s) {
				s->count = 0;
				s->window_start = now;
			}
			return s;
		}
		if (s->window_start < oldest->window_start)
			oldest = s;
	}
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	oldest->hash = hash;
	oldest->count = 0;
	oldest->window_start = now;
	return oldest;
}

/* The calling thread's store when the limits are in the database. */
static struct store *
shared_store(void)
{
	return store_shared() ? store_thread() : NULL;
}

int
api_limit_wait(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];
	time_t now = time(NULL);
	struct store *st = shared_store();
	struct slot *s;
	int wait = 0;

	if (st != NULL &&
	    (wait = store_rate_count_wait(st, (int)which, key, l->max,
	         l->window_s, now)) >= 0)
		return wait;
	wait = 0;
	pthread_mutex_lock(&l->lock);
	s = slot_for(l, key, now);
	if (s->count >= l->max) {
		wait = (int)(s->window_start + l->window_s - now);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&l->lock);
	return wait;
}

int
api_limit_reached(enum api_limit which, const char *key)
{
	return api_limit_wait(which, key) > 0;
}

void
api_limit_count(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];
	struct store *st = shared_store();

	if (st != NULL &&
	    store_rate_count_add(st, (int)which, key, l->window_s, time(NULL)) >
	        0)
		return;
	pthread_mutex_lock(&l->lock);
	slot_for(l, key, time(NULL))->count++;
	pthread_mutex_unlock(&l->lock);
}

void
api_limit_reset(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];
	struct store *st = shared_store();

	if (st != NULL && store_rate_count_reset(st, (int)which, key) > 0)
		return;
	pthread_mutex_lock(&l->lock);
	slot_for(l, key, time(NULL))->count = 0;
	pthread_mutex_unlock(&l->lock);
}

/* --- token buckets: a request rate per key ----------------------------- */

struct bucket {
	char key[64];
	uint64_t hash; /* key_hash(key) */
	double tokens;
	struct timespec at; /* when tokens was last brought up to date */
};

static struct {
	pthread_mutex_t lock;
	double per_s, burst; /* per_s 0: no limit */
	struct bucket b[LIMIT_SLOTS];
} rates[RATE__MAX] = {
    [RATE_PUBLIC_WRITE] = {.lock = PTHREAD_MUTEX_INITIALIZER},
};

void
api_rate_config(enum api_rate which, int per_minute)
{
	rates[which].per_s = per_minute > 0 ? per_minute / 60.0 : 0;
	rates[which].burst = per_minute > 0 ? per_minute : 0;
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The bucket of key in its set, made full when key has none in place of
 * an empty slot or else the fullest bucket (it limits nobody). Under the
 * rate's lock. */
static struct bucket *
bucket_for(enum api_rate which, const char *whole, const struct timespec *now)
{
	char key[sizeof(rates[which].b[0].key)];
	uint64_t hash;
	struct bucket *set, *victim = NULL;
	double best = -1, t;
	size_t i;

	snprintf(key, sizeof(key), "%s", whole); /* as slot_for */
	hash = key_hash(key);
	set = &rates[which].b[set_of(hash)];

	for (i = 0; i < LIMIT_WAYS; i++) {
		struct bucket *c = &set[i];

		if (c->hash == hash && c->key[0] != '\0' &&
		    strcmp(c->key, key) == 0)
			return c;
		t = c->key[0] == '\0' ? 1e300
		                      : c->tokens +
		        seconds_between(&c->at, now) * rates[which].per_s;
		if (t > best) {
			best = t;
			victim = c;
		}
	}
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->hash = hash;
	victim->tokens = rates[which].burst;
	victim->at = *now;
	return victim;
}

int
api_rate_take(enum api_rate which, const char *key)
{
	struct bucket *b;
	struct store *st;
	struct timespec now;
	int wait = 0;

	if (rates[which].per_s <= 0)
		return 0;
	if ((st = shared_store()) != NULL) {
		/* Wall-clock seconds: the instances' clocks agree (NTP). */
		clock_gettime(CLOCK_REALTIME, &now);
		if ((wait = store_rate_take(st, (int)which, key,
		         rates[which].burst, rates[which].per_s,
		         (double)now.tv_sec + (double)now.tv_nsec / 1e9)) >= 0)
			return wait;
		wait = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&rates[which].lock);
	b = bucket_for(which, key, &now);
	b->tokens += seconds_between(&b->at, &now) * rates[which].per_s;
	if (b->tokens > rates[which].burst)
		b->tokens = rates[which].burst;
	b->at = now;
	if (b->tokens >= 1)
		b->tokens -= 1;
	else {
		wait = (int)((1 - b->tokens) / rates[which].per_s) + 1;
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&rates[which].lock);
	return wait;
}

int
api_reply_rate_limited(struct http_req *r, int wait, const char *msg)
{
	char v[24];

	snprintf(v, sizeof(v), "%d", wait > 0 ? wait : 1);
	http_reply_header(r, "Retry-After", v);
	return http_reply_errorf(r, HERR_RATE_LIMITED, NULL, "%s", msg);
}
