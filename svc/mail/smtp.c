/*
 * One SMTP transaction over libesmtp 1.1.0: the only file that includes
 * libesmtp.h, auth-client.h and openssl/ssl.h. Each smtp_send() builds
 * its own session, SSL_CTX and SASL context on the calling thread and
 * frees them before it returns; the only shared state is the
 * pthread_once around auth_client_init(). libesmtp keeps the replies to
 * the greeting, EHLO, STARTTLS and AUTH to itself, and goes on to MAIL
 * FROM after a failed AUTH, so a protocol monitor follows the dialogue:
 * it reads the server's replies and looks only at the verb of what the
 * client writes (AUTH lines carry the password). This file must never
 * hand libesmtp the message text when AUTH was asked for and did not
 * succeed, or when TLS was required and is not up, and never accept a
 * certificate that does not verify for the configured host. libesmtp
 * writes with write(2): the process ignores SIGPIPE (main.c does).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "smtp.h"

#define SMTP_TIMEOUT_DEFAULT 30000L /* ms, when the config says 0 */
#define SMTP_TEXT_MAX 256           /* one reply or error line */
#define SMTP_PENDING_MAX 8          /* commands awaiting a reply */
/* libesmtp's PLAIN plugin strcpy()s user and password into fields of
 * 255 bytes: anything longer would overflow its buffer. */
#define SMTP_SECRET_MAX 255
#define SMTP_ADDR_MAX 254 /* RFC 5321 §4.5.3.1.3, without <> */
#define SMTP_HOST_MAX 253

/* What a reply answers, as far as the monitor can tell. */
enum smtp_cmd {
	CMD_NONE,
	CMD_GREETING,
	CMD_EHLO,
	CMD_STARTTLS,
	CMD_AUTH,
	CMD_MAIL,
	CMD_RCPT,
	CMD_DATA,
	CMD_DOT,
	CMD_RSET,
	CMD_QUIT,
	CMD__MAX
};

static const char *const smtp_cmd_names[CMD__MAX] = {
    /* CMD_NONE */ "a command",
    /* CMD_GREETING */ "the greeting",
    /* CMD_EHLO */ "EHLO",
    /* CMD_STARTTLS */ "STARTTLS",
    /* CMD_AUTH */ "AUTH",
    /* CMD_MAIL */ "MAIL FROM",
    /* CMD_RCPT */ "RCPT TO",
    /* CMD_DATA */ "DATA",
    /* CMD_DOT */ "the message data",
    /* CMD_RSET */ "RSET",
    /* CMD_QUIT */ "QUIT",
};

/* Command verbs as libesmtp writes them (upper case, RFC 5321 §4.1). */
static const struct {
	const char *verb;
	enum smtp_cmd cmd;
} smtp_verbs[] = {
    {"EHLO ", CMD_EHLO},
    {"HELO ", CMD_EHLO},
    {"STARTTLS", CMD_STARTTLS},
    {"AUTH ", CMD_AUTH},
    {"MAIL FROM:", CMD_MAIL},
    {"RCPT TO:", CMD_RCPT},
    {"DATA", CMD_DATA},
    {"BDAT ", CMD_DOT}, /* RFC 3030: its reply is the message's */
    {"RSET", CMD_RSET},
    {"QUIT", CMD_QUIT},
};

enum smtp_auth {
	AUTH_NONE,  /* not attempted (not offered, or no mechanism) */
	AUTH_SENT,  /* AUTH written, no final reply yet */
	AUTH_OK,    /* 235 */
	AUTH_FAILED /* a final 4xx/5xx to the last AUTH */
};

/* One complete server reply, flattened to one line. */
struct smtp_reply {
	int code;                 /* 0: none */
	enum smtp_cmd cmd;        /* what it answered */
	char text[SMTP_TEXT_MAX]; /* "421 4.3.2 Try later" */
};

/* Everything one smtp_send() needs; lives on its stack. */
struct smtp_call {
	const struct smtp_config *cfg;
	char hostport[SMTP_HOST_MAX + 8];
	int host_is_ip;
	long timeout_ms;

	/* The message source (smtp_msg_cb). */
	const char *msg;
	size_t msgsz;
	int msg_given;

	/* AUTH: copies for the interact callback, wiped at the end. */
	char user[SMTP_SECRET_MAX + 1];
	char pass[SMTP_SECRET_MAX + 1];
	enum smtp_auth auth;
	int auth_cont; /* last AUTH reply was 334: next line continues */

