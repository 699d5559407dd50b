#!/usr/bin/env bash
# `make bench`: load figures for Hearth on loopback.
#
# Starts build/hearth on 127.0.0.1 with a free port and a temporary
# database holding the demo data, signs in as admin, then runs wrk
# against each case and prints one line per case:
#
#   bench <name>: <req/s> req/s, p99 <ms> ms, non-2xx/3xx: <n>, socket errors: <n>
#
# Usage: bench/run.sh [CASE...]     (default: every case in CASES)
# Knobs (environment): BENCH_DURATION (default 10s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_SERVER_THREADS (default: hearth's own,
# one per CPU), BENCH_BIN (default build/hearth), BENCH_VERBOSE=1 shows
# wrk's own report, BENCH_HTTP=curl|node picks the probe client.
#
# Adding a case: write a function case_<name> that probes the endpoint
# once (expect_status) and then calls run_wrk, and add <name> to CASES.
#
# The feed cases (feed, feed_304, feed_gzip, feed_rebuild) and rss live
# in bench/feeds.sh: each runs side by side with its anchor (Debian's
# nginx on the same bytes, libical's whole build of the same feed) and
# prints the ratio; they need nginx (make deps-bench), build/bench/h1load
# and build/bench/ical_anchor. Their knobs: BENCH_REPEAT (3),
# BENCH_FEED_ITEMS (2000), BENCH_REBUILD_ROUNDS (15).
#
# The survey case (see case_survey) also needs build/bench/sqlite_raw
# (make build/bench/sqlite_raw; BENCH_RAW_BIN overrides), restarts the
# server twice (its set-up runs with synchronous=normal), counts every
# answer but 201 as an error (non-201), and adds a set-up line and
#   bench sqlite_raw: <n> inserts/s (synchronous=FULL, WAL, one row per transaction)
#   bench sqlite_raw detail: …
#   bench survey/raw ratio: <x> (target >= 1.0, issue 15)
# Its knobs: BENCH_SURVEY_SETUP (default 8s), how long walk-ins are added
# to make the first supply of survey tokens (a top-up after the pilot
# adds what twice the run needs at the pilot's rate), and
# BENCH_SURVEY_TOPUP_MAX (120), the longest top-up in seconds.
#
# The register case's knob: BENCH_REGISTER_EXISTING (default 0), how many
# registrations its event holds before the run (issue 15, regidx).
#
# Exits non-zero when the server does not start, a probe answers the
# wrong status, a case saw answers with a status >= 400 (survey: other
# than 201), or the survey case ran out of tokens. The survey/raw ratio
# is reported, not enforced.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

CASES="stations static_304 app_js feed feed_304 feed_gzip feed_rebuild rss survey import register"

duration=${BENCH_DURATION:-10s}
wrk_threads=${BENCH_THREADS:-2}
wrk_conns=${BENCH_CONNECTIONS:-32}
bin=${BENCH_BIN:-build/hearth}
raw_bin=${BENCH_RAW_BIN:-build/bench/sqlite_raw}
lua="$root/bench/report.lua"

# Only what this script sets reaches the server (no stray HEARTH_CONFIG,
# HEARTH_BASE_URL or HEARTH_LISTEN from the caller's shell).
for v in $(env | sed -n 's/^\(HEARTH_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$bin" ] || die "$bin is missing; run make build/hearth"
command -v wrk >/dev/null 2>&1 ||
	die "wrk is not installed; run make deps-bench (apt-get install wrk)"
if [ -z "${BENCH_HTTP:-}" ]; then
	if command -v curl >/dev/null 2>&1; then
		BENCH_HTTP=curl
	elif command -v node >/dev/null 2>&1; then
		BENCH_HTTP=node
	else
		die "neither curl nor node is available for the probes"
	fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hearth-bench.XXXXXX")
server_pid=""

stop_server() {
	local rc
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$server_pid" 2>/dev/null; then
		echo "bench: hearth did not stop within 10 s of SIGTERM; killing" >&2
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	rc=0
	wait "$server_pid" 2>/dev/null || rc=$?
	server_pid=""
	if [ "$rc" != 0 ]; then
		echo "bench: hearth exited with status $rc; its log:" >&2
		tail -n 20 "$tmp/server.log" >&2 || true
		return 1
	fi
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	! declare -F stop_nginx >/dev/null || stop_nginx
	stop_server || rc=1
	! declare -F pg_bench_stop >/dev/null || pg_bench_stop
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The store (issue 16 item 7): BENCH_STORE=pg runs Hearth on a throwaway
# PostgreSQL cluster (bench/pg.sh: fsync and synchronous_commit on) and
# the survey case's anchor is build/bench/pg_raw (one-row INSERT
# transactions through libpq on the same cluster) instead of sqlite_raw;
# bench/stores.sh runs the feed, survey and roster cases on both and
# prints them side by side. The register case's anchor is SQLite's only.
store=${BENCH_STORE:-sqlite}
bench_db=$tmp/hearth.db
raw_target=$tmp
raw_name=sqlite_raw
raw_label="synchronous=FULL, WAL, one row per transaction"
case $store in
sqlite) ;;
pg)
	# shellcheck source=bench/pg.sh
	. "$root/bench/pg.sh"
	raw_bin=${BENCH_RAW_BIN:-build/bench/pg_raw}
	raw_name=pg_raw
	raw_label="fsync=on, synchronous_commit=on, one prepared INSERT per transaction through libpq"
	case " ${*:-$CASES} " in
	*" register "*) die "the register case runs on SQLite only (its anchor is sqlite_raw)" ;;
	esac
	pg_bench_start
	bench_db=$pg_uri
	raw_target=$pg_raw_uri
	echo "bench: store PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }')" \
	    "(throwaway cluster on a Unix socket; fsync=on, synchronous_commit=on," \
	    "full_page_writes=on)"
	;;
