/*
 * Validation at the edge: a request body is checked completely against a
 * table of fields (name, type, length, range) before any handler reads
 * it. Unknown keys are refused, so a typo never silently does nothing.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

size_t
valid_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int
valid_lower_code(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n > max || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

long
valid_utf8_len(const char *s, size_t sz)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + sz;
	long n = 0;

	while (p < e) {
		unsigned c = *p, need, cp, i;

		if (c < 0x80) {
			p++;
			n++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else
			return -1;
		if ((size_t)(e - p) <= need)
			return -1;
		for (i = 1; i <= need; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		p += need + 1;
		n++;
	}
	return n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The Chinese name a user reads for each field of the request bodies,
 * sorted by code for bsearch; a code missing here is shown as it is. */
struct field_label {
	const char *code, *label;
};

static const struct field_label field_labels[] = {
    {"active", "启用"},
    {"address", "地址"},
    {"affected_shift_ids", "受影响的班次"},
    {"answers", "答案"},
    {"as_weekday", "按星期几"},
    {"attended", "出席"},
    {"audience", "对象"},
    {"capacity", "名额"},
    {"checklist", "评价要点"},
    {"closed", "已结案"},
    {"closed_on", "结案日期"},
    {"code", "编码"},
    {"copy_from", "复制自"},
    {"counsellor_id", "咨询师"},
    {"counsellor_ids", "咨询师"},
    {"counsellor_name", "咨询师姓名"},
    {"counts", "数量"},
    {"created_at", "创建时间"},
    {"date", "日期"},
    {"decided_at", "审批时间"},
    {"decision_note", "审批意见"},
    {"description", "说明"},
    {"done", "已完成"},
    {"due", "截止时间"},
    {"editable", "可修改"},
    {"email", "邮箱"},
    {"enabled", "启用"},
    {"end", "结束时间"},
    {"entered_by", "填写人"},
    {"event_id", "活动"},
    {"external_speaker", "外请讲师"},
    {"feed_url", "订阅地址"},
    {"follow_ups", "回访"},
    {"force", "强制"},
    {"force_reason", "强制原因"},
    {"framework_id", "指标框架"},
    {"from", "开始日期"},
    {"home_station_id", "所属驻点"},
    {"id", "编号"},
    {"indicators", "指标"},
    {"kind", "类型"},
    {"label", "代号"},
    {"last_session_on", "最近一次咨询日期"},
    {"level1", "一级指标"},
    {"level2", "二级指标"},
    {"level3", "三级指标"},
    {"logged", "已填报"},
    {"max_weekly_hours", "每周最多小时数"},
    {"minutes", "分钟数"},
    {"name", "名称"},
    {"needs_approval", "需要审批"},
    {"new_password", "新密码"},
    {"next_follow_up", "下次回访"},
    {"note", "备注"},
    {"now", "当前时间"},
    {"old_password", "原密码"},
    {"opened_on", "立案日期"},
    {"organisation", "单位"},
    {"origin", "来源"},
    {"other_shift_id", "对方班次"},
    {"passed", "通过"},
    {"password", "密码"},
    {"phone", "电话"},
    {"pinned", "已锁定"},
    {"planned_start", "计划开始时间"},
    {"position", "顺序"},
    {"proposals", "提议"},
    {"public", "公开"},
    {"question_id", "题目"},
    {"questions", "题目"},
    {"rating", "评分"},
    {"reason", "原因"},
    {"reason_required", "需要填写原因"},
    {"reminders", "提醒"},
    {"replaces_event_id", "替代的活动"},
    {"required", "所需人数"},
    {"retention_days", "保留天数"},
    {"rows", "行"},
    {"rule", "评分规则"},
    {"score", "得分"},
    {"seat", "席位"},
    {"secret", "密钥"},
    {"sequence", "序号"},
    {"session_count", "咨询次数"},
    {"session_minutes", "每次咨询分钟数"},
    {"sessions", "咨询记录"},
    {"shift_id", "班次"},
    {"shift_ids", "班次"},
    {"shift_status", "班次状态"},
    {"sms", "短信"},
    {"source", "数据来源"},
    {"speaker_ids", "主讲人"},
    {"start", "开始时间"},
    {"station_id", "驻点"},
    {"station_ids", "驻点"},
    {"station_name", "驻点名称"},
    {"station_targets", "各驻点目标"},
    {"status", "状态"},
    {"survey_template_id", "问卷模板"},
    {"target", "指标值"},
    {"targets", "目标"},
    {"template_id", "模板"},
    {"through", "截至日期"},
    {"timezone", "时区"},
    {"title", "标题"},
    {"to", "结束日期"},
    {"token", "令牌"},
    {"unit", "单位"},
    {"updated_at", "更新时间"},
    {"used", "已使用"},
    {"username", "用户名"},
    {"valid_from", "生效日期"},
    {"valid_to", "失效日期"},
    {"value", "数值"},
    {"values", "数值"},
    {"venue", "地点"},
    {"webhook", "回调地址"},
    {"weekdays", "星期"},
    {"weekly_mail", "每周邮件"},
    {"weight", "分值"},
    {"weight_sum", "分值合计"},
};

