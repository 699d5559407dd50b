# Hearth — `make run`, `make test`, `make bench`, `make fuzz`.
# Plain make: explicit object lists, pkg-config, a sanitizer build for tests.

.SUFFIXES:
SHELL = /bin/sh

VERSION = 0.1.0
CC ?= cc
CLANG ?= clang
PKGS = libmicrohttpd libical jansson libsodium sqlite3 zlib libqrencode xlsxwriter \
	libesmtp-1.0 openssl
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Werror
DEFS = -D_GNU_SOURCE -DHEARTH_VERSION='"$(VERSION)"'
PKG_CFLAGS = `pkg-config --cflags $(PKGS)`
PKG_LIBS = `pkg-config --libs $(PKGS)` -lpthread -lm
OPT = -O2 -g
SAN = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined

CORE = svc/core/error.c svc/core/time.c svc/core/tz.c svc/core/valid.c \
	svc/core/secret.c svc/core/csv.c svc/core/activity.c svc/core/roster.c \
	svc/core/pack.c svc/core/indicator.c svc/core/mime.c svc/core/strbuf.c \
	svc/core/password.c svc/core/import.c svc/core/survey.c
STORE = svc/store/db.c svc/store/station.c svc/store/counsellor.c \
	svc/store/user.c svc/store/audit.c svc/store/event.c svc/store/plan.c \
	svc/store/holiday.c svc/store/roster.c svc/store/feed.c \
	svc/store/participant.c svc/store/indicator.c svc/store/outbox.c
STORE += svc/store/framework.c
HTTP = svc/http/route.c svc/http/server.c svc/http/request.c \
	svc/http/reply.c svc/http/static.c svc/http/shared.c svc/http/forward.c \
	svc/http/parse.c
API = svc/api/routes.c svc/api/common.c svc/api/session.c \
	svc/api/station.c svc/api/counsellor.c svc/api/system.c \
	svc/api/event.c svc/api/plan.c svc/api/event_csv.c svc/api/shift.c \
	svc/api/calendar.c svc/api/roster.c svc/api/me.c svc/api/feed.c \
	svc/api/limit.c svc/api/participant.c svc/api/survey.c svc/api/indicator.c \
	svc/api/clock.c svc/api/outbox.c svc/api/account.c \
	svc/api/reminders.c
API += svc/api/report.c svc/api/framework.c
MAIL = svc/mail/smtp.c svc/mail/mailer.c
TOP = svc/config.c svc/log.c svc/demo.c
ICAL = ical/vtimezone.c ical/text.c ical/build.c ical/parse.c
GEN = build/gen/embed_schema.c build/gen/embed_demo.c \
	build/gen/embed_passwords.c
SCHEMA = schema/001_init.sql schema/002_shift_pinned.sql \
	schema/003_surveys.sql schema/004_indicators.sql schema/005_mail.sql \
	schema/006_counsellor_mail.sql schema/007_records.sql \
	schema/012_reliability.sql
SCHEMA += schema/010_frameworks.sql
DEMO = deploy/demo/stations-futian.csv
DEMO += deploy/demo/framework-futian-2023.csv
# Common passwords the password rule refuses: Openwall's list from
# Debian's john-data (public domain) and a short Chinese one of ours.
PASSWORD_LISTS = /usr/share/john/password.lst deploy/passwords/common-zh.txt
HEADERS = svc/core/core.h svc/store/store.h svc/store/stmt.h \
	svc/http/http.h svc/http/internal.h svc/api/api.h svc/log.h \
	svc/config.h svc/demo.h svc/embed.h ical/hearth_ical.h \
	svc/mail/mail.h

# Key cases, counselling surveys and paper tallies.
CORE += svc/core/cases.c svc/core/tally.c
STORE += svc/store/cases.c svc/store/counselling.c
API += svc/api/case.c svc/api/counselling.c
SCHEMA += schema/009_cases.sql

SVC_SRC = $(CORE) $(STORE) $(HTTP) $(API) $(MAIL) $(TOP)
UNIT_TESTS = test_http test_config test_ical test_ical_build \
	test_store test_roster test_indicator test_mime test_strbuf
VENDOR = web/vendor/fullcalendar.min.js web/vendor/fullcalendar-zh-cn.min.js \
	web/vendor/echarts.min.js
FUZZERS = fuzz_json_valid fuzz_time fuzz_tzif fuzz_csv fuzz_config fuzz_ics \
	fuzz_mime fuzz_forwarded fuzz_feed_path \
	fuzz_csv_write \
	fuzz_route fuzz_static_path fuzz_token fuzz_http_headers \
	fuzz_csv_import fuzz_indicator_target fuzz_roster fuzz_query fuzz_survey \
	fuzz_feed_build fuzz_activity_csv
