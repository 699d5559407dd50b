/*
 * libFuzzer target: incremental feeds against whole builds. The input is
 * cut at NUL bytes into strings that become the fields of up to eight
 * events (and the calendar's name); each event picks its zone, times,
 * status, alarms and attendees from the input's bytes. Whatever libical
 * and our refolding make of any text — every fold point, every UTF-8
 * sequence, escapes, CR and LF — hical_build and feedcache_build (built
 * twice, the second time from kept pieces) must both refuse it or give
 * the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "service/feedcache.h"

#define FUZZ_EVENTS 8
#define FUZZ_FIELDS (4 + FUZZ_EVENTS * 5)

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const zones[4] = {
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Urumqi",
};
static const int alarms[3] = {0, 60, 40320};
static const struct hical_attendee guests[2] = {
    {"张老师", "zhang@example.org"},
    {NULL, "li@example.org"},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int limited;
	struct hical_event ev[FUZZ_EVENTS];
	struct hical_calendar cal;
	char *copy, *f[FUZZ_FIELDS], *p, *whole, *inc, *again;
	size_t nf = 0, n, i, wl = 0, il = 0, al = 0;
	unsigned b;

	if (!limited) {
		/* Small: pieces are evicted between inputs too. */
		feedcache_set_limit(64 * 1024);
		limited = 1;
	}
	if (size > 16 * 1024 || (copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; nf < FUZZ_FIELDS && p <= copy + size; p += strlen(p) + 1)
		f[nf++] = p;
	while (nf < FUZZ_FIELDS)
		f[nf++] = "";
	b = size > 0 ? data[0] : 0;
	memset(&cal, 0, sizeof(cal));
	cal.name = f[0][0] ? f[0] : NULL;
	cal.tzid = b & 1 ? "Asia/Shanghai" : NULL;
	cal.refresh = b & 2 ? "PT1H" : NULL;
	cal.window_from = 1767225600 - (time_t)(b >> 2) * 86400 * 40;
	cal.window_to = cal.window_from + 491 * 86400;
	n = 1 + (size > 1 ? data[1] % FUZZ_EVENTS : 0);
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < n; i++) {
		unsigned x = size > 2 + i ? data[2 + i] : (unsigned)i;
		char **g = &f[4 + i * 5];

		ev[i].uid = g[0][0] ? g[0] : "event-1@hearth.test";
		ev[i].sequence = x % 5;
		ev[i].dtstamp = 1767225600 + (time_t)x * 3600;
		ev[i].last_modified = x & 1 ? ev[i].dtstamp : 0;
		ev[i].start = cal.window_from + (time_t)x * 86400 + 1800;
		ev[i].end = ev[i].start + (time_t)(x % 7) * 1800;
		ev[i].tzid = zones[x % 4];
		ev[i].summary = g[1];
		ev[i].location = x & 2 ? g[2] : NULL;
		ev[i].description = g[3];
		ev[i].url = x & 4 ? g[4] : NULL;
		ev[i].category = x & 8 ? f[1] : NULL;
		ev[i].status = (enum hical_status)(x % HICAL_STATUS__MAX);
		if (x & 16) {
			ev[i].organizer_email = f[2][0] ? f[2] : "a@b.example";
			ev[i].organizer_name = f[3][0] ? f[3] : NULL;
			ev[i].attendees = guests;
			ev[i].nattendees = 2;
		}
		if (x & 32) {
			ev[i].alarm_minutes = alarms;
			ev[i].nalarms = 1 + x % 3;
		}
	}
	whole = hical_build(&cal, ev, n, &wl);
	inc = feedcache_build(&cal, ev, n, &il, NULL);
	again = feedcache_build(&cal, ev, n, &al, NULL);
	if ((whole == NULL) != (inc == NULL) ||
	    (inc == NULL) != (again == NULL))
		abort();
	if (whole != NULL &&
	    (wl != il || memcmp(whole, inc, wl) != 0 || al != il ||
	        memcmp(inc, again, il) != 0))
		abort();
	free(whole);
	free(inc);
	free(again);
	free(copy);
	return 0;
}
