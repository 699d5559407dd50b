/*
 * Group robot and SMS messages and the signatures of their services
 * (svc/core/notify.c). The signature tests use the providers' own
 * published examples as vectors:
 *  - Alibaba Cloud SMS, 签名机制 (help.aliyun.com document 101343 / the
 *    SMS "signature method" page): SendSms with AccessKeyId testId and
 *    secret testSecret, signature zJDF+Lrzhj/ThnlvIToysFRq6t4=.
 *  - Alibaba Cloud RPC signature page: DescribeRegions with testid /
 *    testsecret, signature OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
 *  - Tencent Cloud API 3.0 "Signature v3": DescribeInstances of cvm at
 *    1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, signature
 *    72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168.
 * DingTalk publishes the algorithm (with sample code) but no fixed
 * timestamp/secret/sign triple: that vector is derived by hand below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "../lib/unit.h"

static struct tz *shanghai;

static int
setup(void **state)
{
	(void)state;
	shanghai = unit_load_zone("Asia/Shanghai");
	return shanghai ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tz_free(shanghai);
	return 0;
}

static char *
take(struct strbuf *b)
{
	char *s = strbuf_take(b, NULL);

	assert_non_null(s);
	return s;
}

/* 2026-03-02 (a Monday) hh:mm in Shanghai. */
static time_t
sh(int h, int m)
{
	return (time_t)(time_days_from_civil(2026, 3, 2) * 86400 +
	    (h - 8) * 3600 + m * 60);
}

static void
test_channels(void **state)
{
	(void)state;
	assert_int_equal(notify_channel_parse("wecom"), NOTIFY_WECOM);
	assert_int_equal(notify_channel_parse("dingtalk"), NOTIFY_DINGTALK);
	assert_int_equal(notify_channel_parse("sms"), NOTIFY_SMS);
	assert_int_equal(notify_channel_parse("email"), NOTIFY_EMAIL);
	assert_int_equal(notify_channel_parse("fax"), -1);
	assert_int_equal(notify_channel_parse(NULL), -1);
	assert_int_equal(notify_sms_kind_parse("promoted"),
	    NOTIFY_SMS_PROMOTED);
	assert_int_equal(notify_sms_kind_parse("weekly"), -1);
}