	/* The dialogue as the monitor saw it. */
	char line[SMTP_TEXT_MAX]; /* reply line being read */
	size_t linesz;
	int in_reply;          /* a multi-line reply is open */
	struct smtp_reply cur; /* the reply being read */
	enum smtp_cmd pending[SMTP_PENDING_MAX];
	size_t npending;
	enum smtp_cmd waiting;        /* the reply last expected */
	size_t nread;                 /* reply bytes seen */
	struct timespec last_io;      /* last byte either way */
	struct smtp_reply fail;       /* first 4xx/5xx, QUIT aside */
	struct smtp_reply starttls;   /* reply to STARTTLS */
	struct smtp_reply auth_reply; /* final reply to AUTH */

	/* TLS, from the event and verify callbacks. */
	int tls_missing; /* required, not offered */
	int tls_ok;      /* SMTP_EV_STARTTLS_OK */
	char tls_err[SMTP_TEXT_MAX];
};

static pthread_once_t smtp_auth_once = PTHREAD_ONCE_INIT;

static void
smtp_auth_init(void)
{
	auth_client_init();
}

int
smtp_tls_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "off") == 0)
		return SMTP_TLS_OFF;
	if (strcmp(s, "opportunistic") == 0)
		return SMTP_TLS_OPPORTUNISTIC;
	if (strcmp(s, "required") == 0)
		return SMTP_TLS_REQUIRED;
	return -1;
}

/*
 * Formats into buf (always NUL-terminated) as one line: control
 * characters (CR, LF, TAB from server text) become spaces, runs of
 * spaces collapse, and the ends are trimmed.
 */
static void __attribute__((format(printf, 3, 4)))
smtp_line(char *buf, size_t sz, const char *fmt, ...)
{
	va_list ap;
	size_t i, j;
	unsigned char ch;

	if (sz == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(buf, sz, fmt, ap) < 0)
		buf[0] = '\0';
	va_end(ap);
	for (i = j = 0; buf[i] != '\0'; i++) {
		ch = (unsigned char)buf[i];
		if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		if (ch == ' ' && (j == 0 || buf[j - 1] == ' '))
			continue;
		buf[j++] = (char)ch;
	}
	while (j > 0 && buf[j - 1] == ' ')
		j--;
	buf[j] = '\0';
}

static long
smtp_ms_since(const struct timespec *t)
{
	struct timespec now;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		return 0;
	return (long)(now.tv_sec - t->tv_sec) * 1000L +
	    (long)(now.tv_nsec - t->tv_nsec) / 1000000L;
}

static void
smtp_touch(struct smtp_call *c)
{
	if (clock_gettime(CLOCK_MONOTONIC, &c->last_io) == -1)
		memset(&c->last_io, 0, sizeof(c->last_io));
}

/* --- the protocol monitor ------------------------------------------------ */

static void
smtp_push(struct smtp_call *c, enum smtp_cmd cmd)
{
	if (c->npending < SMTP_PENDING_MAX)
		c->pending[c->npending++] = cmd;
}

/* A reply is complete: match it to its command and keep what matters. */
static void
smtp_reply_done(struct smtp_call *c)
{
	struct smtp_reply *r = &c->cur;

	if (c->npending > 0) {
		c->waiting = c->pending[0];
		memmove(c->pending, c->pending + 1,
		    (c->npending - 1) * sizeof(c->pending[0]));
		c->npending--;
	}
	r->cmd = c->waiting;
	if (r->cmd == CMD_QUIT)
		return;
	switch (r->cmd) {
	case CMD_STARTTLS:
		c->starttls = *r;
		break;
	case CMD_AUTH:
		if (r->code == 334) {
			c->auth_cont = 1;
			break;
		}
		c->auth_reply = *r;
		c->auth = r->code / 100 == 2 ? AUTH_OK : AUTH_FAILED;
		break;
	case CMD_DATA:
		if (r->code / 100 == 3)
			smtp_push(c, CMD_DOT);
		break;
	default:
		break;
	}
	if (r->code >= 400 && c->fail.code == 0)
		c->fail = *r;
	/* Until the next reply arrives, it is awaited for what follows. */
	if (c->npending > 0)
		c->waiting = c->pending[0];
}

/* One reply line without its CRLF (RFC 5321 §4.2: "NNN-text" or
 * "NNN text"); multi-line replies are joined with spaces. */
