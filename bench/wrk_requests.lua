-- wrk script of bench/run.py: cycles through pre-signed requests written by
-- `cpbench sign` (one per line: method TAB path TAB body TAB "Name: value"...).
-- wrk's LuaJIT has no HMAC, so signing happens before the run; every request
-- stays within the dialect's clock-skew window for the run's duration.
-- CPBENCH_REQUESTS names the file; CPBENCH_DELAY_MS (optional) paces each
-- connection (used to measure latency at about half of peak load).
local requests = {}
local next_idx = 0
local delay_ms = tonumber(os.getenv("CPBENCH_DELAY_MS") or "0")

function init(args)
  for line in io.lines(os.getenv("CPBENCH_REQUESTS")) do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      fields[#fields + 1] = field
    end
    local headers = {}
    for i = 4, #fields do
      local name, value = fields[i]:match("^([^:]+): (.*)$")
      headers[name] = value
    end
    local body = fields[3]
    if body == "" then body = nil end
    requests[#requests + 1] = wrk.format(fields[1], fields[2], headers, body)
  end
  next_idx = math.random(#requests)
end

function request()
  next_idx = next_idx % #requests + 1
  return requests[next_idx]
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  io.write(string.format(
    'CPBENCH {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
