-- wrk script for bench/run.sh, case survey: set-up, not a measurement.
--
-- POSTs {"walk_in":{"name":…}} to the URL (an event's /attendance) for
-- wrk's duration (wrk has no request count: it always runs for -d).
-- Request headers come as arguments after "--", one "Name: value" each.
-- done() prints
--   WALKIN-RESULT created=N other=N duration_us=N
-- created counts 201 answers (attendees added), other every other status.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	for _, h in ipairs(args) do
		local name, value = h:match("^([^:]+):%s*(.*)$")
		if name ~= nil then
			wrk.headers[name] = value
		end
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.body = '{"walk_in":{"name":"压测参加者"}}'
	created, other = 0, 0
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
	end
	io.write(string.format("WALKIN-RESULT created=%d other=%d " ..
		"duration_us=%d\n", c, o, summary.duration))
end