FUZZERS += fuzz_cases
# CHECK constraints without IN lists (issue 15, checks.c; its build rule
# is at the end). Here, before fuzz-smoke's prerequisites are read.
FUZZERS += fuzz_check_unroll
UNIT_TESTS += test_cases

# Duty metrics and logs (值班记录), the duty report and its reminder.
CORE += svc/core/duty.c
STORE += svc/store/duty.c
API += svc/api/duty.c svc/api/duty_report.c
SCHEMA += schema/008_duty.sql
UNIT_TESTS += test_duty
FUZZERS += fuzz_duty_values
FUZZERS += fuzz_ind_rule fuzz_ind_source

# Channels beside e-mail: group robots (WeCom, DingTalk) and SMS. libcurl
# is used by svc/notify/ alone, loaded at its first message (dlopen of
# libcurl.so.4, issue 15: not linked; its headers are in the default path).
CORE += svc/core/notify.c
STORE += svc/store/channel.c
API += svc/api/robot.c
NOTIFY = svc/notify/http.c svc/notify/sender.c svc/notify/notifier.c
SVC_SRC += $(NOTIFY)
HEADERS += svc/notify/notify.h
SCHEMA += schema/011_channels.sql
UNIT_TESTS += test_notify
FUZZERS += fuzz_notify_answer
# Performance (issue 15): incremental feeds from kept VEVENT pieces
# (their gzip is core/gzjoin.c's, zlib).
# Incremental feeds by row fingerprints (feedperf, issue 15).
STORE += svc/store/mark.c svc/store/checks.c
HEADERS += svc/service/feedcache.h
UNIT_TESTS += test_feedcache
build/test/test_feedcache: tests/unit/test_feedcache.c svc/service/feedcache.c $(CORE) build/asan/libhearth_ical.a $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_feedcache.c svc/service/feedcache.c $(CORE) \
		build/asan/libhearth_ical.a $(PKG_LIBS) -lcmocka
FUZZERS += fuzz_feed_pieces
build/fuzz/fuzz_feed_pieces: tests/fuzz/fuzz_feed_pieces.c svc/service/feedcache.c $(ICAL) $(CORE) $(HEADERS) ical/internal.h
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) -Iical $(PKG_CFLAGS) -o $@ \
		tests/fuzz/fuzz_feed_pieces.c svc/service/feedcache.c $(ICAL) $(CORE) \
		$(PKG_LIBS)

# The service layer (issue 14): what Hearth does apart from HTTP, between
# svc/api's handlers and the store.
SERVICE = svc/service/config.c svc/service/clock.c svc/service/tzdb.c \
	svc/service/ical.c svc/service/feed.c svc/service/mail.c \
	svc/service/channel.c svc/service/duty.c svc/service/account.c \
	svc/service/privacy.c svc/service/holiday.c svc/service/xlsx.c \
	svc/service/duty_report.c svc/service/roster.c svc/service/eval.c \
	svc/service/eval_file.c svc/service/report.c svc/service/feedcache.c \
	svc/service/indicator.c
CORE += svc/core/strpool.c svc/core/state.c
SVC_SRC += $(SERVICE)
HEADERS += svc/service/service.h
# Registrations (issue 13.5, branch imports): one place per person, the
# waitlisted check-in, the attendance rate.
CORE += svc/core/regist.c
SVC_SRC += svc/service/participants.c

# Leave approval, swaps, home stations, holidays (issue 13, points 6-8).
CORE += svc/core/leave.c
SVC_SRC += svc/service/leave.c svc/service/swap.c svc/service/holiday_cn.c
# Thin handlers (issue 14, branch thin): the events CSV and the plans'
# progress and proposals as service work.
SVC_SRC += svc/service/events_csv.c svc/service/plan.c
UNIT_TESTS += test_activity
build/test/test_activity: tests/unit/test_activity.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_activity.c $(CORE) $(PKG_LIBS) -lcmocka
UNIT_TESTS += test_events_csv
EVENTS_CSV_FILES = svc/service/events_csv.c svc/service/clock.c \
	svc/service/tzdb.c svc/service/config.c
