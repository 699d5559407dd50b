/*
 * Fixed-window rate limits per client address (logins, registrations,
 * anonymous survey answers). A bounded table: when it is full, the
 * oldest window is reused, so hostile clients cannot grow memory.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

#define LIMIT_SLOTS 1024

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

int
api_limit_reached(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];
	int over;

	pthread_mutex_lock(&l->lock);
	over = slot_for(l, key, time(NULL))->count >= l->max;
	pthread_mutex_unlock(&l->lock);
	return over;
}

void
api_limit_count(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];

	pthread_mutex_lock(&l->lock);
	slot_for(l, key, time(NULL))->count++;
	pthread_mutex_unlock(&l->lock);
}

void
api_limit_reset(enum api_limit which, const char *key)
{
	struct api_limiter *l = &limiters[which];

	pthread_mutex_lock(&l->lock);
	slot_for(l, key, time(NULL))->count = 0;
	pthread_mutex_unlock(&l->lock);
}
