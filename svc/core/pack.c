/*
 * Encodings of bytes that leave the service: gzip for feeds and QR codes
 * as SVG for subscribe, check-in and survey links. Pure computation over
 * zlib and libqrencode; no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "core.h"

int
pack_gzip(const void *in, size_t sz, unsigned char **out, size_t *outsz)
{
	z_stream zs;
	uLong bound;
	unsigned char *buf;
	int rc;

	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	bound = deflateBound(&zs, (uLong)sz) + 32;
	if ((buf = malloc(bound)) == NULL) {
		deflateEnd(&zs);
		return 0;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)sz;
	zs.next_out = buf;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	*outsz = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(buf);
		return 0;
	}
	*out = buf;
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
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return NULL;
	w = qr->width;
	/* One path segment per dark module keeps the SVG small and exact. */
	cap = 256 + (size_t)w * (size_t)w * 24;
	if ((svg = malloc(cap)) == NULL) {
		QRcode_free(qr);
		return NULL;
	}
	p = svg;
	n = snprintf(p, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", w + 2 * quiet, w + 2 * quiet);
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
