/*
 * Unit tests of svc/store on a real SQLite file: each test gets a fresh
 * database in its own mkdtemp directory, migrated by store_migrate.
 * With HEARTH_TEST_PG set to a libpq URI they run on PostgreSQL instead:
 * each test empties that database's public schema first
 * (tests/unit/store_pg.test.mjs starts a throwaway cluster for it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/stmt.h"
#include "embed.h"
#include "../lib/unit_store.h"

struct fix {
	struct unit_db db;
	struct store *st;
};

static int log_errors;
static const char *pg_uri; /* HEARTH_TEST_PG */

static int log_quiet; /* errors expected: counted, not printed */

static void test_log(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
test_log(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l == LOG_ERROR)
		log_errors++;
	if (l > LOG_WARN || log_quiet)
		return;
	fprintf(stderr, "  [store log %d] ", (int)l);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	log_errors = 0;
	if (f == NULL ||
	    (f->st = unit_db_fresh(&f->db, "store", test_log)) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	unit_db_close(&f->db);
	free(f);
	return 0;
}

static struct station
mkstation(const char *code, const char *name, const char *kind)
{
	struct station s;

	memset(&s, 0, sizeof(s));
	s.code = (char *)code;
	s.name = (char *)name;
	s.kind = (char *)kind;
	s.address = (char *)"";
	s.timezone = (char *)"Asia/Shanghai";
	s.active = 1;
	s.created_at = s.updated_at = 1772413200;
	return s;
}

static int64_t
add_station(struct store *st, const char *code, const char *name)
{
	struct station s = mkstation(code, name, "street");

	assert_int_equal(store_station_insert(st, &s), 1);
	assert_true(s.id > 0);
	return s.id;
}

/* --- migrations ----------------------------------------------------------- */

static void
test_migrate(void **state)
{
	struct fix *f = *state;
	struct station got;

	(void)got;
	assert_true(store_schema_version() >= 1);
	add_station(f->st, "HALL", "大厅");
	/* a second migration is a no-op that keeps the data */
	assert_int_equal(store_migrate(&f->db.cfg), store_schema_version());
	assert_int_equal(store_migrate(&f->db.cfg), store_schema_version());
	assert_int_equal(store_station_get_by_code(f->st, "HALL", &got), 1);
	assert_string_equal(got.name, "大厅");
	station_free(&got);
	assert_int_equal(log_errors, 0);
	/* the thread's connection is reused */
	assert_ptr_equal(store_thread(), f->st);
}

static void
test_migrate_bad_path(void **state)
{
	struct store_config cfg = {"/nonexistent-dir/x/hearth.db", 0, test_log};

	(void)state;
	log_errors = 0;
	assert_int_equal(store_migrate(&cfg), -1);
	assert_true(log_errors > 0);
}

/* --- stations ------------------------------------------------------------- */

static void
test_station_crud(void **state)
{
	struct fix *f = *state;
	struct station s = mkstation("HALL", "区信访局人民来访接待大厅",
	    "hall");
	struct station got, dup, other;
	int64_t n;

	s.address = (char *)"深圳市福田区";
	assert_int_equal(store_station_insert(f->st, &s), 1);
	assert_true(s.id > 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_station_get(f->st, s.id, &got), 1);
	assert_int_equal(got.id, s.id);
	assert_string_equal(got.code, "HALL");
	assert_string_equal(got.name, "区信访局人民来访接待大厅");
	assert_string_equal(got.kind, "hall");
	assert_string_equal(got.address, "深圳市福田区");
	assert_string_equal(got.timezone, "Asia/Shanghai");
	assert_int_equal(got.active, 1);
	assert_int_equal(got.created_at, 1772413200);
	assert_int_equal(got.updated_at, 1772413200);
	station_free(&got);
	/* unknown id, unknown code */
	assert_int_equal(store_station_get(f->st, s.id + 100, &got), 0);
	assert_int_equal(store_station_get_by_code(f->st, "NOPE", &got), 0);
	/* codes are unique ignoring case */
	assert_int_equal(store_station_get_by_code(f->st, "hall", &got), 1);
	assert_int_equal(got.id, s.id);
	station_free(&got);
	dup = mkstation("Hall", "another", "street");
	assert_int_equal(store_station_insert(f->st, &dup), 0);
	assert_int_equal(dup.id, 0);
	assert_int_equal(log_errors, 0);
	/* a kind outside the CHECK is a system error, not a conflict */
	dup = mkstation("ODD", "odd", "castle");
	assert_true(store_station_insert(f->st, &dup) < 0);
	log_errors = 0;

	/* update every field */
	s.code = (char *)"HALL2";
	s.name = (char *)"新大厅";
	s.kind = (char *)"service_point";
	s.address = (char *)"";
	s.timezone = (char *)"Europe/Berlin";
	s.active = 0;
	s.updated_at = 1772413300;
	assert_int_equal(store_station_update(f->st, &s), 1);
	assert_int_equal(store_station_get(f->st, s.id, &got), 1);
	assert_string_equal(got.code, "HALL2");
	assert_string_equal(got.name, "新大厅");
	assert_string_equal(got.kind, "service_point");
	assert_string_equal(got.timezone, "Europe/Berlin");
	assert_int_equal(got.active, 0);
	assert_int_equal(got.created_at, 1772413200);
	assert_int_equal(got.updated_at, 1772413300);
	station_free(&got);
	/* update onto a taken code (any case): 0; unknown id: -2 */
	other = mkstation("YL", "园岭", "street");
	assert_int_equal(store_station_insert(f->st, &other), 1);
	other.code = (char *)"hall2";
	assert_int_equal(store_station_update(f->st, &other), 0);
	other.code = (char *)"YL";
	other.id = 9999;
	assert_int_equal(store_station_update(f->st, &other), -2);
	assert_int_equal(store_counsellor_count_by_station(f->st, s.id, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(log_errors, 0);
}

static size_t
list_codes(struct store *st, int active, const char *q, int64_t limit,
    int64_t offset, char *out, size_t outsz, int64_t *total)
{
	struct station_filter flt = {active, q};
	struct store_page pg = {limit, offset};
	struct station *items = NULL;
	size_t n = 0, i;

	assert_int_equal(store_station_list(st, &flt, &pg, &items, &n, total),
	    1);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strncat(out, ",", outsz - strlen(out) - 1);
		strncat(out, items[i].code, outsz - strlen(out) - 1);
	}
	station_list_free(items, n);
	return n;
}

static void
test_station_list(void **state)
{
	struct fix *f = *state;
	struct station s;
	char codes[256];
	int64_t total;

	add_station(f->st, "A%1", "百分之百");
	add_station(f->st, "AX1", "plain");
	add_station(f->st, "B_2", "under");
	add_station(f->st, "BX2", "园岭街道");
	add_station(f->st, "C\\3", "back\\slash");
	s = mkstation("OLD", "closed 100% down", "hall");
	s.active = 0;
	assert_int_equal(store_station_insert(f->st, &s), 1);

	assert_int_equal(list_codes(f->st, -1, NULL, 100, 0, codes,
	                     sizeof(codes), &total),
	    6);
	assert_string_equal(codes, "A%1,AX1,B_2,BX2,C\\3,OLD");
	assert_int_equal(total, 6);
	/* '%' and '_' in q match themselves, not any text */
	list_codes(f->st, -1, "%", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "A%1,OLD");
	assert_int_equal(total, 2);
	list_codes(f->st, -1, "_", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "B_2");
	assert_int_equal(total, 1);
	list_codes(f->st, -1, "\\", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "C\\3");
	list_codes(f->st, -1, "A%", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "A%1");
	list_codes(f->st, -1, "x", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "AX1,BX2");
	list_codes(f->st, -1, "园岭", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "BX2");
	list_codes(f->st, -1, "", 100, 0, codes, sizeof(codes), &total);
	assert_int_equal(total, 6);
	list_codes(f->st, -1, "nothing", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "");
	assert_int_equal(total, 0);
	/* active filter */
	list_codes(f->st, 0, NULL, 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "OLD");
	list_codes(f->st, 1, "%", 100, 0, codes, sizeof(codes), &total);
	assert_string_equal(codes, "A%1");
	/* paging: total counts everything */
	assert_int_equal(list_codes(f->st, -1, NULL, 2, 0, codes, sizeof(codes),
	                     &total),
	    2);
	assert_string_equal(codes, "A%1,AX1");
	assert_int_equal(total, 6);
	list_codes(f->st, -1, NULL, 2, 4, codes, sizeof(codes), &total);
	assert_string_equal(codes, "C\\3,OLD");
	assert_int_equal(list_codes(f->st, -1, NULL, 10, 6, codes,
	                     sizeof(codes), &total),
	    0);
	assert_int_equal(total, 6);
	assert_int_equal(log_errors, 0);
}

/* --- transactions --------------------------------------------------------- */

static void
test_transactions(void **state)
{
	struct fix *f = *state;
	struct station s = mkstation("TX", "tx", "hall"), got;
	int64_t rev, id;

	rev = store_revision();
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_station_insert(f->st, &s), 1);
	assert_int_equal(store_audit(f->st, 0, "create", "station", s.id, NULL),
	    1);
	store_rollback(f->st);
	assert_int_equal(store_station_get(f->st, s.id, &got), 0);
	assert_int_equal(store_station_get_by_code(f->st, "TX", &got), 0);
	assert_int_equal(store_revision(), rev);
	{
		struct audit_entry *items = NULL;
		struct store_page pg = {50, 0};
		size_t n = 7;
		int64_t total = 7;

		assert_int_equal(store_audit_list(f->st, NULL, 0, &pg, &items,
		                     &n, &total),
		    1);
		assert_int_equal(n, 0);
		assert_int_equal(total, 0);
		audit_list_free(items, n);
	}
	/* a second rollback is harmless */
	store_rollback(f->st);

	/* committed: visible, and the revision grows */
	assert_int_equal(store_begin(f->st), 1);
	s.id = 0;
	assert_int_equal(store_station_insert(f->st, &s), 1);
	id = s.id;
	assert_int_equal(store_commit(f->st), 1);
	assert_true(store_revision() > rev);
	assert_int_equal(store_station_get(f->st, id, &got), 1);
	assert_string_equal(got.code, "TX");
	station_free(&got);
	rev = store_revision();
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_commit(f->st), 1);
	assert_true(store_revision() > rev);
	assert_int_equal(log_errors, 0);
}

