# Feed cases of `make bench` (sourced by bench/run.sh; uses its helpers,
# $tmp, $base, $token and $server_pid). Each case runs side by side with
# its anchor in the same run, alternating, BENCH_REPEAT times (default
# 3), and prints every run and the median ratio:
#
#   feed          a counsellor's 2,000-item feed (BENCH_FEED_ITEMS), 200,
#                 against nginx serving the same bytes as a static file
#   feed_304      the same with If-None-Match, against nginx's 304; run
#                 with wrk, and with bench/h1load (see there) for both
#   feed_gzip     Accept-Encoding: gzip, against nginx gzip_static on the
#                 same bytes compressed by gzip -9; and the sizes
#   feed_rebuild  the first GET after one change (a PATCH of one event),
#                 against libical's whole build + serialize of the same
#                 feed (bench/ical_anchor); BENCH_REBUILD_ROUNDS (15)
#   rss           the server's resident memory: idle (at start), after
#                 the feed load (now), and its peak (VmHWM)
#
# nginx is Debian's (/usr/sbin/nginx, make deps-bench), started by the
# bench on 127.0.0.1 with a temporary configuration (two workers, as
# hearth has two threads on this machine; sendfile, keep-alive, no access
# log) and stopped by its pid.

feed_ready=""
nginx_pid=""
nginx_base=""
rss_idle=""
repeat=${BENCH_REPEAT:-3}

# rss_line PID: "VmRSS VmHWM" in kB.
rss_line() {
	awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' \
	    "/proc/$1/status"
}

# A free TCP port on 127.0.0.1 (nginx cannot take port 0).
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	die "no free port for nginx"
}

start_nginx() {
	local port dir=$tmp/nginx
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ||
		die "nginx is not installed; run make deps-bench"
	port=$(free_port)
	mkdir -p "$dir/logs" "$dir/tmp"
	cat >"$dir/nginx.conf" <<EOF
daemon off;
user $(id -un);
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	client_body_temp_path $dir/tmp;
	proxy_temp_path $dir/tmp;
	fastcgi_temp_path $dir/tmp;
	uwsgi_temp_path $dir/tmp;
	scgi_temp_path $dir/tmp;
	types { text/calendar ics; }
	server {
		listen 127.0.0.1:$port;
		root $tmp/www;
		gzip_static on;
	}
}
EOF
	/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/logs/stdout" 2>&1 &
	nginx_pid=$!
	nginx_base="http://127.0.0.1:$port"
	for _ in $(seq 1 50); do
		curl -s -o /dev/null "$nginx_base/feed.ics" && return 0
		sleep 0.1
	done
	cat "$dir/logs/error.log" "$dir/logs/stdout" >&2
	die "nginx did not start"
}

stop_nginx() {
	[ -n "$nginx_pid" ] || return 0
	kill -QUIT "$nginx_pid" 2>/dev/null || true
	wait "$nginx_pid" 2>/dev/null || true
	nginx_pid=""
}

# Once: the 2,000-item feed, its bytes for nginx (plain and gzip -9),
# nginx itself, and the server's idle RSS taken before any of it.
feed_prepare() {
	local line
	[ -z "$feed_ready" ] || return 0
	[ -n "$rss_idle" ] || rss_idle=$(rss_line "$server_pid")
	line=$(node "$root/bench/feed_setup.mjs" "$base" "$token" \
	    "${BENCH_FEED_ITEMS:-2000}") || die "feed: set-up failed"
	echo "bench feed set-up: $line"
	feed_path=$(api_get_json /api/v1/counsellors/1 |
	    sed -n 's|.*"feed_url":"http://[^/]*\(/feeds/[^"]*\)".*|\1|p')
	[ -n "$feed_path" ] || die "feed: no feed_url for counsellor 1"
	mkdir -p "$tmp/www"
	curl -sS --max-time 30 -o "$tmp/www/feed.ics" "$base$feed_path" ||
		die "feed: GET failed"
	gzip -9 -c "$tmp/www/feed.ics" >"$tmp/www/feed.ics.gz"
	start_nginx
	feed_ready=1
}

# wrk_rps NAME URL [HEADER...]: one wrk run, its req/s (0 when it
# completed no response); a run with errors marks the bench failed.
wrk_rps() {
	local name=$1 url=$2 line
	shift 2
	line=$(wrk_result "$name" "$lua" "$duration" "$url" "$@") || exit 1
	echo "$line" | awk '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		rps = 0
		if (v["duration_us"] > 0) rps = v["requests"] / (v["duration_us"] / 1e6)
		printf "%.0f %d\n", rps, v["status_errors"] + v["connect"] + v["read"] + v["write"] + v["timeout"]
	}'
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print v[int((NR + 1) / 2)] }'
}

