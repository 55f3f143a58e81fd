-- action.lua - POST /api/v1/items/{id}/actions {"action":"remind","version":V}: a durable write
-- (item, event and audit entry in one transaction) per request.
--
-- remind needs the item's current version, which a load generator cannot know beforehand. So
-- the script keeps a pool of items whose version it has seen: each answer to a remind carries the
-- whole item, whose "id" and "version" the response() callback reads with a Lua pattern, and the
-- item goes back into the pool with its new version. An item is in the pool only while no request
-- on it is in flight, so each connection works on an item of its own and no request races another
-- on the same version. When the pool is empty (at the start, or after an answer that did not
-- carry an item) the script probes a random item with GET /api/v1/items/{id} and admits it when it
-- is open (remind is allowed from assigned, in_progress, submitted and ongoing). Probes are a few
-- dozen requests out of tens of thousands; done() prints how many of each there were.
--
-- env: TOKEN (supervisor bearer token), N (item count, 10000).
local token = os.getenv("TOKEN") or ""
local n = tonumber(os.getenv("N") or "10000")
local get_headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
local post_headers = { ["Authorization"] = "Bearer " .. token,
                       ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local open = { assigned = true, in_progress = true, submitted = true, ongoing = true }
local pool_ids, pool_versions = {}, {}
local threads = {}

-- Per-thread counters are globals so that done() can read them with thread:get().
reminds, probes, ok_answers, other_answers = 0, 0, 0, 0

function setup(thread)
    table.insert(threads, thread)
    thread:set("seed", #threads)
end

-- The seed changes from run to run (a warm-up and the measured run must not probe the same
-- items: a remind of the warm-up may still be in the server's write queue when the next run reads
-- that item's version), and `claimed` keeps one run from probing an item twice.
local claimed = {}

function init(args)
    math.randomseed(os.time() * 100 + (seed or 0))
end

local function probe_id()
    for _ = 1, 100 do
        local id = math.random(1, n)
        if not claimed[id] then
            claimed[id] = true
            return id
        end
    end
    return math.random(1, n)
end

function request()
    local k = #pool_ids
    if k > 0 then
        local id, v = pool_ids[k], pool_versions[k]
        pool_ids[k], pool_versions[k] = nil, nil
        reminds = reminds + 1
        local body = '{"action":"remind","version":' .. v .. '}'
        return wrk.format("POST", "/api/v1/items/" .. id .. "/actions", post_headers, body)
    end
    probes = probes + 1
    return wrk.format("GET", "/api/v1/items/" .. probe_id(), get_headers)
end

function response(status, headers, body)
    local id = status == 200 and tonumber(body:match('"id":%s*(%d+)'))
    local v = id and tonumber(body:match('"version":%s*(%d+)'))
    local st = body:match('"status":%s*"([%a_]+)"')
    if id and v and open[st] then
        ok_answers = ok_answers + 1
        table.insert(pool_ids, id)
        table.insert(pool_versions, v)
    else
        other_answers = other_answers + 1
    end
end

function done(summary, latency, requests)
    local r, p, ok, other = 0, 0, 0, 0
    for _, t in ipairs(threads) do
        r = r + t:get("reminds")
        p = p + t:get("probes")
        ok = ok + t:get("ok_answers")
        other = other + t:get("other_answers")
    end
    io.write(string.format("action.lua: %d reminds sent, %d probes (GET), %d answers carried " ..
                           "an open item, %d did not (errors or items not open)\n",
                           r, p, ok, other))
end