static int
label_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct field_label *)elem)->code);
}

const char *
valid_label(const char *name)
{
	const struct field_label *hit = bsearch(name, field_labels,
	    sizeof(field_labels) / sizeof(field_labels[0]),
	    sizeof(field_labels[0]), label_cmp);

	return hit != NULL ? hit->label : name;
}

/* Trimmed bounds of s. */
static void
trim_bounds(const char *s, size_t *off, size_t *len)
{
	size_t a = 0, b = strlen(s);

	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	*off = a;
	*len = b - a;
}

char *
valid_str(const json_t *obj, const char *key, int *present)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	size_t off, len;
	char *out;

	if (present != NULL)
		*present = v != NULL;
	if (v == NULL || !json_is_string(v))
		return NULL;
	s = json_string_value(v);
	trim_bounds(s, &off, &len);
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s + off, len);
	out[len] = '\0';
	return out;
}

int
valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot, *p;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strlen(s) > 254)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>' || *p == '"' || *p == ',' ||
		    *p == ';' || *p == '\\' || *p == '(' || *p == ')' ||
		    *p == '[' || *p == ']')
			return 0;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0' ||
	    strstr(at, "..") != NULL)
		return 0;
	return 1;
}

int
valid_phone(const char *s)
{
	size_t n = 0, digitsn = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s >= '0' && *s <= '9')
			digitsn++;
		else if (*s != '+' && *s != '-' && *s != ' ' && *s != '(' &&
		    *s != ')')
			return 0;
	}
	return n <= 32 && digitsn >= 3;
}

