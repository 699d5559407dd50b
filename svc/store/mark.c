/*
 * Feed marks (issue 15): hearth_fp(), an SQL function giving a 64-bit
 * fingerprint of its arguments, and the reading of a mark row. A feed
 * compares the marks of its rows with the ones it built its pieces from
 * and reads in full only the rows whose fingerprint is new. The
 * fingerprint covers each argument's type and exact bytes, so NULL, ''
 * and 0 differ, and so do ("ab", "c") and ("a", "bc").
 */
#include <string.h>

#include "stmt.h"

#define FP_P1 0x9e3779b97f4a7c15ULL
#define FP_P2 0xc2b2ae3d27d4eb4fULL

static uint64_t
fp_word(uint64_t h, uint64_t w)
{
	w *= FP_P2;
	w = (w << 31) | (w >> 33);
	h ^= w * FP_P1;
	h = (h << 27) | (h >> 37);
	return h * 5 + 0x52dce729;
}

static uint64_t
fp_bytes(uint64_t h, const unsigned char *p, size_t n)
{
	uint64_t w;

	h = fp_word(h, n);
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = fp_word(h, w);
	}
	w = 0;
	memcpy(&w, p, n);
	return fp_word(h, w);
}

static void
fp_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint64_t h = 0x27d4eb2f165667c5ULL, v;
	double d;
	int i, t;

	for (i = 0; i < argc; i++) {
		t = sqlite3_value_type(argv[i]);
		h = fp_word(h, (uint64_t)t);
		switch (t) {
		case SQLITE_INTEGER:
			h = fp_word(h, (uint64_t)sqlite3_value_int64(argv[i]));
			break;
		case SQLITE_FLOAT:
			d = sqlite3_value_double(argv[i]);
			memcpy(&v, &d, sizeof(v));
			h = fp_word(h, v);
			break;
		case SQLITE_TEXT:
			/* text before bytes: the length is of that form */
			h = fp_bytes(h, sqlite3_value_text(argv[i]),
			    (size_t)sqlite3_value_bytes(argv[i]));
			break;
		case SQLITE_BLOB:
			h = fp_bytes(h, sqlite3_value_blob(argv[i]),
			    (size_t)sqlite3_value_bytes(argv[i]));
			break;
		default:
			break;
		}
	}
	/* murmur3's finalizer */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	sqlite3_result_int64(ctx, (sqlite3_int64)h);
}

int
store_fp_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "hearth_fp", -1,
	           SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fp_func, NULL,
	           NULL) == SQLITE_OK;
}

int64_t
store_fp_mix(int64_t fp, int64_t v)
{
	return (int64_t)fp_word((uint64_t)fp, (uint64_t)v);
}

int
store_mark_read(struct dbstmt *s, const char *const *names, struct feed_mark *m)
{
	m->id = db_column_int64(s, 0);
	m->fp = db_column_int64(s, 1);
	m->station_id = db_column_int64(s, 2);
	/* state_parse, not db.c's store_col_state: db.c calls this file */
	m->status = state_parse(names, (const char *)db_column_text(s, 3));
	m->cancelled_at = (time_t)db_column_int64(s, 4);
	m->updated_at = (time_t)db_column_int64(s, 5);
	return m->status > 0 ? 1 : -1;
}
