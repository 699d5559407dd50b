/*
 * Messages for group robots (企业微信 / 钉钉) and SMS, and the request
 * signatures of the services that carry them: DingTalk's robot sign,
 * Alibaba Cloud's RPC signature (SendSms) and Tencent Cloud's API 3.0
 * TC3-HMAC-SHA256. Also the readers of their answers. Everything here is
 * pure: it never opens a socket; svc/notify sends what these functions
 * build and hands the answers back to them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "core.h"

const char *const notify_channels[NOTIFY__MAX + 1] = {
    /* NOTIFY_EMAIL */ "email",
    /* NOTIFY_WECOM */ "wecom",
    /* NOTIFY_DINGTALK */ "dingtalk",
    /* NOTIFY_SMS */ "sms",
    NULL,
};

const char *const notify_sms_kinds[NOTIFY_SMS__MAX + 1] = {
    /* NOTIFY_SMS_REGISTERED */ "registered",
    /* NOTIFY_SMS_PROMOTED */ "promoted",
    /* NOTIFY_SMS_CHANGE */ "change",
    /* NOTIFY_SMS_CANCEL */ "cancel",
    /* NOTIFY_SMS_REMINDER */ "reminder",
    NULL,
};

int
notify_channel_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < NOTIFY__MAX; i++)
		if (strcmp(s, notify_channels[i]) == 0)
			return i;
	return -1;
}

int
notify_sms_kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < NOTIFY_SMS__MAX; i++)
		if (strcmp(s, notify_sms_kinds[i]) == 0)
			return i;
	return -1;
}

/* --- phone numbers ------------------------------------------------------------ */

int
notify_phone_cn(const char *in, char out[NOTIFY_PHONE_SZ])
{
	const char *p = in;
	size_t n = 0;
	int sep = 0;

	if (in == NULL)
		return 0;
	while (*p == ' ')
		p++;
	if (strncmp(p, "+86", 3) == 0) {
		p += 3;
		if (*p == ' ' || *p == '-')
			p++;
	}
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == NOTIFY_PHONE_SZ - 1)
				return 0;
			out[n++] = *p;
			sep = 0;
		} else if ((*p == ' ' || *p == '-') && n > 0 && !sep) {
			sep = 1;
		} else
			return 0;
	}
	out[n] = '\0';
	/* 1[3-9]\d{9}: mainland mobile numbers (and no trailing
	 * separator). */
	return n == 11 && !sep && out[0] == '1' && out[1] >= '3' &&
	    out[1] <= '9';
}

/* --- text ----------------------------------------------------------------------- */

/* Full-width forms of the ASCII characters a robot's markdown reads as
 * markup, so a title like "[点此](http://…)" shows as text. */
void
notify_md_text(struct strbuf *b, const char *s)
{
	static const char marks[] = "[]()<>*_`#\\~|!";
	const unsigned char *p = (const unsigned char *)s;

	for (; p != NULL && *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			strbuf_add(b, " ", 1);
		else if (*p < 0x80 && strchr(marks, *p) != NULL) {
			/* U+FF01..U+FF5E mirror U+0021..U+007E. */
			unsigned c = 0xff00u + (unsigned)(*p - 0x20);
			char u[3] = {(char)(0xe0 | (c >> 12)),
			    (char)(0x80 | ((c >> 6) & 0x3f)),
			    (char)(0x80 | (c & 0x3f))};

			strbuf_add(b, u, 3);
		} else
			strbuf_add(b, (const char *)p, 1);
	}
}

static const char *const weekday_zh[8] = {
    "",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
};

struct wall {
	int64_t day;
	unsigned mo, d;
	int h, mi, wd;
};

static void
wall_of(time_t t, const struct tz *z, struct wall *w)
{
	int64_t s = (int64_t)t + (z ? tz_offset_at(z, t) : 0), y;
	int64_t sec;

	w->day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	sec = s - w->day * 86400;
	time_civil_from_days(w->day, &y, &w->mo, &w->d);
	w->h = (int)(sec / 3600);
	w->mi = (int)(sec % 3600 / 60);
	w->wd = activity_weekday(w->day);
}

