-- wrk script for bench/run.sh.
--
-- Request headers come as script arguments after "--", one "Name: value"
-- each (wrk -s bench/report.lua URL -- "Authorization: Bearer …"), so
-- one script serves every case. done() prints one machine-readable line
-- that run.sh turns into its summary:
--   BENCH-RESULT requests=N duration_us=N p50_us=N p99_us=N max_us=N
--     status_errors=N connect=N read=N write=N timeout=N
-- status_errors is wrk's count of answers with a status >= 400.

function init(args)
	for _, h in ipairs(args) do
		local name, value = h:match("^([^:]+):%s*(.*)$")
		if name ~= nil then
			wrk.headers[name] = value
		end
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"BENCH-RESULT requests=%d duration_us=%d p50_us=%.0f " ..
		"p99_us=%.0f max_us=%.0f status_errors=%d connect=%d read=%d " ..
		"write=%d timeout=%d\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, e.status, e.connect, e.read,
		e.write, e.timeout))
end
