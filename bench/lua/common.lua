-- Shared by the bench's wrk scripts: reads the pool file, counts generated requests, prints one JSON line.
-- Pool file (written by bench/run.py): line 1 "base runid days_csv", then one "token indicator_id nip" per employee.
threads = {}
counter = 0

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

function load_pool(path)
   local f = assert(io.open(path, "r"))
   local head = f:read("*l")
   local base, runid, days_csv = head:match("^(%d+) (%d+) (%S+)$")
   local days = {}
   for d in days_csv:gmatch("[^,]+") do table.insert(days, d) end
   local pool = {}
   for line in f:lines() do
      local token, indicator, nip = line:match("^(%S+) (%S+) (%S+)$")
      if token then table.insert(pool, {token = token, indicator = indicator, nip = nip}) end
   end
   f:close()
   return tonumber(base), tonumber(runid), days, pool
end

function entry(k, runid, days, pool)
   -- slot k -> (employee, day, minute): employees vary fastest, then days, then minutes, so every
   -- employee-day fills evenly with 1-minute entries that never overlap.
   local E, D = #pool, #days
   local e = k % E
   local j = math.floor(k / E)
   local d = j % D
   local m = math.floor(j / D) % 1439
   local who = pool[e + 1]
   local body = string.format(
      '{"id":"%08d-0000-4000-8000-%012d","date":"%s","start_time":"%02d:%02d","end_time":"%02d:%02d",' ..
      '"indicator_id":"%s","description":"Menyusun laporan pelayanan publik","quantity":1,"quantity_unit":"laporan",' ..
      '"evidence":[{"url":"https://drive.binjaikota.go.id/laporan/1"}]}',
      runid, k, days[d + 1], math.floor(m / 60), m % 60, math.floor((m + 1) / 60), (m + 1) % 60, who.indicator)
   return who, body, string.format("%08d-0000-4000-8000-%012d", runid, k)
end

function done(summary, latency, requests)
   local generated = 0
   for _, t in ipairs(threads) do generated = generated + (t:get("counter") or 0) end
   local e = summary.errors
   io.write(string.format(
      'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,"err_write":%d,' ..
      '"err_status":%d,"err_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"generated":%d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, generated))
end