void
notify_day_zh(struct strbuf *b, int64_t day)
{
	int64_t y;
	unsigned mo, d;

	time_civil_from_days(day, &y, &mo, &d);
	strbuf_printf(b, "%u月%u日（%s）", mo, d,
	    weekday_zh[activity_weekday(day)]);
}

void
notify_span_zh(struct strbuf *b, time_t start, time_t end, const struct tz *z)
{
	struct wall a, e;

	wall_of(start, z, &a);
	wall_of(end, z, &e);
	notify_day_zh(b, a.day);
	strbuf_printf(b, "%02d:%02d", a.h, a.mi);
	if (e.day == a.day)
		strbuf_printf(b, "–%02d:%02d", e.h, e.mi);
	else
		strbuf_printf(b, " 至 %u月%u日 %02d:%02d", e.mo, e.d, e.h,
		    e.mi);
}

/* "14:30–16:30" (the day is said elsewhere). */
static void
hours_zh(struct strbuf *b, time_t start, time_t end, const struct tz *z)
{
	struct wall a, e;

	wall_of(start, z, &a);
	wall_of(end, z, &e);
	strbuf_printf(b, "%02d:%02d–", a.h, a.mi);
	if (e.day != a.day)
		strbuf_printf(b, "%u月%u日 ", e.mo, e.d);
	strbuf_printf(b, "%02d:%02d", e.h, e.mi);
}

void
notify_when_zh(struct strbuf *b, time_t t, const struct tz *z)
{
	struct wall w;

	wall_of(t, z, &w);
	strbuf_printf(b, "%u月%u日%02d:%02d", w.mo, w.d, w.h, w.mi);
}

/* Appends at most max characters of s (UTF-8), "…" when cut. */
static void
cut_chars(struct strbuf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i = 0;

	while (p[i] != '\0' && n < max) {
		i++;
		while ((p[i] & 0xc0) == 0x80)
			i++;
		n++;
	}
	strbuf_add(b, s, i);
	if (p[i] != '\0')
		strbuf_str(b, "…");
}

/* --- robot messages ----------------------------------------------------------- */

/* The first bytes of s, at most max, ending at a line end (or a
 * character boundary when one line is longer). */
static size_t
cut_at_line(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len <= max)
		return len;
	for (i = max; i > 0 && s[i - 1] != '\n'; i--)
		;
	if (i > max / 2)
		return i;
	return valid_utf8_cut(s, len, max);
}

char *
notify_robot_body(enum notify_channel ch, const char *title,
    const char *markdown)
{
	struct strbuf t = {0};
	size_t len = strlen(markdown), keep;
	json_t *o = NULL;
	char *text, *out = NULL;

	keep = cut_at_line(markdown, len, NOTIFY_ROBOT_MAX);
	if (ch == NOTIFY_DINGTALK) {
		/* DingTalk's markdown joins single line breaks: a blank line
		 * between lines keeps them apart. */
		size_t i;

		for (i = 0; i < keep; i++) {
			if (markdown[i] == '\n' &&
			    (i + 1 >= keep || markdown[i + 1] != '\n') &&
			    (i == 0 || markdown[i - 1] != '\n'))
				strbuf_add(&t, "\n\n", 2);
			else
				strbuf_add(&t, markdown + i, 1);
		}
	} else
		strbuf_add(&t, markdown, keep);
	if (keep < len)
		strbuf_str(&t, "\n……");
	if ((text = strbuf_take(&t, NULL)) == NULL)
		return NULL;
	if (ch == NOTIFY_WECOM)
		o = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown",
		    "markdown", "content", text);
	else if (ch == NOTIFY_DINGTALK)
		o = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown",
		    "markdown", "title", title, "text", text);
	if (o != NULL)
		out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(text);
	return out;
}

