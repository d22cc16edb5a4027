-- POST /api/v1/activities: every request a new entry (own UUID, Idempotency-Key, a free 1-minute slot).
-- args: pool_file
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "common"
local base, runid, days, pool

function init(args)
   base, runid, days, pool = load_pool(args[1])
   base = base + tonumber(args[2] or "0")  -- per-thread offset when several threads run
   stride = tonumber(args[3] or "1")
end

function request()
   local k = base + counter * stride
   counter = counter + 1
   local who, body, id = entry(k, runid, days, pool)
   return wrk.format("POST", "/api/v1/activities", {
      ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. who.token, ["Idempotency-Key"] = id}, body)
end