# side_by_side NAME LABEL ANCHOR-LABEL PATH NGINX-PATH [HEADER...]: wrk
# against nginx then hearth, repeat times; prints each run and the
# median ratio hearth/anchor.
side_by_side() {
	local name=$1 label=$2 alabel=$3 path=$4 npath=$5 r h n he ne runs=""
	shift 5
	: >"$tmp/ratios"
	for r in $(seq 1 "$repeat"); do
		read -r n ne <<<"$(wrk_rps "$name-nginx" "$nginx_base$npath" "$@")"
		read -r h he <<<"$(wrk_rps "$name" "$base$path" "$@")"
		[ "$he" = 0 ] && [ "$ne" = 0 ] || failed=1
		runs="$runs $h/$n"
		awk -v h="$h" -v n="$n" 'BEGIN { printf "%.3f\n", (n > 0 ? h / n : 0) }' \
		    >>"$tmp/ratios"
	done
	echo "bench $name: $label, hearth/$alabel req/s per run:$runs;" \
	    "ratio median $(median <"$tmp/ratios") (runs: $(sort -g "$tmp/ratios" | tr '\n' ' ' | sed 's/ $//'))"
}

case_feed() {
	feed_prepare
	expect_status feed "$feed_path" 200
	side_by_side feed "$(grep -c 'BEGIN:VEVENT' "$tmp/www/feed.ics") events, $(wc -c <"$tmp/www/feed.ics") bytes, 200" \
	    "nginx static" "$feed_path" /feed.ics
}

