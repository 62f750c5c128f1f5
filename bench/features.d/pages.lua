-- wrk: GET a random page from the list in $PAGES (one path per line), with a bearer token; prints
-- "RESULT pages/s p50 p95 p99 non-2xx" (milliseconds) at the end: wrk's own table has no p95.
local pages = {}
for line in io.lines(os.getenv("PAGES")) do
  table.insert(pages, line)
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Accept"] = "application/geo+json"
-- each thread its own sequence: its address in memory differs
init = function(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000))
end
request = function()
  return wrk.format("GET", pages[math.random(1, #pages)])
end
done = function(summary, latency, requests)
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format("RESULT %.1f %.1f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    ms(50), ms(95), ms(99), summary.errors.status))
end
