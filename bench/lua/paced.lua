-- Open-loop pacing for wrk (issue 22's latency curve): requests leave on a global schedule of RATE per
-- second shared by the thread's connections, whatever each request's latency. A connection that is
-- behind schedule sends at once and the schedule restarts from now (no catch-up burst), so when the
-- server cannot keep up, wrk reaches less than RATE: the bench reads that as "not reached".
local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_usec; } kinerja_timeval;
   int gettimeofday(kinerja_timeval *tv, void *tz);
]]
local tv = ffi.new("kinerja_timeval")
local next_at = nil

local function now_ms()
   ffi.C.gettimeofday(tv, nil)
   return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

function delay()
   local t = now_ms()
   next_at = math.max((next_at or t) + 1000 / RATE, t)
   return math.floor(next_at - t)
end
