/*
 * E-mail messages built in memory: RFC 2047 encoded-words for headers,
 * RFC 5322 addresses and dates, and a MIME (RFC 2045/2046) body of a
 * text part and an optional calendar part, both base64. libesmtp sends
 * the text exactly as given and encodes nothing (LIBNOTES), so every line
 * here ends in CRLF, no header line exceeds 998 octets and headers are
 * pure ASCII. No I/O and no globals: each result is malloc'd for the
 * caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MIME_LINE_MAX 998  /* RFC 5322 §2.1.1, without the CRLF */
#define MIME_WORD_BYTES 45 /* input bytes of one encoded-word */
#define MIME_B64_LINE 76   /* RFC 2045 §6.8 */
/* Printable ASCII longer than this is encoded (and so folded) rather
 * than passed through: it leaves room on the line for a field name and
 * an address of 254 octets. */
#define MIME_PLAIN_MAX 700

/* Base64 (RFC 4648 §4) of p; with wrap > 0 in lines of wrap characters,
 * each ending in CRLF, otherwise on one line without a line end. */
static void
b64_add(struct strbuf *b, const unsigned char *p, size_t sz, size_t wrap)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i, col = 0;
	unsigned v;

	for (i = 0; i < sz; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < sz)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < sz)
			v |= p[i + 2];
		q[0] = abc[v >> 18 & 63];
		q[1] = abc[v >> 12 & 63];
		q[2] = i + 1 < sz ? abc[v >> 6 & 63] : '=';
		q[3] = i + 2 < sz ? abc[v & 63] : '=';
		strbuf_add(b, q, 4);
		col += 4;
		if (wrap > 0 && (col == wrap || i + 3 >= sz)) {
			strbuf_add(b, "\r\n", 2);
			col = 0;
		}
	}
}

/* Valid UTF-8 without C0 controls or DEL: what a header may carry. */
static int
text_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return valid_utf8_len(s, n) >= 0;
}

/* Printable ASCII, short, with nothing a decoder would take for an
 * encoded-word: safe to send as it is. */
static int
plain_ascii(const char *s, size_t n)
{
	size_t i;

	if (n > MIME_PLAIN_MAX || strstr(s, "=?") != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* Length of the UTF-8 character led by c (s is already validated). */
static size_t
utf8_charsz(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xE0)
		return 2;
	if (c < 0xF0)
		return 3;
	return 4;
}

/* RFC 2047 §4.1 "B" words of s, at most MIME_WORD_BYTES input bytes
 * each and never cutting a character, folded with CRLF SP (§2: an
 * encoded-word line stays short). s is valid UTF-8. */
static char *
encode_words(const char *s, size_t n, size_t first)
{
	struct strbuf b = {0};
	size_t i = 0, j, c, max;

	while (i < n) {
		j = i;
		max = i == 0 ? first : MIME_WORD_BYTES;
		while (j < n &&
		    (c = utf8_charsz((unsigned char)s[j])) <= max - (j - i))
			j += c;
		/* A character longer than a short first word: one alone. */
		if (j == i)
			j += utf8_charsz((unsigned char)s[j]);
		if (i > 0)
			strbuf_add(&b, "\r\n ", 3);
		strbuf_add(&b, "=?UTF-8?B?", 10);
		b64_add(&b, (const unsigned char *)s + i, j - i, 0);
		strbuf_add(&b, "?=", 2);
		i = j;
	}
	return strbuf_take(&b, NULL);
}

/* utf8 as a header value: as it is when short plain ASCII, else
 * encoded-words the first of which carries at most first bytes; NULL
 * when it is not UTF-8 or holds a control character. */
static char *
value_encode(const char *utf8, size_t first)
{
	size_t n;

	if (utf8 == NULL)
		return NULL;
	n = strlen(utf8);
	if (!text_ok(utf8, n))
		return NULL;
	if (plain_ascii(utf8, n))
		return strdup(utf8);
	return encode_words(utf8, n, first);
}

char *
mime_header_encode(const char *utf8)
{
	return value_encode(utf8, MIME_WORD_BYTES);
}

/* The value of header name, encoded so that its first line, "name: "
 * included, stays within 76 characters (RFC 2047 §2; a 45-byte first
 * word after "Subject: " made 81): the first word carries fewer bytes,
 * the folded ones MIME_WORD_BYTES. */
static char *
header_value_encode(const char *name, const char *utf8)
{
	/* "name: " then "=?UTF-8?B?" … "?=": 12 characters of frame. */
	size_t lead = strlen(name) + 2 + 12;
	size_t room = lead < 76 ? (76 - lead) / 4 * 3 : 3;

	if (room > MIME_WORD_BYTES)
		room = MIME_WORD_BYTES;
	if (room < 4)
		room = 4;
	return value_encode(utf8, room);
}

/* An address a header can carry: valid_email() and printable ASCII
 * (raw 8-bit would need SMTPUTF8, which we do not ask for). */
static int
email_ok(const char *s)
{
	const char *p;

	if (s == NULL || !valid_email(s))
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p > 0x7e)
			return 0;
	return 1;
}