int
valid_code(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

/* Whether q is nothing or '?' and a plain query. */
static int
feed_query_ok(const char *q)
{
	if (*q == '\0')
		return 1;
	if (*q != '?')
		return 0;
	q++;
	return strspn(q,
	           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	           "0123456789_=&-.") == strlen(q);
}

/* Copies the longest prefix of s made of chars in set, of at most max
 * bytes, into tok; the length copied, 0 when none or longer than max. */
static size_t
feed_token_span(const char *s, const char *set, size_t max, char *tok)
{
	size_t n = strspn(s, set);

	if (n == 0 || n > max)
		return 0;
	memcpy(tok, s, n);
	tok[n] = '\0';
	return n;
}

enum feed_path
valid_feed_path(const char *path, char tok[FEED_TOKEN_MAX])
{
	static const char counsellors[] = "/feeds/counsellors/";
	static const char stations[] = "/feeds/stations/";
	static const char events[] = "/feeds/events.ics";
	const char *rest;
	size_t n;

	tok[0] = '\0';
	if (path == NULL || strlen(path) > 300)
		return FEED_PATH_NONE;
	if (strncmp(path, events, sizeof(events) - 1) == 0)
		return feed_query_ok(path + sizeof(events) - 1)
		    ? FEED_PATH_EVENTS
		    : FEED_PATH_NONE;
	if (strncmp(path, counsellors, sizeof(counsellors) - 1) == 0) {
		rest = path + sizeof(counsellors) - 1;
		n = feed_token_span(rest, "0123456789abcdef",
		    FEED_TOKEN_MAX - 1, tok);
		if (n > 0 && strncmp(rest + n, ".ics", 4) == 0 &&
		    feed_query_ok(rest + n + 4))
			return FEED_PATH_COUNSELLOR;
	} else if (strncmp(path, stations, sizeof(stations) - 1) == 0) {
		rest = path + sizeof(stations) - 1;
		n = feed_token_span(rest,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
		    "KLMNOPQRSTUVWXYZ0123456789_-",
		    32, tok);
		if (n > 0 && strncmp(rest + n, ".ics", 4) == 0 &&
		    feed_query_ok(rest + n + 4))
			return FEED_PATH_STATION;
	}
	tok[0] = '\0';
	return FEED_PATH_NONE;
}

int
valid_uint(const char *s, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9' || strlen(s) > 18)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = v;
	return 1;
}

/* Sets err to "label：what" of field f (its Chinese name); returns 0. */
static int
field_bad(struct herror *err, const struct vfield *f, const char *what)
{
	error_set(err, HERR_VALIDATION_FAILED, f->name, "%s：%s",
	    valid_label(f->name), what);
	return 0;
}

/* Checks one string value: UTF-8 (jansson guarantees it, but values
 * also come from CSV), control characters, trimmed length. */
static int
check_string(const struct vfield *f, const char *s, struct herror *err)
{
	size_t off, len, i;
	long chars;
	int text = f->type == VT_TEXT;

	trim_bounds(s, &off, &len);
	for (i = off; i < off + len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 &&
		        !(text && (c == '\n' || c == '\t' || c == '\r'))) ||
		    c == 0x7F)
			return field_bad(err, f, "不能含有控制字符");
	}
	chars = valid_utf8_len(s + off, len);
	if (chars < 0)
		return field_bad(err, f, "不是有效的 UTF-8 文本");
	if (chars < f->min || (f->max > 0 && chars > f->max)) {
		if (chars == 0)
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：不能为空", valid_label(f->name));
		else
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：长度应为 %lld 到 %lld 个字",
			    valid_label(f->name), f->min, f->max);
		return 0;
	}
	return 1;
}

/* An array of distinct integers: ids (> 0) or values in [min, max]. */
static int
check_list(const struct vfield *f, const json_t *v, struct herror *err)
{
	size_t i, j, n;
	long long x, lo = f->type == VT_ID_LIST ? 1 : f->min;
	long long hi = f->type == VT_ID_LIST ? 999999999999999LL : f->max;

	if (!json_is_array(v)) {
		error_set(err, HERR_VALIDATION_FAILED, f->name, "%s：应为列表",
		    valid_label(f->name));
		return 0;
	}
	n = json_array_size(v);
	if (n > f->maxitems) {
		error_set(err, HERR_VALIDATION_FAILED, f->name,
		    "%s：最多 %zu 项", valid_label(f->name), f->maxitems);
		return 0;
	}
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);

		if (!json_is_integer(e) || (x = json_integer_value(e)) < lo ||
		    x > hi) {
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：每一项应为 %lld 到 %lld 的整数",
			    valid_label(f->name), lo, hi);
			return 0;
		}
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(v, j)) == x) {
				error_set(err, HERR_VALIDATION_FAILED, f->name,
				    "%s：%lld 出现了两次", valid_label(f->name),
				    x);
				return 0;
			}
	}
	return 1;
}

