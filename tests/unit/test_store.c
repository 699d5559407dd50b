/*
 * Unit tests of svc/store on a real SQLite file: each test gets a fresh
 * database in its own mkdtemp directory, migrated by store_migrate.
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

#include "store/store.h"

struct fix {
	char dir[64];
	char path[128];
	struct store_config cfg;
	struct store *st;
};

static int log_errors;

static void test_log(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
test_log(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l == LOG_ERROR)
		log_errors++;
	if (l > LOG_WARN)
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

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hearth-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/hearth.db", f->dir);
	f->cfg.path = f->path;
	f->cfg.synchronous_full = 0;
	f->cfg.log = test_log;
	log_errors = 0;
	if (store_migrate(&f->cfg) != store_schema_version() ||
	    !store_setup(&f->cfg) || (f->st = store_thread()) == NULL) {
		store_shutdown();
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
	char p[160];

	store_shutdown();
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
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
	assert_int_equal(store_migrate(&f->cfg), store_schema_version());
	assert_int_equal(store_migrate(&f->cfg), store_schema_version());
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
	struct station s = mkstation("HALL", "区信访局人民来访接待大厅", "hall");
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
	    sizeof(codes), &total), 6);
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
	    &total), 2);
	assert_string_equal(codes, "A%1,AX1");
	assert_int_equal(total, 6);
	list_codes(f->st, -1, NULL, 2, 4, codes, sizeof(codes), &total);
	assert_string_equal(codes, "C\\3,OLD");
	assert_int_equal(list_codes(f->st, -1, NULL, 10, 6, codes,
	    sizeof(codes), &total), 0);
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
		    &n, &total), 1);
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
		    &cnt, &total), 1);
		assert_int_equal(cnt, 1);
		assert_int_equal(total, 1);
		assert_string_equal(items[0].name, "李明明");
		counsellor_list_free(items, cnt);
		flt.station_id = 0;
		flt.q = "王";
		assert_int_equal(store_counsellor_list(f->st, &flt, &pg, &items,
		    &cnt, &total), 1);
		assert_int_equal(cnt, 1);
		assert_string_equal(items[0].name, "王芳");
		counsellor_list_free(items, cnt);
		flt.q = "%";
		assert_int_equal(store_counsellor_list(f->st, &flt, &pg, &items,
		    &cnt, &total), 1);
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
	    now + 3600, "127.0.0.1"), 1);
	assert_int_equal(store_session_user(f->st, hash, now, &got, &exp), 1);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "admin");
	assert_int_equal(got.role, ROLE_COORDINATOR);
	assert_int_equal(exp, now + 3600);
	user_free(&got);
	assert_int_equal(store_session_user(f->st, hash, now + 3599, &got,
	    NULL), 1);
	user_free(&got);
	assert_int_equal(store_session_user(f->st, hash, now + 3600, &got,
	    NULL), 0);
	assert_int_equal(store_session_user(f->st, hash, now + 86400, &got,
	    NULL), 0);
	/* an unknown hash */
	secret_token_hash("not the token", hash2);
	assert_int_equal(store_session_user(f->st, hash2, now, &got, NULL), 0);
	/* the same hash twice is a conflict */
	assert_int_equal(store_session_insert(f->st, u.id, hash, now,
	    now + 60, NULL), 0);
	/* delete */
	assert_int_equal(store_session_delete(f->st, hash), 1);
	assert_int_equal(store_session_user(f->st, hash, now, &got, NULL), 0);
	/* purge removes expired sessions only */
	secret_token_hash("old", old);
	assert_int_equal(store_session_insert(f->st, u.id, old, now - 100,
	    now - 10, NULL), 1);
	assert_int_equal(store_session_insert(f->st, u.id, hash2, now,
	    now + 100, NULL), 1);
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
	    "::1"), 1);
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
	    "{\"code\":\"HALL\"}"), 1);
	assert_int_equal(store_audit(f->st, u.id, "update", "station", 5,
	    NULL), 1);
	assert_int_equal(store_audit(f->st, 0, "create", "station", 6, NULL),
	    1);
	assert_int_equal(store_audit(f->st, u.id, "login", "session", 0, NULL),
	    1);

	assert_int_equal(store_audit_list(f->st, "station", 5, &pg, &items, &n,
	    &total), 1);
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
	    &total), 1);
	assert_int_equal(total, 3);
	assert_int_equal(items[0].entity_id, 6);
	assert_int_equal(items[0].user_id, 0);
	assert_string_equal(items[0].username, "");
	audit_list_free(items, n);

	assert_int_equal(store_audit_list(f->st, NULL, 0, &pg, &items, &n,
	    &total), 1);
	assert_int_equal(total, 4);
	assert_int_equal(n, 4);
	assert_string_equal(items[0].action, "login");
	assert_int_equal(items[0].entity_id, 0);
	audit_list_free(items, n);

	pg.limit = 1;
	pg.offset = 1;
	assert_int_equal(store_audit_list(f->st, NULL, 0, &pg, &items, &n,
	    &total), 1);
	assert_int_equal(n, 1);
	assert_int_equal(total, 4);
	assert_int_equal(items[0].entity_id, 6);
	audit_list_free(items, n);
	assert_int_equal(log_errors, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
		cmocka_unit_test(test_migrate_bad_path),
		cmocka_unit_test_setup_teardown(test_station_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_station_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_counsellors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_users_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inactive_user_session,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	};

	if (!secret_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
