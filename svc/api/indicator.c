/*
 * /api/v1/indicators: the rows of an evaluation framework scored for a
 * period, and their editing — rows added, edited and retired, and per
 * period the manual actual, rating, checklist marks, manual score and
 * deduction note. Which framework and period a request means is read
 * here; where each row's actual comes from and the scoring of the whole
 * table are service/eval.c's (core/indicator.c holds the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define BIG_PAGE 100000
#define NOTE_MAX 500

/* ------------------------------------------------------------ scope */

static int
date_query_or_reply(struct http_req *r, const char *name, int64_t *day,
    int *present)
{
	const char *v = http_req_query(r, name);

	*present = v != NULL && *v != '\0';
	if (*present && !time_parse_date(v, day)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, name,
		    "%s：日期格式应为 YYYY-MM-DD", name);
		return 0;
	}
	return 1;
}

int
api_framework_query_or_reply(struct http_req *r, struct store *st, int required,
    struct framework *fw)
{
	const char *v = http_req_query(r, "framework");
	long long id;

	memset(fw, 0, sizeof(*fw));
	if (v == NULL || *v == '\0') {
		if (!required)
			return 1;
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "framework",
		    "请给出 framework（指标框架编号）");
		return 0;
	}
	if (!valid_uint(v, &id) || id <= 0) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "framework",
		    "framework：指标框架编号应为正整数");
		return 0;
	}
	return api_found_field_or_reply(r, store_framework_get(st, id, fw),
	    "framework", "没有这个指标框架");
}

/* The framework and period of ?framework&from&to: an explicit framework
 * defaults to its own period; without one the period defaults to the
 * current year and the framework is the one whose period holds from,
 * else the latest (fw->id 0 when there is none). 0 after a reply. */
static int
scope_or_reply(struct http_req *r, struct store *st, struct eval *e)
{
	int64_t y, a, b;
	unsigned m, d;
	int has_a, has_b, rc;

	if (!api_framework_query_or_reply(r, st, 0, &e->fw) ||
	    !date_query_or_reply(r, "from", &a, &has_a) ||
	    !date_query_or_reply(r, "to", &b, &has_b))
		return 0;
	if (e->fw.id != 0) {
		time_parse_date(e->fw.date_from, &e->dfrom);
		time_parse_date(e->fw.date_to, &e->dto);
	} else {
		time_civil_from_days(activity_local_day(svc_now(),
		                         tzdb_default()),
		    &y, &m, &d);
		e->dfrom = time_days_from_civil(y, 1, 1);
		e->dto = time_days_from_civil(y, 12, 31);
	}
	if (has_a)
		e->dfrom = a;
	if (has_b)
		e->dto = b;
	if (e->dto < e->dfrom || e->dto - e->dfrom > 3660) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "to：不早于 from，且在十年之内");
		return 0;
	}
	time_format_date(e->dfrom, e->from);
	time_format_date(e->dto, e->to);
	if (e->fw.id == 0) {
		int64_t id;

		if ((rc = store_framework_for_date(st, e->from, &id)) < 0 ||
		    (rc > 0 && store_framework_get(st, id, &e->fw) < 0)) {
			api_reply_store_error(r);
			return 0;
		}
	}
	return 1;
}

/* ---------------------------------------------------------- sources */

/* ---------------------------------------------------------- scoring */

int
api_eval_or_reply(struct http_req *r, struct store **stp, struct eval *e)
{
	const char *cmp = http_req_query(r, "compare");
	struct store *st;

	memset(e, 0, sizeof(*e));
	if (cmp != NULL && *cmp != '\0' && strcmp(cmp, "previous") != 0) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "compare",
		    "compare 只能为 previous（同比）");
		return 0;
	}
	e->compare = cmp != NULL && strcmp(cmp, "previous") == 0;
	st = *stp = api_store(r);
	if (!scope_or_reply(r, st, e))
		return 0;
	if (svc_eval_score(st, e) < 0) {
		api_reply_store_error(r);
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------- JSON */

static json_t *
checklist_json(const struct ind_checklist *c, const struct eval_row *row)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < c->n; i++)
		json_array_append_new(a,
		    row == NULL
		        ? json_pack("{s:s, s:f}", "text", c->items[i].text,
		              "points", c->items[i].points)
		        : json_pack("{s:s, s:f, s:o}", "text", c->items[i].text,
		              "points", c->items[i].points, "met",
		              row->marked ? json_boolean(i < row->nmarks &&
		                                row->marks[i])
		                          : json_null()));
	return a;
}