/* The name as an RFC 5322 §3.2.5 phrase: as it is when only atext and
 * spaces, a quoted-string when it holds specials, encoded-words when it
 * is not plain ASCII (or too long once quoted). NULL on an invalid name
 * or no memory. */
static char *
address_phrase(const char *name)
{
	struct strbuf b = {0};
	size_t n = strlen(name), i, esc = 0;

	if (!text_ok(name, n))
		return NULL;
	for (i = 0; i < n; i++)
		esc += name[i] == '"' || name[i] == '\\';
	if (!plain_ascii(name, n) || n + esc + 2 > MIME_PLAIN_MAX)
		return encode_words(name, n, MIME_WORD_BYTES);
	if (strpbrk(name, "()<>[]:;@\\,.\"") == NULL && name[0] != ' ' &&
	    name[n - 1] != ' ')
		return strdup(name);
	strbuf_add(&b, "\"", 1);
	for (i = 0; i < n; i++) {
		if (name[i] == '"' || name[i] == '\\')
			strbuf_add(&b, "\\", 1);
		strbuf_add(&b, name + i, 1);
	}
	strbuf_add(&b, "\"", 1);
	return strbuf_take(&b, NULL);
}

char *
mime_address(const char *name, const char *email)
{
	struct strbuf b = {0};
	char *phrase;

	if (!email_ok(email))
		return NULL;
	if (name == NULL || name[0] == '\0')
		return strdup(email);
	if ((phrase = address_phrase(name)) == NULL)
		return NULL;
	strbuf_str(&b, phrase);
	strbuf_add(&b, " <", 2);
	strbuf_str(&b, email);
	strbuf_add(&b, ">", 1);
	free(phrase);
	return strbuf_take(&b, NULL);
}

int
mime_date(time_t t, int utc_offset_min, char *out, size_t sz)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	time_t local;
	int n, off;

	if (sz > 0)
		out[0] = '\0';
	/* Zones lie within ±14 h; years are four digits (RFC 5322 §3.3).
	 * The bounds on t keep t + offset from overflowing. */
	if (utc_offset_min <= -24 * 60 || utc_offset_min >= 24 * 60 ||
	    (int64_t)t < -2208988800LL || (int64_t)t > 253402300799LL)
		return 0;
	local = t + (time_t)utc_offset_min * 60;
	if (gmtime_r(&local, &tm) == NULL || tm.tm_year < 0 ||
	    tm.tm_year > 9999 - 1900)
		return 0;
	off = utc_offset_min < 0 ? -utc_offset_min : utc_offset_min;
	n = snprintf(out, sz, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, utc_offset_min < 0 ? '-' : '+',
	    off / 60, off % 60);
	if (n < 0 || (size_t)n >= sz) {
		if (sz > 0)
			out[0] = '\0';
		return 0;
	}
	return n;
}

/* A token for "<…>" in a header (msg-id, URL): printable ASCII without
 * space, '<' or '>', short enough for the line "Field: <s>". */
static int
bracket_ok(const char *s, const char *field)
{
	const char *p;

	if (s == NULL || *s == '\0' ||
	    strlen(field) + strlen(s) + 4 > MIME_LINE_MAX)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>')
			return 0;
	return 1;
}

/* RFC 5322 §3.6.4 msg-id "local@domain": one '@', neither side empty. */
static int
message_id_ok(const char *id)
{
	const char *at;

	if (!bracket_ok(id, "Message-ID"))
		return 0;
	at = strchr(id, '@');
	return at != NULL && at != id && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL;
}

/* text in canonical form (RFC 2045 §6.8): every line end CRLF, whether
 * it came as LF, CRLF or a lone CR. */
static void
add_crlf_text(struct strbuf *b, const char *s)
{
	const char *p;

	for (; *s != '\0'; s = p) {
		p = s + strcspn(s, "\r\n");
		strbuf_add(b, s, (size_t)(p - s));
		if (*p == '\0')
			break;
		strbuf_add(b, "\r\n", 2);
		p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
	}
}

/* Header "name: value" CRLF. */
static void
add_header(struct strbuf *b, const char *name, const char *value)
{
	strbuf_str(b, name);
	strbuf_add(b, ": ", 2);
	strbuf_str(b, value);
	strbuf_add(b, "\r\n", 2);
}