static void
smtp_reply_line(struct smtp_call *c, const char *s, size_t n)
{
	char more_text[SMTP_TEXT_MAX];
	size_t len, add;
	int code = 0, more;

	if (n >= 3 && s[0] >= '2' && s[0] <= '5' && s[1] >= '0' &&
	    s[1] <= '9' && s[2] >= '0' && s[2] <= '9')
		code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	more = code != 0 && n > 3 && s[3] == '-';
	if (!c->in_reply) {
		memset(&c->cur, 0, sizeof(c->cur));
		c->cur.code = code;
		if (code != 0 && n > 4)
			smtp_line(c->cur.text, sizeof(c->cur.text), "%d %.*s",
			    code, (int)(n - 4), s + 4);
		else
			smtp_line(c->cur.text, sizeof(c->cur.text), "%.*s",
			    (int)n, s);
	} else if (n > 4) {
		smtp_line(more_text, sizeof(more_text), "%.*s", (int)(n - 4),
		    s + 4);
		len = strlen(c->cur.text);
		add = strlen(more_text);
		if (add > 0 && len + 2 < sizeof(c->cur.text)) {
			c->cur.text[len++] = ' ';
			if (add > sizeof(c->cur.text) - 1 - len)
				add = sizeof(c->cur.text) - 1 - len;
			memcpy(c->cur.text + len, more_text, add);
			c->cur.text[len + add] = '\0';
		}
	}
	c->in_reply = more;
	if (!more)
		smtp_reply_done(c);
}

static void
smtp_read(struct smtp_call *c, const char *buf, size_t n)
{
	size_t i;

	c->nread += n;
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (c->linesz > 0 && c->line[c->linesz - 1] == '\r')
				c->linesz--;
			smtp_reply_line(c, c->line, c->linesz);
			c->linesz = 0;
		} else if (c->linesz < sizeof(c->line) - 1)
			c->line[c->linesz++] = buf[i];
	}
}

/* Classifies each line the client wrote by its verb; the rest of the
 * line (an address, a SASL response) is not looked at. */
static void
smtp_wrote(struct smtp_call *c, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n, *nl;
	enum smtp_cmd cmd;
	size_t i, vn;

	while (p < end) {
		cmd = CMD_NONE;
		for (i = 0; i < sizeof(smtp_verbs) / sizeof(smtp_verbs[0]);
		     i++) {
			vn = strlen(smtp_verbs[i].verb);
			if ((size_t)(end - p) >= vn &&
			    memcmp(p, smtp_verbs[i].verb, vn) == 0) {
				cmd = smtp_verbs[i].cmd;
				break;
			}
		}
		if (cmd == CMD_AUTH)
			c->auth = AUTH_SENT;
		else if (cmd == CMD_NONE && c->auth_cont)
			cmd = CMD_AUTH;
		c->auth_cont = 0;
		smtp_push(c, cmd);
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = nl + 1;
	}
}

static void
smtp_monitor_cb(const char *buf, int buflen, int writing, void *arg)
{
	struct smtp_call *c = arg;

	if (buf == NULL || buflen <= 0)
		return;
	smtp_touch(c);
	if (writing == SMTP_CB_READING)
		smtp_read(c, buf, (size_t)buflen);
	else if (writing == SMTP_CB_WRITING)
		smtp_wrote(c, buf, (size_t)buflen);
}

/* --- message, AUTH and TLS callbacks --------------------------------------- */

/*
 * libesmtp's message reader: the whole message in one piece, then end
 * of input. libesmtp reads the header block itself: it adds Date,
 * Message-Id and From only when they are missing (names compared
 * without case), drops Return-Path and any second Date, From, Sender,
 * To, Cc, Bcc, Reply-To or Message-Id, and passes every other byte
 * through, dot-stuffed (RFC 5321 §4.5.2). The reader refuses (errno
 * set: libesmtp drops the connection before the final dot and the
 * server discards the transaction) when AUTH was asked for and has not
 * succeeded, or TLS is required and not up: libesmtp itself would send
 * the message regardless.
 */
static const char *
smtp_msg_cb(void **ctx, int *len, void *arg)
{
	struct smtp_call *c = arg;

	(void)ctx;
	if (len == NULL) {
		c->msg_given = 0;
		return NULL;
	}
	if ((c->cfg->user != NULL && c->auth != AUTH_OK) ||
	    (c->cfg->tls == SMTP_TLS_REQUIRED && !c->tls_ok)) {
		errno = EACCES;
		*len = 0;
		return NULL;
	}
	if (c->msg_given) {
		*len = 0;
		return NULL;
	}
	c->msg_given = 1;
	*len = (int)c->msgsz;
	return c->msg;
}

