#!/usr/bin/env bash
# run.sh - the benchmark of taizhang: builds, generates a database, starts the server on loopback,
# signs in a supervisor, times a few requests one at a time (unloaded latency), runs each wrk script
# for a bounded time and prints Markdown tables of the unloaded latency and of req/s, p50 and p99
# latency and the server's memory under load. `make bench` runs it.
#
# Settings (environment):
#   BENCH_ITEMS=10000     items to generate (1000000 for the big run)
#   BENCH_DB=FILE         use a copy of this generated database instead of generating one
#   BENCH_PORT=18431      loopback port of the server
#   BENCH_DURATION=10s    wrk duration of each measured run; BENCH_WARMUP=2s before each, discarded
#   BENCH_CONNS=32        wrk connections (one wrk thread)
#   BENCH_TIMEOUT=10s     wrk request timeout (a slower answer counts as a timeout)
#   BENCH_SINGLE=5        sequential requests per path for the unloaded latency table (0: none)
#   BENCH_SCRIPTS="hello get_item list dashboard action"   which runs, in this order (action last:
#                         it is the only one that writes)
#   BENCH_ANALYZE=1       run ANALYZE on the generated database before serving (see PERFORMANCE.md)
#   BENCH_NO_BUILD=1      skip `make build` (use the binaries in build/ as they are)
#   BENCH_LOG=info        the server's log level (TAIZHANG_LOG); info logs one line per request
#   BENCH_KEEP=1          keep the temporary directory (database, server log, raw wrk output)
#
# PostgreSQL and several servers:
#   BENCH_PG=CONNINFO     the servers run with --pg CONNINFO (a libpq string naming the database,
#                         e.g. "host=127.0.0.1 port=N user=postgres dbname=bench"); an empty database
#                         (no items) is filled first, then VACUUM ANALYZE; psql is needed
#   BENCH_PG_FILL=migrate how to fill it: `migrate` (default) generates a SQLite file with tz_gen and
#                         copies it with `taizhang migrate` (1 M items: ≈ 2 + 3 min); `gen` runs
#                         tz_gen --pg (the same rows, ≈ 15 min at 1 M: a round trip per statement)
#   BENCH_PG_KEEP=1       reuse a database that already holds items (a previous run's), as it is:
#                         its item count is read from it; the bench user is added once (the
#                         action runs' reminds accumulate in it, as they would in service)
#   BENCH_SERVERS=2       (with BENCH_PG) two `taizhang serve` on ports PORT+1 and PORT+2 sharing one
#                         --data-dir, behind Debian's nginx (/usr/sbin/nginx) on PORT, run in the
#                         foreground with a configuration written to the temporary directory
#                         (upstream keepalive 64, HTTP/1.1, Connection ""); wrk targets nginx
#
# For a throwaway cluster that keeps PostgreSQL's durable settings (fsync and synchronous_commit
# on, unlike the tests' clusters):
#   PG_CLUSTER_DURABLE=1 scripts/pg-cluster.sh start /tmp/pg-bench
#   psql "$(cat /tmp/pg-bench/conninfo) dbname=postgres" -c 'CREATE DATABASE bench'
#   BENCH_PG="$(cat /tmp/pg-bench/conninfo) dbname=bench" BENCH_PG_KEEP=1 bench/run.sh
#   scripts/pg-cluster.sh stop /tmp/pg-bench
#
# Pinning: with two or more CPUs wrk runs pinned to the last CPU (taskset) and the server is left
# unpinned, so that the server may use every CPU and competes with wrk only on the last one; with
# one CPU nothing is pinned. The script says which it did.
#
# Only 127.0.0.1 is used. Every step is bounded: the server gets 30 s to start and 10 s to stop, a
# single request 120 s, the wait for a saturated server to drain between runs 120 s. Every process
# the script starts (servers, nginx) is stopped on exit, whatever the exit.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT_DIR=$PWD
ITEMS=${BENCH_ITEMS:-10000}
PORT=${BENCH_PORT:-18431}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNS=${BENCH_CONNS:-32}
TIMEOUT=${BENCH_TIMEOUT:-10s}
SINGLE=${BENCH_SINGLE:-5}
SCRIPTS=${BENCH_SCRIPTS:-hello get_item list dashboard action}
PG=${BENCH_PG:-}
SERVERS=${BENCH_SERVERS:-1}
NGINX=/usr/sbin/nginx
TODAY=2026-11-30
USERNAME=bench
PASSWORD='Bench@2026x'
BIN=$ROOT_DIR/build/taizhang
GEN=$ROOT_DIR/build/tz_gen
URL=http://127.0.0.1:$PORT