static int
duty_cmp(const void *a, const void *b)
{
	const struct notify_duty *x = a, *y = b;
	int c = strcmp(x->station, y->station);

	if (c != 0)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

void
notify_md_duty_day(struct strbuf *b, int64_t day, struct notify_duty *items,
    size_t n, const struct tz *z)
{
	size_t i;

	qsort(items, n, sizeof(*items), duty_cmp);
	strbuf_str(b, "### 今日值班 ");
	notify_day_zh(b, day);
	strbuf_str(b, "\n");
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(items[i].station, items[i - 1].station)) {
			strbuf_str(b, "**");
			notify_md_text(b, items[i].station);
			strbuf_str(b, "**\n");
		}
		strbuf_str(b, "> ");
		hours_zh(b, items[i].start, items[i].end, z);
		strbuf_str(b, " ");
		if (items[i].counsellor[0] != '\0')
			notify_md_text(b, items[i].counsellor);
		else
			strbuf_str(b, "（空缺，待安排）");
		strbuf_str(b, "\n");
	}
}

void
notify_md_event(struct strbuf *b, const struct notify_event_text *e,
    const struct tz *z)
{
	int moved = e->old_start != 0 &&
	    (e->old_start != e->start || e->old_end != e->end);

	strbuf_str(b,
	    e->cancelled ? "### 活动取消\n"
	        : moved  ? "### 活动时间变更\n"
	                 : "### 活动变更\n");
	notify_md_text(b, e->kind_zh);
	strbuf_str(b, "「");
	notify_md_text(b, e->title);
	strbuf_str(b, "」\n");
	if (e->cancelled) {
		strbuf_str(b, "> 原定：");
		notify_span_zh(b, moved ? e->old_start : e->start,
		    moved ? e->old_end : e->end, z);
		strbuf_str(b, "\n> 已取消\n");
	} else {
		if (moved) {
			strbuf_str(b, "> 原定：");
			notify_span_zh(b, e->old_start, e->old_end, z);
			strbuf_str(b, "\n");
		}
		strbuf_str(b, "> 现定：");
		notify_span_zh(b, e->start, e->end, z);
		strbuf_str(b, "\n");
	}
	if (e->where != NULL && e->where[0] != '\0') {
		strbuf_str(b, "> 地点：");
		notify_md_text(b, e->where);
		strbuf_str(b, "\n");
	}
	if (e->reason != NULL && e->reason[0] != '\0') {
		strbuf_str(b, "> 原因：");
		notify_md_text(b, e->reason);
		strbuf_str(b, "\n");
	}
}

void
notify_md_roster(struct strbuf *b, const char *scope, const char *const *lines,
    size_t n, size_t total)
{
	size_t i;

	strbuf_str(b, "### 值班安排变动");
	if (scope != NULL && scope[0] != '\0') {
		strbuf_str(b, " · ");
		notify_md_text(b, scope);
	}
	strbuf_str(b, "\n");
	for (i = 0; i < n; i++) {
		strbuf_str(b, "- ");
		notify_md_text(b, lines[i]);
		strbuf_str(b, "\n");
	}
	if (total > n)
		strbuf_printf(b, "- ……等共 %zu 项变动，详见班表\n", total);
}

void
notify_md_duty_log(struct strbuf *b, const char *counsellor,
    const char *station, time_t start, time_t end, const struct tz *z)
{
	strbuf_str(b, "### 值班记录待填写\n> ");
	notify_md_text(b, counsellor);
	strbuf_str(b, " ");
	notify_span_zh(b, start, end, z);
	strbuf_str(b, " ");
	notify_md_text(b, station);
	strbuf_str(b,
	    "\n值班结束已超过 12 小时，请尽快在「我的排班」中填写"
	    "（只记数字，不写来访群众姓名）。\n");
}

void
notify_md_test(struct strbuf *b, const char *scope, time_t now,
    const struct tz *z)
{
	strbuf_str(b, "### 测试消息\n心访工作室的通知将发到本群");
	if (scope != NULL && scope[0] != '\0') {
		strbuf_str(b, "（");
		notify_md_text(b, scope);
		strbuf_str(b, "）");
	}
	strbuf_str(b, "。\n> 发送时间：");
	notify_when_zh(b, now, z);
	strbuf_str(b, "\n");
}

