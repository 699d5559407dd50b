/*
 * Demo data: the 13 stations of one district's reports and 14 invented
 * counsellors, loaded into a database by `hearth demo`.
 */
#ifndef HEARTH_DEMO_H
#define HEARTH_DEMO_H

#include "store/store.h"

/* Loads what is missing (idempotent: rows matched by station code and
 * counsellor e-mail). With activities, also duty templates and a few
 * public events (one held, with survey links) when there are none, and
 * the last quarter's shifts with their duty logs when no shift is past.
 * Returns 1, or 0 after logging why. *stations and *counsellors get the
 * numbers added. */
int demo_load(struct store *, int activities, int *stations, int *counsellors);

#endif
