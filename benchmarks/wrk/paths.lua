-- wrk script: each request picks a random line of a paths file; prints a JSON summary.
--   wrk -t2 -c32 -d10s -s benchmarks/wrk/paths.lua http://127.0.0.1:8100 -- PATHS_FILE
-- A line is "PATH" or "PATH<TAB>COOKIE" (the Cookie header sent with that path).

local paths = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open paths file " .. tostring(args[1]))
  for line in file:lines() do
    local p, cookie = line:match("^([^\t]+)\t(.+)$")
    if p == nil then p = line end
    if p ~= "" then
      paths[#paths + 1] = { path = p, cookie = cookie }
    end
  end
  file:close()
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  local entry = paths[math.random(#paths)]
  local headers = {}
  if entry.cookie then headers["Cookie"] = entry.cookie end
  return wrk.format("GET", entry.path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
