/*
 * gzip made of joined deflate chunks, so that a text that changed in a
 * few places is compressed again only there (issue 15, "rebuild with
 * gzip"). The text is cut into chunks at content-defined places (before
 * a "BEGIN:VEVENT" line whose next line hashes to a cut, one in 128,
 * between a minimum and a maximum size), so an edit or an insertion moves no cut
 * but its own. Each chunk is raw deflate at level 9 with the 32 KiB of
 * text before it as the preset dictionary, ended by a sync flush (byte
 * aligned, not final): the chunks laid end to end are one deflate
 * stream, closed by an empty final block, in a gzip member whose CRC-32
 * is combined from the chunks' own. A chunk is reused from an earlier
 * result when its bytes and the 32 KiB before it are byte-equal to
 * those of a chunk there (compared, not hashed), so the output is
 * always exactly what compressing every chunk anew would give.
 *
 * Pure: no I/O, no locks; the caller keeps the earlier text alive while
 * it passes it with its result.
 */
#ifndef HEARTH_GZJOIN_H
#define HEARTH_GZJOIN_H

#include <stddef.h>
#include <stdint.h>

/* The chunks of one text and their compressed bytes. */
struct gzjoin;

/* Reuse and work of one gzjoin_make. */
struct gzjoin_stats {
	size_t chunks, reused;
	size_t bytes_compressed; /* text bytes deflated by this call */
};

/* gzip (RFC 1952) of text into *out (malloc'd, the caller frees) and
 * *outsz, reusing the chunks of base (NULL = none), which was made from
 * base_text (base_len bytes, alive for the call). Returns the chunks of
 * text for a later call (gzjoin_free), NULL when memory or zlib failed
 * (then *out is NULL). stats may be NULL. */
struct gzjoin *gzjoin_make(const char *text, size_t len,
    const struct gzjoin *base, const char *base_text, size_t base_len,
    unsigned char **out, size_t *outsz, struct gzjoin_stats *stats);

/* The bytes a result keeps (its chunks' compressed bytes and index). */
size_t gzjoin_bytes(const struct gzjoin *);

void gzjoin_free(struct gzjoin *);

/* The cut rule's sizes (exposed for the unit tests). */
#define GZJOIN_WINDOW 32768
#define GZJOIN_MIN (16u * 1024)
#define GZJOIN_MAX (128u * 1024)

#endif
