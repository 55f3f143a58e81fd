-- hello.lua - GET /healthz: the libmicrohttpd ceiling of this machine in the same run,
-- against which the API figures are read. No sign-in needed.
--   wrk -t1 -c32 -d10s --latency -s bench/hello.lua http://127.0.0.1:PORT
wrk.method = "GET"
wrk.path = "/healthz"
