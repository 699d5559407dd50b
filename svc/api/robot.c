/*
 * The group robots of the stations and of the district, as a coordinator
 * sets them in the console, and the channels' settings page. A webhook
 * key (WeCom) or access token and signing secret (DingTalk) is written
 * here and read only by the sender: answers show the last four
 * characters, the audit trail says only that it changed. A test message
 * is an outbox row like any other; the console follows it by its id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static const struct vfield robot_fields[] = {
    /* The key / access token, or the webhook URL the service shows. */
    {.name = "webhook", .type = VT_STRING, .max = 512},
    /* DingTalk's signing secret (SEC…); "" or null removes it. */
    {.name = "secret", .type = VT_STRING, .nullable = 1, .max = 128},
    {.name = "active", .type = VT_BOOL},
};

static json_t *
robot_json(const struct robot *r)
{
	char hint[32], shint[32];

	notify_hint(r->token, hint, sizeof(hint));
	notify_hint(r->secret, shint, sizeof(shint));
	return json_pack("{s:o, s:o, s:s, s:s, s:b, s:o, s:b, s:o, s:o}",
	    "station_id",
	    r->station_id ? json_integer(r->station_id) : json_null(),
	    "station_name",
	    r->station_id ? json_string(r->station_name) : json_null(),
	    "channel", r->channel, "webhook_hint", hint, "has_secret",
	    r->secret[0] != '\0', "secret_hint",
	    r->secret[0] ? json_string(shint) : json_null(), "active",
	    r->active, "created_at", tzdb_time_json(r->created_at),
	    "updated_at", tzdb_time_json(r->updated_at));
}

/* The robot channel named in the path, or a 404 reply (-1). */
static int
channel_or_reply(struct http_req *r)
{
	int ch = notify_channel_parse(http_req_tok(r, 0));

	if (ch != NOTIFY_WECOM && ch != NOTIFY_DINGTALK) {
		http_reply_errorf(r, HERR_NOT_FOUND, NULL,
		    "没有这种群机器人（只有企业微信 wecom 和钉钉 dingtalk）");
		return -1;
	}
	return ch;
}

/* The station of the path (0 for the district), or a 404 reply (-1). */
static int64_t
station_or_reply(struct http_req *r, struct store *st, int district,
    struct station *s)
{
	memset(s, 0, sizeof(*s));
	if (district)
		return 0;
	if (!api_found_or_reply(r, store_station_get(st, http_req_id(r, 0), s),
	        "没有这个驻点"))
		return -1;
	return s->id;
}