/* --- the after-commit hook (store_on_outbox_commit) ----------------------- */

static int hook_calls;
static time_t hook_due; /* the due time the last call was given */

static void
count_hook(time_t due)
{
	hook_calls++;
	hook_due = due;
}

/* Queues the outbox row of key in st's open transaction: 1 new, 0 a row
 * of that key is there already. */
static int
put_outbox(struct store *st, const char *key)
{
	return unit_outbox_put(st, key, "Subject: x\r\n\r\nbody\r\n",
	    1772413200, NULL);
}

/* The hook runs once after a commit that queued a row, never after a
 * rollback (nor after the next commit, which queued nothing), nor after
 * a commit whose put found its row already there. */
static void
test_outbox_commit_hook(void **state)
{
	struct fix *f = *state;
	struct station s = mkstation("HK", "hook", "hall");

	hook_calls = 0;
	store_on_outbox_commit(count_hook);

	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(put_outbox(f->st, "hook:1"), 1);
	assert_int_equal(hook_calls, 0); /* not before the commit */
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_due, 1772413200);

	/* Rolled back: no row, no call, and the next commit (nothing
	 * queued) does not call it for the rolled-back row. */
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(put_outbox(f->st, "hook:2"), 1);
	store_rollback(f->st);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_station_insert(f->st, &s), 1);
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(store_outbox_exists(f->st, "hook:2"), 0);

	/* A commit without a write, and one whose put queued nothing (the
	 * key is there): no call. */
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(put_outbox(f->st, "hook:1"), 0);
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(hook_calls, 1);

	/* Another row: one more call. */
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(put_outbox(f->st, "hook:3"), 1);
	assert_int_equal(put_outbox(f->st, "hook:4"), 1);
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(hook_calls, 2);

	/* The earliest due time of the transaction's rows, whatever the
	 * order they were put in. */
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(unit_outbox_put(f->st, "hook:5", "",
	                     1772413200 + 86400, NULL),
	    1);
	assert_int_equal(unit_outbox_put(f->st, "hook:6", "", 1772413200 + 60,
	                     NULL),
	    1);
	assert_int_equal(unit_outbox_put(f->st, "hook:7", "", 1772413200 + 600,
	                     NULL),
	    1);
	assert_int_equal(store_commit(f->st), 1);
	assert_int_equal(hook_calls, 3);
	assert_int_equal(hook_due, 1772413200 + 60);

	store_on_outbox_commit(NULL);
	assert_int_equal(log_errors, 0);
}

/* --- counsellors ---------------------------------------------------------- */