json_t *
api_indicator_json(const struct indicator *ind)
{
	struct ind_checklist *c = malloc(sizeof(*c));
	json_t *o;

	if (c == NULL)
		return NULL;
	if (!indicator_checklist_parse(ind->checklist, c, NULL, 0))
		c->n = 0;
	o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:f,"
	              " s:s, s:s, s:o, s:i}",
	    "code", ind->code, "framework_id", (json_int_t)ind->framework_id,
	    "level1", ind->level1, "level2", ind->level2, "level3", ind->level3,
	    "target", ind->target_text, "target_op", ind->target_op,
	    "target_value",
	    ind->has_target ? json_real(ind->target_value) : json_null(),
	    "unit", ind->target_unit, "weight", ind->weight, "rule", ind->rule,
	    "source", ind->source, "checklist", checklist_json(c, NULL),
	    "position", ind->position);
	free(c);
	return o;
}

static json_t *
row_json(const struct eval *e, const struct eval_row *row)
{
	const struct indicator *ind = row->ind;
	json_t *o = api_indicator_json(ind), *manual = json_null();

	if (o == NULL)
		return NULL;
	if (ind->has_value)
		manual = json_pack("{s:f, s:s, s:s, s:o}", "value", ind->value,
		    "note", ind->note, "username", ind->entered_by, "at",
		    tzdb_time_json(ind->entered_at));
	json_object_set_new(o, "checklist", checklist_json(row->items, row));
	json_object_set_new(o, "actual",
	    row->has_actual ? json_real(row->actual) : json_null());
	json_object_set_new(o, "actual_text",
	    row->actual_text[0] ? json_string(row->actual_text) : json_null());
	json_object_set_new(o, "met",
	    row->met < 0 ? json_null() : json_boolean(row->met));
	json_object_set_new(o, "score",
	    row->scored ? json_real(row->score) : json_null());
	json_object_set_new(o, "max_score", json_real(ind->weight));
	json_object_set_new(o, "no_data", json_boolean(!row->scored));
	json_object_set_new(o, "manual", manual);
	json_object_set_new(o, "value",
	    ind->has_value ? json_real(ind->value) : json_null());
	json_object_set_new(o, "rating",
	    ind->has_rating ? json_real(ind->rating) : json_null());
	json_object_set_new(o, "entered_score",
	    ind->has_score ? json_real(ind->score) : json_null());
	json_object_set_new(o, "note", json_string(ind->note));
	json_object_set_new(o, "entered",
	    ind->has_period
	        ? json_pack("{s:s, s:o}", "username", ind->entered_by, "at",
	              tzdb_time_json(ind->entered_at))
	        : json_null());
	if (e->compare)
		json_object_set_new(o, "previous",
		    row->has_prev
		        ? json_pack("{s:o, s:o}", "actual",
		              row->prev_has_actual ? json_real(row->prev_actual)
		                                   : json_null(),
		              "score",
		              row->prev_scored ? json_real(row->prev_score)
		                               : json_null())
		        : json_null());
	return o;
}

json_t *
api_framework_json(const struct framework *f)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:f}", "id",
	    (json_int_t)f->id, "name", f->name, "from", f->date_from, "to",
	    f->date_to, "rows", (json_int_t)f->rows, "weight_sum",
	    indicator_round2(f->weight_sum));
}

