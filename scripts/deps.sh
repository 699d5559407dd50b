#!/bin/sh
# Installs what the build, the tests or the benchmark need and the machine
# lacks: Debian packages through apt-get (skipping those dpkg already has)
# and the npm packages of package-lock.json through `npm ci`.
# Usage: scripts/deps.sh build|test|bench
set -eu
cd "$(dirname "$0")/.."

build_pkgs="gcc make pkg-config libc6-dev tzdata ca-certificates
 libmicrohttpd-dev libsqlite3-dev libical-dev libesmtp-dev libjansson-dev
 libsodium-dev libqrencode-dev libxlsxwriter-dev libssl-dev zlib1g-dev
 libcurl4-openssl-dev john-data libpq-dev"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev clang-format chromium fonts-noto-cjk openssl sqlite3"
# PostgreSQL for the second store of make test (issue 16): initdb, pg_ctl, psql.
test_pkgs="$test_pkgs postgresql-15"
# nginx in front of two instances (issue 16, tests/pg/multi.test.mjs).
test_pkgs="$test_pkgs nginx"
# make valgrind (memcheck over the unit tests and e2e files, not in make test).
test_pkgs="$test_pkgs valgrind"
bench_pkgs="wrk nginx"
# make bench runs its cases on PostgreSQL too (issue 16 item 7).
bench_pkgs="$bench_pkgs postgresql-15"

case "${1:-build}" in
build) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
bench) want="$build_pkgs $bench_pkgs" ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing Debian packages and not root; install:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages: the web vendor libraries (always) and the test harness.
if ! command -v npm >/dev/null 2>&1; then
	echo "deps: node and npm are required (use the machine's Node.js 20)" >&2
	exit 1
fi
# The stamp holds the lock file's digest: a checkout or a worktree gives
# the lock file a new mtime without changing it, and reinstalling then
# would wipe node_modules under every process using it.
stamp=node_modules/.hearth-npm-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	npm ci --no-audit --no-fund
	echo "$want" > "$stamp"
else
	touch "$stamp"
fi
