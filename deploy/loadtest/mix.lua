-- Cổng load test: what citizens do, replayed by wrk (bench/loadtest.py).
-- The request mix is prepared by bench/loadtest.py in the file named by
-- CONG_LOADTEST_REQUESTS, one request a line:
-- METHOD<TAB>HOST<TAB>CLIENT-ADDRESS<TAB>PATH<TAB>BODY,
-- already in the wanted proportions; each thread walks it from its own
-- random starting point. done() prints one JSON line for the harness.

local requests = {}
local position = 1

local function load()
  local path = os.getenv("CONG_LOADTEST_REQUESTS")
  for line in io.lines(path) do
    local method, host, client, target, body =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if method then
      local headers = { ["Host"] = host, ["User-Agent"] = "cong-loadtest",
                        ["X-Forwarded-For"] = client }
      if body ~= nil and body ~= "" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      requests[#requests + 1] = wrk.format(method, target, headers, body)
    end
  end
end

function init(args)
  load()
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  position = math.random(1, #requests)
end

function request()
  local r = requests[position]
  position = position + 1
  if position > #requests then position = 1 end
  return r
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'CONG_LOADTEST {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"p50": %.2f, "p90": %.2f, "p99": %.2f, "p999": %.2f, "max": %.2f, "mean": %.2f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