/* SASL asks for its fields; AUTH_USER and AUTH_PASS are all we have. */
static int
smtp_auth_interact(auth_client_request_t req, char **result, int fields,
    void *arg)
{
	struct smtp_call *c = arg;
	char *v;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			v = c->user;
		else if (req[i].flags & AUTH_PASS)
			v = c->pass;
		else
			return 0;
		if (req[i].size > 0 && strlen(v) > req[i].size)
			return 0;
		result[i] = v;
	}
	return 1;
}

/* Records the first certificate problem OpenSSL finds; the handshake
 * then fails (SSL_VERIFY_PEER). */
static int
smtp_tls_verify_cb(int ok, X509_STORE_CTX *store)
{
	SSL *ssl;
	struct smtp_call *c;
	int e;

	if (ok)
		return ok;
	ssl = X509_STORE_CTX_get_ex_data(store,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL ||
	    (c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) == NULL)
		return ok;
	if (c->tls_err[0] == '\0') {
		e = X509_STORE_CTX_get_error(store);
		smtp_line(c->tls_err, sizeof(c->tls_err),
		    "certificate verify failed: %s (depth %d)",
		    X509_verify_cert_error_string(e),
		    X509_STORE_CTX_get_error_depth(store));
	}
	return ok;
}

/* libesmtp sends no SNI (RFC 6066 §3): name the host in the
 * ClientHello, which is built after this point. Not for addresses. */
static void
smtp_tls_info_cb(const SSL *cssl, int where, int ret)
{
	SSL *ssl = (SSL *)cssl;
	struct smtp_call *c;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_START))
		return;
	c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (c != NULL && !c->host_is_ip)
		(void)SSL_set_tlsext_host_name(ssl, c->cfg->host);
}

/* The name check libesmtp does itself matches DNS subjectAltNames
 * only; it asks here when those fail. OpenSSL has already checked the
 * host or address during the handshake (X509_VERIFY_PARAM); check the
 * peer's certificate again rather than trust that blindly. */
