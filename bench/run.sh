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
# Pinning: with two or more CPUs wrk runs pinned to the last CPU (taskset) and the server is left
# unpinned, so that the server may use every CPU and competes with wrk only on the last one; with
# one CPU nothing is pinned. The script says which it did.
#
# Only 127.0.0.1 is used. Every step is bounded: the server gets 30 s to start and 10 s to stop, a
# single request 120 s, the wait for a saturated server to drain between runs 120 s.
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
TODAY=2026-11-30
USERNAME=bench
PASSWORD='Bench@2026x'
BIN=$ROOT_DIR/build/taizhang
GEN=$ROOT_DIR/build/tz_gen
URL=http://127.0.0.1:$PORT

say() { echo "bench: $*" >&2; }

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { say "'$tool' is missing (scripts/deps.sh installs it)"; exit 1; }
done

# ---- build ---------------------------------------------------------------------------------------
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    make -s build
fi
bench/build.sh build

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tz-bench.XXXXXX")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        say "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# ---- database ------------------------------------------------------------------------------------
DB=$WORK/tz.db
if [ -n "${BENCH_DB:-}" ]; then
    say "copying $BENCH_DB"
    cp "$BENCH_DB" "$DB"
    ITEMS=$(sqlite3 "$DB" 'SELECT count(*) FROM items' 2>/dev/null || echo "$ITEMS")
else
    say "generating $ITEMS items"
    TAIZHANG_TODAY=$TODAY "$GEN" --db "$DB" --items "$ITEMS" 2>"$WORK/gen.log" ||
        { cat "$WORK/gen.log" >&2; exit 1; }
    tail -1 "$WORK/gen.log" >&2
fi
if [ "${BENCH_ANALYZE:-1}" = 1 ] && command -v sqlite3 >/dev/null; then
    t0=$(date +%s.%N)
    sqlite3 "$DB" 'ANALYZE'
    say "ANALYZE took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
fi
DB_BYTES=$(stat -c %s "$DB")
N_UNITS=$(sqlite3 "$DB" 'SELECT max(id) FROM units' 2>/dev/null || echo 131)

# ---- the bench user ------------------------------------------------------------------------------
if ! TAIZHANG_TODAY=$TODAY "$BIN" user add --db "$DB" --username "$USERNAME" \
    --password "$PASSWORD" --roles supervisor --unit ROOT >"$WORK/user.log" 2>&1; then
    say "skipped: 'taizhang user add' is not available yet or failed:"
    sed 's/^/    /' "$WORK/user.log" >&2
    say "the generator ran; the wrk runs need 'taizhang user add' and 'taizhang serve'"
    exit 0
fi

# ---- the server ----------------------------------------------------------------------------------
TAIZHANG_LOG=${BENCH_LOG:-info} TAIZHANG_TODAY=$TODAY "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$URL/healthz" 2>/dev/null && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "skipped: 'taizhang serve' exited at start:"
        sed 's/^/    /' "$WORK/server.err" >&2
        SERVER_PID=""
        exit 0
    fi
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 1 "$URL/healthz" ||
    { say "the server did not answer /healthz within 30 s"; exit 1; }

MEM_START="VmRSS $(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status") kB, VmHWM $(awk \
    '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") kB"
LOGIN=$(curl -sS --max-time 10 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/auth/login")
TOKEN=$(printf '%s' "$LOGIN" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$TOKEN" ]; then
    say "sign-in failed: $LOGIN"
    exit 1
fi
export TOKEN N="$ITEMS" N_UNITS
MEM_LOGIN="VmRSS $(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status") kB, VmHWM $(awk \
    '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") kB"

NCPU=$(nproc)
if [ "$NCPU" -ge 2 ]; then
    PIN=(taskset -c $((NCPU - 1)))
    PIN_NOTE="wrk pinned to CPU $((NCPU - 1)), server unpinned, $NCPU CPUs"
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

hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }

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
    hwm=$(hwm_kb)
    rss=$(rss_kb)
    if [ "${rps:-0}" -gt 0 ]; then
        p50=$(to_ms "${p50:-0}")
        p99=$(to_ms "${p99:-0}")
    else
        p50="no answer"
        p99="no answer"
    fi
    ROWS+=("| $s | ${rps:-?} | $p50 | $p99 | ${non2xx:-0} | ${errs:-none} | $((rss / 1024)) |\
 $((hwm / 1024)) |")
    [ -n "$extra" ] && say "$extra"
    drain
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "the server died during $s:"
        tail -20 "$WORK/server.err" >&2
        SERVER_PID=""
        break
    fi
done

echo
echo "taizhang benchmark: $ITEMS items, database $((DB_BYTES / 1048576)) MiB, wrk -t1 -c$CONNS" \
    "-d$DURATION --latency, $PIN_NOTE, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 |
    sed 's/^ //')"
echo
echo "Load average (1, 5, 15 min) before the runs: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Server memory after start: $MEM_START; after the sign-in (argon2id): $MEM_LOGIN"
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
