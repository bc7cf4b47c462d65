-- Cổng load test: one kind of citizen request (pages, beacons or searches),
-- replayed by one wrk process at a paced rate (bench/loadtest.py runs one
-- per kind, side by side, so each kind gets its own latency percentiles).
--
-- Environment (set by bench/loadtest.py):
--   CONG_LOADTEST_REQUESTS  file of requests, one a line:
--                           METHOD<TAB>HOST<TAB>CLIENT-ADDRESS<TAB>PATH<TAB>BODY
--   CONG_LOADTEST_RATE      requests/s this wrk process offers (all threads);
--                           0 = as fast as the connections go (closed loop)
--   CONG_LOADTEST_THREADS   wrk's -t, to split the rate
--   CONG_LOADTEST_KIND      the name printed in the result line
--
-- Pacing: each thread schedules Poisson arrivals at its share of the rate
-- and a connection waits (wrk's delay()) until the next slot; wrk measures
-- latency from the moment the request is written, so the wait is not in the
-- figures. When the server falls behind, the slots are in the past and the
-- connections send back to back (catch-up limited to one second), so the
-- throughput printed is what the server held. done() prints one JSON line.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } cong_timespec;
int clock_gettime(int clk_id, cong_timespec *tp);
]]
local ts = ffi.new("cong_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local requests = {}
local position = 1
local interval = 0      -- mean ms between requests of this thread
local next_slot = 0
statuses = {}           -- read by done() through thread:get()
local threads = {}

local function load()
  for line in io.lines(os.getenv("CONG_LOADTEST_REQUESTS")) do
    local method, host, client, target, body =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if method then
      local headers = { ["Host"] = host, ["User-Agent"] = "Mozilla/5.0 (cong-loadtest)",
                        ["X-Forwarded-For"] = client }
      if body ~= nil and body ~= "" then
        headers["Content-Type"] = body:sub(1, 1) == "{" and "text/plain;charset=UTF-8"
                                  or "application/x-www-form-urlencoded"
      else
        body = nil
      end
      requests[#requests + 1] = wrk.format(method, target, headers, body)
    end
  end
end

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  load()
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  position = math.random(1, #requests)
  local rate = tonumber(os.getenv("CONG_LOADTEST_RATE") or "0")
  local nthreads = tonumber(os.getenv("CONG_LOADTEST_THREADS") or "1")
  if rate > 0 then interval = 1000 * nthreads / rate end
  next_slot = now_ms()
end

function delay()
  if interval <= 0 then return 0 end
  local t = now_ms()
  if next_slot < t - 1000 then next_slot = t - 1000 end
  local slot = next_slot
  next_slot = next_slot - math.log(1 - math.random()) * interval
  if slot <= t then return 0 end
  return slot - t
end

function request()
  local r = requests[position]
  position = position + 1
  if position > #requests then position = 1 end
  return r
end

function response(status, headers, body)
  -- "200 HIT", "200 MISS", "204", ...: page views should be HITs once warm
  local cache = headers["X-Cache-Status"]
  local key = cache and (tostring(status) .. " " .. cache) or tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests_)
  local codes = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for code, n in pairs(s) do codes[code] = (codes[code] or 0) + n end
    end
  end
  local parts = {}
  for code, n in pairs(codes) do parts[#parts + 1] = string.format('"%s": %d', code, n) end
  -- the latency at every 0.1 %, so the harness can merge the kinds
  local q = {}
  for i = 1, 1000 do q[i] = string.format("%.2f", latency:percentile(i / 10) / 1000) end
  local e = summary.errors
  io.write(string.format(
    'CONG_LOADTEST {"kind": "%s", "requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, "quantiles_ms": [%s], ' ..
    '"latency_ms": {"p50": %.2f, "p95": %.2f, "p99": %.2f, "p999": %.2f, "max": %.2f, "mean": %.2f}}\n',
    os.getenv("CONG_LOADTEST_KIND") or "mix",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", "), table.concat(q, ","),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