int
api_indicator_list(struct http_req *r)
{
	struct store *st;
	struct eval e;
	json_t *arr, *out;
	size_t i;
	int rc;

	if (!api_eval_or_reply(r, &st, &e))
		return http_req_status(r);
	arr = json_array();
	for (i = 0; i < e.n && arr; i++)
		json_array_append_new(arr, row_json(&e, &e.rows[i]));
	out = json_pack("{s:o, s:s, s:s, s:f, s:f, s:o}", "framework",
	    e.fw.id ? api_framework_json(&e.fw) : json_null(), "from", e.from,
	    "to", e.to, "total_score", e.total, "max_score",
	    indicator_round2(e.max), "items", arr ? arr : json_array());
	if (out != NULL && e.compare)
		json_object_set_new(out, "previous",
		    e.fw.id ? json_pack("{s:s, s:s, s:I, s:f}", "from",
		                  e.prev_from, "to", e.prev_to, "framework_id",
		                  (json_int_t)e.prev_fw_id, "total_score",
		                  e.prev_total)
		            : json_null());
	svc_eval_free(&e);
	rc = http_reply_json(r, 200, out);
	return rc;
}

/* --------------------------------------------------- checking a row */

int
api_indicator_code_or_make(struct store *st, struct indicator *ind,
    const char *given, struct herror *err)
{
	char code[IND_CODE_BUF];
	unsigned salt;
	int rc;

	if (given != NULL) {
		if (!indicator_code_ok(given)) {
			error_set(err, HERR_VALIDATION_FAILED, "code",
			    "编码为小写字母开头的字母、数字和 _，至多 32 个");
			return 0;
		}
		if ((rc = store_indicator_code_taken(st, ind->framework_id,
		         given)) != 0) {
			if (rc > 0)
				error_set(err, HERR_CONFLICT, "code",
				    "这个指标框架已有编码 %s", given);
			return rc < 0 ? -1 : 0;
		}
		return svc_str_set(&ind->code, given) ? 1 : -1;
	}
	/* stable: the same levels give the same code in every framework */
	for (salt = 0; salt < 1000; salt++) {
		indicator_code_make(ind->level1, ind->level2, ind->level3, salt,
		    code);
		if ((rc = store_indicator_code_taken(st, ind->framework_id,
		         code)) < 0)
			return -1;
		if (rc == 0)
			return svc_str_set(&ind->code, code) ? 1 : -1;
	}
	return -1;
}

/* body.checklist: [{text, points}] or the string form, into the string
 * form; *out NULL when absent. */
static int
checklist_body(const json_t *body, char **out, struct herror *err)
{
	json_t *v = json_object_get(body, "checklist"), *it;
	struct strbuf b = {0};
	char num[32];
	size_t i;

	*out = NULL;
	if (v == NULL)
		return 1;
	if (json_is_null(v)) {
		*out = strdup("");
		return *out ? 1 : -1;
	}
	if (json_is_string(v)) {
		*out = valid_str(body, "checklist", NULL);
		return *out ? 1 : -1;
	}
	if (!json_is_array(v) || json_array_size(v) > IND_ITEMS_MAX) {
		error_set(err, HERR_VALIDATION_FAILED, "checklist",
		    "评价要点为至多 20 项的列表，每项 {text, points}");
		return 0;
	}
	json_array_foreach(v, i, it)
	{
		char *text = json_is_object(it) ? valid_str(it, "text", NULL)
		                                : NULL;
		json_t *pts = json_is_object(it) ? json_object_get(it, "points")
		                                 : NULL;

		if (text == NULL || !json_is_number(pts) ||
		    !indicator_checklist_item_ok(text,
		        json_number_value(pts)) ||
		    strchr(text, '=') != NULL) {
			free(text);
			strbuf_free(&b);
			error_set(err, HERR_VALIDATION_FAILED, "checklist",
			    "第 %zu 项评价要点：内容 1 到 200 个字（不含 | 和 =），"
			    "分值为非零数字，扣分项为负数",
			    i + 1);
			return 0;
		}
		indicator_number_format(json_number_value(pts), num,
		    sizeof(num));
		strbuf_printf(&b, "%s%s=%s", i ? "|" : "", text, num);
		free(text);
	}
	*out = strbuf_take(&b, NULL);
	return *out ? 1 : -1;
}