*) die "BENCH_STORE: sqlite or pg, not \"$store\"" ;;
esac

# --- HTTP probes: curl, or node's fetch where curl is missing -----------------

# http_get PATH WHAT [HEADER]: prints the status ("status") or the value
# of one response header ("header:NAME") of GET PATH.
http_get() {
	local path=$1 what=$2 header=${3:-}
	if [ "$BENCH_HTTP" = curl ]; then
		local args=(-sS -o /dev/null --max-time 5 -D "$tmp/headers")
		[ -z "$header" ] || args+=(-H "$header")
		local status
		status=$(curl "${args[@]}" -w '%{http_code}' "$base$path")
		case $what in
		status) echo "$status" ;;
		header:*)
			tr -d '\r' <"$tmp/headers" |
				awk -v n="${what#header:}" -F': ' \
				    'tolower($1) == tolower(n) { sub(/^[^:]*: /, ""); print; exit }'
			;;
		esac
	else
		node -e '
			const [url, what, header] = process.argv.slice(1);
			const h = {};
			if (header) { const i = header.indexOf(":"); h[header.slice(0, i)] = header.slice(i + 1).trim(); }
			fetch(url, { headers: h, signal: AbortSignal.timeout(5000) }).then((r) => {
				console.log(what === "status" ? r.status : (r.headers.get(what.slice(7)) ?? ""));
			}).catch((e) => { console.error(String(e)); process.exit(1); });
		' "$base$path" "$what" "$header"
	fi
}

# login USER PASSWORD: prints the session token.
login() {
	local body
	body=$(printf '{"username":"%s","password":"%s"}' "$1" "$2")
	if [ "$BENCH_HTTP" = curl ]; then
		curl -sS --max-time 10 -H 'Content-Type: application/json' \
		    --data-binary "$body" "$base/api/v1/session"
	else
		node -e '
			fetch(process.argv[1], { method: "POST", body: process.argv[2],
			    headers: { "content-type": "application/json" },
			    signal: AbortSignal.timeout(10000) })
			.then((r) => r.text()).then((t) => console.log(t))
			.catch((e) => { console.error(String(e)); process.exit(1); });
		' "$base/api/v1/session" "$body"
	fi | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}

# expect_status NAME PATH STATUS [HEADER]: one request before the load,
# so a case never measures the wrong answer at full speed.
expect_status() {
	local got
	got=$(http_get "$2" status "${4:-}")
	[ "$got" = "$3" ] || die "$1: GET $2 answered $got, expected $3"
}

# api METHOD PATH [BODY]: a signed-in request (JSON body); prints the
# status and leaves the answer's body in $tmp/api-body.
api() {
	local method=$1 path=$2 body=${3:-}
	if [ "$BENCH_HTTP" = curl ]; then
		local args=(-sS --max-time 60 -X "$method" -o "$tmp/api-body"
		    -w '%{http_code}' -H "Authorization: Bearer $token")
		[ -z "$body" ] || args+=(-H 'Content-Type: application/json'
		    --data-binary "$body")
		curl "${args[@]}" "$base$path"
	else
		node -e '
			const [method, url, token, body, out] = process.argv.slice(1);
			const headers = { authorization: "Bearer " + token };
			if (body) headers["content-type"] = "application/json";
			fetch(url, { method, headers, body: body || undefined,
			    signal: AbortSignal.timeout(60000) })
			.then(async (r) => {
				require("fs").writeFileSync(out, await r.text());
				console.log(r.status);
			}).catch((e) => { console.error(String(e)); process.exit(1); });
		' "$method" "$base$path" "$token" "$body" "$tmp/api-body"
	fi
}