static int
smtp_tls_name_ok(struct smtp_call *c, SSL *ssl)
{
	X509 *cert;
	int ok;

	if (ssl == NULL || (cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return 0;
	if (c->host_is_ip)
		ok = X509_check_ip_asc(cert, c->cfg->host, 0) == 1;
	else
		ok = X509_check_host(cert, c->cfg->host, 0,
		         X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	X509_free(cert);
	return ok;
}

/* libesmtp's events; argument lists per event as smtp-tls.c and
 * protocol.c pass them. Only TLS matters here. */
static void
smtp_event_cb(smtp_session_t s, int event, void *arg, ...)
{
	struct smtp_call *c = arg;
	va_list ap;
	int *ok;
	long vfy;
	SSL *ssl;

	(void)s;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_EXTNA_STARTTLS:
		c->tls_missing = 1;
		break;
	case SMTP_EV_STARTTLS_OK:
		c->tls_ok = 1;
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		vfy = va_arg(ap, long);
		if ((ok = va_arg(ap, int *)) != NULL)
			*ok = 0;
		if (c->tls_err[0] == '\0')
			smtp_line(c->tls_err, sizeof(c->tls_err),
			    "certificate verify failed: %s",
			    X509_verify_cert_error_string(vfy));
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
		if ((ok = va_arg(ap, int *)) != NULL)
			*ok = 0;
		smtp_line(c->tls_err, sizeof(c->tls_err),
		    "server sent no certificate");
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		(void)va_arg(ap, char *);
		ssl = va_arg(ap, SSL *);
		if (ok != NULL)
			*ok = smtp_tls_name_ok(c, ssl);
		if (ok == NULL || !*ok)
			smtp_line(c->tls_err, sizeof(c->tls_err),
			    "certificate does not match %s", c->cfg->host);
		break;
	case SMTP_EV_WEAK_CIPHER:
		(void)va_arg(ap, int);
		if ((ok = va_arg(ap, int *)) != NULL)
			*ok = 0;
		smtp_line(c->tls_err, sizeof(c->tls_err), "weak cipher");
		break;
	case SMTP_EV_NO_CLIENT_CERTIFICATE:
		if ((ok = va_arg(ap, int *)) != NULL)
			*ok = 0;
		smtp_line(c->tls_err, sizeof(c->tls_err),
		    "unusable client key in ~/.config/libesmtp/private");
		break;
	case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
		smtp_line(c->tls_err, sizeof(c->tls_err),
		    "unusable client certificate in ~/.config/libesmtp/"
		    "private (libesmtp wants mode 0600, owned by the user)");
		break;
	default:
		break;
	}
	va_end(ap);
}

/* The reason of OpenSSL's oldest (first) or newest error in this
 * thread's queue: the oldest says why a file failed to load, the
 * newest why a handshake failed. buf holds a system error's text. */
static const char *
smtp_ssl_reason(int first, char *buf, size_t sz)
{
	unsigned long e = first ? ERR_peek_error() : ERR_peek_last_error();
	const char *r;

	if (e == 0)
		return "unknown error";
	if (ERR_SYSTEM_ERROR(e))
		return strerror_r(ERR_GET_REASON(e), buf, sz);
	if ((r = ERR_reason_error_string(e)) != NULL)
		return r;
	ERR_error_string_n(e, buf, sz);
	return buf;
}

/*
 * A fresh client context for this call: TLS 1.2, the peer verified
 * against ca_file or the system's CAs, and the host name or address
 * checked by OpenSSL (RFC 6125). Opportunistic STARTTLS verifies too: a
 * server that offers TLS with a certificate that fails gets nothing
 * (the session cannot fall back to clear text). NULL with err set on
 * failure; the caller frees the context.
 */
static SSL_CTX *
smtp_tls_ctx(struct smtp_call *c, char *err, size_t errsz)
{
	SSL_CTX *ctx;
	X509_VERIFY_PARAM *param;
	const char *ca = c->cfg->ca_file;
	char eb[128];
	int ok;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto err;
	/* TLS 1.2 only. After a TLS 1.3 handshake the server sends its
	 * session tickets; libesmtp polls for reading before it flushes
	 * EHLO, takes the ticket for a reply, blocks in the read and fails
	 * the session at the timeout (seen on loopback in 3 runs of 6). */
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1)
		goto err;
	if (ca != NULL && ca[0] != '\0')
		ok = SSL_CTX_load_verify_locations(ctx, ca, NULL);
	else
		ok = SSL_CTX_set_default_verify_paths(ctx);
	if (ok != 1) {
		smtp_line(err, errsz,
		    "TLS: cannot load CA certificates%s%s: %s",
		    ca != NULL ? " from " : "", ca != NULL ? ca : "",
		    smtp_ssl_reason(1, eb, sizeof(eb)));
		SSL_CTX_free(ctx);
		return NULL;
	}
	param = SSL_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (c->host_is_ip)
		ok = X509_VERIFY_PARAM_set1_ip_asc(param, c->cfg->host);
	else
		ok = X509_VERIFY_PARAM_set1_host(param, c->cfg->host, 0);
	if (ok != 1)
		goto err;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, smtp_tls_verify_cb);
	if (SSL_CTX_set_app_data(ctx, c) != 1)
		goto err;
	SSL_CTX_set_info_callback(ctx, smtp_tls_info_cb);
	return ctx;
err:
	smtp_line(err, errsz, "TLS: cannot set up a client context: %s",
	    smtp_ssl_reason(0, eb, sizeof(eb)));
	SSL_CTX_free(ctx);
	return NULL;
}

/* --- checks before anything is sent ---------------------------------------- */

static int
smtp_valid_host(const char *h)
{
	size_t i, n;

	if (h == NULL || (n = strlen(h)) == 0 || n > SMTP_HOST_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') ||
		        (h[i] >= 'A' && h[i] <= 'Z') ||
		        (h[i] >= '0' && h[i] <= '9') || h[i] == '.' ||
		        h[i] == '-' || h[i] == '_'))
			return 0;
	return 1;
}

/* An RFC 5321 path without its angle brackets: nothing that could end
 * the command line or the path early. The empty sender is the null
 * reverse-path. */
static int
smtp_valid_addr(const char *a, int empty_ok)
{
	size_t i, n;
	unsigned char ch;

	if (a == NULL || (n = strlen(a)) > SMTP_ADDR_MAX)
		return 0;
	if (n == 0)
		return empty_ok;
	for (i = 0; i < n; i++) {
		ch = (unsigned char)a[i];
		if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>')
			return 0;
	}
	return 1;
}

/* libesmtp splits lines at CRLF only: a bare LF turns the message into
 * one long header line, and a NUL has no place in SMTP DATA. */