static void
test_counsellors(void **state)
{
	struct fix *f = *state;
	struct counsellor c, got, c2;
	char tok[SECRET_TOKEN_HEX], tok2[SECRET_TOKEN_HEX];
	int64_t st1, st2, n, total;

	st1 = add_station(f->st, "HALL", "大厅");
	st2 = add_station(f->st, "YL", "园岭");
	secret_token(tok, SECRET_TOKEN_BYTES);
	secret_token(tok2, SECRET_TOKEN_BYTES);
	memset(&c, 0, sizeof(c));
	c.name = (char *)"李明";
	c.email = (char *)"li.ming@example.cn";
	c.phone = (char *)"0755-8888 1234";
	c.home_station_id = st1;
	c.max_weekly_hours = 20;
	c.active = 1;
	c.feed_token = tok;
	c.created_at = c.updated_at = 1772413200;
	assert_int_equal(store_counsellor_insert(f->st, &c), 1);
	assert_true(c.id > 0);
	assert_int_equal(store_counsellor_get(f->st, c.id, &got), 1);
	assert_string_equal(got.name, "李明");
	assert_string_equal(got.email, "li.ming@example.cn");
	assert_string_equal(got.phone, "0755-8888 1234");
	assert_int_equal(got.home_station_id, st1);
	assert_int_equal(got.max_weekly_hours, 20);
	assert_int_equal(got.active, 1);
	assert_string_equal(got.feed_token, tok);
	counsellor_free(&got);
	assert_int_equal(store_counsellor_get(f->st, c.id + 1, &got), 0);
	/* by feed token */
	assert_int_equal(store_counsellor_get_by_feed_token(f->st, tok, &got),
	    1);
	assert_int_equal(got.id, c.id);
	counsellor_free(&got);
	assert_int_equal(store_counsellor_get_by_feed_token(f->st, tok2, &got),
	    0);
	/* a colliding feed token: 0 */
	c2 = c;
	c2.id = 0;
	c2.name = (char *)"王芳";
	c2.home_station_id = 0;
	assert_int_equal(store_counsellor_insert(f->st, &c2), 0);
	c2.feed_token = tok2;
	assert_int_equal(store_counsellor_insert(f->st, &c2), 1);
	assert_int_equal(store_counsellor_get(f->st, c2.id, &got), 1);
	assert_int_equal(got.home_station_id, 0);
	counsellor_free(&got);
	/* update: new home, hours, token rotation */
	c.home_station_id = st2;
	c.max_weekly_hours = 40;
	c.name = (char *)"李明明";
	c.phone = NULL;
	secret_token(tok, SECRET_TOKEN_BYTES);
	c.updated_at = 1772413300;
	assert_int_equal(store_counsellor_update(f->st, &c), 1);
	assert_int_equal(store_counsellor_get(f->st, c.id, &got), 1);
	assert_string_equal(got.name, "李明明");
	assert_string_equal(got.phone, "");
	assert_int_equal(got.home_station_id, st2);
	assert_int_equal(got.max_weekly_hours, 40);
	assert_string_equal(got.feed_token, tok);
	assert_int_equal(got.created_at, 1772413200);
	assert_int_equal(got.updated_at, 1772413300);
	counsellor_free(&got);
	c.id = 9999;
	assert_int_equal(store_counsellor_update(f->st, &c), 0);
	/* counts and lists */
	assert_int_equal(store_counsellor_count_by_station(f->st, st2, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(store_counsellor_count_by_station(f->st, st1, &n), 1);
	assert_int_equal(n, 0);
	{
		struct counsellor_filter flt = {-1, st2, NULL};
		struct store_page pg = {50, 0};
		struct counsellor *items = NULL;
		size_t cnt = 0;

		assert_int_equal(store_counsellor_list(f->st, &flt, &pg, &items,
		                     &cnt, &total),
		    1);
		assert_int_equal(cnt, 1);
		assert_int_equal(total, 1);
		assert_string_equal(items[0].name, "李明明");
		counsellor_list_free(items, cnt);
		flt.station_id = 0;
		flt.q = "王";
		assert_int_equal(store_counsellor_list(f->st, &flt, &pg, &items,
		                     &cnt, &total),
		    1);
		assert_int_equal(cnt, 1);
		assert_string_equal(items[0].name, "王芳");
		counsellor_list_free(items, cnt);
		flt.q = "%";
		assert_int_equal(store_counsellor_list(f->st, &flt, &pg, &items,
		                     &cnt, &total),
		    1);
		assert_int_equal(cnt, 0);
		counsellor_list_free(items, cnt);
	}
	assert_int_equal(log_errors, 0);
}

/* --- users and sessions --------------------------------------------------- */

static void
test_users_sessions(void **state)
{
	struct fix *f = *state;
	struct user u, dup, got;
	char token[SECRET_SESSION_HEX], hash[SECRET_HASH_HEX];
	char hash2[SECRET_HASH_HEX], old[SECRET_HASH_HEX];
	time_t now = 1772413200, exp = 0;
	int64_t n;

	assert_int_equal(store_user_count(f->st, &n), 1);
	assert_int_equal(n, 0);
	memset(&u, 0, sizeof(u));
	u.username = (char *)"admin";
	u.password_hash = (char *)"$argon2id$v=19$m=65536,t=2,p=1$x$y";
	u.role = ROLE_COORDINATOR;
	u.active = 1;
	assert_int_equal(store_user_insert(f->st, &u), 1);
	assert_true(u.id > 0);
	assert_int_equal(store_user_count(f->st, &n), 1);
	assert_int_equal(n, 1);
	/* usernames are unique ignoring case */
	dup = u;
	dup.id = 0;
	dup.username = (char *)"ADMIN";
	assert_int_equal(store_user_insert(f->st, &dup), 0);
	dup.role = ROLE_NONE;
	assert_true(store_user_insert(f->st, &dup) < 0);
	assert_int_equal(store_user_get_by_name(f->st, "Admin", &got), 1);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "admin");
	assert_string_equal(got.password_hash, u.password_hash);
	assert_int_equal(got.role, ROLE_COORDINATOR);
	assert_int_equal(got.active, 1);
	user_free(&got);
	assert_int_equal(store_user_get_by_name(f->st, "nobody", &got), 0);

	/* a session: valid until it expires */
	secret_token(token, SECRET_SESSION_BYTES);
	secret_token_hash(token, hash);
	assert_int_equal(store_session_insert(f->st, u.id, hash, now,
	                     now + 3600, "127.0.0.1"),
	    1);
	assert_int_equal(store_session_user(f->st, hash, now, &got, &exp), 1);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "admin");
	assert_int_equal(got.role, ROLE_COORDINATOR);
	assert_int_equal(exp, now + 3600);
	user_free(&got);
	assert_int_equal(store_session_user(f->st, hash, now + 3599, &got,
	                     NULL),
	    1);
	user_free(&got);
	assert_int_equal(store_session_user(f->st, hash, now + 3600, &got,
	                     NULL),
	    0);
	assert_int_equal(store_session_user(f->st, hash, now + 86400, &got,
	                     NULL),
	    0);
	/* an unknown hash */
	secret_token_hash("not the token", hash2);
	assert_int_equal(store_session_user(f->st, hash2, now, &got, NULL), 0);
	/* the same hash twice is a conflict */
	assert_int_equal(store_session_insert(f->st, u.id, hash, now, now + 60,
	                     NULL),
	    0);
	/* delete */
	assert_int_equal(store_session_delete(f->st, hash), 1);
	assert_int_equal(store_session_user(f->st, hash, now, &got, NULL), 0);
	/* purge removes expired sessions only */
	secret_token_hash("old", old);
	assert_int_equal(store_session_insert(f->st, u.id, old, now - 100,
	                     now - 10, NULL),
	    1);
	assert_int_equal(store_session_insert(f->st, u.id, hash2, now,
	                     now + 100, NULL),
	    1);
	assert_int_equal(store_session_purge(f->st, now), 1);
	assert_int_equal(store_session_user(f->st, old, now - 50, &got, NULL),
	    0);
	assert_int_equal(store_session_user(f->st, hash2, now, &got, NULL), 1);
	user_free(&got);
	assert_int_equal(log_errors, 0);
}

