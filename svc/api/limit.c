/*
 * Rate limits in memory, per key (a client address or an account name):
 * fixed windows that count events (failed sign-ins per address and per
 * account, registrations, anonymous survey answers) and token buckets
 * that bound a request rate (public writes per address). Bounded tables:
 * when one is full, the slot of the oldest window (or the fullest bucket,
 * which limits nobody) is reused, so hostile clients cannot grow memory.
 *
 * On PostgreSQL (several instances on one database, issue 16) the same
 * windows and buckets are rows of the database (store/shared.c), so a
 * client meets one limit whichever instance nginx sends it to; should
 * the database fail, the instance's own memory limits it meanwhile.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

#define LIMIT_SLOTS 4096

struct slot {
	char key[96];
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

/* The slot of key in its current window. Under the limiter's lock. */
static struct slot *
slot_for(struct api_limiter *l, const char *key, time_t now)
{
	struct slot *oldest = &l->slots[0];
	size_t i;

	for (i = 0; i < LIMIT_SLOTS; i++) {
		struct slot *s = &l->slots[i];

		if (s->key[0] != '\0' && strcmp(s->key, key) == 0) {
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

int
api_rate_take(enum api_rate which, const char *key)
{
	struct bucket *b = NULL, *victim = NULL;
	struct store *st;
	struct timespec now;
	double best = -1, t;
	int wait = 0;
	size_t i;

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
	for (i = 0; i < LIMIT_SLOTS; i++) {
		struct bucket *c = &rates[which].b[i];

		if (c->key[0] != '\0' && strcmp(c->key, key) == 0) {
			b = c;
			break;
		}
		/* The fullest bucket (or an empty slot) limits nobody. */
		t = c->key[0] == '\0' ? 1e300
		                      : c->tokens +
		        seconds_between(&c->at, &now) * rates[which].per_s;
		if (t > best) {
			best = t;
			victim = c;
		}
	}
	if (b == NULL) {
		b = victim;
		snprintf(b->key, sizeof(b->key), "%s", key);
		b->tokens = rates[which].burst;
		b->at = now;
	}
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