build/test/test_events_csv: tests/unit/test_events_csv.c $(EVENTS_CSV_FILES) $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_events_csv.c $(EVENTS_CSV_FILES) $(UNIT_STORE) \
		$(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
SCHEMA += schema/013_leave.sql
UNIT_TESTS += test_leave
# The official holiday calendar offered on first use (data/, embedded).
HOLIDAY_DATA = data/holidays-cn-2026-2027.ics
GEN += build/gen/embed_holidays.c
build/gen/embed_holidays.c: build/tools/embed $(HOLIDAY_DATA)
	@mkdir -p build/gen
	build/tools/embed embed_holidays $(HOLIDAY_DATA) > $@.tmp && mv $@.tmp $@
build/test/test_leave: tests/unit/test_leave.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_leave.c $(CORE) $(PKG_LIBS) -lcmocka
# The shape of the C tree (issue 14): the dispatcher's glue apart from the
# route table; make test checks the shape (shape-check) and the format.
API += svc/api/dispatch.c

# Imports that forgive (issue 13): GB18030 files, slashed dates, rows
# already present; registrations, mail notices (branch imports).
UNIT_TESTS += test_import test_regist
build/test/test_regist: tests/unit/test_regist.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_regist.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_import: tests/unit/test_import.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_import.c $(CORE) $(PKG_LIBS) -lcmocka

# Group commit (issue 15, branch perf2): its unit test, listed before the
# unit rule reads UNIT_TESTS; the rule is with the bench below.
UNIT_TESTS += test_group_commit
FUZZERS += fuzz_report_files
# Imports published in bounded batches (issue 17, branch importperf).
UNIT_TESTS += test_import_publish
FUZZERS += fuzz_eval_export
# The import's recovery record: a stop between batches is undone at start.
SCHEMA += schema/014_import_runs.sql
# Roster generation in batches (issue 17, rostergen): its hold and
# recovery record; its unit test.
SCHEMA += schema/015_roster_runs.sql
UNIT_TESTS += test_roster_publish

# One outbox worker for every channel (issue 14): claim, send through the
# channel's function, retry with back-off, dead, recover at start.
CORE += svc/core/outbox.c
OUTBOX = svc/outbox/worker.c
SVC_SRC += $(OUTBOX)
HEADERS += svc/outbox/worker.h
UNIT_TESTS += test_outbox_worker
# Outbox claims across instances (issue 16 item 3, branch claims): the
# claiming instance and its lease (FOR UPDATE SKIP LOCKED on PostgreSQL).
SCHEMA += schema/017_outbox_claims.sql
# The unit tests' fresh database (test_store, test_group_commit, …).
UNIT_STORE = tests/lib/unit_store.c
# A PostgreSQL store beside SQLite (issue 16): the driver boundary of
# svc/store (svc/store/driver.c) and PostgreSQL's migrations.
PKGS += libpq
STORE += svc/store/driver.c
HEADERS += svc/store/driver.h
# schema/pg/: PostgreSQL's twin of each migration from 013 on (the
# binary refuses PostgreSQL when it lags SCHEMA).
PG_SCHEMA = schema/pg/012_baseline.sql
PG_SCHEMA += schema/pg/013_leave.sql
PG_SCHEMA += schema/pg/014_import_runs.sql
PG_SCHEMA += schema/pg/015_roster_runs.sql
# Several instances on one database (issue 16, branch multi): the
# revision, the fake clock and the rate limits in the database.
SCHEMA += schema/016_instances.sql
PG_SCHEMA += schema/pg/016_instances.sql
STORE += svc/store/shared.c
# Outbox claims across instances (branch claims).
PG_SCHEMA += schema/pg/017_outbox_claims.sql
# Long writes in batches on PostgreSQL too (issue 17, branch pgbatch):
# 014's and 015's holds as PostgreSQL triggers (SQLite's 018 is a no-op).
SCHEMA += schema/018_pg_holds.sql
PG_SCHEMA += schema/pg/018_pg_holds.sql
# Registrations' duplicate check by index (issue 15, branch regidx): the
# e-mail and phone keys of registration_same_person as indexed columns.
SCHEMA += schema/019_registration_keys.sql
PG_SCHEMA += schema/pg/019_registration_keys.sql
# A registration's capacity check without counting the event (issue 15,
# branch regcount): counts per (event, status) kept by triggers.
SCHEMA += schema/020_registration_counts.sql
PG_SCHEMA += schema/pg/020_registration_counts.sql
SCHEMA += schema/021_outbox_partial_indexes.sql
PG_SCHEMA += schema/pg/021_outbox_partial_indexes.sql
unit-pg: build/test/test_import_publish build/test/test_roster_publish
GEN += build/gen/embed_schema_pg.c
build/gen/embed_schema_pg.c: build/tools/embed $(PG_SCHEMA)
	@mkdir -p build/gen
	build/tools/embed embed_schema_pg $(PG_SCHEMA) > $@.tmp && mv $@.tmp $@
# The PostgreSQL runs of make test, each against a throwaway cluster of
# its own (tests/lib/pg.mjs): test_store (unit-pg) and the e2e suite
# with the reconnect test (e2e-pg). make test-pg runs just these.
unit-pg: build/test/test_store
	$(SAN_ENV) node --test tests/unit/store_pg.test.mjs
e2e-pg: build/asan/hearth build/test/smtp_send $(VENDOR)
	$(SAN_ENV) HEARTH_TEST_STORE=pg HEARTH_BIN=$(CURDIR)/build/asan/hearth \
		node --test --test-concurrency=2 tests/pg/ tests/e2e/
test-pg: deps-test
	@$(MAKE) --no-print-directory unit-pg
	@$(MAKE) --no-print-directory e2e-pg
.PHONY: unit-pg e2e-pg test-pg
# The outbox worker's unit tests on PostgreSQL too (branch claims).
unit-pg: build/test/test_outbox_worker
# Failover (issue 16 item 4): the driver's rules as a unit test, and on
# PostgreSQL (tests/pg/driver.test.mjs, run by e2e-pg) a transaction
# whose connection is cut; tests/pg/failover.test.mjs needs only hearth.
UNIT_TESTS += test_driver
e2e-pg: build/test/test_driver
build/test/test_driver: tests/unit/test_driver.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_driver.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
# hearth copy (issue 16 item 5): a database into another, either engine.
STORE += svc/store/copy.c
# Feeds' gzip from joined deflate chunks, unchanged chunks reused (issue
# 15, branch perf15).
CORE += svc/core/gzjoin.c
UNIT_TESTS += test_gzjoin
build/test/test_gzjoin: tests/unit/test_gzjoin.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_gzjoin.c $(CORE) $(PKG_LIBS) -lcmocka
# What libmicrohttpd sends for a 304 made each way (docs/architecture.md).
build/bench/probe_304: bench/probe_304.c
	@mkdir -p build/bench
	$(CC) -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -o $@ \
		bench/probe_304.c `pkg-config --cflags --libs libmicrohttpd`

# One shape (issue 14, branch shape14): the survey-results CSV in the
# service layer on core's writer, and its fuzz target.
SVC_SRC += svc/service/survey_csv.c
# Survey templates kept once read (issue 15 point 4, surveycpu).
SVC_SRC += svc/service/survey.c
FUZZERS += fuzz_survey_csv
build/fuzz/fuzz_survey_csv: tests/fuzz/fuzz_survey_csv.c svc/service/survey_csv.c $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_survey_csv.c \
		svc/service/survey_csv.c $(CORE) $(PKG_LIBS)
# One unit file per module (was test_reliability.c, a file per issue):
# password.c, survey.c; state.c's name tables, strpool.c, tally.c. The
# import rows went to test_import, query values to test_valid, the HTTP
# parsers to test_http.
SHAPE_UNITS = test_password test_survey test_state test_tally
UNIT_TESTS += $(SHAPE_UNITS) test_strpool
$(SHAPE_UNITS:%=build/test/%): build/test/%: tests/unit/%.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		$< $(CORE) $(PKG_LIBS) -lcmocka
# test_strpool fails realloc at will (-Wl,--wrap=realloc).
build/test/test_strpool: tests/unit/test_strpool.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_strpool.c $(CORE) $(PKG_LIBS) -lcmocka \
		-Wl,--wrap=realloc

all: build/hearth $(VENDOR)

# --- dependencies -----------------------------------------------------------

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench

# --- generated sources --------------------------------------------------------

build/tools/embed: tools/embed.c
	@mkdir -p build/tools
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ tools/embed.c

build/gen/embed_schema.c: build/tools/embed $(SCHEMA)
	@mkdir -p build/gen
	build/tools/embed embed_schema $(SCHEMA) > $@.tmp && mv $@.tmp $@

build/gen/embed_demo.c: build/tools/embed $(DEMO)
	@mkdir -p build/gen
	build/tools/embed embed_demo $(DEMO) > $@.tmp && mv $@.tmp $@

build/gen/embed_passwords.c: build/tools/embed $(PASSWORD_LISTS)
	@mkdir -p build/gen
	build/tools/embed embed_passwords $(PASSWORD_LISTS) > $@.tmp && mv $@.tmp $@

# --- the binary (release and sanitizer builds) --------------------------------
# One compiler call per variant keeps the rule list short; the project is
# small enough that a full rebuild takes seconds.

build/libhearth_ical.a: $(ICAL) ical/hearth_ical.h ical/internal.h
	@mkdir -p build/obj/ical
	@set -e; for f in $(ICAL); do \
		echo "$(CC) -c $$f"; \
		$(CC) $(WARN) $(DEFS) $(OPT) $(PKG_CFLAGS) -c $$f \
			-o build/obj/ical/`basename $$f .c`.o; done
	rm -f $@
	ar rcs $@ $(ICAL:ical/%.c=build/obj/ical/%.o)

build/asan/libhearth_ical.a: $(ICAL) ical/hearth_ical.h ical/internal.h
	@mkdir -p build/asan/obj/ical
	@set -e; for f in $(ICAL); do \
		echo "$(CC) -c $$f (asan)"; \
		$(CC) $(WARN) $(DEFS) $(SAN) $(PKG_CFLAGS) -c $$f \
			-o build/asan/obj/ical/`basename $$f .c`.o; done
	rm -f $@
	ar rcs $@ $(ICAL:ical/%.c=build/asan/obj/ical/%.o)

build/hearth: $(SVC_SRC) svc/main.c $(GEN) $(HEADERS) build/libhearth_ical.a
	$(CC) $(WARN) $(DEFS) $(OPT) -Isvc $(PKG_CFLAGS) -o $@ \
		$(SVC_SRC) svc/main.c $(GEN) build/libhearth_ical.a $(PKG_LIBS)

build/asan/hearth: $(SVC_SRC) svc/main.c $(GEN) $(HEADERS) build/asan/libhearth_ical.a
	@mkdir -p build/asan
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		$(SVC_SRC) svc/main.c $(GEN) build/asan/libhearth_ical.a $(PKG_LIBS)

# --- web vendor libraries (from npm, served by hearth) ------------------------

node_modules/.hearth-npm-stamp: package-lock.json
	@scripts/deps.sh build

web/vendor/fullcalendar.min.js: node_modules/.hearth-npm-stamp
	@mkdir -p web/vendor
	cp node_modules/fullcalendar/index.global.min.js $@
web/vendor/fullcalendar-zh-cn.min.js: node_modules/.hearth-npm-stamp
	@mkdir -p web/vendor
	cp node_modules/@fullcalendar/core/locales/zh-cn.global.min.js $@
web/vendor/echarts.min.js: node_modules/.hearth-npm-stamp
	@mkdir -p web/vendor
	cp node_modules/echarts/dist/echarts.min.js $@

# --- make run -------------------------------------------------------------------

HEARTH_DB ?= var/hearth.db
run: deps build/hearth $(VENDOR)
	@mkdir -p var
	@scripts/run.sh "$(HEARTH_DB)"

# --- tests ----------------------------------------------------------------------

UNIT_DEPS = $(CORE) $(HEADERS)
# svc/core's first modules, one unit file each (were test_core.c), with
# the helpers the unit tests share (tests/lib/unit.c).
CORE_UNITS = test_time test_tz test_error test_valid test_secret test_csv
UNIT_TESTS += $(CORE_UNITS)
$(CORE_UNITS:%=build/test/%) build/test/test_duty build/test/test_notify: build/test/%: tests/unit/%.c tests/lib/unit.c tests/lib/unit.h $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		$< tests/lib/unit.c $(CORE) $(PKG_LIBS) -lcmocka
# A plan's accepted proposals as service work (branch tidy): the
# service layer on a real store, without svc/api and svc/http.
UNIT_TESTS += test_plan
PLAN_FILES = $(filter-out svc/api/% svc/http/%,$(SVC_SRC))
build/test/test_plan: tests/unit/test_plan.c $(PLAN_FILES) $(UNIT_STORE) $(GEN) $(HEADERS) build/asan/libhearth_ical.a
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_plan.c $(PLAN_FILES) $(UNIT_STORE) $(GEN) \
		build/asan/libhearth_ical.a $(PKG_LIBS) -lcmocka
# No two routes overlap: the table the binary serves (`hearth routes`)
# against the dispatcher's matcher (http/route.c).
UNIT_TESTS += test_routes
build/test/routes.json: build/hearth
	@mkdir -p build/test
	build/hearth routes > $@.tmp && mv $@.tmp $@
build/test/test_routes: tests/unit/test_routes.c svc/http/route.c build/test/routes.json $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_routes.c svc/http/route.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_roster: tests/unit/test_roster.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_roster.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_indicator: tests/unit/test_indicator.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_indicator.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_strbuf: tests/unit/test_strbuf.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_strbuf.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_mime: tests/unit/test_mime.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_mime.c $(CORE) $(PKG_LIBS) -lcmocka
# A one-message SMTP client over svc/mail/smtp.c, driven by the e2e tests.
build/test/smtp_send: tests/lib/smtp_send.c svc/mail/smtp.c svc/mail/smtp.h
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/lib/smtp_send.c svc/mail/smtp.c $(PKG_LIBS)
build/test/test_http: tests/unit/test_http.c svc/http/route.c svc/http/forward.c svc/http/parse.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_http.c svc/http/route.c svc/http/forward.c \
		svc/http/parse.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_config: tests/unit/test_config.c svc/config.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_config.c svc/config.c $(CORE) $(PKG_LIBS) -lcmocka
build/test/test_ical: tests/unit/test_ical.c build/asan/libhearth_ical.a $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Iical $(PKG_CFLAGS) -o $@ \
		tests/unit/test_ical.c build/asan/libhearth_ical.a $(PKG_LIBS) -lcmocka
build/test/test_ical_build: tests/unit/test_ical_build.c build/asan/libhearth_ical.a $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Iical $(PKG_CFLAGS) -o $@ \
		tests/unit/test_ical_build.c build/asan/libhearth_ical.a $(PKG_LIBS) -lcmocka
build/test/test_store: tests/unit/test_store.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_store.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka

build/test/test_cases: tests/unit/test_cases.c $(CORE) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_cases.c $(CORE) $(PKG_LIBS) -lcmocka

SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

unit: $(UNIT_TESTS:%=build/test/%) node_modules/.hearth-npm-stamp
	@set -e; for t in $(UNIT_TESTS); do \
		echo "== unit: $$t"; $(SAN_ENV) build/test/$$t; done
	@echo "== unit: ical.js reads the feed of test_ical_build"
	@node tests/unit/ical_js_check.mjs

e2e: build/asan/hearth build/test/smtp_send $(VENDOR)
	$(SAN_ENV) HEARTH_BIN=$(CURDIR)/build/asan/hearth node --test \
		--test-concurrency=2 tests/e2e/

browser: build/asan/hearth $(VENDOR)
	$(SAN_ENV) HEARTH_BIN=$(CURDIR)/build/asan/hearth node --test \
		--test-concurrency=1 tests/browser/

test: deps-test build/hearth
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory unit-pg
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory e2e-pg
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory web-check
	@$(MAKE) --no-print-directory shape-check
	@$(MAKE) --no-print-directory format-check

# The shape of web/ (one h/t/api in web/lib, a message file per view,
# imports that resolve, lib without side effects): tests/unit/web_shape.test.mjs.
web-check:
	node --test tests/unit/web_shape.test.mjs
.PHONY: web-check

# The shape of the C tree (issue 14): no circle between files, the layers'
# includes and uses, prototypes under their file's comment
# (tests/unit/c_shape.test.mjs on tools/c_shape.mjs). Every reply message
# in Chinese: tests/unit/reply_zh.test.mjs on tools/reply_text.mjs.
shape-check:
	node --test tests/unit/c_shape.test.mjs
	node --test tests/unit/reply_zh.test.mjs
.PHONY: shape-check

# The C sources as .clang-format lays them out (svc/, ical/, tests/).
FORMAT_SRC = `find svc ical tests -name '*.[ch]' | sort`
format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC) && \
		echo "format-check: every C file is as .clang-format lays it out"