/* The format rules of string types, on the trimmed value. */
static int
check_format(const struct vfield *f, const char *s, struct herror *err)
{
	size_t i;
	time_t t;
	int64_t d;

	switch (f->type) {
	case VT_ENUM:
		for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
			if (strcmp(f->choices[i], s) == 0)
				return 1;
		return field_bad(err, f, "不是允许的取值");
	case VT_EMAIL:
		if (*s != '\0' && !valid_email(s))
			return field_bad(err, f, "不是邮箱地址");
		return 1;
	case VT_PHONE:
		if (*s != '\0' && !valid_phone(s))
			return field_bad(err, f, "不是电话号码");
		return 1;
	case VT_CODE:
		if (!valid_code(s))
			return field_bad(err, f, "只能用字母、数字、_ 和 -");
		return 1;
	case VT_ZONE:
		if (!tz_name_valid(s))
			return field_bad(err, f, "不是时区名称");
		return 1;
	case VT_TIME:
		if (!time_parse_rfc3339(s, &t))
			return field_bad(err, f, "不是带时区的 RFC 3339 时间");
		return 1;
	case VT_DATE:
		if (!time_parse_date(s, &d))
			return field_bad(err, f, "不是日期（YYYY-MM-DD）");
		/* Plausible years only: 0000 and 9999 parse, but no bureau
		 * plans a holiday there (docs/api.md). */
		if (d < time_days_from_civil(DATE_MIN_YEAR, 1, 1) ||
		    d > time_days_from_civil(DATE_MAX_YEAR, 12, 31)) {
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：日期须在 %d-01-01 至 %d-12-31 之间",
			    valid_label(f->name), DATE_MIN_YEAR, DATE_MAX_YEAR);
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* A trimmed copy of s; NULL on allocation failure. */
static char *
trim_copy(const char *s)
{
	size_t off, len;
	char *out;

	trim_bounds(s, &off, &len);
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s + off, len);
	out[len] = '\0';
	return out;
}

static int
check_field(const struct vfield *f, const json_t *v, struct herror *err)
{
	long long iv;
	char *trimmed;
	int ok;

	if (json_is_null(v)) {
		if (f->nullable)
			return 1;
		return field_bad(err, f, "不能为 null");
	}
	switch (f->type) {
	case VT_INT:
		if (!json_is_integer(v))
			return field_bad(err, f, "应为整数");
		iv = json_integer_value(v);
		if (iv < f->min || iv > f->max) {
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：应在 %lld 到 %lld 之间", valid_label(f->name),
			    f->min, f->max);
			return 0;
		}
		return 1;
	case VT_ID:
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return field_bad(err, f, "应为正整数编号");
		return 1;
	case VT_ID_LIST:
	case VT_INT_LIST:
		return check_list(f, v, err);
	case VT_ARRAY:
		if (!json_is_array(v) || json_array_size(v) > f->maxitems) {
			error_set(err, HERR_VALIDATION_FAILED, f->name,
			    "%s：应为最多 %zu 项的列表", valid_label(f->name),
			    f->maxitems);
			return 0;
		}
		return 1;
	case VT_OBJECT:
		if (!json_is_object(v))
			return field_bad(err, f, "应为对象");
		return 1;
	case VT_BOOL:
		if (!json_is_boolean(v))
			return field_bad(err, f, "应为 true 或 false");
		return 1;
	default:
		break;
	}
	if (!json_is_string(v))
		return field_bad(err, f, "应为字符串");
	if (!check_string(f, json_string_value(v), err))
		return 0;
	trimmed = trim_copy(json_string_value(v));
	if (trimmed == NULL) {
		error_set(err, HERR_INTERNAL, NULL, "内存不足");
		return 0;
	}
	ok = check_format(f, trimmed, err);
	free(trimmed);
	return ok;
}

/* Copies the longest prefix of s that fits out in whole UTF-8
 * characters ("?" when s is not UTF-8). */
