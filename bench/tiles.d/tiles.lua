-- wrk: GET a random tile from the list in $TILES (one path per line), with a bearer token.
-- NOCACHE=1 sends Cache-Control: no-cache as a hard reload does; the server serves its cache regardless
-- (the uncached pass runs a server whose cache holds nothing, see bench/tiles).
local paths = {}
for line in io.lines(os.getenv("TILES")) do
  paths[#paths + 1] = line
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
if os.getenv("NOCACHE") == "1" then
  wrk.headers["Cache-Control"] = "no-cache"
end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  math.randomseed(os.time() + (seed or 0) * 7919)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
local bad = 0
function response(status, headers, body)
  if status ~= 200 and status ~= 204 then bad = bad + 1 end
end