static const struct vfield row_fields[] = {
    {.name = "framework_id", .type = VT_ID, .required = 1},
    {.name = "code", .type = VT_STRING, .max = 32},
    {.name = "level1", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "level2", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "level3", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "weight", .type = VT_OBJECT, .readonly = 1},
    {.name = "target", .type = VT_STRING, .max = 32, .nullable = 1},
    {.name = "rule",
        .type = VT_STRING,
        .required = 1,
        .min = 1,
        .max = IND_RULE_MAX},
    {.name = "source", .type = VT_STRING, .min = 1, .max = IND_SOURCE_MAX},
    {.name = "checklist", .type = VT_OBJECT, .readonly = 1},
    {.name = "position", .type = VT_INT, .min = 0, .max = 100000},
};
#define NROW_FIELDS (sizeof(row_fields) / sizeof(row_fields[0]))

/* Reads the row fields of body over ind's (PATCH) into in; the strings
 * are kept in keep. 0 after filling err. */
static int
row_from_body(const json_t *body, const struct indicator *ind,
    struct indicator_in *in, struct strpool *keep, struct herror *err)
{
	json_t *w = json_object_get(body, "weight");
	char *cl = NULL;
	int rc;

	in->level1 = ind->level1;
	in->level2 = ind->level2;
	in->level3 = ind->level3;
	in->target = ind->target_text;
	in->rule = ind->rule;
	in->source = ind->source;
	in->checklist = ind->checklist;
	in->weight = ind->weight;
	if (w != NULL) {
		if (!json_is_number(w)) {
			error_set(err, HERR_VALIDATION_FAILED, "weight",
			    "分值为 0 到 100 之间的数");
			return 0;
		}
		in->weight = json_number_value(w);
	}
	/* null (allowed for a target) means empty; valid_str gives NULL for
	 * it, which strpool_keep would take for a failed allocation. */
#define TAKE(k) \
	do { \
		const json_t *v_ = json_object_get(body, #k); \
		if (v_ != NULL && json_is_null(v_)) \
			in->k = ""; \
		else if (v_ != NULL) { \
			in->k = strpool_keep(keep, valid_str(body, #k, NULL)); \
			if (in->k == NULL) \
				in->k = ""; \
		} \
	} while (0)
	TAKE(level1);
	TAKE(level2);
	TAKE(level3);
	TAKE(target);
	TAKE(rule);
	TAKE(source);
#undef TAKE
	if ((rc = checklist_body(body, &cl, err)) <= 0)
		return rc;
	if (cl != NULL)
		in->checklist = strpool_keep(keep, cl);
	return !keep->failed ? 1 : -1;
}

/* The end of a create or an update of row ind: rc > 0 audited as action
 * and answered with the row (201 for "create", else 200), 0 the error
 * err says, < 0 the store's. */
static int
row_reply(struct http_req *r, struct store *st, int rc, const char *action,
    const struct indicator *ind, const json_t *body, const struct herror *err)
{
	if (rc > 0 && api_audit(r, st, action, "indicator", ind->id, body) < 0)
		rc = -1;
	if (rc > 0)
		return http_reply_json(r,
		    strcmp(action, "create") == 0 ? 201 : 200,
		    api_indicator_json(ind));
	if (rc == 0)
		return api_reply_invalid(r, err);
	return api_reply_store_error(r);
}

int
api_indicator_create(struct http_req *r)
{
	json_t *body = api_body_or_reply(r, row_fields, NROW_FIELDS,
	    VALID_CREATE);
	struct strpool keep = {0};
	struct indicator ind;
	struct framework fw;
	struct indicator_in in;
	struct herror err;
	struct store *st;
	char *code;
	int rc;

	if (body == NULL)
		return http_req_status(r);
	st = api_store(r);
	if ((rc = store_framework_get(st,
	         json_integer_value(json_object_get(body, "framework_id")),
	         &fw)) <= 0)
		return rc < 0 ? api_reply_store_error(r)
		              : http_reply_errorf(r, HERR_VALIDATION_FAILED,
		                    "framework_id", "没有这个指标框架");
	memset(&ind, 0, sizeof(ind));
	ind.framework_id = fw.id;
	ind.level1 = strdup("");
	ind.level2 = strdup("");
	ind.level3 = strdup("");
	ind.target_text = strdup("");
	ind.rule = strdup("ratio");
	ind.source = strdup("manual");
	ind.checklist = strdup("");
	code = valid_str(body, "code", NULL);
	if (json_object_get(body, "weight") == NULL) {
		error_set(&err, HERR_VALIDATION_FAILED, "weight", "请给出分值");
		rc = 0;
	} else if ((rc = row_from_body(body, &ind, &in, &keep, &err)) > 0 &&
	    (rc = svc_indicator_row_check(st, &in, &ind, &err)) > 0 &&
	    (rc = api_indicator_code_or_make(st, &ind, code, &err)) > 0) {
		if (!indicator_weight_sum_ok(fw.weight_sum + ind.weight)) {
			error_set(&err, HERR_VALIDATION_FAILED, "weight",
			    "加上本行后分值合计为 %g，超过 100 分",
			    indicator_round2(fw.weight_sum + ind.weight));
			rc = 0;
		} else if (json_object_get(body, "position") != NULL)
			ind.position = (int)
			    json_integer_value(json_object_get(body,
			        "position"));
		else
			rc = store_indicator_next_position(st, fw.id,
			    &ind.position);
	}
	if (rc > 0 && (rc = store_indicator_insert(st, &ind)) == 0)
		error_set(&err, HERR_CONFLICT, "code",
		    "这个指标框架已有编码 %s", ind.code);
	rc = row_reply(r, st, rc, "create", &ind, body, &err);
	free(code);
	strpool_free(&keep);
	indicator_free(&ind);
	framework_free(&fw);
	return rc;
}

/* The row of {code}?framework=ID; 0 after a reply. */
static int
row_or_reply(struct http_req *r, struct store *st, struct framework *fw,
    struct indicator *ind)
{
	if (!api_framework_query_or_reply(r, st, 1, fw))
		return 0;
	if (!api_found_or_reply(r,
	        store_indicator_get(st, fw->id, http_req_tok(r, 0), ind),
	        "这个指标框架没有这一行")) {
		framework_free(fw);
		return 0;
	}
	return 1;
}

int
api_indicator_patch(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct strpool keep = {0};
	struct indicator ind;
	struct framework fw;
	struct indicator_in in;
	struct herror err;
	struct store *st;
	double old;
	int rc;

	if (!valid_object(body, row_fields, NROW_FIELDS, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (json_object_get(body, "code") != NULL ||
	    json_object_get(body, "framework_id") != NULL)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    json_object_get(body, "code") ? "code" : "framework_id",
		    "编码和所属框架不能修改");
	st = api_store(r);
	if (!row_or_reply(r, st, &fw, &ind))
		return http_req_status(r);
	old = ind.weight;
	if ((rc = row_from_body(body, &ind, &in, &keep, &err)) > 0 &&
	    (rc = svc_indicator_row_check(st, &in, &ind, &err)) > 0 &&
	    !indicator_weight_sum_ok(fw.weight_sum - old + ind.weight)) {
		error_set(&err, HERR_VALIDATION_FAILED, "weight",
		    "改后分值合计为 %g，超过 100 分",
		    indicator_round2(fw.weight_sum - old + ind.weight));
		rc = 0;
	}
	if (rc > 0 && json_object_get(body, "position") != NULL)
		ind.position = (int)json_integer_value(json_object_get(body,
		    "position"));
	if (rc > 0)
		rc = store_indicator_update(st, &ind);
	rc = row_reply(r, st, rc, "update", &ind, body, &err);
	strpool_free(&keep);
	indicator_free(&ind);
	framework_free(&fw);
	return rc;
}

int
api_indicator_delete(struct http_req *r)
{
	struct indicator ind;
	struct framework fw;
	struct store *st;
	json_t *detail;
	int rc;

	st = api_store(r);
	if (!row_or_reply(r, st, &fw, &ind))
		return http_req_status(r);
	detail = json_pack("{s:s, s:I, s:s}", "code", ind.code, "framework_id",
	    (json_int_t)fw.id, "level3", ind.level3);
	rc = store_indicator_delete(st, ind.id);
	if (rc > 0 &&
	    api_audit(r, st, "delete", "indicator", ind.id, detail) < 0)
		rc = -1;
	json_decref(detail);
	indicator_free(&ind);
	framework_free(&fw);
	if (!api_found_or_reply(r, rc, "这个指标框架没有这一行"))
		return http_req_status(r);
	return http_reply_empty(r, 204);
}

/* ------------------------------------------------- one period's entries */

/* from/to of the query or, for the first contract, of the body; both or
 * neither. 0 after a reply. */
static int
put_period_or_reply(struct http_req *r, const json_t *body, char *from,
    char *to, int *has)
{
	const char *qa = http_req_query(r, "from"),
	           *qb = http_req_query(r, "to");
	const char *ba = json_string_value(json_object_get(body, "from"));
	const char *bb = json_string_value(json_object_get(body, "to"));
	const char *a = qa ? qa : ba, *b = qb ? qb : bb;
	int64_t da, db;

	*has = 0;
	if ((qa && ba && strcmp(qa, ba) != 0) ||
	    (qb && bb && strcmp(qb, bb) != 0)) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "from",
		    "查询和请求体里的期间不一致");
		return 0;
	}
	if (a == NULL && b == NULL)
		return 1;
	if (a == NULL || b == NULL || !time_parse_date(a, &da) ||
	    !time_parse_date(b, &db) || db < da || db - da > 3660) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, "to",
		    "from 和 to：两个日期，to 不早于 from");
		return 0;
	}
	time_format_date(da, from);
	time_format_date(db, to);
	*has = 1;
	return 1;
}

