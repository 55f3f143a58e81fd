-- get_item.lua - GET /api/v1/items/{id} with id uniform in 1..N (the generator's ids).
-- env: TOKEN (a bearer token of a supervisor, who sees every item), N (item count, 10000).
--   TOKEN=... N=1000000 wrk -t1 -c32 -d10s --latency -s bench/get_item.lua http://127.0.0.1:PORT
local token = os.getenv("TOKEN") or ""
local n = tonumber(os.getenv("N") or "10000")
local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("seed", thread_no)
end

function init(args)
    math.randomseed(1000 + (seed or 0))
end

function request()
    return wrk.format("GET", "/api/v1/items/" .. math.random(1, n), headers)
end