/* A deactivated user's sessions stop working. */
static void
test_inactive_user_session(void **state)
{
	struct fix *f = *state;
	struct user u, got;
	char hash[SECRET_HASH_HEX];

	memset(&u, 0, sizeof(u));
	u.username = (char *)"counsellor1";
	u.password_hash = (char *)"x";
	u.role = ROLE_COUNSELLOR;
	u.active = 0;
	assert_int_equal(store_user_insert(f->st, &u), 1);
	secret_token_hash("tok", hash);
	assert_int_equal(store_session_insert(f->st, u.id, hash, 100, 200,
	                     "::1"),
	    1);
	assert_int_equal(store_session_user(f->st, hash, 150, &got, NULL), 0);
	assert_int_equal(store_user_get_by_name(f->st, "counsellor1", &got), 1);
	assert_int_equal(got.role, ROLE_COUNSELLOR);
	assert_int_equal(got.active, 0);
	user_free(&got);
}

/* --- audit ---------------------------------------------------------------- */

static void
test_audit(void **state)
{
	struct fix *f = *state;
	struct user u;
	struct audit_entry *items = NULL;
	struct store_page pg = {50, 0};
	size_t n = 0;
	int64_t total = 0;

	memset(&u, 0, sizeof(u));
	u.username = (char *)"coord";
	u.password_hash = (char *)"x";
	u.role = ROLE_COORDINATOR;
	u.active = 1;
	assert_int_equal(store_user_insert(f->st, &u), 1);
	assert_int_equal(store_audit(f->st, u.id, "create", "station", 5,
	                     "{\"code\":\"HALL\"}"),
	    1);
	assert_int_equal(store_audit(f->st, u.id, "update", "station", 5, NULL),
	    1);
	assert_int_equal(store_audit(f->st, 0, "create", "station", 6, NULL),
	    1);
	assert_int_equal(store_audit(f->st, u.id, "login", "session", 0, NULL),
	    1);

	assert_int_equal(store_audit_list(f->st, "station", 5, &pg, &items, &n,
	                     &total),
	    1);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	/* newest first */
	assert_string_equal(items[0].action, "update");
	assert_null(items[0].detail);
	assert_string_equal(items[1].action, "create");
	assert_string_equal(items[1].detail, "{\"code\":\"HALL\"}");
	assert_string_equal(items[1].username, "coord");
	assert_int_equal(items[1].user_id, u.id);
	assert_string_equal(items[1].entity, "station");
	assert_int_equal(items[1].entity_id, 5);
	assert_true(items[1].at > 1700000000);
	assert_true(items[0].id > items[1].id);
	audit_list_free(items, n);

	assert_int_equal(store_audit_list(f->st, "station", 0, &pg, &items, &n,
	                     &total),
	    1);
	assert_int_equal(total, 3);
	assert_int_equal(items[0].entity_id, 6);
	assert_int_equal(items[0].user_id, 0);
	assert_string_equal(items[0].username, "");
	audit_list_free(items, n);

	assert_int_equal(store_audit_list(f->st, NULL, 0, &pg, &items, &n,
	                     &total),
	    1);
	assert_int_equal(total, 4);
	assert_int_equal(n, 4);
	assert_string_equal(items[0].action, "login");
	assert_int_equal(items[0].entity_id, 0);
	audit_list_free(items, n);

	pg.limit = 1;
	pg.offset = 1;
	assert_int_equal(store_audit_list(f->st, NULL, 0, &pg, &items, &n,
	                     &total),
	    1);
	assert_int_equal(n, 1);
	assert_int_equal(total, 4);
	assert_int_equal(items[0].entity_id, 6);
	audit_list_free(items, n);
	assert_int_equal(log_errors, 0);
}

/* --- frameworks and their sources ------------------------------------------ */

/* Runs SQL on the test's connection (fixtures the APIs of other branches
 * would write). */
static void
sql(struct fix *f, const char *q)
{
	char *err = NULL;
	PGresult *r;

	if (f->st->kind == DB_PG) {
		r = PQexec(f->st->pg, q);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", q, PQresultErrorMessage(r));
		PQclear(r);
		return;
	}
	if (sqlite3_exec(f->st->db, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err ? err : "?");
}

/* A count on the test's connection, either store. */
static int64_t
sql_count(struct fix *f, const char *q)
{
	PGresult *r;
	int64_t v = -1;

	if (f->st->kind == DB_SQLITE) {
		struct dbstmt s;

		memset(&s, 0, sizeof(s));
		s.st = f->st;
		assert_int_equal(sqlite3_prepare_v2(f->st->db, q, -1, &s.lite,
		                     NULL),
		    SQLITE_OK);
		if (db_step(&s) == DB_ROW)
			v = db_column_int64(&s, 0);
		sqlite3_finalize(s.lite);
		return v;
	}
	r = PQexec(f->st->pg, q);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static int64_t
sql_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* A database at schema 7 with values entered for the 8 rows of 004
 * migrates to frameworks keeping ids, codes and every value. */
static void
test_migrate_frameworks_keep_values(void **state)
{
	struct fix *f = *state;
	struct store_config cfg = f->db.cfg;
	char path[160], *q;
	sqlite3 *db;
	size_t i;

	if (pg_uri != NULL)
		skip(); /* SQLite's own migrations 001–007 */
	snprintf(path, sizeof(path), "%s/old.db", f->db.dir);
	cfg.path = path;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL,
	                     NULL),
	    SQLITE_OK);
	for (i = 0; i < embed_schema_n; i++) {
		if (strncmp(embed_schema[i].name +
		            strcspn(embed_schema[i].name, "0123456789"),
		        "008", 3) >= 0)
			continue;
		q = strndup((const char *)embed_schema[i].data,
		    embed_schema[i].size);
		assert_non_null(q);
		assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL),
		    SQLITE_OK);
		free(q);
	}
	assert_int_equal(
	    sqlite3_exec(db,
	        "PRAGMA user_version=7;"
	        "INSERT INTO indicator_periods (indicator_id, period_from,"
	        " period_to, value, note, entered_at) SELECT id, '2024-01-01',"
	        " '2024-12-31', 40, '重点案件 10 件', 1 FROM indicators"
	        " WHERE code = 'key_case_resolution';"
	        "INSERT INTO indicator_periods (indicator_id, period_from,"
	        " period_to, weight, rule, entered_at) SELECT id, '2024-01-01',"
	        " '2024-12-31', 8, 'satisfaction_tiers', 1 FROM indicators"
	        " WHERE code = 'satisfaction'",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_migrate(&cfg), store_schema_version());
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM frameworks"), 1);
	assert_int_equal(sql_int(db,
	                     "SELECT count(*) FROM indicators WHERE"
	                     " framework_id = 1"),
	    8);
	assert_int_equal(sql_int(db,
	                     "SELECT id FROM indicators WHERE code ="
	                     " 'training_sessions'"),
	    1);
	assert_int_equal(
	    sql_int(db,
	        "SELECT p.value FROM indicator_periods p"
	        " JOIN indicators i ON i.id = p.indicator_id WHERE i.code ="
	        " 'key_case_resolution' AND p.period_from = '2024-01-01'"),
	    40);
	assert_int_equal(
	    sql_int(db,
	        "SELECT count(*) FROM indicator_periods p"
	        " JOIN indicators i ON i.id = p.indicator_id WHERE i.code ="
	        " 'satisfaction' AND p.weight = 8 AND p.rule ="
	        " 'satisfaction_tiers' AND p.value IS NULL AND p.marks IS NULL"),
	    1);
	assert_int_equal(sql_int(db,
	                     "SELECT count(*) FROM"
	                     " pragma_foreign_key_check"),
	    0);
	sqlite3_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/old.db-wal", f->db.dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/old.db-shm", f->db.dir);
	unlink(path);
	assert_int_equal(log_errors, 0);
}

