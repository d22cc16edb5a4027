-- POST /api/v1/activities/batch: 50 new entries of one employee per request.
-- args: pool_file
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "common"
local base, runid, days, pool
local BATCH = 50

function init(args)
   base, runid, days, pool = load_pool(args[1])
end

function request()
   -- batch b belongs to employee b % E; its items take that employee's next 50 slots
   local b = base + counter
   counter = counter + 1
   local E = #pool
   local e = b % E
   local round = math.floor(b / E)
   local items = {}
   local who
   for i = 0, BATCH - 1 do
      local k = (round * BATCH + i) * E + e   -- slot k of employee e (same mapping as post_one)
      local w, body = entry(k, runid, days, pool)
      who = w
      items[#items + 1] = body
   end
   return wrk.format("POST", "/api/v1/activities/batch", {
      ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. who.token},
      '{"items":[' .. table.concat(items, ",") .. ']}')
end
