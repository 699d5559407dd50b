/*
 * /api/v1/frameworks: evaluation frameworks, any bureau's table year by
 * year — listed, made empty or as a copy of another (last year's), renamed,
 * deleted, and imported from CSV in the layout of
 * shared/data/framework-futian-2023.csv. An import is all or nothing:
 * every bad row is reported with its line and field, and nothing is
 * stored (the route's transaction rolls back on the 422).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define IMPORT_MAX_ROWS 500
#define IMPORT_MAX_ERRORS 100

int
api_framework_list(struct http_req *r)
{
	struct store *st;
	struct framework *items = NULL;
	size_t n = 0, i;
	json_t *arr;

	st = api_store(r);
	if (store_framework_list(st, &items, &n) < 0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		json_array_append_new(arr, api_framework_json(&items[i]));
	framework_list_free(items, n);
	return api_reply_list(r, arr, (int64_t)n);
}

/* The framework of {id}; 0 after a reply. */
static int
framework_or_reply(struct http_req *r, struct store *st, struct framework *f)
{
	return api_found_or_reply(r,
	    store_framework_get(st, http_req_id(r, 0), f), "没有这个指标框架");
}

/* The framework with its rows. */
static int
reply_framework(struct http_req *r, struct store *st, int64_t id, int status)
{
	struct framework f;
	struct indicator *items = NULL;
	size_t n = 0, i;
	json_t *o, *rows;
	int rc;

	if ((rc = store_framework_get(st, id, &f)) <= 0)
		return api_reply_not_found(r, rc, "没有这个指标框架");
	if (store_indicator_list(st, id, NULL, NULL, &items, &n) < 0) {
		framework_free(&f);
		return api_reply_store_error(r);
	}
	o = api_framework_json(&f);
	rows = json_array();
	for (i = 0; rows && i < n; i++)
		json_array_append_new(rows, api_indicator_json(&items[i]));
	if (o != NULL)
		json_object_set_new(o, "indicators",
		    rows ? rows : json_array());
	indicator_list_free(items, n);
	framework_free(&f);
	return http_reply_json(r, status, o);
}

int
api_framework_get(struct http_req *r)
{
	struct store *st;

	st = api_store(r);
	return reply_framework(r, st, http_req_id(r, 0), 200);
}

static const struct vfield fw_fields[] = {
    {.name = "id", .readonly = 1},
    {.name = "name", .type = VT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "from", .type = VT_DATE, .required = 1},
    {.name = "to", .type = VT_DATE, .required = 1},
    {.name = "copy_from", .type = VT_ID, .nullable = 1},
    {.name = "rows", .readonly = 1},
    {.name = "weight_sum", .readonly = 1},
    {.name = "indicators", .readonly = 1},
};
#define NFW_FIELDS (sizeof(fw_fields) / sizeof(fw_fields[0]))

/* Checks from ≤ to; 0 after filling err. */
static int
period_ok(const char *from, const char *to, struct herror *err)
{
	int64_t a, b;

	if (!time_parse_date(from, &a) || !time_parse_date(to, &b) || b < a ||
	    b - a > 3660) {
		error_set(err, HERR_VALIDATION_FAILED, "to",
		    "to：不早于 from，且在十年之内");
		return 0;
	}
	return 1;
}

/* After f was written (rc from the store): audited as action, then
 * answered with status, or the store's error; frees f. */
static int
reply_saved(struct http_req *r, struct store *st, int rc, struct framework *f,
    const char *action, const json_t *body, int status)
{
	if (rc > 0 && api_audit(r, st, action, "framework", f->id, body) < 0)
		rc = -1;
	rc = rc > 0 ? reply_framework(r, st, f->id, status)
	            : api_reply_store_error(r);
	framework_free(f);
	return rc;
}

