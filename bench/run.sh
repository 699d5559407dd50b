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
# Exits non-zero when the server does not start, a probe answers the
# wrong status, or a case saw answers with a status >= 400.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

CASES="stations static_304 app_js"

duration=${BENCH_DURATION:-10s}
wrk_threads=${BENCH_THREADS:-2}
wrk_conns=${BENCH_CONNECTIONS:-32}
bin=${BENCH_BIN:-build/hearth}
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
	stop_server || rc=1
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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

# --- the server -----------------------------------------------------------------

start_server() {
	local password url
	password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	"$bin" demo --db "$tmp/hearth.db" >"$tmp/demo.log" 2>&1 ||
		{ cat "$tmp/demo.log" >&2; die "hearth demo failed"; }
	# A copy of web/ plus one empty file for the static_304 case.
	mkdir "$tmp/web"
	cp -R "$root/web/." "$tmp/web/"
	: >"$tmp/web/bench-empty.txt"
	local args=(serve --db "$tmp/hearth.db" --listen 127.0.0.1:0
	    --web-dir "$tmp/web")
	[ -z "${BENCH_SERVER_THREADS:-}" ] ||
		args+=(--threads "$BENCH_SERVER_THREADS")
	HEARTH_ADMIN_PASSWORD=$password HEARTH_LOG_LEVEL=warn \
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
	echo "bench: hearth $("$bin" version | sed 's/^hearth //') at $base" \
	    "(demo data, HEARTH_LOG_LEVEL=warn);" \
	    "wrk -t$wrk_threads -c$wrk_conns -d$duration, probes via $BENCH_HTTP"
}

# --- load -----------------------------------------------------------------------

# run_wrk NAME PATH [HEADER...]: wrk against PATH with the headers, then
# the summary line of the case.
run_wrk() {
	local name=$1 path=$2 out line
	shift 2
	out="$tmp/wrk-$name.txt"
	wrk -t"$wrk_threads" -c"$wrk_conns" -d"$duration" --timeout 5s \
	    --latency -s "$lua" "$base$path" -- "$@" >"$out" 2>&1 ||
		{ cat "$out" >&2; die "$name: wrk failed"; }
	[ "${BENCH_VERBOSE:-0}" = 0 ] || grep -v '^BENCH-RESULT' "$out"
	line=$(grep '^BENCH-RESULT' "$out") ||
		{ cat "$out" >&2; die "$name: no result from wrk"; }
	line=$(echo "$line" | awk -v name="$name" '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		rps = v["duration_us"] > 0 ? v["requests"] / (v["duration_us"] / 1e6) : 0
		printf "bench %s: %.0f req/s, p99 %.2f ms, non-2xx/3xx: %d, socket errors: %d\n",
		    name, rps, v["p99_us"] / 1000, v["status_errors"],
		    v["connect"] + v["read"] + v["write"] + v["timeout"]
	}')
	echo "$line"
	case $line in
	*"non-2xx/3xx: 0,"*) ;;
	*) failed=1 ;;
	esac
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

# --- main -----------------------------------------------------------------------

selected=${*:-$CASES}
for c in $selected; do
	declare -F "case_$c" >/dev/null || die "unknown case \"$c\" (cases: $CASES)"
done
failed=0
start_server
for c in $selected; do
	"case_$c"
done
stop_server
if [ "$failed" != 0 ]; then
	echo "bench: a case saw error answers (status >= 400)" >&2
	exit 1
fi
