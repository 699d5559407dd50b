/*
 * The system's zoneinfo, loaded on demand and kept for the life of the
 * process: the one place that reads TZif files for core/tz.c.
 */
#ifndef HEARTH_TZDB_H
#define HEARTH_TZDB_H

#include "core/core.h"

/* The zone named name, or NULL when the system does not know it. The
 * result lives until tzdb_free. Thread-safe. */
const struct tz *tzdb_get(const char *name);
/* Asia/Shanghai, the default zone of stations and of the API's output;
 * NULL only if the system has no tzdata (then UTC is shown). */
const struct tz *tzdb_default(void);
void tzdb_free(void);

#endif