say() { echo "bench: $*" >&2; }

tools="wrk curl"
[ -n "$PG" ] && tools="$tools psql"
for tool in $tools; do
    command -v "$tool" >/dev/null || { say "'$tool' is missing (scripts/deps.sh installs it)"; exit 1; }
done
case "$SERVERS" in
1) ;;
2)
    [ -n "$PG" ] || { say "BENCH_SERVERS=2 needs BENCH_PG: servers share a PostgreSQL database"; exit 1; }
    [ -x "$NGINX" ] || { say "$NGINX is missing (scripts/deps.sh installs it)"; exit 1; }
    ;;
*) say "BENCH_SERVERS must be 1 or 2"; exit 1 ;;
esac

# ---- build ---------------------------------------------------------------------------------------
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    make -s build
fi
bench/build.sh build

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tz-bench.XXXXXX")
SERVER_PIDS=()
NGINX_PID=""
# Stops one process: SIGTERM, SIGKILL after 10 s.
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$NGINX_PID"
    for pid in "${SERVER_PIDS[@]}"; do
        stop_pid "$pid"
    done
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        say "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# ---- database ------------------------------------------------------------------------------------
DB=$WORK/tz.db
STORE=(--db "$DB")
sec_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
if [ -n "$PG" ]; then
    STORE=(--pg "$PG")
    PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 "$PG")
    "${PSQL[@]}" -c 'SELECT 1' >/dev/null || { say "cannot connect to BENCH_PG"; exit 1; }
    HAVE=$("${PSQL[@]}" -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 'items'")
    N_HAVE=0
    [ "$HAVE" != 0 ] && N_HAVE=$("${PSQL[@]}" -c 'SELECT count(*) FROM items')
    if [ "$N_HAVE" != 0 ]; then
        if [ "${BENCH_PG_KEEP:-0}" != 1 ]; then
            say "the BENCH_PG database holds $N_HAVE items: BENCH_PG_KEEP=1 reuses it, or give an empty one"
            exit 1
        fi
        ITEMS=$N_HAVE
        say "reusing the PostgreSQL database ($ITEMS items)"
    else
        t0=$(date +%s.%N)
        if [ "${BENCH_PG_FILL:-migrate}" = gen ]; then
            say "generating $ITEMS items into PostgreSQL"
            TAIZHANG_TODAY=$TODAY "$GEN" --pg "$PG" --items "$ITEMS" 2>"$WORK/gen.log" ||
                { cat "$WORK/gen.log" >&2; exit 1; }
        else
            say "generating $ITEMS items into SQLite, then taizhang migrate into PostgreSQL"
            { TAIZHANG_TODAY=$TODAY "$GEN" --db "$WORK/fill.db" --items "$ITEMS" &&
                "$BIN" migrate --from "$WORK/fill.db" --pg "$PG"; } 2>"$WORK/gen.log" ||
                { cat "$WORK/gen.log" >&2; exit 1; }
            rm -f "$WORK/fill.db"*
        fi
        tail -1 "$WORK/gen.log" >&2
        say "filling PostgreSQL took $(sec_since "$t0") s"
        t0=$(date +%s.%N)
        "${PSQL[@]}" -c 'VACUUM ANALYZE'
        say "VACUUM ANALYZE took $(sec_since "$t0") s"
    fi
    DB_SIZE=$("${PSQL[@]}" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')
    N_UNITS=$("${PSQL[@]}" -c 'SELECT max(id) FROM units')
elif [ -n "${BENCH_DB:-}" ]; then
    say "copying $BENCH_DB"
    cp "$BENCH_DB" "$DB"
    ITEMS=$(sqlite3 "$DB" 'SELECT count(*) FROM items' 2>/dev/null || echo "$ITEMS")
else
    say "generating $ITEMS items"
    TAIZHANG_TODAY=$TODAY "$GEN" --db "$DB" --items "$ITEMS" 2>"$WORK/gen.log" ||
        { cat "$WORK/gen.log" >&2; exit 1; }
    tail -1 "$WORK/gen.log" >&2
fi
if [ -z "$PG" ] && [ "${BENCH_ANALYZE:-1}" = 1 ] && command -v sqlite3 >/dev/null; then
    t0=$(date +%s.%N)
    sqlite3 "$DB" 'ANALYZE'
    say "ANALYZE took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
fi
if [ -z "$PG" ]; then
    DB_SIZE="$(($(stat -c %s "$DB") / 1048576)) MiB (SQLite file)"
    N_UNITS=$(sqlite3 "$DB" 'SELECT max(id) FROM units' 2>/dev/null || echo 131)
fi

# ---- the bench user ------------------------------------------------------------------------------
if [ -n "$PG" ] && [ "$("${PSQL[@]}" -c "SELECT count(*) FROM users WHERE username = '$USERNAME'")" != 0 ]; then
    say "the user $USERNAME exists (a previous run's)"
elif ! TAIZHANG_TODAY=$TODAY "$BIN" user add "${STORE[@]}" --username "$USERNAME" \
    --password "$PASSWORD" --roles supervisor --unit ROOT >"$WORK/user.log" 2>&1; then
    say "skipped: 'taizhang user add' is not available yet or failed:"
    sed 's/^/    /' "$WORK/user.log" >&2
    say "the generator ran; the wrk runs need 'taizhang user add' and 'taizhang serve'"
    exit 0
fi

# ---- the server(s) -------------------------------------------------------------------------------
# One server listens on PORT; with BENCH_SERVERS=2 the servers listen on PORT+1 and PORT+2 and nginx
# on PORT. Several servers share one --data-dir (evidence files), as in service.
mkdir -p "$WORK/data"
start_server() {
    local i=$1 port=$2
    TAIZHANG_LOG=${BENCH_LOG:-info} TAIZHANG_TODAY=$TODAY "$BIN" serve "${STORE[@]}" \
        --data-dir "$WORK/data" --listen "127.0.0.1:$port" \
        >"$WORK/server$i.out" 2>"$WORK/server$i.err" &
    SERVER_PIDS+=($!)
}
# Waits (30 s at most) until url answers /healthz; pid is the process that must stay alive meanwhile.
wait_up() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 1 "$url/healthz" 2>/dev/null && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            say "skipped: the process behind $url exited at start:"
            sed 's/^/    /' "$log" >&2
            exit 0
        fi
        sleep 0.1
    done
    say "$url did not answer /healthz within 30 s"
    exit 1
}
if [ "$SERVERS" = 1 ]; then
    start_server 1 "$PORT"
    wait_up "$URL" "${SERVER_PIDS[0]}" "$WORK/server1.err"
else
    for i in 1 2; do
        start_server "$i" $((PORT + i))
        wait_up "http://127.0.0.1:$((PORT + i))" "${SERVER_PIDS[$((i - 1))]}" "$WORK/server$i.err"
    done
    mkdir -p "$WORK/nginx"
    chmod 711 "$WORK" # nginx's workers (an unprivileged user when run as root) reach their temp dirs
    cat >"$WORK/nginx/nginx.conf" <<CONF
# written by bench/run.sh: nginx in front of the two servers, as docs/nginx.conf.example
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream taizhang {
        server 127.0.0.1:$((PORT + 1));
        server 127.0.0.1:$((PORT + 2));
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$PORT;
        client_max_body_size 25m;
        location / {
            proxy_pass http://taizhang;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_next_upstream error timeout;
        }
    }
}
CONF
    "$NGINX" -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>"$WORK/nginx/test.log" ||
        { say "nginx refused its configuration:"; cat "$WORK/nginx/test.log" >&2; exit 1; }
    "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx/out.log" 2>&1 &
    NGINX_PID=$!
    wait_up "$URL" "$NGINX_PID" "$WORK/nginx/out.log"
