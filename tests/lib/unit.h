/*
 * Helpers shared by the cmocka unit tests (tests/unit/test_*.c); include
 * after <cmocka.h>.
 */
#ifndef HEARTH_TESTS_UNIT_H
#define HEARTH_TESTS_UNIT_H

#include <stddef.h>

#include "core/core.h"

/* unit.c */
/* The whole file at path (under 1 MiB, not empty), malloc'd; fails the
 * test when it cannot be read. */
unsigned char *unit_read_whole(const char *path, size_t *sz);
/* The zone name of the build machine's tzdata (/usr/share/zoneinfo),
 * parsed by tz_parse; NULL when it cannot be read or parsed. */
struct tz *unit_load_zone(const char *name);

#endif