static struct indicator
mkrow(int64_t fw, const char *code, const char *l3, double weight)
{
	struct indicator i;

	memset(&i, 0, sizeof(i));
	i.framework_id = fw;
	i.code = (char *)code;
	i.level1 = (char *)"产出";
	i.level2 = (char *)"产出数量";
	i.level3 = (char *)l3;
	memcpy(i.target_op, ">=", 3);
	i.has_target = 1;
	i.target_value = 2;
	i.target_unit = (char *)"count";
	i.target_text = (char *)">=2";
	i.weight = weight;
	i.rule = (char *)"ratio";
	i.source = (char *)"trainings.held";
	i.checklist = (char *)"";
	i.position = 1;
	return i;
}

static void
test_frameworks(void **state)
{
	struct fix *f = *state;
	struct framework a, b, got, *list = NULL;
	struct indicator r1, r2, *items = NULL, one;
	struct indicator_period p;
	size_t n = 0;
	int64_t id = 0;
	int pos = 0;

	/* the migrated default */
	assert_int_equal(store_framework_get(f->st, 1, &got), 1);
	assert_string_equal(got.date_from, "2023-01-01");
	assert_int_equal(got.rows, 8);
	assert_true(got.weight_sum > 59.99 && got.weight_sum < 60.01);
	framework_free(&got);

	memset(&a, 0, sizeof(a));
	a.name = (char *)"2024 年度";
	snprintf(a.date_from, sizeof(a.date_from), "2024-01-01");
	snprintf(a.date_to, sizeof(a.date_to), "2024-12-31");
	a.created_at = a.updated_at = 1700000000;
	assert_int_equal(store_framework_insert(f->st, &a), 1);
	b = a;
	b.name = (char *)"2025 年度";
	snprintf(b.date_from, sizeof(b.date_from), "2025-01-01");
	snprintf(b.date_to, sizeof(b.date_to), "2025-12-31");
	assert_int_equal(store_framework_insert(f->st, &b), 1);

	/* the one whose period holds the date, else the latest */
	assert_int_equal(store_framework_for_date(f->st, "2024-06-30", &id), 1);
	assert_int_equal(id, a.id);
	assert_int_equal(store_framework_for_date(f->st, "2023-12-31", &id), 1);
	assert_int_equal(id, 1);
	assert_int_equal(store_framework_for_date(f->st, "2030-01-01", &id), 1);
	assert_int_equal(id, b.id);
	assert_int_equal(store_framework_for_date(f->st, "2020-01-01", &id), 1);
	assert_int_equal(id, b.id);

	/* rows: codes unique within a framework only */
	r1 = mkrow(a.id, "sessions", "培训开展期数", 5);
	assert_int_equal(store_indicator_insert(f->st, &r1), 1);
	r2 = mkrow(a.id, "sessions", "另一行", 5);
	assert_int_equal(store_indicator_insert(f->st, &r2), 0);
	r2.code = (char *)"cases";
	r2.position = 2;
	r2.has_target = 0;
	r2.target_text = (char *)"";
	r2.rule = (char *)"checklist";
	r2.source = (char *)"manual";
	r2.checklist = (char *)"a=1|b=-1";
	assert_int_equal(store_indicator_insert(f->st, &r2), 1);
	assert_int_equal(store_indicator_code_taken(f->st, a.id, "sessions"),
	    1);
	assert_int_equal(store_indicator_code_taken(f->st, b.id, "sessions"),
	    0);
	assert_int_equal(store_indicator_next_position(f->st, a.id, &pos), 1);
	assert_int_equal(pos, 3);

	/* entries of a period; set, keep and clear */
	memset(&p, 0, sizeof(p));
	p.set_marks = 1;
	p.marks = "1,0";
	p.note = "资料不全";
	assert_int_equal(store_indicator_period_set(f->st, r2.id, "2024-01-01",
	                     "2024-12-31", &p, 0, 1700000000),
	    1);
	memset(&p, 0, sizeof(p));
	p.set_rating = 1;
	p.rating = 70;
	assert_int_equal(store_indicator_period_set(f->st, r2.id, "2024-01-01",
	                     "2024-12-31", &p, 0, 1700000001),
	    1);
	assert_int_equal(store_indicator_get(f->st, a.id, "cases", &one), 1);
	assert_false(one.has_target);
	assert_string_equal(one.checklist, "a=1|b=-1");
	assert_null(one.marks); /* no period asked */
	indicator_free(&one);
	assert_int_equal(store_indicator_list(f->st, a.id, "2024-01-01",
	                     "2024-12-31", &items, &n),
	    1);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].code, "sessions");
	assert_false(items[0].has_period);
	assert_string_equal(items[1].marks, "1,0");
	assert_string_equal(items[1].note, "资料不全");
	assert_true(items[1].has_rating);
	assert_true(items[1].rating > 69.9 && items[1].rating < 70.1);
	assert_false(items[1].has_value);
	indicator_list_free(items, n);
	memset(&p, 0, sizeof(p));
	p.set_marks = 2;
	p.set_rating = 2;
	assert_int_equal(store_indicator_period_set(f->st, r2.id, "2024-01-01",
	                     "2024-12-31", &p, 0, 1700000002),
	    1);
	assert_int_equal(store_indicator_list(f->st, a.id, "2024-01-01",
	                     "2024-12-31", &items, &n),
	    1);
	assert_null(items[1].marks);
	assert_false(items[1].has_rating);
	assert_string_equal(items[1].note, "资料不全"); /* kept */
	indicator_list_free(items, n);

	/* copying last year's keeps codes, not entries */
	assert_int_equal(store_framework_copy_rows(f->st, a.id, b.id), 1);
	assert_int_equal(store_indicator_list(f->st, b.id, "2024-01-01",
	                     "2024-12-31", &items, &n),
	    1);
	assert_int_equal(n, 2);
	assert_string_equal(items[1].code, "cases");
	assert_null(items[1].marks);
	assert_true(items[1].id != r2.id);
	indicator_list_free(items, n);

	/* retiring a row touches no other framework */
	assert_int_equal(store_indicator_delete(f->st, r2.id), 1);
	assert_int_equal(store_indicator_delete(f->st, r2.id), 0);
	assert_int_equal(
	    sql_count(f,
	        "SELECT count(*) FROM"
	        " indicator_periods WHERE period_from = '2024-01-01'"),
	    0);
	assert_int_equal(store_indicator_code_taken(f->st, b.id, "cases"), 1);

	/* deleting a framework takes its rows and their periods along */
	memset(&p, 0, sizeof(p));
	p.set_value = 1;
	p.value = 3;
	assert_int_equal(store_indicator_period_set(f->st, r1.id, "2024-01-01",
	                     "2024-12-31", &p, 0, 1),
	    1);
	assert_int_equal(store_framework_delete(f->st, a.id), 1);
	assert_int_equal(store_framework_delete(f->st, a.id), 0);
	assert_int_equal(sql_count(f,
	                     "SELECT count(*) FROM indicators"
	                     " WHERE framework_id = 2"),
	    0);
	assert_int_equal(sql_count(f,
	                     "SELECT count(*) FROM"
	                     " indicator_periods"),
	    0);
	assert_int_equal(store_framework_list(f->st, &list, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, b.id); /* the latest period first */
	assert_int_equal(list[0].rows, 2);
	framework_list_free(list, n);
	assert_int_equal(log_errors, 0);
}