static void
test_phone(void **state)
{
	static const struct {
		const char *in, *out;
	} good[] = {
	    {"13800138000", "13800138000"},
	    {"+8613800138000", "13800138000"},
	    {"+86 139-0000-0000", "13900000000"},
	    {"+86-199 1234 5678", "19912345678"},
	    {"138 0013 8000", "13800138000"},
	    {" 15012345678", "15012345678"},
	};
	static const char *const bad[] = {
	    "",
	    "12800138000",
	    "10012345678",
	    "1380013800",
	    "138001380000",
	    "0755-88880000",
	    "+85213800138000",
	    "+8613800138000 ",
	    "138--0013-8000",
	    "-13800138000",
	    "13800138000-",
	    "1380013800a",
	    "８６13800138000",
	    "+86+8613800138000",
	    "8613800138000",
	};
	char out[NOTIFY_PHONE_SZ];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(notify_phone_cn(good[i].in, out));
		assert_string_equal(out, good[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(notify_phone_cn(bad[i], out));
	assert_false(notify_phone_cn(NULL, out));
}

static void
test_md_text(void **state)
{
	struct strbuf b = {0};
	char *s;

	(void)state;
	notify_md_text(&b, "讲座[点此](http://x.cn/a_b)\n**粗** <font>#1");
	s = take(&b);
	assert_string_equal(s,
	    "讲座［点此］（http://x.cn/a＿b） ＊＊粗＊＊ "
	    "＜font＞＃1");
	free(s);
}

static void
test_spans(void **state)
{
	struct strbuf b = {0};
	char *s;

	(void)state;
	notify_span_zh(&b, sh(9, 0), sh(12, 0), shanghai);
	s = take(&b);
	assert_string_equal(s, "3月2日（周一）09:00–12:00");
	free(s);
	notify_span_zh(&b, sh(20, 0), sh(20 + 14, 30), shanghai);
	s = take(&b);
	assert_string_equal(s, "3月2日（周一）20:00 至 3月3日 10:30");
	free(s);
	notify_when_zh(&b, sh(14, 30), shanghai);
	s = take(&b);
	assert_string_equal(s, "3月2日14:30");
	free(s);
}

static json_t *
parse(const char *s)
{
	json_t *o = json_loads(s, 0, NULL);

	assert_non_null(o);
	return o;
}

static void
test_robot_body(void **state)
{
	char *w, *d, *big, *body;
	json_t *o;
	size_t i;

	(void)state;
	w = notify_robot_body(NOTIFY_WECOM, "今日值班",
	    "### 今日值班\n> 王老师");
	o = parse(w);
	assert_string_equal(json_string_value(json_object_get(o, "msgtype")),
	    "markdown");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	                                                          "markdown"),
	                        "content")),
	    "### 今日值班\n> 王老师");
	json_decref(o);
	free(w);

	d = notify_robot_body(NOTIFY_DINGTALK, "今日值班",
	    "### 今日值班\n> 王老师");
	o = parse(d);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	                                                          "markdown"),
	                        "title")),
	    "今日值班");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	                                                          "markdown"),
	                        "text")),
	    "### 今日值班\n\n> 王老师");
	json_decref(o);
	free(d);
	assert_null(notify_robot_body(NOTIFY_SMS, "x", "y"));

	/* Cut at a line end under the limit, marked: lines of 33 three-byte
	 * characters and a line break, 100 bytes each. */
	big = malloc(8001);
	for (i = 0; i < 8000; i++)
		if (i % 100 == 99)
			big[i] = '\n';
		else
			big[i] = "\xe7\x8f\xad"[(i % 100) % 3];
	big[8000] = '\0';
	w = notify_robot_body(NOTIFY_WECOM, "t", big);
	o = parse(w);
	body = (char *)json_string_value(json_object_get(json_object_get(o,
	                                                     "markdown"),
	    "content"));
	assert_true(strlen(body) <= NOTIFY_ROBOT_MAX + 8);
	assert_non_null(strstr(body, "\n……"));
	json_decref(o);
	free(w);
	free(big);
}

static void
test_messages(void **state)
{
	struct notify_duty d[] = {
	    {"福田区人民来访接待厅", "李老师", sh(14, 0), sh(17, 0)},
	    {"园岭街道工作点", "", sh(9, 0), sh(12, 0)},
	    {"福田区人民来访接待厅", "王老师*", sh(9, 0), sh(12, 0)},
	};
	struct notify_event_text e = {
	    .kind_zh = "讲座",
	    .title = "情绪管理",
	    .where = "三楼会议室",
	    .reason = "讲师生病",
	    .start = sh(14, 30),
	    .end = sh(16, 30),
	};
	const char *lines[] = {"新增 3月2日（周一）09:00–12:00 王老师",
	    "取消 3月3日（周二）09:00–12:00 李老师"};
	struct strbuf b = {0};
	char *s;

	(void)state;
	notify_md_duty_day(&b, time_days_from_civil(2026, 3, 2), d, 3,
	    shanghai);
	s = take(&b);
	assert_string_equal(s,
	    "### 今日值班 3月2日（周一）\n"
	    "**园岭街道工作点**\n> 09:00–12:00 （空缺，待安排）\n"
	    "**福田区人民来访接待厅**\n> 09:00–12:00 王老师＊\n"
	    "> 14:00–17:00 李老师\n");
	free(s);

	e.cancelled = 1;
	notify_md_event(&b, &e, shanghai);
	s = take(&b);
	assert_string_equal(s,
	    "### 活动取消\n讲座「情绪管理」\n"
	    "> 原定：3月2日（周一）14:30–16:30\n> 已取消\n"
	    "> 地点：三楼会议室\n> 原因：讲师生病\n");
	free(s);
	e.cancelled = 0;
	e.old_start = sh(9, 0);
	e.old_end = sh(11, 0);
	e.reason = NULL;
	notify_md_event(&b, &e, shanghai);
	s = take(&b);
	assert_string_equal(s,
	    "### 活动时间变更\n讲座「情绪管理」\n"
	    "> 原定：3月2日（周一）09:00–11:00\n"
	    "> 现定：3月2日（周一）14:30–16:30\n> 地点：三楼会议室\n");
	free(s);

	notify_md_roster(&b, "园岭街道工作点", lines, 2, 5);
	s = take(&b);
	assert_string_equal(s,
	    "### 值班安排变动 · 园岭街道工作点\n"
	    "- 新增 3月2日（周一）09:00–12:00 王老师\n"
	    "- 取消 3月3日（周二）09:00–12:00 李老师\n"
	    "- ……等共 5 项变动，详见班表\n");
	free(s);

	notify_md_duty_log(&b, "王老师", "园岭街道工作点", sh(9, 0), sh(12, 0),
	    shanghai);
	s = take(&b);
	assert_non_null(strstr(s,
	    "### 值班记录待填写\n> 王老师 3月2日（周一）"
	    "09:00–12:00 园岭街道工作点\n"));
	free(s);
	notify_md_test(&b, "园岭街道工作点", sh(10, 5), shanghai);
	s = take(&b);
	assert_non_null(strstr(s, "### 测试消息"));
	assert_non_null(strstr(s, "3月2日10:05"));
	free(s);
}