static int
robot_put(struct http_req *r, int district)
{
	const struct svc_config *c = svc_config();
	json_t *body = http_req_json(r), *sec, *act, *detail;
	struct herror err;
	struct station s;
	struct robot rb;
	struct store *st;
	char token[160], why[256];
	int64_t sid;
	int ch, rc, got, webhook_changed = 0, secret_changed = 0;
	char *webhook = NULL, *secret = NULL;

	if ((ch = channel_or_reply(r)) < 0)
		return http_req_status(r);
	if (!valid_object(body, robot_fields, 3, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (!svc_channel_robot_on(ch))
		return http_reply_errorf(r, HERR_CONFLICT, "channel",
		    "%s群机器人未启用：请管理员在配置中设置 %s",
		    ch == NOTIFY_WECOM ? "企业微信" : "钉钉",
		    ch == NOTIFY_WECOM ? "wecom_url" : "dingtalk_url");
	st = api_store(r);
	if ((sid = station_or_reply(r, st, district, &s)) < 0)
		return http_req_status(r);
	station_free(&s);
	memset(&rb, 0, sizeof(rb));
	if ((got = store_robot_get(st, sid, notify_channels[ch], &rb)) < 0)
		return api_reply_store_error(r);
	rc = 422;
	webhook = valid_str(body, "webhook", NULL);
	secret = valid_str(body, "secret", NULL);
	sec = json_object_get(body, "secret");
	act = json_object_get(body, "active");
	if (webhook == NULL && got == 0) {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "webhook",
		    "新建群机器人须填写 Webhook 地址");
		goto out;
	}
	if (webhook != NULL &&
	    !notify_webhook_token(ch, webhook,
	        ch == NOTIFY_WECOM ? c->wecom_url : c->dingtalk_url, token,
	        sizeof(token), why, sizeof(why))) {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "webhook",
		    "%s", why);
		goto out;
	}
	if (sec != NULL && ch == NOTIFY_WECOM && secret != NULL &&
	    *secret != '\0') {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "secret",
		    "企业微信群机器人不使用加签密钥，请留空");
		goto out;
	}
	if (secret != NULL && *secret != '\0' &&
	    !notify_robot_secret_valid(secret)) {
		rc = http_reply_errorf(r, HERR_VALIDATION_FAILED, "secret",
		    "加签密钥为 8 到 128 个字母、数字、- 或 _（钉钉中以 SEC 开头）");
		goto out;
	}
	if (got == 0) {
		rb.station_id = sid;
		rb.active = 1;
		if ((rb.channel = strdup(notify_channels[ch])) == NULL ||
		    (rb.secret = strdup("")) == NULL)
			goto fail;
	}
	if (webhook != NULL && strcmp(token, rb.token ? rb.token : "") != 0) {
		free(rb.token);
		if ((rb.token = strdup(token)) == NULL)
			goto fail;
		webhook_changed = 1;
	}
	if (sec != NULL) {
		const char *v = secret ? secret : "";

		if (strcmp(v, rb.secret) != 0) {
			secret_wipe(rb.secret, strlen(rb.secret));
			free(rb.secret);
			if ((rb.secret = strdup(v)) == NULL)
				goto fail;
			secret_changed = 1;
		}
	}
	if (act != NULL)
		rb.active = json_is_true(act);
	detail = json_pack("{s:s, s:o, s:b, s:b, s:b}", "channel", rb.channel,
	    "station_id", sid ? json_integer(sid) : json_null(),
	    "webhook_changed", webhook_changed, "secret_changed",
	    secret_changed, "active", rb.active);
	if (store_robot_save(st, &rb, svc_now()) <= 0 ||
	    api_audit(r, st, got ? "update" : "create", "robot", rb.id,
	        detail) < 0) {
		json_decref(detail);
		goto fail;
	}
	json_decref(detail);
	/* Names of the station come from a read, not the request. */
	robot_free(&rb);
	if (store_robot_get(st, sid, notify_channels[ch], &rb) <= 0)
		goto fail;
	rc = http_reply_json(r, got ? 200 : 201, robot_json(&rb));
	goto out;
fail:
	rc = api_reply_store_error(r);
out:
	if (secret != NULL)
		secret_wipe(secret, strlen(secret));
	free(secret);
	free(webhook);
	secret_wipe(token, sizeof(token));
	robot_free(&rb);
	return rc;
}

/* The robot of the path, or a 404 reply (0). */
static int
robot_or_reply(struct http_req *r, struct store *st, int district,
    struct robot *rb)
{
	struct station s;
	int64_t sid;
	int ch;
	char none[96];

	memset(rb, 0, sizeof(*rb));
	if ((ch = channel_or_reply(r)) < 0)
		return 0;
	if ((sid = station_or_reply(r, st, district, &s)) < 0)
		return 0;
	station_free(&s);
	snprintf(none, sizeof(none), "这里还没有设置 %s 群机器人",
	    notify_channels[ch]);
	return api_found_or_reply(r,
	    store_robot_get(st, sid, notify_channels[ch], rb), none);
}

static int
robot_delete(struct http_req *r, int district)
{
	struct store *st;
	struct robot rb;
	int rc;

	st = api_store(r);
	if (!robot_or_reply(r, st, district, &rb))
		return http_req_status(r);
	rc = api_reply_deleted(r, st,
	    store_robot_delete(st, &rb, "the robot was removed"), "robot",
	    rb.id, NULL);
	robot_free(&rb);
	return rc;
}

static int
robot_test(struct http_req *r, int district)
{
	struct store *st;
	struct robot rb;
	int64_t id = 0;
	int rc;

	st = api_store(r);
	if (!robot_or_reply(r, st, district, &rb))
		return http_req_status(r);
	if (!svc_channel_robot_on(notify_channel_parse(rb.channel)) ||
	    !rb.active) {
		rc = http_reply_errorf(r, HERR_CONFLICT, "active",
		    "这个群机器人已停用，请先启用");
		robot_free(&rb);
		return rc;
	}
	if (svc_channel_test(st, &rb, &id) < 0 || id == 0 ||
	    api_audit(r, st, "test", "robot", rb.id, NULL) < 0)
		rc = api_reply_store_error(r);
	else
		rc = http_reply_json(r, 202,
		    json_pack("{s:I, s:s}", "outbox_id", (json_int_t)id,
		        "status", "pending"));
	robot_free(&rb);
	return rc;
}