/* 2025-03-01 00:00 Asia/Shanghai and the first instant after 2025-03-31. */
#define T0 1740758400
#define T1 (T0 + 31 * 86400)

static void
test_sources(void **state)
{
	struct fix *f = *state;
	struct src_period p = {T0, T1, "2025-03-01", "2025-03-31"};
	int64_t a = -1, b = -1, c = -1;
	char q[1024];

	add_station(f->st, "HALL", "大厅");
	add_station(f->st, "YL", "园岭");

	/* events: held in the period (one at its first instant), one held
	 * at the first instant after it, one planned, one cancelled */
	snprintf(q, sizeof(q),
	    "INSERT INTO events (kind, title, station_id,"
	    " start_at, end_at, planned_start_at, audience, status,"
	    " created_at, updated_at) VALUES"
	    " ('lecture', 'a', 1, %d, %d, %d, 'residents', 'held', 0, 0),"
	    " ('lecture', 'b', 2, %d, %d, %d, 'staff', 'held', 0, 0),"
	    " ('salon', 'c', 2, %d, %d, %d, 'residents', 'held', 0, 0),"
	    " ('training', 'd', 1, %d, %d, %d, 'staff', 'held', 0, 0),"
	    " ('lecture', 'e', 1, %d, %d, %d, 'residents', 'held', 0, 0),"
	    " ('lecture', 'f', 1, %d, %d, %d, 'residents', 'planned', 0, 0),"
	    " ('salon', 'g', 1, %d, %d, %d, 'residents', 'cancelled', 0, 0)",
	    T0, T0 + 7200, T0, T0 + 86400, T0 + 90000, T0 + 86400,
	    T0 + 2 * 86400, T0 + 2 * 86400 + 7200, T0 + 2 * 86400,
	    T0 + 3 * 86400, T0 + 3 * 86400 + 7200, T0 + 3 * 86400, T1,
	    T1 + 7200, T1, T0 + 5 * 86400, T0 + 5 * 86400 + 7200,
	    T0 + 5 * 86400, T0 + 6 * 86400, T0 + 6 * 86400 + 7200,
	    T0 + 6 * 86400);
	sql(f, q);
	assert_int_equal(store_src_events_held(f->st, &p, NULL, NULL, NULL, &a),
	    1);
	assert_int_equal(a, 4);
	assert_int_equal(store_src_events_held(f->st, &p, "lecture", NULL, NULL,
	                     &a),
	    1);
	assert_int_equal(a, 2);
	assert_int_equal(store_src_events_held(f->st, &p, "lecture",
	                     "residents", NULL, &a),
	    1);
	assert_int_equal(a, 1);
	assert_int_equal(store_src_events_held(f->st, &p, NULL, NULL, "yl", &a),
	    1); /* station codes compare without case */
	assert_int_equal(a, 2);
	assert_int_equal(store_src_events_held(f->st, &p, "training", "staff",
	                     "HALL", &a),
	    1);
	assert_int_equal(a, 1);
	assert_int_equal(store_src_events_held(f->st, &p, "group", NULL, NULL,
	                     &a),
	    1);
	assert_int_equal(a, 0);

	/* plans: within the period (district-wide targets only), and one
	 * reaching past it, which does not count */
	sql(f,
	    "INSERT INTO plans (id, name, date_from, date_to, created_at)"
	    " VALUES (1, 'March', '2025-03-01', '2025-03-31', 0),"
	    " (2, 'Q1', '2025-01-01', '2025-03-31', 0);"
	    "INSERT INTO plan_targets (plan_id, kind, station_id, target) VALUES"
	    " (1, 'lecture', NULL, 4), (1, 'salon', NULL, 2),"
	    " (1, 'lecture', 1, 9), (2, 'training', NULL, 5)");
	assert_int_equal(store_src_plans(f->st, &p, NULL, &a, &b), 1);
	assert_int_equal(b, 6);
	assert_int_equal(a, 3); /* 2 lectures and a salon; not the training */
	assert_int_equal(store_src_plans(f->st, &p, "salon", &a, &b), 1);
	assert_int_equal(b, 2);
	assert_int_equal(a, 1);
	assert_int_equal(store_src_plans(f->st, &p, "training", &a, &b), 1);
	assert_int_equal(b, 0);
	assert_int_equal(a, 0);

	/* satisfaction: online event answers (of events starting in the
	 * period), counselling forms (submitted in it), paper tallies (dated
	 * in it); a non-satisfaction question never counts */
	snprintf(q, sizeof(q),
	    "INSERT INTO survey_responses (id, event_id,"
	    " station_id, source, submitted_at) VALUES"
	    " (1, 1, NULL, 'event', %d), (2, 1, NULL, 'event', %d),"
	    " (3, 5, NULL, 'event', %d),"
	    " (4, NULL, 1, 'counselling', %d), (5, NULL, 1, 'counselling', %d),"
	    " (6, NULL, 2, 'counselling', %d);"
	    "INSERT INTO survey_answers (response_id, question_id, value_int,"
	    " value_text) SELECT r, q.id, v, NULL FROM (SELECT 1 r, 5 v UNION"
	    " ALL SELECT 2, 3 UNION ALL SELECT 3, 5 UNION ALL SELECT 4, 4"
	    " UNION ALL SELECT 5, 2 UNION ALL SELECT 6, 5) AS x JOIN"
	    " survey_questions q ON q.qkey = 'overall' AND q.template_id ="
	    " CASE WHEN r <= 3 THEN 1 ELSE (SELECT id FROM survey_templates"
	    " WHERE name = '心理咨询满意度') END;"
	    "INSERT INTO survey_answers (response_id, question_id, value_text)"
	    " SELECT 1, id, 'good' FROM survey_questions WHERE template_id = 1"
	    " AND qkey = 'comment'",
	    T0 + 86400, T0 + 86400, T1 + 100, T0 + 100, T1 - 1, T1);
	sql(f, q);
	sql(f,
	    "INSERT INTO survey_tallies (event_id, station_id, source, date,"
	    " question_id, n1, n2, n3, n4, n5, created_at) VALUES"
	    " (1, NULL, 'event', '2025-03-31', 1, 1, 0, 1, 3, 5, 0),"
	    " (NULL, 2, 'counselling', '2025-03-01', (SELECT q.id FROM"
	    " survey_questions q JOIN survey_templates t ON t.id = q.template_id"
	    " WHERE t.name = '心理咨询满意度' AND q.qkey = 'overall'),"
	    " 0, 0, 2, 3, 5, 0),"
	    " (NULL, 2, 'counselling', '2025-04-01', (SELECT q.id FROM"
	    " survey_questions q JOIN survey_templates t ON t.id = q.template_id"
	    " WHERE t.name = '心理咨询满意度' AND q.qkey = 'overall'),"
	    " 50, 0, 0, 0, 0, 0)");
	/* events: online 5, 3 (event 5 is outside) + paper 8 of 10 */
	assert_int_equal(store_src_satisfaction(f->st, &p, IND_SURVEY_EVENTS,
	                     &a, &b),
	    1);
	assert_int_equal(a, 1 + 8);
	assert_int_equal(b, 2 + 10);
	/* counselling: online 4, 2 (the one at T1 is outside) + paper 8/10 */
	assert_int_equal(store_src_satisfaction(f->st, &p,
	                     IND_SURVEY_COUNSELLING, &a, &b),
	    1);
	assert_int_equal(a, 1 + 8);
	assert_int_equal(b, 2 + 10);
	assert_int_equal(store_src_satisfaction(f->st, &p, IND_SURVEY_BOTH, &a,
	                     &b),
	    1);
	assert_int_equal(a, 18);
	assert_int_equal(b, 24);

	/* duty logs: shifts starting in the period; values summed */
	sql(f,
	    "INSERT INTO counsellors (id, name, email, feed_token,"
	    " created_at, updated_at) VALUES (1, '甲', 'a@example.org', 't1',"
	    " 0, 0), (2, '乙', 'b@example.org', 't2', 0, 0)");
	snprintf(q, sizeof(q),
	    "INSERT INTO shifts (id, station_id,"
	    " counsellor_id, start_at, end_at, created_at, updated_at) VALUES"
	    " (1, 1, 1, %d, %d, 0, 0), (2, 1, 2, %d, %d, 0, 0),"
	    " (3, 2, 1, %d, %d, 0, 0), (4, 2, 2, %d, %d, 0, 0),"
	    " (5, 1, 1, %d, %d, 0, 0);"
	    "INSERT INTO duty_logs (shift_id, counsellor_id, attended,"
	    " created_at, updated_at) VALUES (1, 1, 1, 0, 0), (2, 2, 1, 0, 0),"
	    " (3, 1, 0, 0, 0), (4, 2, 1, 0, 0);"
	    "INSERT INTO duty_log_values (shift_id, metric_code, value) VALUES"
	    " (1, 'visitors', 12), (1, 'counselling_minutes', 95),"
	    " (2, 'visitors', 7), (2, 'counselling_minutes', 30),"
	    " (4, 'visitors', 100), (4, 'counselling_minutes', 600)",
	    T0, T0 + 3600, T1 - 3600, T1, T0 + 86400, T0 + 90000, T1, T1 + 3600,
	    T0 - 3600, T0);
	sql(f, q);
	assert_int_equal(store_src_duty_sum(f->st, &p, "visitors", &a), 1);
	assert_int_equal(a, 19); /* shift 4 starts at T1: outside */
	assert_int_equal(store_src_duty_sum(f->st, &p, "counselling_minutes",
	                     &a),
	    1);
	assert_int_equal(a, 125);
	assert_int_equal(store_src_duty_sum(f->st, &p, "crisis", &a), 1);
	assert_int_equal(a, 0);
	assert_int_equal(store_src_duty_attendance(f->st, &p, &a, &b), 1);
	assert_int_equal(a, 2); /* shifts 1 and 2 attended, 3 absent */
	assert_int_equal(b, 3);

	/* key cases: assisted = a session dated in the period; resolved by
	 * its end; minutes of the period's sessions */
	sql(f,
	    "INSERT INTO cases (id, label, station_id, opened_on, status,"
	    " closed_on, created_at, updated_at) VALUES"
	    " (1, '2025-001', 1, '2025-01-10', 'resolved', '2025-03-20', 0, 0),"
	    " (2, '2025-002', 1, '2025-02-01', 'resolved', '2025-04-02', 0, 0),"
	    " (3, '2025-003', 2, '2025-03-05', 'open', NULL, 0, 0),"
	    " (4, '2025-004', 2, '2025-01-05', 'resolved', '2025-02-01', 0, 0),"
	    " (5, '2025-005', 2, '2025-03-05', 'unresolved', '2025-03-30', 0,"
	    " 0);"
	    "INSERT INTO case_sessions (case_id, date, minutes, kind,"
	    " created_at) VALUES (1, '2025-03-01', 60, 'one_to_one', 0),"
	    " (1, '2025-03-15', 30, 'phone', 0),"
	    " (2, '2025-03-31', 45, 'home_visit', 0),"
	    " (3, '2025-03-10', 90, 'one_to_one', 0),"
	    " (4, '2025-01-20', 120, 'one_to_one', 0),"
	    " (5, '2025-04-01', 20, 'phone', 0)");
	assert_int_equal(store_src_cases(f->st, &p, &a, &b, &c), 1);
	assert_int_equal(a, 3); /* cases 1, 2, 3 */
	assert_int_equal(b, 1); /* case 1; case 2 only after the period */
	assert_int_equal(c, 60 + 30 + 45 + 90);

	/* metrics */
	assert_int_equal(store_duty_metric_exists(f->st, "visitors"), 1);
	assert_int_equal(store_duty_metric_exists(f->st, "nothing"), 0);
	{
		struct src_metric *m = NULL;
		size_t n = 0;

		assert_int_equal(store_src_metrics(f->st, &m, &n), 1);
		assert_int_equal(n, 13);
		assert_string_equal(m[0].code, "batches");
		assert_string_equal(m[4].unit, "分钟");
		src_metric_list_free(m, n);
	}
	assert_int_equal(log_errors, 0);
}