static int
smtp_valid_msg(const char *msg, size_t len, char *err, size_t errsz)
{
	size_t i;

	if (msg == NULL || len == 0) {
		smtp_line(err, errsz, "message is empty");
		return 0;
	}
	if (len > INT_MAX) {
		smtp_line(err, errsz, "message is larger than %d bytes",
		    INT_MAX);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (msg[i] == '\0') {
			smtp_line(err, errsz,
			    "message has a NUL byte at "
			    "offset %zu",
			    i);
			return 0;
		}
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r')) {
			smtp_line(err, errsz,
			    "message has a bare LF at "
			    "offset %zu (lines must end in CRLF)",
			    i);
			return 0;
		}
		if (msg[i] == '\r' && (i + 1 == len || msg[i + 1] != '\n')) {
			smtp_line(err, errsz,
			    "message has a bare CR at "
			    "offset %zu",
			    i);
			return 0;
		}
	}
	return 1;
}

/* --- the verdict ----------------------------------------------------------- */

static void
smtp_status_text(const smtp_status_t *st, char *buf, size_t sz)
{
	if (st->enh_class > 0)
		smtp_line(buf, sz, "%d %d.%d.%d %s", st->code, st->enh_class,
		    st->enh_subject, st->enh_detail,
		    st->text != NULL ? st->text : "");
	else
		smtp_line(buf, sz, "%d %s", st->code,
		    st->text != NULL ? st->text : "");
}

/* Why the session stopped early, when no reply says so: a timeout, a
 * dropped connection, or libesmtp's own error. */
static void
smtp_why_stopped(struct smtp_call *c, int e, char *buf, size_t sz)
{
	char es[128];
	enum smtp_cmd w = c->npending > 0 ? c->pending[0] : c->waiting;

	if (e == SMTP_ERR_DROPPED_CONNECTION &&
	    smtp_ms_since(&c->last_io) >= c->timeout_ms - 250) {
		smtp_line(buf, sz,
		    "timeout: no reply to %s from %s within "
		    "%ld ms",
		    smtp_cmd_names[w], c->hostport, c->timeout_ms);
		return;
	}
	if (c->fail.code != 0) {
		smtp_line(buf, sz, "%s", c->fail.text);
		return;
	}
	if (e < 0 && smtp_strerror(e, es, sizeof(es)) != NULL)
		smtp_line(buf, sz, "%s awaiting %s from %s", es,
		    smtp_cmd_names[w], c->hostport);
	else if (e != 0 && smtp_strerror(e, es, sizeof(es)) != NULL)
		smtp_line(buf, sz, "%s (awaiting %s from %s)", es,
		    smtp_cmd_names[w], c->hostport);
	else
		smtp_line(buf, sz, "session with %s ended awaiting %s",
		    c->hostport, smtp_cmd_names[w]);
}

/*
 * Reads the outcome of a session in protocol order: connection, TLS,
 * AUTH, then the statuses libesmtp keeps for MAIL FROM, RCPT TO and the
 * message (RFC 5321 §4.2.1: 5yz is permanent, 4yz transient). ran is
 * smtp_start_session()'s result, e its smtp_errno().
 */