json_t *
notify_sms_params(const char *title, time_t start, const char *place,
    const struct tz *z)
{
	struct strbuf t = {0}, w = {0}, p = {0};
	char *ts, *ws, *ps;
	json_t *o = NULL;

	cut_chars(&t, title ? title : "", NOTIFY_SMS_PARAM_MAX);
	notify_when_zh(&w, start, z);
	cut_chars(&p, place && *place ? place : "另行通知",
	    NOTIFY_SMS_PARAM_MAX);
	ts = strbuf_take(&t, NULL);
	ws = strbuf_take(&w, NULL);
	ps = strbuf_take(&p, NULL);
	if (ts && ws && ps)
		o = json_pack("{s:s, s:s, s:s}", "title", ts, "time", ws,
		    "place", ps);
	free(ts);
	free(ws);
	free(ps);
	return o;
}

/* --- robot settings ---------------------------------------------------------- */

static int
token_chars(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

int
notify_webhook_token(enum notify_channel ch, const char *in,
    const char *base_url, char *out, size_t sz, char *err, size_t errsz)
{
	const char *param = ch == NOTIFY_WECOM ? "key=" : "access_token=";
	const char *q, *v, *end;
	size_t blen = base_url ? strlen(base_url) : 0, n;

	if (in == NULL || (ch != NOTIFY_WECOM && ch != NOTIFY_DINGTALK)) {
		snprintf(err, errsz, "webhook: required");
		return 0;
	}
	if (strncmp(in, "http://", 7) != 0 && strncmp(in, "https://", 8) != 0)
		v = in, end = in + strlen(in);
	else {
		/* A pasted webhook URL: its base must be the configured
		 * one, so the server posts only where it is meant to. */
		if (blen == 0 || strncmp(in, base_url, blen) != 0 ||
		    in[blen] != '?') {
			snprintf(err, errsz,
			    "webhook: the address does not "
			    "start with the configured %s (%s)",
			    ch == NOTIFY_WECOM ? "wecom_url" : "dingtalk_url",
			    base_url ? base_url : "");
			return 0;
		}
		for (q = in + blen + 1, v = NULL; *q != '\0';) {
			if (strncmp(q, param, strlen(param)) == 0) {
				v = q + strlen(param);
				break;
			}
			if ((q = strchr(q, '&')) == NULL)
				break;
			q++;
		}
		if (v == NULL) {
			snprintf(err, errsz, "webhook: no %.*s in the address",
			    (int)strlen(param) - 1, param);
			return 0;
		}
		end = strchr(v, '&');
		if (end == NULL)
			end = v + strlen(v);
	}
	n = (size_t)(end - v);
	if (n >= sz || n == 0) {
		snprintf(err, errsz, "webhook: too long or empty");
		return 0;
	}
	memcpy(out, v, n);
	out[n] = '\0';
	if (!token_chars(out, 8, 128)) {
		snprintf(err, errsz,
		    "webhook: a %s is 8-128 letters, digits, "
		    "'-' or '_'",
		    ch == NOTIFY_WECOM ? "key" : "access_token");
		return 0;
	}
	return 1;
}

int
notify_robot_secret_valid(const char *s)
{
	return s != NULL && token_chars(s, 8, 128);
}

void
notify_hint(const char *secret, char *out, size_t sz)
{
	size_t n = secret ? strlen(secret) : 0;

	if (n == 0)
		snprintf(out, sz, "%s", "");
	else if (n <= 8)
		snprintf(out, sz, "%s", "••••");
	else
		snprintf(out, sz, "••••%s", secret + n - 4);
}

/* --- signatures --------------------------------------------------------------- */

void
notify_percent_encode(struct strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	char e[3] = {'%', 0, 0};

	for (; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			strbuf_add(b, (const char *)p, 1);
		else {
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 15];
			strbuf_add(b, e, 3);
		}
	}
}

static void
base64(const unsigned char *in, size_t n, char *out /* 4 * ceil(n/3) + 1 */)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

static void
hexs(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int
notify_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	if (SHA256(p, n, md) == NULL)
		return 0;
	hexs(md, sizeof(md), out);
	return 1;
}

static int
hmac(const EVP_MD *md, const void *key, size_t keylen, const void *msg,
    size_t n, unsigned char *out, unsigned *outlen)
{
	return HMAC(md, key, (int)keylen, msg, n, out, outlen) != NULL;
}