/* --- the statement table ----------------------------------------------- */

/* Every statement of stmts[] (db.c) prepares against the migrated schema:
 * a column or table a statement names that no migration made fails here,
 * not on the first request that uses it. The temp tables of imports are
 * made by statements of the table too (CREATE TEMP TABLE): those run
 * first, then the rest prepare. */
static void
test_statements_prepare(void **state)
{
	struct fix *f = *state;
	struct dbstmt *s;
	int i, pass, bad = 0;

	for (pass = 0; pass < 2; pass++) {
		bad = 0;
		log_quiet = pass == 0;
		for (i = 0; i < STMT__MAX; i++) {
			/* PostgreSQL runs transaction control as commands. */
			if (f->st->kind == DB_PG &&
			    (i == STMT_BEGIN || i == STMT_BEGIN_DEFERRED ||
			        i == STMT_COMMIT || i == STMT_ROLLBACK))
				continue;
			if ((s = store_stmt(f->st, (enum stmt)i)) == NULL ||
			    (!db_prepare(s) &&
			        store_fail(f->st, db_stmt_sql(s)) < 0)) {
				if (pass == 1)
					fprintf(stderr,
					    "  statement %d of enum "
					    "stmt does not prepare (its SQL and "
					    "the database's error above)\n",
					    i);
				bad++;
			} else if (pass == 0 &&
			    strncmp(db_stmt_sql(s), "CREATE TEMP ", 12) == 0) {
				assert_int_equal(db_step(s), DB_DONE);
			}
		}
		if (pass == 0)
			log_errors = 0;
	}
	log_quiet = 0;
	if (bad)
		fail_msg("%d of %d statements do not prepare against the "
		         "migrated schema",
		    bad, STMT__MAX);
	assert_int_equal(log_errors, 0);
}