static enum smtp_result
smtp_verdict(struct smtp_call *c, smtp_message_t m, smtp_recipient_t r, int ran,
    int e, char *buf, size_t sz)
{
	const smtp_status_t *rp, *rs, *ms;
	char es[128];

	rp = smtp_reverse_path_status(m);
	rs = smtp_recipient_status(r);
	ms = smtp_message_transfer_status(m);
	if (rp != NULL && rs != NULL && ms != NULL && rp->code / 100 == 2 &&
	    rs->code / 100 == 2 && ms->code / 100 == 2)
		return SMTP_SENT;

	if (!ran && c->nread == 0) {
		if (smtp_strerror(e, es, sizeof(es)) == NULL)
			snprintf(es, sizeof(es), "error %d", e);
		if (e >= SMTP_ERR_EAI_ADDRFAMILY && e <= SMTP_ERR_EAI_SOCKTYPE)
			smtp_line(buf, sz, "resolve %s: %s", c->cfg->host, es);
		else
			smtp_line(buf, sz, "connect to %s: %s", c->hostport,
			    es);
		return SMTP_TEMPFAIL;
	}

	if (c->cfg->tls != SMTP_TLS_OFF) {
		if (c->tls_missing) {
			smtp_line(buf, sz,
			    "STARTTLS required but not "
			    "offered by %s",
			    c->hostport);
			return SMTP_TEMPFAIL;
		}
		if (c->starttls.code != 0 && c->starttls.code != 220) {
			smtp_line(buf, sz, "STARTTLS refused by %s: %s",
			    c->hostport, c->starttls.text);
			return SMTP_TEMPFAIL;
		}
		if (c->starttls.code == 220 && !c->tls_ok) {
			if (c->tls_err[0] == '\0' && ERR_peek_error() != 0)
				smtp_line(c->tls_err, sizeof(c->tls_err), "%s",
				    smtp_ssl_reason(0, es, sizeof(es)));
			if (c->tls_err[0] == '\0' &&
			    smtp_ms_since(&c->last_io) >= c->timeout_ms - 250)
				smtp_line(c->tls_err, sizeof(c->tls_err),
				    "timeout: handshake not done within %ld ms",
				    c->timeout_ms);
			if (c->tls_err[0] == '\0')
				smtp_why_stopped(c, e, c->tls_err,
				    sizeof(c->tls_err));
			smtp_line(buf, sz, "TLS with %s failed: %s",
			    c->hostport, c->tls_err);
			return SMTP_TEMPFAIL;
		}
	}

	if (c->cfg->user != NULL) {
		if (c->auth == AUTH_FAILED) {
			smtp_line(buf, sz, "AUTH failed: %s",
			    c->auth_reply.text);
			return SMTP_TEMPFAIL;
		}
		if (c->auth == AUTH_SENT) {
			smtp_why_stopped(c, e, es, sizeof(es));
			smtp_line(buf, sz, "AUTH failed: %s", es);
			return SMTP_TEMPFAIL;
		}
		if (c->auth == AUTH_NONE && rp != NULL && rp->code != 0) {
			smtp_line(buf, sz,
			    "AUTH requested but %s offers no "
			    "mechanism libesmtp can use",
			    c->hostport);
			return SMTP_TEMPFAIL;
		}
	}

	if (rp == NULL || rp->code == 0) {
		smtp_why_stopped(c, e, buf, sz);
		return SMTP_TEMPFAIL;
	}
	if (rp->code / 100 != 2) {
		smtp_status_text(rp, buf, sz);
		return rp->code / 100 == 5 ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
	}
	if (rs == NULL || rs->code == 0) {
		smtp_why_stopped(c, e, buf, sz);
		return SMTP_TEMPFAIL;
	}
	if (rs->code / 100 != 2) {
		smtp_status_text(rs, buf, sz);
		return rs->code / 100 == 5 ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
	}
	if (ms == NULL || ms->code == 0 || ms->code / 100 == 3) {
		/* No reply to DATA, or 354 and then nothing. */
		smtp_why_stopped(c, e, buf, sz);
		return SMTP_TEMPFAIL;
	}
	smtp_status_text(ms, buf, sz);
	return ms->code / 100 == 5 ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
}

/* --- smtp_send ------------------------------------------------------------- */