# api_expect NAME STATUS METHOD PATH [BODY]: api, and the answer must
# have STATUS.
api_expect() {
	local name=$1 want=$2 got
	shift 2
	got=$(api "$@") || die "$name: $1 $2 failed"
	[ "$got" = "$want" ] || {
		head -c 500 "$tmp/api-body" >&2
		echo >&2
		die "$name: $1 $2 answered $got, expected $want"
	}
}

# --- the server -----------------------------------------------------------------

# start_server [FLAG...]: starts hearth with the flags added to serve's
# (the survey case restarts it with --synchronous normal for its set-up);
# the first call also makes the database and the copy of web/.
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
start_server() {
	local url
	if [ ! -e "$tmp/web" ]; then
		"$bin" demo --db "$bench_db" >"$tmp/demo.log" 2>&1 ||
			{ cat "$tmp/demo.log" >&2; die "hearth demo failed"; }
		# A copy of web/ plus one empty file for the static_304 case.
		mkdir "$tmp/web"
		cp -R "$root/web/." "$tmp/web/"
		: >"$tmp/web/bench-empty.txt"
	fi
	local args=(serve --db "$bench_db" --listen 127.0.0.1:0
	    --web-dir "$tmp/web" "$@")
	[ -z "${BENCH_SERVER_THREADS:-}" ] ||
		args+=(--threads "$BENCH_SERVER_THREADS")
	# Emptied before the start: the background job's own truncation may
	# come after the loop below has read the last server's console line
	# (its port, closed now: curl exit 7 in login under load).
	: >"$tmp/server.log"
	HEARTH_ADMIN_PASSWORD=$password HEARTH_LOG_LEVEL=${server_log_level:-warn} \
		"$bin" "${args[@]}" >"$tmp/server.log" 2>&1 &
	server_pid=$!
	# The console line goes to stderr at every log level (the
	# msg=listening line is info, below warn).
	url=""
	for _ in $(seq 1 100); do
		url=$(sed -n 's|.*Hearth console: \(http://[^ ]*\)/$|\1|p' \
		    "$tmp/server.log" | head -n 1)
		[ -z "$url" ] || break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$url" ]; then
		cat "$tmp/server.log" >&2
		die "hearth did not start"
	fi
	base=$url
	token=$(login admin "$password")
	[ -n "$token" ] || die "sign-in as admin failed"
}

# --- load -----------------------------------------------------------------------

# wrk_result NAME SCRIPT DURATION URL [ARG...]: runs wrk with the script
# and its arguments and prints the script's result line (BENCH-RESULT
# or WALKIN-RESULT).
wrk_result() {
	local name=$1 script=$2 dur=$3 url=$4 out
	shift 4
	out="$tmp/wrk-$name.txt"
	wrk -t"$wrk_threads" -c"$wrk_conns" -d"$dur" --timeout 5s \
	    --latency -s "$script" "$url" -- "$@" >"$out" 2>&1 ||
		{ cat "$out" >&2; die "$name: wrk failed"; }
	[ "${BENCH_VERBOSE:-0}" = 0 ] || grep -v -- '-RESULT ' "$out" >&2
	grep -E '^[A-Z]+-RESULT ' "$out" ||
		{ cat "$out" >&2; die "$name: no result from wrk"; }
}

# seconds DURATION: wrk's duration (10, 10s, 2m, 1h) in seconds.
seconds() {
	case $1 in
	*h) echo $((${1%h} * 3600)) ;;
	*m) echo $((${1%m} * 60)) ;;
	*s) echo "${1%s}" ;;
	*) echo "$1" ;;
	esac
}

# field LINE KEY: the value of KEY=value in a result line.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# summary NAME LINE [ERRORS-LABEL]: the summary line of a case from its
# BENCH-RESULT line; a case with errors sets failed.
summary() {
	local line
	line=$(echo "$2" | awk -v name="$1" -v label="${3:-non-2xx/3xx}" '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		rps = v["duration_us"] > 0 ? v["requests"] / (v["duration_us"] / 1e6) : 0
		printf "bench %s: %.0f req/s, p99 %.2f ms, %s: %d, socket errors: %d\n",
		    name, rps, v["p99_us"] / 1000, label, v["status_errors"],
		    v["connect"] + v["read"] + v["write"] + v["timeout"]
	}')
	echo "$line"
	case $line in
	*": 0, socket errors: "*) ;;
	*) failed=1 ;;
	esac
}

# run_wrk NAME PATH [HEADER...]: wrk against PATH with the headers, then
# the summary line of the case.
run_wrk() {
	local name=$1 path=$2 line
	shift 2
	line=$(wrk_result "$name" "$lua" "$duration" "$base$path" "$@") ||
		exit 1
	summary "$name" "$line"
}

