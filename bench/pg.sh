# The PostgreSQL store for `make bench` (sourced by bench/run.sh when
# BENCH_STORE=pg): a throwaway cluster of Debian's postgresql-15 (initdb +
# pg_ctl, as tests/lib/pg.mjs starts the tests' one) in a temporary
# directory of its own (the postgres user's when we are root), on a
# Unix socket there only, with the settings of a production server:
# fsync, full page writes and synchronous_commit on. Started once,
# stopped by its postmaster's pid when the bench exits (SIGINT: fast
# shutdown). Sets pg_uri (Hearth's database, hearth_bench) and
# pg_raw_uri (bench/pg_raw's, pg_raw, on the same cluster).

pg_bin=${HEARTH_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_pid=""
pg_dir=""

# pg_as CMD ARG...: as the postgres user when we are root (initdb and
# the server refuse to run as root).
pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_bench_start() {
	local dir
	[ -x "$pg_bin/initdb" ] ||
		die "PostgreSQL 15 is not installed ($pg_bin); run make deps-bench"
	dir=$(mktemp -d "${TMPDIR:-/tmp}/hearth-bench-pg.XXXXXX")
	pg_dir=$dir
	[ "$(id -u)" != 0 ] || chown postgres "$dir"
	pg_as "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
	    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	pg_as "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
	    "-k $dir -p 5432 -c listen_addresses= -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=100" \
	    start >/dev/null ||
		{ cat "$dir/log" >&2; die "the PostgreSQL cluster did not start"; }
	pg_pid=$(head -n 1 "$dir/data/postmaster.pid")
	"$pg_bin/createdb" -h "$dir" -p 5432 -U postgres hearth_bench ||
		die "createdb hearth_bench failed"
	"$pg_bin/createdb" -h "$dir" -p 5432 -U postgres pg_raw ||
		die "createdb pg_raw failed"
	pg_uri="postgresql:///hearth_bench?host=$dir&port=5432&user=postgres"
	pg_raw_uri="postgresql:///pg_raw?host=$dir&port=5432&user=postgres"
}

pg_bench_stop() {
	if [ -n "$pg_pid" ]; then
		kill -INT "$pg_pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pg_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -QUIT "$pg_pid" 2>/dev/null || true
		pg_pid=""
	fi
	[ -z "$pg_dir" ] || rm -rf "$pg_dir"
	pg_dir=""
}