int
notify_dingtalk_sign(const char *secret, long long ts_ms, struct strbuf *out)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	struct strbuf m = {0};
	char b64[64], *msg;
	size_t len;
	int ok;

	strbuf_printf(&m, "%lld\n%s", ts_ms, secret);
	if ((msg = strbuf_take(&m, &len)) == NULL)
		return 0;
	ok = hmac(EVP_sha256(), secret, strlen(secret), msg, len, mac, &maclen);
	secret_wipe(msg, len);
	free(msg);
	if (!ok)
		return 0;
	base64(mac, maclen, b64);
	notify_percent_encode(out, b64);
	return !out->failed;
}

static int
param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct notify_param *)a)->name,
	    ((const struct notify_param *)b)->name);
}

int
notify_aliyun_sign(const char *method, struct notify_param *params, size_t n,
    const char *secret, struct strbuf *query, struct strbuf *to_sign,
    char signature[NOTIFY_ALIYUN_SIG_SZ])
{
	struct strbuf sts = {0}, key = {0};
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	char *s, *k;
	size_t i, slen, klen;
	int ok;

	qsort(params, n, sizeof(*params), param_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_add(query, "&", 1);
		notify_percent_encode(query, params[i].name);
		strbuf_add(query, "=", 1);
		notify_percent_encode(query, params[i].value);
	}
	if (query->failed)
		return 0;
	/* StringToSign = METHOD & percentEncode("/") &
	 * percentEncode(CanonicalizedQueryString). */
	strbuf_printf(&sts, "%s&%%2F&", method);
	notify_percent_encode(&sts, query->p ? query->p : "");
	/* The key is the AccessKey secret and "&". */
	strbuf_printf(&key, "%s&", secret);
	s = strbuf_take(&sts, &slen);
	k = strbuf_take(&key, &klen);
	ok = s != NULL && k != NULL &&
	    hmac(EVP_sha1(), k, klen, s, slen, mac, &maclen);
	if (ok)
		base64(mac, maclen, signature);
	if (ok && to_sign != NULL)
		strbuf_add(to_sign, s, slen);
	if (k != NULL)
		secret_wipe(k, klen);
	free(k);
	free(s);
	return ok;
}

int
notify_tc3_sign(const struct notify_tc3 *r, struct notify_tc3_out *o)
{
	struct strbuf cr = {0}, sts = {0}, key = {0};
	unsigned char k1[EVP_MAX_MD_SIZE], k2[EVP_MAX_MD_SIZE];
	unsigned char k3[EVP_MAX_MD_SIZE], sig[EVP_MAX_MD_SIZE];
	unsigned l1 = 0, l2 = 0, l3 = 0, ls = 0;
	char date[16], *c = NULL, *s = NULL, *k = NULL;
	size_t clen = 0, slen = 0, klen = 0;
	struct tm tm;
	time_t t = r->timestamp;
	int ok = 0;

	/* The date of the credential scope is the UTC date of the
	 * timestamp. */
	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	if (!notify_sha256_hex(r->payload, r->payload_len, o->payload_hash))
		return 0;
	/* CanonicalRequest: method, URI "/", empty query (POST), headers
	 * content-type and host (lowercase, sorted), signed headers, the
	 * payload hash. */
	strbuf_printf(&cr,
	    "POST\n/\n\ncontent-type:%s\nhost:%s\n\n"
	    "content-type;host\n%s",
	    r->content_type, r->host, o->payload_hash);
	if ((c = strbuf_take(&cr, &clen)) == NULL ||
	    !notify_sha256_hex(c, clen, o->request_hash))
		goto out;
	strbuf_printf(&sts, "TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s",
	    (long long)r->timestamp, date, r->service, o->request_hash);
	strbuf_printf(&key, "TC3%s", r->secret_key);
	if ((s = strbuf_take(&sts, &slen)) == NULL ||
	    (k = strbuf_take(&key, &klen)) == NULL)
		goto out;
	/* SecretDate, SecretService, SecretSigning, then the signature. */
	if (!hmac(EVP_sha256(), k, klen, date, strlen(date), k1, &l1) ||
	    !hmac(EVP_sha256(), k1, l1, r->service, strlen(r->service), k2,
	        &l2) ||
	    !hmac(EVP_sha256(), k2, l2, "tc3_request", 11, k3, &l3) ||
	    !hmac(EVP_sha256(), k3, l3, s, slen, sig, &ls))
		goto out;
	hexs(sig, ls, o->signature);
	strbuf_printf(&o->authorization,
	    "TC3-HMAC-SHA256 Credential=%s/%s/%s"
	    "/tc3_request, SignedHeaders=content-type;host, Signature=%s",
	    r->secret_id, date, r->service, o->signature);
	ok = !o->authorization.failed;
out:
	if (k != NULL)
		secret_wipe(k, klen);
	secret_wipe(k1, sizeof(k1));
	secret_wipe(k2, sizeof(k2));
	secret_wipe(k3, sizeof(k3));
	free(c);
	free(s);
	free(k);
	return ok;
}