static void
test_sms_params(void **state)
{
	json_t *p;

	(void)state;
	p = notify_sms_params("一二三四五六七八九十一二三四五六七八九十超出",
	    sh(14, 30), "福田区人民来访接待厅 三楼会议室", shanghai);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "title")),
	    "一二三四五六七八九十一二三四五六七八九十…");
	assert_string_equal(json_string_value(json_object_get(p, "time")),
	    "3月2日14:30");
	assert_string_equal(json_string_value(json_object_get(p, "place")),
	    "福田区人民来访接待厅 三楼会议室");
	json_decref(p);
	p = notify_sms_params("讲座", sh(9, 0), "", shanghai);
	assert_string_equal(json_string_value(json_object_get(p, "place")),
	    "另行通知");
	json_decref(p);
}

static void
test_webhook_token(void **state)
{
	const char *wb = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
	const char *db = "https://oapi.dingtalk.com/robot/send";
	char out[160], err[200];

	(void)state;
	assert_true(notify_webhook_token(NOTIFY_WECOM,
	    "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", wb, out, sizeof(out), err,
	    sizeof(err)));
	assert_string_equal(out, "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa");
	assert_true(notify_webhook_token(NOTIFY_WECOM,
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7b2c",
	    wb, out, sizeof(out), err, sizeof(err)));
	assert_string_equal(out, "693a91f6-7b2c");
	assert_true(notify_webhook_token(NOTIFY_DINGTALK,
	    "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123&x=1",
	    db, out, sizeof(out), err, sizeof(err)));
	assert_string_equal(out, "abcdef0123");
	/* Another host, a lookalike host, the wrong parameter, junk. */
	assert_false(notify_webhook_token(NOTIFY_WECOM,
	    "https://evil.example/cgi-bin/webhook/send?key=693a91f6-7b2c", wb,
	    out, sizeof(out), err, sizeof(err)));
	assert_non_null(strstr(err, "wecom_url"));
	assert_false(notify_webhook_token(NOTIFY_WECOM,
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send.evil?key=693a91f6",
	    wb, out, sizeof(out), err, sizeof(err)));
	assert_false(notify_webhook_token(NOTIFY_DINGTALK,
	    "https://oapi.dingtalk.com/robot/send?key=abcdef0123", db, out,
	    sizeof(out), err, sizeof(err)));
	assert_false(notify_webhook_token(NOTIFY_WECOM, "short", wb, out,
	    sizeof(out), err, sizeof(err)));
	assert_false(notify_webhook_token(NOTIFY_WECOM, "has space 12345", wb,
	    out, sizeof(out), err, sizeof(err)));
	assert_false(notify_webhook_token(NOTIFY_SMS, "abcdefgh1234", wb, out,
	    sizeof(out), err, sizeof(err)));
	assert_true(
	    notify_robot_secret_valid("SEC0123456789abcdef0123456789abcdef"));
	assert_false(notify_robot_secret_valid("SEC 12345678"));
	assert_false(notify_robot_secret_valid("SEC"));
	notify_hint("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", out, sizeof(out));
	assert_string_equal(out, "••••5aaa");
	notify_hint("abc", out, sizeof(out));
	assert_string_equal(out, "••••");
	notify_hint("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void
test_percent_encode(void **state)
{
	struct strbuf b = {0};
	char *s;

	(void)state;
	notify_percent_encode(&b, "a b+*~-_./=&阿");
	s = take(&b);
	assert_string_equal(s, "a%20b%2B%2A~-_.%2F%3D%26%E9%98%BF");
	free(s);
}

/*
 * DingTalk documents sign = urlEncode(base64(HmacSHA256(secret,
 * timestamp + "\n" + secret))) with sample code but no fixed triple.
 * Derived by hand for timestamp 1700000000000 and secret
 * SECb1c9f8e0d3a74a1f9d2e6c5b8a7f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7:
 *   printf '%s\n%s' "$T" "$S" | openssl dgst -sha256 -hmac "$S" -hex
 *     → 1863f611e83327390991c89f91dc93a58af17289800123bed7ce118a1b9b14e0
 *   … -binary | base64 → GGP2EegzJzkJkcifkdyTpYrxcomAASO+184RihubFOA=
 *   urlencode: '+' → %2B, '=' → %3D.
 */
static void
test_dingtalk_sign(void **state)
{
	struct strbuf b = {0};
	char *s;

	(void)state;
	assert_true(notify_dingtalk_sign("SECb1c9f8e0d3a74a1f9d2e6c5b8a7f4e3d2"
	                                 "c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7",
	    1700000000000LL, &b));
	s = take(&b);
	assert_string_equal(s,
	    "GGP2EegzJzkJkcifkdyTpYrxcomAASO%2B184RihubF"
	    "OA%3D");
	free(s);
}

static void
test_aliyun_sms_vector(void **state)
{
	struct notify_param p[] = {
	    {"TemplateParam", "{\"customer\":\"test\"}"},
	    {"AccessKeyId", "testId"},
	    {"Action", "SendSms"},
	    {"Format", "XML"},
	    {"OutId", "123"},
	    {"PhoneNumbers", "15300000001"},
	    {"RegionId", "cn-hangzhou"},
	    {"SignName", "阿里云短信测试专用"},
	    {"SignatureMethod", "HMAC-SHA1"},
	    {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
	    {"SignatureVersion", "1.0"},
	    {"TemplateCode", "SMS_71390007"},
	    {"Timestamp", "2017-07-12T02:42:19Z"},
	    {"Version", "2017-05-25"},
	};
	struct strbuf q = {0}, sts = {0};
	char sig[NOTIFY_ALIYUN_SIG_SZ], *qs, *ss;

	(void)state;
	assert_true(notify_aliyun_sign("GET", p, 14, "testSecret", &q, &sts,
	    sig));
	qs = take(&q);
	ss = take(&sts);
	assert_string_equal(qs,
	    "AccessKeyId=testId&Action=SendSms&Format=XML"
	    "&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou"
	    "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B"
	    "%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1"
	    "&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466"
	    "&SignatureVersion=1.0&TemplateCode=SMS_71390007"
	    "&TemplateParam=%7B%22customer%22%3A%22test%22%7D"
	    "&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25");
	assert_string_equal(ss,
	    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms"
	    "%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
	    "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587"
	    "%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B"
	    "%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod"
	    "%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466"
	    "%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007"
	    "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D"
	    "%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25");
	assert_string_equal(sig, "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
	free(qs);
	free(ss);
}

static void
test_aliyun_rpc_vector(void **state)
{
	struct notify_param p[] = {
	    {"Format", "XML"},
	    {"AccessKeyId", "testid"},
	    {"Action", "DescribeRegions"},
	    {"SignatureMethod", "HMAC-SHA1"},
	    {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
	    {"SignatureVersion", "1.0"},
	    {"Version", "2014-05-26"},
	    {"Timestamp", "2016-02-23T12:46:24Z"},
	};
	struct strbuf q = {0};
	char sig[NOTIFY_ALIYUN_SIG_SZ], *qs;

	(void)state;
	assert_true(notify_aliyun_sign("GET", p, 8, "testsecret", &q, NULL,
	    sig));
	qs = take(&q);
	assert_string_equal(sig, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
	free(qs);
}

static void
test_tc3_vector(void **state)
{
	const char *payload =
	    "{\"Limit\": 1, \"Filters\": [{\"Values\": "
	    "[\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
	struct notify_tc3 r = {
	    .secret_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
	    .secret_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
	    .service = "cvm",
	    .host = "cvm.tencentcloudapi.com",
	    .content_type = "application/json; charset=utf-8",
	    .payload = payload,
	    .payload_len = strlen(payload),
	    .timestamp = 1551113065,
	};
	struct notify_tc3_out o;
	char *auth;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_true(notify_tc3_sign(&r, &o));
	assert_string_equal(o.payload_hash,
	    "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
	assert_string_equal(o.request_hash,
	    "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
	assert_string_equal(o.signature,
	    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
	auth = take(&o.authorization);
	assert_string_equal(auth,
	    "TC3-HMAC-SHA256 Credential="
	    "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
	    "SignedHeaders=content-type;host, Signature="
	    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
	free(auth);
}

static void
test_robot_answer(void **state)
{
	char err[128];
	const char
	    *wrong = "{\"errcode\":310000,\"errmsg\":\"description:机器人"
	             "发送签名不匹配;solution:请确认签名\"}";

	(void)state;
	assert_int_equal(notify_robot_answer(200,
	                     "{\"errcode\":0,\"errmsg\":"
	                     "\"ok\"}",
	                     27, err, sizeof(err)),
	    NOTIFY_SENT);
	assert_string_equal(err, "");
	assert_int_equal(notify_robot_answer(200, wrong, strlen(wrong), err,
	                     sizeof(err)),
	    NOTIFY_RETRY);
	assert_true(
	    strncmp(err, "errcode 310000: description:机器人发送签名不匹配",
	        strlen("errcode 310000: description:机器人发送签名不匹配")) ==
	    0);
	assert_int_equal(notify_robot_answer(503, "busy", 4, err, sizeof(err)),
	    NOTIFY_DOWN);
	assert_string_equal(err, "HTTP 503: busy");
	assert_int_equal(notify_robot_answer(404, "<html>\n", 7, err,
	                     sizeof(err)),
	    NOTIFY_RETRY);
	assert_string_equal(err, "HTTP 404: <html>.");
	assert_int_equal(notify_robot_answer(200, "ok", 2, err, sizeof(err)),
	    NOTIFY_RETRY);
	assert_string_equal(err, "unreadable answer: ok");
	assert_int_equal(notify_robot_answer(200, "{\"errcode\":\"0\"}", 15,
	                     err, sizeof(err)),
	    NOTIFY_RETRY);
	assert_int_equal(notify_robot_answer(200, NULL, 0, err, sizeof(err)),
	    NOTIFY_RETRY);
	/* A long errmsg is cut at a character boundary; no control chars. */
	assert_int_equal(notify_robot_answer(200, wrong, strlen(wrong), err,
	                     20),
	    NOTIFY_RETRY);
	assert_true(strlen(err) < 20);
}

static void
test_sms_answers(void **state)
{
	char err[160];
	const char *ok = "{\"Message\":\"OK\",\"RequestId\":\"F655A8D5\","
	                 "\"BizId\":\"900619746936498440^0\",\"Code\":\"OK\"}";
	const char *
	    bad = "{\"Message\":\"Specified signature is not matched "
	          "with our calculation.\",\"Code\":\"SignatureDoesNotMatch\"}";
	const char *num = "{\"Code\":\"isv.MOBILE_NUMBER_ILLEGAL\","
	                  "\"Message\":\"非法手机号\"}";
	const char *tok =
	    "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":"
	    "\"5000:1045710669157053657849499619\",\"PhoneNumber\":"
	    "\"+8613800138000\",\"Fee\":1,\"SessionContext\":\"\",\"Code\":"
	    "\"Ok\",\"Message\":\"send success\",\"IsoCode\":\"CN\"}],"
	    "\"RequestId\":\"a0aabda6\"}}";
	const char *terr =
	    "{\"Response\":{\"Error\":{\"Code\":"
	    "\"AuthFailure.SignatureFailure\",\"Message\":\"The provided "
	    "credentials could not be validated.\"},\"RequestId\":\"x\"}}";
	const char *
	    tnum = "{\"Response\":{\"SendStatusSet\":[{\"Code\":"
	           "\"InvalidParameterValue.IncorrectPhoneNumber\",\"Message\":"
	           "\"手机号格式错误\"}],\"RequestId\":\"y\"}}";

	(void)state;
	assert_int_equal(notify_aliyun_answer(200, ok, strlen(ok), err,
	                     sizeof(err)),
	    NOTIFY_SENT);
	assert_int_equal(notify_aliyun_answer(400, bad, strlen(bad), err,
	                     sizeof(err)),
	    NOTIFY_RETRY);
	assert_string_equal(err,
	    "SignatureDoesNotMatch: Specified signature "
	    "is not matched with our calculation.");
	assert_int_equal(notify_aliyun_answer(200, num, strlen(num), err,
	                     sizeof(err)),
	    NOTIFY_DEAD);
	assert_int_equal(notify_aliyun_answer(502, "", 0, err, sizeof(err)),
	    NOTIFY_DOWN);
	assert_int_equal(notify_aliyun_answer(200, "[]", 2, err, sizeof(err)),
	    NOTIFY_RETRY);
	assert_int_equal(notify_tencent_answer(200, tok, strlen(tok), err,
	                     sizeof(err)),
	    NOTIFY_SENT);
	assert_int_equal(notify_tencent_answer(200, terr, strlen(terr), err,
	                     sizeof(err)),
	    NOTIFY_RETRY);
	assert_string_equal(err,
	    "AuthFailure.SignatureFailure: The provided "
	    "credentials could not be validated.");
	assert_int_equal(notify_tencent_answer(200, tnum, strlen(tnum), err,
	                     sizeof(err)),
	    NOTIFY_DEAD);
	assert_int_equal(notify_tencent_answer(500, "x", 1, err, sizeof(err)),
	    NOTIFY_DOWN);
	assert_int_equal(notify_tencent_answer(200, "{\"Response\":{}}", 15,
	                     err, sizeof(err)),
	    NOTIFY_RETRY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_channels),
	    cmocka_unit_test(test_phone),
	    cmocka_unit_test(test_md_text),
	    cmocka_unit_test(test_spans),
	    cmocka_unit_test(test_robot_body),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_sms_params),
	    cmocka_unit_test(test_webhook_token),
	    cmocka_unit_test(test_percent_encode),
	    cmocka_unit_test(test_dingtalk_sign),
	    cmocka_unit_test(test_aliyun_sms_vector),
	    cmocka_unit_test(test_aliyun_rpc_vector),
	    cmocka_unit_test(test_tc3_vector),
	    cmocka_unit_test(test_robot_answer),
	    cmocka_unit_test(test_sms_answers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