enum smtp_result
smtp_send(const struct smtp_config *cfg, const char *sender,
    const char *recipient, const char *msg, size_t len, char *err, size_t errsz)
{
	static const int timeouts[] = {Timeout_GREETING, Timeout_ENVELOPE,
	    Timeout_DATA, Timeout_TRANSFER, Timeout_DATA2};
	static const enum starttls_option tls_modes[] =
	    {/* SMTP_TLS_OFF */ Starttls_DISABLED,
	        /* SMTP_TLS_OPPORTUNISTIC */ Starttls_ENABLED,
	        /* SMTP_TLS_REQUIRED */ Starttls_REQUIRED};
	struct smtp_call c;
	char why[SMTP_TEXT_MAX] = "", es[128];
	smtp_session_t s = NULL;
	smtp_message_t m = NULL;
	smtp_recipient_t r = NULL;
	auth_context_t actx = NULL;
	SSL_CTX *ctx = NULL;
	enum smtp_result res = SMTP_TEMPFAIL;
	struct in_addr a4;
	size_t i;
	long set = 0;
	int ran, e;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.msg = msg;
	c.msgsz = len;
	c.waiting = CMD_GREETING;

	/* Configuration faults are transient (mail waits for a fix);
	 * a message or address that can never be sent is permanent. */
	if (cfg == NULL || !smtp_valid_host(cfg->host)) {
		smtp_line(why, sizeof(why),
		    "invalid SMTP host (a name or "
		    "an IPv4 address)");
		goto out;
	}
	if (cfg->port < 1 || cfg->port > 65535) {
		smtp_line(why, sizeof(why), "invalid SMTP port %d", cfg->port);
		goto out;
	}
	if ((int)cfg->tls < SMTP_TLS_OFF || (int)cfg->tls > SMTP_TLS_REQUIRED) {
		smtp_line(why, sizeof(why), "invalid TLS mode %d",
		    (int)cfg->tls);
		goto out;
	}
	if (cfg->user != NULL) {
		if (cfg->user[0] == '\0' || cfg->password == NULL ||
		    strlen(cfg->user) > SMTP_SECRET_MAX ||
		    strlen(cfg->password) > SMTP_SECRET_MAX) {
			smtp_line(why, sizeof(why),
			    "AUTH needs a user and a "
			    "password of at most %d bytes",
			    SMTP_SECRET_MAX);
			goto out;
		}
		memcpy(c.user, cfg->user, strlen(cfg->user) + 1);
		memcpy(c.pass, cfg->password, strlen(cfg->password) + 1);
	}
	res = SMTP_PERMFAIL;
	if (!smtp_valid_addr(sender, 1)) {
		smtp_line(why, sizeof(why), "invalid sender address");
		goto out;
	}
	if (!smtp_valid_addr(recipient, 0)) {
		smtp_line(why, sizeof(why), "invalid recipient address");
		goto out;
	}
	if (!smtp_valid_msg(msg, len, why, sizeof(why)))
		goto out;
	res = SMTP_TEMPFAIL;

	snprintf(c.hostport, sizeof(c.hostport), "%s:%d", cfg->host, cfg->port);
	c.host_is_ip = inet_pton(AF_INET, cfg->host, &a4) == 1;
	c.timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms
	                                   : SMTP_TIMEOUT_DEFAULT;
	ERR_clear_error();
	smtp_touch(&c);

	if ((s = smtp_create_session()) == NULL ||
	    !smtp_set_server(s, c.hostport) ||
	    !smtp_set_eventcb(s, smtp_event_cb, &c) ||
	    !smtp_set_monitorcb(s, smtp_monitor_cb, &c, 0))
		goto lib_err;
	/* libesmtp raises anything under 1 s to 1 s: keep what it set. */
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++)
		if ((set = smtp_set_timeout(s,
		         timeouts[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
		         c.timeout_ms)) == 0)
			goto lib_err;
	c.timeout_ms = set;
	if ((m = smtp_add_message(s)) == NULL ||
	    !smtp_set_reverse_path(m, sender) ||
	    !smtp_set_messagecb(m, smtp_msg_cb, &c) ||
	    !smtp_size_set_estimate(m, (unsigned long)len) ||
	    (r = smtp_add_recipient(m, recipient)) == NULL)
		goto lib_err;

	if (!smtp_starttls_enable(s, tls_modes[cfg->tls]))
		goto lib_err;
	if (cfg->tls != SMTP_TLS_OFF) {
		if ((ctx = smtp_tls_ctx(&c, why, sizeof(why))) == NULL)
			goto out;
		/* libesmtp 1.1.0 takes its own reference (up_ref) and
		 * drops it in smtp_destroy_session(). */
		if (!smtp_starttls_set_ctx(s, ctx))
			goto lib_err;
	}

	if (cfg->user != NULL) {
		if ((e = pthread_once(&smtp_auth_once, smtp_auth_init)) != 0) {
			smtp_line(why, sizeof(why),
			    "AUTH setup: pthread_once "
			    "failed (%d)",
			    e);
			goto out;
		}
		if ((actx = auth_create_context()) == NULL ||
		    !auth_set_mechanism_flags(actx, AUTH_PLUGIN_PLAIN, 0) ||
		    !auth_set_interact_cb(actx, smtp_auth_interact, &c) ||
		    !smtp_auth_set_context(s, actx))
			goto lib_err;
	}

	ran = smtp_start_session(s);
	e = smtp_errno();
	res = smtp_verdict(&c, m, r, ran, e, why, sizeof(why));
	goto out;

lib_err:
	e = smtp_errno();
	if (smtp_strerror(e, es, sizeof(es)) == NULL)
		snprintf(es, sizeof(es), "error %d", e);
	smtp_line(why, sizeof(why), "libesmtp setup: %s", es);
	res = SMTP_TEMPFAIL;
out:
	if (s != NULL)
		smtp_destroy_session(s);
	if (actx != NULL)
		auth_destroy_context(actx);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	OPENSSL_cleanse(c.pass, sizeof(c.pass));
	if (res == SMTP_SENT)
		why[0] = '\0';
	else if (why[0] == '\0')
		smtp_line(why, sizeof(why), "unknown SMTP failure");
	if (err != NULL && errsz > 0)
		smtp_line(err, errsz, "%s", why);
	return res;
}
