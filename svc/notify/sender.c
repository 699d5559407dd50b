/*
 * One message to its service: the request of a WeCom or DingTalk robot
 * and of each SMS provider's SendSms, signed as the provider documents
 * it (svc/core/notify.c holds the signatures), and the answer read back
 * into sent, retry, down or dead. Timestamps in signatures are the real
 * time, never the test clock: the services compare them with theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"

/* The authority of a URL ("host[:port]"), for the Host header a
 * signature covers. */
static int
authority(const char *url, char *out, size_t sz)
{
	const char *p = strstr(url, "://"), *end;
	size_t n;

	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	n = (size_t)(end - p);
	if (n == 0 || n >= sz)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

static enum notify_result
post(struct nhttp *h, const char *url, const char *const *headers,
    const char *body,
    enum notify_result (*read)(long, const char *, size_t, char *, size_t),
    char *err, size_t errsz)
{
	struct nhttp_answer a;
	enum notify_result r;

	if (!nhttp_post(h, url, headers, body, strlen(body), &a)) {
		snprintf(err, errsz, "%s", a.error);
		return NOTIFY_DOWN;
	}
	r = read(a.status, a.body, a.len, err, errsz);
	free(a.body);
	return r;
}

enum notify_result
notify_send_robot(struct nhttp *h, const struct notify_config *cfg,
    const struct robot *r, const struct outbox_msg *m, char *err, size_t errsz)
{
	int ch = notify_channel_parse(r->channel);
	const char *base = ch == NOTIFY_WECOM ? cfg->wecom_url
	    : ch == NOTIFY_DINGTALK           ? cfg->dingtalk_url
	                                      : NULL;
	struct strbuf url = {0}, idh = {0};
	const char *headers[3];
	enum notify_result res = NOTIFY_RETRY;
	char *u = NULL, *id = NULL;

	if (base == NULL || *base == '\0') {
		snprintf(err, errsz, "%s is not configured", r->channel);
		return NOTIFY_RETRY;
	}
	/* WeCom: ?key=KEY. DingTalk: ?access_token=TOKEN, and with a
	 * signing secret &timestamp=ms&sign=… (both query parameters). */
	strbuf_str(&url, base);
	strbuf_str(&url, ch == NOTIFY_WECOM ? "?key=" : "?access_token=");
	notify_percent_encode(&url, r->token);
	if (ch == NOTIFY_DINGTALK && r->secret[0] != '\0') {
		struct timespec now;
		long long ms;

		clock_gettime(CLOCK_REALTIME, &now);
		ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
		strbuf_printf(&url, "&timestamp=%lld&sign=", ms);
		if (!notify_dingtalk_sign(r->secret, ms, &url)) {
			snprintf(err, errsz, "cannot sign");
			goto out;
		}
	}
	strbuf_printf(&idh, "X-Hearth-Message-Id: %s", m->message_id);
	if ((u = strbuf_take(&url, NULL)) == NULL ||
	    (id = strbuf_take(&idh, NULL)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	headers[0] = "Content-Type: application/json; charset=utf-8";
	headers[1] = id;
	headers[2] = NULL;
	res = post(h, u, headers, m->body, notify_robot_answer, err, errsz);
out:
	strbuf_free(&url);
	strbuf_free(&idh);
	if (u != NULL)
		secret_wipe(u, strlen(u));
	free(u);
	free(id);
	return res;
}

/* SendSms of Alibaba Cloud (RPC API, version 2017-05-25), POSTed as a
 * form; signature as in core (notify_aliyun_sign) over method POST. */
static enum notify_result
send_aliyun(struct nhttp *h, const struct notify_sms_config *c,
    const struct outbox_msg *m, const char *tmpl, const char *params, char *err,
    size_t errsz)
{
	struct notify_param p[15];
	struct strbuf q = {0}, body = {0};
	char sig[NOTIFY_ALIYUN_SIG_SZ], ts[32], nonce[SECRET_TOKEN_HEX];
	const char *headers[2];
	enum notify_result r = NOTIFY_RETRY;
	time_t now = time(NULL);
	struct tm tm;
	char *b = NULL;
	size_t n = 0;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	secret_token(nonce, SECRET_TOKEN_BYTES);
	p[n++] = (struct notify_param){"AccessKeyId", c->key_id};
	p[n++] = (struct notify_param){"Action", "SendSms"};
	p[n++] = (struct notify_param){"Format", "JSON"};
	p[n++] = (struct notify_param){"OutId", m->message_id};
	p[n++] = (struct notify_param){"PhoneNumbers", m->recipient};
	p[n++] = (struct notify_param){"RegionId",
	    c->region && *c->region ? c->region : "cn-hangzhou"};
	p[n++] = (struct notify_param){"SignName", c->sign_name};
	p[n++] = (struct notify_param){"SignatureMethod", "HMAC-SHA1"};
	p[n++] = (struct notify_param){"SignatureNonce", nonce};
	p[n++] = (struct notify_param){"SignatureVersion", "1.0"};
	p[n++] = (struct notify_param){"TemplateCode", tmpl};
	p[n++] = (struct notify_param){"TemplateParam", params};
	p[n++] = (struct notify_param){"Timestamp", ts};
	p[n++] = (struct notify_param){"Version", "2017-05-25"};
	if (!notify_aliyun_sign("POST", p, n, c->key_secret, &q, NULL, sig)) {
		snprintf(err, errsz, "cannot sign");
		goto out;
	}
	strbuf_str(&body, "Signature=");
	notify_percent_encode(&body, sig);
	strbuf_str(&body, "&");
	strbuf_str(&body, q.p ? q.p : "");
	if ((b = strbuf_take(&body, NULL)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	headers[0] = "Content-Type: application/x-www-form-urlencoded";
	headers[1] = NULL;
	r = post(h, c->endpoint, headers, b, notify_aliyun_answer, err, errsz);
out:
	strbuf_free(&q);
	strbuf_free(&body);
	free(b);
	return r;
}

/* SendSms of Tencent Cloud (API 3.0, version 2021-01-11): a JSON POST
 * signed with TC3-HMAC-SHA256 over content-type and host. */
static enum notify_result
send_tencent(struct nhttp *h, const struct notify_sms_config *c,
    const struct outbox_msg *m, const char *tmpl, json_t *params, char *err,
    size_t errsz)
{
	struct notify_tc3 t;
	struct notify_tc3_out o;
	struct strbuf hb[4];
	const char *headers[8];
	char host[256], phone[24], *payload = NULL, *auth = NULL;
	enum notify_result r = NOTIFY_RETRY;
	json_t *req, *set;
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(hb, 0, sizeof(hb));
	if (!authority(c->endpoint, host, sizeof(host))) {
		snprintf(err, errsz, "sms_endpoint: no host");
		return NOTIFY_RETRY;
	}
	/* Signed header values are lowercase (API 3.0); the Host sent is
	 * the one signed. */
	for (i = 0; host[i] != '\0'; i++)
		if (host[i] >= 'A' && host[i] <= 'Z')
			host[i] = (char)(host[i] - 'A' + 'a');
	snprintf(phone, sizeof(phone), "+86%s", m->recipient);
	set = json_array();
	json_array_append(set, json_object_get(params, "title"));
	json_array_append(set, json_object_get(params, "time"));
	json_array_append(set, json_object_get(params, "place"));
	req = json_pack("{s:[s], s:s, s:s, s:s, s:o, s:s}", "PhoneNumberSet",
	    phone, "SmsSdkAppId", c->app_id ? c->app_id : "", "SignName",
	    c->sign_name, "TemplateId", tmpl, "TemplateParamSet", set,
	    "SessionContext", m->message_id);
	if (req == NULL || (payload = json_dumps(req, JSON_COMPACT)) == NULL) {
		json_decref(req);
		snprintf(err, errsz, "out of memory");
		return NOTIFY_RETRY;
	}
	json_decref(req);
	t = (struct notify_tc3){
	    .secret_id = c->key_id,
	    .secret_key = c->key_secret,
	    .service = "sms",
	    .host = host,
	    .content_type = "application/json; charset=utf-8",
	    .payload = payload,
	    .payload_len = strlen(payload),
	    .timestamp = time(NULL),
	};
	if (!notify_tc3_sign(&t, &o) ||
	    (auth = strbuf_take(&o.authorization, NULL)) == NULL) {
		snprintf(err, errsz, "cannot sign");
		goto out;
	}
	strbuf_printf(&hb[0], "Authorization: %s", auth);
	strbuf_printf(&hb[1], "Host: %s", host);
	strbuf_printf(&hb[2], "X-TC-Timestamp: %lld", (long long)t.timestamp);
	strbuf_printf(&hb[3], "X-TC-Region: %s",
	    c->region && *c->region ? c->region : "ap-guangzhou");
	for (i = 0; i < 4; i++)
		if (hb[i].failed) {
			snprintf(err, errsz, "out of memory");
			goto out;
		}
	headers[0] = "Content-Type: application/json; charset=utf-8";
	headers[1] = hb[1].p; /* Host, as signed */
	headers[2] = "X-TC-Action: SendSms";
	headers[3] = "X-TC-Version: 2021-01-11";
	headers[4] = hb[2].p;
	headers[5] = hb[3].p;
	headers[6] = hb[0].p; /* Authorization */
	headers[7] = NULL;
	r = post(h, c->endpoint, headers, payload, notify_tencent_answer, err,
	    errsz);
out:
	for (i = 0; i < 4; i++)
		strbuf_free(&hb[i]);
	strbuf_free(&o.authorization);
	free(auth);
	free(payload);
	return r;
}

enum notify_result
notify_send_sms(struct nhttp *h, const struct notify_sms_config *c,
    const struct outbox_msg *m, char *err, size_t errsz)
{
	json_t *body = json_loads(m->body, 0, NULL), *params;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *tmpl;
	enum notify_result r;
	char *ps;
	int k = notify_sms_kind_parse(kind);

	params = json_object_get(body, "params");
	if (k < 0 || !json_is_object(params)) {
		json_decref(body);
		snprintf(err, errsz, "unreadable message");
		return NOTIFY_DEAD;
	}
	tmpl = c->templates[k];
	if (tmpl == NULL || *tmpl == '\0') {
		json_decref(body);
		snprintf(err, errsz, "no template for %s (sms_template_%s)",
		    kind, kind);
		return NOTIFY_DEAD;
	}
	if (c->provider == SMS_PROVIDER_ALIYUN) {
		if ((ps = json_dumps(params, JSON_COMPACT)) == NULL) {
			json_decref(body);
			snprintf(err, errsz, "out of memory");
			return NOTIFY_RETRY;
		}
		r = send_aliyun(h, c, m, tmpl, ps, err, errsz);
		free(ps);
	} else if (c->provider == SMS_PROVIDER_TENCENT)
		r = send_tencent(h, c, m, tmpl, params, err, errsz);
	else {
		snprintf(err, errsz, "sms_provider is not configured");
		r = NOTIFY_RETRY;
	}
	json_decref(body);
	return r;
}