/* A number of body[key] in [lo, hi] into *v with *set 1, or null with
 * *set 2; 0 after a reply. */
static int
number_or_reply(struct http_req *r, const json_t *body, const char *key,
    double lo, double hi, const char *msg, double *v, int *set)
{
	json_t *x = json_object_get(body, key);

	*set = 0;
	if (x == NULL)
		return 1;
	if (json_is_null(x)) {
		*set = 2;
		return 1;
	}
	if (!json_is_number(x) || json_number_value(x) < lo ||
	    json_number_value(x) > hi) {
		http_reply_errorf(r, HERR_VALIDATION_FAILED, key, "%s", msg);
		return 0;
	}
	*v = json_number_value(x);
	*set = 1;
	return 1;
}

int
api_indicator_put(struct http_req *r)
{
	static const struct vfield f[] = {
	    {.name = "from", .type = VT_DATE},
	    {.name = "to", .type = VT_DATE},
	    {.name = "target", .type = VT_STRING, .min = 1, .max = 32},
	    {.name = "weight", .type = VT_OBJECT, .readonly = 1},
	    {.name = "rule", .type = VT_STRING, .min = 1, .max = IND_RULE_MAX},
	    {.name = "value", .type = VT_OBJECT, .readonly = 1},
	    {.name = "rating", .type = VT_OBJECT, .readonly = 1},
	    {.name = "score", .type = VT_OBJECT, .readonly = 1},
	    {.name = "checklist",
	        .type = VT_ARRAY,
	        .maxitems = IND_ITEMS_MAX,
	        .nullable = 1},
	    {.name = "note", .type = VT_TEXT, .nullable = 1, .max = NOTE_MAX},
	};
	json_t *body = http_req_json(r), *v, *out;
	struct indicator_period p;
	struct ind_target t;
	struct ind_rule rule;
	struct ind_checklist *items = NULL;
	struct indicator ind;
	struct framework fw;
	struct herror err;
	struct store *st;
	char from[11], to[11], why[160], marks[IND_ITEMS_MAX * 2 + 1];
	char *note = NULL;
	int has_period, rc, entries;
	size_t i;

	if (!valid_object(body, f, sizeof(f) / sizeof(f[0]), VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (!put_period_or_reply(r, body, from, to, &has_period))
		return http_req_status(r);
	memset(&p, 0, sizeof(p));
	if ((v = json_object_get(body, "weight")) != NULL) {
		if (!json_is_number(v) ||
		    !indicator_weight_ok(json_number_value(v)))
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "weight", "分值为 0 到 100 之间的数");
		p.has_weight = 1;
		p.weight = json_number_value(v);
	}
	if (!number_or_reply(r, body, "value", 0, 1e6,
	        "实际完成值为不小于 0 的数", &p.value, &p.set_value) ||
	    !number_or_reply(r, body, "rating", 0, 100,
	        "评定为 0 到 100 之间的百分数", &p.rating, &p.set_rating) ||
	    !number_or_reply(r, body, "score", 0, 100,
	        "得分为 0 到分值之间的数", &p.score, &p.set_score))
		return http_req_status(r);
	if ((v = json_object_get(body, "target")) != NULL) {
		if (!indicator_target_parse(json_string_value(v), &t) ||
		    !t.has_value)
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "target",
			    "年度指标值写作 >=2、=100%%、>=90%%、"
			    "<=3 或 100%%有效");
		p.has_target = 1;
		memcpy(p.target_op, t.op, sizeof(p.target_op));
		p.target_value = t.value;
		p.target_unit = t.unit;
		p.target_text = json_string_value(v);
	}
	if ((p.rule = json_string_value(json_object_get(body, "rule")))) {
		if (!indicator_rule_parse(p.rule, &rule, why, sizeof(why)))
			return http_reply_errorf(r, HERR_VALIDATION_FAILED,
			    "rule", "%s", why);
		p.has_rule = 1;
	}
	entries = p.set_value || p.set_rating || p.set_score ||
	    json_object_get(body, "checklist") != NULL ||
	    json_object_get(body, "note") != NULL;
	if (!has_period && entries)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "from",
		    "实际完成值、评定、评价要点、得分和扣分说明属于一个期间："
		    "请给出 from 和 to");
	st = api_store(r);
	if (http_req_query(r, "framework") != NULL) {
		if (!api_framework_query_or_reply(r, st, 1, &fw))
			return http_req_status(r);
	} else {
		/* the first contract: the framework of the period */
		int64_t id;

		memset(&fw, 0, sizeof(fw));
		if (!api_found_or_reply(r,
		        store_framework_for_date(st,
		            has_period ? from : "9999-12-31", &id),
		        "没有指标框架"))
			return http_req_status(r);
		if ((rc = store_framework_get(st, id, &fw)) <= 0)
			return api_reply_store_error(r);
	}
	if ((rc = store_indicator_get(st, fw.id, http_req_tok(r, 0), &ind)) <=
	    0) {
		framework_free(&fw);
		return api_reply_not_found(r, rc, "没有这个指标");
	}
	rc = 1;
	if (p.set_score == 1 &&
	    p.score > (p.has_weight ? p.weight : ind.weight) + 1e-9) {
		error_set(&err, HERR_VALIDATION_FAILED, "score",
		    "得分不能超过分值 %g",
		    p.has_weight ? p.weight : ind.weight);
		rc = 0;
	}
	v = json_object_get(body, "checklist");
	if (rc > 0 && v != NULL && !json_is_null(v)) {
		if ((items = malloc(sizeof(*items))) == NULL)
			rc = -1;
		else if (!indicator_checklist_parse(ind.checklist, items, NULL,
		             0) ||
		    json_array_size(v) != items->n) {
			error_set(&err, HERR_VALIDATION_FAILED, "checklist",
			    "评价要点的勾选为 %zu 个 true/false，按顺序逐项",
			    items->n);
			rc = 0;
		} else {
			int m[IND_ITEMS_MAX];

			for (i = 0; i < items->n && rc > 0; i++) {
				json_t *x = json_array_get(v, i);

				if (!json_is_boolean(x)) {
					error_set(&err, HERR_VALIDATION_FAILED,
					    "checklist",
					    "第 %zu 个勾选应为 true "
					    "或 false",
					    i + 1);
					rc = 0;
				}
				m[i] = json_is_true(x);
			}
			indicator_marks_format(m, items->n, marks,
			    sizeof(marks));
			p.marks = marks;
			p.set_marks = 1;
		}
	} else if (v != NULL)
		p.set_marks = 2;
	free(items);
	if (rc > 0 && has_period) {
		note = valid_str(body, "note", NULL);
		p.note = note                                     ? note
		    : json_is_null(json_object_get(body, "note")) ? ""
		                                                  : NULL;
		rc = store_indicator_period_set(st, ind.id, from, to, &p,
		    http_req_principal(r)->user_id, svc_now());
	} else if (rc > 0) {
		if (p.has_target) {
			memcpy(ind.target_op, p.target_op, 3);
			ind.has_target = 1;
			ind.target_value = p.target_value;
			rc = svc_str_set(&ind.target_unit, p.target_unit) &&
			        svc_str_set(&ind.target_text, p.target_text)
			    ? 1
			    : -1;
		}
		if (p.has_weight) {
			if (!indicator_weight_sum_ok(fw.weight_sum -
			        ind.weight + p.weight)) {
				error_set(&err, HERR_VALIDATION_FAILED,
				    "weight", "改后分值合计为 %g，超过 100 分",
				    indicator_round2(fw.weight_sum -
				        ind.weight + p.weight));
				rc = 0;
			}
			ind.weight = p.weight;
		}
		if (rc > 0 && p.has_rule)
			rc = svc_str_set(&ind.rule, p.rule) ? 1 : -1;
		if (rc > 0)
			rc = store_indicator_update(st, &ind);
	}
	free(note);
	if (rc > 0 && api_audit(r, st, "update", "indicator", ind.id, body) < 0)
		rc = -1;
	if (rc > 0) {
		out = json_pack("{s:s, s:I, s:b}", "code", ind.code,
		    "framework_id", (json_int_t)fw.id, "saved", 1);
		rc = http_reply_json(r, 200, out);
	} else if (rc == 0)
		rc = api_reply_invalid(r, &err);
	else
		rc = api_reply_store_error(r);
	indicator_free(&ind);
	framework_free(&fw);
	return rc;
}

