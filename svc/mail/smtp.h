/*
 * TLS is capped at 1.2: libesmtp 1.1.0 reads a TLS 1.3 session ticket as
 * the EHLO reply and hangs until the timeout (about half of the loopback
 * sessions did). IPv6 literals are refused: libesmtp splits "host:port"
 * at the first colon.
 *
 * One SMTP transaction on libesmtp: this file and smtp.c are the only
 * place that includes libesmtp.h. Blocking (connect() has no timeout in
 * libesmtp): call it from the mailer thread, never from a request.
 */
#ifndef HEARTH_SMTP_H
#define HEARTH_SMTP_H

#include <stddef.h>

enum smtp_tls {
	SMTP_TLS_OFF,           /* never STARTTLS */
	SMTP_TLS_OPPORTUNISTIC, /* STARTTLS when the server offers it; the
				   certificate is verified all the same, and
				   a bad one fails the try (no fall-back to
				   clear text) */
	SMTP_TLS_REQUIRED       /* no TLS, no mail */
};

struct smtp_config {
	const char *host; /* name or address */
	int port;         /* 1..65535 */
	enum smtp_tls tls;
	const char *ca_file; /* PEM bundle verifying the server; NULL =
				   the system's CAs */
	const char *user;    /* AUTH (PLAIN or LOGIN); NULL = no AUTH */
	const char *password;
	int timeout_ms; /* every libesmtp timeout; 0 = 30000 */
};

enum smtp_result {
	SMTP_SENT,     /* the server accepted the message (2xx) */
	SMTP_TEMPFAIL, /* try later: no connection, 4xx, TLS or
				   AUTH trouble, a timeout */
	SMTP_PERMFAIL  /* the server rejected it with 5xx */
};

/* Parses "off", "opportunistic", "required"; -1 for anything else. */
int smtp_tls_parse(const char *);

/*
 * Sends msg (a whole RFC 5322 message, CRLF line ends, len bytes) from
 * the envelope sender to one recipient. err receives one line saying
 * why when the result is not SMTP_SENT ("connect to 127.0.0.1:2525:
 * Connection refused", "550 5.1.1 mailbox unavailable", "STARTTLS
 * required but not offered"). Safe to call from several threads at once.
 */
enum smtp_result smtp_send(const struct smtp_config *, const char *sender,
    const char *recipient, const char *msg, size_t len, char *err,
    size_t errsz);

#endif
