/*
 * libFuzzer target: TZif images. tz_parse must never read outside the
 * buffer; a zone it accepts must answer offsets and local conversions
 * for ordinary instants without tripping the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t instants[] = {
	    -2208988800LL, /* 1900 */
	    -1, 0, 581137200, 1772413200, 1774746000, 1792890000, 2147483647LL,
	    2147483648LL, 4118126400LL, 32503680000LL, /* 3000 */
	};
	unsigned char *copy;
	struct tz *z;
	size_t i;

	/* an exact-size heap copy: ASan sees any read past the end */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	z = tz_parse("Fuzz/Zone", copy, size);
	free(copy);
	if (z == NULL)
		return 0;
	if (strcmp(tz_name(z), "Fuzz/Zone") != 0)
		abort();
	for (i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
		char buf[TIME_RFC3339_MAX];
		int32_t off = tz_offset_at(z, (time_t)instants[i]);
		time_t u;

		(void)off;
		tz_format_rfc3339(z, (time_t)instants[i], buf);
		u = tz_local_to_utc(z, instants[i]);
		(void)u;
	}
	tz_free(z);
	return 0;
}