int
api_station_robot_put(struct http_req *r)
{
	return robot_put(r, 0);
}

int
api_district_robot_put(struct http_req *r)
{
	return robot_put(r, 1);
}

int
api_station_robot_delete(struct http_req *r)
{
	return robot_delete(r, 0);
}

int
api_district_robot_delete(struct http_req *r)
{
	return robot_delete(r, 1);
}

int
api_station_robot_test(struct http_req *r)
{
	return robot_test(r, 0);
}

int
api_district_robot_test(struct http_req *r)
{
	return robot_test(r, 1);
}

int
api_station_robots_get(struct http_req *r)
{
	struct store *st;
	struct station s;
	struct robot rb;
	json_t *o;
	int ch, rc;

	st = api_store(r);
	if (station_or_reply(r, st, 0, &s) < 0)
		return http_req_status(r);
	o = json_pack("{s:I, s:s}", "station_id", (json_int_t)s.id,
	    "station_name", s.name);
	for (ch = NOTIFY_WECOM; ch <= NOTIFY_DINGTALK && o; ch++) {
		if ((rc = store_robot_get(st, s.id, notify_channels[ch], &rb)) <
		    0) {
			json_decref(o);
			station_free(&s);
			return api_reply_store_error(r);
		}
		json_object_set_new(o, notify_channels[ch],
		    rc > 0 ? robot_json(&rb) : json_null());
		if (rc > 0)
			robot_free(&rb);
	}
	station_free(&s);
	return http_reply_json(r, 200, o);
}

int
api_channels_get(struct http_req *r)
{
	const struct svc_config *c = svc_config();
	struct robot *rs = NULL;
	struct store *st;
	json_t *robots, *tmpl, *o;
	char hint[32], at[16];
	size_t i, n = 0;
	int k, sms = c->sms_provider != NULL && *c->sms_provider != '\0';

	st = api_store(r);
	if (store_robot_list(st, NULL, &rs, &n) < 0)
		return api_reply_store_error(r);
	robots = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(robots, robot_json(&rs[i]));
	robot_list_free(rs, n);
	tmpl = json_object();
	for (k = 0; k < NOTIFY_SMS__MAX; k++)
		json_object_set_new(tmpl, notify_sms_kinds[k],
		    sms && c->sms_templates[k] && *c->sms_templates[k]
		        ? json_string(c->sms_templates[k])
		        : json_null());
	notify_hint(c->sms_key_id, hint, sizeof(hint));
	snprintf(at, sizeof(at), "%02d:%02d",
	    (c->duty_message_minute / 60) % 24, c->duty_message_minute % 60);
	o = json_pack("{s:{s:b}, s:{s:b, s:o}, s:{s:b, s:o}, s:{s:b, s:o, s:o,"
	              " s:o, s:o, s:i, s:o}, s:s, s:o}",
	    "email", "configured", c->smtp_configured, "wecom", "enabled",
	    svc_channel_robot_on(NOTIFY_WECOM), "url",
	    svc_channel_robot_on(NOTIFY_WECOM) ? json_string(c->wecom_url)
	                                       : json_null(),
	    "dingtalk", "enabled", svc_channel_robot_on(NOTIFY_DINGTALK), "url",
	    svc_channel_robot_on(NOTIFY_DINGTALK) ? json_string(c->dingtalk_url)
	                                          : json_null(),
	    "sms", "configured", sms, "provider",
	    sms ? json_string(c->sms_provider) : json_null(), "endpoint",
	    sms ? json_string(c->sms_endpoint) : json_null(), "sign_name",
	    sms ? json_string(c->sms_sign_name) : json_null(), "key_id_hint",
	    sms ? json_string(hint) : json_null(), "daily_limit",
	    c->sms_daily_limit, "templates", tmpl, "duty_message_time", at,
	    "robots", robots);
	return http_reply_json(r, 200, o);
}