int
api_framework_create(struct http_req *r)
{
	json_t *body = http_req_json(r), *cp;
	struct framework f, src;
	struct herror err;
	struct store *st;
	int rc;

	if (!valid_object(body, fw_fields, NFW_FIELDS, VALID_CREATE, &err))
		return api_reply_invalid(r, &err);
	memset(&f, 0, sizeof(f));
	snprintf(f.date_from, sizeof(f.date_from), "%s",
	    json_string_value(json_object_get(body, "from")));
	snprintf(f.date_to, sizeof(f.date_to), "%s",
	    json_string_value(json_object_get(body, "to")));
	if (!period_ok(f.date_from, f.date_to, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	cp = json_object_get(body, "copy_from");
	if (cp != NULL && !json_is_null(cp)) {
		if ((rc = store_framework_get(st, json_integer_value(cp),
		         &src)) <= 0)
			return rc < 0
			    ? api_reply_store_error(r)
			    : http_reply_errorf(r, HERR_VALIDATION_FAILED,
			          "copy_from", "没有要复制的指标框架");
		framework_free(&src);
	}
	if ((f.name = valid_str(body, "name", NULL)) == NULL)
		return api_reply_internal(r, "out of memory");
	f.created_at = f.updated_at = svc_now();
	rc = store_framework_insert(st, &f);
	if (rc > 0 && cp != NULL && !json_is_null(cp))
		rc = store_framework_copy_rows(st, json_integer_value(cp),
		    f.id);
	return reply_saved(r, st, rc, &f, "create", body, 201);
}

int
api_framework_update(struct http_req *r)
{
	json_t *body = http_req_json(r);
	struct framework f;
	struct herror err;
	struct store *st;
	const char *v;
	char *name = NULL;
	int rc;

	if (!valid_object(body, fw_fields, NFW_FIELDS, VALID_PATCH, &err))
		return api_reply_invalid(r, &err);
	if (json_object_get(body, "copy_from") != NULL)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "copy_from",
		    "复制只在新建框架时进行");
	st = api_store(r);
	if (!framework_or_reply(r, st, &f))
		return http_req_status(r);
	if ((v = json_string_value(json_object_get(body, "from"))) != NULL)
		snprintf(f.date_from, sizeof(f.date_from), "%s", v);
	if ((v = json_string_value(json_object_get(body, "to"))) != NULL)
		snprintf(f.date_to, sizeof(f.date_to), "%s", v);
	if (!period_ok(f.date_from, f.date_to, &err)) {
		framework_free(&f);
		return api_reply_invalid(r, &err);
	}
	if ((name = valid_str(body, "name", NULL)) != NULL) {
		free(f.name);
		f.name = name;
	}
	f.updated_at = svc_now();
	rc = store_framework_update(st, &f);
	return reply_saved(r, st, rc, &f, "update", body, 200);
}

int
api_framework_delete(struct http_req *r)
{
	struct store *st;
	struct framework f;
	json_t *detail;
	int rc;

	st = api_store(r);
	if (!framework_or_reply(r, st, &f))
		return http_req_status(r);
	detail = json_pack("{s:s, s:s, s:s, s:I}", "name", f.name, "from",
	    f.date_from, "to", f.date_to, "rows", (json_int_t)f.rows);
	rc = store_framework_delete(st, f.id);
	if (rc > 0 && api_audit(r, st, "delete", "framework", f.id, detail) < 0)
		rc = -1;
	json_decref(detail);
	framework_free(&f);
	if (rc < 0)
		return api_reply_store_error(r);
	return http_reply_empty(r, 204);
}

/* ------------------------------------------------------------ import */

enum fw_col {
	FC_LEVEL1,
	FC_LEVEL2,
	FC_LEVEL3,
	FC_WEIGHT,
	FC_TARGET,
	FC_RULE,
	FC_SOURCE,
	FC_CHECKLIST,
	FC_CODE,
	FC__MAX
};

static const char *const fw_col_names[FC__MAX] = {
    /* FC_LEVEL1 */ "level1",
    /* FC_LEVEL2 */ "level2",
    /* FC_LEVEL3 */ "level3",
    /* FC_WEIGHT */ "weight",
    /* FC_TARGET */ "target",
    /* FC_RULE */ "rule",
    /* FC_SOURCE */ "source",
    /* FC_CHECKLIST */ "checklist",
    /* FC_CODE */ "code",
};
#define FC_REQUIRED 7 /* level1 … source; checklist and code optional */

struct problems {
	json_t *list;
	size_t n;
	size_t first_line;
	char first_field[16];
	char first_msg[256];
};

static void problem(struct problems *, size_t line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct problems *pr, size_t line, const char *field, const char *fmt,
    ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pr->n++ == 0) {
		pr->first_line = line;
		snprintf(pr->first_field, sizeof(pr->first_field), "%s", field);
		snprintf(pr->first_msg, sizeof(pr->first_msg), "%s", msg);
	}
	if (pr->n <= IMPORT_MAX_ERRORS && pr->list != NULL)
		json_array_append_new(pr->list,
		    json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
		        "field", field, "message", msg));
}