# --- cases ----------------------------------------------------------------------

# An authenticated API read: session lookup (BLAKE2b of the token, one
# indexed SELECT), a list query and JSON rendering.
case_stations() {
	local auth="Authorization: Bearer $token"
	expect_status stations /api/v1/stations 200 "$auth"
	run_wrk stations /api/v1/stations "$auth"
}

# A static file revalidated by a client that has it: stat(), ETag
# comparison and the cached 200 response queued as 304 (LIBNOTES).
#
# wrk cannot load /app.js itself this way: a 304 carries the Content-Length
# of the 200 (RFC 9110 §8.6; our 304s do), and wrk's bundled http_parser
# then waits for that many body bytes that never come (0 requests in a
# run). So the real /app.js 304 is checked once here, and wrk loads the
# same code path on a zero-length file of the bench's copy of web/, whose
# 304 says Content-Length: 0. The work per request is the same: the file
# size only changes the header's digits.
case_static_304() {
	local etag
	etag=$(http_get /app.js header:etag)
	[ -n "$etag" ] || die "static_304: GET /app.js sent no ETag"
	expect_status static_304 /app.js 304 "If-None-Match: $etag"
	etag=$(http_get /bench-empty.txt header:etag)
	[ -n "$etag" ] || die "static_304: GET /bench-empty.txt sent no ETag"
	expect_status static_304 /bench-empty.txt 304 "If-None-Match: $etag"
	run_wrk static_304 /bench-empty.txt "If-None-Match: $etag"
}

# The same file sent in full: the cached 200 response of /app.js.
case_app_js() {
	expect_status app_js /app.js 200
	run_wrk app_js /app.js
}

