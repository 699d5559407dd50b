/*
 * Unit tests of svc/config.c: the file syntax, and the precedence
 * defaults < file < HEARTH_* environment < flags.
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

#include "config.h"

extern char **environ;

static char cfgpath[64];

/* Removes every HEARTH_* variable, so the caller's environment does not
 * leak into the tests. */
static void
clear_env(void)
{
	char name[256];
	int again = 1;

	while (again) {
		char **e;

		again = 0;
		for (e = environ; *e != NULL; e++) {
			const char *eq = strchr(*e, '=');
			size_t n = eq ? (size_t)(eq - *e) : strlen(*e);

			if (strncmp(*e, "HEARTH_", 7) == 0 &&
			    n < sizeof(name)) {
				memcpy(name, *e, n);
				name[n] = '\0';
				unsetenv(name);
				again = 1;
				break;
			}
		}
	}
}

static int
setup(void **state)
{
	(void)state;
	clear_env();
	cfgpath[0] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	clear_env();
	if (cfgpath[0] != '\0')
		unlink(cfgpath);
	return 0;
}

static void
write_config(const char *text)
{
	int fd;

	snprintf(cfgpath, sizeof(cfgpath), "/tmp/hearth-test-cfg-XXXXXX");
	fd = mkstemp(cfgpath);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
parse_ok(struct config *c, const char *text)
{
	char err[160] = "";

	memset(c, 0, sizeof(*c));
	if (!config_parse_file(c, text, err, sizeof(err)))
		fail_msg("rejected: %s", err);
}

static void
parse_bad(const char *text, const char *want)
{
	struct config c;
	char err[160] = "";

	memset(&c, 0, sizeof(c));
	if (config_parse_file(&c, text, err, sizeof(err)))
		fail_msg("accepted \"%s\"", text);
	config_free(&c);
	assert_string_equal(err, want);
}

static void
test_file_syntax(void **state)
{
	struct config c;

	(void)state;
	parse_ok(&c,
	    "# Hearth configuration\n"
	    "; also a comment\n"
	    "\n"
	    "   \t\n"
	    "  listen = 0.0.0.0:9000  \n"
	    "db=\"/var/lib/hearth/hearth.db\"\n"
	    "base_url = 'https://hearth.example.cn'\n"
	    "HEARTH_LOG_LEVEL = debug\n"
	    "smtp-host = mail.example.cn\n"
	    "SMTP_PORT=587\n"
	    "mail_from =\n"
	    "admin_password = \"with spaces and # hash\"\n"
	    "web_dir = \"unbalanced'\n"
	    "smtp_user = \"\n"
	    "session_hours = 8\n"
	    "session_hours = 24\n"
	    "threads = 4");
	assert_string_equal(config_get(&c, CFG_LISTEN), "0.0.0.0:9000");
	assert_string_equal(config_get(&c, CFG_DB),
	    "/var/lib/hearth/hearth.db");
	assert_string_equal(config_get(&c, CFG_BASE_URL),
	    "https://hearth.example.cn");
	assert_string_equal(config_get(&c, CFG_LOG_LEVEL), "debug");
	assert_string_equal(config_get(&c, CFG_SMTP_HOST), "mail.example.cn");
	assert_string_equal(config_get(&c, CFG_SMTP_PORT), "587");
	assert_string_equal(config_get(&c, CFG_MAIL_FROM), "");
	assert_string_equal(config_get(&c, CFG_ADMIN_PASSWORD),
	    "with spaces and # hash");
	assert_string_equal(config_get(&c, CFG_WEB_DIR), "\"unbalanced'");
	assert_string_equal(config_get(&c, CFG_SMTP_USER), "\"");
	assert_string_equal(config_get(&c, CFG_SESSION_HOURS), "24");
	assert_string_equal(config_get(&c, CFG_THREADS), "4");
	assert_null(config_get(&c, CFG_SMTP_PASSWORD));
	assert_null(config_get(&c, CFG_SYNCHRONOUS));
	config_free(&c);
	for (int i = 0; i < CFG__MAX; i++)
		assert_null(c.v[i]);

	/* CRLF, '=' inside the value, empty text */
	parse_ok(&c, "listen = a:1\r\nbase_url = https://x/?a=b\r\n");
	assert_string_equal(config_get(&c, CFG_LISTEN), "a:1");
	assert_string_equal(config_get(&c, CFG_BASE_URL), "https://x/?a=b");
	config_free(&c);
	parse_ok(&c, "");
	assert_null(config_get(&c, CFG_LISTEN));
	config_free(&c);
	parse_ok(&c, "\n\n# only comments\n");
	config_free(&c);
}

static void
test_file_errors(void **state)
{
	char text[2200];

	(void)state;
	parse_bad("listen = x\n# ok\nbogus = 1\n",
	    "line 3: unknown key \"bogus\"");
	parse_bad("listen = x\njust some words\n",
	    "line 2: expected key = value");
	parse_bad("= value\n", "line 1: unknown key \"\"");
	parse_bad("log level = debug\n", "line 1: unknown key \"log level\"");
	parse_bad("HEARTH_ = 1\n", "line 1: unknown key \"HEARTH_\"");
	parse_bad("\n\n\n\nconfig = /etc/x\n",
	    "line 5: unknown key \"config\"");
	/* a very long key is cut in the message */
	parse_bad(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa = 1\n",
	    "line 1: unknown key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
	/* values up to 1023 bytes */
	memcpy(text, "db = ", 5);
	memset(text + 5, 'v', 1023);
	text[5 + 1023] = '\0';
	{
		struct config c;

		parse_ok(&c, text);
		assert_int_equal(strlen(config_get(&c, CFG_DB)), 1023);
		config_free(&c);
	}
	text[5 + 1023] = 'v';
	text[5 + 1024] = '\0';
	parse_bad(text, "line 1: value too long");
}

static void
load_ok(struct config *c, int argc, char **argv)
{
	if (!config_load(c, argc, argv))
		fail_msg("config_load failed");
}

static void
test_defaults(void **state)
{
	struct config c;
	char *argv[] = {"serve", NULL};

	(void)state;
	load_ok(&c, 1, argv);
	assert_string_equal(config_get(&c, CFG_LISTEN), "127.0.0.1:8080");
	assert_string_equal(config_get(&c, CFG_DB), "var/hearth.db");
	assert_string_equal(config_get(&c, CFG_LOG_LEVEL), "info");
	assert_string_equal(config_get(&c, CFG_SMTP_PORT), "25");
	assert_string_equal(config_get(&c, CFG_SMTP_STARTTLS), "opportunistic");
	assert_string_equal(config_get(&c, CFG_SESSION_HOURS), "12");
	assert_string_equal(config_get(&c, CFG_SYNCHRONOUS), "full");
	assert_null(config_get(&c, CFG_BASE_URL));
	assert_null(config_get(&c, CFG_THREADS));
	assert_null(c.file);
	assert_int_equal(c.argi, 1);
	config_free(&c);
}

static void
test_precedence(void **state)
{
	struct config c;
	char *argv[8];

	(void)state;
	write_config("listen = file:1\ndb = file.db\nlog_level = warn\n"
	             "smtp_host = file.smtp\n");
	setenv("HEARTH_DB", "env.db", 1);
	setenv("HEARTH_LOG_LEVEL", "error", 1);
	setenv("HEARTH_BASE_URL", "https://env.example", 1);
	argv[0] = "serve";
	argv[1] = "--config";
	argv[2] = cfgpath;
	argv[3] = "--log-level";
	argv[4] = "debug";
	argv[5] = NULL;
	load_ok(&c, 5, argv);
	assert_string_equal(c.file, cfgpath);
	assert_string_equal(config_get(&c, CFG_LISTEN), "file:1"); /* file */
	assert_string_equal(config_get(&c, CFG_SMTP_HOST), "file.smtp");
	assert_string_equal(config_get(&c, CFG_DB), "env.db"); /* env */
	assert_string_equal(config_get(&c, CFG_BASE_URL),
	    "https://env.example");
	assert_string_equal(config_get(&c, CFG_LOG_LEVEL), "debug"); /* flag */
	assert_string_equal(config_get(&c, CFG_SMTP_PORT), "25"); /* default */
	assert_int_equal(c.argi, 5);
	config_free(&c);

	/* the file named by HEARTH_CONFIG, and --config=path */
	setenv("HEARTH_CONFIG", cfgpath, 1);
	unsetenv("HEARTH_DB");
	argv[1] = NULL;
	load_ok(&c, 1, argv);
	assert_string_equal(config_get(&c, CFG_DB), "file.db");
	assert_string_equal(c.file, cfgpath);
	config_free(&c);
	unsetenv("HEARTH_CONFIG");
	{
		char flag[128];

		snprintf(flag, sizeof(flag), "--config=%s", cfgpath);
		argv[1] = flag;
		argv[2] = "--db=flag.db";
		argv[3] = NULL;
		load_ok(&c, 3, argv);
		assert_string_equal(config_get(&c, CFG_LISTEN), "file:1");
		assert_string_equal(config_get(&c, CFG_DB), "flag.db");
		assert_int_equal(c.argi, 3);
		config_free(&c);
	}
}

static void
test_flag_forms(void **state)
{
	struct config c;
	char *argv[] = {"serve", "--listen", "[::1]:0",
	    "--base-url=https://a/b=c", "--smtp_port", "2525", "--db=", "extra",
	    "--threads", "9", NULL};

	(void)state;
	load_ok(&c, 10, argv);
	assert_string_equal(config_get(&c, CFG_LISTEN), "[::1]:0");
	assert_string_equal(config_get(&c, CFG_BASE_URL), "https://a/b=c");
	assert_string_equal(config_get(&c, CFG_SMTP_PORT), "2525");
	assert_string_equal(config_get(&c, CFG_DB), "");
	/* flags stop at the first positional argument */
	assert_int_equal(c.argi, 7);
	assert_null(config_get(&c, CFG_THREADS));
	config_free(&c);
}

static void
test_flag_errors(void **state)
{
	struct config c;
	char *unknown[] = {"serve", "--bogus", "1", NULL};
	char *prefixed[] = {"serve", "--hearth-db", "x", NULL};
	char *novalue[] = {"serve", "--db", NULL};
	char *nofile[] = {"serve", "--config", "/nonexistent/hearth.conf",
	    NULL};

	(void)state;
	assert_false(config_load(&c, 3, unknown));
	config_free(&c);
	assert_false(config_load(&c, 3, prefixed));
	config_free(&c);
	assert_false(config_load(&c, 2, novalue));
	config_free(&c);
	assert_false(config_load(&c, 3, nofile));
	config_free(&c);
	/* a bad config file fails the load */
	write_config("listen = x\nnot a line\n");
	{
		char *argv[] = {"serve", "--config", cfgpath, NULL};

		assert_false(config_load(&c, 3, argv));
		config_free(&c);
	}
	/* an unknown key in the environment is not an error: only known
	 * names are looked up */
	setenv("HEARTH_NO_SUCH_THING", "1", 1);
	{
		char *argv[] = {"serve", NULL};

		load_ok(&c, 1, argv);
		config_free(&c);
	}
}

/* "--config" as the last argument has no value: an error like "--db",
 * and argi must never point past argc. */
static void
test_config_flag_without_value(void **state)
{
	struct config c;
	char *argv[] = {"serve", "--config", NULL};
	int ok, argi;

	(void)state;
	ok = config_load(&c, 2, argv);
	argi = c.argi;
	config_free(&c);
	if (ok && argi > 2)
		fail_msg("accepted, argi %d beyond argc 2", argi);
	assert_false(ok);
}

/* config_check: one bad value of each kind stops serve before anything
 * opens, with a sentence naming the key; a good set is typed. */
static struct config checked; /* s's strings are borrowed from it */

static int
check(const char *const *flags, struct config_serve *s, char *err, size_t sz)
{
	struct config c;
	char *argv[16] = {"serve"};
	int n = 1, ok;

	while (flags[n - 1] != NULL && n < 15) {
		argv[n] = (char *)flags[n - 1];
		n++;
	}
	argv[n] = NULL;
	load_ok(&c, n, argv);
	ok = config_check(&c, s, err, sz);
	config_free(&checked);
	checked = c;
	return ok;
}

static void
test_check(void **state)
{
	static const struct {
		const char *flags[5];
		const char *says;
	} bad[] = {
	    {{"--session-hours", "0"}, "session_hours"},
	    {{"--session-hours", "12h"}, "session_hours"},
	    {{"--smtp-port", "70000"}, "smtp_port"},
	    {{"--smtp-starttls", "maybe"}, "smtp_starttls"},
	    {{"--mail-from", "not an address"}, "mail_from"},
	    {{"--smtp-host", "::1"}, "IPv6"},
	    {{"--smtp-host", "mail.example.org"}, "set mail_from"},
	    {{"--wecom-url", "http://example.org/x"}, "wecom_url"},
	    {{"--notify-timeout-ms", "5"}, "notify_timeout_ms"},
	    {{"--duty-message-time", "25:00"}, "duty_message_time"},
	    {{"--sms-provider", "other"}, "sms_provider"},
	    {{"--sms-provider", "aliyun"}, "sms_key_id"},
	    {{"--sms-daily-limit", "-1"}, "sms_daily_limit"},
	    {{"--trusted-proxies", "10.0.0.0/8"}, "trusted_proxies"},
	    {{"--connection-timeout", "0"}, "connection_timeout"},
	    {{"--public-write-rate", "-5"}, "public_write_rate"},
	    {{"--metrics-token", "short"}, "metrics_token"},
	    {{"--feed-days-ahead", "0"}, "feed_days_ahead"},
	    {{"--outbox-lease", "1"}, "outbox_lease"},
	    {{"--outbox-lease", "3601"}, "outbox_lease"},
	    {{"--login-failures", "0"}, "login_failures"},
	    {{"--login-failures-address", "x"}, "login_failures_address"},
	    {{"--login-window", "59"}, "login_window"},
	    {{"--login-failures", "20", "--login-failures-address", "10"},
	        "must not be below"},
	};
	static const char *const good[] = {"--session-hours", "24",
	    "--smtp-host", "mail.example.org", "--mail-from",
	    "hearth@example.org", "--trusted-proxies", "127.0.0.1, ::1",
	    "--threads", "300", NULL};
	struct config_serve s;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (check(bad[i].flags, &s, err, sizeof(err)))
			fail_msg("%s %s accepted", bad[i].flags[0],
			    bad[i].flags[1]);
		if (strstr(err, bad[i].says) == NULL)
			fail_msg("%s %s: \"%s\" does not say %s",
			    bad[i].flags[0], bad[i].flags[1], err, bad[i].says);
	}
	assert_true(check(good, &s, err, sizeof(err)));
	assert_int_equal(s.session_hours, 24);
	assert_string_equal(s.smtp_host, "mail.example.org");
	assert_int_equal(s.smtp_port, 25);
	assert_string_equal(config_starttls_names[s.smtp_starttls],
	    "opportunistic");
	assert_int_equal(s.threads, 2); /* out of range: the old default */
	assert_int_equal(s.duty_message_minute, 8 * 60);
	assert_int_equal(s.feed_days_back, 90);
	assert_null(s.metrics_token);
	assert_int_equal(s.login_failures, 5);
	assert_int_equal(s.login_failures_address, 50);
	assert_int_equal(s.login_window, 900);
	assert_null(s.warning);
	{
		static const char *const short_lease[] = {"--outbox-lease",
		    "60", NULL};

		assert_true(check(short_lease, &s, err, sizeof(err)));
		assert_non_null(s.warning);
		assert_non_null(strstr(s.warning, "outbox_lease"));
	}
	{
		static const char *const login[] = {"--login-failures", "8",
		    "--login-failures-address", "200", "--login-window", "3600",
		    NULL};

		assert_true(check(login, &s, err, sizeof(err)));
		assert_int_equal(s.login_failures, 8);
		assert_int_equal(s.login_failures_address, 200);
		assert_int_equal(s.login_window, 3600);
	}
	config_free(&checked);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_file_syntax, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flag_forms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flag_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_flag_without_value,
	        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
