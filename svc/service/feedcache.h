/*
 * Incremental feeds: the text of every VEVENT (and of every calendar
 * head with its VTIMEZONEs) kept by its exact inputs, so a feed is
 * assembled from kept pieces and only what changed goes through libical.
 * Knows nothing of HTTP or SQL: structs in, the calendar's bytes out.
 *
 * The rule (docs/architecture.md, "Incremental feeds"): a piece is
 * reused only when every field of its struct hical_event (or of the
 * calendar head and its list of zones) is byte-equal to the one it was
 * made from. Nothing is ever invalidated by hand: a renamed station, a
 * renamed speaker, a new zone or a moved window changes the struct, so
 * it misses and is made anew; pieces no feed uses any more age out
 * when the cache is over its byte limit.
 */
#ifndef HEARTH_FEEDCACHE_H
#define HEARTH_FEEDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "../../ical/hearth_ical.h"

/* A digest in hex with its NUL (core's SECRET_HASH_HEX). */
#define FEEDCACHE_DIGEST 65

struct feedcache_stats {
	size_t pieces;         /* kept VEVENT and head texts */
	size_t bytes;          /* their keys, texts and bookkeeping */
	size_t limit;          /* the byte limit */
	uint64_t hits, misses; /* pieces found / made, since start */
	uint64_t evicted;      /* pieces dropped over the limit */
};

/* The bytes hical_build(cal, ev, n, len) makes, from kept pieces and
 * new ones (kept for the next call); NULL where hical_build gives NULL.
 * The caller frees the text. digest (NULL = not wanted) receives a
 * BLAKE2b digest of the text, made from the pieces' own digests (each
 * made once), so it changes exactly when the bytes do and costs no pass
 * over them. Safe from several threads at once. */
char *feedcache_build(const struct hical_calendar *, const struct hical_event *,
    size_t n, size_t *len, char digest[FEEDCACHE_DIGEST]);

/* Sets the byte limit (default FEEDCACHE_LIMIT); over it, the pieces
 * used longest ago are dropped after a build. */
#define FEEDCACHE_LIMIT (8u * 1024 * 1024)
void feedcache_set_limit(size_t bytes);

void feedcache_stats(struct feedcache_stats *);

/* Drops every piece (shutdown, tests). */
void feedcache_clear(void);

#endif
