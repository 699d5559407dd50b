#!/usr/bin/env bash
# `make bench`, both stores (issue 16 item 7): the feed cases, the survey
# case and the roster case once on SQLite and once on PostgreSQL (a
# throwaway cluster with fsync and synchronous_commit on: bench/pg.sh for
# bench/run.sh, tests/lib/pg.mjs with HEARTH_PG_DURABLE=1 for
# bench/roster.mjs), one after the other on this machine, then every
# figure of the two side by side (bench/stores.mjs). The survey case's
# anchor is each store's own: sqlite_raw, and pg_raw on the same cluster.
#
# Knobs: BENCH_STORES_CASES (default: feed feed_304 feed_gzip
# feed_rebuild survey), and those of bench/run.sh and bench/roster.mjs.
# Exits non-zero when a case failed on either store (the side-by-side
# is printed anyway).
set -uo pipefail

cd "$(dirname "$0")/.."
cases=${BENCH_STORES_CASES:-feed feed_304 feed_gzip feed_rebuild survey}
bin=${BENCH_BIN:-build/hearth}
out=$(mktemp -d "${TMPDIR:-/tmp}/hearth-bench-stores.XXXXXX")
trap 'rm -rf "$out"' EXIT
rc=0
for store in sqlite pg; do
	echo "bench stores: $cases and roster on $store"
	# shellcheck disable=SC2086
	BENCH_STORE=$store bench/run.sh $cases | tee "$out/$store.txt" || rc=1
	if [ "$store" = pg ]; then
		HEARTH_TEST_STORE=pg HEARTH_PG_DURABLE=1 HEARTH_BIN=$PWD/$bin \
		    node bench/roster.mjs
	else
		HEARTH_TEST_STORE= HEARTH_BIN=$PWD/$bin node bench/roster.mjs
	fi | tee -a "$out/$store.txt" || rc=1
done
node bench/stores.mjs "$out/sqlite.txt" "$out/pg.txt" || rc=1
exit "$rc"
