/*
 * libFuzzer target: the feed builder (hical_build of ical/build.c, which
 * every feed and invitation goes through) on events made from the input:
 * text fields, times, zones, alarms and attendees taken from its bytes.
 * Whatever it builds is CRLF-ended, folded at 75 octets and valid UTF-8
 * (a fold never splits a character); what it refuses it refuses cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearth_ical.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct reader {
	const uint8_t *p;
	size_t n;
};

static unsigned
byte(struct reader *r)
{
	unsigned v = 0;

	if (r->n > 0) {
		v = *r->p++;
		r->n--;
	}
	return v;
}

/* A string of the next 0-63 bytes (NUL-terminated copy in pool). */
static const char *
str(struct reader *r, char **pool)
{
	size_t len = byte(r) % 64, i;
	char *s = *pool;

	for (i = 0; i < len && r->n > 0; i++)
		s[i] = (char)byte(r);
	s[i] = '\0';
	*pool += i + 1;
	return s;
}

static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;

	while (i < n) {
		unsigned char c = s[i];

		need = c < 0x80          ? 0
		    : (c & 0xE0) == 0xC0 ? 1
		    : (c & 0xF0) == 0xE0 ? 2
		    : (c & 0xF8) == 0xF0 ? 3
		                         : 9;
		if (need == 9 || i + need >= n + (need == 0))
			return need == 0;
		for (k = 1; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {"Asia/Shanghai", "UTC",
	    "Europe/Berlin", "America/New_York", "Nowhere/Zone"};
	struct reader r = {data, size};
	struct hical_event ev[4];
	struct hical_attendee att[2];
	struct hical_calendar cal;
	int alarms[3];
	char *pool = malloc(size + 64 * 32), *mem = pool, *out, *line;
	size_t n, i, len;
	const time_t base = 1798761600; /* 2027-01-01 */

	if (pool == NULL)
		return 0;
	memset(&cal, 0, sizeof(cal));
	cal.name = str(&r, &pool);
	cal.tzid = "Asia/Shanghai";
	cal.window_from = base - 90 * 86400;
	cal.window_to = base + 400 * 86400;
	cal.refresh = byte(&r) & 1 ? "PT1H" : NULL;
	cal.method = byte(&r) % 3 == 0 ? "REQUEST" : NULL;
	n = 1 + byte(&r) % 4;
	for (i = 0; i < 3; i++)
		alarms[i] = (int)(byte(&r) * 160);
	att[0].name = str(&r, &pool);
	att[0].email = "a@example.org";
	att[1].name = NULL;
	att[1].email = str(&r, &pool);
	for (i = 0; i < n; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].uid = str(&r, &pool);
		ev[i].sequence = byte(&r);
		ev[i].dtstamp = base;
		ev[i].last_modified = byte(&r) & 1 ? base : 0;
		ev[i].start = base + (time_t)(byte(&r) << 8 | byte(&r)) * 900;
		ev[i].end = ev[i].start + (time_t)byte(&r) * 600;
		ev[i].tzid = zones[byte(&r) % 5];
		ev[i].summary = str(&r, &pool);
		ev[i].location = byte(&r) & 1 ? str(&r, &pool) : NULL;
		ev[i].description = str(&r, &pool);
		ev[i].url = byte(&r) & 1 ? "https://example.org/e/1" : NULL;
		ev[i].category = byte(&r) & 1 ? "讲座" : NULL;
		ev[i].status = (enum hical_status)(byte(&r) %
		    HICAL_STATUS__MAX);
		ev[i].organizer_email = byte(&r) & 1 ? "org@example.org" : NULL;
		ev[i].organizer_name = str(&r, &pool);
		ev[i].attendees = att;
		ev[i].nattendees = byte(&r) % 3;
		ev[i].alarm_minutes = alarms;
		ev[i].nalarms = byte(&r) % 4;
	}
	out = hical_build(&cal, ev, n, &len);
	if (out != NULL) {
		if (len != strlen(out) || len < 2 || out[len - 2] != '\r' ||
		    out[len - 1] != '\n' || !utf8_ok((unsigned char *)out, len))
			abort();
		for (line = out; line < out + len;) {
			char *end = strstr(line, "\r\n");

			if (end == NULL || end - line > 75 ||
			    memchr(line, '\n', (size_t)(end - line)) != NULL)
				abort();
			line = end + 2;
		}
		free(out);
	}
	free(mem);
	return 0;
}
