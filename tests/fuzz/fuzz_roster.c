/*
 * libFuzzer target: the roster solver (core/roster.c) on slots, people
 * and busy times taken from the input. Whatever it assigns keeps the
 * hard rules: an active person, no overlap with their other seats,
 * shifts or leave, within their weekly minutes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct reader {
	const uint8_t *p;
	size_t n;
};

static unsigned
take(struct reader *r)
{
	unsigned v = 0;

	if (r->n > 0) {
		v = *r->p++;
		r->n--;
	}
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {data, size};
	struct roster_person people[8];
	struct roster_busy busy[16];
	struct roster_slot slots[48];
	size_t np = 1 + take(&r) % 8, nb = take(&r) % 16, ns = take(&r) % 48;
	size_t i, j;
	const time_t base = 1798761600; /* 2027-01-01 */

	for (i = 0; i < np; i++) {
		people[i].id = (int64_t)i + 1;
		people[i].home_station_id = take(&r) % 4;
		people[i].max_week_minutes = (int64_t)(take(&r) % 40) * 60;
		people[i].active = take(&r) % 5 != 0;
	}
	for (i = 0; i < nb; i++) {
		busy[i].counsellor_id = (int64_t)(take(&r) % (np + 1));
		busy[i].start = base + (time_t)take(&r) * 3600;
		busy[i].end = busy[i].start +
		    (time_t)(1 + take(&r) % 48) * 1800;
		busy[i].leave = take(&r) & 1;
	}
	for (i = 0; i < ns; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		slots[i].station_id = take(&r) % 4;
		slots[i].template_id = take(&r) % 6;
		slots[i].seat = (int)(take(&r) % 3);
		slots[i].start = base + (time_t)take(&r) * 3600;
		slots[i].end = slots[i].start +
		    (time_t)(1 + take(&r) % 8) * 1800;
		slots[i].day = activity_local_day(slots[i].start, NULL);
	}
	if (!roster_solve(slots, ns, people, np, busy, nb, NULL))
		return 0;
	for (i = 0; i < ns; i++) {
		const struct roster_slot *s = &slots[i];
		int64_t id = s->counsellor_id;

		if (id == 0)
			continue;
		if (id < 1 || id > (int64_t)np || !people[id - 1].active ||
		    s->reason != 0)
			abort();
		for (j = 0; j < nb; j++)
			if (busy[j].counsellor_id == id &&
			    busy[j].start < s->end && busy[j].end > s->start)
				abort();
		for (j = 0; j < ns; j++)
			if (j != i && slots[j].counsellor_id == id &&
			    slots[j].start < s->end && slots[j].end > s->start)
				abort();
	}
	return 0;
}