format:
	clang-format -i $(FORMAT_SRC)
.PHONY: format-check format

# Valgrind (memcheck) over Hearth without sanitizers (branch valgrind):
# every unit binary of UNIT_TESTS and the server, built -O1 -g by this
# Makefile itself run in build/vg/ (links to the sources), so build/test,
# build/asan and build/hearth stay as they are; then each unit binary and
# the e2e files of VG_E2E (the server through tests/lib/vg_hearth.sh)
# under valgrind. Any error or definite/indirect leak fails the run;
# tests/valgrind.supp holds third-party noise only.
VG_DIR = build/vg
VG_CFLAGS = -O1 -g -fno-omit-frame-pointer
VG_LINKS = Makefile svc ical tests schema deploy data tools web
VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --track-origins=yes --num-callers=30 \
	--suppressions=$(CURDIR)/tests/valgrind.supp
VG_E2E = tests/e2e/auth.test.mjs tests/e2e/stations.test.mjs \
	tests/e2e/feeds.test.mjs tests/e2e/registration.test.mjs
vg-build:
	@mkdir -p $(VG_DIR)
	@for f in $(VG_LINKS); do ln -sfn ../../$$f $(VG_DIR)/$$f; done
	@$(MAKE) --no-print-directory -C $(VG_DIR) SAN='$(VG_CFLAGS)' \
		OPT='$(VG_CFLAGS)' build/hearth $(UNIT_TESTS:%=build/test/%)
