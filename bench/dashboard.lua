-- dashboard.lua - GET /api/v1/dashboard as a supervisor (every item counted).
-- env: TOKEN (supervisor bearer token).
local token = os.getenv("TOKEN") or ""
wrk.method = "GET"
wrk.path = "/api/v1/dashboard"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