fi

# Memory of the servers: "VmRSS a [+ b] kB, VmHWM c [+ d] kB".
status_kb() { # field pid
    awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"
}
mem_note() {
    local rss="" hwm="" pid
    for pid in "${SERVER_PIDS[@]}"; do
        rss="${rss:+$rss + }$(status_kb VmRSS "$pid")"
        hwm="${hwm:+$hwm + }$(status_kb VmHWM "$pid")"
    done
    echo "VmRSS $rss kB, VmHWM $hwm kB"
}
MEM_START=$(mem_note)
LOGIN=$(curl -sS --max-time 10 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/auth/login")
TOKEN=$(printf '%s' "$LOGIN" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$TOKEN" ]; then
    say "sign-in failed: $LOGIN"
    exit 1
fi
export TOKEN N="$ITEMS" N_UNITS
MEM_LOGIN=$(mem_note)

NCPU=$(nproc)
if [ "$NCPU" -ge 2 ]; then
    PIN=(taskset -c $((NCPU - 1)))
    PIN_NOTE="wrk pinned to CPU $((NCPU - 1)), everything else unpinned, $NCPU CPUs"
else
    PIN=()
    PIN_NOTE="1 CPU: nothing pinned, wrk and the server share it"
fi
say "$PIN_NOTE"

# Milliseconds from a wrk latency figure ("812.00us", "1.23ms", "1.02s").
to_ms() {
    awk -v x="$1" 'BEGIN {
        v = x + 0
        if (x ~ /us$/) v /= 1000; else if (x ~ /ms$/) v = v; else if (x ~ /m$/) v *= 60000;
        else if (x ~ /s$/) v *= 1000
        printf "%.2f", v }'
}

# Waits (at most 120 s) until the server answers /healthz within 50 ms: a run that saturated it
# leaves requests in flight after wrk has gone, and the next run must not inherit them.
drain() {
    local t
    for _ in $(seq 1 120); do
        t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 "$URL/healthz" || true)
        awk -v t="${t:-9}" 'BEGIN { exit !(t < 0.05) }' && return 0
        sleep 1
    done
    say "the server is still busy after 120 s"
}