# Survey answers (POST /api/v1/surveys/responses), every request with a
# personal token no other request uses: a token lookup, the answers'
# validation and one write transaction (the response and its answers),
# which with synchronous=FULL waits for the disk. Compared with SQLite's
# own rate of one-row transactions, measured by build/bench/sqlite_raw on
# the same disk (a fresh database in the server's directory, the
# server's pragmas), 2.5 s just before and 2.5 s just after the run.
#
# Set-up: a public event three days ago, walk-ins added for
# BENCH_SURVEY_SETUP (wrk, bench/walkin.lua; walk-ins are not rate
# limited, registrations are), the event marked held (one token per
# attendee), the tokens read from GET …/attendance. That runs on the same
# database with the server restarted with --synchronous normal, so the
# supply is made quickly; the server is then restarted with its default
# synchronous=FULL for the measurement (and for later cases). A 2 s
# pilot on a quarter of the tokens gives the rate; when the other tokens
# would not last twice the run's duration at that rate (the rate of a
# run varies that much on a busy machine), walk-ins are added again
# (synchronous=normal) for as long as the set-up's rate takes to make
# the rest (survey_topup); the measured run takes every unanswered token
# and is shortened only when the top-up too fell short.
case_survey() {
	local setup=${BENCH_SURVEY_SETUP:-8s} srv_threads ev day line \
	    created n pilot_n run_n rps run_s want_s first responses raw1 \
	    raw2 rawn rows secs raw ratio pilot_ok m0 m1 topup="" first_n

	[ -x "$raw_bin" ] ||
		die "survey: $raw_bin is missing; run make $raw_bin"
	srv_threads=${BENCH_SERVER_THREADS:-$(nproc)}

	stop_server || die "survey: hearth failed before the set-up"
	start_server --synchronous normal
	day=$(date -u -d '3 days ago' +%Y-%m-%d)
	api_expect survey 201 POST /api/v1/events "$(printf '{"kind":"lecture",
	    "title":"压测：问卷提交","start":"%sT02:00:00Z",
	    "end":"%sT04:00:00Z","public":true}' "$day" "$day")"
	ev=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$tmp/api-body")
	[ -n "$ev" ] || die "survey: no event id in $(head -c 200 "$tmp/api-body")"
	api_expect survey 201 POST "/api/v1/events/$ev/attendance" \
	    '{"walk_in":{"name":"压测参加者"}}'
	line=$(wrk_result survey-setup "$root/bench/walkin.lua" "$setup" \
	    "$base/api/v1/events/$ev/attendance" \
	    "Authorization: Bearer $token") || exit 1
	created=$(field "$line" created)
	first_n=$created
	[ "$(field "$line" other)" = 0 ] ||
		die "survey: set-up walk-ins: $line (every answer must be 201)"
	api_expect survey 200 PATCH "/api/v1/events/$ev" '{"status":"held"}'
	n=$(survey_tokens "$tmp/tokens-all")
	[ "$n" -gt "$created" ] ||
		die "survey: $n survey tokens for $((created + 1)) attendees"
	[ "$(sort -u "$tmp/tokens-all" | wc -l)" = "$n" ] ||
		die "survey: the tokens are not unique"

	stop_server || die "survey: hearth (synchronous=normal) failed"
	start_server
	pilot_n=$((n / 4))
	run_n=$((n - pilot_n))
	head -n "$run_n" "$tmp/tokens-all" >"$tmp/tokens-run"
	tail -n "$pilot_n" "$tmp/tokens-all" >"$tmp/tokens-pilot"
	first=$(head -n 1 "$tmp/tokens-run")
	expect_status survey "/api/v1/surveys/$first" 200
	line=$(wrk_result survey-pilot "$root/bench/survey.lua" 2s \
	    "$base/api/v1/surveys/responses" "$tmp/tokens-pilot" \
	    "$wrk_threads") || exit 1
	# A pilot thread that ran out of tokens sends one unknown token (404).
	[ "$(field "$line" s409)" = 0 ] && [ "$(field "$line" exhausted)" != 0 ] ||
	    [ "$(field "$line" status_errors)" = 0 ] || {
		echo "bench survey: the pilot saw answers other than 201:" \
		    "409: $(field "$line" s409), $(field "$line" others)" >&2
		failed=1
	}
	pilot_ok=$(field "$line" s201)
	rps=$(echo "$line" | awk '{ for (i = 2; i <= NF; i++) {
		split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%d", v["s201"] / (v["duration_us"] / 1e6) }')
	want_s=$(seconds "$duration")
	# Too few tokens for four times the run at the pilot's rate: more
	# walk-ins (the event is held: each gets its token at once) for five
	# times the run at that rate (a 2 s pilot on a server just started
	# ran at 0.3-0.8 of the measured run's rate: 9,658/s against 29,358/s
	# once answers were batched, and three times ran out).
	if [ "$rps" -gt 0 ] && [ "$run_n" -lt $((rps * want_s * 4)) ]; then
		survey_topup $((rps * want_s * 5 - run_n)) || exit 1
	fi
	run_s=$want_s
	[ "$rps" -le 0 ] || [ $((run_n / (rps * 2))) -ge "$run_s" ] ||
		run_s=$((run_n / (rps * 2)))
	[ "$run_s" -ge 2 ] ||
		die "survey: $run_n tokens last less than 2 s at the pilot's" \
		    "$rps req/s; raise BENCH_SURVEY_SETUP (now $setup)"
	echo "bench survey set-up: $((first_n + 1)) walk-ins in $setup" \
	    "(synchronous=normal), held, $n tokens; pilot $rps req/s on" \
	    "$pilot_n, ${topup:-no top-up}; measured run ${run_s}s on $run_n"
	[ "$run_s" = "$want_s" ] || echo "bench survey: the run is shorter" \
	    "than ${want_s}s, the supply of tokens is too small for it" \
	    "(raise BENCH_SURVEY_SETUP, now $setup)"

	raw1=$("$raw_bin" "$raw_target" 2.5 1) || die "survey: $raw_name failed"
	m0=$(wal_counts)
	line=$(wrk_result survey "$root/bench/survey.lua" "${run_s}s" \
	    "$base/api/v1/surveys/responses" "$tmp/tokens-run" \
	    "$wrk_threads") || exit 1
	m1=$(wal_counts)
	raw2=$("$raw_bin" "$raw_target" 2.5 1 "$srv_threads") ||
		die "survey: $raw_name failed"
	summary survey "$line" non-201
	[ "$(field "$line" others)" = - ] ||
		echo "bench survey: answers other than 201 and 409 (status:count):" \
		    "$(field "$line" others)" >&2
	[ "$(field "$line" exhausted)" = 0 ] || {
		echo "bench survey: the tokens ran out during the run" \
		    "(raise BENCH_SURVEY_SETUP, now $setup)" >&2
		failed=1
	}
	[ "$(field "$line" s409)" = 0 ] || {
		echo "bench survey: $(field "$line" s409) answers were 409" \
		    "(a token used twice)" >&2
		failed=1
	}
	api_expect survey 200 GET "/api/v1/events/$ev/survey-results"
	# "responses" is one key of the answer's object, not the first.
	responses=$(sed -n 's/.*"responses":\([0-9]*\)[,}].*/\1/p' "$tmp/api-body")
	[ "${responses:-0}" -ge $((pilot_ok + $(field "$line" s201))) ] || {
		echo "bench survey: the event has ${responses:-no} responses," \
		    "fewer than the $((pilot_ok + $(field "$line" s201))) 201s" >&2
		failed=1
	}

	rawn=$(echo "$raw2" | sed -n 2p)
	raw2=$(echo "$raw2" | sed -n 1p)
	rows=$(($(field "$raw1" rows) + $(field "$raw2" rows)))
	secs=$(awk -v a="$(field "$raw1" seconds)" -v b="$(field "$raw2" seconds)" \
	    'BEGIN { print a + b }')
	raw=$(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", r / s }')
	echo "bench $raw_name: $raw inserts/s ($raw_label)"
	echo "bench $raw_name detail: 1 connection $(field "$raw1" rate)/s" \
	    "before and $(field "$raw2" rate)/s after the run;" \
	    "$srv_threads connections (the server's threads)" \
	    "$(field "$rawn" rate)/s"
	ratio=$(echo "$line" | awk -v raw="$raw" '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%.2f", v["requests"] / (v["duration_us"] / 1e6) / raw }')
	echo "bench survey/raw ratio: $ratio (target >= 1.0)"
	# SQLite's group commit only (PostgreSQL syncs each COMMIT itself).
	[ "$store" != sqlite ] || commits_per_sync survey "$m0" "$m1"
}

# survey_tokens FILE: the tokens of event $ev not answered yet, one a
# line, into FILE; how many.
survey_tokens() {
	api_expect survey 200 GET "/api/v1/events/$ev/attendance"
	# One attendee object a line (they hold no nested objects).
	{ tr '{' '\n' <"$tmp/api-body"; echo; } | sed -n \
	    '/"answered":false/s/.*"survey_token":"\([0-9a-f]*\)".*/\1/p' \
	    >"$1"
	wc -l <"$1"
}

# survey_topup N: at least N more tokens for case_survey's measured run
# (its variables): walk-ins added with the server at synchronous=normal
# for as long as the set-up's rate (created in setup) takes to make
# them, a quarter more (BENCH_SURVEY_TOPUP_MAX, default 120 s, at most;
# the top-up's own rate may be lower: the database is larger by then);
# tokens-run becomes every token not answered yet (the pilot's unused
# ones too), run_n their number; the server is back at its default
# synchronous=FULL.
survey_topup() {
	local want=$1 per_s secs max=${BENCH_SURVEY_TOPUP_MAX:-120} tl

	per_s=$((created / $(seconds "$setup")))
	[ "$per_s" -gt 0 ] || per_s=1
	secs=$((want * 5 / 4 / per_s + 1))
	[ "$secs" -le "$max" ] || secs=$max
	stop_server || die "survey: hearth failed before the top-up"
	start_server --synchronous normal
	tl=$(wrk_result survey-topup "$root/bench/walkin.lua" "${secs}s" \
	    "$base/api/v1/events/$ev/attendance" \
	    "Authorization: Bearer $token") || return 1
	[ "$(field "$tl" other)" = 0 ] ||
		die "survey: top-up walk-ins: $tl (every answer must be 201)"
	created=$((created + $(field "$tl" created)))
	run_n=$(survey_tokens "$tmp/tokens-run")
	topup="top-up $(field "$tl" created) walk-ins in ${secs}s"
	stop_server || die "survey: hearth (synchronous=normal) failed"
	start_server
}

# wal_counts: "commits syncs" of the server now (GET /metrics).
wal_counts() {
	api_get_json /metrics | awk '/^hearth_wal_commits_total / { c = $2 }
	    /^hearth_wal_syncs_total / { s = $2 } END { print c + 0, s + 0 }'
}

# commits_per_sync NAME "C0 S0" "C1 S1": the commits and WAL syncs the
# server did between two wal_counts (group commit: several commits that
# arrive together share one sync).
commits_per_sync() {
	echo "$2 $3" | awk -v n="$1" '{ c = $3 - $1; s = $4 - $2
	    printf "bench %s: %d commits, %d WAL syncs (%.1f commits a sync)\n",
	    n, c, s, (s > 0 ? c / s : 0) }'
}