valgrind-unit: vg-build
	@set -e; cd $(VG_DIR); for t in $(UNIT_TESTS); do \
		echo "== valgrind: $$t"; \
		HEARTH_TEST_TIME_SCALE=50 $(VALGRIND) build/test/$$t; done
valgrind-e2e: vg-build $(VENDOR)
	HEARTH_VALGRIND='$(VALGRIND)' HEARTH_TEST_START_MS=120000 \
		HEARTH_BIN=$(CURDIR)/tests/lib/vg_hearth.sh \
		node --test --test-concurrency=1 $(VG_E2E)
valgrind: deps-test
	@$(MAKE) --no-print-directory valgrind-unit
	@$(MAKE) --no-print-directory valgrind-e2e
.PHONY: vg-build valgrind-unit valgrind-e2e valgrind

# --- fuzzing (libFuzzer, clang) -------------------------------------------------

FUZZ_FLAGS = -std=c11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Isvc
build/fuzz/fuzz_config: tests/fuzz/fuzz_config.c svc/config.c $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_config.c \
		svc/config.c $(CORE) $(PKG_LIBS)
build/fuzz/fuzz_ics: tests/fuzz/fuzz_ics.c $(ICAL) ical/hearth_ical.h ical/internal.h
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) -Iical `pkg-config --cflags libical` -o $@ \
		tests/fuzz/fuzz_ics.c $(ICAL) `pkg-config --libs libical` -lpthread
