-- list.lua - GET /api/v1/items?per_page=25 with a filter that rotates request by request:
-- ledger=, status=in_progress, light=red, unit=ID, sort=-updated_at; page uniform in 1..20.
-- env: TOKEN (supervisor bearer token), N_UNITS (highest unit id, 131 = the generator's tree;
-- unit 1 is ROOT, whose subtree is everything, so ids are drawn from 2..N_UNITS).
local token = os.getenv("TOKEN") or ""
local n_units = tonumber(os.getenv("N_UNITS") or "131")
local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
local ledgers = { "rectification", "reform", "project", "policy", "eco_problem", "risk_point",
                  "hazard", "petition", "livelihood", "indicator" }
local k = 0
local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("seed", thread_no)
end

function init(args)
    math.randomseed(2000 + (seed or 0))
end

function request()
    k = k + 1
    local f
    local r = k % 5
    if r == 0 then
        f = "ledger=" .. ledgers[math.random(1, #ledgers)]
    elseif r == 1 then
        f = "status=in_progress"
    elseif r == 2 then
        f = "light=red"
    elseif r == 3 then
        f = "unit=" .. math.random(2, n_units)
    else
        f = "sort=-updated_at"
    end
    local path = "/api/v1/items?per_page=25&" .. f .. "&page=" .. math.random(1, 20)
    return wrk.format("GET", path, headers)
end