/* The column of each name in the header; 0 after recording problems. */
static int
read_header(const struct csv_row *row, int pos[FC__MAX], struct problems *pr)
{
	size_t i, k;
	int ok = 1;

	for (k = 0; k < FC__MAX; k++)
		pos[k] = -1;
	for (i = 0; i < row->n; i++) {
		const char *name = csv_trim(row->fields[i]);

		for (k = 0; k < FC__MAX; k++)
			if (strcmp(name, fw_col_names[k]) == 0)
				break;
		if (k == FC__MAX) {
			problem(pr, row->line, "header",
			    "第 %zu 列 %s 不是"
			    "表头的列名（level1,level2,level3,weight,target,"
			    "rule,source,checklist）",
			    i + 1, name);
			ok = 0;
		} else if (pos[k] >= 0) {
			problem(pr, row->line, "header", "列 %s 出现了两次",
			    name);
			ok = 0;
		} else
			pos[k] = (int)i;
	}
	for (k = 0; k < FC_REQUIRED; k++)
		if (pos[k] < 0) {
			problem(pr, row->line, "header", "缺少列 %s",
			    fw_col_names[k]);
			ok = 0;
		}
	return ok;
}

static const char *
col(const struct csv_row *row, const int pos[FC__MAX], enum fw_col k)
{
	if (pos[k] < 0 || (size_t)pos[k] >= row->n)
		return NULL;
	return csv_trim(row->fields[pos[k]]);
}

/* Checks and stores one line as a row of fw; problems recorded. */
static int
import_row(struct store *st, struct framework *fw, const struct csv_row *row,
    const int pos[FC__MAX], int position, struct problems *pr, double *weights)
{
	struct indicator ind;
	struct indicator_in in;
	struct herror err;
	const char *w = col(row, pos, FC_WEIGHT), *code;
	size_t k;
	int rc;

	for (k = 0; k < FC_REQUIRED; k++)
		if (col(row, pos, (enum fw_col)k) == NULL) {
			problem(pr, row->line, fw_col_names[k],
			    "这一行的列数少于表头");
			return 1;
		}
	memset(&in, 0, sizeof(in));
	if (!indicator_number_parse(w, 0, &in.weight)) {
		problem(pr, row->line, "weight", "分值“%s”不是数字", w);
		return 1;
	}
	in.level1 = col(row, pos, FC_LEVEL1);
	in.level2 = col(row, pos, FC_LEVEL2);
	in.level3 = col(row, pos, FC_LEVEL3);
	in.target = col(row, pos, FC_TARGET);
	in.rule = col(row, pos, FC_RULE);
	in.source = col(row, pos, FC_SOURCE);
	in.checklist = col(row, pos, FC_CHECKLIST);
	code = col(row, pos, FC_CODE);
	if (code != NULL && *code == '\0')
		code = NULL;
	memset(&ind, 0, sizeof(ind));
	ind.framework_id = fw->id;
	ind.position = position;
	if ((rc = svc_indicator_row_check(st, &in, &ind, &err)) > 0 &&
	    (rc = api_indicator_code_or_make(st, &ind, code, &err)) > 0) {
		if ((rc = store_indicator_insert(st, &ind)) == 0)
			error_set(&err, HERR_VALIDATION_FAILED, "code",
			    "编码 %s 重复", ind.code);
	}
	if (rc == 0)
		problem(pr, row->line, err.field, "%s", err.message);
	else if (rc > 0)
		*weights += ind.weight;
	indicator_free(&ind);
	return rc < 0 ? -1 : 1;
}