/* ----------------------------------------------------------- sources */

/* The sources a row may name, in the console's words. */
static const struct {
	const char *source, *name, *unit;
} source_list[] = {
    {"manual", "手工填报", ""},
    {"events.held", "已开展活动场次", "场"},
    {"events.held?kind=lecture", "已开展讲座场次", "场"},
    {"events.held?kind=salon", "已开展沙龙场次", "场"},
    {"events.held?kind=group", "已开展团体辅导场次", "场"},
    {"events.held?kind=activity", "已开展活动（赋能）场次", "场"},
    {"trainings.held", "心访咨询师培训开展期数", "期"},
    {"trainings.pass_rate", "培训合格率", "%"},
    {"trainings.on_time_rate", "培训及时率", "%"},
    {"plans.completion", "季度计划完成率", "%"},
    {"surveys.satisfaction", "满意度（活动和心理咨询）", "%"},
    {"surveys.satisfaction?source=events", "活动满意度", "%"},
    {"surveys.satisfaction?source=counselling", "心理咨询满意度", "%"},
    {"duty.counselling_hours", "心理疏导时数", "小时"},
    {"duty.attendance_rate", "值班出勤率", "%"},
    {"cases.assisted", "参与重点个案", "宗"},
    {"cases.resolved", "化解重点个案", "宗"},
    {"cases.resolution_rate", "协助重点案件化解率", "%"},
    {"cases.session_hours", "个案心理咨询时长", "小时"},
};

int
api_indicator_sources(struct http_req *r)
{
	struct store *st;
	struct src_metric *m = NULL;
	json_t *arr = json_array();
	size_t i, n = 0;

	st = api_store(r);
	for (i = 0; arr && i < sizeof(source_list) / sizeof(source_list[0]);
	     i++)
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:s}", "source",
		        source_list[i].source, "name", source_list[i].name,
		        "unit", source_list[i].unit));
	if (store_src_metrics(st, &m, &n) < 0) {
		json_decref(arr);
		return api_reply_store_error(r);
	}
	for (i = 0; arr && i < n; i++) {
		char src[48], name[160];

		snprintf(src, sizeof(src), "duty.%s", m[i].code);
		snprintf(name, sizeof(name), "值班记录：%s", m[i].name);
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:s}", "source", src, "name", name,
		        "unit", m[i].unit));
	}
	src_metric_list_free(m, n);
	return api_reply_list(r, arr, (int64_t)json_array_size(arr));
}