static void
utf8_prefix(const char *s, char *out, size_t sz)
{
	size_t n = strlen(s);

	if (valid_utf8_len(s, n) < 0) {
		snprintf(out, sz, "?");
		return;
	}
	n = valid_utf8_cut(s, n, sz - 1);
	memcpy(out, s, n);
	out[n] = '\0';
}

int
valid_object(const json_t *obj, const struct vfield *fields, size_t n, int mode,
    struct herror *err)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(obj)) {
		error_set(err, HERR_BAD_REQUEST, NULL,
		    "请求内容应为 JSON 对象");
		return 0;
	}
	json_object_foreach((json_t *)obj, key, v)
	{
		for (i = 0; i < n; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == n) {
			char shown[64];

			utf8_prefix(key, shown, sizeof(shown));
			error_set(err, HERR_VALIDATION_FAILED,
			    strlen(key) < sizeof(err->field) ? key : NULL,
			    "未知的字段“%s”", shown);
			return 0;
		}
		if (fields[i].readonly)
			continue;
		if (!check_field(&fields[i], v, err))
			return 0;
	}
	if (mode == VALID_CREATE)
		for (i = 0; i < n; i++) {
			if (!fields[i].required)
				continue;
			v = json_object_get(obj, fields[i].name);
			if (v == NULL || json_is_null(v)) {
				error_set(err, HERR_VALIDATION_FAILED,
				    fields[i].name, "%s：必填",
				    valid_label(fields[i].name));
				return 0;
			}
		}
	return 1;
}

/* --- query parameter values (issue 17: pure and fuzzed) ----------------- */

int
valid_query_int(const char *v, long long min, long long max, long long *out)
{
	long long n;

	if (v == NULL || !valid_uint(v, &n) || n < min || n > max)
		return 0;
	*out = n;
	return 1;
}

int
valid_query_bool(const char *v, int *out)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else if (strcmp(v, "all") == 0)
		*out = -1;
	else
		return 0;
	return 1;
}

const char *
valid_query_choice(const char *v, const char *const *choices)
{
	size_t i;

	for (i = 0; v != NULL && choices[i] != NULL; i++)
		if (strcmp(choices[i], v) == 0)
			return choices[i];
	return NULL;
}

int
valid_query_day_range(const char *from, const char *to, int64_t *a, int *has_a,
    int64_t *b, int *has_b, struct herror *err)
{
	*has_a = from != NULL && *from != '\0';
	*has_b = to != NULL && *to != '\0';
	if (*has_a && !time_parse_date(from, a)) {
		error_set(err, HERR_VALIDATION_FAILED, "from",
		    "from：不是日期（YYYY-MM-DD）");
		return 0;
	}
	if (*has_b && !time_parse_date(to, b)) {
		error_set(err, HERR_VALIDATION_FAILED, "to",
		    "to：不是日期（YYYY-MM-DD）");
		return 0;
	}
	if (*has_a && *has_b && *b < *a) {
		error_set(err, HERR_VALIDATION_FAILED, "to",
		    "结束日期（to）不能早于开始日期（from）");
		return 0;
	}
	return 1;
}

int
valid_ip_canonical(const char *s, size_t len, char *out, size_t sz)
{
	unsigned char bin[sizeof(struct in6_addr)];
	char buf[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)sz) != NULL;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)sz) != NULL;
	return 0;
}

int
valid_list_next(const char **p, const char **b, const char **e)
{
	size_t n;

	if (*p == NULL || **p == '\0')
		return 0;
	n = strcspn(*p, ",");
	*b = *p;
	*e = *p + n;
	*p = (*p)[n] == ',' ? *p + n + 1 : NULL;
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
	return 1;
}

int
valid_ip_list(const char *list)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = list, *b, *e;

	while (valid_list_next(&p, &b, &e))
		if (!valid_ip_canonical(b, (size_t)(e - b), one, sizeof(one)))
			return 0;
	return 1;
}
