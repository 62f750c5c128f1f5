-- wrk script: wrong passwords as fast as they go, each from a random address behind the trusted
-- proxy (X-Forwarded-For), like a botnet; ACCOUNT="" picks a random account each time.
-- Prints the answers by status at the end.
local account = os.getenv("ACCOUNT") or ""
local single = os.getenv("SINGLE_ADDRESS") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  local ip = single ~= "" and single or ("203.0." .. math.random(0, 255) .. "." .. math.random(1, 254))
  local user = account ~= "" and account or ("user" .. math.random(1, 100000))
  local body = '{"username":"' .. user .. '","password":"wrong-' .. math.random(1, 1000000000) .. '"}'
  return wrk.format("POST", "/api/v1/auth/token",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip }, body)
end

response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do
      total[k] = (total[k] or 0) + v
    end
  end
  local parts = {}
  for k, v in pairs(total) do
    table.insert(parts, k .. ":" .. v)
  end
  table.sort(parts)
  io.write("answers " .. table.concat(parts, " ") .. "\n")
end
