/*
 * Internal interface between the sources in ical/, which alone include
 * it; it may name libical types because ical/ is the one layer that
 * includes libical.
 */
#ifndef HEARTH_ICAL_INTERNAL_H
#define HEARTH_ICAL_INTERNAL_H

#include <stddef.h>

#include <libical/ical.h>

/* vtimezone.c */
icalcomponent *zone_component(const char *);

/* text.c */
size_t text_utf8_len(const unsigned char *, size_t);
int text_utf8_valid(const char *, size_t);

#endif