# Unloaded latency: SINGLE sequential requests of one path, one at a time; prints "median max" ms.
single() {
    local path=$1
    for _ in $(seq 1 "$SINGLE"); do
        curl -s -o /dev/null -w '%{time_total}\n' --max-time 120 \
            -H "Authorization: Bearer $TOKEN" "$URL$path" || true
    done | sort -n | awk '{ v[NR] = $1 * 1000 } END {
        printf "%.1f %.1f", v[int((NR + 1) / 2)], v[NR] }'
}

# MiB of a /proc status field, each server's, joined by " + ".
mib() {
    local out="" pid
    for pid in "${SERVER_PIDS[@]}"; do
        out="${out:+$out + }$(($(status_kb "$1" "$pid") / 1024))"
    done
    echo "$out"
}

# ---- unloaded latency ------------------------------------------------------------------------------
SINGLE_ROWS=()
if [ "$SINGLE" -gt 0 ]; then
    for path in "/api/v1/items/$(((ITEMS + 1) / 2))" \
        "/api/v1/items?per_page=25&status=in_progress&page=7" \
        "/api/v1/items?per_page=25&light=red&page=3" \
        "/api/v1/items?per_page=25&ledger=reform&page=5" \
        "/api/v1/items?per_page=25&unit=70&page=2" \
        "/api/v1/items?per_page=25&sort=-updated_at&page=15" \
        "/api/v1/dashboard"; do
        say "single $path"
        read -r med max <<<"$(single "$path")"
        SINGLE_ROWS+=("| \`GET ${path#/api/v1}\` | $med | $max |")
    done
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
for s in $SCRIPTS; do
    script=bench/$s.lua
    [ -f "$script" ] || { say "no $script"; exit 1; }
    say "run $s: warm-up $WARMUP, then $DURATION"
    "${PIN[@]}" wrk -t1 -c"$CONNS" -d"$WARMUP" -s "$script" "$URL" >/dev/null 2>&1 || true
    drain
    out=$WORK/wrk-$s.txt
    "${PIN[@]}" wrk -t1 -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$script" \
        "$URL" >"$out" 2>&1 || true
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    p50=$(awk '$1 == "50%" { print $2 }' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    errs=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")
    extra=$(grep '^action.lua:' "$out" || true)
    hwm=$(mib VmHWM)
    rss=$(mib VmRSS)
    if [ "${rps:-0}" -gt 0 ]; then
        p50=$(to_ms "${p50:-0}")
        p99=$(to_ms "${p99:-0}")
    else
        p50="no answer"
        p99="no answer"
    fi
    ROWS+=("| $s | ${rps:-?} | $p50 | $p99 | ${non2xx:-0} | ${errs:-none} | $rss | $hwm |")
    [ -n "$extra" ] && say "$extra"
    drain
    dead=""
    for i in "${!SERVER_PIDS[@]}"; do
        if ! kill -0 "${SERVER_PIDS[$i]}" 2>/dev/null; then
            say "server $((i + 1)) died during $s:"
            tail -20 "$WORK/server$((i + 1)).err" >&2
            dead=1
        fi
    done
    [ -n "$dead" ] && break
done

echo
if [ -n "$PG" ]; then
    DB_SIZE="$DB_SIZE (PostgreSQL database, pg_database_size, before the runs)"
    SETUP="PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version'), fsync $("${PSQL[@]}" -c 'SHOW fsync'),\
 synchronous_commit $("${PSQL[@]}" -c 'SHOW synchronous_commit'), shared_buffers\
 $("${PSQL[@]}" -c 'SHOW shared_buffers'); "
    if [ "$SERVERS" = 2 ]; then
        SETUP="${SETUP}two servers behind nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///')"
    else
        SETUP="${SETUP}one server"
    fi
else
    SETUP="SQLite, one server"
fi
echo "taizhang benchmark: $ITEMS items, $SETUP, database $DB_SIZE, wrk -t1 -c$CONNS" \
    "-d$DURATION --latency, $PIN_NOTE, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 |
    sed 's/^ //')"
echo
echo "Load average (1, 5, 15 min) before the runs: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Server memory after start: $MEM_START; after the sign-in (argon2id): $MEM_LOGIN"
[ "$SERVERS" = 2 ] && echo && echo "(two servers: each figure is server 1 + server 2; the sign-in ran on one of them)"
echo
if [ ${#SINGLE_ROWS[@]} -gt 0 ]; then
    echo "Unloaded latency ($SINGLE sequential requests each, curl time_total):"
    echo
    echo "| request | median ms | max ms |"
    echo "|---|---:|---:|"
    printf '%s\n' "${SINGLE_ROWS[@]}"
    echo
fi
echo "Under load (wrk --timeout $TIMEOUT; a request slower than that counts as a timeout, not in p99):"
echo
echo "| run | req/s | p50 ms | p99 ms | non-2xx | socket errors | server VmRSS MiB after |"\
    "server VmHWM MiB (cumulative) |"
echo "|---|---:|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