case_feed_304() {
	local etag netag line r h n runs=""
	feed_prepare
	etag=$(http_get "$feed_path" header:etag)
	netag=$(curl -sS -D - -o /dev/null "$nginx_base/feed.ics" | tr -d '\r' |
	    sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
	expect_status feed_304 "$feed_path" 304 "If-None-Match: $etag"
	# wrk first, as the issue measures it: does it complete the 304?
	line=$(wrk -t"$wrk_threads" -c"$wrk_conns" -d2s --timeout 2s \
	    -s "$lua" "$base$feed_path" -- "If-None-Match: $etag" 2>&1 |
	    grep '^BENCH-RESULT' || true)
	echo "bench feed_304 (wrk): hearth completed $(field "$line" requests)" \
	    "responses in 2 s (wrk reads the 200's Content-Length on a 304 as" \
	    "a body to wait for); nginx sends none"
	: >"$tmp/ratios"
	for r in $(seq 1 "$repeat"); do
		n=$("$h1load" "$wrk_threads" "$wrk_conns" "$(seconds "$duration")" \
		    127.0.0.1 "${nginx_base##*:}" /feed.ics "If-None-Match: $netag")
		h=$("$h1load" "$wrk_threads" "$wrk_conns" "$(seconds "$duration")" \
		    127.0.0.1 "${base##*:}" "$feed_path" "If-None-Match: $etag")
		[ "$(field "$h" errors)" = 0 ] && [ "$(field "$n" errors)" = 0 ] &&
		    [ "$(field "$h" status_304)" = "$(field "$h" requests)" ] &&
		    [ "$(field "$n" status_304)" = "$(field "$n" requests)" ] || {
			echo "bench feed_304: errors or non-304 answers: hearth $h; nginx $n" >&2
			failed=1
		}
		runs="$runs $(field "$h" rps)/$(field "$n" rps)"
		awk -v h="$(field "$h" rps)" -v n="$(field "$n" rps)" \
		    'BEGIN { printf "%.3f\n", (n > 0 ? h / n : 0) }' >>"$tmp/ratios"
	done
	echo "bench feed_304 (h1load): 304 on If-None-Match, hearth/nginx req/s" \
	    "per run:$runs; ratio median $(median <"$tmp/ratios") (runs:" \
	    "$(sort -g "$tmp/ratios" | tr '\n' ' ' | sed 's/ $//'))"
}

case_feed_gzip() {
	local hz
	feed_prepare
	expect_status feed_gzip "$feed_path" 200 "Accept-Encoding: gzip"
	hz=$(curl -sS --max-time 30 -H 'Accept-Encoding: gzip' -o "$tmp/hearth.gz" \
	    -w '%{size_download}' "$base$feed_path")
	gzip -dc "$tmp/hearth.gz" | cmp -s - "$tmp/www/feed.ics" ||
		{ echo "bench feed_gzip: hearth's gzip is not the feed" >&2; failed=1; }
	echo "bench feed_gzip sizes: hearth $hz B, gzip -9 $(wc -c <"$tmp/www/feed.ics.gz") B" \
	    "(ratio $(awk -v a="$hz" -v b="$(wc -c <"$tmp/www/feed.ics.gz")" \
	    'BEGIN { printf "%.3f", a / b }')), plain $(wc -c <"$tmp/www/feed.ics") B"
	side_by_side feed_gzip "gzip" "nginx gzip_static" "$feed_path" \
	    /feed.ics "Accept-Encoding: gzip"
}

# ms_of SECONDS: milliseconds with two decimals.
ms_of() {
	awk -v s="$1" 'BEGIN { printf "%.2f\n", s * 1000 }'
}

case_feed_rebuild() {
	local rounds=${BENCH_REBUILD_ROUNDS:-15} ev r a t g
	feed_prepare
	ev=$(sed -n 's/^UID:event-\([0-9]*\)@.*/\1/p' "$tmp/www/feed.ics" |
	    sed -n 10p)
	[ -n "$ev" ] || die "feed_rebuild: no event in the feed"
	: >"$tmp/anchor" && : >"$tmp/plain" && : >"$tmp/gz" && : >"$tmp/ratios"
	for r in $(seq 1 "$rounds"); do
		a=$("$ical_anchor" "$tmp/www/feed.ics" 3)
		[ "$(field "$a" identical)" = yes ] ||
			echo "bench feed_rebuild: libical's build differs from the feed" >&2
		field "$a" median_ms >>"$tmp/anchor"
		api_expect feed_rebuild 200 PATCH "/api/v1/events/$ev" \
		    "{\"title\":\"压测：改名 $r\"}"
		t=$(curl -sS --max-time 30 -o /dev/null -w '%{time_total}' "$base$feed_path")
		ms_of "$t" >>"$tmp/plain"
		api_expect feed_rebuild 200 PATCH "/api/v1/events/$ev" \
		    "{\"title\":\"压测：又改名 $r\"}"
		g=$(curl -sS --max-time 30 -o /dev/null -H 'Accept-Encoding: gzip' \
		    -w '%{time_total}' "$base$feed_path")
		ms_of "$g" >>"$tmp/gz"
		awk -v t="$(tail -1 "$tmp/plain")" -v a="$(field "$a" median_ms)" \
		    'BEGIN { printf "%.3f\n", t / a }' >>"$tmp/ratios"
	done
	echo "bench feed_rebuild: first GET after one change, $rounds rounds:" \
	    "hearth $(median <"$tmp/plain") ms (min $(sort -g "$tmp/plain" | head -1)," \
	    "max $(sort -g "$tmp/plain" | tail -1)); with gzip" \
	    "$(median <"$tmp/gz") ms (min $(sort -g "$tmp/gz" | head -1), max" \
	    "$(sort -g "$tmp/gz" | tail -1)); libical whole build + serialize" \
	    "$(median <"$tmp/anchor") ms (min $(sort -g "$tmp/anchor" | head -1)," \
	    "max $(sort -g "$tmp/anchor" | tail -1))"
	echo "bench feed_rebuild ratio: $(median <"$tmp/ratios") (per round:" \
	    "$(sort -g "$tmp/ratios" | head -1)–$(sort -g "$tmp/ratios" | tail -1));" \
	    "gzip $(awk -v g="$(median <"$tmp/gz")" -v a="$(median <"$tmp/anchor")" \
	    'BEGIN { printf "%.3f", g / a }') (target <= 0.5)"
	# perf15: the gzip forms' chunks since start (svc/core/gzjoin.c).
	curl -sS -H "Authorization: Bearer $token" "$base/metrics" 2>/dev/null |
	    awk -v r="$rounds" '/^hearth_feed_gzip_chunks_total\{result="reused"\}/ { u = $2 }
	    /^hearth_feed_gzip_chunks_total\{result="made"\}/ { m = $2 }
	    /^hearth_feed_gzip_deflated_bytes_total/ { d = $2 }
	    END { printf "bench feed_rebuild gzip chunks since start: %d reused, %d deflated (%.1f MB of text; %d rounds with gzip)\n", u, m, d / 1048576, r }'
}

case_rss() {
	local now
	[ -n "$rss_idle" ] || rss_idle=$(rss_line "$server_pid")
	now=$(rss_line "$server_pid")
	echo "bench rss: idle $(awk -v k="${rss_idle% *}" 'BEGIN { printf "%.1f", k / 1024 }') MB;" \
	    "after the feed load $(awk -v k="${now% *}" 'BEGIN { printf "%.1f", k / 1024 }') MB" \
	    "(peak $(awk -v k="${now#* }" 'BEGIN { printf "%.1f", k / 1024 }') MB);" \
	    "feed caches: $(curl -sS -H "Authorization: Bearer $token" "$base/metrics" 2>/dev/null |
	    awk '/^hearth_feed_cache_bytes/ { c = $2 } /^hearth_feed_piece_bytes/ { p = $2 }
	    END { printf "%.1f MB of feeds, %.1f MB of pieces", c / 1048576, p / 1048576 }')" \
	    "(targets: < 15 MB idle, < 30 MB after the load)"
}
