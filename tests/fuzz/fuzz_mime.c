/*
 * libFuzzer target: the e-mail builder of svc/core/mime.c. The input is
 * four control bytes (flags, UTC offset, date) and then fields split on
 * NUL bytes: from name, from address, to name, to address, subject,
 * message-id, unsubscribe URL, reply-to, text and, last, the calendar
 * (which may hold NULs). Whatever is built must be 7-bit text in CRLF
 * lines of at most 998 octets whose parts decode back to the input;
 * header words must decode back to their input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NFIELDS 10

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 of s[0..n) without line ends into out; aborts on a bad
 * character. Returns the decoded size. */
static size_t
b64_decode(const char *s, size_t n, unsigned char *out)
{
	unsigned v = 0, bits = 0;
	size_t i, o = 0;
	int x;

	if (n % 4 != 0)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			if (i + 2 < n || (i + 1 < n && s[i + 1] != '='))
				abort();
			continue;
		}
		if ((x = b64_value(s[i])) < 0)
			abort();
		v = v << 6 | (unsigned)x;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	return o;
}

/* What mime_header_encode accepts: UTF-8 without C0 controls or DEL. */
static int
header_text_ok(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return valid_utf8_len(s, strlen(s)) >= 0;
}

/* A header value: printable ASCII, CR only in a CRLF SP fold, every
 * line (with room for a field name of 20) at most 998 octets. */
static void
check_header_value(const char *v)
{
	const char *p, *line = v;

	for (p = v; *p != '\0'; p++) {
		if (*p == '\r') {
			if (p[1] != '\n' || p[2] != ' ')
				abort();
			if (p - line + 20 > 998)
				abort();
			line = p + 2;
			p++;
			continue;
		}
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			abort();
	}
	if (p - line + 20 > 998)
		abort();
}

/* Decodes the words of enc (as mime_header_encode writes them) and
 * compares with s; each word holds 1-45 bytes of whole characters. */
static void
check_words(const char *enc, const char *s)
{
	unsigned char *out;
	const char *p = enc, *end;
	size_t o = 0, n;

	if (strncmp(enc, "=?", 2) != 0) {
		if (strcmp(enc, s) != 0 || strstr(s, "=?") != NULL)
			abort();
		return;
	}
	if ((out = malloc(strlen(enc) + 1)) == NULL)
		return;
	for (;;) {
		if (strncmp(p, "=?UTF-8?B?", 10) != 0)
			abort();
		p += 10;
		if ((end = strstr(p, "?=")) == NULL)
			abort();
		n = b64_decode(p, (size_t)(end - p), out + o);
		if (n == 0 || n > 45 || valid_utf8_len((char *)out + o, n) < 0)
			abort();
		o += n;
		p = end + 2;
		if (*p == '\0')
			break;
		if (strncmp(p, "\r\n ", 3) != 0)
			abort();
		p += 3;
	}
	if (o != strlen(s) || memcmp(out, s, o) != 0)
		abort();
	free(out);
}

/* "email" alone without a name, else "phrase <email>". */
static void
check_address(const char *a, const char *name, const char *email)
{
	size_t alen = strlen(a), k = strlen(email);

	check_header_value(a);
	if (name[0] == '\0') {
		if (strcmp(a, email) != 0)
			abort();
		return;
	}
	if (alen < k + 4 || memcmp(a + alen - k - 3, " <", 2) != 0 ||
	    memcmp(a + alen - k - 1, email, k) != 0 || a[alen - 1] != '>')
		abort();
}

/* Decodes the base64 lines from *pp (each <= 76, CRLF) up to a "--"
 * line or the end; advances *pp. Returns the size decoded into out. */
static size_t
decode_part(const char **pp, unsigned char *out)
{
	const char *p = *pp, *e;
	size_t o = 0;

	while (*p != '\0' && strncmp(p, "--", 2) != 0) {
		if ((e = strstr(p, "\r\n")) == NULL || e - p > 76)
			abort();
		o += b64_decode(p, (size_t)(e - p), out + o);
		p = e + 2;
	}
	*pp = p;
	return o;
}

/* The whole message: 7-bit, CRLF lines of at most 998 octets, parts
 * decoding to the text (line ends made CRLF) and the calendar. */