/* --- answers ------------------------------------------------------------------ */

/* A service's words for the error text: printable, no line breaks, cut
 * at a character boundary. */
static void
say(char *err, size_t sz, const char *a, const char *sep, const char *b)
{
	char raw[512];
	size_t i, n;

	snprintf(raw, sizeof(raw), "%s%s%s", a ? a : "", sep, b ? b : "");
	n = valid_utf8_cut(raw, strlen(raw), sz - 1);
	for (i = 0; i < n; i++)
		err[i] = (unsigned char)raw[i] < 0x20 || raw[i] == 0x7f
		    ? ' '
		    : raw[i];
	err[n] = '\0';
}

/* A short, printable excerpt of an unreadable answer. */
static void
excerpt(const char *body, size_t len, char *out, size_t sz)
{
	size_t i, n = len < sz - 1 ? len : sz - 1;

	for (i = 0; i < n; i++)
		out[i] = (unsigned char)body[i] < 0x20 ||
		        (unsigned char)body[i] >= 0x7f
		    ? '.'
		    : body[i];
	out[n] = '\0';
}

static enum notify_result
http_failure(long status, const char *body, size_t len, char *err, size_t sz)
{
	char ex[64], st[32];

	excerpt(body ? body : "", body ? len : 0, ex, sizeof(ex));
	snprintf(st, sizeof(st), "HTTP %ld", status);
	say(err, sz, st, ": ", ex);
	return status >= 500 || status == 429 || status == 408 ? NOTIFY_DOWN
	                                                       : NOTIFY_RETRY;
}

enum notify_result
notify_robot_answer(long status, const char *body, size_t len, char *err,
    size_t sz)
{
	json_t *o, *code;
	enum notify_result r;
	char num[32];

	err[0] = '\0';
	if (status < 200 || status > 299)
		return http_failure(status, body, len, err, sz);
	if ((o = json_loadb(body ? body : "", body ? len : 0, 0, NULL)) ==
	        NULL ||
	    !json_is_object(o) ||
	    !json_is_integer(code = json_object_get(o, "errcode"))) {
		char ex[64];

		excerpt(body ? body : "", body ? len : 0, ex, sizeof(ex));
		say(err, sz, "unreadable answer", ": ", ex);
		json_decref(o);
		return NOTIFY_RETRY;
	}
	if (json_integer_value(code) == 0)
		r = NOTIFY_SENT;
	else {
		const char *msg = json_string_value(json_object_get(o,
		    "errmsg"));

		snprintf(num, sizeof(num), "errcode %lld",
		    (long long)json_integer_value(code));
		say(err, sz, num, ": ", msg);
		r = NOTIFY_RETRY;
	}
	json_decref(o);
	return r;
}