# api_get_json PATH: the body of an authenticated GET.
api_get_json() {
	if [ "$BENCH_HTTP" = curl ]; then
		curl -sS --max-time 10 -H "Authorization: Bearer $token" "$base$1"
	else
		node -e '
			fetch(process.argv[1], { headers: { authorization: "Bearer " + process.argv[2] },
			    signal: AbortSignal.timeout(10000) })
			.then((r) => r.text()).then((t) => console.log(t))
			.catch((e) => { console.error(String(e)); process.exit(1); });
		' "$base$1" "$token"
	fi
}

# A long write while public writes go on (issue 17): wrk drives public
# registrations (bench/register.lua: an address and an e-mail of their
# own each, through X-Forwarded-For, the server trusting 127.0.0.1 as its
# proxy) for BENCH_IMPORT_DURATION (default 8s); a second after the start
# a coordinator imports a CSV of BENCH_IMPORT_ROWS (default 10,000) rows
# that creates as many stations. Prints the import's time and the
# registrations' rate, p99 and max over the whole run (goal: p99 < 100
# ms), and fails when a registration is not 201 or the import not 201.
# BENCH_IMPORT_CONNECTIONS (default 4) registrations at once: each holds
# the write lock for its mail too (a few ms), so 32 at once queue behind
# each other whatever else runs; 4 is a busy registration desk.
case_import() {
	local dur=${BENCH_IMPORT_DURATION:-8s} rows=${BENCH_IMPORT_ROWS:-10000}
	local conns=${BENCH_IMPORT_CONNECTIONS:-4}
	local ev day line t0 t1 status wrk_pid

	stop_server || die "import: hearth failed before the case"
	# info: the import's line of its time under the lock (and an access
	# line per request, a few µs each).
	server_log_level=info start_server --trusted-proxies 127.0.0.1
	day=$(date -u -d '10 days' +%Y-%m-%d)
	api_expect import 201 POST /api/v1/events "$(printf '{"kind":"lecture",
	    "title":"压测：导入时报名","start":"%sT02:00:00Z",
	    "end":"%sT04:00:00Z","public":true,"capacity":100000}' "$day" "$day")"
	ev=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$tmp/api-body")
	[ -n "$ev" ] || die "import: no event id"
	awk -v n="$rows" 'BEGIN {
		print "date,station,title,category,audience"
		for (i = 0; i < n; i++)
			printf "2027-%02d-%02d,压测导入驻点%d,压测讲座%d,讲座,社区居民\n",
			    i % 12 + 1, i % 28 + 1, i, i
	}' >"$tmp/import.csv"
	wrk -t"$wrk_threads" -c"$conns" -d"$dur" --timeout 10s \
	    --latency -s "$root/bench/register.lua" \
	    "$base/api/v1/events/$ev/registrations" >"$tmp/wrk-import.txt" 2>&1 &
	wrk_pid=$!
	sleep 1
	t0=$(date +%s%N)
	status=$(curl -sS --max-time 120 -o "$tmp/import-body" -w '%{http_code}' \
	    -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
	    --data-binary @"$tmp/import.csv" \
	    "$base/api/v1/events/import?create_stations=1") ||
		die "import: curl failed"
	t1=$(date +%s%N)
	wait "$wrk_pid" || { cat "$tmp/wrk-import.txt" >&2; die "import: wrk failed"; }
	line=$(grep '^BENCH-RESULT ' "$tmp/wrk-import.txt") ||
		{ cat "$tmp/wrk-import.txt" >&2; die "import: no result from wrk"; }
	echo "bench import: $rows rows creating $rows stations in" \
	    "$(( (t1 - t0) / 1000000 )) ms (status $status) during the registrations"
	[ "$status" = 201 ] || { head -c 300 "$tmp/import-body" >&2; failed=1; }
	echo "$line" | awk '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "bench import/registrations: %.0f req/s, p50 %.2f ms, p99 %.2f ms (goal < 100 ms), max %.2f ms, non-201: %d, socket errors: %d\n",
		    v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000,
		    v["p99_us"] / 1000,
		    v["max_us"] / 1000, v["other"],
		    v["connect"] + v["read"] + v["write"] + v["timeout"]
	}'
	[ "$(field "$line" other)" = 0 ] || failed=1
	# The import's own account of its time under the write lock.
	sed -n 's/.*msg="events import" \(.*\)/bench import detail: \1/p' \
	    "$tmp/server.log"
	stop_server || die "import: hearth failed"
	start_server
}
# Public registrations under load (issue 15, group commit): wrk drives
# POST /events/{id}/registrations (bench/register.lua: an address and an
# e-mail of their own each, through X-Forwarded-For, the server trusting
# 127.0.0.1) with BENCH_CONNECTIONS at once for BENCH_DURATION; each is
# one transaction (the registration, its opt-out token, its reminder
# mails in the outbox) acknowledged after the WAL sync that holds it.
# Compared with build/bench/sqlite_raw on the same disk (one-row
# transactions with synchronous=FULL, 2.5 s before and after the run),
# as the survey case does. Prints
#   bench register: <n> req/s, p99 …
#   bench register/raw ratio: <x> (target >= 1.0)
# and the syncs the server did (GET /metrics, hearth_wal_syncs_total)
# against its commits.
case_register() {
	local day ev line raw1 raw2 rows secs raw ratio m0 m1
	[ -x "$raw_bin" ] ||
		die "register: $raw_bin is missing; run make build/bench/sqlite_raw"
	stop_server || die "register: hearth failed before the case"
	start_server --trusted-proxies 127.0.0.1
	day=$(date -u -d '12 days' +%Y-%m-%d)
	api_expect register 201 POST /api/v1/events "$(printf '{"kind":"lecture",
	    "title":"压测：报名","start":"%sT02:00:00Z",
	    "end":"%sT04:00:00Z","public":true,"capacity":100000}' "$day" "$day")"
	ev=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$tmp/api-body")
	[ -n "$ev" ] || die "register: no event id"
	# BENCH_REGISTER_EXISTING=N (default 0; needs sqlite3): the event
	# holds N registrations before the run (each its own e-mail),
	# written with the server stopped; the restart fills their keys.
	if [ "${BENCH_REGISTER_EXISTING:-0}" -gt 0 ]; then
		stop_server || die "register: hearth failed before the fill"
		sqlite3 "$bench_db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
		    SELECT i + 1 FROM n WHERE i < $BENCH_REGISTER_EXISTING)
		    INSERT INTO registrations (event_id, token, name, email,
		    created_at, updated_at) SELECT $ev, 'prefill' || i,
		    'prefill' || i, 'prefill' || i || '@example.org',
		    strftime('%s', 'now'), strftime('%s', 'now') FROM n" ||
			die "register: the fill failed"
		start_server --trusted-proxies 127.0.0.1
	fi
	m0=$(api_get_json /metrics | { grep -E '^hearth_wal_(commits|syncs)_total ' || true; } | tr '\n' ' ')
	raw1=$("$raw_bin" "$tmp" 2.5 1) || die "register: sqlite_raw failed"
	line=$(wrk_result register "$root/bench/register.lua" "$duration" \
	    "$base/api/v1/events/$ev/registrations") || exit 1
	raw2=$("$raw_bin" "$tmp" 2.5 1) || die "register: sqlite_raw failed"
	m1=$(api_get_json /metrics | { grep -E '^hearth_wal_(commits|syncs)_total ' || true; } | tr '\n' ' ')
	echo "$line" | awk '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "bench register: %.0f req/s, p99 %.2f ms, non-201: %d, socket errors: %d\n",
		    v["s201"] / (v["duration_us"] / 1e6), v["p99_us"] / 1000, v["other"],
		    v["connect"] + v["read"] + v["write"] + v["timeout"]
	}'
	[ "$(field "$line" other)" = 0 ] || failed=1
	rows=$(($(field "$raw1" rows) + $(field "$raw2" rows)))
	secs=$(awk -v a="$(field "$raw1" seconds)" -v b="$(field "$raw2" seconds)" \
	    'BEGIN { print a + b }')
	raw=$(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", r / s }')
	echo "bench register sqlite_raw: $raw inserts/s (synchronous=FULL, WAL," \
	    "one row per transaction; $(field "$raw1" rate)/s before and" \
	    "$(field "$raw2" rate)/s after the run)"
	ratio=$(echo "$line" | awk -v raw="$raw" '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%.2f", v["s201"] / (v["duration_us"] / 1e6) / raw }')
	echo "bench register/raw ratio: $ratio (target >= 1.0)"
	if [ -n "$m0" ] && [ -n "$m1" ]; then
		echo "$m0 $m1" | awk '{ printf "bench register: %d commits, %d WAL syncs (%.1f commits a sync)\n",
		    $6 - $2, $8 - $4, (($8 - $4) > 0 ? ($6 - $2) / ($8 - $4) : 0) }'
	fi
	stop_server || die "register: hearth failed"
	start_server
}

# The feed cases and their anchors (nginx, libical): bench/feeds.sh.
h1load=${BENCH_H1LOAD_BIN:-build/bench/h1load}
ical_anchor=${BENCH_ICAL_ANCHOR_BIN:-build/bench/ical_anchor}
# shellcheck source=bench/feeds.sh
. "$root/bench/feeds.sh"

# --- main -----------------------------------------------------------------------

selected=${*:-$CASES}
for c in $selected; do
	declare -F "case_$c" >/dev/null || die "unknown case \"$c\" (cases: $CASES)"
done
failed=0
start_server
rss_idle=$(rss_line "$server_pid")
echo "bench: hearth $("$bin" version | sed 's/^hearth //') at $base" \
    "(demo data, HEARTH_LOG_LEVEL=warn);" \
    "wrk -t$wrk_threads -c$wrk_conns -d$duration, probes via $BENCH_HTTP"
for c in $selected; do
	"case_$c"
done
stop_server
if [ "$failed" != 0 ]; then
	echo "bench: a case saw error answers (status >= 400; survey: any" \
	    "status but 201) or ran out of survey tokens" >&2
	exit 1
fi
