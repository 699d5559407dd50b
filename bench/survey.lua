-- wrk script for bench/run.sh, case survey: one survey answer per request,
-- each with a token no other request uses.
--
-- Arguments after "--": TOKENS (a file, one survey token a line) and
-- THREADS (wrk's -t). Thread i of n takes the i-th of n contiguous
-- slices of the file, so no two requests carry the same token. A thread
-- whose slice runs out stops and counts it as "exhausted" (run.sh then
-- fails the case: the measured run must end before the supply does).
--
-- done() prints the line report.lua prints, with status_errors counting
-- every answer other than 201, and s409 (already answered) and exhausted:
--   BENCH-RESULT requests=N duration_us=N p50_us=N p99_us=N max_us=N
--     status_errors=N connect=N read=N write=N timeout=N s201=N s409=N
--     exhausted=N others=STATUS:N,…
-- (others lists every status other than 201 and 409, or is "-").

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads - 1)
end

function init(args)
	local path, nthreads = args[1], tonumber(args[2])
	local all = {}
	for line in io.lines(path) do
		if line ~= "" then
			all[#all + 1] = line
		end
	end
	local first = math.floor(#all * id / nthreads) + 1
	local last = math.floor(#all * (id + 1) / nthreads)
	local headers = {["Content-Type"] = "application/json"}
	reqs = {}
	for i = first, last do
		reqs[#reqs + 1] = wrk.format("POST", nil, headers,
			'{"token":"' .. all[i] .. '","answers":' ..
			'{"overall":5,"comment":"很好"}}')
	end
	-- What a thread sends once its slice is used up: an unknown token
	-- (404), never a repeated one.
	spent = wrk.format("POST", nil, headers,
		'{"token":"exhausted","answers":{"overall":5}}')
	next_req, s201, s409, other, exhausted = 1, 0, 0, 0, 0
	by_status = {}
	others = ""
end

function request()
	local r = reqs[next_req]
	if r == nil then
		if exhausted == 0 then
			exhausted = 1
			wrk.thread:stop()
		end
		return spent
	end
	next_req = next_req + 1
	return r
end

function response(status, headers, body)
	if status == 201 then
		s201 = s201 + 1
	elseif status == 409 then
		s409 = s409 + 1
	else
		other = other + 1
		by_status[status] = (by_status[status] or 0) + 1
		local parts = {}
		for k, v in pairs(by_status) do
			parts[#parts + 1] = k .. ":" .. v
		end
		others = table.concat(parts, ",")
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	local ok, conflict, bad, ex = 0, 0, 0, 0
	local by, list = {}, {}
	for _, t in ipairs(threads) do
		ok = ok + t:get("s201")
		conflict = conflict + t:get("s409")
		bad = bad + t:get("other")
		ex = ex + t:get("exhausted")
		for k, v in string.gmatch(t:get("others"), "(%d+):(%d+)") do
			by[k] = (by[k] or 0) + tonumber(v)
		end
	end
	for k, v in pairs(by) do
		list[#list + 1] = k .. ":" .. v
	end
	table.sort(list)
	io.write(string.format(
		"BENCH-RESULT requests=%d duration_us=%d p50_us=%.0f " ..
		"p99_us=%.0f max_us=%.0f status_errors=%d connect=%d read=%d " ..
		"write=%d timeout=%d s201=%d s409=%d exhausted=%d others=%s\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, conflict + bad, e.connect,
		e.read, e.write, e.timeout, ok, conflict, ex,
		#list > 0 and table.concat(list, ",") or "-"))
end