/* Codes that mean the number itself cannot be reached: no retry helps. */
static int
bad_number(const char *code)
{
	static const char *const codes[] = {
	    "isv.MOBILE_NUMBER_ILLEGAL", /* Alibaba */
	    "isv.MOBILE_COUNT_OVER_LIMIT",
	    "InvalidParameterValue.IncorrectPhoneNumber", /* Tencent */
	    "FailedOperation.PhoneNumberInBlacklist",
	    "FailedOperation.PhoneNumberOnBlacklist",
	    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
	    NULL,
	};
	size_t i;

	for (i = 0; codes[i] != NULL; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

enum notify_result
notify_aliyun_answer(long status, const char *body, size_t len, char *err,
    size_t sz)
{
	json_t *o;
	const char *code, *msg;
	enum notify_result r;

	err[0] = '\0';
	o = json_loadb(body ? body : "", body ? len : 0, 0, NULL);
	code = json_string_value(json_object_get(o, "Code"));
	msg = json_string_value(json_object_get(o, "Message"));
	if (status >= 500 || code == NULL) {
		json_decref(o);
		if (status >= 200 && status <= 299) {
			char ex[64];

			excerpt(body ? body : "", body ? len : 0, ex,
			    sizeof(ex));
			say(err, sz, "unreadable answer", ": ", ex);
			return NOTIFY_RETRY;
		}
		return http_failure(status, body, len, err, sz);
	}
	if (strcmp(code, "OK") == 0 && status >= 200 && status <= 299)
		r = NOTIFY_SENT;
	else {
		say(err, sz, code, ": ", msg);
		r = bad_number(code) ? NOTIFY_DEAD : NOTIFY_RETRY;
	}
	json_decref(o);
	return r;
}

enum notify_result
notify_tencent_answer(long status, const char *body, size_t len, char *err,
    size_t sz)
{
	json_t *o, *resp, *e, *set, *first;
	const char *code, *msg;
	enum notify_result r = NOTIFY_RETRY;

	err[0] = '\0';
	if (status < 200 || status > 299)
		return http_failure(status, body, len, err, sz);
	o = json_loadb(body ? body : "", body ? len : 0, 0, NULL);
	resp = json_object_get(o, "Response");
	e = json_object_get(resp, "Error");
	set = json_object_get(resp, "SendStatusSet");
	first = json_array_get(set, 0);
	if (json_is_object(e)) {
		code = json_string_value(json_object_get(e, "Code"));
		msg = json_string_value(json_object_get(e, "Message"));
		say(err, sz, code ? code : "Error", ": ", msg);
		r = code && bad_number(code) ? NOTIFY_DEAD : NOTIFY_RETRY;
	} else if ((code = json_string_value(json_object_get(first, "Code"))) !=
	    NULL) {
		msg = json_string_value(json_object_get(first, "Message"));
		if (strcmp(code, "Ok") == 0)
			r = NOTIFY_SENT;
		else {
			say(err, sz, code, ": ", msg);
			r = bad_number(code) ? NOTIFY_DEAD : NOTIFY_RETRY;
		}
	} else {
		char ex[64];

		excerpt(body ? body : "", body ? len : 0, ex, sizeof(ex));
		say(err, sz, "unreadable answer", ": ", ex);
	}
	json_decref(o);
	return r;
}

const char *const notify_sms_providers[SMS_PROVIDER__MAX + 1] = {
    /* SMS_PROVIDER_NONE */ "",
    /* SMS_PROVIDER_ALIYUN */ "aliyun",
    /* SMS_PROVIDER_TENCENT */ "tencent",
    NULL,
};

int
notify_sms_provider_parse(const char *s)
{
	int i;

	if (s == NULL || *s == '\0')
		return SMS_PROVIDER_NONE;
	for (i = 1; i < SMS_PROVIDER__MAX; i++)
		if (strcmp(s, notify_sms_providers[i]) == 0)
			return i;
	return -1;
}

static int
loopback(const char *host, size_t n)
{
	return (n == 9 && strncmp(host, "localhost", 9) == 0) ||
	    (n >= 4 && strncmp(host, "127.", 4) == 0) ||
	    (n == 5 && strncmp(host, "[::1]", 5) == 0);
}

int
notify_url_ok(const char *url)
{
	const char *host, *end;
	size_t n;

	if (url == NULL)
		return 0;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return 0;
	end = host + strcspn(host, "/?#");
	if (end == host || memchr(host, '@', (size_t)(end - host)) != NULL ||
	    strchr(url, '#') != NULL || strpbrk(url, " \t\r\n") != NULL)
		return 0;
	if (host == url + 8)
		return 1;
	/* Plain HTTP only to this machine: a key in a URL never crosses a
	 * network in clear. */
	n = strcspn(host, ":/?");
	if (host[0] == '[')
		n = strcspn(host, "]") + 1;
	return loopback(host, n);
}
