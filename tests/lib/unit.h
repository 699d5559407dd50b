/*
 * Helpers shared by the cmocka unit tests (tests/unit/test_*.c); include
 * after <cmocka.h>.
 */
#ifndef HEARTH_TESTS_UNIT_H
#define HEARTH_TESTS_UNIT_H

#include <stddef.h>

/* unit.c */
/* The whole file at path (under 1 MiB, not empty), malloc'd; fails the
 * test when it cannot be read. */
unsigned char *unit_read_whole(const char *path, size_t *sz);

#endif
