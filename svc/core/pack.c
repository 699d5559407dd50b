/*
 * QR codes as SVG for subscribe, check-in and survey links (the feeds'
 * gzip is gzjoin.c's). Pure computation over libqrencode; no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "core.h"

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