static void
check_message(const char *msg, size_t len, const struct mime_message *m)
{
	unsigned char *out;
	const char *p, *line = msg;
	char *want;
	size_t i, w = 0, n;

	if (strlen(msg) != len || len < 2 || msg[len - 2] != '\r' ||
	    msg[len - 1] != '\n')
		abort();
	for (p = msg; *p != '\0'; p++) {
		if (*p == '\r') {
			if (p[1] != '\n' || p - line > 998)
				abort();
			line = p + 2;
			p++;
		} else if (*p == '\n' || (unsigned char)*p < 0x20 ||
		    (unsigned char)*p > 0x7e)
			abort();
	}

	if ((out = malloc(len)) == NULL)
		return;
	n = m->text != NULL ? strlen(m->text) : 0;
	if ((want = malloc(2 * n + 1)) == NULL) {
		free(out);
		return;
	}
	for (i = 0; i < n; i++) {
		if (m->text[i] == '\n' && (i == 0 || m->text[i - 1] != '\r'))
			want[w++] = '\r';
		want[w++] = m->text[i];
		if (m->text[i] == '\r' && m->text[i + 1] != '\n')
			want[w++] = '\n';
	}
	if ((p = strstr(msg, "\r\n\r\n")) == NULL)
		abort();
	p += 4;
	if (m->calendar != NULL && (p = strstr(p, "\r\n\r\n")) == NULL)
		abort();
	if (m->calendar != NULL)
		p += 4;
	if (decode_part(&p, out) != w || memcmp(out, want, w) != 0)
		abort();
	if (m->calendar != NULL) {
		if ((p = strstr(p, "\r\n\r\n")) == NULL)
			abort();
		p += 4;
		if (decode_part(&p, out) != m->calendar_len ||
		    memcmp(out, m->calendar, m->calendar_len) != 0)
			abort();
		if (strncmp(p, "--=_hearth_", 11) != 0 ||
		    strcmp(p + 43, "--\r\n") != 0)
			abort();
	} else if (*p != '\0')
		abort();
	free(want);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"REQUEST", "CANCEL", "PUBLISH",
	    "request"};
	const char *f[NFIELDS];
	struct mime_message m;
	char *copy, *s, *end, *msg;
	size_t i, n, len = 0;

	if (size < 4 || size > 65536)
		return 0;
	/* +1: the calendar may run to the end without a NUL */
	if ((copy = malloc(size - 4 + 1)) == NULL)
		return 0;
	memcpy(copy, data + 4, size - 4);
	copy[size - 4] = '\0';
	end = copy + size - 4;
	for (i = 0; i < NFIELDS; i++)
		f[i] = end;
	for (s = copy, n = 0; n < NFIELDS && s != NULL; n++) {
		f[n] = s;
		if (n + 1 < NFIELDS &&
		    (s = memchr(s, '\0', (size_t)(end - s))) != NULL)
			s++;
	}

	for (i = 0; i < NFIELDS - 1; i++) {
		char *enc = mime_header_encode(f[i]);

		if ((enc != NULL) != header_text_ok(f[i]))
			abort();
		if (enc != NULL) {
			check_header_value(enc);
			check_words(enc, f[i]);
		}
		free(enc);
	}
	for (i = 0; i + 1 < NFIELDS - 1; i++) {
		char *a = mime_address(f[i], f[i + 1]);

		if (a != NULL)
			check_address(a, f[i], f[i + 1]);
		free(a);
	}

	memset(&m, 0, sizeof(m));
	m.from_name = f[0];
	m.from_email = f[1];
	m.to_name = f[2];
	m.to_email = f[3];
	m.subject = f[4];
	m.message_id = f[5];
	m.unsubscribe_url = data[0] & 1 ? f[6] : NULL;
	m.reply_to = data[0] & 2 ? f[7] : NULL;
	m.text = data[0] & 4 ? f[8] : NULL;
	if (data[0] & 8) {
		m.calendar = f[9];
		m.calendar_len = (size_t)(end - f[9]);
		m.calendar_method = methods[data[0] >> 4 & 3];
	}
	m.utc_offset_min = (int16_t)(data[1] | data[2] << 8) % 1500;
	m.date = (time_t)(((int64_t)data[3] - 32) * 400000000LL);
	if ((msg = mime_build(&m, &len)) != NULL) {
		/* only the three methods, in upper case */
		if (m.calendar != NULL && (data[0] >> 4 & 3) == 3)
			abort();
		check_message(msg, len, &m);
		free(msg);
	}
	free(copy);
	return 0;
}
