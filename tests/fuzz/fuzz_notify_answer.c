/*
 * libFuzzer target: the readers of the answers of the services Hearth
 * posts to (svc/core/notify.c): a group robot's {"errcode","errmsg"},
 * Alibaba Cloud SendSms and Tencent Cloud SendSms. The first byte picks
 * the reader, the next two the HTTP status; the rest is the body, which
 * comes from the network. Checks what the sender relies on: a known
 * result; an error text that is NUL-terminated inside its buffer, valid
 * UTF-8 and free of control characters (it goes into logs and the
 * console); "sent" only for a 2xx answer, with no error text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 201, 204, 301, 400, 403, 404, 408,
	    429, 500, 502, 503, 0, 99, 600, 299};
	char err[96];
	enum notify_result r;
	const char *body;
	size_t len, i, n;
	long status;

	if (size < 3)
		return 0;
	status = data[1] < 16 ? statuses[data[1]] : (long)data[1] * 4 + data[2];
	body = (const char *)data + 3;
	len = size - 3;
	memset(err, 'x', sizeof(err));
	switch (data[0] % 3) {
	case 0:
		r = notify_robot_answer(status, body, len, err, sizeof(err));
		break;
	case 1:
		r = notify_aliyun_answer(status, body, len, err, sizeof(err));
		break;
	default:
		r = notify_tencent_answer(status, body, len, err, sizeof(err));
		break;
	}
	if (r != NOTIFY_SENT && r != NOTIFY_RETRY && r != NOTIFY_DOWN &&
	    r != NOTIFY_DEAD)
		abort();
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	n = strlen(err);
	if (valid_utf8_len(err, n) < 0)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			abort();
	if (r == NOTIFY_SENT && (status < 200 || status > 299 || n != 0))
		abort();
	if (r != NOTIFY_SENT && n == 0)
		abort();
	return 0;
}