char *
mime_build(const struct mime_message *m, size_t *len)
{
	struct strbuf b = {0}, text = {0};
	char *from = NULL, *to = NULL, *reply = NULL, *subject = NULL;
	char *out = NULL, date[64], digest[SECRET_HASH_HEX];
	char boundary[64];
	const char *file = NULL;
	int alt;

	if (m->calendar != NULL) {
		if (m->calendar_method == NULL)
			goto out;
		if (strcmp(m->calendar_method, "PUBLISH") == 0)
			file = "calendar.ics";
		else if (strcmp(m->calendar_method, "REQUEST") == 0 ||
		    strcmp(m->calendar_method, "CANCEL") == 0)
			file = "invite.ics";
		else
			goto out;
		/* Its part says charset=UTF-8. */
		if (valid_utf8_len(m->calendar, m->calendar_len) < 0)
			goto out;
	}
	if (m->subject == NULL || !message_id_ok(m->message_id) ||
	    (m->unsubscribe_url != NULL &&
	        !bracket_ok(m->unsubscribe_url, "List-Unsubscribe")) ||
	    (m->text != NULL && valid_utf8_len(m->text, strlen(m->text)) < 0) ||
	    mime_date(m->date, m->utc_offset_min, date, sizeof(date)) == 0)
		goto out;
	if ((from = mime_address(m->from_name, m->from_email)) == NULL ||
	    (to = mime_address(m->to_name, m->to_email)) == NULL ||
	    (m->reply_to != NULL &&
	        (reply = mime_address(NULL, m->reply_to)) == NULL) ||
	    (subject = header_value_encode("Subject", m->subject)) == NULL)
		goto out;

	add_header(&b, "From", from);
	add_header(&b, "To", to);
	if (reply != NULL)
		add_header(&b, "Reply-To", reply);
	add_header(&b, "Subject", subject);
	add_header(&b, "Date", date);
	strbuf_str(&b, "Message-ID: <");
	strbuf_str(&b, m->message_id);
	strbuf_str(&b, ">\r\n");
	strbuf_str(&b, "MIME-Version: 1.0\r\n");
	/* RFC 3834 §5: no vacation replies to a reminder. */
	strbuf_str(&b, "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe_url != NULL) {
		strbuf_str(&b, "List-Unsubscribe: <");
		strbuf_str(&b, m->unsubscribe_url);
		strbuf_str(&b, ">\r\n");
	}

	if (m->text != NULL)
		add_crlf_text(&text, m->text);
	if (text.failed)
		goto out;
	if (m->calendar == NULL) {
		strbuf_str(&b,
		    "Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		b64_add(&b, (unsigned char *)text.p, text.len, MIME_B64_LINE);
	} else {
		/* "=_" never occurs in base64, so the boundary cannot
		 * appear in a part (RFC 2046 §5.1.1: at most 70 chars). */
		secret_digest(m->message_id, strlen(m->message_id), digest);
		snprintf(boundary, sizeof(boundary), "=_hearth_%.32s", digest);
		/* An invitation (REQUEST, CANCEL) is multipart/alternative:
		 * the text and the calendar are two forms of one message,
		 * which Outlook and Gmail recognise as an invitation (RFC
		 * 6047 §2.4); a PUBLISH is a file beside the text. */
		alt = strcmp(m->calendar_method, "PUBLISH") != 0;
		strbuf_str(&b,
		    alt ? "Content-Type: multipart/alternative; "
		          "boundary=\""
		        : "Content-Type: multipart/mixed; "
		          "boundary=\"");
		strbuf_str(&b, boundary);
		strbuf_str(&b, "\"\r\n\r\n--");
		strbuf_str(&b, boundary);
		strbuf_str(&b,
		    "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		b64_add(&b, (unsigned char *)text.p, text.len, MIME_B64_LINE);
		strbuf_str(&b, "--");
		strbuf_str(&b, boundary);
		strbuf_str(&b,
		    "\r\nContent-Type: text/calendar; charset=UTF-8; "
		    "method=");
		strbuf_str(&b, m->calendar_method);
		strbuf_str(&b, "\r\nContent-Transfer-Encoding: base64\r\n");
		if (!alt) {
			strbuf_str(&b,
			    "Content-Disposition: inline; filename=\"");
			strbuf_str(&b, file);
			strbuf_str(&b, "\"\r\n");
		}
		strbuf_str(&b, "\r\n");
		b64_add(&b, (const unsigned char *)m->calendar, m->calendar_len,
		    MIME_B64_LINE);
		strbuf_str(&b, "--");
		strbuf_str(&b, boundary);
		strbuf_str(&b, "--\r\n");
	}
	out = strbuf_take(&b, len);
out:
	strbuf_free(&b);
	strbuf_free(&text);
	free(from);
	free(to);
	free(reply);
	free(subject);
	return out;
}
