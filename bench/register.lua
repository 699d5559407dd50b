-- wrk script for bench/run.sh, case import: public registrations.
--
-- POSTs {"name","email"} to the URL (an event's /registrations), each
-- request with an e-mail of its own and an X-Forwarded-For address of its
-- own (the server trusts 127.0.0.1 as a proxy in this case), so the
-- per-address limits of public writes do not cut the load short. No
-- traffic goes to those addresses: they are header values only.
-- done() prints
--   BENCH-RESULT requests=N duration_us=N p50_us=N p99_us=N max_us=N
--     status_errors=N connect=N read=N write=N timeout=N s201=N other=N

local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", #threads)
	table.insert(threads, thread)
end

function init(args)
	s201, other, n = 0, 0, 0
end

function request()
	n = n + 1
	local k = id * 1000000 + n
	local body = string.format('{"name":"压测报名%d","email":"load%d@example.org"}', k, k)
	local xff = string.format("10.%d.%d.%d", id % 250, math.floor(n / 250) % 250, n % 250 + 1)
	return wrk.format("POST", nil, {["Content-Type"] = "application/json",
		["X-Forwarded-For"] = xff}, body)
end

function response(status, headers, body)
	if status == 201 then
		s201 = s201 + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local a, o = 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("s201")
		o = o + t:get("other")
	end
	local e = summary.errors
	io.write(string.format(
		"BENCH-RESULT requests=%d duration_us=%d p50_us=%.0f " ..
		"p99_us=%.0f max_us=%.0f status_errors=%d connect=%d read=%d " ..
		"write=%d timeout=%d s201=%d other=%d\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, e.status, e.connect, e.read,
		e.write, e.timeout, a, o))
end
