-- GET one fixed path with one token. args: path token
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "common"

function init(args)
   wrk.method = "GET"
   wrk.path = args[1]
   wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
   counter = counter + 1
   return wrk.format(nil, nil, nil, nil)
end