/* --- several instances on one database (issue 16, multi; 016) ---------- */

static void
test_shared_state(void **state)
{
	struct fix *f = *state;
	int pg = f->st->kind == DB_PG;
	int64_t r0, r1, off = 0;

	assert_int_equal(store_shared(), pg);
	/* A committed write transaction moves the revision; PostgreSQL's
	 * is the database's (read, not the process counter). */
	r0 = store_revision_of(f->st);
	assert_true(r0 > 0);
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_commit(f->st), 1);
	r1 = store_revision_of(f->st);
	assert_true(r1 > r0);
	/* Inside a write transaction, the committed value (what an
	 * import compares before and after it takes the lock). */
	assert_int_equal(store_begin(f->st), 1);
	assert_int_equal(store_revision_of(f->st), r1);
	/* A rolled-back one does not move it. */
	store_rollback(f->st);
	assert_int_equal(store_revision_of(f->st), r1);
	/* The fake clock's offset, shared. */
	assert_int_equal(store_clock_offset(f->st, &off), 1);
	assert_int_equal(off, 0);
	assert_int_equal(store_clock_offset_set(f->st, -86400 * 3), 1);
	assert_int_equal(store_clock_offset(f->st, &off), 1);
	assert_int_equal(off, -86400 * 3);
	assert_int_equal(log_errors, 0);
}

static void
test_shared_limits(void **state)
{
	struct fix *f = *state;
	struct store *st = f->st;
	int i;

	/* A fixed window: 3 failures in 60 s from 1000. */
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.1", 3, 60, 1000),
	    0);
	for (i = 0; i < 3; i++)
		assert_int_equal(store_rate_count_add(st, 0, "10.0.0.1", 60,
		                     1000 + i),
		    1);
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.1", 3, 60, 1010),
	    50);
	/* Another kind, another key: not limited. */
	assert_int_equal(store_rate_count_wait(st, 3, "10.0.0.1", 3, 60, 1010),
	    0);
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.2", 3, 60, 1010),
	    0);
	/* The window ends; a new event starts a new one. */
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.1", 3, 60, 1060),
	    0);
	assert_int_equal(store_rate_count_add(st, 0, "10.0.0.1", 60, 1061), 1);
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.1", 1, 60, 1062),
	    59);
	assert_int_equal(store_rate_count_reset(st, 0, "10.0.0.1"), 1);
	assert_int_equal(store_rate_count_wait(st, 0, "10.0.0.1", 1, 60, 1062),
	    0);
	/* A bucket of 2 filling at one a minute. */
	assert_int_equal(store_rate_take(st, 0, "a", 2, 1 / 60.0, 100.0), 0);
	assert_int_equal(store_rate_take(st, 0, "a", 2, 1 / 60.0, 100.5), 0);
	i = store_rate_take(st, 0, "a", 2, 1 / 60.0, 101.0);
	assert_true(i >= 55 && i <= 61);
	assert_int_equal(store_rate_take(st, 0, "a", 2, 1 / 60.0, 200.0), 0);
	assert_true(store_rate_take(st, 0, "a", 2, 1 / 60.0, 200.0) > 0);
	/* PostgreSQL: a count in a transaction that rolls back still
	 * counts (done again after the rollback). */
	if (st->kind == DB_PG) {
		assert_int_equal(store_begin(st), 1);
		assert_int_equal(store_rate_count_add(st, 3, "ann", 600, 5000),
		    1);
		store_rollback(st);
		assert_int_equal(store_rate_count_wait(st, 3, "ann", 1, 600,
		                     5000),
		    600);
		assert_int_equal(store_begin(st), 1);
		assert_int_equal(store_rate_count_add(st, 3, "ann", 600, 5000),
		    1);
		assert_int_equal(store_commit(st), 1);
		assert_int_equal(store_rate_count_wait(st, 3, "ann", 2, 600,
		                     5000),
		    600);
	}
	assert_int_equal(log_errors, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
	    cmocka_unit_test(test_migrate_bad_path),
	    cmocka_unit_test_setup_teardown(test_station_crud, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_station_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_counsellors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_users_sessions, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_inactive_user_session, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_frameworks_keep_values,
	        setup, teardown),
	    cmocka_unit_test_setup_teardown(test_frameworks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shared_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shared_limits, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_statements_prepare, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_commit_hook, setup,
	        teardown),
	};

	if (!secret_init())
		return 1;
	pg_uri = unit_pg_uri();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