int
api_framework_import(struct http_req *r)
{
	const char *name = http_req_query(r, "name");
	const char *from = http_req_query(r, "from");
	const char *to = http_req_query(r, "to");
	struct problems pr;
	struct framework fw;
	struct herror err;
	struct store *st;
	struct csv *csv = NULL;
	struct csv_row row;
	const char *body;
	size_t sz, nrows = 0;
	int pos[FC__MAX], rc, ok;
	long len;
	double weights = 0;
	char msg[640];
	json_t *out;

	memset(&pr, 0, sizeof(pr));
	len = name ? valid_utf8_len(name, strlen(name)) : -1;
	for (body = name; len > 0 && *body; body++)
		if ((unsigned char)*body < 0x20 || *body == 0x7f)
			len = -1;
	if (len < 1 || len > 100)
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "name",
		    "name：框架名称为 1 到 100 个字");
	if (from == NULL || to == NULL) {
		return http_reply_errorf(r, HERR_VALIDATION_FAILED,
		    from == NULL ? "from" : "to",
		    "请给出 from 和 to（该框架"
		    "评价的期间）");
	}
	if (!period_ok(from, to, &err))
		return api_reply_invalid(r, &err);
	st = api_store(r);
	memset(&fw, 0, sizeof(fw));
	snprintf(fw.date_from, sizeof(fw.date_from), "%s", from);
	snprintf(fw.date_to, sizeof(fw.date_to), "%s", to);
	fw.name = (char *)name;
	fw.created_at = fw.updated_at = svc_now();
	body = http_req_body(r, &sz);
	if ((pr.list = json_array()) == NULL ||
	    store_framework_insert(st, &fw) <= 0 ||
	    (csv = csv_open(body ? body : "", body ? sz : 0)) == NULL) {
		json_decref(pr.list);
		return api_reply_store_error(r);
	}
	if ((rc = csv_next(csv, &row)) <= 0)
		problem(&pr, 1, "header", "%s",
		    rc == 0 ? "文件是空的" : csv_error(csv));
	ok = rc > 0 && read_header(&row, pos, &pr);
	while (ok && (rc = csv_next(csv, &row)) != 0) {
		if (rc < 0) {
			/* what follows a syntax error cannot be split into
			 * rows reliably */
			problem(&pr, 0, "row", "%s", csv_error(csv));
			break;
		}
		if (row.n == 1 && *csv_trim(row.fields[0]) == '\0')
			continue;
		if (++nrows > IMPORT_MAX_ROWS) {
			problem(&pr, row.line, "row", "超过 500 行");
			break;
		}
		if (import_row(st, &fw, &row, pos, (int)nrows, &pr, &weights) <
		    0) {
			csv_close(csv);
			json_decref(pr.list);
			return api_reply_store_error(r);
		}
	}
	csv_close(csv);
	if (pr.n == 0 && nrows == 0)
		problem(&pr, 2, "row", "文件里没有指标行");
	if (pr.n == 0 && !indicator_weight_sum_ok(weights))
		problem(&pr, 0, "weight", "各行分值合计为 %g，超过 100 分",
		    indicator_round2(weights));
	if (pr.n > 0) {
		if (pr.first_line > 0)
			snprintf(msg, sizeof(msg),
			    "第 %zu 行 %s：%s；共 %zu 处"
			    "问题，未导入任何内容",
			    pr.first_line, pr.first_field, pr.first_msg, pr.n);
		else
			snprintf(msg, sizeof(msg), "%s；未导入任何内容",
			    pr.first_msg);
		/* the route's transaction rolls back on this status */
		return http_reply_json(r, 422,
		    json_pack("{s:{s:s, s:s, s:s, s:I, s:o}}", "error", "code",
		        "validation_failed", "message", msg, "field",
		        pr.first_field, "line", (json_int_t)pr.first_line,
		        "errors", pr.list));
	}
	json_decref(pr.list);
	out = json_pack("{s:I, s:I, s:f}", "id", (json_int_t)fw.id, "rows",
	    (json_int_t)nrows, "weight_sum", indicator_round2(weights));
	if (api_audit(r, st, "import", "framework", fw.id, out) < 0) {
		json_decref(out);
		return api_reply_store_error(r);
	}
	return http_reply_json(r, 201, out);
}