build/fuzz/fuzz_feed_build: tests/fuzz/fuzz_feed_build.c $(ICAL) ical/hearth_ical.h ical/internal.h
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) -Iical `pkg-config --cflags libical` -o $@ \
		tests/fuzz/fuzz_feed_build.c $(ICAL) `pkg-config --libs libical` -lpthread
build/fuzz/fuzz_forwarded: tests/fuzz/fuzz_forwarded.c svc/http/forward.c $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_forwarded.c \
		svc/http/forward.c $(CORE) $(PKG_LIBS)
# The HTTP layer's pure parsers (http/parse.c, http/route.c), no MHD.
HTTP_PURE = svc/http/parse.c svc/http/route.c
build/fuzz/fuzz_route build/fuzz/fuzz_static_path build/fuzz/fuzz_token \
build/fuzz/fuzz_http_headers build/fuzz/fuzz_query: build/fuzz/%: tests/fuzz/%.c $(HTTP_PURE) $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(HTTP_PURE) $(CORE) $(PKG_LIBS)
build/fuzz/%: tests/fuzz/%.c $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(CORE) $(PKG_LIBS)

# Every target over its seeds plus a short run: a regression check for make test.
fuzz-smoke: $(FUZZERS:%=build/fuzz/%)
	@set -e; for f in $(FUZZERS); do \
		echo "== fuzz (smoke): $$f"; mkdir -p build/fuzz/corpus-$$f; \
		build/fuzz/$$f -max_total_time=5 -rss_limit_mb=1024 \
			-artifact_prefix=build/fuzz/$$f- build/fuzz/corpus-$$f \
			tests/fuzz/seeds/$${f#fuzz_} > build/fuzz/$$f.log 2>&1 || \
			{ tail -40 build/fuzz/$$f.log; exit 1; }; \
		tail -1 build/fuzz/$$f.log; done

FUZZ_SECONDS = 120
fuzz: $(FUZZERS:%=build/fuzz/%)
	@set -e; for f in $(FUZZERS); do \
		mkdir -p tests/fuzz/corpus-$$f; \
		echo "== fuzz: $$f for $(FUZZ_SECONDS)s"; \
		build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
			-artifact_prefix=build/fuzz/$$f- \
			tests/fuzz/corpus-$$f tests/fuzz/seeds/$${f#fuzz_}; done

# Group commit (issue 15): concurrent writes share one WAL sync.
build/test/test_group_commit: tests/unit/test_group_commit.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_group_commit.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka

# The duty report's CSV and XLSX exporters (issue 17).
REPORT_FILES = svc/service/duty_report.c svc/service/xlsx.c \
	svc/service/clock.c svc/service/tzdb.c svc/service/config.c
build/fuzz/fuzz_report_files: tests/fuzz/fuzz_report_files.c $(REPORT_FILES) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/fuzz/fuzz_report_files.c $(REPORT_FILES) \
		$(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS)

# Imports published in bounded batches (issue 17, branch importperf).
build/test/test_import_publish: tests/unit/test_import_publish.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_import_publish.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
# The evaluation table's CSV and XLSX exporters (issue 17, importperf).
EVAL_FILES = svc/service/eval_file.c svc/service/xlsx.c svc/service/eval.c \
	svc/service/indicator.c \
	svc/service/clock.c svc/service/tzdb.c svc/service/config.c
build/fuzz/fuzz_eval_export: tests/fuzz/fuzz_eval_export.c $(EVAL_FILES) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/fuzz/fuzz_eval_export.c $(EVAL_FILES) \
		$(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS)

# Roster generation in bounded batches (issue 17, branch rostergen).
build/test/test_roster_publish: tests/unit/test_roster_publish.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_roster_publish.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka

# --- benchmark (not part of make test) --------------------------------------------

# SQLite's own one-row-transaction insert rate, the survey case's reference.
build/bench/sqlite_raw: bench/sqlite_raw.c
	@mkdir -p build/bench
	$(CC) $(WARN) -O2 -o $@ bench/sqlite_raw.c -lsqlite3 -lpthread

# The feed cases' tools: an HTTP/1.1 load client that frames a 304 as
# RFC 9112 says (wrk cannot), and libical's whole build of a feed.
build/bench/h1load: bench/h1load.c
	@mkdir -p build/bench
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ bench/h1load.c -lpthread
build/bench/ical_anchor: bench/ical_anchor.c build/libhearth_ical.a ical/hearth_ical.h
	@mkdir -p build/bench
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -Iical `pkg-config --cflags libical` \
		-o $@ bench/ical_anchor.c build/libhearth_ical.a \
		`pkg-config --libs libical` -lpthread

bench: deps-bench build/hearth build/bench/sqlite_raw build/bench/h1load \
		build/bench/ical_anchor $(VENDOR)
	@bench/run.sh
	@HEARTH_BIN=$(CURDIR)/build/hearth node bench/mail.mjs
	@HEARTH_BIN=$(CURDIR)/build/hearth node bench/roster.mjs
	@bench/stores.sh

# Both stores side by side (issue 16 item 7): bench/stores.sh runs the
# feed, survey and roster cases on SQLite and on a throwaway PostgreSQL
# cluster; pg_raw is the survey case's anchor there (one-row INSERT
# transactions through libpq on the same cluster).
bench: build/bench/pg_raw
build/bench/pg_raw: bench/pg_raw.c
	@mkdir -p build/bench
	$(CC) $(WARN) -O2 `pkg-config --cflags libpq` -o $@ bench/pg_raw.c \
		`pkg-config --libs libpq` -lpthread

clean:
	rm -rf build

.PHONY: all deps deps-test deps-bench run unit e2e browser test fuzz \
	fuzz-smoke bench clean

# The outbox worker without its thread, over a real store (test_outbox_worker).
build/test/test_outbox_worker: tests/unit/test_outbox_worker.c $(UNIT_STORE) $(OUTBOX) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_outbox_worker.c $(UNIT_STORE) $(OUTBOX) $(STORE) \
		$(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
# Registrations' keys from a database of migration 018, on both engines
# (issue 15, branch regidx); after every GEN += (prerequisites expand
# where the rule stands).
UNIT_TESTS += test_regkeys
unit: build/test/test_regkeys
unit-pg: build/test/test_regkeys
build/test/test_regkeys: tests/unit/test_regkeys.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_regkeys.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
# The kept registration counts against count(*) on both engines (issue
# 15, branch regcount); after every GEN +=.
UNIT_TESTS += test_regcount
unit: build/test/test_regcount
unit-pg: build/test/test_regcount
build/test/test_regcount: tests/unit/test_regcount.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_regcount.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka

# CHECK constraints without IN lists on SQLite (issue 15, checks.c).
UNIT_TESTS += test_checks
unit: build/test/test_checks
build/test/test_checks: tests/unit/test_checks.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_checks.c $(UNIT_STORE) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
build/fuzz/fuzz_check_unroll: tests/fuzz/fuzz_check_unroll.c svc/store/checks.c $(CORE) $(HEADERS)
	@mkdir -p build/fuzz
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -Isvc -o $@ $< svc/store/checks.c $(CORE) $(PKG_LIBS)
# Rate limits looked up in a set of 16 slots by a keyed hash (issue 15,
# branch wakes); limit.c with what it calls of the store and replies.
UNIT_TESTS += test_limit
unit: build/test/test_limit
build/test/test_limit: tests/unit/test_limit.c svc/api/limit.c $(HTTP) $(STORE) $(CORE) svc/log.c $(GEN) $(HEADERS)
	@mkdir -p build/test
	$(CC) $(WARN) $(DEFS) $(SAN) -Isvc $(PKG_CFLAGS) -o $@ \
		tests/unit/test_limit.c svc/api/limit.c $(HTTP) $(STORE) $(CORE) svc/log.c $(GEN) $(PKG_LIBS) -lcmocka
